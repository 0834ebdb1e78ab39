"""What a reader of the report should be told, recomputed from the raw CSV files with plain pandas.

Nothing here imports the package: these are the tests' own reading of data/, written from the report's stated
rules (the methodology), so that a slip in the package's code shows up as a difference from this second reading.
"""
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent
CHECKABLE = ["supported", "partly_supported", "inaccurate"]
WRONG = ["partly_supported", "inaccurate"]
LABELS = {"supported": "Supported", "partly_supported": "Partly supported", "inaccurate": "Inaccurate",
          "unverifiable": "Unverifiable", "opinion": "Opinion", "forecast": "Forecast"}
ANSWERS = {"not_borne_out": "No", "partly": "Not all of them", "borne_out": "Yes"}


def csv(name, root=ROOT):
    return pd.read_csv(Path(root) / "data" / f"{name}.csv", dtype=str, keep_default_na=False)


def default_as_of(root=ROOT):
    return yaml.safe_load((Path(root) / "params.yml").read_text())["as_of"]["default"]


def long_date(iso):
    stamp = pd.Timestamp(iso)
    return f"{stamp.day} {stamp:%B %Y}"


def known_sources(as_of, root=ROOT):
    """A source is known from the date it says it became known, else the date it was published, else the day we read it."""
    sources = csv("sources", root)
    known = sources["date_known"].where(sources["date_known"] != "", sources["date_published"])
    known = known.where(known != "", sources["date_accessed"])
    return set(sources.loc[known <= as_of, "source_id"])


def register(as_of, root=ROOT):
    """Every claim in reading order with its number, and its verdict and conclusion as they stood on `as_of`:
    the verdict at publication until the day the later evidence appeared, and unverifiable where no source known
    by then bears on a checkable claim."""
    claims = csv("claims", root)
    claims = claims.assign(start_at=claims["start"].astype(int), end_at=claims["end"].astype(int))
    claims = claims.sort_values(["start_at", "end_at"]).reset_index(drop=True)
    claims["number"] = range(1, len(claims) + 1)
    earlier = (claims["verdict_at_publication"] != "") & ((claims["changed_on"] == "") | (as_of < claims["changed_on"]))
    claims["verdict"] = claims["verdict"].where(~earlier, claims["verdict_at_publication"])
    claims["conclusion"] = claims["conclusion"].where(~earlier, claims["conclusion_at_publication"])
    evidence = csv("claim_sources", root)
    evidenced = set(evidence.loc[evidence["source_id"].isin(known_sources(as_of, root)), "claim_id"])
    lacking = claims["verdict"].isin(CHECKABLE) & ~claims["claim_id"].isin(evidenced)
    claims.loc[lacking, "verdict"] = "unverifiable"
    claims.loc[lacking, "conclusion"] = f"No source published by {as_of} bears on this claim in the corpus searched."
    return claims.merge(csv("claim_summaries", root)[["claim_id", "summary"]], on="claim_id", how="left")


def counts(claims):
    by = claims["verdict"].value_counts()
    get = lambda verdict: int(by.get(verdict, 0))  # noqa: E731
    wrong = claims["verdict"].isin(WRONG)
    added = int((wrong & (claims["error_in"] == "republication")).sum())
    return {"total": len(claims), "checkable": sum(get(v) for v in CHECKABLE), **{v: get(v) for v in LABELS},
            "wrong": int(wrong.sum()), "added": added, "original": int(wrong.sum()) - added}


def headline(claims, republisher):
    n = counts(claims)
    if n["checkable"] == 0:
        return "None of the DW article's factual statements could yet be checked"
    lead = ("Most of DW's Iraq article holds up" if 2 * n["supported"] > n["checkable"]
            else "Much of DW's Iraq article does not hold up")
    if n["wrong"] == 0:
        return f"{lead}: all {n['checkable']} of its checkable statements are supported"
    if n["original"]:
        line = f"{lead}, but {n['original']} of its {n['checkable']} checkable statements are partly or wholly wrong"
    else:
        line = f"{lead}: none of its {n['checkable']} checkable statements is wrong in DW's original"
    if n["added"]:
        more = "one more error" if n["added"] == 1 else f"{n['added']} more errors"
        line += f"; {republisher + chr(39) + 's' if republisher else 'the'} republication, the text we checked, added {more}"
    return line


def latest_answer(as_of, root=ROOT, claim_id="C59"):
    outcomes = csv("forecast_outcomes", root)
    known = outcomes[(outcomes["claim_id"] == claim_id) & (outcomes["judged_from"] <= as_of)]
    return None if known.empty else known.sort_values("judged_from").iloc[-1]


def front_page(as_of, root=ROOT):
    """The front page as a reader should read it: headline, standfirst, the key findings, the answer, and the
    trust box's dates, correction count and view label, each as the exact words expected."""
    article = csv("article", root).iloc[0]
    published = article["date_published"]
    claims = register(as_of, root)
    n = counts(claims)
    verdict = claims.set_index("claim_id")["verdict"]
    republisher = article.get("republished_by", "")
    findings = [("glance", None,
                 f"Of the {n['checkable']} statements of fact we could check, {n['supported']} are supported, "
                 f"{n['partly_supported']} partly supported and {n['inaccurate']} inaccurate; {n['unverifiable']} could "
                 f"not be verified either way. The other {n['opinion'] + n['forecast']} are opinions and forecasts.")]
    if n["added"] and republisher:
        findings.append(("glance", None,
                         f"We checked {republisher}'s republication of the article. Of the {n['wrong']} statements that are "
                         f"partly or wholly wrong in it, {n['original']} are in DW's original of {long_date(published)}; "
                         f"{n['added']} came with the republication, and DW's original reads correctly there."))
    attacks = csv("attacks", root)
    pentagon = attacks[(attacks["series_id"] == "pentagon_cumulative") & (attacks["date"] <= published)]
    last = pentagon.sort_values("date").iloc[-1]
    if last["iraq"]:
        findings.append(("card-C15", verdict["C15"],
                         "The sub-heading's “over 100 attacks on U.S. bases in Iraq” counts Iraq and Syria together: of the "
                         f"{last['total']} attacks the Pentagon had counted by {long_date(last['date'])}, {last['iraq']} were in Iraq."))
    levels, series = csv("troop_levels", root), csv("series", root)
    counted = levels[levels["series_id"].isin(series.loc[series["measure"] == "in_country_count", "series_id"])
                     & (levels["flag"] == "") & (levels["date"] <= as_of)]
    figures = csv("article_figures", root).set_index("claim_id")["value"]
    if len(counted) and "C19" in figures:
        peak = counted.loc[counted["troops"].astype(int).idxmax()]
        findings.append(("card-C19", verdict["C19"],
                         f"The article puts the peak of U.S. troops at “around {int(figures['C19']):,}” in 2003; the highest count "
                         f"of troops inside Iraq we found is {int(peak['troops']):,}, in {pd.Timestamp(peak['date']):%B %Y}."))
    calls = csv("expulsion_calls", root)
    years = [int(d[:4]) for d in calls["date"] if d <= as_of]
    missing = [y for y in range(2011, int(as_of[:4]) + 1) if y not in years]
    findings.append(("card-C32", verdict["C32"],
                     "The article says threats to expel U.S. troops lapsed after 2014. They did not: we recorded "
                     f"{sum(2015 <= y <= 2019 for y in years)} calls, threats and moves from 2015 to 2019. The gaps we found were "
                     f"earlier, in {' and '.join(map(str, missing)) or 'no year'}."))
    findings.append(("card-C06", verdict["C06"], claims.set_index("claim_id").loc["C06", "conclusion"]))
    answer = latest_answer(as_of, root)
    findings.append(("the-answer", None, f"Since the article: {answer['explanation']}" if answer is not None else
                     f"By {long_date(as_of)} it was too early to say whether Iraq would expel the U.S. troops."))
    if answer is None:
        answer_line = f"Too early to tell on {long_date(as_of)}, the last date this edition covers."
    else:
        answer_line = (f"{ANSWERS[answer['status']]}, by the latest source we found on it, of "
                       f"{long_date(answer['judged_from'])}. {answer['explanation']}")
    events = csv("events", root)
    later = events[(events["date"] > published) & (events["date"] <= as_of)].sort_values("date", kind="stable")
    steps = later[later["category"].isin(["agreement", "handover"])]
    corrections = csv("corrections", root)
    kinds = corrections["kind"].value_counts()
    changes = [f"{kinds[kind]} {kind}{'s' if kinds[kind] != 1 else ''}" for kind in ("correction", "update", "clarification")
               if kinds.get(kind, 0)]
    at_publication = (pd.Timestamp(as_of) - pd.Timestamp(published)).days <= 6
    return {
        "kicker": f"Fact-check: “{article['title']}”",
        "headline": headline(claims, republisher),
        "dek": (f"We checked all {n['total']} claims in the article of {long_date(published)}: facts against the sources, "
                f"opinions against the context and forecasts against what happened up to {long_date(as_of)}."),
        "findings": findings,
        "answer": answer_line,
        "steps": ([f"The steps that led there, from the {len(later)} events we recorded after the article:"] +
                  [f"{long_date(row['date'])} — {row['title']}" for _, row in steps.iterrows()]) if len(steps) else [],
        "reviewed": long_date(corrections.loc[corrections["kind"] == "published", "date"].min()),
        "updated": long_date(corrections["date"].max()),
        "changes": (" and ".join([", ".join(changes[:-1]), changes[-1]]) if len(changes) > 1 else
                    changes[0] if changes else "no corrections") + " since publication",
        "view": (f"What was known when the article appeared: only events, data and sources dated on or before "
                 f"{long_date(as_of)} are shown; later evidence and outcomes are left out." if at_publication else
                 f"Events, data and sources up to {long_date(as_of)}."),
    }


def changed_verdicts(as_of, root=ROOT):
    """The claims whose verdict on `as_of` differs from the verdict at publication: (number, then, now), in order."""
    published = csv("article", root).iloc[0]["date_published"]
    then, now = register(published, root), register(as_of, root)
    both = then[["claim_id", "number", "verdict"]].merge(now[["claim_id", "verdict"]], on="claim_id", suffixes=("_then", "_now"))
    changed = both[both["verdict_then"] != both["verdict_now"]].sort_values("number")
    return [(int(r["number"]), LABELS[r["verdict_then"]], LABELS[r["verdict_now"]]) for _, r in changed.iterrows()]
