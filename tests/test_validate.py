"""Bad data is caught before any notebook runs, with file, row, field and problem, all errors in one pass."""
import json
import shutil
from pathlib import Path

import pytest

from factcheck import config, validate
from tests.helpers import rewrite_csv as rewrite


def set_cell(name, field, value, row=1):
    def change(rows):
        rows[row][rows[0].index(field)] = value
    return name, change


def fall_without_flag(rows):
    """Make a Pentagon count lower than the one stated before it, unflagged."""
    header = rows[0]
    series, total, date = header.index("series_id"), header.index("total"), header.index("date")
    pentagon = sorted((r for r in rows[1:] if r[series] == "pentagon_cumulative"), key=lambda r: r[date])
    pentagon[-1][total] = "1"
    for part in ("iraq", "syria", "other"):  # no split to check against the new total
        pentagon[-1][header.index(part)] = ""


CASES = [
    # (file, mutation, expected fragment of the message)
    (*set_cell("attacks", "total", "abc"), "data/attacks.csv row 2, field 'total': 'abc' is not a valid integer"),
    (*set_cell("events", "date", "2024-02-30"), "data/events.csv row 2, field 'date': '2024-02-30' is not a valid date"),
    (*set_cell("troop_levels", "date", "13/01/2007"), "data/troop_levels.csv row 2, field 'date'"),
    (*set_cell("claims", "conclusion", ""), "data/claims.csv row 2, field 'conclusion': claim 'C01' has no conclusion: fill it in"),
    (*set_cell("claims", "verdict", "mostly_true"), "field 'verdict': 'mostly_true' is not an allowed value"),
    (*set_cell("sources", "reliability", "blog"), "field 'reliability': 'blog' is not an allowed value"),
    (*set_cell("events", "event_id", "E002", row=1), "data/events.csv row 3, field 'event_id': duplicate id"),
    (*set_cell("events", "source_id", "zz999"), "data/events.csv row 2, field 'source_id': 'zz999' does not match any source_id"),
    (*set_cell("claim_sources", "claim_id", "C999"), "data/claim_sources.csv row 2, field 'claim_id': 'C999' does not match"),
    (*set_cell("claims", "quote", "words the article never used"), "data/claims.csv row 2, field 'quote'"),
    (*set_cell("claims", "start", "3"), "data/claims.csv row 2, field 'quote': article text at offsets 3-"),
    (*set_cell("troop_levels", "troops", "-5"), "data/troop_levels.csv row 2, field 'troops': '-5' breaks a constraint"),
    (*set_cell("attacks", "iraq", "-1"), "data/attacks.csv row 2, field 'iraq': '-1' breaks a constraint"),
    # a fall is marked by the report from the series itself: a stored mark would go stale when a row is dropped
    (*set_cell("attacks", "flag", "reported_fall"), "data/attacks.csv row 2, field 'flag': 'reported_fall'"),
    ("events", lambda rows: rows[1].append("surplus"), "data/events.csv row 2: extra cell 'surplus'"),
    ("events", lambda rows: rows.__setitem__(1, rows[1][:3]), "missing cell: the row has fewer cells than the header"),
    ("sources", lambda rows: rows.append(["x1", "https://example.org", "X", "T", "", "2026-11-24", "wire", "e"]),
     "field 'source_id': source 'x1' is cited by no data row"),
    # the message points to where the quote really is, also at the article's very start (the headline, C59)
    (*set_cell("claims", "start", "0", row=1), "the quote is at start=173, end=249"),
    ("claims", lambda rows: _set_claim(rows, "C59", "start", "1"), "the quote is at start=0, end=50"),
    ("claim_sources", lambda rows: rows.__setitem__(slice(1, None), [r for r in rows[1:] if r[0] != "C01"]),
     "data/claims.csv row 2, field 'claim_id': claim 'C01' cites no source"),
]


def _set_claim(rows, claim_id, field, value):
    next(r for r in rows[1:] if r[0] == claim_id)[rows[0].index(field)] = value


@pytest.fixture
def data_dir(tmp_path):
    """A copy of data/ to break; the project's own data/ is never touched."""
    return Path(shutil.copytree(config.DATA, tmp_path / "data"))


def test_the_curated_data_is_valid():
    assert validate.validate() == []


@pytest.mark.parametrize("name,change,expected", CASES, ids=[c[2][:60] for c in CASES])
def test_bad_input_is_reported_with_file_row_and_field(data_dir, name, change, expected):
    rewrite(data_dir / f"{name}.csv", change)
    messages = [str(e) for e in validate.validate(data_dir / "datapackage.json")]
    assert any(expected in m for m in messages), messages


@pytest.mark.parametrize("content,expected", [
    (b"", "data/events.csv: file is empty"),
    (b"   \n", "data/events.csv: file is empty"),
    ("event_id,date\nE001,2024-01-01,caf\xe9\n".encode("latin-1"), "data/events.csv row 2: byte 0xe9"),
    (b"event_id,date\nE001,2024\r-01-01\nE002,2024-01-02\nE003,20\r24-01-03\n",
     "data/events.csv: line 2: control character U+000D (a carriage return without a line feed) at position 10"),
])
def test_unreadable_files_are_reported(data_dir, content, expected):
    (data_dir / "events.csv").write_bytes(content)
    messages = [str(e) for e in validate.validate(data_dir / "datapackage.json")]
    assert any(expected in m for m in messages), messages


def test_every_error_is_collected_in_one_run(data_dir):
    rewrite(data_dir / "attacks.csv", set_cell("attacks", "total", "abc")[1])
    rewrite(data_dir / "events.csv", set_cell("events", "date", "2024-02-30")[1])
    (data_dir / "troop_milestones.csv").write_bytes(b"")
    files = {e.path for e in validate.validate(data_dir / "datapackage.json")}
    assert {"data/attacks.csv", "data/events.csv", "data/troop_milestones.csv"} <= files


def test_a_fall_is_kept_without_a_flag(data_dir):
    rewrite(data_dir / "attacks.csv", fall_without_flag)
    assert validate.validate(data_dir / "datapackage.json") == []


def test_command_line_fails_and_names_the_problem(data_dir, capsys):
    rewrite(data_dir / "attacks.csv", set_cell("attacks", "total", "abc")[1])
    assert validate.main(["--package", str(data_dir / "datapackage.json")]) == 1
    assert "data/attacks.csv row 2, field 'total'" in capsys.readouterr().err


def test_the_command_line_checks_data_by_default_and_lists_every_problem_one_a_line(monkeypatch, capsys):
    checked = []
    monkeypatch.setattr(validate, "validate", lambda package: checked.append(package) or [])
    assert validate.main([]) == 0
    assert checked == [str(config.DATAPACKAGE)]
    assert capsys.readouterr().out == f"data/ is valid ({len(json.loads(config.DATAPACKAGE.read_text())['resources'])} tables)\n"
    monkeypatch.setattr(validate, "validate", lambda package: [validate.DataError("data/a.csv", 2, "x", "first"),
                                                               validate.DataError("data/a.csv", 3, "x", "second")])
    assert validate.main([]) == 1
    assert capsys.readouterr().err == ("2 problem(s) in data/:\ndata/a.csv row 2, field 'x': first\n"
                                       "data/a.csv row 3, field 'x': second\n"
                                       "The build stopped before running any notebook; report/ is unchanged.\n")
    with pytest.raises(SystemExit):
        validate.main(["--help"])
    assert "Validate data/ before any notebook runs" in capsys.readouterr().out


# --- hostile and malformed input ------------------------------------------------------------------

def messages(data_dir):
    return [str(e) for e in validate.validate(data_dir / "datapackage.json")]


def insert_character(name, field, char, row=1, at=11):
    def change(rows):
        column = rows[0].index(field)
        rows[row][column] = rows[row][column][:at] + char + rows[row][column][at:]
    return name, change


HOSTILE_CASES = [
    (*set_cell("sources", "url", "javascript:window.__pwned=1"),
     "data/sources.csv row 2, field 'url': 'javascript:window.__pwned=1' is not an http or https URL"),
    (*set_cell("article", "url", "data:text/html,<script>alert(1)</script>"),
     "data/article.csv row 2, field 'url': 'data:text/html,<script>alert(1)</script>' is not an http or https URL"),
    (*set_cell("article", "url", "https://example.org/<!--<script>"),
     "data/article.csv row 2, field 'url': 'https://example.org/<!--<script>' is not an http or https URL"),
    (*set_cell("sources", "url", "https://dw.com@evil.example/"), "field 'url': 'https://dw.com@evil.example/' is not an http"),
    (*insert_character("expulsion_calls", "description", "\x00", row=4),
     "data/expulsion_calls.csv row 5, field 'description': control character U+0000 at position 12: remove it"),
    (*insert_character("claims", "conclusion", "\x1b"), "data/claims.csv row 2, field 'conclusion': control character U+001B"),
    (*insert_character("sources", "title", "\r"), "data/sources.csv: line 2: control character U+000D (a carriage return"),
    (*insert_character("events", "title", "\u202e"),
     "data/events.csv row 2, field 'title': bidirectional override character U+202E at position 12: remove it"),
    (*insert_character("events", "title", "\u2066"), "field 'title': bidirectional override character U+2066"),
    (*insert_character("troop_levels", "date", "\x00", at=4), "data/troop_levels.csv row 2, field 'date': control character"),
]


@pytest.mark.parametrize("name,change,expected", HOSTILE_CASES, ids=[c[2][:70] for c in HOSTILE_CASES])
def test_hostile_text_and_links_are_refused(data_dir, name, change, expected):
    rewrite(data_dir / f"{name}.csv", change)
    assert any(expected in m for m in messages(data_dir)), messages(data_dir)


def test_tabs_and_newlines_inside_cells_are_text(data_dir):
    rewrite(data_dir / "events.csv", set_cell("events", "description", "one\tcolumn\nand a second line")[1])
    assert messages(data_dir) == []


def test_a_control_character_in_the_article_names_line_and_position(data_dir):
    path = data_dir / "article.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("Iraq", "Ir\u202eaq", 1), encoding="utf-8")
    assert "data/article.txt: line 1: bidirectional override character U+202E at position 8: remove it" in messages(data_dir)


HEADER_CASES = [
    ("attacks", lambda rows: rows[0].__setitem__(0, "when"),
     "data/attacks.csv row 1: expected column 1 'date', found 'when'; the header row must read: date,series_id,"),
    ("attacks", lambda rows: [r.append("x") for r in rows], "data/attacks.csv row 1: unknown column 'x' at position 13;"),
    ("sources", lambda rows: [r.pop(rows[0].index("excerpt")) for r in rows[::-1]],
     "data/sources.csv row 1: missing column 'excerpt' (expected at position"),
    ("attacks", lambda rows: [r.insert(0, r.pop(2)) for r in rows],
     "data/attacks.csv row 1: columns out of order: expected column 1 'date', found 'total'"),
    ("events", lambda rows: [r.append(r[1]) for r in rows], "column 'date' appears 2 times (positions 2, 9)"),
    ("events", lambda rows: [r.append("") for r in rows], "unknown unnamed column at position 9"),
]


@pytest.mark.parametrize("name,change,expected", HEADER_CASES, ids=[c[2][:70] for c in HEADER_CASES])
def test_a_wrong_header_is_one_message_naming_column_and_position(data_dir, name, change, expected):
    rewrite(data_dir / f"{name}.csv", change)
    rewrite(data_dir / "troop_levels.csv", set_cell("troop_levels", "troops", "many")[1])
    found = messages(data_dir)
    mine = [m for m in found if m.startswith(f"data/{name}.csv")]
    assert len(mine) == 1 and expected in mine[0], found
    # The other files are still validated.
    assert any(m.startswith("data/troop_levels.csv row 2, field 'troops'") for m in found), found


def test_a_bom_and_crlf_are_read_as_plain_utf8_by_every_reader(data_dir):
    from factcheck import data, params

    clean = {name: data.load_table(name, data_dir / "datapackage.json") for name in ("attacks", "claim_sources", "article")}
    for name in ("attacks", "claim_sources", "article"):
        path = data_dir / f"{name}.csv"
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert messages(data_dir) == []
    for name, frame in clean.items():
        assert data.load_table(name, data_dir / "datapackage.json").equals(frame)
    assert params.data_date_range(data_dir / "datapackage.json") == params.data_date_range()


def test_a_bom_does_not_hide_a_misplaced_quote_from_the_project_checks(data_dir):
    rewrite(data_dir / "claims.csv", set_cell("claims", "start", "0", row=1)[1])
    path = data_dir / "claims.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert any("the quote is at start=173, end=249" in m for m in messages(data_dir)), messages(data_dir)


def test_every_reader_follows_the_resource_path(data_dir):
    import json

    from factcheck import data, params

    descriptor = json.loads((data_dir / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        (data_dir / resource["path"]).rename(data_dir / f"renamed_{resource['path']}")
        resource["path"] = f"renamed_{resource['path']}"
    (data_dir / "datapackage.json").write_text(json.dumps(descriptor))
    assert messages(data_dir) == []
    assert len(data.load_table("attacks", data_dir / "datapackage.json")) == len(data.load_table("attacks"))
    assert params.data_date_range(data_dir / "datapackage.json") == params.data_date_range()
    rewrite(data_dir / "renamed_attacks.csv", set_cell("attacks", "total", "abc")[1])
    assert "data/renamed_attacks.csv row 2, field 'total': 'abc' is not a valid integer" in messages(data_dir)
    rewrite(data_dir / "renamed_claims.csv", set_cell("claims", "start", "0")[1])
    assert any(m.startswith("data/renamed_claims.csv") and "the quote is at start=173" in m for m in messages(data_dir))


@pytest.mark.parametrize("path", ["../attacks.csv", "/etc/passwd", "https://example.org/x.csv", "sub/attacks.csv"])
def test_a_resource_path_outside_data_is_refused(data_dir, path):
    import json

    descriptor = json.loads((data_dir / "datapackage.json").read_text())
    descriptor["resources"][0]["path"] = path
    (data_dir / "datapackage.json").write_text(json.dumps(descriptor))
    assert messages(data_dir) == [f"data/datapackage.json at $.resources[0].path: {path!r}: "
                                  f"use the name of a file inside data/, e.g. 'events.csv'"]


def test_a_truncated_package_descriptor_is_one_line_with_line_and_column(data_dir, capsys):
    path = data_dir / "datapackage.json"
    path.write_text(path.read_text()[:3000])
    try:
        json.loads(path.read_text())
    except json.JSONDecodeError as err:
        where, why = f"line {err.lineno}, column {err.colno}", err.msg
    assert messages(data_dir) == [f"data/datapackage.json {where}: not valid JSON ({why}): fix the syntax there"]
    assert validate.main(["--package", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and f"data/datapackage.json {where}" in err and "report/ is unchanged" in err


def test_a_missing_cell_is_not_also_reported_as_an_empty_required_value(data_dir):
    rewrite(data_dir / "events.csv", lambda rows: rows.__setitem__(1, rows[1][:3]))
    mine = [m for m in messages(data_dir) if m.startswith("data/events.csv row 2")]
    assert mine and all("missing cell" in m for m in mine), mine


def test_blank_rows_and_broken_quotes_are_named(data_dir):
    path = data_dir / "events.csv"
    original = path.read_bytes()
    path.write_bytes(original.replace(b"\n", b"\n\n", 2))
    assert messages(data_dir) == ["data/events.csv row 2: the row is blank: remove the empty line",
                                  "data/events.csv row 4: the row is blank: remove the empty line"]
    path.write_bytes(original.replace(b"\nE001,", b'\nE001,"x"y', 1))
    assert messages(data_dir) == ["data/events.csv: line 2: not readable as CSV (',' expected after '\"'): "
                                  "check the quotes on that line"]


def test_a_second_article_row_is_named_by_its_row(data_dir):
    rewrite(data_dir / "article.csv", lambda rows: rows.append(list(rows[1])))
    assert "data/article.csv row 3: extra row: the file must hold exactly one row (found 2); remove it" in messages(data_dir)


def test_load_table_refuses_what_validation_refuses(data_dir):
    from factcheck import data
    from factcheck.tables import InputError

    rewrite(data_dir / "events.csv", insert_character("events", "title", "\x00")[1])
    with pytest.raises(InputError, match=r"data/events.csv row 2, field 'title': control character U\+0000"):
        data.load_table("events", data_dir / "datapackage.json")
    rewrite(data_dir / "attacks.csv", set_cell("attacks", "total", "abc")[1])
    with pytest.raises(InputError, match=r"data/attacks.csv row 2, field 'total': 'abc' is not a valid integer"):
        data.load_table("attacks", data_dir / "datapackage.json")


def test_load_table_gives_the_notebooks_exactly_what_validation_saw():
    import pandas as pd

    from factcheck import data
    from factcheck.tables import DataPackage

    package = DataPackage()
    for name in package.names:
        seen, loaded = package.table(name).records(), data.load_table(name)
        assert len(seen) == len(loaded) and list(loaded.columns) == package.table(name).header
        for (_, row), (_, frame_row) in zip(seen, loaded.iterrows()):
            for spec in package.resources[name]["schema"]["fields"]:
                got, text = frame_row[spec["name"]], row[spec["name"]]
                if spec["type"] == "date":
                    assert (pd.isna(got) and not text) or got.date().isoformat() == text, (name, spec["name"])
                elif spec["type"] == "integer":
                    assert (pd.isna(got) and not text) or str(got) == text, (name, spec["name"])
                else:
                    assert got == text, (name, spec["name"])


def test_an_input_error_from_a_plain_message_is_that_message():
    from factcheck.tables import DataError, InputError

    assert str(InputError("data/x.csv is missing: restore it")) == "data/x.csv is missing: restore it"
    assert str(InputError(DataError("data/x.csv", 3, "date", "bad date"))) == "data/x.csv row 3, field 'date': bad date"
