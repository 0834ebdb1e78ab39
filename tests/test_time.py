"""Time: what the report shows at a date is only what could be known by then."""
import pandas as pd

from factcheck import claims, consistency, data


def frame(**columns):
    return pd.DataFrame(columns)


def dates(*values):
    return pd.to_datetime(list(values))


def test_the_as_of_view_drops_undated_evidence_known_only_later():
    sources = frame(source_id=["dated", "based", "undated"],
                    date_published=dates("2024-01-05", None, None),
                    date_known=dates("2024-01-05", "2024-02-07", None),
                    date_accessed=dates("2026-11-24", "2026-11-24", "2026-11-24"))
    evidence = frame(claim_id=["C01", "C01", "C02"], source_id=["dated", "based", "undated"])
    view = data.as_of_view({"sources": sources, "claim_sources": evidence}, "2024-01-10")
    assert list(view["sources"]["source_id"]) == ["dated"]
    assert list(view["claim_sources"]["source_id"]) == ["dated"]
    later = data.as_of_view({"sources": sources, "claim_sources": evidence}, "2024-03-01")
    assert list(later["claim_sources"]["source_id"]) == ["dated", "based"]  # 'undated' waits for its date_accessed


def test_a_source_with_no_date_at_all_is_never_shown():
    sources = frame(source_id=["x"], date_published=dates(None))
    assert data.as_of_view({"sources": sources}, "2026-05-02")["sources"].empty


REGISTER = frame(claim_id=["C29", "C30"], verdict=["supported", "supported"], conclusion=["now", "same"],
                 explanation=["Time-free.", "Time-free."], verdict_at_publication=["unverifiable", ""],
                 conclusion_at_publication=["then", ""], changed_on=dates("2024-03-01", None))
EVIDENCE = frame(claim_id=["C29", "C30"], source_id=["s1", "s2"])
UPDATES = frame(claim_id=["C29"], date=dates("2024-03-01"), text=["A later profile (s1) confirms it."], source_id=["s1"])


def test_before_the_later_evidence_a_claim_shows_its_verdict_at_publication():
    then = claims.verdicts_as_of(REGISTER, EVIDENCE, "2024-01-10", UPDATES).set_index("claim_id")
    assert (then.loc["C29", "verdict"], then.loc["C29", "conclusion"]) == ("unverifiable", "then")
    assert then.loc["C29", "explanation"] == "Time-free."  # the later update is not shown yet
    assert then.loc["C30", "verdict"] == "supported"


def test_from_the_later_evidence_on_a_claim_shows_todays_verdict_and_the_dated_update():
    now = claims.verdicts_as_of(REGISTER, EVIDENCE, "2024-03-01", UPDATES).set_index("claim_id")
    assert (now.loc["C29", "verdict"], now.loc["C29", "conclusion"]) == ("supported", "now")
    assert now.loc["C29", "explanation"] == "Time-free. Since publication, 1 March 2024: A later profile (s1) confirms it."


def test_changes_since_publication_name_the_evidence_that_changed_the_verdict():
    sources = frame(source_id=["s1", "s2"], date_published=dates(None, "2024-01-05"), date_known=dates("2024-03-01", "2024-01-05"),
                    outlet=["ECFR", "Reuters"], title=["t", "t"])
    changes = claims.changes_since_publication(REGISTER, EVIDENCE, sources, "2024-01-10", "2024-06-01", UPDATES)
    assert list(changes["claim_id"]) == ["C29"] and changes.loc[0, "changed_by"] == "s1"
    assert (changes.loc[0, "verdict_then"], changes.loc[0, "verdict_now"]) == ("unverifiable", "supported")


def test_a_verdict_at_publication_resting_on_later_evidence_is_reported():
    tables = {"article": frame(date_published=dates("2024-01-10")),
              "claims": frame(claim_id=["C29"], verdict=["supported"], verdict_at_publication=[""]),
              "claim_sources": frame(claim_id=["C29"], source_id=["s1"]),
              "sources": frame(source_id=["s1"], date_published=dates(None), date_known=dates("2024-03-01"))}
    (error,) = consistency.publication_verdict_uses_early_evidence(tables)
    assert (error.row, error.field) == (2, "verdict") and "2024-01-10" in error.problem
    tables["claims"]["verdict_at_publication"] = ["unverifiable"]
    assert consistency.publication_verdict_uses_early_evidence(tables) == []


def test_text_shown_at_publication_may_not_name_a_later_source_or_date():
    tables = {"article": frame(date_published=dates("2024-01-10")),
              "claims": frame(claim_id=["C48"], verdict=["opinion"], conclusion=["c"],
                              explanation=["Attacks continued: more than 60 by 4 February 2024 (c056)."]),
              "sources": frame(source_id=["c056"], date_published=dates("2024-08-06"))}
    problems = [e.problem for e in consistency.publication_text_is_of_its_time(tables)]
    assert len(problems) == 2 and any("2024-02-04" in p for p in problems) and any("'c056'" in p for p in problems)


def test_no_verdict_at_publication_in_the_committed_data_uses_evidence_dated_after_the_article():
    tables = {n: data.load_table(n) for n in ("article", "claims", "claim_sources", "sources")}
    assert [str(e) for e in consistency.publication_verdict_uses_early_evidence(tables)] == []
    assert [str(e) for e in consistency.publication_text_is_of_its_time(tables)] == []
    published = tables["article"].iloc[0]["date_published"]
    view = data.as_of_view(tables, published)
    known = dict(zip(view["sources"]["source_id"], data.source_known_dates(view["sources"])))
    rated = claims.verdicts_as_of(view["claims"], view["claim_sources"], published)
    checkable = rated[rated["verdict"].isin(claims.CHECKABLE)]["claim_id"]
    used = view["claim_sources"][view["claim_sources"]["claim_id"].isin(checkable)]
    assert all(known[s] <= published for s in used["source_id"])
