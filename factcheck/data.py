"""Load the curated tables with the types their Table Schema declares, and cut them to an `as_of` date.

The rows come from `factcheck.tables`, the reader validation uses, and each value is cast by Frictionless to its
schema type: what validated is what the notebooks get. A table with any problem is refused with its first one.
"""
import hashlib
import json
import os
import sys
from pathlib import Path

import pandas as pd

from . import config
from .tables import DataPackage, InputError, read_input

__all__ = ["InputError", "load_table", "load_inputs", "resource_paths", "as_of_view"]


def frame(table):
    """A checked table as a DataFrame: dates as datetimes, integers as nullable Int64, empty strings kept as ''."""
    table.check()
    specs = table.resource["schema"]["fields"]
    records = [values for _, values, _ in table.typed()]
    columns = {}
    for spec in specs:
        values = [record.get(spec["name"]) for record in records]
        if spec["type"] == "date":
            columns[spec["name"]] = pd.to_datetime(pd.Series(values, dtype=object)).astype("datetime64[us]")
        elif spec["type"] == "integer":
            columns[spec["name"]] = pd.array(values, dtype="Int64")
        elif spec["type"] == "string":
            columns[spec["name"]] = pd.Series(["" if v is None else v for v in values], dtype=str)
        else:
            columns[spec["name"]] = pd.Series(values, dtype=object)
    return pd.DataFrame(columns, columns=[spec["name"] for spec in specs])


def resource_paths(package_path=config.DATAPACKAGE):
    """Each resource's file, as the descriptor's `path` gives it."""
    package = DataPackage(package_path)
    return {name: package.dir / resource["path"] for name, resource in package.resources.items()}


def load_table(name, package_path=config.DATAPACKAGE, package=None):
    """One table of the data package, typed; raises InputError naming the file, row and field of a problem.

    Where config.CACHE_ENV names a folder (the build sets it for itself and its kernels), a table typed once is read
    back from its tables/, keyed by its bytes, its resource entry, the code that types it and the lock file.
    """
    package = package or DataPackage(package_path)
    cached = _cache_file(package, name)
    if cached is not None and cached.exists():
        try:
            return pd.read_pickle(cached)
        except Exception:  # truncated or corrupt: pickle raises many kinds of error
            cached.unlink(missing_ok=True)
            # sys.__stderr__: in a kernel, the notebook's log rather than the page
            print(f"the cached copy of table {name!r} could not be read: discarded and rebuilt", file=sys.__stderr__)
    table = frame(package.table(name))
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f"{cached.name}.{os.getpid()}.partial")
        table.to_pickle(partial)
        partial.replace(cached)
    return table


def _cache_file(package, name):
    folder = os.environ.get(config.CACHE_ENV)
    if not folder or name not in package.resources:
        return None
    resource = package.resources[name]
    digest = hashlib.sha256(json.dumps(resource, sort_keys=True).encode("utf-8"))
    raw, problem = read_input(package.dir / resource["path"], package.root)
    if problem:
        return None  # the uncached read names the problem
    digest.update(raw)
    for code in (config.PACKAGE / "tables.py", config.PACKAGE / "data.py", config.LOCK_FILE):
        digest.update(code.read_bytes())
    return Path(folder) / "tables" / f"{name}-{digest.hexdigest()[:32]}.pkl"


def load_inputs(notebook, package_path=config.DATAPACKAGE):
    """The tables a notebook declared in config.NOTEBOOK_INPUTS, and nothing else."""
    if notebook not in config.NOTEBOOK_INPUTS:
        raise InputError(f"unknown notebook {notebook!r}: declare its inputs in factcheck/config.py NOTEBOOK_INPUTS "
                         f"(known: {', '.join(config.NOTEBOOK_INPUTS)})")
    package = DataPackage(package_path)
    tables = {name: load_table(name, package=package) for name in config.NOTEBOOK_INPUTS[notebook]}
    if "article" in tables:
        text, problems = package.article_text()
        if problems:
            raise InputError(problems[0])
        tables["article_text"] = text
    return tables


def source_known_dates(sources):
    """The date each source could first have been known: `date_known`, else `date_published`, else the date it was
    read (`date_accessed`), so a page with no date is never shown before we ourselves had seen it."""
    known = pd.Series(pd.NaT, index=sources.index, dtype="datetime64[ns]")
    for column in ("date_known", "date_published", "date_accessed"):
        if column in sources:
            known = known.fillna(pd.to_datetime(sources[column]))
    return known


def source_own_dates(sources):
    """The date each source gives or that we established for it (`date_known`, else `date_published`), never the day
    we read it: NaT for a page with no date. The only dates a reader is shown as when something became known."""
    known = pd.Series(pd.NaT, index=sources.index, dtype="datetime64[ns]")
    for column in ("date_known", "date_published"):
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
