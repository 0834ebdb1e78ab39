"""Validate data/ before any notebook runs: the Frictionless schemas first, then the checks they cannot express.

All problems are collected in one pass and reported as `data/<file> row N, field 'f': problem`, where row N
counts the header as row 1, as Frictionless does.
"""
import argparse
import csv
import json
import sys
from itertools import groupby
from dataclasses import dataclass
from pathlib import Path

from frictionless import Package

from . import config


@dataclass(frozen=True, order=True)
class DataError:
    path: str
    row: int
    field: str
    problem: str

    def __str__(self):
        where = self.path
        if self.row:
            where += f" row {self.row}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.problem}"


class DataValidationError(Exception):
    def __init__(self, errors):
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s) in data/:\n" + "\n".join(str(e) for e in errors))


def _file_problem(path):
    """Problems that stop a file from being read at all: missing, empty, not UTF-8."""
    if not path.exists():
        return DataError(f"{path.parent.name}/{path.name}", 0, "", "file is missing")
    raw = path.read_bytes()
    if not raw.strip():
        return DataError(f"{path.parent.name}/{path.name}", 0, "", "file is empty: expected a header row and data rows")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return DataError(f"{path.parent.name}/{path.name}", line, "",
                         f"byte 0x{raw[err.start]:02x} at offset {err.start} is not UTF-8: save the file as UTF-8")
    return None


_FRICTIONLESS_PROBLEMS = {
    "type-error": lambda e, kind: f"{e.cell!r} is not a valid {kind}" + (": expected a real date as YYYY-MM-DD" if kind == "date" else ""),
    "missing-cell": lambda e, kind: "missing cell: the row has fewer cells than the header (ragged row)",
    "extra-cell": lambda e, kind: f"extra cell {e.cell!r}: the row has more cells than the header (ragged row)",
    "primary-key": lambda e, kind: f"duplicate id: {e.note}",
    "foreign-key": lambda e, kind: (f"{', '.join(map(repr, e.field_cells))} does not match any "
                                    f"{', '.join(e.reference_field_names)} in data/{e.reference_name}.csv"),
}


def _friction_error(resource_path, error, field_types, primary_key):
    row = getattr(error, "row_number", 0) or 0
    field = getattr(error, "field_name", "") or ""
    describe = _FRICTIONLESS_PROBLEMS.get(error.type)
    problem = describe(error, field_types.get(field, "value")) if describe else f"{error.title.lower()}: {error.note}"
    if error.type == "constraint-error":
        problem = f"{error.cell!r} breaks a constraint: {error.note}"
        if '"required"' in error.note:
            problem = "is empty, but a value is required"
        elif "enum" in error.note:
            problem = f"{error.cell!r} is not an allowed value; use one of {error.note.split(' is ', 1)[1]}"
    if error.type == "primary-key":
        field = primary_key
    if error.type == "foreign-key":
        field = ", ".join(error.field_names)
    return DataError(resource_path, row, field, problem)


def read_rows(path):
    """The rows of a CSV as dicts of strings, each with its row number (header = row 1)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [(number, row) for number, row in enumerate(csv.DictReader(handle), start=2)]


def _project_checks(tables, article_text, data_dir):
    """Checks Frictionless cannot express: quotes against the article, evidence per claim, orphans, monotone counts."""
    errors = []
    rel = lambda name: f"{data_dir.name}/{name}.csv"
    claims = tables.get("claims", [])
    for number, row in claims:
        quote, start, end = row.get("quote") or "", row.get("start") or "", row.get("end") or ""
        if not (start.isdigit() and end.isdigit()):
            continue  # a type error Frictionless already reports
        actual = article_text[int(start):int(end)]
        if actual != quote:
            found = article_text.find(quote)
            hint = f"the quote is at start={found}, end={found + len(quote)}" if found >= 0 else "the quote is not in data/article.txt"
            errors.append(DataError(rel("claims"), number, "quote",
                                    f"article text at offsets {start}-{end} is {actual[:60]!r}, not the quote; {hint}"))
    if "claim_sources" in tables:
        evidenced = {row["claim_id"] for _, row in tables["claim_sources"]}
        for number, row in claims:
            if row.get("claim_id") and row["claim_id"] not in evidenced:
                errors.append(DataError(rel("claims"), number, "claim_id",
                                        f"claim {row['claim_id']!r} cites no source: add a row to data/claim_sources.csv"))
    if "sources" in tables:
        cited = {row.get("source_id") for name, rows in tables.items() if name != "sources" for _, row in rows}
        for number, row in tables["sources"]:
            if row.get("source_id") and row["source_id"] not in cited:
                errors.append(DataError(rel("sources"), number, "source_id",
                                        f"source {row['source_id']!r} is cited by no data row (orphan): cite it or remove it"))
    # A cumulative count may not fall below any count stated on an earlier date in its series
    # (two statements on the same day may disagree: that is a conflict, recorded side by side).
    highest = {}
    for date, group in groupby(sorted((row.get("date") or "", number, row) for number, row in tables.get("attacks", [])
                                      if (row.get("total") or "").isdigit()), key=lambda item: item[0]):
        group = list(group)
        for _, number, row in group:
            series, total = row.get("series_id"), int(row["total"])
            previous = highest.get(series)
            if previous and total < previous[1] and row.get("flag") != "reported_fall":
                errors.append(DataError(rel("attacks"), number, "total",
                                        f"cumulative count {total} is lower than {previous[1]} (row {previous[0]}) in series "
                                        f"{series!r}: keep it and set flag to 'reported_fall', or correct it"))
        for _, number, row in group:
            series, total = row.get("series_id"), int(row["total"])
            if series not in highest or total > highest[series][1]:
                highest[series] = (number, total)
    article_rows = tables.get("article", [])
    if len(article_rows) != 1 and "article" in tables:
        errors.append(DataError(rel("article"), 0, "", f"expected exactly one row, found {len(article_rows)}"))
    return errors


def validate(package_path=config.DATAPACKAGE):
    """Every problem in the data package, sorted by file and row; an empty list means valid."""
    package_path = Path(package_path)
    data_dir = package_path.parent
    descriptor = json.loads(package_path.read_text(encoding="utf-8"))
    errors, readable = [], []
    for resource in descriptor["resources"]:
        problem = _file_problem(data_dir / resource["path"])
        if problem:
            errors.append(problem)
        else:
            readable.append(resource["name"])
    article_problem = _file_problem(data_dir / config.ARTICLE_TEXT.name)
    if article_problem:
        errors.append(article_problem)
    if errors:
        # Foreign keys into an unreadable file would only add noise: check the readable files alone.
        descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] in readable]
        for resource in descriptor["resources"]:
            resource["schema"]["foreignKeys"] = [
                fk for fk in resource["schema"].get("foreignKeys", []) if fk["reference"]["resource"] in readable]
    package = Package(descriptor, basepath=str(data_dir))
    report = package.validate()
    for task in report.tasks:
        resource = next((r for r in descriptor["resources"] if r["path"] == Path(task.place or "").name), None)
        if resource is None:
            errors.extend(DataError(f"{data_dir.name}/{package_path.name}", 0, "", error.message) for error in task.errors)
            continue
        schema = resource["schema"]
        field_types = {f["name"]: f["type"] for f in schema["fields"]}
        key = schema.get("primaryKey", "")
        errors.extend(_friction_error(f"{data_dir.name}/{resource['path']}", error, field_types,
                                      ", ".join(key) if isinstance(key, list) else key)
                      for error in task.errors)
    tables = {name: read_rows(data_dir / f"{name}.csv") for name in readable}
    article_text = "" if article_problem else (data_dir / config.ARTICLE_TEXT.name).read_text(encoding="utf-8")
    errors.extend(_project_checks(tables, article_text, data_dir))
    return sorted(set(errors))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--package", default=str(config.DATAPACKAGE))
    parser.add_argument("--stamp", help="file to touch when the data is valid")
    args = parser.parse_args(argv)
    errors = validate(args.package)
    if errors:
        print(DataValidationError(errors), file=sys.stderr)
        print("The build stopped before running any notebook; report/ is unchanged.", file=sys.stderr)
        return 1
    if args.stamp:
        Path(args.stamp).parent.mkdir(parents=True, exist_ok=True)
        Path(args.stamp).write_text("valid\n")
    print(f"data/ is valid ({len(json.loads(Path(args.package).read_text())['resources'])} tables)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
