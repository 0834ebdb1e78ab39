"""The presentation layer: tables, claim cards, the annotated article and the report's furniture, rendered
through autoescaping Jinja templates in factcheck/templates/components. Every value from data/ is escaped
by the template engine; markup built here is `HTML` (a markupsafe.Markup) and is never escaped twice.
"""
import os
import re
from pathlib import Path
from urllib.parse import quote, urlsplit

import jinja2
import pandas as pd
from markupsafe import Markup

from . import config
from .vocab import SOURCE_ID, OUTCOME_LABELS, VERDICT_LABELS, VERDICT_PALETTE  # noqa: F401 (re-exported for notebooks)

# Who checked it (a name that cannot be mistaken for DW) and the report's title, on the page and in the PDF.
PROJECT = "Iraq Claims Check"
REPORT_TITLE = "Will Iraq expel the remaining U.S. troops? A fact-check"
PROJECT_NOTE = "an independent fact-checking project, not part of or affiliated with Deutsche Welle"

# A shape for each verdict, so a verdict never rests on colour alone (SVG paths in a 16x16 box).
VERDICT_ICONS = {
    "supported": "M3 8.5l3.2 3.2L13 4.8",                      # tick
    "partly_supported": "M8 2a6 6 0 1 0 0 12z",                # half disc
    "inaccurate": "M4 4l8 8M12 4l-8 8",                         # cross
    "unverifiable": "M5.5 6a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .8-1 1.5V11M8 13.2v.3",  # question mark
    "opinion": "M2.5 3.5h11v7h-6l-3 2.5v-2.5h-2z",             # speech bubble
    "forecast": "M2 8h10M9 4.5L12.5 8 9 11.5",                 # arrow ahead
}
VERDICT_FILLED = {"partly_supported", "opinion"}

RELIABILITY_WORDS = {
    "primary": "primary source (official document, statement or transcript)",
    "wire": "wire copy",
    "major_outlet": "major news outlet",
    "think_tank": "think tank or research institute",
    "state_affiliated": "state-affiliated outlet, used only to corroborate",
    "partisan": "partisan outlet, used only to corroborate",
    "aggregator": "aggregator, mirror or republisher, used only to corroborate",
}
CLAIM_TYPE_WORDS = {
    "statistic": "number", "date": "date", "name_title": "name or title", "attribution": "quotation",
    "legal_procedural": "law and procedure", "historical": "history", "causal": "cause and effect",
    "opinion": "opinion", "forecast": "forecast", "caption": "photo caption",
}
CORRECTION_WORDS = {"correction": "Corrected", "update": "Updated", "clarification": "Clarified", "published": "Published"}
CHANGE_NOUNS = {"correction": "correction", "update": "update", "clarification": "clarification"}
FIDELITY_WORDS = {
    "exact": "the quoted words match the source word for word",
    "gist": "the quotation gives the gist of the source, not its exact words",
    "unconfirmed": "we found no source for the quoted words themselves",
}

CLAIM_ID = re.compile(r"\bC(\d{2,3})\b")


class HTML(Markup):
    """Markup that is already safe: displayed as text/html in a notebook."""

    def _repr_html_(self):
        return str(self)


# --- filters -------------------------------------------------------------------------------------

class UnsafeURL(ValueError):
    pass


def safe_url(url):
    """An http(s) URL for an href, or an error: javascript:, data: and every other scheme are refused here,
    whatever validation did or did not catch upstream."""
    text = str(url).strip()
    if urlsplit(text).scheme.lower() not in ("http", "https") or not urlsplit(text).netloc:
        raise UnsafeURL(f"refusing to link to {text[:60]!r}: only http and https URLs may reach the report")
    return text


def _fragment_encode(text):
    """Percent-encoding for a text directive: everything but unreserved characters, and '-' too
    (the URL Fragment Text Directive spec reserves '-', '&' and ',')."""
    return quote(text, safe="").replace("-", "%2D")


_WORD = re.compile(r"[^\s]+")


_EDGE = "\"'“”‘’«»()[]…"


def _words(text):
    """The words of an excerpt as the page has them; only quote marks and brackets at its two ends are dropped
    (excerpts are often quoted), since a text directive must match the page exactly."""
    words = _WORD.findall(text.strip().strip(_EDGE + " "))
    return [w for w in words if w.strip(_EDGE + ".,;:")]


def text_fragment(excerpt, words=4, short=10):
    """The `:~:text=` directive that scrolls a source page to an excerpt: the whole excerpt when short, else
    its first and last few words (textStart,textEnd). Ellipses split an excerpt: start and end are taken from
    the first and last part, so the directive never spans words the page leaves out."""
    parts = [p for p in re.split(r"\s*(?:\.\.\.|…|\[\.\.\.\])\s*", str(excerpt)) if _words(p)]
    if not parts:
        return ""
    first, last = _words(parts[0]), _words(parts[-1])
    if len(parts) == 1 and len(first) <= short:
        return "text=" + _fragment_encode(" ".join(first))
    start = first[:words]
    end = last[-words:] if len(parts) > 1 or len(last) > 2 * words else last[len(start):]
    if not end:
        return "text=" + _fragment_encode(" ".join(start))
    return "text=" + _fragment_encode(" ".join(start)) + "," + _fragment_encode(" ".join(end))


def evidence_url(url, excerpt):
    """A source URL that lands on its excerpt."""
    base = safe_url(url)
    directive = text_fragment(excerpt) if isinstance(excerpt, str) and excerpt.strip() else ""
    if not directive:
        return base
    return base + (":~:" if "#" in base else "#:~:") + directive


def is_missing(value):
    return value is None or (not isinstance(value, (str, list, dict)) and pd.isna(value))


def iso(value):
    return "" if is_missing(value) else pd.Timestamp(value).date().isoformat()


def long_date(value):
    """12 January 2024: the form a newspaper prints."""
    if is_missing(value):
        return ""
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%B %Y}"


def number(value):
    if is_missing(value):
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    try:
        return f"{int(value):,}" if abs(int(value)) >= 10000 else str(int(value))
    except (TypeError, ValueError):
        return str(value)


def bytecode_cache():
    """Compiled templates kept in the build's cache folder (config.CACHE_ENV), when one is set: each kernel then loads
    them instead of compiling them again."""
    folder = os.environ.get(config.CACHE_ENV)
    if not folder:
        return None
    (Path(folder) / "jinja").mkdir(parents=True, exist_ok=True)
    return jinja2.FileSystemBytecodeCache(str(Path(folder) / "jinja"))


_env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(config.TEMPLATE_DIR / "components")),
                          autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                          bytecode_cache=bytecode_cache())
_env.filters.update(safe_url=safe_url, evidence_url=evidence_url, iso=iso, long_date=long_date, number=number,
                    missing=is_missing)
_env.globals.update(VERDICT_LABELS=VERDICT_LABELS, VERDICT_ICONS=VERDICT_ICONS, VERDICT_FILLED=VERDICT_FILLED,
                    OUTCOME_LABELS=OUTCOME_LABELS, RELIABILITY_WORDS=RELIABILITY_WORDS,
                    CLAIM_TYPE_WORDS=CLAIM_TYPE_WORDS, FIDELITY_WORDS=FIDELITY_WORDS, CORRECTION_WORDS=CORRECTION_WORDS)


def environment():
    return _env


def _render(template, **values):
    return HTML(_env.get_template(template).render(**values).strip())


def _macro(name, *args, **kwargs):
    return HTML(getattr(_env.get_template("macros.html.j2").module, name)(*args, **kwargs))


# --- small pieces --------------------------------------------------------------------------------

def text(value):
    """A data value as escaped text; dates as ISO dates, missing values as a dash."""
    if is_missing(value):
        return HTML("–")
    if isinstance(value, pd.Timestamp):
        return HTML(value.date().isoformat())
    return HTML(Markup.escape(str(value)))


def date_tag(value, kind="event"):
    """A <time> element; `kind` tells tests and readers what the date is (event, published, accessed)."""
    return _macro("date", value, kind)


def badge(verdict):
    return _macro("badge", verdict)


def prose(template, **values):
    """A paragraph of report prose whose numbers and names come from the data: text escaped, numbers kept
    as numbers so the template can format them, markup made here (HTML) kept as it is."""
    def prepared(value):
        if isinstance(value, Markup) or isinstance(value, (int, float)) and not is_missing(value):
            return value
        if isinstance(value, pd.Timestamp):
            return long_date(value)
        return text(value)
    return HTML(Markup("<p>{}</p>").format(Markup(template).format(**{k: prepared(v) for k, v in values.items()})))


def plain(value, sources=None, numbers=None, evidence_ids=None):
    """Free text from the data with its references (a source or a claim named by its id, in the fields
    `consistency.REFERENCE_TEXT` lists) turned into words a reader can follow: a source id becomes a numbered link to
    that evidence item, else a link to the source list named by its outlet; a claim id becomes "claim 6", its number
    in reading order (`numbers`). Validation has checked that every reference names a row that exists."""
    if is_missing(value):
        return HTML("–")
    out, last = [], 0
    pattern = re.compile(rf"(?:\s*\(({SOURCE_ID.pattern}(?:,\s*{SOURCE_ID.pattern})*)\))|{SOURCE_ID.pattern}|{CLAIM_ID.pattern}")
    text_value = str(value)
    for match in pattern.finditer(text_value):
        token = match.group(0)
        out.append(Markup.escape(text_value[last:match.start()]))
        last = match.end()
        ids = SOURCE_ID.findall(token)
        if CLAIM_ID.fullmatch(token.strip()) and numbers and token.strip() in numbers:
            out.append(_macro("claim_ref", token.strip(), numbers[token.strip()]))
        elif ids:
            out.append(_macro("source_refs", ids, evidence_ids or {}, sources))
        else:
            out.append(Markup.escape(token))
    out.append(Markup.escape(text_value[last:]))
    return HTML(Markup("").join(out))


def table(frame, columns, dates=None, caption="", sources=None, claims=None, numbers=(), label=None, compact=False,
          table_id=None):
    """A captioned HTML table of the given columns ({column: heading}) in a scrolling box.

    `dates` maps date columns to their kind. A `source_id` column is cited by outlet (needs `sources`), a
    `claim_id` column links to the claim's card (needs `claims`, the numbered register).
    """
    if not caption:
        raise ValueError("every table needs a caption: it names the table for screen readers and the scrolling box")
    claim_numbers = dict(zip(claims["claim_id"], claims["number"])) if claims is not None else {}
    rows = []
    for row in frame.to_dict("records"):
        cells = []
        for column in columns:
            value = row[column]
            if dates and column in dates:
                cells.append(date_tag(value, dates[column]))
            elif column == "source_id":
                cells.append(_macro("source_cell", value, sources) if sources is not None and value in sources.index
                             else text(value))
            elif column == "claim_id" and value in claim_numbers:
                cells.append(_macro("claim_ref", value, claim_numbers[value]))
            elif column in numbers:
                cells.append(text(number(value)))
            else:
                cells.append(plain(value, sources, claim_numbers))
        rows.append(cells)
    return _macro("table", caption, list(columns.values()), rows, numeric=[h for c, h in columns.items() if c in numbers],
                  label=label, compact=compact, table_id=table_id)


# --- the article and the cards -------------------------------------------------------------------

def annotated_article(article_text, claims):
    """The article with every claim's span highlighted, coloured by verdict and closed by a numbered marker.

    Spans overlap, so the text is cut at every span boundary; each piece takes the colour of the
    narrowest claim covering it and links to that claim's card. Each link is named for its claim and verdict.
    """
    spans = claims.sort_values("number")
    cuts = sorted({0, len(article_text), *spans["start"].astype(int), *spans["end"].astype(int)})
    pieces = []
    for begin, finish in zip(cuts, cuts[1:]):
        covering = spans[(spans["start"] <= begin) & (spans["end"] >= finish)]
        piece = {"text": article_text[begin:finish], "claim": None, "markers": []}
        if len(covering):
            piece["claim"] = covering.assign(width=covering["end"] - covering["start"]).sort_values("width").iloc[0]
        piece["markers"] = [claim for _, claim in spans[spans["end"] == finish].iterrows()]
        pieces.extend(_embed_notes(piece))
    return _render("article.html.j2", pieces=pieces)


# DW's page leaves this line where it embeds a social-media post; the copy has no embed, and "click" means nothing on paper.
EMBED_PLACEHOLDER = "Here you can access external content. Click to view."


def _embed_notes(piece):
    """A piece of article text with each embed placeholder cut out as a piece of its own, marked `embed`."""
    if piece["claim"] is not None or EMBED_PLACEHOLDER not in piece["text"]:
        return [{**piece, "embed": False}]
    before, _, after = piece["text"].partition(EMBED_PLACEHOLDER)
    return [{"text": before, "claim": None, "markers": [], "embed": False},
            {"text": "", "claim": None, "markers": [], "embed": True},
            *_embed_notes({**piece, "text": after})]


def _anchors(claim, evidence, prefix):
    """Each evidence row's anchor on the page (`<prefix>-<claim id>-<n>`, as the templates number the list items),
    by source id, for `plain` to link the source ids in the claim's text to."""
    return {source_id: f"{prefix}-{claim['claim_id']}-{i}" for i, source_id in enumerate(evidence["source_id"], 1)}


def https_where_served(sources):
    """The sources with each http:// address upgraded to https:// where its host serves https: evidence being
    another source on the same host stored under https."""
    secure_hosts = {urlsplit(url).hostname for url in sources["url"] if str(url).startswith("https://")}
    upgrade = sources["url"].map(lambda url: str(url).startswith("http://") and urlsplit(url).hostname in secure_hosts)
    return sources.assign(url=sources["url"].where(~upgrade, "https://" + sources["url"].str[len("http://"):]))


def _with_sources(evidence, sources):
    """The evidence rows as dicts, each with its source's row under "source" (looked up all at once, not per row)."""
    rows = evidence.to_dict("records")
    for row, source in zip(rows, https_where_served(sources).loc[evidence["source_id"]].reset_index().to_dict("records")):
        row["source"] = source
    return rows


def claim_card(claim, evidence, sources, searches=None, outcome=None, heading_level=4, corrections=(), numbers=None):
    """A claim's verdict card: verdict, claim, conclusion and any correction of this review always shown; the
    explanation, evidence and searches open in place. `corrections` are the corrections log's rows for the claim;
    `numbers` gives each claim's number by id, for the claims its text names."""
    anchors = _anchors(claim, evidence, "ev")
    explanation = plain(claim["explanation"], sources, numbers, anchors)
    conflict = claim.get("conflict")
    return _render("card.html.j2", claim=claim, evidence=_with_sources(evidence, sources),
                   searches=searches, outcome=outcome, explanation=explanation, level=heading_level,
                   corrections=list(corrections),
                   conflict=plain(conflict, sources, numbers, anchors) if isinstance(conflict, str) and conflict else None)


def glance_table(register):
    """Every claim in article order, one row each, filterable by verdict on screen."""
    return _render("glance.html.j2", claims=[row for _, row in register.iterrows()])


def verdict_legend():
    """Every verdict's badge in one line: the key to the annotated article's highlights."""
    return _render("legend.html.j2")


def claim_cards(cards):
    """The claims' cards (each rendered by `claim_card`) in one list."""
    return _render("cards.html.j2", cards=cards)


def steps(events):
    """Dated events as a list, oldest first."""
    return _render("steps.html.j2", steps=events.sort_values("date").to_dict("records"))


def notebook_inputs(inputs):
    """A notebook's inputs as a table of row counts, shown when `nb` is displayed in Jupyter."""
    return _render("notebook_inputs.html.j2", inputs=inputs)


def findings(items):
    """The key findings: a list of (claim_id or anchor, verdict or None, sentence HTML)."""
    return _render("findings.html.j2", items=items)


def headline(kicker, title, dek, argument=None):
    """The masthead: the article's title as kicker, our finding as headline, the standfirst, what the article argued
    and a link to the contents, so the contents are one step from the first screen."""
    return _render("headline.html.j2", kicker=kicker, title=title, dek=dek, argument=argument)


def sources_list(sources):
    return _render("sources.html.j2", sources=https_where_served(sources).reset_index().to_dict("records"))


def search_log(rows, caption):
    """What was searched and what was found, as a readable table: queries split into a list."""
    return _render("searches.html.j2", rows=rows, caption=caption)


# --- report furniture (used by the nbconvert template through report_info) ----------------------

def table_of_contents(html):
    """A list of the report's section headings (h2), linked to their anchors, read from the parsed page as a browser
    finds them: each heading's text as shown, nbconvert's "¶" anchor left out."""
    import lxml.html

    items = [(h.get("id"), h.text_content().replace("¶", "").strip()) for h in lxml.html.fromstring(html).iter("h2")
             if h.get("id") not in (None, "contents")]
    return str(_render("toc.html.j2", items=items))


def publication_info(params, record, info):
    """The report's furniture around the notebooks, added to assemble.report_info's `info`: the headline as the page
    title, the share metadata, who checked it, when it was published and last corrected (dates from the front-page
    notebook's `record`, taken from data/corrections.csv, never the clock), how to report an error, and how to check
    the report. An address left unset (site_url, repo_url None) is left out, never invented."""
    site_url, repo_url = params["site_url"], params["repo_url"] and params["repo_url"].rstrip("/")
    for url in (site_url, repo_url):
        if url is not None:
            safe_url(url)
    out = dict(info)
    out.update({
        "title": record["headline"],
        "description": record["dek"],
        "project": PROJECT, "project_note": PROJECT_NOTE, "site_url": site_url, "repo_url": repo_url,
        "issues_url": repo_url and repo_url + "/issues/new",
        "reviewed": record["reviewed"], "updated": record["updated"],
        "reviewed_long": long_date(record["reviewed"]), "updated_long": long_date(record["updated"]),
        "article_published_long": long_date(info["article_published"]),
        "corrections": [{**c, "date_long": long_date(c["date"])} for c in record["corrections"]],
        "changes_since_publication": changes_since_publication(record["corrections"]),
    })
    out["html"] = {name: _render(f"{name}.html.j2", r=out) for name in ("head", "trust_box", "appendix")}
    return out


def changes_since_publication(corrections):
    """The corrections log counted by kind, in words ("2 corrections and 3 updates"): computed from the log, so the
    trust box never calls an update a correction nor goes stale when an entry is added."""
    counts = {}
    for entry in corrections:
        if entry["kind"] in CHANGE_NOUNS:
            counts[entry["kind"]] = counts.get(entry["kind"], 0) + 1
    parts = [f"{n} {CHANGE_NOUNS[kind]}{'s' if n != 1 else ''}" for kind, n in
             sorted(counts.items(), key=lambda item: list(CHANGE_NOUNS).index(item[0]))]
    if not parts:
        return "no corrections"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def report_address(site_url):
    """The report's absolute address, the site's report.html; None while the site's address is unset."""
    if site_url is None:
        return None
    return site_url if site_url.endswith(".html") else site_url.rstrip("/") + "/report.html"
