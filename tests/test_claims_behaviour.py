"""The claims register over time, on tiny hand-made registers: numbering, verdicts and explanations as of a date,
what changed since publication, forecast judgements and the ClaimReview objects."""
import pandas as pd

from factcheck import claims


def frame(**columns):
    return pd.DataFrame(columns)


def dates(*values):
    return pd.to_datetime(list(values))


def test_numbering_follows_the_article_and_keeps_no_old_index():
    register = frame(claim_id=["C02", "C01", "C03"], start=[10, 0, 10], end=[20, 5, 15]).set_index(pd.Index([7, 8, 9]))
    numbered = claims.number_claims(register)
    assert list(numbered.columns) == ["claim_id", "start", "end", "number"]
    assert list(numbered.index) == [0, 1, 2]
    assert list(numbered["claim_id"]) == ["C01", "C03", "C02"] and list(numbered["number"]) == [1, 2, 3]


def test_updates_as_of_keep_those_known_by_the_date_oldest_first():
    updates = frame(claim_id=["C02", "C01", "C01", "C01"], date=dates("2024-02-01", "2024-03-01", "2024-02-01", "2024-05-01"),
                    text=["b", "c", "a", "later"], source_id=["s1", "s2", "s3", "s4"])
    known = claims.updates_as_of(updates, "2024-03-01")
    assert list(known.columns) == ["claim_id", "date", "text", "source_id"]
    assert list(known.index) == [0, 1, 2] and list(known["text"]) == ["a", "c", "b"]


PUBLICATION = dict(claim_id=["C01", "C02", "C03"], verdict=["inaccurate", "supported", "supported"],
                   conclusion=["now wrong", "right", "right too"], explanation=["e1", "e2", "e3"],
                   verdict_at_publication=["supported", None, ""],
                   conclusion_at_publication=["looked right", None, ""],
                   changed_on=dates("2024-06-01", None, None))
EVIDENCE = frame(claim_id=["C01", "C02", "C03"], source_id=["s1", "s2", "s3"])


def test_a_publication_verdict_holds_until_the_change_and_empty_ones_never_apply():
    before = claims.verdicts_as_of(frame(**PUBLICATION), EVIDENCE, "2024-05-31")
    assert list(before["verdict"]) == ["supported", "supported", "supported"]
    assert list(before["conclusion"]) == ["looked right", "right", "right too"]
    after = claims.verdicts_as_of(frame(**PUBLICATION), EVIDENCE, "2024-06-01")
    assert list(after["verdict"]) == ["inaccurate", "supported", "supported"]
    assert list(after["conclusion"]) == ["now wrong", "right", "right too"]


def test_a_claim_without_evidence_yet_says_why_it_is_unverifiable():
    result = claims.verdicts_as_of(frame(**PUBLICATION), EVIDENCE[EVIDENCE["claim_id"] != "C02"], "2024-07-01")
    assert result.loc[1, "verdict"] == "unverifiable"
    assert result.loc[1, "conclusion"] == "No source published by 2024-07-01 bears on this claim in the corpus searched."
    assert result.loc[1, "explanation"] == ("The evidence for the full verdict was published after the report's "
                                            "as-of date.")
    assert list(result["explanation"])[::2] == ["e1", "e3"]


def test_dated_updates_follow_the_explanation_in_order_and_only_where_known():
    updates = frame(claim_id=["C01", "C01", "C02", "C03"], date=dates("2024-03-02", "2024-02-07", "2024-02-01", "2025-01-01"),
                    text=["Second.", "First.", "Only.", "Too late."], source_id=["s1", "s1", "s2", "s3"])
    result = claims.verdicts_as_of(frame(**PUBLICATION), EVIDENCE[EVIDENCE["claim_id"] != "C02"], "2024-07-01", updates)
    assert list(result["explanation"]) == [
        "e1 Since publication, 7 February 2024: First. Since publication, 2 March 2024: Second.",
        "The evidence for the full verdict was published after the report's as-of date.",
        "e3",
    ]


SOURCES = frame(source_id=["s1", "s2", "s3", "s4"], outlet=list("abcd"), title=list("ABCD"),
                date_published=dates("2024-01-05", "2024-01-10", "2024-03-01", "2024-04-01"))


def changes(as_of, register=None, evidence=None):
    register = frame(**PUBLICATION) if register is None else register
    evidence = frame(claim_id=["C01", "C01", "C01", "C02"], source_id=["s1", "s2", "s3", "s4"]) if evidence is None else evidence
    return claims.changes_since_publication(register, evidence, SOURCES, "2024-01-10", as_of)


def test_a_change_after_publication_is_listed_with_the_sources_known_since():
    """s2 was known on the publication day, so it did not change anything; s3 came after, s4 on the as-of day."""
    register = frame(**PUBLICATION).assign(changed_on=dates("2024-03-01", "2024-04-01", None),
                                           verdict_at_publication=["supported", "unverifiable", ""],
                                           conclusion_at_publication=["looked right", "nothing yet", ""])
    evidence = frame(claim_id=["C01", "C01", "C01", "C02", "C02", "C03"], source_id=["s1", "s2", "s3", "s3", "s4", "s3"])
    result = changes("2024-04-01", register, evidence)
    assert list(result.columns) == ["claim_id", "verdict_then", "conclusion_then", "verdict_now", "conclusion_now",
                                    "changed_by", "first_known"]
    # C03 had no evidence at publication, so it was unverifiable then
    assert list(result["claim_id"]) == ["C01", "C02", "C03"] and list(result.index) == [0, 1, 2]
    assert list(result["verdict_then"]) == ["supported", "unverifiable", "unverifiable"]
    assert list(result["verdict_now"]) == ["inaccurate", "supported", "supported"]
    assert list(result["changed_by"]) == ["s3", "s3, s4", "s3"]
    assert list(result["first_known"]) == list(dates("2024-03-01", "2024-03-01", "2024-03-01"))


def test_a_change_dated_after_the_as_of_date_is_not_yet_a_change():
    evidence = frame(claim_id=["C01", "C02", "C03"], source_id=["s1", "s1", "s1"])
    assert changes("2024-05-31", evidence=evidence).empty
    assert list(changes("2024-06-01", evidence=evidence)["claim_id"]) == ["C01"]


def test_a_change_on_early_evidence_alone_is_listed_without_sources():
    register = frame(**PUBLICATION).assign(changed_on=dates("2024-02-01", None, None))
    evidence = frame(claim_id=["C01", "C02", "C03"], source_id=["s1", "s1", "s1"])
    result = changes("2024-06-01", register, evidence)
    assert list(result["claim_id"]) == ["C01"] and result["changed_by"].isna().all()


def test_a_source_is_known_on_its_own_date():
    """A claim whose only evidence appears on the as-of day is rated that day, not left unverifiable."""
    register = frame(claim_id=["C01"], verdict=["supported"], conclusion=["c"], explanation=["e"])
    result = claims.changes_since_publication(register, frame(claim_id=["C01"], source_id=["s4"]), SOURCES,
                                              "2024-01-10", "2024-04-01")
    assert list(result["verdict_then"]) == ["unverifiable"] and list(result["verdict_now"]) == ["supported"]
    assert list(result["changed_by"]) == ["s4"]


READ_ONLY = frame(source_id=["s1", "s2", "s3"], outlet=list("abc"), title=list("ABC"),
                  date_published=dates("2024-02-07", None, None), date_known=dates(None, None, "2024-03-02"),
                  date_accessed=dates("2026-11-24", "2026-11-24", "2026-11-24"))


def test_a_finding_from_a_page_without_a_date_is_never_dated_by_the_day_we_read_it():
    updates = frame(claim_id=["C01", "C01", "C01"], date=dates("2024-02-07", "2026-11-24", "2024-03-02"),
                    text=["Dated.", "Undated.", "Established."], source_id=["s1", "s2", "s3"])
    result = claims.verdicts_as_of(frame(**PUBLICATION), EVIDENCE, "2026-11-24", updates, READ_ONLY)
    assert result.loc[0, "explanation"] == ("e1 Since publication, 7 February 2024: Dated. Since publication, 2 March 2024: "
                                            "Established. From a page that gives no date: Undated.")
    assert "24 November 2026" not in result.loc[0, "explanation"]


def test_the_first_known_date_of_a_change_is_the_pages_own_and_empty_for_an_undated_page():
    register = frame(claim_id=["C01", "C02"], verdict=["supported"] * 2, conclusion=["c"] * 2, explanation=["e"] * 2)
    evidence = frame(claim_id=["C01", "C01", "C02"], source_id=["s2", "s3", "s2"])
    result = claims.changes_since_publication(register, evidence, READ_ONLY, "2024-01-10", "2026-11-24").set_index("claim_id")
    assert result.loc["C01", "first_known"] == pd.Timestamp("2024-03-02") and result.loc["C01", "changed_by"] == "s3, s2"
    assert pd.isna(result.loc["C02", "first_known"])


OUTCOMES = frame(claim_id=["C1", "C1", "C1", "C2"], status=["partly", "not_borne_out", "borne_out", "borne_out"],
                 explanation=["p", "n", "b", "b2"], judged_from=dates("2024-03-01", "2024-06-01", "2024-09-01", "2024-09-01"))


def test_the_latest_outcome_counts_a_judgement_made_on_the_date():
    latest = claims.latest_outcomes(OUTCOMES, "2024-06-01")
    assert list(latest.index) == ["C1"] and latest.loc["C1", "status"] == "not_borne_out"
    assert list(claims.latest_outcomes(OUTCOMES, "2024-09-01")["status"]) == ["borne_out", "borne_out"]


def test_a_forecast_judgement_carries_its_basis():
    register = frame(claim_id=["C1", "C2", "C3"], verdict=["forecast", "forecast", "forecast"])
    judged = claims.forecast_judgements(register, OUTCOMES, "2024-06-30").set_index("claim_id")
    assert judged.loc["C1", "basis"] == "n" and judged.loc["C1", "outcome"] == "Not borne out"
    assert judged["basis"].isna().sum() == 2 and judged.loc["C3", "outcome"] == "Too early to tell"


ARTICLE = frame(title=["T"], publisher=["DW"], url=["https://example.org/a"], authors=["A & B"],
                date_published=dates("2024-01-10"))


def test_a_claim_review_in_full():
    register = frame(claim_id=["C01", "C02"], quote=["q1", "q2"], verdict=["inaccurate", "forecast"],
                     conclusion=["c1", "c2"], checked=dates("2026-11-24", "2026-11-20"), claimant=[" The President ", ""])
    corrections = frame(date=dates("2026-11-20", "2026-11-24"))
    reviews = claims.claim_reviews(register, ARTICLE, "https://site.example/report.html#top", corrections,
                                   {"@type": "Organization", "name": "Checkers"})
    appearance = {"@type": "NewsArticle", "headline": "T", "publisher": {"@type": "Organization", "name": "DW"},
                  "datePublished": "2024-01-10", "url": "https://example.org/a"}
    author = {"@type": "Organization", "name": "Checkers", "url": "https://site.example/report.html"}
    assert reviews[0] == {
        "@context": "https://schema.org", "@type": "ClaimReview",
        "url": "https://site.example/report.html#card-C01", "claimReviewed": "q1", "author": author,
        "datePublished": "2026-11-24",
        "reviewRating": {"@type": "Rating", "alternateName": "Inaccurate", "ratingValue": 1, "bestRating": 5,
                         "worstRating": 1, "ratingExplanation": "c1"},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "The President"},
                         "datePublished": "2024-01-10", "appearance": appearance, "firstAppearance": appearance},
    }
    # checked on 20 November, corrected on the 24th; a claim without a claimant is the article's authors'
    assert reviews[1]["dateModified"] == "2026-11-24"
    # a forecast is off the 1..5 scale: named, with no number and no scale
    assert reviews[1]["reviewRating"] == {"@type": "Rating", "alternateName": "Forecast", "ratingExplanation": "c2"}
    assert reviews[1]["itemReviewed"]["author"] == [{"@type": "Person", "name": "A"}, {"@type": "Person", "name": "B"}]


def test_a_claim_review_without_article_url_or_reviewer():
    register = frame(claim_id=["C01"], quote=["q"], verdict=["supported"], conclusion=["c"], checked=dates("2026-11-24"))
    (review,) = claims.claim_reviews(register, ARTICLE.assign(url=[float("nan")]), "r.html")
    assert "url" not in review["itemReviewed"]["appearance"] and "dateModified" not in review
    assert review["author"] == {"@type": "Organization", "name": "Iraq Claims Check", "url": "r.html"}
    assert claims.REVIEWER == {"@type": "Organization", "name": "Iraq Claims Check"}
