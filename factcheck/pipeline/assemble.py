"""Assemble the executed notebooks into one self-contained HTML page with nbconvert and the `report` template."""
import json
from datetime import date
from pathlib import Path
from urllib.parse import quote

import nbformat
import nh3
from jinja2 import pass_context
from markupsafe import Markup
from nbconvert import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

from .. import config
from ..config import PUBLICATION_MIMETYPE as PUBLICATION
from ..config import CHART_MIMETYPE as CHART
from . import BuildError

HIDDEN_CELL_TAGS = {"remove-cell", "parameters", "injected-parameters"}
# Inside <script>, `</script>` ends the block and `<!--` can make the parser swallow the rest of the page; JavaScript
# also reads U+2028/U+2029 as line ends. Written as JSON escapes, they keep their meaning and lose their effect.
_SCRIPT_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                                 "\u2028": "\\u2028", "\u2029": "\\u2029"})


def script_json(value):
    """`value` as JSON safe to place inside a <script> block: the one way any JSON reaches the page
    (`<` can only stand inside a JSON string, where \u003c means it)."""
    return Markup(json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES))


def svg_data_uri(svg):
    """A chart's SVG as a data: URI for `src` and `srcset`. Percent-encoded, not base64: the same size on disk, and it
    still compresses when served."""
    return "data:image/svg+xml," + quote(svg, safe="/:=;,.()'!*~-_")


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


# What markdown may become in the page: nh3's allow-list of tags and attributes, ids and classes on any of them (the
# headings' anchors), and links only to http(s), mail or within the page. Scripts, styles, event handlers, forms,
# frames and javascript: URLs are removed, with the content of scripts and styles.
MARKDOWN_ATTRIBUTES = {**nh3.ALLOWED_ATTRIBUTES, "*": {"id", "class", "title", "lang", "dir"}}


def sanitise_markdown_html(html):
    return nh3.clean(html, tags=nh3.ALLOWED_TAGS, attributes=MARKDOWN_ATTRIBUTES, clean_content_tags={"script", "style"},
                     url_schemes={"http", "https", "mailto"}, link_rel=None)


class ReportExporter(HTMLExporter):
    """nbconvert's HTML exporter without its last step: a BeautifulSoup parse and re-serialisation of the whole page,
    which gives alt text to images that lack it and tab stops to `.jp-Notebook` cells. The report template writes
    neither, and the pass took most of assembly's time, growing with the page.

    Markdown is author content, and raw HTML in it passes the allow-list above; the package's own HTML outputs are
    built by autoescaping templates and pass unchanged."""

    @pass_context
    def markdown2html(self, context, source):
        return sanitise_markdown_html(super().markdown2html(context, source))

    def from_notebook_node(self, nb, resources=None, **kw):
        resources = self._init_resources(resources)
        self.register_filter("highlight_code", Highlight2HTML(parent=self))
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata,
                                                                       parent=self, resources=resources))
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


def render_html(notebooks, report_info, claim_reviews):
    from traitlets.config import Config

    from ..render import bytecode_cache, table_of_contents

    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = HIDDEN_CELL_TAGS
    c.TagRemovePreprocessor.remove_input_tags = {"remove-input"}
    c.CSSHTMLHeaderPreprocessor.enabled = False
    c.HTMLExporter.exclude_input_prompt = True  # pragma: no mutate (equivalent: a shown input stops the build, below)
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.preprocessors = ["nbconvert.preprocessors.TagRemovePreprocessor"]
    c.NbConvertBase.display_data_priority = [CHART, "text/html", "text/markdown", "image/svg+xml",
                                             "image/png", "text/plain"]
    exporter = ReportExporter(config=c, template_name=config.TEMPLATE_NAME,
                            extra_template_basedirs=[str(config.TEMPLATE_DIR)],
                            extra_template_paths=[str(config.TEMPLATE_DIR)])  # for components/chart.html.j2
    exporter.environment.bytecode_cache = bytecode_cache()
    exporter.register_filter("script_json", script_json)
    exporter.register_filter("svg_data_uri", svg_data_uri)
    resources = {"report": report_info, "claim_reviews": claim_reviews,
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


def report_info(parameters, manifest, record, address=None):
    from ..render import REPORT_TITLE, long_date, publication_info

    as_of, article = parameters["as_of"], record["article"]
    published = article["date_published"]
    at_publication = (date.fromisoformat(as_of) - date.fromisoformat(published)).days <= 6
    return publication_info(parameters, record, {
        "title": REPORT_TITLE,
        "subtitle": "Every checkable statement in a January 2024 Deutsche Welle article, with sources and historical context",
        "article_title": article["title"], "article_authors": article["authors"],
        "article_publisher": article["publisher"], "article_url": article["url"],
        "article_published": published, "article_contact": article.get("contact", ""),
        "as_of": as_of,
        "view": (f"What was known when the article appeared: only events, data and sources dated on or before "
                 f"{long_date(as_of)} are shown; later evidence and outcomes are left out." if at_publication else
                 f"Events, data and sources up to {long_date(as_of)}."),
        "input_digest": manifest["input_digest"],
        "parameters": parameters,
        "packages": manifest["packages"],
        "inputs": manifest["inputs"],
        "canonical": address,
    })


def assemble(executed, parameters, manifest, staging, address=None):
    """report.html and claimreview.jsonld into `staging`; returns the names written. `address` is where the page is
    published: its canonical URL and the base of the ClaimReview URLs. Without one (a view), these stay relative to
    the page, so a view never claims the standard report's addresses."""
    from ..claims import reviews_at

    notebooks = read_executed(executed)
    record = publication_record(notebooks)
    reviews = reviews_at(record["claim_reviews"], address)
    html = render_html(notebooks, report_info(parameters, manifest, record, address), reviews)
    (staging / "report.html").write_text(html, encoding="utf-8")
    (staging / "claimreview.jsonld").write_text(json.dumps(reviews, ensure_ascii=False, separators=(",", ":")) + "\n",
                                                encoding="utf-8")
    return ["report.html", "claimreview.jsonld"]
