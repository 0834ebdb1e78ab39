"""Hostile input and faults: no value can blank the page, run a command, or leave a stale, missing or half report."""
import json

import html5rdf
import nbformat

from factcheck.config import PUBLICATION_MIMETYPE
from factcheck.pipeline.assemble import assemble

HOSTILE = "<!--<script>alert(1)</script>&\u2028"


def _executed_notebook(path, record):
    nb = nbformat.v4.new_notebook()
    published = nbformat.v4.new_code_cell("publish(record)", metadata={"tags": ["remove-cell"]})
    published.outputs = [nbformat.v4.new_output("display_data", data={PUBLICATION_MIMETYPE: record})]
    nb.cells = [published, nbformat.v4.new_markdown_cell("The closing paragraph is still on the page.")]
    nbformat.write(nb, path)
    return path


def test_a_value_that_opens_a_comment_in_a_script_block_leaves_the_page_whole(tmp_path):
    review = {"@type": "ClaimReview", "url": "report.html#card-C01", "claimReviewed": HOSTILE,
              "author": {"name": HOSTILE, "url": "report.html"},
              "reviewRating": {"ratingExplanation": HOSTILE, "alternateName": HOSTILE},
              "itemReviewed": {"author": [{"name": HOSTILE}],
                               "appearance": {"headline": HOSTILE, "url": "https://example.org/" + HOSTILE}}}
    record = {"headline": HOSTILE, "dek": HOSTILE, "reviewed": "2024-01-20", "updated": "2024-01-20",
              "article": {"title": HOSTILE, "authors": HOSTILE, "publisher": HOSTILE,
                          "url": "https://example.org/" + HOSTILE, "date_published": "2024-01-08"},
              "corrections": [{"date": "2024-01-20", "kind": "published", "change": HOSTILE}],
              "claim_reviews": [review]}
    parameters = {"as_of": "2024-01-20", "formats": ["html"], "site_url": "https://example.org/",
                  "repo_url": "https://example.org/repo"}
    manifest = {"input_digest": "0" * 64, "packages": {}, "inputs": {}}
    executed = _executed_notebook(tmp_path / "00.ipynb", record)

    assemble([executed], parameters, manifest, tmp_path)

    page = html5rdf.parse((tmp_path / "report.html").read_text(encoding="utf-8"), namespaceHTMLElements=False)
    body = "".join(page.find("body").itertext())
    assert "The closing paragraph is still on the page." in body
    scripts = [s for s in page.iter("script") if (s.get("type") or "").endswith("json")]
    assert scripts, "no JSON script block found"
    embedded = {s.get("id"): json.loads(s.text) for s in scripts if s.get("id")}
    assert embedded["claimreview"][0]["claimReviewed"] == HOSTILE
    assert embedded["claimreview"][0]["reviewRating"]["ratingExplanation"] == HOSTILE
    for script in scripts:
        assert not {"<", ">", "&", "\u2028"} & set(script.text), script.text[:80]
