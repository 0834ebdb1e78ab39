"""HTML for tables, claim cards and the annotated article. Every value from data/ is escaped here."""
import numbers
from html import escape

import pandas as pd

from .vocab import OUTCOME_LABELS, VERDICT_COLOURS, VERDICT_LABELS  # noqa: F401 (re-exported for notebooks)

class HTML(str):
    """Markup that is already safe: displayed as text/html in a notebook."""

    def _repr_html_(self):
        return str(self)


def text(value):
    """A data value as escaped text; dates as ISO dates, missing values as a dash."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return escape(str(value))


def date_tag(value, kind="event"):
    """A <time> element; `kind` tells tests and readers what the date is (event, published, accessed)."""
    if value is None or pd.isna(value):
        return "–"
    iso = pd.Timestamp(value).date().isoformat()
    return f'<time datetime="{iso}" data-kind="{kind}">{iso}</time>'


def link(url, label):
    return f'<a href="{escape(str(url), quote=True)}">{escape(str(label))}</a>'


def prose(template, **values):
    """A paragraph of report prose whose numbers and names come from the data: text escaped, numbers kept
    as numbers so the template can format them, markup made here (HTML) kept as it is."""
    def safe(value):
        if isinstance(value, HTML) or (isinstance(value, numbers.Number) and not pd.isna(value)):
            return value
        return text(value)
    return HTML("<p>" + template.format(**{k: safe(v) for k, v in values.items()}) + "</p>")


def source_ref(source_id):
    """A source id linked to its entry in the sources appendix."""
    return f'<a class="src" href="#src-{escape(str(source_id), quote=True)}">{escape(str(source_id))}</a>'


def table(frame, columns, dates=None, caption=""):
    """An HTML table of the given columns ({column: heading}); `dates` maps date columns to their kind.
    A `source_id` column links to the sources appendix."""
    dates = dates or {}
    head = "".join(f"<th>{escape(h)}</th>" for h in columns.values())
    rows = []
    for _, row in frame.iterrows():
        cells = [date_tag(row[c], dates[c]) if c in dates else source_ref(row[c]) if c == "source_id" else text(row[c])
                 for c in columns]
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return HTML(f'<table class="data">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def badge(verdict):
    return f'<span class="badge v-{escape(verdict)}">{escape(VERDICT_LABELS[verdict])}</span>'


def source_line(source, excerpt=None):
    """One source: its excerpt if given, then outlet, linked title, reliability class and date."""
    quote = f"<q>{text(excerpt)}</q> — " if excerpt is not None else ""
    ref = source_ref(source.name) if source.name else ""
    reliability = escape(str(source["reliability"]).replace("_", " "))
    return (f'{quote}{text(source["outlet"])}, {link(source["url"], source["title"])} '
            f'<span class="reliability">({reliability}; {date_tag(source["date_published"], "published")}; {ref})</span>')


def annotated_article(article_text, claims):
    """The article with every claim's span highlighted, coloured by verdict and closed by a numbered marker.

    Spans overlap, so the text is cut at every span boundary; each piece takes the colour of the
    narrowest claim covering it and links to that claim's card.
    """
    spans = claims.sort_values("number")
    cuts = sorted({0, len(article_text), *spans["start"].astype(int), *spans["end"].astype(int)})
    pieces = []
    for begin, finish in zip(cuts, cuts[1:]):
        covering = spans[(spans["start"] <= begin) & (spans["end"] >= finish)]
        segment = escape(article_text[begin:finish])
        if len(covering):
            narrowest = covering.assign(width=covering["end"] - covering["start"]).sort_values("width").iloc[0]
            pieces.append(f'<a class="hl v-{escape(narrowest["verdict"])}" href="#card-{escape(narrowest["claim_id"])}">'
                          f'{segment}</a>')
        else:
            pieces.append(segment)
        for _, claim in spans[spans["end"] == finish].iterrows():
            pieces.append(f'<a class="marker v-{escape(claim["verdict"])}" id="hl-{escape(claim["claim_id"])}" '
                          f'href="#card-{escape(claim["claim_id"])}">[{int(claim["number"])}]</a>')
    return HTML(f'<div class="annotated-article">{"".join(pieces)}</div>')


def claim_card(claim, evidence, sources, searches=None, outcome=None):
    """A claim's verdict card: quote, verdict, conclusion, explanation, evidence with linked sources."""
    cid = escape(claim["claim_id"])
    parts = [
        f'<article class="card v-{escape(claim["verdict"])}" id="card-{cid}">',
        f'<header><span class="num">[{int(claim["number"])}]</span> {badge(claim["verdict"])} '
        f'<span class="ctype">{escape(str(claim["claim_type"]).replace("_", " "))}</span> '
        f'<span class="cid">{cid}</span> <a class="back" href="#hl-{cid}">↑ in the article</a></header>',
        f'<blockquote>{text(claim["quote"])}</blockquote>',
        f'<p class="conclusion">{text(claim["conclusion"])}</p>',
        f'<p class="explanation">{text(claim["explanation"])}</p>',
    ]
    if isinstance(claim.get("quote_fidelity"), str) and claim["quote_fidelity"]:
        parts.append(f'<p class="fidelity">Quotation: {text(claim["quote_fidelity"])}</p>')
    if isinstance(claim.get("conflict"), str) and claim["conflict"]:
        parts.append(f'<p class="conflict"><strong>Sources disagree.</strong> {text(claim["conflict"])}</p>')
    if outcome is not None:
        parts.append(f'<p class="outcome"><strong>What happened: {escape(OUTCOME_LABELS[outcome["status"]])}</strong> '
                     f'(as judged from {date_tag(outcome["judged_from"])}). {text(outcome["explanation"])}</p>')
    items = [f"<li>{source_line(sources.loc[row['source_id']], row['excerpt'])}</li>" for _, row in evidence.iterrows()]
    parts.append('<ul class="evidence">' + "".join(items) + "</ul>" if items else
                 '<p class="evidence none">No source dated on or before the report\'s as-of date.</p>')
    if searches:
        parts.append(f'<p class="searched">Searched: {text(searches)}</p>')
    parts.append("</article>")
    return HTML("".join(parts))
