"""Reading a chart click: the selection points Streamlit hands back from a plotly figure.

Pure functions (no Streamlit), unit tested on every shape seen in the browser. A point is a
dict of plotly event data: ``x``, ``y``, ``curve_number``, ``point_index`` …, and
``customdata`` when the trace has any. Its shape varies with the figure: a list for string
columns, but for numeric ones plotly.js decodes a typed array whose JSON is an *object* keyed
``"0"``, ``"1"`` … (reading ``customdata[0]`` of that raised ``KeyError: 0``); a scalar for a
one-column customdata on some traces; absent for a trace without it (a diagonal guide line).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def custom_values(point: Mapping | None) -> list:
    """The point's ``customdata`` as a list, whatever shape plotly gave it.

    Returns: ``[]`` when there is none; the values in column order otherwise.
    """
    if not isinstance(point, Mapping):
        return []
    custom = point.get("customdata")
    if custom is None:
        return []
    if isinstance(custom, Mapping):
        keys = sorted(
            custom, key=lambda k: (not str(k).isdigit(), int(k) if str(k).isdigit() else 0)
        )
        return [custom[k] for k in keys]
    if isinstance(custom, str | bytes) or not isinstance(custom, Sequence):
        return [custom]
    return list(custom)


def custom_value(point: Mapping | None, index: int = 0) -> object | None:
    """Column ``index`` of the point's customdata, or None when it has no such column."""
    values = custom_values(point)
    value = values[index] if 0 <= index < len(values) else None
    return None if value is None or value == "" else value


def first_point(selection: object) -> dict | None:
    """The first selected point of a Streamlit plotly selection state, or None.

    ``selection`` is what ``st.session_state[key]`` holds: an attribute-style object, a dict
    ``{"selection": {"points": [...]}}``, or None before any click.
    """
    if selection is None:
        return None
    inner = getattr(selection, "selection", None)
    if inner is None and isinstance(selection, Mapping):
        inner = selection.get("selection")
    if inner is None:
        return None
    points = getattr(inner, "points", None)
    if points is None and isinstance(inner, Mapping):
        points = inner.get("points")
    for point in points or []:
        if isinstance(point, Mapping):
            return dict(point)
    return None


def point_field(point: Mapping | None, field: str) -> str | None:
    """A plain field of the point (``x``, ``y``, ``location`` …) as text, or None."""
    if not isinstance(point, Mapping):
        return None
    value = point.get(field)
    if value is None or value == "":
        return None
    return str(value)


def point_date(point: Mapping | None, field: str = "x") -> str | None:
    """The ISO day of a date-axis field (plotly sends ``"2024-05-01"`` or with a time)."""
    value = point_field(point, field)
    if value is None or len(value) < 10:
        return None
    day = value[:10]
    return day if day[4] == "-" and day[7] == "-" and day.replace("-", "").isdigit() else None
