"""Pieces several analysis pages draw the same way: the undated-corpus notice, the period
choice, evidence paging, a text area bound to a URL param."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from core.analytics.query.filters import Filter
from core.store import Store
from pages import _shared as ui
from pages.ui.evidence import list_page

ATT = "core.analytics.attention"
FREQS = ["day", "week", "month", "year"]
INGEST_DATES = (
    "Give dates at ingest and ingest again into a new store: a first line that is a date "
    "(`2022-08-16`) or a `Date:` header line in text files, a date column in CSV / JSON "
    "records (`python -m core ingest FILE --map published=COLUMN`), or a page's own "
    "publication date in HTML."
)


# A period should hold a few articles on average, or a time chart draws mostly noise (0% and
# 100% swings of a corpus with a few articles a month).
MIN_ARTICLES_PER_PERIOD = 5
_PERIOD_DAYS = {"day": 1, "week": 7, "month": 30.44, "year": 365.25}


def auto_freq(date_from: object, date_to: object, n_articles: int | None = None) -> str:
    """The period that gives a readable number of points over the span (day ≤ 2 months, week
    ≤ 2 years, else month), coarser while ``n_articles`` would leave fewer than
    :data:`MIN_ARTICLES_PER_PERIOD` articles a period on average (up to years)."""
    lo, hi = ui.as_date(date_from), ui.as_date(date_to)
    if lo is None or hi is None:
        return "month"
    span = (hi - lo).days
    freq = "day" if span <= 62 else "week" if span <= 730 else "month"
    if n_articles is None:
        return freq
    for coarser in FREQS[FREQS.index(freq) :]:
        freq = coarser
        periods = span / _PERIOD_DAYS[freq]
        if periods <= 1 or n_articles / periods >= MIN_ARTICLES_PER_PERIOD:
            break  # a few articles a period, or one period for the span already
    return freq


def period_choice(store: Store, flt: Filter, *, where=None, draw: bool = True) -> str:
    """The Period radio (URL param ``freq``), defaulting to :func:`auto_freq` of the filter;
    with ``draw=False`` no radio, only the period it would show."""
    summary = ui.call("core.analytics.frequencies:summarise_corpus", store, flt) or {}
    default = auto_freq(summary.get("date_from"), summary.get("date_to"), summary.get("n_articles"))
    if not draw:
        return ui.params().get("freq") if ui.params().get("freq") in FREQS else default
    return ui.param_select(
        "Period",
        "freq",
        FREQS,
        default=default,
        horizontal=True,
        where=where,
        help="Each point counts one day, week (from Monday), month or year.",
    )


def count_undated(store: Store, flt: Filter) -> tuple[int, int]:
    """``(n_articles, n_undated)`` of the filter's articles (dates bounds aside)."""
    counts = ui.call(f"{ATT}:count_undated", store, flt) or {}
    return int(counts.get("n_articles", 0)), int(counts.get("n_undated", 0))


def all_undated(store: Store, flt: Filter) -> bool:
    """True when the filter keeps articles and none has a publication date: no time axis or
    period choice can work, only the notice of :func:`undated_notice`."""
    n, undated = count_undated(store, flt)
    return n > 0 and undated == n


def undated_notice(
    store: Store, flt: Filter, *, drawn: str = "are not drawn here", what: str = ""
) -> bool:
    """Say how many articles have no date; True when none has one (no time chart possible).

    ``drawn`` ends the sentence for some undated ("… have no publication date and
    {drawn}"); ``what`` names the view that cannot work when all are ("The time chart …").
    """
    n, undated = count_undated(store, flt)
    if not undated:
        return False
    if undated == n:
        st.info(
            f"The {n:,} article(s) in this view have no publication date, so "
            f"{what or 'they'} cannot be placed in time: there is no period to choose. "
            f"{INGEST_DATES} The Dates page still shows which periods the articles talk about."
        )
        return True
    st.caption(f"{undated:,} of {n:,} articles have no publication date and {drawn}.")
    return False


def page_offset(
    total: int, *, size: int, param: str, label: str = "Page", key: str | None = None
) -> int:
    """A page picker (URL param ``param``) when ``total`` rows exceed ``size``; the offset.

    ``key`` names what is paged: when it changes within a session (another bar clicked), the
    list starts again at its first page (pages/ui/evidence.py).
    """
    if key is not None:
        list_page(key, param=param)  # drops the param when the list changed
    pages = max(1, -(-int(total) // size))
    if pages == 1:
        return 0
    page = ui.param_int(
        label,
        param,
        default=1,
        min_value=1,
        max_value=pages,
        help=f"{size} rows a page, {pages:,} pages.",
    )
    return (page - 1) * size


def text_param(label: str, param: str, *, height: int = 110, help: str | None = None) -> str:
    """A text area whose value lives in URL param ``param`` (set on change)."""
    key = f"t_{param}"
    st.session_state[key] = ui.params().get(param, "")
    st.text_area(
        label,
        key=key,
        height=height,
        help=help,
        on_change=lambda: ui.set_params(**{param: st.session_state.get(key, "").strip()}),
    )
    return st.session_state.get(key, "")


def parse_day(value: str | None) -> dt.date | None:
    """An ISO day from a URL param, or None when missing or unreadable."""
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


RATIOS = ("share_articles", "per_1000_words")


def gaps_without_articles(series: pd.DataFrame, measure: str) -> pd.DataFrame:
    """``series`` to draw: a ratio ``measure`` of a period without articles is missing (a gap
    in the line), not the 0 the table holds: a share of no articles is no share at all."""
    if measure not in RATIOS:
        return series
    empty = series["corpus_articles"].fillna(0) == 0
    return series.assign(**{measure: series[measure].astype("float64").mask(empty)})


def empty_periods_said(measure: str) -> str:
    """How the chart of ``measure`` draws a period without articles, for its caption."""
    if measure in RATIOS:
        return "a period without articles is a gap (its share or rate is not 0, there is none)"
    return "a period without articles counts 0"
