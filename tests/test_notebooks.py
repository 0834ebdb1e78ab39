"""The committed notebooks: no outputs, one parameters cell matching params.yml, code hidden by tags,
and every notebook executing cleanly with the default parameters and at the article's publication date."""
import ast
import json
from concurrent.futures import ProcessPoolExecutor

import nbformat
import pytest

from factcheck import build, config, data, params

NOTEBOOKS = sorted(config.NOTEBOOKS.glob("*.ipynb"))


def test_every_notebook_declares_its_inputs():
    assert sorted(p.stem for p in NOTEBOOKS) == sorted(config.NOTEBOOK_INPUTS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_has_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_parameters_cell_with_the_standard_defaults(path):
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    assigned = {node.targets[0].id: ast.literal_eval(node.value) for node in ast.parse(cells[0].source).body}
    assert assigned == params.notebook_parameters(params.defaults())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_code_is_hidden_from_readers_by_tags(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert {"remove-input", "remove-cell"} & set(cell.metadata.get("tags", [])), cell.source[:60]


def _execute(path, folder, parameters):
    build.execute(path, folder / path.name, parameters, folder.parent / "failed")
    return nbformat.read(folder / path.name, as_version=4)


def _execute_all(tmp_path, as_of):
    """Every notebook, two at a time in separate processes (each redirects its kernel's stderr)."""
    parameters = tmp_path / f"params-{as_of}.json"
    parameters.write_text(json.dumps(params.resolve({"as_of": as_of})))
    folder = tmp_path / "executed"
    with ProcessPoolExecutor(max_workers=2) as pool:
        runs = [pool.submit(_execute, path, folder, parameters) for path in NOTEBOOKS]
        return {path: run.result() for path, run in zip(NOTEBOOKS, runs)}


@pytest.mark.parametrize("when", ["default", "publication"])
def test_every_notebook_executes(tmp_path, when):
    as_of = params.defaults()["as_of"] if when == "default" else \
        data.load_table("article").iloc[0]["date_published"].date().isoformat()
    executed = _execute_all(tmp_path, as_of)
    for path, nb in executed.items():
        assert build.output_problems(nb) == [], path.name
        charts = [c for c in nb.cells if "chart" in c.metadata.get("tags", [])]
        assert all(any(build.VEGA_LITE in o.get("data", {}) for o in c.outputs) for c in charts), path.name
        assert "papermill" not in nb.metadata
