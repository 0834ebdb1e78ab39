"""`make bench`: build speed and report size in a throw-away copy of the project, each time figure also given as a
ratio to a floor measured in the same run: one trivial notebook (a parameters cell and `import pandas, altair`)
executed by papermill in a fresh kernel. One floor per notebook is the least a cold build could cost.

Targets (issues 13 and 20): cold HTML build CPU <= 1.2 x the floors; no-op < 0.15 s; every chart shown by load (charts
are pictures drawn at build time); Lighthouse 12.2.3 mobile performance >= 90, accessibility 100 and Total Blocking
Time < 200 ms; with the data x100, a cold HTML build at most 2 x the x1 build (the x100 PDF, thousands of pages long,
is left out). Lighthouse runs through npx against Debian's Chromium (CHROME_PATH), the page served from localhost both
as it is and gzip-compressed (as a web host serves it), the median of three runs of each.
"""
import contextlib
import functools
import gzip
import http.server
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
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
    return timed(["make", "--no-print-directory", "-o", ".venv/.installed", "-C", str(project), *args], project)


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


PROJECT_FILES = ("data", "notebooks", "factcheck", "params.yml", "requirements.txt", "requirements-test.txt", "pyproject.toml",
                 "Makefile", ".gitattributes")


def copy_project(destination):
    """The project's inputs and code, without build/, report/ or views/, sharing the running .venv: a throw-away
    project to build in (the benchmarks' and the tests' sandbox). The copy's make must not reinstall the shared .venv
    (run it with `-o .venv/.installed`)."""
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = config.ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, destination / name)
    # the venv running this code: ROOT/.venv, except where ROOT is a copy without one (mutmut's mutants/)
    (destination / ".venv").symlink_to(sys.prefix)
    return destination


# Element Timing watches elements carrying `elementtiming`, which is not valid HTML: the bench marks the first key
# finding itself, as the parser inserts it and before it is painted.
MARK_FIRST_FINDING = """new MutationObserver((records, observer) => {
  const first = document.querySelector('ul.findings > li');
  if (first) { first.setAttribute('elementtiming', 'first-finding'); observer.disconnect(); }
}).observe(document, {childList: true, subtree: true});"""


def page_timings(html_path, repeats=3):
    """Milliseconds until the first key finding is painted (Element Timing), and from the load event until every
    chart's picture is decoded and shown (0 when they are shown by load): best and worst of `repeats` loads."""
    from playwright.sync_api import sync_playwright

    from .pipeline.browser import launch_chromium, open_report

    paint, charts = [], []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for _ in range(repeats):
            context = browser.new_context(viewport={"width": 390, "height": 844})
            context.add_init_script(MARK_FIRST_FINDING)
            page, _seen = open_report(context, html_path)
            shown = page.evaluate("""Promise.all([...document.querySelectorAll('figure.chart img')].map(i => i.decode()))
                .then(() => performance.now())""")
            charts.append(max(0, shown - page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")))
            paint.append(page.evaluate("""new Promise(done => new PerformanceObserver(list => {
                const entry = list.getEntries().find(e => e.identifier === 'first-finding');
                if (entry) done(entry.renderTime || entry.loadTime);
            }).observe({type: 'element', buffered: true}))"""))
            context.close()
        browser.close()
    return min(paint), max(charts)


def print_time(html_path, repeats=3):
    """Seconds to print the report to PDF as the build does (best of `repeats`)."""
    from .pipeline.browser import print_pdf

    times = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(repeats):
            start = time.perf_counter()
            print_pdf(html_path, Path(folder) / "report.pdf", "bench", "2024-01-10")
            times.append(time.perf_counter() - start)
    return min(times)


LIGHTHOUSE = "lighthouse@12.2.3"
LIGHTHOUSE_RUNS = 3
# What each Lighthouse row reports: its unit and its target (the issue's: performance >= 90, accessibility 100, TBT).
LIGHTHOUSE_MEASURES = {
    "performance score": ("/100", ("min", 90)),
    "accessibility score": ("/100", ("min", 100)),
    "First Contentful Paint": ("ms", None),
    "Largest Contentful Paint": ("ms", None),
    "Total Blocking Time": ("ms", ("abs", 200)),
    "DOM elements": ("", None),
}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class GzipHandler(QuietHandler):
    """Sends each file gzip-compressed to a client that accepts it, as any web host does; http.server never
    compresses, and a page measured uncompressed pays for bytes no reader downloads."""

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().do_GET()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def served(folder, compress=False):
    """The address of `folder` served on localhost, gzip-compressed or not, while the block runs."""
    handler = functools.partial(GzipHandler if compress else QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def lighthouse_measures(report):
    """The rows' figures from one Lighthouse JSON report: scores out of 100, timings in ms, the page's element count."""
    audits = report["audits"]
    return {"performance score": report["categories"]["performance"]["score"] * 100,
            "accessibility score": report["categories"]["accessibility"]["score"] * 100,
            "First Contentful Paint": audits["first-contentful-paint"]["numericValue"],
            "Largest Contentful Paint": audits["largest-contentful-paint"]["numericValue"],
            "Total Blocking Time": audits["total-blocking-time"]["numericValue"],
            "DOM elements": audits["dom-size"]["numericValue"]}


def medians(runs):
    """Each measure's median over the runs, taken measure by measure: one slow run moves none of them."""
    return {name: statistics.median(run[name] for run in runs) for name in runs[0]}


def lighthouse_run(url):
    """One mobile Lighthouse report (performance and accessibility) of `url`, in Debian's Chromium, as parsed JSON."""
    from .pipeline.browser import CHROMIUM_ARGS, chromium_executable

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "lighthouse.json"
        subprocess.run(["npx", "--yes", LIGHTHOUSE, url, "--only-categories=performance,accessibility",
                        "--output=json", f"--output-path={out}", "--quiet",
                        "--chrome-flags=" + " ".join(["--headless", *CHROMIUM_ARGS])],
                       check=True, capture_output=True, env={**os.environ, "CHROME_PATH": chromium_executable()})
        return json.loads(out.read_text(encoding="utf-8"))


def lighthouse(html_path, runs=LIGHTHOUSE_RUNS):
    """Median Lighthouse mobile measures of the page served uncompressed and gzip-compressed from localhost, the two
    servings' runs interleaved so that a change in the machine's load falls on both; None when npx is missing."""
    if not shutil.which("npx"):
        return None
    servings = {"uncompressed": False, "gzip": True}
    found = {serving: [] for serving in servings}
    for _ in range(runs):
        for serving, compress in servings.items():
            with served(html_path.parent, compress) as base:
                found[serving].append(lighthouse_measures(lighthouse_run(base + html_path.name)))
    return {serving: medians(measures) for serving, measures in found.items()}


def lighthouse_rows(html_path, runs=LIGHTHOUSE_RUNS):
    return [(f"Lighthouse mobile {name}, {serving}", value, *LIGHTHOUSE_MEASURES[name])
            for serving, measures in (lighthouse(html_path, runs) or {}).items() for name, value in measures.items()]


# Tables whose rows can be copied under new keys (their keys include the source): each copy cites its own copy
# of its source. Events and calls keep their rows: their ids have a fixed form (E001, X001).
SCALED_TABLES = ("troop_levels", "attacks", "claim_sources", "claim_updates")


def scale_data(project, factor):
    """The rows of SCALED_TABLES and the sources they cite `factor` times over (copied ids end in `x<k>`)."""
    import csv

    def rows(name):
        with open(project / "data" / f"{name}.csv", newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            return reader.fieldnames, list(reader)

    def write(name, fields, table):
        with open(project / "data" / f"{name}.csv", "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(table)

    cited = set()
    for name in SCALED_TABLES:
        fields, table = rows(name)
        copies = [{**row, "source_id": f"{row['source_id']}x{k}"} for k in range(1, factor) for row in table]
        cited |= {row["source_id"] for row in copies}
        write(name, fields, table + copies)
    fields, sources = rows("sources")
    copies = [{**row, "source_id": f"{row['source_id']}x{k}"} for k in range(1, factor) for row in sources]
    write("sources", fields, sources + [row for row in copies if row["source_id"] in cited])


def pdf_pages(path):
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    return int(next(l.split()[-1] for l in info.splitlines() if l.startswith("Pages:")))


HEADER = f"{'measure':<58} {'value':>9}       {'/ floor':>8}  target"


def format_row(name, value, unit, target, floor_wall=None, cpu_floor=None):
    """One line of the table: the value, its ratio to the floor (times only) and whether it meets its target.
    `cpu_floor` is the CPU seconds of one floor per notebook, the unit of the ("cpu", k) target."""
    ratio = f"{value / floor_wall:>7.2f}x" if unit == "s" and floor_wall else " " * 8
    if target is None:
        verdict = ""
    elif target[0] == "cpu":
        verdict = f"CPU <= {target[1]} x floors ({target[1] * cpu_floor:.1f} s): " + \
                  ("ok" if value <= target[1] * cpu_floor else f"MISSED ({value / cpu_floor:.2f}x)")
    elif target[0] == "min":
        verdict = f">= {target[1]} {unit}: " + ("ok" if value >= target[1] else "MISSED")
    else:
        verdict = f"<= {target[1]} {unit}: " + ("ok" if value <= target[1] else "MISSED")
    return f"{name:<58} {value:>9.2f} {unit:<5} {ratio}  {verdict}".rstrip()


def main():
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        folder = Path(folder)
        floor_wall, floor_cpu = measure_floor(folder)
        rows.append(("floor: one trivial notebook by papermill", floor_wall, "s", None))
        project = copy_project(folder / "project")
        cold_wall, cold_cpu = make(project, "report", "FORMATS=html")
        rows.append(("cold HTML build (wall)", cold_wall, "s", None))
        rows.append(("cold HTML build (CPU)", cold_cpu, "s", ("cpu", 1.2)))
        noop = min(make(project, "report", "FORMATS=html")[0] for _ in range(3))
        rows.append(("no-op rebuild (make report FORMATS=html)", noop, "s", ("abs", 0.15)))
        full_wall = make(project, "report")[0]  # the standard report, PDF included: its notebooks run afresh
        rows.append(("cold full build, HTML and PDF (wall)", full_wall, "s", None))
        noop_default = min(make(project, "report")[0] for _ in range(3))
        rows.append(("no-op rebuild of report/ (make report)", noop_default, "s", ("abs", 0.15)))
        notebook = project / "notebooks" / "40_expulsion_calls.ipynb"
        nb = nbformat.read(notebook, as_version=4)
        nb.cells[0].source += "\n"
        nbformat.write(nb, notebook)
        rows.append(("one notebook's prose edited", make(project, "report", "FORMATS=html")[0], "s", None))
        nb.cells.append(nbformat.v4.new_code_cell("1 + 1", metadata={"tags": ["remove-cell"]}))
        nbformat.write(nb, notebook)
        rows.append(("one notebook's code edited", make(project, "report", "FORMATS=html")[0], "s", None))
        view = project / "views" / "formats=html"
        html = view / "report.html"
        rows.append(("report.html size", html.stat().st_size / 1e6, "MB", None))
        paint_ms, charts_ms = page_timings(html)
        rows.append(("first key finding painted at 390 px (best of 3)", paint_ms / 1000, "s", None))
        rows.append(("every chart shown, after load (worst of 3)", charts_ms / 1000, "s", ("abs", 0.1)))
        rows.append(("report.pdf printed from report.html (best of 3)", print_time(project / "report" / "report.html"), "s",
                     None))
        rows.extend(lighthouse_rows(html))
        pdf = project / "report" / "report.pdf"
        rows.append(("report.pdf pages", pdf_pages(pdf), "pages", ("abs", 40)))
        rows.append(("report.pdf size", pdf.stat().st_size / 1e6, "MB", None))
        scaled = copy_project(folder / "scaled")
        scale_data(scaled, 100)
        scaled_wall = make(scaled, "report", "FORMATS=html")[0]  # the x100 PDF runs to thousands of pages
        rows.append(("cold HTML build, data x100 (wall)", scaled_wall, "s", None))
        rows.append(("  the same, as a multiple of the x1 build", scaled_wall / cold_wall, "x", ("abs", 2)))
    floors = len(list((config.NOTEBOOKS).glob("*.ipynb")))
    print(HEADER)
    for row in rows:
        print(format_row(*row, floor_wall=floor_wall, cpu_floor=floors * floor_cpu))
    print(f"({floors} notebooks, so {floors} floors: {floors * floor_wall:.1f} s wall, {floors * floor_cpu:.1f} s CPU)")
    return 0




JUPYTER_BOOK = Path(tempfile.gettempdir()) / "factcheck-jupyter-book-venv"


def jupyter_book():
    """Jupyter Book 1 in its own throw-away environment (created once), for `make bench-peers`."""
    binary = JUPYTER_BOOK / "bin" / "jupyter-book"
    if not binary.exists():
        subprocess.run([shutil.which("python3"), "-m", "venv", str(JUPYTER_BOOK)], check=True)
        subprocess.run([JUPYTER_BOOK / "bin" / "pip", "install", "-q", "jupyter-book<2"], check=True)
    return binary


def book(project, folder):
    """The same notebooks as a Jupyter Book, its kernels this project's Python (so they find pandas and factcheck)."""
    folder.mkdir(parents=True)
    notebooks = sorted((project / "notebooks").glob("*.ipynb"))
    for notebook in notebooks:
        shutil.copy2(notebook, folder / notebook.name)
    (folder / "_config.yml").write_text("title: bench\nexecute:\n  execute_notebooks: cache\n  timeout: 600\n"
                                        "only_build_toc_files: true\n")
    (folder / "_toc.yml").write_text("format: jb-book\nroot: " + notebooks[0].stem + "\nchapters:\n"
                                     + "".join(f"- file: {n.stem}\n" for n in notebooks[1:]))
    kernels = folder.parent / "kernels" / "kernels" / "python3"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({"argv": [str(config.ROOT / ".venv" / "bin" / "python"), "-m",
                                                              "ipykernel_launcher", "-f", "{connection_file}"],
                                                     "display_name": "Python 3", "language": "python"}))
    return folder


def peers():
    binary = jupyter_book()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-peers-") as folder:
        folder = Path(folder)
        project = copy_project(folder / "project")
        jb = book(project, folder / "book")
        env = {"JUPYTER_PATH": str(folder / "kernels"), "PYTHONPATH": str(project)}

        def ours_cold():
            shutil.rmtree(project / "build", ignore_errors=True)
            shutil.rmtree(project / "views", ignore_errors=True)
            return make(project, "report", "FORMATS=html")

        def theirs_cold():
            shutil.rmtree(jb / "_build", ignore_errors=True)
            return timed([binary, "build", "--all", str(jb)], folder, env)

        def edit(notebook):
            nb = nbformat.read(notebook, as_version=4)
            nb.cells[0].source += "\n"
            nbformat.write(nb, notebook)

        cold = [(ours_cold(), theirs_cold()) for _ in range(3)]  # interleaved pairs
        edits = []
        for _ in range(3):
            edit(project / "notebooks" / "40_expulsion_calls.ipynb")
            ours = make(project, "report", "FORMATS=html")
            edit(jb / "40_expulsion_calls.ipynb")
            edits.append((ours, timed([binary, "build", str(jb)], folder, env)))
        for name, pairs in (("cold build", cold), ("one notebook edited", edits)):
            ours_wall = statistics.median(o[0] for o, _ in pairs)
            theirs_wall = statistics.median(t[0] for _, t in pairs)
            ours_cpu = statistics.median(o[1] for o, _ in pairs)
            theirs_cpu = statistics.median(t[1] for _, t in pairs)
            rows.append((name, ours_wall, theirs_wall, ours_cpu, theirs_cpu))
    print(f"{'build (median of 3 interleaved pairs)':<40} {'ours':>7} {'JB1':>7} {'ours/JB1':>9}   CPU ours/JB1")
    for name, ours_wall, theirs_wall, ours_cpu, theirs_cpu in rows:
        print(f"{name:<40} {ours_wall:>6.1f}s {theirs_wall:>6.1f}s {ours_wall / theirs_wall:>8.2f}x   "
              f"{ours_cpu:.1f}/{theirs_cpu:.1f} s = {ours_cpu / theirs_cpu:.2f}x")
    print("targets: cold wall <= 0.6x, one-notebook edit <= 0.8x")
    return 0


def lighthouse_only():
    """`make lighthouse`: the Lighthouse rows alone, for the report/ already built."""
    rows = lighthouse_rows(config.REPORT / "report.html")
    if not rows:
        sys.exit("Lighthouse needs npx (Node.js): install Node.js, then run make lighthouse again.")
    print(HEADER.replace("/ floor", "       "))
    for row in rows:
        print(format_row(*row))
    return 0


if __name__ == "__main__":
    sys.exit({"--peers": peers, "--lighthouse": lighthouse_only}.get(sys.argv[1] if sys.argv[1:] else "", main)())
