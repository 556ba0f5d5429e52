"""Labels an analyst reads: dates in tables, one colour per entity kind on every corpus."""

from __future__ import annotations

import datetime

import pandas as pd

from pages import _charts as charts
from pages._format import format_dates
from pages._widgets import KINDS


def test_missing_dates_say_undated_not_none():
    values = pd.Series([datetime.date(2020, 1, 2), None, datetime.date(512, 3, 4)], dtype=object)
    assert format_dates(values).tolist() == ["2020-01-02", "undated", "0512-03-04"]
    stamps = pd.Series(pd.to_datetime(["2020-01-02 00:00", None]))
    assert format_dates(stamps, missing="").tolist() == ["2020-01-02", ""]
    assert values.iloc[1] is None  # input untouched


def test_every_kind_has_its_own_fixed_colour():
    assert set(charts.KIND_COLORS) == set(KINDS)
    assert len(set(charts.KIND_COLORS.values())) == len(KINDS)
