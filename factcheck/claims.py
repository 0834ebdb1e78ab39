"""The claims register: numbering, verdicts as of a date, summaries and schema.org ClaimReview."""
import pandas as pd

from .vocab import OUTCOME_LABELS, VERDICT_LABELS

CHECKABLE = {"supported", "partly_supported", "inaccurate"}

# ClaimReview's reviewRating needs a number. Verdicts on the true–false scale map to 1..5;
# verdicts off that scale (unverifiable, opinion, forecast) get -1, "not rated on the scale".
RATING_VALUES = {"inaccurate": 1, "partly_supported": 3, "supported": 5,
                 "unverifiable": -1, "opinion": -1, "forecast": -1}
BEST_RATING, WORST_RATING = 5, 1


def number_claims(claims):
    """Claims in reading order, numbered from 1: the numbers are the markers in the annotated article."""
    ordered = claims.sort_values(["start", "end"]).reset_index(drop=True)
    return ordered.assign(number=range(1, len(ordered) + 1))


def verdicts_as_of(claims, evidence, as_of):
    """A claim rated on evidence that did not exist yet at `as_of` becomes unverifiable at that date."""
    evidenced = set(evidence["claim_id"])
    lacking = claims["verdict"].isin(CHECKABLE) & ~claims["claim_id"].isin(evidenced)
    claims = claims.copy()
    claims.loc[lacking, "verdict"] = "unverifiable"
    claims.loc[lacking, "conclusion"] = (f"No source published by {pd.Timestamp(as_of).date()} "
                                         "bears on this claim in the corpus searched.")
    claims.loc[lacking, "explanation"] = "The evidence for the full verdict was published after the report's as-of date."
    return claims


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
                "ratingValue": RATING_VALUES[claim["verdict"]],
                "bestRating": BEST_RATING,
                "worstRating": WORST_RATING,
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
