"""The reader's edition in Chromium: first screen, narrow screens, axe-core, chart names, evidence links, print."""
import re
import subprocess
from html import unescape
from urllib.parse import unquote

import pytest

from factcheck import config
from tests.helpers import open_report, pdf_bookmarks
VIEWS = {"desktop": dict(viewport={"width": 1280, "height": 800}),
         "phone": dict(viewport={"width": 390, "height": 844}),
         "dark": dict(viewport={"width": 1280, "height": 800}, color_scheme="dark")}


@pytest.fixture(scope="module")
def report(standard_report):
    return standard_report / "report"


def _open(browser, report, **context):
    ctx = browser.new_context(**context)
    original = browser.new_page
    browser.new_page = ctx.new_page  # open_report opens its page from the browser; give it this context
    try:
        page, seen = open_report(browser, report / "report.html")
    finally:
        browser.new_page = original
    return ctx, page, seen


@pytest.fixture(scope="module", params=list(VIEWS))
def view(request, browser, report):
    ctx, page, _ = _open(browser, report, **VIEWS[request.param])
    yield request.param, page
    ctx.close()


def _in_first_screen(page, selector):
    box = page.locator(selector).first.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_first_screen_shows_the_headline_and_the_first_key_finding(view):
    name, page = view
    if name == "dark":
        pytest.skip("same layout as desktop")
    assert _in_first_screen(page, "h1.headline")
    assert _in_first_screen(page, "ul.findings > li")


READING_PATH_WORDS = 12_000  # about 50 minutes at a reader's pace: findings, answer, glance, article, cards, context


def test_the_reading_path_with_evidence_closed_is_a_length_a_person_can_finish(browser, report):
    ctx, page, _ = _open(browser, report, viewport={"width": 390, "height": 844})
    try:
        assert page.evaluate("document.querySelectorAll('details[open]').length") == 0
        words = page.evaluate("document.querySelector('main').innerText.split(/\\s+/).filter(Boolean).length")
        assert 5_000 < words <= READING_PATH_WORDS, words
        # what left the reading path is one deliberate step away: in a closed <details> with a summary that says so
        away = page.locator(".long-table, ol.sources-list")
        assert away.count() >= 8
        for element in away.all():
            summary = element.evaluate("e => e.closest('details') && e.closest('details').querySelector('summary').innerText")
            assert summary and summary.startswith("Show"), summary
    finally:
        ctx.close()


def test_contents_are_reachable_from_the_first_screen_on_a_phone_and_within_ten_tab_stops(browser, report):
    ctx, page, _ = _open(browser, report, viewport={"width": 390, "height": 844})
    try:
        assert _in_first_screen(page, 'a[href="#contents"]')
        for stop in range(1, 11):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.getAttribute('href')") == "#contents":
                break
        else:
            pytest.fail("no link to the contents within the first 10 Tab stops")
        page.keyboard.press("Enter")
        page.wait_for_function("location.hash === '#contents'")
        assert page.locator("nav.contents ol.toc li").count() >= 8
        assert abs(page.evaluate("document.getElementById('contents').getBoundingClientRect().top")) < 2  # scrolled to it
    finally:
        ctx.close()


def test_axe_finds_no_violation(view):
    from axe_playwright_python.sync_playwright import Axe

    name, page = view
    result = Axe().run(page)
    assert result.violations_count == 0, [(v["id"], v["nodes"][0]["target"]) for v in result.response["violations"]]


def test_dark_theme_follows_the_system(view):
    name, page = view
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(21, 23, 26)") == (name == "dark")


def test_no_horizontal_page_scroll_at_360_px(browser, report):
    ctx, page, _ = _open(browser, report, viewport={"width": 360, "height": 740})
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        # a table box that scrolls is reachable by keyboard and named; one that does not is no tab stop
        for wrap in page.locator(".table-wrap").all():
            scrolls = wrap.evaluate("e => e.scrollWidth > e.clientWidth + 1")
            assert (wrap.get_attribute("tabindex") == "0") == scrolls
            assert wrap.get_attribute("role") == "region" and wrap.get_attribute("aria-label")
    finally:
        ctx.close()


def test_no_purposeless_tab_stops_one_h1_and_headings_in_order(browser, report):
    ctx, page, _ = _open(browser, report, viewport={"width": 1280, "height": 800})
    try:
        stops = page.evaluate("Array.from(document.querySelectorAll('[tabindex]')).filter(e => e.tabIndex >= 0)"
                              ".map(e => e.className)")
        assert all("table-wrap" in c for c in stops), stops
        levels = page.evaluate("Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6')).filter(e => e.offsetParent)"
                               ".map(e => +e.tagName[1])")
        assert levels[0] == 1 and levels.count(1) == 1
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels
        assert page.locator("a.skip-link[href='#main']").count() == 1
    finally:
        ctx.close()


def test_every_chart_has_a_description_computed_from_data_and_a_data_table(browser, report):
    ctx, page, _ = _open(browser, report, viewport={"width": 1280, "height": 800})
    try:
        charts = page.locator(".vega-chart")
        assert charts.count() >= 8
        names = set()
        for chart in charts.all():
            label = chart.get_attribute("aria-label")
            assert chart.get_attribute("role") == "img"
            assert label and len(label) > 60 and re.search(r"\d", label), label
            names.add(label)
            link = chart.locator("xpath=..").locator("figcaption a").first.get_attribute("href")
            assert page.locator(link).count() == 1, link
        assert len(names) == charts.count()  # no generic, repeated name
    finally:
        ctx.close()


def test_claim_highlights_are_named_for_claim_and_verdict(browser, report):
    ctx, page, _ = _open(browser, report, viewport={"width": 1280, "height": 800})
    try:
        markers = page.locator("a.marker")
        assert markers.count() == 61
        for marker in markers.all():
            assert re.fullmatch(r"claim \d+: (supported|partly supported|inaccurate|unverifiable|opinion|forecast)",
                                marker.get_attribute("aria-label"))
    finally:
        ctx.close()


def test_every_link_within_the_page_lands_on_an_element(browser, report):
    ctx, page, _ = _open(browser, report, viewport={"width": 1280, "height": 800})
    try:
        internal = page.evaluate("""[...document.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute('href'))""")
        dead = page.evaluate("""[...document.querySelectorAll('a[href^="#"]')].filter(a => a.hash.length > 1
            && !document.getElementById(decodeURIComponent(a.hash.slice(1)))).map(a => a.getAttribute('href'))""")
        assert len(internal) > 500 and not dead, sorted(set(dead))
    finally:
        ctx.close()


def _normal(text):
    return re.sub(r"\s+", " ", text).strip().strip("\"'“”‘’«»()[]… ").lower()


def test_every_evidence_link_lands_on_its_excerpt(browser, report):
    ctx, page, _ = _open(browser, report, viewport={"width": 1280, "height": 800})
    try:
        links = page.evaluate("Array.from(document.querySelectorAll('a.ev-link')).map(a => [a.href, a.dataset.excerpt])")
        assert len(links) > 200
        for href, excerpt in links:
            if not excerpt:
                continue
            assert re.search(r"#(.*:~:)?:~:text=|#:~:text=", href), href
            directive = href.split(":~:text=", 1)[1]
            assert "-" not in directive and " " not in directive
            parts = [_normal(unquote(p)) for p in directive.split(",")]
            excerpt = _normal(excerpt)
            assert excerpt.startswith(parts[0]) or parts[0] in excerpt, (parts, excerpt)
            if len(parts) == 2:
                assert parts[1] in excerpt, (parts, excerpt)
    finally:
        ctx.close()


def test_no_internal_ids_or_column_names_reach_the_reader(browser, report):
    ctx, page, _ = _open(browser, report, viewport={"width": 1280, "height": 800})
    try:
        text = page.locator("main").inner_text()
        body = text.split("How to check this report")[0]
        assert not re.search(r"\bC\d{2}\b", body)
        assert not re.search(r"\b(a|at|c|ev|ex|ms|tr)\d{3}\b", body)
        for column in ("pentagon_cumulative", "in_country_count", "series_id", "major_outlet", "state_affiliated", "partly_supported"):
            assert column not in body, column
    finally:
        ctx.close()


def _pdf_pages(report):
    text = subprocess.run(["pdftotext", "-layout", report / "report.pdf", "-"], capture_output=True, text=True).stdout
    return text.split("\f")


def test_pdf_is_an_edition_of_at_most_60_pages_with_the_findings_up_front(report):
    pages = _pdf_pages(report)
    assert len([p for p in pages if p.strip()]) <= 60
    front = re.sub(r"\s+", " ", " ".join(pages[:2]))
    assert "The short answer" in front and "were in Iraq" in front


def test_pdf_keeps_every_claim_with_its_conclusion_and_no_screen_only_wording(report):
    from factcheck import data

    text = re.sub(r"\s+", " ", " ".join(_pdf_pages(report)))
    for number in range(1, len(data.load_table("claims")) + 1):
        assert f"Claim {number} " in text
    assert text.count("Our conclusion:") == len(data.load_table("claims"))
    article = re.sub(r"\s+", " ", config.ARTICLE_TEXT.read_text(encoding="utf-8"))
    outside_article = text.replace("Click to view", "") if "Click to view" in article else text
    for word in ("hover", "click"):
        assert word not in outside_article.lower(), word


def test_pdf_is_tagged_and_has_a_bookmark_for_every_section(report):
    info = subprocess.run(["pdfinfo", report / "report.pdf"], capture_output=True, text=True).stdout
    assert re.search(r"Tagged:\s+yes", info)
    titles = [title for _, title, _, _ in pdf_bookmarks(report / "report.pdf")]
    html = (report / "report.html").read_text(encoding="utf-8")
    sections = [unescape(re.sub(r"<[^>]+>", "", h)).replace("¶", "").strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)]
    missing = [s for s in sections if s and s not in titles]
    assert titles and not missing, missing
