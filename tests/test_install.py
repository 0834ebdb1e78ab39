"""The package installs like any other: `pip install .` (not editable) gives a working `factcheck` that finds the
project from the folder it runs in, not from where the package was installed."""
import json
import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck import config
from tests.helpers import copy_project


def test_the_project_root_is_the_setting_else_the_nearest_project_folder_else_the_editable_checkout(tmp_path):
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    (project / "data" / "datapackage.json").write_text("{}")
    (project / "notebooks").mkdir()
    assert config.find_root(project / "notebooks", environ={}) == project  # as a kernel in notebooks/ sees it
    assert config.find_root(tmp_path, environ={config.ROOT_ENV: str(project)}) == project
    assert config.find_root(project, environ={config.ROOT_ENV: str(tmp_path)}) == tmp_path
    assert config.find_root(tmp_path, environ={}) == config.PACKAGE.parent  # no project here: the editable checkout


@pytest.mark.build
def test_a_plain_pip_install_builds_the_report_from_the_project_folder(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    packages = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              capture_output=True, text=True, check=True).stdout.strip()
    # offline and quick: the pinned dependencies are this checkout's .venv's, the package itself is installed anew
    (Path(packages) / "locked-dependencies.pth").write_text(site.getsitepackages()[0] + "\n")
    project = copy_project(tmp_path / "project")
    installed = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                                "--no-build-isolation", "--disable-pip-version-check", str(project)],
                               capture_output=True, text=True)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    shutil.rmtree(project / "factcheck")  # the project folder is data and notebooks: the code is the installed package

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "FACTCHECK_ROOT", "FACTCHECK_CACHE")}
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")  # the borrowed dependencies' data (nbconvert's templates)
    where = subprocess.run([str(python), "-c", "import factcheck; print(factcheck.__file__)"], cwd=project,
                           capture_output=True, text=True, env=env)
    assert where.stdout.startswith(packages), where.stdout + where.stderr
    result = subprocess.run([str(python), "-m", "factcheck", "build", "formats=html"], cwd=project / "notebooks",
                            capture_output=True, text=True, env=env, timeout=1800)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((project / "views" / "formats=html" / "manifest.json").read_text())
    assert "factcheck/cli.py" in manifest["inputs"] and "data/claims.csv" in manifest["inputs"]
    assert not any(str(tmp_path) in name for name in manifest["inputs"]), "machine paths in the manifest"
    assert (project / "views" / "formats=html" / "report.html").stat().st_size > 100_000
    assert not (Path(packages) / "build").exists() and not (Path(packages) / "data").exists()
