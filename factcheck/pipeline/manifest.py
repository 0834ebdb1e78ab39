"""Provenance: the hash of every input, one digest naming them all, package versions, and freshness checks.

The report names its inputs by content, never by commit, so a fresh clone rebuilds the committed report exactly.
"""
import hashlib
import json
import re
from pathlib import Path

from .. import config

MANIFEST = "manifest.json"


def relative(path):
    """A path as the repository names it: the package's own files as factcheck/..., wherever it is installed."""
    path = Path(path).resolve()
    for base, anchor in ((config.PACKAGE, config.PACKAGE.parent), (config.ROOT, config.ROOT)):
        if path.is_relative_to(base):
            return str(path.relative_to(anchor))
    return str(path)


def located(name):
    """The file a name from `relative` stands for."""
    anchor = config.PACKAGE.parent if Path(name).parts[0] == config.PACKAGE.name else config.ROOT
    return anchor / name


def sha256(path):
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def input_files():
    """Everything the report is a function of: data, notebooks, parameters, lock file, templates and package."""
    patterns = [(config.DATA, "*"), (config.TEMPLATE_DIR, "**/*"), (config.PACKAGE, "**/*.py")]
    files = [p for folder, pattern in patterns for p in folder.glob(pattern)
             if p.is_file() and "__pycache__" not in p.parts]
    notebooks = [p for p in config.notebooks()[0] if p.exists()]
    return sorted(files + notebooks + [config.PARAMS_FILE, config.LOCK_FILE])


def input_hashes():
    return {relative(p): sha256(p) for p in input_files()}


def digest_of(hashes):
    """One SHA-256 over the sorted (path, hash) pairs: the report's identity."""
    return hashlib.sha256("".join(f"{p}\0{h}\n" for p, h in sorted(hashes.items())).encode()).hexdigest()


def direct_dependencies():
    """The runtime dependencies pyproject.toml declares (the installed package's metadata), without the extras."""
    from importlib import metadata  # here, not at the top: a no-op build never needs it (about 40 ms)

    return [re.match(r"[A-Za-z0-9_.-]+", requirement).group() for requirement in metadata.requires(config.PACKAGE.name)
            if "extra ==" not in requirement]


def package_versions():
    from importlib import metadata

    return {name: metadata.version(name) for name in direct_dependencies()}


def manifest_for(parameters, hashes, outputs):
    return {"parameters": parameters, "inputs": hashes, "input_digest": digest_of(hashes),
            "packages": package_versions(), "outputs": outputs}


def read_manifest(folder):
    path = Path(folder) / MANIFEST
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return None


def stale_reasons(folder, parameters=None, current=None):
    """Why `folder` does not hold the report of the current inputs (and of `parameters`, if given); [] if fresh.
    `current` is input_hashes(), where the caller has it already."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest is None:
        return [f"{relative(folder / MANIFEST)} is missing or unreadable"]
    recorded, current = manifest.get("inputs", {}), current or input_hashes()
    problems = [f"{path} changed since the report was built" for path in sorted(current) if recorded.get(path) != current[path]]
    problems += [f"{path} was an input but no longer exists" for path in sorted(set(recorded) - set(current))]
    if parameters is not None and manifest.get("parameters") != parameters:
        problems.append(f"it was built with parameters {manifest.get('parameters')}, not {parameters}")
    outputs = manifest.get("outputs", {})
    for name, digest in outputs.items():
        if not (folder / name).exists() or sha256(folder / name) != digest:
            problems.append(f"{relative(folder / name)} does not match its hash in the manifest (edited by hand or half-written)")
    extra = sorted(p.name for p in folder.iterdir() if p.is_file() and p.name not in outputs and p.name != MANIFEST)
    problems += [f"{relative(folder / name)} is not listed in the manifest" for name in extra]
    return problems
