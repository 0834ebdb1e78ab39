"""The manifest: which files are inputs (checked here with os.walk, not glob), the keys a manifest carries, and how
a manifest that lacks its inputs, outputs or parameters is read."""
import json
import os
from pathlib import Path

from factcheck import config
from factcheck.pipeline import manifest


def walked(folder, recursive, suffix=""):
    """Files under folder (or directly in it) ending in suffix, outside __pycache__, found with os.walk."""
    found = set()
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d != "__pycache__"] if recursive else []
        found |= {Path(root, f) for f in files if f.endswith(suffix)}
    return found


def test_the_inputs_are_data_notebooks_templates_package_params_and_lock_file():
    expected = (walked(config.DATA, False) | walked(config.NOTEBOOKS, False, ".ipynb")
                | walked(config.TEMPLATE_DIR, True) | walked(config.PACKAGE, True, ".py")
                | {config.PARAMS_FILE, config.LOCK_FILE})
    files = manifest.input_files()
    assert files == sorted(files) and set(files) == expected
    names = {manifest.relative(p) for p in files}
    assert {"data/claims.csv", "params.yml", "factcheck/render.py", "factcheck/pipeline/manifest.py"} <= names
    assert any(n.startswith("notebooks/") and n.endswith(".ipynb") for n in names)


def test_nothing_in_a_pycache_folder_is_an_input(tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    (templates / "__pycache__").mkdir(parents=True)
    (templates / "__pycache__" / "cached.j2").write_text("x")
    (templates / "page.j2").write_text("y")
    monkeypatch.setattr(config, "TEMPLATE_DIR", templates)
    files = set(manifest.input_files())
    assert templates / "page.j2" in files and templates / "__pycache__" / "cached.j2" not in files


def test_a_manifest_carries_parameters_inputs_their_digest_packages_and_outputs():
    hashes = {"a": "1"}
    built = manifest.manifest_for({"as_of": "2024-01-10"}, hashes, {"report.html": "f"})
    assert set(built) == {"parameters", "inputs", "input_digest", "packages", "outputs"}
    assert built["input_digest"] == manifest.digest_of(hashes) and set(built["packages"]) == set(manifest.direct_dependencies())
    assert {"pandas", "nbconvert", "rocrate"} <= set(built["packages"]) and "pytest" not in built["packages"]


def test_a_manifest_without_inputs_or_outputs_makes_every_input_changed_and_every_file_unlisted(tmp_path):
    (tmp_path / "report.html").write_text("<p>r</p>")
    (tmp_path / manifest.MANIFEST).write_text(json.dumps({"parameters": {"as_of": "2024-01-10"}}))
    reasons = manifest.stale_reasons(tmp_path, {"as_of": "2026-05-02"})
    changed = [r for r in reasons if r.endswith(" changed since the report was built")]
    assert len(changed) == len(manifest.input_files()) and "params.yml changed since the report was built" in changed
    assert "it was built with parameters {'as_of': '2024-01-10'}, not {'as_of': '2026-05-02'}" in reasons
    assert reasons[-1] == f"{manifest.relative(tmp_path / 'report.html')} is not listed in the manifest"
