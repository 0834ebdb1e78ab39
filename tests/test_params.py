"""Bad parameters are refused before anything executes, and the message lists the valid choices."""
import json

import pytest

from factcheck import params


def test_defaults_resolve():
    values = params.resolve()
    assert values == {**params.defaults(), "formats": ["html", "pdf"]}


@pytest.mark.parametrize("overrides,expected", [
    ({"colour": "red"}, "unknown parameter(s) colour; valid parameters: as_of, attack_rate_days, formats"),
    ({"as_of": "2024-13-01"}, "as_of='2024-13-01' is not a date: use the ISO form YYYY-MM-DD"),
    ({"as_of": "yesterday"}, "is not a date"),
    ({"as_of": "2019-01-01"}, "outside the range the data covers: use a date from 2024-01-10"),
    ({"as_of": "2099-01-01"}, "outside the range the data covers"),
    ({"formats": "html docx"}, "docx is not a valid choice; choose from html, pdf"),
    ({"formats": ""}, "nothing is not a valid choice"),
    ({"attack_rate_days": "week"}, "is not a whole number"),
    ({"attack_rate_days": "0"}, "out of range: use 1 to 60"),
])
def test_bad_parameters_are_refused(overrides, expected):
    with pytest.raises(params.ParameterError, match=None) as raised:
        params.resolve(overrides)
    assert expected in str(raised.value)


def test_overrides_are_applied():
    values = params.resolve({"as_of": "2024-01-10", "formats": "pdf,html", "attack_rate_days": "14"})
    assert values["as_of"] == "2024-01-10" and values["formats"] == ["html", "pdf"] and values["attack_rate_days"] == 14


def test_command_line_exits_nonzero_and_writes_nothing(tmp_path, capsys):
    out, notebook_out = tmp_path / "p.json", tmp_path / "n.json"
    code = params.main(["resolve", "--out", str(out), "--notebook-out", str(notebook_out), "--set", "as_of=2024-02-30"])
    assert code == 2 and not out.exists()
    assert "Bad parameter: parameter as_of='2024-02-30' is not a date" in capsys.readouterr().err


def test_unchanged_parameters_keep_the_file_untouched(tmp_path):
    out, notebook_out = tmp_path / "p.json", tmp_path / "n.json"
    args = ["resolve", "--out", str(out), "--notebook-out", str(notebook_out)]
    assert params.main(args) == 0
    before = out.stat().st_mtime_ns
    assert params.main(args) == 0
    assert out.stat().st_mtime_ns == before
    assert json.loads(notebook_out.read_text()) == {"as_of": params.defaults()["as_of"], "attack_rate_days": 7}
    assert params.main(args + ["--set", "attack_rate_days=14"]) == 0
    assert json.loads(out.read_text())["attack_rate_days"] == 14
