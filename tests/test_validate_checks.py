"""Validation's own checks, one test each, and the data package's own word on where each table lives."""
import json
import shutil
from pathlib import Path

import pytest

from factcheck import config, validate
from tests.helpers import rewrite_csv

ARTICLE = "Iraq wants U.S. troops out. Over 100 attacks hit bases."
PATHS = {"claims": "data/claims.csv", "claim_sources": "data/claim_sources.csv", "sources": "data/sources.csv",
         "article": "data/article.csv"}.get


def rows(*records):
    return [(number, record) for number, record in enumerate(records, start=2)]


def problems(check, tables, article_text=ARTICLE):
    return [(e.path, e.row, e.field, e.problem) for e in check(tables, article_text, PATHS)]


def test_quotes_are_the_article_text():
    claims = rows({"quote": "Iraq wants U.S. troops out.", "start": "0", "end": "27"},
                  {"quote": "Over 100 attacks", "start": "0", "end": "16"},
                  {"quote": "not in the article", "start": "1", "end": "5"},
                  {"quote": "typed wrong", "start": "x", "end": "5"})
    found = problems(validate.quotes_are_the_article_text, {"claims": claims})
    assert [(path, row, field) for path, row, field, _ in found] == [("data/claims.csv", 3, "quote"), ("data/claims.csv", 4, "quote")]
    assert "the quote is at start=28, end=44" in found[0][3] and "the quote is not in data/article.txt" in found[1][3]
    assert problems(validate.quotes_are_the_article_text, {"claims": claims}, article_text="") == []


def test_every_claim_cites_a_source():
    tables = {"claims": rows({"claim_id": "C01"}, {"claim_id": "C02"}), "claim_sources": rows({"claim_id": "C01"})}
    assert problems(validate.every_claim_cites_a_source, tables) == [
        ("data/claims.csv", 3, "claim_id", "claim 'C02' cites no source: add a row to data/claim_sources.csv")]
    assert problems(validate.every_claim_cites_a_source, {"claims": tables["claims"]}) == []


def test_every_source_is_cited():
    tables = {"sources": rows({"source_id": "a001"}, {"source_id": "a002"}), "events": rows({"source_id": "a001"})}
    assert [(p, r, f) for p, r, f, _ in problems(validate.every_source_is_cited, tables)] == [("data/sources.csv", 3, "source_id")]
    tables["claim_sources"] = rows({"source_id": "a002"})
    assert problems(validate.every_source_is_cited, tables) == []


@pytest.mark.parametrize("count, expected", [(1, []), (0, [("data/article.csv", 2)]), (3, [("data/article.csv", 3), ("data/article.csv", 4)])])
def test_the_article_is_one_row(count, expected):
    found = problems(validate.the_article_is_one_row, {"article": rows(*({"title": "t"} for _ in range(count)))})
    assert [(path, row) for path, row, _, _ in found] == expected


@pytest.fixture
def data_dir(tmp_path):
    return Path(shutil.copytree(config.DATA, tmp_path / "data"))


def messages(data_dir):
    return [str(e) for e in validate.validate(data_dir / "datapackage.json")]


@pytest.mark.parametrize("order", ["higher first", "lower first"])
def test_two_pentagon_counts_of_one_day_that_disagree_are_valid_in_either_order(data_dir, order):
    """Two statements of one day that disagree are a conflict the report shows side by side, not bad data."""
    def add_conflict(table):
        header = table[0]
        column = {name: header.index(name) for name in ("series_id", "date", "total", "iraq", "syria", "other", "source_id")}
        original = next(r for r in table[1:] if r[column["series_id"]] == "pentagon_cumulative" and r[column["iraq"]])
        other = list(original)  # the same day's count as another outlet reported it
        other[column["source_id"]] = next(r[column["source_id"]] for r in table[1:]
                                          if r[column["source_id"]] != original[column["source_id"]])
        other[column["total"]] = str(int(original[column["total"]]) + 3)
        for part in ("iraq", "syria", "other"):
            other[column[part]] = ""
        at = table.index(original)
        table.insert(at if order == "higher first" else at + 1, other)
    rewrite_csv(data_dir / "attacks.csv", add_conflict)
    assert messages(data_dir) == []


def test_a_consistency_problem_names_the_file_the_data_package_gives(data_dir):
    descriptor = json.loads((data_dir / "datapackage.json").read_text())
    claims = next(r for r in descriptor["resources"] if r["name"] == "claims")
    (data_dir / "claims.csv").rename(data_dir / "claim_register.csv")
    claims["path"] = "claim_register.csv"
    (data_dir / "datapackage.json").write_text(json.dumps(descriptor))

    def misplaced_error(table):
        header = table[0]
        row = next(r for r in table[1:] if r[header.index("verdict")] == "supported")
        row[header.index("error_in")] = "republication"
    rewrite_csv(data_dir / "claim_register.csv", misplaced_error)
    found = messages(data_dir)
    assert found and all(m.startswith("data/claim_register.csv row ") for m in found), found
