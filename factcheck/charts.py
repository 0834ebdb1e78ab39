"""Altair charts in one house style, drawn once, where they are made.

A chart leaves the kernel as its Vega-Lite spec beside an SVG and a PNG of it, which is what JupyterLab (it renders
Vega-Lite only up to v5), GitHub and nbviewer show, and beside the report's own record of it (CHART_MIMETYPE): a short
name, a description computed from the data, the id of its data table, and an SVG rendering for narrow and for wide
screens, each carrying its dark theme inside. The report embeds those pictures and runs no chart code.
"""
import base64
import re
import textwrap

import altair as alt
import pandas as pd

from .config import CHART_MIMETYPE, VEGA_LITE_MIMETYPE
from .render import long_date
from .vocab import (BAR_COLOUR, CATEGORY_COLOURS, DARK_COLOURS, GRID_COLOUR, INK, LABEL_COLOUR, NONE_COLOUR, PAPER,
                    PUBLICATION_COLOUR, RULE_COLOUR, VERDICT_LABELS, VERDICT_PALETTE)

VERDICT_COLOURS = VERDICT_PALETTE["light"]
# CSS px. The report never shows a rendering narrower than it was drawn, so its text never falls below TEXT_SIZE:
# the narrow one fits a 360 px phone, the wide one the page's column (704 px) from 760 px up, and A4 (680 px).
NARROW, WIDE = 320, 680
TEXT_SIZE, TITLE_SIZE = 12, 15
# Liberation Sans has Arial's metrics, so text measured when the chart is drawn fits wherever it is shown.
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"


@alt.theme.register("report", enable=False)
def report_theme():
    text = {"labelFontSize": TEXT_SIZE, "titleFontSize": TEXT_SIZE, "labelColor": INK, "titleColor": INK}
    return alt.theme.ThemeConfig({
        "config": {
            "font": FONT,
            "background": PAPER,
            "view": {"stroke": None},
            "axis": {**text, "titleFontWeight": "normal", "gridColor": GRID_COLOUR, "domainColor": RULE_COLOUR,
                     "tickColor": RULE_COLOUR, "labelSeparation": 8},  # Vega drops a label closer than 8 px to the next
            "legend": {**text, "titleFontWeight": "bold", "orient": "bottom", "columns": 1, "labelLimit": 0},
            "title": {"fontSize": TITLE_SIZE, "color": INK, "anchor": "start", "limit": 0, "offset": 8},
            "text": {"fontSize": TEXT_SIZE, "color": INK},
            "autosize": {"type": "fit-x", "contains": "padding"},
            "range": {"category": CATEGORY_COLOURS},
        }
    })


# --- static renderings -------------------------------------------------------------------------------------------

def tidy_svg(svg):
    """vl-convert's SVG made smaller and quieter: it is shown as an image, whose text alternative the page gives, so
    Vega's ARIA attributes and classes go, and so do labels Vega hid to avoid overlaps, empty paths, and digits below
    1/10 px; attributes are quoted with ' (a data: URI spends three bytes on each "). A text's stroke is painted
    under its fill, as a halo."""
    svg = re.sub(r'<text(?=[^>]*\sopacity="0")[^>]*>.*?</text>', "", svg)
    svg = re.sub(r'\s(?:aria-[a-z]+|role|class|pointer-events)="[^"]*"', "", svg)
    svg = re.sub(r'<path d="(?:M0,0h[\d.]+v[\d.]+h-?[\d.]+Z)?"(?: display="none")?/>', "", svg)  # unpainted
    svg = re.sub(r"<text(?=[^>]*\sstroke=)", '<text paint-order="stroke"', svg)  # a stroked text's stroke is its halo
    svg = svg.replace(' opacity="1"', "").replace(f' font-family="{FONT}"', "")
    svg = svg.replace(' xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1"', "", 1)
    svg = svg.replace("<svg ", f'<svg font-family="{FONT}" ', 1)

    def tag(match):
        text = re.sub(r"(\d\.\d)\d+", r"\1", match.group(0))
        return re.sub(r'="([^"\']*)"', r"='\1'", text)

    return re.sub(r"<[^>]+>", tag, svg)


def with_dark_theme(svg):
    """The light drawing with its dark theme inside, so that one picture serves both themes: on a dark screen, CSS
    repaints each fill and stroke colour the drawing uses with its dark-theme partner (CSS outranks SVG's presentation
    attributes). An SVG in an <img> follows the page's colour scheme; `screen and` keeps print light in any browser
    (Chromium prints it light regardless)."""
    swaps = {light.lower(): dark for light, dark in DARK_COLOURS.items()}
    used = dict.fromkeys(re.findall(r"\s(fill|stroke)=[\"'](#[0-9a-fA-F]{6})[\"']", svg))
    rules = "".join(f"[{paint}='{colour}']{{{paint}:{swaps[colour.lower()]}}}"
                    for paint, colour in used if colour.lower() in swaps)
    style = f"<style>@media screen and (prefers-color-scheme:dark){{{rules}}}</style>"
    return re.sub(r"<svg\b[^>]*>", lambda m: m.group(0) + style, svg, count=1)


def svg_size(svg):
    width, height = re.search(r"<svg[^>]*\swidth=[\"']([\d.]+)[^>]*\sheight=[\"']([\d.]+)", svg).groups()
    return round(float(width)), round(float(height))


def render_svg(spec):
    import vl_convert

    return tidy_svg(vl_convert.vegalite_to_svg(spec))


def static_bundle(spec, svg=None):
    """Spec, SVG and PNG (drawn at twice the density, shown at the SVG's size), and the metadata that sizes the PNG."""
    import vl_convert

    svg = svg or render_svg(spec)
    width, height = svg_size(svg)
    png = base64.b64encode(vl_convert.svg_to_png(svg, scale=2)).decode("ascii")
    data = {VEGA_LITE_MIMETYPE: spec, "image/svg+xml": svg, "image/png": png,
            "text/plain": f"<Chart: {spec.get('description', 'Vega-Lite chart')}>"}
    return data, {"image/png": {"width": width, "height": height}}


def _altair_bundle(spec, **_):
    """Any Altair chart shown in a notebook carries its static renderings too (Altair 6's own mimetype renderer emits
    `...v6.json`, which nbformat rejects as a non-JSON mimetype)."""
    return static_bundle(spec)


alt.renderers.register("report", _altair_bundle)


def use_report_style():
    alt.theme.enable("report")
    alt.renderers.enable("report")
    alt.data_transformers.disable_max_rows()


class Chart:
    """One chart of the report: `build(width)` draws it for a width in CSS px; `name` is its short accessible name (its
    title), `description` a sentence computed from its data, `table` the id of the table that holds its data."""

    def __init__(self, build, name, description, table):
        self.build, self.name, self.description, self.table = build, name, description, table

    def altair(self, width=WIDE):
        return self.build(width).properties(description=self.description, usermeta={"table": self.table})

    def _repr_mimebundle_(self, include=None, exclude=None):
        """The notebook's static bundle shows the wide light drawing as it is (a notebook has its own theme); the
        report's record carries each width's drawing with its dark theme inside."""
        specs = {key: self.altair(width).to_dict() for key, width in (("narrow", NARROW), ("wide", WIDE))}
        drawings = {key: render_svg(spec) for key, spec in specs.items()}
        data, metadata = static_bundle(specs["wide"], drawings["wide"])
        data["text/plain"] = f"<Chart: {self.name}>"
        data[CHART_MIMETYPE] = {"name": self.name, "description": self.description, "table": self.table,
                                "renderings": {key: dict(zip(("width", "height"), svg_size(svg)),
                                                         svg=with_dark_theme(svg)) for key, svg in drawings.items()}}
        return data, metadata


# --- the charts --------------------------------------------------------------------------------------------------

def _title(text, width):
    """The title, broken into lines that fit the width (bold Liberation Sans averages under 0.6 em a character)."""
    lines = textwrap.wrap(text, int((width - 8) / (TITLE_SIZE * 0.6)))
    return alt.Title(lines if len(lines) > 1 else text)


def _verdict_scale():
    return alt.Scale(domain=list(VERDICT_LABELS.values()), range=list(VERDICT_COLOURS.values()))


def _join(items):
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def verdict_chart(counts, table="glance"):
    data = counts.assign(label=counts["verdict"].map(VERDICT_LABELS))
    shown = data[data["claims"] > 0]
    description = (f"Bar chart of the {int(data['claims'].sum())} claims by verdict: "
                   + _join(f"{int(n)} {label.lower()}" for label, n in zip(shown["label"], shown["claims"])) + ".")
    name = "Claims by verdict"
    order = list(VERDICT_LABELS.values())

    def build(width):
        bars = alt.Chart(data, title=_title(name, width)).mark_bar().encode(
            x=alt.X("claims:Q", title="Claims"),
            y=alt.Y("label:N", title=None, sort=order),
            color=alt.Color("label:N", scale=_verdict_scale(), legend=None),
            tooltip=[alt.Tooltip("label:N", title="Verdict"), alt.Tooltip("claims:Q", title="Claims")])
        values = alt.Chart(data).mark_text(align="left", dx=4).encode(
            x="claims:Q", y=alt.Y("label:N", sort=order), text="claims:Q")
        return (bars + values).properties(width=width, height=190)

    return Chart(build, name, description, table)


def verdict_by_type_chart(by_type, type_words, table="glance"):
    data = by_type.assign(label=by_type["verdict"].map(VERDICT_LABELS),
                          claim_type=by_type["claim_type"].map(type_words).fillna(by_type["claim_type"]))
    totals = data.groupby("claim_type")["claims"].sum().sort_values(ascending=False)
    wrong = data[data["verdict"].isin(["inaccurate", "partly_supported"])].groupby("claim_type")["claims"].sum()
    description = (f"Stacked bar chart of verdicts by type of claim: {totals.index[0]} has the most claims "
                   f"({int(totals.iloc[0])})" + (", and the claims rated inaccurate or partly supported are about "
                   + _join(f"{t} ({int(n)})" for t, n in wrong.sort_values(ascending=False).items()) if len(wrong) else "")
                   + ".")
    name = "Verdicts by type of claim"

    def build(width):
        return alt.Chart(data, title=_title(name, width)).mark_bar().encode(
            x=alt.X("sum(claims):Q", title="Claims"),
            y=alt.Y("claim_type:N", title=None, sort="-x"),
            color=alt.Color("label:N", scale=_verdict_scale(), title="Verdict",
                            legend=alt.Legend(columns=2 if width < WIDE else 3)),
            order=alt.Order("verdict:N"),
            tooltip=[alt.Tooltip("claim_type:N", title="Type"), alt.Tooltip("label:N", title="Verdict"),
                     alt.Tooltip("claims:Q", title="Claims")],
        ).properties(width=width, height=260)

    return Chart(build, name, description, table)


ROW_HEIGHT = TEXT_SIZE + 4


def _rows(dates, start, end, width, gap_px=24):
    """A row above the plot for each dated label, so that labels in one row are at least `gap_px` apart at this width
    (the plot is a little narrower than the chart: the y axis takes about 60 px)."""
    span = max((end - start).days, 1)
    last, rows = [], []
    for date in dates:
        x = (date - start).days / span * (width - 60)
        row = next((i for i, at in enumerate(last) if x - at >= gap_px), len(last))
        last[row:row + 1] = [x]
        rows.append(row)
    return rows


def _side_by_side(width):
    """Where a second key starts: beside the first in a wide drawing (x, and True), below it in a narrow one."""
    return ((width - 60) / 2, True) if width >= WIDE else (0, False)


def _key(heading, entries, top, width, swatch=None, left=0):
    """A key drawn below the plot in text marks, one entry (a dict with `text`, and the `swatch` field) a line, wrapped
    to its column: unlike Vega's legends, it wraps, and sits beside or below another key (`left`, `top`).
    Returns the layer and the y just below it."""
    column = (width - 70) / 2 if width >= WIDE else width - 70  # keys start at the plot, right of the y axis
    chars = int((column - 18) / (TEXT_SIZE * 0.52))  # Liberation Sans averages under 0.52 em a character in these keys
    heading = textwrap.wrap(heading, chars + 3)
    rows, y = [], top + ROW_HEIGHT * len(heading)
    for entry in entries:
        lines = textwrap.wrap(entry["text"], chars)
        rows.append({**entry, "text": "\n".join(lines), "y": y, "mid": y + TEXT_SIZE / 2})
        y += ROW_HEIGHT * len(lines) + 2
    frame = pd.DataFrame(rows)
    title = alt.Chart(pd.DataFrame({"text": ["\n".join(heading)]})).mark_text(
        align="left", baseline="top", fontWeight="bold", lineBreak="\n").encode(x=alt.value(left), y=alt.value(top), text="text:N")
    text = alt.Chart(frame).mark_text(align="left", baseline="top", lineBreak="\n").encode(
        x=alt.value(left + (18 if swatch else 0)), y=alt.Y("y:Q", scale=None), text="text:N")
    layers = [title, text]
    if swatch:
        layers.append(alt.Chart(frame).mark_point(filled=True, size=70, opacity=1).encode(
            x=alt.value(left + 6), y=alt.Y("mid:Q", scale=None), **swatch))
    return alt.layer(*layers), y + ROW_HEIGHT


def _numbered_rules(frame, title_field, start, end, width, top, left=0):
    """Dashed vertical rules, each numbered above the plot, and a key below it that names each number: every rule is
    labelled, and no label lies across the plot, an axis or another label. Returns the layer and the y below it."""
    frame = frame.sort_values("date").reset_index(drop=True)
    frame = frame.assign(number=(frame.index + 1).astype(str), row=_rows(frame["date"], start, end, width),
                         text=[f"{i + 1}. {t} ({d:%b %Y})" for i, (d, t) in enumerate(zip(frame["date"], frame[title_field]))])
    frame = frame.assign(top=-4 - frame["row"] * ROW_HEIGHT)
    base = alt.Chart(frame)
    rules = base.mark_rule(strokeDash=[4, 3], color=RULE_COLOUR).encode(
        x="date:T", tooltip=[alt.Tooltip("date:T", title="Date"), alt.Tooltip(f"{title_field}:N", title="Event")])
    numbers = base.mark_text(baseline="bottom", fontWeight="bold", color=LABEL_COLOUR).encode(
        x="date:T", y=alt.Y("top:Q", scale=None), text="number:N")
    key, bottom = _key("Milestones", frame[["text"]].to_dict("records"), top, width, left=left)
    return rules + numbers + key, bottom


def _article_figures(figures, start, end):
    """The article's own figures: large diamonds ringed in the paper's colour, drawn on top, each labelled with its
    value on the side of the plot with more room, on a halo of the paper's colour that keeps it clear of the lines."""
    middle = start + (end - start) / 2
    data = figures[["date", "value", "label"]].assign(
        text=["Article: " + f"{int(v):,}" for v in figures["value"]], left=figures["date"] < middle)
    base = alt.Chart(data).encode(x="date:T", y="value:Q")
    diamonds = base.mark_point(shape="diamond", size=260, filled=True, opacity=1, color=PUBLICATION_COLOUR,
                               stroke=PAPER, strokeWidth=1.5).encode(
        tooltip=[alt.Tooltip("label:N", title="The article says"), alt.Tooltip("value:Q", format=","),
                 alt.Tooltip("date:T", title="Dated")])
    labels = [base.transform_filter(alt.datum.left if left else ~alt.datum.left).mark_text(
        align="left" if left else "right", dx=12 if left else -12, dy=-10, fontWeight="bold",
        color=PUBLICATION_COLOUR, stroke=PAPER, strokeWidth=4, strokeJoin="round").encode(text="text:N")
        for left in (True, False)]
    return alt.layer(diamonds, *labels)


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
                      " are marked as red diamonds" if len(figures) else "")
                   + (f"; {len(milestones)} numbered dashed lines mark milestones, named below the chart" if len(milestones) else "")
                   + ".")
    dates = pd.concat([data["date"], milestones["date"], figures["date"]])
    start, end = dates.min(), dates.max()
    height = 260

    def build(width):
        lines = alt.Chart(data).mark_line(point=alt.OverlayMarkDef(size=24), strokeWidth=1.5).encode(
            x=alt.X("date:T", title=None, scale=alt.Scale(domain=[start.isoformat(), end.isoformat()], padding=8)),
            y=alt.Y("troops:Q", title="U.S. troops"),
            color=alt.Color("label:N", legend=None),
            tooltip=[alt.Tooltip("label:N", title="Series"), alt.Tooltip("date:T", title="Date"),
                     alt.Tooltip("troops:Q", title="Troops", format=","), alt.Tooltip("note:N", title="Note")])
        legend, below = _key("Series", [{"text": label, "label": label} for label in sorted(data["label"].unique())],
                             height + 34, width, swatch={"color": alt.Color("label:N", legend=None)})
        layers = [lines, legend, _article_figures(figures, start, end)]
        if len(milestones):
            left, beside = _side_by_side(width)
            rules, _ = _numbered_rules(milestones, "label", start, end, width, height + 34 if beside else below, left)
            layers.insert(0, rules)
        return alt.layer(*layers, title=_title(title, width)).properties(width=width, height=height)

    return Chart(build, title, description, table)


def attacks_chart(attacks, series, events, publication, figures, main_series="pentagon_cumulative", table="attack-data"):
    data = attacks[["date", "series_id", "total", "iraq", "syria", "stated_by"]].merge(series[["series_id", "label"]], on="series_id")
    main = data[data["series_id"] == main_series].sort_values("date")
    description = (f"Line chart of {len(data)} statements of cumulative attacks on U.S. forces in Iraq and Syria, "
                   f"{long_date(data['date'].min())} to {long_date(data['date'].max())}"
                   + (f"; the Pentagon's count rose from {int(main['total'].iloc[0])} to {int(main['total'].iloc[-1])}"
                      if len(main) else "")
                   + f"; a red line marks the article's publication on {long_date(publication)}"
                   + (", and its figure of " + _join(f"{int(v):,}" for v in figures["value"]) + " is a red diamond"
                      if len(figures) else "")
                   + (f"; symbols along the foot of the plot mark {len(events)} key events by kind" if len(events) else "")
                   + ".")
    name = "Attacks on U.S. forces in Iraq and Syria since October 2023 (cumulative)"
    dates = pd.concat([data["date"], events["date"], pd.Series([pd.Timestamp(publication)])])
    start, end = dates.min(), dates.max()
    kinds = events.assign(kind=events["category"].str.capitalize())

    def build(width):
        height = 260 if width >= WIDE else 320  # the wide drawing, with its keys side by side, fits half an A4 page
        x = alt.X("date:T", title="Date of the statement", scale=alt.Scale(domain=[start.isoformat(), end.isoformat()],
                                                                           padding=10))
        counts = alt.Chart(data).mark_line(point=True).encode(
            x=x, y=alt.Y("total:Q", title="Attacks (cumulative)"),
            color=alt.Color("label:N", legend=None),
            tooltip=[alt.Tooltip("date:T", title="Stated"), alt.Tooltip("total:Q", title="Total"),
                     alt.Tooltip("iraq:Q", title="Iraq"), alt.Tooltip("syria:Q", title="Syria"),
                     alt.Tooltip("stated_by:N", title="Stated by"), alt.Tooltip("label:N", title="Series")])
        event_marks = alt.Chart(kinds[["date", "kind", "title"]]).mark_point(
            filled=True, size=60, color=RULE_COLOUR, opacity=1, yOffset=-8).encode(
            x="date:T", y=alt.value(height), shape=alt.Shape("kind:N", legend=None),
            tooltip=[alt.Tooltip("date:T", title="Date"), alt.Tooltip("title:N", title="Event")])
        legend, below = _key("Count", [{"text": label, "label": label} for label in sorted(data["label"].unique())],
                             height + 50, width, swatch={"color": alt.Color("label:N", legend=None)})
        left, beside = _side_by_side(width)
        events_key, _ = _key("Key events, along the foot of the plot",
                             [{"text": kind, "kind": kind} for kind in sorted(kinds["kind"].unique())],
                             height + 50 if beside else below, width, left=left,
                             swatch={"shape": alt.Shape("kind:N", legend=None), "color": alt.value(RULE_COLOUR)})
        published = pd.DataFrame({"date": [pd.Timestamp(publication)], "text": ["Article published"]})
        pub_rule = alt.Chart(published).mark_rule(color=PUBLICATION_COLOUR, strokeWidth=2).encode(x="date:T")
        pub_label = alt.Chart(published).mark_text(align="left", dx=4, baseline="top", dy=2, fontWeight="bold",
                                                   color=PUBLICATION_COLOUR).encode(x="date:T", y=alt.value(0), text="text:N")
        return alt.layer(pub_rule, pub_label, counts, event_marks, legend, events_key, _article_figures(figures, start, end),
                         title=_title(name, width)).properties(width=width, height=height)

    return Chart(build, name, description, table)


def rate_chart(rates, window_days, table="attack-data"):
    fastest = rates.loc[rates["rate"].idxmax()]
    description = (f"Bar chart of attacks per {window_days} days between {len(rates) + 1} Pentagon statements; the fastest "
                   f"pace, {fastest['rate']:.1f} per {window_days} days, came in the interval up to {long_date(fastest['date'])}.")
    name = f"Attacks per {window_days} days between statements"

    def build(width):
        return alt.Chart(rates[["date", "days", "added", "rate"]], title=_title(name, width)).mark_bar(
            color=BAR_COLOUR).encode(
            x=alt.X("date:T", title="Statement date (end of interval)"),
            y=alt.Y("rate:Q", title=f"Attacks per {window_days} days"),
            tooltip=[alt.Tooltip("date:T", title="Up to"), alt.Tooltip("days:Q", title="Days in interval"),
                     alt.Tooltip("added:Q", title="New attacks"), alt.Tooltip("rate:Q", format=".1f", title="Rate")],
        ).properties(width=width, height=220)

    return Chart(build, name, description, table)


def calls_chart(per_year, table="calls-data"):
    data = per_year.assign(found=per_year["calls"].gt(0).map({True: "Sourced call found", False: "None found"}))
    none = data.loc[data["calls"] == 0, "year"].astype(str).tolist()
    top = data.loc[data["calls"].idxmax()]
    description = (f"Bar chart of sourced Iraqi calls, threats and moves to expel U.S. forces per year, "
                   f"{int(data['year'].min())} to {int(data['year'].max())}: the most, {int(top['calls'])}, in {int(top['year'])}; "
                   + (f"none found in {_join(none)}." if none else "at least one in every year."))
    name = "Iraqi calls, threats and moves to expel U.S. forces, per year"
    height = 220

    def build(width):
        bars = alt.Chart(data).mark_bar().encode(
            x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=-90 if width < WIDE else 0)),
            y=alt.Y("calls:Q", title="Calls recorded"),
            color=alt.Color("found:N", scale=alt.Scale(domain=["Sourced call found", "None found"],
                                                       range=[BAR_COLOUR, NONE_COLOUR]), title=None),
            tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("calls:Q", title="Calls")])
        none_ticks = alt.Chart(data[data["calls"] == 0]).mark_tick(color=NONE_COLOUR, thickness=3).encode(
            x="year:O", y=alt.value(height - 2))
        return alt.layer(bars, none_ticks, title=_title(name, width)).properties(width=width, height=height)

    return Chart(build, name, description, table)


def events_chart(events, publication, table="events-data"):
    kinds = events["category"].value_counts()
    description = (f"Timeline of {len(events)} events from {long_date(events['date'].min())} to {long_date(events['date'].max())}, "
                   f"most of them of the kind '{kinds.index[0]}' ({int(kinds.iloc[0])}); a red line marks the article's "
                   f"publication on {long_date(publication)}.")
    name = "Events around and after the article"

    def build(width):
        x = alt.X("date:T", title=None, scale=alt.Scale(padding=12),
                  axis=alt.Axis(format="%Y" if width < WIDE else "%b %Y", tickCount="year" if width < WIDE else 6))
        points = alt.Chart(events[["date", "category", "title", "description"]]).mark_point(
            size=70, filled=True, opacity=0.9).encode(
            x=x, y=alt.Y("category:N", title=None),
            color=alt.Color("category:N", legend=None),
            shape=alt.Shape("category:N", legend=None),
            tooltip=[alt.Tooltip("date:T", title="Date"), alt.Tooltip("title:N", title="Event"),
                     alt.Tooltip("description:N", title="What happened")])
        published = pd.DataFrame({"date": [pd.Timestamp(publication)], "text": ["Article published"]})
        pub = alt.Chart(published).mark_rule(color=PUBLICATION_COLOUR, strokeWidth=2).encode(x="date:T")
        pub_label = alt.Chart(published).mark_text(align="left", dx=4, baseline="bottom", dy=-4, fontWeight="bold",
                                                   color=PUBLICATION_COLOUR).encode(x="date:T", y=alt.value(0), text="text:N")
        return alt.layer(pub, pub_label, points, title=_title(name, width)).properties(width=width, height=260)

    return Chart(build, name, description, table)
