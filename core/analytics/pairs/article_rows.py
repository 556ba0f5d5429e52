"""The (article, entity) rows of the article window in memory, for filters no cube holds.

A text search, a language, a metadata field or "articles mentioning these countries" keep an
arbitrary set of articles: the entity counts, the number of articles and the pairs of the
Network page's article window are then read from the rows of those articles. In DuckDB each
such read is a semi-join of every row (11.5M on a million articles, ~0.15 s, three or four per
view); here the rows are kept once per store version, indexed both ways like a sparse matrix
(CSR by article, CSC by entity: 12 bytes a row, 140 MB per million articles, read only when
such a filter, or an entity without stored pairs, is counted), so that the rows of a set of
articles, or the articles of a set of entities, cost what they hold, not what the store holds.

A filter keeping most of its dates and sources is read as its complement (:class:`Selection`):
the entity counts of the dates and sources (stored per source and day) less those of the
articles left out, whose rows alone are gathered.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.analytics.query.engine import Engine, where
from core.analytics.query.filters import Filter, in_clause

# Above this share of the articles, a boolean lookup over every row selects faster than
# gathering each article's run of rows.
GATHER_SHARE = 0.25


@dataclass(frozen=True)
class WindowIndex:
    """Every (article, entity) row of the article window, indexed by article and by entity.

    ``aid``/``eid``: the rows sorted by article, then entity; those of article ``a`` are
    ``starts[a]:starts[a + 1]``. ``entity_aids``: the articles of each entity, sorted by
    (entity, article); those of entity ``e`` start at ``entity_starts[e]`` and end before
    ``entity_starts[e + 1]``.
    """

    aid: np.ndarray  # int32
    eid: np.ndarray  # int32
    starts: np.ndarray  # int64, one more than the article ids
    entity_aids: np.ndarray  # int32
    entity_starts: np.ndarray  # int64, one more than the entity ids

    @property
    def n_aids(self) -> int:
        """One more than the largest article id (the length of a lookup by article)."""
        return len(self.starts) - 1


@dataclass(frozen=True)
class Selection:
    """The articles an article-level filter keeps, as the article window sees them.

    ``keep``: a lookup by article id (True: kept). ``nodes``/``n_articles``: each entity's
    article count among them, and how many of them hold an entity. Exactly one of ``rows``
    (their rows) and ``outside`` (the rows of the articles of ``base`` they leave out, when
    they are most of it) is set.
    """

    keep: np.ndarray
    nodes: pd.DataFrame
    n_articles: int
    base: Filter  # the filter's dates and sources alone
    rows: tuple[np.ndarray, np.ndarray] | None = None
    outside: tuple[np.ndarray, np.ndarray] | None = None
    left_out: np.ndarray | None = None  # the articles of ``outside``, as a lookup by aid


def read_window_index(eng: Engine) -> WindowIndex:
    """The article window's rows, indexed both ways (built once per engine, ~2 s per million
    articles).

    Returns: the :class:`WindowIndex` of every row of ``we_article``.
    """
    return eng.memo.get_or_build("article_window_index", lambda: _build_index(eng))


def _build_index(eng: Engine) -> WindowIndex:
    got = eng.cursor().execute("SELECT aid, eid FROM we_article ORDER BY aid, eid").fetchnumpy()
    aid = np.asarray(got["aid"], dtype=np.int32)
    eid = np.asarray(got["eid"], dtype=np.int32)
    del got
    ((n_aids, n_eids),) = (
        eng.cursor()
        .execute(
            "SELECT (SELECT coalesce(max(aid) + 1, 0) FROM a),"
            " (SELECT coalesce(max(eid) + 1, 0) FROM ent)"
        )
        .fetchall()
    )
    # Every article id of ``a`` has a place in a lookup, with rows or not.
    n_aids = max(int(n_aids), int(aid[-1]) + 1 if len(aid) else 0)
    n_eids = max(int(n_eids), int(eid.max()) + 1 if len(eid) else 0)
    starts = np.zeros(n_aids + 1, np.int64)
    np.cumsum(np.bincount(aid, minlength=n_aids), out=starts[1:])
    # A stable sort by entity keeps each entity's articles in order.
    order = np.argsort(eid, kind="stable")
    entity_aids = aid[order]
    del order
    entity_starts = np.zeros(n_eids + 1, np.int64)
    np.cumsum(np.bincount(eid, minlength=n_eids), out=entity_starts[1:])
    return WindowIndex(aid, eid, starts, entity_aids, entity_starts)


def read_kind_index(eng: Engine, kinds: tuple[str, ...]) -> WindowIndex:
    """The article window's rows of the entities of ``kinds`` alone, indexed both ways (the
    last kinds asked are kept per engine): a kind filter's pairs are read from a third of the
    rows (persons hold 37 % of them on the benchmark's million articles).

    Returns: a :class:`WindowIndex` over the same article and entity ids as
    :func:`read_window_index`, holding only those rows.
    """
    key = tuple(sorted(set(kinds)))
    last = eng.memo.get("article_window_kind_index")
    if last is not None and last[0] == key:
        return last[1]
    index = read_window_index(eng)
    found = eng.df(f"SELECT eid FROM ent WHERE {in_clause('kind', key)}", list(key))["eid"]
    wanted = np.zeros(len(index.entity_starts) - 1, bool)
    wanted[found.to_numpy(dtype=np.int64)] = True
    narrow = narrow_index(index, wanted)
    eng.memo["article_window_kind_index"] = (key, narrow)
    return narrow


def narrow_index(index: WindowIndex, wanted: np.ndarray) -> WindowIndex:
    """The rows of ``index`` whose entity is ``wanted`` (a bool per entity id), indexed both
    ways.

    Returns: a :class:`WindowIndex` over the same ids, holding only those rows.
    """
    sel = wanted[index.eid]
    aid, eid = index.aid[sel], index.eid[sel]
    starts = np.zeros(index.n_aids + 1, np.int64)
    np.cumsum(np.bincount(aid, minlength=index.n_aids), out=starts[1:])
    held = np.diff(index.entity_starts)
    entity_starts = np.zeros(len(index.entity_starts), np.int64)
    np.cumsum(np.where(wanted, held, 0), out=entity_starts[1:])
    entity_aids = index.entity_aids[np.repeat(wanted, held)]
    return WindowIndex(aid, eid, starts, entity_aids, entity_starts)


def narrow_rows(
    rows: tuple[np.ndarray, np.ndarray], index: WindowIndex
) -> tuple[np.ndarray, np.ndarray]:
    """The (aid, eid) ``rows`` whose entity has rows in ``index`` (a narrowed index).

    Returns: ``(aid, eid)``, in the order of ``rows``.
    """
    aid, eid = rows
    held = np.diff(index.entity_starts) > 0
    sel = held[eid]
    return aid[sel], eid[sel]


def read_window_rows(eng: Engine) -> tuple[np.ndarray, np.ndarray]:
    """Every row of ``we_article`` as (aid, eid) int32 arrays, sorted by aid (kept per engine).

    Returns: ``(aid, eid)``: one entry per (article, entity) present in the article.
    """
    index = read_window_index(eng)
    return index.aid, index.eid


def run_positions(starts: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Positions of the runs ``starts[i]:starts[i + 1]`` of each of ``ids``, in order (the rows
    of articles ``ids`` with ``index.starts``, the articles of entities with ``entity_starts``)."""
    lo, hi = starts[ids], starts[ids + 1]
    lens = hi - lo
    total = int(lens.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    shift = lo - np.concatenate(([0], np.cumsum(lens[:-1])))
    return np.repeat(shift, lens) + np.arange(total, dtype=np.int64)


def gather_rows(index: WindowIndex, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows of the articles a lookup by article id keeps (``keep``: bool, one per article
    id of the index at least).

    Returns: ``(aid, eid)`` int32 arrays sorted by aid.
    """
    keep = keep[: index.n_aids]
    n = int(np.count_nonzero(keep))
    if n > GATHER_SHARE * max(index.n_aids, 1):
        sel = np.zeros(index.n_aids, bool)
        sel[: len(keep)] = keep
        sel = sel[index.aid]
        return index.aid[sel], index.eid[sel]
    pos = run_positions(index.starts, np.flatnonzero(keep))
    return index.aid[pos], index.eid[pos]


def entity_articles(index: WindowIndex, eids: np.ndarray) -> np.ndarray:
    """A lookup by article id: True for the articles holding one of ``eids``.

    Returns: a bool array of ``index.n_aids`` entries.
    """
    eids = np.asarray(eids, dtype=np.int64)
    eids = eids[(eids >= 0) & (eids < len(index.entity_starts) - 1)]
    out = np.zeros(index.n_aids, bool)
    out[index.entity_aids[run_positions(index.entity_starts, eids)]] = True
    return out


def entity_runs(
    index: WindowIndex, eids: np.ndarray, keep: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The articles of each of ``eids`` (valid entity ids) that ``keep`` (a lookup by article
    id; None: all) keeps.

    Returns: ``(owner, aid)``: one entry per (entity, article), ``owner`` the entity's position
    in ``eids``; sorted by owner, then article.
    """
    eids = np.asarray(eids, dtype=np.int64)
    lens = index.entity_starts[eids + 1] - index.entity_starts[eids]
    aid = index.entity_aids[run_positions(index.entity_starts, eids)]
    owner = np.repeat(np.arange(len(eids)), lens)
    if keep is not None:
        sel = keep[aid]
        aid, owner = aid[sel], owner[sel]
    return owner, aid


def count_rows_nodes(rows: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, int]:
    """Each entity's article count in ``rows`` (by entity id), and how many articles hold a row.

    Returns: ``(n, n_articles)``: ``n[eid]`` the count (an array as long as the largest id + 1).
    """
    aid, eid = rows
    n = np.bincount(eid) if len(eid) else np.zeros(0, np.int64)
    n_articles = int(np.count_nonzero(np.diff(aid))) + 1 if len(aid) else 0
    return n, n_articles


def select_window_articles(eng: Engine, flt: Filter) -> Selection:
    """The articles ``flt`` keeps (a text, language, metadata or articles-mentioning filter),
    their entity counts, and their rows or those of the articles of their dates and sources
    they leave out, whichever are fewer (the last filter's selection is kept, for the several
    reads of one view).

    Returns: a :class:`Selection`; ``nodes`` has one row per entity present: eid, n.
    """
    conds, params = eng.article_conds(flt)
    key = (tuple(conds), tuple(map(str, params)))
    last = eng.memo.get("article_window_selection")
    if last is not None and last[0] == key:
        return last[1]
    index = read_window_index(eng)
    base = Filter(date_from=flt.date_from, date_to=flt.date_to, sources=flt.sources)
    keep = read_article_lookup(eng, index, conds, params)
    b_conds, b_params = eng.article_conds(base)
    in_base = read_article_lookup(eng, index, b_conds, b_params) if b_conds else None
    n_kept = int(np.count_nonzero(keep))
    n_base = index.n_aids if in_base is None else int(np.count_nonzero(in_base))
    if 2 * n_kept > n_base:
        # Most of the base: its stored counts less those of the articles left out.
        left_out = ~keep if in_base is None else in_base & ~keep
        outside = gather_rows(index, left_out)
        less, less_articles = count_rows_nodes(outside)
        cube, cube_params = eng.article_conds(base, aid=None)
        # The whole store's counts are kept summed; dates and sources sum their cubes.
        nodes, wins = ("node_article", "win_article") if cube else ("gnode_article", "gwin_article")
        got = eng.cursor().execute(
            f"SELECT eid, sum(n)::BIGINT AS n FROM {nodes} {where(cube)} GROUP BY eid ORDER BY eid",
            cube_params,
        )
        whole = got.fetchnumpy()
        ((total,),) = (
            eng.cursor()
            .execute(f"SELECT coalesce(sum(n), 0) FROM {wins} {where(cube)}", cube_params)
            .fetchall()
        )
        ids = np.asarray(whole["eid"], dtype=np.int64)
        n = np.asarray(whole["n"], dtype=np.int64)
        if len(less):
            inside = ids < len(less)
            n[inside] -= less[ids[inside]]
        nodes = _nodes(ids, n)
        sel = Selection(
            keep, nodes, int(total) - less_articles, base, outside=outside, left_out=left_out
        )
    else:
        rows = gather_rows(index, keep)
        n, n_articles = count_rows_nodes(rows)
        sel = Selection(keep, _nodes(np.arange(len(n)), n), n_articles, base, rows=rows)
    eng.memo["article_window_selection"] = (key, sel)
    return sel


def read_article_lookup(
    eng: Engine, index: WindowIndex, conds: list[str], params: list
) -> np.ndarray:
    """The articles of table ``a`` that ``conds`` keep, as a lookup by article id.

    Returns: a bool array of ``index.n_aids`` entries (True: kept).
    """
    got = eng.cursor().execute(f"SELECT aid FROM a {where(conds)}", params).fetchnumpy()["aid"]
    aids = np.asarray(got, dtype=np.int64)
    out = np.zeros(index.n_aids, bool)
    out[aids] = True
    return out


def _nodes(ids: np.ndarray, n: np.ndarray) -> pd.DataFrame:
    present = n > 0
    return pd.DataFrame({"eid": ids[present].astype(np.int32), "n": n[present].astype(np.int64)})


def distinct_sorted(aid: np.ndarray) -> np.ndarray:
    """The distinct values of a sorted array (no sort: one comparison per value)."""
    return aid[np.r_[True, aid[1:] != aid[:-1]]] if len(aid) else aid
