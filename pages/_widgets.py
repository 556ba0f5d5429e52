"""The pages' URL-backed widgets and output helpers (no caching here: see ``_shared``).

Every widget keeps its value in a readable URL query param, so a copied link reproduces the
view: the filter is read back from the URL, and the link to this view is built from it;
downloads offer exactly the table drawn. Pages use these as ``ui.*`` through
``pages._shared``, which re-exports them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from core.analytics.filters import Filter
from pages._format import evidence_html, table_bytes

FILTER_PARAMS = ("from", "to", "source", "kind", "country", "entity", "q")

# -- query params ---------------------------------------------------------------------------


def params() -> dict[str, str]:
    """The current URL query params (the last value of a repeated key)."""
    return st.query_params.to_dict()


def set_params(**values: object) -> None:
    """Set (or, for None / empty values, remove) URL query params."""
    for name, value in values.items():
        if value is None or value == "" or value == ():
            if name in st.query_params:
                del st.query_params[name]
        else:
            st.query_params[name] = _param_str(value)


def _param_str(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _on_widget_change(key: str, param: str) -> None:
    set_params(**{param: st.session_state.get(key)})


def _bound(key: str, param: str, value) -> dict:
    """A widget's keyword arguments binding it to URL param ``param``: its state starts at
    ``value`` (read from the URL) and a change writes the URL back."""
    st.session_state[key] = value
    return {"key": key, "on_change": _on_widget_change, "args": (key, param)}


def param_select(
    label: str,
    param: str,
    options: Sequence,
    *,
    default,
    format_func: Callable = str,
    where=None,
    horizontal: bool = False,
    help: str | None = None,
):
    """A select box (or radio when ``horizontal``) whose value lives in URL param ``param``."""
    where = where or st
    options = list(options)
    raw = params().get(param)
    value = default
    for option in options:
        if raw is not None and str(option) == raw:
            value = option
    widget = where.radio if horizontal else where.selectbox
    kwargs = {"horizontal": True} if horizontal else {}
    return widget(
        label,
        options,
        format_func=format_func,
        help=help,
        **_bound(f"p_{param}", param, value),
        **kwargs,
    )


def param_int(
    label: str,
    param: str,
    *,
    default: int,
    min_value: int,
    max_value: int,
    where=None,
    help: str | None = None,
) -> int:
    """An integer slider whose value lives in URL param ``param`` (clamped to its range)."""
    where = where or st
    try:
        value = int(params().get(param, default))
    except ValueError:
        value = default
    value = max(min_value, min(max_value, value))
    return where.slider(
        label,
        min_value=min_value,
        max_value=max_value,
        help=help,
        **_bound(f"p_{param}", param, value),
    )


# -- the filter in the URL, the link to this view ------------------------------------------


def _restore_filter_after_page_switch(page: str) -> None:
    state = st.session_state
    last = state.get("_last_page")
    saved = state.get("_filter_params") or {}
    current = params()
    if last is not None and last != page and saved and not any(k in current for k in FILTER_PARAMS):
        for name, value in saved.items():
            st.query_params[name] = value
    state["_last_page"] = page


def current_filter() -> Filter:
    """The filter of the URL's query params; an unreadable date is dropped with a warning."""
    raw = {k: v for k, v in params().items() if k in FILTER_PARAMS}
    for name in ("from", "to"):
        if name in raw:
            try:
                dt.date.fromisoformat(raw[name])
            except ValueError:
                st.warning(f"Ignoring `{name}={raw[name]}`: dates are YYYY-MM-DD.")
                raw.pop(name)
    return Filter.from_params(raw)


def _multiselect(
    side,
    label: str,
    param: str,
    options: Sequence[str],
    selected: Sequence[str],
    *,
    format_func: Callable = str,
    help: str | None = None,
) -> None:
    # Values from a copied URL that this store lacks stay visible (they select nothing).
    options = list(dict.fromkeys([*options, *selected]))
    side.multiselect(
        label,
        options,
        format_func=format_func,
        help=help,
        **_bound(f"f_{param}", param, list(selected)),
    )


def current_link() -> str:
    """This view's shareable URL (absolute when the browser told us its address)."""
    query = urlencode(params())
    base = st.context.url or ""
    return base + (f"?{query}" if query else "")


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return path.name


# -- output helpers ---------------------------------------------------------------------------


_MIME = {"csv": "text/csv", "json": "application/json", "parquet": "application/octet-stream"}


def download_buttons(df: pd.DataFrame, name: str, *, where=None) -> None:
    """CSV, JSON and Parquet downloads of exactly ``df`` (built only when clicked), in a popover."""
    where = where or st
    with where.popover(f"Download {name.replace('_', ' ')}"):
        st.caption(f"{len(df):,} rows")
        for fmt in ("csv", "json", "parquet"):
            st.download_button(
                fmt.upper(),
                data=lambda fmt=fmt: table_bytes(df, fmt),
                file_name=f"{name}.{fmt}",
                mime=_MIME[fmt],
                key=f"dl_{name}_{fmt}",
                on_click="ignore",
            )


def show_evidence(rows: pd.DataFrame | None, *, empty: str = "No sentences.", **cols) -> None:
    """Render keyword-in-context rows (escaped text, mention in ``<mark>``)."""
    if rows is None or rows.empty:
        st.caption(empty)
        return
    st.html(evidence_html(rows, **cols))
