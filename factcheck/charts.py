"""Altair charts in one house style. Charts leave the kernel as Vega-Lite JSON (a mimetype renderer)
and are drawn in the report by the single embedded copy of vega-embed."""
import altair as alt
import pandas as pd

from .vocab import VERDICT_COLOURS, VERDICT_LABELS

WIDTH = 620
FONT = "Liberation Sans, DejaVu Sans, Arial, sans-serif"
PUBLICATION_COLOUR = "#b2182b"


@alt.theme.register("report", enable=False)
def report_theme():
    return alt.theme.ThemeConfig({
        "config": {
            "font": FONT,
            "view": {"stroke": None},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "gridColor": "#e5e5e5"},
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom", "columns": 2, "labelLimit": 400},
            "title": {"fontSize": 14, "anchor": "start"},
        }
    })


VEGA_LITE_MIMETYPE = "application/vnd.vegalite.v6+json"


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


def verdict_chart(counts):
    data = counts.assign(label=counts["verdict"].map(VERDICT_LABELS))
    return alt.Chart(data, title="Claims by verdict").mark_bar().encode(
        x=alt.X("claims:Q", title="Claims"),
        y=alt.Y("label:N", title=None, sort=list(VERDICT_LABELS.values())),
        color=alt.Color("label:N", scale=_verdict_scale(), legend=None),
        tooltip=[alt.Tooltip("label:N", title="Verdict"), alt.Tooltip("claims:Q", title="Claims")],
    ).properties(width=WIDTH - 120, height=170)


def verdict_by_type_chart(by_type):
    data = by_type.assign(label=by_type["verdict"].map(VERDICT_LABELS),
                          claim_type=by_type["claim_type"].str.replace("_", " "))
    return alt.Chart(data, title="Verdicts by type of claim").mark_bar().encode(
        x=alt.X("sum(claims):Q", title="Claims"),
        y=alt.Y("claim_type:N", title=None, sort="-x"),
        color=alt.Color("label:N", scale=_verdict_scale(), title="Verdict"),
        order=alt.Order("verdict:N"),
        tooltip=[alt.Tooltip("claim_type:N", title="Type"), alt.Tooltip("label:N", title="Verdict"),
                 alt.Tooltip("claims:Q", title="Claims")],
    ).properties(width=WIDTH - 140, height=240)


def _rules(frame, label_field, title_field, min_gap_days=None):
    """Dashed vertical rules for dated milestones, with a tooltip. With `min_gap_days`, a rule is also labelled
    when it is at least that far from the previous labelled one, so labels never pile up."""
    base = alt.Chart(frame)
    rules = base.mark_rule(strokeDash=[4, 3], color="#888").encode(
        x="date:T", tooltip=[alt.Tooltip("date:T", title="Date"), alt.Tooltip(f"{title_field}:N", title="Event")])
    if min_gap_days is None:
        return rules
    labelled, last = [], None
    for date in frame["date"].sort_values():
        if last is None or (date - last).days >= min_gap_days:
            labelled.append(date)
            last = date
    labels = alt.Chart(frame[frame["date"].isin(labelled)]).mark_text(
        align="right", angle=270, baseline="bottom", dx=-4, dy=-2, fontSize=10, color="#444").encode(
        x="date:T", y=alt.value(0), text=f"{label_field}:N")
    return rules + labels


def _article_figures(figures):
    """The article's own figures as red diamonds at the dates they refer to."""
    return alt.Chart(figures[["date", "value", "label"]]).mark_point(
        shape="diamond", size=160, filled=True, color=PUBLICATION_COLOUR).encode(
        x="date:T", y="value:Q",
        tooltip=[alt.Tooltip("label:N", title="The article says"), alt.Tooltip("value:Q", format=","),
                 alt.Tooltip("date:T", title="Dated")])


def troop_chart(levels, series, milestones, figures, since=None, title="US troops in Iraq, by what each source measures"):
    """Troop levels by series, milestones and the article's figures; `since` zooms in on a later period."""
    if since is not None:
        since = pd.Timestamp(since)
        levels, milestones, figures = (f[f["date"] >= since] for f in (levels, milestones, figures))
    data = levels[["date", "series_id", "troops", "note"]].merge(series[["series_id", "label"]], on="series_id")
    lines = alt.Chart(data, title=title).mark_line(point=True, strokeWidth=1.5).encode(
        x=alt.X("date:T", title=None),
        y=alt.Y("troops:Q", title="US troops"),
        color=alt.Color("label:N", title="Series"),
        tooltip=[alt.Tooltip("label:N", title="Series"), alt.Tooltip("date:T", title="Date"),
                 alt.Tooltip("troops:Q", title="Troops", format=","), alt.Tooltip("note:N", title="Note")],
    )
    return (_rules(milestones[["date", "label", "description"]], "label", "description", min_gap_days=400 if since is None else 120)
            + lines + _article_figures(figures)).properties(width=WIDTH, height=340)


def attacks_chart(attacks, series, events, publication, figures):
    data = attacks[["date", "series_id", "total", "iraq", "syria", "stated_by"]].merge(series[["series_id", "label"]], on="series_id")
    counts = alt.Chart(data, title="Attacks on US forces in Iraq and Syria since October 2023 (cumulative)").mark_line(
        point=True).encode(
        x=alt.X("date:T", title="Date of the statement"),
        y=alt.Y("total:Q", title="Attacks (cumulative)"),
        color=alt.Color("label:N", title="Count"),
        tooltip=[alt.Tooltip("date:T", title="Stated"), alt.Tooltip("total:Q", title="Total"),
                 alt.Tooltip("iraq:Q", title="Iraq"), alt.Tooltip("syria:Q", title="Syria"),
                 alt.Tooltip("stated_by:N", title="Stated by"), alt.Tooltip("label:N", title="Series")],
    )
    published = pd.DataFrame({"date": [publication], "label": ["Article published"],
                              "description": ["Publication of the DW article"]})
    event_marks = _rules(events[["date", "title", "description"]], "title", "description")
    pub_rule = alt.Chart(published).mark_rule(color=PUBLICATION_COLOUR, strokeWidth=2).encode(
        x="date:T", tooltip=[alt.Tooltip("label:N", title="Event"), alt.Tooltip("date:T")])
    return (event_marks + pub_rule + counts + _article_figures(figures)).properties(width=WIDTH, height=320)


def rate_chart(rates, window_days):
    return alt.Chart(rates[["date", "days", "added", "rate"]], title=f"Attacks per {window_days} days between statements").mark_bar(color="#2c7bb6").encode(
        x=alt.X("date:T", title="Statement date (end of interval)"),
        y=alt.Y("rate:Q", title=f"Attacks per {window_days} days"),
        tooltip=[alt.Tooltip("date:T", title="Up to"), alt.Tooltip("days:Q", title="Days in interval"),
                 alt.Tooltip("added:Q", title="New attacks"), alt.Tooltip("rate:Q", format=".1f", title="Rate")],
    ).properties(width=WIDTH, height=200)


def calls_chart(per_year):
    data = per_year.assign(found=per_year["calls"].gt(0).map({True: "Sourced call found", False: "None found"}))
    return alt.Chart(data, title="Iraqi calls, threats and moves to expel US forces, per year").mark_bar().encode(
        x=alt.X("year:O", title=None),
        y=alt.Y("calls:Q", title="Calls recorded"),
        color=alt.Color("found:N", scale=alt.Scale(domain=["Sourced call found", "None found"],
                                                   range=["#2c7bb6", "#bbbbbb"]), title=None),
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("calls:Q", title="Calls")],
    ).properties(width=WIDTH, height=220) + alt.Chart(data).mark_tick(color="#bbbbbb", thickness=3).encode(
        x="year:O", y=alt.value(218))


def events_chart(events, publication):
    base = alt.Chart(events[["date", "category", "title", "description"]], title="Events around and after the article").mark_circle(size=90, opacity=0.85).encode(
        x=alt.X("date:T", title=None),
        y=alt.Y("category:N", title=None),
        color=alt.Color("category:N", legend=None),
        tooltip=[alt.Tooltip("date:T", title="Date"), alt.Tooltip("title:N", title="Event"),
                 alt.Tooltip("description:N", title="What happened")],
    )
    pub = alt.Chart(pd.DataFrame({"date": [publication]})).mark_rule(color=PUBLICATION_COLOUR, strokeWidth=2).encode(x="date:T")
    return (pub + base).properties(width=WIDTH, height=240)
