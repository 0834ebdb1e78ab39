"""Hostile input and faults: no value can blank the page, run a command, or leave a stale, missing or half report."""
import contextlib
import csv
import errno
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import html5rdf
import nbformat
import pytest

from factcheck import cli, config, data, params, tables, validate
from factcheck.config import PUBLICATION_MIMETYPE, VEGA_LITE_MIMETYPE
from factcheck.params import ParameterError
from factcheck.pipeline import publish
from factcheck.pipeline.assemble import assemble
from tests.helpers import copy_project, rewrite_csv, run_make

HOSTILE = "<!--<script>alert(1)</script>&\u2028"


def _chart(text):
    """A Vega-Lite bar chart whose label and description are `text`."""
    return {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "description": text,
            "data": {"values": [{"label": text, "count": 1}]}, "mark": "bar",
            "encoding": {"x": {"field": "label", "type": "nominal"}, "y": {"field": "count", "type": "quantitative"}}}


def _executed_notebook(path, record, markdown="The closing paragraph is still on the page."):
    nb = nbformat.v4.new_notebook()
    published = nbformat.v4.new_code_cell("publish(record)", metadata={"tags": ["remove-cell"]})
    published.outputs = [nbformat.v4.new_output("display_data", data={PUBLICATION_MIMETYPE: record})]
    chart = nbformat.v4.new_code_cell("chart", metadata={"tags": ["remove-input", "chart"]})
    chart.outputs = [nbformat.v4.new_output("display_data", data={VEGA_LITE_MIMETYPE: _chart(record["headline"])})]
    nb.cells = [published, chart, nbformat.v4.new_markdown_cell(markdown)]
    nbformat.write(nb, path)
    return path


def _assembled(tmp_path, record, **markdown):
    parameters = {"as_of": "2024-01-20", "formats": ["html"], "site_url": "https://example.org/",
                  "repo_url": "https://example.org/repo", "attack_rate_days": 7, "attack_rate_min_days": 7}
    manifest = {"input_digest": "0" * 64, "packages": {}, "inputs": {}}
    assemble([_executed_notebook(tmp_path / "00.ipynb", record, **markdown)], parameters, manifest, tmp_path)
    return html5rdf.parse((tmp_path / "report.html").read_text(encoding="utf-8"), namespaceHTMLElements=False)


def _record(text):
    review = {"@type": "ClaimReview", "url": "report.html#card-C01", "claimReviewed": text,
              "author": {"name": text, "url": "report.html"},
              "reviewRating": {"ratingExplanation": text, "alternateName": text},
              "itemReviewed": {"author": [{"name": text}],
                               "appearance": {"headline": text, "url": "https://example.org/" + text}}}
    return {"headline": text, "dek": text, "reviewed": "2024-01-20", "updated": "2024-01-20",
            "article": {"title": text, "authors": text, "publisher": text,
                        "url": "https://example.org/" + text, "date_published": "2024-01-08"},
            "corrections": [{"date": "2024-01-20", "kind": "published", "change": text}],
            "claim_reviews": [review]}


RAW_HTML = """## A heading that keeps its anchor

Some *prose* with [a link](https://example.org/) and [one within the page](#card-C01).

<script>window.pwned = 1</script><img src="x.png" onerror="window.pwned = 2"><p onclick="window.pwned = 3">Click</p>
<a href="javascript:window.pwned = 4">a link that runs code</a><iframe src="https://example.org/"></iframe>
<svg><script>window.pwned = 5</script></svg><a href=" JAVASCRIPT:window.pwned=6">spaced</a>
"""


def test_raw_html_in_markdown_runs_nothing_and_markdown_still_renders(tmp_path):
    page = _assembled(tmp_path, _record("A plain record"), markdown=RAW_HTML)
    body = page.find("body")
    assert not [s for s in body.iter("script") if "pwned" in (s.text or "")], "a script from markdown survived"
    handlers = [(e.tag, name) for e in page.iter() for name in e.attrib if name.lower().startswith("on")]
    assert handlers == [], handlers
    assert not [e for e in page.iter() if "javascript:" in (e.get("href") or e.get("src") or "").lower()]
    assert not list(page.iter("iframe"))
    heading = next(h for h in body.iter("h2") if h.get("id") == "A-heading-that-keeps-its-anchor")
    assert heading.find("a").get("href") == "#A-heading-that-keeps-its-anchor"
    links = {a.get("href") for a in body.iter("a")}
    assert {"https://example.org/", "#card-C01"} <= links
    assert "Click" in "".join(body.itertext())


def test_a_value_that_opens_a_comment_in_a_script_block_leaves_the_page_whole(tmp_path):
    page = _assembled(tmp_path, _record(HOSTILE))
    body = "".join(page.find("body").itertext())
    assert "The closing paragraph is still on the page." in body
    scripts = [s for s in page.iter("script") if (s.get("type") or "").endswith("json")]
    assert scripts, "no JSON script block found"
    embedded = {s.get("id"): json.loads(s.text) for s in scripts if s.get("id")}
    assert embedded["claimreview"][0]["claimReviewed"] == HOSTILE
    assert embedded["claimreview"][0]["reviewRating"]["ratingExplanation"] == HOSTILE
    for script in scripts:
        assert not {"<", ">", "&", "\u2028"} & set(script.text), script.text[:80]


# --- parameters never meet a shell ------------------------------------------------------------------------------

PAYLOADS = [";touch {marker};", "&touch {marker}&", "$(touch {marker})", "`touch {marker}`", "'\"touch {marker}\"'",
            "javascript:alert(1)"]


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("hostile") / "project")


@pytest.mark.build  # runs make or kernels in a copy of the project: slow
@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("variable", ["AS_OF", "PARAMS", "FORMATS"])
def test_a_parameter_reaches_the_build_as_data_and_is_named_when_refused(sandbox, tmp_path, variable, payload):
    marker = tmp_path / "ran"
    value = "2024-01-10" + payload.format(marker=marker)
    assignment = {"AS_OF": value, "PARAMS": f"as_of={value}", "FORMATS": value}[variable]
    result = run_make(sandbox, "report", f"{variable}={assignment}", timeout=120)
    assert result.returncode != 0
    assert not marker.exists(), "a parameter ran as a shell command"
    name = "formats" if variable == "FORMATS" else "as_of"
    assert f"Bad parameter: parameter {name}={value!r}" in result.stderr, result.stderr


@pytest.mark.build  # runs make or kernels in a copy of the project: slow
def test_make_asks_the_build_whatever_the_modification_times(sandbox):
    """Freshness has one judge, the build's content hashes: make runs it even when report/ looks newer than every input."""
    report = sandbox / "report"
    report.mkdir(exist_ok=True)
    (report / "manifest.json").write_text("{}")
    os.utime(report / "manifest.json", (4102444800, 4102444800))  # 2100
    result = run_make(sandbox, "--dry-run", "report")
    assert not re.search(r"^report/", (sandbox / "Makefile").read_text(), re.M), "make must own no file of report/"
    assert re.search(r"-m factcheck +build", result.stdout), result.stdout


def test_parameters_from_make_arrive_whole_and_each_may_be_given_once():
    environ = {"FACTCHECK_AS_OF": "2024-01-10", "FACTCHECK_PARAMS": "site_url=https://e.org/?a=1&b=$(x) formats=html pdf"}
    assert cli.parse_assignments(["attack_rate_days=14"], environ) == {
        "as_of": "2024-01-10", "site_url": "https://e.org/?a=1&b=$(x)", "formats": "html pdf", "attack_rate_days": "14"}
    with pytest.raises(ParameterError) as raised:
        cli.parse_assignments([], {"FACTCHECK_AS_OF": "2024-01-10", "FACTCHECK_PARAMS": "as_of=2024-01-12"})
    assert str(raised.value) == ("parameter as_of is given twice, as AS_OF=2024-01-10 and as PARAMS=as_of=2024-01-12: "
                                 "give it once")
    with pytest.raises(ParameterError) as raised:
        cli.parse_assignments(["site_url=https://e.org/" + "a" * 300], {})
    assert str(raised.value).startswith("parameter site_url is 314 characters long (from the argument")
    assert str(raised.value).endswith("no value may exceed 200")
    with pytest.raises(ParameterError, match="^PARAMS=oops is not of the form name=value$"):
        cli.parse_assignments([], {"FACTCHECK_PARAMS": "oops"})


def test_a_view_name_never_exceeds_what_a_folder_name_may_hold():
    defaults = {"site_url": "https://e.org/", "repo_url": "https://e.org/r"}
    long_one = {"site_url": "https://e.org/" + "é" * 180, "repo_url": "https://e.org/" + "b" * 180}
    other = {**long_one, "repo_url": long_one["repo_url"] + "c"}
    assert len(cli.view_name(long_one, defaults)) <= cli.MAX_VIEW_NAME
    assert cli.view_name(long_one, defaults) != cli.view_name(other, defaults)


# --- the published report is never missing or half there --------------------------------------------------------

REPORT_FILES = ("report.html", "report.pdf", "manifest.json")


class Killed(BaseException):
    """A kill -9 at that point: nothing after it runs, no handler sees it."""


def _write_report(folder, text):
    for name in REPORT_FILES:
        (folder / name).write_text(text)


def _whole(folder):
    """Which report `folder` holds, failing unless it holds every file of one report."""
    texts = {p.name: p.read_text() for p in folder.iterdir()}
    assert set(texts) == set(REPORT_FILES) and len(set(texts.values())) == 1, texts
    return texts["manifest.json"]


@pytest.mark.parametrize("can_exchange", [True, False], ids=["one exchange", "two renames"])
@pytest.mark.parametrize("step", [1, 2, 3, 4])
def test_a_kill_at_any_step_of_publishing_leaves_a_whole_report(tmp_path, monkeypatch, can_exchange, step):
    out = tmp_path / "report"
    out.mkdir()
    _write_report(out, "old")
    staging = publish.staging_folder(out)
    _write_report(staging, "new")
    steps = []
    real_rename, real_exchange, real_remove = os.rename, publish.exchange, publish.remove

    def fault(function):
        def at_step(*args):
            steps.append(function.__name__)
            if len(steps) == step:
                raise Killed
            return function(*args)
        return at_step

    monkeypatch.setattr(publish.os, "rename", fault(real_rename))
    monkeypatch.setattr(publish, "exchange", fault(real_exchange if can_exchange else lambda first, second: False))
    monkeypatch.setattr(publish, "remove", fault(real_remove))
    try:
        publish.swap_in(staging, out)
    except Killed:
        if can_exchange:
            assert _whole(out) in ("old", "new"), "the report was missing or half there"
        monkeypatch.undo()
        publish.recover(out)  # what the next build does first
        assert _whole(out) in ("old", "new")
    else:
        assert _whole(out) == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"], "a leftover of publishing was kept"


def test_a_published_folder_has_the_usual_mode_and_an_undeletable_leftover_is_named(tmp_path, monkeypatch, capsys):
    out = tmp_path / "report"
    staging = publish.staging_folder(out)
    _write_report(staging, "new")
    publish.swap_in(staging, out)
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o777 & ~umask
    leftover = tmp_path / ".report.previous-x"
    leftover.mkdir()

    def refuse(folder, ignore_errors=False):
        if not ignore_errors:
            raise PermissionError(1, "Operation not permitted", str(folder / "stuck"))

    monkeypatch.setattr(publish.shutil, "rmtree", refuse)
    publish.recover(out)
    err = capsys.readouterr().err
    assert "could not remove " in err and ".report.previous-x/ (Operation not permitted:" in err
    assert err.count("\n") == 1


# --- data/ holds regular files inside the repository ------------------------------------------------------------

@pytest.fixture
def data_dir(tmp_path):
    return Path(shutil.copytree(config.DATA, tmp_path / "data"))


@contextlib.contextmanager
def deadline(seconds):
    def expired(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _messages(data_dir):
    with deadline(60):
        return [str(e) for e in validate.validate(data_dir / "datapackage.json")]


NOT_REGULAR = "not a regular file: only regular files may be inputs"
OUTSIDE = "is a symbolic link leading out of the repository: put the file itself in its place"
FILE_SYSTEM_CASES = [
    ("events.csv", lambda path: os.mkfifo(path), f"data/events.csv: is a named pipe (FIFO), {NOT_REGULAR}"),
    ("events.csv", lambda path: path.mkdir(), f"data/events.csv: is a directory, {NOT_REGULAR}"),
    ("events.csv", lambda path: path.symlink_to("/dev/zero"), f"data/events.csv: {OUTSIDE}"),
    ("events.csv", lambda path: path.symlink_to("/etc/passwd"), f"data/events.csv: {OUTSIDE}"),
    ("article.txt", lambda path: path.symlink_to("/etc/passwd"), f"data/article.txt: {OUTSIDE}"),
    ("passwd", lambda path: path.symlink_to("/etc/passwd"), f"data/passwd: {OUTSIDE}"),
    ("stray", lambda path: os.mkfifo(path), f"data/stray: is a named pipe (FIFO), {NOT_REGULAR}"),
    ("events.csv", lambda path: path.symlink_to("events.csv"), "data/events.csv: is a loop of symbolic links"),
]


@pytest.mark.parametrize("name,make,expected", FILE_SYSTEM_CASES, ids=[c[2][:60] for c in FILE_SYSTEM_CASES])
def test_anything_in_data_but_a_regular_file_inside_the_repository_is_refused_in_one_line(data_dir, name, make,
                                                                                            expected):
    path = data_dir / name
    if path.exists():
        path.unlink()
    make(path)
    messages = _messages(data_dir)
    assert [m for m in messages if m.startswith(f"data/{name}:")] == [m for m in messages if expected in m], messages
    assert any(expected in m for m in messages), messages
    assert not any("root" in m for m in messages), "content of a file outside the repository was shown"


def test_a_symbolic_link_inside_the_repository_is_followed(data_dir):
    (data_dir / "events.csv").rename(data_dir.parent / "events-elsewhere.csv")
    (data_dir / "events.csv").symlink_to("../events-elsewhere.csv")
    assert _messages(data_dir) == []


def test_a_device_is_named_as_one():
    assert tables.file_problem(Path("/dev/null"), Path("/")) == f"is a character device, {NOT_REGULAR}"


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(data_dir, monkeypatch):
    monkeypatch.setattr(tables, "MAX_FILE_BYTES", 100_000)
    opened = []
    real_open = os.open
    monkeypatch.setattr(tables.os, "open", lambda path, *args: opened.append(Path(path).name) or real_open(path, *args))
    size = (data_dir / "sources.csv").stat().st_size
    messages = _messages(data_dir)
    assert f"data/sources.csv: holds {size:,} bytes, over the limit of 100,000 for one input file" in messages
    assert "sources.csv" not in opened


# --- the descriptor is validated whole, first -------------------------------------------------------------------

def _descriptor_messages(data_dir, change):
    descriptor = json.loads((data_dir / "datapackage.json").read_text())
    resources = {r["name"]: r for r in descriptor["resources"]}
    change(resources)
    (data_dir / "datapackage.json").write_text(json.dumps(descriptor))
    return _messages(data_dir)


def _index(data_dir, name):
    names = [r["name"] for r in json.loads((data_dir / "datapackage.json").read_text())["resources"]]
    return names.index(name)


def test_every_problem_of_the_descriptor_is_named_with_its_json_path_before_any_table_is_read(data_dir, monkeypatch):
    read = []
    monkeypatch.setattr(tables.DataPackage, "table", lambda self, name: read.append(name))

    def break_everything(resources):
        resources["events"]["encoding"] = "rot13"
        resources["attacks"]["dialect"] = {"delimiter": ";;"}
        resources["series"]["dialect"] = {"delimiter": 5}
        resources["claims"]["schema"]["foreignKeys"] = "claim_id"
        resources["sources"]["schema"]["fields"][0]["constraints"] = {"pattern": "(["}
        resources["attack_events"]["schema"]["foreignKeys"][0]["reference"]["resource"] = "nowhere"
        resources["troop_levels"]["schema"]["foreignKeys"][0]["reference"]["fields"] = "no_such_field"

    messages = _descriptor_messages(data_dir, break_everything)
    at = lambda name: f"data/datapackage.json at $.resources[{_index(data_dir, name)}]"  # noqa: E731
    assert set(messages) >= {
        f"{at('events')}.encoding: unknown encoding 'rot13': use 'utf-8'",
        f"{at('attacks')}.dialect.delimiter: ';;' is not one character: use e.g. ','",
        f"{at('series')}.dialect.delimiter: 5 is not one character: use e.g. ','",
        f"{at('claims')}.schema.foreignKeys: expected a list of foreign keys, found str",
        f"{at('sources')}.schema.fields[0].constraints.pattern: '([' is not a regular expression "
        f"(unterminated character set)",
        f"{at('attack_events')}.schema.foreignKeys[0].reference.resource: no resource named 'nowhere'",
        f"{at('troop_levels')}.schema.foreignKeys[0].reference.fields: no field 'no_such_field' in resource 'series'",
    }, messages
    assert read == []


def test_a_field_type_frictionless_does_not_know_is_named_with_its_path(data_dir):
    messages = _descriptor_messages(data_dir, lambda r: r["events"]["schema"]["fields"][0].update(type="strin"))
    assert messages == [f"data/datapackage.json at $.resources[{_index(data_dir, 'events')}].schema.fields[0]: "
                        f"field type \"strin\" is not supported"]


def test_a_schema_frictionless_refuses_is_named_down_to_the_property(data_dir):
    def break_schema(resources):
        resources["events"]["schema"]["fields"][1]["constraints"] = "x"
        resources["events"]["schema"]["primaryKey"] = 5
    at = f"data/datapackage.json at $.resources[{_index(data_dir, 'events')}].schema"
    assert _descriptor_messages(data_dir, break_schema) == [f"{at}.fields[1].constraints: 'x' is not of type 'object'"]
    assert _descriptor_messages(data_dir, lambda r: r["events"]["schema"]["fields"][1].pop("constraints")) == [
        f"{at}.primaryKey[0]: 5 is not of type 'string'"]


def test_a_descriptor_nested_too_deeply_is_one_line(data_dir):
    (data_dir / "datapackage.json").write_text("[" * 100_000 + "]" * 100_000)
    assert _messages(data_dir) == ["data/datapackage.json: nested too deeply to be a data package descriptor: "
                                   "restore it from git"]


# --- messages point to the cause --------------------------------------------------------------------------------

@pytest.mark.parametrize("separator,name", [("\t", "tab"), (";", "semicolon"), ("|", "pipe")])
def test_a_file_with_another_separator_is_named_as_such(data_dir, separator, name):
    path = data_dir / "events.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=separator, lineterminator="\n").writerows(rows)
    assert [m for m in _messages(data_dir) if m.startswith("data/events.csv")] == [
        f"data/events.csv row 1: this file is {name}-separated: save it as comma-separated (CSV)"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16"])
def test_a_utf16_file_is_named_as_one_with_or_without_its_byte_order_mark(data_dir, encoding):
    path = data_dir / "events.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    assert [m for m in _messages(data_dir) if m.startswith("data/events.csv")] == [
        "data/events.csv row 1: the file is UTF-16 (every other byte is zero), not UTF-8: save it as UTF-8"]


def test_an_empty_table_is_named_and_leaves_no_orphans_behind(data_dir):
    path = data_dir / "events.csv"
    path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")
    assert _messages(data_dir) == ["data/events.csv: has a header but no rows: restore its rows "
                                   "(git checkout -- data/events.csv)"]


def test_a_table_dropped_from_the_package_is_named_and_leaves_no_orphans_behind(data_dir):
    descriptor = json.loads((data_dir / "datapackage.json").read_text())
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "events"]
    (data_dir / "datapackage.json").write_text(json.dumps(descriptor))
    messages = _messages(data_dir)
    assert messages == ["data/datapackage.json: no resource named 'events', which notebooks 00_summary, "
                        "50_events_forecasts read: restore it (git checkout -- data/datapackage.json)"], messages


def test_the_listing_stops_at_fifty_problems_per_file_with_the_total(data_dir, monkeypatch):
    rewrite_csv(data_dir / "troop_levels.csv", lambda rows: [row.__setitem__(rows[0].index("date"), "someday")
                                                             for row in rows[1:]])
    of_file = lambda messages: [m for m in messages if m.startswith("data/troop_levels.csv")]  # noqa: E731
    shown = of_file(_messages(data_dir))
    monkeypatch.setattr(validate, "MAX_PER_FILE", 10_000)
    every = of_file(_messages(data_dir))
    assert len(every) > 60
    assert shown == every[:50] + [f"data/troop_levels.csv: ... and {len(every) - 50} more problem(s), {len(every)} in all: "
                                  f"fix these and run again"]


# --- dates and keys ---------------------------------------------------------------------------------------------

def _set_first(path, column, value):
    rewrite_csv(path, lambda rows: rows[1].__setitem__(rows[0].index(column), value))


def test_a_date_after_what_its_schema_rule_allows_is_refused(data_dir):
    as_of = params.defaults()["as_of"]
    _set_first(data_dir / "events.csv", "date", "2099-01-01")
    _set_first(data_dir / "sources.csv", "date_accessed", "2099-01-02")
    latest_correction = max(r["date"] for r in csv.DictReader(open(data_dir / "corrections.csv", encoding="utf-8")))
    messages = _messages(data_dir)
    assert (f"data/events.csv row 2, field 'date': 2099-01-01 is after {as_of}, the standard report's as_of: "
            f"correct the date, or move as_of in params.yml forward") in messages, messages
    assert (f"data/sources.csv row 2, field 'date_accessed': 2099-01-02 is after {latest_correction}, the latest date "
            f"in data/corrections.csv: correct the date, or log the update there") in messages, messages


def test_a_date_rule_must_name_as_of_or_a_field_that_exists(data_dir):
    messages = _descriptor_messages(data_dir, lambda r: r["events"]["schema"]["fields"][1].update(notAfter="nowhere.date"))
    assert messages == [f"data/datapackage.json at $.resources[{_index(data_dir, 'events')}].schema.fields[1].notAfter: "
                        f"'nowhere.date': use 'as_of' or a date field of a resource, e.g. 'corrections.date'"]


def test_a_key_given_twice_in_params_yml_is_refused_with_both_lines(tmp_path):
    text = config.PARAMS_FILE.read_text(encoding="utf-8")
    first = text.splitlines().index("attack_rate_days:") + 1
    path = tmp_path / "params.yml"
    path.write_text(text + "attack_rate_days:\n  default: 9\n", encoding="utf-8")
    last = len(text.splitlines()) + 1
    with pytest.raises(params.ConfigError) as raised:
        params.spec(path)
    assert f"key 'attack_rate_days' is given twice, on lines {first} and {last}: keep one" in str(raised.value)
    path.write_text(text.replace("  type: date\n", "  type: date\n  type: string\n", 1), encoding="utf-8")
    with pytest.raises(params.ConfigError, match="key 'type' is given twice"):
        params.spec(path)


# --- recovery ---------------------------------------------------------------------------------------------------

SLEEPY_BUILD = """
import signal, sys
from pathlib import Path
from factcheck import config
from factcheck.pipeline import execute
signal.signal(signal.SIGINT, signal.default_int_handler)  # as the command line does: an xdist worker ignores SIGINT
folder, names = Path(sys.argv[1]), sys.argv[2:]
for name in names:
    config.NOTEBOOK_INPUTS[name] = []
try:
    execute.execute_all([folder / f"{name}.ipynb" for name in names], {}, folder / "build", jobs=1)
except KeyboardInterrupt:
    sys.exit(130)
"""


@pytest.mark.build  # runs make or kernels in a copy of the project: slow
def test_ctrl_c_cancels_the_queued_notebooks_and_stops_within_seconds_quietly(tmp_path):
    names = ["sleepy_a", "sleepy_b", "sleepy_c"]
    for name in names:
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("pause = 120", metadata={"tags": ["parameters"]}),
                    nbformat.v4.new_code_cell(f"import pathlib, time\npathlib.Path({str(tmp_path / name)!r}).touch()\n"
                                              "time.sleep(pause)")]
        nbformat.write(nb, tmp_path / f"{name}.ipynb")
    build = subprocess.Popen([sys.executable, "-c", SLEEPY_BUILD, str(tmp_path), *names], cwd=config.ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                             env={**os.environ, "PYTHONPATH": str(config.ROOT)})
    try:
        started = time.monotonic()
        while not (tmp_path / "sleepy_a").exists():
            assert build.poll() is None and time.monotonic() - started < 180, build.communicate()
            time.sleep(0.2)
        os.killpg(build.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the build and its kernels
        interrupted = time.monotonic()
        out, err = build.communicate(timeout=60)
        stopped_after = time.monotonic() - interrupted
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
    assert build.returncode == 130, err
    assert stopped_after < 15
    assert not (tmp_path / "sleepy_b").exists() and not (tmp_path / "sleepy_c").exists(), "a queued notebook ran"
    assert "Traceback" not in err and "never retrieved" not in err, err


def test_a_corrupt_cache_entry_is_discarded_and_rebuilt_with_one_line(tmp_path, monkeypatch, capfd):
    shutil.copytree(config.DATA, tmp_path / "data")
    monkeypatch.setenv(config.CACHE_ENV, str(tmp_path / "cache"))
    package = tmp_path / "data" / "datapackage.json"
    fresh = data.load_table("events", package)
    (entry,) = (tmp_path / "cache" / "tables").iterdir()
    entry.write_bytes(entry.read_bytes()[:100])
    capfd.readouterr()
    assert data.load_table("events", package).equals(fresh)
    assert capfd.readouterr().err == "the cached copy of table 'events' could not be read: discarded and rebuilt\n"
    assert data.load_table("events", package).equals(fresh) and entry.stat().st_size > 100


def _failing_build(monkeypatch, error):
    def build(*args):
        raise error
    monkeypatch.setattr(cli, "build", build)
    return cli.main(["build"])


def test_the_error_handler_survives_a_full_disk_in_one_line(monkeypatch, capsys):
    monkeypatch.setattr(cli, "ERROR_LOG", Path("/dev/full"))  # every write to it fails as on a full disk
    assert _failing_build(monkeypatch, RuntimeError("a bug")) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("BUILD FAILED unexpectedly: RuntimeError: a bug (no traceback: ")
    assert "could not be written, No space left on device" in err and "Traceback" not in err


def test_a_full_disk_is_named_as_one(monkeypatch, capsys):
    full = OSError(errno.ENOSPC, "No space left on device", str(config.BUILD / "cache" / "x"))
    assert _failing_build(monkeypatch, full) == 1
    assert capsys.readouterr().err == ("BUILD FAILED: the disk is full (No space left on device: build/cache/x): free "
                                       "some space (`make clean` removes build/) and run again. The previous report is "
                                       "unchanged.\n")
    nameless = OSError(errno.ENOSPC, "No space left on device")  # no file named: it was writing
    assert _failing_build(monkeypatch, nameless) == 1
    assert capsys.readouterr().err.startswith("BUILD FAILED: the disk is full (No space left on device: writing): free")


def test_a_notebook_is_chosen_by_name_never_by_path(capsys):
    assert cli.main(["notebook", "../notebooks/30_attacks"]) == 1
    declared = ", ".join(sorted(config.NOTEBOOK_INPUTS))
    assert capsys.readouterr().err == (f"BUILD FAILED: no notebook '../notebooks/30_attacks': choose one of {declared}\n"
                                       "The previous report is unchanged.\n")


def test_an_interrupted_build_leaves_no_asyncio_noise(monkeypatch, capsys, caplog):
    import asyncio
    import gc

    abandoned = []

    def interrupted_while_printing(*args):
        loop = asyncio.new_event_loop()
        future = loop.create_future()
        future.set_exception(RuntimeError("browser gone"))
        abandoned.append((loop, future))
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "build", interrupted_while_printing)
    try:
        assert cli.main(["build"]) == 130
        abandoned.clear()
        gc.collect()
        assert capsys.readouterr().err == "BUILD INTERRUPTED: the previous report is unchanged.\n"
        assert not [r for r in caplog.records if "never retrieved" in r.getMessage()]
    finally:
        logging.getLogger("asyncio").disabled = False


def test_a_truncated_executed_notebook_is_executed_again_with_one_line(tmp_path, monkeypatch, capsys):
    from factcheck.pipeline import execute

    (tmp_path / "a.ipynb").write_text("{}")
    monkeypatch.setattr(execute, "declared_inputs", lambda stem: [])
    monkeypatch.setattr(execute, "execution_key", lambda notebook, parameters: "key")
    ran = []
    monkeypatch.setattr(execute, "execute", lambda notebook, output, *_: (ran.append(notebook.stem), output.write_text("{}")))
    execute.execute_all([tmp_path / "a.ipynb"], {}, tmp_path / "build", jobs=1)
    executed = tmp_path / "build" / "executed" / "a.ipynb"
    executed.write_text('{"cells": [')
    capsys.readouterr()
    execute.execute_all([tmp_path / "a.ipynb"], {}, tmp_path / "build", jobs=1)
    assert ran == ["a", "a"] and executed.read_text() == "{}"
    assert capsys.readouterr().err.endswith("build/executed/a.ipynb could not be read: discarded and executed again\n")
