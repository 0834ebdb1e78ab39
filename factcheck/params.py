"""Report parameters: defaults from params.yml, overrides checked before anything executes.

The resolved parameters are written as JSON only when they change, so make rebuilds only on a real change.
"""
import argparse
import contextlib
import datetime as dt
import functools
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
SCOPES = ("notebooks", "assembly")
URL = re.compile(r'https?://[A-Za-z0-9.-]+(:[0-9]+)?([/?#][^\s<>"]*)?')  # as the schema's URL pattern in data/
TYPE_KEYS = {"date": (), "integer": ("minimum", "maximum"), "list": ("choices",), "string": (), "url": ()}
BOUNDS = ": minimum and maximum must be whole numbers with minimum <= maximum"
# params.yml as a JSON Schema (SPEC_SCHEMA). Each key's schema carries the message shown when the key is wrong.
KEY_SCHEMAS = {
    "default": {},
    "type": {"enum": list(TYPE_KEYS), "message": " has type {value!r}: use one of " + ", ".join(TYPE_KEYS)},
    "help": {"type": "string", "pattern": r"\S", "message": ": help must be a sentence saying what the parameter does"},
    "scope": {"enum": list(SCOPES), "message": " has scope {value!r}: use one of " + ", ".join(SCOPES)},
    "minimum": {"type": "integer", "message": BOUNDS},
    "maximum": {"type": "integer", "message": BOUNDS},
    "choices": {"type": "array", "minItems": 1, "items": {"type": "string"},
                "message": ": choices must be a non-empty list of names"},
}
SPEC_SCHEMA = {
    "type": "object", "minProperties": 1,
    "propertyNames": {"type": "string", "pattern": r"^[^\d\W]\w*\Z"},  # str.isidentifier, in Python's re
    "additionalProperties": {
        "type": "object", "required": ["type"], "properties": {"type": KEY_SCHEMAS["type"]},
        "allOf": [{"if": {"required": ["type"], "properties": {"type": {"const": kind}}},
                   "then": {"additionalProperties": False, "required": [*COMMON_KEYS, *keys],
                            "properties": {key: KEY_SCHEMAS[key] for key in COMMON_KEYS + keys}}}
                  for kind, keys in TYPE_KEYS.items()],
    },
}
TEXT = {"type": "string", "not": {"type": "string", "pattern": FORBIDDEN_IN_PARAMETER.pattern}}
# The schema of a value of each type, given its entry; then the message for each JSON Schema keyword a value can break.
VALUE_SCHEMAS = {
    "date": lambda entry: {"type": "string", "format": "date"},
    "integer": lambda entry: {"type": "integer", "minimum": entry["minimum"], "maximum": entry["maximum"]},
    "list": lambda entry: {"type": "array", "minItems": 1, "items": {"enum": entry["choices"]}},
    "string": lambda entry: TEXT,
    "url": lambda entry: TEXT | {"type": ["string", "null"], "pattern": f"^(?:{URL.pattern})$"},  # null: unset
}
NOT_TEXT = "parameter {name}={raw!r} is not text: quote it in params.yml"
RANGE = "parameter {name}={value} is out of range: use {entry[minimum]} to {entry[maximum]}"
CHOICE = "parameter {name}={raw!r}: {unknown} is not a valid choice; choose from {choices}"
VALUE_MESSAGES = {
    "type": {"integer": "parameter {name}={raw!r} is not a whole number", "string": NOT_TEXT, "url": NOT_TEXT},
    "format": "parameter {name}={raw!r} is not a date: use the ISO form YYYY-MM-DD, e.g. {entry[default]}",
    "minimum": RANGE, "maximum": RANGE, "enum": CHOICE, "minItems": CHOICE,
    "not": "parameter {name}: control character U+{char:04X} is not allowed: remove it",
    "pattern": "parameter {name}={raw!r} is not an http or https URL: use a link starting with https://",
}


@functools.cache
def _validator_class():
    """JSON Schema (2020-12) for which a whole number is an int: not 7.0, and not True."""
    from jsonschema import Draft202012Validator, validators

    types = Draft202012Validator.TYPE_CHECKER.redefine("integer", lambda _, value: type(value) is int)
    return validators.extend(Draft202012Validator, type_checker=types)


def _errors(schema, instance):
    from jsonschema import FormatChecker

    return list(_validator_class()(schema, format_checker=FormatChecker()).iter_errors(instance))


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


def _spec_problem(file, entries, errors):
    """The first of params.yml's schema errors as one line naming the parameter, its key and the valid keys."""
    error = errors[0]
    if error.relative_schema_path[0] in ("type", "minProperties"):
        return f"{file} must map parameter names to entries with the keys {', '.join(COMMON_KEYS)}"
    if error.relative_schema_path[0] == "propertyNames":
        return f"{file}: parameter name {error.instance!r} must be a Python identifier (letters, digits, _)"
    name = error.relative_path[0]
    entry, where = entries[name], f"{file}: parameter {name!r}"
    if len(error.relative_path) == 1 and error.validator == "type":
        return f"{where} must be a mapping with the keys {', '.join(COMMON_KEYS)}, found {entry!r}"
    key = error.relative_path[1] if len(error.relative_path) > 1 else "type" if "type" not in entry else None
    if key:
        return where + KEY_SCHEMAS[key]["message"].format(value=entry.get(key))
    allowed = COMMON_KEYS + TYPE_KEYS[entry["type"]]
    if error.validator == "additionalProperties":
        unknown = [key for key in entry if key not in allowed]
        return (f"{where} has unknown key(s) {', '.join(map(str, unknown))}; "
                f"valid keys for type {entry['type']}: {', '.join(allowed)}")
    missing = [key for key in allowed if key not in entry]
    return f"{where} lacks the key(s) {', '.join(missing)}; a {entry['type']} parameter needs {', '.join(allowed)}"


def spec(path=config.PARAMS_FILE):
    """params.yml, checked at every depth against SPEC_SCHEMA: each entry has exactly the keys its type allows."""
    entries = _load_yaml(path)
    file = Path(path).name
    # errors come in SPEC_SCHEMA's order: for an entry, unknown keys first, then missing ones, then wrong values
    errors = _errors(SPEC_SCHEMA, entries)
    if errors:
        raise ConfigError(_spec_problem(file, entries, errors))
    for name, entry in entries.items():
        if entry["type"] == "integer" and entry["minimum"] > entry["maximum"]:  # JSON Schema cannot compare two keys
            raise ConfigError(f"{file}: parameter {name!r}{BOUNDS}")
        try:
            _coerce(name, entry, entry["default"])
        except ParameterError as err:
            raise ConfigError(f"{file}: the default is refused: {err}") from None
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
    """A value from params.yml or the command line, in its type's form, checked against its entry's schema."""
    kind = entry["type"]
    if kind not in VALUE_SCHEMAS:
        raise ParameterError(f"params.yml: parameter {name} has unknown type {kind!r}")
    value = raw
    if kind == "date":
        value = str(raw)  # YAML reads an unquoted 2024-01-10 as a date
    elif kind == "integer" and isinstance(raw, str):
        with contextlib.suppress(ValueError):  # left as text, the schema refuses it as no whole number
            value = int(raw)
    elif kind == "list" and not isinstance(raw, list):
        value = str(raw).replace(",", " ").split()
    errors = _errors(VALUE_SCHEMAS[kind](entry), value)
    if errors:
        error = errors[0]
        unknown = [str(e.instance) for e in errors if e.validator == "enum"]
        found = FORBIDDEN_IN_PARAMETER.search(value) if error.validator == "not" else None
        message = VALUE_MESSAGES[error.validator]
        message = message[kind] if error.validator == "type" else message
        raise ParameterError(message.format(name=name, raw=raw, value=value, entry=entry, char=found and ord(found.group()),
                                            unknown=", ".join(unknown) or "nothing", choices=", ".join(entry.get("choices", ()))))
    return [c for c in entry["choices"] if c in value] if kind == "list" else value


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
