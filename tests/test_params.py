"""Bad parameters are refused before anything executes, and the message lists the valid choices."""
import datetime as dt
import shutil
from pathlib import Path

import pytest

from factcheck import config, params
from tests.helpers import rewrite_csv


@pytest.fixture(autouse=True)
def build_folder(tmp_path, monkeypatch):
    """The command line keeps its stamps, caches and logs under build/: here the test's own, never the checkout's."""
    from factcheck import cli

    monkeypatch.setattr(config, "BUILD", tmp_path / "build")
    monkeypatch.setattr(cli, "ERROR_LOG", tmp_path / "build" / "logs" / "error.log")


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


def test_command_line_exits_nonzero_with_one_line(capsys):
    from factcheck import cli

    assert cli.main(["build", "as_of=2024-02-30"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Bad parameter: parameter as_of='2024-02-30' is not a date") and "Traceback" not in err


# --- params.yml itself is checked at every depth ---------------------------------------------------

@pytest.fixture
def params_file(tmp_path):
    return Path(shutil.copy(config.PARAMS_FILE, tmp_path / "params.yml"))


def edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


CONFIG_CASES = [
    ("  type: integer\n", "  type: integer\n  maximun: 90\n",
     "params.yml: parameter 'attack_rate_days' has unknown key(s) maximun; valid keys for type integer: "
     "default, type, help, scope, minimum, maximum"),
    ("formats:\n", "colour: red\nformats:\n",
     "params.yml: parameter 'colour' must be a mapping with the keys default, type, help, scope, found 'red'"),
    ("  scope: assembly\n", "  scope: everywhere\n",
     "params.yml: parameter 'formats' has scope 'everywhere': use one of notebooks, assembly"),
    ("  type: date\n", "  type: datetime\n", "parameter 'as_of' has type 'datetime': use one of date, integer, list, string, url"),
    ("  maximum: 60\n", "", "parameter 'attack_rate_days' lacks the key(s) maximum"),
    ("  default: 7\n", "  default: 700\n",
     "params.yml: the default is refused: parameter attack_rate_days=700 is out of range: use 1 to 60"),
    ("  choices: [html, pdf]\n", "  choices: [html, pdf\n", "params.yml line 21, column 8: not valid YAML (expected ',' or ']', but got ':'): fix the syntax there"),
    ("as_of:\n  default", "as_of:\n default", "params.yml line 5, column 3: not valid YAML (expected <block end>, but found '<block mapping start>')"),
    ("formats:\n", "url_of_repo:\n  default: javascript:alert(1)\n  type: url\n  scope: assembly\n  help: Repo.\nformats:\n",
     "the default is refused: parameter url_of_repo='javascript:alert(1)' is not an http or https URL"),
]


@pytest.mark.parametrize("old,new,expected", CONFIG_CASES, ids=[c[2][:60] for c in CONFIG_CASES])
def test_a_bad_params_file_is_refused_in_one_line(params_file, old, new, expected, capsys):
    edit(params_file, old, new)
    with pytest.raises(params.ConfigError) as raised:
        params.spec(params_file)
    assert expected in str(raised.value) and "\n" not in str(raised.value)


def test_the_command_line_prints_one_line_for_a_bad_params_file(params_file, tmp_path, capsys):
    edit(params_file, "  type: integer\n", "  type: integer\n  maximun: 90\n")
    assert params.main(["list", "--params-file", str(params_file)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.startswith("Bad configuration: params.yml: parameter 'attack_rate_days' "
                                                      "has unknown key(s) maximun") and "report/ is unchanged" in err


def test_string_and_url_parameters(params_file):
    edit(params_file, "formats:\n", "mirror_url:\n  default: https://example.org/report/\n  type: url\n  scope: assembly\n"
                                    "  help: Where the report is published.\ntagline:\n  default: A fact-check\n"
                                    "  type: string\n  scope: notebooks\n  help: A line of text.\nformats:\n")
    values = params.resolve({"tagline": "Another"}, params_path=params_file)
    assert values["mirror_url"] == "https://example.org/report/" and values["tagline"] == "Another"
    for override, expected in [({"site_url": "javascript:alert(1)"}, "is not an http or https URL"),
                               ({"site_url": "ftp://example.org"}, "is not an http or https URL"),
                               ({"tagline": "bad\x00text"}, "control character U+0000 is not allowed")]:
        with pytest.raises(params.ParameterError, match=expected.replace("+", r"\+")):
            params.resolve(override, params_path=params_file)


def test_unreadable_data_is_one_line_from_the_parameters_too(tmp_path, capsys):
    data_dir = Path(shutil.copytree(config.DATA, tmp_path / "data"))
    (data_dir / "datapackage.json").write_text("{")
    with pytest.raises(params.ParameterError, match=r"as_of cannot be checked against the data: data/datapackage.json "
                                                    r"line 1, column 2: not valid JSON"):
        params.resolve(package_path=data_dir / "datapackage.json")


def test_a_bad_parameter_in_a_notebook_is_one_parameter_error():
    from factcheck.notebook import setup

    with pytest.raises(params.ParameterError) as raised:
        setup("30_attacks", as_of="2024-13-01", attack_rate_days=7)
    assert str(raised.value).startswith("parameter as_of='2024-13-01' is not a date")
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
    import traceback

    frames = [frame.filename for frame in traceback.extract_tb(raised.value.__traceback__)]
    assert not any(Path(name).parts[-2:] == ("factcheck", "params.py") for name in frames), frames  # setup only


def test_the_date_range_is_read_from_the_package_given(tmp_path):
    data_dir = Path(shutil.copytree(config.DATA, tmp_path / "data"))
    rewrite_csv(data_dir / "article.csv", lambda rows: rows[1].__setitem__(rows[0].index("date_published"), "2024-01-03"))
    first, last = params.data_date_range(data_dir / "datapackage.json")
    assert (first, last) == (dt.date(2024, 1, 3), params.data_date_range()[1])
