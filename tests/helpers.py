"""Test helpers: throw-away copies of the project, make runs inside them, the report in a browser."""
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from factcheck.bench import copy_project  # noqa: F401 (used by the tests)
from factcheck.pipeline.browser import launch_chromium, open_report, structure_figures, unshown_charts  # noqa: F401 (used by the tests)

def copy_built(project, destination):
    """A copy of a built project, with its executed notebooks and its .venv link: a build in it runs only what changed."""
    shutil.copytree(project, destination, symlinks=True)
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


FOOTER_BAND = 0.955  # below this fraction of the page height sits only the running footer ("Page x of y")


def pdf_ink_extents(path, dpi=30):
    """Per page, the (top, bottom) of everything printed above the footer, as fractions of the page height,
    from a greyscale rendering (so charts count as well as text)."""
    import tempfile

    extents = []
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(path), f"{folder}/page"], check=True)
        for image in sorted(Path(folder).glob("page-*.pgm"), key=lambda p: int(p.stem.split("-")[1])):
            magic, width, height, _, pixels = image.read_bytes().split(maxsplit=4)
            width, height = int(width), int(height)
            rows = [y for y in range(int(height * FOOTER_BAND)) if min(pixels[y * width:(y + 1) * width]) < 200]
            extents.append((rows[0] / height, rows[-1] / height) if rows else (0.0, 0.0))
    return extents


def pdf_bookmarks(path):
    """(depth, title, page index, distance of the target from the top as a fraction of the page) per bookmark."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        height = float(pdf.pages[0].mediabox[3])
        marks = []
        with pdf.open_outline() as outline:
            def walk(items, depth):
                for item in items:
                    target = item.destination
                    marks.append((depth, item.title, pages[target[0].objgen], (height - float(target[3])) / height))
                    walk(item.children, depth + 1)
            walk(outline.root, 0)
    return marks


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


def crate_problems(folder, cache_dir, severity="REQUIRED"):
    """What roc-validator finds at `severity` in the Process Run Crate in `folder`, checked offline.

    The validator resolves the crate's JSON-LD context over HTTP; with no network, its HTTP cache is first given
    the RO-Crate context that ships inside the `rocrate` package.
    """
    import importlib.resources
    import io

    import requests
    import requests_cache
    import urllib3
    from rocrate_validator import services

    context = "https://w3id.org/ro/crate/1.1/context"
    body = importlib.resources.files("rocrate").joinpath("data/ro-crate.jsonld").read_bytes()
    response = requests.Response()
    response.status_code, response.url, response._content = 200, context, body
    response.headers["Content-Type"] = "application/ld+json"
    response.raw = urllib3.HTTPResponse(body=io.BytesIO(body), headers=dict(response.headers), status=200,
                                        preload_content=False, request_url=context)
    response.request = requests.Request("GET", context).prepare()
    cache = str(Path(cache_dir) / "http-cache")
    requests_cache.CachedSession(cache, backend="sqlite").cache.save_response(response)
    settings = services.ValidationSettings(rocrate_uri=str(folder), profile_identifier="process-run-crate",
                                           requirement_severity=severity, offline=True, cache_path=cache)
    result = services.validate(settings)
    return [f"{issue.message} ({getattr(issue, 'violatingEntity', '')})" for issue in result.get_issues()]


def _multiply(a, b):
    """The product of two PDF matrices [a b c d e f]."""
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


def pdf_font_sizes(path):
    """(size in points as printed, page number) of every text-showing operation, following the text matrix, the
    transformation matrix and form XObjects: what a ruler on the page would measure."""
    import math

    import pikepdf

    def walk(content, resources, ctm, page_number, out):
        saved, size, text_matrix = [], 0.0, [1, 0, 0, 1, 0, 0]
        for operands, operator in pikepdf.parse_content_stream(content):
            op = str(operator)
            if op == "q":
                saved.append(ctm)
            elif op == "Q":
                ctm = saved.pop()
            elif op == "cm":
                ctm = _multiply([float(x) for x in operands], ctm)
            elif op == "Tf":
                size = float(operands[1])
            elif op == "BT":
                text_matrix = [1, 0, 0, 1, 0, 0]
            elif op == "Tm":
                text_matrix = [float(x) for x in operands]
            elif op in ("Tj", "TJ", "'", '"'):
                m = _multiply(text_matrix, ctm)
                out.append((size * math.sqrt(abs(m[0] * m[3] - m[1] * m[2])), page_number))
            elif op == "Do" and resources.XObject[operands[0]].get("/Subtype") == "/Form":
                form = resources.XObject[operands[0]]
                matrix = [float(x) for x in form.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                walk(form, form.get("/Resources", resources), _multiply(matrix, ctm), page_number, out)
        return out

    with pikepdf.open(path) as pdf:
        sizes = []
        for number, page in enumerate(pdf.pages, 1):
            walk(page, page.Resources, [1, 0, 0, 1, 0, 0], number, sizes)
        return sizes


def open_in_context(browser, html_path, **context):
    """The report in a page of a fresh browser context (its own viewport, colour scheme, JavaScript setting), opened by
    `open_report`, which takes a context as well as a browser. Returns the context, to close, the page and what it saw."""
    ctx = browser.new_context(**context)
    page, seen = open_report(ctx, html_path)
    return ctx, page, seen


def pdf_figure_descriptions(path):
    """The /Alt text of every Figure in the PDF's structure tree (None where it has none), in reading order."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        return [str(figure.Alt) if "/Alt" in figure else None for figure in structure_figures(pdf)]
