"""Notebook outputs never reach git: the nbstripout filter `make venv` sets up strips them as a notebook is staged,
and the build leaves alone a stray notebook it was not told about."""
import os
import subprocess

import nbformat

from factcheck import cli, config
from factcheck.pipeline.manifest import input_files
from tests.helpers import run_make

GIT_IDENTITY = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}


def git(project, *args):
    return subprocess.run(["git", "-C", str(project), *args], capture_output=True, text=True, check=True,
                          env={**os.environ, **GIT_IDENTITY}).stdout


def executed_copy(path):
    nb = nbformat.read(path, as_version=4)
    for count, cell in enumerate((c for c in nb.cells if c.cell_type == "code"), 1):
        cell.execution_count = count
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"output {count}\n")]
    return nb


def test_a_notebook_saved_with_outputs_is_committed_without_them(project):
    git(project, "init", "--quiet")
    git(project, "add", "-A")
    git(project, "commit", "--quiet", "-m", "clean")
    result = run_make(project, "git-filter")
    assert result.returncode == 0 and "nbstripout" in result.stdout, result.stdout + result.stderr
    notebook = project / "notebooks" / "30_attacks.ipynb"
    committed = notebook.read_bytes()
    nbformat.write(executed_copy(notebook), notebook)  # what JupyterLab saves after "Run all"

    git(project, "add", "notebooks/30_attacks.ipynb")
    git(project, "commit", "--quiet", "--allow-empty", "-m", "after a session in Lab")
    assert git(project, "status", "--porcelain") == ""
    staged = git(project, "show", "HEAD:notebooks/30_attacks.ipynb")
    assert staged.encode() == committed  # outputs and counts gone, cell ids and tags kept
    assert "output 1" in notebook.read_text()  # the researcher's own copy keeps its outputs


def test_the_build_names_and_skips_a_notebook_it_was_not_told_about(tmp_path, monkeypatch, capsys):
    for name in (*[f"{stem}.ipynb" for stem in config.NOTEBOOK_INPUTS], "30_attacks.nbconvert.ipynb"):
        (tmp_path / name).write_text("{}")
    monkeypatch.setattr(config, "NOTEBOOKS", tmp_path)
    declared, ignored = config.notebooks()
    assert [p.stem for p in declared] == sorted(config.NOTEBOOK_INPUTS) and ignored == [tmp_path / "30_attacks.nbconvert.ipynb"]
    assert set(declared) <= set(input_files()) and not set(ignored) & set(input_files())  # nor makes report/ stale

    monkeypatch.setattr(cli, "input_hashes", lambda: {})
    monkeypatch.setattr(cli, "validate_data", lambda progress, **_: None)
    monkeypatch.setattr(cli, "resolved", lambda assignments, *_: ({}, {}))
    monkeypatch.setattr(cli, "stale_reasons", lambda out, values, *_: [])
    monkeypatch.setattr(config, "REPORT", tmp_path / "report")
    (tmp_path / "report").mkdir()
    cli.build([], 1, cli.Progress(quiet=False))
    (line,) = [l for l in capsys.readouterr().out.splitlines() if "30_attacks.nbconvert.ipynb" in l]
    assert line.startswith("ignored ") and "NOTEBOOK_INPUTS" in line and "delete a stray" in line
