"""Test helpers: throw-away copies of the project, make runs inside them, the report in a browser."""
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from factcheck import config
from factcheck.pipeline.browser import launch_chromium, open_report  # noqa: F401 (used by the tests)

PROJECT_FILES = ("data", "notebooks", "factcheck", "params.yml", "requirements.txt", "pyproject.toml", "Makefile")


def copy_project(destination):
    """The project's inputs and code, without build/, report/ or views/, sharing this checkout's .venv
    (marked installed, so make does not reinstall): a sandbox where a test may break or rebuild everything."""
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = config.ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, destination / name)
    (destination / ".venv").symlink_to(config.ROOT / ".venv")
    return destination


def run_make(project, *args, offline=False, timeout=900, env=None):
    """`make` in a project copy, running that copy's code; with offline=True in a network namespace with no interface up."""
    # `-o .venv/.installed`: the copy shares this checkout's .venv, so it must never reinstall (and repoint) it
    command = ["make", "--no-print-directory", "-o", ".venv/.installed", "-C", str(project), *args]
    if offline:
        command = ["unshare", "--net", *command]
    environment = {**os.environ, "MAKEFLAGS": "", "PYTHONPATH": str(project), **(env or {})}
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=environment)


def offline_supported():
    try:
        return subprocess.run(["unshare", "--net", "true"], capture_output=True).returncode == 0
    except FileNotFoundError:
        return False


def digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(Path(folder).iterdir()) if p.is_file()}


def pdf_text(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def open_offline(browser, html_path, **options):
    """Open a report with the network refused; returns (page, requests, console errors, dialogs)."""
    page, seen = open_report(browser, html_path, **options)
    return page, seen["requests"], seen["console_errors"], seen["dialogs"]


def rewrite_csv(path, change):
    """Apply `change(rows)` to a CSV's rows (header first) and write it back."""
    import csv
    import io

    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    change(rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    Path(path).write_text(buffer.getvalue(), encoding="utf-8")


def fake_previous_report(project):
    """A previous good report in a project copy: any bytes will do, as long as a failed build leaves them alone."""
    report = Path(project) / "report"
    report.mkdir(exist_ok=True)
    (report / "report.html").write_text("<p>previous good report</p>")
    (report / "manifest.json").write_text("{}")
    return digests(report)
