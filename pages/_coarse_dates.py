"""Referenced dates coarser than a chart's period: said, drawn over their own span, and read.

A time expression names a span at its own resolution (TIMEX3 ``2019`` is the whole year, not 1
January). A chart of months cannot place it in one month, so the charts of referenced dates
count only the expressions within one period (``coarser="leave_out"`` in
``core.analytics.timeline``), and this module says how many were left out and draws them as
segments over the days they name, at the height of their count.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pages import _shared as ui
from pages.ui import charts as charts
from pages.ui import clicks as clicks

# Plural nouns for "N name only a year, M a decade"; a week "across two months" is coarse too.
NOUNS = {
    "day": ("day", "days"),
    "week": ("week", "weeks"),
    "month": ("month", "months"),
    "quarter": ("quarter", "quarters"),
    "half": ("half year", "half years"),
    "season": ("season", "seasons"),
    "year": ("year", "years"),
    "decade": ("decade", "decades"),
    "century": ("century", "centuries"),
}
_ORDER = list(charts.RESOLUTIONS)


def span_words(day: dt.date | None, resolution: str | None) -> str:
    """A left-out expression's own span as a reader says it ("2019", "Q3 2019", "the 1990s",
    "the week of 29 Aug 2022", "winter from December 2022")."""
    if day is None:
        return ""
    if resolution == "week":
        return f"the week of {day:%d %b %Y}"
    if resolution == "day":
        return f"{day:%d %b %Y}"
    if resolution == "season":
        name = {3: "spring", 6: "summer", 9: "autumn", 12: "winter"}.get(day.month, "season")
        return f"{name} from {day:%B %Y}"
    return charts.referred_words(day, "day", resolution)


def left_out_sentence(coarse: pd.DataFrame, drawn: int, freq: str) -> str:
    """Markdown: how many expressions a ``freq`` chart left out, per resolution, and why."""
    n = int(coarse["n_expressions"].sum())
    per = coarse.groupby("resolution")["n_expressions"].sum()
    parts = []
    for r in sorted(per.index, key=lambda r: _ORDER.index(r) if r in _ORDER else 99):
        k = int(per[r])
        part = f"{k:,} {NOUNS[r][0] if k == 1 else NOUNS[r][1]}"
        if freq in _ORDER and r in _ORDER and _ORDER.index(r) < _ORDER.index(freq):
            part += f" across two {freq}s"  # finer than the period, but not within one
        parts.append(part)
    finer = ""
    if freq != "year":
        finer = " Choose 'year' above to count years, quarters and seasons too."
    return (
        f"**{n:,} of {n + drawn:,} expressions are not in the chart above**: they name a time "
        f"that is not within one {freq} ({', '.join(parts)}). Drawn on the first {freq} they "
        f"cover, they would inflate it (every “2019” on January 2019); they are drawn below "
        f"over the whole span they name.{finer}"
    )


def draw_left_out(
    coarse: pd.DataFrame, freq: str, *, key: str, on_select, show_all: bool = False
) -> None:
    """Each left-out span (resolution, first day) as a segment over the days it names, at the
    height of its count; a click on an end reads its sentences. Offers ``coarse`` (what is
    drawn) as a download. The x range covers where most spans start (every span with
    ``show_all``), as the chart above does, so that a mention of 1825 does not squash them."""
    fig = go.Figure()
    present = [r for r in _ORDER if r in set(coarse["resolution"])]
    for i, resolution in enumerate(present):
        rows = coarse[coarse["resolution"] == resolution]
        xs, ys, custom = [], [], []
        for r in rows.itertuples():
            start, end = str(r.referenced_from)[:10], str(r.referenced_to)[:10]
            words = ui.plot_text(span_words(r.referenced_from, resolution))
            point = [start, resolution, words, int(r.n_expressions), int(r.n_articles)]
            xs += [start, end, None]
            ys += [int(r.n_expressions), int(r.n_expressions), None]
            custom += [point, point, [None] * 5]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines+markers",
                name=resolution,
                line={"width": 5, "color": charts.PALETTE[i % len(charts.PALETTE)]},
                marker={"size": 7},
                customdata=custom,
                hovertemplate=ui.hover_template(
                    "%{customdata[2]}",
                    [
                        ("said as a", "%{customdata[1]}"),
                        ("expressions", "%{customdata[3]:,}"),
                        ("articles", "%{customdata[4]:,}"),
                    ],
                ),
                connectgaps=False,
            )
        )
    fig.update_layout(
        height=300,
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        legend_title_text="said as a",
        yaxis_title="expressions",
    )
    starts = coarse.rename(columns={"referenced_from": "referenced_period"})
    ranges = ui.call(
        "core.analytics.timeline:suggest_date_range",
        starts[["referenced_period", "resolution", "n_expressions"]],
        freq="year",
        coverage=1.0 if show_all else 0.98,
    )
    charts.date_axis(fig, None, range_=ranges["referenced"])
    charts.measure_axis(fig, "n_expressions", coarse["n_expressions"])
    st.plotly_chart(fig, key=key, on_select=on_select, selection_mode="points", width="stretch")
    if ranges["n_outside"]:
        lo, hi = ranges["referenced"]
        st.caption(
            f"{ranges['n_outside']:,} of these {ranges['n_expressions']:,} expressions name a "
            f"span starting outside {lo:%Y}–{hi:%Y}: choose 'every date' above, or zoom out."
        )
    ui.download_buttons(coarse, "dates_left_out")


def clicked_span(key: str) -> tuple[str, str] | None:
    """The (first day, resolution) of the segment clicked in chart ``key``, or None."""
    point = clicks.first_point(st.session_state.get(key))
    start, resolution = clicks.custom_value(point, 0), clicks.custom_value(point, 1)
    if start is None or resolution is None:
        return None
    return str(start)[:10], str(resolution)
