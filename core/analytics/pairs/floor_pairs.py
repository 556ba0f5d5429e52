"""Pairs held by at least ``floor`` articles, found from a few articles of each entity.

A later pruning round of :mod:`core.analytics.pairs.article_pairs` needs only the pairs held by
at least ``c`` articles (the k-th best count found so far), and the entities it adds are the
least frequent it keeps: their article count ``d`` is often close to ``c``. Pigeonhole: if
``x`` and ``y`` share ``n >= c`` of ``x``'s ``d`` articles, ``y`` is in one of any ``d - c + 1``
of them. So the candidate partners of ``x`` are the entities of its first ``d - c + 1``
articles, and only those pairs are counted, each by looking the partner up in ``x``'s articles
(a binary search in each article's rows, which are sorted by entity).

Entities holding exactly the same articles (a story's minor names, copied by several outlets)
form one *group*: their pairs with any other entity are counted once, and among themselves
they share all ``d`` articles. Found by a hash of each entity's articles, then checked exactly.

Written here rather than taken from a library: it is specific to the exact pruning of top
pairs, and the index it reads (:class:`core.analytics.pairs.article_rows.WindowIndex`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.analytics.pairs.article_rows import (
    WindowIndex,
    entity_runs,
    gather_rows,
    run_positions,
)
from core.analytics.pairs.article_sets import mix64

# The pruning pays while the articles read for candidates are at most 1 / PRUNE_SHARE of the
# entities' articles, and the look-ups (each a binary search in one article's rows, counted as
# LOOKUP_ROWS rows read) fewer than the rows of those articles.
PRUNE_SHARE = 4
LOOKUP_ROWS = 4
# A pair formed and counted costs about as much as reading this many rows.
PAIR_ROWS = 2
# A step of a binary search in an article's rows costs about as much as reading this many rows.
SEARCH_STEP_ROWS = 1.0
# Slots of the (group, column) table counting rows, beyond which the pairs are searched.
MAX_TABLE = 1 << 24


def count_floor_pairs(
    index: WindowIndex,
    eids: np.ndarray,
    side: np.ndarray,
    *,
    floor: int,
    keep: np.ndarray | None = None,
    weight: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Every pair of columns (entities ``eids``) with a side among ``side`` (a mask over
    ``eids``) held by at least ``floor`` of the articles that ``keep`` keeps (a lookup by
    article id; None: every article); None when pruning by the pigeonhole would not pay.
    ``weight`` (int64 per article id): the articles each kept one stands for
    (:mod:`core.analytics.pairs.article_sets`); None: one each.

    Returns: ``(a, b, n)``: one entry per pair of columns (``a != b``, each unordered pair
    once), and the articles holding both.
    """
    floor = int(floor)
    cols = np.flatnonzero(side)
    if floor < 2 or len(cols) == 0:
        return None
    owner, aids = entity_runs(index, eids[cols], keep)
    runs = np.bincount(owner, minlength=len(cols))  # articles read per entity
    if weight is None:
        d = runs
        prefix = np.maximum(d - floor + 1, 0)
    else:
        # Heaviest articles first: the shortest runs holding d - floor + 1 of the articles.
        w = weight[aids]
        order = np.lexsort((aids, -w, owner))
        aids, w = aids[order], w[order]
        d = np.bincount(owner, weights=w, minlength=len(cols)).astype(np.int64)
        before = np.cumsum(w) - w - np.repeat(np.r_[0, np.cumsum(d)[:-1]], runs)
        prefix = np.bincount(owner, weights=before < (d - floor + 1)[owner], minlength=len(cols))
        prefix = prefix.astype(np.int64)
    if PRUNE_SHARE * int(prefix.sum()) > int(runs.sum()):
        return None
    starts = np.r_[0, np.cumsum(runs)]  # entity i's articles: aids[starts[i]:starts[i + 1]]
    groups = _group_same_articles(aids, runs, starts, np.flatnonzero(d >= floor))
    if groups is None:
        return None
    members, g_start, g_size = groups  # members: positions in ``cols``, group by group
    n_groups = len(g_start)
    rep = members[g_start]
    m = len(eids)
    # Units: the groups, then every column outside ``side`` as itself (unit n_groups + col).
    unit = np.full(m, -1, np.int64)
    outside = np.ones(m, bool)
    outside[cols] = False
    unit[outside] = n_groups + np.flatnonzero(outside)
    unit[cols[members]] = np.repeat(np.arange(n_groups), g_size)
    # The rows of the side's articles, of the columns alone: every read below is of those.
    table = _column_rows(index, eids, _lookup(index, aids[_heads(starts[rep], runs[rep])]))
    # Candidates: the entities of each group's first d - floor + 1 articles.
    cand_aid = aids[_heads(starts[rep], prefix[rep])]
    cand_group = np.repeat(np.arange(n_groups), prefix[rep])
    row_pos = run_positions(table.starts, cand_aid.astype(np.int64))
    lengths = table.starts[cand_aid + 1] - table.starts[cand_aid]
    row_group = np.repeat(cand_group, lengths)
    row_unit = unit[table.col_of_rank][table.rank[row_pos]]
    ok = (row_unit >= 0) & (row_unit != row_group)  # -1: a side column under the floor
    span = n_groups + m
    keys = row_group[ok] * span + row_unit[ok]
    if n_groups * span <= MAX_TABLE:  # distinct by marking a table: no sort of every row
        seen = np.zeros(n_groups * span, bool)
        seen[keys] = True
        keys = np.flatnonzero(seen)
    else:
        keys = np.unique(keys)
    a_unit, b_unit = keys // span, keys % span
    # A pair of two groups is found from either: each once, the group of fewer articles read.
    both = b_unit < n_groups
    r_unit = runs[rep]
    r_b = r_unit[np.minimum(b_unit, max(n_groups - 1, 0))]
    swap = both & ((r_b < r_unit[a_unit]) | ((r_b == r_unit[a_unit]) & (b_unit < a_unit)))
    keys = np.unique(np.where(swap, b_unit, a_unit) * span + np.where(swap, a_unit, b_unit))
    a_unit, b_unit = keys // span, keys % span
    # Else the rows of the entities' articles (runs.sum() of them) are read, and each of their
    # rows is paired with the others of its article.
    per_article = len(index.eid) / max(index.n_aids, 1)
    if LOOKUP_ROWS * int(r_unit[a_unit].sum()) > (1 + PAIR_ROWS) * per_article * int(runs.sum()):
        return None
    # Count each pair in the articles of its first group: by reading their rows (a group with
    # many candidates), or by looking its partner up in each (a group with few).
    unit_col = np.r_[cols[rep], np.arange(m)]
    n = _count_in_groups(table, aids, starts[rep], r_unit, a_unit, unit_col[b_unit], weight=weight)
    held = n >= floor
    a_unit, b_unit, n = a_unit[held], b_unit[held], n[held]
    # Within a group every two members share all its articles.
    inner = np.flatnonzero(g_size >= 2)
    a_unit = np.r_[a_unit, inner]
    b_unit = np.r_[b_unit, inner]
    n = np.r_[n, d[rep][inner]]
    # Expand units to columns: group members, or the column itself.
    unit_cols = np.r_[cols[members], np.arange(m)]
    unit_start = np.r_[g_start, len(members) + np.arange(m)]
    unit_size = np.r_[g_size, np.ones(m, np.int64)]
    a, b, n = _expand(unit_cols, unit_start, unit_size, a_unit, b_unit, n)
    return a, b, n


def count_listed_pairs(
    index: WindowIndex,
    ea: np.ndarray,
    eb: np.ndarray,
    *,
    keep: np.ndarray | None = None,
    weight: np.ndarray | None = None,
    budget: float | None = None,
) -> np.ndarray | None:
    """How many of the articles ``keep`` keeps (a lookup by article id; None: all) hold both
    ``ea[i]`` and ``eb[i]`` (entity ids), each pair counted in the articles of its side in
    fewer; None when that would cost more than reading ``budget`` rows. ``weight`` (per
    article id): the articles each kept one stands for; None: one each.

    Returns: one count per pair, int64.
    """
    ea, eb = np.asarray(ea, np.int64), np.asarray(eb, np.int64)
    if len(ea) == 0:
        return np.zeros(0, np.int64)
    held = np.diff(index.entity_starts)
    swap = held[eb] < held[ea]
    first, other = np.where(swap, eb, ea), np.where(swap, ea, eb)
    ents = np.unique(first)
    if budget is not None:
        share = 1.0 if keep is None else np.count_nonzero(keep) / max(len(keep), 1)
        if int(held[ents].sum()) + LOOKUP_ROWS * share * int(held[first].sum()) > budget:
            return None
    owner, aids = entity_runs(index, ents, keep)
    d = np.bincount(owner, minlength=len(ents))
    starts = np.r_[0, np.cumsum(d)[:-1]]
    partners = np.unique(other)
    table = _column_rows(index, partners, _lookup(index, aids))
    # Each distinct pair once, sorted by its first side (as _count_in_groups wants them).
    keys = np.searchsorted(ents, first) * len(partners) + np.searchsorted(partners, other)
    keys, back = np.unique(keys, return_inverse=True)
    n = _count_in_groups(
        table, aids, starts, d, keys // len(partners), keys % len(partners), weight=weight
    )
    return n[back]


def _count_in_groups(
    table: _Columns,
    aids: np.ndarray,
    g_first: np.ndarray,
    g_d: np.ndarray,
    a_unit: np.ndarray,
    b_col: np.ndarray,
    *,
    weight: np.ndarray | None = None,
) -> np.ndarray:
    """How many articles of group ``a_unit[i]`` (its articles: ``aids[g_first[g]:][:g_d[g]]``,
    all in ``table``) hold column ``b_col[i]``; ``a_unit`` sorted. ``weight`` (per article
    id): the articles each stands for; None: one each.

    Returns: one count per pair, int64.
    """
    n = np.zeros(len(a_unit), np.int64)
    some = g_d[a_unit] > 0  # a group without articles holds no pair
    if not some.all():
        n[some] = _count_in_groups(
            table, aids, g_first, g_d, a_unit[some], b_col[some], weight=weight
        )
        return n
    if len(a_unit) == 0:
        return n
    groups, n_pairs = np.unique(a_unit, return_counts=True)
    g_aid = aids[_heads(g_first[groups], g_d[groups])]
    run = table.starts[g_aid + 1] - table.starts[g_aid]
    per_group = np.add.reduceat(run, np.r_[0, np.cumsum(g_d[groups])[:-1]])
    steps = int(np.ceil(np.log2(int(run.max()) + 1)))
    by_rows = per_group <= SEARCH_STEP_ROWS * n_pairs * g_d[groups] * steps
    pair_rows = np.repeat(by_rows, n_pairs)
    if by_rows.any():
        # Rows of these groups' articles; a row counts for the pair (its group, its column).
        read = np.flatnonzero(by_rows)
        sel = np.repeat(by_rows, g_d[groups])
        pos = run_positions(table.starts, g_aid[sel].astype(np.int64))
        owner = np.repeat(np.repeat(np.arange(len(read)), g_d[groups][read]), run[sel])
        width = len(table.col_of_rank)
        small = len(read) * width <= MAX_TABLE
        found = owner.astype(np.int32 if small else np.int64) * width + table.rank[pos]
        which = np.flatnonzero(pair_rows)
        local = np.cumsum(by_rows) - 1
        b_rank = table.rank_of_col[b_col[which]]
        keys = local[np.repeat(np.arange(len(groups)), n_pairs)[which]] * width + b_rank
        w = None if weight is None else np.repeat(weight[g_aid[sel]], run[sel])
        if small:
            # A slot per (group, column): one look-up per row.
            slots = np.full(len(read) * width, -1, np.int32)
            slots[keys] = np.arange(len(keys))
            slot = slots[found]
            hit = slot >= 0
            n[which] = _tally(slot[hit], None if w is None else w[hit], len(keys))
        else:
            order = np.argsort(keys)
            keys = keys[order]
            at = np.minimum(np.searchsorted(keys, found), len(keys) - 1)
            hit = keys[at] == found
            n[which[order]] = _tally(at[hit], None if w is None else w[hit], len(keys))
    if not by_rows.all():
        which = np.flatnonzero(~pair_rows)
        counts = g_d[a_unit[which]]
        q_aid = aids[_heads(g_first[a_unit[which]], counts)]
        hits = _holds(table, q_aid, np.repeat(table.rank_of_col[b_col[which]], counts))
        hits = hits.astype(np.int64) if weight is None else np.where(hits, weight[q_aid], 0)
        n[which] = np.add.reduceat(hits, np.cumsum(counts) - counts)
    return n


def _tally(slot: np.ndarray, weight: np.ndarray | None, size: int) -> np.ndarray:
    """Entries per slot (``0..size-1``), each counting its ``weight`` (None: one).

    Returns: ``size`` counts, int64.
    """
    if weight is None:
        return np.bincount(slot, minlength=size)
    # Sums of integers are exact in float64 below 2^53.
    return np.rint(np.bincount(slot, weights=weight, minlength=size)).astype(np.int64)


@dataclass(frozen=True)
class _Columns:
    """The rows of some articles, of a set of columns (entities) alone. Article ``a`` holds
    the columns of ranks ``rank[starts[a]:starts[a + 1]]``, ascending; a rank is the column's
    place among the columns sorted by entity id (``col_of_rank``/``rank_of_col`` map them)."""

    starts: np.ndarray  # int64, one more than the article ids
    rank: np.ndarray  # int32
    col_of_rank: np.ndarray
    rank_of_col: np.ndarray


def _column_rows(index: WindowIndex, eids: np.ndarray, articles: np.ndarray) -> _Columns:
    """The rows of the ``articles`` (a lookup by article id) whose entity is one of ``eids``
    (the columns): 3 to 10 times fewer than all their rows, and no look-up by entity id after."""
    aid, eid = gather_rows(index, articles)
    col_of_rank = np.argsort(eids, kind="stable")
    rank_of_col = np.empty(len(eids), np.int64)
    rank_of_col[col_of_rank] = np.arange(len(eids))
    rank_of = np.full(len(index.entity_starts), -1, np.int32)
    rank_of[eids] = rank_of_col
    rank = rank_of[eid]
    ok = rank >= 0
    starts = np.zeros(index.n_aids + 1, np.int64)
    np.cumsum(np.bincount(aid[ok], minlength=index.n_aids), out=starts[1:])
    return _Columns(starts, rank[ok], col_of_rank, rank_of_col)


def _lookup(index: WindowIndex, aids: np.ndarray) -> np.ndarray:
    """A lookup by article id, True for ``aids`` (the kept articles already read: the index's
    entity side is not read again)."""
    out = np.zeros(index.n_aids, bool)
    out[aids] = True
    return out


def _heads(starts: np.ndarray, take: np.ndarray) -> np.ndarray:
    """Positions of the first ``take[i]`` entries of runs beginning at ``starts[i]``."""
    total = int(take.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    shift = starts - np.r_[0, np.cumsum(take)[:-1]]
    return np.repeat(shift, take) + np.arange(total, dtype=np.int64)


def _group_same_articles(
    aids: np.ndarray, d: np.ndarray, starts: np.ndarray, live: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Group the ``live`` owners whose articles are the same (a hash, then checked exactly);
    None on a hash collision (the caller counts without groups then).

    Returns: ``(members, g_start, g_size)``: owners group by group, each group's first
    position in ``members`` (its representative) and size.
    """
    if len(live) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    mixed = mix64(aids)
    nonempty = np.flatnonzero(d > 0)
    sums = np.zeros(len(d), np.uint64)
    sums[nonempty] = np.add.reduceat(mixed, starts[nonempty])
    order = live[np.lexsort((sums[live], d[live]))]
    new = np.r_[True, (d[order][1:] != d[order][:-1]) | (sums[order][1:] != sums[order][:-1])]
    g_start = np.flatnonzero(new)
    g_size = np.diff(np.r_[g_start, len(order)])
    rep_of = order[np.repeat(g_start, g_size)]
    check = ~new
    if check.any():
        # Same length and hash: the articles must be equal, one by one.
        same = (
            aids[run_positions(starts, order[check])] == aids[run_positions(starts, rep_of[check])]
        )
        lens = d[order[check]]
        if not np.logical_and.reduceat(same, np.r_[0, np.cumsum(lens)[:-1]]).all():
            return None
    return order, g_start, g_size


def _holds(table: _Columns, aids: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Whether article ``aids[i]`` holds the column of rank ``targets[i]``: a binary search in
    its ranks (ascending), all at once."""
    lo = table.starts[aids]
    end = table.starts[aids + 1]
    hi = end.copy()
    last = max(len(table.rank) - 1, 0)
    while True:
        open_ = lo < hi
        if not open_.any():
            break
        mid = (lo + hi) >> 1
        less = table.rank[np.minimum(mid, last)] < targets
        lo = np.where(open_ & less, mid + 1, lo)
        hi = np.where(open_ & ~less, mid, hi)
    return (lo < end) & (table.rank[np.minimum(lo, last)] == targets)


def _expand(
    unit_cols: np.ndarray,
    unit_start: np.ndarray,
    unit_size: np.ndarray,
    a_unit: np.ndarray,
    b_unit: np.ndarray,
    n: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of columns of each pair of units (of one unit with itself: each two of its
    columns once), with the units' count."""
    sa, sb = unit_size[a_unit], unit_size[b_unit]
    per = sa * sb
    total = int(per.sum())
    pair = np.repeat(np.arange(len(a_unit)), per)
    local = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(per) - per, per)
    a = unit_cols[unit_start[a_unit][pair] + local // sb[pair]]
    b = unit_cols[unit_start[b_unit][pair] + local % sb[pair]]
    count = n[pair]
    keep = (a_unit[pair] != b_unit[pair]) | (a < b)
    return a[keep], b[keep], count[keep]
