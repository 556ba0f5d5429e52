"""Articles: the filtered articles as a sortable, paged table, and a reader for one of them."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from core.analytics.timeline import last_day
from pages import _shared as ui
from pages import _views as views
from pages.ui import reader as reader

ART = "core.analytics.articles"
PAGE_SIZE = 50
SORTS = {
    "published": "date",
    "source": "source",
    "title": "title",
    "n_mentions": "mentions",
    "n_words": "length (words)",
}
# Resolution of a time expression → the Dates page period that holds it.
DATES_FREQ = {"day": "day", "week": "week", "month": "month"}

store, flt = ui.setup_page(
    "articles",
    "Articles",
    "The articles behind the current filter. Click a title to open the original, 'read' to see "
    'one with its mentions and dates marked. Search: words, "phrases", AND, OR, NOT.',
)


def _filter_params() -> dict[str, str]:
    return {k: v for k, v in ui.params().items() if k in ui.FILTER_PARAMS}


def _href(path: str, /, **params: object) -> str:
    """A relative link to page ``path`` of this app with ``params`` (None drops a param).

    Positional-only: the params may hold any name, this page's own ``page`` included."""
    clean = {k: str(v) for k, v in params.items() if v is not None and v != ""}
    return f"{path}?{urlencode(clean)}" if clean else path


def _reader_view(article_id: str) -> None:
    art = ui.call(f"{ART}:find_article", store, article_id)
    if art is None:
        return
    st.button("← All articles", on_click=ui.set_params, kwargs={"article": None})
    if art.empty:
        st.warning("This article is not in the store (the link may come from another store).")
        return
    row = art.iloc[0]
    st.subheader("(no title)" if pd.isna(row["title"]) else str(row["title"]))
    when = "no date" if pd.isna(row["published"]) else str(row["published"])[:10]
    meta = f"{ui.md(row['source'])} · {when} · {int(row['n_words']):,} words"
    if isinstance(row["url"], str):
        meta += f" · [open the original ↗]({row['url']})"
    st.markdown(meta)
    marks = ui.call(f"{ART}:list_article_marks", store, article_id)
    base = _filter_params()

    def mention_href(mark: dict) -> str:
        return _href("articles", **{**base, "entity": mark.get("entity")})

    def date_href(mark: dict) -> str | None:
        ref = mark.get("referenced")
        if ref is None or pd.isna(ref):  # unresolved (e.g. PAST_REF): nothing to link to
            return None
        resolution = str(mark.get("resolution"))
        freq = DATES_FREQ.get(resolution, "year")
        first = ui.as_date(ref)
        if first is not None and last_day(first, resolution).year != first.year:
            # Longer than a year (a decade) or across two (a winter): no year chart holds it,
            # so the link reads that span whole.
            return _href("dates", **{**base, "span": str(ref)[:10], "res": resolution})
        return _href("dates", **{**base, "ref": str(ref)[:10], "freq": freq})

    mentions = marks[marks["mark"] == "mention"]
    entities = mentions.groupby("entity", sort=False).size().sort_values(ascending=False)
    st.caption(
        f"{len(mentions):,} mention(s) of {len(entities):,} entities (yellow; a click lists the "
        f"articles mentioning it), {int((marks['mark'] == 'date').sum()):,} date(s) (blue; a "
        "click shows what else refers to that time)."
    )
    source_href = _href("articles", **{**base, "source": row["source"]})
    if len(entities):
        st.markdown(
            "**Filter by:** "
            + " · ".join(
                f"[{ui.md(e)}]({mention_href({'entity': e})}) ({n})" for e, n in entities.items()
            )
            + f" · source [{ui.md(row['source'])}]({source_href})"
        )
    st.html(reader.article_html(row["text"], marks, mention_href=mention_href, date_href=date_href))
    ui.download_buttons(marks, "article_marks")


def _list_view() -> None:
    total = ui.call(f"{ART}:count_listed_articles", store, flt)
    if total is None:
        return
    if total == 0:
        st.info("No articles match the filter.")
        return
    n_all, n_undated = views.count_undated(store, flt)
    # Sorting by a date none of them has would be a control that does nothing.
    sorts = [k for k in SORTS if k != "published"] if n_undated and n_undated == n_all else SORTS
    c = st.columns([2, 2, 3])
    with c[0]:
        sort = ui.param_select(
            "Sort by",
            "sort",
            list(sorts),
            default="published" if "published" in sorts else "source",
            format_func=SORTS.get,
            missing="is not offered: these articles have no publication date",
        )
    with c[1]:
        order = ui.param_select(
            "Order",
            "order",
            ["desc", "asc"],
            default="desc",
            format_func={"desc": "descending", "asc": "ascending"}.get,
            horizontal=True,
        )
    with c[2]:
        offset = views.page_offset(total, size=PAGE_SIZE, param="page")
    rows = ui.call(
        f"{ART}:list_articles",
        store,
        flt,
        sort=sort,
        descending=order == "desc",
        limit=PAGE_SIZE,
        offset=offset,
    )
    st.markdown(
        f"**{total:,}** article(s)"
        + (f", **{offset + 1:,}–{offset + len(rows):,}** shown" if total > len(rows) else "")
        + (f" for the search **{ui.md(flt.q)}**" if flt.q else "")
    )
    if n_undated == n_all:
        st.caption(
            f"None of these {n_all:,} articles has a publication date, so they cannot be "
            f"sorted by date. {views.INGEST_DATES}"
        )
    elif n_undated:
        st.caption(
            f"{n_undated:,} of {n_all:,} articles have no publication date: sorted by date, "
            "they come last."
        )
    base = ui.params()
    st.html(
        reader.articles_table_html(
            rows,
            read_href=lambda aid: _href("articles", **{**base, "article": aid}),
            dates=n_undated < n_all,
        )
    )
    ui.download_buttons(rows, "articles")


article = ui.params().get("article")
if article:
    _reader_view(article)
else:
    _list_view()
