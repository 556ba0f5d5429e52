"""Mentions: frequency bars and time series, and the sentences behind every number."""

from __future__ import annotations

import dataclasses

import streamlit as st

from pages import _corrections as corrections
from pages import _shared as ui
from pages import _views as views
from pages.ui import charts as charts
from pages.ui import clicks as clicks
from pages.ui import lazy as lazy

FREQ = "core.analytics.frequencies"
ATT = "core.analytics.attention"
EV = "core.analytics.evidence"
METRICS = {m: charts.MEASURES[m] for m in charts.HELP}
EVIDENCE_PAGE = 200
VIEWS = {"bars": "Most mentioned", "time": "Over time", "compare": "Compare searches"}

store, flt = ui.setup_page(
    "mentions",
    "Mentions",
    "How often each entity is mentioned. Click a bar or a point to read the sentences it counts.",
)

# Each control is drawn on the tabs it changes: a toggle that silently does nothing on the open
# tab (split on a time series, the period on the bars) reads as a broken filter.
view_now = ui.params().get("view") if ui.params().get("view") in VIEWS else "bars"
# Articles without publication dates have no time axis: the time tabs offer no control then.
undated = view_now != "bars" and views.all_undated(store, flt)
c = st.columns([2, 1, 1, 2])
with c[0]:
    metric = "n_mentions"
    if view_now == "bars" or (view_now == "time" and not undated):
        # (The searches have their own measure.)
        metric = ui.param_select(
            "Measure",
            "metric",
            list(METRICS),
            default="n_mentions",
            format_func=METRICS.get,
            help=" ".join(f"**{METRICS[m]}**: {charts.HELP[m]}" for m in METRICS),
        )
with c[1]:
    top_n = ui.param_int("Entities", "top", default=15, min_value=2, max_value=50)
split = False
if view_now == "bars":
    n_sources = (ui.call(f"{FREQ}:summarise_corpus", store, flt) or {}).get("n_sources") or 0
    with c[2]:
        if n_sources == 1:  # a split into one source is the same bars in one colour
            st.caption("Split by source: the filter keeps one source, nothing to split.")
        else:
            split = (
                ui.param_select(
                    "Split by source", "split", ["no", "yes"], default="no", horizontal=True
                )
                == "yes"
            )
with c[3]:
    freq = views.period_choice(store, flt, draw=view_now != "bars" and not undated)


def _select_point(key: str) -> None:
    """Chart click → the entity (and source / period) whose sentences to show.

    Every trace carries the entity (and source when split) as its first customdata columns,
    so the click reads the same whatever the figure's options (see pages/ui/clicks.py).
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
        ui.set_params(focus=entity, focus_source=source, period=None, epage=None)
    else:
        if entity is None:
            return
        ui.set_params(focus=entity, period=clicks.point_date(point), focus_source=None, epage=None)


top = ui.call(f"{FREQ}:count_mentions", store, flt, by=("entity",), top=top_n)
if top is None:
    st.stop()
if top.empty:
    st.info("No mentions in the filtered articles.")
    st.stop()

entities = [str(e) for e in top["entity"]]


def _show(fig, key: str, rows, name: str) -> None:
    """Draw ``fig`` (a click on a bar or point reads the sentences it counts) and offer the
    ``rows`` it draws as the download ``name``."""
    st.plotly_chart(
        fig,
        key=key,
        on_select=lambda: _select_point(key),
        selection_mode="points",
        width="stretch",
    )
    ui.download_buttons(rows, name)


def _draw_bars() -> None:
    """The most mentioned entities as bars (per source when split)."""
    if split:
        only_top = dataclasses.replace(flt, entities=tuple(entities))
        bars = ui.call(f"{FREQ}:count_mentions", store, only_top, by=("entity", "source"))
    else:
        bars = top
    drawn = bars.astype({m: "float64" for m in METRICS})
    fig = charts.bar_chart(
        drawn,
        x=metric,
        y="entity",
        color="source" if split else None,
        custom=["entity", "source"] if split else ["entity"],
        hover=list(METRICS),
        labels=charts.labels(entity=""),
        barmode="group" if split else "relative",
    )
    fig.update_layout(
        height=max(300, 26 * len(entities) * (2 if split else 1)),
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        yaxis={"categoryorder": "array", "categoryarray": entities[::-1]},
    )
    charts.measure_axis(fig, metric, drawn[metric], axis="x")
    _show(fig, "bars", bars, "mention_counts")


def _draw_series() -> None:
    """The same entities per period, with empty periods at zero."""
    if views.undated_notice(store, flt, what="their mentions"):
        return
    try:
        series = ui.call(f"{ATT}:count_entity_series", store, flt, entities=entities, freq=freq)
    except ValueError as err:  # a span too long for daily points
        st.warning(f"{err}.")
        return
    if series is None or series.empty:
        return
    silent = [e for e in entities if series.loc[series["entity"] == e, "n_mentions"].sum() == 0]
    st.caption(
        f"The {len(entities)} most mentioned entities, {METRICS[metric]} per {freq}; "
        f"{views.empty_periods_said(metric)}."
        + (
            f" ({top_n} asked for; the filtered articles mention only {len(entities)}.)"
            if len(entities) < top_n
            else ""
        )
        + (
            f" Not mentioned in any dated article (flat at 0): {', '.join(silent)}."
            if silent
            else ""
        )
    )
    fig = charts.line_chart(
        charts.with_dates(views.gaps_without_articles(series, metric), "period"),
        x="period",
        y=metric,
        color="entity",
        order=entities,
        hover=[*METRICS, "corpus_articles"],
        labels=charts.labels(period=freq),
    )
    fig.update_layout(height=420, margin={"l": 0, "r": 0, "t": 10, "b": 0})
    charts.date_axis(fig, freq)
    charts.measure_axis(fig, metric, series[metric])
    _show(fig, "series", series, "mentions_over_time")


def _draw_compare() -> None:
    """Up to five searches' articles per period, on one chart."""
    if views.undated_notice(store, flt, what="the searches' articles"):
        return
    queries_text = views.text_param(
        "Up to five searches, one per line",
        "compare",
        help='Words, "quoted phrases", AND, OR, NOT (capitals), -word, parentheses. Each line '
        "counts the articles it finds, within the sidebar filter.",
    )
    queries = [q.strip() for q in queries_text.splitlines() if q.strip()]
    if len(queries) > 5:
        st.warning(f"{len(queries)} searches given; the first five are compared.")
        queries = queries[:5]
    if not queries:
        return
    q_metric = ui.param_select(
        "Measure",
        "qmetric",
        ["n_articles", "share_articles"],
        default="share_articles",
        format_func=METRICS.get,
        horizontal=True,
        help="Articles found, or their share of all the period's articles in the filter.",
    )
    try:
        q_series = ui.call(f"{ATT}:count_query_series", store, flt, queries=queries, freq=freq)
    except ValueError as err:
        st.warning(f"{err}.")
        return
    if q_series is None or q_series.empty:
        return
    st.caption(f"Articles found per {freq}; {views.empty_periods_said(q_metric)}.")
    fig = charts.line_chart(
        charts.with_dates(views.gaps_without_articles(q_series, q_metric), "period"),
        x="period",
        y=q_metric,
        color="query",
        order=queries,
        hover=["n_articles", "share_articles", "corpus_articles"],
        labels=charts.labels(period=freq, query="search"),
    )
    fig.update_layout(height=360, margin={"l": 0, "r": 0, "t": 10, "b": 0})
    charts.date_axis(fig, freq)
    charts.measure_axis(fig, q_metric, q_series[q_metric])
    st.plotly_chart(fig, key="queries", width="stretch")
    links = " · ".join(f"[{ui.md(q)}]({ui.filter_href('articles', q=q)})" for q in queries)
    st.caption(f"The articles of each search, within the sidebar filter: {links}")
    ui.download_buttons(q_series, "searches_over_time")


# One chart at a time, in tabs whose code runs only when chosen (the view is in the URL): the
# browser pays for every chart a page sends, hidden or not, and this page's first chart is
# what a visitor waits for (docs/benchmarks.md, "first view").
view, tabs = lazy.param_tabs("view", VIEWS, default="bars")
with tabs[view]:
    {"bars": _draw_bars, "time": _draw_series, "compare": _draw_compare}[view]()

st.subheader("In context")
p = ui.params()
focus = ui.param_select(
    "Entity",
    "focus",
    entities + [e for e in [p.get("focus")] if e and e not in entities],
    default=entities[0],
)
source = p.get("focus_source") or None
period = None if undated else views.parse_day(p.get("period"))
group = {
    "entity": focus,
    "source": source,
    "period_start": period,
    "freq": freq if period else None,
}
total = ui.call(f"{EV}:count_evidence", store, flt, **group) or 0
offset = views.page_offset(
    total,
    size=EVIDENCE_PAGE,
    param="epage",
    label="Sentences page",
    key=f"{focus}|{source}|{period}|{freq if period else ''}",
)
evidence = ui.call(f"{EV}:find_evidence", store, flt, **group, limit=EVIDENCE_PAGE, offset=offset)
if evidence is not None:
    when = charts.period_words(period, freq)
    when = when if freq in ("week", "year") or not when else f"{freq} of {when}"  # "month of May"
    where = " · ".join(x for x in (source, when) if x)
    shown = (
        f"**{offset + 1:,}–{offset + len(evidence):,}** of **{total:,}**"
        if total > len(evidence)
        else f"**{len(evidence):,}**"
    )
    st.markdown(
        f"{shown} sentence(s) shown for **{ui.md(focus)}**"
        + (f" ({ui.md(where)})" if where else "")
    )
    if total:  # the count is of mentions, as the chart's
        st.caption(
            "One row per mention, as the chart counts: a sentence naming it twice is listed twice."
        )
    if source or period:
        st.button(
            "Show all periods and sources",
            on_click=ui.set_params,
            kwargs={"focus_source": None, "period": None, "epage": None},
        )
    ui.show_evidence(evidence)
    ui.download_buttons(evidence, "mention_evidence")

corrections.show_corrections(store)  # merge / block entities (pages/_corrections.py)
