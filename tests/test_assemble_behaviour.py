"""Assembly without a kernel: hand-made executed notebooks become report.html and claimreview.jsonld. What the page
shows and hides, the addresses a view may claim, the dated view line, and the escaping helpers."""
import json
import urllib.parse

import nbformat
import pytest

from factcheck.pipeline import BuildError
from factcheck.pipeline.assemble import assemble, merge, report_info, script_json, svg_data_uri
from tests.test_hostile_input import _executed_notebook, _record

PARAMETERS = {"as_of": "2024-01-20", "formats": ["html"], "site_url": "https://example.org/",
              "repo_url": "https://example.org/repo", "attack_rate_days": 7, "attack_rate_min_days": 7}
MANIFEST = {"input_digest": "0" * 64, "packages": {}, "inputs": {}}


def cell(source, tags=(), outputs=()):
    code = nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)})
    code.outputs = [nbformat.v4.new_output("display_data", data=data) for data in outputs]
    return code


def assembled(tmp_path, cells, address=None):
    """report.html's text, claimreview.jsonld's text and the names assemble returned."""
    first = _executed_notebook(tmp_path / "00.ipynb", _record("The headline"))
    second = nbformat.v4.new_notebook()
    second.cells = cells
    nbformat.write(second, tmp_path / "10.ipynb")
    written = assemble([first, tmp_path / "10.ipynb"], PARAMETERS, MANIFEST, tmp_path, address)
    return (tmp_path / "report.html").read_text(encoding="utf-8"), (tmp_path / "claimreview.jsonld").read_text(), written


def test_outputs_are_shown_and_hidden_cells_and_inputs_are_not(tmp_path):
    cells = [
        cell("shown_input = 1", ["remove-input"], [{"text/html": "<p>SHOWN-OUTPUT</p>", "text/plain": "PLAIN-OUTPUT"}]),
        cell("hidden", ["remove-cell"], [{"text/plain": "REMOVED-CELL"}]),
        cell("as_of = 'PARAMETER-DEFAULT'", ["parameters"]),
        cell("as_of = 'INJECTED-VALUE'", ["injected-parameters"]),
        nbformat.v4.new_markdown_cell("Prose after the tables."),
    ]
    result = cell("value", ["remove-input"])
    result.execution_count = 3
    result.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "RESULT"}, execution_count=3)]
    html, _, written = assembled(tmp_path, [*cells, result])
    assert written == ["report.html", "claimreview.jsonld"]
    assert "SHOWN-OUTPUT" in html and "Prose after the tables." in html
    for hidden in ("PLAIN-OUTPUT", "REMOVED-CELL", "PARAMETER-DEFAULT", "INJECTED-VALUE", "shown_input", "<!-- TOC -->"):
        assert hidden not in html, hidden
    assert "RESULT" in html and "[3]" not in html  # no prompts


def test_a_code_cell_without_a_hiding_tag_stops_the_build(tmp_path):
    with pytest.raises(BuildError, match="^code input leaked into the report: tag every code cell remove-input or remove-cell$"):
        assembled(tmp_path, [cell("visible_code = 1", [], [{"text/plain": "1"}])])


def test_an_address_makes_the_page_canonical_and_the_reviews_absolute(tmp_path):
    html, reviews, _ = assembled(tmp_path, [], address="https://example.org/report.html")
    assert '<link rel="canonical" href="https://example.org/report.html">' in html
    assert reviews.endswith("\n") and reviews.count("\n") == 1  # one compact line
    assert json.loads(reviews)[0]["url"] == "https://example.org/report.html#card-C01"


def test_a_view_without_an_address_claims_none(tmp_path):
    html, reviews, _ = assembled(tmp_path, [])
    assert 'rel="canonical"' not in html
    assert "url" not in json.loads(reviews)[0] and "url" not in json.loads(reviews)[0]["author"]


@pytest.mark.parametrize("as_of,view", [
    ("2024-01-14", "What was known when the article appeared: only events, data and sources dated on or before "
                   "14 January 2024 are shown; later evidence and outcomes are left out."),
    ("2024-01-15", "Events, data and sources up to 15 January 2024."),
])
def test_a_view_within_six_days_of_the_article_says_it_shows_what_was_known_then(as_of, view):
    record = _record("The headline")  # the article appeared on 8 January 2024
    info = report_info({**PARAMETERS, "as_of": as_of}, MANIFEST, record, "https://example.org/report.html")
    assert info["view"] == view
    assert (info["as_of"], info["canonical"], info["input_digest"]) == (as_of, "https://example.org/report.html", "0" * 64)
    assert (info["article_title"], info["article_published"], info["article_contact"]) == ("The headline", "2024-01-08", "")


def test_merging_keeps_every_cell_in_notebook_order_under_a_python_kernel():
    first, second = nbformat.v4.new_notebook(), nbformat.v4.new_notebook()
    first.cells, second.cells = [cell("a"), cell("b")], [cell("c")]
    merged = merge([first, second])
    assert [c.source for c in merged.cells] == ["a", "b", "c"]
    assert merged.metadata["kernelspec"]["name"] == "python3" and merged.metadata["language_info"] == {"name": "python"}


def test_json_in_a_script_block_escapes_what_could_end_or_break_it():
    value = {"text": "</script><!--&\u2028\u2029é"}
    escaped = script_json(value)
    assert escaped == '{"text":"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028\\u2029é"}'
    assert json.loads(escaped) == value


def test_a_chart_becomes_a_percent_encoded_data_uri_that_decodes_to_the_svg():
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><text x="1">50% & #1</text></svg>'
    uri = svg_data_uri(svg)
    assert uri.startswith("data:image/svg+xml,%3Csvg%20xmlns=%22http://www.w3.org/2000/svg%22%3E")  # readable, not base64
    assert " " not in uri and "#" not in uri and urllib.parse.unquote(uri.split(",", 1)[1]) == svg


def test_markdown_loses_scripts_and_styles_with_their_content_and_links_outside_the_web():
    from factcheck.pipeline.assemble import sanitise_markdown_html

    html = ('<script>alert(1)</script><style>p{color:red}</style><p>kept</p><a href="http://e.org/">web</a>'
            '<a href="mailto:a@e.org">mail</a><a href="ftp://e.org/">ftp</a><a href="tel:123">phone</a>')
    assert sanitise_markdown_html(html) == ('<p>kept</p><a href="http://e.org/">web</a><a href="mailto:a@e.org">mail</a>'
                                            '<a>ftp</a><a>phone</a>')  # and no rel="noopener noreferrer" added
