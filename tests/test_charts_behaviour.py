"""What a chart's spec, description, title, static renderings and notebook bundle give a reader, without a build."""
import base64
import struct

import pandas as pd
import pytest

from factcheck import charts, config
from factcheck.vocab import VERDICT_LABELS

VERDICT_ORDER = list(VERDICT_LABELS.values())
# not in the verdicts' order, with a verdict of one claim and one of none
COUNTS = pd.DataFrame({"verdict": ["opinion", "supported", "inaccurate", "forecast", "partly_supported"],
                       "claims": [2, 3, 1, 0, 4]})
TABLE = "verdict-table"


# Per test, not per module: mutmut runs a mutant only against the tests during which its function was called.
@pytest.fixture
def chart():
    return charts.verdict_chart(COUNTS, table=TABLE)


@pytest.fixture
def spec(chart):
    return chart.altair(charts.NARROW).to_dict()


def _layer_rows(spec, layer):
    """The rows a layer draws: its own data, or else its parent's."""
    data = layer.get("data", spec.get("data"))
    return spec["datasets"][data["name"]] if data else []


def _fields(encoding):
    return {channel: (definition["field"], definition["type"]) for channel, definition in encoding.items()
            if channel != "tooltip"}


# --- the verdict chart's spec --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("counts", "description"), [
    ({"supported": 4, "opinion": 0}, "Bar chart of the 4 claims by verdict: 4 supported."),
    (dict(zip(COUNTS["verdict"], COUNTS["claims"])),
     "Bar chart of the 10 claims by verdict: 2 opinion, 3 supported, 1 inaccurate and 4 partly supported."),
])
def test_the_description_counts_every_verdict_with_claims_and_only_those(counts, description):
    frame = pd.DataFrame({"verdict": list(counts), "claims": list(counts.values())})
    assert charts.verdict_chart(frame).description == description


def test_the_spec_carries_the_charts_title_description_and_table(chart, spec):
    bars, _ = spec["layer"]
    assert bars["title"]["text"] == chart.name  # a title that fits its width stays one line
    assert spec["description"] == chart.description and spec["usermeta"] == {"table": TABLE}


def test_each_layer_draws_every_verdict_with_its_count(spec):
    expected = {(VERDICT_LABELS[v], n) for v, n in zip(COUNTS["verdict"], COUNTS["claims"])}
    for layer in spec["layer"]:
        rows = _layer_rows(spec, layer)
        assert rows and {(row["label"], row["claims"]) for row in rows} == expected


def test_bars_run_along_claims_one_per_verdict_in_the_verdicts_order(spec):
    bars, values = spec["layer"]
    assert _fields(bars["encoding"]) == {"x": ("claims", "quantitative"), "y": ("label", "nominal"),
                                         "color": ("label", "nominal")}
    assert bars["encoding"]["x"]["title"] == "Claims"
    assert bars["encoding"]["y"]["title"] is None  # the verdicts name themselves
    for layer in (bars, values):  # the numbers sit on their bars only if both layers order verdicts alike
        assert layer["encoding"]["y"]["sort"] == VERDICT_ORDER


def test_each_bar_has_its_verdicts_colour_and_no_legend(spec):
    colour = spec["layer"][0]["encoding"]["color"]
    scale = colour["scale"]
    verdict_colours = {VERDICT_LABELS[verdict]: c for verdict, c in charts.VERDICT_COLOURS.items()}
    assert dict(zip(scale["domain"], scale["range"])) == verdict_colours
    assert "legend" in colour and colour["legend"] is None  # the axis already names each bar


def test_a_bars_tooltip_names_its_verdict_and_count(spec):
    tooltip = spec["layer"][0]["encoding"]["tooltip"]
    assert [(t["title"], t["field"], t["type"]) for t in tooltip] == [("Verdict", "label", "nominal"),
                                                                      ("Claims", "claims", "quantitative")]


def test_each_bars_count_is_written_just_beyond_its_end(spec):
    values = spec["layer"][1]
    assert _fields(values["encoding"]) == {"x": ("claims", "quantitative"), "y": ("label", "nominal"),
                                           "text": ("claims", "quantitative")}
    assert values["mark"]["type"] == "text" and values["mark"]["align"] == "left" and values["mark"]["dx"] > 0


def test_the_chart_is_drawn_at_the_width_asked_for_and_a_fixed_height(spec):
    assert spec["width"] == charts.NARROW and isinstance(spec.get("height"), int)


# --- titles ----------------------------------------------------------------------------------------------------

LONG_TITLE = "Attacks on U.S. forces in Iraq and Syria since October 2023, as counted by the Pentagon (cumulative)"


def _fits(line, width):
    # bold Liberation Sans averages under 0.6 em a character; the title sits 8 px in
    return len(line) * charts.TITLE_SIZE * 0.6 <= width - 8


def test_a_long_title_breaks_into_as_few_lines_as_fit_its_width():
    for width in range(charts.NARROW - 100, charts.WIDE + 200):
        title = charts._title(LONG_TITLE, width).text
        lines = [title] if isinstance(title, str) else title
        assert " ".join(lines) == LONG_TITLE and all(_fits(line, width) for line in lines), width
        # a line ends only where the next word would not fit on it
        next_words = [following.split()[0] for following in lines[1:]]
        assert not any(_fits(f"{line} {word}", width) for line, word in zip(lines, next_words)), width


# --- static renderings ------------------------------------------------------------------------------------------

def test_tidy_svg_drops_what_the_picture_does_not_show_and_shortens_the_rest():
    font = charts.FONT
    raw = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" '
           'class="marks" width="320" height="256" viewBox="0 0 320 256">'
           '<g class="mark-group role-frame root" role="graphics-object" aria-roledescription="group mark container" '
           'transform="translate(69.123456,28)">'
           '<path class="background" aria-hidden="true" d="M0,0h235v190h-235Z"/><path d="" display="none"/>'
           '<path d="M0.5,0.5h235.25v190Z" fill="#0b6e4f" stroke="#ddd" opacity="1" pointer-events="none"/>'
           f'<text transform="translate(0,16.666667)" font-family="{font}" fill="#1d1d1d" opacity="1">'
           'Claims 1.25</text>'
           f'<text transform="translate(47,16)" font-family="{font}" fill="#1d1d1d" opacity="0">Hidden</text>'
           '</g></svg>')
    # ARIA, classes, unpainted paths, hidden labels and default opacity go; the font is named once, on the picture;
    # numbers in tags keep one decimal (text is untouched); attributes are quoted with '
    assert charts.tidy_svg(raw) == (
        f"<svg font-family='{font}' xmlns='http://www.w3.org/2000/svg' width='320' height='256' viewBox='0 0 320 256'>"
        "<g transform='translate(69.1,28)'><path d='M0.5,0.5h235.2v190Z' fill='#0b6e4f' stroke='#ddd'/>"
        "<text transform='translate(0,16.6)' fill='#1d1d1d'>Claims 1.25</text></g></svg>")


def _png_size(encoded):
    return struct.unpack(">II", base64.b64decode(encoded)[16:24])  # the IHDR chunk's width and height


WIDTH, HEIGHT = 40, 30
SVG = f"<svg xmlns='http://www.w3.org/2000/svg' width='{WIDTH}' height='{HEIGHT}'><rect width='9' height='9'/></svg>"


def test_the_static_bundle_shows_the_png_at_the_svgs_size_drawn_at_twice_its_density():
    spec = {"description": "A small square."}
    data, metadata = charts.static_bundle(spec, SVG)
    assert set(data) == {config.VEGA_LITE_MIMETYPE, "image/svg+xml", "image/png", "text/plain"}
    assert data[config.VEGA_LITE_MIMETYPE] == spec and data["image/svg+xml"] == SVG
    assert data["text/plain"] == "<Chart: A small square.>"
    assert metadata == {"image/png": {"width": WIDTH, "height": HEIGHT}}
    assert _png_size(data["image/png"]) == (2 * WIDTH, 2 * HEIGHT)


def test_the_static_bundle_of_a_spec_with_no_description_still_says_it_is_a_chart():
    data, _ = charts.static_bundle({}, SVG)
    assert data["text/plain"] == "<Chart: Vega-Lite chart>"


def test_a_chart_in_a_notebook_is_named_in_plain_text(chart):
    data, _ = chart._repr_mimebundle_()
    assert data["text/plain"] == f"<Chart: {chart.name}>"
