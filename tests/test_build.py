"""The build end to end, in copies of the project: one clear line on failure, the previous report kept,
incremental, and views apart from report/ (test_build_fresh.py holds the fresh builds: reproducible byte for byte,
interrupted, offline, hostile text never run, and the view at publication)."""
import json
import re
import shutil

import nbformat
import pytest

from factcheck import config
from tests.helpers import copy_built, copy_project, digests, fake_previous_report, rewrite_csv, run_make


def executed_in(output):
    return sorted(re.findall(r"^  (\S+) done in [\d.]+ s, \d+/\d+$", output, flags=re.M))


def assert_one_clear_line(result):
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr


# --- failures are loud, short and lose nothing ------------------------------------------------------

def test_bad_data_row_stops_the_build_and_keeps_the_report(project):
    before = fake_previous_report(project)
    rewrite_csv(project / "data" / "attacks.csv", lambda rows: rows[1].__setitem__(rows[0].index("total"), "abc"))
    result = run_make(project, "report")
    assert_one_clear_line(result)
    assert "data/attacks.csv row 2, field 'total': 'abc' is not a valid integer" in result.stderr
    assert not (project / "build" / "report" / "executed").exists()
    assert digests(project / "report") == before


@pytest.mark.parametrize("args,expected", [
    (["AS_OF=2024-13-01"], "is not a date: use the ISO form YYYY-MM-DD"),
    (["AS_OF=2030-01-01"], "outside the range the data covers: use a date from 2024-01-10"),
    (["FORMATS=html docx"], "choose from html, pdf"),
    (["PARAMS=colour=red"], "valid parameters: as_of, attack_rate_days"),
])
def test_bad_parameter_stops_before_anything_executes(project, args, expected):
    before = fake_previous_report(project)
    result = run_make(project, "report", *args)
    assert_one_clear_line(result)
    assert expected in result.stderr
    assert not (project / "build").exists() or not list((project / "build").rglob("*.ipynb"))
    assert digests(project / "report") == before


def add_cell(project, stem, source, index=4):
    path = project / "notebooks" / f"{stem}.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = ["remove-input"]
    nb.cells.insert(index, cell)
    nbformat.write(nb, path)


def test_failing_notebook_names_notebook_and_cell_and_keeps_it(prebuilt):
    project = prebuilt
    before = fake_previous_report(project)
    add_cell(project, "40_expulsion_calls", 'raise RuntimeError("deliberate failure")')
    result = run_make(project, "report")
    assert_one_clear_line(result)
    assert "notebooks/40_expulsion_calls.ipynb failed in cell 4" in result.stderr
    assert "RuntimeError: deliberate failure" in result.stderr
    assert (project / "build" / "report" / "failed" / "40_expulsion_calls.ipynb").exists()
    assert digests(project / "report") == before


def test_a_kernel_that_dies_names_the_notebook_and_what_to_check(prebuilt):
    project = prebuilt
    before = fake_previous_report(project)
    add_cell(project, "30_attacks", "import os\nos._exit(1)")
    result = run_make(project, "report")
    assert_one_clear_line(result)
    assert "notebooks/30_attacks.ipynb" in result.stderr and "kernel" in result.stderr.lower()
    assert digests(project / "report") == before


def test_a_truncated_notebook_is_named(project):
    before = fake_previous_report(project)
    path = project / "notebooks" / "20_troop_levels.ipynb"
    path.write_text(path.read_text()[:200])
    result = run_make(project, "report")
    assert_one_clear_line(result)
    assert "notebooks/20_troop_levels.ipynb is not a readable notebook" in result.stderr
    assert digests(project / "report") == before


# --- incremental, views apart ----------------------------------------------------------------------

def test_a_cold_build_runs_every_notebook_and_writes_every_format(standard_build):
    project, output = standard_build
    assert executed_in(output) == sorted(config.NOTEBOOK_INPUTS)
    assert "wrote report/:" in output and "report/report.pdf" in output


def test_the_report_carries_no_time_or_id_of_the_run_that_built_it(standard_report):
    html = (standard_report / "report" / "report.html").read_text(encoding="utf-8")
    for volatile in ('"start_time"', '"end_time"', '"duration"', "kernel_id", '"iopub.'):
        assert volatile not in html, volatile


@pytest.fixture(scope="module")
def built(standard_report, tmp_path_factory):
    """A copy of the built standard project that the tests below edit, in order."""
    return copy_built(standard_report, tmp_path_factory.mktemp("built") / "project")


def test_a_second_build_does_nothing(built):
    result = run_make(built, "report")
    assert result.returncode == 0
    assert executed_in(result.stdout) == [] and "assemble" not in result.stdout


def test_a_moved_copy_of_a_built_project_runs_no_notebook_again(built, tmp_path):
    """Execution keys name files relative to the project: a project copied or moved elsewhere reuses its notebooks."""
    moved = tmp_path / "elsewhere" / "project"
    copy_built(built, moved)
    shutil.rmtree(moved / "report")  # else the build stops at "up to date" before any key is compared
    result = run_make(moved, "report")
    assert result.returncode == 0, result.stderr
    assert executed_in(result.stdout) == [] and "wrote report/:" in result.stdout


def test_make_s_is_quiet(built):
    (built / "notebooks" / "50_events_forecasts.ipynb").touch()
    result = run_make(built, "-s", "report")
    assert result.returncode == 0 and result.stdout == ""


def test_changing_one_notebook_reexecutes_only_that_one(built):
    add_cell(built, "40_expulsion_calls", "1 + 1")
    result = run_make(built, "report")
    assert result.returncode == 0, result.stderr
    assert executed_in(result.stdout) == ["40_expulsion_calls"]


def test_editing_prose_alone_runs_no_kernel_and_a_fresh_copy_elsewhere_builds_the_same_report_byte_for_byte(built, tmp_path):
    """The fresh copy executes every notebook, in another folder, against notebooks the standard build or the tests
    above executed: the report is a function of its inputs alone, byte for byte."""
    path = built / "notebooks" / "50_events_forecasts.ipynb"
    nb = nbformat.read(path, as_version=4)
    next(c for c in nb.cells if c.cell_type == "markdown" and "remove-cell" not in c.metadata.get("tags", [])).source \
        += "\n\nA sentence added by the prose test."
    nbformat.write(nb, path)
    result = run_make(built, "report")
    assert result.returncode == 0, result.stderr
    assert executed_in(result.stdout) == []
    assert "A sentence added by the prose test." in (built / "report" / "report.html").read_text(encoding="utf-8")
    fresh = copy_project(tmp_path / "elsewhere" / "fresh")
    shutil.copy(path, fresh / "notebooks" / path.name)
    for other in ("40_expulsion_calls.ipynb",):  # edited by the tests above
        shutil.copy(built / "notebooks" / other, fresh / "notebooks" / other)
    assert run_make(fresh, "report").returncode == 0
    assert digests(fresh / "report") == digests(built / "report")


def test_changing_one_data_file_reexecutes_only_the_notebooks_that_read_it(built):
    rewrite_csv(built / "data" / "troop_milestones.csv",
                lambda rows: rows[1].__setitem__(rows[0].index("description"), rows[1][rows[0].index("description")] + " (edited)"))
    result = run_make(built, "report")
    readers = sorted(nb for nb, inputs in config.NOTEBOOK_INPUTS.items() if "troop_milestones" in inputs)
    assert executed_in(result.stdout) == readers


def test_a_formats_view_reuses_the_executed_notebooks_leaves_report_byte_for_byte_and_holds_its_manifest(built):
    before = digests(built / "report")
    result = run_make(built, "report", "FORMATS=html")
    assert result.returncode == 0, result.stderr
    assert executed_in(result.stdout) == []  # the formats are assembly's: the notebooks report/ was built from serve
    view = built / "views" / "formats=html"
    assert digests(built / "report") == before
    manifest = json.loads((view / "manifest.json").read_text())
    assert sorted(p.name for p in view.iterdir()) == sorted([*manifest["outputs"], "manifest.json"])
    assert "report.pdf" not in manifest["outputs"] and manifest["parameters"]["formats"] == ["html"]
    listed = run_make(built, "views")
    assert "views/formats=html/  fresh" in listed.stdout
    assert run_make(built, "check-fresh").returncode == 0


# --- the researcher's commands, as the README gives them ---------------------------------------------

def test_one_notebook_command_runs_with_the_build_checks(built):
    result = run_make(built, "notebook", "NB=30_attacks", "PARAMS=as_of=2024-02-01")
    assert result.returncode == 0, result.stderr
    path = re.search(r"executed notebook: (\S+)", result.stdout).group(1)
    nb = nbformat.read(built / path, as_version=4)
    assert any("2024-02-01" in c.source for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    bad = run_make(built, "notebook", "NB=30_attacks", "PARAMS=as_of=2024-02-30")
    assert_one_clear_line(bad)
    assert "as_of" in bad.stderr
