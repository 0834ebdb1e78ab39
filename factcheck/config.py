"""Every path the project uses, anchored at the project root, which is found once: the folder named by
FACTCHECK_ROOT, else the nearest folder holding the project's marker (data/datapackage.json) at or above the working
directory, else the folder this package sits in when installed editable. Anywhere inside a project folder, or with
FACTCHECK_ROOT set, works the same whether the package is installed editable or not."""
import os
from pathlib import Path

ROOT_ENV = "FACTCHECK_ROOT"
MARKER = Path("data") / "datapackage.json"


def find_root(start=None, environ=os.environ):
    if environ.get(ROOT_ENV):
        return Path(environ[ROOT_ENV]).resolve()
    start = Path(start or Path.cwd()).resolve()
    for folder in (start, *start.parents, Path(__file__).resolve().parent.parent):
        if (folder / MARKER).is_file():
            return folder
    return start  # no project here: every input is then reported missing under the working directory


ROOT = find_root()
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
    "90_methodology": ["article", "claims", "claim_sources", "claim_searches", "claim_updates", "expulsion_calls", "expulsion_search_log",
                       "sources"],
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


def notebooks():
    """The notebooks the build runs (those declared in NOTEBOOK_INPUTS, in name order), and the other *.ipynb files
    in notebooks/ that it leaves alone: a stray executed copy, or a new notebook not declared yet."""
    found = sorted(NOTEBOOKS.glob("*.ipynb"))
    return ([NOTEBOOKS / f"{stem}.ipynb" for stem in sorted(NOTEBOOK_INPUTS)],
            [path for path in found if path.stem not in NOTEBOOK_INPUTS])
