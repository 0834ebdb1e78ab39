"""One command line for the whole pipeline: `python -m factcheck <command>` (`make help` shows the make targets).

    python -m factcheck build [name=value ...]       validate, execute what changed, assemble, publish
    python -m factcheck notebook 30_attacks [name=value ...]
    python -m factcheck check-fresh | views | params | validate
"""
import argparse
import contextlib
import errno
import hashlib
import json
import logging
import os
import shutil
import signal
import sys
import time
import traceback
from urllib.parse import quote

from . import config
from .pipeline import BuildError
from .pipeline.manifest import MANIFEST, input_hashes, manifest_for, read_manifest, relative, sha256, stale_reasons

ERROR_LOG = config.BUILD / "logs" / "error.log"


class Progress:
    """Each step's name, then its duration; silent with --quiet except for errors."""

    def __init__(self, quiet):
        self.quiet = quiet

    def say(self, message):
        if not self.quiet:
            print(message, flush=True)

    @contextlib.contextmanager
    def step(self, name):
        start = time.perf_counter()
        self.say(f"{name} ...")
        yield
        self.say(f"{name}: done in {time.perf_counter() - start:.1f} s")

    def notebook_done(self, stem, seconds, done, total):
        self.say(f"  {stem} done in {seconds:.1f} s, {done}/{total}")


# What make passes in the environment (never in a shell command): the variable, and the parameter it sets.
MAKE_VARIABLES = {"FACTCHECK_AS_OF": ("AS_OF", "as_of"), "FACTCHECK_FORMATS": ("FORMATS", "formats"),
                  "FACTCHECK_PARAMS": ("PARAMS", None)}
MAX_VALUE_LENGTH = 200  # no parameter needs more
MAX_VIEW_NAME = 160  # a folder name must stay under the file system's 255 bytes, with room for publishing's prefixes


def _split_params(text):
    """PARAMS='a=1 formats=html pdf' as ['a=1', 'formats=html pdf']: a word without `=` continues the value before."""
    items = []
    for word in text.split():
        if "=" not in word and items:
            items[-1] += " " + word
        else:
            items.append(word)
    return items


def make_assignments(environ=os.environ):
    """(item, where it came from) for each parameter make passed in the environment."""
    found = []
    for variable, (make_name, parameter) in MAKE_VARIABLES.items():
        text = environ.get(variable, "").strip()
        if text and parameter:
            found.append((f"{parameter}={text}", f"{make_name}={text}"))
        elif text:
            found += [(item, f"PARAMS={item}") for item in _split_params(text)]
    return found


def parse_assignments(items, environ=os.environ):
    """{name: value} from the command line's name=value items and make's variables. A parameter given two ways with
    two values, an item that is not name=value, or an over-long value is refused, naming where it came from."""
    from .params import ParameterError

    pairs, origins = {}, {}
    for item, origin in [(item, f"the argument {item!r}") for item in items] + make_assignments(environ):
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name:
            raise ParameterError(f"{origin} is not of the form name=value")
        if len(value) > MAX_VALUE_LENGTH:
            raise ParameterError(f"parameter {name} is {len(value)} characters long (from {origin[:60]}...): "
                                 f"no value may exceed {MAX_VALUE_LENGTH}")
        if name in pairs and pairs[name] != value:
            raise ParameterError(f"parameter {name} is given twice, as {origins[name]} and as {origin}: give it once")
        pairs[name], origins[name] = value, origin
    return pairs


def view_name(parameters, defaults):
    """`as_of=2024-01-10,formats=html` from the parameters that differ from the defaults ('' for the standard report).
    Characters a folder name cannot hold, such as the slashes of a URL, are percent-encoded; a name too long for a
    folder is cut, with a digest of the whole name to keep it unique (its manifest lists the parameters)."""
    def shown(value):
        return quote("+".join(map(str, value)) if isinstance(value, list) else str(value), safe="-_.+:@")
    name = ",".join(f"{k}={shown(v)}" for k, v in sorted(parameters.items()) if v != defaults.get(k))
    if len(name) > MAX_VIEW_NAME:
        name = name[:MAX_VIEW_NAME - 17] + "," + hashlib.sha256(name.encode()).hexdigest()[:16]
    return name


def output_folder(parameters, defaults):
    name = view_name(parameters, defaults)
    return config.VIEWS / name if name else config.REPORT


def resolved(assignments, current=None, environ=os.environ):
    """The parameters with the overrides, and the defaults. Checking `as_of` reads every table, so the result is
    cached in build/ under the parameter file, the data and the package code it depends on."""
    from .pipeline.manifest import digest_of

    overrides = parse_assignments(assignments, environ)
    current = current or input_hashes()
    hashes = {path: digest for path, digest in current.items() if path.startswith(("data/", "factcheck/"))}
    hashes.update({"params.yml": sha256(config.PARAMS_FILE), "overrides": json.dumps(overrides, sort_keys=True)})
    cache = config.BUILD / "parameters" / f"{digest_of(hashes)}.json"
    if cache.exists():
        try:
            return tuple(json.loads(cache.read_text()))
        except ValueError:
            print(f"{relative(cache)} could not be read: discarded and rebuilt", file=sys.stderr)
    from . import params

    result = params.resolve(overrides), params.resolve({})
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(result))
    return result


@contextlib.contextmanager
def build_cache(folder):
    """Within the block, and in the kernels started in it, typed tables and compiled templates are kept in `folder`
    (config.CACHE_ENV): validation types each table once and every notebook reads it back."""
    previous = os.environ.get(config.CACHE_ENV)
    os.environ[config.CACHE_ENV] = str(folder)
    try:
        yield
    finally:
        if previous is None:
            del os.environ[config.CACHE_ENV]
        else:
            os.environ[config.CACHE_ENV] = previous


def validate_data(progress, reuse=True, current=None):
    """Validate data/, unless the same data was already found valid by the same code (its key is in build/)."""
    from .pipeline.manifest import digest_of

    # params.yml too: its as_of bounds the dates in data/
    hashes = {path: digest for path, digest in (current or input_hashes()).items()
              if path.startswith(("data/", "factcheck/")) or path == "params.yml"}
    # input_hashes skips what is not a regular file; validation must still see it
    hashes["data/ entries"] = "\n".join(sorted(os.listdir(config.DATA)) if config.DATA.is_dir() else [])
    key, stamp = digest_of(hashes), config.BUILD / "valid.key"
    if reuse and stamp.exists() and stamp.read_text() == key:
        return
    from .validate import DataValidationError, validate

    with progress.step("validate data/"):
        errors = validate()
        if errors:
            raise BuildError(str(DataValidationError(errors)) + "\nThe build stopped before running any notebook.")
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(key)


def build(assignments, jobs, progress, force=False):
    current = input_hashes()  # read once: the no-op build must be quick
    validate_data(progress, current=current)  # first: the parameters' date range is read from the data
    notebooks, ignored = config.notebooks()
    missing = [relative(path) for path in notebooks if not path.exists()]
    if missing:
        raise BuildError(f"{', '.join(missing)} declared in factcheck/config.py NOTEBOOK_INPUTS but not found: "
                         "restore the notebook or remove its entry")
    for path in ignored:
        progress.say(f"ignored {relative(path)}: not declared in factcheck/config.py NOTEBOOK_INPUTS "
                     "(declare a new notebook there with the tables it reads; delete a stray executed copy)")
    values, defaults = resolved(assignments, current)
    out = output_folder(values, defaults)
    if not force and not stale_reasons(out, values, current):
        progress.say(f"{relative(out)}/ is up to date with its inputs")
        return out
    from . import params
    from .pipeline import publish

    from .pipeline.execute import execute_all

    notebook_values = params.notebook_parameters(values)
    # views that differ only in what assembly writes (formats, addresses) share their executed notebooks
    runs = config.BUILD / (view_name(notebook_values, params.notebook_parameters(defaults)) or "report")
    with publish.locked(runs), \
            progress.step(f"execute {len(notebooks)} notebooks ({jobs} at a time; unchanged ones are reused)"):
        executed = execute_all(notebooks, notebook_values, runs, jobs=jobs, progress=progress.notebook_done)
    with publish.exclusive(out):
        staging = publish.staging_folder(out)
        try:
            _assemble(executed, values, staging, progress, standard=out == config.REPORT)
            publish.swap_in(staging, out)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    manifest = read_manifest(out)
    progress.say(f"wrote {relative(out)}/:")
    for name in [*manifest["outputs"], MANIFEST]:
        progress.say(f"  {relative(out / name)}  {(out / name).stat().st_size / 1e6:.2f} MB")
    return out


def _assemble(executed, values, staging, progress, standard):
    """Only the standard report is published at site_url: a view gets no absolute address of its own."""
    from .pipeline.assemble import assemble
    from .pipeline.execute import declared_inputs
    from .pipeline.provenance import CRATE, write_crate
    from .render import PROJECT, REPORT_TITLE, report_address

    hashes = input_hashes()
    manifest = manifest_for(values, hashes, {})
    with progress.step("assemble HTML"):
        address = report_address(values["site_url"]) if standard else None
        written = assemble(executed, values, manifest, staging, address)
    if "pdf" in values["formats"]:
        from .pipeline.browser import print_pdf

        with progress.step("print PDF"):
            print_pdf(staging / "report.html", staging / "report.pdf", REPORT_TITLE, values["as_of"])
        written.append("report.pdf")
    if "html" not in values["formats"]:
        (staging / "report.html").unlink()
        written.remove("report.html")
    manifest["outputs"] = {name: sha256(staging / name) for name in sorted(written)}
    from . import params

    notebook_values = params.notebook_parameters(values)
    runs = [(config.NOTEBOOKS / path.name, path, notebook_values, declared_inputs(path.stem)) for path in executed]
    write_crate(staging, manifest, runs, REPORT_TITLE, PROJECT)
    manifest["outputs"][CRATE] = sha256(staging / CRATE)
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def run_notebook(stem, assignments, progress):
    from . import params
    from .pipeline.execute import execute

    names = [path.stem for path in config.notebooks()[0]]
    if stem not in names:  # a name, never a path: nothing outside notebooks/ is run
        raise BuildError(f"no notebook {stem!r}: choose one of {', '.join(names)}")
    notebook = config.NOTEBOOKS / f"{stem}.ipynb"
    validate_data(progress)
    values, defaults = resolved(assignments)
    folder = config.BUILD / "notebooks" / (view_name(values, defaults) or "default")
    with progress.step(f"execute {stem}"):
        execute(notebook, folder / notebook.name, params.notebook_parameters(values), folder / "failed", folder / "logs")
    print(f"executed notebook: {relative(folder / notebook.name)}")


def list_views():
    views = sorted(p for p in config.VIEWS.glob("*") if p.is_dir() and not p.name.startswith("."))
    if not views:
        print("no views built yet: `make report AS_OF=2024-01-10` builds one into views/as_of=2024-01-10/")
    for view in views:
        manifest = read_manifest(view)
        problems = stale_reasons(view, manifest.get("parameters") if manifest else None)
        files = ", ".join(manifest["outputs"]) if manifest else "nothing"
        print(f"{relative(view)}/  {'fresh' if not problems else 'STALE: ' + problems[0]}  ({files})")


def check_fresh():
    values, _ = resolved([], environ={})  # report/ holds the standard report, whatever make was given
    problems = stale_reasons(config.REPORT, values)
    if problems:
        raise BuildError("the committed report is stale:\n  " + "\n  ".join(problems)
                         + "\nRun `make report`, then commit report/ alone (`git add report/`): notebooks/ holds no "
                         "outputs to commit.")
    print("report/ is up to date with its inputs")


def unexpected(err):
    """The one line for an error that is not an input problem: a full disk says so; anything else is a bug, whose
    traceback goes to the log, if the log can be written."""
    if isinstance(err, OSError) and err.errno == errno.ENOSPC:
        return (f"BUILD FAILED: the disk is full ({err.strerror}: {relative(err.filename) if err.filename else 'writing'}): "
                f"free some space (`make clean` removes build/) and run again. The previous report is unchanged.")
    try:
        ERROR_LOG.parent.mkdir(parents=True, exist_ok=True)
        ERROR_LOG.write_text(traceback.format_exc(), encoding="utf-8")
        where = f"traceback in {relative(ERROR_LOG)}"
    except OSError as log_error:
        where = f"no traceback: {relative(ERROR_LOG)} could not be written, {log_error.strerror}"
    first = str(err).splitlines()[0] if str(err) else ""
    return f"BUILD FAILED unexpectedly: {type(err).__name__}: {first} ({where}). The previous report is unchanged."


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m factcheck", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quiet", action="store_true", help="print only errors")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build report/ (default parameters) or views/<parameters>/")
    b.add_argument("assignments", nargs="*", metavar="NAME=VALUE")
    b.add_argument("--jobs", type=int, default=os.environ.get("FACTCHECK_JOBS") or "2")
    b.add_argument("--force", action="store_true", help="rebuild even if the output is up to date with its inputs")
    n = sub.add_parser("notebook", help="execute one notebook into build/notebooks/")
    n.add_argument("notebook", nargs="?", default=os.environ.get("FACTCHECK_NOTEBOOK", ""))
    n.add_argument("assignments", nargs="*", metavar="NAME=VALUE")
    sub.add_parser("check-fresh", help="fail if report/ is stale against its inputs")
    sub.add_parser("views", help="list the built views and whether each is fresh")
    sub.add_parser("params", help="list the parameters")
    sub.add_parser("validate", help="validate data/")
    args = parser.parse_args(argv)
    progress = Progress(args.quiet)
    # Ctrl-C and kill stop the build cleanly even where the parent ignored SIGINT (a background job).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    from .params import ParameterError, error_line

    try:
        if args.command == "build":
            with build_cache(config.BUILD / "cache"):
                build(args.assignments, args.jobs, progress, args.force)
        elif args.command == "notebook":
            with build_cache(config.BUILD / "cache"):
                run_notebook(args.notebook, args.assignments, progress)
        elif args.command == "check-fresh":
            check_fresh()
        elif args.command == "views":
            list_views()
        elif args.command == "params":
            from . import params

            return params.main(["list"])
        elif args.command == "validate":
            validate_data(progress, reuse=False)
            print("data/ is valid")
    except ParameterError as err:
        print(error_line(err), file=sys.stderr)
        return 2
    except BuildError as err:
        print(f"BUILD FAILED: {err}\nThe previous report is unchanged.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        # The browser's futures are abandoned, not failed: asyncio would log each one at exit.
        logging.getLogger("asyncio").disabled = True
        print("BUILD INTERRUPTED: the previous report is unchanged.", file=sys.stderr)
        return 130
    except Exception as err:  # a bug, not an input problem: one line here, the traceback in the log
        print(unexpected(err), file=sys.stderr)
        return 1
    return 0
