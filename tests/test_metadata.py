"""Metadata that agrees with itself: ClaimReview ratings within their declared scale, the citation's version, and a
description for every field of the data package."""
import json
import tomllib

from factcheck import claims, config, data


def test_every_claim_review_rating_lies_within_its_declared_scale():
    register = claims.with_summaries(data.load_table("claims"), data.load_table("claim_summaries"))
    reviews = claims.claim_reviews(register, data.load_table("article"), "report.html")
    assert len(reviews) == len(register)
    rated = [r["reviewRating"] for r in reviews if "ratingValue" in r["reviewRating"]]
    assert rated, "no claim is rated on the scale"
    for rating in rated:
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"], rating
    for review, verdict in zip(reviews, register["verdict"]):
        rating = review["reviewRating"]
        assert ("ratingValue" in rating) == (verdict in claims.CHECKABLE), (verdict, rating)
        assert {"bestRating", "worstRating"} <= set(rating) or not {"bestRating", "worstRating"} & set(rating)


def test_the_citation_names_the_package_version():
    import yaml

    citation = yaml.safe_load((config.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    project = tomllib.loads((config.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert str(citation["version"]) == project["version"]


def test_every_data_field_has_a_description():
    package = json.loads(config.DATAPACKAGE.read_text(encoding="utf-8"))
    undescribed = [f"{r['name']}.{f['name']}" for r in package["resources"] for f in r["schema"]["fields"]
                   if not (f.get("description") or "").strip()]
    assert not undescribed, f"fields without a description in data/datapackage.json: {', '.join(undescribed)}"
