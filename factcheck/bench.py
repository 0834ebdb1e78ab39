"""`make bench`: build speed and report size in a throw-away copy of the project, each time figure also given as a
ratio to a floor measured in the same run: one trivial notebook (a parameters cell and `import pandas, altair`)
executed by papermill in a fresh kernel. Six notebooks, so six floors is the least a cold build could cost.

Targets (issue 13): cold HTML build CPU <= 1.2 x six floors; no-op < 0.15 s; all charts drawn within 0.5 s of load.
"""
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from . import config

PYTHON = sys.executable


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command, cwd, env=None):
    """Wall and CPU seconds of a command (CPU of all its children)."""
    cpu, start = children_cpu(), time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True,
                            env={**os.environ, "MAKEFLAGS": "", "PYTHONPATH": str(cwd), **(env or {})})
    wall = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(map(str, command))} failed:\n{result.stderr[-3000:]}")
    return wall, children_cpu() - cpu


def make(project, *args):
    return timed(["make", "--no-print-directory", "-C", str(project), *args], project)


def floor_notebook(folder):
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}})
    parameters = nbformat.v4.new_code_cell('as_of = "2026-05-02"')
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [parameters, nbformat.v4.new_code_cell("import pandas, altair")]
    path = Path(folder) / "floor.ipynb"
    nbformat.write(nb, path)
    return path


def measure_floor(folder, repeats=3):
    path = floor_notebook(folder)
    runs = [timed([PYTHON, "-m", "papermill", "--no-progress-bar", str(path), str(path.with_name("out.ipynb"))], folder)
            for _ in range(repeats)]
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def copy_project(destination):
    destination.mkdir(parents=True)
    for name in ("data", "notebooks", "factcheck", "params.yml", "requirements.txt", "pyproject.toml", "Makefile"):
        source = config.ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, destination / name)
    (destination / ".venv").symlink_to(config.ROOT / ".venv")
    return destination


def page_timings(html_path, repeats=3):
    """Milliseconds to first contentful paint and until every chart is drawn, best and worst of `repeats` loads."""
    from playwright.sync_api import sync_playwright

    from .pipeline.browser import launch_chromium, open_report

    paint, charts = [], []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for _ in range(repeats):
            page, _seen = open_report(browser, html_path, viewport={"width": 390, "height": 844})
            charts.append(int(page.evaluate("document.body.dataset.chartsMs")))
            paint.append(page.evaluate("(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || 0"))
            page.close()
        browser.close()
    return min(paint), max(charts)


def pdf_pages(path):
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    return int(next(l.split()[-1] for l in info.splitlines() if l.startswith("Pages:")))


def main():
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        folder = Path(folder)
        floor_wall, floor_cpu = measure_floor(folder)
        six = 6 * floor_wall
        rows.append(("floor: one trivial notebook by papermill", floor_wall, "s", None))
        project = copy_project(folder / "project")
        cold_wall, cold_cpu = make(project, "report", "FORMATS=html")
        rows.append(("cold HTML build (wall)", cold_wall, "s", None))
        rows.append(("cold HTML build (CPU)", cold_cpu, "s", ("cpu", 1.2)))
        noop = min(make(project, "report", "FORMATS=html")[0] for _ in range(3))
        rows.append(("no-op rebuild (make report FORMATS=html)", noop, "s", ("abs", 0.15)))
        make(project, "report")  # the standard report, PDF included, then its no-op
        noop_default = min(make(project, "report")[0] for _ in range(3))
        rows.append(("no-op rebuild of report/ (make report)", noop_default, "s", ("abs", 0.15)))
        notebook = project / "notebooks" / "40_expulsion_calls.ipynb"
        nb = nbformat.read(notebook, as_version=4)
        nb.cells[0].source += "\n"
        nbformat.write(nb, notebook)
        rows.append(("one notebook edited", make(project, "report", "FORMATS=html")[0], "s", None))
        view = project / "views" / "formats=html"
        html = view / "report.html"
        rows.append(("report.html size", html.stat().st_size / 1e6, "MB", None))
        paint_ms, charts_ms = page_timings(html)
        rows.append(("first contentful paint at 390 px (best of 3)", paint_ms / 1000, "s", None))
        rows.append(("every chart drawn after load (worst of 3)", charts_ms / 1000, "s", ("abs", 0.5)))
        pdf = project / "report" / "report.pdf"
        rows.append(("report.pdf pages", pdf_pages(pdf), "pages", ("abs", 40)))
        rows.append(("report.pdf size", pdf.stat().st_size / 1e6, "MB", None))
    print(f"{'measure':<48} {'value':>8}       {'/ floor':>8}  target")
    for name, value, unit, target in rows:
        ratio = f"{value / floor_wall:>7.2f}x" if unit == "s" else " " * 8
        if target is None:
            verdict = ""
        elif target[0] == "cpu":
            verdict = f"CPU <= {target[1]} x six floors ({target[1] * 6 * floor_cpu:.1f} s): " + \
                      ("ok" if value <= target[1] * 6 * floor_cpu else f"MISSED ({value / (6 * floor_cpu):.2f}x)")
        else:
            verdict = f"<= {target[1]} {unit}: " + ("ok" if value <= target[1] else "MISSED")
        print(f"{name:<48} {value:>8.2f} {unit:<5} {ratio}  {verdict}")
    print(f"(six floors: {six:.1f} s wall, {6 * floor_cpu:.1f} s CPU)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
