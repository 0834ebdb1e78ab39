"""Report parameters: defaults from params.yml, overrides checked before anything executes.

The resolved parameters are written as JSON only when they change, so make rebuilds only on a real change.
"""
import argparse
import datetime as dt
import re
import sys
from pathlib import Path

from . import config
from .tables import CONTROL_RANGES

FORBIDDEN_IN_PARAMETER = re.compile(f"[{CONTROL_RANGES}\n]")  # a parameter is one line: no newline either


class ParameterError(ValueError):
    pass


class ConfigError(ParameterError):
    """params.yml itself is wrong (not a value given on the command line)."""


COMMON_KEYS = ("default", "type", "help", "scope")
TYPE_KEYS = {"date": (), "integer": ("minimum", "maximum"), "list": ("choices",), "string": (), "url": ()}
SCOPES = ("notebooks", "assembly")
URL = re.compile(r'https?://[A-Za-z0-9.-]+(:[0-9]+)?([/?#][^\s<>"]*)?')  # as the schema's URL pattern in data/


def _unique_key_loader():
    """A YAML loader that refuses a key given twice in one mapping, where PyYAML would silently keep the last."""
    import yaml

    class UniqueKeyLoader(yaml.SafeLoader):
        def construct_mapping(self, node, deep=False):
            lines = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                line = key_node.start_mark.line + 1
                try:
                    first = lines.setdefault(key, line)
                except TypeError:  # a key that is itself a list or mapping: the base class names it
                    break
                if first != line:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"key {key!r} is given twice, on lines {first} and {line}: keep one",
                        key_node.start_mark)
            return super().construct_mapping(node, deep)

    return UniqueKeyLoader


def _load_yaml(path):
    import yaml  # here, not at the top: a build with nothing to do never reads params.yml

    path = Path(path)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_unique_key_loader())
    except FileNotFoundError:
        raise ConfigError(f"{path.name} is missing: restore it from git (git checkout -- {path.name})") from None
    except UnicodeDecodeError as err:
        raise ConfigError(f"{path.name}: byte 0x{err.object[err.start]:02x} at offset {err.start} is not UTF-8: "
                          f"save the file as UTF-8") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{path.name} line {mark.line + 1}, column {mark.column + 1}" if mark else path.name
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise ConfigError(f"{where}: not valid YAML ({problem}): fix the syntax there") from None


def _check_entry(file, name, entry):
    """Refuse an entry of params.yml with a missing, unknown or ill-typed key, naming the valid keys."""
    where = f"{file}: parameter {name!r}"
    if not isinstance(name, str) or not name.isidentifier():
        raise ConfigError(f"{file}: parameter name {name!r} must be a Python identifier (letters, digits, _)")
    if not isinstance(entry, dict):
        raise ConfigError(f"{where} must be a mapping with the keys {', '.join(COMMON_KEYS)}, found {entry!r}")
    kind = entry.get("type")
    if kind not in TYPE_KEYS:
        raise ConfigError(f"{where} has type {kind!r}: use one of {', '.join(TYPE_KEYS)}")
    allowed = COMMON_KEYS + TYPE_KEYS[kind]
    unknown = [key for key in entry if key not in allowed]
    if unknown:
        raise ConfigError(f"{where} has unknown key(s) {', '.join(map(str, unknown))}; "
                          f"valid keys for type {kind}: {', '.join(allowed)}")
    missing = [key for key in allowed if key not in entry]
    if missing:
        raise ConfigError(f"{where} lacks the key(s) {', '.join(missing)}; a {kind} parameter needs {', '.join(allowed)}")
    if entry["scope"] not in SCOPES:
        raise ConfigError(f"{where} has scope {entry['scope']!r}: use one of {', '.join(SCOPES)}")
    if not isinstance(entry["help"], str) or not entry["help"].strip():
        raise ConfigError(f"{where}: help must be a sentence saying what the parameter does")
    if kind == "integer" and not all(type(entry[k]) is int for k in ("minimum", "maximum")) \
            or kind == "integer" and entry["minimum"] > entry["maximum"]:
        raise ConfigError(f"{where}: minimum and maximum must be whole numbers with minimum <= maximum")
    if kind == "list" and not (isinstance(entry["choices"], list) and entry["choices"]
                               and all(isinstance(c, str) for c in entry["choices"])):
        raise ConfigError(f"{where}: choices must be a non-empty list of names")
    try:
        _coerce(name, entry, entry["default"])
    except ParameterError as err:
        raise ConfigError(f"{file}: the default is refused: {err}") from None


def spec(path=config.PARAMS_FILE):
    """params.yml, checked at every depth: each entry is a mapping with exactly the keys its type allows."""
    entries = _load_yaml(path)
    file = Path(path).name
    if not isinstance(entries, dict) or not entries:
        raise ConfigError(f"{file} must map parameter names to entries with the keys {', '.join(COMMON_KEYS)}")
    for name, entry in entries.items():
        _check_entry(file, name, entry)
    return entries


def defaults(path=config.PARAMS_FILE):
    return {name: entry["default"] for name, entry in spec(path).items()}


def data_date_range(package_path=config.DATAPACKAGE):
    """The range `as_of` may take: from the article's publication to the latest dated row in data/.

    The dates are those the notebooks will see: the tables as `data.load_table` types them.
    """
    from .data import load_table
    from .tables import DataPackage

    package = DataPackage(package_path)
    dated = [load_table(name, package=package)[column].dropna() for name, column in config.ROW_DATE.items()]
    published = load_table("article", package=package)["date_published"].iloc[0]
    return published.date(), max(days.max() for days in dated if len(days)).date()


def _coerce(name, entry, raw):
    kind = entry["type"]
    if kind == "date":
        try:
            return dt.date.fromisoformat(str(raw)).isoformat()
        except ValueError:
            raise ParameterError(f"parameter {name}={raw!r} is not a date: use the ISO form YYYY-MM-DD, "
                                 f"e.g. {entry['default']}") from None
    if kind == "integer":
        try:
            if isinstance(raw, bool) or not isinstance(raw, (int, str)):
                raise ValueError(raw)
            value = int(str(raw).strip())
        except ValueError:
            raise ParameterError(f"parameter {name}={raw!r} is not a whole number") from None
        if not entry["minimum"] <= value <= entry["maximum"]:
            raise ParameterError(f"parameter {name}={value} is out of range: use {entry['minimum']} to {entry['maximum']}")
        return value
    if kind == "list":
        values = raw if isinstance(raw, list) else [v for v in str(raw).replace(",", " ").split() if v]
        unknown = [str(v) for v in values if v not in entry["choices"]]
        if unknown or not values:
            raise ParameterError(f"parameter {name}={raw!r}: {', '.join(unknown) or 'nothing'} is not a valid choice; "
                                 f"choose from {', '.join(entry['choices'])}")
        return [c for c in entry["choices"] if c in values]
    if kind == "url" and raw is None:
        return None  # unset: the report leaves out what needs the address
    if kind in ("string", "url"):
        if not isinstance(raw, str):
            raise ParameterError(f"parameter {name}={raw!r} is not text: quote it in params.yml")
        found = FORBIDDEN_IN_PARAMETER.search(raw)
        if found:
            raise ParameterError(f"parameter {name}: control character U+{ord(found.group()):04X} is not allowed: remove it")
        if kind == "url" and not URL.fullmatch(raw):
            raise ParameterError(f"parameter {name}={raw!r} is not an http or https URL: use a link starting with https://")
        return raw
    raise ParameterError(f"params.yml: parameter {name} has unknown type {kind!r}")


def resolve(overrides=None, params_path=config.PARAMS_FILE, package_path=config.DATAPACKAGE):
    """Defaults with the overrides applied, every value checked. Raises ParameterError naming the valid choices."""
    from .tables import InputError

    entries = spec(params_path)
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - set(entries))
    if unknown:
        raise ParameterError(f"unknown parameter(s) {', '.join(unknown)}; valid parameters: {', '.join(entries)}")
    values = {name: _coerce(name, entry, overrides.get(name, entry["default"])) for name, entry in entries.items()}
    if entries.get("as_of", {}).get("type") != "date":
        raise ConfigError(f"{Path(params_path).name} must define as_of, of type date: the report is cut to it")
    try:
        first, last = data_date_range(package_path)
    except InputError as err:
        raise ParameterError(f"as_of cannot be checked against the data: {err}") from None
    as_of = dt.date.fromisoformat(values["as_of"])
    if not first <= as_of <= last:
        raise ParameterError(f"parameter as_of={as_of} is outside the range the data covers: "
                             f"use a date from {first} (the article's publication) to {last} (the latest dated row in data/)")
    return values


def notebook_parameters(values, params_path=config.PARAMS_FILE):
    entries = spec(params_path)
    return {name: value for name, value in values.items() if entries[name]["scope"] == "notebooks"}


def error_line(err):
    """What the user sees for a bad parameter or parameter file: one line, then that nothing ran."""
    kind = "Bad configuration" if isinstance(err, ConfigError) else "Bad parameter"
    return f"{kind}: {err}\nNothing was executed; report/ is unchanged."


def main(argv=None):
    parser = argparse.ArgumentParser(description="List the report parameters, their defaults and meanings.")
    parser.add_argument("command", choices=["list"])
    parser.add_argument("--params-file", default=str(config.PARAMS_FILE), help="the parameter definitions")
    args = parser.parse_args(argv)
    try:
        for name, entry in spec(args.params_file).items():
            default = entry["default"]
            shown = " ".join(default) if isinstance(default, list) else "unset" if default is None else default
            print(f"{name:<22} default {shown!s:<12} {entry['help']}")
    except ParameterError as err:
        print(error_line(err), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
