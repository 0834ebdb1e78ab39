"""Each consistency check on small multi-row tables built here: which file, row and field every error names, that a
row skipped does not stop the rows after it, and that a check without the tables it needs stays quiet."""
import pandas as pd
import pytest

from factcheck import consistency


def frame(**columns):
    return pd.DataFrame(columns)


def dates(*values):
    return pd.to_datetime(list(values))


def where(errors):
    """(path, row, field) of each error, in the order the check gave them."""
    return [(e.path, e.row, e.field) for e in errors]


SOURCES = frame(source_id=["s001", "s002", "agg001", "u001"], reliability=["wire", "major_outlet", "aggregator", "wire"],
                date_published=dates("2024-01-05", "2024-02-07", "2024-01-10", None),
                date_accessed=dates("2026-11-24", "2026-11-24", "2026-11-24", None))
ARTICLE = frame(date_published=dates("2024-01-10"))


# --- source ids in a claim's text ----------------------------------------------------------------------------

def test_citation_errors_name_their_row_and_field():
    claims = frame(claim_id=["C01", "C02", "C03"], explanation=["ok (s001)", "missing (s002)", "unknown (b999)"])
    tables = {"claims": claims, "claim_sources": frame(claim_id=["C01", "C03"], source_id=["s001", "s001"]),
              "sources": SOURCES}
    errors = consistency.citations_in_claim_text(tables)
    assert where(errors) == [("data/claims.csv", 3, "explanation"), ("data/claims.csv", 4, "explanation")]
    assert "'s002'" in errors[0].problem and "claim C02's evidence" in errors[0].problem
    assert "(C02, s002)" in errors[0].problem
    assert errors[1].problem == "cites 'b999', which is not in data/sources.csv"


def test_without_a_source_list_an_uncited_id_is_reported_as_missing_evidence():
    tables = {"claims": frame(claim_id=["C01"], conclusion=["per b999"]),
              "claim_sources": frame(claim_id=["C01"], source_id=["s001"])}
    (error,) = consistency.citations_in_claim_text(tables)
    assert where([error]) == [("data/claims.csv", 2, "conclusion")] and "not among claim C01's evidence" in error.problem


def test_a_claim_text_field_that_is_absent_does_not_stop_the_others_being_checked():
    tables = {"claims": frame(claim_id=["C01"], explanation=["x"], conflict=["AP (s002) disagrees"]),
              "claim_sources": frame(claim_id=["C01"], source_id=["s001"]), "sources": SOURCES}
    assert where(consistency.citations_in_claim_text(tables)) == [("data/claims.csv", 2, "conflict")]


def test_claims_without_their_evidence_table_are_not_checked_for_citations():
    assert consistency.citations_in_claim_text({"claims": frame(claim_id=["C01"], explanation=["(s001)"])}) == []


def test_update_citations_name_the_field_that_cites():
    tables = {"claims": frame(claim_id=["C01", "C02"], explanation=["", ""]),
              "claim_sources": frame(claim_id=["C01"], source_id=["s001"]), "sources": SOURCES,
              "claim_updates": frame(claim_id=["C01", "C02", "C01"], date=dates("2024-02-07", "2024-02-07", "2024-03-01"),
                                     text=["Also s002.", "New.", "Fine (s001)."], source_id=["s001", "s001", "s001"])}
    errors = consistency.citations_in_claim_text(tables)
    assert where(errors) == [("data/claim_updates.csv", 2, "text"), ("data/claim_updates.csv", 3, "source_id")]
    assert errors[0].problem == "cites 's002', which is not among claim C01's evidence in data/claim_sources.csv"
    assert "'s001'" in errors[1].problem and "claim C02's" in errors[1].problem


# --- attack splits ---------------------------------------------------------------------------------------------

def test_a_flagged_row_does_not_stop_the_rows_after_it_being_checked():
    attacks = frame(total=pd.array([10, 10], dtype="Int64"), iraq=pd.array([1, 2], dtype="Int64"),
                    syria=pd.array([2, 3], dtype="Int64"), flag=["split_mismatch", ""])
    (error,) = consistency.components_add_up({"attacks": attacks})
    assert where([error]) == [("data/attacks.csv", 3, "total")] and "= 5, not the total 10" in error.problem


# --- strong sourcing ---------------------------------------------------------------------------------------------

def test_sourcing_errors_name_their_row_after_a_claim_that_needs_no_source():
    claims = frame(claim_id=["C01", "C02", "C03", "C04"], verdict=["opinion", "inaccurate", "supported", "supported"],
                   sourcing_note=["", "", "none found", float("nan")])
    evidence = frame(claim_id=["C01", "C02", "C03", "C04"], source_id=["agg001", "agg001", "s001", "s002"])
    errors = consistency.strong_sourcing({"claims": claims, "claim_sources": evidence, "sources": SOURCES})
    assert where(errors) == [("data/claims.csv", 3, "sourcing_note"), ("data/claims.csv", 4, "sourcing_note")]
    assert "claim C02 (inaccurate) rests on no primary" in errors[0].problem
    assert "claim C03 rests on a primary" in errors[1].problem and "empty it" in errors[1].problem


@pytest.mark.parametrize("missing", ["claims", "claim_sources", "sources"])
def test_strong_sourcing_needs_all_three_tables(missing):
    tables = {"claims": frame(claim_id=["C01"], verdict=["supported"], sourcing_note=[""]),
              "claim_sources": frame(claim_id=["C01"], source_id=["agg001"]), "sources": SOURCES}
    del tables[missing]
    assert consistency.strong_sourcing(tables) == []


# --- conditional forecasts -----------------------------------------------------------------------------------------

def test_forecast_errors_name_their_row_and_say_what_to_use():
    outcomes = frame(claim_id=["C1", "C2", "C3"], status=["partly", "borne_out", "condition_not_met"],
                     condition_met=["yes", "no", "yes"])
    errors = consistency.conditional_forecasts({"forecast_outcomes": outcomes})
    assert where(errors) == [("data/forecast_outcomes.csv", 3, "status"), ("data/forecast_outcomes.csv", 4, "condition_met")]
    assert errors[0].problem.startswith("'borne_out' scores a forecast") and "use 'condition_not_met'" in errors[0].problem
    assert errors[1].problem == "status 'condition_not_met' needs condition_met 'no'"


# --- dates named in text --------------------------------------------------------------------------------------------

def test_a_month_without_a_day_is_read_as_its_first_day():
    assert consistency.dates_in_text("by February 2024, and on 7 March 2025") == list(dates("2024-02-01", "2025-03-07"))
    assert consistency.dates_in_text(float("nan")) == []


# --- text of its time -----------------------------------------------------------------------------------------------

def test_the_text_shown_at_publication_is_the_one_checked():
    """C01's verdict changed, so its conclusion may name later dates but its conclusion at publication may not."""
    claims = frame(claim_id=["C01", "C02", "C03"], verdict=["inaccurate", "supported", "supported"],
                   verdict_at_publication=["supported", "", float("nan")],
                   explanation=["", "", ""],
                   conclusion=["Shown wrong in March 2024 (s002).", "Said in 5 February 2024.", "Per s002."],
                   conclusion_at_publication=["Looked right on 2 February 2024.", "", ""])
    errors = consistency.publication_text_is_of_its_time({"claims": claims, "sources": SOURCES, "article": ARTICLE})
    assert where(errors) == [("data/claims.csv", 2, "conclusion_at_publication"), ("data/claims.csv", 3, "conclusion"),
                             ("data/claims.csv", 4, "conclusion")]
    assert errors[0].problem.startswith("names 2024-02-02, after the article's publication (2024-01-10)")
    assert errors[2].problem.startswith("cites 's002', first known 2024-02-07")


def test_text_of_its_time_needs_claims_sources_and_article():
    claims = frame(claim_id=["C01"], verdict=["supported"], explanation=["On 1 May 2025."], conclusion=[""])
    assert consistency.publication_text_is_of_its_time({"claims": claims, "article": ARTICLE}) == []
    assert consistency.publication_text_is_of_its_time({"claims": claims, "sources": SOURCES}) == []
    assert len(consistency.publication_text_is_of_its_time({"claims": claims, "sources": SOURCES, "article": ARTICLE})) == 1


# --- a publication verdict rests on early evidence -------------------------------------------------------------------

def test_every_checkable_verdict_at_publication_needs_evidence_known_by_then():
    claims = frame(claim_id=["C01", "C02", "C03", "C04", "C05"],
                   verdict=["supported", "partly_supported", "inaccurate", "inaccurate", "supported"],
                   verdict_at_publication=["", "", "", "partly_supported", ""])
    # agg001 was published on the article's own day, so it was known by then; u001 has no date at all
    evidence = frame(claim_id=["C01", "C02", "C03", "C04", "C05"], source_id=["agg001", "s002", "s002", "s002", "u001"])
    tables = {"claims": claims, "claim_sources": evidence, "sources": SOURCES, "article": ARTICLE}
    errors = consistency.publication_verdict_uses_early_evidence(tables)
    assert where(errors) == [("data/claims.csv", 3, "verdict"), ("data/claims.csv", 4, "verdict"),
                             ("data/claims.csv", 5, "verdict_at_publication"), ("data/claims.csv", 6, "verdict")]
    assert "claim C04 is rated 'partly_supported' at publication" in errors[2].problem


@pytest.mark.parametrize("missing", ["claims", "claim_sources", "sources", "article"])
def test_early_evidence_check_needs_all_four_tables(missing):
    tables = {"claims": frame(claim_id=["C01"], verdict=["supported"]),
              "claim_sources": frame(claim_id=["C01"], source_id=["s002"]), "sources": SOURCES, "article": ARTICLE}
    del tables[missing]
    assert consistency.publication_verdict_uses_early_evidence(tables) == []


# --- updates dated from their source -----------------------------------------------------------------------------------

def test_an_update_not_dated_when_its_source_could_be_known_is_reported():
    updates = frame(claim_id=["C01", "C01", "C02", "C03", "C01"], source_id=["s002", "s002", "u001", "zz999", "s002"],
                    date=dates("2024-02-07", "2024-02-06", "2020-01-01", "2020-01-01", "2024-11-24"), text=list("abcde"))
    tables = {"claim_updates": updates, "sources": SOURCES}
    early, late = consistency.updates_dated_from_their_source(tables)
    assert where([early, late]) == [("data/claim_updates.csv", 3, "date"), ("data/claim_updates.csv", 6, "date")]
    assert early.problem == "2024-02-06 is before the date 's002' could first have been known (2024-02-07): set it to that date"
    assert late.problem.startswith("2024-11-24 is after the date 's002'")
    assert consistency.updates_dated_from_their_source({"claim_updates": updates}) == []
    assert consistency.updates_dated_from_their_source({"sources": SOURCES}) == []


# --- the date a verdict changed is the date of its first later evidence ---------------------------------------------

def test_changed_on_is_the_first_date_a_later_source_could_be_known():
    claims = frame(claim_id=["C01", "C02", "C03", "C04"], verdict_at_publication=["unverifiable", "unverifiable", "", "unverifiable"],
                   changed_on=dates("2024-02-07", "2024-03-01", None, None))
    # agg001 appeared on the publication day itself, so it changed nothing; s003 came after s002
    sources = pd.concat([SOURCES, frame(source_id=["s003"], reliability=["wire"], date_published=dates("2024-05-01"))])
    evidence = frame(claim_id=["C01", "C01", "C01", "C01", "C02", "C03", "C04"],
                     source_id=["s001", "agg001", "s003", "s002", "s002", "s002", "s001"])
    tables = {"claims": claims, "claim_sources": evidence, "sources": sources, "article": ARTICLE}
    errors = consistency.changed_on_is_when_the_later_evidence_came(tables)
    assert where(errors) == [("data/claims.csv", 3, "changed_on"), ("data/claims.csv", 5, "verdict_at_publication")]
    assert errors[0].problem == ("is 2024-03-01, but the first later evidence for claim C02 could be known on 2024-02-07: "
                                 "set it to that date")
    assert consistency.changed_on_is_when_the_later_evidence_came({"claims": claims}) == []
