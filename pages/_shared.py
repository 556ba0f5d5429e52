"""What every page shares: store choice, the URL-backed sidebar filter, cached core calls.

This is the only module that touches ``st.cache_data`` / ``st.cache_resource``. Pages stay
thin: ``store, flt = setup_page("mentions")``, then :func:`call` a ``core`` function, draw a
plotly figure and offer :func:`download_buttons` of exactly the data drawn.

State lives in readable URL query params (``from, to, source, kind, country, entity, q`` plus
each page's own), so a copied link reproduces the view in a fresh browser. Streamlit drops the
query string when the user switches page in the sidebar navigation, so the filter params are
also shadowed in the session and put back after a page switch.

Uploads go into a per-session workspace under the temp folder (never the shared store): a
visitor of a hosted link never sees another visitor's uploads. The URL-backed widgets and the
output helpers live in ``pages._widgets`` and are re-exported here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import logging
import os
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
import streamlit as st

from core.analytics.filters import Filter
from core.errors import describe_damaged_file, describe_error
from core.schema import as_date_value as as_date
from core.store import Store, StoreError, default_store_path
from pages._format import (  # noqa: F401  (re-exported: pages use them as ui.*)
    article_labels,
    diff_html,
    evidence_html,
    format_int,
    highlight,
    hover_template,
    md,
    place_labels,
    plot_text,
    table_bytes,
)
from pages._widgets import (  # noqa: F401  (re-exported: pages use them as ui.*)
    FILTER_PARAMS,
    KINDS,
    _display_path,
    _multiselect,
    _on_widget_change,
    _restore_filter_after_page_switch,
    current_filter,
    current_link,
    download_buttons,
    download_rows_buttons,
    evidence_limit,
    evidence_page,
    notice,
    param_int,
    param_list,
    param_select,
    params,
    remember_filter,
    safe_callback,
    set_params,
    show_evidence,
)

log = logging.getLogger("presslens.dashboard")
FAILED = "Sorry, something went wrong while drawing this page."
# A workspace token: 32 hex digits (uuid4), unguessable; anything else in ?ws= is ignored.
_WORKSPACE_ID = re.compile(r"[0-9a-f]{32}")
WORKSPACES = Path(tempfile.gettempdir()) / "presslens-workspaces"
WORKSPACE_MAX_AGE_S = 24 * 3600
# The store given by ``streamlit run dashboard.py -- --store DIR``; None means the default.
_STORE_ARG: Path | None = None
# False until dashboard.py has run once in this process (see setup_page).
_CONFIGURED = False


# -- store choice ---------------------------------------------------------------------------


def parse_store_argument(argv: Sequence[str]) -> Path | None:
    """Return the ``--store DIR`` of the script arguments (after ``--``), or None."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--store")
    args, _unknown = parser.parse_known_args(list(argv))
    return Path(args.store) if args.store else None


def configure_store(argv: Sequence[str]) -> None:
    """Remember the ``--store`` argument for every page (called by ``dashboard.py``)."""
    global _STORE_ARG, _CONFIGURED
    _STORE_ARG = parse_store_argument(argv)
    _CONFIGURED = True


@st.cache_resource(show_spinner="Building the store from the bundled sample…")
def _open_store(path: str, build_sample: bool) -> Store:
    store = Store(path)
    if build_sample:
        from core.ingest import ensure_sample_store

        ensure_sample_store(store)
    if store.exists():
        # Build the query engine's in-memory copy and pair tables while nobody waits: on a large
        # store the first page view would otherwise pay seconds for them (docs/benchmarks.md).
        warm = threading.Thread(target=_warm_up, args=(store,), name="presslens-warm-up")
        warm.daemon = True
        warm.start()
    return store


def _warm_up(store: Store) -> None:
    from core.analytics import prepare_store

    try:
        prepare_store(store)  # what `python -m core warm` builds, when nobody ran it
    except Exception:  # a failed warm-up only costs the first visitor time; the page reports errors
        logging.getLogger(__name__).exception("warm-up of %s failed", store.path)


def shared_store() -> Store:
    """The store every visitor reads: ``--store DIR``, else ``$PRESSLENS_STORE`` / ``data/store``.

    The default store is built from ``data/samples`` when missing; an explicit ``--store`` that
    holds nothing stops the page with an explanation instead (it may be a typo).
    """
    if _STORE_ARG is not None:
        store = _open_store(str(_STORE_ARG), False)
        if not store.exists():
            st.error(
                f"The store `{_STORE_ARG}` holds no articles. Ingest some first: "
                f"`python -m core ingest FILES --store {_STORE_ARG}`."
            )
            st.stop()
        return store
    return _open_store(str(default_store_path()), True)


def workspace_store() -> Store | None:
    """This visitor's private upload workspace, or None before the first upload.

    The workspace's token lives in the session and in the URL (``?ws=``), so a page reload
    finds it again; only a browser that holds the token reads it, and links copied from the
    sidebar never carry it (:func:`current_link`).
    """
    wid = st.session_state.get("_workspace")
    if wid is None:
        wid = _workspace_from_url()
    return Store(WORKSPACES / wid / "store") if wid else None


def _workspace_from_url() -> str | None:
    raw = params().get("ws")
    if raw is None:
        return None
    folder = WORKSPACES / raw
    if _WORKSPACE_ID.fullmatch(raw) and (folder / "store").is_dir():
        folder.touch()  # in use: its day-long life starts again
        st.session_state["_workspace"] = raw
        return raw
    del st.query_params["ws"]
    notice(
        "The private workspace of this link no longer exists (uploads are deleted after a day "
        "without a visit); showing the shared data."
    )
    return None


def create_workspace() -> Store:
    """Create this session's workspace: a copy of the shared store's batches (hard links)."""
    existing = workspace_store()
    if existing is not None:
        return existing
    _remove_old_workspaces()
    wid = uuid.uuid4().hex
    target = Store(WORKSPACES / wid / "store")
    source = shared_store()
    target.batches_dir.mkdir(parents=True, exist_ok=True)
    for batch in source.batch_ids():
        # Batches are immutable once committed, so hard links are safe and cost nothing.
        shutil.copytree(
            source.batches_dir / batch, target.batches_dir / batch, copy_function=_link_or_copy
        )
    st.session_state["_workspace"] = wid
    st.query_params["ws"] = wid
    return target


def discard_workspace() -> None:
    """Delete this session's workspace; the session reads the shared store again."""
    wid = st.session_state.pop("_workspace", None)
    if "ws" in st.query_params:
        del st.query_params["ws"]
    if wid and _WORKSPACE_ID.fullmatch(wid):
        shutil.rmtree(WORKSPACES / wid, ignore_errors=True)


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _remove_old_workspaces() -> None:
    if not WORKSPACES.is_dir():
        return
    for folder in WORKSPACES.iterdir():
        try:
            if time.time() - folder.stat().st_mtime > WORKSPACE_MAX_AGE_S:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def active_store() -> Store:
    """The store this session reads: its workspace after an upload, else the shared store."""
    return workspace_store() or shared_store()


# -- cached core calls ------------------------------------------------------------------------


def _store_key(store: Store) -> tuple[str, str]:
    # A new batch changes the version, so cached results of older versions are not reused.
    return (str(store.path), store.version())


def _filter_key(flt: Filter) -> tuple:
    return tuple(sorted(flt.to_params().items()))


def _resolve(target: str) -> Callable:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def available(target: str) -> bool:
    """True when the ``module:function`` named by ``target`` exists in this checkout."""
    try:
        _resolve(target)
    except (ImportError, AttributeError):
        return False
    return True


@st.cache_data(
    max_entries=512, show_spinner=False, hash_funcs={Store: _store_key, Filter: _filter_key}
)
def _cached_call(target: str, args: tuple, kwargs: dict):
    return _resolve(target)(*args, **kwargs)


def call(target: str, *args, **kwargs):
    """Call ``core`` function ``target`` (``"module:function"``) through the data cache.

    Returns: the function's result, or None (with a note on the page) when the function is not
    in this checkout yet.
    """
    if not available(target):
        st.info(f"`{target}` is not available in this version of Presslens yet.")
        return None
    return _cached_call(target, args, kwargs)


@st.cache_data(
    max_entries=64, show_spinner=False, hash_funcs={Store: _store_key, Filter: _filter_key}
)
def _network(store: Store, flt: Filter, window: str, min_support: int, weight: str, top: int):
    from core.analytics.cooccurrence import build_graph, count_pairs, layout_graph

    pairs = count_pairs(store, flt, window=window, min_support=min_support, top=top)
    graph = build_graph(pairs, weight=weight)
    layout = layout_graph(graph, seed=0)
    nodes = pd.DataFrame(
        [
            {"node": n, **{k: v for k, v in attrs.items() if not isinstance(v, dict | list)}}
            for n, attrs in graph.nodes(data=True)
        ]
    )
    if not nodes.empty:
        nodes["degree"] = [graph.degree(n) for n in nodes["node"]]
        nodes = nodes.merge(layout, on="node", how="left")
    return pairs, nodes


def network(store: Store, flt: Filter, *, window: str, min_support: int, weight: str, top: int):
    """Co-occurrence pairs and laid-out nodes (count_pairs → build_graph → layout_graph), cached.

    Returns: ``(pairs, nodes)``: the pairs table, and one row per node with its graph attributes
    (community, centrality, …), degree and x, y; or None when cooccurrence is not available.
    """
    if not available("core.analytics.cooccurrence:layout_graph"):
        st.info("`core.analytics.cooccurrence` is not available in this version of Presslens yet.")
        return None
    return _network(store, flt, window, min_support, weight, top)


# One row per article (~0.1 GB per 200k articles): a few store versions only, or every new
# batch of a large store would keep its predecessors' copies (docs/benchmarks.md, issue 15).
_PER_ARTICLE_ENTRIES = 4


@st.cache_data(max_entries=_PER_ARTICLE_ENTRIES, show_spinner=False, hash_funcs={Store: _store_key})
def _articles_meta(store: Store) -> pd.DataFrame:
    return store.query(
        "SELECT article_id, source, published, title, origin, n_words FROM articles"
        " ORDER BY published, source, article_id"
    )


def articles_meta(store: Store) -> pd.DataFrame:
    """Return one row per stored article: article_id, source, published, title, origin, n_words."""
    return _articles_meta(store)


@st.cache_data(max_entries=_PER_ARTICLE_ENTRIES, show_spinner=False, hash_funcs={Store: _store_key})
def _article_labels(store: Store, width: int) -> dict[str, str]:
    return article_labels(_articles_meta(store), width=width)


def store_article_labels(store: Store, *, width: int = 70) -> dict[str, str]:
    """``article_id`` → "source · date · title" of every stored article (for select boxes).

    Cached per store version: formatting 2,428 labels took ~100 ms of every Sources page run.
    """
    return _article_labels(store, width)


# -- the page frame: sidebar filter, store, copy link ---------------------------------------


def setup_page(page: str, title: str, caption: str | None = None) -> tuple[Store, Filter]:
    """Draw the page title and the shared sidebar; return the active store and the filter."""
    if not _CONFIGURED:
        # Streamlit runs the very first request of a fresh server that is a deep link (say a
        # shared /mentions?… URL) in its legacy pages/-folder mode, without dashboard.py, and
        # stays in that mode until st.navigation is called. Leave it, and run dashboard.py.
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
        st.rerun()
    _restore_filter_after_page_switch(page)
    st.title(title)
    if caption:
        st.caption(caption)
    if st.session_state.pop("_callback_failed", False):
        st.error(f"{FAILED} Your last click could not be applied; the page is shown as before.")
    store = active_store()
    flt = current_filter()
    remember_filter()
    # Under run_page the sidebar is drawn after the page: its widgets and their option lists
    # cost the server and the browser time that would otherwise delay the page's first chart.
    # (Streamlit may run a page script without dashboard.py, e.g. AppTest after a widget
    # change: then it is drawn now.)
    _PENDING.sidebar = (store, flt)
    if not getattr(_PENDING, "in_run_page", False):
        _draw_pending_sidebar()
    return store, flt


# The sidebar a page still owes (one script run per thread).
_PENDING = threading.local()


def _draw_pending_sidebar() -> None:
    pending = getattr(_PENDING, "sidebar", None)
    _PENDING.sidebar = None
    if pending is None:
        return
    store, flt = pending
    try:
        _sidebar_filter(store, flt)
        _sidebar_store_and_link(store)
    except Exception:
        log.exception("sidebar failed (query: %s)", params())
        st.sidebar.error(f"{FAILED} The filter could not be drawn.")


def run_page(page) -> None:
    """Run a page of ``st.navigation``; any error becomes a short message on the page.

    The traceback goes to the server log only: a visitor of a hosted link sees no code, paths
    or data, and the rest of the page (sidebar included) stays usable.
    """
    from streamlit.runtime.scriptrunner_utils.exceptions import RerunException

    rerun = False
    _PENDING.in_run_page = True
    try:
        page.run()
    except RerunException:
        rerun = True
        raise
    except Exception as exc:
        log.exception("page %s failed (query: %s)", getattr(page, "url_path", page), params())
        damaged = describe_damaged_file(exc)
        if isinstance(exc, StoreError) or damaged:  # a damaged store: the CLI's one line too
            st.error(f"{FAILED} {damaged or describe_error(exc)}")
        else:
            st.error(
                f"{FAILED} The details are in the server's log. Try other options, or start over."
            )
        st.button("Start over (clear the filters and options)", on_click=_clear_all_params)
    finally:  # also after st.stop() in the page
        _PENDING.in_run_page = False
        if rerun:
            _PENDING.sidebar = None
        else:
            _draw_pending_sidebar()


def _stop_after_sidebar() -> None:
    """``st.stop()`` that first draws the sidebar the page still owes.

    After ``st.stop()`` Streamlit draws nothing more in that run, so a page that stopped early
    ("No mentions in the filtered articles.") lost its sidebar filter and copy link, and with
    them the way out of an empty filter.
    """
    if getattr(_PENDING, "in_run_page", False):
        _draw_pending_sidebar()
    _st_stop()


# Pages call st.stop() by attribute, so they get this one; other threads' runs are unaffected
# (the pending sidebar is per thread). Wrapped once, also when this module is reloaded.
_st_stop = getattr(st.stop, "__wrapped_stop__", st.stop)
_stop_after_sidebar.__wrapped_stop__ = _st_stop  # type: ignore[attr-defined]
st.stop = _stop_after_sidebar


def _clear_all_params() -> None:
    for name in list(st.query_params):
        if name != "ws":
            del st.query_params[name]


def _sidebar_filter(store: Store, flt: Filter) -> Filter:
    side = st.sidebar
    side.header("Filter")
    summary = call("core.analytics.frequencies:summarise_corpus", store, Filter()) or {}
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
            on_change=_on_widget_change,
            args=(key, name),
            format="YYYY-MM-DD",
        )
    sources = call(
        "core.analytics.frequencies:count_articles", store, Filter(), freq=None, by_source=True
    )
    source_options = [] if sources is None else [str(s) for s in sources["source"]]
    _multiselect(side, "Sources", "source", source_options, flt.sources)
    _sidebar_facets(store, flt)
    _multiselect(side, "Kinds", "kind", KINDS, flt.kinds)
    countries = call("core.analytics.frequencies:count_countries", store, Filter())
    names = (
        {}
        if countries is None
        else dict(zip(countries["country_code"], countries["country"], strict=True))
    )
    _multiselect(
        side,
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
            where=side,
            help="'Mentions coded to them' counts only those mentions. 'Articles that mention "
            "them' keeps the articles with at least one such mention and counts everything in "
            "them (who else is in the news about Ukraine?).",
        )
    entities = call(
        "core.analytics.frequencies:count_mentions", store, Filter(), by=("entity",), top=500
    )
    entity_options = [] if entities is None else [str(e) for e in entities["entity"]]
    _multiselect(
        side,
        "Entities",
        "entity",
        entity_options,
        flt.entities,
        help="The 500 most mentioned; click a bar or a country to add one.",
    )
    key = "f_q"
    st.session_state[key] = flt.q or ""
    side.text_input(
        "Text search",
        key=key,
        on_change=_on_widget_change,
        args=(key, "q"),
        help="Articles whose title or text contains this (any case). Several words: all of "
        'them; "quoted phrase"; OR, AND, NOT in capitals; -word; parentheses.',
    )
    if any(k in params() for k in FILTER_PARAMS):
        side.button("Clear filters", on_click=set_params, kwargs={k: None for k in FILTER_PARAMS})
    return flt


def _sidebar_facets(store: Store, flt: Filter) -> None:
    """Language (with the mix in its label) and the input metadata worth filtering by."""
    side = st.sidebar
    languages = call("core.analytics.facets:count_languages", store, Filter())
    if languages is not None and len(languages):
        counts = dict(zip(languages["language"], languages["n_articles"], strict=True))
        total = sum(counts.values()) or 1
        mix = ", ".join(f"{lang} {n / total:.0%}" for lang, n in list(counts.items())[:4])
        _multiselect(
            side,
            f"Language ({mix})",
            "lang",
            [lang for lang in counts if lang != "unknown"],
            flt.languages,
            format_func=lambda lang: f"{lang} ({counts.get(lang, 0):,})",
            help="Detected per article. Mentions, dates and countries are extracted for English "
            "only: articles in other languages are counted as articles, without mentions.",
        )
    facets = call("core.analytics.facets:count_facets", store, Filter())
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
        side.caption(f"Data: shared store `{_display_path(store.path)}`.")
