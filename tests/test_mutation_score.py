"""`make mutation`'s tally: what counts as killed, what is left out, and which mutants survived."""
import io

from tests import mutation_score

RESULTS = """
    factcheck.cli.x_main__mutmut_1: killed
    factcheck.cli.x_main__mutmut_2: survived
    factcheck.cli.xǁProgressǁsay__mutmut_1: timeout
    factcheck.cli.x_main__mutmut_3: skipped
    factcheck.pipeline.assemble.x_merge__mutmut_1: survived
    factcheck.pipeline.assemble.x_merge__mutmut_2: not checked
"""


def test_timeouts_count_as_killed_and_mutants_never_run_count_for_nothing():
    counts = mutation_score.tally(RESULTS)
    assert mutation_score.score(counts["factcheck.cli"]) == (2, 3)
    assert mutation_score.score(counts["factcheck.pipeline.assemble"]) == (0, 1)


def test_the_report_gives_each_module_and_the_total():
    report = mutation_score.report(mutation_score.tally(RESULTS)).splitlines()
    assert report[0].split() == ["factcheck.cli", "2", "of", "3", "killed", "(", "66.7", "%)"]
    assert report[1].split()[:4] == ["factcheck.pipeline.assemble", "0", "of", "1"]
    assert report[-1] == "mutation score: 2 of 4 mutants killed (50.0 %)"


def test_the_survivors_are_listed_by_name(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(RESULTS))
    mutation_score.main([str(tmp_path / "survivors.txt")])
    assert (tmp_path / "survivors.txt").read_text().split() == [
        "factcheck.cli.x_main__mutmut_2", "factcheck.pipeline.assemble.x_merge__mutmut_1"]
    assert "mutation score: 2 of 4" in capsys.readouterr().out
