"""Load the curated tables with the types their Table Schema declares, and cut them to an `as_of` date."""
import json
from functools import lru_cache

import pandas as pd

from . import config

@lru_cache(maxsize=None)
def _schemas(package_path=config.DATAPACKAGE):
    descriptor = json.loads(package_path.read_text(encoding="utf-8"))
    return {r["name"]: r for r in descriptor["resources"]}


def resource_paths(package_path=config.DATAPACKAGE):
    """Each resource's file, as the descriptor's `path` gives it."""
    return {name: package_path.parent / r["path"] for name, r in _schemas(package_path).items()}


def load_table(name, package_path=config.DATAPACKAGE):
    resource = _schemas(package_path)[name]
    frame = pd.read_csv(package_path.parent / resource["path"], dtype=str, keep_default_na=False, encoding="utf-8")
    for field in resource["schema"]["fields"]:
        column = frame[field["name"]]
        if field["type"] == "date":
            frame[field["name"]] = pd.to_datetime(column.replace("", None), format="%Y-%m-%d")
        elif field["type"] == "integer":
            frame[field["name"]] = pd.to_numeric(column.replace("", None)).astype("Int64")
    return frame


def load_inputs(notebook):
    """The tables a notebook declared in config.NOTEBOOK_INPUTS, and nothing else."""
    tables = {name: load_table(name) for name in config.NOTEBOOK_INPUTS[notebook]}
    if "article" in tables:
        tables["article_text"] = config.ARTICLE_TEXT.read_text(encoding="utf-8")
    return tables


def source_known_dates(sources):
    """The date each source could first have been known: `date_known`, else `date_published`, else the date it was
    read (`date_accessed`), so a page with no date is never shown before we ourselves had seen it."""
    known = pd.Series(pd.NaT, index=sources.index, dtype="datetime64[ns]")
    for column in ("date_known", "date_published", "date_accessed"):
        if column in sources:
            known = known.fillna(pd.to_datetime(sources[column]))
    return known


def as_of_view(tables, as_of):
    """Each table cut to what was published or happened by `as_of`.

    Sources are cut on the date they could first have been known (`source_known_dates`), so undated evidence
    is left out of any view before that date. Rows citing a source not yet known are dropped with it, so every
    table shows only what could be read at that date.
    """
    as_of = pd.Timestamp(as_of)
    view = {}
    for name, table in tables.items():
        if name == "sources" and isinstance(table, pd.DataFrame):
            table = table[source_known_dates(table) <= as_of].reset_index(drop=True)
        else:
            column = config.ROW_DATE.get(name)
            if isinstance(table, pd.DataFrame) and column in table:
                table = table[table[column].isna() | (table[column] <= as_of)].reset_index(drop=True)
        view[name] = table
    if "sources" in view:
        known = set(view["sources"]["source_id"])
        for name, table in view.items():
            if name != "sources" and isinstance(table, pd.DataFrame) and "source_id" in table:
                view[name] = table[table["source_id"].isin(known)].reset_index(drop=True)
    return view
