"""Every piece the presentation layer renders, fed hostile text in every field that comes from data/: the text reaches
the page as text, and no element, attribute, comment or link is injected. Parsed here, in a second, without a build;
the build test (test_build_fresh.py) does the same through Chromium on the whole report."""
import pandas as pd
import pytest
from bs4 import BeautifulSoup, Comment

from factcheck import render

HOSTILE = ('<img src=x onerror=alert(1)>"\'><script>alert(2)</script><!-- x --></textarea>'
           '<a href="javascript:alert(3)">j</a> javascript:alert(4) {{ 7 * 7 }}')
MARKERS = ("<img", "<script", "<!--", "<a href", "</textarea>")


def assert_inert(html, expected_copies=1):
    """Parsed as a browser would: no script, image, frame or comment, no event handler, every link to the page or to
    http(s), and the hostile text shown as text, whole."""
    page = BeautifulSoup(str(html), "html.parser")
    assert not page.find_all(["script", "img", "iframe", "object", "embed", "textarea"])
    assert not page.find_all(string=lambda s: isinstance(s, Comment))
    for element in page.find_all(True):
        assert not [a for a in element.attrs if a.lower().startswith("on")], element
        if element.name == "a":
            assert element["href"].startswith(("#", "http://", "https://")), element["href"]
    assert page.get_text().count(HOSTILE) >= expected_copies


def frame(**columns):
    return pd.DataFrame(columns)


SOURCES = frame(source_id=["s001"], outlet=[HOSTILE], url=["https://example.org/a"], title=[HOSTILE], reliability=[HOSTILE],
                date_published=[pd.Timestamp("2024-01-05")], date_accessed=[pd.Timestamp("2026-11-24")]).set_index("source_id")
CLAIM = pd.Series({"claim_id": "C01", "number": 1, "verdict": "supported", "claim_type": HOSTILE, "quote": HOSTILE,
                   "conclusion": HOSTILE, "explanation": f"{HOSTILE} (s001) {HOSTILE}", "quote_fidelity": HOSTILE,
                   "conflict": f"{HOSTILE} s001", "summary": HOSTILE, "claimant": HOSTILE, "start": 0, "end": 10})
EVIDENCE = frame(claim_id=["C01"], source_id=["s001"], excerpt=[HOSTILE])


def test_free_text_with_source_and_claim_ids():
    assert_inert(render.plain(f"{HOSTILE}s001{HOSTILE} (s001) C01 {HOSTILE}", SOURCES, {"C01": 1}), 3)
    assert_inert(render.text(HOSTILE))
    assert_inert(render.prose("{a} and {b}", a=HOSTILE, b=HOSTILE), 2)


def test_a_card_and_the_cards_section():
    outcome = pd.Series({"status": "partly", "judged_from": pd.Timestamp("2024-09-27"), "explanation": HOSTILE})
    correction = pd.Series({"date": pd.Timestamp("2026-12-01"), "kind": "correction", "change": HOSTILE})
    assert_inert(render.claim_card(CLAIM, EVIDENCE, SOURCES, HOSTILE, outcome, corrections=[correction]), 6)
    assert_inert(render.claim_cards([render.claim_card(CLAIM, EVIDENCE, SOURCES)]))


def test_tables_the_glance_the_findings_the_masthead_and_the_steps():
    register = frame(**{k: [v] for k, v in CLAIM.items()})
    assert_inert(render.table(frame(text=[HOSTILE], source_id=["s001"], claim_id=["C01"]),
                              {"text": "Text", "source_id": "Source", "claim_id": "Claim"}, caption=HOSTILE,
                              sources=SOURCES, claims=register))
    assert_inert(render.glance_table(register))  # the short title; the conclusion is on the card
    assert_inert(render.findings([("card-C01", "supported", render.prose("{t}", t=HOSTILE))]))
    assert_inert(render.headline(HOSTILE, HOSTILE, HOSTILE), 3)
    assert_inert(render.steps(frame(date=[pd.Timestamp("2024-01-25")], title=[HOSTILE])))
    assert_inert(render.search_log([{"what": HOSTILE, "found": HOSTILE, "queries": [HOSTILE]}], HOSTILE), 3)
    assert_inert(render.sources_list(SOURCES), 2)


def test_the_annotated_article():
    text = HOSTILE + " the claim " + HOSTILE
    start = text.index("the claim")
    claims = frame(**{k: [v] for k, v in CLAIM.items()}).assign(start=start, end=start + len("the claim"))
    assert_inert(render.annotated_article(text, claims), 2)


def test_the_trust_box_head_and_appendix():
    record = {"headline": HOSTILE, "dek": HOSTILE, "reviewed": "2026-11-24", "updated": "2026-12-01",
              "corrections": [{"date": "2026-12-01", "kind": "correction", "change": HOSTILE}]}
    info = {"article_title": HOSTILE, "article_authors": HOSTILE, "article_publisher": HOSTILE,
            "article_url": "https://example.org/article", "article_published": "2024-01-10", "article_contact": HOSTILE,
            "view": HOSTILE, "as_of": "2026-11-24", "input_digest": HOSTILE, "canonical": "https://example.org/site/report.html",
            "parameters": {"tagline": HOSTILE, "attack_rate_days": 7, "attack_rate_min_days": 7},
            "packages": {HOSTILE: HOSTILE}, "inputs": {HOSTILE: HOSTILE}}
    parameters = {"site_url": "https://example.org/site/", "repo_url": "https://example.org/repo"}
    out = render.publication_info(parameters, record, info)
    assert_inert(out["html"]["trust_box"], 5)
    assert_inert(out["html"]["appendix"], 3)
    head = BeautifulSoup(str(out["html"]["head"]), "html.parser")
    assert all(s.get("type") == "application/ld+json" for s in head.find_all("script")) and not head.find_all("img")
    assert not [a for e in head.find_all(True) for a in e.attrs if a.lower().startswith("on")]
    assert any(meta.get("content") == HOSTILE for meta in head.find_all("meta"))


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "//evil.example/x",
                                 " JAVASCRIPT:alert(1)", "vbscript:x"])
def test_a_link_to_anything_but_http_is_refused_wherever_a_source_is_linked(url):
    sources = SOURCES.assign(url=[url])
    for render_it in (lambda: render.sources_list(sources), lambda: render.claim_card(CLAIM, EVIDENCE, sources)):
        with pytest.raises(render.UnsafeURL):
            render_it()
