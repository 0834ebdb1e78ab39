"""Load the curated tables with the types their Table Schema declares, and cut them to an `as_of` date.

The rows come from `factcheck.tables`, the reader validation uses, and each value is cast by Frictionless to its
schema type: what validated is what the notebooks get. A table with any problem is refused with its first one.
"""
import pandas as pd

from . import config
from .tables import DataPackage, InputError

__all__ = ["InputError", "load_table", "load_inputs", "as_of_view"]


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


def load_table(name, package_path=config.DATAPACKAGE, package=None):
    """One table of the data package, typed; raises InputError naming the file, row and field of a problem."""
    return frame((package or DataPackage(package_path)).table(name))


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


def as_of_view(tables, as_of):
    """Each table cut to what was published or happened by `as_of`.

    Rows citing a source published later are dropped with that source, so every table shows only
    what could be read at that date.
    """
    as_of = pd.Timestamp(as_of)
    view = {}
    for name, table in tables.items():
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
