"""Context series: the article's figures against troop levels, attack rates, calls per year."""
import pandas as pd


IN_IRAQ = ("in_country_count", "in_country_estimate", "in_country_average")


def us_troops_in_iraq(levels, series):
    """Only the series that count US troops inside Iraq: caps, region-wide and coalition totals measure other things."""
    return levels[levels["series_id"].isin(series.loc[series["measure"].isin(IN_IRAQ), "series_id"])]


def nearest_points(levels, figure, window_days=366):
    """For one article figure, the closest point in time of each troop series within the window."""
    gap = (levels["date"] - figure["date"]).abs()
    near = levels.assign(days_apart=gap.dt.days)[gap <= pd.Timedelta(days=window_days)]
    return near.sort_values("days_apart").groupby("series_id").head(1).sort_values("series_id")


def agreement(article_value, series_value, tolerance_pct):
    """'agrees' if within tolerance_pct of the series value, else how far off."""
    difference = (article_value - series_value) / series_value * 100
    if abs(difference) <= tolerance_pct:
        return "agrees", difference
    return ("higher" if difference > 0 else "lower"), difference


def compare_figures(levels, figures, tolerance_pct):
    """Each article figure beside the nearest point of every series, with the verdict of the comparison."""
    rows = []
    for _, figure in figures.iterrows():
        for _, point in nearest_points(levels, figure).iterrows():
            outcome, difference = agreement(figure["value"], point["troops"], tolerance_pct)
            rows.append({"claim_id": figure["claim_id"], "article_figure": figure["label"],
                         "article_value": figure["value"], "series_id": point["series_id"],
                         "series_date": point["date"], "series_value": point["troops"],
                         "difference_pct": round(difference, 1), "outcome": outcome})
    return pd.DataFrame(rows, columns=["claim_id", "article_figure", "article_value", "series_id", "series_date",
                                       "series_value", "difference_pct", "outcome"])


def figure_verdicts(comparison):
    """One plain answer per article figure: does it agree with the series that measure the same thing?"""
    grouped = comparison.groupby(["claim_id", "article_figure"])["outcome"]
    summary = grouped.agg(agreeing=lambda s: int((s == "agrees").sum()), compared="size").reset_index()
    summary["answer"] = [("agrees with every one" if a == n else "agrees with none" if a == 0 else "agrees with some")
                         for a, n in zip(summary["agreeing"], summary["compared"])]
    return summary


def series_peaks(levels):
    """The highest figure of each series and its date."""
    return levels.loc[levels.groupby("series_id")["troops"].idxmax()].sort_values("troops", ascending=False)


def attack_rates(attacks, series_id, window_days):
    """Attacks per window between consecutive statements of one cumulative series."""
    series = attacks[attacks["series_id"] == series_id]
    # Two statements on one day (a conflict kept side by side) count once, at the higher total.
    counts = series.groupby("date", as_index=False)["total"].max().sort_values("date").reset_index(drop=True)
    days = counts["date"].diff().dt.days
    added = counts["total"].astype(float).diff()
    return counts.assign(days=days, added=added, rate=added / days * window_days).iloc[1:]


def count_at(attacks, series_id, date):
    """The last statement of a series on or before a date (None if there is none)."""
    known = attacks[(attacks["series_id"] == series_id) & (attacks["date"] <= pd.Timestamp(date))]
    return None if known.empty else known.sort_values("date").iloc[-1]


def calls_per_year(calls, first_year, last_year):
    """Calls, threats and formal moves per year, with the years that have none."""
    years = pd.Series(range(first_year, last_year + 1), name="year")
    counts = calls.assign(year=calls["date"].dt.year).groupby("year").size()
    return years.to_frame().assign(calls=years.map(counts).fillna(0).astype(int).values)


def mean_calls(per_year, first, last):
    span = per_year[(per_year["year"] >= first) & (per_year["year"] <= last)]
    return span["calls"].mean() if len(span) else float("nan")
