"""A claim cannot vanish: validation refuses one that lacks any part the report needs, naming the claim and the part,
and the join that gives claims their summaries fails rather than drop one from the counts."""
import shutil
from pathlib import Path

import pandas as pd
import pytest

from factcheck import claims, config, validate
from tests.helpers import rewrite_csv


@pytest.fixture
def data_dir(tmp_path):
    return Path(shutil.copytree(config.DATA, tmp_path / "data"))


def without_claim(claim_id):
    return lambda rows: rows.__setitem__(slice(1, None), [r for r in rows[1:] if r[0] != claim_id])


def blank(claim_id, field):
    def change(rows):
        next(r for r in rows[1:] if r[0] == claim_id)[rows[0].index(field)] = ""
    return change


@pytest.mark.parametrize("name,change,expected", [
    ("claim_summaries", without_claim("C07"),
     "data/claims.csv row 8, field 'claim_id': claim 'C07' has no summary: add a row to data/claim_summaries.csv"),
    ("claim_sources", without_claim("C07"), "data/claims.csv row 8, field 'claim_id': claim 'C07' cites no source"),
    ("claims", blank("C07", "verdict"), "data/claims.csv row 8, field 'verdict': claim 'C07' has no verdict: fill it in"),
    ("claims", blank("C07", "explanation"), "data/claims.csv row 8, field 'explanation': claim 'C07' has no explanation"),
    ("claims", blank("C07", "checked"), "data/claims.csv row 8, field 'checked': claim 'C07' has no checked"),
], ids=["summary", "evidence", "verdict", "explanation", "checked"])
def test_a_claim_missing_a_part_is_refused_by_name(data_dir, name, change, expected):
    rewrite_csv(data_dir / f"{name}.csv", change)
    messages = [str(e) for e in validate.validate(data_dir / "datapackage.json")]
    assert any(m.startswith(expected) for m in messages), messages
    assert not any("is empty, but a value is required" in m for m in messages), messages  # said once, by name


def test_summaries_join_keeps_every_claim_or_names_the_one_without():
    register = pd.DataFrame({"claim_id": ["C01", "C02"], "verdict": ["supported", "inaccurate"]})
    summaries = pd.DataFrame({"claim_id": ["C02", "C01"], "summary": ["b", "a"], "claimant": ["", "X"]})
    joined = claims.with_summaries(register, summaries)
    assert list(joined["claim_id"]) == ["C01", "C02"] and list(joined["summary"]) == ["a", "b"]
    with pytest.raises(ValueError, match="C01 have no row in data/claim_summaries.csv"):
        claims.with_summaries(register, summaries[summaries["claim_id"] == "C02"])
