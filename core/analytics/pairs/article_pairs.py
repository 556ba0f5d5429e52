"""Article-window entity pairs: the exact top pairs without the d^2 self-join.

An article window pairs every two entities of an article (~38 distinct entities per article on
the benchmark store: 147 M pairs over 200k articles), too many to count per query. The pages ask
for the ``top`` pairs, ranked by ``n_pair`` (then npmi, then names; the edge weight the page
picks does not change which pairs are shown), and a pair's ``n_pair`` is at most
``min(df(a), df(b))``, ``df`` being the entity's article count under the filter. So count pairs
among the most frequent entities only (a few dozen): when the k-th best count ``c`` found
exceeds the ``df`` of every entity left out, no pair left out can reach or tie into the top k,
and the top k (ties at ``c`` included) is exact. Otherwise a second round keeps every entity of
``df >= c``; the k-th best among them is ``>= c``, so that round is exact.

Pairs of the kept entities come from the stored counts under dates and sources
(:mod:`stored_pairs`), else from the filtered rows (:mod:`pair_rows`) or on bitmaps (one bit
per article; AND, then popcount; those of the most frequent entities built once per store
version), whichever is estimated cheaper. Without ``top`` every pair is needed: only entities
with ``df < min_support`` are pruned, and the self-join is refused beyond ``MAX_ARTICLE_PAIRS``.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.analytics.pairs.article_rows import (
    Selection,
    WindowIndex,
    gather_rows,
    narrow_rows,
    read_article_lookup,
    read_kind_index,
    read_window_index,
)
from core.analytics.pairs.article_sets import Weighed, read_article_sets, weigh_articles
from core.analytics.pairs.pair_join import count_join_pairs, count_join_rows
from core.analytics.pairs.pair_rows import count_row_pairs, count_star_pairs
from core.analytics.pairs.stored_pairs import (
    StoredScope,
    count_scope_pairs,
    member_mask,
    stored_scope,
)
from core.analytics.query.engine import Engine, where
from core.analytics.query.filters import Filter, in_clause

# An article window over many long articles explodes (d^2 pairs each); beyond this, narrow it.
MAX_ARTICLE_PAIRS = 30_000_000
# Bitmaps kept per store version: the most frequent entities, within this many bytes.
CACHE_BYTES = 64 << 20
CACHE_ENTITIES = 1024
# First round: the FIRST_ROUND * sqrt(2 top) most frequent entities, at least FIRST_ROUND_MIN
# (most first rounds are exact; the second always is, see the module doc).
FIRST_ROUND = 4
FIRST_ROUND_MIN = 16
# Above this many 64-bit word operations the bitmaps are slower than the SQL self-join.
MAX_WORD_OPS = 600_000_000
MAX_BITMAP_BYTES = 256 << 20  # per query, for many entities beside a few ``entities`` picked
MAX_PACK_BYTES = 32 << 20  # bitmaps of entities outside the cache, packed per query
PARALLEL_OPS = 20_000_000  # word operations worth sharing out among threads
# Above this many word operations under an article filter, the self-join's size is checked:
# a pair row of it costs about as much as PAIR_ROW_OPS word operations (measured on 200k
# articles: 1,455 entities over 1,667 filtered articles, 265 ms on bitmaps).
COMPARE_OPS = 20_000_000
PAIR_ROW_OPS = 100
# ns per bitmap word operation, (article, entity) row read and pair formed (1M, 2 vCPU).
BITMAP_NS = 2.0
ROW_NS = 60.0
PAIR_NS = 15.0
# An entities filter of up to this many is counted as a star (pair_rows.count_star_pairs).
STAR_ENTITIES = 32
_THREADS = min(4, os.cpu_count() or 1)
_PACK_ROWS = 128  # entities unpacked at a time when building bitmaps (bounds the bool buffer)

PAIRS = {"ea": "int32", "eb": "int32", "n_pair": "int64"}


@dataclass(frozen=True)
class _Articles:
    """The filtered articles: SQL conditions on ``we_article``/``a``, and their bitmap."""

    eng: Engine
    conds: list[str]
    params: list
    scope: StoredScope | None = None  # a top may be counted from the stored pair counts
    dfs: dict[int, int] | None = None  # each entity's article count under the filter
    rows: tuple[np.ndarray, np.ndarray] | None = None  # the filtered (aid, eid) rows, if read
    selection: Selection | None = None  # an article-level filter's articles (article_rows)
    kinds: tuple[str, ...] = ()  # a kind filter: every pair is of entities of these kinds

    @functools.cached_property
    def index(self) -> WindowIndex:
        """The window's rows in memory: those of the filter's kinds alone, if it has kinds."""
        if self.kinds:
            return read_kind_index(self.eng, self.kinds)
        return read_window_index(self.eng)

    @functools.cached_property
    def less(self) -> Selection | None:
        """The selection, the rows it holds narrowed to those of :attr:`index`."""
        sel = self.selection
        if sel is None or not self.kinds or sel.outside is None:
            return sel
        # Kept with the engine's last selection: the views of one filter ask again.
        last = self.eng.memo.get("article_window_narrow_selection")
        if last is not None and last[0] is sel and last[1] == self.kinds:
            return last[2]
        less = dataclasses.replace(sel, outside=narrow_rows(sel.outside, self.index))
        self.eng.memo["article_window_narrow_selection"] = (sel, self.kinds, less)
        return less

    @functools.cached_property
    def weighed(self) -> Weighed | None:
        """The selection's articles, one per distinct entity set, weighted by its copies
        (:mod:`core.analytics.pairs.article_sets`); None without a selection, or when the
        copies are too few to pay."""
        return self._weigh("article_window_weighed", "keep")

    @functools.cached_property
    def weighed_less(self) -> Weighed | None:
        """The articles the selection leaves out of its dates and sources (when it is read as
        their complement), weighed as :attr:`weighed`."""
        return self._weigh("article_window_weighed_less", "left_out")

    def _weigh(self, key: str, field: str) -> Weighed | None:
        sel = self.selection
        if sel is None or getattr(sel, field) is None:
            return None
        # Kept with the engine's last selection: the views of one filter ask again.
        last = self.eng.memo.get(key)
        if last is not None and last[0] is sel:
            return last[1]
        weighed = weigh_articles(read_article_sets(self.eng), getattr(sel, field))
        self.eng.memo[key] = (sel, weighed)
        return weighed

    @property
    def kept(self) -> np.ndarray | None:
        """The articles to read the selection's pairs from (one per entity set when weighed),
        as a lookup by article id; None without a selection."""
        if self.selection is None:
            return None
        return self.selection.keep if self.weighed is None else self.weighed.keep

    @property
    def weight(self) -> np.ndarray | None:
        """The articles each of :attr:`kept` stands for, per article id; None: one each."""
        return None if self.weighed is None else self.weighed.weight

    @functools.cached_property
    def mask(self) -> tuple[int, np.ndarray] | None:
        """(first word, words) of the articles' bitmap; None when nothing is filtered (made
        when first read: the stored counts never need it)."""
        return _article_mask(self.eng, self.conds, self.params, self.selection)


@dataclass(frozen=True)
class _Bitmaps:
    """Article bitmaps: bit ``aid`` of row ``i`` is set if article ``aid`` mentions ``eids[i]``."""

    eids: np.ndarray  # sorted entity ids, one per row
    words: np.ndarray  # (len(eids), n_words) uint64


def count_article_pairs(
    eng: Engine,
    flt: Filter,
    *,
    df: pd.DataFrame,
    min_support: int,
    top: int | None,
    selection: Selection | None = None,
) -> pd.DataFrame:
    """Count the article-window pairs that can rank in the ``top`` under ``flt``.

    ``df`` holds each entity's article count under ``flt`` (columns eid, n). Node filters
    (kinds, countries: both sides; entities: one side) are applied as in ``count_pairs``.
    ``selection``: the articles of an article-level filter (text, language, metadata, articles
    mentioning), in memory (:func:`core.analytics.pairs.article_rows.select_window_articles`).

    Returns: one row per pair (ea < eb, entity ids) with ``n_pair >= min_support``: every pair
    when ``top`` is None, else a set holding every pair that ranks (or ties) within the first
    ``top`` by n_pair; columns ea, eb, n_pair (exact counts).

    Raises: ValueError when ``top`` is None and the pairs exceed ``MAX_ARTICLE_PAIRS`` rows.
    """
    eids, dfs = _eligible(eng, flt, df, min_support)
    if top is not None and top <= 0 or len(eids) == 0:
        return _empty()
    conds, params = eng.article_conds(flt)
    # Most of some stored dates and sources: their stored counts less the articles left out.
    scope = stored_scope(eng, flt if selection is None else selection.base)
    arts = _Articles(eng, conds, params, selection=selection, kinds=tuple(flt.kinds or ()))
    if selection is not None and (selection.outside is None or scope is None):
        # Their rows, of the filter's kinds alone if it has kinds (one article per entity set
        # when they hold copies).
        if selection.rows is None or arts.weighed is not None:
            rows = gather_rows(arts.index, arts.kept)
        else:
            rows = narrow_rows(selection.rows, arts.index) if arts.kinds else selection.rows
        arts = dataclasses.replace(arts, rows=rows)
        scope = None
    ego = _ego_ids(eng, flt)
    left = None if ego is None else np.isin(eids, ego)
    if left is not None and 0 < left.sum() <= STAR_ENTITIES and len(eids) > 1:
        # An ego network: every pair of its few entities at once, from their articles alone.
        return count_star_pairs(eng, conds, params, eids, left, min_support).astype(PAIRS)
    if top is None:
        return _count(eng, arts, eids, ego, min_support)
    # A top under sources and dates may come from the stored counts (stored_pairs); else it
    # is counted on bitmaps or from the rows (pair_rows), whichever costs less.
    dfs_of = dict(zip(eids.tolist(), dfs.tolist(), strict=True))
    arts = dataclasses.replace(arts, scope=scope, dfs=dfs_of)
    k = int(top)
    m = min(len(dfs), max(FIRST_ROUND_MIN, int(FIRST_ROUND * math.sqrt(2 * k)) + 1))
    known, floor = None, min_support
    while True:
        # Keep the m most frequent entities and their ties; ``beyond`` bounds every pair left out.
        n_kept = len(dfs) if m >= len(dfs) else int((dfs >= dfs[m - 1]).sum())
        beyond = int(dfs[n_kept]) if n_kept < len(dfs) else 0
        # A later round keeps the pairs counted before and adds those of the entities it adds,
        # only those held by ``floor`` articles: the k-th best is at least the last round's.
        pairs = _count(eng, arts, eids[:n_kept], ego, floor, known)
        known = (eids[:n_kept], pairs)
        if len(pairs) >= k:
            c = int(np.partition(pairs["n_pair"].to_numpy(), len(pairs) - k)[len(pairs) - k])
            if c > beyond:
                return pairs[pairs["n_pair"] >= c].reset_index(drop=True)
            # Keeping every entity of df >= c ends the search: the k-th best is then >= c.
            m = int((dfs >= c).sum())
            floor = max(min_support, c)
        elif n_kept == len(dfs):
            return pairs
        else:
            m *= 4


def _eligible(
    eng: Engine, flt: Filter, df: pd.DataFrame, min_support: int
) -> tuple[np.ndarray, np.ndarray]:
    """Entities that may be a side of a returned pair, most frequent first: (eids, dfs)."""
    eids = df["eid"].to_numpy(dtype=np.int64)
    dfs = df["n"].to_numpy(dtype=np.int64)
    ok = dfs >= max(min_support, 1)
    conds, params = [], []
    for col, values in (("kind", flt.kinds), ("country_code", flt.mention_countries)):
        if values:
            conds.append(in_clause(col, values))
            params += list(values)
    if conds:
        allowed = eng.df(f"SELECT eid FROM ent {where(conds)}", params)["eid"]
        ok &= np.isin(eids, allowed.to_numpy(dtype=np.int64))
    eids, dfs = eids[ok], dfs[ok]
    order = np.lexsort((eids, -dfs))
    return eids[order], dfs[order]


def _ego_ids(eng: Engine, flt: Filter) -> np.ndarray | None:
    """Entity ids of ``flt.entities`` (a pair needs one of them), or None without the filter."""
    if not flt.entities:
        return None
    ids = eng.df(f"SELECT eid FROM ent WHERE {in_clause('entity', flt.entities)}", flt.entities)
    return ids["eid"].to_numpy(dtype=np.int64)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in PAIRS.items()})


def _count(
    eng: Engine,
    arts: _Articles,
    eids: np.ndarray,
    ego: np.ndarray | None,
    min_support: int,
    known: tuple[np.ndarray, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Every pair of ``eids`` (one in ``ego`` if given) held by ``min_support`` articles.

    ``known``: (entities, their pairs as returned here) of an earlier round, a subset of
    ``eids``: only the pairs of the others are counted then, from the articles holding them.

    Returns: one row per pair: ea < eb, n_pair.
    """
    left = np.ones(len(eids), bool) if ego is None else np.isin(eids, ego)
    if len(eids) < 2 or not left.any():
        return _empty()
    fresh = None if known is None or arts.dfs is None else ~np.isin(eids, known[0])
    if fresh is not None and arts.scope is None:
        # A later round: the pairs among the entities of the earlier one are known; those with
        # a side among the entities it adds are counted from the articles holding them.
        index = None if arts.selection is None else arts.index
        more = count_row_pairs(
            eng,
            arts.conds,
            arts.params,
            eids,
            left,
            min_support,
            touching=fresh,
            index=index,
            articles=arts.kept,
            weight=arts.weight,
        )
        return pd.concat([known[1], more], ignore_index=True).astype(PAIRS)
    if arts.scope is not None:
        # Pairs of members from the stored counts, the others from the articles of the others;
        # in a later round, only the pairs with a side among the entities it adds.
        inside = member_mask(eng, eids)
        frames = [] if known is None else [known[1]]
        if fresh is None or fresh[inside].any():
            found = count_scope_pairs(
                eng,
                arts.scope,
                eids[inside],
                left[inside],
                min_support,
                less=arts.less,
                less_weighed=arts.weighed_less,
                touching=None if fresh is None else fresh[inside],
                index=arts.index,
            )
            frames.append(found)
        if not inside.all():
            # Their articles are found in memory: a semi-join of every row costs more.
            index = arts.index
            keep = arts.kept
            if keep is None and arts.conds:
                keep = read_article_lookup(eng, index, arts.conds, arts.params)
            frames.append(
                count_row_pairs(
                    eng,
                    [],
                    [],
                    eids,
                    left,
                    min_support,
                    touching=[~inside] if fresh is None else [~inside, fresh],
                    index=index,
                    articles=keep,
                    weight=arts.weight,
                )
            )
        if not frames:
            return _empty()
        return pd.concat([f.astype(PAIRS) for f in frames], ignore_index=True).astype(PAIRS)
    n_left = int(left.sum())
    cache = _cache(eng)
    n_words = cache.words.shape[1] if arts.mask is None else len(arts.mask[1])
    n_missing = len(eids) - int(np.isin(eids, cache.eids).sum())
    ops = (n_left * len(eids) - n_left * (n_left + 1) // 2) * max(n_words, 1)
    if arts.dfs is not None:  # a top: bitmaps or rows, never refused
        if _rows_cost(arts, eids, n_words) < ops * BITMAP_NS or (
            ops > MAX_WORD_OPS
            or len(eids) * n_words * 8 > MAX_BITMAP_BYTES
            or n_missing * n_words * 8 > MAX_PACK_BYTES
        ):
            return count_row_pairs(
                eng,
                arts.conds,
                arts.params,
                eids,
                left,
                min_support,
                rows=arts.rows,
                weight=arts.weight,
            )
        return _pair_counts(eids, left, _bitmaps(eng, arts, eids), min_support)
    # Bitmaps win while the entities are few and mostly cached; else the self-join does, and
    # also when the filter keeps few articles for many entities (its pair rows are then few).
    if (
        ops > MAX_WORD_OPS
        or len(eids) * n_words * 8 > MAX_BITMAP_BYTES
        or n_missing * n_words * 8 > MAX_PACK_BYTES
        or (
            arts.mask is not None
            and ops > COMPARE_OPS
            and count_join_rows(eng, arts.conds, arts.params, eids, left) * PAIR_ROW_OPS < ops
        )
    ):
        return count_join_pairs(
            eng, arts.conds, arts.params, eids, left, min_support, limit=MAX_ARTICLE_PAIRS
        )
    bits = _bitmaps(eng, arts, eids)
    return _pair_counts(eids, left, bits, min_support)


def _rows_cost(arts: _Articles, eids: np.ndarray, n_words: int) -> float:
    """Estimated ns of :func:`count_row_pairs` for ``eids``: their rows, and the pairs these
    hold if the rows were spread evenly over the filter's articles."""
    rows = float(sum(arts.dfs.get(int(e), 0) for e in eids)) if arts.dfs else 0.0
    n_articles = 64 * n_words if arts.mask is None else np.bitwise_count(arts.mask[1]).sum()
    n_articles = max(float(n_articles), 1.0)
    # Weighed copies: the rows and pairs of one article per entity set are read.
    share = 1.0 if arts.weighed is None else arts.weighed.n_sets / n_articles
    return share * (rows * ROW_NS + rows * rows / n_articles * PAIR_NS)


def _article_mask(
    eng: Engine, conds: list[str], params: list, selection: Selection | None = None
) -> tuple[int, np.ndarray] | None:
    """The filtered articles as (first word, bitmap words), or None when nothing is filtered;
    from the ``selection`` of an article-level filter when made."""
    if not conds:
        return None
    if selection is not None:
        aids = np.flatnonzero(selection.keep)
    else:
        got = eng.cursor().execute(f"SELECT aid FROM a {where(conds)}", params).fetchnumpy()
        aids = np.asarray(got["aid"], dtype=np.int64)
    if len(aids) == 0:
        return 0, np.zeros(0, np.uint64)
    first = int(aids.min()) // 64
    n_words = int(aids.max()) // 64 - first + 1
    return first, _pack(np.zeros(len(aids), np.int64), aids - 64 * first, 1, n_words)[0]


def _bitmaps(eng: Engine, arts: _Articles, eids: np.ndarray) -> np.ndarray:
    """Article bitmaps of ``eids`` over the filtered articles: (len(eids), n_words) uint64."""
    cache, mask, conds, params = _cache(eng), arts.mask, arts.conds, arts.params
    first, n_words = (0, cache.words.shape[1]) if mask is None else (mask[0], len(mask[1]))
    out = np.zeros((len(eids), n_words), np.uint64)
    if n_words == 0:
        return out
    pos = np.searchsorted(cache.eids, eids)
    pos = np.minimum(pos, max(len(cache.eids) - 1, 0))
    hit = cache.eids[pos] == eids if len(cache.eids) else np.zeros(len(eids), bool)
    out[hit] = cache.words[pos[hit], first : first + n_words]
    if mask is not None:
        out[hit] &= mask[1]
    missing = eids[~hit]
    if len(missing):
        # Entities outside the cache: their (filtered) mention rows, packed on the spot.
        order = np.argsort(missing)
        marks = ", ".join(str(int(e)) for e in missing)
        rows = (
            eng.cursor()
            .execute(
                f"SELECT aid, eid FROM we_article {where([*conds, f'eid IN ({marks})'])}", params
            )
            .fetchnumpy()
        )
        row = order[np.searchsorted(missing[order], np.asarray(rows["eid"], dtype=np.int64))]
        bit = np.asarray(rows["aid"], dtype=np.int64) - 64 * first
        out[~hit] = _pack(row, bit, len(missing), n_words)
    return out


def _cache(eng: Engine) -> _Bitmaps:
    """The bitmaps of the store's most frequent entities (built once per store version)."""
    return eng.memo.get_or_build("article_bitmaps", lambda: _build_cache(eng))


def _build_cache(eng: Engine) -> _Bitmaps:
    """Bitmaps of the entities in most articles, within CACHE_BYTES (25 kB each per 200k)."""
    cur = eng.cursor()
    ((max_aid,),) = cur.execute("SELECT coalesce(max(aid), 0) FROM a").fetchall()
    n_words = int(max_aid) // 64 + 1
    n = min(CACHE_ENTITIES, CACHE_BYTES // (8 * n_words))
    top = f"SELECT eid FROM gnode_article ORDER BY n DESC, eid LIMIT {int(n)}"
    eids = np.sort(cur.execute(top).fetchnumpy()["eid"].astype(np.int64))
    rows = cur.execute(f"SELECT aid, eid FROM we_article WHERE eid IN ({top})").fetchnumpy()
    row = np.searchsorted(eids, np.asarray(rows["eid"], dtype=np.int64))
    words = _pack(row, np.asarray(rows["aid"], dtype=np.int64), len(eids), n_words)
    return _Bitmaps(eids=eids, words=words)


def _pack(row: np.ndarray, bit: np.ndarray, n_rows: int, n_words: int) -> np.ndarray:
    """Set bit ``bit[i]`` of row ``row[i]``: (n_rows, n_words) uint64 bitmaps.

    Every bitmap (entities and the article mask) is packed the same way, so AND and popcount
    do not depend on the machine's byte order.
    """
    out = np.zeros((n_rows, n_words), np.uint64)
    for r0 in range(0, n_rows, _PACK_ROWS):
        r1 = min(r0 + _PACK_ROWS, n_rows)
        sel = (row >= r0) & (row < r1) if n_rows > _PACK_ROWS else slice(None)
        dense = np.zeros((r1 - r0, 64 * n_words), bool)
        dense[row[sel] - r0, bit[sel]] = True
        out[r0:r1] = np.packbits(dense, axis=1, bitorder="little").view(np.uint64)
    return out


def _pair_counts(
    eids: np.ndarray, left: np.ndarray, bits: np.ndarray, min_support: int
) -> pd.DataFrame:
    """Articles shared by each pair of rows of ``bits`` (one of them a ``left`` row).

    Returns: one row per pair held by ``min_support`` articles: ea < eb, n_pair.
    """
    idx = np.arange(len(eids))
    every = bool(left.all())

    def count(i: int) -> tuple[np.ndarray, np.ndarray]:
        # Each unordered pair once: a later row, or any row that is not itself a left row.
        other = idx[i + 1 :] if every else idx[(idx > i) | ~left]
        block = bits[i + 1 :] if every else bits[other]
        n = np.bitwise_count(block & bits[i]).sum(axis=1, dtype=np.int64)
        keep = n >= min_support
        return other[keep], n[keep]

    rows = np.flatnonzero(left)
    # numpy releases the GIL on these arrays, so threads share out the rows.
    if len(rows) > 1 and _THREADS > 1 and len(rows) * len(eids) * bits.shape[1] > 2 * PARALLEL_OPS:
        with ThreadPoolExecutor(_THREADS) as pool:
            found = list(pool.map(count, rows))
    else:
        found = [count(i) for i in rows]
    if not found:
        return _empty()
    a = np.repeat(eids[rows], [len(o) for o, _ in found])
    b = eids[np.concatenate([o for o, _ in found])]
    return pd.DataFrame(
        {
            "ea": np.minimum(a, b),
            "eb": np.maximum(a, b),
            "n_pair": np.concatenate([n for _, n in found]),
        }
    ).astype(PAIRS)
