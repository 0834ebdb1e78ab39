"""Random edits of the real data files: validation either accepts them, and then the one reader gives the
notebooks exactly what was written, or refuses them with a message naming the file and a row, line or column.

Every example works on a fresh copy of data/ in a temporary folder. The examples are few (the unit suite stays
fast) but drawn anew on every run. Nothing is kept between runs (`database=None`: no test writes into the
checkout), so a failure is not replayed by itself: pin the example it prints with `@example` to keep it.
"""
import csv
import datetime as dt
import io
import os
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings, strategies as st

from factcheck import config, data, validate
from factcheck.tables import FORBIDDEN, DataPackage, InputError

PACKAGE = DataPackage()
NAMES = PACKAGE.names
ORIGINAL = {name: data.load_table(name) for name in NAMES}
SETTINGS = settings(max_examples=int(os.environ.get("INPUT_EXAMPLES", 5)), deadline=None, suppress_health_check=list(HealthCheck), database=None,
                    phases=[Phase.explicit, Phase.generate])  # no shrinking: each example copies data/
WHERE = re.compile(r"\brow \d+|\bline \d+|\bcolumn\b|\bposition \d+")

# Cell values: plausible ones (so that some edits validate) and hostile ones.
CELLS = st.one_of(
    st.sampled_from(["", "0", "7", "-1", "2024-01-10", "2024-02-30", "x", "C01", "a001", "https://example.org/a",
                     "javascript:alert(1)", 'say "hi"', "a,b", "line\nbreak", "tab\there", "\ufeffbom", "caf\u00e9"]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
)


def copy_data():
    folder = Path(tempfile.mkdtemp(prefix="input-props-"))
    shutil.copytree(config.DATA, folder / "data")
    return folder


def read_csv(path):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def write_csv(path, rows):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def refused_clearly(errors, display):
    """Validation refused the edit in one-line messages naming a data file and a place in it: the edited file,
    or one whose rows refer to it (a changed key breaks the foreign keys pointing at it)."""
    assert errors, f"{display}: the edit was refused by nothing"
    assert all(e.path.startswith("data/") and "\n" not in str(e) for e in errors), [str(e) for e in errors]
    assert any(e.row or WHERE.search(e.problem) for e in errors), [str(e) for e in errors]


def load_or_refuse(name, package_path):
    """load_table either reads the table or refuses it with InputError: never another exception."""
    try:
        return data.load_table(name, package_path)
    except InputError as err:
        assert str(err).startswith("data/"), str(err)
        return None


def cast(value, kind):
    if kind == "date":
        return pd.Timestamp(dt.date.fromisoformat(value)) if value else pd.NaT
    if kind == "integer":
        return int(value) if value else pd.NA
    return value.replace("\r\n", "\n")  # CRLF is read as LF, in cells too


@SETTINGS
@given(name=st.sampled_from(NAMES), row=st.integers(0, 10_000), column=st.integers(0, 100), value=CELLS)
def test_a_changed_cell_is_read_as_written_or_refused(name, row, column, value):
    folder = copy_data()
    try:
        path = folder / "data" / PACKAGE.resources[name]["path"]
        rows = read_csv(path)
        row, column = 1 + row % (len(rows) - 1), column % len(rows[0])
        rows[row][column] = value
        write_csv(path, rows)
        package_path = folder / "data" / "datapackage.json"
        errors = validate.validate(package_path)
        if errors:
            refused_clearly(errors, f"data/{path.name}")
            load_or_refuse(name, package_path)
            return
        loaded = data.load_table(name, package_path)
        spec = PACKAGE.resources[name]["schema"]["fields"][column]
        expected = ORIGINAL[name].copy()
        expected[spec["name"]] = expected[spec["name"]].astype(object)
        expected.iat[row - 1, column] = cast(value, spec["type"])
        got = loaded.copy()
        got[spec["name"]] = got[spec["name"]].astype(object)
        pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    finally:
        shutil.rmtree(folder)


@SETTINGS
@given(name=st.sampled_from(NAMES), position=st.integers(0, 100), drop=st.booleans(),
       label=st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
       .filter(lambda text: not FORBIDDEN.search(text)))  # refused characters get their own message (see below)
def test_a_dropped_or_added_column_is_one_header_message_naming_it(name, position, drop, label):
    folder = copy_data()
    try:
        path = folder / "data" / PACKAGE.resources[name]["path"]
        rows = read_csv(path)
        position %= len(rows[0]) + (0 if drop else 1)
        removed = rows[0][position] if drop else None
        for number, cells in enumerate(rows):
            cells.pop(position) if drop else cells.insert(position, label if number == 0 else "")
        write_csv(path, rows)
        errors = validate.validate(folder / "data" / "datapackage.json")
        mine = [e for e in errors if e.path == f"data/{path.name}"]
        assert len(mine) == 1 and mine[0].row == 1, [str(e) for e in mine]
        if drop:
            assert f"{removed!r}" in mine[0].problem and f"position {position + 1}" in mine[0].problem, str(mine[0])
        else:
            # a new name is "unknown column ... at position N"; a repeated one lists "positions M, N"
            assert re.search(rf"\b(positions?|column) (\d+, )*{position + 1}\b", mine[0].problem), str(mine[0])
        with pytest.raises(InputError):
            data.load_table(name, folder / "data" / "datapackage.json")
    finally:
        shutil.rmtree(folder)


@SETTINGS
@given(name=st.sampled_from(NAMES + ["article.txt"]), offset=st.integers(0, 10**6), byte=st.integers(0, 255))
def test_an_inserted_byte_is_read_the_same_everywhere_or_refused(name, offset, byte):
    folder = copy_data()
    try:
        file = name if name.endswith(".txt") else PACKAGE.resources[name]["path"]
        path = folder / "data" / file
        raw = path.read_bytes()
        offset %= len(raw) + 1
        path.write_bytes(raw[:offset] + bytes([byte]) + raw[offset:])
        package_path = folder / "data" / "datapackage.json"
        errors = validate.validate(package_path)
        if errors:
            refused_clearly(errors, f"data/{file}")
            return
        if name in NAMES:
            # What the project's checks saw (strings) is what the notebooks get (typed).
            seen = DataPackage(package_path).table(name).records()
            loaded = data.load_table(name, package_path)
            assert len(seen) == len(loaded)
            for (_, row), (_, frame_row) in zip(seen, loaded.iterrows()):
                for spec in PACKAGE.resources[name]["schema"]["fields"]:
                    got = frame_row[spec["name"]]
                    want = cast(row[spec["name"]], spec["type"])
                    assert (pd.isna(got) and pd.isna(want)) or got == want, (spec["name"], got, want)
    finally:
        shutil.rmtree(folder)


@SETTINGS
@given(name=st.sampled_from(NAMES), encoding=st.sampled_from(["utf-8-sig", "utf-16", "latin-1", "cp1252", "crlf"]),
       duplicate=st.integers(0, 10_000))
def test_a_changed_encoding_or_a_duplicated_row_is_read_identically_or_refused(name, encoding, duplicate):
    folder = copy_data()
    try:
        path = folder / "data" / PACKAGE.resources[name]["path"]
        package_path = folder / "data" / "datapackage.json"
        text = path.read_text(encoding="utf-8")
        if encoding == "crlf":
            path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
        else:
            try:
                path.write_bytes(text.encode(encoding))
            except UnicodeEncodeError:
                return
        errors = validate.validate(package_path)
        if errors:
            refused_clearly(errors, f"data/{path.name}")
        else:
            pd.testing.assert_frame_equal(data.load_table(name, package_path), ORIGINAL[name])
        # And a duplicated row (in the original encoding): refused by a key, or read twice.
        rows = read_csv(config.DATA / path.name)
        duplicate = 1 + duplicate % (len(rows) - 1)
        write_csv(path, rows[:duplicate + 1] + rows[duplicate:])
        errors = validate.validate(package_path)
        if errors:
            refused_clearly(errors, f"data/{path.name}")
        else:
            loaded = data.load_table(name, package_path)
            assert len(loaded) == len(ORIGINAL[name]) + 1
            pd.testing.assert_frame_equal(loaded.drop(index=duplicate).reset_index(drop=True), ORIGINAL[name])
    finally:
        shutil.rmtree(folder)
