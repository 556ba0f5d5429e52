"""Page switches: the sidebar navigation drops the query string, so the filter (for every
page) and each page's own choices (for that page) are kept in the session and put back."""

from __future__ import annotations

import streamlit as st

from pages.ui.widgets import FILTER_PARAMS, PRIVATE_PARAMS


def restore_filter_after_page_switch(page: str) -> None:
    """Put the filter (and the workspace token) back into the URL after a sidebar page switch.

    Streamlit drops the query string when the visitor switches page in the sidebar; the last
    page's values are kept in the session (see :func:`remember_filter`).
    """
    state = st.session_state
    last = state.get("_last_page")
    saved = state.get("_filter_params") or {}
    if last is not None and last != page and saved:
        if not any(k in st.query_params for k in FILTER_PARAMS):
            for name, value in saved.items():
                if name in FILTER_PARAMS:
                    st.query_params[name] = value
        for name in PRIVATE_PARAMS:
            if name in saved and name not in st.query_params:
                st.query_params[name] = saved[name]
    # The page's own choices (a tab, a measure, the articles compared) as the visitor left it,
    # unless the link names some: a sidebar switch back must not reset the view.
    own = (state.get("_page_params") or {}).get(page)
    if last is not None and last != page and own and not _own_params():
        for name, value in own.items():
            st.query_params[name] = value
    state["_last_page"] = page


def _own_params() -> list[str]:
    """The URL's params that are a page's own (neither the filter nor the workspace)."""
    return [k for k in st.query_params if k not in (*FILTER_PARAMS, *PRIVATE_PARAMS)]


def remember_filter(page: str | None = None) -> None:
    """Keep this view's filter params (all values of repeated ones) for the next page switch,
    and ``page``'s own params for the next visit of that page."""
    st.session_state["_filter_params"] = {
        k: st.query_params.get_all(k)
        for k in (*FILTER_PARAMS, *PRIVATE_PARAMS)
        if k in st.query_params
    }
    if page is not None:
        own = {k: st.query_params.get_all(k) for k in _own_params()}
        st.session_state.setdefault("_page_params", {})[page] = own
