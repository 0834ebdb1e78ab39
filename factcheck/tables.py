"""The one reader of data/: the data package is parsed once and each table read once; everything else asks here.

Validation (the Frictionless typed reading and the project's own checks), `params.data_date_range` and the
notebooks (`data.load_table`, `data.load_inputs`) all take their rows from `DataPackage.table`, and their typed
values from `Table.typed`, so a file that validates is read the same way everywhere. Each table is read following its resource's `path`, `encoding` and `dialect`.

Spreadsheet habits are accepted, here and only here: a UTF-8 byte-order mark (BOM) at the start of a file is
dropped, and CRLF line endings are read as LF (also inside quoted cells). Anything else that is not plain text is
refused: C0 control characters other than tab and newline (a lone carriage return included), DEL and C1 controls,
and the bidirectional overrides U+202A-U+202E and U+2066-U+2069, which can make a cell display other than it reads.
"""
import codecs
import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from . import config

BOM = codecs.BOM_UTF8
CONTROL_RANGES = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"  # controls and bidi overrides (tab and newline allowed)
FORBIDDEN = re.compile(f"[{CONTROL_RANGES}]")
DIALECT_KEYS = {"delimiter": "delimiter", "quoteChar": "quotechar", "doubleQuote": "doublequote",
                "escapeChar": "escapechar", "skipInitialSpace": "skipinitialspace"}
# Dialect keys that describe what this reader does anyway.
DIALECT_IGNORED = {"header", "lineTerminator", "$schema"}


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
        return f"{where}: {self.problem}" if where else self.problem


class InputError(ValueError):
    """An input that cannot be read as it stands; the message is one line naming the file and the fix."""

    def __init__(self, error):
        self.error = error if isinstance(error, DataError) else DataError("", 0, "", str(error))
        super().__init__(str(self.error))


def forbidden_character(text):
    """(description, 1-based position) of the first character refused in text, or None."""
    match = FORBIDDEN.search(text)
    if not match:
        return None
    char = match.group()
    kind = "bidirectional override character" if char >= "\u202a" else "control character"
    return f"{kind} U+{ord(char):04X} at position {match.start() + 1}: remove it", match.start() + 1


def _decode(raw, encoding, display):
    """The text of a file, or the DataError that stops it being read."""
    if not raw.strip():
        return None, DataError(display, 0, "", "file is empty: expected a header row and data rows")
    if codecs.lookup(encoding).name == "utf-8" and raw.startswith(BOM):
        raw = raw[len(BOM):]
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return None, DataError(display, line, "", f"byte 0x{raw[err.start]:02x} at offset {err.start} is not "
                                                   f"{encoding.upper()}: save the file as {encoding.upper()}")
    text = text.replace("\r\n", "\n")
    if "\r" in text:
        # A lone CR ends a CSV record for some readers and not for others: refuse it rather than guess.
        at = text.index("\r")
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        return None, DataError(display, 0, "", f"line {line}: control character U+000D (a carriage return without "
                                                f"a line feed) at position {column}: remove it")
    return text, None


@dataclass
class Table:
    """One CSV as read: its header and rows of strings, numbered as Frictionless does (header = row 1).

    `fatal` holds what stopped the file being read or matched to its schema (one error per file); `problems`
    holds row-level problems the reader itself finds (refused characters). Rows are empty when `fatal` is set.
    """
    name: str
    display: str
    resource: dict
    header: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    fatal: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    _typed: list = None

    @property
    def fields(self):
        return [f["name"] for f in self.resource["schema"]["fields"]]

    def records(self):
        """(row number, {column: string}) for every non-blank row."""
        return [(number, dict(zip(self.header, cells))) for number, cells in self.rows if cells]

    def typed(self):
        """(row number, {column: value}, errors) with each value cast by Frictionless to its schema type."""
        if self._typed is None:
            from frictionless import FrictionlessException, Resource, Schema

            schema = {k: v for k, v in self.resource["schema"].items() if k != "foreignKeys"}  # checked by validate
            try:
                resource = Resource(name=self.name, data=[self.header, *(cells for _, cells in self.rows)],
                                    schema=Schema.from_descriptor(schema))
                with resource:
                    self._typed = [(row.row_number, row.to_dict(), row.errors) for row in resource.row_stream]
            except FrictionlessException as err:
                raise InputError(schema_problem(self, err)) from None
        return self._typed

    def check(self):
        """Raise InputError with the first problem, if any: what `validate` lists, the notebooks refuse."""
        problems = self.fatal + self.problems
        if not problems:
            problems = [describe(self, error) for _, _, errors in self.typed() for error in errors][:1]
        if problems:
            first = problems[0]
            raise InputError(DataError(first.path, first.row, first.field,
                                       first.problem + " (python -m factcheck.validate lists every problem)"))


def _constraint(error, spec):
    if '"required"' in error.note:
        return "is empty, but a value is required"
    if '"enum"' in error.note:
        return f"{error.cell!r} is not an allowed value; use one of {', '.join(spec['constraints']['enum'])}"
    if '"pattern"' in error.note and spec.get("format") == "uri":
        return f"{error.cell!r} is not an http or https URL: a link must start with https:// (or http://)"
    if '"pattern"' in error.note:
        return f"{error.cell!r} does not have the required form {spec['constraints']['pattern']}"
    return f"{error.cell!r} breaks a constraint: {error.note}"


_PROBLEMS = {
    "type-error": lambda e, spec: f"{e.cell!r} is not a valid {spec['type']}"
                                  + (": expected a real date as YYYY-MM-DD" if spec["type"] == "date" else ""),
    "constraint-error": _constraint,
    "missing-cell": lambda e, spec: "missing cell: the row has fewer cells than the header (ragged row)",
    "extra-cell": lambda e, spec: f"extra cell {e.cell!r}: the row has more cells than the header (ragged row)",
    "blank-row": lambda e, spec: "the row is blank: remove the empty line",
    "primary-key": lambda e, spec: "duplicate id: " + e.note.replace("the row at position", "row"),
}


def describe(table, error, package=None):
    """A Frictionless error as a DataError naming the table's file, the row and the field."""
    schema = table.resource["schema"]
    specs = {f["name"]: f for f in schema["fields"]}
    row = getattr(error, "row_number", 0) or 0
    field_name = getattr(error, "field_name", "") or ""
    spec = specs.get(field_name, {"type": "value"})
    describe_one = _PROBLEMS.get(error.type)
    problem = describe_one(error, spec) if describe_one else f"{error.title.lower()}: {error.note}"
    if error.type == "primary-key":
        key = schema.get("primaryKey", "")
        field_name = ", ".join(key) if isinstance(key, list) else key
    if error.type == "foreign-key":
        field_name = ", ".join(error.field_names)
        target = package.resources[error.reference_name]["path"] if package else f"{error.reference_name}.csv"
        problem = (f"{', '.join(map(repr, error.field_cells))} does not match any "
                   f"{', '.join(error.reference_field_names)} in {table.display.split('/')[0]}/{target}")
    return DataError(table.display, row, field_name, problem)


def schema_problem(table, err):
    """A table schema Frictionless cannot use, as one line naming the resource."""
    note = getattr(err.error, "note", "") or str(err)
    return DataError(f"{table.display.split('/')[0]}/datapackage.json", 0, "",
                     f"the schema of resource {table.name!r} is not valid: {note}")


def header_problem(header, expected):
    """One message for everything wrong with a header, naming columns and positions; None if it is right."""
    if header == expected:
        return None
    name = lambda text: "unnamed column" if text == "" else f"column {text!r}"
    parts = []
    for text in dict.fromkeys(h for h in header if header.count(h) > 1):
        positions = [str(i) for i, h in enumerate(header, 1) if h == text]
        parts.append(f"{'an ' if text == '' else ''}{name(text)} appears {len(positions)} times (positions {', '.join(positions)})")
    unknown = [(i, h) for i, h in enumerate(header, 1) if h not in expected]
    missing = [(i, e) for i, e in enumerate(expected, 1) if e not in header]
    renamed = {i for i, _ in unknown if i <= len(expected) and expected[i - 1] not in header}
    for i, text in unknown:
        if i in renamed:
            parts.append(f"expected column {i} {expected[i - 1]!r}, found {text!r}")
        else:
            parts.append(f"unknown {name(text)} at position {i}")
    parts += [f"missing column {e!r} (expected at position {i})" for i, e in missing if i not in renamed]
    if not parts:
        i = next(i for i, (h, e) in enumerate(zip(header, expected), 1) if h != e)
        parts.append(f"columns out of order: expected column {i} {expected[i - 1]!r}, found {header[i - 1]!r}")
    return "; ".join(parts) + f"; the header row must read: {','.join(expected)}"


class DataPackage:
    """data/datapackage.json, parsed once, and its tables, each read once on first use."""

    def __init__(self, package_path=config.DATAPACKAGE):
        self.path = Path(package_path)
        self.dir = self.path.parent
        self.display = f"{self.dir.name}/{self.path.name}"
        self.descriptor = self._parse()
        self.resources = {r["name"]: r for r in self.descriptor["resources"]}
        self._tables = {}
        self._article = None

    def _fail(self, problem, where=""):
        raise InputError(DataError(self.display + where, 0, "", problem))

    def _parse(self):
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            self._fail("file is missing: restore it from git (git checkout -- data/datapackage.json)")
        except OSError as err:
            self._fail(f"cannot be read ({err.strerror})")
        try:
            descriptor = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as err:
            self._fail(f"byte 0x{raw[err.start]:02x} at offset {err.start} is not UTF-8: save the file as UTF-8")
        except json.JSONDecodeError as err:
            self._fail(f"not valid JSON ({err.msg}): fix the syntax there", f" line {err.lineno}, column {err.colno}")
        resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
        if not isinstance(resources, list) or not resources:
            self._fail("expected an object with a non-empty 'resources' list")
        names = set()
        for number, resource in enumerate(resources, 1):
            label = f"resource {number}" + (f" ({resource.get('name')!r})" if isinstance(resource, dict) else "")
            if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
                self._fail(f"{label} needs a 'name'")
            if resource["name"] in names:
                self._fail(f"{label}: the name is used twice")
            names.add(resource["name"])
            path = resource.get("path")
            if not isinstance(path, str) or not self._safe(path):
                self._fail(f"{label} has path {path!r}: use the name of a file inside {self.dir.name}/, e.g. 'events.csv'")
            fields = (resource.get("schema") or {}).get("fields") if isinstance(resource.get("schema"), dict) else None
            if not isinstance(fields, list) or not fields or not all(isinstance(f, dict) and isinstance(f.get("name"), str)
                                                                     for f in fields):
                self._fail(f"{label} needs a schema with a list of named fields")
            encoding = resource.get("encoding", "utf-8")
            try:
                codecs.lookup(encoding)
            except (LookupError, TypeError):
                self._fail(f"{label} has unknown encoding {encoding!r}: use 'utf-8'")
            dialect = resource.get("dialect", {})
            unknown = sorted(set(dialect) - set(DIALECT_KEYS) - DIALECT_IGNORED) if isinstance(dialect, dict) else ["?"]
            if unknown:
                self._fail(f"{label} has dialect keys this reader does not support ({', '.join(unknown)}); "
                           f"supported: {', '.join(DIALECT_KEYS)}")
            if dialect.get("header", True) is not True:
                self._fail(f"{label}: every table needs a header row (dialect header must be true)")
        return descriptor

    @staticmethod
    def _safe(path):
        pure = PurePosixPath(path)
        return bool(path) and "\\" not in path and ":" not in path and not pure.is_absolute() and \
            ".." not in pure.parts and len(pure.parts) == 1

    @property
    def names(self):
        return list(self.resources)

    def path_of(self, name):
        """The file a table is read from, as messages name it: the data folder and the resource's `path`."""
        return f"{self.dir.name}/{self.resources[name]['path']}"

    def table(self, name):
        if name not in self.resources:
            raise InputError(DataError(self.display, 0, "", f"no table named {name!r}; tables: {', '.join(self.resources)}"))
        if name not in self._tables:
            self._tables[name] = self._read(self.resources[name])
        return self._tables[name]

    def _read(self, resource):
        display = self.path_of(resource["name"])
        table = Table(resource["name"], display, resource)
        try:
            raw = (self.dir / resource["path"]).read_bytes()
        except FileNotFoundError:
            table.fatal.append(DataError(display, 0, "", "file is missing"))
            return table
        except OSError as err:
            table.fatal.append(DataError(display, 0, "", f"cannot be read ({err.strerror})"))
            return table
        text, problem = _decode(raw, resource.get("encoding", "utf-8"), display)
        if problem:
            table.fatal.append(problem)
            return table
        options = {DIALECT_KEYS[k]: v for k, v in resource.get("dialect", {}).items() if k in DIALECT_KEYS}
        reader = csv.reader(io.StringIO(text, newline=""), strict=True, **options)
        try:
            rows = list(reader)
        except csv.Error as err:
            table.fatal.append(DataError(display, 0, "", f"line {reader.line_num}: not readable as CSV ({err}): "
                                                          f"check the quotes on that line"))
            return table
        header, expected = rows[0], table.fields
        problem = header_problem(header, expected)
        if problem:
            table.fatal.append(DataError(display, 1, "", problem))
            return table
        table.header = header
        table.rows = list(enumerate(rows[1:], start=2))
        for number, cells in table.rows:
            for position, cell in enumerate(cells):
                found = forbidden_character(cell)
                if found:
                    column = header[position] if position < len(header) else f"column {position + 1}"
                    table.problems.append(DataError(display, number, column, found[0]))
        return table

    def article_text(self, path=None):
        """(text of data/article.txt, problems), read with the same rules as the tables."""
        if self._article is None:
            path = Path(path or self.dir / config.ARTICLE_TEXT.name)
            display = f"{self.dir.name}/{path.name}"
            if not path.exists():
                self._article = ("", [DataError(display, 0, "", "file is missing")])
                return self._article
            text, problem = _decode(path.read_bytes(), "utf-8", display)
            if problem:
                self._article = ("", [problem])
                return self._article
            problems = []
            for line_number, line in enumerate(text.split("\n"), 1):
                found = forbidden_character(line)
                if found:
                    problems.append(DataError(display, 0, "", f"line {line_number}: {found[0]}"))
            self._article = (text, problems)
        return self._article

    def foreign_key_problems(self, names):
        """Rows whose foreign key matches no row of the table it refers to, among the given (readable) tables.

        Done here on the typed rows rather than by Frictionless's package validation, so that validation and
        the notebooks share one typed reading (and validation stays fast). Empty keys are not checked.
        """
        as_list = lambda value: [value] if isinstance(value, str) else list(value)
        problems = []
        for name in names:
            table = self.table(name)
            for key in table.resource["schema"].get("foreignKeys", []):
                target = key["reference"].get("resource") or name
                if target not in names:
                    continue
                fields, target_fields = as_list(key["fields"]), as_list(key["reference"]["fields"])
                known = {tuple(values.get(f) for f in target_fields) for _, values, _ in self.table(target).typed()}
                for number, values, _ in table.typed():
                    cells = tuple(values.get(f) for f in fields)
                    if None not in cells and cells not in known:
                        problems.append(DataError(table.display, number, ", ".join(fields),
                                                  f"{', '.join(repr(str(c)) for c in cells)} does not match any "
                                                  f"{', '.join(target_fields)} in {self.dir.name}/{self.resources[target]['path']}"))
        return problems
