"""The build's kernels share typed tables through data.load_table's cache: what it returns must be what a fresh read
returns, for the bytes on disk now."""
import datetime
import json
import shutil

import pandas as pd
import pytest

from factcheck import config, data
from factcheck.tables import DataPackage, InputError


@pytest.fixture
def package(tmp_path, monkeypatch):
    shutil.copytree(config.DATA, tmp_path / "data")
    monkeypatch.setenv(config.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "data" / "datapackage.json"


def test_a_cached_table_is_the_typed_table_and_is_not_read_again(package, monkeypatch):
    fresh = data.load_table("events", package)
    assert [p.name.split("-")[0] for p in (package.parent.parent / "cache" / "tables").iterdir()] == ["events"]
    with monkeypatch.context() as m:
        m.setattr(data.DataPackage, "table", lambda *_: pytest.fail("the cached table was read and typed again"))
        cached = data.load_table("events", package)
    pd.testing.assert_frame_equal(cached, fresh)
    assert cached["date"].dtype == fresh["date"].dtype and str(cached["date"].dtype).startswith("datetime64")


def test_an_edited_file_is_read_afresh_and_its_problems_are_still_named(package):
    csv = package.parent / "events.csv"
    first_title = data.load_table("events", package)["title"].iloc[0]
    csv.write_text(csv.read_text(encoding="utf-8").replace(first_title, "Edited title", 1), encoding="utf-8")
    assert data.load_table("events", package)["title"].iloc[0] == "Edited title"
    csv.write_text(csv.read_text(encoding="utf-8").replace("E001,2023-10-18", "E001,2023-13-18"), encoding="utf-8")
    with pytest.raises(InputError, match=r"data/events\.csv row 2, field 'date'"):
        data.load_table("events", package)


def test_without_the_variable_nothing_is_cached(package, monkeypatch):
    monkeypatch.delenv(config.CACHE_ENV)
    data.load_table("events", package)
    assert not (package.parent.parent / "cache").exists()


def test_a_changed_schema_entry_is_typed_afresh(package):
    assert str(data.load_table("events", package)["date"].dtype).startswith("datetime64")
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    events = next(r for r in descriptor["resources"] if r["name"] == "events")
    next(f for f in events["schema"]["fields"] if f["name"] == "date")["type"] = "string"
    package.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    assert data.load_table("events", package)["date"].iloc[0] == "2023-10-18"


def test_typed_rows_are_reused_for_the_same_schema_and_cells_and_only_for_them(package, monkeypatch):
    first = DataPackage(package).table("events").typed()
    with monkeypatch.context() as m:
        m.setattr("frictionless.Resource", lambda *_, **__: pytest.fail("the same cells were typed again"))
        assert DataPackage(package).table("events").typed() == first
    csv = package.parent / "events.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("E001,2023-10-18", "E001,2023-10-19"), encoding="utf-8")
    edited = DataPackage(package).table("events").typed()
    assert edited[0][1]["date"] == first[0][1]["date"] + datetime.timedelta(days=1)
    descriptor = json.loads(package.read_text())
    next(f for r in descriptor["resources"] if r["name"] == "events" for f in r["schema"]["fields"] if f["name"] == "date")["type"] = "string"
    package.write_text(json.dumps(descriptor))
    assert DataPackage(package).table("events").typed()[0][1]["date"] == "2023-10-19"


def test_schema_checks_are_reused_for_the_same_descriptor_and_only_for_it(package, monkeypatch):
    descriptor = json.loads(package.read_text())
    descriptor["resources"][0]["schema"]["fields"][0]["type"] = "strin"
    package.write_text(json.dumps(descriptor))
    first = DataPackage(package).schema_problems()
    assert first and "strin" in str(first[0])
    with monkeypatch.context() as m:
        m.setattr("frictionless.Field.from_descriptor", lambda *_: pytest.fail("the same descriptor was checked again"))
        assert DataPackage(package).schema_problems() == first
    descriptor["resources"][0]["schema"]["fields"][0]["type"] = "string"
    package.write_text(json.dumps(descriptor))
    assert DataPackage(package).schema_problems() == []
