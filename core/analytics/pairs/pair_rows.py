"""Article-window pair counts straight from the filtered (article, entity) rows.

The bitmaps of :mod:`core.analytics.pairs.article_pairs` cost one AND and popcount per pair of kept
entities and 64 articles of the filter's span, whatever the articles hold: on a million
articles, a few hundred entities cost ~10^9 word operations. Most pairs of entities never meet,
so counting the pairs each article holds costs far less: the (article, entity) rows of the kept
entities under the filter are read, sorted by article, and the pairs of all the articles that
hold the same number of rows are formed at once in numpy, then counted.
The work is the number of rows plus the number of pairs the articles hold.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
import pandas as pd

from core.analytics.pairs.article_rows import WindowIndex, entity_articles, gather_rows
from core.analytics.pairs.floor_pairs import count_floor_pairs
from core.analytics.query.engine import Engine, where

# Pairs formed at a time: keeps numpy's temporaries in cache.
BATCH_PAIRS = 1 << 20
# Above this many distinct pair keys (kept entities squared), or this many times the pairs
# formed, keys are reduced by sorting rather than counted in one array.
MAX_BINS = 1 << 23
BIN_SHARE = 8
# A pair formed from a hub row costs about twice one formed in an article's block (measured:
# 18-41 against 9-21 ns per pair with 1,000-2,800 entities binned).
HUB_COST = 2
# The index finds the articles of a set of entities (its rows of those entities, then theirs)
# faster than one pass over rows in memory while those entities' rows are under 1 / INDEX_SHARE
# of them.
INDEX_SHARE = 4
_COLUMNS = {"ea": "int32", "eb": "int32", "n_pair": "int64"}


def count_row_pairs(
    eng: Engine,
    conds: list[str],
    params: list,
    eids: np.ndarray,
    left: np.ndarray,
    min_support: int,
    *,
    touching: np.ndarray | Sequence[np.ndarray] | None = None,
    rows: tuple[np.ndarray, np.ndarray] | None = None,
    index: WindowIndex | None = None,
    articles: np.ndarray | None = None,
    weight: np.ndarray | None = None,
) -> pd.DataFrame:
    """Every pair of ``eids`` (one side a ``left`` one; one side in each ``touching`` mask, if
    given) held by ``min_support`` of the articles that ``conds`` keep, counted from their rows
    in ``we_article``. With ``touching``, only the articles holding one of each are read: the
    pairs of the other entities are known, and those left are rare (see article_pairs).

    ``rows``: the (aid, eid) rows of those articles, sorted by aid, when already in memory
    (:mod:`core.analytics.pairs.article_rows`): then no SQL is run, and ``articles`` (a lookup
    by aid; None: all) stands for ``conds``. ``index``: every row, in memory: the rows of the
    ``articles`` holding a ``touching`` and a ``left`` entity are gathered from it (unless
    ``rows``, then those of the ``articles``, are given and one pass over them costs less),
    and ``conds`` is not read. ``weight`` (int64 per article id, with ``rows`` or ``index``):
    the articles each of the ``articles`` stands for (one per distinct entity set,
    :mod:`core.analytics.pairs.article_sets`); None: one each.

    Returns: one row per pair: ea < eb, n_pair (what ``article_pairs._count`` returns).
    """
    eids = np.asarray(eids, dtype=np.int64)
    if weight is not None and rows is None and index is None:
        raise ValueError("weighted articles are counted from rows in memory, not SQL")
    touch = [] if touching is None else [touching] if isinstance(touching, np.ndarray) else touching
    if len(eids) < 2 or not all(m.any() for m in (left, *touch)):
        return _empty()
    needs = [m for m in (left, *touch) if not m.all()]
    if index is not None and needs:
        # The articles of the rarest need's entities, from the entities' side of the index;
        # the other needs are checked on their rows.
        held = np.diff(index.entity_starts)
        cost = [int(held[eids[need]].sum()) for need in needs]
        rarest = int(np.argmin(cost))
        # A high ``min_support`` (a later pruning round's) reads a few articles per entity.
        keep = None if articles is None else articles[: index.n_aids]
        found = count_floor_pairs(
            index, eids, needs[rarest], floor=min_support, keep=keep, weight=weight
        )
        if found is not None:
            return _column_pairs(eids, *found, [left, *touch], min_support)
        if rows is None or INDEX_SHARE * cost[rarest] < len(rows[0]):
            keep = np.ones(index.n_aids, bool) if keep is None else keep
            keep = keep & entity_articles(index, eids[needs[rarest]])
            others = needs[:rarest] + needs[rarest + 1 :]
            aid, col = _select_rows(gather_rows(index, keep), eids, others, None)
            return _keys_to_pairs(aid, col, eids, [left, *touch], min_support, weight)
    if index is not None and rows is None:
        keep = np.ones(index.n_aids, bool) if articles is None else articles
        aid, col = _select_rows(gather_rows(index, keep), eids, [], None)
        return _keys_to_pairs(aid, col, eids, [left, *touch], min_support, weight)
    if rows is not None:
        # Given with an index, ``rows`` are those of the ``articles`` already.
        aid, col = _select_rows(rows, eids, needs, None if index is not None else articles)
        return _keys_to_pairs(aid, col, eids, [left, *touch], min_support, weight)
    cur = eng.cursor()
    ident = threading.get_ident()
    frames = {f"_rows_keep_{ident}": eids}
    # A counted pair has a side in ``left`` and one in each ``touching``: only the articles
    # holding one of each are read (an ego network reads the articles of its entities alone).
    for i, need in enumerate(needs):
        frames[f"_rows_need{i}_{ident}"] = eids[need]
    names = list(frames)
    outer = list(conds)
    for name in names[1:]:
        outer.append(
            f"aid IN (SELECT aid FROM we_article SEMI JOIN {name} USING (eid) {where(conds)})"
        )
    sql = f"SELECT aid, eid FROM we_article SEMI JOIN {names[0]} USING (eid) {where(outer)}"
    for name, ids in frames.items():
        cur.register(name, pd.DataFrame({"eid": ids.astype(np.int32)}))
    try:
        rows = cur.execute(sql, list(params) * len(names)).fetchnumpy()
    finally:
        for name in names:
            cur.unregister(name)
    # Entity ids are small integers (row numbers of ``ent``): a lookup array maps them.
    lut = np.zeros(int(eids.max()) + 1, np.int64)
    lut[eids] = np.arange(len(eids))
    col = lut[np.asarray(rows["eid"], dtype=np.int64)]
    return _keys_to_pairs(
        np.asarray(rows["aid"], dtype=np.int64), col, eids, [left, *touch], min_support
    )


def _select_rows(
    rows: tuple[np.ndarray, np.ndarray],
    eids: np.ndarray,
    needs: list[np.ndarray],
    articles: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
    """The rows of ``eids`` (as column numbers) in the ``articles`` (lookup by aid, covering
    every aid of ``rows``) holding one entity of each of ``needs`` (masks over ``eids``)."""
    aid, eid = rows
    size = max(int(eids.max()), int(eid.max()) if len(eid) else 0) + 1
    lut = np.full(size, -1, np.int32 if size < 2**31 else np.int64)
    lut[eids] = np.arange(len(eids))
    col = lut[eid]
    sel = col >= 0
    if articles is not None:  # a lookup holding every aid of ``rows``
        sel &= articles[aid]
    for need in needs:
        # Column -1 (an entity not kept) reads the False appended at the end.
        holds = np.zeros(int(aid[-1]) + 1 if len(aid) else 1, bool)
        holds[aid[sel & np.append(need, False)[col]]] = True
        sel &= holds[aid]
    return aid[sel].astype(np.int64), col[sel]


def _keys_to_pairs(
    aid: np.ndarray,
    col: np.ndarray,
    eids: np.ndarray,
    needs: list[np.ndarray],
    min_support: int,
    weight: np.ndarray | None = None,
) -> pd.DataFrame:
    """The pairs of columns ``col`` that articles ``aid`` hold, as entity ids, those with a
    side in each of ``needs`` (masks over ``eids``) held by ``min_support`` articles (each
    article counting its ``weight``, per article id; None: one)."""
    if len(aid) > 1 and (aid[1:] < aid[:-1]).any():  # rows read by SQL come in any order
        order = np.argsort(aid, kind="stable")
        aid, col = aid[order], col[order]
    w = None if weight is None else weight[aid]
    hub = _hub_rows(aid, col, needs)
    if hub is None:
        keys, counts = count_article_pair_keys(aid, col, len(eids), weight=w)
    else:
        keys, counts = count_hub_pair_keys(aid, col, hub, len(eids), weight=w)
    return _column_pairs(eids, keys // len(eids), keys % len(eids), counts, needs, min_support)


def _column_pairs(
    eids: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    counts: np.ndarray,
    needs: list[np.ndarray],
    min_support: int,
) -> pd.DataFrame:
    """Pairs of columns as entity ids, those with a side in each of ``needs`` held by
    ``min_support`` articles: one row per pair: ea < eb, n_pair."""
    ok = counts >= max(int(min_support), 1)
    for need in needs:
        ok &= need[a] | need[b]
    ea, eb = eids[a[ok]], eids[b[ok]]
    return pd.DataFrame(
        {"ea": np.minimum(ea, eb), "eb": np.maximum(ea, eb), "n_pair": counts[ok]}
    ).astype(_COLUMNS)


def _hub_rows(aid: np.ndarray, col: np.ndarray, needs: list[np.ndarray]) -> np.ndarray | None:
    """The rows of the rarest of ``needs`` when pairing each of them with the other rows of
    its article costs less than pairing every two rows of each article; else None."""
    partial = [need for need in needs if not need.all()]
    if not partial or not len(aid):
        return None
    hub = min((need[col] for need in partial), key=np.count_nonzero)
    starts = np.flatnonzero(np.r_[True, aid[1:] != aid[:-1]])
    sizes = np.diff(np.r_[starts, len(aid)])
    every = int((sizes * (sizes - 1) // 2).sum())
    by_hub = int(np.repeat(sizes - 1, sizes)[hub].sum())
    return hub if HUB_COST * by_hub < every else None


def count_hub_pair_keys(
    aid: np.ndarray,
    col: np.ndarray,
    hub: np.ndarray,
    m: int,
    *,
    weight: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Count the pairs of columns (entities ``0..m-1``) that rows of the same ``aid`` hold,
    those with a side among the ``hub`` rows only: each hub row is paired with every other row
    of its article, so the work is the hub rows times their articles' sizes (a later round's
    rare entities), not every pair of every article.

    ``aid`` sorted; ``(aid[i], col[i])`` distinct rows; ``hub``: a bool per row; ``weight``:
    the articles each row's article stands for (None: one).

    Returns: ``(keys, counts)`` as :func:`count_article_pair_keys` returns them.
    """
    n = len(aid)
    starts = np.flatnonzero(np.r_[True, aid[1:] != aid[:-1]]) if n else np.zeros(0, np.int64)
    sizes = np.diff(np.r_[starts, n])
    article = np.repeat(np.arange(len(starts)), sizes)
    rows = np.flatnonzero(hub)
    first, size = starts[article[rows]], sizes[article[rows]]
    dtype = np.int32 if m * m < 2**31 else np.int64
    col = col.astype(dtype)
    found: list[np.ndarray] = []
    ends = np.cumsum(size)
    binned = m * m <= MAX_BINS and m * m <= BIN_SHARE * (int(ends[-1]) if len(ends) else 0)
    total = np.zeros(m * m if binned else 0, np.int64 if weight is None else np.float64)
    weights: list[np.ndarray] = []
    lo = 0
    while lo < len(rows):
        # Hub rows a batch at a time, BATCH_PAIRS partners or so each.
        hi = max(lo + 1, int(np.searchsorted(ends, (ends[lo - 1] if lo else 0) + BATCH_PAIRS)))
        me = np.repeat(rows[lo:hi], size[lo:hi])
        shift = first[lo:hi] - np.r_[0, np.cumsum(size[lo:hi])[:-1]]
        other = np.repeat(shift, size[lo:hi]) + np.arange(len(me))
        # Two hub rows of one article pair once: from the earlier row.
        ok = (other != me) & (~hub[other] | (other > me))
        a, b = col[me[ok]], col[other[ok]]
        keys = np.minimum(a, b) * dtype(m) + np.maximum(a, b)
        w = None if weight is None else weight[me[ok]]
        if binned:
            total += np.bincount(keys, weights=w, minlength=m * m)
        else:
            found.append(keys)
            if w is not None:
                weights.append(w)
        lo = hi
    if binned:
        keys = np.flatnonzero(total)
        return keys, _as_counts(total[keys])
    if not found:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    keys, back = np.unique(np.concatenate(found), return_inverse=True)
    w = None if weight is None else np.concatenate(weights)
    counts = np.bincount(back, weights=w, minlength=len(keys))
    return keys.astype(np.int64), _as_counts(counts)


def _as_counts(values: np.ndarray) -> np.ndarray:
    """Counts summed as integers, or as weights in float64 (exact below 2^53), as int64."""
    return (
        values.astype(np.int64) if values.dtype.kind in "iu" else np.rint(values).astype(np.int64)
    )


def count_article_pair_keys(
    aid: np.ndarray, col: np.ndarray, m: int, *, weight: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Count the pairs of columns (entities ``0..m-1``) that rows of the same ``aid`` hold.

    ``(aid[i], col[i])`` are distinct rows, in any order; ``weight[i]``: the articles row
    ``i``'s article stands for (the same for every row of an article; None: one).

    Returns: ``(keys, counts)``: each pair held by at least one article as ``i * m + j``
    (``i < j``), sorted, and how many articles hold it.
    """
    order = np.argsort(aid, kind="stable")
    aid = aid[order]
    # Keys fit 32 bits for up to 46,340 entities: half the memory traffic of 64.
    dtype = np.int32 if m * m < 2**31 else np.int64
    col = col[order].astype(dtype)
    weight = None if weight is None else weight[order]
    n = len(aid)
    starts = np.flatnonzero(np.r_[True, aid[1:] != aid[:-1]]) if n else np.zeros(0, np.int64)
    sizes = np.diff(np.r_[starts, n])
    # One bin per possible key pays while the pairs are not far fewer than the bins (zeroing,
    # adding and scanning m * m counts); few pairs (a later round's rare entities) are sorted.
    n_pairs = int((sizes * (sizes - 1) // 2).sum())
    binned = m * m <= MAX_BINS and m * m <= BIN_SHARE * n_pairs
    total = np.zeros(m * m if binned else 0, np.int64 if weight is None else np.float64)
    found: list[pd.Series] = []
    buffer: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    held = 0
    # Keys are counted a batch at a time: adding a (m * m) array per small batch would cost
    # more than the pairs themselves.
    flush_at = max(m * m // 4, BATCH_PAIRS)

    def flush() -> None:
        keys = np.concatenate(buffer)
        w = np.concatenate(weights) if weights else None
        buffer.clear()
        weights.clear()
        if binned:
            total[:] += np.bincount(keys, weights=w, minlength=m * m)
        elif w is None:
            found.append(pd.Series(keys).value_counts(sort=False))
        else:
            found.append(pd.Series(w, index=keys).groupby(level=0).sum())

    # The articles holding d rows form a (articles, d) block; its pairs are the columns of
    # the block's upper triangle, formed for all those articles at once.
    for d in np.unique(sizes[sizes >= 2]).tolist():
        first = starts[sizes == d]
        upper, lower = np.triu_indices(d, 1)
        step = max(1, BATCH_PAIRS // len(upper))
        for i in range(0, len(first), step):
            block = col[first[i : i + step, None] + np.arange(d)]
            a, b = block[:, upper], block[:, lower]
            buffer.append((np.minimum(a, b) * dtype(m) + np.maximum(a, b)).ravel())
            if weight is not None:
                weights.append(np.repeat(weight[first[i : i + step]], len(upper)))
            held += buffer[-1].size
            if held >= flush_at:
                flush()
                held = 0
    if buffer:
        flush()
    if binned:
        keys = np.flatnonzero(total)
        return keys, _as_counts(total[keys])
    if not found:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    merged = pd.concat(found).groupby(level=0).sum().sort_index()
    return merged.index.to_numpy(np.int64), _as_counts(merged.to_numpy())


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in _COLUMNS.items()})


def count_star_pairs(
    eng: Engine,
    conds: list[str],
    params: list,
    eids: np.ndarray,
    left: np.ndarray,
    min_support: int,
) -> pd.DataFrame:
    """Every pair of ``eids`` with a side among the few ``left`` ones (an ego network) held by
    ``min_support`` of the articles that ``conds`` keep: the rows of the articles of the
    ``left`` entities joined to theirs, so the cost follows those articles alone.

    Returns: one row per pair: ea < eb, n_pair (what ``article_pairs._count`` returns).
    """
    cur = eng.cursor()
    name = f"_star_keep_{threading.get_ident()}"
    cur.register(name, pd.DataFrame({"eid": eids.astype(np.int32), "is_left": left}))
    try:
        rows = f"SELECT w.aid, w.eid, k.is_left FROM we_article w JOIN {name} k USING (eid)"
        sql = (
            f"WITH w AS ({rows} {where(conds)}), l AS (SELECT aid, eid FROM w WHERE is_left)"
            " SELECT least(l.eid, w.eid) AS ea, greatest(l.eid, w.eid) AS eb,"
            " count(*) AS n_pair FROM l JOIN w ON l.aid = w.aid AND l.eid <> w.eid"
            " AND (NOT w.is_left OR l.eid < w.eid) GROUP BY ALL HAVING count(*) >= ?"
        )
        found = cur.execute(sql, [*params, max(int(min_support), 1)]).df()
    finally:
        cur.unregister(name)
    return found.astype(_COLUMNS)
