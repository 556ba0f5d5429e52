"""Figure conventions of the pages: date axes, integer count axes, readable hover labels.

Pure plotly (no Streamlit). Time is always drawn on a real date axis (plotly ``type="date"``)
from a datetime column, so periods sit at their true distance; counts tick at whole numbers;
every hover label is a human name with a rounded number.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

# Human names and hover formats of the measures the pages offer.
MEASURES = {
    "n_mentions": "mentions",
    "n_articles": "articles",
    "share_articles": "share of articles",
    "per_1000_words": "per 1,000 words",
    "n_expressions": "expressions",
}
HELP = {
    "n_mentions": "How many times it is mentioned.",
    "n_articles": "How many articles mention it at least once.",
    "share_articles": "The articles mentioning it, as a share of all the period's articles "
    "(of the sources in the filter): comparable across busy and quiet periods.",
    "per_1000_words": "Mentions per 1,000 words published in the period: corrects for "
    "periods (or sources) that publish more or longer articles.",
}
_HOVER = {
    "n_mentions": ":,d",
    "n_articles": ":,d",
    "n_expressions": ":,d",
    "corpus_articles": ":,d",
    "share_articles": ":.1%",
    "per_1000_words": ":.2f",
}
_PERIOD_HOVER = {"day": "%d %b %Y", "week": "week of %d %b %Y", "month": "%B %Y", "year": "%Y"}
# Time expressions' resolutions from finest to coarsest, for legends (px orders by appearance).
RESOLUTIONS = ("day", "week", "month", "quarter", "season", "half", "year", "decade", "century")
# Period length in days, and one tick per period (dtick, first tick, label) for short spans.
_PERIOD_DAYS = {"day": 1, "week": 7, "month": 30.4, "year": 365.25}
_PERIOD_TICKS = {
    "day": (86_400_000, "2000-01-01", "%d %b %Y"),
    "week": (7 * 86_400_000, "2000-01-03", "%d %b %Y"),  # a Monday: weeks start on Mondays
    "month": ("M1", "2000-01-01", "%b %Y"),
    "year": ("M12", "2000-01-01", "%Y"),
}
MAX_PERIOD_TICKS = 12
COUNTS = ("n_mentions", "n_articles", "n_expressions", "corpus_articles")
# One colour per entity kind on every page and corpus (px assigns colours in order of
# appearance, so "person" was blue in one store and red in the next).
KIND_COLORS = {"person": "#1f77b4", "org": "#d62728", "country": "#2ca02c", "place": "#ff7f0e"}
# Enough distinct colours for 50 lines (plotly's default cycles after 10).
PALETTE = (
    "#1f77b4 #ff7f0e #2ca02c #d62728 #9467bd #8c564b #e377c2 #7f7f7f #bcbd22 #17becf "
    "#393b79 #e6550d #31a354 #843c39 #7b4173 #636363 #bd9e39 #3182bd #fd8d3c #74c476 "
    "#ad494a #a55194 #6baed6 #9c9ede #e7ba52 #637939 #d6616b #ce6dbd #756bb1 #fdae6b "
    "#a1d99b #8ca252 #e7969c #de9ed6 #9e9ac8 #c6dbef #fdd0a2 #c7e9c0 #cedb9c #e7cb94 "
    "#b5cf6b #bcbddc #dadaeb #fdbe85 #9ecae1 #6b6ecf #cedb9c #843c39 #5254a3 #8c6d31"
).split()


def hover_data(columns, *, show: bool = True) -> dict:
    """px ``hover_data`` for ``columns``: each with its rounded format (``:,d``, ``:.1%`` …)."""
    return {c: (_HOVER.get(c, True) if show else False) for c in columns}


def labels(**extra: str) -> dict[str, str]:
    """px ``labels``: the human measure names plus ``extra``."""
    return {**MEASURES, "corpus_articles": "articles that period", **extra}


def period_words(day, freq: str | None) -> str:
    """The period of ``freq`` starting on ``day`` as a reader says it ("December 2018", "week
    of 03 Dec 2018", "2018"), as the charts' hover does; an ISO day when ``freq`` is unknown."""
    if day is None:
        return ""
    return day.strftime(_PERIOD_HOVER[freq]) if freq in _PERIOD_HOVER else str(day)[:10]


def referred_words(day, freq: str | None, resolution: str | None) -> str:
    """The period a time expression refers to, said at its own resolution when that is coarser
    than the chart's ``freq``: "2004" drawn in the month view is not "January 2004"."""
    if day is None:
        return ""
    coarse = RESOLUTIONS.index(resolution) if resolution in RESOLUTIONS else -1
    if freq not in RESOLUTIONS or coarse <= RESOLUTIONS.index(freq):
        return period_words(day, freq)
    year, month = day.year, day.month
    return {
        "month": f"{day:%B %Y}",
        "quarter": f"Q{(month - 1) // 3 + 1} {year}",
        "season": f"the season from {day:%B %Y}",
        "half": f"H{1 if month <= 6 else 2} {year}",
        "year": f"{year}",
        "decade": f"the {year // 10 * 10}s",
        "century": f"the {year // 100 * 100}s (century)",
    }.get(resolution, period_words(day, freq))


def with_dates(df: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """A copy of ``df`` whose date ``columns`` are ISO day strings, for a ``type="date"`` axis.

    Strings, not pandas datetimes: those stop at 1677–2262, and an article may well refer to
    the year 500. The axis type is set by :func:`date_axis` (plotly would guess categories).
    """
    out = df.copy()
    for col in columns:
        out[col] = out[col].astype("string").str.slice(0, 10)
    return out


def date_axis(fig: go.Figure, freq: str | None = None, *, axis: str = "x", range_=None) -> None:
    """Make ``axis`` a date axis (hover shows the period in words; ``range_`` = (lo, hi))."""
    spec: dict = {"type": "date"}
    if freq in _PERIOD_HOVER:
        spec["hoverformat"] = _PERIOD_HOVER[freq]
    if freq == "year":  # whole years (ranges span at least three), not "Jan 7" ticks
        spec["tickformat"] = "%Y"
    span = _span_days(fig, axis, range_)
    if freq in _PERIOD_DAYS and span is not None and span / _PERIOD_DAYS[freq] <= MAX_PERIOD_TICKS:
        # A short span: one tick per period. Left to plotly, two days tick every 3 hours
        # ("00:00 … 21:00") and two months every week, finer than the data can be.
        dtick, tick0, fmt = _PERIOD_TICKS[freq]
        spec.update(dtick=dtick, tick0=tick0, tickformat=fmt)
    if range_ is not None:
        spec["range"] = [str(range_[0]), str(range_[1])]
    fig.update_layout({f"{axis}axis": spec})


def _span_days(fig: go.Figure, axis: str, range_) -> int | None:
    """Days between the first and last date on ``axis`` (``range_`` when given), or None."""
    if range_ is not None:
        lo, hi = range_
    else:
        columns = (getattr(t, axis, None) for t in fig.data)  # tuples or numpy arrays
        values = [str(v) for col in columns if col is not None for v in col if pd.notna(v)]
        if not values:
            return None
        lo, hi = min(values), max(values)
    ends = pd.to_datetime(pd.Series([str(lo)[:10], str(hi)[:10]]), errors="coerce")
    if ends.isna().any():
        return None
    return int((ends.iloc[1] - ends.iloc[0]).days)


def measure_axis(fig: go.Figure, measure: str, values, *, axis: str = "y") -> None:
    """Ticks for ``measure``: whole numbers for counts, percent for shares, two decimals else."""
    spec: dict = {"rangemode": "tozero"}
    if measure in COUNTS:
        top = pd.to_numeric(pd.Series(list(values)), errors="coerce").max()
        spec["tickformat"] = ",d"
        if pd.isna(top) or top <= 8:
            spec["dtick"] = 1  # otherwise plotly ticks at 0.5 articles, labelled "0, 1, 1, 2"
        else:
            spec["tick0"] = 0
    elif measure == "share_articles":
        spec["tickformat"] = ".0%"
    else:
        spec["tickformat"] = ",.2f"
    fig.update_layout({f"{axis}axis": spec})


def _hover_ref(column: str, ref: str) -> str:
    fmt = _HOVER.get(column)
    return "%{" + ref + (fmt if isinstance(fmt, str) else "") + "}"


def _column_values(df: pd.DataFrame, column: str) -> np.ndarray:
    """A column as plotly takes it: numbers as floats (NaN for missing), anything else as text."""
    col = df[column]
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        return col.to_numpy(dtype="float64", na_value=np.nan)
    return col.astype("string").fillna("").to_numpy(dtype=object)


def _groups(df: pd.DataFrame, color: str | None, order: Sequence[str] = ()) -> list:
    """``(value, rows)`` per value of ``color`` (``order`` first, then as they appear)."""
    if color is None:
        return [(None, df)]
    keys = df[color].astype("string")
    values = dict.fromkeys([*(v for v in order if (keys == v).any()), *keys.dropna()])
    return [(value, df[(keys == value).fillna(False).to_numpy()]) for value in values]


def _traces(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    color: str | None,
    order: Sequence[str],
    custom: Sequence[str],
    hover: Sequence[str],
    labels: dict[str, str],
    value_axis: str,
) -> list[tuple[str | None, dict]]:
    """What px builds per ``color`` group: x, y, customdata (``custom`` then the ``hover``
    columns not drawn otherwise) and a hover label ``label=value`` per field, rounded as
    :func:`hover_data` says (the colour's value is read from customdata, never pasted into
    the template)."""
    columns = list(dict.fromkeys([*custom, *(c for c in hover if c not in (x, y))]))
    if color is not None and color not in columns:
        columns.append(color)
    fields = [(color, f"customdata[{columns.index(color)}]")] if color is not None else []
    fields += [(x, "x"), (y, "y")]
    fields += [(c, f"customdata[{i}]") for i, c in enumerate(columns) if c in hover and c != color]
    # The category (or date) axis shows as it is; the measure and the others are rounded.
    template = "<br>".join(
        f"{labels.get(c, c)}="
        + ("%{" + ref + "}" if ref in ("x", "y") and c != value_axis else _hover_ref(c, ref))
        for c, ref in fields
    )
    out = []
    for value, rows in _groups(df, color, order):
        custom_values = np.empty((len(rows), len(columns)), dtype=object)
        for j, column in enumerate(columns):
            custom_values[:, j] = _column_values(rows, column)
        trace = {
            "x": _column_values(rows, x),
            "y": _column_values(rows, y),
            "customdata": custom_values,
            "hovertemplate": template + "<extra></extra>",
        }
        out.append((value, trace))
    return out


def _colorway() -> list[str]:
    """The default template's colours, which px gives groups without a colour of their own
    (Streamlit's palette once Streamlit has made its template the default)."""
    template = pio.templates[pio.templates.default] if pio.templates.default else None
    colorway = template.layout.colorway if template is not None else None
    return list(colorway or PALETTE)


def _legend(fig: go.Figure, *, x: str, y: str, color: str | None, labels: dict) -> None:
    legend = {"title": {"text": labels.get(color, color)}, "tracegroupgap": 0} if color else {}
    fig.update_layout(
        legend=legend,
        xaxis={"title": {"text": labels.get(x, x)}},
        yaxis={"title": {"text": labels.get(y, y)}},
    )


def line_chart(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    color: str,
    order: Sequence[str],
    hover: Sequence[str],
    labels: dict[str, str],
    palette: Sequence[str] = PALETTE,
) -> go.Figure:
    """One line with markers per value of ``color`` (``order`` first): the figure px.line
    draws for these options, built directly.

    px.line spent ~120 ms (300 ms on a busy server) building the 15 lines of the Mentions
    page, most of that page's server time, on the path of every first view. Each trace
    carries ``[color value, *hover]`` as customdata (clicks read the first column).
    Returns: the figure, one trace per ``color`` value present in ``df``.
    """
    fig = go.Figure()
    traces = _traces(
        df,
        x=x,
        y=y,
        color=color,
        order=order,
        custom=[color],
        hover=hover,
        labels=labels,
        value_axis=y,
    )
    for i, (value, trace) in enumerate(traces):
        colour = palette[i % len(palette)]
        fig.add_trace(
            go.Scatter(
                **trace,
                name=value,
                legendgroup=value,
                mode="lines+markers",
                line={"color": colour, "dash": "solid"},
                marker={"symbol": "circle"},
                showlegend=True,
            )
        )
    _legend(fig, x=x, y=y, color=color, labels=labels)
    return fig


def bar_chart(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    custom: Sequence[str],
    hover: Sequence[str],
    labels: dict[str, str],
    color: str | None = None,
    barmode: str = "relative",
) -> go.Figure:
    """Horizontal bars of ``x`` per ``y``, one trace per value of ``color`` (in order of
    appearance): the figure px.bar draws for these options, built directly (a fifth of its
    time). customdata: ``custom``, then the ``hover`` columns not drawn otherwise.
    Returns: the figure (a single unnamed trace without ``color``).
    """
    fig = go.Figure()
    colorway = _colorway()
    traces = _traces(
        df,
        x=x,
        y=y,
        color=color,
        order=(),
        custom=custom,
        hover=hover,
        labels=labels,
        value_axis=x,
    )
    for i, (value, trace) in enumerate(traces):
        name = "" if value is None else value
        fig.add_trace(
            go.Bar(
                **trace,
                name=name,
                legendgroup=name,
                offsetgroup=name if color else None,
                alignmentgroup="True" if color else None,
                orientation="h",
                marker={"color": colorway[i % len(colorway)]},
                showlegend=color is not None,
                textposition="auto",
            )
        )
    _legend(fig, x=x, y=y, color=color, labels=labels)
    fig.update_layout(barmode=barmode)
    return fig
