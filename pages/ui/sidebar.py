"""The shared sidebar every page draws: the filter (dates, sources, language and the input's own
fields, kinds, countries, entities, text search) and the copy-link box.

Its option lists come from ``core`` calls that the caller passes in (``call``: the cached
:func:`pages._shared.call`), so this module never touches Streamlit's caches itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import streamlit as st

from core.analytics.query.filters import Filter
from core.schema import as_date_value as as_date
from core.store import Store
from pages.ui.format import md
from pages.ui.lazy import active_expander
from pages.ui.widgets import (
    FILTER_PARAMS,
    KINDS,
    current_link,
    display_path,
    multiselect_param,
    on_widget_change,
    param_list,
    param_select,
    params,
    safe_callback,
    set_params,
)
from pages.ui.workspace import workspace_store

Call = Callable[..., object]


def draw_sidebar(store: Store, flt: Filter, *, call: Call) -> None:
    """Draw the sidebar filter of ``flt`` and the copy-link box; ``call`` runs core functions."""
    _sidebar_filter(store, flt, call)
    _sidebar_store_and_link(store)


def _sidebar_filter(store: Store, flt: Filter, call: Call) -> Filter:
    side = st.sidebar
    side.header("Filter")
    summary = call("core.analytics.frequencies:summarise_corpus", store, Filter()) or {}
    if summary.get("n_articles") and not summary.get("date_from"):
        _no_dates(side, flt, int(summary["n_articles"]))
    else:
        _date_inputs(side, summary, flt)
    if flt.date_from or flt.date_to:
        # A date range leaves out every undated article: say so where the range is set.
        undated = call("core.analytics.attention:count_undated", store, flt) or {}
        if undated.get("n_undated"):
            n, k = undated["n_articles"], undated["n_undated"]
            side.caption(
                f"{k:,} of {n:,} articles have no publication date: a date range leaves them out."
            )
    sources = call(
        "core.analytics.frequencies:count_articles", store, Filter(), freq=None, by_source=True
    )
    source_options = [] if sources is None else [str(s) for s in sources["source"]]
    multiselect_param(side, "Sources", "source", source_options, flt.sources)
    # The rarer filters are drawn only while their expander is open: each widget costs the
    # browser time before a page's first chart (docs/benchmarks.md, "first view").
    more = active_expander(side, "More filters", key="more_filters", active=_more_in_use(flt))
    if more.open:
        _more_filters(more, store, flt, call)
    key = "f_q"
    st.session_state[key] = flt.q or ""
    side.text_input(
        "Text search",
        key=key,
        on_change=on_widget_change,
        args=(key, "q"),
        help="Articles whose title or text contains this (any case). Several words: all of "
        'them; "quoted phrase"; OR, AND, NOT in capitals; -word; parentheses.',
    )
    if any(k in params() for k in FILTER_PARAMS):
        side.button("Clear filters", on_click=set_params, kwargs={k: None for k in FILTER_PARAMS})
    return flt


def _date_inputs(side, summary: dict, flt: Filter) -> None:
    """From / To, bounded by the store's publication span (and any date the URL holds)."""
    lo = as_date(summary.get("date_from")) or dt.date(1900, 1, 1)
    hi = as_date(summary.get("date_to")) or dt.date(2100, 1, 1)
    cols = side.columns(2)
    for col, name, label, value in (
        (cols[0], "from", "From", flt.date_from),
        (cols[1], "to", "To", flt.date_to),
    ):
        key = f"f_{name}"
        st.session_state[key] = value
        col.date_input(
            label,
            key=key,
            # A URL may hold a date outside the corpus; the widget must still accept it.
            min_value=min(lo, value) if value else lo,
            max_value=max(hi, value) if value else hi,
            on_change=on_widget_change,
            args=(key, name),
            format="YYYY-MM-DD",
        )


def _no_dates(side, flt: Filter, n: int) -> None:
    """No article of the store has a publication date: no date inputs, which could only drop
    every article; a range from a link is said and can be cleared."""
    side.caption(f"Dates: none of the {n:,} articles has a publication date (no date filter).")
    if flt.date_from or flt.date_to:
        side.button("Clear the date range", on_click=set_params, kwargs={"from": None, "to": None})


def _more_in_use(flt: Filter) -> tuple[str, ...]:
    """What of the "More filters" is set, as short Markdown-safe phrases."""
    parts = {
        "Language": flt.languages,
        "Fields": flt.meta,
        "Kinds": flt.kinds,
        "Countries": flt.countries,
        "Entities": flt.entities,
    }
    return tuple(f"{name} {md(', '.join(v), limit=60)}" for name, v in parts.items() if v)


def _more_filters(where, store: Store, flt: Filter, call: Call) -> None:
    """Language, the input's fields, kinds, countries (and what they mean), entities."""
    _sidebar_facets(where, store, flt, call)
    multiselect_param(where, "Kinds", "kind", KINDS, flt.kinds)
    countries = call("core.analytics.frequencies:count_countries", store, Filter())
    names = (
        {}
        if countries is None
        else dict(zip(countries["country_code"], countries["country"], strict=True))
    )
    multiselect_param(
        where,
        "Countries",
        "country",
        list(names),
        flt.countries,
        format_func=lambda c: f"{names.get(c, c)} ({c})",
        help="By default: only the mentions coded to these countries count (Moscow and Putin "
        "for Russia). Choose 'articles that mention them' below to keep whole articles instead.",
    )
    if flt.countries:
        param_select(
            "Countries mean",
            "cmode",
            ["mentions", "articles"],
            default="mentions",
            format_func={
                "mentions": "mentions coded to them",
                "articles": "articles that mention them",
            }.get,
            where=where,
            help="'Mentions coded to them' counts only those mentions. 'Articles that mention "
            "them' keeps the articles with at least one such mention and counts everything in "
            "them (who else is in the news about Ukraine?).",
        )
    entities = call(
        "core.analytics.frequencies:count_mentions", store, Filter(), by=("entity",), top=500
    )
    entity_options = [] if entities is None else [str(e) for e in entities["entity"]]
    multiselect_param(
        where,
        "Entities",
        "entity",
        entity_options,
        flt.entities,
        help="The 500 most mentioned; click a bar or a country to add one.",
    )


def _sidebar_facets(side, store: Store, flt: Filter, call: Call) -> None:
    """Language (with the mix in its label) and the input metadata worth filtering by."""
    languages = call("core.analytics.query.facets:count_languages", store, Filter())
    if languages is not None and len(languages):
        counts = dict(zip(languages["language"], languages["n_articles"], strict=True))
        total = sum(counts.values()) or 1
        mix = ", ".join(f"{lang} {n / total:.0%}" for lang, n in list(counts.items())[:4])
        multiselect_param(
            side,
            f"Language ({mix})",
            "lang",
            [lang for lang in counts if lang != "unknown"],
            flt.languages,
            format_func=lambda lang: f"{lang} ({counts.get(lang, 0):,})",
            help="Detected per article. Mentions, dates and countries are extracted for English "
            "only: articles in other languages are counted as articles, without mentions.",
        )
    facets = call("core.analytics.query.facets:count_facets", store, Filter())
    if facets is None or facets.empty:
        return
    for key, rows in facets.groupby("key", sort=False):
        counts = dict(zip(rows["value"], rows["n_articles"], strict=True))
        chosen = [m.partition("=")[2] for m in flt.meta if m.partition("=")[0] == key]
        widget = f"f_meta_{key}"
        st.session_state[widget] = chosen
        side.multiselect(
            key.replace("_", " ").capitalize(),
            list(dict.fromkeys([*counts, *chosen])),
            format_func=lambda value, c=counts: f"{value} ({c.get(value, 0):,})",
            help=f"The input's own field '{key}', kept with each article (article_meta).",
            key=widget,
            on_change=_on_facet_change,
            args=(widget, key),
        )


@safe_callback
def _on_facet_change(widget: str, key: str) -> None:
    """All facets share the URL param ``meta`` (``key=value``): replace this key's values."""
    others = [m for m in param_list("meta") if m.partition("=")[0] != key]
    mine = [f"{key}={value}" for value in st.session_state.get(widget) or []]
    set_params(meta=[*others, *mine] or None)


def _sidebar_store_and_link(store: Store) -> None:
    side = st.sidebar
    side.divider()
    link = current_link()
    # A Markdown link, not st.code: st.code's syntax highlighter is a 1.5 MB script that took
    # ~1.2 s of the browser's main thread on every first page load (docs/benchmarks.md).
    # urlencode escapes every character that could end the link or the code span.
    # A very long link (a hostile one, say) is shown shortened; the target stays whole.
    text = link if len(link) <= 300 else link[:120] + "…"
    shown = f"[`{text}`]({link})" if link else "(this page, no filters)"
    side.markdown(f"**Copy link to this view**\n\n{shown}")
    if workspace_store() is not None:
        side.warning(
            "This link opens the **shared data**, not your uploads: whoever opens it sees the "
            "same filters and page without your articles. Your uploads stay private to this "
            "browser (a reload keeps them).",
            icon="🔒",
        )
        side.caption("Data: your private workspace (the shared data plus your uploads).")
    else:
        side.caption(f"Data: shared store `{display_path(store.path)}`.")
