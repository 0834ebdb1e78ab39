"""The build end to end, in copies of the project: one clear line on failure, the previous report kept,
incremental, reproducible byte for byte, offline, views apart from report/, and hostile text never run."""
import json
import os
import re
import shutil
import signal
import subprocess
import time

import nbformat
import pytest

from factcheck import config
from tests.helpers import (copy_project, digests, fake_previous_report, offline_supported, open_offline, rewrite_csv,
                           run_make, unshown_charts)

HOSTILE = '<script>alert("xss")</script><img src=x onerror=alert("img")>"};alert(1);//'


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


# --- incremental, reproducible, views apart --------------------------------------------------------

def test_a_cold_build_runs_every_notebook_and_writes_every_format(standard_build):
    project, output = standard_build
    assert executed_in(output) == sorted(config.NOTEBOOK_INPUTS)
    assert "wrote report/:" in output and "report/report.pdf" in output


@pytest.fixture(scope="module")
def built(standard_report, tmp_path_factory):
    """A copy of the built standard project that the tests below edit, in order."""
    project = tmp_path_factory.mktemp("built") / "project"
    shutil.copytree(standard_report, project, symlinks=True)
    return project


def test_a_second_build_does_nothing(built):
    result = run_make(built, "report")
    assert result.returncode == 0
    assert executed_in(result.stdout) == [] and "assemble" not in result.stdout


def test_a_moved_copy_of_a_built_project_runs_no_notebook_again(built, tmp_path):
    """Execution keys name files relative to the project: a project copied or moved elsewhere reuses its notebooks."""
    moved = tmp_path / "elsewhere" / "project"
    shutil.copytree(built, moved, symlinks=True)
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


def test_editing_prose_alone_runs_no_kernel_and_gives_the_same_report_as_a_fresh_build(built, tmp_path):
    path = built / "notebooks" / "50_events_forecasts.ipynb"
    nb = nbformat.read(path, as_version=4)
    next(c for c in nb.cells if c.cell_type == "markdown" and "remove-cell" not in c.metadata.get("tags", [])).source \
        += "\n\nA sentence added by the prose test."
    nbformat.write(nb, path)
    result = run_make(built, "report")
    assert result.returncode == 0, result.stderr
    assert executed_in(result.stdout) == []
    assert "A sentence added by the prose test." in (built / "report" / "report.html").read_text(encoding="utf-8")
    fresh = copy_project(tmp_path / "fresh")
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


def test_a_view_leaves_report_byte_for_byte_and_holds_exactly_its_manifest(built):
    before = digests(built / "report")
    result = run_make(built, "report", "AS_OF=2024-02-01", "FORMATS=html")
    assert result.returncode == 0, result.stderr
    view = built / "views" / "as_of=2024-02-01,formats=html"
    assert digests(built / "report") == before
    manifest = json.loads((view / "manifest.json").read_text())
    assert sorted(p.name for p in view.iterdir()) == sorted([*manifest["outputs"], "manifest.json"])
    assert "report.pdf" not in manifest["outputs"] and manifest["parameters"]["as_of"] == "2024-02-01"
    listed = run_make(built, "views")
    assert "views/as_of=2024-02-01,formats=html/  fresh" in listed.stdout
    assert run_make(built, "check-fresh").returncode == 0


def test_two_copies_build_the_same_report_byte_for_byte(standard_report, tmp_path):
    other = copy_project(tmp_path / "other")  # a second fresh copy, elsewhere, against the untouched standard one
    result = run_make(other, "report")
    assert result.returncode == 0, result.stderr
    assert digests(other / "report") == digests(standard_report / "report")
    html = (other / "report" / "report.html").read_text()
    for volatile in ('"start_time"', '"end_time"', '"duration"', "kernel_id", '"iopub.'):
        assert volatile not in html, volatile


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["ctrl-c", "terminated", "killed"])
def test_an_interrupted_build_keeps_the_previous_report_and_the_next_build_recovers(prebuilt, sig):
    project = prebuilt  # its notebooks are executed already: the build goes straight to assembly
    before = fake_previous_report(project)
    command = [str(config.ROOT / ".venv" / "bin" / "python"), "-m", "factcheck", "build"]
    env = {**os.environ, "PYTHONPATH": str(project)}
    # its own session and default signal dispositions, so this works under a background runner that ignores SIGINT
    process = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True, restore_signals=True)
    deadline = time.time() + 120
    staging = lambda: list(project.glob(".report.staging-*"))
    while not staging() and time.time() < deadline and process.poll() is None:
        time.sleep(0.02)
    assert staging(), "the build never reached assembly"
    os.killpg(process.pid, sig)
    process.wait(timeout=60)
    assert process.returncode != 0
    assert digests(project / "report") == before
    recovered = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert recovered.returncode == 0, recovered.stderr
    manifest = json.loads((project / "report" / "manifest.json").read_text())
    assert manifest["outputs"] == {name: digest for name, digest in digests(project / "report").items()
                                   if name != "manifest.json"}
    assert list(project.glob(".report.*")) == []  # no staging or previous report left behind


def test_the_build_needs_no_network_interface(early_report):
    if not offline_supported():
        pytest.skip("unshare --net is not permitted here")
    # the fixture built it with no network interface up, and failed unless make succeeded
    assert (early_report.folder / "report.html").exists()
    assert "without encryption" not in early_report.output


# --- hostile text is shown, never run ----------------------------------------------------------------

def test_hostile_text_in_the_data_is_escaped_everywhere(project, browser):
    def hostile_first_row(name, *fields):
        def change(rows):
            for field in fields:
                rows[1][rows[0].index(field)] = HOSTILE
        rewrite_csv(project / "data" / f"{name}.csv", change)

    hostile_first_row("claims", "conclusion", "explanation")
    hostile_first_row("sources", "title", "outlet")
    hostile_first_row("events", "title", "description")
    hostile_first_row("expulsion_calls", "description")
    result = run_make(project, "report", "FORMATS=html")
    assert result.returncode == 0, result.stderr
    page, requests, console_errors, dialogs = open_offline(browser, project / "views" / "formats=html" / "report.html")
    assert dialogs == [] and requests == []
    assert unshown_charts(page) == []
    assert page.locator("img[src=x]").count() == 0
    assert page.get_by_text('<script>alert("xss")</script>', exact=False).count() > 0
    reviews = json.loads(page.locator("#claimreview").text_content())
    assert any(HOSTILE == r["reviewRating"]["ratingExplanation"] for r in reviews)
    page.close()


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


# --- the view at publication knows nothing later ------------------------------------------------------

MONTHS = {m: i for i, m in enumerate(["January", "February", "March", "April", "May", "June", "July", "August",
                                      "September", "October", "November", "December"], start=1)}


def dates_in(text):
    """Every date written in the text, ISO or long form ("10 January 2024"), as ISO strings."""
    found = set(re.findall(r"\b(20\d\d-\d\d-\d\d)\b", text))
    for day, month, year in re.findall(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (20\d\d)\b", text):
        found.add(f"{year}-{MONTHS[month]:02d}-{int(day):02d}")
    for month, year in re.findall(r"\b(" + "|".join(MONTHS) + r") (20\d\d)\b", text):
        found.add(f"{year}-{MONTHS[month]:02d}-01")
    return found


def test_the_view_at_publication_shows_no_later_date(early_report, browser):
    report, as_of, _ = early_report
    page, requests, console_errors, dialogs = open_offline(browser, report / "report.html")
    assert unshown_charts(page) == [] and console_errors == [] and requests == []
    # Clearly labelled metadata about our own work may be later: when we read sources, reviewed, corrected and searched.
    text = page.evaluate("""() => {
        document.querySelectorAll('.trust, section.corrections, section.provenance, script, '
            + 'table.searches, time[data-kind=accessed], time[data-kind=reviewed], time[data-kind=correction]')
            .forEach(e => e.remove());
        return document.querySelector('main').innerText; }""")
    later = sorted(d for d in dates_in(text) if d > as_of)
    assert later == [], [(d, text[max(0, text.find(d[:4]) - 80):text.find(d[:4]) + 40]) for d in later[:5]]
    page.close()
