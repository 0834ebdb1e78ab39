"""Validate data/ before any notebook runs: the Frictionless schemas first, then the checks they cannot express.

All problems are collected in one pass and reported as `data/<file> row N, field 'f': problem`, where row N
counts the header as row 1, as Frictionless does. Every table is read once, by `factcheck.tables`: its Frictionless
typed reading (types, constraints, keys) and the project's own checks see exactly the rows the notebooks will. A file whose header is
wrong is reported once, with the column's name and position, and its rows are not checked further.
"""
import argparse
import sys
from itertools import groupby

from . import config
from .tables import DataError, DataPackage, InputError, describe

__all__ = ["DataError", "DataValidationError", "validate", "main"]


class DataValidationError(Exception):
    def __init__(self, errors):
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s) in data/:\n" + "\n".join(str(e) for e in errors))


# The checks Frictionless cannot express. Each takes the tables as {name: [(row number, row)]}, the article's text ("" if
# it could not be read) and `path_of(name)`, the file a table was read from as the data package names it.

def quotes_are_the_article_text(tables, article_text, path_of):
    """Each claim's quote is the article's text at the claim's offsets (with a hint where the quote really is)."""
    errors = []
    for number, row in (tables.get("claims", []) if article_text else []):
        quote, start, end = row.get("quote") or "", row.get("start") or "", row.get("end") or ""
        if not (start.isdigit() and end.isdigit()):
            continue  # a type error Frictionless already reports
        actual = article_text[int(start):int(end)]
        if actual != quote:
            found = article_text.find(quote)
            hint = f"the quote is at start={found}, end={found + len(quote)}" if found >= 0 else "the quote is not in data/article.txt"
            errors.append(DataError(path_of("claims"), number, "quote",
                                    f"article text at offsets {start}-{end} is {actual[:60]!r}, not the quote; {hint}"))
    return errors


def every_claim_cites_a_source(tables, article_text, path_of):
    if "claim_sources" not in tables:
        return []
    evidenced = {row["claim_id"] for _, row in tables["claim_sources"]}
    return [DataError(path_of("claims"), number, "claim_id",
                      f"claim {row['claim_id']!r} cites no source: add a row to data/claim_sources.csv")
            for number, row in tables.get("claims", []) if row.get("claim_id") and row["claim_id"] not in evidenced]


def every_source_is_cited(tables, article_text, path_of):
    """A source no data row cites is an orphan. Needs every table: run only when all of them could be read."""
    if "sources" not in tables:
        return []
    cited = {row.get("source_id") for name, rows in tables.items() if name != "sources" for _, row in rows}
    return [DataError(path_of("sources"), number, "source_id",
                      f"source {row['source_id']!r} is cited by no data row (orphan): cite it or remove it")
            for number, row in tables["sources"] if row.get("source_id") and row["source_id"] not in cited]


def the_article_is_one_row(tables, article_text, path_of):
    if "article" not in tables:
        return []
    rows = tables["article"]
    if not rows:
        return [DataError(path_of("article"), 2, "", "no row: the file must hold exactly one row, the article's")]
    return [DataError(path_of("article"), number, "", f"extra row: the file must hold exactly one row (found {len(rows)}); remove it")
            for number, _ in rows[1:]]


# What every claim needs before it is published (CONTRIBUTING.md, "Add a claim"): the fields of its verdict, a summary
# row (the front page's table and the ClaimReview are built from claims joined with their summaries); its source is
# every_claim_cites_a_source's.
VERDICT_FIELDS = ("verdict", "conclusion", "explanation", "checked")
CLAIM_PARTS = {"claim_summaries": "has no summary: add a row to data/claim_summaries.csv (claim_id, summary, claimant)"}


def incomplete_claims(tables, article_text, path_of):
    """One error per missing part of each claim, naming the claim and the part: a claim must never drop out of the
    report's counts, or reach it without its verdict, for want of a row elsewhere."""
    errors = []
    present = {name: {row.get("claim_id") for _, row in tables[name]} for name in CLAIM_PARTS if name in tables}
    for number, row in tables.get("claims", []):
        claim = row.get("claim_id")
        if not claim:
            continue
        errors += [DataError(path_of("claims"), number, field, f"claim {claim!r} has no {field}: fill it in "
                              f"(a verdict needs {', '.join(VERDICT_FIELDS)})")
                   for field in VERDICT_FIELDS if not (row.get(field) or "").strip()]
        errors += [DataError(path_of("claims"), number, "claim_id", f"claim {claim!r} {problem}")
                   for name, problem in CLAIM_PARTS.items() if name in present and claim not in present[name]]
    return errors


PROJECT_CHECKS = (quotes_are_the_article_text, incomplete_claims, every_claim_cites_a_source, the_article_is_one_row)
WHOLE_PACKAGE_CHECKS = (every_source_is_cited,)


def _follow_on(error, errors):
    """A required-value error in a cell that is missing, or a duplicate-key error on a blank row: noise."""
    row = getattr(error, "row_number", None)
    if error.type == "constraint-error":
        return any(e.type == "missing-cell" and e.row_number == row and e.field_name == error.field_name for e in errors)
    if error.type == "primary-key":
        return any(e.type == "blank-row" and e.row_number == row for e in errors)
    return False


def validate(package_path=config.DATAPACKAGE):
    """Every problem in the data package, sorted by file and row; an empty list means valid."""
    try:
        package = DataPackage(package_path)
    except InputError as err:
        return err.errors
    errors = package.schema_problems()
    if errors:  # every table would be read against a schema that is wrong
        return errors
    missing = _missing_resources(package)
    errors, readable = package.folder_problems() + missing, []
    for name in package.names:
        table = package.table(name)
        errors += table.fatal + table.problems
        if not table.fatal:
            readable.append(name)
    article_text, article_problems = package.article_text()
    errors += article_problems
    try:
        for name in readable:
            table = package.table(name)
            for _, _, row_errors in table.typed():
                errors += [describe(table, error) for error in row_errors if not _follow_on(error, row_errors)]
    except InputError as err:
        return sorted(set(errors + [err.error]))
    errors += package.foreign_key_problems(readable)
    errors += _late_dates(package, readable)
    tables = {name: package.table(name).records() for name in readable}
    complete = not missing and len(readable) == len(package.names) and not article_problems
    project = [error for check in PROJECT_CHECKS + (WHOLE_PACKAGE_CHECKS if complete else ())
               for error in check(tables, "" if article_problems else article_text, package.path_of)]
    # an empty verdict field is reported once, naming the claim, instead of by the schema's bare "a value is required"
    named = {(e.path, e.row, e.field) for e in project if e.field in VERDICT_FIELDS}
    errors = [e for e in errors if (e.path, e.row, e.field) not in named] + project
    if not errors:  # checks across tables assume every table read cleanly
        from .consistency import consistency_errors
        from .data import load_table

        errors += consistency_errors({name: load_table(name, package=package) for name in package.names}, package.path_of)
    return capped(sorted(set(errors)))


def _bound(package, rule, readable):
    """(latest date allowed, what it is) by a field's `notAfter` rule in the schema; (None, '') if it cannot be known."""
    import datetime as dt

    if rule == "as_of":
        from .params import ParameterError, defaults

        try:
            as_of = dt.date.fromisoformat(defaults()["as_of"])
        except (ParameterError, KeyError, ValueError):
            return None, ""  # params.yml is refused on its own
        return as_of, (f"{as_of}, the standard report's as_of: correct the date, or move as_of in "
                       f"{config.PARAMS_FILE.name} forward")
    name, field_name = rule.split(".", 1)
    if name not in readable:
        return None, ""
    table = package.table(name)
    dates = [values[field_name] for _, values, _ in table.typed() if values.get(field_name)]
    if not dates:
        return None, ""
    return max(dates), f"{max(dates)}, the latest {field_name} in {table.display}: correct the date, or log the update there"


def _late_dates(package, readable):
    """Dates after what their field's `notAfter` rule in the schema allows (see `_bound`)."""
    problems, bounds = [], {}
    for name in readable:
        table = package.table(name)
        for spec in table.resource["schema"]["fields"]:
            rule = spec.get("notAfter")
            if not rule:
                continue
            if rule not in bounds:
                bounds[rule] = _bound(package, rule, readable)
            bound, why = bounds[rule]
            problems += [DataError(table.display, number, spec["name"], f"{values[spec['name']]} is after {why}")
                         for number, values, _ in table.typed()
                         if bound is not None and values.get(spec["name"]) and values[spec["name"]] > bound]
    return problems


def _missing_resources(package):
    """A table the notebooks read, gone from the descriptor: named before anything it leaves orphaned."""
    readers = {}
    for notebook, names in config.NOTEBOOK_INPUTS.items():
        for name in names:
            readers.setdefault(name, []).append(notebook)
    return [DataError(package.display, 0, "", f"no resource named {name!r}, which notebooks {', '.join(readers[name])} "
                                              f"read: restore it (git checkout -- {package.display})")
            for name in sorted(set(readers) - set(package.names))]


MAX_PER_FILE = 50


def capped(errors):
    """At most MAX_PER_FILE problems per file, then one line with how many more there are."""
    shown = []
    for path, group in groupby(errors, key=lambda e: e.path):
        group = list(group)
        shown += group[:MAX_PER_FILE]
        if len(group) > MAX_PER_FILE:
            shown.append(DataError(path, 0, "", f"... and {len(group) - MAX_PER_FILE} more problem(s), "
                                                f"{len(group)} in all: fix these and run again"))
    return shown


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--package", default=str(config.DATAPACKAGE))
    args = parser.parse_args(argv)
    errors = validate(args.package)
    if errors:
        print(DataValidationError(errors), file=sys.stderr)
        print("The build stopped before running any notebook; report/ is unchanged.", file=sys.stderr)
        return 1
    print(f"data/ is valid ({len(DataPackage(args.package).names)} tables)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
