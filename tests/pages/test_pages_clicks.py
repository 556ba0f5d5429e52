"""Chart clicks: every selection shape plotly.js / Streamlit hand back is read the same way."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from pages.ui.clicks import custom_value, custom_values, first_point, point_date, point_field


@pytest.mark.parametrize(
    ("custom", "expected"),
    [
        (["Russia", "BBC"], ["Russia", "BBC"]),
        # A numeric typed array decoded by plotly.js serialises as an object: KeyError: 0 before.
        ({"0": 3.0, "1": 0.25}, [3.0, 0.25]),
        ({"1": "b", "0": "a", "10": "k", "2": "c"}, ["a", "b", "c", "k"]),
        ("Russia", ["Russia"]),
        (7, [7]),
        (None, []),
        ([], []),
    ],
)
def test_custom_values_of_every_shape(custom, expected):
    assert custom_values({"customdata": custom}) == expected


def test_custom_value_missing_column_or_point():
    assert custom_value({"x": 1}) is None
    assert custom_value({"customdata": ["a"]}, 1) is None
    assert custom_value({"customdata": [""]}) is None
    assert custom_value(None) is None
    assert custom_value({"customdata": {"0": "a"}}, 0) == "a"


def test_first_point_of_state_shapes():
    point = {"x": "2024-05-01", "y": 3}
    attr = SimpleNamespace(selection=SimpleNamespace(points=[point]))
    assert first_point(attr) == point
    assert first_point({"selection": {"points": [point]}}) == point
    assert first_point({"selection": {"points": []}}) is None
    assert first_point(SimpleNamespace(selection=SimpleNamespace(points=None))) is None
    assert first_point(None) is None
    assert first_point({"selection": {"points": ["junk", point]}}) == point


def test_point_fields_and_dates():
    assert point_field({"y": "Russia"}, "y") == "Russia"
    assert point_field({"y": ""}, "y") is None
    assert point_field(None, "y") is None
    assert point_date({"x": "2024-05-01"}) == "2024-05-01"
    assert point_date({"x": "2024-05-01 00:00"}) == "2024-05-01"
    assert point_date({"x": "Russia"}) is None
    assert point_date({"x": 3}) is None
    assert point_date({}) is None
