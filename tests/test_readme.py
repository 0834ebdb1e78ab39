"""The README's researcher section, run verbatim (all but `make lab`, which opens a server) in a copy of the project."""
import re
import subprocess

import pytest

from factcheck import config
from tests.helpers import copy_project

pytestmark = pytest.mark.build


def researcher_commands():
    readme = (config.ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## For researchers", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line.split("  #")[0].strip() for line in block.splitlines()
            if line.strip() and not line.startswith("make lab")]


def test_the_researcher_section_works_verbatim(tmp_path):
    commands = researcher_commands()
    assert any(c.startswith("papermill notebooks/30_attacks.ipynb") for c in commands)
    project = copy_project(tmp_path / "project")
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", "\n".join(commands)], cwd=project, capture_output=True,
                            text=True, timeout=600, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert (project / "out.ipynb").exists()
    assert re.search(r"executed notebook: build/notebooks/as_of=2024-02-01/30_attacks.ipynb", result.stdout)
