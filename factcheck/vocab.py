"""Vocabulary shared by the domain code and the presentation: the verdict scale, forecast outcomes, their labels and colours."""

VERDICT_LABELS = {
    "supported": "Supported",
    "partly_supported": "Partly supported",
    "inaccurate": "Inaccurate",
    "unverifiable": "Unverifiable",
    "opinion": "Opinion",
    "forecast": "Forecast",
}
VERDICT_COLOURS = {
    "supported": "#1a9850",
    "partly_supported": "#e08214",
    "inaccurate": "#d73027",
    "unverifiable": "#7f7f7f",
    "opinion": "#8073ac",
    "forecast": "#2c7bb6",
}
OUTCOME_LABELS = {
    "borne_out": "Borne out",
    "not_borne_out": "Not borne out",
    "partly": "Partly borne out",
    "too_early": "Too early to tell",
    "condition_not_met": "Condition never arose",
}
