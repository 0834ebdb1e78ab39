"""What every notebook does first: check its parameters, load its declared inputs, cut them to `as_of`."""
import ast
from types import SimpleNamespace

import pandas as pd

from . import data
from .charts import use_report_style
from .config import PUBLICATION_MIMETYPE
from .params import ParameterError, resolve, spec
from .render import notebook_inputs

class NotebookInputs(SimpleNamespace):
    """A notebook's tables as attributes (`nb.claims`, `nb.sources`, ...), cut to `as_of`, plus `nb.full`
    (the uncut tables), `nb.as_of`, `nb.published` and the notebook parameters (`nb.attack_rate_days`, ...).

    The attributes are ordinary instance attributes, so Jupyter's completion lists them, and showing `nb`
    lists every table with its row count.
    """

    def summary(self):
        """(name, rows as of as_of, rows in all) for each table."""
        return [(name, len(table), len(self.full[name])) for name, table in vars(self).items()
                if isinstance(table, pd.DataFrame)]

    def __repr__(self):
        lines = [f"{self.notebook}: inputs as of {self.as_of.date()} (article published {self.published.date()})"]
        lines += [f"  nb.{name:<24} {shown:>4} rows (of {total})" for name, shown, total in self.summary()]
        others = [name for name, value in vars(self).items() if not isinstance(value, pd.DataFrame)]
        return "\n".join(lines + [f"  also: {', '.join('nb.' + name for name in others)}"])

    def _repr_html_(self):
        return str(notebook_inputs(self))


def injected_parameter_names():
    """The names in papermill's injected `# Parameters` cell of this kernel's session (empty outside papermill),
    so that a misspelt `-p` is refused instead of silently ignored."""
    try:
        from IPython import get_ipython
    except ImportError:
        return set()
    shell = get_ipython()
    for source in (shell.user_ns.get("In", []) if shell is not None else []):
        if source.lstrip().startswith("# Parameters"):
            return {target.id for node in ast.parse(source).body if isinstance(node, ast.Assign)
                    for target in node.targets if isinstance(target, ast.Name)}
    return set()


def setup(notebook, **parameters):
    """The notebook's tables as of the `as_of` parameter, plus the full tables under `.full`.

    Parameters are checked here too, so a notebook run by hand with papermill fails as clearly as `make`:
    with one ParameterError line naming the parameter and the valid values.
    """
    __tracebackhide__ = True  # IPython shows the error line, not this frame
    entries = spec()
    valid = [name for name, entry in entries.items() if entry["scope"] == "notebooks"]
    unknown = sorted(injected_parameter_names() - set(valid))
    if unknown:
        raise ParameterError(f"unknown parameter(s) {', '.join(unknown)}; valid parameters: {', '.join(valid)}")
    try:
        values = resolve(parameters)
    except ParameterError as err:
        raise type(err)(str(err)) from None
    use_report_style()
    tables = data.load_inputs(notebook)
    view = data.as_of_view(tables, values["as_of"])
    settings = {name: value for name, value in values.items()
                if entries[name]["scope"] == "notebooks" and name != "as_of"}
    return NotebookInputs(notebook=notebook, **view, **settings, full=tables, as_of=pd.Timestamp(values["as_of"]),
                          published=tables["article"].iloc[0]["date_published"])


def publish(record):
    """Hand `record` to the assembly as a hidden output of this cell (tag the cell `remove-cell`)."""
    from IPython.display import display

    display({PUBLICATION_MIMETYPE: record}, raw=True)
