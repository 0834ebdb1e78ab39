"""Report parameters: defaults from params.yml, overrides checked before anything executes.

The resolved parameters are written as JSON only when they change, so make rebuilds only on a real change.
"""
import argparse
import csv
import datetime as dt
import json
import sys
from pathlib import Path

import yaml

from . import config


class ParameterError(ValueError):
    pass


def spec(path=config.PARAMS_FILE):
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def defaults(path=config.PARAMS_FILE):
    return {name: entry["default"] for name, entry in spec(path).items()}


def data_date_range(package_path=config.DATAPACKAGE):
    """The range `as_of` may take: from the article's publication to the latest dated row in data/."""
    package_path = Path(package_path)
    dates = []
    for name, column in config.ROW_DATE.items():
        with open(package_path.parent / f"{name}.csv", encoding="utf-8", newline="") as handle:
            dates += [row[column] for row in csv.DictReader(handle) if row.get(column)]
    with open(package_path.parent / "article.csv", encoding="utf-8", newline="") as handle:
        published = next(csv.DictReader(handle))["date_published"]
    return dt.date.fromisoformat(published), max(dt.date.fromisoformat(d) for d in dates)


def _coerce(name, entry, raw):
    kind = entry["type"]
    if kind == "date":
        try:
            return dt.date.fromisoformat(str(raw)).isoformat()
        except ValueError:
            raise ParameterError(f"parameter {name}={raw!r} is not a date: use the ISO form YYYY-MM-DD, e.g. {entry['default']}")
    if kind == "integer":
        try:
            value = int(str(raw))
        except ValueError:
            raise ParameterError(f"parameter {name}={raw!r} is not a whole number")
        if not entry["minimum"] <= value <= entry["maximum"]:
            raise ParameterError(f"parameter {name}={value} is out of range: use {entry['minimum']} to {entry['maximum']}")
        return value
    if kind == "list":
        values = raw if isinstance(raw, list) else [v for v in str(raw).replace(",", " ").split() if v]
        unknown = [v for v in values if v not in entry["choices"]]
        if unknown or not values:
            raise ParameterError(f"parameter {name}={raw!r}: {', '.join(unknown) or 'nothing'} is not a valid choice; "
                                 f"choose from {', '.join(entry['choices'])}")
        return [c for c in entry["choices"] if c in values]
    raise ParameterError(f"params.yml: parameter {name} has unknown type {kind!r}")


def resolve(overrides=None, params_path=config.PARAMS_FILE, package_path=config.DATAPACKAGE):
    """Defaults with the overrides applied, every value checked. Raises ParameterError naming the valid choices."""
    entries = spec(params_path)
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - set(entries))
    if unknown:
        raise ParameterError(f"unknown parameter(s) {', '.join(unknown)}; valid parameters: {', '.join(entries)}")
    values = {name: _coerce(name, entry, overrides.get(name, entry["default"])) for name, entry in entries.items()}
    first, last = data_date_range(package_path)
    as_of = dt.date.fromisoformat(values["as_of"])
    if not first <= as_of <= last:
        raise ParameterError(f"parameter as_of={as_of} is outside the range the data covers: "
                             f"use a date from {first} (the article's publication) to {last} (the latest dated row in data/)")
    return values


def notebook_parameters(values):
    entries = spec()
    return {name: value for name, value in values.items() if entries[name]["scope"] == "notebooks"}


def _parse_assignments(assignments):
    pairs = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        if not sep:
            raise ParameterError(f"parameter {item!r} is not of the form name=value")
        pairs[name.strip()] = value.strip()
    return pairs


def write_if_changed(path, text):
    """Write text to path unless it already holds exactly that: keeps the mtime, so make sees no change."""
    path = Path(path)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description="Resolve or list the report parameters.")
    sub = parser.add_subparsers(dest="command", required=True)
    res = sub.add_parser("resolve")
    res.add_argument("--out", required=True, help="all parameters, for the assembly")
    res.add_argument("--notebook-out", required=True, help="the notebooks' parameters only")
    res.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    sub.add_parser("list")
    args = parser.parse_args(argv)
    if args.command == "list":
        for name, entry in spec().items():
            default = entry["default"]
            shown = " ".join(default) if isinstance(default, list) else default
            print(f"{name:<18} default {shown!s:<12} {entry['help']}")
        return 0
    try:
        values = resolve(_parse_assignments(args.set))
    except ParameterError as err:
        print(f"Bad parameter: {err}\nNothing was executed; report/ is unchanged.", file=sys.stderr)
        return 2
    write_if_changed(args.out, json.dumps(values, indent=2, sort_keys=True) + "\n")
    write_if_changed(args.notebook_out, json.dumps(notebook_parameters(values), indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
