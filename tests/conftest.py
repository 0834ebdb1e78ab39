"""Shared fixtures. Heavy ones (built reports, browsers) are session-scoped and built in temporary project copies:
no test reads this checkout's build/, report/ or views/."""
import pytest

from factcheck import data
from tests.helpers import copy_project, launch_chromium, offline_supported, run_make


def pytest_collection_modifyitems(items):
    """Tests that need a built report or a browser are marked `build`; `make test-unit` leaves them out."""
    for item in items:
        if item.module.__name__.split(".")[-1] in {"test_build", "test_report", "test_notebooks", "test_reader"} \
                or "build" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.build)


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
