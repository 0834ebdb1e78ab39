"""notebook.setup gives a notebook named tables a reader and Jupyter's completion can see."""
import pytest

from factcheck import data, params
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
    with pytest.raises(data.InputError, match="unknown notebook '99_x'.*known: .*10_claims"):
        data.load_inputs("99_x")


def test_a_bad_value_is_one_parameter_error_line():
    with pytest.raises(params.ParameterError, match=r"^parameter attack_rate_days=0 is out of range: use 1 to 60$"):
        setup("30_attacks", as_of=params.defaults()["as_of"], attack_rate_days=0)
