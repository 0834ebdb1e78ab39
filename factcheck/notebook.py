"""What every notebook does first: check its parameters, load its declared inputs, cut them to `as_of`."""
from types import SimpleNamespace

import pandas as pd

from . import data
from .charts import use_report_style
from .params import resolve


def setup(notebook, **parameters):
    """The notebook's tables as of the `as_of` parameter, plus the full tables under `.full`.

    Parameters are checked here too, so a notebook run by hand with papermill fails as clearly as `make`.
    """
    resolve(parameters)
    use_report_style()
    tables = data.load_inputs(notebook)
    view = data.as_of_view(tables, parameters["as_of"])
    article = tables["article"].iloc[0]
    settings = {name: value for name, value in parameters.items() if name != "as_of"}
    return SimpleNamespace(**view, **settings, full=tables, as_of=pd.Timestamp(parameters["as_of"]),
                           published=article["date_published"])
