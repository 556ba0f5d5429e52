"""Sections drawn only when open: tabs whose view lives in the URL, and an expander that opens
itself when something inside it is active.

Why: a browser pays for every chart and widget a page sends, hidden or not: mounting a second
plotly chart or eight multiselects delayed the first chart of ``/mentions`` by a third
(docs/benchmarks.md, "first view"). Streamlit's ``on_change`` tabs and expanders run only the
open section's code; these helpers bind that state to the shareable URL (tabs) or to the filter
(the expander), so a link still reproduces the view and an active filter is never out of sight.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from pages.ui.widgets import notice, params, safe_callback, set_params


def param_tabs(param: str, views: Mapping[str, str], *, default: str) -> tuple[str, dict]:
    """Tabs (``views``: URL value → label) whose selected one lives in URL param ``param``.

    Only the selected tab's code should run (``if tabs[name].open`` or just the returned view):
    switching tabs reruns the page with the new view in the URL, absent for ``default``. An
    unknown URL value falls back to ``default`` with a notice.

    Returns: (the selected view's URL value, {URL value: its tab container}).
    """
    raw = params().get(param)
    view = default
    if raw in views:
        view = raw
    elif raw not in (None, ""):
        notice(
            f"The link's **{param}** value is not one of the views "
            f"({', '.join(views)}); showing {views[default]}."
        )
    key = f"v_{param}"
    st.session_state[key] = views[view]
    tabs = st.tabs(
        list(views.values()),
        key=key,
        default=views[view],
        on_change=_on_tab_change,
        args=(key, param, dict(views), default),
    )
    return view, dict(zip(views, tabs, strict=True))


@safe_callback
def _on_tab_change(key: str, param: str, views: dict[str, str], default: str) -> None:
    label = st.session_state.get(key)
    view = next((v for v, shown in views.items() if shown == label), default)
    set_params(**{param: None if view == default else view})


def active_expander(where, label: str, *, key: str, active: tuple[str, ...]):
    """An expander whose content should be drawn only while open (``.open``).

    ``active`` says what inside it is in use (e.g. "Kinds person"). While something is, the
    expander is open, so a filter set by a click elsewhere shows up at once, unless the visitor
    closed it since (then what is in use is said under it). The label stays the same: it is
    part of the expander's identity.

    Returns: the expander container (``.open`` is True or False).
    """
    active = tuple(active)
    if active and st.session_state.get(f"_{key}_closed_for") != active:
        st.session_state[key] = True
    box = where.expander(label, key=key, on_change=_on_expander_change, args=(key, active))
    if active and not box.open:
        where.caption("In use: " + "; ".join(active))
    return box


@safe_callback
def _on_expander_change(key: str, active: tuple[str, ...]) -> None:
    # Remember a close while filters inside are in use, so the next run keeps it closed.
    st.session_state[f"_{key}_closed_for"] = None if st.session_state.get(key) else active
