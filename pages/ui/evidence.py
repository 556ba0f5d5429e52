"""Evidence lists (the highlighted sentences behind a count), a page at a time, the page in the
URL: a copied link opens the same page of the same list.

A list's page lives in a URL param (``epage``, 1-based, absent on the first page). A list is
named by a ``key`` (what it lists: the clicked cell, entity, pair); when the key changes within
a session (another bar clicked, another neighbour chosen), the list starts again at its first
page. A link opened in a fresh session has no earlier key, so its page is kept.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.analytics.query.search import query_terms
from pages.ui.format import evidence_html
from pages.ui.widgets import params, safe_callback, set_params

EVIDENCE_PAGE = 50
PAGE_PARAM = "epage"


def list_page(key: str, *, param: str = PAGE_PARAM) -> int:
    """The 0-based page of evidence list ``key`` read from URL param ``param`` (1-based).

    A ``key`` unlike the one seen last in this session restarts at the first page (and drops
    the param). An unreadable or non-positive value is the first page.
    """
    memo = f"_list_key_{param}"
    seen = st.session_state.get(memo)
    st.session_state[memo] = key
    if seen is not None and seen != key:
        if param in st.query_params:
            set_params(**{param: None})
        return 0
    try:
        page = int(str(params().get(param, "1")).strip())
    except ValueError:
        return 0
    return max(page - 1, 0)


def evidence_limit(key: str, *, param: str = PAGE_PARAM) -> int:
    """How many rows to fetch for evidence list ``key`` when the function has no offset: up to
    its current page, plus one (which tells :func:`show_evidence` a next page exists)."""
    return (list_page(key, param=param) + 1) * EVIDENCE_PAGE + 1


def evidence_page(key: str, *, param: str = PAGE_PARAM) -> tuple[int, int]:
    """``(limit, offset)`` to fetch the current page of evidence list ``key`` (one row more than
    a page, which tells :func:`show_evidence` a next page exists); pass ``offset`` to it too."""
    return EVIDENCE_PAGE + 1, list_page(key, param=param) * EVIDENCE_PAGE


@safe_callback
def _turn_page(param: str, page: int) -> None:
    set_params(**{param: page + 1 if page > 0 else None})


def show_evidence(
    rows: pd.DataFrame | None,
    *,
    empty: str = "No sentences.",
    key: str | None = None,
    param: str = PAGE_PARAM,
    total: int | None = None,
    offset: int | None = None,
    **cols,
) -> None:
    """Render keyword-in-context rows (escaped text, mention in ``<mark>``), a page at a time.

    With ``key``, rows come :data:`EVIDENCE_PAGE` at a time with Previous / Next buttons, the
    page in URL param ``param``; a new ``key`` starts at the first page. Fetch either
    ``limit=evidence_limit(key)`` (rows from the first one), or ``limit, offset =
    evidence_page(key)`` and pass ``offset`` (rows of this page only). ``total``, when known,
    is said in the pager. Without ``key`` every row is shown.
    """
    # The sidebar's search (in the link) is marked in every passage, as a search engine does.
    cols.setdefault("terms", query_terms(st.query_params.get("q")))
    if key is None:
        if rows is None or rows.empty:
            st.caption(empty)
        else:
            st.html(evidence_html(rows, **cols))
        return
    page = list_page(key, param=param)
    rows = rows if rows is not None else pd.DataFrame()
    if offset is None:
        last = max((len(rows) - 1) // EVIDENCE_PAGE, 0)
        if page > last:  # fewer rows than the link asked for (a narrower filter)
            page = last
            set_params(**{param: page + 1 if page else None})
        first = page * EVIDENCE_PAGE
        shown = rows.iloc[first : first + EVIDENCE_PAGE]
        has_next = len(rows) > first + EVIDENCE_PAGE
    else:
        first = offset
        shown = rows.iloc[:EVIDENCE_PAGE]
        has_next = len(rows) > EVIDENCE_PAGE
    if page or has_next:
        of = f" of {total:,}" if total is not None else ""
        cols_ = st.columns([1, 1, 4])
        cols_[0].button(
            "← Previous",
            key=f"_prev_{param}",
            disabled=page == 0,
            on_click=_turn_page,
            args=(param, page - 1),
        )
        cols_[1].button(
            "Next →",
            key=f"_next_{param}",
            disabled=not has_next,
            on_click=_turn_page,
            args=(param, page + 1),
        )
        where = f"{first + 1:,}–{first + len(shown):,}" if len(shown) else "none"
        cols_[2].caption(f"Showing {where}{of}")
    if shown.empty:
        st.caption(empty)
        return
    st.html(evidence_html(shown, start=first + 1, **cols))
