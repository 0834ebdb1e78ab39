"""The RO-Crate beside the manifest: the report's inputs, outputs and software, and one Process Run Crate action per
notebook execution (the notebook as instrument, its parameters, the data it read and the executed notebook).

It holds no wall-clock time (no action has an endTime), so the same inputs give the same crate byte for byte. Inputs live outside `report/`, so
they are named by their address in the repository and carry the SHA-256 that the manifest records.
"""
import json
from pathlib import Path

from rocrate.model.contextentity import ContextEntity
from rocrate.model.softwareapplication import SoftwareApplication
from rocrate.rocrate import ROCrate

from .manifest import located, relative, sha256

CRATE = "ro-crate-metadata.json"
PROCESS_RUN_CRATE = "https://w3id.org/ro/wfrun/process/0.5"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
FORMATS = {".csv": "text/csv", ".txt": "text/plain", ".json": "application/json", ".ipynb": "application/x-ipynb+json",
           ".html": "text/html", ".pdf": "application/pdf", ".jsonld": "application/ld+json", ".yml": "application/yaml"}


def encoding_format(name):
    return FORMATS.get(Path(name).suffix, "application/octet-stream")


def repository_address(repo_url, path):
    """Where an input lives: its address in the repository, or with no repository address set, a local id."""
    return f"{repo_url.rstrip('/')}/blob/main/{path}" if repo_url else f"#input:{path}"


def crate_for(manifest, runs, folder, title, organisation):
    """The crate as a dict. `runs` is one (notebook, executed notebook, parameters, data files) per execution;
    `folder` holds the outputs the manifest lists."""
    parameters = manifest["parameters"]
    repo_url = parameters["repo_url"]
    crate = ROCrate(gen_preview=False, version="1.1")
    root = crate.root_dataset
    root["name"] = title
    root["description"] = ("A reproducible fact-check of a January 2024 Deutsche Welle article: the report, "
                           "and how it was made from the project's data and notebooks.")
    root["datePublished"] = parameters["as_of"]
    root["identifier"] = f"sha256:{manifest['input_digest']}"
    root["conformsTo"] = crate.add(ContextEntity(crate, PROCESS_RUN_CRATE, properties={
        "@type": "CreativeWork", "name": "Process Run Crate", "version": "0.5"}))
    root["license"] = crate.add(ContextEntity(crate, LICENSE, properties={"@type": "CreativeWork", "name": "CC BY 4.0"}))
    site_url = parameters["site_url"]
    publisher = crate.add(ContextEntity(crate, site_url or "#publisher", properties={
        "@type": "Organization", "name": organisation, **({"url": site_url} if site_url else {})}))
    root["publisher"] = root["author"] = publisher

    def add_input(path, **properties):
        path = relative(path)
        address = repository_address(repo_url, path)
        described = {"name": path, "encodingFormat": encoding_format(path), "sha256": manifest["inputs"][path],
                     "contentSize": str(located(path).stat().st_size), **properties}
        if crate.get(address):
            return crate.get(address)
        if repo_url:
            return crate.add_file(address, fetch_remote=False, properties=described)
        return crate.add(ContextEntity(crate, address, properties={"@type": "File", **described}))

    for name in sorted(manifest["outputs"]):
        crate.add_file(folder / name, dest_path=name, properties={
            "name": name, "encodingFormat": encoding_format(name), "sha256": manifest["outputs"][name]})
    software = [crate.add(SoftwareApplication(crate, f"https://pypi.org/project/{name}/{version}/", properties={
        "name": name, "version": version, "url": f"https://pypi.org/project/{name}/"}))
        for name, version in sorted(manifest["packages"].items())]
    for notebook, *_ in runs:
        path = relative(notebook)
        add_input(notebook, **{"@type": ["File", "SoftwareSourceCode"], "programmingLanguage": "Python",
                               **({"url": repository_address(repo_url, path)} if repo_url else {}), "version": manifest["inputs"][path][:12],
                               "softwareRequirements": software})
    for path in sorted(manifest["inputs"]):
        add_input(located(path))
    values, actions = {}, []
    for notebook, executed, notebook_parameters, data_files in runs:
        stem = Path(notebook).stem
        instrument = add_input(notebook)
        for name, value in sorted(notebook_parameters.items()):
            values.setdefault((name, value), crate.add(ContextEntity(crate, f"#parameter-{name}-{value}", properties={
                "@type": "PropertyValue", "name": name, "value": json.dumps(value) if not isinstance(value, str) else value})))
        result = crate.add(ContextEntity(crate, f"#executed-{stem}", properties={
            "@type": "File", "name": f"{stem}.ipynb, executed", "encodingFormat": encoding_format(executed),
            "sha256": sha256(executed), "description": "Executed by papermill into build/; assembled into the report."}))
        actions.append(crate.add_action(instrument, identifier=f"#run-{stem}", properties={
            "name": f"Execution of {stem}.ipynb",
            "description": f"papermill ran notebooks/{stem}.ipynb with the report's parameters.",
            "agent": publisher,
        }, object=[add_input(path) for path in data_files] + [values[(n, v)] for n, v in sorted(notebook_parameters.items())],
            result=result))
    root["mentions"] = actions if len(actions) != 1 else actions[0]  # RO-Crate 1.1: one value, not a one-item list
    return crate.metadata.generate()


def write_crate(folder, manifest, runs, title, organisation):
    metadata = crate_for(manifest, runs, Path(folder), title, organisation)
    (Path(folder) / CRATE).write_text(json.dumps(metadata, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
