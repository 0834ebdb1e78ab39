"""`make bench`: build speed and report size, measured in a throw-away copy of the project.

Targets on a 2-core machine: cold build under 60 s, no-op rebuild under 1 s, report.html at most 1.5 MB,
charts drawn within 1 s of opening the page.
"""
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .build import copy_project, launch_chromium, open_report


def timed_make(project, *args):
    start = time.perf_counter()
    result = subprocess.run(["make", "--no-print-directory", "-C", str(project), *args], capture_output=True, text=True,
                            env={**os.environ, "MAKEFLAGS": ""})
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"make {' '.join(args)} failed:\n{result.stderr}")
    return elapsed


def chart_draw_ms(html_path, repeats=3):
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for _ in range(repeats):
            page, _seen = open_report(browser, html_path)
            times.append(int(page.evaluate("document.body.dataset.chartsMs")))
            page.close()
        browser.close()
    return min(times), max(times)


def main():
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        project = copy_project(Path(folder) / "project")
        rows = [("cold build (deps installed): make report", timed_make(project, "report"), "s", 60)]
        rows.append(("no-op rebuild: make report", min(timed_make(project, "report") for _ in range(3)), "s", 1))
        (project / "notebooks" / "40_expulsion_calls.ipynb").touch()
        rows.append(("rebuild after one notebook changes", timed_make(project, "report"), "s", None))
        (project / "data" / "troop_milestones.csv").touch()
        rows.append(("rebuild after one data file changes", timed_make(project, "report"), "s", None))
        html, pdf = project / "report" / "report.html", project / "report" / "report.pdf"
        rows.append(("report.html size", html.stat().st_size / 1e6, "MB", 1.5))
        rows.append(("report.pdf size", pdf.stat().st_size / 1e6, "MB", None))
        fastest, slowest = chart_draw_ms(html)
        rows.append(("load until every chart is drawn (best of 3)", fastest / 1000, "s", 1))
        rows.append(("load until every chart is drawn (worst of 3)", slowest / 1000, "s", 1))
    print(f"{'measure':<48} {'value':>9}  target")
    for name, value, unit, target in rows:
        verdict = "" if target is None else (f"<= {target} {unit} " + ("ok" if value <= target else "MISSED"))
        print(f"{name:<48} {value:>7.2f} {unit:<2} {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
