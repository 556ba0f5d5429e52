"""The Dates page: which days, months and years the articles talk about, and when they did.

A time expression counts when its TIMEX3 type is DATE or TIME and its value resolves to a
calendar position (see :func:`resolve_timex`): day ``2022-08-15`` (TIME values like
``2022-08-15T10:00`` too), ISO week ``2022-W33``, month ``2022-08``, quarter ``2022-Q3``, half
``2022-H2``, season ``2022-SU``, year ``2022``, decade ``199`` (1990s) and century ``19``. Values
that do not (``PAST_REF``, ``XXXX-08-15``, durations, sets) are left out.

Granularity: a TIMEX3 value names a span at its own resolution ("2019" is the whole year, not
1 January). A chart of ``freq`` periods can place an expression only when its whole span lies in
one period: ``coarser="leave_out"`` counts only those (a month chart leaves out "2019", "Q3
2019" and a week that straddles two months; a year chart leaves out decades, centuries and a
winter that runs into the next year), and :func:`count_coarser_dates` counts what it left out,
per resolution and own period. ``coarser="first_period"`` (the default, kept for callers that
want every expression) puts a coarser expression on the first period it covers.

Filter semantics: the article-level fields choose the articles; mention-level fields keep the
articles holding such a mention (dates are not mentions). Articles without a publication date
are left out (they have no published period).
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from core.analytics.date_ranges import suggest_date_range  # noqa: F401  (re-exported)
from core.analytics.query.engine import (
    DATE,
    EVIDENCE_CONTEXT,
    Engine,
    engine_for,
    period_end,
    typed,
    where,
)
from core.analytics.query.filters import Filter
from core.store import Store

FREQS = ("day", "week", "month", "year")
RESOLUTIONS = ("day", "week", "month", "quarter", "half", "season", "year", "decade", "century")
COARSER = ("first_period", "leave_out")
# How many months a resolution spans (day and week are counted in days).
_MONTHS = {"month": 1, "quarter": 3, "half": 6, "season": 3, "year": 12, "decade": 120}
_SEASON_MONTH = {"SP": 3, "SU": 6, "FA": 9, "AU": 9, "WI": 12}
_PATTERNS = (
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:T.*)?"), "day"),
    (re.compile(r"(\d{4})-W(\d{2})(?:-.*)?"), "week"),
    (re.compile(r"(\d{4})-(\d{2})"), "month"),
    (re.compile(r"(\d{4})-Q([1-4])"), "quarter"),
    (re.compile(r"(\d{4})-H([12])"), "half"),
    (re.compile(r"(\d{4})-(SP|SU|FA|AU|WI)"), "season"),
    (re.compile(r"(\d{4})"), "year"),
    (re.compile(r"(\d{3})"), "decade"),
    (re.compile(r"(\d{2})"), "century"),
)


def resolve_timex(value: str | None) -> tuple[dt.date, str] | None:
    """Resolve a TIMEX3 value to the first day of what it names and its resolution.

    Returns: ``(first_day, resolution)``, e.g. ``("199", ) -> (1990-01-01, "decade")``, or
    None when the value names no calendar position (or an impossible one).
    """
    if not isinstance(value, str) or not value:
        return None
    value = value.strip()
    for pattern, resolution in _PATTERNS:
        m = pattern.fullmatch(value)
        if not m:
            continue
        try:
            return _first_day(m.groups(), resolution), resolution
        except ValueError:
            return None
    return None


def _first_day(groups: tuple[str, ...], resolution: str) -> dt.date:
    year = int(groups[0])
    if resolution == "day":
        return dt.date(year, int(groups[1]), int(groups[2]))
    if resolution == "week":
        return dt.date.fromisocalendar(year, int(groups[1]), 1)
    if resolution == "month":
        return dt.date(year, int(groups[1]), 1)
    if resolution == "quarter":
        return dt.date(year, 3 * int(groups[1]) - 2, 1)
    if resolution == "half":
        return dt.date(year, 6 * int(groups[1]) - 5, 1)
    if resolution == "season":
        return dt.date(year, _SEASON_MONTH[groups[1]], 1)
    if resolution == "year":
        return dt.date(year, 1, 1)
    if resolution == "decade":
        return dt.date(year * 10, 1, 1)
    return dt.date(max(year * 100, 1), 1, 1)  # century "00" has no year 0


def last_day(first: dt.date, resolution: str) -> dt.date:
    """The last day of the span a value of ``resolution`` starting on ``first`` names.

    Returns: e.g. ``(1990-01-01, "decade") -> 1999-12-31``; a week ends six days later, a
    season three months later (winter runs into the next year).
    """
    if resolution == "day":
        return first
    if resolution == "week":
        return first + dt.timedelta(days=6)
    months = _MONTHS.get(resolution, 1200)  # a century otherwise
    years, month = divmod(first.month - 1 + months, 12)
    if first.year + years > dt.MAXYEAR:
        return dt.date.max
    return dt.date(first.year + years, month + 1, 1) - dt.timedelta(days=1)


def _dates_table(eng: Engine, *, dated: bool = True) -> str:
    """Build (once) ``dref``: resolvable DATE/TIME expressions with their article keys.

    ``dated`` keeps only articles with a publication date (``dref``); without it, all
    (``dref_any``, for corpora without publication dates). ``ref`` is the first day the
    expression names, ``ref_end`` its last.
    """
    name = "dref" if dated else "dref_any"
    if eng.has(name):
        return name
    values = eng.df("SELECT DISTINCT value FROM pq_dates WHERE value IS NOT NULL")["value"]
    rows = []
    for v in values:
        hit = resolve_timex(v)
        if hit:
            end = last_day(*hit)
            rows.append({"value": v, "ref": hit[0], "ref_end": end, "resolution": hit[1]})
    resolved = pd.DataFrame(rows, columns=["value", "ref", "ref_end", "resolution"])
    for column in ("ref", "ref_end"):
        resolved[column] = pd.to_datetime(resolved[column])
    return eng.ensure(
        name,
        "SELECT a.aid, a.sid, a.day, d.sentence::INTEGER AS sentence,"
        " d.start_char::INTEGER AS start_char, d.end_char::INTEGER AS end_char, d.text,"
        " d.type, d.value, CAST(r.ref AS DATE) AS ref, CAST(r.ref_end AS DATE) AS ref_end,"
        " r.resolution"
        " FROM pq_dates d JOIN a USING (article_id) JOIN _resolved_values r USING (value)"
        " WHERE d.type IN ('DATE', 'TIME')"
        + (" AND a.day IS NOT NULL" if dated else "")
        + " ORDER BY a.day, a.aid",
        frames={"_resolved_values": resolved},
    )


def _conds(eng: Engine, flt: Filter) -> tuple[list[str], list]:
    conds, params = eng.article_conds(flt)
    if flt.has_mention_filter:
        m_conds, m_params = eng.mention_conds(flt)
        conds.append(f"aid IN (SELECT aid FROM m {where(m_conds)})")
        params += m_params
    return conds, params


def _trunc(freq: str, column: str) -> str:
    if freq not in FREQS:
        raise ValueError(f"unknown freq {freq!r}; valid: {', '.join(FREQS)}")
    return column if freq == "day" else f"CAST(date_trunc('{freq}', {column}) AS DATE)"


def _fits(freq: str) -> str:
    """SQL: the expression's whole span lies in one ``freq`` period."""
    return f"({_trunc(freq, 'ref')} = {_trunc(freq, 'ref_end')})"


def _check_coarser(coarser: str) -> None:
    if coarser not in COARSER:
        raise ValueError(f"unknown coarser {coarser!r}; valid: {', '.join(COARSER)}")


def count_referenced_dates(
    store: Store, flt: Filter | None = None, *, freq: str = "month", coarser: str = "first_period"
) -> pd.DataFrame:
    """Count resolvable time expressions by when they were written and what they refer to.

    Both periods are truncated to ``freq`` (day, week, month or year). An expression coarser
    than one period ("1991" on a month chart) lands on the first period it covers and keeps
    its ``resolution`` (``coarser="first_period"``), or is not counted (``"leave_out"``: see
    :func:`count_coarser_dates`).

    Returns: one row per (published_period, referenced_period, resolution): n_expressions,
    n_articles; sorted by published then referenced period.
    """
    flt = flt or Filter()
    _check_coarser(coarser)
    eng = engine_for(store)
    table = _dates_table(eng)
    within = coarser == "leave_out"
    inner = (
        f"SELECT sid, {_trunc(freq, 'day')} AS published_period,"
        f" {_trunc(freq, 'ref')} AS referenced_period, resolution, aid, count(*) AS n"
        f" FROM {table}"
    )
    rel, conds, params, counts = _per_article(
        eng,
        flt,
        inner,
        [_fits(freq)] if within else [],
        cube=f"dcube_{freq}" + ("_within" if within else ""),
        keys="published_period, referenced_period, resolution",
    )
    sql = (
        f"SELECT published_period, referenced_period, resolution, {counts} FROM {rel}"
        f" {where(conds)} GROUP BY ALL ORDER BY published_period, referenced_period, resolution"
    )
    return typed(
        eng.df(sql, params),
        {
            "published_period": DATE,
            "referenced_period": DATE,
            "resolution": "string",
            "n_expressions": "Int64",
            "n_articles": "Int64",
        },
    )


def find_date_evidence(
    store: Store,
    flt: Filter | None = None,
    *,
    published_period: dt.date | None = None,
    referenced_period: dt.date | None = None,
    resolution: str | None = None,
    freq: str = "month",
    limit: int | None = 200,
    offset: int = 0,
    include_undated: bool = False,
    coarser: str = "first_period",
    referenced_from: dt.date | None = None,
) -> pd.DataFrame:
    """List the expressions behind one cell of :func:`count_referenced_dates` (same ``freq``
    and ``coarser``).

    Without ``limit`` the number of rows equals the cell's n_expressions; ``offset`` skips
    that many first (pages). ``include_undated`` lists expressions of articles without a
    publication date too (the cells of :func:`count_referenced_periods`). With
    ``coarser="leave_out"`` a ``referenced_period`` holds only the expressions within it.
    ``referenced_from`` with ``resolution`` lists instead the expressions naming that span
    (starting that day at that resolution: a row of :func:`count_coarser_dates`, "2019" on a
    month chart); without ``resolution``, those starting that day that fit no ``freq`` period.

    Returns: one row per expression, newest article first: article_id, source, published,
    title, sentence, sentence_text, start_in_sentence, end_in_sentence (offsets of the
    expression in sentence_text), start_char, end_char, expression (as written), type, value,
    referenced (first day it names), resolution.
    """
    flt = flt or Filter()
    _check_coarser(coarser)
    eng = engine_for(store)
    table = _dates_table(eng, dated=not include_undated)
    conds, params = _conds(eng, flt)
    for column, start in (("d.day", published_period), ("d.ref", referenced_period)):
        if start is not None:
            start = start if isinstance(start, dt.date) else dt.date.fromisoformat(str(start))
            _trunc(freq, column)
            end = dt.date(start.year + 1, 1, 1) if freq == "year" else period_end(start, freq)
            conds.append(f"{column} >= ? AND {column} < ?")
            params += [start, end]
            if column == "d.ref" and coarser == "leave_out":
                conds.append(_fits(freq))
    if referenced_from is not None:
        # With a resolution, the span is named whole (whatever the chart's period).
        conds.append("d.ref = ?" if resolution is not None else f"d.ref = ? AND NOT {_fits(freq)}")
        params.append(referenced_from)
    if resolution is not None:
        conds.append("d.resolution = ?")
        params.append(resolution)
    lim = f"LIMIT {int(limit)}" if limit is not None else ""
    lim += f" OFFSET {max(int(offset), 0)}" if offset else ""
    txt = eng.text_table()
    sql = (
        f"WITH d AS (SELECT * FROM {table}), hit AS (SELECT d.* FROM d {where(conds)}"
        f" ORDER BY d.day DESC NULLS LAST, d.aid, d.start_char {lim})"
        " SELECT a.article_id, a.source, a.day AS published, a.title, hit.sentence,"
        " substr(t.text, s.s_start + 1, s.s_end - s.s_start) AS sentence_text,"
        " hit.start_char - s.s_start AS start_in_sentence,"
        " hit.end_char - s.s_start AS end_in_sentence, hit.start_char, hit.end_char,"
        " hit.text AS expression, hit.type, hit.value, hit.ref AS referenced, hit.resolution"
        " FROM hit JOIN a ON a.aid = hit.aid"
        " LEFT JOIN sent s ON s.aid = hit.aid AND s.sentence = hit.sentence"
        f" LEFT JOIN {txt} t ON t.aid = hit.aid"
        " ORDER BY hit.day DESC NULLS LAST, hit.aid, hit.start_char"
    )
    return typed(
        eng.df(sql, params),
        {
            **EVIDENCE_CONTEXT,
            "expression": "string",
            "type": "string",
            "value": "string",
            "referenced": DATE,
            "resolution": "string",
        },
    )


def count_referenced_periods(
    store: Store, flt: Filter | None = None, *, freq: str = "month", coarser: str = "first_period"
) -> pd.DataFrame:
    """Count resolvable time expressions by the period they refer to, dated articles or not.

    The view for a corpus without publication dates: what times do the articles talk about?
    (A date filter still drops undated articles, as everywhere.) ``coarser`` as in
    :func:`count_referenced_dates`.

    Returns: one row per (referenced_period, resolution): n_expressions, n_articles; sorted by
    referenced period.
    """
    flt = flt or Filter()
    _check_coarser(coarser)
    eng = engine_for(store)
    table = _dates_table(eng, dated=False)
    conds, params = _conds(eng, flt)
    if coarser == "leave_out":
        conds.append(_fits(freq))
    sql = (
        f"SELECT referenced_period, resolution, sum(n) AS n_expressions,"
        f" count(*) AS n_articles FROM (SELECT {_trunc(freq, 'ref')} AS referenced_period,"
        f" resolution, aid, count(*) AS n FROM {table} {where(conds)} GROUP BY ALL)"
        " GROUP BY ALL ORDER BY referenced_period, resolution"
    )
    return typed(
        eng.df(sql, params),
        {
            "referenced_period": DATE,
            "resolution": "string",
            "n_expressions": "Int64",
            "n_articles": "Int64",
        },
    )


def _per_article(
    eng: Engine, flt: Filter, inner: str, keep: list[str], *, cube: str, keys: str
) -> tuple[str, list[str], list, str]:
    """``inner``'s rows (source, ``keys``, article: ``n``) that ``keep`` keeps, to sum per
    ``keys`` under ``flt``: a cube per (source, ``keys``) when it filters sources alone (each
    article has one source), else per filtered article (faster than count(DISTINCT aid)).

    Returns: ``(relation, its conditions, their params, SQL of n_expressions, n_articles)``.
    """
    if not (flt.date_from or flt.date_to or flt.needs_article_rows or flt.has_mention_filter):
        rel = eng.ensure(
            cube,
            f"SELECT sid, {keys}, sum(n) AS n, count(*) AS n_art"
            f" FROM ({inner} {where(keep)} GROUP BY ALL) GROUP BY ALL",
        )
        conds, params = eng.article_conds(flt, aid=None)
        return rel, conds, params, "sum(n) AS n_expressions, sum(n_art) AS n_articles"
    conds, params = _conds(eng, flt)
    rel = f"({inner} {where(conds + keep)} GROUP BY ALL)"
    return rel, [], params, "sum(n) AS n_expressions, count(*) AS n_articles"


def count_coarser_dates(
    store: Store, flt: Filter | None = None, *, freq: str = "month", include_undated: bool = False
) -> pd.DataFrame:
    """Count the expressions a ``freq`` chart with ``coarser="leave_out"`` leaves out: those
    whose span lies in no single ``freq`` period ("2019", "the 1990s" on a month chart).

    Articles without a publication date count only with ``include_undated`` (as in
    :func:`count_referenced_periods`; :func:`count_referenced_dates` has none).

    Returns: one row per (referenced_from, resolution): referenced_to (the span's last day),
    n_expressions, n_articles; sorted by referenced_from, then resolution.
    """
    flt = flt or Filter()
    eng = engine_for(store)
    table = _dates_table(eng, dated=not include_undated)
    inner = f"SELECT sid, ref, ref_end, resolution, aid, count(*) AS n FROM {table}"
    rel, conds, params, counts = _per_article(
        eng,
        flt,
        inner,
        [f"NOT {_fits(freq)}"],
        cube=f"dleft_{freq}" + ("_any" if include_undated else ""),
        keys="ref, ref_end, resolution",
    )
    sql = (
        f"SELECT ref AS referenced_from, resolution, ref_end AS referenced_to, {counts}"
        f" FROM {rel} {where(conds)} GROUP BY ref, resolution, ref_end"
        " ORDER BY referenced_from, resolution"
    )
    return typed(
        eng.df(sql, params),
        {
            "referenced_from": DATE,
            "resolution": "string",
            "referenced_to": DATE,
            "n_expressions": "Int64",
            "n_articles": "Int64",
        },
    )
