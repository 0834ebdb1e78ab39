"""The built report in report/: drawn offline in Chromium, complete, fresh, and printable."""
import json
import re
import subprocess
import sys

import pytest
import yaml

from factcheck import config, data
from factcheck.claims import RATING_VALUES
from tests.helpers import crate_problems, open_offline, pdf_bookmarks, pdf_ink_extents, unshown_charts



@pytest.fixture(scope="module")
def report(standard_report):
    return standard_report / "report"


@pytest.fixture(scope="module")
def html(report):
    return (report / "report.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def opened(browser, report):
    page, requests, console_errors, dialogs = open_offline(browser, report / "report.html")
    yield page, requests, console_errors
    page.close()


def test_every_chart_is_shown_offline_with_no_request_and_no_console_error(opened, html):
    page, requests, console_errors = opened
    assert html.count('<figure class="chart"') >= 8
    assert unshown_charts(page) == []
    assert requests == [] and console_errors == []


def test_the_page_is_self_contained(html):
    assert not re.search(r'<(script|img)[^>]+(src|href)="(https?:)?//', html)
    assert not re.search(r'<link(?![^>]*rel="canonical")[^>]+href="(https?:)?//', html)
    assert "require.js" not in html and "mathjax" not in html.lower()
    assert "vega" not in html.lower()


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
    # no site or repository address is set by default: no invented link, a plain way to report an error instead
    assert page.locator('aside.trust a[href$="/issues/new"]').count() == 0
    assert "Tell us, naming the claim" in trust
    assert "fingerprint" in page.locator(".provenance").inner_text()


def test_claimreview_json_ld_is_valid_and_complete(html, report):
    embedded = re.search(r'<script(?=[^>]*\bid="claimreview")(?=[^>]*\btype="application/ld\+json")[^>]*>(.*?)</script>',
                         html, re.S).group(1)
    reviews = json.loads(embedded)
    assert reviews == json.loads((report / "claimreview.jsonld").read_text(encoding="utf-8"))
    assert len(reviews) == len(data.load_table("claims"))
    for review in reviews:
        assert review["@type"] == "ClaimReview" and review["claimReviewed"] and review["datePublished"]
        assert "url" not in review and "url" not in review["author"] and review["author"]["name"]  # no address set
        rating = review["reviewRating"]
        assert rating["alternateName"]
        if "ratingValue" in rating:  # each number lies within the scale it declares
            assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
            assert rating["ratingValue"] in RATING_VALUES.values() and (rating["bestRating"], rating["worstRating"]) == (5, 1)
        else:
            assert not {"bestRating", "worstRating"} & set(rating) and rating["alternateName"] in {"Unverifiable", "Opinion", "Forecast"}
        item = review["itemReviewed"]
        assert item["@type"] == "Claim" and item["author"] and item["datePublished"] == "2024-01-10"
        assert item["appearance"]["url"].startswith("https://")
        assert item["appearance"]["headline"]


def test_pdf_has_numbered_pages_every_section_and_no_error_text(report):
    pdf = report / "report.pdf"
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout)[1])
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True).stdout
    assert 20 <= pages <= 60
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    headings = [m.group(1) for path in sorted(config.NOTEBOOKS.glob("*.ipynb"))
                for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "markdown"
                for m in [re.match(r"## (.+)", "".join(c["source"]))] if m][:8]
    flat = re.sub(r"\s+", " ", text)
    for heading in headings + ["The short answer", "Contents", "How to check this report", "Kind of claim:"]:
        assert heading in flat, heading
    for bad in ("Traceback", "Error:", "NaN", "undefined"):
        assert bad not in text, bad


def test_pdf_links_to_sources_are_clickable(report):
    import pikepdf

    with pikepdf.open(report / "report.pdf") as pdf:
        uris = [annot.A.URI for page in pdf.pages for annot in page.get("/Annots", [])
                if "/A" in annot and "/URI" in annot.A]
    assert len(uris) > 100 and all(str(u).startswith(("http://", "https://", "#")) for u in uris)


def test_environment_yml_installs_exactly_the_hashed_lock_file():
    environment = yaml.safe_load((config.ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    assert pip == ["--require-hashes", "-r requirements.txt"]


@pytest.mark.parametrize("name, inputs, extras, least", [
    ("requirements", "requirements.in", [], 100), ("requirements-test", "requirements.in", ["test"], 120),
    ("requirements-lab", "requirements-lab.in", None, 50)])
def test_each_lock_file_pins_and_hashes_everything_its_inputs_name(name, inputs, extras, least):
    """requirements.in and requirements-lab.in pin tools; pyproject.toml declares the package's dependencies."""
    import tomllib

    requirements = re.split(r"\n(?=[A-Za-z])", (config.ROOT / f"{name}.txt").read_text())
    pins = [r for r in requirements if "==" in r.split("\n")[0]]
    assert len(pins) > least and all("--hash=sha256:" in r for r in pins)
    locked = {r.split(" ")[0].split("\n")[0].lower() for r in pins}
    direct = [l.lower() for l in (config.ROOT / inputs).read_text().splitlines() if l and not l.startswith("#")]
    assert direct and set(direct) <= locked, set(direct) - locked
    if extras is not None:
        project = tomllib.loads((config.ROOT / "pyproject.toml").read_text())["project"]
        declared = project["dependencies"] + [d for extra in extras for d in project["optional-dependencies"][extra]]
        names = {re.match(r"[A-Za-z0-9_.-]+", d).group().lower() for d in declared}
        assert names <= {pin.split("==")[0] for pin in locked}, names - {pin.split("==")[0] for pin in locked}


def test_the_build_environment_leaves_out_the_lab_and_its_slow_jsonschema_extra():
    """rfc3987-syntax (JupyterLab's jsonschema extra) compiles a grammar on every import of jsonschema: ~1 s per kernel."""
    build = config.LOCK_FILE.read_text().lower()
    assert "\njupyterlab==" not in build and "\nrfc3987-syntax==" not in build
    loaded = subprocess.run([sys.executable, "-c", "import sys, nbformat, altair; print(sorted(sys.modules))"],
                            capture_output=True, text=True, check=True).stdout
    assert "nbformat" in loaded and "rfc3987_syntax" not in loaded


def test_the_environment_has_exactly_the_pinned_versions():
    """What `make test` installs: the test lock (the build's lock and the test tools), each pin whose platform marker
    applies here."""
    from importlib import metadata

    from packaging.markers import Marker

    def norm(name):
        return re.sub(r"[-_.]+", "-", name).lower()

    pin = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)(?: ; ([^\\\n]+))?", flags=re.M)
    locked = set(pin.findall((config.ROOT / "requirements-test.txt").read_text()))
    assert set(pin.findall(config.LOCK_FILE.read_text())) <= locked  # the same pins as the build's lock, and more
    pins = [(name, version) for name, version, marker in locked if not marker or Marker(marker.strip()).evaluate()]
    for name, version in pins:
        assert metadata.version(name) == version, name
    installed = {norm(d.metadata["Name"]) for d in metadata.distributions()}
    assert installed - {norm(name) for name, _ in pins} <= {"pip", "factcheck"}


@pytest.fixture(scope="module")
def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def number(value):
    return int(value.replace(",", ""))


def csv_table(name):
    """A data table read with plain pandas, independently of the package's reader."""
    import pandas as pd

    return pd.read_csv(config.DATA / f"{name}.csv", dtype=str, keep_default_na=False)


def test_prose_numbers_match_the_data_computed_independently(text):
    import pandas as pd

    as_of = yaml.safe_load(config.PARAMS_FILE.read_text())["as_of"]["default"]
    sources = csv_table("sources")
    known = sources["date_known"].where(sources["date_known"] != "", sources["date_published"])
    known = known.where(known != "", sources["date_accessed"])
    known_ids = set(sources.loc[known <= as_of, "source_id"])

    claims, evidence = csv_table("claims"), csv_table("claim_sources")
    earlier = (claims["verdict_at_publication"] != "") & (as_of < claims["changed_on"])
    verdict = claims["verdict"].where(~earlier, claims["verdict_at_publication"])
    evidenced = set(evidence.loc[evidence["source_id"].isin(known_ids), "claim_id"])
    checkable = verdict.isin(["supported", "partly_supported", "inaccurate"])
    verdict = verdict.where(~checkable | claims["claim_id"].isin(evidenced), "unverifiable")
    found = re.search(r"We checked (\d+) claims\. (\d+) are supported, (\d+) partly supported and (\d+) inaccurate; "
                      r"(\d+) could not be verified either way, (\d+) are opinions and (\d+) are forecasts", text)
    order = ["supported", "partly_supported", "inaccurate", "unverifiable", "opinion", "forecast"]
    assert list(map(int, found.groups())) == [len(claims), *[int((verdict == v).sum()) for v in order]]

    published = csv_table("article").loc[0, "date_published"]
    attacks = csv_table("attacks")
    pentagon = attacks[(attacks["series_id"] == "pentagon_cumulative") & (attacks["date"] <= published)]
    last = pentagon.sort_values("date").iloc[-1]
    found = re.search(r"was (\d+) attacks, (\d+) of them in Iraq and (\d+) in Syria", text)
    assert found.groups() == (last["total"], last["iraq"], last["syria"])

    calls = csv_table("expulsion_calls")
    years = {int(d[:4]) for d in calls["date"] if d <= as_of}
    found = re.search(r"Years with no sourced call found: ([\d, ]+)\.", text)
    assert [int(y) for y in found.group(1).split(",")] == [y for y in range(2011, int(as_of[:4]) + 1) if y not in years]

    levels, series = csv_table("troop_levels"), csv_table("series")
    counts = levels[levels["series_id"].isin(series.loc[series["measure"] == "in_country_count", "series_id"])
                    & (levels["flag"] == "") & (levels["date"] <= as_of)]
    peak = counts.loc[counts["troops"].astype(int).idxmax()]
    found = re.search(r"The highest Pentagon count of U\.S\. troops inside Iraq is ([\d,]+) \((\d+ \w+ \d{4})\)", text)
    date = pd.Timestamp(peak["date"])
    assert (number(found.group(1)), found.group(2)) == (int(peak["troops"]), f"{date.day} {date:%B %Y}")




def test_counts_the_data_could_restate_are_computed_from_the_rows_they_count(html, text):
    """The search log's calls per year, the statements lower than an earlier count and the corrections log by kind,
    each recounted here from the raw files: a typed copy of any of them would go stale when a row is dropped."""
    as_of = yaml.safe_load(config.PARAMS_FILE.read_text())["as_of"]["default"]
    calls = csv_table("expulsion_calls")
    years = [int(d[:4]) for d in calls["date"] if d <= as_of]
    for year in csv_table("expulsion_search_log")["year"].astype(int):
        if year <= int(as_of[:4]):
            found = years.count(year)
            assert re.search(f'<th scope="row">{year}</th><td[^>]*>{found} call{"s" if found != 1 else ""}</td>', html), year

    attacks = csv_table("attacks")
    attacks = attacks[(attacks["date"] <= as_of) & (attacks["total"] != "")]
    lower = 0
    for _, statement in attacks.iterrows():
        earlier = attacks[(attacks["series_id"] == statement["series_id"]) & (attacks["date"] < statement["date"])]
        lower += bool(len(earlier)) and int(statement["total"]) < earlier["total"].astype(int).max()
    said = rf"\b{lower} statements? reports? a lower total" if lower else r"No statement gives a lower total"
    assert re.search(said + " than one stated earlier", text)
    assert text.count("lower than an earlier count") == lower

    kinds = csv_table("corrections")["kind"].value_counts()
    said = [f"{kinds[k]} {k}{'s' if kinds[k] != 1 else ''}" for k in ("correction", "update", "clarification") if k in kinds]
    assert "(" + (", ".join(said[:-1]) + " and " + said[-1] if len(said) > 1 else said[0]) + " since publication;" in text


def test_since_publication_shows_only_the_dates_pages_give_never_the_day_we_read_them(text):
    import pandas as pd

    sources = csv_table("sources").set_index("source_id")
    own = sources["date_known"].where(sources["date_known"] != "", sources["date_published"])
    dated = {pd.Timestamp(own[s]) for s in csv_table("claim_updates")["source_id"] if own[s]}
    shown = {pd.Timestamp(d) for d in re.findall(r"Since publication, (\d{1,2} \w+ \d{4})", text)}
    assert shown and shown <= dated, shown - dated


def test_the_ro_crate_records_every_notebook_run_and_validates(report, tmp_path):
    crate = json.loads((report / "ro-crate-metadata.json").read_text(encoding="utf-8"))
    graph = {entity["@id"]: entity for entity in crate["@graph"]}
    runs = sorted(graph[a["instrument"]["@id"]]["name"] for a in graph.values() if a["@type"] == "CreateAction")
    assert runs == sorted(f"notebooks/{p.name}" for p in config.NOTEBOOKS.glob("*.ipynb"))
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    assert "ro-crate-metadata.json" in manifest["outputs"]
    assert crate_problems(report, tmp_path) == []


def test_pdf_pages_are_at_least_60_percent_full_and_no_heading_is_left_at_a_page_foot(report):
    pdf = report / "report.pdf"
    extents, marks = pdf_ink_extents(pdf), pdf_bookmarks(pdf)
    top, bottom = min(t for t, _ in extents), max(b for _, b in extents)
    sections_start = {page for depth, _, page, at in marks if depth <= 1 and at < 0.15}
    underfull = [f"page {i + 1} is {(b - top) / (bottom - top):.0%} full" for i, (_, b) in enumerate(extents[:-1])
                 if (b - top) / (bottom - top) < 0.6 and i + 1 not in sections_start]
    assert underfull == []
    stranded = [f"{title!r} at {at:.0%} of page {page + 1}" for _, title, page, at in marks if at > bottom - 0.08]
    assert stranded == []
