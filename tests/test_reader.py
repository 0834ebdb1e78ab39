"""The reader's edition in Chromium: first screen, narrow screens, axe-core, chart names, evidence links, print."""
import json
import re
import shutil
import subprocess
from collections import Counter
from html import unescape
from pathlib import Path
from urllib.parse import unquote

import pytest

from factcheck import config
from tests import independent
from tests.helpers import open_in_context, pdf_bookmarks, pdf_figure_descriptions, pdf_font_sizes
VIEWS = {"desktop": dict(viewport={"width": 1280, "height": 800}),
         "phone": dict(viewport={"width": 390, "height": 844}),
         "dark": dict(viewport={"width": 1280, "height": 800}, color_scheme="dark")}


@pytest.fixture(scope="module")
def report(standard_report):
    return standard_report / "report"


@pytest.fixture(scope="module", params=list(VIEWS))
def view(request, browser, report):
    ctx, page, _ = open_in_context(browser, report / "report.html", **VIEWS[request.param])
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
    ctx, page, _ = open_in_context(browser, report / "report.html", viewport={"width": 390, "height": 844})
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


def test_the_verdict_filter_shows_only_with_javascript_and_keeps_the_rows_of_the_chosen_verdict(browser, report):
    for scripted in (False, True):
        ctx, page, _ = open_in_context(browser, report / "report.html", java_script_enabled=scripted,
                                       viewport={"width": 1280, "height": 800})
        try:
            box = page.locator(".glance .filter")
            assert box.is_visible() == scripted  # without the script the buttons would do nothing
            if scripted:
                rows = page.locator(".glance tbody tr")
                verdict = rows.first.get_attribute("data-verdict")
                box.locator(f"input[value={verdict}]").check()
                shown = [rows.nth(i).get_attribute("data-verdict") for i in range(rows.count()) if rows.nth(i).is_visible()]
                assert shown and set(shown) == {verdict}
                assert page.locator(".filter-status").text_content() == f"Showing {len(shown)} of {rows.count()} claims."
        finally:
            ctx.close()


def test_contents_are_reachable_from_the_first_screen_on_a_phone_and_within_ten_tab_stops(browser, report):
    ctx, page, _ = open_in_context(browser, report / "report.html", viewport={"width": 390, "height": 844})
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
    ctx, page, _ = open_in_context(browser, report / "report.html", viewport={"width": 360, "height": 740})
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
    ctx, page, _ = open_in_context(browser, report / "report.html", viewport={"width": 1280, "height": 800})
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


def test_claim_highlights_are_named_for_claim_and_verdict(browser, report):
    ctx, page, _ = open_in_context(browser, report / "report.html", viewport={"width": 1280, "height": 800})
    try:
        markers = page.locator("a.marker")
        assert markers.count() == len(independent.csv("claims"))
        for marker in markers.all():
            assert re.fullmatch(r"claim \d+: (supported|partly supported|inaccurate|unverifiable|opinion|forecast)",
                                marker.get_attribute("aria-label"))
    finally:
        ctx.close()


def test_every_link_within_the_page_lands_on_an_element(browser, report):
    ctx, page, _ = open_in_context(browser, report / "report.html", viewport={"width": 1280, "height": 800})
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
    ctx, page, _ = open_in_context(browser, report / "report.html", viewport={"width": 1280, "height": 800})
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


def data_ids():
    """The patterns of the data's internal ids, derived from its id columns as validation derives them."""
    from factcheck import consistency, data
    from factcheck.tables import DataPackage

    tables = {name: data.load_table(name) for name in DataPackage(config.DATAPACKAGE).names}
    return consistency.id_patterns(tables)


def ids_in(text):
    return sorted({match for pattern in data_ids().values() for match in pattern.findall(text)})


def test_no_internal_ids_or_column_names_reach_the_reader(browser, report):
    ctx, page, _ = open_in_context(browser, report / "report.html", viewport={"width": 1280, "height": 800})
    try:
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")  # the evidence, opened
        text = page.locator("main").inner_text()
        body = text.rsplit("How to check this report", 1)[0]  # the section itself, not its entry in the contents
        assert ids_in(body) == []
        for column in ("pentagon_cumulative", "in_country_count", "series_id", "major_outlet", "state_affiliated", "partly_supported"):
            assert column not in body, column
    finally:
        ctx.close()


def test_no_internal_id_reaches_the_printed_edition(report):
    assert ids_in(" ".join(_pdf_pages(report))) == []


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
        assert f"Claim {number}: " in text
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



# --- names that match what is seen -----------------------------------------------------------------

# What each element that can be a control shows: its text without what is hidden from sight (visually hidden or
# aria-hidden), for all of them in one call, each element stamped with its index in the list.
SHOWN_TEXTS = """[...document.querySelectorAll('a, button, summary, [role]')].map((element, index) => {
  element.dataset.shownIndex = index;
  const shown = element.cloneNode(true);
  shown.querySelectorAll('.visually-hidden, [aria-hidden=true]').forEach(e => e.remove());
  return shown.textContent;
})"""


def _words(text):
    return re.sub(r"\s+", " ", text).strip().lower()


def _shown_index_by_backend_node(cdp):
    """{backend node id: data-shown-index} over the whole DOM, from one DOM.getDocument call."""
    found, stack = {}, [cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]]
    while stack:
        node = stack.pop()
        attributes = dict(zip(node.get("attributes", [])[::2], node.get("attributes", [])[1::2]))
        if "data-shown-index" in attributes:
            found[node["backendNodeId"]] = int(attributes["data-shown-index"])
        stack.extend(node.get("children", []) + node.get("shadowRoots", []))
    return found


def test_every_link_and_button_is_named_with_what_it_shows(browser, report):
    """WCAG 2.5.3, label in name: the name Chromium gives each link, button and summary holds its visible text, and a
    citation's name says where it goes ("source [2]: Reuters, 5 January 2024"), not just "source"."""
    ctx, page, _ = open_in_context(browser, report / "report.html", viewport={"width": 1280, "height": 800})
    try:
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # controls inside count too
        shown_texts = page.evaluate(SHOWN_TEXTS)
        cdp = ctx.new_cdp_session(page)
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
        controls = [n for n in nodes if not n.get("ignored") and n.get("backendDOMNodeId")
                    and n.get("role", {}).get("value") in ("link", "button", "DisclosureTriangle")]
        assert len(controls) > 1000
        shown_index = _shown_index_by_backend_node(cdp)
        mismatched, vague = [], []
        for node in controls:
            name = _words(node.get("name", {}).get("value", ""))
            index = shown_index.get(node["backendDOMNodeId"])
            shown = _words(shown_texts[index]) if index is not None else ""
            if not shown or shown not in name:
                mismatched.append((shown, name))
            if re.fullmatch(r"\[(\d+|source)\]", shown) and not re.fullmatch(r"(source )?\[(\d+|source)\] ?: \S.*", name):
                vague.append(name)
        assert mismatched == [], mismatched[:10]
        assert vague == [], vague[:10]
    finally:
        ctx.close()


def test_card_headings_carry_the_claims_short_title_and_verdict(browser, report):
    from factcheck import data

    ctx, page, _ = open_in_context(browser, report / "report.html", viewport={"width": 1280, "height": 800})
    try:
        headings = {page.locator(f"#card-{claim_id}-h").text_content(): claim_id
                    for claim_id in data.load_table("claims")["claim_id"]}
        summaries = data.load_table("claim_summaries").set_index("claim_id")["summary"]
        assert len(headings) == len(summaries)  # 61 different headings, none repeated
        for heading, claim_id in headings.items():
            assert re.match(r"claim \d+: ", _words(heading)) and _words(summaries[claim_id]) in _words(heading) \
                and ", verdict: " in heading, heading
    finally:
        ctx.close()


# --- plain words -----------------------------------------------------------------------------------

def forbidden_words():
    """Build vocabulary a reader must never meet: the words the issue lists, and every table, column and file name of
    the data package that is not an ordinary word (it has an underscore or a dot)."""
    package = json.loads(config.DATAPACKAGE.read_text(encoding="utf-8"))
    names = set()
    for resource in package["resources"]:
        names |= {resource["name"], Path(resource["path"]).name, *(f["name"] for f in resource["schema"]["fields"])}
    names = sorted(n for n in names if "_" in n or "." in n)
    words = ["corpus", "seed", "as_of", "as-of date", "hindsight view", "view at publication", "register", "parameter",
             "parameters", "manifest", "manifest.json", "datapackage.json", "pure function", "input digest", "sha-256 hash"]
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, words + names)) + r")(?![\w-])", re.I)


def _offending(text):
    return sorted({f"{m.group(0)!r} in …{text[max(0, m.start() - 50):m.end() + 30]}…".replace("\n", " ")
                   for m in forbidden_words().finditer(text)})


def test_no_build_vocabulary_reaches_a_reader_of_the_page(browser, report):
    ctx, page, _ = open_in_context(browser, report / "report.html", viewport={"width": 1280, "height": 800})
    try:
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # everything a reader can open
        assert _offending(page.locator("main").inner_text()) == []
    finally:
        ctx.close()


def test_no_build_vocabulary_reaches_a_reader_of_the_pdf(report):
    assert _offending("\n".join(_pdf_pages(report))) == []


def test_the_vocabulary_check_catches_table_names_and_listed_words():
    assert _offending("It reads claim_sources and the corpus.") and _offending("Parameter as_of") \
        and _offending("see manifest.json") and not _offending("the claims and their sources")


# --- tables on a phone -----------------------------------------------------------------------------

def test_no_table_text_is_cut_off_at_360_px(browser, report):
    """Every table, opened, either fits its box at 360 px or scrolls as a named, focusable region that says it
    scrolls; and no text inside a box sticks out past it unreachably."""
    ctx, page, _ = open_in_context(browser, report / "report.html", viewport={"width": 360, "height": 740})
    try:
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        page.evaluate("window.dispatchEvent(new Event('resize'))")
        boxes = page.evaluate("""[...document.querySelectorAll('.table-wrap')].map(w => ({
            label: w.getAttribute('aria-label'), role: w.getAttribute('role'), focusable: w.tabIndex === 0,
            scrolls: w.scrollWidth > w.clientWidth + 1, overflow: getComputedStyle(w).overflowX,
            cue: getComputedStyle(w, '::after').content,
            cut: [...w.querySelectorAll('th, td, caption')].filter(c => c.scrollWidth > c.clientWidth + 1
                 && getComputedStyle(c).overflowX !== 'visible').length}))""")
        assert len(boxes) >= 15
        for box in boxes:
            assert box["role"] == "region" and box["label"], box
            assert box["cut"] == 0, box
            if box["scrolls"]:
                assert box["overflow"] == "auto" and box["focusable"] and "Scroll sideways" in box["cue"], box
        assert not [b for b in boxes if b["scrolls"]], [b["label"] for b in boxes if b["scrolls"]]  # phone rows stack
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        ctx.close()


# --- paper -----------------------------------------------------------------------------------------

def test_pdf_body_text_is_10_pt_and_nothing_is_printed_smaller_than_8_pt(report):
    sizes = pdf_font_sizes(report / "report.pdf")
    small = Counter((round(size, 1), page) for size, page in sizes if size < 7.95)  # 8 pt, less rounding
    assert not small, sorted(small)[:10]
    front = Counter(round(size) for size, page in sizes if page == 1)
    assert front.most_common(1)[0][0] >= 10, front


def test_pdf_bookmarks_keep_their_spaces_and_every_figure_is_described(report, browser):
    html = (report / "report.html").read_text(encoding="utf-8")
    headings = {_words(unescape(re.sub(r"<[^>]+>", "", h)).replace("¶", ""))
                for h in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", html, re.S)}
    titles = [title for _, title, _, _ in pdf_bookmarks(report / "report.pdf")]
    assert len(titles) > 60
    assert [t for t in titles if _words(t) not in headings] == []
    assert "Claim 17: " in " ".join(titles)
    descriptions = pdf_figure_descriptions(report / "report.pdf")
    assert len(descriptions) >= html.count('<figure class="chart"') > 0 and all(descriptions), descriptions


def test_the_printed_edition_never_points_to_an_online_edition_without_its_address(report):
    text = re.sub(r"\s+", " ", " ".join(_pdf_pages(report)))
    assert "online edition" not in text
    assert "web edition" in text  # the long tables say where they are
    assert "its web edition is the page report.html" in text or re.search(r"web edition is at https?://", text)


# --- no invented address ---------------------------------------------------------------------------

def test_no_address_is_invented_while_none_is_set(report):
    """params.yml sets no site or repository address by default: nothing in the report may link to one."""
    import yaml

    spec = yaml.safe_load(config.PARAMS_FILE.read_text(encoding="utf-8"))
    assert spec["site_url"]["default"] is None and spec["repo_url"]["default"] is None
    html = (report / "report.html").read_text(encoding="utf-8")
    assert 'rel="canonical"' not in html and 'property="og:url"' not in html and "/issues/new" not in html
    reviews = json.loads((report / "claimreview.jsonld").read_text(encoding="utf-8"))
    assert all("url" not in r and "url" not in r["author"] for r in reviews)
    crate = (report / "ro-crate-metadata.json").read_text(encoding="utf-8")
    for text in (html, json.dumps(reviews), crate):
        assert not re.search(r"iraq-claims-check|example\.(org|com)", text)  # the old placeholder organisation


# --- valid HTML ------------------------------------------------------------------------------------

def test_the_nu_html_checker_finds_no_error(report):
    if not shutil.which("java"):
        pytest.skip("the Nu HTML Checker needs Java, which is not installed (apt-get install default-jre-headless)")
    if not shutil.which("npx"):
        pytest.skip("the Nu HTML Checker comes from npm (vnu-jar), and npx is not installed")
    result = subprocess.run(["npx", "--yes", "vnu-jar", "--errors-only", "--format", "json", str(report / "report.html")],
                            capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert [m for m in messages if m["type"] in ("error", "non-document-error")] == [], messages[:5]
