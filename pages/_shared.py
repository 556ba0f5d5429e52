"""What every page shares: store choice, cached core calls, and the page frame.

This is the only module that touches ``st.cache_data`` / ``st.cache_resource``. Pages stay
thin: ``store, flt = setup_page("mentions")``, then :func:`call` a ``core`` function, draw a
plotly figure and offer :func:`download_buttons` of exactly the data drawn.

State lives in readable URL query params (``from, to, source, kind, country, entity, q`` plus
each page's own), so a copied link reproduces the view in a fresh browser. Streamlit drops the
query string when the user switches page in the sidebar navigation, so the filter params are
also shadowed in the session and put back after a page switch.

What is not about caching lives next door and is re-exported here: the URL-backed widgets and
output helpers (``pages.ui.widgets``, ``pages.ui.format``), the sidebar (``pages.ui.sidebar``) and
the per-session upload workspace (``pages.ui.workspace``).
"""

from __future__ import annotations

import argparse
import atexit
import importlib
import logging
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
import streamlit as st

from core.analytics.query.filters import Filter
from core.errors import describe_damaged_file, describe_error
from core.schema import as_date_value as as_date  # noqa: F401  (re-exported: ui.as_date)
from core.store import Store, StoreError, default_store_path
from pages.ui.evidence import (  # noqa: F401  (re-exported: pages use them as ui.*)
    evidence_limit,
    evidence_page,
    show_evidence,
)
from pages.ui.format import (  # noqa: F401  (re-exported: pages use them as ui.*)
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
from pages.ui.sidebar import draw_sidebar
from pages.ui.switch import remember_filter, restore_filter_after_page_switch
from pages.ui.widgets import (  # noqa: F401  (re-exported: pages use them as ui.*)
    FILTER_PARAMS,
    KINDS,
    current_filter,
    current_link,
    download_buttons,
    download_rows_buttons,
    filter_href,
    notice,
    param_int,
    param_list,
    param_select,
    params,
    safe_callback,
    set_params,
)
from pages.ui.workspace import (  # noqa: F401  (re-exported: pages use them as ui.*)
    create_workspace_from,
    discard_workspace,
    workspace_store,
)

log = logging.getLogger("presslens.dashboard")
FAILED = "Sorry, something went wrong while drawing this page."
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
        _WARM_UPS.append(warm)
    return store


# A daemon thread killed inside DuckDB at interpreter exit aborts the process ("terminate
# called…", exit 134): at exit, a warm-up still running is given a while to finish.
_WARM_UPS: list[threading.Thread] = []
_WARM_UP_EXIT_WAIT_S = 60.0


@atexit.register
def _wait_for_warm_ups() -> None:
    deadline = time.monotonic() + _WARM_UP_EXIT_WAIT_S
    for warm in _WARM_UPS:
        warm.join(max(deadline - time.monotonic(), 0.0))


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


def create_workspace() -> Store:
    """Create this session's workspace: a copy of the shared store's batches (hard links)."""
    return create_workspace_from(shared_store())


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


# Results that grow with the store (the Sources page's story table: 250,000 rows at 1M): a few
# entries only, or 512 of them could hold gigabytes (docs/benchmarks.md, issue 15).
_LARGE_ENTRIES = 4


@st.cache_data(
    max_entries=_LARGE_ENTRIES,
    show_spinner=False,
    hash_funcs={Store: _store_key, Filter: _filter_key},
)
def _cached_large_call(target: str, args: tuple, kwargs: dict):
    return _resolve(target)(*args, **kwargs)


def call_large(target: str, *args, **kwargs):
    """:func:`call` for a result that grows with the store: kept in a cache of a few entries.

    Returns: as :func:`call`.
    """
    if not available(target):
        st.info(f"`{target}` is not available in this version of Presslens yet.")
        return None
    return _cached_large_call(target, args, kwargs)


@st.cache_data(
    max_entries=64, show_spinner=False, hash_funcs={Store: _store_key, Filter: _filter_key}
)
def _network(store: Store, flt: Filter, window: str, min_support: int, weight: str, top: int):
    from core.analytics.pairs.cooccurrence import build_graph, count_pairs, layout_graph

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
    if not available("core.analytics.pairs.cooccurrence:layout_graph"):
        st.info(
            "`core.analytics.pairs.cooccurrence` is not available in this version of Presslens yet."
        )
        return None
    return _network(store, flt, window, min_support, weight, top)


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
    restore_filter_after_page_switch(page)
    st.title(title)
    if caption:
        st.caption(caption)
    if st.session_state.pop("_callback_failed", False):
        st.error(f"{FAILED} Your last click could not be applied; the page is shown as before.")
    store = active_store()
    flt = current_filter()
    remember_filter(page)
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
        draw_sidebar(store, flt, call=call)
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
