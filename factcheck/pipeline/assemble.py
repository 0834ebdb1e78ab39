"""Assemble the executed notebooks into one self-contained HTML page with nbconvert and the `report` template."""
import base64
import gzip
import json
from importlib import metadata

import nbformat

from .. import config
from ..charts import VEGA_LITE_MIMETYPE as VEGA_LITE
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


def merge(notebooks):
    merged = nbformat.v4.new_notebook()
    merged.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                       "language_info": {"name": "python"}}
    for path in notebooks:
        merged.cells.extend(nbformat.read(path, as_version=4).cells)
    return merged


def render_html(notebooks, report_info, claim_reviews_json):
    from nbconvert import HTMLExporter
    from traitlets.config import Config

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
    exporter = HTMLExporter(config=c, template_name=config.TEMPLATE_NAME,
                            extra_template_basedirs=[str(config.TEMPLATE_DIR)])
    resources = {"report": report_info, "vega_bundle": vega_bundle(), "claim_reviews": claim_reviews_json,
                 "metadata": {"name": report_info["title"]}}
    html, _ = exporter.from_notebook_node(merge(notebooks), resources=resources)
    if 'class="jp-CodeMirrorEditor' in html:
        raise BuildError("code input leaked into the report: tag every code cell remove-input or remove-cell")
    from ..render import table_of_contents

    return html.replace("<!-- TOC -->", table_of_contents(html))


def report_info(parameters, manifest):
    import pandas as pd

    from .. import data

    article = data.load_table("article").iloc[0]
    as_of = pd.Timestamp(parameters["as_of"])
    published = article["date_published"]
    at_publication = as_of <= published + pd.Timedelta(days=6)
    from ..render import REPORT_TITLE, publication_info

    return publication_info(parameters, {
        "title": REPORT_TITLE,
        "subtitle": "Every checkable statement in a January 2024 Deutsche Welle article, with sources and historical context",
        "article_title": article["title"], "article_authors": article["authors"],
        "article_publisher": article["publisher"], "article_url": article["url"] if isinstance(article["url"], str) else "",
        "article_published": published.date().isoformat(),
        "as_of": as_of.date().isoformat(),
        "view": (f"View at publication: only events, data and sources dated on or before {as_of.date()} are shown; "
                 "later evidence and outcomes are left out." if at_publication else
                 f"Hindsight view: events, data and sources up to {as_of.date()}."),
        "input_digest": manifest["input_digest"],
        "parameters": parameters,
        "packages": manifest["packages"],
        "inputs": manifest["inputs"],
    })


def claim_reviews_for(parameters, report_url):
    from urllib.parse import urljoin

    import pandas as pd

    from .. import claims as claims_module, data

    names = ("article", "claims", "claim_sources", "claim_updates", "sources", "claim_summaries", "corrections")
    tables = data.as_of_view({name: data.load_table(name) for name in names}, parameters["as_of"])
    claims = claims_module.verdicts_as_of(tables["claims"], tables["claim_sources"], pd.Timestamp(parameters["as_of"]),
                                          tables["claim_updates"])
    claims = claims.merge(tables["claim_summaries"], on="claim_id", how="left")
    report_url = urljoin(parameters["site_url"], report_url)
    return claims_module.claim_reviews(claims, tables["article"], report_url, tables["corrections"])


def assemble(executed, parameters, manifest, staging):
    """report.html and claimreview.jsonld into `staging`; returns the names written."""
    reviews = claim_reviews_for(parameters, "report.html")
    reviews_json = json.dumps(reviews, ensure_ascii=False, separators=(",", ":"))
    html = render_html(executed, report_info(parameters, manifest), reviews_json.replace("</", "<\\/"))
    (staging / "report.html").write_text(html, encoding="utf-8")
    (staging / "claimreview.jsonld").write_text(reviews_json + "\n", encoding="utf-8")
    return ["report.html", "claimreview.jsonld"]
