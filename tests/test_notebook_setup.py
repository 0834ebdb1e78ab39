"""notebook.setup gives a notebook named tables a reader and Jupyter's completion can see."""
import pytest

from factcheck import config, data, params
from factcheck.notebook import NotebookInputs, setup


@pytest.fixture(scope="module")
def nb():
    published = data.load_table("article").iloc[0]["date_published"].date().isoformat()
    return setup("30_attacks", as_of=published, attack_rate_days=7)


def test_tables_and_settings_are_attributes_completion_lists(nb):
    assert isinstance(nb, NotebookInputs)
    names = set(dir(nb))
    assert {"article", "series", "attacks", "claims", "sources", "full", "as_of", "published", "attack_rate_days",
            "article_text"} <= names
    assert nb.attack_rate_days == 7 and nb.as_of == nb.published
    assert len(nb.attacks) < len(nb.full["attacks"])


def test_showing_the_inputs_lists_each_table_with_its_rows_and_the_date(nb):
    text = repr(nb)
    assert text.startswith(f"30_attacks: inputs as of {nb.as_of.date()}")
    assert "nb.attacks" in text and f"{len(nb.attacks)} rows (of {len(nb.full['attacks'])})" in text
    html = nb._repr_html_()
    assert "<code>attacks</code>" in html and f"<td>{len(nb.attacks)}</td>" in html


def test_the_html_summary_is_escaped(nb):
    hostile = NotebookInputs(**{**vars(nb), "notebook": "<script>x</script>"})
    assert "<script>" not in hostile._repr_html_()


def test_an_undeclared_notebook_is_refused_with_the_known_ones():
    with pytest.raises(data.InputError) as raised:
        data.load_inputs("99_x")
    assert str(raised.value).endswith(f"(known: {', '.join(config.NOTEBOOK_INPUTS)})")
    assert str(raised.value).startswith("unknown notebook '99_x': declare its inputs in factcheck/config.py NOTEBOOK_INPUTS")


def test_a_bad_value_is_one_parameter_error_line():
    with pytest.raises(params.ParameterError, match=r"^parameter attack_rate_days=0 is out of range: use 1 to 60$"):
        setup("30_attacks", as_of=params.defaults()["as_of"], attack_rate_days=0)


def test_the_inputs_summary_and_the_other_attributes_are_listed(nb):
    assert ("attacks", len(nb.attacks), len(nb.full["attacks"])) in nb.summary()
    assert {name for name, *_ in nb.summary()} == {name for name, value in vars(nb).items() if hasattr(value, "columns")}
    last = repr(nb).splitlines()[-1]
    assert last.startswith("  also: nb.notebook, ") and "nb.attack_rate_days" in last and "nb.attacks" not in last
    assert f"(article published {nb.published.date()})" in repr(nb).splitlines()[0]


class Shell:
    def __init__(self, *sources):
        self.user_ns = {"In": ["", *sources]}


def test_papermills_injected_names_are_read_from_the_kernels_history(monkeypatch):
    import IPython

    from factcheck import notebook

    assert notebook.injected_parameter_names() == set()  # outside a kernel
    injected = "  # Parameters\nas_of = '2024-01-10'\nbogus = 3\nfirst, second = 1, 2\nattack_rate_days += 1\n"
    monkeypatch.setattr(IPython, "get_ipython", lambda: Shell("x = 1", injected, "# Parameters\nlater = 1\n"))
    assert notebook.injected_parameter_names() == {"as_of", "bogus"}
    monkeypatch.setattr(IPython, "get_ipython", lambda: Shell("x = 1"))
    assert notebook.injected_parameter_names() == set()


def test_an_unknown_injected_parameter_is_refused_naming_the_valid_ones(monkeypatch):
    from factcheck import notebook

    monkeypatch.setattr(notebook, "injected_parameter_names", lambda: {"zeta", "as_of", "alpha", "delta", "kappa", "beta", "omega"})
    valid = [name for name, entry in params.spec().items() if entry["scope"] == "notebooks"]
    with pytest.raises(params.ParameterError) as raised:
        setup("30_attacks")
    assert str(raised.value) == f"unknown parameter(s) alpha, beta, delta, kappa, omega, zeta; valid parameters: {', '.join(valid)}"
