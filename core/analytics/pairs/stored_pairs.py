"""Article-window pair counts kept per store version: the tops under dates, sources and kinds.

``count_pairs(window="article", top=k)`` counts pairs among the most frequent entities of the
filter (:mod:`core.analytics.pairs.article_pairs`). Those that are *members* (the
``STORE_PAIR_ENTITIES`` entities in most articles and the ``KIND_PAIR_ENTITIES`` most frequent
of each kind, so that a kind filter finds its most frequent entities here too) have their
pairs counted once per store version, per source and month (``gpair_article_src_month``), per
source and year, per month, per year, per source and in all (``gpair_article``). On a million
articles the bitmaps of a few hundred entities take seconds per query, these tables
milliseconds, for the same rows.

A date filter sums its whole years and the months around them, or subtracts the months
outside it from the totals when that reads fewer rows; the days of a month it covers in part
are counted from the articles (:func:`month_span`). Most sources are every source less those
left out. A text filter keeping most articles of its dates and sources is their counts less
the pairs of the articles it leaves out (:class:`core.analytics.pairs.article_rows.Selection`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.analytics.pairs.article_rows import (
    Selection,
    WindowIndex,
    gather_rows,
    read_article_lookup,
    read_window_index,
)
from core.analytics.pairs.article_sets import Weighed
from core.analytics.pairs.floor_pairs import count_listed_pairs
from core.analytics.pairs.pair_rows import count_row_pairs
from core.analytics.query.engine import Engine
from core.analytics.query.filters import Filter

# Pair counts are kept among the entities in most articles, and the most frequent of each kind.
STORE_PAIR_ENTITIES = 1024
KIND_PAIR_ENTITIES = 2048
PAIR_TYPES = {"ea": "int32", "eb": "int32", "n_pair": "int64"}
# A month of articles as one integer: year * 12 + month - 1.
MONTH_SQL = "(year(day) * 12 + month(day) - 1)::INTEGER"


def month_index(day: dt.date) -> int:
    """``day``'s month as ``year * 12 + month - 1`` (as MONTH_SQL computes it)."""
    return day.year * 12 + day.month - 1


def month_span(
    date_from: dt.date | None, date_to: dt.date | None
) -> tuple[tuple[int, int] | None, list[tuple[dt.date, dt.date]]]:
    """Split a date range into whole months and the days of months it covers in part.

    Returns: ``(months, parts)``: ``months`` the first and last whole month inside the range
    (month indexes; None when there is none; an open end is the widest month index), and
    ``parts`` the (first day, last day) ranges left, each within one month.
    """
    lo = date_from or dt.date.min
    hi = date_to or dt.date.max
    if lo > hi:
        return None, []
    first = month_index(lo) + (0 if lo.day == 1 else 1)
    next_day = hi + dt.timedelta(days=1) if hi < dt.date.max else None
    last = month_index(hi) - (0 if next_day is None or next_day.day == 1 else 1)
    if first > last:  # within one month, or over two months neither of them whole
        if month_index(lo) == month_index(hi):
            return None, [(lo, hi)]
        return None, [(lo, _month_end(lo)), (hi.replace(day=1), hi)]
    parts = []
    if lo.day != 1:
        parts.append((lo, _month_end(lo)))
    if next_day is not None and next_day.day != 1:
        parts.append((hi.replace(day=1), hi))
    return (first, last), parts


@dataclass(frozen=True)
class StoredScope:
    """The articles of a filter as the stored counts see them: sources, whole months, and
    the days of months covered in part (counted from the articles)."""

    sids: tuple[int, ...] | None  # None: every source
    months: tuple[int, int] | None  # None: every month (no date filter)
    parts: tuple[tuple[dt.date, dt.date], ...] = ()


def stored_scope(eng: Engine, flt: Filter) -> StoredScope | None:
    """The scope of ``flt``'s articles in the stored counts; None when they cannot say it (a
    text, language, metadata or articles-that-mention filter; dates without a whole month)."""
    if flt.needs_article_rows:
        return None
    sids = None
    if flt.sources:
        sids = tuple(sorted({eng.sources[s] for s in flt.sources if s in eng.sources}))
        if not sids:
            return None
    if not (flt.date_from or flt.date_to):
        return StoredScope(sids, None)
    months, parts = month_span(flt.date_from, flt.date_to)
    return None if months is None else StoredScope(sids, months, tuple(parts))


def count_scope_pairs(
    eng: Engine,
    scope: StoredScope,
    eids: np.ndarray,
    left: np.ndarray,
    min_support: int,
    *,
    less: Selection | None = None,
    less_weighed: Weighed | None = None,
    touching: np.ndarray | None = None,
    index: WindowIndex | None = None,
) -> pd.DataFrame | None:
    """:func:`count_stored_pairs` over ``scope``, plus its days of months covered in part
    (from the articles), less the pairs of the articles ``less`` leaves out of it (a filter
    keeping most of the scope: see :mod:`core.analytics.pairs.article_rows`); None when some
    of ``eids`` are not members. ``touching``: only pairs with a side among those are counted.
    ``index``: the window's rows in memory to read (default: every row; a narrower one holds
    every row of ``eids``). ``less_weighed``: the articles ``less`` leaves out, one per entity
    set (:mod:`core.analytics.pairs.article_sets`), read instead of them when given.

    Returns: one row per pair: ea < eb, n_pair (what ``article_pairs._count`` returns).
    """
    outside = less is not None and less.outside is not None
    support = 1 if scope.parts or outside else min_support
    found = count_stored_pairs(
        eng, eids, left, support, sids=scope.sids, months=scope.months, touching=touching
    )
    if found is None or not (scope.parts or outside):
        return found
    frames = [found]
    for lo, hi in scope.parts:
        # The few articles of these days: their rows gathered from the index in memory (a
        # semi-join of the window's rows in DuckDB cost 7-22 ms a part at 1M articles).
        conds, params = ["day BETWEEN ? AND ?"], [lo, hi]
        if scope.sids is not None:
            conds.append(f"sid IN ({', '.join(str(int(s)) for s in scope.sids)})")
        index = index or read_window_index(eng)
        rows = gather_rows(index, read_article_lookup(eng, index, conds, params))
        frames.append(count_row_pairs(eng, [], [], eids, left, 1, touching=touching, rows=rows))
    if outside and min_support > 1:
        # A later pruning round: only pairs the stored counts hold ``min_support`` times can
        # stay; those few are counted in the articles left out, pair by pair.
        index = index or read_window_index(eng)
        both = pd.concat([f.astype(PAIR_TYPES) for f in frames])
        summed = both.groupby(["ea", "eb"], as_index=False, sort=False)["n_pair"].sum()
        cand = summed[summed["n_pair"] >= int(min_support)].reset_index(drop=True)
        # Else the rows of the articles left out (holding a ``touching`` entity) are read.
        budget = float(len(less.outside[0]))
        if touching is not None:
            held = float(np.diff(index.entity_starts)[eids[touching]].sum())
            share = np.count_nonzero(less.left_out) / max(index.n_aids, 1)
            budget = min(budget, held * share * len(index.eid) / max(index.n_aids, 1))
        keep, weight = less.left_out, None
        if less_weighed is not None:
            keep, weight = less_weighed.keep, less_weighed.weight
            budget *= less_weighed.n_sets / max(int(np.count_nonzero(less.left_out)), 1)
        minus = count_listed_pairs(
            index, cand["ea"], cand["eb"], keep=keep, weight=weight, budget=budget
        )
        if minus is not None:
            cand = cand.assign(n_pair=cand["n_pair"] - minus)
            return cand[cand["n_pair"] >= int(min_support)].reset_index(drop=True)
    if outside:
        # With ``touching``, the articles left out holding one may be found from the index.
        rows, keep, weight = less.outside, less.left_out, None
        if less_weighed is not None:
            # One article per entity set: the rows of those alone, each weighed by its copies.
            index = index or read_window_index(eng)
            keep, weight = less_weighed.keep, less_weighed.weight
            rows = gather_rows(index, keep)
        minus = count_row_pairs(
            eng,
            [],
            [],
            eids,
            left,
            1,
            touching=touching,
            rows=rows,
            index=None if touching is None else index or read_window_index(eng),
            articles=keep,
            weight=weight,
        )
        frames.append(minus.assign(n_pair=-minus["n_pair"]))
    both = pd.concat([f.astype(PAIR_TYPES) for f in frames])
    summed = both.groupby(["ea", "eb"], as_index=False, sort=False)["n_pair"].sum()
    return summed[summed["n_pair"] >= max(int(min_support), 1)].reset_index(drop=True)


def _month_end(day: dt.date) -> dt.date:
    nxt = day.replace(day=28) + dt.timedelta(days=4)
    return nxt - dt.timedelta(days=nxt.day)


def stored_pair_tables(eng: Engine) -> dict[str, str]:
    """Build (once per store version) the stored pair tables; return their names by role.

    Returns: ``members`` (eid), ``src_month`` (sid, mon, ea, eb, n), ``month`` (mon, ea, eb,
    n), ``src_year`` (sid, yr, ea, eb, n), ``year`` (yr, ea, eb, n), ``src`` (sid, ea, eb,
    n), ``total`` (ea, eb, n); one row per pair of members (ea < eb) held together by ``n``
    articles of that source and month or year (``mon``, ``yr`` NULL: undated).
    """
    n = int(STORE_PAIR_ENTITIES)
    members_sql = (
        f"(SELECT eid FROM gnode_article ORDER BY n DESC, eid LIMIT {n})"
        " UNION SELECT eid FROM (SELECT g.eid, row_number() OVER (PARTITION BY e.kind"
        f" ORDER BY g.n DESC, g.eid) AS r FROM gnode_article g JOIN ent e USING (eid))"
        f" WHERE r <= {int(KIND_PAIR_ENTITIES)}"
    )
    # The engine keys a table's file by its name and SQL: every table below names the
    # members' definition, so a new definition never reads counts made for an older one.
    tag = f" /* members: {hashlib.sha1(members_sql.encode()).hexdigest()[:12]} */"
    members = eng.ensure("gpair_article_members", members_sql)
    src_month = eng.ensure(
        "gpair_article_src_month",
        f"WITH w AS (SELECT aid, sid, {MONTH_SQL} AS mon, eid FROM we_article"
        f" SEMI JOIN {members} USING (eid))"
        " SELECT x.sid, x.mon, x.eid AS ea, y.eid AS eb, count(*)::INTEGER AS n FROM w x"
        " JOIN w y ON x.aid = y.aid AND x.eid < y.eid GROUP BY ALL ORDER BY mon, sid, ea, eb" + tag,
    )
    month = eng.ensure(
        "gpair_article_month",
        f"SELECT mon, ea, eb, sum(n)::INTEGER AS n FROM {src_month} GROUP BY ALL"
        " ORDER BY mon, ea, eb" + tag,
    )
    src_year = eng.ensure(
        "gpair_article_src_year",
        f"SELECT sid, mon // 12 AS yr, ea, eb, sum(n)::INTEGER AS n FROM {src_month}"
        " GROUP BY ALL ORDER BY yr, sid, ea, eb" + tag,
    )
    year = eng.ensure(
        "gpair_article_year",
        f"SELECT yr, ea, eb, sum(n)::INTEGER AS n FROM {src_year} GROUP BY ALL"
        " ORDER BY yr, ea, eb" + tag,
    )
    src = eng.ensure(
        "gpair_article_src",
        f"SELECT sid, ea, eb, sum(n)::INTEGER AS n FROM {src_month} GROUP BY ALL"
        " ORDER BY sid, ea, eb" + tag,
    )
    total = eng.ensure(
        "gpair_article",
        f"SELECT ea, eb, sum(n)::BIGINT AS n FROM {src} GROUP BY ALL ORDER BY ea, eb" + tag,
    )
    return {
        "members": members,
        "src_month": src_month,
        "month": month,
        "src_year": src_year,
        "year": year,
        "src": src,
        "total": total,
    }


def member_mask(eng: Engine, eids: np.ndarray) -> np.ndarray:
    """True for each of ``eids`` that is a member (its pairs are stored)."""
    members = eng.memo.get("gpair_article_member_ids")
    if members is None:
        table = stored_pair_tables(eng)["members"]
        members = eng.cursor().execute(f"SELECT eid FROM {table}").fetchnumpy()["eid"]
        members = np.asarray(members, dtype=np.int64)
        eng.memo["gpair_article_member_ids"] = members
    return np.isin(np.asarray(eids, dtype=np.int64), members)


def count_stored_pairs(
    eng: Engine,
    eids: np.ndarray,
    left: np.ndarray,
    min_support: int,
    *,
    sids: tuple[int, ...] | None = None,
    months: tuple[int, int] | None = None,
    touching: np.ndarray | None = None,
) -> pd.DataFrame | None:
    """Every pair of ``eids`` (one side a ``left`` one, and one a ``touching`` one if given)
    held by ``min_support`` articles of the whole store, of sources ``sids`` and/or of the
    whole months ``months`` (first, last month index), from the stored counts; None when some
    of ``eids`` are not members.

    Returns: one row per pair: ea < eb, n_pair (what ``article_pairs._count`` returns).
    """
    t = stored_pair_tables(eng)
    cur = eng.cursor()
    touch = np.ones(len(eids), bool) if touching is None else touching
    keep = pd.DataFrame({"eid": eids.astype(np.int32), "is_left": left, "is_touch": touch})
    name = f"_store_keep_{threading.get_ident()}"
    cur.register(name, keep)
    try:
        ((inside,),) = cur.execute(
            f"SELECT count(*) FROM {name} SEMI JOIN {t['members']} USING (eid)"
        ).fetchall()
        if inside < len(keep):
            return None
        others = sorted(set(eng.sources.values()) - set(sids)) if sids is not None else []
        if sids is None or len(others) < len(sids):
            # Most sources: those of every source, less those of the sources left out.
            parts = _plan(eng, t, months, "")
            if others:
                minus = _plan(eng, t, months, _sid_in(others))
                parts += [(table, cond, -sign) for table, cond, sign in minus]
        else:
            parts = _plan(eng, t, months, _sid_in(sids))
        rows = " UNION ALL ".join(
            f"SELECT ea, eb, {'n' if sign > 0 else '-n'} AS n FROM {table}"
            f"{' WHERE ' + cond if cond else ''}"
            for table, cond, sign in parts
        )
        sql = (
            f"SELECT p.ea, p.eb, sum(p.n)::BIGINT AS n_pair FROM ({rows}) p"
            f" JOIN {name} x ON x.eid = p.ea JOIN {name} y ON y.eid = p.eb"
            " WHERE (x.is_left OR y.is_left) AND (x.is_touch OR y.is_touch)"
            " GROUP BY p.ea, p.eb HAVING sum(p.n) >= ?"
        )
        return cur.execute(sql, [max(int(min_support), 1)]).df()
    finally:
        cur.unregister(name)


def _sid_in(sids) -> str:
    return f"sid IN ({', '.join(str(int(s)) for s in sids)})"


def _plan(
    eng: Engine, t: dict[str, str], months: tuple[int, int] | None, by_sid: str
) -> list[tuple[str, str, int]]:
    """(table, condition, sign) of the rows summing to the pair counts of ``months`` (None:
    all) of the sources ``by_sid`` (a condition; empty: every source)."""
    if months is None:
        return [(t["src"] if by_sid else t["total"], by_sid, 1)]
    return _month_parts(eng, t, months, by_sid)


def _month_parts(
    eng: Engine, t: dict[str, str], months: tuple[int, int], by_sid: str
) -> list[tuple[str, str, int]]:
    """(table, condition, sign) of the rows summing to the pair counts of ``months``.

    Whole years come from the yearly counts and the months around them from the monthly
    ones: either those inside the range, or the totals minus those outside it (and the
    undated articles), whichever reads fewer rows.
    """
    sizes = _table_sizes(eng, t)
    lo, hi = sizes["span"]
    first, last = max(months[0], lo), min(months[1], hi)
    sid = f" AND {by_sid}" if by_sid else ""
    month, year = ("src_month", "src_year") if by_sid else ("month", "year")
    if first > last:
        return [(t[month], "FALSE", 1)]

    def cells(a: int, b: int) -> tuple[list[tuple[str, str, int]], float]:
        """Rows of months a..b (sign +1) and what they cost to read."""
        if a > b:
            return [], 0.0
        y1, y2 = -(-a // 12), (b + 1) // 12 - 1
        ranges = [(a, b)] if y1 > y2 else [(a, 12 * y1 - 1), (12 * (y2 + 1), b)]
        ranges = [(x, y) for x, y in ranges if x <= y]
        out = [(t[month], f"mon BETWEEN {x} AND {y}{sid}", 1) for x, y in ranges]
        cost = sum(y - x + 1 for x, y in ranges) * sizes[month]
        if y1 <= y2:
            out.append((t[year], f"yr BETWEEN {y1} AND {y2}{sid}", 1))
            cost += (y2 - y1 + 1) * sizes[year]
        return out, cost

    inside, inside_cost = cells(first, last)
    before, before_cost = cells(lo, first - 1)
    after, after_cost = cells(last + 1, hi)
    outside_cost = sizes["src" if by_sid else "total"] + before_cost + after_cost
    if inside_cost <= outside_cost:
        return inside
    undated = (t[month], f"mon IS NULL{sid}", -1)
    whole = (t["src"] if by_sid else t["total"], by_sid, 1)
    return [whole, undated, *[(tb, cond, -1) for tb, cond, _ in before + after]]


def _table_sizes(eng: Engine, t: dict[str, str]) -> dict:
    """Rows per month and per year of the monthly and yearly tables, rows of the totals, and
    the span of months (kept per store version)."""
    sizes = eng.memo.get("gpair_article_sizes")
    if sizes is None:
        cur = eng.cursor()
        lo, hi = cur.execute(f"SELECT min(mon), max(mon) FROM {t['month']}").fetchone()
        lo, hi = lo or 0, hi or 0
        n_months, n_years = hi - lo + 1, hi // 12 - lo // 12 + 1
        sizes = {"span": (lo, hi)}
        for key, per in (
            ("month", n_months),
            ("src_month", n_months),
            ("year", n_years),
            ("src_year", n_years),
            ("src", 1),
            ("total", 1),
        ):
            ((n,),) = cur.execute(f"SELECT count(*) FROM {t[key]}").fetchall()
            sizes[key] = n / max(per, 1)
        eng.memo["gpair_article_sizes"] = sizes
    return sizes
