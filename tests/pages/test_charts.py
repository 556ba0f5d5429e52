"""The Mentions page's figures built without plotly express (pages/ui/charts.py): the same traces,
click data and readable hover labels as px drew, for a tiny exact table."""

from __future__ import annotations

import pandas as pd

from pages.ui import charts as charts

SERIES = pd.DataFrame(
    {
        # "B" appears first in the rows, but the order asked for puts "A" first.
        "entity": pd.array(["B", "B", "A", "A", "C"], dtype="string"),
        "period": ["2024-01-01", "2024-02-01", "2024-01-01", "2024-02-01", "2024-01-01"],
        "n_mentions": pd.array([3, 0, 1, pd.NA, 2], dtype="Int64"),
        "share_articles": pd.array([0.5, 0.0, 0.25, 0.125, 1.0], dtype="Float64"),
    }
)


def test_line_chart_one_trace_per_value_in_the_order_asked():
    fig = charts.line_chart(
        SERIES,
        x="period",
        y="n_mentions",
        color="entity",
        order=["A", "B", "Z"],  # "Z" has no rows: no trace
        hover=["n_mentions", "share_articles"],
        labels=charts.labels(period="month"),
    )
    assert [t.name for t in fig.data] == ["A", "B", "C"]
    a = fig.data[0]
    assert a.mode == "lines+markers"
    assert list(a.x) == ["2024-01-01", "2024-02-01"]
    assert list(a.y[:1]) == [1.0] and pd.isna(a.y[1])  # a missing count stays missing
    # Clicks read the entity from the first customdata column; the share is the second.
    assert [list(row) for row in a.customdata] == [["A", 0.25], ["A", 0.125]]
    assert a.hovertemplate == (
        "entity=%{customdata[0]}<br>month=%{x}<br>mentions=%{y:,d}"
        "<br>share of articles=%{customdata[1]:.1%}<extra></extra>"
    )
    assert [t.line.color for t in fig.data] == list(charts.PALETTE[:3])
    assert fig.layout.legend.title.text == "entity"
    assert fig.layout.yaxis.title.text == "mentions"


def test_bar_chart_unsplit_and_split_by_source():
    bars = pd.DataFrame(
        {
            "entity": ["Russia", "Ukraine", "Russia"],
            "source": ["BBC", "BBC", "Dawn, Karachi"],
            "n_mentions": [4.0, 2.0, 1.0],
            "n_articles": [2.0, 1.0, 1.0],
        }
    )
    hover = ["n_mentions", "n_articles"]
    one = charts.bar_chart(
        bars, x="n_mentions", y="entity", custom=["entity"], hover=hover, labels=charts.labels()
    )
    assert len(one.data) == 1 and one.data[0].name == "" and not one.data[0].showlegend
    assert one.data[0].orientation == "h"
    rows = [["Russia", 2.0], ["Ukraine", 1.0], ["Russia", 1.0]]
    assert [list(r) for r in one.data[0].customdata] == rows
    assert one.data[0].hovertemplate == (
        "mentions=%{x:,d}<br>entity=%{y}<br>articles=%{customdata[1]:,d}<extra></extra>"
    )
    split = charts.bar_chart(
        bars,
        x="n_mentions",
        y="entity",
        color="source",
        custom=["entity", "source"],
        hover=hover,
        labels=charts.labels(entity=""),
        barmode="group",
    )
    assert [t.name for t in split.data] == ["BBC", "Dawn, Karachi"]  # as they appear
    assert [list(r) for r in split.data[1].customdata] == [["Russia", "Dawn, Karachi", 1.0]]
    # The source's name comes from customdata: a name with markup is never template text.
    assert split.data[0].hovertemplate.startswith("source=%{customdata[1]}<br>mentions=")
    assert split.layout.barmode == "group"
    assert split.layout.legend.title.text == "source"
