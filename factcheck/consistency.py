"""Checks that the data agree with themselves: what a card says, the rows it rests on, and the counts it adds up.

`consistency_errors(tables)` takes the tables as `factcheck.data.load_table` returns them and gives one
`DataError` per problem, with row numbers that count the header as row 1. Each check skips quietly when a
table it needs is not given, so a caller may pass only the tables it has.
"""
import functools
import re

import pandas as pd

from .claims import WRONG
from .data import source_known_dates
from .tables import DataPackage
from .validate import DataError
from .vocab import SOURCE_ID

# Reliability classes a checkable verdict may rest on (RESEARCH.md: official text, wire copy, major outlet).
STRONG_CLASSES = {"primary", "wire", "major_outlet"}
# Verdicts that do not need a strong source: a judgement, or nothing found either way.
NO_SOURCE_NEEDED = {"opinion", "unverifiable"}
# Forecast statuses that score a prediction; a conditional forecast whose trigger never came cannot get them.
SCORED = {"borne_out", "not_borne_out"}
CLAIM_TEXT = ("conclusion", "explanation", "conflict", "conclusion_at_publication")


def check(function):
    """A consistency check, `function(tables, path_of)`: `path_of(name)` is the file a table was read from, as the data
    package names it (validation passes its package's; by default, the project's)."""
    @functools.wraps(function)
    def run(tables, path_of=None):
        return function(tables, path_of or DataPackage().path_of)
    return run


def _rows(frame):
    """(row number counting the header as row 1, row) for every row of a frame, in file order."""
    return ((number, row) for number, (_, row) in enumerate(frame.iterrows(), start=2))


def _text(value):
    return value if isinstance(value, str) else ""


@check
def citations_in_claim_text(tables, path_of):
    """Every source id written in a claim's conclusion, explanation or conflict text is one of its evidence rows."""
    claims, evidence = tables.get("claims"), tables.get("claim_sources")
    if claims is None or evidence is None:
        return []
    cited = evidence.groupby("claim_id")["source_id"].agg(set).to_dict()
    known = set(tables["sources"]["source_id"]) if "sources" in tables else None
    errors = []
    for number, row in _rows(claims):
        for field in CLAIM_TEXT:
            if field not in claims:
                continue
            for source_id in dict.fromkeys(SOURCE_ID.findall(_text(row[field]))):
                if known is not None and source_id not in known:
                    errors.append(DataError(path_of("claims"), number, field,
                                            f"cites {source_id!r}, which is not in data/sources.csv"))
                elif source_id not in cited.get(row["claim_id"], set()):
                    errors.append(DataError(path_of("claims"), number, field,
                                            f"cites {source_id!r}, which is not among claim {row['claim_id']}'s evidence: "
                                            f"add a row ({row['claim_id']}, {source_id}) to data/claim_sources.csv or cite a source it has"))
    updates = tables.get("claim_updates")
    for number, row in _rows(updates) if updates is not None else ():
        for source_id in dict.fromkeys([row["source_id"], *SOURCE_ID.findall(_text(row["text"]))]):
            if source_id not in cited.get(row["claim_id"], set()):
                errors.append(DataError(path_of("claim_updates"), number, "text" if source_id != row["source_id"] else "source_id",
                                        f"cites {source_id!r}, which is not among claim {row['claim_id']}'s evidence in data/claim_sources.csv"))
    return errors


@check
def components_add_up(tables, path_of):
    """In attacks, the parts given (iraq + syria + other) add up to the total, unless a flag says why not."""
    attacks = tables.get("attacks")
    if attacks is None:
        return []
    errors = []
    for number, row in _rows(attacks):
        parts = [row[c] for c in ("iraq", "syria", "other") if c in attacks and not pd.isna(row[c])]
        if not parts or pd.isna(row["total"]) or _text(row.get("flag")):
            continue
        if sum(int(p) for p in parts) != int(row["total"]):
            errors.append(DataError(path_of("attacks"), number, "total",
                                    f"iraq + syria + other = {sum(int(p) for p in parts)}, not the total {int(row['total'])}: "
                                    "correct the split, or keep it as printed and set flag to 'split_mismatch'"))
    return errors


@check
def strong_sourcing(tables, path_of):
    """A verdict other than opinion or unverifiable rests on at least one primary, wire or major-outlet source;
    where none was found the claim's `sourcing_note` says so in words (and only then)."""
    claims, evidence, sources = tables.get("claims"), tables.get("claim_sources"), tables.get("sources")
    if claims is None or evidence is None or sources is None:
        return []
    classes = evidence.merge(sources[["source_id", "reliability"]], on="source_id", how="left")
    strong = set(classes.loc[classes["reliability"].isin(STRONG_CLASSES), "claim_id"])
    errors = []
    for number, row in _rows(claims):
        note = _text(row.get("sourcing_note")).strip()
        if row["verdict"] in NO_SOURCE_NEEDED:
            continue
        if row["claim_id"] not in strong and not note:
            errors.append(DataError(path_of("claims"), number, "sourcing_note",
                                    f"claim {row['claim_id']} ({row['verdict']}) rests on no primary, wire or major-outlet "
                                    "source: cite one, or say in sourcing_note that none was found"))
        elif row["claim_id"] in strong and note:
            errors.append(DataError(path_of("claims"), number, "sourcing_note",
                                    f"claim {row['claim_id']} rests on a primary, wire or major-outlet source, "
                                    "so the note that none was found is wrong: empty it"))
    return errors


@check
def conditional_forecasts(tables, path_of):
    """A conditional forecast whose trigger did not occur cannot be scored borne_out or not_borne_out, and
    `condition_not_met` is only for a forecast whose condition is recorded as not met."""
    outcomes = tables.get("forecast_outcomes")
    if outcomes is None or "condition_met" not in outcomes:
        return []
    errors = []
    for number, row in _rows(outcomes):
        met, status = _text(row["condition_met"]), row["status"]
        if met == "no" and status in SCORED:
            errors.append(DataError(path_of("forecast_outcomes"), number, "status",
                                    f"{status!r} scores a forecast whose condition never occurred: use 'condition_not_met'"))
        elif status == "condition_not_met" and met != "no":
            errors.append(DataError(path_of("forecast_outcomes"), number, "condition_met",
                                    "status 'condition_not_met' needs condition_met 'no'"))
    return errors


@check
def errors_say_which_text(tables, path_of):
    """Every claim rated partly supported or inaccurate says which text its error is in (DW's original or the
    republication we checked), and no other claim does: the headline counts the two apart."""
    claims = tables.get("claims")
    if claims is None or "error_in" not in claims:
        return []
    errors = []
    for number, row in _rows(claims):
        wrong, said = row["verdict"] in WRONG, _text(row["error_in"])
        if wrong and not said:
            errors.append(DataError(path_of("claims"), number, "error_in",
                                    f"claim {row['claim_id']} is rated {row['verdict']}: say whether the error is in "
                                    "the 'original' or came with the 'republication'"))
        elif said and not wrong:
            errors.append(DataError(path_of("claims"), number, "error_in",
                                    f"claim {row['claim_id']} is rated {row['verdict']}, which has no error: empty it"))
    return errors


def known_dates(sources):
    """The date each source could first have been known, as the as_of view cuts it."""
    return dict(zip(sources["source_id"], source_known_dates(sources)))


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
DATE_IN_TEXT = re.compile(r"\b(?:(\d{1,2}) )?(" + "|".join(MONTHS) + r") (\d{4})\b")


def dates_in_text(text):
    """The dates a text names ("7 February 2024", or "February 2024" read as its first day)."""
    return [pd.Timestamp(int(year), MONTHS.index(month) + 1, int(day or 1))
            for day, month, year in DATE_IN_TEXT.findall(_text(text))]


@check
def publication_text_is_of_its_time(tables, path_of):
    """What a card shows at the article's publication cites no source that could only be known later:
    the explanation, and the conclusion at publication (or the conclusion, where the verdict did not change)."""
    claims, sources, article = tables.get("claims"), tables.get("sources"), tables.get("article")
    if claims is None or sources is None or article is None:
        return []
    published = article.iloc[0]["date_published"]
    known = known_dates(sources)
    errors = []
    for number, row in _rows(claims):
        changed = bool(_text(row.get("verdict_at_publication")))
        fields = ["explanation", "conclusion_at_publication" if changed else "conclusion"]
        for field in fields:
            later = [d for d in dates_in_text(row.get(field)) if d > published]
            if later:
                errors.append(DataError(path_of("claims"), number, field,
                                        f"names {later[0].date()}, after the article's publication ({published.date()}): "
                                        "move that part to data/claim_updates.csv"))
            for source_id in dict.fromkeys(SOURCE_ID.findall(_text(row.get(field)))):
                date = known.get(source_id)
                if date is not None and not pd.isna(date) and date > published:
                    errors.append(DataError(path_of("claims"), number, field,
                                            f"cites {source_id!r}, first known {date.date()}, after the article's publication "
                                            f"({published.date()}): move it to data/claim_updates.csv"))
    return errors


@check
def publication_verdict_uses_early_evidence(tables, path_of):
    """A verdict at publication (verdict_at_publication, or the verdict where that is empty) rests on evidence known
    by the article's date: a checkable verdict needs at least one evidence row whose source was known by then."""
    claims, evidence, sources, article = (tables.get(n) for n in ("claims", "claim_sources", "sources", "article"))
    if claims is None or evidence is None or sources is None or article is None:
        return []
    published = article.iloc[0]["date_published"]
    known = known_dates(sources)
    first_known = pd.to_datetime(evidence["source_id"].map(known))
    early = set(evidence.loc[first_known.notna() & (first_known <= published), "claim_id"])
    errors = []
    for number, row in _rows(claims):
        verdict = _text(row.get("verdict_at_publication")) or row["verdict"]
        if verdict in {"supported", "partly_supported", "inaccurate"} and row["claim_id"] not in early:
            field = "verdict_at_publication" if _text(row.get("verdict_at_publication")) else "verdict"
            errors.append(DataError(path_of("claims"), number, field,
                                    f"claim {row['claim_id']} is rated {verdict!r} at publication, but none of its evidence "
                                    f"was known by {published.date()}: set verdict_at_publication to 'unverifiable'"))
    return errors


@check
def changed_on_is_when_the_later_evidence_came(tables, path_of):
    """A claim whose verdict changed after publication records, in `changed_on`, the date its first later evidence
    could be known: the earliest date, after the article's, on which one of its sources could first be known."""
    claims, evidence, sources, article = (tables.get(n) for n in ("claims", "claim_sources", "sources", "article"))
    if claims is None or evidence is None or sources is None or article is None or "changed_on" not in claims:
        return []
    published = article.iloc[0]["date_published"]
    first_known = pd.to_datetime(evidence["source_id"].map(known_dates(sources)))
    later = evidence.assign(known=first_known)[first_known > published].groupby("claim_id")["known"].min()
    errors = []
    for number, row in _rows(claims):
        if not _text(row.get("verdict_at_publication")):
            continue
        expected = later.get(row["claim_id"])
        if expected is None:
            errors.append(DataError(path_of("claims"), number, "verdict_at_publication",
                                    f"claim {row['claim_id']} has no evidence known after {published.date()}, so nothing "
                                    "changed its verdict: empty verdict_at_publication, or cite the later evidence"))
        elif pd.isna(row["changed_on"]) or row["changed_on"] != expected:
            errors.append(DataError(path_of("claims"), number, "changed_on",
                                    f"is {'empty' if pd.isna(row['changed_on']) else row['changed_on'].date()}, but the first "
                                    f"later evidence for claim {row['claim_id']} could be known on {expected.date()}: set it to that date"))
    return errors


@check
def updates_dated_from_their_source(tables, path_of):
    """A claim update is dated by its source: the date is the one its source could first have been known, neither
    earlier (shown before it existed) nor later (a typed date gone stale)."""
    updates, sources = tables.get("claim_updates"), tables.get("sources")
    if updates is None or sources is None:
        return []
    known = known_dates(sources)
    errors = []
    for number, row in _rows(updates):
        first = known.get(row["source_id"])
        if first is not None and not pd.isna(first) and row["date"] != first:
            errors.append(DataError(path_of("claim_updates"), number, "date",
                                    f"{row['date'].date()} is {'before' if row['date'] < first else 'after'} the date "
                                    f"{row['source_id']!r} could first have been known ({first.date()}): set it to that date"))
    return errors


# The free text the report renders with `render.plain`, where a note may name another row by its id, and the tables
# whose rows each field may name: a source (shown as a numbered link to that evidence item, or as the outlet's name)
# and, where the report knows the claims' numbers, a claim (shown as "claim 18", its number in reading order).
# Everywhere else text is printed as written, so no internal id may appear in it.
WITH_CLAIMS = ("sources", "claims")
REFERENCE_TEXT = {"claims": {"explanation": WITH_CLAIMS, "conflict": WITH_CLAIMS}, "claim_updates": {"text": WITH_CLAIMS},
                  "attacks": {"note": ("sources",)}, "troop_levels": {"note": ("sources",)},
                  "article": {"date_reasoning": ("sources",)}}
ID_SHAPE = re.compile(r"^([A-Za-z]+)(\d+)$")


def internal_ids(tables):
    """Each table's own ids: {table: set of ids}. An id column is a column named *_id whose values are all letters
    then digits; it belongs to the table holding the most distinct values of it (claims, not claim_summaries)."""
    owners = {}
    for name, frame in tables.items():
        if not hasattr(frame, "columns"):
            continue
        for column in frame.columns:
            values = set(frame[column].dropna().astype(str)) if column.endswith("_id") else set()
            if values and all(ID_SHAPE.match(v) for v in values) and len(values) > len(owners.get(column, ("", set()))[1]):
                owners[column] = (name, values)
    return dict(owners.values())


def id_patterns(tables):
    """Each table's internal ids as a pattern, derived from its ids, not from a list kept by hand: {table: regex}. The
    pattern takes every prefix and digit count in use ('a001', 'tr026' and 'C16' give a|tr with 3 digits, C with 2),
    so it also catches the id of a row since dropped, such as 'X032'."""
    patterns = {}
    for name, values in internal_ids(tables).items():
        shapes = {}
        for value in values:
            prefix, digits = ID_SHAPE.match(value).groups()
            shapes.setdefault(len(digits), set()).add(prefix)
        alternatives = [rf"(?:{'|'.join(sorted(prefixes))})\d{{{n}}}" for n, prefixes in sorted(shapes.items())]
        patterns[name] = re.compile(rf"\b(?:{'|'.join(alternatives)})\b")
    return patterns


def _ids_in(text, patterns):
    """(table, id) for every internal id a text names, in the order it names them."""
    text = _text(text)
    if not any(char.isdigit() for char in text):  # every id ends in digits (ID_SHAPE); most cells hold none
        return []
    found = sorted((match.start(), name, match.group(0)) for name, pattern in patterns.items()
                   for match in pattern.finditer(text))
    return list(dict.fromkeys((name, token) for _, name, token in found))


def _text_cells(tables, printed_as_written=False):
    """(table, row number, field, text) for every cell of free text: strings other than ids and addresses. With
    `printed_as_written`, only the fields the report does not render with references."""
    for name, frame in tables.items():
        if not hasattr(frame, "columns"):
            continue
        for field in frame.columns:
            if str(frame[field].dtype) not in ("object", "str") or field.endswith("_id") or field == "url":
                continue
            if printed_as_written and field in REFERENCE_TEXT.get(name, {}):
                continue
            for number, value in enumerate(frame[field], start=2):
                yield name, number, field, _text(value)


@check
def references_resolve(tables, path_of):
    """Every row a text names by its id exists: a note naming a dropped or mistyped row fails here instead of going
    stale on the page. In the text the report renders with references (REFERENCE_TEXT) the row must also be one the
    report has words for there: a source, or a claim where the claims' numbers are known; never an expulsion call or
    an event."""
    known, patterns = internal_ids(tables), id_patterns(tables)
    errors = []
    for name, number, field, value in _text_cells(tables):
        for table, token in _ids_in(value, patterns):
            if token not in known[table]:
                errors.append(DataError(path_of(name), number, field,
                                        f"names {token!r}, which is not a row of {path_of(table)} (dropped or mistyped): "
                                        "name a row that exists, or take the reference out"))
            elif field in REFERENCE_TEXT.get(name, {}) and table not in REFERENCE_TEXT[name][field]:
                errors.append(DataError(path_of(name), number, field,
                                        f"names {token!r}, a row of {path_of(table)}, by its internal id, which the report "
                                        "cannot show a reader here: describe that row in words"))
    return errors


TYPED_CLAIM_NUMBER = re.compile(r"\b(?:[Cc]laims?|[Cc]ards?) \d{1,3}\b")


@check
def claim_numbers_are_never_typed(tables, path_of):
    """No free text types a claim's number ("claim 18", "card 17"): the numbers follow the claims' order in the
    article and shift when a claim is added, so a note names a claim by its id where the report renders references."""
    return [DataError(path_of(name), number, field, f"types {typed!r}, a number that shifts when a claim is added: name the "
                      "claim by its id (e.g. 'C16') in a field that renders references, or describe it")
            for name, number, field, value in _text_cells(tables)
            for typed in dict.fromkeys(TYPED_CLAIM_NUMBER.findall(value))]


@check
def no_internal_ids_in_reader_text(tables, path_of):
    """No internal id in the free text a reader sees as written: outside the text rendered with references (see
    REFERENCE_TEXT), an id such as 'a001', 'C16' or 'X032' would reach the page and the PDF unchanged."""
    patterns = id_patterns(tables)
    return [DataError(path_of(name), number, field, f"shows the internal id {token!r} ({path_of(table)}) to the reader: this "
                      "field is printed as written, so name the outlet or the claim in words")
            for name, number, field, value in _text_cells(tables, printed_as_written=True)
            for table, token in _ids_in(value, patterns)]


CHECKS = (citations_in_claim_text, references_resolve, no_internal_ids_in_reader_text, claim_numbers_are_never_typed,
          components_add_up, strong_sourcing, conditional_forecasts, errors_say_which_text, publication_text_is_of_its_time,
          publication_verdict_uses_early_evidence, changed_on_is_when_the_later_evidence_came, updates_dated_from_their_source)


def consistency_errors(tables, path_of=None):
    """Every consistency problem in the tables, sorted by file and row; an empty list means consistent."""
    return sorted(error for run in CHECKS for error in run(tables, path_of))
