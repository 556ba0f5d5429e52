"""Overview: corpus summary, world map of country mentions, top entities, articles over time."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from pages import _shared as ui
from pages import _views as views
from pages.ui import charts as charts
from pages.ui import clicks as clicks

FREQ = "core.analytics.frequencies"
ATT = "core.analytics.attention"

store, flt = ui.setup_page(
    "overview",
    "Overview",
    "What the filtered articles mention. Click a country or a bar to filter every page by it.",
)

summary = ui.call(f"{FREQ}:summarise_corpus", store, flt)
if summary is not None:
    c = st.columns(4)
    c[0].metric("Articles", ui.format_int(summary["n_articles"]))
    c[1].metric("Sources", ui.format_int(summary["n_sources"]))
    c[2].metric("Mentions", ui.format_int(summary["n_mentions"]))
    c[3].metric("Countries", ui.format_int(summary["n_countries"]))
    if summary.get("date_from"):
        st.caption(f"Published from {summary['date_from']} to {summary['date_to']}.")


def _toggle(param: str, key: str, field: str) -> None:
    """Selection callback: add the clicked value to the filter param (or remove it)."""
    value = clicks.point_field(clicks.first_point(st.session_state.get(key)), field)
    if value is None:
        return
    current = ui.param_list(param)  # repeated params: a value may hold a comma
    current = [v for v in current if v != value] if value in current else [*current, value]
    ui.set_params(**{param: current})


def _kept_mentions() -> str:
    """What the mention-level part of the filter keeps, in words."""
    parts = [
        " or ".join(ui.md(v, limit=40) for v in values)
        for values in (flt.entities, flt.kinds, flt.mention_countries)
        if values
    ]
    return ", and of ".join(parts)


left, right = st.columns([3, 2])
with left:
    st.subheader("Countries mentioned")
    countries = ui.call(f"{FREQ}:count_countries", store, flt)
    if countries is not None and not countries.empty:
        metric = ui.param_select(
            "Colour by",
            "metric",
            ["n_mentions", "n_articles"],
            default="n_mentions",
            format_func={"n_mentions": "mentions", "n_articles": "articles"}.get,
            horizontal=True,
        )
        data = countries.astype({metric: "float64"})
        fig = px.choropleth(
            data,
            locations="country_code",
            color=metric,
            hover_name="country",
            hover_data={"country_code": True, **charts.hover_data(["n_mentions", "n_articles"])},
            labels=charts.labels(country_code="code"),
            color_continuous_scale="Reds",
        )
        # A fixed whole-world view: without it the view follows the data and can clip the map.
        fig.update_geos(
            showframe=False,
            showcoastlines=True,
            projection_type="natural earth",
            projection_rotation_lon=0,
            center={"lon": 0, "lat": 0},
            lataxis_range=[-58, 85],
            fitbounds=False,
            showland=True,
            landcolor="#f4f4f4",
            showcountries=True,
            countrycolor="#d0d0d0",
        )
        fig.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=360)
        # topojsonURL: plotly.js fetches the world shapes from our static folder, not a CDN.
        st.plotly_chart(
            fig,
            key="map",
            on_select=lambda: _toggle("country", "map", "location"),
            selection_mode="points",
            config={"topojsonURL": "/app/static/", "displaylogo": False},
            width="stretch",
        )
        ui.download_buttons(countries, "countries")
    elif countries is not None:
        st.caption(
            "No country mentions in the filtered articles."
            if not flt.has_mention_filter
            else "No mention passing the filter is of a country: the filter keeps only mentions "
            f"of {_kept_mentions()} (the articles themselves may name countries)."
        )

with right:
    st.subheader("Top entities")
    top = ui.call(f"{FREQ}:count_mentions", store, flt, by=("entity", "kind"), top=20)
    if top is not None and not top.empty:
        fig = px.bar(
            top.astype({"n_mentions": "float64"}),
            x="n_mentions",
            y="entity",
            color="kind",
            color_discrete_map=charts.KIND_COLORS,
            category_orders={"kind": list(charts.KIND_COLORS)},
            orientation="h",
            hover_data=charts.hover_data(["n_mentions", "n_articles"]),
            labels=charts.labels(entity=""),
        )
        fig.update_layout(
            margin={"l": 0, "r": 0, "t": 10, "b": 0},
            height=min(420, 110 + 20 * len(top)),  # a bar or two is not drawn a page high
            legend_title_text="kind",
            yaxis={"categoryorder": "total ascending"},
        )
        st.plotly_chart(
            fig,
            key="entities",
            on_select=lambda: _toggle("entity", "entities", "y"),
            selection_mode="points",
            width="stretch",
        )
        ui.download_buttons(top, "top_entities")
    elif top is not None:
        st.caption("No mentions in the filtered articles.")

st.subheader("Articles over time")
if not views.undated_notice(store, flt):
    freq = views.period_choice(store, flt)
    try:
        articles = ui.call(f"{ATT}:count_article_series", store, flt, freq=freq)
    except ValueError as err:  # a span too long for daily bars
        st.warning(f"{err}.")
        articles = None
    if articles is not None and not articles.empty:
        fig = px.bar(
            charts.with_dates(articles, "period"),
            x="period",
            y="n_articles",
            color="source",
            hover_data=charts.hover_data(["n_articles"]),
            labels=charts.labels(period=freq),
        )
        fig.update_layout(margin={"l": 0, "r": 0, "t": 10, "b": 0}, height=320)
        charts.date_axis(fig, freq)
        per_period = articles.groupby("period")["n_articles"].sum()
        charts.measure_axis(fig, "n_articles", per_period)
        st.plotly_chart(fig, key="timeline", width="stretch")
        ui.download_buttons(articles, "articles_over_time")
    elif articles is not None:
        st.caption("No dated articles in the filter.")
