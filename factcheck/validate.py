"""Validate data/ before any notebook runs: the Frictionless schemas first, then the checks they cannot express.

All problems are collected in one pass and reported as `data/<file> row N, field 'f': problem`, where row N
counts the header as row 1, as Frictionless does. Every table is read once, by `factcheck.tables`: its Frictionless
typed reading (types, constraints, keys) and the project's own checks see exactly the rows the notebooks will. A file whose header is
wrong is reported once, with the column's name and position, and its rows are not checked further.
"""
import argparse
import sys

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


PROJECT_CHECKS = (quotes_are_the_article_text, every_claim_cites_a_source, the_article_is_one_row)
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
        return [err.error]
    errors, readable = [], []
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
                errors += [describe(table, error, package) for error in row_errors if not _follow_on(error, row_errors)]
    except InputError as err:
        return sorted(set(errors + [err.error]))
    errors += package.foreign_key_problems(readable)
    tables = {name: package.table(name).records() for name in readable}
    complete = len(readable) == len(package.names) and not article_problems
    for check in PROJECT_CHECKS + (WHOLE_PACKAGE_CHECKS if complete else ()):
        errors += check(tables, "" if article_problems else article_text, package.path_of)
    if not errors:  # checks across tables assume every table read cleanly
        from .consistency import consistency_errors
        from .data import load_table

        errors += consistency_errors({name: load_table(name, package=package) for name in package.names}, package.path_of)
    return sorted(set(errors))


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
