"""The built report in report/: drawn offline in Chromium, complete, fresh, and printable."""
import json
import re
import subprocess

import pytest
import yaml

from factcheck import build, config, data
from factcheck.claims import RATING_VALUES
from tests.conftest import open_offline

HTML = config.REPORT / "report.html"
PDF = config.REPORT / "report.pdf"


@pytest.fixture(scope="module")
def html():
    return HTML.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def opened(browser):
    page, requests, console_errors, dialogs = open_offline(browser, HTML)
    yield page, requests, console_errors
    page.close()


def test_every_chart_is_drawn_offline_with_no_request_and_no_console_error(opened, html):
    page, requests, console_errors = opened
    specs = html.count('class="vega-spec"')
    assert specs >= 8
    assert page.evaluate("document.body.dataset.chartsDone") == "ok"
    assert page.locator(".vega-chart svg.marks").count() == specs
    assert requests == [] and console_errors == []


def test_the_page_is_self_contained(html):
    assert not re.search(r'<(script|img)[^>]+(src|href)="(https?:)?//', html)
    assert not re.search(r'<link(?![^>]*rel="canonical")[^>]+href="(https?:)?//', html)
    assert "require.js" not in html and "mathjax" not in html.lower()
    assert html.count('id="vega-bundle"') == 1


def test_no_code_reaches_the_reader(html):
    assert 'class="jp-CodeMirrorEditor' not in html and "jp-InputPrompt" not in html


def test_every_claim_has_a_card_and_a_highlight_linked_both_ways(opened):
    page = opened[0]
    for claim_id in data.load_table("claims")["claim_id"]:
        assert page.locator(f"#card-{claim_id}").count() == 1
        assert page.locator(f'#hl-{claim_id}[href="#card-{claim_id}"]').count() == 1
        assert page.locator(f'#card-{claim_id} .back a[href="#hl-{claim_id}"]').count() == 1


def test_front_page_states_headline_article_dates_and_how_to_report_an_error(opened):
    page = opened[0]
    assert page.locator("h1").count() == 1
    assert "Will Iraq finally expel all remaining U.S. troops?" in page.locator(".masthead .kicker").text_content()
    trust = page.locator("aside.trust").inner_text()
    corrections = data.load_table("corrections")
    assert "Iraq Claims Check" in trust and "not part of or affiliated with Deutsche Welle" in trust
    assert page.locator('aside.trust time[data-kind="updated"]').get_attribute("datetime") == \
        corrections["date"].max().date().isoformat()
    assert page.locator('aside.trust a[href$="/issues/new"]').count() == 1
    assert "commit" in page.locator(".provenance").inner_text()


def test_claimreview_json_ld_is_valid_and_complete(html):
    embedded = re.search(r'<script id="claimreview" type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    reviews = json.loads(embedded)
    assert reviews == json.loads((config.REPORT / "claimreview.jsonld").read_text(encoding="utf-8"))
    assert len(reviews) == len(data.load_table("claims"))
    for review in reviews:
        assert review["@type"] == "ClaimReview" and review["claimReviewed"] and review["datePublished"]
        assert review["url"].startswith("https://") and "report.html#card-C" in review["url"] and review["author"]["name"]
        rating = review["reviewRating"]
        assert rating["alternateName"] and rating["ratingValue"] in RATING_VALUES.values()
        assert (rating["bestRating"], rating["worstRating"]) == (5, 1)
        item = review["itemReviewed"]
        assert item["@type"] == "Claim" and item["author"] and item["datePublished"] == "2024-01-10"
        assert item["appearance"]["url"].startswith("https://") and review["author"]["url"].startswith("https://")
        assert item["appearance"]["headline"]


def test_pdf_has_numbered_pages_every_section_and_no_error_text():
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", PDF], capture_output=True, text=True).stdout)[1])
    text = subprocess.run(["pdftotext", "-layout", PDF, "-"], capture_output=True, text=True).stdout
    assert 20 <= pages <= 40
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    headings = [m.group(1) for path in sorted(config.NOTEBOOKS.glob("*.ipynb"))
                for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "markdown"
                for m in [re.match(r"## (.+)", "".join(c["source"]))] if m][:8]
    flat = re.sub(r"\s+", " ", text)
    for heading in headings + ["The short answer", "Contents", "Build provenance", "Evidence, claim by claim"]:
        assert heading in flat, heading
    for bad in ("Traceback", "Error:", "NaN", "undefined"):
        assert bad not in text, bad


def test_pdf_links_to_sources_are_clickable():
    raw = PDF.read_bytes()
    assert raw.count(b"/URI") > 100


def test_committed_report_is_fresh():
    assert build.stale_inputs(config.REPORT) == []


def test_staleness_is_detected(tmp_path):
    import shutil
    report = tmp_path / "report"
    shutil.copytree(config.REPORT, report)
    manifest = json.loads((report / "manifest.json").read_text())
    manifest["inputs"]["data/claims.csv"] = "0" * 64
    (report / "manifest.json").write_text(json.dumps(manifest))
    (report / "report.html").write_text("edited by hand")
    problems = build.stale_inputs(report)
    assert "data/claims.csv changed since the report was built" in problems
    assert any("report/report.html does not match" in p for p in problems)


def test_environment_yml_and_requirements_agree():
    environment = yaml.safe_load((config.ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    pinned = dict(line.strip().lower().split("==") for line in config.LOCK_FILE.read_text().splitlines()
                  if line.strip() and not line.startswith("#"))
    for requirement in pip:
        name, version = requirement.lower().split("==")
        assert pinned.get(name) == version, requirement
    assert {r.split("==")[0].lower() for r in pip} == {d.lower() for d in build.DIRECT_DEPENDENCIES} | {"pytest"}
    assert all("==" in line for line in config.LOCK_FILE.read_text().splitlines() if line.strip())


def test_the_environment_has_exactly_the_pinned_versions():
    from importlib import metadata

    for line in config.LOCK_FILE.read_text().splitlines():
        name, version = line.strip().split("==")
        assert metadata.version(name) == version, name


@pytest.fixture(scope="module")
def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


@pytest.fixture(scope="module")
def hindsight():
    from factcheck.params import defaults

    names = ["article", "claims", "claim_sources", "sources", "attacks", "series", "troop_levels", "expulsion_calls", "events"]
    as_of = defaults()["as_of"]
    return data.as_of_view({name: data.load_table(name) for name in names}, as_of), as_of


def number(value):
    return int(value.replace(",", ""))


def test_prose_numbers_match_the_data(text, hindsight):
    from factcheck import claims, context

    tables, as_of = hindsight
    register = claims.verdicts_as_of(tables["claims"], tables["claim_sources"], as_of)
    counts = claims.verdict_counts(register).set_index("verdict")["claims"]
    found = re.search(r"The register holds (\d+) claims\. (\d+) are supported, (\d+) partly supported and (\d+) inaccurate; "
                      r"(\d+) could not be verified either way, (\d+) are opinions and (\d+) are forecasts", text)
    assert list(map(int, found.groups())) == [len(register), *counts[["supported", "partly_supported", "inaccurate",
                                                                        "unverifiable", "opinion", "forecast"]]]

    published = tables["article"].iloc[0]["date_published"]
    last = context.count_at(tables["attacks"], "pentagon_cumulative", published)
    found = re.search(r"was (\d+) attacks, (\d+) of them in Iraq and (\d+) in Syria", text)
    assert list(map(int, found.groups())) == [last["total"], last["iraq"], last["syria"]]

    per_year = context.calls_per_year(tables["expulsion_calls"], 2011, int(as_of[:4]))
    found = re.search(r"Years with no sourced call found: ([\d, ]+)\.", text)
    assert [int(y) for y in found.group(1).split(",")] == per_year.loc[per_year["calls"] == 0, "year"].tolist()

    peak = context.series_peaks(context.us_troops_in_iraq(tables["troop_levels"], tables["series"])).iloc[0]
    label = tables["series"].set_index("series_id").loc[peak["series_id"], "label"]
    found = re.search(r"The highest figure for U.S. troops inside Iraq is ([\d,]+) \((.+?), (\d+ \w+ \d{4})\)", text)
    assert (number(found.group(1)), found.group(2), found.group(3)) == (peak["troops"], label,
                                                                         f'{peak["date"].day} {peak["date"]:%B %Y}')

    found = re.search(r"We cite (\d+) sources", text)
    assert int(found.group(1)) == len(tables["sources"])
    found = re.search(r"(\d+) events from (\d+ \w+ \d{4}) to (\d+ \w+ \d{4}); the red line", text)
    events = tables["events"]["date"]
    day = lambda d: f"{d.day} {d:%B %Y}"  # noqa: E731
    assert found.groups() == (str(len(events)), day(events.min()), day(events.max()))
