"""Vocabulary shared by the domain code and the presentation: the verdict scale, forecast outcomes, their labels and colours,
and the charts' other colours with their dark-theme swaps."""

import re

# How a source is named in the data and in free text: one to three letters and three digits (a008, c033).
SOURCE_ID = re.compile(r"\b[a-z]{1,3}\d{3}\b")

VERDICT_LABELS = {
    "supported": "Supported",
    "partly_supported": "Partly supported",
    "inaccurate": "Inaccurate",
    "unverifiable": "Unverifiable",
    "opinion": "Opinion",
    "forecast": "Forecast",
}
# Verdict colours: light theme (white text on the colour, >= 4.5:1) and dark theme (dark text on the colour).
# Pairwise distinct under simulated protanopia and deuteranopia (tests/test_render.py).
VERDICT_PALETTE = {
    "light": {"supported": "#0b6e4f", "partly_supported": "#875400", "inaccurate": "#c21f3a",
              "unverifiable": "#4d4d4d", "opinion": "#9b2f8f", "forecast": "#1d5fb4"},
    "dark": {"supported": "#2fae6e", "partly_supported": "#ffcf5c", "inaccurate": "#ff6b6b",
             "unverifiable": "#c9ccd1", "opinion": "#ff9be6", "forecast": "#5aa9ff"},
}
OUTCOME_LABELS = {
    "borne_out": "Borne out",
    "not_borne_out": "Not borne out",
    "partly": "Partly borne out",
    "too_early": "Too early to tell",
    "condition_not_met": "Condition never arose",
}

# The charts' paper and ink (the page's --paper and --ink), their other marks, and the series colours of the report's
# Altair theme. Against the paper, text is >= 4.5:1 and every mark but the grid >= 3:1 (tests/test_charts_static.py).
PAPER, INK = "#ffffff", "#1d1d1d"
PUBLICATION_COLOUR = "#b2182b"
RULE_COLOUR, LABEL_COLOUR, BAR_COLOUR, NONE_COLOUR, GRID_COLOUR = "#767676", "#444444", "#1d5fb4", "#949494", "#e5e5e5"
CATEGORY_COLOURS = ["#1d5fb4", "#c45a00", "#0b6e4f", "#9b2f8f", "#4d4d4d", "#b8860b", "#6a3d9a", "#008b8b"]
# On a dark screen every chart repaints these colours with their partners (the page's dark paper and ink).
DARK_COLOURS = {**{VERDICT_PALETTE["light"][v]: VERDICT_PALETTE["dark"][v] for v in VERDICT_PALETTE["light"]},
                PAPER: "#15171a", INK: "#e8e6e3",
                PUBLICATION_COLOUR: "#ff7a85", RULE_COLOUR: "#9a9a9a", LABEL_COLOUR: "#d0d0d0", NONE_COLOUR: "#8a8a8a",
                GRID_COLOUR: "#3a3d42", "#c45a00": "#ffa657", "#b8860b": "#e3b341", "#6a3d9a": "#b392f0",
                "#008b8b": "#39c5cf"}
