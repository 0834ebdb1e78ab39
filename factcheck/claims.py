"""The claims register: numbering, verdicts as of a date, summaries and schema.org ClaimReview."""
import pandas as pd

from .vocab import OUTCOME_LABELS, VERDICT_LABELS

# Verdicts that find an error in the text checked, and those that judge it against sources at all.
WRONG = {"partly_supported", "inaccurate"}
CHECKABLE = {"supported"} | WRONG

# ClaimReview's numeric scale, 1..5, covers the verdicts on the true–false scale. A verdict off it (unverifiable,
# opinion, forecast) is rated by its name alone (alternateName), with no number and no scale to misread.
RATING_VALUES = {"inaccurate": 1, "partly_supported": 3, "supported": 5}
BEST_RATING, WORST_RATING = 5, 1


def number_claims(claims):
    """Claims in reading order, numbered from 1: the numbers are the markers in the annotated article."""
    ordered = claims.sort_values(["start", "end"]).reset_index(drop=True)
    return ordered.assign(number=range(1, len(ordered) + 1))


def updates_as_of(updates, as_of):
    """The dated additions to claims' explanations (data/claim_updates.csv) known by `as_of`, oldest first."""
    if updates is None or updates.empty:
        return updates
    return updates[updates["date"] <= pd.Timestamp(as_of)].sort_values(["claim_id", "date"]).reset_index(drop=True)


def verdicts_as_of(claims, evidence, as_of, updates=None, sources=None):
    """Each claim's verdict, conclusion and explanation as they stood at `as_of`.

    - Before `changed_on` (the date of the later evidence that changed it), a claim with a `verdict_at_publication`
      shows that verdict and its `conclusion_at_publication`.
    - A claim rated on evidence that did not exist yet at `as_of` becomes unverifiable at that date.
    - The explanation is the time-free text of `explanation`, followed by the dated `updates` known by `as_of`, each
      under "Since publication, <date>". An update whose source (in `sources`) gives no date of its own is shown as
      "From a page that gives no date": the day we read a page is never shown as the day something became known.
    """
    as_of = pd.Timestamp(as_of)
    claims = claims.copy()
    if "verdict_at_publication" in claims:
        changed = claims["verdict_at_publication"].fillna("").ne("")
        if "changed_on" in claims:
            changed &= claims["changed_on"].isna() | (as_of < claims["changed_on"])
        claims.loc[changed, "verdict"] = claims.loc[changed, "verdict_at_publication"]
        claims.loc[changed, "conclusion"] = claims.loc[changed, "conclusion_at_publication"]
    evidenced = set(evidence["claim_id"])
    lacking = claims["verdict"].isin(CHECKABLE) & ~claims["claim_id"].isin(evidenced)
    claims.loc[lacking, "verdict"] = "unverifiable"
    claims.loc[lacking, "conclusion"] = (f"No source published by {as_of.date()} "
                                         "bears on this claim in the corpus searched.")
    claims.loc[lacking, "explanation"] = "The evidence for the full verdict was published after the report's as-of date."
    known = updates_as_of(updates, as_of)
    if known is not None and not known.empty:
        from .data import source_own_dates
        undated = set() if sources is None else set(sources.loc[source_own_dates(sources).isna(), "source_id"])
        later = known.groupby("claim_id").apply(
            lambda rows: " ".join(f"{'From a page that gives no date' if s in undated else f'Since publication, {d.day} {d:%B %Y}'}: {t}"
                                  for d, t, s in zip(rows["date"], rows["text"], rows["source_id"])),
            include_groups=False)
        extra = claims["claim_id"].map(later)
        has = extra.notna() & ~lacking
        claims.loc[has, "explanation"] = claims.loc[has, "explanation"].str.cat(extra[has], sep=" ")
    return claims


def changes_since_publication(claims, evidence, sources, published, as_of, updates=None):
    """The claims whose verdict at `as_of` differs from their verdict at publication, each with the evidence
    that changed it: the evidence rows whose source became known after publication and by `as_of`. `first_known` is
    the earliest date those sources give of their own; it is empty where none gives a date (never the day we read it)."""
    from .data import source_known_dates, source_own_dates
    then = verdicts_as_of(claims, evidence[evidence["source_id"].isin(_known_by(sources, published))], published)
    now = verdicts_as_of(claims, evidence[evidence["source_id"].isin(_known_by(sources, as_of))], as_of, updates, sources)
    both = then[["claim_id", "verdict", "conclusion"]].merge(
        now[["claim_id", "verdict", "conclusion"]], on="claim_id", suffixes=("_then", "_now"))
    changed = both[both["verdict_then"] != both["verdict_now"]]
    known = sources.assign(known=source_known_dates(sources), own=source_own_dates(sources))[["source_id", "known", "own"]]
    later = evidence.merge(known, on="source_id")
    later = later[(later["known"] > pd.Timestamp(published)) & (later["known"] <= pd.Timestamp(as_of))]
    changed_by = later.sort_values("known").groupby("claim_id").agg(
        changed_by=("source_id", lambda ids: ", ".join(dict.fromkeys(ids))), first_known=("own", "min"))
    return changed.merge(changed_by, left_on="claim_id", right_index=True, how="left").reset_index(drop=True)


def outcomes_since_publication(register, outcomes, published, as_of):
    """Every judgement of a forecast made after publication and by `as_of`, oldest first, with its label and source:
    the dated evidence behind each forecast's outcome."""
    later = outcomes[(outcomes["judged_from"] > pd.Timestamp(published)) & (outcomes["judged_from"] <= pd.Timestamp(as_of))]
    later = later.merge(register[["claim_id", "number", "quote"]], on="claim_id")
    return later.assign(outcome=later["status"].map(OUTCOME_LABELS)).sort_values(["number", "judged_from"]).reset_index(drop=True)


def _known_by(sources, date):
    from .data import source_known_dates
    return set(sources.loc[source_known_dates(sources) <= pd.Timestamp(date), "source_id"])


def verdict_counts(claims):
    counts = claims["verdict"].value_counts().reindex(list(VERDICT_LABELS), fill_value=0)
    return counts.rename_axis("verdict").reset_index(name="claims")


def verdict_by_type(claims):
    return claims.groupby(["claim_type", "verdict"]).size().reset_index(name="claims")


def latest_outcomes(outcomes, as_of):
    """For each forecast, the most recent judgement made on or before `as_of`."""
    known = outcomes[outcomes["judged_from"] <= pd.Timestamp(as_of)]
    return known.sort_values("judged_from").groupby("claim_id").tail(1).set_index("claim_id")


def forecast_judgements(register, outcomes, as_of):
    """Each forecast in the register beside its latest judgement by `as_of`; none yet means too early to tell."""
    forecasts = register[register["verdict"] == "forecast"]
    latest = latest_outcomes(outcomes, as_of)[["status", "explanation", "judged_from"]].rename(
        columns={"explanation": "basis"})
    judged = forecasts.merge(latest, left_on="claim_id", right_index=True, how="left")
    return judged.assign(outcome=judged["status"].fillna("too_early").map(OUTCOME_LABELS))


REVIEWER = {"@type": "Organization", "name": "Iraq Claims Check"}


def reviews_at(reviews, report_url):
    """The ClaimReviews with their card and reviewer addresses resolved against the report's absolute address;
    with no address (`report_url` None) the addresses are left out rather than invented."""
    from urllib.parse import urljoin

    if report_url is None:
        return [{**{k: v for k, v in review.items() if k != "url"},
                 "author": {k: v for k, v in review["author"].items() if k != "url"}} for review in reviews]
    return [{**review, "url": urljoin(report_url, review["url"]),
             "author": {**review["author"], "url": urljoin(report_url, review["author"]["url"])}} for review in reviews]


def claim_reviews(claims, article, report_url, corrections=None, reviewer=None):
    """schema.org ClaimReview objects, one per claim, each pointing at the claim's card by an absolute URL.

    Carries what Google's ClaimReview guidelines require (url, claimReviewed, reviewRating with alternateName)
    and recommend (author, datePublished, ratingValue/bestRating/worstRating, itemReviewed as a Claim with its
    author, date and appearance). Where the claim quotes someone (a `claimant`), that person is the claim's author;
    otherwise the article's authors are. dateModified is the latest correction's date, if any.
    """
    article = article.iloc[0]
    appearance = {"@type": "NewsArticle", "headline": article["title"], "publisher":
                  {"@type": "Organization", "name": article["publisher"]},
                  "datePublished": article["date_published"].date().isoformat()}
    if isinstance(article["url"], str) and article["url"]:
        appearance["url"] = article["url"]
    authors = [{"@type": "Person", "name": name.strip()} for name in article["authors"].split("&")]
    base = report_url.split("#")[0]
    author = dict(reviewer or REVIEWER, url=base)
    modified = None
    if corrections is not None and len(corrections):
        modified = pd.Timestamp(corrections["date"].max()).date().isoformat()
    reviews = []
    for _, claim in claims.iterrows():
        claimant = claim.get("claimant")
        quoted = isinstance(claimant, str) and claimant.strip()
        review = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": f"{base}#card-{claim['claim_id']}",
            "claimReviewed": claim["quote"],
            "author": author,
            "datePublished": claim["checked"].date().isoformat(),
            "reviewRating": {
                "@type": "Rating",
                "alternateName": VERDICT_LABELS[claim["verdict"]],
                **({"ratingValue": RATING_VALUES[claim["verdict"]], "bestRating": BEST_RATING, "worstRating": WORST_RATING}
                   if claim["verdict"] in RATING_VALUES else {}),
                "ratingExplanation": claim["conclusion"],
            },
            "itemReviewed": {
                "@type": "Claim",
                "author": {"@type": "Person", "name": claimant.strip()} if quoted else authors,
                "datePublished": article["date_published"].date().isoformat(),
                "appearance": appearance,
                "firstAppearance": appearance,
            },
        }
        if modified and modified > review["datePublished"]:
            review["dateModified"] = modified
        reviews.append(review)
    return reviews


def with_summaries(register, summaries):
    """The register with each claim's summary and claimant. Validation refuses a claim without a summary row; should
    one get through, this fails naming it instead of dropping it from the counts (as an inner join would)."""
    joined = register.merge(summaries, on="claim_id", how="left", validate="one_to_one", indicator=True)
    missing = joined.loc[joined["_merge"] == "left_only", "claim_id"].tolist()
    if missing:
        raise ValueError(f"claim(s) {', '.join(missing)} have no row in data/claim_summaries.csv: add one each")
    return joined.drop(columns="_merge")
