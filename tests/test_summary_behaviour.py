"""What the front page says, on tiny hand-made frames: the tally, each form of the headline, the standfirst, the
answer to the article's question, the attack figure and pace, the troop peak, the expulsion record and the steps."""
import math

import pandas as pd
import pytest

from factcheck import summary


def frame(**columns):
    return pd.DataFrame(columns)


def register(*verdicts, error_in=None):
    columns = {"claim_id": [f"C{i:02d}" for i in range(1, len(verdicts) + 1)], "verdict": list(verdicts)}
    return frame(**columns, **({"error_in": error_in} if error_in else {}))


def test_the_tally_counts_each_verdict_and_splits_the_errors_by_whose_they_are():
    claims = register("supported", "supported", "supported", "partly_supported", "partly_supported", "inaccurate",
                      "unverifiable", "opinion", "opinion", "opinion", "opinion", "forecast",
                      error_in=["", "", "", "original", "original", "republication", "", "", "", "", "", ""])
    assert summary.tally(claims) == {"total": 12, "checkable": 6, "supported": 3, "partly": 2, "inaccurate": 1,
                                     "unverifiable": 1, "opinion": 4, "forecast": 1, "wrong": 3, "in_original": 2,
                                     "by_republisher": 1}


def test_without_an_error_in_column_every_error_is_the_originals():
    tally = summary.tally(register("inaccurate", "partly_supported", "supported"))
    assert (tally["wrong"], tally["in_original"], tally["by_republisher"]) == (2, 2, 0)
    assert summary.republication_errors(register("inaccurate")).empty


def test_only_wrong_claims_count_as_the_republishers_errors():
    claims = register("supported", "inaccurate", "partly_supported", error_in=["republication"] * 3)
    assert list(summary.republication_errors(claims)["claim_id"]) == ["C02", "C03"]
    assert summary.tally(claims)["by_republisher"] == 2


@pytest.mark.parametrize("verdicts,error_in,republisher,expected", [
    (("opinion", "forecast"), None, None, "None of the DW article's factual statements could yet be checked"),
    (("supported", "supported", "opinion"), None, None,
     "Most of DW's Iraq article holds up: all 2 of its checkable statements are supported"),
    (("supported", "inaccurate"), None, None,
     "Much of DW's Iraq article does not hold up, but 1 of its 2 checkable statements are partly or wholly wrong"),
    (("supported", "supported", "inaccurate"), ["", "", "republication"], None,
     "Most of DW's Iraq article holds up: none of its 3 checkable statements is wrong in DW's original; "
     "the republication, the text we checked, added one more error"),
    (("supported", "supported", "supported", "inaccurate", "partly_supported"), ["", "", "", "republication", "republication"],
     "Qantara.de", "Most of DW's Iraq article holds up: none of its 5 checkable statements is wrong in DW's original; "
     "Qantara.de's republication, the text we checked, added 2 more errors"),
])
def test_the_headline_names_how_much_holds_up_and_whose_errors_they_are(verdicts, error_in, republisher, expected):
    assert summary.headline(register(*verdicts, error_in=error_in), republisher) == expected


def test_the_republisher_is_read_from_the_article_and_is_none_for_the_original():
    assert summary.republisher(frame(title=["T"], republished_by=["Qantara.de"])) == "Qantara.de"
    assert summary.republisher(frame(title=["T"], republished_by=[""])) is None
    assert summary.republisher(frame(title=["T"], republished_by=[float("nan")])) is None
    assert summary.republisher(frame(title=["T"])) is None


def test_the_standfirst_gives_the_claim_count_and_both_dates_in_words():
    text = summary.dek(register("supported", "opinion", "forecast"), pd.Timestamp("2024-02-03"), pd.Timestamp("2024-01-10"))
    assert text == ("We checked all 3 claims in the article of 10 January 2024: facts against the sources, opinions "
                    "against the context and forecasts against what happened up to 3 February 2024.")


def test_the_question_is_answered_by_its_latest_judgement_by_the_date_and_too_early_before():
    outcomes = frame(claim_id=[summary.QUESTION_CLAIM, summary.QUESTION_CLAIM, "C01"],
                     judged_from=pd.to_datetime(["2024-03-01", "2024-09-01", "2024-01-01"]),
                     status=["partly", "not_borne_out", "borne_out"])
    assert summary.question_answer(outcomes, "2024-02-01") is None
    assert summary.short_answer(summary.question_answer(outcomes, "2024-02-01")) == "Too early to tell"
    assert summary.short_answer(summary.question_answer(outcomes, "2024-06-01")) == "Not all of them"
    assert summary.short_answer(summary.question_answer(outcomes, "2024-09-01")) == "No"
    assert summary.short_answer({"status": "borne_out"}) == "Yes"


ATTACKS = frame(series_id=["pentagon_cumulative"] * 4 + ["other"],
                date=pd.to_datetime(["2023-10-20", "2023-11-03", "2023-11-10", "2024-02-01", "2024-01-05"]),
                total=[10, 38, 45, 170, 999], iraq=[5, 20, float("nan"), 80, 1], syria=[5, 18, float("nan"), 90, 1],
                stated_by=["DoD", "DoD", "Pentagon", "DoD", "x"], source_id=["s1", "s1", "s2", "s1", "x"])
FIGURES = frame(dataset=["troop_levels", "attacks"], value=[2500, 40])


def test_the_attack_figure_is_checked_against_the_last_count_by_publication():
    figure = summary.attack_figure(ATTACKS, FIGURES, pd.Timestamp("2024-01-10"))
    assert figure == {"date": pd.Timestamp("2023-11-10"), "stated_by": "Pentagon", "total": 45, "iraq": None,
                      "syria": None, "figure": 40, "borne_out": True}
    early = summary.attack_figure(ATTACKS, FIGURES, pd.Timestamp("2023-11-05"))
    assert (early["total"], early["iraq"], early["syria"], early["borne_out"]) == (38, 20, 18, False)
    assert summary.attack_figure(ATTACKS, FIGURES, pd.Timestamp("2023-10-01")) is None


def test_a_figure_equal_to_the_count_is_not_borne_out_as_over_it():
    assert summary.attack_figure(ATTACKS, frame(dataset=["attacks"], value=[45]), pd.Timestamp("2024-01-10"))["borne_out"] is False


def test_the_attack_pace_runs_from_the_first_statement_to_the_last_by_publication():
    pace = summary.attack_pace(ATTACKS, pd.Timestamp("2024-01-10"), window_days=7, min_days=7)
    assert (pace["start"], pace["end"]) == (pd.Timestamp("2023-10-20"), pd.Timestamp("2023-11-10"))
    assert (pace["first_total"], pace["last_total"]) == (10, 45)
    assert pace["rate"] == pytest.approx((45 - 10) / 21 * 7)
    assert (pace["peak_date"], pace["peak_rate"]) == (pd.Timestamp("2023-11-03"), pytest.approx(28 / 14 * 7))
    assert list(pace["rates"]["date"]) == [pd.Timestamp("2023-11-03"), pd.Timestamp("2023-11-10"), pd.Timestamp("2024-02-01")]


def test_a_pace_published_on_the_first_statements_day_is_not_a_number():
    assert math.isnan(summary.attack_pace(ATTACKS, pd.Timestamp("2023-10-20"), window_days=7, min_days=7)["rate"])


def test_the_troop_peak_is_the_highest_point_in_time_count_in_iraq():
    series = frame(series_id=["count", "estimate"], measure=["in_country_count", "in_country_estimate"])
    levels = frame(series_id=["count", "count", "estimate"], troops=[160000, 170000, 190000],
                   date=pd.to_datetime(["2007-01-01", "2007-10-01", "2007-06-01"]))
    peak = summary.troop_peak(levels, series)
    assert (peak["troops"], peak["date"]) == (170000, pd.Timestamp("2007-10-01"))
    assert summary.troop_peak(levels[levels["series_id"] == "estimate"], series) is None


def test_the_expulsion_record_tests_the_articles_three_statements_year_by_year():
    years = [2012, 2012, 2013, 2016, 2020, 2020, 2020, 2021, 2022]
    calls = frame(date=pd.to_datetime([f"{year}-06-01" for year in years]))
    record = summary.expulsion_record(calls, 2023)
    assert list(record["per_year"]["year"]) == list(range(2011, 2024))
    assert record["missing"] == [2011, 2014, 2015, 2017, 2018, 2019, 2023]
    assert record["missing_to_lapse"] == [2011, 2014]
    assert record["missing_after_lapse"] == [2015, 2017, 2018, 2019, 2023]
    assert record["calls_after_lapse"] == 1  # 2015 to 2019: the five years after the lapse
    assert record["mean_before"] == pytest.approx(4 / 9)  # 2011 to 2019
    assert record["mean_since"] == pytest.approx(5 / 4)  # 2020 to 2023


def test_the_five_years_after_the_lapse_end_with_2019():
    calls = frame(date=pd.to_datetime(["2014-06-01", "2015-01-01", "2019-12-31", "2020-01-01"]))
    assert summary.expulsion_record(calls, 2020)["calls_after_lapse"] == 2


def test_the_answer_steps_are_the_agreements_and_handovers_after_publication_up_to_the_date():
    events = frame(date=pd.to_datetime(["2024-01-10", "2024-03-01", "2024-02-01", "2024-09-27", "2024-10-01"]),
                   category=["agreement", "handover", "strike", "agreement", "handover"])
    later, steps = summary.answer_steps(events, pd.Timestamp("2024-01-10"), "2024-09-27")
    assert list(later["date"]) == list(pd.to_datetime(["2024-02-01", "2024-03-01", "2024-09-27"]))
    assert list(steps["category"]) == ["handover", "agreement"]


def test_the_publication_record_carries_the_article_as_written_and_each_correction():
    article = frame(title=["T"], authors=["A"], publisher=["DW"], url=["https://dw.com/a"], contact=["desk@dw.com"],
                    republished_by=["Qantara.de"], date_published=[pd.Timestamp("2024-01-10")])
    claims = register("supported", "inaccurate", error_in=["", "republication"]).assign(
        quote=["q", "r"], conclusion=["c", "d"], checked=[pd.Timestamp("2026-11-24")] * 2)
    corrections = frame(date=pd.to_datetime(["2026-12-01", "2026-11-24"]), kind=["update", "published"], change=["u", "p"])
    record = summary.publication_record(claims, article, corrections, pd.Timestamp("2024-02-01"), pd.Timestamp("2024-01-10"))
    assert record["headline"] == summary.headline(claims, "Qantara.de") and "Qantara.de's republication" in record["headline"]
    assert record["dek"] == summary.dek(claims, pd.Timestamp("2024-02-01"), pd.Timestamp("2024-01-10"))
    assert (record["article"]["url"], record["article"]["contact"]) == ("https://dw.com/a", "desk@dw.com")
    assert record["corrections"] == [{"date": "2026-11-24", "kind": "published", "change": "p"},
                                     {"date": "2026-12-01", "kind": "update", "change": "u"}]
