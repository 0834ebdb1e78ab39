"""Execute the notebooks and assemble the report, failing loudly and never leaving a half-written report.

    python -m factcheck.build execute notebooks/20_troop_levels.ipynb build/executed/20_troop_levels.ipynb --params build/params.json
    python -m factcheck.build assemble build/executed/*.ipynb --params build/params.json --report-dir report
"""
import argparse
import base64
import contextlib
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

import nbformat

from . import config
from .charts import VEGA_LITE_MIMETYPE as VEGA_LITE
from .params import notebook_parameters

CHART_TAG = "chart"
DIRECT_DEPENDENCIES = ("pandas", "altair", "papermill", "nbconvert", "nbformat", "ipykernel",
                       "frictionless", "playwright", "vl-convert-python", "PyYAML")


class BuildError(Exception):
    pass


def _relative(path):
    path = Path(path).resolve()
    return str(path.relative_to(config.ROOT)) if path.is_relative_to(config.ROOT) else str(path)


# --- execution -----------------------------------------------------------------------------------

def output_problems(nb):
    """What papermill lets through: error outputs, tracebacks printed to stderr, chart cells with no chart."""
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        outputs = cell.get("outputs", [])
        for output in outputs:
            if output.output_type == "error":
                problems.append(f"cell {index}: {output.ename}: {output.evalue}")
            elif output.output_type == "stream" and output.name == "stderr" and "Traceback" in output.text:
                last = output.text.strip().splitlines()[-1]
                problems.append(f"cell {index}: a traceback was printed while displaying output: {last}")
        if CHART_TAG in cell.metadata.get("tags", []) and not any(VEGA_LITE in o.get("data", {}) for o in outputs):
            problems.append(f"cell {index} is tagged '{CHART_TAG}' but produced no chart")
    return problems


def strip_volatile(nb):
    """Drop timestamps, durations and kernel ids, which differ on every run and must not reach the report."""
    nb.metadata.pop("papermill", None)
    nb.metadata.get("kernelspec", {}).pop("env", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    return nb


@contextlib.contextmanager
def kernel_log(path):
    """Send the kernel's own stderr chatter (transport warnings, shutdown notices) to a log file, not the console:
    the kernel inherits file descriptor 2, so it is redirected at that level."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "w") as log:
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def execute(notebook, output, params_path, failed_dir):
    import papermill
    from papermill.exceptions import PapermillExecutionError

    notebook, output = Path(notebook), Path(output)
    parameters = notebook_parameters(json.loads(Path(params_path).read_text()))
    failed = Path(failed_dir) / notebook.name
    output.parent.mkdir(parents=True, exist_ok=True)
    failed.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.stem + ".partial.ipynb")
    try:
        with kernel_log(output.parent.parent / "logs" / f"{notebook.stem}.log"):
            papermill.execute_notebook(str(notebook), str(partial), parameters=parameters, cwd=str(config.ROOT),
                                       progress_bar=False, log_output=False, kernel_name="python3")
    except PapermillExecutionError as err:
        shutil.move(partial, failed)
        source_cells = nbformat.read(notebook, as_version=4).cells
        index = next((i for i, c in enumerate(source_cells) if c.source == err.source), err.cell_index)
        first_line = err.source.strip().splitlines()[0] if err.source.strip() else ""
        raise BuildError(f"{_relative(notebook)} failed in cell {index} "
                         f"(counting from 0; execution count {err.exec_count}), which starts: {first_line[:80]}\n"
                         f"  {err.ename}: {err.evalue}\n"
                         f"The executed notebook is kept at {_relative(failed)}; report/ is unchanged.") from None
    nb = nbformat.read(partial, as_version=4)
    problems = output_problems(nb)
    if problems:
        shutil.move(partial, failed)
        raise BuildError(f"{_relative(notebook)} ran but its output is broken (cells counted in the kept notebook):\n  "
                         + "\n  ".join(problems) +
                         f"\nThe executed notebook is kept at {_relative(failed)}; report/ is unchanged.")
    nbformat.write(strip_volatile(nb), partial)
    partial.replace(output)
    failed.unlink(missing_ok=True)


# --- sandboxes for tests and benchmarks ----------------------------------------------------------

PROJECT_FILES = ("data", "notebooks", "factcheck", "params.yml", "requirements.txt", "Makefile")


def copy_project(destination):
    """The project's inputs and code, without build/ or report/, sharing this checkout's .venv:
    a sandbox where tests and benchmarks may break or rebuild everything."""
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = config.ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, destination / name)
    (destination / ".venv").symlink_to(config.ROOT / ".venv")
    return destination


# --- assembly ------------------------------------------------------------------------------------

def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def input_files():
    """Everything the report is a function of: data, notebooks, parameters, lock file, template and package."""
    patterns = [(config.DATA, "*"), (config.NOTEBOOKS, "*.ipynb"), (config.TEMPLATE_DIR, "**/*"),
                (config.ROOT / "factcheck", "*.py")]
    files = [p for folder, pattern in patterns for p in folder.glob(pattern) if p.is_file()]
    files += [config.PARAMS_FILE, config.LOCK_FILE]
    return sorted(files)


def input_hashes():
    return {_relative(p): sha256(p) for p in input_files()}


def commit_id():
    """The build's commit, marked when inputs differ from it so the title page never overstates."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=config.ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    inputs = [_relative(p) for p in input_files()]
    changed = subprocess.run(["git", "status", "--porcelain", "--", *inputs], cwd=config.ROOT,
                             capture_output=True, text=True).stdout.strip()
    return f"{head} with uncommitted input changes" if changed else head


def package_versions():
    return {name: metadata.version(name) for name in DIRECT_DEPENDENCIES}


def vega_bundle():
    """vega, vega-lite and vega-embed in one script, made offline by vl-convert, gzipped and base64-encoded
    (0.9 MB of JavaScript becomes about 0.3 MB of page); cached in build/.

    gzip's header time is fixed at zero so the same bundle always gives the same bytes.
    """
    import vl_convert

    cache = config.BUILD / f"vega-bundle-{metadata.version('vl-convert-python')}.js.gz.b64"
    if not cache.exists():
        cache.parent.mkdir(parents=True, exist_ok=True)
        script = vl_convert.javascript_bundle().encode("utf-8")
        cache.write_text(base64.b64encode(gzip.compress(script, mtime=0)).decode("ascii"), encoding="ascii")
    return cache.read_text(encoding="ascii")


def merge(notebooks):
    merged = nbformat.v4.new_notebook()
    merged.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                       "language_info": {"name": "python"}}
    for path in notebooks:
        merged.cells.extend(nbformat.read(path, as_version=4).cells)
    return merged


def _heading_text(fragment):
    return re.sub(r"<[^>]+>", "", fragment).replace("¶", "").strip()


def table_of_contents(html):
    """A nested list of the level-1 and level-2 headings, linked to their anchors."""
    items, open_sub = [], False
    for level, anchor, inner in re.findall(r'<h([12]) id="([^"]+)"[^>]*>(.*?)</h\1>', html, flags=re.S):
        title = _heading_text(inner)
        if level == "1":
            if open_sub:
                items.append("</ol></li>")
                open_sub = False
            items.append(f'<li><a href="#{anchor}">{title}</a>')
        else:
            if not open_sub:
                items.append("<ol>")
                open_sub = True
            items.append(f'<li><a href="#{anchor}">{title}</a></li>')
    if open_sub:
        items.append("</ol>")
    return '<ol class="toc">' + "".join(items) + "</ol>"


def render_html(notebooks, report_info, claim_reviews_json):
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = {"remove-cell", "parameters", "injected-parameters"}
    c.TagRemovePreprocessor.remove_input_tags = {"remove-input"}
    c.CSSHTMLHeaderPreprocessor.enabled = False
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.preprocessors = ["nbconvert.preprocessors.TagRemovePreprocessor"]
    c.NbConvertBase.display_data_priority = [VEGA_LITE, "text/html", "text/markdown", "image/svg+xml",
                                             "image/png", "text/plain"]
    exporter = HTMLExporter(config=c, template_name=config.TEMPLATE_NAME,
                            extra_template_basedirs=[str(config.TEMPLATE_DIR)])
    resources = {"report": report_info, "vega_bundle": vega_bundle(), "claim_reviews": claim_reviews_json,
                 "metadata": {"name": report_info["title"]}}
    html, _ = exporter.from_notebook_node(merge(notebooks), resources=resources)
    if 'class="jp-CodeMirrorEditor' in html:
        raise BuildError("code input leaked into the report: tag every code cell remove-input or remove-cell")
    from .render import table_of_contents as reader_contents

    return html.replace("<!-- TOC -->", reader_contents(html))


def chromium_executable():
    import os

    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"),
                      shutil.which("google-chrome")):
        if candidate:
            return candidate
    raise BuildError("no Chromium found to print the PDF: install Debian's chromium (apt-get install chromium) "
                     "or set CHROMIUM to a Chrome/Chromium executable")


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)


def open_report(browser, html_path):
    """The report in a new page with every request beyond the file itself refused, once its charts have settled.

    Returns the page and what it did: refused requests, console errors and dialogs (dismissed).
    """
    page = browser.new_page()
    seen = {"requests": [], "console_errors": [], "dialogs": []}
    own_url = Path(html_path).resolve().as_uri()
    page.on("console", lambda message: seen["console_errors"].append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: seen["console_errors"].append(str(error)))
    page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))

    def guard(route):
        if route.request.url == own_url:
            route.continue_()
        else:
            seen["requests"].append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.goto(own_url)
    page.wait_for_function("document.body.dataset.chartsDone !== undefined", timeout=60_000)
    return page, seen


def print_pdf(html_path, pdf_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page, seen = open_report(browser, html_path)
            if page.evaluate("document.body.dataset.chartsDone") != "ok":
                raise BuildError(f"charts failed to draw while printing the PDF: {page.evaluate('document.body.dataset.chartErrors')}")
            if seen["requests"]:
                raise BuildError(f"the report tried to load from the network: {seen['requests'][:3]}")
            page.emulate_media(media="print")
            page.pdf(path=str(pdf_path), format="A4", print_background=True, display_header_footer=True, tagged=True, outline=True,
                     header_template="<span></span>",
                     footer_template='<div style="font-size:8px;width:100%;text-align:center;color:#555;">'
                                     'Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>',
                     margin={"top": "16mm", "bottom": "18mm", "left": "15mm", "right": "15mm"})
        finally:
            browser.close()


def report_info(params):
    import pandas as pd

    from . import data

    article = data.load_table("article").iloc[0]
    as_of = pd.Timestamp(params["as_of"])
    published = article["date_published"]
    at_publication = as_of <= published + pd.Timedelta(days=6)
    from .render import publication_info

    return publication_info(params, {
        "title": "Will Iraq expel the remaining U.S. troops? A fact-check",
        "subtitle": "Every checkable statement in a January 2024 Deutsche Welle article, with sources and historical context",
        "article_title": article["title"], "article_authors": article["authors"],
        "article_publisher": article["publisher"], "article_url": article["url"] if isinstance(article["url"], str) else "",
        "article_published": published.date().isoformat(),
        "as_of": as_of.date().isoformat(),
        "view": (f"View at publication: only events, data and sources dated on or before {as_of.date()} are shown; "
                 "later evidence and outcomes are left out." if at_publication else
                 f"Hindsight view: events, data and sources up to {as_of.date()}."),
        "commit": commit_id(),
        "parameters": params,
        "packages": package_versions(),
        "inputs": input_hashes(),
    })


def claim_reviews_for(params, report_url):
    import pandas as pd

    from . import claims as claims_module, data

    from urllib.parse import urljoin

    from .render import SITE_URL

    tables = data.as_of_view({name: data.load_table(name) for name in ("article", "claims", "claim_sources", "sources",
                                                                        "claim_summaries", "corrections")}, params["as_of"])
    claims = claims_module.verdicts_as_of(tables["claims"], tables["claim_sources"], pd.Timestamp(params["as_of"]))
    claims = claims.merge(tables["claim_summaries"], on="claim_id", how="left")
    report_url = urljoin(params.get("site_url") or SITE_URL, report_url)
    return claims_module.claim_reviews(claims, tables["article"], report_url, tables["corrections"])


def assemble(executed, params_path, report_dir):
    params = json.loads(Path(params_path).read_text())
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    for leftover in report_dir.glob(".staging-*"):  # from a build that was killed before it could clean up
        shutil.rmtree(leftover, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=report_dir))
    try:
        reviews = claim_reviews_for(params, "report.html")
        reviews_json = json.dumps(reviews, ensure_ascii=False, separators=(",", ":"))
        info = report_info(params)
        html = render_html(sorted(executed), info, reviews_json.replace("</", "<\\/"))
        (staging / "report.html").write_text(html, encoding="utf-8")
        (staging / "claimreview.jsonld").write_text(reviews_json + "\n", encoding="utf-8")
        if "pdf" in params["formats"]:
            print_pdf(staging / "report.html", staging / "report.pdf")
        written = [n for n in config.REPORT_FILES if (staging / n).exists()]
        if "html" not in params["formats"]:
            written.remove("report.html")
        manifest = {"parameters": params, "inputs": info["inputs"], "commit": info["commit"],
                    "packages": info["packages"], "outputs": {n: sha256(staging / n) for n in written}}
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        for name in written + ["manifest.json"]:
            (staging / name).replace(report_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def make_dependencies(build_dir):
    """Make rules: each executed notebook depends on the data files it declared in config.NOTEBOOK_INPUTS."""
    descriptor = json.loads(config.DATAPACKAGE.read_text(encoding="utf-8"))
    paths = {r["name"]: f"data/{r['path']}" for r in descriptor["resources"]}
    lines = []
    for notebook, inputs in config.NOTEBOOK_INPUTS.items():
        files = [paths[name] for name in inputs] + (["data/article.txt"] if "article" in inputs else [])
        lines.append(f"{build_dir}/executed/{notebook}.ipynb: {' '.join(files)}")
    return "\n".join(lines) + "\n"


def stale_inputs(report_dir):
    """Inputs whose hash differs from the report's manifest, and the default parameters it must have been built with."""
    from .params import defaults

    manifest_path = Path(report_dir) / "manifest.json"
    if not manifest_path.exists():
        return ["report/manifest.json is missing"]
    manifest = json.loads(manifest_path.read_text())
    recorded, current = manifest["inputs"], input_hashes()
    problems = [f"{path} changed since the report was built" for path in sorted(current) if recorded.get(path) != current[path]]
    problems += [f"{path} was an input but no longer exists" for path in sorted(set(recorded) - set(current))]
    default_params = defaults()
    if {k: manifest["parameters"].get(k) for k in ("as_of", "attack_rate_days")} != \
            {k: default_params[k] for k in ("as_of", "attack_rate_days")}:
        problems.append(f"the report was built with non-default parameters {manifest['parameters']}")
    for name, digest in manifest["outputs"].items():
        if not (Path(report_dir) / name).exists() or sha256(Path(report_dir) / name) != digest:
            problems.append(f"report/{name} does not match its hash in the manifest (edited by hand or half-written)")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("execute")
    ex.add_argument("notebook")
    ex.add_argument("output")
    ex.add_argument("--params", required=True)
    ex.add_argument("--failed-dir", default=str(config.BUILD / "failed"))
    asm = sub.add_parser("assemble")
    asm.add_argument("executed", nargs="+")
    asm.add_argument("--params", required=True)
    asm.add_argument("--report-dir", default=str(config.REPORT))
    deps = sub.add_parser("deps")
    deps.add_argument("--build-dir", default="build")
    fresh = sub.add_parser("check-fresh")
    fresh.add_argument("--report-dir", default=str(config.REPORT))
    args = parser.parse_args(argv)
    if args.command == "deps":
        print(make_dependencies(args.build_dir), end="")
        return 0
    if args.command == "check-fresh":
        problems = stale_inputs(args.report_dir)
        if problems:
            print("The committed report is stale:\n  " + "\n  ".join(problems) +
                  "\nRun `make report` and commit report/.", file=sys.stderr)
            return 1
        print("report/ is up to date with its inputs")
        return 0
    try:
        if args.command == "execute":
            execute(args.notebook, args.output, args.params, args.failed_dir)
        else:
            assemble(args.executed, args.params, args.report_dir)
    except BuildError as err:
        print(f"BUILD FAILED: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
