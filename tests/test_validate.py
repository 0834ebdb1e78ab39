"""Bad data is caught before any notebook runs, with file, row, field and problem, all errors in one pass."""
import csv
import io

import pytest

from factcheck import validate


def rewrite(path, change):
    """Apply `change(rows)` to a CSV's rows (header first) and write it back."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    change(rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


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


CASES = [
    # (file, mutation, expected fragment of the message)
    (*set_cell("attacks", "total", "abc"), "data/attacks.csv row 2, field 'total': 'abc' is not a valid integer"),
    (*set_cell("events", "date", "2024-02-30"), "data/events.csv row 2, field 'date': '2024-02-30' is not a valid date"),
    (*set_cell("troop_levels", "date", "13/01/2007"), "data/troop_levels.csv row 2, field 'date'"),
    (*set_cell("claims", "conclusion", ""), "data/claims.csv row 2, field 'conclusion': is empty, but a value is required"),
    (*set_cell("claims", "verdict", "mostly_true"), "field 'verdict': 'mostly_true' is not an allowed value"),
    (*set_cell("sources", "reliability", "blog"), "field 'reliability': 'blog' is not an allowed value"),
    (*set_cell("events", "event_id", "E002", row=1), "data/events.csv row 3, field 'event_id': duplicate id"),
    (*set_cell("events", "source_id", "zz999"), "data/events.csv row 2, field 'source_id': 'zz999' does not match any source_id"),
    (*set_cell("claim_sources", "claim_id", "C999"), "data/claim_sources.csv row 2, field 'claim_id': 'C999' does not match"),
    (*set_cell("claims", "quote", "words the article never used"), "data/claims.csv row 2, field 'quote'"),
    (*set_cell("claims", "start", "3"), "data/claims.csv row 2, field 'quote': article text at offsets 3-"),
    (*set_cell("troop_levels", "troops", "-5"), "data/troop_levels.csv row 2, field 'troops': '-5' breaks a constraint"),
    (*set_cell("attacks", "iraq", "-1"), "data/attacks.csv row 2, field 'iraq': '-1' breaks a constraint"),
    ("attacks", fall_without_flag, "field 'total': cumulative count 1 is lower than"),
    ("events", lambda rows: rows[1].append("surplus"), "data/events.csv row 2: extra cell 'surplus'"),
    ("events", lambda rows: rows.__setitem__(1, rows[1][:3]), "missing cell: the row has fewer cells than the header"),
    ("sources", lambda rows: rows.append(["x1", "https://example.org", "X", "T", "", "2026-11-24", "wire", "e"]),
     "field 'source_id': source 'x1' is cited by no data row"),
]


@pytest.fixture
def data_dir(project):
    return project / "data"


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


def test_a_flagged_fall_is_kept(data_dir):
    def fall_with_flag(rows):
        fall_without_flag(rows)
        flag = rows[0].index("flag")
        for row in rows[1:]:
            if row[rows[0].index("total")] == "1":
                row[flag] = "reported_fall"
    rewrite(data_dir / "attacks.csv", fall_with_flag)
    assert validate.validate(data_dir / "datapackage.json") == []


def test_command_line_fails_and_names_the_problem(data_dir, capsys):
    rewrite(data_dir / "attacks.csv", set_cell("attacks", "total", "abc")[1])
    assert validate.main(["--package", str(data_dir / "datapackage.json")]) == 1
    assert "data/attacks.csv row 2, field 'total'" in capsys.readouterr().err
