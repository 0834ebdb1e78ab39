"""Shared fixtures. Heavy ones (project copies, browsers) are session-scoped so each is paid for once."""
import os
import subprocess

import pytest

from factcheck import config
from factcheck.build import copy_project, launch_chromium, open_report

def run_make(project, *args, offline=False, timeout=900):
    """`make` in a project copy; with offline=True inside a network namespace with only loopback."""
    command = ["make", "--no-print-directory", "-C", str(project), *args]
    if offline:
        command = ["unshare", "--net", "sh", "-c", "ip link set lo up 2>/dev/null || true; exec \"$@\"", "sh", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "MAKEFLAGS": ""})


def offline_supported():
    try:
        return subprocess.run(["unshare", "--net", "true"], capture_output=True).returncode == 0
    except FileNotFoundError:
        return False


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def early_report(tmp_path_factory):
    """The whole report built at the article's publication date, offline, in a copy of the project."""
    from factcheck import data

    published = data.load_table("article").iloc[0]["date_published"].date().isoformat()
    project = copy_project(tmp_path_factory.mktemp("early") / "project")
    result = run_make(project, "report", f"AS_OF={published}", offline=offline_supported())
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "report", published


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = launch_chromium(playwright)
        yield launched
        launched.close()


def open_offline(browser, html_path):
    """Open a report with the network refused; returns (page, requests, console errors, dialogs)."""
    page, seen = open_report(browser, html_path)
    return page, seen["requests"], seen["console_errors"], seen["dialogs"]
