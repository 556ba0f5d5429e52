"""Mentions: frequency bars and time series, and the sentences behind every number."""

from __future__ import annotations

import dataclasses
import datetime as dt

import plotly.express as px
import streamlit as st

from pages import _clicks as clicks
from pages import _shared as ui

FREQ = "core.analytics.frequencies"
METRICS = {
    "n_mentions": "mentions",
    "n_articles": "articles",
    "share_articles": "share of articles",
    "per_1000_words": "per 1,000 words",
}

store, flt = ui.setup_page(
    "mentions",
    "Mentions",
    "How often each entity is mentioned. Click a bar or a point to read the sentences it counts.",
)

c = st.columns([2, 1, 1, 2])
with c[0]:
    metric = ui.param_select(
        "Measure", "metric", list(METRICS), default="n_mentions", format_func=METRICS.get
    )
with c[1]:
    top_n = ui.param_int("Entities", "top", default=15, min_value=2, max_value=50)
with c[2]:
    split = (
        ui.param_select("Split by source", "split", ["no", "yes"], default="no", horizontal=True)
        == "yes"
    )
with c[3]:
    freq = ui.param_select(
        "Period", "freq", ["day", "week", "month"], default="month", horizontal=True
    )


def _select_point(key: str) -> None:
    """Chart click → the entity (and source / period) whose sentences to show.

    Every trace carries the entity (and source when split) as its first customdata columns,
    so the click reads the same whatever the figure's options (see pages/_clicks.py).
    """
    point = clicks.first_point(st.session_state.get(key))
    if point is None:
        return
    entity = clicks.custom_value(point, 0)
    if key == "bars":
        entity = entity or clicks.point_field(point, "y")
        if entity is None:
            return
        source = clicks.custom_value(point, 1) if split else None
        ui.set_params(focus=entity, focus_source=source, period=None)
    else:
        if entity is None:
            return
        ui.set_params(focus=entity, period=clicks.point_date(point), focus_source=None)


top = ui.call(f"{FREQ}:count_mentions", store, flt, by=("entity",), top=top_n)
if top is None:
    st.stop()
if top.empty:
    st.info("No mentions in the filtered articles.")
    st.stop()

st.subheader("Most mentioned")
entities = [str(e) for e in top["entity"]]
if split:
    only_top = dataclasses.replace(flt, entities=tuple(entities))
    bars = ui.call(f"{FREQ}:count_mentions", store, only_top, by=("entity", "source"))
else:
    bars = top
drawn = bars.astype({m: "float64" for m in METRICS})
fig = px.bar(
    drawn,
    x=metric,
    y="entity",
    color="source" if split else None,
    orientation="h",
    custom_data=["entity", "source"] if split else ["entity"],
    hover_data={m: True for m in METRICS},
    labels={**METRICS, "entity": ""},
    barmode="group" if split else "relative",
)
fig.update_layout(
    height=max(300, 26 * len(entities) * (2 if split else 1)),
    margin={"l": 0, "r": 0, "t": 10, "b": 0},
    yaxis={"categoryorder": "array", "categoryarray": entities[::-1]},
)
st.plotly_chart(
    fig,
    key="bars",
    on_select=lambda: _select_point("bars"),
    selection_mode="points",
    width="stretch",
)
ui.download_buttons(bars, "mention_counts")

st.subheader("Over time")
series = ui.call(f"{FREQ}:count_mentions", store, flt, by=("entity",), freq=freq, top=min(top_n, 8))
if series is not None and not series.empty:
    fig = px.line(
        series.astype({m: "float64" for m in METRICS}).assign(period=series["period"].astype(str)),
        x="period",
        y=metric,
        color="entity",
        markers=True,
        custom_data=["entity"],
        labels={**METRICS, "period": freq},
    )
    # ISO strings on a category axis: one tick per period, however few there are.
    fig.update_layout(
        height=360,
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        xaxis={"type": "category", "categoryorder": "category ascending"},
    )
    st.plotly_chart(
        fig,
        key="series",
        on_select=lambda: _select_point("series"),
        selection_mode="points",
        width="stretch",
    )
    ui.download_buttons(series, "mentions_over_time")

st.subheader("In context")
p = ui.params()
focus = ui.param_select(
    "Entity",
    "focus",
    entities + [e for e in [p.get("focus")] if e and e not in entities],
    default=entities[0],
)
source = p.get("focus_source") or None
period = None
if p.get("period"):
    try:
        period = dt.date.fromisoformat(p["period"][:10])
    except ValueError:
        period = None
evidence = ui.call(
    f"{FREQ}:find_evidence",
    store,
    flt,
    entity=focus,
    source=source,
    period_start=period,
    freq=freq if period else None,
    limit=200,
)
if evidence is not None:
    where = " · ".join(x for x in (source, f"{freq} of {period}" if period else None) if x)
    counted = top.loc[top["entity"] == focus, "n_mentions"]
    total = int(counted.iloc[0]) if len(counted) and not where else len(evidence)
    st.markdown(
        f"**{len(evidence):,}** sentence(s) shown"
        + (f" of **{total:,}** mentions" if total > len(evidence) else "")
        + f" for **{ui.md(focus)}**"
        + (f" ({ui.md(where)})" if where else "")
    )
    if source or period:
        st.button(
            "Show all periods and sources",
            on_click=ui.set_params,
            kwargs={"focus_source": None, "period": None},
        )
    ui.show_evidence(evidence)
    ui.download_buttons(evidence, "mention_evidence")
