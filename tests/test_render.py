"""The presentation layer's safety and text-fragment rules, and the verdict palette's contrast and colour-blind safety."""
import itertools
from urllib.parse import unquote

import numpy as np
import pandas as pd
import pytest

from factcheck import config, render


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " data:text/html,x", "vbscript:x",
                                 "file:///etc/passwd", "//example.com/x", "ftp://example.com", "https:", "mailto:a@b.c"])
def test_safe_url_refuses_every_scheme_but_http_and_https(url):
    with pytest.raises(render.UnsafeURL):
        render.safe_url(url)


def test_safe_url_keeps_http_and_https():
    assert render.safe_url("https://example.com/a?b=1") == "https://example.com/a?b=1"
    assert render.safe_url("http://example.com") == "http://example.com"


def test_a_card_with_a_javascript_source_url_does_not_render():
    claim = pd.Series({"claim_id": "C01", "number": 1, "verdict": "supported", "claim_type": "statistic", "quote": "q",
                       "conclusion": "c", "explanation": "e", "quote_fidelity": "", "conflict": ""})
    sources = pd.DataFrame({"source_id": ["s1"], "url": ["javascript:alert(1)"], "outlet": ["o"], "title": ["t"],
                            "reliability": ["wire"], "date_published": [pd.Timestamp("2024-01-05")]}).set_index("source_id")
    with pytest.raises(render.UnsafeURL):
        render.claim_card(claim, pd.DataFrame({"claim_id": ["C01"], "source_id": ["s1"], "excerpt": ["x"]}), sources)


def test_text_fragment_encodes_reserved_characters():
    directive = render.text_fragment("U.S.-Iraq talks, & more")
    assert directive == "text=U.S.%2DIraq%20talks%2C%20%26%20more"


def test_long_excerpts_use_start_and_end_words():
    excerpt = "one two three four five six seven eight nine ten eleven twelve thirteen"
    start, end = render.text_fragment(excerpt)[len("text="):].split(",")
    assert unquote(start) == "one two three four" and unquote(end) == "ten eleven twelve thirteen"


def test_an_ellipsis_splits_start_from_end():
    start, end = render.text_fragment("The President said, “On my order ... The attack came as dawn")[5:].split(",")
    assert unquote(start) == "The President said, “On" and unquote(end) == "attack came as dawn"


def test_evidence_url_keeps_an_existing_fragment():
    assert render.evidence_url("https://e.com/p#s2", "a b").endswith("#s2:~:text=a%20b")
    assert render.evidence_url("https://e.com/p", "a b") == "https://e.com/p#:~:text=a%20b"


def test_internal_ids_become_words():
    sources = pd.DataFrame({"source_id": ["a008"], "outlet": ["Reuters"]}).set_index("source_id")
    html = render.plain("Reuters (a008) says so; see C06.", sources, {"C06": 6}, {"a008": "ev-C01-1"})
    assert "a008" not in html.replace('href="#ev-C01-1"', "") and "claim 6" in html and ">[1]<" in html


# --- the palette: WCAG contrast and simulated colour-vision deficiency ---------------------------

MACHADO = {  # Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]),
}
BACKGROUND = {"light": "#ffffff", "dark": "#15171a"}
BADGE_TEXT = {"light": "#ffffff", "dark": "#15171a"}


def linear(hex_colour):
    c = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def contrast(a, b):
    la, lb = sorted(float(linear(x) @ [0.2126, 0.7152, 0.0722]) for x in (a, b))
    return (lb + 0.05) / (la + 0.05)


def lab(rgb_linear):
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ np.clip(rgb_linear, 0, 1)
    xyz = xyz / np.array([0.95047, 1, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_badge_text_and_marks_have_enough_contrast(theme):
    for verdict, colour in render.VERDICT_PALETTE[theme].items():
        assert contrast(colour, BADGE_TEXT[theme]) >= 4.5, verdict
        assert contrast(colour, BACKGROUND[theme]) >= 3, verdict


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("deficiency", list(MACHADO))
def test_verdict_colours_stay_apart_under_colour_blindness(theme, deficiency):
    palette = render.VERDICT_PALETTE[theme]
    simulated = {v: lab(MACHADO[deficiency] @ linear(c)) for v, c in palette.items()}
    for a, b in itertools.combinations(palette, 2):
        assert np.linalg.norm(simulated[a] - simulated[b]) >= 9, (a, b)


def test_the_simulation_can_fail():
    red_green = {"a": "#d62728", "b": "#2ca02c"}
    sim = [lab(MACHADO["deuteranopia"] @ linear(c)) for c in red_green.values()]
    assert np.linalg.norm(sim[0] - sim[1]) < 20 < np.linalg.norm(lab(linear("#d62728")) - lab(linear("#2ca02c")))


def test_compiled_templates_go_to_the_build_cache_only_when_one_is_set(tmp_path, monkeypatch):
    monkeypatch.delenv(config.CACHE_ENV, raising=False)
    assert render.bytecode_cache() is None
    monkeypatch.setenv(config.CACHE_ENV, str(tmp_path / "new" / "cache"))
    render.environment().overlay(bytecode_cache=render.bytecode_cache()).get_template("card.html.j2")
    assert list((tmp_path / "new" / "cache" / "jinja").iterdir())
    assert render.bytecode_cache() is not None  # a second kernel finds the folder there


def test_the_contents_list_shows_each_heading_as_the_page_does():
    page = ('<h2 id="contents">Contents</h2>'
            '<h2 id="the-article&#39;s-forecasts">The article&#39;s forecasts &amp; <em>outcomes</em>'
            '<a class="anchor-link" href="#the-article&#39;s-forecasts">&#182;</a></h2>')
    toc = render.table_of_contents(page)
    assert toc.count("<li>") == 1 and "Contents" not in toc
    assert '<a href="#the-article&#39;s-forecasts">The article&#39;s forecasts &amp; outcomes</a>' in toc


def test_print_sets_back_every_colour_the_dark_theme_changes():
    """Printed from a dark screen, the page is the light one: each variable the dark theme sets, print sets again."""
    import re

    css = (config.PACKAGE / "templates" / "report" / "report.css").read_text(encoding="utf-8")
    dark = re.search(r"@media \(prefers-color-scheme: dark\) \{\s*:root \{([^}]*)\}", css).group(1)
    printed = re.search(r"@media print \{\s*@page \{[^}]*\}\s*:root \{([^}]*)\}", css).group(1)
    names = lambda block: set(re.findall(r"(--[\w-]+)\s*:", block))
    assert names(dark) - names(printed) == set()
