"""Shared fixtures. Heavy ones (project copies, browsers) are session-scoped so each is paid for once."""
import os
import subprocess
from pathlib import Path

import pytest

from factcheck import config
from factcheck.build import copy_project

def make_project_copy(destination):
    return copy_project(destination)


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
    return make_project_copy(tmp_path / "project")


@pytest.fixture(scope="session")
def early_report(tmp_path_factory):
    """The whole report built at the article's publication date, offline, in a copy of the project."""
    from factcheck import data

    published = data.load_table("article").iloc[0]["date_published"].date().isoformat()
    project = make_project_copy(tmp_path_factory.mktemp("early") / "project")
    result = run_make(project, "report", f"AS_OF={published}", offline=offline_supported())
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "report", published


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    from factcheck.build import CHROMIUM_ARGS, chromium_executable

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def open_offline(browser, html_path):
    """Open a report with every request other than the file itself refused; returns (page, requests, console errors)."""
    page = browser.new_page()
    requests, console_errors, dialogs = [], [], []
    page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    def guard(route):
        if route.request.url == Path(html_path).resolve().as_uri():
            route.continue_()
        else:
            requests.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.goto(Path(html_path).resolve().as_uri())
    page.wait_for_function("document.body.dataset.chartsDone !== undefined", timeout=60_000)
    return page, requests, console_errors, dialogs
