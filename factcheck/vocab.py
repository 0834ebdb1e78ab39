"""Vocabulary shared by the domain code and the presentation: the verdict scale, forecast outcomes, their labels and colours."""

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
