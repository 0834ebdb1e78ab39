"""Parameter files and values, each case a small params.yml written here: what is refused, with which message,
and what each type turns a raw value into."""
import datetime as dt
from pathlib import Path

import pytest
import yaml

from factcheck import params

DATE = {"default": "2024-01-10", "type": "date", "help": "Last date.", "scope": "notebooks"}
INTEGER = {"default": 7, "type": "integer", "minimum": 1, "maximum": 60, "help": "Days.", "scope": "notebooks"}
LIST = {"default": ["html"], "type": "list", "choices": ["html", "pdf"], "help": "Files.", "scope": "assembly"}
STRING = {"default": "A line", "type": "string", "help": "Text.", "scope": "notebooks"}
URL = {"default": "https://example.org/", "type": "url", "help": "Where.", "scope": "assembly"}


def write(tmp_path, entries, name="params.yml"):
    path = tmp_path / name
    path.write_text(entries if isinstance(entries, str) else yaml.safe_dump(entries), encoding="utf-8")
    return path


def refused(tmp_path, entries):
    with pytest.raises(params.ConfigError) as raised:
        params.spec(write(tmp_path, entries))
    return str(raised.value)


# --- reading params.yml ---------------------------------------------------------------------------

def test_a_missing_params_file_says_how_to_restore_it(tmp_path):
    with pytest.raises(params.ConfigError) as raised:
        params.spec(tmp_path / "params.yml")
    assert str(raised.value) == "params.yml is missing: restore it from git (git checkout -- params.yml)"


def test_a_params_file_that_is_not_utf8_names_the_byte(tmp_path):
    path = tmp_path / "params.yml"
    path.write_bytes(b"as_of:\n  help: caf\xe9\n")
    with pytest.raises(params.ConfigError) as raised:
        params.spec(path)
    assert str(raised.value) == "params.yml: byte 0xe9 at offset 18 is not UTF-8: save the file as UTF-8"


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "just text\n", "{}\n"])
def test_a_params_file_must_map_names_to_entries(tmp_path, text):
    assert refused(tmp_path, text) == ("params.yml must map parameter names to entries with the keys "
                                       "default, type, help, scope")


# --- each entry ------------------------------------------------------------------------------------

def test_a_good_file_gives_its_entries_and_defaults(tmp_path):
    path = write(tmp_path, {"as_of": DATE, "days": INTEGER, "formats": LIST, "tagline": STRING, "site": URL})
    assert params.spec(path)["days"] == INTEGER
    assert params.defaults(path) == {"as_of": "2024-01-10", "days": 7, "formats": ["html"], "tagline": "A line",
                                     "site": "https://example.org/"}


@pytest.mark.parametrize("name", ["2nd", "a-b", "with space", "as_of\n"])
def test_a_parameter_name_must_be_an_identifier(tmp_path, name):
    assert refused(tmp_path, {name: DATE}) == (f"params.yml: parameter name {name!r} must be a Python identifier "
                                               "(letters, digits, _)")


@pytest.mark.parametrize("name", ["naïve", "_x1"])
def test_any_python_identifier_may_name_a_parameter(tmp_path, name):
    assert list(params.spec(write(tmp_path, {name: DATE}))) == [name]


def test_a_parameter_name_must_be_text(tmp_path):
    assert "parameter name 12 must be a Python identifier" in refused(tmp_path, "12:\n  type: date\n")


def test_a_missing_key_is_named_with_the_keys_its_type_needs(tmp_path):
    entry = {k: v for k, v in INTEGER.items() if k not in ("help", "minimum")}
    assert refused(tmp_path, {"days": entry}) == ("params.yml: parameter 'days' lacks the key(s) help, minimum; "
                                                  "a integer parameter needs default, type, help, scope, minimum, maximum")


@pytest.mark.parametrize("help_text", ["", "   ", 3])
def test_help_must_be_a_sentence(tmp_path, help_text):
    assert refused(tmp_path, {"as_of": DATE | {"help": help_text}}) == \
        "params.yml: parameter 'as_of': help must be a sentence saying what the parameter does"


@pytest.mark.parametrize("bounds", [{"minimum": 5, "maximum": 4}, {"minimum": 1.5}, {"maximum": "60"}, {"minimum": True}])
def test_integer_bounds_must_be_whole_numbers_in_order(tmp_path, bounds):
    assert refused(tmp_path, {"days": INTEGER | bounds}) == \
        "params.yml: parameter 'days': minimum and maximum must be whole numbers with minimum <= maximum"


def test_equal_integer_bounds_are_allowed(tmp_path):
    assert params.defaults(write(tmp_path, {"days": INTEGER | {"minimum": 7, "maximum": 7}})) == {"days": 7}


@pytest.mark.parametrize("choices", [[], "html pdf", ["html", 3], None])
def test_choices_must_be_a_non_empty_list_of_names(tmp_path, choices):
    assert refused(tmp_path, {"formats": LIST | {"choices": choices}}) == \
        "params.yml: parameter 'formats': choices must be a non-empty list of names"


# --- coercing values -------------------------------------------------------------------------------

def coerce(entry, raw):
    return params._coerce("p", entry, raw)


def test_dates_become_iso_text():
    assert coerce(DATE, dt.date(2024, 2, 29)) == "2024-02-29" and coerce(DATE, "2024-02-29") == "2024-02-29"
    with pytest.raises(params.ParameterError) as raised:
        coerce(DATE, "2023-02-29")
    assert str(raised.value) == ("parameter p='2023-02-29' is not a date: use the ISO form YYYY-MM-DD, "
                                 "e.g. 2024-01-10")


@pytest.mark.parametrize("raw,value", [(7, 7), (" 14 ", 14), ("1", 1), (60, 60)])
def test_whole_numbers_in_range_are_accepted(raw, value):
    assert coerce(INTEGER, raw) == value


@pytest.mark.parametrize("raw", [True, False, 7.0, "7.5", None, [7]])
def test_anything_but_a_whole_number_is_refused(raw):
    with pytest.raises(params.ParameterError) as raised:
        coerce(INTEGER, raw)
    assert str(raised.value) == f"parameter p={raw!r} is not a whole number"


@pytest.mark.parametrize("raw", [0, 61, "-3"])
def test_whole_numbers_out_of_range_are_refused(raw):
    with pytest.raises(params.ParameterError) as raised:
        coerce(INTEGER, raw)
    assert str(raised.value) == f"parameter p={int(raw)} is out of range: use 1 to 60"


@pytest.mark.parametrize("raw,value", [("pdf html", ["html", "pdf"]), ("pdf,,html", ["html", "pdf"]),
                                       (["pdf"], ["pdf"]), ("html html", ["html"]), ("pdf", ["pdf"])])
def test_a_list_keeps_the_choices_given_in_their_own_order(raw, value):
    assert coerce(LIST, raw) == value


def test_a_list_names_every_unknown_choice():
    with pytest.raises(params.ParameterError) as raised:
        coerce(LIST, "docx html odt")
    assert str(raised.value) == "parameter p='docx html odt': docx, odt is not a valid choice; choose from html, pdf"
    with pytest.raises(params.ParameterError, match="nothing is not a valid choice"):
        coerce(LIST, [])


@pytest.mark.parametrize("raw", ["plain", "tab\there", "ünïcode ✓", "\x20edge"])
def test_text_without_control_characters_is_kept(raw):
    assert coerce(STRING, raw) == raw


@pytest.mark.parametrize("char", ["\x00", "\n", "\x1f", "\x7f", "\x85", "\x9f", "\u202a", "\u202e", "\u2066", "\u2069"])
def test_control_and_direction_characters_are_refused(char):
    with pytest.raises(params.ParameterError) as raised:
        coerce(STRING, f"a{char}b")
    assert str(raised.value) == f"parameter p: control character U+{ord(char):04X} is not allowed: remove it"


@pytest.mark.parametrize("char", ["\xa0", "\u2029", "\u206a", "\u2065"])
def test_characters_just_outside_the_refused_ranges_are_kept(char):
    assert coerce(STRING, f"a{char}b") == f"a{char}b"


def test_text_must_be_text():
    with pytest.raises(params.ParameterError) as raised:
        coerce(STRING, 12)
    assert str(raised.value) == "parameter p=12 is not text: quote it in params.yml"


@pytest.mark.parametrize("url", ["https://example.org", "http://a.b:8080/x?y=1#z", "https://example.org/path/"])
def test_http_urls_are_kept(url):
    assert coerce(URL, url) == url


@pytest.mark.parametrize("url", ["example.org", "https://", "https://exa mple.org", "https://example.org/a b",
                                 "ftp://example.org", "https://example.org:port/",
                                 "https://example.org/<!--<script>", 'https://example.org/"onmouseover=x'])
def test_anything_but_an_http_url_is_refused(url):
    with pytest.raises(params.ParameterError) as raised:
        coerce(URL, url)
    assert str(raised.value) == f"parameter p={url!r} is not an http or https URL: use a link starting with https://"


def test_an_unknown_type_is_refused():
    with pytest.raises(params.ParameterError, match="parameter p has unknown type 'colour'"):
        coerce({"type": "colour"}, "red")


# --- resolving, the notebook's share, and the command line ------------------------------------------

def test_resolve_needs_an_as_of_date(tmp_path):
    path = write(tmp_path, {"days": INTEGER})
    with pytest.raises(params.ConfigError) as raised:
        params.resolve(params_path=path)
    assert str(raised.value) == "params.yml must define as_of, of type date: the report is cut to it"
    with pytest.raises(params.ConfigError, match="must define as_of"):
        params.resolve(params_path=write(tmp_path, {"as_of": STRING | {"default": "2024-01-10"}}))


def test_only_notebook_parameters_go_to_the_notebooks(tmp_path):
    path = write(tmp_path, {"as_of": DATE, "formats": LIST, "days": INTEGER})
    assert params.notebook_parameters({"as_of": "2024-01-10", "formats": ["pdf"], "days": 3}, path) == \
        {"as_of": "2024-01-10", "days": 3}


def test_error_lines_name_their_kind():
    assert params.error_line(params.ConfigError("x")) == "Bad configuration: x\nNothing was executed; report/ is unchanged."
    assert params.error_line(params.ParameterError("y")) == "Bad parameter: y\nNothing was executed; report/ is unchanged."


def test_the_list_command_prints_each_parameter_with_its_default(tmp_path, capsys):
    path = write(tmp_path, {"as_of": DATE, "formats": LIST | {"default": ["html", "pdf"]}})
    assert params.main(["list", "--params-file", str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "as_of                  default 2024-01-10   Last date.",
        "formats                default html pdf     Files.",
    ]


def test_the_list_command_reads_the_project_params_file_by_default(capsys):
    assert params.main(["list"]) == 0
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert names == list(params.spec()) and "as_of" in names


def test_list_is_the_only_command(capsys):
    with pytest.raises(SystemExit) as raised:
        params.main(["show"])
    assert raised.value.code == 2 and "argument command: invalid choice: 'show'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        params.main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "{list} List the report parameters, their defaults and meanings. positional arguments" in text
    assert "--params-file PARAMS_FILE the parameter definitions" in text


def test_a_yaml_error_without_a_position_names_the_file_and_the_problem(tmp_path):
    path = tmp_path / "params.yml"
    path.write_text("as_of: \x07\n", encoding="utf-8")
    with pytest.raises(params.ConfigError) as raised:
        params.spec(path)
    assert str(raised.value) == ("params.yml: not valid YAML (unacceptable character #x0007: special characters are "
                                 "not allowed): fix the syntax there")


def test_every_unknown_key_and_parameter_is_named(tmp_path):
    assert "has unknown key(s) colour, size; valid keys for type date" in \
        refused(tmp_path, {"as_of": DATE | {"colour": 1, "size": 2}})
    with pytest.raises(params.ParameterError, match=r"unknown parameter\(s\) colour, size; valid parameters: as_of"):
        params.resolve({"size": 1, "colour": 2})


def test_as_of_may_be_either_end_of_the_data_range_but_not_beyond(tmp_path, monkeypatch):
    monkeypatch.setattr(params, "data_date_range", lambda path: (dt.date(2024, 1, 10), dt.date(2024, 6, 30)))
    path = write(tmp_path, {"as_of": DATE})
    for inside in ("2024-01-10", "2024-06-30"):
        assert params.resolve({"as_of": inside}, params_path=path) == {"as_of": inside}
    for outside in ("2024-01-09", "2024-07-01"):
        with pytest.raises(params.ParameterError) as raised:
            params.resolve({"as_of": outside}, params_path=path)
        assert str(raised.value) == (f"parameter as_of={outside} is outside the range the data covers: use a date from "
                                     "2024-01-10 (the article's publication) to 2024-06-30 (the latest dated row in data/)")


def test_the_date_range_ends_at_the_latest_row_of_every_dated_table(tmp_path):
    """With claim_updates all dated at the article's publication, the range ends at the latest row of the other
    tables, read here with pandas."""
    import shutil

    from factcheck import config, data
    from tests.helpers import rewrite_csv

    copy = Path(shutil.copytree(config.DATA, tmp_path / "data"))
    published = data.load_table("article")["date_published"].iloc[0].date().isoformat()
    rewrite_csv(copy / "claim_updates.csv", lambda rows: [row.__setitem__(rows[0].index("date"), published)
                                                          for row in rows[1:]])
    expected = max(data.load_table(name)[column].max() for name, column in config.ROW_DATE.items()
                   if name != "claim_updates").date()
    assert params.data_date_range(copy / "datapackage.json")[1] == expected


def test_an_address_left_unset_resolves_to_none_and_is_listed_as_unset(capsys):
    values = params.resolve()
    assert values["site_url"] is None and values["repo_url"] is None
    assert params.main(["list"]) == 0
    listed = [line for line in capsys.readouterr().out.splitlines() if line.startswith(("site_url", "repo_url"))]
    assert len(listed) == 2 and all(" default unset " in line for line in listed)


def test_check_publishable_fails_while_an_address_is_unset_and_passes_once_both_are_set(tmp_path):
    from tests.helpers import copy_project, run_make

    project = copy_project(tmp_path / "project")
    result = run_make(project, "check-publishable")
    assert result.returncode != 0 and "set site_url and repo_url in params.yml" in result.stderr
    spec = yaml.safe_load((project / "params.yml").read_text())
    spec["site_url"]["default"] = "https://example.org/site/"
    (project / "params.yml").write_text(yaml.safe_dump(spec))
    result = run_make(project, "check-publishable")
    assert result.returncode != 0 and "set repo_url in params.yml" in result.stderr
    spec["repo_url"]["default"] = "https://example.org/repo"
    (project / "params.yml").write_text(yaml.safe_dump(spec))
    assert run_make(project, "check-publishable").returncode == 0
