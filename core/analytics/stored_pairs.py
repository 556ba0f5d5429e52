"""Article-window pair counts kept per store version: the tops without an article filter.

``count_pairs(window="article", top=k)`` counts pairs among the most frequent entities of the
filter (:mod:`core.analytics.article_pairs`). Without an article filter, or with sources alone,
those are the store's most frequent entities, whose pairs are counted here once per store
version, per source (``gpair_article_src``) and in all (``gpair_article``), among the
``STORE_PAIR_ENTITIES`` entities in most articles: on a million articles the bitmaps of a few
hundred entities take seconds per query, these tables milliseconds, for the same rows.
"""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd

from core.analytics.engine import Engine

# Pair counts are kept among this many entities in most articles.
STORE_PAIR_ENTITIES = 1024


def count_stored_pairs(
    eng: Engine,
    eids: np.ndarray,
    left: np.ndarray,
    min_support: int,
    *,
    sids: tuple[int, ...] | None = None,
) -> pd.DataFrame | None:
    """Every pair of ``eids`` (one side a ``left`` one) held by ``min_support`` articles of the
    whole store (or of sources ``sids``), from the stored counts; None when some of ``eids``
    are not among the ``STORE_PAIR_ENTITIES``.

    Returns: one row per pair: ea < eb, n_pair (what ``article_pairs._count`` returns).
    """
    top = f"SELECT eid FROM gnode_article ORDER BY n DESC, eid LIMIT {int(STORE_PAIR_ENTITIES)}"
    members = eng.ensure("gpair_article_members", top)
    by_source = eng.ensure(
        "gpair_article_src",
        f"WITH w AS (SELECT aid, sid, eid FROM we_article SEMI JOIN {members} USING (eid))"
        " SELECT x.sid, x.eid AS ea, y.eid AS eb, count(*) AS n FROM w x"
        " JOIN w y ON x.aid = y.aid AND x.eid < y.eid GROUP BY ALL ORDER BY ea, eb",
    )
    table = eng.ensure(
        "gpair_article",
        f"SELECT ea, eb, sum(n)::BIGINT AS n FROM {by_source} GROUP BY ALL ORDER BY ea, eb",
    )
    cur = eng.cursor()
    keep = pd.DataFrame({"eid": eids.astype(np.int32), "is_left": left})
    name = f"_store_keep_{threading.get_ident()}"
    cur.register(name, keep)
    try:
        ((inside,),) = cur.execute(
            f"SELECT count(*) FROM {name} SEMI JOIN {members} USING (eid)"
        ).fetchall()
        if inside < len(keep):
            return None
        joins = f" JOIN {name} x ON x.eid = p.ea JOIN {name} y ON y.eid = p.eb"
        if sids is None:
            sql = (
                f"SELECT p.ea, p.eb, p.n AS n_pair FROM {table} p{joins}"
                " WHERE (x.is_left OR y.is_left) AND p.n >= ?"
            )
        else:
            sql = (
                f"SELECT p.ea, p.eb, sum(p.n)::BIGINT AS n_pair FROM {by_source} p{joins}"
                f" WHERE (x.is_left OR y.is_left) AND p.sid IN ({', '.join(map(str, sids))})"
                " GROUP BY p.ea, p.eb HAVING sum(p.n) >= ?"
            )
        return cur.execute(sql, [int(min_support)]).df()
    finally:
        cur.unregister(name)
