"""Context series: the article's figures against troop levels, attack rates, calls per year."""
import pandas as pd


IN_IRAQ = ("in_country_count", "in_country_estimate", "in_country_average")


def us_troops_in_iraq(levels, series):
    """Only the series that count US troops inside Iraq: caps, region-wide and coalition totals measure other things."""
    return levels[levels["series_id"].isin(series.loc[series["measure"].isin(IN_IRAQ), "series_id"])]


def usable(levels):
    """Rows fit to stand for their series: a row with a `flag` (an outlier, or a figure whose scope is wider than
    Iraq) stays in the table beside the others but is never picked as a peak or compared with the article."""
    if "flag" not in levels:
        return levels
    return levels[levels["flag"].fillna("").eq("")]


def figure_period(figure, window_days=366):
    """The dates an article figure refers to: its `period_start`..`period_end` (C19's "in 2003" is the year 2003);
    where no period is given, the year either side of the figure's date."""
    start, end = figure.get("period_start"), figure.get("period_end")
    if start is None or pd.isna(start) or end is None or pd.isna(end):
        start, end = figure["date"] - pd.Timedelta(days=window_days), figure["date"] + pd.Timedelta(days=window_days)
    return pd.Timestamp(start), pd.Timestamp(end)


def points_in_period(levels, figure, window_days=366):
    """Every unflagged point of every troop series dated within the period the figure refers to."""
    start, end = figure_period(figure, window_days)
    levels = usable(levels)
    return levels[(levels["date"] >= start) & (levels["date"] <= end)]


def agreement(article_value, series_value, tolerance_pct):
    """'agrees' if within tolerance_pct of the series value, else how far off."""
    difference = (article_value - series_value) / series_value * 100
    if abs(difference) <= tolerance_pct:
        return "agrees", difference
    return ("higher" if difference > 0 else "lower"), difference


def compare_figures(levels, figures, tolerance_pct):
    """Each article figure against every series that has points in the period the figure refers to.

    The rule: a figure is compared with ALL unflagged points of a series dated within the figure's period
    (`period_start`..`period_end` in article_figures; the year either side of its date where none is given),
    not only with the point nearest in time. It "agrees" with the series if at least one of those points is within
    `tolerance_pct` of it; the point shown is the one closest in value (so an agreeing point is shown when there
    is one), beside the number of points in the period and the period's highest point. Flagged rows (outliers,
    figures that also count forces outside Iraq) are left out. A figure the article gives as a peak
    (`compared_with` is 'period_high') is compared with the period's highest point only: a peak of 130,000 is not
    borne out by a lower point later in the year.
    """
    rows = []
    for _, figure in figures.iterrows():
        for series_id, points in points_in_period(levels, figure).groupby("series_id"):
            highest = points.loc[points["troops"].astype(float).idxmax()]
            closest = (highest if figure.get("compared_with") == "period_high" else
                       points.loc[(points["troops"].astype(float) - figure["value"]).abs().idxmin()])
            outcome, difference = agreement(figure["value"], closest["troops"], tolerance_pct)
            rows.append({"claim_id": figure["claim_id"], "article_figure": figure["label"],
                         "article_value": figure["value"], "series_id": series_id,
                         "series_date": closest["date"], "series_value": closest["troops"],
                         "difference_pct": round(difference, 1), "outcome": outcome,
                         "points_in_period": len(points), "period_high": highest["troops"],
                         "period_high_date": highest["date"]})
    return pd.DataFrame(rows, columns=["claim_id", "article_figure", "article_value", "series_id", "series_date",
                                       "series_value", "difference_pct", "outcome", "points_in_period",
                                       "period_high", "period_high_date"])


def figure_verdicts(comparison):
    """One plain answer per article figure: does it agree with the series that measure the same thing?"""
    grouped = comparison.groupby(["claim_id", "article_figure"])["outcome"]
    summary = grouped.agg(agreeing=lambda s: int((s == "agrees").sum()), compared="size").reset_index()
    summary["answer"] = [("agrees with every one" if a == n else "agrees with none" if a == 0 else "agrees with some")
                         for a, n in zip(summary["agreeing"], summary["compared"])]
    return summary


def series_peaks(levels):
    """The highest unflagged figure of each series and its date: outliers and wider-scope rows are never a peak."""
    levels = usable(levels)
    return levels.loc[levels.groupby("series_id")["troops"].idxmax()].sort_values("troops", ascending=False)


def attack_rates(attacks, series_id, window_days, min_days=7):
    """Attacks per `window_days` between statements of one cumulative series, each interval at least `min_days` long.

    Two statements on one day (a conflict kept side by side) count once, at the higher total. An interval runs from
    one kept statement to the first later statement that is at least `min_days` after it, or, sooner, to the next
    statement from the same source: a one-day gap between two outlets' counts says more about their cut-off times
    than about the pace of attacks. `min_days=1` gives every consecutive pair.
    """
    series = attacks[attacks["series_id"] == series_id]
    series = series.sort_values("total", ascending=False, kind="stable")
    counts = series.drop_duplicates("date").sort_values("date").reset_index(drop=True)
    columns = ["date", "total"] + (["source_id"] if "source_id" in counts else [])
    counts = counts[columns]
    kept = [0] if len(counts) else []
    for i in range(1, len(counts)):
        anchor = counts.iloc[kept[-1]]
        gap = (counts.loc[i, "date"] - anchor["date"]).days
        same_source = "source_id" in counts and counts.loc[i, "source_id"] == anchor["source_id"]
        if gap >= min_days or same_source:
            kept.append(i)
    counts = counts.iloc[kept].reset_index(drop=True)
    days = counts["date"].diff().dt.days
    added = counts["total"].astype(float).diff()
    return counts.assign(days=days, added=added, rate=added / days * window_days).iloc[1:]


def lower_than_earlier(attacks):
    """Which statements give a lower total than one stated on an earlier day in the same series: derived from the
    series each time, never stored, so it follows every row added or dropped. Two statements on one day that disagree
    are a conflict kept side by side, not a fall."""
    totals = attacks["total"].astype(float)
    daily = attacks.assign(total=totals).groupby(["series_id", "date"], as_index=False)["total"].max().sort_values("date")
    daily["earlier"] = daily.groupby("series_id")["total"].transform(lambda s: s.cummax().shift())
    earlier = attacks[["series_id", "date"]].merge(daily[["series_id", "date", "earlier"]], how="left")["earlier"]
    return pd.Series(totals.to_numpy() < earlier.to_numpy(), index=attacks.index)


def count_at(attacks, series_id, date):
    """The last statement of a series on or before a date (None if there is none). Of statements on that day that
    disagree, the higher total, as attack_rates counts them, whichever the file lists first."""
    known = attacks[(attacks["series_id"] == series_id) & (attacks["date"] <= pd.Timestamp(date))]
    return None if known.empty else known.sort_values(["date", "total"], na_position="first").iloc[-1]


def calls_per_year(calls, first_year, last_year):
    """Calls, threats and formal moves per year, with the years that have none."""
    years = pd.Series(range(first_year, last_year + 1), name="year")
    counts = calls.assign(year=calls["date"].dt.year).groupby("year").size()
    return years.to_frame().assign(calls=years.map(counts).fillna(0).astype(int).values)


def mean_calls(per_year, first, last):
    span = per_year[(per_year["year"] >= first) & (per_year["year"] <= last)]
    return span["calls"].mean() if len(span) else float("nan")
