"""Execute notebooks with papermill, several kernels at once from one process, each over IPC (Unix sockets).

A notebook is re-executed only when its key changes: its code cells, the data files it declared, the package code,
the lock file and its parameters. An edit to its markdown alone is copied into the executed copy without a kernel.
Executed notebooks carry no timestamps or kernel ids.
"""
import hashlib
import json
import shutil
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed, wait
from pathlib import Path

import nbformat

from .. import config
from ..config import CHART_MIMETYPE as CHART
from . import BuildError
from .manifest import digest_of, relative, sha256

CHART_TAG = "chart"
STOP_TIMEOUT = 10  # seconds an interrupted build waits for its notebooks' threads once their kernels are killed
PARAMETERS_TAG = "parameters"


def read_notebook(path):
    """A source notebook, refused with one line if it is not valid JSON or has no single `parameters` cell."""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as err:  # nbformat raises NotJSONError, ValidationError, UnicodeDecodeError...
        raise BuildError(f"{relative(path)} is not a readable notebook ({type(err).__name__}: "
                         f"{str(err).splitlines()[0][:120]}): restore it with `git checkout -- {relative(path)}`") from None
    count = sum(PARAMETERS_TAG in c.metadata.get("tags", []) for c in nb.cells)
    if count != 1:
        raise BuildError(f"{relative(path)} has {count} cells tagged '{PARAMETERS_TAG}': it needs exactly one")
    return nb


def output_problems(nb):
    """What papermill lets through: error outputs, tracebacks printed to stderr, chart cells with no chart."""
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        outputs = cell.get("outputs", [])
        for output in outputs:
            if output.output_type == "error":
                problems.append(f"cell {index}: {output.ename}: {output.evalue}")
            elif output.output_type == "stream" and output.name == "stderr" and "Traceback" in output.text:
                last = output.text.strip().splitlines()[-1]
                problems.append(f"cell {index}: a traceback was printed while displaying output: {last}")
        if CHART_TAG in cell.metadata.get("tags", []) and not any(CHART in o.get("data", {}) for o in outputs):
            problems.append(f"cell {index} is tagged '{CHART_TAG}' but produced no chart (a factcheck.charts.Chart "
                            "as the cell's last value)")
    return problems


def strip_volatile(nb):
    """Drop timestamps, durations and kernel ids, which differ on every run and must not reach the report, and give
    papermill's injected cell an id taken from the notebook's own parameters cell instead of a random one, so the
    executed notebook is reproducible too (and ids stay unique when the notebooks are merged)."""
    nb.metadata.pop("papermill", None)
    nb.metadata.get("kernelspec", {}).pop("env", None)
    parameters_id = next((c.get("id") for c in nb.cells if PARAMETERS_TAG in c.metadata.get("tags", [])), "parameters")
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = f"{parameters_id}-injected"
    return nb


def declared_inputs(stem):
    """The data files a notebook reads: the tables it declared in config.NOTEBOOK_INPUTS, the data package that types
    them, and the article's text with the `article` table (`data.load_inputs` reads exactly these)."""
    from ..data import resource_paths

    paths = resource_paths()
    names = config.NOTEBOOK_INPUTS.get(stem)
    if names is None:
        raise BuildError(f"notebooks/{stem}.ipynb is not declared in factcheck/config.py NOTEBOOK_INPUTS: "
                         "add it with the data tables it reads")
    files = [config.DATAPACKAGE, *(paths[name] for name in names)]
    return files + ([config.ARTICLE_TEXT] if "article" in names else [])


def code_signature(notebook):
    """What running a notebook depends on in the notebook itself: each cell's type, id and metadata, and the source
    of its code cells. Markdown text is left out, so editing prose refreshes the executed copy without a kernel."""
    cells = read_notebook(notebook).cells
    return json.dumps([[c.cell_type, c.get("id"), c.metadata, None if c.cell_type == "markdown" else c.source]
                       for c in cells], sort_keys=True)


def execution_key(notebook, parameters):
    """Everything an executed notebook's outputs are a function of, as one digest: its code cells, parameters, the
    parameters' spec (params.yml, which `setup` reads), the lock file, the data it reads, and the whole package (code and
    templates, since notebooks render HTML with them). Files are named relative to the project, so two copies of the
    project in different folders have the same keys and a moved project re-runs nothing."""
    files = [config.PARAMS_FILE, config.LOCK_FILE, *declared_inputs(Path(notebook).stem)]
    files += [p for p in config.PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    hashes = {relative(p): sha256(p) for p in files}
    return digest_of({**hashes, "parameters": json.dumps(parameters, sort_keys=True),
                      "notebook": hashlib.sha256(code_signature(notebook).encode()).hexdigest()})


def refresh_prose(notebook, output):
    """Copy the notebook's markdown into its executed copy, whose outputs are up to date; True if anything changed.
    The result is the same file a fresh run would write, since markdown never reaches the kernel."""
    prose = {c.get("id"): c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "markdown"}
    executed = nbformat.read(output, as_version=4)
    edited = [c for c in executed.cells if c.cell_type == "markdown" and c.get("id") in prose and c.source != prose[c.get("id")]]
    for cell in edited:
        cell.source = prose[cell.get("id")]
    if edited:
        partial = output.with_suffix(".partial")
        nbformat.write(executed, partial)
        partial.replace(output)
    return bool(edited)


def _failed_cell(notebook, err):
    source_cells = nbformat.read(notebook, as_version=4).cells
    index = next((i for i, c in enumerate(source_cells) if c.source == err.source), err.cell_index)
    first_line = err.source.strip().splitlines()[0] if err.source.strip() else ""
    return index, first_line[:80]


def execute(notebook, output, parameters, failed_dir, log_dir=None):
    """One notebook into `output`; on failure the executed copy is kept in `failed_dir` and BuildError names the cell."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from .kernels import kernel_log

    notebook, output, failed_dir = Path(notebook), Path(output), Path(failed_dir)
    read_notebook(notebook)
    failed = failed_dir / notebook.name
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.stem + ".partial.ipynb")
    log_dir = Path(log_dir or output.parent)
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{notebook.stem}.log"
    try:
        with open(log_path, "w") as log:
            kernel_log.file = log
            papermill.execute_notebook(str(notebook), str(partial), parameters=parameters, cwd=str(config.ROOT),
                                       progress_bar=False, log_output=False, kernel_name="python3",
                                       request_save_on_cell_execute=False,  # one write at the end, not one per cell
                                       kernel_manager_class="factcheck.pipeline.kernels.IPCKernelManager",
                                       start_timeout=120)
    except PapermillExecutionError as err:
        failed_dir.mkdir(parents=True, exist_ok=True)
        shutil.move(partial, failed)
        index, first_line = _failed_cell(notebook, err)
        raise BuildError(f"{relative(notebook)} failed in cell {index} "
                         f"(counting from 0; execution count {err.exec_count}), which starts: {first_line}\n"
                         f"  {err.ename}: {err.evalue}\n"
                         f"The executed notebook is kept at {relative(failed)}.") from None
    except BuildError:
        raise
    except Exception as err:  # the kernel could not start, or died
        partial.unlink(missing_ok=True)
        raise BuildError(f"{relative(notebook)}: the kernel failed ({type(err).__name__}: "
                         f"{str(err).strip().splitlines()[0][:160] if str(err).strip() else 'no message'}). "
                         f"Check that .venv has ipykernel (`make venv`) and that memory is free; "
                         f"the kernel's own output is in {relative(log_path)}") from None
    nb = nbformat.read(partial, as_version=4)
    problems = output_problems(nb)
    if problems:
        failed_dir.mkdir(parents=True, exist_ok=True)
        shutil.move(partial, failed)
        raise BuildError(f"{relative(notebook)} ran but its output is broken (cells counted in the kept notebook):\n  "
                         + "\n  ".join(problems) + f"\nThe executed notebook is kept at {relative(failed)}.")
    nbformat.write(strip_volatile(nb), partial)
    partial.replace(output)
    (failed_dir / notebook.name).unlink(missing_ok=True)


def _intact(path):
    """Whether an executed notebook kept in build/ still reads as JSON (a full disk or a crash can truncate it)."""
    try:
        json.loads(path.read_text(encoding="utf-8"))
        return True
    except (OSError, ValueError):
        return False


def execute_all(notebooks, parameters, folder, jobs=2, progress=None):
    """Every notebook whose key changed, `jobs` kernels at a time; returns the executed paths in notebook order.

    `progress(stem, seconds, done, total)` is called as each one finishes. The first failure is raised after the
    notebooks already running have finished, so no kernel is left behind. On Ctrl-C or kill, the queued notebooks
    are cancelled and the running kernels killed, so the build stops within seconds.
    """
    folder = Path(folder)
    executed = folder / "executed"
    executed.mkdir(parents=True, exist_ok=True)
    outputs = [executed / Path(nb).name for nb in notebooks]
    stale = []
    for notebook, output in zip(notebooks, outputs):
        key = execution_key(notebook, parameters)
        key_file, synced = output.with_suffix(".key"), output.with_suffix(".source")
        if not (output.exists() and key_file.exists() and key_file.read_text() == key):
            stale.append((notebook, output, key_file, key))
        elif not _intact(output):
            print(f"{relative(output)} could not be read: discarded and executed again", file=sys.stderr)
            stale.append((notebook, output, key_file, key))
        elif not synced.exists() or synced.read_text() != sha256(notebook):
            refresh_prose(notebook, output)
            synced.write_text(sha256(notebook))
    # The notebooks that read the most data start first, so that a slow one is not left to run alone at the end.
    stale.sort(key=lambda item: -sum(path.stat().st_size for path in declared_inputs(Path(item[0]).stem)))
    lock = threading.Lock()
    done = []

    def run(notebook, output, key_file, key):
        key_file.unlink(missing_ok=True)
        start = time.perf_counter()
        execute(notebook, output, parameters, folder / "failed", folder / "logs")
        key_file.write_text(key)
        output.with_suffix(".source").write_text(sha256(notebook))
        with lock:
            done.append(notebook)
            if progress:
                progress(Path(notebook).stem, time.perf_counter() - start, len(done), len(stale))

    errors = []
    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    futures = [pool.submit(run, *item) for item in stale]
    try:
        for future in as_completed(futures):
            if future.exception():
                errors.append(future.exception())
    except BaseException:  # Ctrl-C or kill: start nothing more, stop the kernels running, wait for their threads
        pool.shutdown(wait=False, cancel_futures=True)
        from .kernels import stop_kernels

        stop_kernels()
        wait(futures, timeout=STOP_TIMEOUT)
        raise
    pool.shutdown()
    if errors:
        raise errors[0]
    return outputs
