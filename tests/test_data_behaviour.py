"""The as_of view on small hand-made tables: what is kept on the as_of day itself, and the fresh row numbers of
every cut table."""
import pandas as pd

from factcheck import data


def dates(*values):
    return pd.to_datetime(list(values))


def test_rows_and_sources_dated_on_the_as_of_day_are_kept_and_renumbered():
    tables = {
        "sources": pd.DataFrame({"source_id": ["late", "same_day", "early"],
                                 "date_published": dates("2024-02-01", "2024-01-10", "2024-01-05")}),
        "events": pd.DataFrame({"date": dates("2024-02-01", "2024-01-10", None, "2024-01-01"),
                                "source_id": ["early", "same_day", "early", "late"]}),
        "claim_sources": pd.DataFrame({"claim_id": ["C01", "C02", "C03"], "source_id": ["late", "early", "same_day"]}),
    }
    view = data.as_of_view(tables, "2024-01-10")
    assert view["sources"].to_dict("list") == {"source_id": ["same_day", "early"],
                                               "date_published": list(dates("2024-01-10", "2024-01-05"))}
    assert list(view["sources"].index) == [0, 1]
    # 1 Feb is after the date; the undated row stays; the 1 January row cites a source not yet known
    assert view["events"].to_dict("list") == {"date": list(dates("2024-01-10", None)), "source_id": ["same_day", "early"]}
    assert list(view["events"].index) == [0, 1]
    assert view["claim_sources"].to_dict("list") == {"claim_id": ["C02", "C03"], "source_id": ["early", "same_day"]}
    assert list(view["claim_sources"].index) == [0, 1]


def test_a_table_without_its_date_column_and_text_pass_through():
    events = pd.DataFrame({"what": ["x"]})
    view = data.as_of_view({"events": events, "article_text": "Text."}, "2024-01-10")
    assert view["events"] is events and view["article_text"] == "Text."

