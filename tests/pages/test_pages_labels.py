"""Labels an analyst reads: dates in tables, one colour per entity kind on every corpus."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd

from pages.ui import charts as charts
from pages.ui.format import format_dates
from pages.ui.widgets import KINDS


def test_missing_dates_say_undated_not_none():
    values = pd.Series([datetime.date(2020, 1, 2), None, datetime.date(512, 3, 4)], dtype=object)
    assert format_dates(values).tolist() == ["2020-01-02", "undated", "0512-03-04"]
    stamps = pd.Series(pd.to_datetime(["2020-01-02 00:00", None]))
    assert format_dates(stamps, missing="").tolist() == ["2020-01-02", ""]
    assert values.iloc[1] is None  # input untouched


def test_every_kind_has_its_own_fixed_colour():
    assert set(charts.KIND_COLORS) == set(KINDS)
    assert len(set(charts.KIND_COLORS.values())) == len(KINDS)


def _axis(freq, days, *, axis="x"):
    import plotly.graph_objects as go

    other = "y" if axis == "x" else "x"
    fig = go.Figure(go.Scatter(**{axis: np.array(days, dtype=object), other: [1] * len(days)}))
    charts.date_axis(fig, freq, axis=axis)
    return fig.layout[f"{axis}axis"]


def test_a_short_span_ticks_once_per_period_not_by_the_hour():
    two_days = _axis("day", ["2022-08-15", "2022-08-16"])
    assert (two_days.type, two_days.dtick, two_days.tickformat) == ("date", 86_400_000, "%d %b %Y")
    months = _axis("month", ["2022-01-01", "2022-06-01"], axis="y")
    assert (months.dtick, months.tickformat) == ("M1", "%b %Y")
    assert _axis("week", ["2022-08-01", "2022-08-15"]).tick0 == "2000-01-03"  # a Monday


def test_a_long_span_or_no_dates_leaves_the_ticks_to_plotly():
    years = _axis("day", ["2010-02-20", "2019-03-28"])
    assert years.dtick is None and years.type == "date"
    assert _axis("month", []).dtick is None
    assert _axis("year", ["2010-01-01", "2019-01-01"]).dtick == "M12"
