"""Dates: which periods the articles talk about, against when they were published."""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from pages import _coarse_dates as coarse_dates
from pages import _shared as ui
from pages import _views as views
from pages.ui import charts as charts
from pages.ui import clicks as clicks
from pages.ui import limits as limits

TL = "core.analytics.timeline"
EVIDENCE_PAGE = 200
# A chart counts only the expressions within one of its periods ("2019" is not January 2019);
# the others are said and drawn over their own span (pages/_coarse_dates.py).
LEAVE = "leave_out"

store, flt = ui.setup_page(
    "dates",
    "Dates",
    "Each dot: time expressions written in one period (x) that refer to another (y). Dots "
    "below the diagonal look back. Click a dot to read the sentences. An expression coarser "
    "than the period (“in 2019” on the month chart) is not a dot: it is drawn over the whole "
    "span it names, below the chart.",
)

FREQS = ["day", "week", "month", "year"]
default_freq = "month"
if ui.params().get("freq") not in FREQS:
    # Months, unless their grid holds more dots than a browser draws quickly (pages/ui/limits.py).
    # (What the month view draws: its dots and the spans it leaves out.)
    months = ui.call(f"{TL}:count_referenced_dates", store, flt, freq="month", coarser=LEAVE)
    spans = ui.call(f"{TL}:count_coarser_dates", store, flt, freq="month")
    marks = sum(0 if t is None else len(t) for t in (months, spans))
    default_freq = limits.default_date_period(marks)
c = st.columns([2, 2])
with c[0]:
    freq = ui.param_select(
        "Period",
        "freq",
        FREQS,
        default=default_freq,
        horizontal=True,
        help=f"By default months, or years when the months would draw over "
        f"{limits.MAX_DATE_CELLS:,} dots.",
    )
with c[1]:
    show_all = (
        ui.param_select(
            "Referred-to range",
            "range",
            ["main", "all"],
            default="main",
            format_func={"main": "where most point", "all": "every date"}.get,
            horizontal=True,
            help="By default the chart shows the publication span and the dates 98% of the "
            "expressions refer to; 'every date' also shows the rare far past or future ones "
            "(you can also zoom out with the mouse).",
        )
        == "all"
    )
cells = ui.call(f"{TL}:count_referenced_dates", store, flt, freq=freq, coarser=LEAVE)
coarse = ui.call(f"{TL}:count_coarser_dates", store, flt, freq=freq)
if cells is None or coarse is None:
    st.stop()


def _select_cell() -> None:
    point = clicks.first_point(st.session_state.get("cells"))
    pub, ref = clicks.custom_value(point, 0), clicks.custom_value(point, 1)
    if pub is None or ref is None:  # the diagonal guide line carries no cell
        return
    ui.set_params(
        pub=str(pub)[:10],
        ref=str(ref)[:10],
        res=clicks.custom_value(point, 2),
        span=None,
        epage=None,
    )


def _select_bar() -> None:
    point = clicks.first_point(st.session_state.get("referred"))
    ref = clicks.custom_value(point, 0)
    if ref is not None:
        res = clicks.custom_value(point, 1)
        ui.set_params(pub=None, ref=str(ref)[:10], res=res, span=None, epage=None)


def _select_span() -> None:
    hit = coarse_dates.clicked_span("coarse")
    if hit is not None:
        ui.set_params(pub=None, ref=None, span=hit[0], res=hit[1], epage=None)


def _outside_note(ranges: dict) -> None:
    if ranges["n_outside"]:
        lo_ref, hi_ref = ranges["referenced"]
        st.caption(
            f"{ranges['n_outside']:,} of {ranges['n_expressions']:,} expressions refer to dates "
            f"outside {lo_ref:%b %Y}–{hi_ref:%b %Y}: choose 'every date' above, or zoom out."
        )


def _draw_cells() -> None:
    """The scatter of (published, referred-to) cells; a click reads a cell's sentences."""
    ranges = ui.call(
        f"{TL}:suggest_date_range", cells, freq=freq, coverage=1.0 if show_all else 0.98
    )
    drawn = charts.with_dates(cells, "published_period", "referenced_period").assign(
        published=cells["published_period"].astype("string"),
        referenced=cells["referenced_period"].astype("string"),
    )
    fig = px.scatter(
        drawn,
        x="published_period",
        y="referenced_period",
        size="n_expressions",
        color="resolution",
        category_orders={"resolution": list(charts.RESOLUTIONS)},
        custom_data=["published", "referenced", "resolution"],
        hover_data=charts.hover_data(["n_expressions", "n_articles"]),
        labels=charts.labels(
            published_period=f"published ({freq})", referenced_period=f"referred to ({freq})"
        ),
        size_max=28,
    )
    lo = min(drawn["published_period"].min(), drawn["referenced_period"].min())
    hi = max(drawn["published_period"].max(), drawn["referenced_period"].max())
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
    charts.date_axis(fig, freq, range_=ranges["published"])
    charts.date_axis(fig, freq, axis="y", range_=ranges["referenced"])
    st.plotly_chart(
        fig, key="cells", on_select=_select_cell, selection_mode="points", width="stretch"
    )
    _outside_note(ranges)
    ui.download_buttons(cells, "referenced_dates")


undated_mode = cells.empty and coarse.empty
if undated_mode:
    periods = ui.call(f"{TL}:count_referenced_periods", store, flt, freq=freq, coarser=LEAVE)
    coarse = ui.call(f"{TL}:count_coarser_dates", store, flt, freq=freq, include_undated=True)
    if periods is None or coarse is None or (periods.empty and coarse.empty):
        st.info("No resolvable dates in the filtered articles.")
        st.stop()
    n_all, n_undated = views.count_undated(store, flt)
    st.info(
        (
            f"The {n_all:,} article(s) in this view have no publication date"
            if n_undated == n_all
            else f"{n_undated:,} of the {n_all:,} articles in this view have no publication "
            "date (the dated ones hold no resolvable date)"
        )
        + ", so written-when cannot be set against referred-to. Shown instead: the periods "
        f"they refer to (click a bar to read the sentences). {views.INGEST_DATES}"
    )
    drawn_total = int(periods["n_expressions"].sum())
    if periods.empty:
        st.caption(f"No expression names a time within one {freq}: see below.")
    else:
        drawn = charts.with_dates(periods, "referenced_period").assign(
            ref=periods["referenced_period"].astype("string")
        )
        fig = px.bar(
            drawn,
            x="referenced_period",
            y="n_expressions",
            color="resolution",
            category_orders={"resolution": list(charts.RESOLUTIONS)},
            custom_data=["ref", "resolution"],
            hover_data=charts.hover_data(["n_expressions", "n_articles"]),
            labels=charts.labels(referenced_period=f"referred to ({freq})"),
        )
        fig.update_layout(height=420, margin={"l": 0, "r": 0, "t": 10, "b": 0})
        ranges = ui.call(
            f"{TL}:suggest_date_range", periods, freq=freq, coverage=1.0 if show_all else 0.98
        )
        charts.date_axis(fig, freq, range_=ranges["referenced"])
        charts.measure_axis(fig, "n_expressions", periods["n_expressions"])
        st.plotly_chart(
            fig, key="referred", on_select=_select_bar, selection_mode="points", width="stretch"
        )
        _outside_note(ranges)
        ui.download_buttons(periods, "referenced_periods")
else:
    views.undated_notice(store, flt, drawn="their expressions are not drawn here")
    drawn_total = int(cells["n_expressions"].sum())
    if cells.empty:
        st.caption(f"No expression names a time within one {freq}: see below.")
    else:
        _draw_cells()

if not coarse.empty:
    st.markdown(coarse_dates.left_out_sentence(coarse, drawn_total, freq))
    coarse_dates.draw_left_out(
        coarse, freq, key="coarse", on_select=_select_span, show_all=show_all
    )

st.subheader("Sentences")
p = ui.params()
pub, ref, res = views.parse_day(p.get("pub")), views.parse_day(p.get("ref")), p.get("res") or None
span = views.parse_day(p.get("span"))
if span is not None:
    pub = ref = None  # a left-out span is read whole, apart from the chart's cells
picked = bool(pub or ref or span)
evidence = ui.call(
    f"{TL}:find_date_evidence",
    store,
    flt,
    published_period=pub,
    referenced_period=ref,
    resolution=res,
    freq=freq,
    limit=None if picked else EVIDENCE_PAGE,
    include_undated=undated_mode,
    coarser=LEAVE,
    referenced_from=span,
)
if evidence is not None:
    if picked:
        if span is not None:
            said = f"Referring to **{ui.md(coarse_dates.span_words(span, res))}** as a whole" + (
                f" (said as a {ui.md(res)}, not a dot above)" if res else ""
            )
        else:
            said = (
                f"Written in **{charts.period_words(pub, freq)}**, referring"
                if pub
                else "Referring"
            )
            said += f" to **{charts.referred_words(ref, freq, res)}**" if ref else " to any period"
            said += f" (said as a {ui.md(res)})" if res else ""
        st.markdown(f"{said}: **{len(evidence):,}** expression(s)")
        st.button(
            "Show all",
            on_click=ui.set_params,
            kwargs={"pub": None, "ref": None, "res": None, "span": None, "epage": None},
        )
        offset = views.page_offset(
            len(evidence), size=EVIDENCE_PAGE, param="epage", key=f"{pub}|{ref}|{res}|{span}"
        )
        shown = evidence.iloc[offset : offset + EVIDENCE_PAGE]
        if len(evidence) > EVIDENCE_PAGE:
            st.caption(f"Sentences {offset + 1:,}–{offset + len(shown):,} of {len(evidence):,}.")
    else:
        mark = "bar" if undated_mode else "dot"
        # Undated articles have no "recent": they come in stored order.
        which = "first" if undated_mode else "most recently published"
        st.caption(
            f"{EVIDENCE_PAGE} expressions of the {which} articles; click a {mark} or a span to "
            f"narrow down (every sentence of a {mark} is then listed, a page at a time)."
        )
        shown = evidence
    ui.show_evidence(shown)
    ui.download_buttons(evidence, "date_evidence")
