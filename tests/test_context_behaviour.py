"""Context series on tiny hand-made frames: which troop series count, the period a figure refers to, how a figure
agrees with a series, peaks, attack rates between statements, counts at a date, and calls per year."""
import math

import pandas as pd
import pytest

from factcheck import context


def frame(**columns):
    return pd.DataFrame(columns)


def dates(*values):
    return pd.to_datetime(list(values))


def test_every_in_country_measure_counts_as_troops_in_iraq():
    series = frame(series_id=["a", "b", "c", "d"],
                   measure=["in_country_count", "in_country_estimate", "in_country_average", "authorised_cap"])
    levels = frame(series_id=["d", "c", "b", "a", "x"], troops=[1, 2, 3, 4, 5])
    assert list(context.us_troops_in_iraq(levels, series)["series_id"]) == ["c", "b", "a"]


def test_only_rows_without_a_flag_are_usable():
    levels = frame(series_id=["a", "a", "a"], flag=["", None, "outlier"])
    assert list(context.usable(levels).index) == [0, 1]
    unflagged = frame(series_id=["a", "b"])
    assert context.usable(unflagged) is unflagged


def test_a_figure_without_a_period_refers_to_the_year_either_side_of_its_date():
    figure = pd.Series({"date": pd.Timestamp("2004-01-01")})
    assert context.figure_period(figure) == (pd.Timestamp("2002-12-31"), pd.Timestamp("2005-01-01"))
    assert context.figure_period(figure, window_days=10) == (pd.Timestamp("2003-12-22"), pd.Timestamp("2004-01-11"))
    half = pd.Series({"date": pd.Timestamp("2004-01-01"), "period_start": pd.Timestamp("2003-01-01"), "period_end": pd.NaT})
    assert context.figure_period(half, window_days=10) == (pd.Timestamp("2003-12-22"), pd.Timestamp("2004-01-11"))
    other_half = pd.Series({"date": pd.Timestamp("2004-01-01"), "period_start": pd.NaT, "period_end": pd.Timestamp("2005-01-01")})
    assert context.figure_period(other_half, window_days=10) == (pd.Timestamp("2003-12-22"), pd.Timestamp("2004-01-11"))


def test_a_figure_with_a_period_refers_to_that_period():
    figure = pd.Series({"date": pd.Timestamp("2004-01-01"), "period_start": "2003-01-01", "period_end": "2003-12-31"})
    assert context.figure_period(figure) == (pd.Timestamp("2003-01-01"), pd.Timestamp("2003-12-31"))


def test_points_on_the_ends_of_the_period_are_in_it_and_flagged_points_are_not():
    levels = frame(series_id=["a"] * 5, date=dates("2002-12-31", "2003-01-01", "2003-06-01", "2003-12-31", "2004-01-01"),
                   troops=[1, 2, 3, 4, 5], flag=["", "", "outlier", "", ""])
    figure = pd.Series({"date": pd.Timestamp("2003-06-01"), "period_start": pd.Timestamp("2003-01-01"),
                        "period_end": pd.Timestamp("2003-12-31")})
    assert list(context.points_in_period(levels, figure)["troops"]) == [2, 4]


@pytest.mark.parametrize("article,series,tolerance,expected", [
    (110, 100, 10, ("agrees", 10.0)), (90, 100, 10, ("agrees", -10.0)), (111, 100, 10, ("higher", 11.0)),
    (89, 100, 10, ("lower", -11.0)), (100, 100, 0, ("agrees", 0.0)), (150, 200, 30, ("agrees", -25.0)),
])
def test_agreement_is_within_a_percentage_of_the_series_value(article, series, tolerance, expected):
    outcome, difference = context.agreement(article, series, tolerance)
    assert outcome == expected[0] and difference == pytest.approx(expected[1])


def test_a_comparison_row_in_full():
    levels = frame(series_id=["a", "a", "a", "b"], date=dates("2003-02-01", "2003-05-01", "2003-09-01", "2003-03-01"),
                   troops=[150000, 120000, 160000, 100000])
    figures = frame(claim_id=["C19"], label=["troops"], value=[125000], date=dates("2003-04-15"),
                    period_start=dates("2003-01-01"), period_end=dates("2003-12-31"))
    result = context.compare_figures(levels, figures, 3)
    assert list(result.columns) == ["claim_id", "article_figure", "article_value", "series_id", "series_date",
                                    "series_value", "difference_pct", "outcome", "points_in_period", "period_high",
                                    "period_high_date"]
    assert result.to_dict("records") == [
        {"claim_id": "C19", "article_figure": "troops", "article_value": 125000, "series_id": "a",
         "series_date": pd.Timestamp("2003-05-01"), "series_value": 120000, "difference_pct": 4.2, "outcome": "higher",
         "points_in_period": 3, "period_high": 160000, "period_high_date": pd.Timestamp("2003-09-01")},
        {"claim_id": "C19", "article_figure": "troops", "article_value": 125000, "series_id": "b",
         "series_date": pd.Timestamp("2003-03-01"), "series_value": 100000, "difference_pct": 25.0, "outcome": "higher",
         "points_in_period": 1, "period_high": 100000, "period_high_date": pd.Timestamp("2003-03-01")},
    ]


def test_no_figures_give_an_empty_comparison_with_its_columns():
    empty = context.compare_figures(frame(series_id=[], date=[], troops=[]),
                                    frame(claim_id=[], label=[], value=[], date=[]), 10)
    assert empty.empty and "period_high_date" in empty.columns and len(empty.columns) == 11


def test_a_figure_agreeing_with_no_series_says_so():
    comparison = frame(claim_id=["C1", "C1", "C2"], article_figure=["a", "a", "b"], outcome=["lower", "higher", "agrees"])
    answers = context.figure_verdicts(comparison)
    assert answers.to_dict("records") == [
        {"claim_id": "C1", "article_figure": "a", "agreeing": 0, "compared": 2, "answer": "agrees with none"},
        {"claim_id": "C2", "article_figure": "b", "agreeing": 1, "compared": 1, "answer": "agrees with every one"},
    ]


def test_series_peaks_are_listed_highest_first():
    levels = frame(series_id=["a", "a", "b", "b"], date=dates("2003-01-01", "2004-01-01", "2003-01-01", "2004-01-01"),
                   troops=[5, 9, 20, 12], flag=["", "", "", ""])
    peaks = context.series_peaks(levels)
    assert list(peaks["series_id"]) == ["b", "a"] and list(peaks["troops"]) == [20, 9]
    assert list(peaks["date"]) == list(dates("2003-01-01", "2004-01-01"))


def attacks(dates_, totals, sources=None, series="p"):
    columns = dict(series_id=[series] * len(totals), date=dates(*dates_), total=pd.array(totals, dtype="Int64"))
    if sources is not None:
        columns["source_id"] = sources
    return frame(**columns)


def test_attack_rates_in_full():
    rates = context.attack_rates(attacks(["2023-10-01", "2023-10-11", "2023-10-31"], [10, 30, 90]), "p", 30)
    assert list(rates.columns) == ["date", "total", "days", "added", "rate"]
    assert list(rates["days"]) == [10, 20] and list(rates["added"]) == [20.0, 60.0]
    assert list(rates["rate"]) == [60.0, 90.0] and list(rates["date"]) == list(dates("2023-10-11", "2023-10-31"))


def test_same_day_statements_count_once_at_the_higher_total_whatever_their_order():
    rates = context.attack_rates(attacks(["2023-10-01", "2023-10-11", "2023-10-11"], [10, 50, 40]), "p", 10)
    assert list(rates["total"]) == [50] and list(rates["rate"]) == [40.0]
    rates = context.attack_rates(attacks(["2023-10-11", "2023-10-11", "2023-10-01"], [40, 50, 10]), "p", 10)
    assert list(rates["total"]) == [50] and list(rates["rate"]) == [40.0]


def test_an_interval_of_exactly_the_minimum_is_kept_and_other_series_are_ignored():
    both = pd.concat([attacks(["2023-10-01", "2023-10-08", "2023-10-10"], [10, 24, 30], ["a", "b", "c"]),
                      attacks(["2023-10-02"], [500], ["z"], series="q")], ignore_index=True)
    rates = context.attack_rates(both, "p", 7, min_days=7)
    assert list(rates["days"]) == [7] and list(rates["rate"]) == [14.0]


def test_attack_rates_of_one_or_no_statement_are_empty():
    assert context.attack_rates(attacks(["2023-10-01"], [10]), "p", 7).empty
    assert context.attack_rates(attacks(["2023-10-01"], [10]), "nothing", 7).empty


def test_count_at_is_the_last_statement_on_or_before_the_date():
    rows = pd.concat([attacks(["2023-10-20", "2023-10-01", "2023-10-10"], [30, 10, 20]),
                      attacks(["2023-10-05"], [999], series="q")], ignore_index=True)
    assert context.count_at(rows, "p", "2023-10-10")["total"] == 20
    assert context.count_at(rows, "p", "2023-10-09")["total"] == 10
    assert context.count_at(rows, "p", "2023-12-31")["total"] == 30
    assert context.count_at(rows, "p", "2023-09-30") is None


@pytest.mark.parametrize("totals", [[40, 50], [50, 40]], ids=["lower first", "higher first"])
def test_of_two_statements_on_the_day_count_at_takes_the_higher_whatever_their_order(totals):
    rows = attacks(["2023-10-01", "2023-10-11", "2023-10-11"], [10, *totals])
    assert context.count_at(rows, "p", "2023-10-11")["total"] == 50


def test_calls_per_year_cover_the_years_asked_for_and_their_mean():
    calls = frame(date=dates("2010-06-01", "2011-03-01", "2011-05-01", "2013-01-01", "2016-01-01"))
    per_year = context.calls_per_year(calls, 2011, 2014)
    assert list(per_year.columns) == ["year", "calls"]
    assert per_year.to_dict("list") == {"year": [2011, 2012, 2013, 2014], "calls": [2, 0, 1, 0]}
    assert context.mean_calls(per_year, 2011, 2013) == 1.0
    assert context.mean_calls(per_year, 2013, 2014) == 0.5
    assert math.isnan(context.mean_calls(per_year, 2020, 2021))


def test_a_figure_without_a_period_takes_points_up_to_a_year_and_a_day_either_side():
    levels = frame(series_id=["a"] * 4, date=dates("2002-12-30", "2002-12-31", "2005-01-01", "2005-01-02"),
                   troops=[1, 2, 3, 4])
    figure = pd.Series({"date": pd.Timestamp("2004-01-01")})
    assert list(context.points_in_period(levels, figure)["troops"]) == [2, 3]
    assert context.points_in_period(levels, figure, window_days=10).empty


def test_a_difference_under_one_percent_outside_the_tolerance_is_still_higher():
    outcome, difference = context.agreement(100.8, 100, 0.5)
    assert outcome == "higher" and difference == pytest.approx(0.8)


def test_the_point_shown_is_the_closest_in_value_not_the_lowest():
    levels = frame(series_id=["a", "a", "a"], date=dates("2003-02-01", "2003-05-01", "2003-09-01"),
                   troops=[120000, 150000, 170000])
    figures = frame(claim_id=["C19"], label=["troops"], value=[148000], date=dates("2003-04-15"))
    (row,) = context.compare_figures(levels, figures, 2).to_dict("records")
    assert row["series_value"] == 150000 and row["outcome"] == "agrees" and row["difference_pct"] == -1.3


def test_a_same_day_correction_by_one_source_counts_once():
    rows = attacks(["2023-10-01", "2023-10-11", "2023-10-11"], [10, 40, 50], ["a", "a", "a"])
    rates = context.attack_rates(rows, "p", 10, min_days=1)
    assert list(rates["total"]) == [50] and list(rates["days"]) == [10]


def test_calls_per_year_are_whole_numbers():
    per_year = context.calls_per_year(frame(date=dates("2011-03-01")), 2011, 2012)
    assert per_year["calls"].dtype.kind == "i"


@pytest.mark.parametrize("same_day", [[20, 15], [15, 20]], ids=["higher first", "lower first"])
def test_a_statement_is_lower_than_earlier_only_below_an_earlier_days_highest_total_in_its_own_series(same_day):
    statements = frame(series_id=["p", "p", "p", "p", "q", "p"],
                       date=dates("2024-01-01", "2024-01-05", "2024-01-05", "2024-01-09", "2024-01-10", "2024-01-12"),
                       total=pd.array([10, *same_day, 18, 5, pd.NA], dtype="Int64"))
    # 15 disagrees with 20 on the same day (a conflict, not a fall); 18 is below that day's 20; q has no earlier count
    assert list(context.lower_than_earlier(statements)) == [False, False, False, True, False, False]


def test_a_total_equal_to_an_earlier_one_is_no_fall_and_the_marks_keep_the_statements_index():
    statements = frame(series_id=["p", "p", "p"], date=dates("2024-01-01", "2024-01-05", "2024-01-09"),
                       total=pd.array([10, 10, 9], dtype="Int64")).set_axis([7, 3, 5])
    lower = context.lower_than_earlier(statements)
    assert list(lower.index) == [7, 3, 5] and list(lower) == [False, False, True]


def test_a_dropped_earlier_statement_takes_its_mark_away():
    statements = frame(series_id=["p", "p"], date=dates("2024-02-08", "2024-02-14"), total=pd.array([170, 165], dtype="Int64"))
    assert list(context.lower_than_earlier(statements)) == [False, True]
    assert list(context.lower_than_earlier(statements.iloc[1:])) == [False]
