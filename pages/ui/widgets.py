"""The pages' URL-backed widgets and output helpers (no caching here: see ``_shared``).

Every widget keeps its value in a readable URL query param, so a copied link reproduces the
view: the filter is read back from the URL, and the link to this view is built from it;
downloads offer exactly the table drawn. Pages use these as ``ui.*`` through
``pages._shared``, which re-exports them.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from core.analytics.query.filters import COUNTRY_MODES, Filter
from core.analytics.query.search import parse_query
from pages.ui.format import md, table_bytes

FILTER_PARAMS = ("from", "to", "source", "kind", "country", "entity", "q", "cmode", "lang", "meta")
LIST_PARAMS = ("source", "kind", "country", "entity", "lang", "meta")
KINDS = ("country", "place", "person", "org")
# What a URL may ask for: longer values or more of them are cut with a notice (a hostile link
# must not make every page run a 10,000-entity filter).
MAX_VALUE_CHARS = 300
MAX_LIST_VALUES = 50
MAX_QUERY_CHARS = 500
# Params no link should carry to another visitor (a private workspace's token).
PRIVATE_PARAMS = ("ws",)

log = logging.getLogger("presslens.dashboard")

# -- query params ---------------------------------------------------------------------------
#
# Lists are repeated params (``?source=BBC&source=Dawn%2C+Karachi``), so a value may hold any
# character, commas included. A one-value list whose value holds a comma gets an empty partner
# (``?source=Dawn%2C+Karachi&source=``) so it is not read as an old comma-joined link
# (``?source=BBC,CNN``), which still opens as two values.


def params() -> dict[str, str]:
    """The current URL query params (the last value of a repeated key)."""
    return st.query_params.to_dict()


def param_list(name: str) -> list[str]:
    """The values of list param ``name``: repeated params, or an old comma-joined value."""
    raw = st.query_params.get_all(name)
    values = [v for v in raw if v.strip()]
    if len(raw) == 1 and len(values) == 1:
        values = values[0].split(",")
    return list(dict.fromkeys(v.strip() for v in values if v.strip()))


def set_params(**values: object) -> None:
    """Set (or, for None / empty values, remove) URL query params; lists become repeated."""
    for name, value in values.items():
        if value is None or value == "" or (isinstance(value, list | tuple) and not value):
            if name in st.query_params:
                del st.query_params[name]
        else:
            st.query_params[name] = _param_value(value)


def _param_value(value: object) -> str | list[str]:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        items = [str(v) for v in value]
        return [*items, ""] if len(items) == 1 and "," in items[0] else items
    return str(value)


def query_items() -> list[tuple[str, str]]:
    """Every (name, value) of the URL, repeated params included, in URL order."""
    return [(k, v) for k in st.query_params for v in st.query_params.get_all(k)]


def notice(text: str) -> None:
    """Tell the visitor that part of the link was not used (``text`` is Markdown, escaped)."""
    st.warning(text, icon="⚠️")


def _bad_value(param: str, value: object, why: str, instead: str) -> None:
    notice(f"The link's **{md(param, limit=40)}** value “{md(value, limit=60)}” {why}; {instead}.")


def safe_callback(fn: Callable) -> Callable:
    """``fn`` as a widget / chart-click callback that never shows a traceback.

    Streamlit runs callbacks before the page script, outside :func:`pages._shared.run_page`;
    a failure is logged and the page says that the click could not be applied.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception:
            log.exception("callback %s failed (query: %s)", fn.__name__, params())
            st.session_state["_callback_failed"] = True
            return None

    return wrapper


@safe_callback
def on_widget_change(key: str, param: str) -> None:
    set_params(**{param: st.session_state.get(key)})


def _bound(key: str, param: str, value) -> dict:
    """A widget's keyword arguments binding it to URL param ``param``: its state starts at
    ``value`` (read from the URL) and a change writes the URL back."""
    st.session_state[key] = value
    return {"key": key, "on_change": on_widget_change, "args": (key, param)}


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
    missing: str = "is not one of the options",
):
    """A select box (or radio when ``horizontal``) whose value lives in URL param ``param``.

    A URL value that is not among ``options`` falls back to ``default`` with a notice that the
    value ``missing`` (say why: "is not in this graph").
    """
    where = where or st
    options = list(options)
    raw = params().get(param)
    value = default
    if raw is not None:
        match = [option for option in options if str(option) == raw]
        if match:
            value = match[0]
        elif raw != "":
            _bad_value(param, raw, missing, "showing the default")
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
    value = default
    raw = params().get(param)
    if raw is not None:
        # int() refuses over 4,300 digits with a ValueError too, so any string is safe here.
        try:
            value = int(raw.strip())
        except ValueError:
            _bad_value(param, raw, "is not a whole number", f"using {default}")
        else:
            if not min_value <= value <= max_value:
                clamped = max(min_value, min(max_value, value))
                _bad_value(param, raw, f"is outside {min_value}–{max_value}", f"using {clamped}")
                value = clamped
    return where.slider(
        label,
        min_value=min_value,
        max_value=max_value,
        help=help,
        **_bound(f"p_{param}", param, value),
    )


# -- the filter in the URL, the link to this view ------------------------------------------


def current_filter() -> Filter:
    """The filter of the URL's query params.

    A value the dashboard cannot use (an unreadable date, an unknown kind, a country that is not
    an alpha-3 code, a value past the length limits) is dropped with a notice saying so.
    """
    kwargs: dict[str, object] = {}
    for name, field in (("from", "date_from"), ("to", "date_to")):
        raw = params().get(name)
        if not raw:
            continue
        try:
            kwargs[field] = dt.date.fromisoformat(raw.strip())
        except ValueError:
            _bad_value(name, raw, "is not a date (YYYY-MM-DD)", "ignoring it")
    checks = {
        "source": ("sources", None),
        "entity": ("entities", None),
        "kind": ("kinds", lambda v: v in KINDS),
        "country": ("countries", lambda v: bool(_ALPHA3.fullmatch(v.upper()))),
        "lang": ("languages", None),
        "meta": ("meta", lambda v: "=" in v),
    }
    for name, (field, valid) in checks.items():
        values = param_list(name)
        kept = []
        for value in values:
            if len(value) > MAX_VALUE_CHARS:
                _bad_value(name, value, f"is over {MAX_VALUE_CHARS} characters", "ignoring it")
            elif valid is not None and not valid(value):
                why = {
                    "kind": "is not one of " + ", ".join(KINDS),
                    "meta": "is not key=value",
                }.get(name, "is not a three-letter country code")
                _bad_value(name, value, why, "ignoring it")
            else:
                kept.append(value)
        if len(kept) > MAX_LIST_VALUES:
            notice(
                f"The link asks for {len(kept):,} values of **{name}**; "
                f"only the first {MAX_LIST_VALUES} are used."
            )
            kept = kept[:MAX_LIST_VALUES]
        kwargs[field] = kept
    q = params().get("q")
    if q and len(q) > MAX_QUERY_CHARS:
        _bad_value("q", q, f"is over {MAX_QUERY_CHARS} characters", "searching its beginning")
        q = q[:MAX_QUERY_CHARS]
    if q and q.strip() and parse_query(q) is None:
        # Only operators, quotes or brackets: nothing to find, so nothing is filtered.
        _bad_value("q", q, "holds no word to find", "every article is kept")
        q = None
    kwargs["q"] = q
    mode = params().get("cmode")
    if mode in COUNTRY_MODES:
        kwargs["country_mode"] = mode
    elif mode:
        _bad_value("cmode", mode, "is not one of " + ", ".join(COUNTRY_MODES), "ignoring it")
    return Filter(**kwargs)


_ALPHA3 = re.compile(r"[A-Z]{3}")


def multiselect_param(
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
    """This view's shareable URL (absolute when the browser told us its address).

    Every value of repeated params is kept; a private workspace's token never is.
    """
    items = [(k, v) for k, v in query_items() if k not in PRIVATE_PARAMS]
    query = urlencode(items)
    base = st.context.url or ""
    return base + (f"?{query}" if query else "")


def filter_href(page: str, *, q: str | None = None) -> str:
    """A relative link to ``page`` under this view's sidebar filter (and workspace), its
    search AND-ed with ``q`` when given.

    Returns: ``page?from=…&q=…`` (a link within the app).
    """
    items = [(k, v) for k, v in query_items() if k in (*FILTER_PARAMS, *PRIVATE_PARAMS)]
    mine = [v for k, v in items if k == "q" and v.strip()]
    items = [(k, v) for k, v in items if k != "q"]
    if q and mine:
        items.append(("q", f"({mine[0]}) ({q})"))
    elif q or mine:
        items.append(("q", q or mine[0]))
    return f"{page}?{urlencode(items)}" if items else page


def display_path(path: Path) -> str:
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


DOWNLOAD_MAX_ROWS = 1_000_000  # above this a page offers the CLI's export instead


def download_rows_buttons(
    fetch: Callable[[], pd.DataFrame],
    name: str,
    *,
    rows: int,
    export: str,
    at_most: bool = False,
    where=None,
) -> None:
    """CSV, JSON and Parquet downloads of the ``rows`` rows ``fetch()`` returns, read only
    when a button is clicked (a page never holds a whole large table to offer it).

    Over :data:`DOWNLOAD_MAX_ROWS` rows, the page names the command that exports them
    (``export``) instead: a file of tens of millions of rows is built by the CLI, not in the
    memory of a shared server. ``at_most``: ``rows`` is an upper bound (said so).
    """
    where = where or st
    with where.popover(f"Download {name.replace('_', ' ')}"):
        st.caption(f"{'at most ' if at_most else ''}{rows:,} rows")
        if rows > DOWNLOAD_MAX_ROWS:
            st.caption(
                f"Over {DOWNLOAD_MAX_ROWS:,} rows: narrow the filter in the sidebar, or "
                f"export them all with `{export}`."
            )
            return
        for fmt in ("csv", "json", "parquet"):
            st.download_button(
                fmt.upper(),
                data=lambda fmt=fmt: table_bytes(fetch(), fmt),
                file_name=f"{name}.{fmt}",
                mime=_MIME[fmt],
                key=f"dl_{name}_{fmt}",
                on_click="ignore",
            )
