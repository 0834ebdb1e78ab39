"""Every path the project uses, anchored at the project root so nothing depends on the working directory."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
DATAPACKAGE = DATA / "datapackage.json"
ARTICLE_TEXT = DATA / "article.txt"
NOTEBOOKS = ROOT / "notebooks"
PARAMS_FILE = ROOT / "params.yml"
LOCK_FILE = ROOT / "requirements.txt"
PACKAGE = Path(__file__).resolve().parent
TEMPLATE_DIR = PACKAGE / "templates"
TEMPLATE_NAME = "report"
BUILD = ROOT / "build"
REPORT = ROOT / "report"
VIEWS = ROOT / "views"

# What notebooks hand to assembly: charts (the spec, and the report's record of a chart with its static renderings),
# and the front page's record for the page around the notebooks.
VEGA_LITE_MIMETYPE = "application/vnd.vegalite.v6+json"
CHART_MIMETYPE = "application/vnd.factcheck.chart+json"
PUBLICATION_MIMETYPE = "application/vnd.factcheck.publication+json"
# Where this variable names a folder, typed tables (data.load_table) and compiled templates (render) are kept there.
CACHE_ENV = "FACTCHECK_CACHE"

# The data resources each notebook may read. The Makefile's dependencies are generated from this
# table, and `data.load_inputs` refuses anything not declared here.
NOTEBOOK_INPUTS = {
    "00_summary": ["article", "claims", "claim_summaries", "claim_sources", "claim_updates", "sources", "attacks", "series",
                   "troop_levels", "article_figures", "expulsion_calls", "events", "forecast_outcomes", "corrections"],
    "10_claims": ["article", "article_date_evidence", "claims", "claim_summaries", "claim_sources", "claim_searches",
                  "claim_updates", "forecast_outcomes", "sources", "corrections"],
    "20_troop_levels": ["article", "series", "troop_levels", "troop_milestones", "article_figures", "claims", "sources"],
    "30_attacks": ["article", "series", "attacks", "attack_events", "article_figures", "claims", "sources"],
    "40_expulsion_calls": ["article", "expulsion_calls", "claims", "sources"],
    "50_events_forecasts": ["article", "events", "claims", "claim_summaries", "forecast_outcomes", "sources"],
    "60_since_publication": ["article", "claims", "claim_sources", "claim_updates", "forecast_outcomes", "sources"],
    "90_methodology": ["article", "claims", "claim_sources", "claim_searches", "claim_updates", "expulsion_search_log", "sources"],
}

# The column that dates each row: rows dated after `as_of` are left out of the report.
ROW_DATE = {
    "sources": "date_published",
    "troop_levels": "date",
    "troop_milestones": "date",
    "attacks": "date",
    "attack_events": "date",
    "expulsion_calls": "date",
    "events": "date",
    "forecast_outcomes": "judged_from",
    "claim_updates": "date",
}
