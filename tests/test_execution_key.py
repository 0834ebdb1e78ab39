"""The execution key decides whether a notebook runs again: it must change with every input the notebook reads, with
nothing else, and not with the folder the project sits in. Keys are computed in project copies, in one subprocess
each (the key is anchored at the project root the package is imported from); no notebook is executed."""
import json
import subprocess
import sys

from factcheck import config
from tests.helpers import copy_project

KEYS_AFTER_EACH_CHANGE = """
import json
import sys
from factcheck import config
from factcheck.pipeline.execute import execution_key

parameters = {"as_of": "2026-11-24"}
keys = lambda: {path.stem: execution_key(path, parameters) for path in sorted(config.NOTEBOOKS.glob("*.ipynb"))}
before = keys()
rerun = {}
for path in sorted(config.DATA.iterdir()) if "--keys-only" not in sys.argv else ():
    original = path.read_bytes()
    path.write_bytes(original + b"\\n")
    after = keys()
    path.write_bytes(original)
    rerun[path.name] = sorted(stem for stem in before if after[stem] != before[stem])
print(json.dumps({"keys": before, "rerun": rerun}))
"""


def keys_in(project, *options):
    result = subprocess.run([sys.executable, "-c", KEYS_AFTER_EACH_CHANGE, *options], cwd=project, capture_output=True, text=True,
                            env={"PYTHONPATH": str(project), "PATH": ""}, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def readers_of(file_name):
    """The notebooks that declare a data file: through the resource the data package gives that path, the article's
    text through the `article` table, the data package itself for every notebook (it types every table)."""
    package = json.loads((config.DATAPACKAGE).read_text())
    if file_name == config.DATAPACKAGE.name:
        return sorted(config.NOTEBOOK_INPUTS)
    names = {r["name"] for r in package["resources"] if r["path"] == file_name}
    if file_name == config.ARTICLE_TEXT.name:
        names = {"article"}
    return sorted(stem for stem, inputs in config.NOTEBOOK_INPUTS.items() if names & set(inputs))


def test_changing_each_data_file_reruns_exactly_the_notebooks_that_declare_it_and_a_moved_copy_reruns_none(tmp_path):
    here, there = keys_in(copy_project(tmp_path / "here")), keys_in(copy_project(tmp_path / "elsewhere" / "there"), "--keys-only")
    assert here["rerun"] == {name: readers_of(name) for name in here["rerun"]}
    assert {"article.txt", "datapackage.json"} <= set(here["rerun"])
    assert here["keys"] == there["keys"]
