"""The (article, entity) rows of the article window in memory, for filters no cube holds.

A text search, a language, a metadata field or "articles mentioning these countries" keep an
arbitrary set of articles: the entity counts, the number of articles and the pairs of the
Network page's article window are then read from the rows of those articles. In DuckDB each
such read is a semi-join of every row (11.5M on a million articles, ~0.15 s, three or four per
view); here the rows are kept once per store version as two int32 arrays sorted by article
(8 bytes a row: 92 MB per million articles, read only when such a filter is used), and the
filtered articles select theirs by one lookup per row.
"""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd

from core.analytics.query.engine import Engine, where

_LOCK = threading.Lock()


def read_window_rows(eng: Engine) -> tuple[np.ndarray, np.ndarray]:
    """Every row of ``we_article`` as (aid, eid) int32 arrays, sorted by aid (kept per engine).

    Returns: ``(aid, eid)``: one entry per (article, entity) present in the article.
    """
    rows = eng.memo.get("article_window_rows")
    if rows is None:
        with _LOCK:
            rows = eng.memo.get("article_window_rows")
            if rows is None:
                got = eng.cursor().execute("SELECT aid, eid FROM we_article").fetchnumpy()
                aid = np.asarray(got["aid"], dtype=np.int32)
                eid = np.asarray(got["eid"], dtype=np.int32)
                order = np.argsort(aid, kind="stable")
                rows = (aid[order], eid[order])
                eng.memo["article_window_rows"] = rows
    return rows


def filter_window_rows(
    eng: Engine, conds: list[str], params: list
) -> tuple[np.ndarray, np.ndarray]:
    """The rows of :func:`read_window_rows` in the articles that ``conds`` keep (the last
    filter's rows are kept, for the several reads of one view).

    Returns: ``(aid, eid)`` int32 arrays sorted by aid.
    """
    key = (tuple(conds), tuple(map(str, params)))
    last = eng.memo.get("article_window_rows_last")
    if last is not None and last[0] == key:
        return last[1]
    aid, eid = read_window_rows(eng)
    keep = eng.cursor().execute(f"SELECT aid FROM a {where(conds)}", params).fetchnumpy()["aid"]
    mask = np.zeros(int(aid[-1]) + 2 if len(aid) else 1, bool)
    keep = np.asarray(keep, dtype=np.int64)
    mask[keep[keep < len(mask)]] = True
    sel = mask[aid]
    rows = (aid[sel], eid[sel])
    eng.memo["article_window_rows_last"] = (key, rows)
    return rows


def distinct_sorted(aid: np.ndarray) -> np.ndarray:
    """The distinct values of a sorted array (no sort: one comparison per value)."""
    return aid[np.r_[True, aid[1:] != aid[:-1]]] if len(aid) else aid


def count_window_nodes(rows: tuple[np.ndarray, np.ndarray]) -> tuple[pd.DataFrame, int]:
    """Each entity's article count in ``rows``, and how many articles hold a row.

    Returns: ``(nodes, n_articles)``: one row per entity present: eid, n.
    """
    aid, eid = rows
    n = np.bincount(eid) if len(eid) else np.zeros(0, np.int64)
    ids = np.flatnonzero(n)
    nodes = pd.DataFrame({"eid": ids.astype(np.int32), "n": n[ids].astype(np.int64)})
    n_articles = int(np.count_nonzero(np.diff(aid))) + 1 if len(aid) else 0
    return nodes, n_articles


def article_lookup(
    eng: Engine, mask: tuple[int, np.ndarray] | None
) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray | None]:
    """Every row of :func:`read_window_rows`, and the filtered articles as a lookup by aid.

    ``mask``: the filtered articles as (first word, bitmap words), None for every article.

    Returns: ``(rows, keep)``: ``keep[aid]`` True for a kept article (None: every article).
    """
    rows = read_window_rows(eng)
    if mask is None:
        return rows, None
    first, words = mask
    bits = np.unpackbits(words.view(np.uint8), bitorder="little").astype(bool)
    n = max(int(rows[0][-1]) + 1 if len(rows[0]) else 1, 64 * first + len(bits))
    keep = np.zeros(n, bool)
    keep[64 * first : 64 * first + len(bits)] = bits
    return rows, keep
