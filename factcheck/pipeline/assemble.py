"""Assemble the executed notebooks into one self-contained HTML page with nbconvert and the `report` template."""
import base64
import gzip
import json
from datetime import date
from importlib import metadata
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

from .. import config
from ..config import PUBLICATION_MIMETYPE as PUBLICATION
from ..config import VEGA_LITE_MIMETYPE as VEGA_LITE
from . import BuildError

HIDDEN_CELL_TAGS = {"remove-cell", "parameters", "injected-parameters"}


def vega_bundle():
    """vega, vega-lite and vega-embed in one script, made offline by vl-convert, gzipped and base64-encoded
    (0.9 MB of JavaScript becomes about 0.3 MB of page); cached in build/ under the installed version.

    gzip's header time is fixed at zero so the same bundle always gives the same bytes.
    """
    cache = config.BUILD / f"vega-bundle-{metadata.version('vl-convert-python')}.js.gz.b64"
    if not cache.exists():
        import vl_convert

        cache.parent.mkdir(parents=True, exist_ok=True)
        script = vl_convert.javascript_bundle().encode("utf-8")
        partial = cache.with_suffix(".partial")
        partial.write_text(base64.b64encode(gzip.compress(script, mtime=0)).decode("ascii"), encoding="ascii")
        partial.replace(cache)
    return cache.read_text(encoding="ascii")


def read_executed(paths):
    """The executed notebooks, read once. The execute step wrote and validated them, so they are not validated again."""
    return [nbformat.v4.reads(Path(path).read_text(encoding="utf-8")) for path in paths]


def merge(notebooks):
    merged = nbformat.v4.new_notebook()
    merged.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                       "language_info": {"name": "python"}}
    for nb in notebooks:
        merged.cells.extend(nb.cells)
    return merged


class ReportExporter(HTMLExporter):
    """nbconvert's HTML exporter without its last step: a BeautifulSoup parse and re-serialisation of the whole page,
    which gives alt text to images that lack it and tab stops to `.jp-Notebook` cells. The report template writes
    neither, and the pass took most of assembly's time, growing with the page."""

    def from_notebook_node(self, nb, resources=None, **kw):
        resources = self._init_resources(resources)
        self.register_filter("highlight_code", Highlight2HTML(parent=self))
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata,
                                                                       parent=self, resources=resources))
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


def render_html(notebooks, report_info, claim_reviews_json):
    from traitlets.config import Config

    from ..render import bytecode_cache, table_of_contents

    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = HIDDEN_CELL_TAGS
    c.TagRemovePreprocessor.remove_input_tags = {"remove-input"}
    c.CSSHTMLHeaderPreprocessor.enabled = False
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.preprocessors = ["nbconvert.preprocessors.TagRemovePreprocessor"]
    c.NbConvertBase.display_data_priority = [VEGA_LITE, "text/html", "text/markdown", "image/svg+xml",
                                             "image/png", "text/plain"]
    exporter = ReportExporter(config=c, template_name=config.TEMPLATE_NAME,
                            extra_template_basedirs=[str(config.TEMPLATE_DIR)])
    exporter.environment.bytecode_cache = bytecode_cache()
    resources = {"report": report_info, "vega_bundle": vega_bundle(), "claim_reviews": claim_reviews_json,
                 "metadata": {"name": report_info["title"]}}
    html, _ = exporter.from_notebook_node(merge(notebooks), resources=resources)
    if 'class="jp-CodeMirrorEditor' in html:
        raise BuildError("code input leaked into the report: tag every code cell remove-input or remove-cell")
    return html.replace("<!-- TOC -->", table_of_contents(html))


def publication_record(notebooks):
    """The record the front-page notebook published with `notebook.publish` (see summary.publication_record)."""
    for nb in notebooks:
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                if PUBLICATION in output.get("data", {}):
                    return output["data"][PUBLICATION]
    raise BuildError("no notebook published the report's publication record: notebooks/00_summary.ipynb must end "
                     "with a cell tagged remove-cell that calls publish(summary.publication_record(...))")


def report_info(parameters, manifest, record):
    from ..render import REPORT_TITLE, long_date, publication_info

    as_of, article = parameters["as_of"], record["article"]
    published = article["date_published"]
    at_publication = (date.fromisoformat(as_of) - date.fromisoformat(published)).days <= 6
    return publication_info(parameters, record, {
        "title": REPORT_TITLE,
        "subtitle": "Every checkable statement in a January 2024 Deutsche Welle article, with sources and historical context",
        "article_title": article["title"], "article_authors": article["authors"],
        "article_publisher": article["publisher"], "article_url": article["url"],
        "article_published": published,
        "as_of": as_of,
        "view": (f"What was known when the article appeared: only events, data and sources dated on or before "
                 f"{long_date(as_of)} are shown; later evidence and outcomes are left out." if at_publication else
                 f"Events, data and sources up to {long_date(as_of)}."),
        "input_digest": manifest["input_digest"],
        "parameters": parameters,
        "packages": manifest["packages"],
        "inputs": manifest["inputs"],
    })


def assemble(executed, parameters, manifest, staging):
    """report.html and claimreview.jsonld into `staging`; returns the names written."""
    from ..claims import reviews_at
    from ..render import report_address

    notebooks = read_executed(executed)
    record = publication_record(notebooks)
    reviews = reviews_at(record["claim_reviews"], report_address(parameters["site_url"]))
    reviews_json = json.dumps(reviews, ensure_ascii=False, separators=(",", ":"))
    html = render_html(notebooks, report_info(parameters, manifest, record), reviews_json.replace("</", "<\\/"))
    (staging / "report.html").write_text(html, encoding="utf-8")
    (staging / "claimreview.jsonld").write_text(reviews_json + "\n", encoding="utf-8")
    return ["report.html", "claimreview.jsonld"]
