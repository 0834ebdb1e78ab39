"""Fresh builds, in copies of the project: an interrupted build that loses nothing, no
network needed, hostile text in the data shown and never run, and the view at publication knowing nothing later.
(A file apart from test_build.py, so that `make test`'s two processes share the build tests.)"""
import json
import os
import re
import signal
import subprocess
import time

import pytest

from factcheck import config
from tests.helpers import (copy_project, digests, fake_previous_report, offline_supported, open_offline, rewrite_csv,
                           run_make, unshown_charts)

HOSTILE = '<script>alert("xss")</script><img src=x onerror=alert("img")>"};alert(1);//'


def interrupt_at_assembly(project, sig):
    """Start a build, send `sig` once it stages the report, and check it failed and left report/ as it was.
    Returns the build command."""
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
    return command, env


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "terminated"])
def test_a_build_asked_to_stop_keeps_the_previous_report_and_leaves_nothing_behind(prebuilt, sig):
    interrupt_at_assembly(prebuilt, sig)  # its notebooks are executed already: the build goes straight to assembly
    assert list(prebuilt.glob(".report.*")) == []


def test_a_killed_build_keeps_the_previous_report_and_the_next_build_recovers(prebuilt):
    command, env = interrupt_at_assembly(prebuilt, signal.SIGKILL)
    assert list(prebuilt.glob(".report.staging-*")), "a killed build cannot clear its staging folder"
    recovered = subprocess.run(command, cwd=prebuilt, env=env, capture_output=True, text=True, timeout=300)
    assert recovered.returncode == 0, recovered.stderr
    manifest = json.loads((prebuilt / "report" / "manifest.json").read_text())
    assert manifest["outputs"] == {name: digest for name, digest in digests(prebuilt / "report").items()
                                   if name != "manifest.json"}
    assert list(prebuilt.glob(".report.*")) == []  # no staging or previous report left behind


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
