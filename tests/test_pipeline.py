"""Unit tests of the pipeline's pure parts: notebooks refused clearly, view names, manifest freshness,
all-or-nothing publishing, the build lock, fixed PDF metadata and the kernel transport."""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time

import nbformat
import pytest

from factcheck import cli, config
from factcheck.pipeline import BuildError, execute, kernels, manifest, publish


def write_notebook(path, cells):
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}})
    nb.cells = cells
    nbformat.write(nb, path)
    return path


def parameters_cell(source="as_of = '2026-05-02'"):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = ["parameters"]
    return cell


@pytest.mark.parametrize("content,expected", [
    ('{"cells": [', "is not a readable notebook"),
    ("", "is not a readable notebook"),
])
def test_a_broken_notebook_file_is_named(tmp_path, content, expected):
    path = tmp_path / "broken.ipynb"
    path.write_text(content)
    with pytest.raises(BuildError, match=expected) as raised:
        execute.read_notebook(path)
    assert "broken.ipynb" in str(raised.value)


@pytest.mark.parametrize("count", [0, 2])
def test_a_notebook_needs_exactly_one_parameters_cell(tmp_path, count):
    path = write_notebook(tmp_path / "nb.ipynb", [parameters_cell() for _ in range(count)])
    with pytest.raises(BuildError, match=f"has {count} cells tagged 'parameters'"):
        execute.read_notebook(path)


def test_view_names_list_only_what_differs_from_the_defaults():
    defaults = {"as_of": "2026-05-02", "attack_rate_days": 7, "formats": ["html", "pdf"]}
    assert cli.view_name(defaults, defaults) == ""
    assert cli.output_folder(defaults, defaults) == config.REPORT
    changed = {**defaults, "as_of": "2024-01-10", "formats": ["html"]}
    assert cli.view_name(changed, defaults) == "as_of=2024-01-10,formats=html"
    assert cli.view_name({**defaults, "site_url": "https://example.org/a b/"}, defaults) == \
        "site_url=https:%2F%2Fexample.org%2Fa%20b%2F"
    assert cli.output_folder(changed, defaults) == config.VIEWS / "as_of=2024-01-10,formats=html"
    assert cli.view_name({**defaults, "formats": ["pdf", "html"]}, defaults) == "formats=pdf+html"


def test_a_view_name_longer_than_a_folder_may_hold_is_cut_with_a_digest_of_the_whole():
    fits = {"site_url": "x" * (cli.MAX_VIEW_NAME - len("site_url="))}
    assert cli.view_name(fits, {}) == "site_url=" + fits["site_url"]
    too_long = {"site_url": fits["site_url"] + "y"}
    name = cli.view_name(too_long, {})
    digest = hashlib.sha256(f"site_url={too_long['site_url']}".encode()).hexdigest()[:16]
    assert len(name) == cli.MAX_VIEW_NAME and name == f"site_url={'x' * 134},{digest}"


def test_the_input_digest_changes_with_any_input_and_not_with_order():
    hashes = {"a": "1", "b": "2"}
    assert manifest.digest_of(hashes) == manifest.digest_of(dict(reversed(list(hashes.items()))))
    assert manifest.digest_of(hashes) != manifest.digest_of({"a": "1", "b": "3"})
    assert manifest.digest_of(hashes) != manifest.digest_of({"a": "1", "c": "2"})


def fake_report(folder, parameters, names=("report.html",)):
    folder.mkdir(parents=True)
    for name in names:
        (folder / name).write_text(f"<p>{name}</p>")
    outputs = {name: manifest.sha256(folder / name) for name in names}
    (folder / "manifest.json").write_text(json.dumps(manifest.manifest_for(parameters, manifest.input_hashes(), outputs)))
    return folder


def test_a_fresh_report_has_no_stale_reasons_and_each_kind_of_staleness_is_named(tmp_path):
    parameters = {"as_of": "2026-05-02"}
    folder = fake_report(tmp_path / "report", parameters)
    assert manifest.stale_reasons(folder, parameters) == []
    assert "built with parameters" in manifest.stale_reasons(folder, {"as_of": "2024-01-10"})[0]
    (folder / "report.pdf").write_bytes(b"stale")
    assert manifest.stale_reasons(folder, parameters) == [f"{manifest.relative(folder / 'report.pdf')} is not listed in the manifest"]
    (folder / "report.pdf").unlink()
    (folder / "report.html").write_text("edited by hand")
    assert "does not match its hash" in manifest.stale_reasons(folder, parameters)[0]
    recorded = json.loads((folder / "manifest.json").read_text())
    recorded["inputs"]["params.yml"] = "0" * 64
    (folder / "manifest.json").write_text(json.dumps(recorded))
    assert "params.yml changed since the report was built" in manifest.stale_reasons(folder, parameters)


@pytest.mark.parametrize("can_exchange", [True, False], ids=["one exchange", "two renames"])
def test_swap_in_replaces_the_whole_folder_and_deletes_the_old_one(tmp_path, monkeypatch, can_exchange):
    if not can_exchange:
        monkeypatch.setattr(publish, "exchange", lambda first, second: False)
    out = tmp_path / "report"
    out.mkdir()
    (out / "old.pdf").write_text("old")
    (out / "report.html").write_text("old")
    staging = publish.staging_folder(out)
    (staging / "report.html").write_text("new")
    publish.swap_in(staging, out)
    assert sorted(p.name for p in out.iterdir()) == ["report.html"] and (out / "report.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


def test_a_first_view_is_staged_as_a_hidden_sibling_in_a_views_folder_made_for_it(tmp_path):
    out = tmp_path / "views" / "as_of=2024-01-10"
    staging = publish.staging_folder(out)
    assert staging.parent == out.parent and staging.name.startswith(".as_of=2024-01-10.staging-")
    umask = os.umask(0)
    os.umask(umask)
    assert staging.stat().st_mode & 0o777 == 0o777 & ~umask  # readable as any published folder, not owner-only
    publish.swap_in(staging, out)
    assert [p.name for p in out.parent.iterdir()] == ["as_of=2024-01-10"]


def test_a_failed_swap_puts_the_previous_report_back(tmp_path, monkeypatch):
    out = tmp_path / "report"
    out.mkdir()
    (out / "report.html").write_text("old")
    staging = publish.staging_folder(out)
    (staging / "report.html").write_text("new")
    real_rename, calls = os.rename, []

    def failing_second_rename(source, target):
        calls.append(source)
        if len(calls) == 2:
            raise PermissionError(13, "Permission denied", str(target))
        real_rename(source, target)

    monkeypatch.setattr(publish.os, "rename", failing_second_rename)
    monkeypatch.setattr(publish, "exchange", lambda first, second: False)  # a system that cannot swap in one step
    with pytest.raises(BuildError, match="was left as it was"):
        publish.swap_in(staging, out)
    assert (out / "report.html").read_text() == "old"


def test_recovery_restores_a_report_moved_aside_by_a_killed_build(tmp_path):
    out = tmp_path / "report"
    aside = tmp_path / ".report.previous-abc"
    aside.mkdir()
    (aside / "report.html").write_text("good")
    (tmp_path / ".report.staging-xyz").mkdir()
    publish.recover(out)
    assert (out / "report.html").read_text() == "good"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


HOLD_LOCK = """
import sys, time
from pathlib import Path
from factcheck.pipeline import publish
with publish.exclusive(Path(sys.argv[1])):
    Path(sys.argv[2]).write_text("holding")
    time.sleep(float(sys.argv[3]))
    Path(sys.argv[2] + ".released").write_text("released")
"""


def test_a_second_build_waits_for_the_lock_and_never_deletes_a_live_staging_folder(tmp_path, monkeypatch):
    out = tmp_path / "report"
    out.mkdir()
    live = out.parent / ".report.staging-live"
    live.mkdir()
    monkeypatch.setattr(config, "BUILD", tmp_path / "build")
    holder_ready = tmp_path / "ready"
    env = {**os.environ, "PYTHONPATH": str(config.ROOT)}
    script = HOLD_LOCK.replace("from factcheck.pipeline import publish",
                               f"from factcheck import config\nconfig.BUILD = Path({str(tmp_path / 'build')!r})\n"
                               "from factcheck.pipeline import publish")
    holder = subprocess.Popen([sys.executable, "-c", script, str(out), str(holder_ready), "1.5"], env=env,
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 30
        while not holder_ready.exists() and time.time() < deadline:
            time.sleep(0.02)
        live.mkdir(exist_ok=True)  # made after the holder's own recovery: it stands for the holder's live staging folder
        import threading

        acquired = []

        def second_build():
            with publish.exclusive(out):
                acquired.append((tmp_path / "ready.released").exists())

        waiter = threading.Thread(target=second_build)
        waiter.start()
        time.sleep(0.5)
        assert acquired == [] and live.exists(), "the second build did not wait, or deleted the live staging folder"
        waiter.join(timeout=30)
        assert acquired == [True], "got the lock while another build held it"
    finally:
        holder.wait(timeout=30)
    assert holder.returncode == 0, holder.stderr.read()


def test_the_pdf_dates_are_fixed_and_its_id_comes_from_its_content(tmp_path):
    import pikepdf

    from factcheck.pipeline.browser import fix_pdf_metadata

    def make_pdf(path, stamp):
        pdf = pikepdf.new()
        pdf.add_blank_page()
        pdf.docinfo["/CreationDate"] = stamp
        pdf.docinfo["/ModDate"] = stamp
        pdf.save(path)

    make_pdf(tmp_path / "a.pdf", "D:20261124110111Z")
    make_pdf(tmp_path / "b.pdf", "D:20261201093000Z")
    fix_pdf_metadata(tmp_path / "a.pdf", "Title", "2026-05-02")
    second = int(time.time())
    while int(time.time()) == second:  # a file id drawn from the clock would now differ
        time.sleep(0.02)
    fix_pdf_metadata(tmp_path / "b.pdf", "Title", "2026-05-02")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    with pikepdf.open(tmp_path / "a.pdf") as pdf:
        assert str(pdf.docinfo["/CreationDate"]) == "D:20260502000000Z"


def chromium_like_pdf(path):
    """A tagged PDF as Chromium prints one: a clock-stamped XMP packet, bookmarks titled without the headings' spaces,
    two charts tagged /Figure without a description (one nested in a paragraph), and elements numbered from node00000300."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.Metadata = pdf.make_stream(b"<x:xmpmeta><xmp:CreateDate>2026-12-04T15:31:55Z</xmp:CreateDate></x:xmpmeta>")

    def element(kind, number, **entries):
        return pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name(kind),
                                                    ID=pikepdf.String(f"node{number:08d}"), **entries))

    first, second = element("/Figure", 310), element("/Figure", 330)
    paragraph = element("/P", 320, K=second, Lang=pikepdf.String("en-GB"))
    section = element("/Sect", 305, K=pikepdf.Array([first, paragraph]))
    pdf.Root.StructTreeRoot = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.StructTreeRoot, K=section,
        IDTree=pikepdf.Dictionary(Names=pikepdf.Array([item for node in (section, first, paragraph, second)
                                                       for item in (node.ID, node)]))))
    with pdf.open_outline() as outline:
        claim = pikepdf.OutlineItem("Claim 17:Over 100 attacksInaccurate", 0)
        claim.children.append(pikepdf.OutlineItem("Sources", 0))
        outline.root.append(claim)
    pdf.save(path)
    return path


def test_the_printed_pdf_gets_its_title_bookmarks_with_spaces_described_charts_and_ids_from_their_order(tmp_path):
    import pikepdf

    from factcheck.pipeline.browser import fix_pdf_metadata, structure_figures

    headings = [("Claim 17: Over 100 attacks Inaccurate", "Claim17:Over100attacksInaccurate"), ("Sources", "Sources")]
    path = chromium_like_pdf(tmp_path / "a.pdf")
    fix_pdf_metadata(path, "The report", "2026-05-02", headings, ["Line chart of troops", "Bar chart of attacks"])
    with pikepdf.open(path) as pdf:
        assert "/Metadata" not in pdf.Root and str(pdf.docinfo["/Title"]) == "The report"
        with pdf.open_outline() as outline:
            claim, = outline.root
            assert (claim.title, [child.title for child in claim.children]) == (headings[0][0], ["Sources"])
        figures = structure_figures(pdf)
        assert [str(figure.Alt) for figure in figures] == ["Line chart of troops", "Bar chart of attacks"]
        assert [str(figure.ID) for figure in figures] == ["node00000002", "node00000004"]
        assert str(pdf.Root.StructTreeRoot.K.K[1].Lang) == "en-GB"  # a string that is no id stays as it was
    fix_pdf_metadata(chromium_like_pdf(tmp_path / "b.pdf"), "The report", "2026-05-02", figures=["one of two"])
    with pikepdf.open(tmp_path / "b.pdf") as pdf:
        assert ["/Alt" in figure for figure in structure_figures(pdf)] == [False, False]  # counts differ: none guessed


def test_two_prints_whose_tagged_elements_chromium_numbered_from_different_starts_give_one_pdf(tmp_path):
    """Chromium names tagged elements after DOM node ids, which an extra node made earlier shifts (seen in CI)."""
    import pikepdf

    from factcheck.pipeline.browser import fix_pdf_metadata

    def make_pdf(path, first):
        pdf = pikepdf.new()
        pdf.add_blank_page()
        head, cell = (f"node{first + step:08d}" for step in (0, 3))
        header = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.TH,
                                                      ID=pikepdf.String(head)))
        data = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem, S=pikepdf.Name.TD, ID=pikepdf.String(cell),
            A=pikepdf.Dictionary(O=pikepdf.Name.Table, Headers=pikepdf.Array([pikepdf.String(head)]))))
        pdf.Root.StructTreeRoot = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.StructTreeRoot, K=pikepdf.Array([header, data]),
            IDTree=pikepdf.Dictionary(Limits=pikepdf.Array([pikepdf.String(head), pikepdf.String(cell)]),
                                      Names=pikepdf.Array([pikepdf.String(head), header, pikepdf.String(cell), data]))))
        pdf.save(path)

    make_pdf(tmp_path / "a.pdf", 200)
    make_pdf(tmp_path / "b.pdf", 201)
    fix_pdf_metadata(tmp_path / "a.pdf", "Title", "2026-05-02")
    second = int(time.time())
    while int(time.time()) == second:  # a file id drawn from the clock would now differ
        time.sleep(0.02)
    fix_pdf_metadata(tmp_path / "b.pdf", "Title", "2026-05-02")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    with pikepdf.open(tmp_path / "a.pdf") as pdf:
        tree = pdf.Root.StructTreeRoot
        named = {str(name): element.ID for name, element in zip(tree.IDTree.Names[::2], tree.IDTree.Names[1::2])}
        assert all(str(value) == key for key, value in named.items())
        assert str(tree.K[1].A.Headers[0]) in named and str(tree.K[1].A.Headers[0]) == str(tree.K[0].ID)


def test_kernels_talk_over_unix_sockets():
    manager = kernels.IPCKernelManager(kernel_name="python3")
    assert manager.transport == "ipc" and manager.ip.startswith(str(manager._socket_dir))


def test_kernels_started_in_the_build_cache_keep_the_tables_they_type_there(tmp_path):
    load = nbformat.v4.new_code_cell("from factcheck import data\ndata.load_table('events')")
    notebook = write_notebook(tmp_path / "cache.ipynb", [parameters_cell(), load])
    with cli.build_cache(tmp_path / "cache"):
        execute.execute(notebook, tmp_path / "out" / "cache.ipynb", {}, tmp_path / "failed")
    assert [p.name.split("-")[0] for p in (tmp_path / "cache" / "tables").iterdir()] == ["events"]
    assert config.CACHE_ENV not in os.environ


def test_the_execution_key_changes_with_the_notebook_its_data_the_package_templates_and_parameters(tmp_path, monkeypatch):
    notebook = config.NOTEBOOKS / "40_expulsion_calls.ipynb"
    base = execute.execution_key(notebook, {"as_of": "2026-05-02"})
    assert execute.execution_key(notebook, {"as_of": "2024-01-10"}) != base
    template = next(config.TEMPLATE_DIR.rglob("*.j2"))
    real_sha = execute.sha256
    monkeypatch.setattr(execute, "sha256", lambda p: "edited" if p == template else real_sha(p))
    assert execute.execution_key(notebook, {"as_of": "2026-05-02"}) != base
    data_file = execute.declared_inputs("40_expulsion_calls")[0]
    monkeypatch.setattr(execute, "sha256", lambda p: "edited" if p == data_file else real_sha(p))
    assert execute.execution_key(notebook, {"as_of": "2026-05-02"}) != base
    undeclared = config.DATA / "troop_levels.csv"
    monkeypatch.setattr(execute, "sha256", lambda p: "edited" if p == undeclared else real_sha(p))
    assert execute.execution_key(notebook, {"as_of": "2026-05-02"}) == base


def test_the_execution_key_ignores_the_order_of_the_parameters_and_follows_a_cell_id(tmp_path):
    """A cell's id names the injected parameters cell in the executed copy, so a new id reruns the notebook."""
    source = tmp_path / "40_expulsion_calls.ipynb"
    shutil.copy(config.NOTEBOOKS / source.name, source)
    parameters = {"as_of": "2026-05-02", "attack_rate_days": 7}
    base = execute.execution_key(source, parameters)
    assert execute.execution_key(source, dict(reversed(parameters.items()))) == base
    nb = nbformat.read(source, as_version=4)
    next(c for c in nb.cells if c.cell_type == "code").id = "renamed-cell"
    nbformat.write(nb, source)
    assert execute.execution_key(source, parameters) != base


def test_a_notebook_that_reads_the_article_table_also_depends_on_the_article_text(monkeypatch):
    monkeypatch.setattr(config, "NOTEBOOK_INPUTS", {"with": ["claims", "article"], "without": ["claims"]})
    claims = execute.declared_inputs("without")
    assert claims[0] == config.DATAPACKAGE and config.ARTICLE_TEXT not in claims
    assert execute.declared_inputs("with")[-1] == config.ARTICLE_TEXT


def test_editing_markdown_keeps_the_key_and_refresh_prose_copies_it_into_the_executed_copy(tmp_path):
    source, executed = tmp_path / "40_expulsion_calls.ipynb", tmp_path / "executed.ipynb"
    shutil.copy(config.NOTEBOOKS / source.name, source)
    base = execute.execution_key(source, {"as_of": "2026-05-02"})
    shutil.copy(source, executed)
    nb = nbformat.read(source, as_version=4)
    prose = next(c for c in nb.cells if c.cell_type == "markdown")
    prose.source += "\n\nAn edited sentence."
    nbformat.write(nb, source)
    assert execute.execution_key(source, {"as_of": "2026-05-02"}) == base
    assert execute.refresh_prose(source, executed) is True
    assert nbformat.read(executed, as_version=4).cells == nb.cells
    assert execute.refresh_prose(source, executed) is False
    code = next(c for c in nb.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", []))
    code.source += "\n1 + 1"
    nbformat.write(nb, source)
    assert execute.execution_key(source, {"as_of": "2026-05-02"}) != base
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("new"))
    nbformat.write(nb, source)
    assert execute.execution_key(source, {"as_of": "2026-05-02"}) != base


def test_an_unexpected_error_is_one_line_and_its_traceback_goes_to_a_log(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cli, "ERROR_LOG", tmp_path / "error.log")

    def broken(*args):
        raise RuntimeError("something nobody expected\nsecond line")

    monkeypatch.setattr(cli, "build", broken)
    assert cli.main(["build"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "RuntimeError: something nobody expected" in err and "Traceback" not in err
    assert str(tmp_path / "error.log") in err or "error.log" in err
    assert "Traceback" in (tmp_path / "error.log").read_text() and "second line" in (tmp_path / "error.log").read_text()
    monkeypatch.setattr(cli, "ERROR_LOG", tmp_path / "build" / "logs" / "error.log")  # its folders made as needed

    def broken_silently(*args):
        raise RuntimeError

    monkeypatch.setattr(cli, "build", broken_silently)
    assert cli.main(["build"]) == 1
    assert capsys.readouterr().err == (f"BUILD FAILED unexpectedly: RuntimeError:  (traceback in {tmp_path}/build/logs/"
                                       "error.log). The previous report is unchanged.\n")
    assert "RuntimeError" in (tmp_path / "build" / "logs" / "error.log").read_text()


@pytest.fixture
def fake_runs(tmp_path, monkeypatch):
    """Notebooks a, b and c reading 1, 300 and 20 bytes of data, keyed by their name and parameters, and the runs of
    a stand-in `execute` (stem, parameters, failed folder, log folder), which takes 20 ms and writes the output."""
    inputs, runs = {}, []
    for stem, size in {"a": 1, "b": 300, "c": 20}.items():
        (tmp_path / f"{stem}.csv").write_bytes(b"x" * size)
        (tmp_path / f"{stem}.ipynb").write_text("{}")
        inputs[stem] = [tmp_path / f"{stem}.csv"]
    monkeypatch.setattr(execute, "declared_inputs", inputs.get)
    monkeypatch.setattr(execute, "execution_key", lambda notebook, parameters: f"{notebook.stem} {parameters}")

    def run(notebook, output, parameters, failed_dir, log_dir):
        runs.append((notebook.stem, parameters, failed_dir, log_dir))
        time.sleep(0.02)
        output.write_text("{}")

    monkeypatch.setattr(execute, "execute", run)
    return [tmp_path / f"{stem}.ipynb" for stem in "abc"], runs


def test_the_notebooks_that_read_the_most_data_start_first_and_results_keep_notebook_order(tmp_path, monkeypatch,
                                                                                             fake_runs):
    notebooks, runs = fake_runs
    running, most = [], []

    def run_counted(notebook, *args):  # how many run at once
        running.append(notebook)
        most.append(len(running))
        execute_one(notebook, *args)
        running.remove(notebook)

    execute_one = execute.execute
    monkeypatch.setattr(execute, "execute", run_counted)
    outputs = execute.execute_all(notebooks, {}, tmp_path / "build", jobs=1)
    assert [stem for stem, *_ in runs] == ["b", "c", "a"] and max(most) == 1
    assert outputs == [tmp_path / "build" / "executed" / f"{s}.ipynb" for s in "abc"]


@pytest.mark.parametrize("prints,calls", [(["a", "a"], 2), (["a", "b", "b"], 3), (["a", "b", "c", "c"], 4)])
def test_the_pdf_is_printed_until_two_prints_in_a_row_agree(prints, calls):
    from factcheck.pipeline.browser import until_two_agree

    made = iter(prints)
    printed = []
    assert until_two_agree(lambda: printed.append(next(made)) or printed[-1]) == prints[-1]
    assert len(printed) == calls


def test_prints_that_never_agree_stop_the_build_with_one_line():
    from factcheck.pipeline.browser import until_two_agree

    made = iter("abab")
    with pytest.raises(BuildError, match="4 times and no two prints in a row agreed"):
        until_two_agree(lambda: next(made), tries=4)


def test_a_notebook_runs_again_only_when_its_key_changes_and_a_prose_edit_is_copied_without_a_run(tmp_path, monkeypatch,
                                                                                                  fake_runs):
    notebooks, runs = fake_runs
    folder, progress, refreshed = tmp_path / "build", [], []
    monkeypatch.setattr(execute, "refresh_prose", lambda notebook, output: refreshed.append(notebook.stem))
    execute.execute_all(notebooks, {"as_of": 1}, folder, jobs=1, progress=lambda *args: progress.append(args))
    assert runs[0] == ("b", {"as_of": 1}, folder / "failed", folder / "logs")  # where a failure is kept and logged
    assert [(stem, done, total) for stem, _, done, total in progress] == [("b", 1, 3), ("c", 2, 3), ("a", 3, 3)]
    assert all(seconds > 0 for _, seconds, _, _ in progress)
    runs.clear()
    execute.execute_all(notebooks, {"as_of": 1}, folder)
    assert runs == [] and refreshed == []
    notebooks[0].write_text('{"edited": "prose"}')
    execute.execute_all(notebooks, {"as_of": 1}, folder)
    assert runs == [] and refreshed == ["a"]
    execute.execute_all(notebooks, {"as_of": 2}, folder)
    assert sorted(stem for stem, *_ in runs) == ["a", "b", "c"]


def test_a_failed_notebook_is_raised_after_the_others_ran_and_alone_runs_again(tmp_path, monkeypatch, fake_runs):
    notebooks, runs = fake_runs
    execute_one = execute.execute

    def b_fails(notebook, *args):
        execute_one(notebook, *args)
        if notebook.stem == "b":
            raise BuildError("notebooks/b.ipynb failed in cell 1")

    monkeypatch.setattr(execute, "execute", b_fails)
    with pytest.raises(BuildError, match="^notebooks/b.ipynb failed in cell 1$"):
        execute.execute_all(notebooks, {}, tmp_path / "build", jobs=1)
    assert sorted(stem for stem, *_ in runs) == ["a", "b", "c"]
    runs.clear()
    with pytest.raises(BuildError):
        execute.execute_all(notebooks, {}, tmp_path / "build")
    assert [stem for stem, *_ in runs] == ["b"]
