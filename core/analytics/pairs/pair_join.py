"""Article-window pair counts as a DuckDB self-join of the filtered (article, entity) rows.

Used by :mod:`core.analytics.pairs.article_pairs` for every pair (no ``top``) of many entities,
where it is refused beyond a number of pair rows, since an article window over many long
articles explodes (d^2 pairs each).
"""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd

from core.analytics.query.engine import Engine, where

PAIRS = {"ea": "int32", "eb": "int32", "n_pair": "int64"}


def count_join_rows(
    eng: Engine, conds: list[str], params: list, eids: np.ndarray, left: np.ndarray
) -> int:
    """How many pair rows :func:`count_join_pairs` would join for ``eids`` under ``conds``."""
    cur = eng.cursor()
    keep = pd.DataFrame({"eid": eids.astype(np.int32), "is_left": left})
    name = f"_size_{threading.get_ident()}"
    cur.register(name, keep)
    try:
        ((size,),) = cur.execute(
            "SELECT coalesce(sum(nl * d - nl * (nl + 1) / 2), 0) FROM (SELECT count(*) AS d,"
            " count(*) FILTER (WHERE is_left) AS nl FROM (SELECT w.aid, k.is_left FROM"
            f" we_article w JOIN {name} k USING (eid) {where(conds)}) GROUP BY aid)",
            params,
        ).fetchall()
    finally:
        cur.unregister(name)
    return int(size)


def count_join_pairs(
    eng: Engine,
    conds: list[str],
    params: list,
    eids: np.ndarray,
    left: np.ndarray,
    min_support: int,
    *,
    limit: int,
) -> pd.DataFrame:
    """Every pair of ``eids`` (one side a ``left`` one) held by ``min_support`` of the articles
    that ``conds`` keep, as a self-join in DuckDB; refused beyond ``limit`` pair rows.

    Returns: one row per pair: ea < eb, n_pair.

    Raises: ValueError when the articles hold more than ``limit`` pairs of ``eids``.
    """
    cur = eng.cursor()
    keep = pd.DataFrame({"eid": eids.astype(np.int32), "is_left": left})
    name = f"_keep_{threading.get_ident()}"
    cur.register(name, keep)
    try:
        rows = (
            f"(SELECT w.aid, w.eid, k.is_left FROM we_article w JOIN {name} k USING (eid)"
            f" {where(conds)})"
        )
        ((size,),) = cur.execute(
            "SELECT coalesce(sum(nl * d - nl * (nl + 1) / 2), 0) FROM (SELECT count(*) AS d,"
            f" count(*) FILTER (WHERE is_left) AS nl FROM {rows} GROUP BY aid)",
            params,
        ).fetchall()
        if size > limit:
            raise ValueError(
                f"an article window here holds {int(size):,} entity pairs (limit"
                f" {limit:,}); ask for the top pairs, narrow the dates or sources,"
                " or use the sentence window"
            )
        sql = (
            f"SELECT least(x.eid, y.eid) AS ea, greatest(x.eid, y.eid) AS eb, count(*) AS n_pair"
            f" FROM {rows} x JOIN {rows} y ON x.aid = y.aid AND x.eid <> y.eid"
            " AND x.is_left AND (x.eid < y.eid OR NOT y.is_left)"
            " GROUP BY ALL HAVING count(*) >= ?"
        )
        return cur.execute(sql, [*params, *params, min_support]).df().astype(PAIRS)
    finally:
        cur.unregister(name)
