"""Altair charts in one house style. Charts leave the kernel as Vega-Lite JSON (a mimetype renderer)
and are drawn in the report by the single embedded copy of vega-embed."""
import altair as alt
import pandas as pd

from .config import VEGA_LITE_MIMETYPE
from .render import long_date
from .vocab import (BAR_COLOUR, CATEGORY_COLOURS, GRID_COLOUR, LABEL_COLOUR, NONE_COLOUR, PUBLICATION_COLOUR,
                    RULE_COLOUR, VERDICT_LABELS, VERDICT_PALETTE)

VERDICT_COLOURS = VERDICT_PALETTE["light"]
WIDTH = "container"
FONT = "Liberation Sans, DejaVu Sans, Arial, sans-serif"


@alt.theme.register("report", enable=False)
def report_theme():
    return alt.theme.ThemeConfig({
        "config": {
            "font": FONT,
            "view": {"stroke": None},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "gridColor": GRID_COLOUR},
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom", "columns": 1, "labelLimit": 0},
            "title": {"fontSize": 14, "anchor": "start", "limit": 0},
            "autosize": {"type": "fit-x", "contains": "padding"},
            "range": {"category": CATEGORY_COLOURS},
        }
    })


def _vega_lite_bundle(spec, **_):
    """Altair 6's own mimetype renderer emits `...v6.json`, which nbformat rejects as a non-JSON mimetype."""
    return {VEGA_LITE_MIMETYPE: spec, "text/plain": "<Vega-Lite chart>"}


alt.renderers.register("report", _vega_lite_bundle)


def use_report_style():
    alt.theme.enable("report")
    alt.renderers.enable("report")
    alt.data_transformers.disable_max_rows()


def _verdict_scale():
    return alt.Scale(domain=list(VERDICT_LABELS.values()), range=list(VERDICT_COLOURS.values()))


def _described(chart, description, table):
    """Every chart carries a one-sentence description computed from its data (its accessible name in the page)
    and the id of the table that holds its data."""
    return chart.properties(description=description, usermeta={"table": table})


def _join(items):
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def verdict_chart(counts, table="glance"):
    data = counts.assign(label=counts["verdict"].map(VERDICT_LABELS))
    shown = data[data["claims"] > 0]
    description = (f"Bar chart of the {int(data['claims'].sum())} claims by verdict: "
                   + _join(f"{int(n)} {label.lower()}" for label, n in zip(shown["label"], shown["claims"])) + ".")
    chart = alt.Chart(data, title="Claims by verdict").mark_bar().encode(
        x=alt.X("claims:Q", title="Claims"),
        y=alt.Y("label:N", title=None, sort=list(VERDICT_LABELS.values())),
        color=alt.Color("label:N", scale=_verdict_scale(), legend=None),
        tooltip=[alt.Tooltip("label:N", title="Verdict"), alt.Tooltip("claims:Q", title="Claims")],
    ) + alt.Chart(data).mark_text(align="left", dx=4, fontSize=11).encode(
        x="claims:Q", y=alt.Y("label:N", sort=list(VERDICT_LABELS.values())), text="claims:Q")
    return _described(chart.properties(width=WIDTH, height=170), description, table)


def verdict_by_type_chart(by_type, type_words, table="glance"):
    data = by_type.assign(label=by_type["verdict"].map(VERDICT_LABELS),
                          claim_type=by_type["claim_type"].map(type_words).fillna(by_type["claim_type"]))
    totals = data.groupby("claim_type")["claims"].sum().sort_values(ascending=False)
    wrong = data[data["verdict"].isin(["inaccurate", "partly_supported"])].groupby("claim_type")["claims"].sum()
    description = (f"Stacked bar chart of verdicts by type of claim: {totals.index[0]} has the most claims "
                   f"({int(totals.iloc[0])})" + (", and the claims rated inaccurate or partly supported are about "
                   + _join(f"{t} ({int(n)})" for t, n in wrong.sort_values(ascending=False).items()) if len(wrong) else "")
                   + ".")
    chart = alt.Chart(data, title="Verdicts by type of claim").mark_bar().encode(
        x=alt.X("sum(claims):Q", title="Claims"),
        y=alt.Y("claim_type:N", title=None, sort="-x"),
        color=alt.Color("label:N", scale=_verdict_scale(), title="Verdict"),
        order=alt.Order("verdict:N"),
        tooltip=[alt.Tooltip("claim_type:N", title="Type"), alt.Tooltip("label:N", title="Verdict"),
                 alt.Tooltip("claims:Q", title="Claims")],
    ).properties(width=WIDTH, height=240)
    return _described(chart, description, table)


def _rules(frame, label_field, title_field, min_gap_days=None):
    """Dashed vertical rules for dated milestones, with a tooltip. With `min_gap_days`, a rule is also labelled
    when it is at least that far from the previous labelled one, so labels never pile up."""
    base = alt.Chart(frame)
    rules = base.mark_rule(strokeDash=[4, 3], color=RULE_COLOUR).encode(
        x="date:T", tooltip=[alt.Tooltip("date:T", title="Date"), alt.Tooltip(f"{title_field}:N", title="Event")])
    if min_gap_days is None:
        return rules
    labelled, last = [], None
    for date in frame["date"].sort_values():
        if last is None or (date - last).days >= min_gap_days:
            labelled.append(date)
            last = date
    labels = alt.Chart(frame[frame["date"].isin(labelled)]).mark_text(
        align="right", angle=270, baseline="bottom", dx=-4, dy=-2, fontSize=10, color=LABEL_COLOUR).encode(
        x="date:T", y=alt.value(0), text=f"{label_field}:N")
    return rules + labels


def _article_figures(figures):
    """The article's own figures as red diamonds at the dates they refer to."""
    return alt.Chart(figures[["date", "value", "label"]]).mark_point(
        shape="diamond", size=160, filled=True, color=PUBLICATION_COLOUR).encode(
        x="date:T", y="value:Q",
        tooltip=[alt.Tooltip("label:N", title="The article says"), alt.Tooltip("value:Q", format=","),
                 alt.Tooltip("date:T", title="Dated")])


def troop_chart(levels, series, milestones, figures, since=None, title="U.S. troops in Iraq, by what each source measures",
                in_iraq=None, table="troop-data"):
    """Troop levels by series, milestones and the article's figures; `since` zooms in on a later period.
    `in_iraq` (the series of official counts of troops inside Iraq) names the peak in the description."""
    if since is not None:
        since = pd.Timestamp(since)
        levels, milestones, figures = (f[f["date"] >= since] for f in (levels, milestones, figures))
    data = levels[["date", "series_id", "troops", "note"]].rename_axis("row").reset_index().merge(
        series[["series_id", "label"]], on="series_id")
    counted = data[data["series_id"].isin(in_iraq)] if in_iraq is not None else data
    if "flag" in levels:  # outliers and wider-scope rows are drawn but never named as the peak
        unflagged = levels.index[levels["flag"].fillna("").eq("")]
        counted = counted[counted["row"].isin(unflagged)]
    peak = counted.loc[counted["troops"].idxmax()]
    description = (f"Line chart of {data['label'].nunique()} series of U.S. troop numbers from {data['date'].min().year} "
                   f"to {data['date'].max().year}; the highest official count of troops inside Iraq is {int(peak['troops']):,} "
                   f"({long_date(peak['date'])})"
                   + (", and the article's figures of " + _join(f"{int(v):,}" for v in figures["value"]) +
                      " are marked as red diamonds" if len(figures) else "") + ".")
    lines = alt.Chart(data, title=title).mark_line(point=True, strokeWidth=1.5).encode(
        x=alt.X("date:T", title=None),
        y=alt.Y("troops:Q", title="U.S. troops"),
        color=alt.Color("label:N", title="Series", legend=alt.Legend(labelLimit=0, columns=1)),
        tooltip=[alt.Tooltip("label:N", title="Series"), alt.Tooltip("date:T", title="Date"),
                 alt.Tooltip("troops:Q", title="Troops", format=","), alt.Tooltip("note:N", title="Note")],
    )
    chart = (_rules(milestones[["date", "label", "description"]], "label", "description",
                    min_gap_days=400 if since is None else 120)
             + lines + _article_figures(figures)).properties(width=WIDTH, height=250)
    return _described(chart, description, table)


def attacks_chart(attacks, series, events, publication, figures, main_series="pentagon_cumulative", table="attack-data"):
    data = attacks[["date", "series_id", "total", "iraq", "syria", "stated_by"]].merge(series[["series_id", "label"]], on="series_id")
    main = data[data["series_id"] == main_series].sort_values("date")
    description = (f"Line chart of {len(data)} statements of cumulative attacks on U.S. forces in Iraq and Syria, "
                   f"{long_date(data['date'].min())} to {long_date(data['date'].max())}"
                   + (f"; the Pentagon's count rose from {int(main['total'].iloc[0])} to {int(main['total'].iloc[-1])}"
                      if len(main) else "")
                   + f"; a red line marks the article's publication on {long_date(publication)}.")
    counts = alt.Chart(data, title="Attacks on U.S. forces in Iraq and Syria since October 2023 (cumulative)").mark_line(
        point=True).encode(
        x=alt.X("date:T", title="Date of the statement"),
        y=alt.Y("total:Q", title="Attacks (cumulative)"),
        color=alt.Color("label:N", title="Count", legend=alt.Legend(labelLimit=0, columns=1)),
        tooltip=[alt.Tooltip("date:T", title="Stated"), alt.Tooltip("total:Q", title="Total"),
                 alt.Tooltip("iraq:Q", title="Iraq"), alt.Tooltip("syria:Q", title="Syria"),
                 alt.Tooltip("stated_by:N", title="Stated by"), alt.Tooltip("label:N", title="Series")],
    )
    published = pd.DataFrame({"date": [publication], "label": ["Article published"],
                              "description": ["Publication of the DW article"]})
    event_marks = _rules(events[["date", "title", "description"]], "title", "description")
    pub_rule = alt.Chart(published).mark_rule(color=PUBLICATION_COLOUR, strokeWidth=2).encode(
        x="date:T", tooltip=[alt.Tooltip("label:N", title="Event"), alt.Tooltip("date:T")])
    chart = (event_marks + pub_rule + counts + _article_figures(figures)).properties(width=WIDTH, height=320)
    return _described(chart, description, table)


def rate_chart(rates, window_days, table="attack-data"):
    fastest = rates.loc[rates["rate"].idxmax()]
    description = (f"Bar chart of attacks per {window_days} days between {len(rates) + 1} Pentagon statements; the fastest "
                   f"pace, {fastest['rate']:.1f} per {window_days} days, came in the interval up to {long_date(fastest['date'])}.")
    chart = alt.Chart(rates[["date", "days", "added", "rate"]], title=f"Attacks per {window_days} days between statements").mark_bar(
        color=BAR_COLOUR).encode(
        x=alt.X("date:T", title="Statement date (end of interval)"),
        y=alt.Y("rate:Q", title=f"Attacks per {window_days} days"),
        tooltip=[alt.Tooltip("date:T", title="Up to"), alt.Tooltip("days:Q", title="Days in interval"),
                 alt.Tooltip("added:Q", title="New attacks"), alt.Tooltip("rate:Q", format=".1f", title="Rate")],
    ).properties(width=WIDTH, height=200)
    return _described(chart, description, table)


def calls_chart(per_year, table="calls-data"):
    data = per_year.assign(found=per_year["calls"].gt(0).map({True: "Sourced call found", False: "None found"}))
    none = data.loc[data["calls"] == 0, "year"].astype(str).tolist()
    top = data.loc[data["calls"].idxmax()]
    description = (f"Bar chart of sourced Iraqi calls, threats and moves to expel U.S. forces per year, "
                   f"{int(data['year'].min())} to {int(data['year'].max())}: the most, {int(top['calls'])}, in {int(top['year'])}; "
                   + (f"none found in {_join(none)}." if none else "at least one in every year."))
    chart = alt.Chart(data, title="Iraqi calls, threats and moves to expel U.S. forces, per year").mark_bar().encode(
        x=alt.X("year:O", title=None),
        y=alt.Y("calls:Q", title="Calls recorded"),
        color=alt.Color("found:N", scale=alt.Scale(domain=["Sourced call found", "None found"],
                                                   range=[BAR_COLOUR, NONE_COLOUR]), title=None),
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("calls:Q", title="Calls")],
    ).properties(width=WIDTH, height=220) + alt.Chart(data).mark_tick(color=NONE_COLOUR, thickness=3).encode(
        x="year:O", y=alt.value(218))
    return _described(chart, description, table)


def events_chart(events, publication, table="events-data"):
    kinds = events["category"].value_counts()
    description = (f"Timeline of {len(events)} events from {long_date(events['date'].min())} to {long_date(events['date'].max())}, "
                   f"most of them of the kind '{kinds.index[0]}' ({int(kinds.iloc[0])}); a red line marks the article's "
                   f"publication on {long_date(publication)}.")
    base = alt.Chart(events[["date", "category", "title", "description"]], title="Events around and after the article").mark_point(
        size=70, filled=True, opacity=0.9).encode(
        x=alt.X("date:T", title=None),
        y=alt.Y("category:N", title=None),
        color=alt.Color("category:N", legend=None),
        shape=alt.Shape("category:N", legend=None),
        tooltip=[alt.Tooltip("date:T", title="Date"), alt.Tooltip("title:N", title="Event"),
                 alt.Tooltip("description:N", title="What happened")],
    )
    pub = alt.Chart(pd.DataFrame({"date": [publication]})).mark_rule(color=PUBLICATION_COLOUR, strokeWidth=2).encode(x="date:T")
    return _described((pub + base).properties(width=WIDTH, height=240), description, table)
