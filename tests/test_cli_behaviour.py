"""What the command line tells the user, without building anything: progress lines, parameters from make, the build
cache's environment, the parameter cache, the list of views, the freshness check and each command's exit status."""
import json
import os

import pytest

from factcheck import cli, config
from factcheck.pipeline import BuildError
from tests.test_pipeline import fake_report


def test_progress_names_each_step_then_its_duration_and_is_silent_when_quiet(capsys):
    progress = cli.Progress(quiet=False)
    with progress.step("assemble HTML"):
        pass
    progress.notebook_done("30_attacks", 1.26, 3, 5)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "assemble HTML ..."
    assert lines[1].startswith("assemble HTML: done in 0.") and lines[1].endswith(" s")
    assert lines[2] == "  30_attacks done in 1.3 s, 3/5"
    quiet = cli.Progress(quiet=True)
    with quiet.step("assemble HTML"):
        quiet.say("anything")
    assert capsys.readouterr().out == ""


def test_make_variables_become_parameters_naming_the_variable_they_came_from():
    environ = {"FACTCHECK_AS_OF": " 2024-01-10 ", "FACTCHECK_FORMATS": "html pdf", "FACTCHECK_JOBS": "4",
               "FACTCHECK_PARAMS": "attack_rate_days=7 formats=html pdf oops=x"}
    assert cli.make_assignments(environ) == [
        ("as_of=2024-01-10", "AS_OF=2024-01-10"), ("formats=html pdf", "FORMATS=html pdf"),
        ("attack_rate_days=7", "PARAMS=attack_rate_days=7"), ("formats=html pdf", "PARAMS=formats=html pdf"),
        ("oops=x", "PARAMS=oops=x")]
    assert cli.make_assignments({"FACTCHECK_AS_OF": " ", "FACTCHECK_PARAMS": ""}) == []


def test_a_first_word_without_equals_stays_a_word_of_its_own():
    assert cli._split_params("html formats=a b") == ["html", "formats=a b"]


def test_a_word_without_equals_continues_the_value_just_before_it():
    assert cli._split_params("formats=html pdf a=1 b=x y") == ["formats=html pdf", "a=1", "b=x y"]


def test_a_name_without_a_value_and_the_same_value_twice_are_accepted():
    assert cli.parse_assignments(["site_url=", "as_of=2024-01-10"], {"FACTCHECK_AS_OF": "2024-01-10"}) == {
        "site_url": "", "as_of": "2024-01-10"}
    with pytest.raises(Exception, match="^the argument '=1' is not of the form name=value$"):
        cli.parse_assignments(["=1"], {})
    assert cli.parse_assignments(["a=" + "x" * cli.MAX_VALUE_LENGTH], {})["a"] == "x" * 200


def test_the_build_cache_is_set_in_the_block_and_the_previous_value_restored(monkeypatch, tmp_path):
    monkeypatch.delenv(config.CACHE_ENV, raising=False)
    with cli.build_cache(tmp_path):
        assert os.environ[config.CACHE_ENV] == str(tmp_path)
    assert config.CACHE_ENV not in os.environ
    monkeypatch.setenv(config.CACHE_ENV, "before")
    with pytest.raises(RuntimeError), cli.build_cache(tmp_path):
        raise RuntimeError
    assert os.environ[config.CACHE_ENV] == "before"


def test_resolved_parameters_are_cached_and_an_unreadable_cache_is_rebuilt(monkeypatch, tmp_path, capsys):
    from factcheck import params

    monkeypatch.setattr(config, "BUILD", tmp_path)
    calls = []
    monkeypatch.setattr(params, "resolve", lambda overrides: calls.append(overrides) or {"as_of": "x", **overrides})
    current = {"data/a.csv": "1", "notebooks/b.ipynb": "2"}
    expected = ({"as_of": "x", "n": "1"}, {"as_of": "x"})
    assert cli.resolved(["n=1"], current, environ={}) == expected
    cache, = (tmp_path / "parameters").iterdir()
    assert cli.resolved(["n=1"], current, environ={}) == expected
    assert cli.resolved(["n=1"], {**current, "notebooks/b.ipynb": "3"}, environ={}) == expected  # not an input of it
    assert calls == [{"n": "1"}, {}]  # the later calls read the cache
    cli.resolved(["n=1"], {**current, "data/a.csv": "3"}, environ={})
    cli.resolved(["n=2"], current, environ={})
    assert len(calls) == 6
    cli.resolved(["n=1"], {**current, "factcheck/params.py": "changed"}, environ={})  # the code that resolves them
    assert len(calls) == 8
    cli.resolved(["n=1", "m=2"], current, environ={})
    cli.resolved(["m=2", "n=1"], current, environ={})  # the same parameters in another order
    assert len(calls) == 10
    cache.write_text("{not json")
    assert cli.resolved(["n=1"], current, environ={}) == expected
    assert capsys.readouterr().err == f"{cache} could not be read: discarded and rebuilt\n"
    assert json.loads(cache.read_text())[0] == expected[0]


def test_views_are_listed_with_their_freshness_and_outputs(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(config, "VIEWS", tmp_path)
    cli.list_views()
    assert capsys.readouterr().out == (
        "no views built yet: `make report AS_OF=2024-01-10` builds one into views/as_of=2024-01-10/\n")
    (tmp_path / "as_of=2024-02-01").mkdir()
    (tmp_path / ".staging").mkdir()
    (tmp_path / "stray.txt").write_text("")
    cli.list_views()
    assert capsys.readouterr().out == (
        f"{tmp_path}/as_of=2024-02-01/  STALE: {tmp_path}/as_of=2024-02-01/manifest.json is missing or unreadable  "
        "(nothing)\n")


def test_a_fresh_view_lists_its_outputs_and_a_stale_one_its_first_problem(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(config, "VIEWS", tmp_path)
    fake_report(tmp_path / "as_of=2024-01-10", {"as_of": "2024-01-10"}, ["report.html", "claimreview.jsonld"])
    stale = fake_report(tmp_path / "as_of=2024-02-01", {"as_of": "2024-02-01"})
    (stale / "report.html").write_text("edited by hand")
    cli.list_views()
    assert capsys.readouterr().out == (
        f"{tmp_path}/as_of=2024-01-10/  fresh  (report.html, claimreview.jsonld)\n"
        f"{tmp_path}/as_of=2024-02-01/  STALE: {stale}/report.html does not match its hash in the manifest "
        "(edited by hand or half-written)  (report.html)\n")


@pytest.fixture
def standard_parameters(monkeypatch, tmp_path):
    """params.yml's defaults stand at as_of=2024-03-01 (resolving the real ones reads every table), while make passes
    AS_OF=2024-01-10."""
    from factcheck import params

    monkeypatch.setattr(config, "BUILD", tmp_path / "build")
    monkeypatch.setattr(params, "resolve", lambda overrides: {"as_of": "2024-03-01", **overrides})
    monkeypatch.setenv("FACTCHECK_AS_OF", "2024-01-10")
    return {"as_of": "2024-03-01"}


def test_the_freshness_check_holds_report_to_the_standard_parameters_whatever_make_was_given(
        standard_parameters, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(config, "REPORT", fake_report(tmp_path / "report", standard_parameters))
    assert cli.main(["check-fresh"]) == 0
    assert capsys.readouterr().out == "report/ is up to date with its inputs\n"


def test_the_freshness_check_names_every_problem_of_a_stale_report_one_a_line(
        standard_parameters, monkeypatch, tmp_path, capsys):
    report = fake_report(tmp_path / "report", {"as_of": "2024-01-10"})
    (report / "stray.txt").write_text("")
    monkeypatch.setattr(config, "REPORT", report)
    assert cli.main(["check-fresh"]) == 1
    assert capsys.readouterr().err.startswith(
        "BUILD FAILED: the committed report is stale:\n"
        "  it was built with parameters {'as_of': '2024-01-10'}, not {'as_of': '2024-03-01'}\n"
        f"  {report}/stray.txt is not listed in the manifest\n"
        "Run `make report`")


def test_a_stale_report_fails_the_freshness_check_saying_what_to_commit(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(config, "REPORT", tmp_path)
    monkeypatch.setattr(cli, "resolved", lambda assignments, environ: ({"as_of": "x"}, {"as_of": "x"}))
    assert cli.main(["check-fresh"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"BUILD FAILED: the committed report is stale:\n  {tmp_path}/manifest.json is missing or unreadable\n"
                          "Run `make report`, then commit report/ alone (`git add report/`)")
    assert err.endswith("The previous report is unchanged.\n")
    with pytest.raises(BuildError):
        cli.check_fresh()


def test_a_bad_parameter_exits_with_2_and_says_nothing_ran(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(config, "BUILD", tmp_path)  # the data is validated first, and its key kept there
    assert cli.main(["build", "oops"]) == 2
    assert capsys.readouterr().err == ("Bad parameter: the argument 'oops' is not of the form name=value\n"
                                       "Nothing was executed; report/ is unchanged.\n")


def test_the_params_and_validate_commands_answer_and_exit_0(monkeypatch, capsys):
    from factcheck import params

    monkeypatch.setattr(params, "main", lambda argv: argv == ["list"] and 0)
    assert cli.main(["params"]) == 0
    checked = []
    monkeypatch.setattr(cli, "validate_data", lambda progress, reuse: checked.append(reuse))
    assert cli.main(["validate"]) == 0
    assert checked == [False] and capsys.readouterr().out == "data/ is valid\n"


def test_build_and_notebook_run_inside_the_build_cache_with_their_arguments(monkeypatch):
    seen = []
    monkeypatch.setattr(cli, "build", lambda assignments, jobs, progress, force: seen.append(
        (assignments, jobs, progress.quiet, force, os.environ[config.CACHE_ENV])))
    monkeypatch.setattr(cli, "run_notebook", lambda stem, assignments, progress: seen.append((stem, assignments)))
    monkeypatch.setenv("FACTCHECK_JOBS", "")
    assert cli.main(["--quiet", "build", "a=1", "--jobs", "3", "--force"]) == 0
    assert cli.main(["build"]) == 0
    assert cli.main(["notebook", "30_attacks", "a=1"]) == 0
    cache = str(config.BUILD / "cache")
    assert seen == [(["a=1"], 3, True, True, cache), ([], 2, False, False, cache), ("30_attacks", ["a=1"])]


def test_the_help_names_every_command_and_option(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["--help"])
    assert exited.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert text.startswith("usage: python -m factcheck [-h] [--quiet]")
    for line in ("--quiet print only errors", "build build report/ (default parameters) or views/<parameters>/",
                 "notebook execute one notebook into build/notebooks/",
                 "check-fresh fail if report/ is stale against its inputs",
                 "views list the built views and whether each is fresh", "params list the parameters",
                 "validate validate data/", "python -m factcheck check-fresh | views | params | validate"):
        assert line in text, line
    with pytest.raises(SystemExit):
        cli.main(["build", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "[--jobs JOBS] [--force] [NAME=VALUE ...]" in text
    assert "--force rebuild even if the output is up to date with its inputs" in text


def test_ctrl_c_and_kill_stop_a_command_as_an_interrupt(monkeypatch):
    import signal

    monkeypatch.setattr(cli, "list_views", lambda: None)
    for number in (signal.SIGINT, signal.SIGTERM):
        previous = signal.signal(number, signal.SIG_IGN)
        try:
            assert cli.main(["views"]) == 0
            assert signal.getsignal(number) is signal.default_int_handler
        finally:
            signal.signal(number, previous)


def test_make_passes_the_jobs_and_the_notebook_in_the_environment_and_a_command_is_required(monkeypatch, capsys):
    seen = []
    monkeypatch.setattr(cli, "build", lambda assignments, jobs, progress, force: seen.append(jobs))
    monkeypatch.setattr(cli, "run_notebook", lambda stem, assignments, progress: seen.append(stem))
    monkeypatch.setenv("FACTCHECK_JOBS", "5")
    monkeypatch.setenv("FACTCHECK_NOTEBOOK", "20_troop_levels")
    assert cli.main(["build"]) == 0 and cli.main(["notebook"]) == 0
    assert seen == [5, "20_troop_levels"]
    with pytest.raises(SystemExit) as exited:
        cli.main([])
    assert exited.value.code == 2 and "the following arguments are required: command" in capsys.readouterr().err


def test_data_found_valid_is_not_validated_again_until_it_or_the_code_changes(monkeypatch, tmp_path, capsys):
    from factcheck import validate

    monkeypatch.setattr(config, "BUILD", tmp_path / "project" / "build")  # its folders made as needed
    monkeypatch.setattr(config, "DATA", tmp_path / "data")
    config.DATA.mkdir()
    runs = []
    monkeypatch.setattr(validate, "validate", lambda: runs.append(1) or [])
    progress = cli.Progress(quiet=False)
    current = {"data/a.csv": "1", "factcheck/x.py": "2", "params.yml": "3", "notebooks/n.ipynb": "4"}
    cli.validate_data(progress, current=current)
    assert capsys.readouterr().out.startswith("validate data/ ...\nvalidate data/: done in ")
    cli.validate_data(progress, current=current)
    cli.validate_data(progress, current={**current, "notebooks/n.ipynb": "5"})  # notebooks are not its inputs
    assert len(runs) == 1 and capsys.readouterr().out == ""
    for changed in ("data/a.csv", "factcheck/x.py", "params.yml"):
        cli.validate_data(progress, current=current)
        before = len(runs)
        cli.validate_data(progress, current={**current, changed: "changed"})
        assert len(runs) == before + 1, changed
    before = len(runs)
    cli.validate_data(progress, reuse=False, current=current)
    assert len(runs) == before + 1
    (config.DATA / "new_folder").mkdir()  # not a regular file, so not among the input hashes, but validation sees it
    cli.validate_data(progress, current=current)
    assert len(runs) == before + 2
    monkeypatch.setattr(config, "DATA", tmp_path / "missing")  # validation, not its key, says data/ is missing
    cli.validate_data(progress, current=current)
    assert len(runs) == before + 3
    monkeypatch.setattr(validate, "validate", lambda: [validate.DataError("data/a.csv", 3, "date", "not a date")])
    with pytest.raises(BuildError) as raised:
        cli.validate_data(progress, reuse=False, current=current)
    assert str(raised.value).startswith("1 problem(s) in data/:\n")
    assert str(raised.value).endswith("\nThe build stopped before running any notebook.")
    assert "data/a.csv row 3, field 'date': not a date" in str(raised.value)


@pytest.mark.parametrize("changed, run", [({"formats": ["html"]}, "report"), ({"as_of": "2024-02-01"}, "as_of=2024-02-01")])
def test_views_changing_no_notebook_parameter_share_the_executed_notebooks_under_a_lock(monkeypatch, tmp_path, changed, run):
    from filelock import FileLock, Timeout

    from factcheck.pipeline import execute

    defaults = {"as_of": "2026-11-24", "formats": ["html", "pdf"]}
    monkeypatch.setattr(config, "BUILD", tmp_path / "build")
    monkeypatch.setattr(config, "VIEWS", tmp_path / "views")
    monkeypatch.setattr(cli, "input_hashes", lambda: {})
    monkeypatch.setattr(cli, "validate_data", lambda progress, **_: None)
    monkeypatch.setattr(cli, "resolved", lambda assignments, *_: ({**defaults, **changed}, defaults))
    monkeypatch.setattr(cli, "stale_reasons", lambda out, values, *_: ["stale"])
    seen = []

    def execute_all(notebooks, parameters, folder, **_):
        (lock,) = (config.BUILD / "locks").iterdir()
        with pytest.raises(Timeout):  # another build waits for this one's notebooks
            FileLock(lock).acquire(timeout=0)
        seen.append((folder, parameters))
        raise BuildError("stop before assembly")

    monkeypatch.setattr(execute, "execute_all", execute_all)
    with pytest.raises(BuildError):
        cli.build([], 1, cli.Progress(quiet=True))
    assert seen == [(config.BUILD / run, {"as_of": {**defaults, **changed}["as_of"]})]
