"""The build end to end, in copies of the project: incremental, reproducible, offline, loud on failure,
and never losing the previous good report."""
import hashlib
import json
import re
import shutil
import signal
import subprocess
import sys
import time

import nbformat
import pytest

from factcheck import config, params
from factcheck.build import copy_project
from tests.conftest import offline_supported, open_offline, run_make
from tests.test_validate import rewrite, set_cell

HOSTILE = '<script>alert("xss")</script><img src=x onerror=alert("img")>"};alert(1);//'


def digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def pdf_text(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def executed_in(output):
    return sorted(re.findall(r"executing notebooks/(\S+)\.ipynb", output))


@pytest.fixture
def with_good_report(project):
    """A project copy holding a previous good report, as a researcher's checkout would."""
    shutil.copytree(config.REPORT, project / "report")
    return project, digests(project / "report")


# --- failures are loud and lose nothing -------------------------------------------------------------

def test_bad_data_row_stops_the_build_and_keeps_the_report(with_good_report):
    project, before = with_good_report
    rewrite(project / "data" / "attacks.csv", set_cell("attacks", "total", "abc")[1])
    result = run_make(project, "report")
    assert result.returncode != 0
    assert "data/attacks.csv row 2, field 'total': 'abc' is not a valid integer" in result.stderr
    assert not (project / "build" / "executed").exists()
    assert digests(project / "report") == before


@pytest.mark.parametrize("args,expected", [
    (["AS_OF=2024-13-01"], "is not a date: use the ISO form YYYY-MM-DD"),
    (["AS_OF=2030-01-01"], "outside the range the data covers: use a date from 2024-01-10"),
    (["FORMATS=html docx"], "choose from html, pdf"),
    (["PARAMS=colour=red"], "valid parameters: as_of, attack_rate_days, formats"),
])
def test_bad_parameter_stops_before_anything_executes(with_good_report, args, expected):
    project, before = with_good_report
    result = run_make(project, "report", *args)
    assert result.returncode != 0 and expected in result.stderr
    assert not (project / "build" / "executed").exists()
    assert digests(project / "report") == before


def test_failing_notebook_names_notebook_and_cell_and_keeps_it(with_good_report):
    project, before = with_good_report
    nb = nbformat.read(project / "notebooks" / "40_expulsion_calls.ipynb", as_version=4)
    nb.cells.insert(4, nbformat.v4.new_code_cell('raise RuntimeError("deliberate failure")'))
    nbformat.write(nb, project / "notebooks" / "40_expulsion_calls.ipynb")
    result = run_make(project, "report")
    assert result.returncode != 0
    assert "notebooks/40_expulsion_calls.ipynb failed in cell 4" in result.stderr
    assert "RuntimeError: deliberate failure" in result.stderr
    assert "build/failed/40_expulsion_calls.ipynb" in result.stderr
    assert (project / "build" / "failed" / "40_expulsion_calls.ipynb").exists()
    assert digests(project / "report") == before


def test_a_chart_that_fails_to_render_fails_the_build(tmp_path):
    from factcheck import build

    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}})
    nb.cells = [nbformat.v4.new_code_cell("as_of = '2026-05-02'\nattack_rate_days = 7"),
                nbformat.v4.new_code_cell("import altair as alt, pandas as pd\nfrom factcheck.charts import use_report_style\n"
                                          "use_report_style()\n"
                                          "alt.Chart(pd.DataFrame({'a': [1]})).mark_bar().encode(x='a:Q', y=alt.Y('a:Q', bin='nonsense'))")]
    nb.cells[0].metadata["tags"] = ["parameters"]
    nb.cells[1].metadata["tags"] = ["chart"]
    nbformat.write(nb, tmp_path / "broken_chart.ipynb")
    (tmp_path / "params.json").write_text('{"as_of": "2026-05-02", "attack_rate_days": 7, "formats": ["html"]}')
    with pytest.raises(build.BuildError, match="ran but its output is broken|failed in cell 1"):
        build.execute(tmp_path / "broken_chart.ipynb", tmp_path / "out.ipynb", tmp_path / "params.json", tmp_path / "failed")
    assert not (tmp_path / "out.ipynb").exists() and (tmp_path / "failed" / "broken_chart.ipynb").exists()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "killed"])
def test_interrupted_assembly_keeps_the_previous_report_and_the_next_build_recovers(tmp_path, sig):
    report = tmp_path / "report"
    shutil.copytree(config.REPORT, report)
    before = digests(report)
    (tmp_path / "params.json").write_text((config.BUILD / "params.json").read_text())
    executed = sorted(str(p) for p in (config.BUILD / "executed").glob("*.ipynb"))
    command = [sys.executable, "-m", "factcheck.build", "assemble", *executed, "--params", str(tmp_path / "params.json"),
               "--report-dir", str(report)]
    process = subprocess.Popen(command, cwd=config.ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while not list(report.glob(".staging-*/report.html")) and time.time() < deadline:
        time.sleep(0.05)
    process.send_signal(sig)
    process.wait(timeout=60)
    assert process.returncode != 0
    assert digests(report) == before
    recovered = subprocess.run(command, cwd=config.ROOT, capture_output=True, text=True, timeout=300)
    assert recovered.returncode == 0, recovered.stderr
    manifest = __import__("json").loads((report / "manifest.json").read_text())
    assert manifest["outputs"] == {name: digest for name, digest in digests(report).items() if name != "manifest.json"}
    assert list(report.glob(".staging-*")) == []


# --- hostile text is shown, never run ----------------------------------------------------------------

def test_hostile_text_in_the_data_is_escaped_everywhere(project, browser):
    def hostile_first_row(name, *fields):
        def change(rows):
            for field in fields:
                rows[1][rows[0].index(field)] = HOSTILE
        rewrite(project / "data" / f"{name}.csv", change)

    hostile_first_row("claims", "conclusion", "explanation")
    hostile_first_row("sources", "title", "outlet")
    hostile_first_row("events", "title", "description")
    hostile_first_row("expulsion_calls", "description")
    result = run_make(project, "report", "FORMATS=html")
    assert result.returncode == 0, result.stderr
    page, requests, console_errors, dialogs = open_offline(browser, project / "report" / "report.html")
    assert dialogs == [] and requests == []
    assert page.evaluate("document.body.dataset.chartsDone") == "ok"
    assert page.locator("img[src=x]").count() == 0
    assert page.get_by_text('<script>alert("xss")</script>', exact=False).count() > 0
    page.locator(".vega-chart").last.locator("svg.marks path, svg.marks circle, svg.marks *").first.hover()
    assert dialogs == []
    reviews = json.loads(page.locator("#claimreview").text_content())
    assert any(HOSTILE == r["reviewRating"]["ratingExplanation"] for r in reviews)
    page.close()


# --- incremental and reproducible --------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("built") / "project")
    result = run_make(project, "report")
    assert result.returncode == 0, result.stderr
    assert executed_in(result.stdout) == sorted(config.NOTEBOOK_INPUTS)
    return project


def test_a_second_build_does_nothing(built):
    result = run_make(built, "report")
    assert result.returncode == 0
    assert executed_in(result.stdout) == [] and "assembling" not in result.stdout


def test_changing_one_data_file_reexecutes_only_the_notebooks_that_read_it(built):
    (built / "data" / "troop_milestones.csv").touch()
    result = run_make(built, "report", "FORMATS=html")
    assert executed_in(result.stdout) == ["20_troop_levels"]
    (built / "notebooks" / "40_expulsion_calls.ipynb").touch()
    assert executed_in(run_make(built, "report").stdout) == ["40_expulsion_calls"]


def test_two_builds_from_the_same_inputs_are_identical(built):
    first_html = (built / "report" / "report.html").read_bytes()
    first_text = pdf_text(built / "report" / "report.pdf")
    shutil.rmtree(built / "build")
    shutil.rmtree(built / "report")
    result = run_make(built, "report")
    assert result.returncode == 0, result.stderr
    assert (built / "report" / "report.html").read_bytes() == first_html
    assert pdf_text(built / "report" / "report.pdf") == first_text
    html = first_html.decode()
    for volatile in ('"start_time"', '"end_time"', '"duration"', "kernel_id", '"iopub.'):
        assert volatile not in html, volatile


# --- as_of: the view at publication ------------------------------------------------------------------

def test_the_early_report_builds_offline(early_report):
    if not offline_supported():
        pytest.skip("unshare --net is not permitted here, so the offline build could not be isolated")
    assert (early_report[0] / "report.pdf").exists()


def test_nothing_dated_after_as_of_appears_in_the_early_report(early_report, browser):
    report, as_of = early_report
    html = (report / "report.html").read_text(encoding="utf-8")
    html = re.sub(r'<script id="vega-bundle".*?</script>', "", html, flags=re.S)
    html = re.sub(r'<section class="appendix provenance">.*?</section>', "", html, flags=re.S)
    # The dates we read sources and reviewed claims are ours, not the story's: they may be later.
    html = re.sub(r'<time[^>]*data-kind="accessed"[^>]*>.*?</time>', "", html)
    reviews = json.loads(re.search(r'<script id="claimreview"[^>]*>(.*?)</script>', html, re.S).group(1))
    html = re.sub(r'<script id="claimreview".*?</script>', "", html, flags=re.S)
    for review in reviews:
        assert review["itemReviewed"]["datePublished"] <= as_of
        review.pop("datePublished")
        assert not [d for d in re.findall(r"20\d\d-\d\d-\d\d", json.dumps(review)) if d > as_of], review
    later = sorted({d for d in re.findall(r"\b(20\d\d-\d\d-\d\d)", html) if d > as_of})
    assert later == [], later
    page, requests, console_errors, dialogs = open_offline(browser, report / "report.html")
    assert "View at publication" in page.locator(".title-page").inner_text()
    assert page.evaluate("document.body.dataset.chartsDone") == "ok" and console_errors == []
    page.close()


def test_the_hindsight_report_does_show_later_events():
    html = (config.REPORT / "report.html").read_text(encoding="utf-8")
    as_of = params.defaults()["as_of"]
    assert any("2024-01-10" < d <= as_of for d in re.findall(r'datetime="(20\d\d-\d\d-\d\d)"', html))
