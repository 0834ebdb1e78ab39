"""What the report found, as numbers and sentences built from the data: the headline, the key findings and
the answer to the article's own question. Each sentence template is fixed here; every number in it is computed."""
import re

import pandas as pd

from . import claims as claims_module, context

QUESTION_CLAIM = "C59"  # the headline's question, registered as a forecast


ANSWER_CLAIM = "C54"  # the article's own answer to its headline question, registered as a forecast


def argument(article, register):
    """What the article argued, in its own words: the first sentence of its standfirst, then its answer to its own
    question (the quote of ANSWER_CLAIM)."""
    first = re.split(r"(?<=[.?!])\s+(?=[A-Z“\"])", str(article["standfirst"]).strip())[0]  # not after "U.S. troops"
    answer = register.set_index("claim_id")["quote"].get(ANSWER_CLAIM)
    said = f"What the article argued: “{first}”"
    return said if answer is None else f"{said} Its answer to its own question: “{answer}.”"


def tally(register):
    counts = register["verdict"].value_counts()
    get = lambda v: int(counts.get(v, 0))  # noqa: E731
    checkable = sum(get(verdict) for verdict in claims_module.CHECKABLE)
    wrong = register["verdict"].isin(claims_module.WRONG)
    by_republisher = len(republication_errors(register))
    return {"total": len(register), "checkable": checkable, "supported": get("supported"),
            "partly": get("partly_supported"), "inaccurate": get("inaccurate"), "unverifiable": get("unverifiable"),
            "opinion": get("opinion"), "forecast": get("forecast"),
            "wrong": int(wrong.sum()), "in_original": int(wrong.sum()) - by_republisher, "by_republisher": by_republisher}


def republication_errors(register):
    """The claims whose error the republication we checked introduced: DW's original reads correctly there."""
    if "error_in" not in register:
        return register.iloc[0:0]
    wrong = register["verdict"].isin(claims_module.WRONG)
    return register[wrong & (register["error_in"] == "republication")]


def headline(register, republisher=None):
    """The finding in one line: how much of the article holds up, and how much does not. Errors are counted against
    DW's original; an error that the republication we checked introduced is named as the republisher's."""
    t = tally(register)
    if t["checkable"] == 0:
        return "None of the DW article's factual statements could yet be checked"
    lead = "Most of DW's Iraq article holds up" if t["supported"] * 2 > t["checkable"] else "Much of DW's Iraq article does not hold up"
    slips, added = t["in_original"], t["by_republisher"]
    if not t["wrong"]:
        return f"{lead}: all {t['checkable']} of its checkable statements are supported"
    line = (f"{lead}, but {slips} of its {t['checkable']} checkable statements are partly or wholly wrong" if slips else
            f"{lead}: none of its {t['checkable']} checkable statements is wrong in DW's original")
    if added:
        more = "one more error" if added == 1 else f"{added} more errors"
        whose = f"{republisher}'s" if republisher else "the"
        line += f"; {whose} republication, the text we checked, added {more}"
    return line


def republisher(article):
    """Who republished the text we checked, from data/article.csv (None where the text is the original)."""
    value = article.iloc[0].get("republished_by") if "republished_by" in article else None
    return value if isinstance(value, str) and value else None


def dek(register, as_of, published):
    t = tally(register)
    return (f"We checked all {t['total']} claims in the article of {published.day} {published:%B %Y}: "
            f"facts against the sources, opinions against the context and forecasts against what happened "
            f"up to {as_of.day} {as_of:%B %Y}.")


def question_answer(outcomes, as_of):
    """The latest judgement of the headline's question by `as_of`, or None if nothing was judged yet."""
    latest = claims_module.latest_outcomes(outcomes, as_of)
    return None if QUESTION_CLAIM not in latest.index else latest.loc[QUESTION_CLAIM]


def register_as_of(claims, evidence, as_of, updates, sources, summaries):
    """The claims register as the reader sees it at `as_of`: verdicts as of that date, numbered in reading order, with
    each claim's one-line summary. The front page and the claims section both read this one register."""
    dated = claims_module.verdicts_as_of(claims, evidence, as_of, updates, sources)
    return claims_module.with_summaries(claims_module.number_claims(dated), summaries)


ANSWER_WORDS = {"not_borne_out": "No", "partly": "Not all of them", "borne_out": "Yes", "too_early": "Too early to tell"}


def short_answer(answer):
    """The answer to the headline's question in a few words: a judgement's status in words, or too early to tell."""
    return ANSWER_WORDS["too_early" if answer is None else answer["status"]]


def attack_figure(attacks, article_figures, published, series_id="pentagon_cumulative"):
    """The last count of `series_id` stated by publication against the article's attack figure ("over 100"): its date,
    who stated it, its total, its split between Iraq and Syria (None where not stated), and whether the figure holds.
    None if the series has no count by then."""
    figure = article_figures.loc[article_figures["dataset"] == "attacks", "value"].iloc[0]
    count = context.count_at(attacks, series_id, published)
    if count is None:
        return None
    whole = lambda value: None if pd.isna(value) else int(value)  # noqa: E731
    return {"date": count["date"], "stated_by": count["stated_by"], "total": int(count["total"]),
            "iraq": whole(count["iraq"]), "syria": whole(count["syria"]), "figure": int(figure),
            "borne_out": bool(count["total"] > figure)}


def attack_pace(attacks, published, window_days, min_days, series_id="pentagon_cumulative"):
    """How fast a cumulative count rose: from its first statement to the last one by publication, attacks per
    `window_days` on average, and the fastest interval of at least `min_days` (see context.attack_rates)."""
    series = attacks[attacks["series_id"] == series_id].sort_values("date")
    first, last = series.iloc[0], context.count_at(attacks, series_id, published)
    rates = context.attack_rates(attacks, series_id, window_days, min_days)
    days = (last["date"] - first["date"]).days
    return {"start": first["date"], "end": last["date"], "first_total": int(first["total"]), "last_total": int(last["total"]),
            "rate": (last["total"] - first["total"]) / days * window_days if days else float("nan"),
            "peak_date": rates.loc[rates["rate"].idxmax(), "date"], "peak_rate": float(rates["rate"].max()), "rates": rates}


def troop_peak(levels, series):
    """The highest official point-in-time count of U.S. troops inside Iraq (estimates and averages left out)."""
    counts = levels[levels["series_id"].isin(series.loc[series["measure"] == "in_country_count", "series_id"])]
    peaks = context.series_peaks(counts)
    return None if peaks.empty else peaks.iloc[0]


def lower_totals_sentence(falls):
    """How many statements in the attack series give a lower total than an earlier one (derived, never stored)."""
    if not falls:
        return "No statement gives a lower total than one stated earlier in the same series."
    subject = "1 statement reports" if falls == 1 else f"{falls} statements report"
    return f"{subject} a lower total than one stated earlier in the same series; we keep and mark them rather than drop them."


CALLS_FROM, LAPSE_AFTER, SOLEIMANI_YEAR = 2011, 2014, 2020  # the years the article's three statements name


def expulsion_record(calls, last_year):
    """The article's three statements on calls to expel U.S. forces, tested year by year from 2011 to `last_year`:
    the calls per year, the years with none (before and after the lapse the article places after 2014), the calls
    in the five years after it, and the yearly mean before and since 2020."""
    per_year = context.calls_per_year(calls, CALLS_FROM, last_year)
    missing = per_year.loc[per_year["calls"] == 0, "year"].tolist()
    after = per_year[(per_year["year"] > LAPSE_AFTER) & (per_year["year"] < LAPSE_AFTER + 6)]
    return {"per_year": per_year, "missing": missing,
            "missing_after_lapse": [y for y in missing if y > LAPSE_AFTER],
            "missing_to_lapse": [y for y in missing if y <= LAPSE_AFTER],
            "calls_after_lapse": int(after["calls"].sum()),
            "mean_before": context.mean_calls(per_year, CALLS_FROM, SOLEIMANI_YEAR - 1),
            "mean_since": context.mean_calls(per_year, SOLEIMANI_YEAR, last_year)}


def answer_steps(events, published, as_of):
    """The events recorded after the article, and among them the steps (agreements, handovers) that led to the answer."""
    later = events[(events["date"] > published) & (events["date"] <= pd.Timestamp(as_of))].sort_values("date")
    return later, later[later["category"].isin(["agreement", "handover"])]


def publication_record(register, article, corrections, as_of, published):
    """What the page around the notebooks needs from the data, computed once, in the front-page notebook: the
    headline and standfirst, the article, the review's dates and corrections log, and one ClaimReview per claim
    addressed relative to the site (`claims.reviews_at` makes the addresses absolute). The corrections describe
    this review, not the story, so they are never cut to `as_of`."""
    corrections = corrections.sort_values("date")
    row = article.iloc[0]
    iso = lambda date: pd.Timestamp(date).date().isoformat()  # noqa: E731
    return {
        "headline": headline(register, republisher(article)),
        "dek": dek(register, as_of, published),
        "article": {"title": row["title"], "authors": row["authors"], "publisher": row["publisher"],
                    "url": row["url"] if isinstance(row["url"], str) else "", "date_published": iso(row["date_published"]),
                    "contact": row["contact"] if isinstance(row.get("contact"), str) else ""},
        "reviewed": iso(corrections.loc[corrections["kind"] == "published", "date"].min()),
        "updated": iso(corrections["date"].max()),
        "corrections": [{"date": iso(r["date"]), "kind": r["kind"], "change": r["change"]} for _, r in corrections.iterrows()],
        "claim_reviews": claims_module.claim_reviews(register, article, "report.html", corrections),
    }
