"""Shared fixtures. Heavy ones (built reports, browsers) are session-scoped and built in temporary project copies:
no test reads this checkout's build/, report/ or views/."""
import os
import shutil
import tempfile
import typing
from pathlib import Path

import pytest

from factcheck import data, tables
from tests.helpers import copy_built, copy_project, launch_chromium, offline_supported, run_make


# What a test needs (the markers pyproject.toml declares), read from the fixtures it uses: `make test-unit` leaves out what needs a build or a browser.
NEEDS = {
    "build": {"standard_build", "standard_report", "early_report", "built", "project", "prebuilt"},  # a report built, or make run, in a project copy
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


def shared_build(tmp_path_factory, name, *make_args, offline=False):
    """A project copy built once per `make test`, whichever xdist worker asks first: the others wait for it and
    reuse it (they share the run's base temporary folder). The copy is read, never changed, by the tests.
    Returns the project and make's output."""
    import filelock

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # each worker's folder sits in the run's
    project, output = shared / name / "project", shared / name / "make-output.txt"
    with filelock.FileLock(str(shared / f"{name}.lock")):
        if not output.exists():
            shutil.rmtree(project.parent, ignore_errors=True)  # a build that failed in another worker
            copy_project(project)
            result = run_make(project, "report", *make_args, offline=offline)
            assert result.returncode == 0, result.stdout + result.stderr
            output.write_text(result.stdout + result.stderr, encoding="utf-8")
    return project, output.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def standard_build(tmp_path_factory):
    """The standard report built from scratch in a copy of the project, and what that cold build printed."""
    return shared_build(tmp_path_factory, "standard")


@pytest.fixture(scope="session")
def standard_report(standard_build):
    return standard_build[0]


class EarlyReport(typing.NamedTuple):
    folder: Path  # the view's folder, views/as_of=<published>
    as_of: str
    output: str  # what make printed


@pytest.fixture(scope="session")
def early_report(tmp_path_factory):
    """The whole report built at the article's publication date in a copy of the project, offline where the machine
    allows it (`unshare --net`)."""
    published = data.load_table("article").iloc[0]["date_published"].date().isoformat()
    project, output = shared_build(tmp_path_factory, "early", f"AS_OF={published}", offline=offline_supported())
    return EarlyReport(project / "views" / f"as_of={published}", published, output)


@pytest.fixture
def prebuilt(standard_report, tmp_path):
    return copy_built(standard_report, tmp_path / "prebuilt")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = launch_chromium(playwright)
        yield launched
        launched.close()
