"""Shared fixtures. Heavy ones (built reports, browsers) are session-scoped and built in temporary project copies:
no test reads this checkout's build/, report/ or views/."""
import shutil
import tempfile

import pytest

from factcheck import data, tables
from tests.helpers import copy_project, launch_chromium, offline_supported, run_make


# What a test needs (the markers pyproject.toml declares), read from the fixtures it uses: `make test-unit` leaves out what needs a build or a browser.
NEEDS = {
    "build": {"standard_report", "early_report", "built", "project"},  # a report built, or make run, in a project copy
    "browser": {"browser"},  # Chromium
}


def pytest_configure(config):
    # Hypothesis keeps its caches in ./.hypothesis unless told otherwise: no test writes into the checkout.
    from hypothesis.configuration import set_hypothesis_home_dir

    config.hypothesis_home = tempfile.mkdtemp(prefix="pytest-hypothesis-")
    set_hypothesis_home_dir(config.hypothesis_home)
    # each session types the tables afresh, whatever an earlier one in this process kept
    tables._typed_rows.cache_clear()
    tables._schema_notes.cache_clear()


def pytest_unconfigure(config):
    shutil.rmtree(getattr(config, "hypothesis_home", ""), ignore_errors=True)


def pytest_collection_modifyitems(items):
    """Each test is marked with what its fixtures need; a test that needs a kernel or a build without a fixture says
    so itself (`@pytest.mark.kernel`, `pytestmark = pytest.mark.build`)."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        for marker, names in NEEDS.items():
            if fixtures & names:
                item.add_marker(marker)


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def standard_report(tmp_path_factory):
    """The standard report built from scratch in a copy of the project."""
    project = copy_project(tmp_path_factory.mktemp("standard") / "project")
    result = run_make(project, "report")
    assert result.returncode == 0, result.stdout + result.stderr
    return project


@pytest.fixture(scope="session")
def early_report(tmp_path_factory):
    """The whole report built at the article's publication date, offline, in a copy of the project."""
    published = data.load_table("article").iloc[0]["date_published"].date().isoformat()
    project = copy_project(tmp_path_factory.mktemp("early") / "project")
    result = run_make(project, "report", f"AS_OF={published}", offline=offline_supported())
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "views" / f"as_of={published}", published


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = launch_chromium(playwright)
        yield launched
        launched.close()
