"""Article-window pair counts straight from the filtered (article, entity) rows.

The bitmaps of :mod:`core.analytics.article_pairs` cost one AND and popcount per pair of kept
entities and 64 articles of the filter's span, whatever the articles hold: on a million
articles, a few hundred entities cost ~10^9 word operations. Most pairs of entities never meet,
so counting the pairs each article holds costs far less: the (article, entity) rows of the kept
entities under the filter are read sorted by article, and each article's pairs are formed in
numpy, one offset at a time (row ``i`` with row ``i + k`` of the same article), then counted.
The work is the number of rows plus the number of pairs the articles hold.
"""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd

from core.analytics.engine import Engine, where

# Rows handled at a time (cut at article boundaries): keeps numpy's temporaries in cache.
CHUNK_ROWS = 1 << 17
# Above this many distinct pair keys (kept entities squared), keys are reduced by sorting
# rather than counted in one array.
MAX_BINS = 1 << 23
_COLUMNS = {"ea": "int32", "eb": "int32", "n_pair": "int64"}


def count_row_pairs(
    eng: Engine,
    conds: list[str],
    params: list,
    eids: np.ndarray,
    left: np.ndarray,
    min_support: int,
    *,
    touching: np.ndarray | None = None,
) -> pd.DataFrame:
    """Every pair of ``eids`` (one side a ``left`` one; one side a ``touching`` one, if given)
    held by ``min_support`` of the articles that ``conds`` keep, counted from their rows in
    ``we_article``. With ``touching``, only the articles holding one of those are read: the
    pairs of the other entities are known, and those left are rare (see article_pairs).

    Returns: one row per pair: ea < eb, n_pair (what ``article_pairs._count`` returns).
    """
    eids = np.asarray(eids, dtype=np.int64)
    if len(eids) < 2 or not left.any() or (touching is not None and not touching.any()):
        return _empty()
    cur = eng.cursor()
    names = (f"_rows_keep_{threading.get_ident()}", f"_rows_touch_{threading.get_ident()}")
    cur.register(names[0], pd.DataFrame({"eid": eids.astype(np.int32)}))
    sql = f"SELECT aid, eid FROM we_article SEMI JOIN {names[0]} USING (eid) {where(conds)}"
    if touching is not None:
        cur.register(names[1], pd.DataFrame({"eid": eids[touching].astype(np.int32)}))
        inner = f"SELECT aid FROM we_article SEMI JOIN {names[1]} USING (eid) {where(conds)}"
        sql = (
            f"SELECT aid, eid FROM we_article SEMI JOIN {names[0]} USING (eid)"
            f" {where([*conds, f'aid IN ({inner})'])}"
        )
        params = [*params, *params]
    try:
        rows = cur.execute(sql, params).fetchnumpy()
    finally:
        for name in names[: 1 if touching is None else 2]:
            cur.unregister(name)
    # Entity ids are small integers (row numbers of ``ent``): a lookup array maps them.
    lut = np.zeros(int(eids.max()) + 1, np.int64)
    lut[eids] = np.arange(len(eids))
    col = lut[np.asarray(rows["eid"], dtype=np.int64)]
    keys, counts = count_article_pair_keys(np.asarray(rows["aid"], dtype=np.int64), col, len(eids))
    a, b = keys // len(eids), keys % len(eids)
    ok = (counts >= max(int(min_support), 1)) & (left[a] | left[b])
    if touching is not None:
        ok &= touching[a] | touching[b]
    ea, eb = eids[a[ok]], eids[b[ok]]
    return pd.DataFrame(
        {"ea": np.minimum(ea, eb), "eb": np.maximum(ea, eb), "n_pair": counts[ok]}
    ).astype(_COLUMNS)


def count_article_pair_keys(
    aid: np.ndarray, col: np.ndarray, m: int
) -> tuple[np.ndarray, np.ndarray]:
    """Count the pairs of columns (entities ``0..m-1``) that rows of the same ``aid`` hold.

    ``(aid[i], col[i])`` are distinct rows, in any order.

    Returns: ``(keys, counts)``: each pair held by at least one article as ``i * m + j``
    (``i < j``), sorted, and how many articles hold it.
    """
    order = np.argsort(aid, kind="stable")
    aid, col = aid[order], col[order].astype(np.int64)
    binned = m * m <= MAX_BINS
    total = np.zeros(m * m if binned else 0, np.int64)
    found: list[pd.Series] = []
    buffer: list[np.ndarray] = []
    held = 0
    # Keys are counted a few chunks at a time: adding a (m * m) array per chunk would cost
    # more than the pairs themselves when the chunks are many.
    flush_at = max(m * m // 4, CHUNK_ROWS * 8)

    def flush() -> None:
        keys = np.concatenate(buffer)
        buffer.clear()
        if binned:
            total[:] += np.bincount(keys, minlength=m * m)
        else:
            found.append(pd.Series(keys).value_counts(sort=False))

    start = 0
    while start < len(aid):
        stop = min(start + CHUNK_ROWS, len(aid))
        if stop < len(aid):  # never cut an article in two
            stop = int(np.searchsorted(aid, aid[stop - 1], side="right"))
        keys = _chunk_keys(aid[start:stop], col[start:stop], m)
        if len(keys):
            buffer.append(keys)
            held += len(keys)
        if held >= flush_at:
            flush()
            held = 0
        start = stop
    if buffer:
        flush()
    if binned:
        keys = np.flatnonzero(total)
        return keys, total[keys]
    if not found:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    merged = pd.concat(found).groupby(level=0).sum().sort_index()
    return merged.index.to_numpy(np.int64), merged.to_numpy(np.int64)


def _chunk_keys(aid: np.ndarray, col: np.ndarray, m: int) -> np.ndarray:
    """Pair keys ``min * m + max`` of every two rows of one article (rows sorted by aid)."""
    n = len(aid)
    out = []
    idx = np.flatnonzero(aid[1:] == aid[:-1])
    k = 1
    while len(idx):
        a, b = col[idx], col[idx + k]
        out.append(np.minimum(a, b) * m + np.maximum(a, b))
        k += 1
        # Sorted rows: a row with no partner k rows on has none further on either.
        idx = idx[idx + k < n]
        idx = idx[aid[idx + k] == aid[idx]]
    return np.concatenate(out) if out else np.zeros(0, np.int64)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in _COLUMNS.items()})
