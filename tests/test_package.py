"""Unit tests of the shared package, on small frames built here."""
import json
import re
from html import unescape

import nbformat
import pandas as pd
import pytest

from factcheck import claims, context, data, render, summary
from factcheck.config import PUBLICATION_MIMETYPE
from factcheck.pipeline import BuildError, assemble, execute

HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>"};alert(3);//'


def frame(**columns):
    return pd.DataFrame(columns)


def test_annotated_article_keeps_the_text_and_marks_every_claim_even_when_spans_overlap():
    text = "Alpha beta gamma delta."
    register = claims.number_claims(frame(claim_id=["C01", "C02", "C03"], start=[0, 6, 6], end=[16, 10, 22],
                                          verdict=["supported", "inaccurate", "opinion"]))
    html = render.annotated_article(text, register)
    plain = unescape(re.sub(r"<a class=\"marker.*?</a>", "", html))
    assert re.sub(r"<[^>]+>", "", plain) == text
    for cid, number, verdict in zip(register["claim_id"], register["number"], register["verdict"]):
        marker = re.search(f'<a class="marker v-{verdict}" id="hl-{cid}" href="#card-{cid}" aria-label="claim {number}: '
                           f'{verdict}"><svg[^>]*aria-hidden="true".*?</svg>{number}</a>', html)
        assert marker, cid
    # the narrowest claim takes "beta", and its highlight is named for screen readers
    assert '<a class="hl v-inaccurate" href="#card-C02" aria-label="claim 2: inaccurate: beta">beta</a>' in html


def test_the_embed_placeholder_becomes_a_note_and_claims_around_it_keep_their_text():
    text = f"One claim.\n{render.EMBED_PLACEHOLDER}\nTwo.\n{render.EMBED_PLACEHOLDER}\nEnd."
    register = claims.number_claims(frame(claim_id=["C01"], start=[0], end=[10], verdict=["supported"]))
    html = render.annotated_article(text, register)
    assert "Click to view" not in html
    assert html.count('<span class="embed-note">') == 2
    assert re.sub(r"<[^>]+>", "", re.sub(r"<a class=\"marker.*?</a>|<span class=\"embed-note\">.*?</span>", "", html)) \
        == text.replace(render.EMBED_PLACEHOLDER, "")
    assert 'aria-label="claim 1: supported: One claim."' in html


def test_cards_escape_every_data_value():
    claim = pd.Series({"claim_id": "C01", "number": 1, "verdict": "supported", "claim_type": "statistic",
                       "quote": HOSTILE, "conclusion": HOSTILE, "explanation": HOSTILE, "quote_fidelity": "exact",
                       "conflict": HOSTILE})
    sources = frame(source_id=["s1"], url=['javascript:alert(1)"><script>'], outlet=[HOSTILE], title=[HOSTILE],
                    reliability=["wire"], date_published=[pd.Timestamp("2024-01-05")]).set_index("source_id")
    with pytest.raises(render.UnsafeURL):
        render.claim_card(claim, frame(claim_id=["C01"], source_id=["s1"], excerpt=[HOSTILE]), sources, HOSTILE)
    sources.loc["s1", "url"] = 'https://example.org/"><script>'
    card = render.claim_card(claim, frame(claim_id=["C01"], source_id=["s1"], excerpt=[HOSTILE]), sources, HOSTILE)
    assert "<script>" not in card and "<img" not in card
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card


@pytest.mark.parametrize("note", ["", float("nan"), None])
def test_a_card_prints_its_sourcing_note_only_when_it_has_one(note):
    sources = frame(source_id=["s1"], url=["https://example.org/a"], outlet=["O"], title=["T"], reliability=["think_tank"],
                    date_published=[pd.Timestamp("2024-01-05")]).set_index("source_id")
    evidence = frame(claim_id=["C01"], source_id=["s1"], excerpt=["x"])
    base = {"claim_id": "C01", "number": 1, "verdict": "supported", "claim_type": "statistic", "quote": "q",
            "conclusion": "c", "explanation": "e", "quote_fidelity": "", "conflict": ""}
    shown = render.claim_card(pd.Series(base | {"sourcing_note": "Only a think tank's pages were found."}), evidence, sources)
    assert '<p class="sourcing-note"><strong>How well sourced:</strong> Only a think tank&#39;s pages were found.</p>' in shown
    assert 'class="sourcing-note"' not in render.claim_card(pd.Series(base | {"sourcing_note": note}), evidence, sources)


def test_a_card_shows_its_corrections_dated_and_escaped():
    claim = pd.Series({"claim_id": "C01", "number": 1, "verdict": "inaccurate", "claim_type": "number",
                       "quote": "q", "conclusion": "c", "explanation": "e", "quote_fidelity": "", "conflict": ""})
    sources = frame(source_id=["s1"], url=["https://example.org/"], outlet=["O"], title=["T"],
                    reliability=["wire"], date_published=[pd.Timestamp("2024-01-05")]).set_index("source_id")
    evidence = frame(claim_id=["C01"], source_id=["s1"], excerpt=["x"])
    correction = pd.Series({"date": pd.Timestamp("2026-12-01"), "kind": "correction", "claim_id": "C01", "change": HOSTILE})
    card = render.claim_card(claim, evidence, sources, corrections=[correction])
    assert re.search(r'<p class="correction"><strong>Corrected</strong> <time data-kind="correction" datetime="2026-12-01">'
                     r'1 December 2026</time>: &lt;script&gt;', card)
    assert card.index('class="correction"') < card.index("<details")
    assert 'class="correction"' not in render.claim_card(claim, evidence, sources)


def test_table_escapes_and_tags_dates():
    html = render.table(frame(name=[HOSTILE], date=[pd.Timestamp("2024-01-04")], source_id=["a1"]),
                        {"name": "Name", "date": "Date", "source_id": "Source"}, dates={"date": "event"}, caption=HOSTILE)
    assert "<script>" not in html
    assert '<time datetime="2024-01-04" data-kind="event">' in html and "&lt;script&gt;" in html


def test_prose_escapes_text_but_formats_numbers():
    assert render.prose("{n:,} {name}", n=130000, name="<b>") == "<p>130,000 &lt;b&gt;</p>"


def test_a_verdict_without_evidence_at_the_date_becomes_unverifiable():
    register = frame(claim_id=["C01", "C02", "C03"], verdict=["supported", "inaccurate", "opinion"],
                     conclusion=["a", "b", "c"], explanation=["x", "y", "z"])
    result = claims.verdicts_as_of(register, frame(claim_id=["C01"]), "2024-01-10")
    assert list(result["verdict"]) == ["supported", "unverifiable", "opinion"]
    assert "2024-01-10" in result.loc[1, "conclusion"]


def test_latest_outcome_is_the_last_one_judged_by_the_date():
    outcomes = frame(claim_id=["C1", "C1", "C2"], status=["partly", "not_borne_out", "borne_out"],
                     judged_from=pd.to_datetime(["2024-09-27", "2026-01-17", "2025-01-01"]))
    latest = claims.latest_outcomes(outcomes, "2025-06-01")
    assert latest.loc["C1", "status"] == "partly" and latest.loc["C2", "status"] == "borne_out"
    assert claims.latest_outcomes(outcomes, "2024-01-10").empty


def test_claim_reviews_carry_the_required_fields():
    article = frame(title=["T"], publisher=["DW"], url=["https://example.org/a"], authors=["A & B"],
                    date_published=[pd.Timestamp("2024-01-10")])
    register = frame(claim_id=["C01"], quote=["q"], verdict=["partly_supported"], conclusion=["c"],
                     checked=[pd.Timestamp("2026-11-24")])
    (review,) = claims.claim_reviews(register, article, "report.html")
    assert review["url"] == "report.html#card-C01" and review["claimReviewed"] == "q"
    assert review["reviewRating"] | {} == {"@type": "Rating", "alternateName": "Partly supported", "ratingValue": 3,
                                          "bestRating": 5, "worstRating": 1, "ratingExplanation": "c"}
    assert review["itemReviewed"]["@type"] == "Claim"
    assert [a["name"] for a in review["itemReviewed"]["author"]] == ["A", "B"]


def test_the_publication_record_takes_its_dates_from_the_corrections_log_and_addresses_reviews_relatively():
    article = frame(title=["T"], publisher=["DW"], url=[float("nan")], authors=["A"],
                    date_published=[pd.Timestamp("2024-01-10")])
    register = frame(claim_id=["C01", "C02"], quote=["q", "r"], verdict=["supported", "inaccurate"], conclusion=["c", "d"],
                     checked=[pd.Timestamp("2026-11-24")] * 2)
    corrections = frame(date=pd.to_datetime(["2026-12-01", "2026-11-24", "2026-11-30"]),
                        kind=["update", "published", "correction"], change=["u", "p", "c"])
    record = summary.publication_record(register, article, corrections, pd.Timestamp("2026-11-24"), pd.Timestamp("2024-01-10"))
    assert (record["reviewed"], record["updated"]) == ("2026-11-24", "2026-12-01")
    assert [c["change"] for c in record["corrections"]] == ["p", "c", "u"]
    assert record["article"] | {} == {"title": "T", "authors": "A", "publisher": "DW", "url": "", "date_published": "2024-01-10",
                                "contact": ""}
    assert record["headline"].endswith("1 of its 2 checkable statements are partly or wholly wrong")
    assert [r["url"] for r in record["claim_reviews"]] == ["report.html#card-C01", "report.html#card-C02"]
    assert all(r["dateModified"] == "2026-12-01" for r in record["claim_reviews"])
    json.dumps(record)  # it travels through the executed notebook as JSON


def test_reviews_at_resolves_card_and_reviewer_addresses_against_the_report():
    reviews = [{"url": "report.html#card-C01", "author": {"name": "X", "url": "report.html"}, "claimReviewed": "q"}]
    (review,) = claims.reviews_at(reviews, "https://example.org/site/report.html")
    assert review["url"] == "https://example.org/site/report.html#card-C01"
    assert review["author"] == {"name": "X", "url": "https://example.org/site/report.html"}
    assert review["claimReviewed"] == "q" and reviews[0]["url"] == "report.html#card-C01"


def test_reviews_with_no_report_address_leave_the_addresses_out_rather_than_invent_one():
    reviews = [{"url": "report.html#card-C01", "author": {"name": "X", "url": "report.html"}, "claimReviewed": "q"}]
    (review,) = claims.reviews_at(reviews, None)
    assert review == {"author": {"name": "X"}, "claimReviewed": "q"}


def test_the_article_argument_quotes_its_standfirst_and_its_own_answer():
    article = pd.Series({"standfirst": "Iraq says the U.S. troops must go. Will they?"})
    register = frame(claim_id=[summary.ANSWER_CLAIM, "C01"], quote=["Experts doubt it", "other"])
    assert summary.argument(article, register) == ("What the article argued: “Iraq says the U.S. troops must go.” "
                                                   "Its answer to its own question: “Experts doubt it.”")
    assert summary.argument(article, register.iloc[1:]) == "What the article argued: “Iraq says the U.S. troops must go.”"


def test_assembly_reads_the_record_from_the_executed_notebooks_and_refuses_without_one(tmp_path):
    plain, published = tmp_path / "a.ipynb", tmp_path / "b.ipynb"
    nbformat.write(notebook_with(code_cell()), plain)
    record = {"headline": "h"}
    output = {"output_type": "display_data", "metadata": {}, "data": {PUBLICATION_MIMETYPE: record}}
    nbformat.write(notebook_with(code_cell(["remove-cell"], [output])), published)
    assert assemble.publication_record(assemble.read_executed([plain, published])) == record
    with pytest.raises(BuildError, match="00_summary"):
        assemble.publication_record(assemble.read_executed([plain]))


def test_as_of_view_drops_later_rows_and_rows_citing_later_sources():
    tables = {
        "sources": frame(source_id=["early", "late"], date_published=pd.to_datetime(["2024-01-05", "2025-01-01"])),
        "events": frame(date=pd.to_datetime(["2024-01-04", "2024-01-04", "2024-03-01"]), source_id=["early", "late", "early"]),
    }
    view = data.as_of_view(tables, "2024-01-10")
    assert list(view["sources"]["source_id"]) == ["early"]
    assert len(view["events"]) == 1


def test_attack_rates_use_the_window_and_merge_same_day_statements():
    attacks = frame(series_id=["p"] * 4, date=pd.to_datetime(["2023-10-24", "2023-10-31", "2023-10-31", "2023-11-14"]),
                    total=pd.array([10, 24, 23, 52], dtype="Int64"))
    rates = context.attack_rates(attacks, "p", 7)
    assert list(rates["rate"]) == [14.0, 14.0]


def test_calls_per_year_lists_years_without_calls():
    calls = frame(date=pd.to_datetime(["2011-03-01", "2011-05-01", "2014-01-01"]))
    per_year = context.calls_per_year(calls, 2011, 2015)
    assert per_year.set_index("year")["calls"].to_dict() == {2011: 2, 2012: 0, 2013: 0, 2014: 1, 2015: 0}
    assert context.mean_calls(per_year, 2011, 2012) == 1.0


def test_figures_are_compared_with_the_nearest_point_of_each_series():
    levels = frame(series_id=["a", "a", "b"], date=pd.to_datetime(["2003-05-01", "2007-10-01", "2003-06-01"]),
                   troops=[148000, 170000, 129000])
    figures = frame(claim_id=["C19"], label=["x"], value=[130000], date=pd.to_datetime(["2003-04-15"]))
    result = context.compare_figures(levels, figures, 10).set_index("series_id")
    assert result.loc["a", "outcome"] == "lower" and result.loc["b", "outcome"] == "agrees"


def notebook_with(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


def code_cell(tags=(), outputs=()):
    cell = nbformat.v4.new_code_cell("x")
    cell.metadata["tags"] = list(tags)
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    return cell


@pytest.mark.parametrize("cell,expected", [
    (code_cell(outputs=[{"output_type": "error", "ename": "KeyError", "evalue": "'x'", "traceback": []}]), "KeyError"),
    (code_cell(["chart"], [{"output_type": "stream", "name": "stdout", "text": "no chart"}]), "produced no chart"),
    (code_cell(outputs=[{"output_type": "stream", "name": "stderr", "text": "Traceback (most recent call last):\nValueError: bad"}]),
     "ValueError: bad"),
])
def test_output_problems_catches_what_papermill_lets_through(cell, expected):
    (problem,) = execute.output_problems(notebook_with(cell))
    assert expected in problem and problem.startswith("cell 0")


def test_a_chart_cell_with_its_chart_passes():
    chart = {"output_type": "display_data", "metadata": {}, "data": {execute.CHART: {}, "text/plain": "c"}}
    assert execute.output_problems(notebook_with(code_cell(["chart"], [chart]))) == []


def test_volatile_metadata_is_stripped():
    nb = notebook_with(code_cell())
    nb.metadata["papermill"] = {"start_time": "now"}
    nb.cells[0].metadata["execution"] = {"iopub.status.busy": "now"}
    nb.cells[0].metadata["papermill"] = {"duration": 1}
    nb.metadata["kernelspec"] = {"name": "python3", "env": {"PATH": "/home/someone/bin"}}
    text = json.dumps(execute.strip_volatile(nb))
    assert "now" not in text and "duration" not in text and "/home/someone" not in text
    assert nb.metadata["kernelspec"] == {"name": "python3"}


def test_the_injected_parameters_cell_gets_an_id_from_the_parameters_cell():
    nb = notebook_with(code_cell(["parameters"]), code_cell(["injected-parameters"]), code_cell())
    nb.cells[0].id = "abc123"
    other_id = nb.cells[2].id
    stripped = execute.strip_volatile(nb)
    assert stripped.cells[1].id == "abc123-injected" and stripped.cells[2].id == other_id
    untagged = nbformat.v4.new_markdown_cell("prose")  # no tags at all
    without_parameters = execute.strip_volatile(notebook_with(untagged, code_cell(["injected-parameters"])))
    assert without_parameters.cells[1].id == "parameters-injected"


def test_forecasts_without_a_judgement_yet_are_too_early_to_tell():
    register = frame(claim_id=["C1", "C2", "C3"], verdict=["forecast", "forecast", "supported"])
    outcomes = frame(claim_id=["C1"], status=["partly"], explanation=["e"], judged_from=pd.to_datetime(["2024-09-27"]))
    early = claims.forecast_judgements(register, outcomes, "2024-01-10")
    assert list(early["outcome"]) == ["Too early to tell", "Too early to tell"]
    later = claims.forecast_judgements(register, outcomes, "2025-01-01").set_index("claim_id")
    assert later.loc["C1", "outcome"] == "Partly borne out" and later.loc["C2", "outcome"] == "Too early to tell"


def test_only_series_counting_troops_inside_iraq_are_compared():
    series = frame(series_id=["bog", "cap", "gulf"], measure=["in_country_count", "cap", "theatre"])
    levels = frame(series_id=["bog", "cap", "gulf"], troops=[1, 2, 3])
    assert list(context.us_troops_in_iraq(levels, series)["series_id"]) == ["bog"]


def test_figure_verdicts_answer_plainly():
    comparison = frame(claim_id=["C19", "C19", "C20"], article_figure=["a", "a", "b"],
                       outcome=["lower", "agrees", "agrees"])
    answers = context.figure_verdicts(comparison).set_index("claim_id")
    assert answers.loc["C19", "answer"] == "agrees with some" and answers.loc["C19", "compared"] == 2
    assert answers.loc["C20", "answer"] == "agrees with every one"


def test_executed_notebooks_are_read_back_as_nbformat_reads_them(tmp_path):
    nb = notebook_with(nbformat.v4.new_markdown_cell("# Title\n\nTwo lines"), code_cell())
    nbformat.write(nb, tmp_path / "a.ipynb")
    assert assemble.read_executed([tmp_path / "a.ipynb"]) == [nbformat.read(tmp_path / "a.ipynb", as_version=4)]
    assert assemble.read_executed([tmp_path / "a.ipynb"])[0].cells[0].source == "# Title\n\nTwo lines"


def test_the_headline_counts_dw_errors_apart_from_those_the_republication_added():
    register = frame(claim_id=["C01", "C02", "C03", "C04"], verdict=["supported", "supported", "inaccurate", "partly_supported"],
                     error_in=["", "", "republication", "original"])
    tally = summary.tally(register)
    assert (tally["wrong"], tally["in_original"], tally["by_republisher"]) == (2, 1, 1)
    line = summary.headline(register, "Qantara.de")
    assert "1 of its 4 checkable statements are partly or wholly wrong" in line
    assert line.endswith("Qantara.de's republication, the text we checked, added one more error")
    assert list(summary.republication_errors(register)["claim_id"]) == ["C03"]


@pytest.mark.parametrize("falls", [0, 1, 3])
def test_the_lower_totals_sentence_gives_the_count_in_words_that_agree_with_it(falls):
    sentence = summary.lower_totals_sentence(falls)
    if falls == 0:
        assert sentence.startswith("No statement gives a lower total")
    else:
        assert sentence.startswith(f"{falls} statement{'s' if falls > 1 else ''} report{'' if falls > 1 else 's'} a lower total")
