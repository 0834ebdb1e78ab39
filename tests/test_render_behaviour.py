"""The presentation layer's small pieces, each against output worked out by hand from a tiny input:
text fragments, missing values, dates, prose, free text with ids, tables, the annotated article and cards."""
import re

import pandas as pd
import pytest

from factcheck import render


def frame(**columns):
    return pd.DataFrame(columns)


SOURCES = frame(source_id=["s001", "s002"], outlet=["Reuters", "AP"], url=["https://r.example/a", "https://ap.example/b"],
                title=["Headline one", "Headline two"], reliability=["wire", "wire"],
                date_published=pd.to_datetime(["2024-01-05", "2024-01-06"])).set_index("source_id")


# --- URLs and text fragments ---------------------------------------------------------------------

def test_a_refused_url_is_named_in_the_error():
    with pytest.raises(render.UnsafeURL, match="javascript:alert"):
        render.safe_url("javascript:alert(1)")


def test_a_slash_in_an_excerpt_is_percent_encoded():
    assert render.text_fragment("either/or") == "text=either%2For"


def test_quote_marks_at_the_ends_of_an_excerpt_are_dropped():
    assert render.text_fragment('"Hello world"') == "text=Hello%20world"
    assert render.text_fragment("«Hello world»") == "text=Hello%20world"


def test_a_letter_at_the_end_of_an_excerpt_is_kept():
    assert render.text_fragment("Malcolm X") == "text=Malcolm%20X"
    assert render.text_fragment("plan X b") == "text=plan%20X%20b"


def test_a_lone_punctuation_mark_is_not_a_word():
    assert render.text_fragment("one , two ; three") == "text=one%20two%20three"


WORDS = "w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12".split()


def test_ten_words_are_short_enough_to_quote_whole():
    assert render.text_fragment(" ".join(WORDS[:10])) == "text=" + "%20".join(WORDS[:10])


def test_eleven_words_are_cut_to_the_first_and_last_four():
    assert render.text_fragment(" ".join(WORDS[:11])) == "text=w1%20w2%20w3%20w4,w8%20w9%20w10%20w11"


@pytest.mark.parametrize("ellipsis", ["...", "…", "[...]"])
def test_every_form_of_ellipsis_splits_a_short_excerpt(ellipsis):
    assert render.text_fragment(f"alpha beta {ellipsis} gamma delta") == "text=alpha%20beta,gamma%20delta"


def test_the_end_words_never_repeat_the_start_words():
    """An excerpt just over `short` but under twice `words` ends with the words after the start, not the last four."""
    assert render.text_fragment("a b c d e f", words=4, short=5) == "text=a%20b%20c%20d,e%20f"
    assert render.text_fragment("a b c d e f g h i j", words=4, short=5) == "text=a%20b%20c%20d,g%20h%20i%20j"


@pytest.mark.parametrize("excerpt", [None, float("nan"), pd.NA, "", "   ", "…"])
def test_a_missing_or_empty_excerpt_links_to_the_page_itself(excerpt):
    assert render.evidence_url("https://e.com/p", excerpt) == "https://e.com/p"


# --- missing values, dates, numbers ---------------------------------------------------------------

@pytest.mark.parametrize("value,missing", [(None, True), (float("nan"), True), (pd.NaT, True), (pd.NA, True),
                                           ("", False), ("nan", False), ([], False), ({}, False), (0, False)])
def test_is_missing(value, missing):
    assert render.is_missing(value) is missing


def test_iso_and_long_date_leave_missing_dates_empty():
    assert render.iso(None) == "" and render.iso(pd.NaT) == ""
    assert render.long_date(None) == "" and render.long_date(pd.NaT) == ""
    assert render.iso("2024-01-05 13:00") == "2024-01-05"
    assert render.long_date("2024-01-05") == "5 January 2024"


def test_a_date_tag_says_what_kind_of_date_it_is():
    assert render.date_tag(pd.Timestamp("2024-01-05")) == '<time datetime="2024-01-05" data-kind="event">5 January 2024</time>'
    assert render.date_tag(pd.Timestamp("2024-01-05"), "published") == \
        '<time datetime="2024-01-05" data-kind="published">5 January 2024</time>'
    assert render.date_tag(None) == "–"


def test_prose_writes_dates_as_a_newspaper_does_and_missing_numbers_as_a_dash():
    assert render.prose("on {d}", d=pd.Timestamp("2024-01-12")) == "<p>on 12 January 2024</p>"
    assert render.prose("{x} troops", x=float("nan")) == "<p>– troops</p>"
    assert render.prose("{x} troops", x=None) == "<p>– troops</p>"


# --- free text with internal ids -------------------------------------------------------------------

def test_plain_text_without_ids_is_only_escaped():
    assert render.plain("a < b & c") == "a &lt; b &amp; c"


def test_plain_keeps_the_text_around_each_id():
    html = render.plain("As C06 shows, x > y.", None, {"C06": 6})
    assert html == 'As <a class="claim-ref" href="#card-C06">claim 6</a> shows, x &gt; y.'


def test_a_claim_id_without_a_number_stays_as_written():
    assert render.plain("see C07 <", None, {"C06": 6}) == "see C07 &lt;"
    assert render.plain("see C06", None, None) == "see C06"


def test_a_source_id_without_a_source_list_links_to_the_source_list():
    assert render.plain("per a001.", None) == 'per <a class="src-ref" href="#src-a001">[source]</a>.'


def test_a_source_that_is_not_an_evidence_item_is_named_by_its_outlet_never_by_its_id():
    html = render.plain("Wire (s001) and s002 agree.", SOURCES, None, {"s001": "ev-C01-1"})
    assert html == ('Wire<a class="src-ref" href="#ev-C01-1" aria-label="source [1]: Reuters, 5 January 2024">[1]</a> and '
                    '<a class="src-ref" href="#src-s002" aria-label="source [AP]: AP, 6 January 2024">[AP]</a> agree.')


def test_a_card_names_another_claim_by_its_number():
    named = claim(explanation="As C07 says (s001).", conflict="Unlike C07, s002 disagrees.")
    card = render.claim_card(named, EVIDENCE, SOURCES, numbers={"C07": 9})
    assert card.count('<a class="claim-ref" href="#card-C07">claim 9</a>') == 2 and "C07," not in card


def test_a_bracketed_list_of_sources_becomes_numbered_evidence_links():
    html = render.plain("Both say so (s001, s002).", SOURCES, None, {"s001": "ev-C01-1", "s002": "ev-C01-2"})
    # seen as [1], heard as "source [1]: Reuters, 5 January 2024": the name holds what is seen and where it goes
    assert html == ('Both say so<a class="src-ref" href="#ev-C01-1" aria-label="source [1]: Reuters, 5 January 2024">[1]</a>'
                    '<a class="src-ref" href="#ev-C01-2" aria-label="source [2]: AP, 6 January 2024">[2]</a>.')


# --- tables ----------------------------------------------------------------------------------------

REGISTER = frame(claim_id=["C1", "C02"], number=[1, 2])


def test_a_table_without_a_caption_is_refused():
    with pytest.raises(ValueError, match="caption"):
        render.table(frame(a=[1]), {"a": "A"})


def cells(html):
    """The cells of each body row, as HTML."""
    body = html.split("<tbody>")[1]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body)]


def test_table_cells_link_claims_and_sources_and_format_numbers():
    rows = frame(claim_id=["C1", "C09"], source_id=["s001", "zz999"], troops=[12000, 150],
                 date=pd.to_datetime(["2024-01-05", "2024-02-01"]), note=["As C02 says (s002).", "plain"])
    html = render.table(rows, {"claim_id": "Claim", "source_id": "Source", "troops": "Troops", "date": "Date",
                               "note": "Note"},
                        dates={"date": "accessed"}, caption="Cap", sources=SOURCES, claims=REGISTER, numbers=("troops",))
    assert cells(html) == [
        ['<a class="claim-ref" href="#card-C1">claim 1</a>', '<a href="#src-s001">Reuters</a>', "12,000",
         '<time datetime="2024-01-05" data-kind="accessed">5 January 2024</time>',
         'As <a class="claim-ref" href="#card-C02">claim 2</a> says'
         '<a class="src-ref" href="#src-s002" aria-label="source [AP]: AP, 6 January 2024">[AP]</a>.'],
        ["C09", "zz999", "150", '<time datetime="2024-02-01" data-kind="accessed">1 February 2024</time>', "plain"],
    ]
    assert '<th scope="col" class="num">Troops</th>' in html and '<th scope="col">Claim</th>' in html
    assert html.count('<td class="num" data-label="Troops">') == 2
    assert "<caption>Cap</caption>" in html and 'aria-label="Cap"' in html


def test_a_source_id_column_without_a_source_list_shows_the_id():
    html = render.table(frame(source_id=["s001"]), {"source_id": "Source"}, caption="Cap")
    assert cells(html) == [["s001"]]


def test_a_table_is_plain_unless_asked_to_be_compact_which_puts_it_one_step_away():
    rows = frame(a=["x", "y"])
    html = render.table(rows, {"a": "A"}, caption="Cap")
    assert html.startswith('<div class="table-wrap" role="region" aria-label="Cap">')
    assert "compact" not in html and "print-note" not in html
    html = render.table(rows, {"a": "A"}, caption="Cap", label="All rows", compact=True, table_id="t-1")
    assert html.startswith('<details class="more-data"><summary>Show the table: Cap (2 rows)</summary>'
                           '<div class="table-wrap long-table" id="t-1" role="region" aria-label="All rows">')
    assert html.endswith("</details>")
    assert '<table class="data stack compact">' in html and "leaves out the 2 rows" in html


# --- the annotated article ------------------------------------------------------------------------

def test_text_outside_every_claim_is_not_highlighted_and_markers_close_their_claim():
    register = frame(claim_id=["C01"], number=[1], start=[6], end=[11], verdict=["supported"])
    html = render.annotated_article("Hello world. Bye.", register)
    assert html.startswith('<div class="annotated-article">Hello <a class="hl v-supported" href="#card-C01"')
    assert re.search(r">world</a><a class=\"marker v-supported\" id=\"hl-C01\"[^>]*>.*?</svg>1</a>\. Bye\.</div>$", html)
    assert html.count('class="hl ') == 1 and html.count('class="marker ') == 1


# --- claim cards ----------------------------------------------------------------------------------

def claim(**fields):
    base = {"claim_id": "C01", "number": 3, "verdict": "supported", "claim_type": "statistic", "quote": "q",
            "conclusion": "c", "explanation": "Reuters (s001) says so.", "quote_fidelity": "", "conflict": ""}
    return pd.Series(base | fields)


EVIDENCE = frame(claim_id=["C01", "C01"], source_id=["s002", "s001"], excerpt=["x", "y"])


def test_a_card_numbers_its_evidence_from_one_and_links_the_explanation_to_it():
    card = render.claim_card(claim(), EVIDENCE, SOURCES)
    assert '<h4 class="card-head" id="card-C01-h">' in card and "</h4>" in card
    assert ('<p class="explanation">Reuters<a class="src-ref" href="#ev-C01-2" aria-label="source [2]: Reuters, 5 January 2024">'
            '[2]</a> says so.</p>') in card
    assert '<li id="ev-C01-1">' in card and '<li id="ev-C01-2">' in card and "2 sources" in card


def test_a_card_takes_its_heading_level():
    assert '<h3 class="card-head"' in render.claim_card(claim(), EVIDENCE, SOURCES, heading_level=3)


def test_a_card_shows_searches_outcome_and_conflict_when_given():
    outcome = pd.Series({"status": "partly", "judged_from": pd.Timestamp("2024-09-27"), "explanation": "half"})
    card = render.claim_card(claim(conflict="AP (s002) disagrees."), EVIDENCE, SOURCES, "one | two", outcome)
    assert "<strong>What we searched for:</strong> one; two</p>" in card
    assert "What happened since: partly borne out</strong>, as judged from 27 September 2024. half</p>" in card
    assert ('<p class="conflict"><strong>Sources disagree.</strong> AP'
            '<a class="src-ref" href="#ev-C01-1" aria-label="source [1]: AP, 6 January 2024">[1]</a> disagrees.</p>') in card


@pytest.mark.parametrize("conflict", ["", float("nan"), None])
def test_a_card_without_a_conflict_says_nothing_of_one(conflict):
    card = render.claim_card(claim(conflict=conflict), EVIDENCE, SOURCES)
    assert "Sources disagree" not in card and 'class="conflict"' not in card
    assert "What we searched for" not in card and "What happened since" not in card


def test_text_shows_missing_values_as_a_dash_and_dates_as_iso():
    assert render.text(float("nan")) == "–" and render.text("nan") == "nan"
    assert render.text(pd.Timestamp("2024-01-05 10:00")) == "2024-01-05" and render.text("<b>") == "&lt;b&gt;"


@pytest.mark.parametrize("value,shown", [(9999, "9999"), (10000, "10,000"), (-12000, "-12,000"), (1500, "1500"),
                                         (3.0, "3"), (12000.0, "12,000"), (2.5, "2.5"), (12345.67, "12,345.7"),
                                         (None, ""), (float("nan"), ""), ("n/a", "n/a")])
def test_numbers_get_thousands_separators_from_five_digits(value, shown):
    assert render.number(value) == shown


@pytest.mark.parametrize("kinds, words", [
    (["published"], "no corrections"),
    (["published", "update"], "1 update"),
    (["published", "update", "correction", "update", "correction", "update"], "2 corrections and 3 updates"),
    (["clarification", "update", "correction"], "1 correction, 1 update and 1 clarification"),
])
def test_the_changes_since_publication_are_counted_by_kind_from_the_log(kinds, words):
    assert render.changes_since_publication([{"kind": kind} for kind in kinds]) == words


def test_a_card_heading_carries_the_claims_short_title_and_its_verdict():
    card = render.claim_card(claim(summary="Over 100 attacks in Iraq"), EVIDENCE, SOURCES)
    heading = re.search(r"<h4[^>]*>(.*?)</h4>", card, re.S).group(1)
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", heading)).strip()
    assert words == "Claim 3: Over 100 attacks in Iraq, verdict: Supported"


def test_a_source_line_keeps_a_space_between_the_date_and_the_reliability():
    card = render.claim_card(claim(), EVIDENCE, SOURCES)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", card))
    assert "5 January 2024 (wire copy)" in text


PUBLICATION = {"headline": "H", "dek": "D", "reviewed": "2026-11-24", "updated": "2026-11-30",
               "corrections": [{"date": "2026-11-24", "kind": "published", "change": "first"}]}
INFO = {"article_published": "2024-01-10", "article_title": "T", "article_authors": "A", "article_publisher": "P",
        "article_url": "", "article_contact": "", "view": "v", "as_of": "2026-11-24", "input_digest": "ab" * 32,
        "parameters": {"attack_rate_days": 7, "attack_rate_min_days": 7}, "packages": {"pandas": "2.0"}}


def test_with_no_addresses_set_nothing_needs_one_and_the_trust_box_says_how_to_report_an_error():
    info = render.publication_info({"site_url": None, "repo_url": None}, PUBLICATION, {**INFO, "canonical": None})
    page = "".join(info["html"].values())
    assert "canonical" not in page and "og:url" not in page
    assert not re.search(r'href="https?:', page), re.findall(r'href="[^"]*"', page)
    assert "Tell us, naming the claim" in info["html"]["trust_box"] and "no public form yet" in info["html"]["trust_box"]
    assert "has no public address yet" in info["html"]["appendix"]


def test_setting_the_addresses_fills_in_the_canonical_url_the_sharing_url_and_the_error_form():
    site = "https://example.org/site/"  # the build gives the standard report its address (cli.publish_view)
    info = render.publication_info({"site_url": site, "repo_url": "https://example.org/repo/"}, PUBLICATION,
                                   {**INFO, "canonical": render.report_address(site)})
    assert '<link rel="canonical" href="https://example.org/site/report.html">' in info["html"]["head"]
    assert '<meta property="og:url" content="https://example.org/site/report.html">' in info["html"]["head"]
    assert 'href="https://example.org/repo/issues/new"' in info["html"]["trust_box"]
    assert "https://example.org/site/report.html" in info["html"]["appendix"]


def test_the_report_address_is_a_site_url_naming_a_page_or_the_site_s_report_html():
    assert render.report_address("https://example.org/fact-check.html") == "https://example.org/fact-check.html"
    for site in ("https://example.org/site", "https://example.org/site/", "https://example.org/site//"):
        assert render.report_address(site) == "https://example.org/site/report.html"
    assert render.report_address(None) is None


def test_an_http_address_is_upgraded_only_where_its_host_is_known_to_serve_https():
    sources = frame(source_id=["s1", "s2", "s3"], url=["http://a.example/x", "https://a.example/y", "http://b.example/z"]
                    ).set_index("source_id")
    assert list(render.https_where_served(sources)["url"]) == ["https://a.example/x", "https://a.example/y",
                                                               "http://b.example/z"]
