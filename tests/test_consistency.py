"""The consistency checks, each on small frames built here, and the committed data against all of them."""
import pandas as pd
import pytest

from factcheck import consistency, context, data
from factcheck.validate import DataError


def frame(**columns):
    return pd.DataFrame(columns)


def dates(*values):
    return pd.to_datetime(list(values))


def claims(**overrides):
    base = dict(claim_id=["C01"], verdict=["supported"], conclusion=["c"], explanation=["Reuters (s001) says so."],
                conflict=[""], sourcing_note=[""])
    base.update(overrides)
    return frame(**base)


SOURCES = frame(source_id=["s001", "s002", "agg001"], reliability=["wire", "major_outlet", "aggregator"],
                date_published=dates("2024-01-05", "2024-02-07", "2024-01-05"),
                date_accessed=dates("2026-11-24", "2026-11-24", "2026-11-24"))


# --- source ids in a claim's text are among its evidence rows -------------------------------------------------

ID_TABLES = {"sources": SOURCES, "claims": claims(claim_id=["C01", "C02"], verdict=["supported"] * 2, conclusion=["c"] * 2,
                                                  explanation=["e"] * 2, conflict=[""] * 2, sourcing_note=[""] * 2),
             "claim_summaries": frame(claim_id=["C01"], summary=["s"]),
             "expulsion_calls": frame(call_id=["X001", "X010"], description=["d", "d"], source_id=["s001", "s002"])}


def test_id_patterns_are_derived_from_each_tables_ids_and_catch_ids_of_dropped_rows():
    patterns = consistency.id_patterns(ID_TABLES)
    assert set(patterns) == {"sources", "claims", "expulsion_calls"}  # claim ids belong to claims, not claim_summaries
    assert patterns["sources"].findall("s009, agg123 and zz999; s0011") == ["s009", "agg123"]
    assert patterns["claims"].findall("C16 and C130") == ["C16"] and patterns["expulsion_calls"].findall("X032") == ["X032"]


def test_a_reference_to_a_dropped_or_unknown_row_fails_naming_file_row_and_field():
    tables = {**ID_TABLES, "attacks": frame(source_id=["s001", "s001"], note=["Also s002.", "Same as s003."]),
              "claim_updates": frame(claim_id=["C01", "C01"], source_id=["s001", "s001"], text=["Also C02.", "Same as C09."]),
              "sources": SOURCES.assign(date_basis=["", "per s009", ""])}
    problems = {(e.path, e.row, e.field, e.problem.split(",")[0]) for e in consistency.references_resolve(tables)}
    assert problems == {("data/attacks.csv", 3, "note", "names 's003'"), ("data/claim_updates.csv", 3, "text", "names 'C09'"),
                        ("data/sources.csv", 3, "date_basis", "names 's009'")}


def test_a_note_rendered_with_references_cannot_name_a_row_the_reader_has_no_words_for():
    tables = {**ID_TABLES, "attacks": frame(source_id=["s001"], note=["As in X010 and C01, which was dropped: X032."]),
              "claim_updates": frame(claim_id=["C01"], source_id=["s001"], text=["Unlike C02 (s001)."])}
    problems = [e.problem for e in consistency.references_resolve(tables)]
    assert len(problems) == 3 and "'X010', a row of data/expulsion_calls.csv, by its internal id" in problems[0]
    assert "'C01', a row of data/claims.csv, by its internal id" in problems[1]  # a count's note knows no claim numbers
    assert "'X032', which is not a row of data/expulsion_calls.csv" in problems[2]


def test_an_id_in_text_printed_as_written_is_reported_and_references_in_rendered_text_are_not():
    tables = {**ID_TABLES, "attacks": frame(source_id=["s001"], note=["Also s002 and C02."], stated_by=["per s002"]),
              "claim_searches": frame(claim_id=["C01"], queries=["x | y (found s001)"])}
    problems = sorted((e.path, e.row, e.field, e.problem.split(" (")[0]) for e in consistency.no_internal_ids_in_reader_text(tables))
    assert problems == [("data/attacks.csv", 2, "stated_by", "shows the internal id 's002'"),
                        ("data/claim_searches.csv", 2, "queries", "shows the internal id 's001'")]


def test_a_source_named_in_the_explanation_but_not_in_the_evidence_is_reported_with_its_row():
    tables = {"claims": claims(explanation=["Reuters (s001) and a later report (s002) say so."]),
              "claim_sources": frame(claim_id=["C01"], source_id=["s001"]), "sources": SOURCES}
    (error,) = consistency.citations_in_claim_text(tables)
    assert error == DataError("data/claims.csv", 2, "explanation", error.problem) and "'s002'" in error.problem


def test_a_source_id_that_does_not_exist_is_reported():
    tables = {"claims": claims(conclusion=["As b009 says."]), "claim_sources": frame(claim_id=["C01"], source_id=["s001"]),
              "sources": SOURCES}
    (error,) = consistency.citations_in_claim_text(tables)
    assert error.field == "conclusion" and "not in data/sources.csv" in error.problem


def test_cited_sources_that_are_evidence_pass():
    tables = {"claims": claims(), "claim_sources": frame(claim_id=["C01"], source_id=["s001"]), "sources": SOURCES}
    assert consistency.citations_in_claim_text(tables) == []


def test_an_update_citing_a_source_outside_the_claims_evidence_is_reported():
    tables = {"claims": claims(), "claim_sources": frame(claim_id=["C01"], source_id=["s001"]), "sources": SOURCES,
              "claim_updates": frame(claim_id=["C01"], date=dates("2024-02-07"), text=["Later (s002)."], source_id=["s002"])}
    problems = consistency.citations_in_claim_text(tables)
    assert {e.path for e in problems} == {"data/claim_updates.csv"} and all(e.row == 2 for e in problems)


# --- attack counts: the split adds up to the total unless a flag says why ----------------------------------------

def attacks(iraq, syria, other, flag=""):
    return {"attacks": frame(total=pd.array([165], dtype="Int64"), iraq=pd.array([iraq], dtype="Int64"),
                             syria=pd.array([syria], dtype="Int64"), other=pd.array([other], dtype="Int64"), flag=[flag])}


def test_a_split_that_does_not_add_up_to_the_total_is_reported():
    (error,) = consistency.components_add_up(attacks(77, 98, None))
    assert (error.path, error.row, error.field) == ("data/attacks.csv", 2, "total") and "175" in error.problem


@pytest.mark.parametrize("iraq,syria,other,flag", [(66, 98, 1, ""), (77, 98, None, "split_mismatch"), (None, None, None, "")])
def test_a_split_that_adds_up_or_is_flagged_or_absent_passes(iraq, syria, other, flag):
    assert consistency.components_add_up(attacks(iraq, syria, other, flag)) == []


# --- a checkable verdict rests on a primary, wire or major-outlet source -----------------------------------------

def sourced(source_id, verdict="supported", note=""):
    return {"claims": claims(verdict=[verdict], sourcing_note=[note]),
            "claim_sources": frame(claim_id=["C01"], source_id=[source_id]), "sources": SOURCES}


def test_a_verdict_resting_only_on_an_aggregator_needs_a_sourcing_note():
    (error,) = consistency.strong_sourcing(sourced("agg001"))
    assert error.field == "sourcing_note" and error.row == 2


@pytest.mark.parametrize("tables", [sourced("agg001", note="Only a copy was found."), sourced("s001"),
                                    sourced("agg001", verdict="opinion"), sourced("agg001", verdict="unverifiable")])
def test_strong_sources_notes_and_verdicts_off_the_scale_pass(tables):
    assert consistency.strong_sourcing(tables) == []


def test_a_sourcing_note_on_a_claim_with_a_strong_source_is_stale():
    (error,) = consistency.strong_sourcing(sourced("s001", note="none found"))
    assert "empty it" in error.problem


# --- a conditional forecast whose trigger never came is not scored ----------------------------------------------

def outcomes(status, met):
    return {"forecast_outcomes": frame(claim_id=["C52"], judged_from=dates("2024-09-27"), status=[status],
                                       condition_met=[met])}


@pytest.mark.parametrize("status", ["borne_out", "not_borne_out"])
def test_a_forecast_whose_condition_never_arose_cannot_be_scored(status):
    (error,) = consistency.conditional_forecasts(outcomes(status, "no"))
    assert (error.path, error.row, error.field) == ("data/forecast_outcomes.csv", 2, "status")


def test_condition_not_met_needs_the_condition_recorded_as_not_met():
    (error,) = consistency.conditional_forecasts(outcomes("condition_not_met", ""))
    assert error.field == "condition_met"


@pytest.mark.parametrize("status,met", [("condition_not_met", "no"), ("partly", "yes"), ("not_borne_out", "")])
def test_consistent_forecast_outcomes_pass(status, met):
    assert consistency.conditional_forecasts(outcomes(status, met)) == []


# --- an error says which text it is in --------------------------------------------------------------------------

@pytest.mark.parametrize("verdict", ["partly_supported", "inaccurate"])
def test_an_error_without_the_text_it_is_in_is_refused(verdict):
    (error,) = consistency.errors_say_which_text({"claims": claims(verdict=[verdict], error_in=[""])})
    assert (error.path, error.row, error.field) == ("data/claims.csv", 2, "error_in")


def test_a_supported_claim_cannot_name_a_text_with_an_error():
    (error,) = consistency.errors_say_which_text({"claims": claims(error_in=["republication"])})
    assert "empty it" in error.problem


@pytest.mark.parametrize("verdict,where", [("inaccurate", "original"), ("partly_supported", "republication"),
                                           ("supported", ""), ("opinion", "")])
def test_claims_that_say_which_text_their_error_is_in_pass(verdict, where):
    assert consistency.errors_say_which_text({"claims": claims(verdict=[verdict], error_in=[where])}) == []


# --- the whole module ----------------------------------------------------------------------------------------

def test_consistency_errors_collects_every_check_sorted_and_skips_missing_tables():
    tables = {**sourced("agg001"), **attacks(77, 98, None)}
    tables["claims"] = claims(explanation=["Copy (agg001) and (s002)."])
    errors = consistency.consistency_errors(tables)
    assert errors == sorted(errors) and {e.path for e in errors} == {"data/attacks.csv", "data/claims.csv"}
    assert consistency.consistency_errors({}) == []


def test_the_committed_data_are_consistent():
    names = ["article", "claims", "claim_sources", "claim_updates", "sources", "attacks", "forecast_outcomes"]
    assert [str(e) for e in consistency.consistency_errors({n: data.load_table(n) for n in names})] == []


# --- context rules the checks rely on ----------------------------------------------------------------------------

LEVELS = frame(series_id=["press"] * 4 + ["bog"] * 2,
               date=dates("2003-03-20", "2003-05-01", "2003-11-28", "2007-11-15", "2007-09-01", "2008-06-01"),
               troops=[192000, 148000, 130000, 170300, 165607, 182060],
               flag=["wider_scope", "", "", "", "", "outlier"])


def test_flagged_rows_are_never_a_peak():
    peaks = context.series_peaks(LEVELS).set_index("series_id")["troops"].to_dict()
    assert peaks == {"press": 170300, "bog": 165607}


def test_a_figure_is_compared_with_every_point_of_its_period_not_only_the_nearest():
    figure = frame(claim_id=["C19"], label=["peak"], value=[130000], date=dates("2003-04-15"),
                   period_start=dates("2003-01-01"), period_end=dates("2003-12-31"))
    row = context.compare_figures(LEVELS, figure, 10).set_index("series_id").loc["press"]
    # The nearest point in time (148,000 on 1 May) is 12% off; the November point agrees.
    assert row["outcome"] == "agrees" and row["series_value"] == 130000 and row["points_in_period"] == 2
    assert row["period_high"] == 148000  # the flagged 192,000 is left out


def test_a_figure_given_as_a_peak_is_compared_with_the_period_high_only():
    figure = frame(claim_id=["C19"], label=["peak"], value=[130000], date=dates("2003-04-15"),
                   period_start=dates("2003-01-01"), period_end=dates("2003-12-31"), compared_with=["period_high"])
    row = context.compare_figures(LEVELS, figure, 10).set_index("series_id").loc["press"]
    # The November point (130,000) would agree, but the peak of the year is 148,000: 12% off.
    assert row["outcome"] == "lower" and row["series_value"] == 148000 and row["period_high"] == 148000


def test_attack_rates_skip_intervals_shorter_than_the_minimum_between_different_sources():
    attacks = frame(series_id=["p"] * 4, date=dates("2023-11-06", "2023-11-08", "2023-11-09", "2023-11-14"),
                    total=pd.array([38, 41, 46, 55], dtype="Int64"), source_id=["a", "b", "c", "d"])
    rates = context.attack_rates(attacks, "p", 7, min_days=7)
    assert list(rates["days"]) == [8] and list(rates["added"]) == [17]
    assert len(context.attack_rates(attacks, "p", 7, min_days=1)) == 3


def test_a_short_interval_between_two_counts_of_the_same_source_is_kept():
    attacks = frame(series_id=["p"] * 3, date=dates("2023-11-06", "2023-11-08", "2023-11-14"),
                    total=pd.array([38, 41, 55], dtype="Int64"), source_id=["a", "a", "d"])
    assert list(context.attack_rates(attacks, "p", 7, min_days=7)["days"]) == [2]  # 11-14 is 6 days after 11-08


def test_a_typed_claim_number_is_reported_wherever_it_is_written():
    tables = {**ID_TABLES, "attacks": frame(source_id=["s001", "s001"], note=["As card 17 and Claims 3 say.", "claim C16; 12 claims"]),
              "corrections": frame(claim_id=[""], change=["claim 21 corrected"])}
    problems = [(e.path, e.row, e.field, e.problem.split(",")[0]) for e in consistency.claim_numbers_are_never_typed(tables)]
    assert problems == [("data/attacks.csv", 2, "note", "types 'card 17'"), ("data/attacks.csv", 2, "note", "types 'Claims 3'"),
                        ("data/corrections.csv", 2, "change", "types 'claim 21'")]


def test_the_schema_tells_data_authors_exactly_which_fields_may_name_rows_by_id():
    import json

    from factcheck import config

    descriptor = json.loads(config.DATAPACKAGE.read_text(encoding="utf-8"))
    described = {(r["name"], f["name"]): "claim" in f["description"].split("by its id")[0]
                 for r in descriptor["resources"] for f in r["schema"]["fields"] if "by its id" in f.get("description", "")}
    assert described == {(name, field): "claims" in tables
                         for name, fields in consistency.REFERENCE_TEXT.items() for field, tables in fields.items()}
