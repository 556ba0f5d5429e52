"""The stored tables as the Data page shows them: counted, previewed and read under a filter,
without ever loading a whole table to show a few rows of it.

A store of a million articles holds ~20 M sentences and mentions: the page counts rows in
SQL, fetches only the rows it shows, and reads a whole (filtered) table only when someone asks
to download it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pandas as pd

from core.analytics.articles import list_article_ids
from core.analytics.query.filters import Filter
from core.analytics.query.frames import typed
from core.schema import DATE, TABLES, conform
from core.store import Store

__all__ = [
    "count_table_rows",
    "count_articles_stored",
    "read_article_index",
    "read_story_index",
    "read_story_members",
    "read_table_rows",
    "summarise_stories",
]

INDEX_COLUMNS = ("article_id", "source", "published", "title", "origin", "n_words")
_INDEX_ORDER = ("published", "source", "article_id")


def _check(name: str) -> None:
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; valid tables: {', '.join(TABLES)}")


def _filtered_sql(name: str, flt: Filter | None) -> tuple[str, list]:
    """``FROM … WHERE …`` of table ``name``'s rows whose article passes ``flt``, with params."""
    _check(name)
    where_sql, params = (flt or Filter()).where_articles("articles")
    if where_sql == "TRUE":
        return f"FROM {name} t", []
    subquery = f"SELECT article_id FROM articles WHERE {where_sql}"
    return f"FROM {name} t WHERE t.article_id IN ({subquery})", params


def count_table_rows(store: Store, name: str, flt: Filter | None = None) -> int:
    """Return the number of rows of table ``name`` whose article passes ``flt``."""
    from_sql, params = _filtered_sql(name, flt)
    return int(store.query(f"SELECT count(*) AS n {from_sql}", params)["n"].iloc[0])


def read_table_rows(
    store: Store, name: str, flt: Filter | None = None, *, limit: int | None = None
) -> pd.DataFrame:
    """Return the rows of table ``name`` whose article passes ``flt`` (the first ``limit`` rows
    in stored order when ``limit`` is given), with the table's columns and dtypes.

    Returns: one row per row of ``name`` (its spec says what one row is).
    """
    from_sql, params = _filtered_sql(name, flt)
    columns = ", ".join(f"t.{c}" for c in TABLES[name].names)
    sql = f"SELECT {columns} {from_sql}"
    if limit is not None:
        sql += f" LIMIT {max(0, int(limit))}"
    return conform(store.query(sql, params), name)


def count_articles_stored(store: Store) -> int:
    """Return the number of stored articles."""
    return int(store.query("SELECT count(*) AS n FROM articles")["n"].iloc[0])


def read_article_index(
    store: Store, *, last: int | None = None, ids: Sequence[str] | None = None
) -> pd.DataFrame:
    """Return the index of the stored articles (no texts), ordered by date, source and id
    (undated last); with ``last``, only the last ``last`` of them in that order; with ``ids``,
    only those articles.

    Returns: one row per article: article_id, source, published, title, origin, n_words.
    """
    columns = ", ".join(INDEX_COLUMNS)
    ascending = ", ".join(_INDEX_ORDER)
    where, params = "", []
    if ids is not None:
        # One list parameter, not a placeholder per id: a story may name 100,000 articles.
        where = " WHERE article_id IN (SELECT unnest(?::VARCHAR[]))"
        params = [[str(i) for i in ids]]
    if last is None:
        sql = f"SELECT {columns} FROM articles{where} ORDER BY {ascending}"
    else:
        descending = ", ".join(f"{c} DESC NULLS FIRST" for c in _INDEX_ORDER)
        sql = (
            f"SELECT * FROM (SELECT {columns} FROM articles{where} ORDER BY {descending}"
            f" LIMIT {max(0, int(last))}) ORDER BY {ascending}"
        )
    return store.query(sql, params).reset_index(drop=True)


def read_story_index(store: Store) -> pd.DataFrame:
    """Return the index of the articles whose story (the store's story groups, see
    :func:`core.analytics.reuse.stories.group_store_stories`) is told by more than one article.

    The Sources page lists those stories; reading the index of only their articles keeps a
    million single-article stories out of memory.

    Returns: one row per such article: story_id, then the columns of :func:`read_article_index`,
    in the index's order.
    """
    from core.analytics.reuse.stories import group_store_stories

    stories = group_store_stories(store)
    shared = stories[stories.groupby("story_id")["article_id"].transform("size") > 1]
    index = read_article_index(store, ids=list(shared["article_id"]))
    joined = index.merge(shared[["article_id", "story_id"]], on="article_id", how="inner")
    return joined[["story_id", *INDEX_COLUMNS]].reset_index(drop=True)


def read_story_members(store: Store, story_id: str) -> pd.DataFrame:
    """Return the index of the articles of story ``story_id`` (the store's story groups).

    Returns: one row per article of that story, as :func:`read_article_index` (none when no
    story has that id).
    """
    from core.analytics.reuse.stories import group_store_stories

    stories = group_store_stories(store)
    members = stories.loc[stories["story_id"] == story_id, "article_id"]
    return read_article_index(store, ids=list(members))


STORY_COLUMNS = {
    "story_id": "string",
    "n_articles": "Int64",
    "n_sources": "Int64",
    "sources": "string",
    "first": DATE,
    "title": "string",
}


def summarise_stories(
    store: Store, *, sources: Sequence[str] | None = None, flt: Filter | None = None
) -> pd.DataFrame:
    """Return the stories told by more than one article (of ``sources`` when given, and of
    the articles passing ``flt`` when given), the stories told by most sources first, then by
    most articles, then the latest.

    Returns: one row per story: story_id, n_articles, n_sources, sources (their names, sorted,
    comma-separated), first (the earliest publication date), title (of its earliest article).
    """
    told = read_story_index(store)
    if sources is not None:
        told = told[told["source"].isin([str(s) for s in sources])]
    if flt is not None and flt != Filter():
        kept = list_article_ids(store, flt, ids=list(told["article_id"]))["article_id"]
        told = told[told["article_id"].isin(kept)]
    told = told[told.groupby("story_id")["article_id"].transform("size") > 1]
    table = (
        told.groupby("story_id")
        .agg(
            n_articles=("article_id", "size"),
            n_sources=("source", "nunique"),
            first=("published", "min"),
            title=("title", "first"),
        )
        .reset_index()
    )
    # Each story's source names, sorted and joined in one pass (pandas' per-group Python path
    # took ~150 ms for 1,200 stories).
    names = told[["story_id", "source"]].drop_duplicates().sort_values(["story_id", "source"])
    joined = {
        sid: ", ".join(src for _, src in pairs)
        for sid, pairs in itertools.groupby(
            zip(names["story_id"], names["source"], strict=True), key=lambda pair: pair[0]
        )
    }
    table["sources"] = table["story_id"].map(joined)
    table = table.sort_values(["n_sources", "n_articles", "first"], ascending=[False, False, False])
    return typed(table, STORY_COLUMNS)
