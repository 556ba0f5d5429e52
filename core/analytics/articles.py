"""The articles behind a view: a sortable, paged list, and one article with what was found in it.

Filter semantics as everywhere (see ``filters``): the article-level fields choose the articles;
under a mention-level field only articles holding such a mention are listed, and their
``n_mentions`` counts those mentions only. ``url`` is given only when it is an http(s) address:
anything else (``javascript:``, ``file:``, a bare path) is never offered as a link.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlparse

import pandas as pd

from core.analytics.query.engine import DATE, engine_for, typed, where
from core.analytics.query.filters import Filter
from core.analytics.timeline import resolve_timex
from core.store import Store

# Sort keys over the listed columns (the same names in the page query and the final one).
SORTS = {
    "published": "published",
    "source": "source",
    "title": "lower(title)",
    "n_mentions": "n_mentions",
    "n_words": "n_words",
}
TOP_ENTITIES = 3
_LIST = {
    "article_id": "string",
    "published": DATE,
    "source": "string",
    "title": "string",
    "url": "string",
    "n_words": "Int64",
    "n_mentions": "Int64",
    "top_entities": "string",
}
_ARTICLE = {
    "article_id": "string",
    "published": DATE,
    "source": "string",
    "title": "string",
    "url": "string",
    "n_words": "Int64",
    "text": "string",
}
_MARKS = {
    "start_char": "Int64",
    "end_char": "Int64",
    "mark": "string",
    "text": "string",
    "entity": "string",
    "kind": "string",
    "country_code": "string",
    "value": "string",
    "referenced": DATE,
    "resolution": "string",
}


def safe_url(url: object) -> str | None:
    """``url`` when it is an absolute http(s) address with a host, else None."""
    if url is None or (not isinstance(url, str)) or not url.strip():
        return None
    url = url.strip()
    try:
        parts = urlparse(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _selection(eng, flt: Filter) -> tuple[str, list, list[str], list]:
    """SQL of the selected ``aid`` and the mention conditions (for counting)."""
    conds, params = eng.article_conds(flt)
    m_conds, m_params = eng.mention_conds(flt)
    if flt.has_mention_filter:
        conds = [*conds, f"aid IN (SELECT aid FROM m {where(m_conds)})"]
        params = [*params, *m_params]
    return f"SELECT aid FROM a {where(conds)}", params, m_conds, m_params


def count_listed_articles(store: Store, flt: Filter | None = None) -> int:
    """How many articles :func:`list_articles` lists without a limit.

    Returns: the number of articles passing ``flt``.
    """
    eng = engine_for(store)
    sel, params, _, _ = _selection(eng, flt or Filter())
    row = eng.cursor().execute(f"SELECT count(*) FROM ({sel})", params).fetchone()
    return int(row[0]) if row else 0


def list_article_ids(
    store: Store,
    flt: Filter | None = None,
    *,
    last: int | None = None,
    ids: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The ids of the articles passing ``flt`` (as :func:`list_articles` selects them), newest
    first (undated last, then by id); with ``last``, only the first ``last`` of them; with
    ``ids``, only those of ``ids`` that pass.

    The Sources page offers these in its article pickers without reading a whole index.

    Returns: one row per article passing ``flt``: article_id.
    """
    eng = engine_for(store)
    sel, params, _, _ = _selection(eng, flt or Filter())
    conds = []
    if ids is not None:
        # One list parameter, not a placeholder per id: a story may name 100,000 articles.
        conds.append("a.article_id IN (SELECT unnest(?::VARCHAR[]))")
        params = [*params, [str(i) for i in ids]]
    page = f" LIMIT {max(int(last), 0)}" if last is not None else ""
    sql = (
        f"WITH sel AS ({sel}) SELECT a.article_id FROM a SEMI JOIN sel ON a.aid = sel.aid"
        f" {where(conds)} ORDER BY a.day DESC NULLS LAST, a.article_id{page}"
    )
    return typed(eng.df(sql, params), {"article_id": "string"})


def list_articles(
    store: Store,
    flt: Filter | None = None,
    *,
    sort: str = "published",
    descending: bool = True,
    limit: int | None = 50,
    offset: int = 0,
) -> pd.DataFrame:
    """List the articles passing ``flt``, sorted by ``sort`` (a key of :data:`SORTS`), a page.

    Ties (and articles without a value, always last) are ordered by publication date then id.

    Returns: one row per article: article_id, published, source, title, url (http/https only,
    else null), n_words, n_mentions (mentions passing the filter), top_entities (its
    :data:`TOP_ENTITIES` most mentioned entities with counts, "Russia (4) · Ukraine (2)").
    """
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; valid: {', '.join(SORTS)}")
    flt = flt or Filter()
    eng = engine_for(store)
    sel, params, m_conds, m_params = _selection(eng, flt)
    direction = "DESC" if descending else "ASC"
    order = f"{SORTS[sort]} {direction} NULLS LAST, published DESC NULLS LAST, article_id"
    page = f"LIMIT {max(int(limit), 0)}" if limit is not None else ""
    page += f" OFFSET {max(int(offset), 0)}" if offset else ""
    cols = "a.aid, a.article_id, a.day AS published, a.source, a.title, a.n_words"

    def counts(scope: str) -> str:  # mentions per article of ``scope`` passing the filter
        if not m_conds:  # every mention: counted once per store version
            return f"SELECT aid, n AS n_mentions FROM {_mention_counts(eng)}"
        return (
            "SELECT aid, count(*) AS n_mentions FROM m"
            f" {where([f'aid IN (SELECT aid FROM {scope})', *m_conds])} GROUP BY aid"
        )

    if sort == "n_mentions":
        ctes = (
            f"cnt AS ({counts('sel')}),"
            f" pg AS (SELECT {cols}, coalesce(cnt.n_mentions, 0) AS n_mentions FROM a"
            " SEMI JOIN sel ON a.aid = sel.aid LEFT JOIN cnt ON cnt.aid = a.aid"
            f" ORDER BY {order} {page}),"
        )
    else:  # the page first, then the mentions of its rows only
        ctes = (
            f"pg0 AS (SELECT {cols} FROM a SEMI JOIN sel ON a.aid = sel.aid"
            f" ORDER BY {order} {page}),"
            f" cnt AS ({counts('pg0')}),"
            " pg AS (SELECT pg0.*, coalesce(cnt.n_mentions, 0) AS n_mentions FROM pg0"
            " LEFT JOIN cnt ON cnt.aid = pg0.aid),"
        )
    sql = (
        f"WITH sel AS ({sel}), {ctes}"
        " tops AS (SELECT aid, string_agg(entity || ' (' || n || ')', ' · ' ORDER BY n DESC,"
        " entity) AS top_entities FROM (SELECT m.aid, ent.entity, count(*) AS n,"
        " row_number() OVER (PARTITION BY m.aid ORDER BY count(*) DESC, ent.entity) AS r"
        " FROM m JOIN ent ON ent.eid = m.eid WHERE m.aid IN (SELECT aid FROM pg)"
        f" GROUP BY m.aid, ent.entity) WHERE r <= {TOP_ENTITIES} GROUP BY aid),"
        f" urls AS (SELECT aid, url FROM {_urls(eng)} WHERE aid IN (SELECT aid FROM pg))"
        " SELECT pg.*, tops.top_entities, urls.url FROM pg LEFT JOIN tops ON tops.aid = pg.aid"
        " LEFT JOIN urls ON urls.aid = pg.aid"
        f" ORDER BY {order}"
    )
    df = eng.df(sql, params + m_params)
    df["url"] = [safe_url(u) for u in df["url"]]
    return typed(df, _LIST)


def _mention_counts(eng) -> str:
    """The table ``(aid, n)`` of every article's counted mentions (built once per version)."""
    return eng.ensure("a_nm", "SELECT aid, count(*) AS n FROM m GROUP BY aid ORDER BY aid")


def _urls(eng) -> str:
    """The table ``(aid, url)`` of the articles' addresses (built once per store version)."""
    return eng.ensure(
        "a_url",
        "SELECT a.aid, t.url FROM pq_articles t JOIN a USING (article_id) ORDER BY a.aid",
        rules=False,
    )


def find_article(store: Store, article_id: str) -> pd.DataFrame:
    """One article with its text.

    Returns: one row (none when ``article_id`` is not stored): article_id, published, source,
    title, url (http/https only), n_words, text.
    """
    eng = engine_for(store)
    df = eng.df(
        "SELECT article_id, published, source, title, url, n_words, text FROM pq_articles"
        " WHERE article_id = ?",
        [str(article_id)],
    )
    df["url"] = [safe_url(u) for u in df["url"]]
    return typed(df.head(1), _ARTICLE)


def list_article_marks(store: Store, article_id: str) -> pd.DataFrame:
    """Everything found in one article: its mentions and its time expressions.

    Returns: one row per span, by start: start_char, end_char, mark (``mention`` or
    ``date``), text (as written); for mentions entity, kind, country_code; for dates value
    (TIMEX3), referenced (first day it names, when it resolves) and resolution.
    """
    eng = engine_for(store)
    mentions = eng.df(
        "SELECT start_char, end_char, 'mention' AS mark, text, entity, kind, country_code"
        " FROM pq_mentions WHERE article_id = ?",
        [str(article_id)],
    )
    dates = eng.df(
        "SELECT start_char, end_char, 'date' AS mark, text, value FROM pq_dates"
        " WHERE article_id = ? AND type IN ('DATE', 'TIME')",
        [str(article_id)],
    )
    resolved = [resolve_timex(v) for v in dates["value"]]
    dates["referenced"] = [r[0] if r else None for r in resolved]
    dates["resolution"] = [r[1] if r else None for r in resolved]
    parts = [typed(df, _MARKS) for df in (mentions, dates)]
    out = pd.concat(parts, ignore_index=True) if any(len(p) for p in parts) else parts[0]
    out = out.sort_values(["start_char", "end_char", "mark"], kind="stable")
    return typed(out, _MARKS)
