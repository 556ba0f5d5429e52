"""Dates: which periods the articles talk about, against when they were published."""

from __future__ import annotations

import datetime as dt

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from pages import _clicks as clicks
from pages import _shared as ui

TL = "core.analytics.timeline"

store, flt = ui.setup_page(
    "dates",
    "Dates",
    "Each dot: time expressions written in one period (x) that refer to another (y). Dots "
    "below the diagonal look back. Click a dot to read the sentences.",
)

freq = ui.param_select(
    "Period", "freq", ["day", "week", "month", "year"], default="month", horizontal=True
)
cells = ui.call(f"{TL}:count_referenced_dates", store, flt, freq=freq)
if cells is None:
    st.stop()
if cells.empty:
    st.info("No resolvable dates in the filtered articles.")
    st.stop()


def _select_cell() -> None:
    point = clicks.first_point(st.session_state.get("cells"))
    pub, ref = clicks.custom_value(point, 0), clicks.custom_value(point, 1)
    if pub is None or ref is None:  # the diagonal guide line carries no cell
        return
    ui.set_params(pub=str(pub)[:10], ref=str(ref)[:10], res=clicks.custom_value(point, 2))


drawn = cells.astype({"n_expressions": "float64", "n_articles": "float64"})
drawn = drawn.assign(
    published=drawn["published_period"].astype(str),
    referenced=drawn["referenced_period"].astype(str),
)
fig = px.scatter(
    drawn,
    x="published_period",
    y="referenced_period",
    size="n_expressions",
    color="resolution",
    custom_data=["published", "referenced", "resolution"],
    hover_data={"n_expressions": True, "n_articles": True},
    labels={
        "published_period": f"published ({freq})",
        "referenced_period": f"referred to ({freq})",
    },
    size_max=28,
)
lo = min(cells["published_period"].min(), cells["referenced_period"].min())
hi = max(cells["published_period"].max(), cells["referenced_period"].max())
fig.add_trace(
    go.Scatter(
        x=[lo, hi],
        y=[lo, hi],
        mode="lines",
        hoverinfo="skip",
        line={"dash": "dot", "color": "grey", "width": 1},
        name="same period",
    )
)
fig.update_layout(height=480, margin={"l": 0, "r": 0, "t": 10, "b": 0})
st.plotly_chart(fig, key="cells", on_select=_select_cell, selection_mode="points", width="stretch")
ui.download_buttons(cells, "referenced_dates")

st.subheader("Sentences")
p = ui.params()


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


pub, ref, res = _date(p.get("pub")), _date(p.get("ref")), p.get("res") or None
evidence = ui.call(
    f"{TL}:find_date_evidence",
    store,
    flt,
    published_period=pub,
    referenced_period=ref,
    resolution=res,
    freq=freq,
    limit=200,
)
if evidence is not None:
    if pub or ref:
        st.markdown(
            f"Written in the {freq} of **{pub}**, referring to the {freq} of **{ref}**"
            + (f" ({ui.md(res)})" if res else "")
        )
        st.button(
            "Show all", on_click=ui.set_params, kwargs={"pub": None, "ref": None, "res": None}
        )
    else:
        st.caption("The most recent expressions; click a dot to narrow down.")
    ui.show_evidence(evidence)
    ui.download_buttons(evidence, "date_evidence")
