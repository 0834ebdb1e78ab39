"""The committed notebooks: no outputs, one typed and described parameters cell matching params.yml, code hidden
by tags, runnable from any working directory, and every notebook executing cleanly at both ends of `as_of`."""
import ast
import re
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from factcheck import config, params
from factcheck.pipeline import execute

NOTEBOOKS = sorted(config.NOTEBOOKS.glob("*.ipynb"))
# the tools of the venv running the tests (not ROOT/.venv: under mutmut, ROOT is mutants/)
PYTHON = Path(sys.executable)
PAPERMILL = PYTHON.parent / "papermill"


def parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    return cells[0]


def test_every_notebook_declares_its_inputs():
    assert sorted(p.stem for p in NOTEBOOKS) == sorted(config.NOTEBOOK_INPUTS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_has_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    executed = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]
    assert not executed, (f"notebooks/{path.name} carries outputs or execution counts in cells {executed}: strip them with "
                          f"`.venv/bin/python -m nbstripout --keep-id notebooks/{path.name}` (`make venv` sets up the git "
                          "filter that does this on every commit)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_parameters_cell_typed_and_described_with_the_standard_defaults(path):
    cell = parameters_cell(path)
    assigned = {}
    for node, line in zip(ast.parse(cell.source).body, [l for l in cell.source.splitlines() if l.strip()]):
        assert isinstance(node, ast.AnnAssign), f"{line!r} has no type annotation"
        assert "#" in line and line.split("#", 1)[1].strip(), f"{line!r} has no one-line description"
        assigned[node.target.id] = ast.literal_eval(node.value)
    assert assigned == params.notebook_parameters(params.resolve({}))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_code_is_hidden_from_readers_by_tags(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert {"remove-input", "remove-cell"} & set(cell.metadata.get("tags", [])), cell.source[:60]


def test_papermill_help_shows_each_parameters_type_and_description():
    result = subprocess.run([str(PAPERMILL), "--help-notebook",
                             str(config.NOTEBOOKS / "30_attacks.ipynb")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for name, entry in params.spec().items():
        if entry["scope"] == "notebooks":
            line = next(l for l in result.stdout.splitlines() if l.strip().startswith(f"{name}:"))
            assert "Unknown type" not in line and len(line.split("  ", 1)[-1].strip()) > 10, line


@pytest.mark.kernel
def test_a_notebook_runs_from_the_notebooks_folder_as_jupyter_would(tmp_path):
    """JupyterLab opened on notebooks/ starts kernels there; the installed package must be found from any folder."""
    script = ("import nbformat, nbclient; nb = nbformat.read('30_attacks.ipynb', as_version=4); "
              "nbclient.NotebookClient(nb, kernel_name='python3', resources={'metadata': {'path': '.'}}).execute(); "
              "print('ran', len(nb.cells))")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([str(PYTHON), "-c", script], cwd=config.NOTEBOOKS, capture_output=True, text=True, env=env,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("ran")


@pytest.fixture(params=["default", "publication"])
def executed(request, standard_report, early_report):
    """The notebooks as the session's shared builds executed them, at both ends of `as_of`."""
    if request.param == "default":
        folder = standard_report / "build" / "report" / "executed"
    else:
        view, published, _ = early_report
        folder = view.parent.parent / "build" / f"as_of={published}" / "executed"
    return {path: nbformat.read(folder / path.name, as_version=4) for path in NOTEBOOKS}


def test_every_notebook_executes(executed):
    for path, nb in executed.items():
        assert execute.output_problems(nb) == [], path.name
        charts = [o.data for c in nb.cells if "chart" in c.metadata.get("tags", []) for o in c.outputs if "data" in o]
        # every chart output carries a static rendering beside its spec, for JupyterLab, GitHub and nbviewer
        assert all({config.VEGA_LITE_MIMETYPE, "image/svg+xml", "image/png"} <= set(data) for data in charts), path.name
        assert "papermill" not in nb.metadata


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_notebook_opens_by_naming_the_tables_it_reads(path):
    first = nbformat.read(path, as_version=4).cells[0]
    assert first.cell_type == "markdown"
    listed = re.findall(r"`([a-z_]+)`", first.source.split("Reads:", 1)[1].split("(declared")[0])
    assert listed == config.NOTEBOOK_INPUTS[path.stem]


@pytest.mark.kernel
def test_papermill_refuses_an_unknown_parameter_with_the_valid_names(tmp_path):
    result = subprocess.run([str(PAPERMILL), str(config.NOTEBOOKS / "40_expulsion_calls.ipynb"),
                             str(tmp_path / "out.ipynb"), "-p", "as_of", "2024-02-01", "-p", "atack_rate_days", "3"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "unknown parameter(s) atack_rate_days; valid parameters: as_of, attack_rate_days" in result.stdout + result.stderr
