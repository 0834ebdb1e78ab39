"""Charts drawn once, at build time: what leaves the kernel, and what the reader gets in Chromium and in the PDF.

The page's charts are pictures (SVG in data: URIs), one per width carrying its dark theme inside, so each drawing is
also opened on its own in Chromium and its text measured there: size as shown, overlaps, clipping, contrast against the
chart's paper in both themes."""
import base64
import io
import itertools
import re
import subprocess
from urllib.parse import unquote

import pandas as pd
import pytest
import yaml

from factcheck import charts, config
from factcheck.vocab import DARK_COLOURS, GRID_COLOUR, PAPER
from tests.helpers import open_in_context

SCREENS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}


# --- what leaves the kernel ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def verdict_chart():
    charts.use_report_style()
    counts = pd.DataFrame({"verdict": ["supported", "inaccurate", "opinion"], "claims": [5, 2, 0]})
    return charts.verdict_chart(counts)


def test_a_chart_leaves_the_kernel_with_its_spec_and_static_renderings(verdict_chart):
    data, metadata = verdict_chart._repr_mimebundle_()
    assert {config.VEGA_LITE_MIMETYPE, "image/svg+xml", "image/png", "text/plain", config.CHART_MIMETYPE} <= set(data)
    assert data["image/svg+xml"].startswith("<svg") and base64.b64decode(data["image/png"]).startswith(b"\x89PNG")
    assert metadata["image/png"]["width"] == charts.WIDE  # the PNG, drawn at twice the density, is shown at the SVG's size
    record = data[config.CHART_MIMETYPE]
    assert record["name"] == "Claims by verdict" and record["table"] == "glance"
    assert record["description"].startswith("Bar chart of the 7 claims by verdict: 5 supported and 2 inaccurate")
    for key, width in (("narrow", charts.NARROW), ("wide", charts.WIDE)):
        rendering = record["renderings"][key]
        assert set(rendering) == {"width", "height", "svg"} and rendering["width"] == width
        assert rendering["svg"].startswith("<svg") and "prefers-color-scheme:dark" in rendering["svg"]
    # the notebook shows the light drawing as it is; the report's picture is that drawing with its dark theme inside
    assert "<style>" not in data["image/svg+xml"]
    assert record["renderings"]["wide"]["svg"] == charts.with_dark_theme(data["image/svg+xml"])


def test_rendering_is_byte_identical_across_runs(verdict_chart):
    first, again = (verdict_chart._repr_mimebundle_()[0] for _ in range(2))
    assert first == again


def test_any_altair_chart_shown_in_a_notebook_carries_a_static_rendering():
    import altair as alt

    charts.use_report_style()
    bundle, _ = alt.renderers.get()(alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_bar().encode(x="x:Q").to_dict())
    assert {config.VEGA_LITE_MIMETYPE, "image/svg+xml", "image/png"} <= set(bundle)


def test_the_article_figures_are_labelled_on_a_halo_of_the_paper_painted_under_the_text():
    figures = pd.DataFrame({"date": pd.to_datetime(["2003-03-20", "2024-01-10"]), "value": [130000, 2500],
                            "label": ["at the invasion", "now"]})
    layered = charts._article_figures(figures, figures["date"].min(), figures["date"].max()).to_dict()
    labels = [layer["mark"] for layer in layered["layer"] if layer["mark"]["type"] == "text"]
    assert len(labels) == 2 and all(m["stroke"] == PAPER and m["strokeWidth"] >= 3 for m in labels)
    svg = charts.tidy_svg('<svg width="9" height="9"><text fill="#b2182b" stroke="#ffffff">A</text><text fill="#1d1d1d">B</text></svg>')
    assert "<text paint-order='stroke' fill='#b2182b' stroke='#ffffff'>A</text><text fill='#1d1d1d'>B</text>" in svg


def test_the_dark_theme_repaints_on_screen_each_colour_the_drawing_uses():
    light = ("<svg width='9'><rect fill='#FFFFFF'/><g fill='none'><text fill='#1d1d1d'>a</text><text fill='#1d1d1d'>b"
             "</text><path stroke='#FFFFFF' fill='#123456'/></g></svg>")
    # each colour and paint once, as the drawing spells it; an unknown colour and `none` stay; the drawing is untouched
    assert charts.with_dark_theme(light) == (
        "<svg width='9'><style>@media screen and (prefers-color-scheme:dark){[fill='#FFFFFF']{fill:#15171a}"
        "[fill='#1d1d1d']{fill:#e8e6e3}[stroke='#FFFFFF']{stroke:#15171a}}</style>" + light[len("<svg width='9'>"):])


# --- the page --------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def report(standard_report):
    return standard_report / "report"


SHOWN = """[...document.querySelectorAll('figure.chart')].map(f => { const img = f.querySelector('img');
    const box = img.getBoundingClientRect();
    return {name: f.getAttribute('aria-label'), src: img.currentSrc, complete: img.complete,
            natural: img.naturalWidth, width: box.width, height: box.height,
            visible: getComputedStyle(img).visibility === 'visible' && box.width > 0}; })"""


@pytest.fixture(scope="module")
def shown(browser, report):
    """What each chart shows at each screen width in each theme."""
    views = {}
    for (screen, viewport), scheme in itertools.product(SCREENS.items(), ("light", "dark")):
        ctx, page, _ = open_in_context(browser, report / "report.html", viewport=viewport, color_scheme=scheme)
        views[screen, scheme] = page.evaluate(SHOWN)
        ctx.close()
    return views


def _svg(src):
    assert src.startswith("data:image/svg+xml,"), src[:40]
    return unquote(src.split(",", 1)[1])


MEASURE = """() => { const svg = document.querySelector('svg'), origin = svg.getBoundingClientRect();
    const painted = [...svg.querySelectorAll('path, line, rect, circle, symbol, polygon')];
    return {width: origin.width, height: origin.height,
        paper: getComputedStyle(svg.querySelector(':scope > rect')).fill,
        texts: [...svg.querySelectorAll('text')].map(t => {
            const box = t.getBoundingClientRect(), style = getComputedStyle(t);
            return {text: t.textContent, size: parseFloat(style.fontSize), fill: style.fill,
                    left: box.left - origin.left, right: box.right - origin.left,
                    top: box.top - origin.top, bottom: box.bottom - origin.top}; }),
        marks: painted.flatMap(e => ['fill', 'stroke'].filter(paint => /^#/.test(e.getAttribute(paint) || ''))
            .map(paint => ({element: e.tagName, paint, colour: getComputedStyle(e)[paint]})))}; }"""


@pytest.fixture(scope="module")
def measured(browser, shown):
    """Each distinct drawing opened on its own in Chromium in each theme: its size and paper, every text element's box,
    size and fill, and the colour of every mark that names one, as painted."""
    drawings = {}
    for scheme in ("light", "dark"):
        page = browser.new_page(color_scheme=scheme)
        for chart in itertools.chain(*shown.values()):
            if (chart["src"], scheme) not in drawings:
                page.set_content(f'<body style="margin:0">{_svg(chart["src"])}</body>')
                drawings[chart["src"], scheme] = page.evaluate(MEASURE)
        page.close()
    return drawings


@pytest.mark.build
def test_no_chart_code_runs_and_charts_are_the_same_without_javascript(browser, report, shown):
    html = (report / "report.html").read_text(encoding="utf-8")
    assert "vega" not in html.lower()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    code = [body for attributes, body in scripts if "application/ld+json" not in attributes]
    # what script the page keeps is the reader's progressive enhancement (filter, table boxes, print): none for charts
    assert len(code) <= 1 and not re.search(r"chart|figure|svg|picture|img", "".join(code), re.I)
    for scheme in ("light", "dark"):
        ctx, page, _ = open_in_context(browser, report / "report.html", java_script_enabled=False, viewport=SCREENS["desktop"], color_scheme=scheme)
        assert page.evaluate(SHOWN) == shown["desktop", scheme]
        ctx.close()


@pytest.mark.build
def test_every_chart_is_drawn_and_visible_at_load(shown):
    for (screen, scheme), views in shown.items():
        assert len(views) >= 8
        for chart in views:
            assert chart["complete"] and chart["natural"] > 0 and chart["visible"], (screen, scheme, chart["name"])


@pytest.mark.build
def test_one_drawing_per_width_serves_both_themes(report, shown):
    html = (report / "report.html").read_text(encoding="utf-8")
    assert html.count("data:image/svg+xml,") == 2 * html.count('<figure class="chart"')
    for screen in SCREENS:
        assert [c["src"] for c in shown[screen, "light"]] == [c["src"] for c in shown[screen, "dark"]]
    assert all(a["src"] != b["src"] for a, b in zip(shown["phone", "light"], shown["desktop", "light"]))


def _papers_shown(page):
    """The colour most of each chart's picture shows on the screen (its paper), as #rrggbb."""
    from PIL import Image

    papers = []
    for picture in page.locator("figure.chart img").all():
        pixels = Image.open(io.BytesIO(picture.screenshot())).convert("RGB")
        _, (r, g, b) = max(pixels.getcolors(pixels.width * pixels.height))
        papers.append(f"#{r:02x}{g:02x}{b:02x}")
    return papers


@pytest.mark.build
def test_a_dark_screen_shows_every_chart_on_the_dark_paper(browser, report):
    for (screen, viewport), scheme in itertools.product(SCREENS.items(), ("light", "dark")):
        ctx, page, _ = open_in_context(browser, report / "report.html", viewport=viewport, color_scheme=scheme)
        papers = _papers_shown(page)
        ctx.close()
        paper = PAPER if scheme == "light" else DARK_COLOURS[PAPER]
        assert len(papers) >= 8 and set(papers) == {paper}, (screen, scheme, papers)


@pytest.mark.build
def test_print_takes_the_wide_drawing_even_from_a_dark_screen(browser, report, shown):
    from factcheck.pipeline.browser import PRINT_VIEWPORT

    ctx, page, _ = open_in_context(browser, report / "report.html", viewport=PRINT_VIEWPORT, color_scheme="dark")
    page.emulate_media(media="print")
    printed = page.evaluate(SHOWN)
    ctx.close()
    assert [c["src"] for c in printed] == [c["src"] for c in shown["desktop", "light"]]
    assert all(c["width"] <= PRINT_VIEWPORT["width"] for c in printed)


@pytest.mark.build
def test_charts_print_light_even_from_a_dark_screen(browser, report, tmp_path):
    """The report's charts, the rest of the page left out, printed to PDF from a dark screen: no dark paper."""
    from PIL import Image

    ctx, page, _ = open_in_context(browser, report / "report.html", color_scheme="dark")
    page.evaluate("document.body.replaceChildren(...document.querySelectorAll('figure.chart'))")
    page.pdf(path=tmp_path / "charts.pdf", format="A4", print_background=True)
    ctx.close()
    subprocess.run(["pdftoppm", "-r", "36", "-png", tmp_path / "charts.pdf", tmp_path / "page"], check=True)
    dark_paper = tuple(int(DARK_COLOURS[PAPER][i:i + 2], 16) for i in (1, 3, 5))
    pages = [Image.open(png).convert("RGB") for png in sorted(tmp_path.glob("page-*.png"))]
    assert len(pages) >= 2
    for number, pixels in enumerate(pages, 1):
        colours = {colour for _, colour in pixels.getcolors(pixels.width * pixels.height)}
        assert len(colours) > 1 and dark_paper not in colours, number


@pytest.mark.build
def test_chart_text_is_at_least_12_px_as_shown_at_360_and_1280(shown, measured):
    for (screen, scheme), views in shown.items():
        for chart in views:
            drawing = measured[chart["src"], scheme]
            scale = chart["width"] / drawing["width"]
            smallest = min(t["size"] for t in drawing["texts"]) * scale
            assert smallest >= 12 - 1e-6, (screen, scheme, chart["name"], smallest)


def _overlap(a, b, slack=0.5):
    return min(a["right"], b["right"]) - max(a["left"], b["left"]) > slack and \
        min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > slack


@pytest.mark.build
def test_no_chart_text_overlaps_other_text_or_is_clipped(measured):
    for drawing in measured.values():
        texts = [t for t in drawing["texts"] if t["text"].strip()]
        assert texts
        for text in texts:
            assert text["left"] >= -0.5 and text["top"] >= -0.5 and text["right"] <= drawing["width"] + 0.5 \
                and text["bottom"] <= drawing["height"] + 0.5, ("clipped", text)
        for a, b in itertools.combinations(texts, 2):
            assert not _overlap(a, b), ("overlap", a["text"], b["text"])


def _luminance(colour):
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _hex(colour):
    """A computed CSS colour, rgb(r, g, b), as #rrggbb."""
    return "#" + "".join(f"{int(v):02x}" for v in re.findall(r"[\d.]+", colour)[:3])


def _colours(drawing):
    """Every colour a drawing paints, in order: its paper, each text's fill, each mark's fill or stroke."""
    return [_hex(drawing["paper"])] + [_hex(t["fill"]) for t in drawing["texts"]] + \
        [_hex(m["colour"]) for m in drawing["marks"]]


@pytest.mark.build
def test_on_a_dark_screen_every_colour_of_a_drawing_is_its_dark_partner(measured):
    for src in {src for src, _ in measured}:
        light, dark = _colours(measured[src, "light"]), _colours(measured[src, "dark"])
        unpartnered = set(light) - set(DARK_COLOURS)
        assert not unpartnered, f"colours with no dark partner in vocab.DARK_COLOURS: {unpartnered}"
        assert dark == [DARK_COLOURS[colour] for colour in light]


@pytest.mark.build
def test_chart_text_and_marks_contrast_with_the_chart_paper_in_both_themes(shown, measured):
    grid = {GRID_COLOUR, DARK_COLOURS[GRID_COLOUR]}
    for (screen, scheme), views in shown.items():
        for chart in views:
            drawing = measured[chart["src"], scheme]
            paper = _hex(drawing["paper"])
            for text in drawing["texts"]:
                assert contrast(_hex(text["fill"]), paper) >= 4.5, (scheme, chart["name"], text["text"], text["fill"])
            # the grid is a faint guide, not a mark; a ring in the paper's own colour sets a mark off from others
            marks = [mark for mark in drawing["marks"] if _hex(mark["colour"]) not in grid | {paper}]
            assert len(marks) >= 10, (scheme, chart["name"])
            for mark in marks:
                assert contrast(_hex(mark["colour"]), paper) >= 3, (scheme, chart["name"], mark)


@pytest.mark.build
def test_each_chart_is_one_named_figure_with_a_description_and_its_data(browser, report):
    ctx, page, _ = open_in_context(browser, report / "report.html", viewport=SCREENS["desktop"])
    try:
        figures = page.locator("figure.chart")
        names, descriptions = set(), set()
        for figure in figures.all():
            name, description = figure.get_attribute("aria-label"), figure.locator("img").get_attribute("alt")
            caption = figure.locator("figcaption").inner_text()
            assert name and len(name) <= 80, name
            assert len(description) > 60 and re.search(r"\d", description) and name not in description, description
            assert description not in caption and name not in caption  # nothing is read twice
            (head, children), = yaml.safe_load(figure.aria_snapshot())[0].items()
            roles = [child if isinstance(child, str) else next(iter(child)) for child in children]
            # the figure's name, then its one picture with the description, then only the link to the data
            assert head == f'figure "{name}"' and roles[0] == f'img "{description}"', (head, roles)
            assert all(role.startswith("link ") for role in roles[1:]), roles
            link = figure.locator("figcaption a").get_attribute("href")
            assert page.locator(link).count() == 1, link
            assert figure.locator("form, input, button, [tabindex]").count() == 0
            names.add(name)
            descriptions.add(description)
        assert figures.count() >= 8 and len(names) == len(descriptions) == figures.count()
        assert page.evaluate("[...document.forms].filter(f => !f.elements.length).length") == 0  # no empty form
    finally:
        ctx.close()


@pytest.mark.build
def test_every_figure_in_the_pdf_carries_alt_text(report):
    import pikepdf

    figures = []

    def walk(node):
        if isinstance(node, pikepdf.Dictionary):
            if node.get("/S") == "/Figure":
                figures.append(str(node.get("/Alt", "")))
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                walk(kid)

    with pikepdf.open(report / "report.pdf") as pdf:
        walk(pdf.Root.StructTreeRoot)
    html = (report / "report.html").read_text(encoding="utf-8")
    assert len(figures) >= 2 * html.count('<figure class="chart"') >= 16  # the figure, and the picture inside it
    assert all(alt.strip() for alt in figures), figures
