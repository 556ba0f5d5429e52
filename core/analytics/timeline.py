"""The Dates page: which days, months and years the articles talk about, and when they did.

A time expression counts when its TIMEX3 type is DATE or TIME and its value resolves to a
calendar position (see :func:`resolve_timex`): day ``2022-08-15`` (TIME values like
``2022-08-15T10:00`` too), ISO week ``2022-W33``, month ``2022-08``, quarter ``2022-Q3``, half
``2022-H2``, season ``2022-SU``, year ``2022``, decade ``199`` (1990s) and century ``19``. Values
that do not (``PAST_REF``, ``XXXX-08-15``, durations, sets) are left out.

Filter semantics: the article-level fields choose the articles; mention-level fields keep the
articles holding such a mention (dates are not mentions). Articles without a publication date
are left out (they have no published period).
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

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


def _dates_table(eng: Engine, *, dated: bool = True) -> str:
    """Build (once) ``dref``: resolvable DATE/TIME expressions with their article keys.

    ``dated`` keeps only articles with a publication date (``dref``); without it, all
    (``dref_any``, for corpora without publication dates).
    """
    name = "dref" if dated else "dref_any"
    if eng.has(name):
        return name
    values = eng.df("SELECT DISTINCT value FROM pq_dates WHERE value IS NOT NULL")["value"]
    rows = []
    for v in values:
        hit = resolve_timex(v)
        if hit:
            rows.append({"value": v, "ref": hit[0], "resolution": hit[1]})
    resolved = pd.DataFrame(rows, columns=["value", "ref", "resolution"])
    resolved["ref"] = pd.to_datetime(resolved["ref"])
    return eng.ensure(
        name,
        "SELECT a.aid, a.sid, a.day, d.sentence::INTEGER AS sentence,"
        " d.start_char::INTEGER AS start_char, d.end_char::INTEGER AS end_char, d.text,"
        " d.type, d.value, CAST(r.ref AS DATE) AS ref, r.resolution"
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


def count_referenced_dates(
    store: Store, flt: Filter | None = None, *, freq: str = "month"
) -> pd.DataFrame:
    """Count resolvable time expressions by when they were written and what they refer to.

    Both periods are truncated to ``freq`` (day, week, month or year); a coarser expression
    ("1991") lands on the first period it covers and keeps its ``resolution``.

    Returns: one row per (published_period, referenced_period, resolution): n_expressions,
    n_articles; sorted by published then referenced period.
    """
    flt = flt or Filter()
    eng = engine_for(store)
    table = _dates_table(eng)
    inner = (
        f"SELECT sid, {_trunc(freq, 'day')} AS published_period,"
        f" {_trunc(freq, 'ref')} AS referenced_period, resolution, aid, count(*) AS n"
        f" FROM {table}"
    )
    if not (flt.date_from or flt.date_to or flt.needs_article_rows or flt.has_mention_filter):
        # Per (source, period pair) cube: exact, as each article has one source and period.
        rel = eng.ensure(
            f"dcube_{freq}",
            "SELECT sid, published_period, referenced_period, resolution,"
            " sum(n) AS n_expressions, count(*) AS n_articles"
            f" FROM ({inner} GROUP BY ALL) GROUP BY ALL",
        )
        conds, params = eng.article_conds(flt, aid=None)
        counts = "sum(n_expressions) AS n_expressions, sum(n_articles) AS n_articles"
    else:
        # Per article first, then per cell: faster than count(DISTINCT aid).
        conds, params = _conds(eng, flt)
        rel = f"({inner} {where(conds)} GROUP BY ALL)"
        conds = []
        counts = "sum(n) AS n_expressions, count(*) AS n_articles"
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
) -> pd.DataFrame:
    """List the expressions behind one cell of :func:`count_referenced_dates` (same ``freq``).

    Without ``limit`` the number of rows equals the cell's n_expressions; ``offset`` skips
    that many first (pages). ``include_undated`` lists expressions of articles without a
    publication date too (the cells of :func:`count_referenced_periods`).

    Returns: one row per expression, newest article first: article_id, source, published,
    title, sentence, sentence_text, start_in_sentence, end_in_sentence (offsets of the
    expression in sentence_text), start_char, end_char, expression (as written), type, value,
    referenced (first day it names), resolution.
    """
    flt = flt or Filter()
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
    store: Store, flt: Filter | None = None, *, freq: str = "month"
) -> pd.DataFrame:
    """Count resolvable time expressions by the period they refer to, dated articles or not.

    The view for a corpus without publication dates: what times do the articles talk about?
    (A date filter still drops undated articles, as everywhere.)

    Returns: one row per (referenced_period, resolution): n_expressions, n_articles; sorted by
    referenced period.
    """
    flt = flt or Filter()
    eng = engine_for(store)
    table = _dates_table(eng, dated=False)
    conds, params = _conds(eng, flt)
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


_PERIOD_DAYS = {"day": 1, "week": 7, "month": 31, "year": 366}
FENCE_IQR = 5


def _ordinal(value: object) -> int:
    """Day number of a date-like value; 0 when missing."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return 0
    if isinstance(value, dt.datetime):
        return value.date().toordinal()
    if isinstance(value, dt.date):
        return value.toordinal()
    return dt.date.fromisoformat(str(value)[:10]).toordinal()


def suggest_date_range(
    cells: pd.DataFrame, *, freq: str = "month", coverage: float = 0.98, margin: float = 0.05
) -> dict:
    """The ranges worth showing first for cells of :func:`count_referenced_dates` (or of
    :func:`count_referenced_periods`: no published column, no published range).

    Published: the publication span. Referred to: the central ``coverage`` of the expressions
    (weighted by n_expressions), cut at ``FENCE_IQR`` interquartile ranges beyond the quartiles
    (when ``coverage`` < 1), joined with the publication span, so a few mentions of 1825
    or 2100 do not squash the rest into a line. Both reach the end of their last ``freq``
    period and widen by ``margin`` of their span (at least one period) on each side.

    Returns: a dict with published and referenced (``(first_day, last_day)`` or None when
    ``cells`` is empty), n_outside (expressions outside the referenced range) and
    n_expressions.
    """
    out: dict = {"published": None, "referenced": None, "n_outside": 0, "n_expressions": 0}
    if cells.empty:
        return out
    if freq not in _PERIOD_DAYS:
        raise ValueError(f"unknown freq {freq!r}; valid: {', '.join(_PERIOD_DAYS)}")
    period = _PERIOD_DAYS[freq]
    # Day numbers (date.toordinal), not pandas timestamps: those stop at 1677 and 2262.
    weights = cells["n_expressions"].astype("int64").to_numpy()
    refs = np.array([_ordinal(d) for d in cells["referenced_period"]], dtype="int64")
    pubs = [_ordinal(d) for d in cells.get("published_period", pd.Series([], dtype=object))]
    pubs = [p for p in pubs if p > 0]
    order = refs.argsort(kind="stable")
    cum = weights[order].cumsum() / max(weights.sum(), 1)
    tail = (1 - coverage) / 2

    def at(share: float) -> int:  # the weighted quantile ``share`` of the referred dates
        return int(refs[order[min(int((cum < share).sum()), len(order) - 1)]])

    lo_ref, hi_ref = at(tail), at(1 - tail)
    if coverage < 1:
        # A long tail (history pieces: "1805", "the 19th century") can hold more than the
        # coverage leaves out, and squash the years most expressions refer to into a line.
        # Fences FENCE_IQR interquartile ranges (at least a year) beyond the quartiles cut it
        # (wider than Tukey's far-out 3: a decade's look back stays in view).
        q1, q3 = at(0.25), at(0.75)
        reach = FENCE_IQR * max(q3 - q1, 366)
        lo_ref, hi_ref = max(lo_ref, q1 - reach), min(hi_ref, q3 + reach)

    def widen(lo: int, hi: int) -> tuple[dt.date, dt.date]:
        hi = hi + period  # the last period's end, not its first day
        pad = max(round((hi - lo) * margin), period)
        first, last = dt.date.min.toordinal(), dt.date.max.toordinal()
        return (
            dt.date.fromordinal(max(lo - pad, first)),
            dt.date.fromordinal(min(hi + pad, last)),
        )

    if pubs:
        published = widen(min(pubs), max(pubs))
        referenced = widen(min(lo_ref, min(pubs)), max(hi_ref, max(pubs)))
    else:  # undated articles (cells of count_referenced_periods): the referred dates alone
        published, referenced = None, widen(lo_ref, hi_ref)
    lo, hi = referenced[0].toordinal(), referenced[1].toordinal()
    outside = (refs < lo) | (refs > hi)
    out.update(
        published=published,
        referenced=referenced,
        n_outside=int(weights[outside].sum()),
        n_expressions=int(weights.sum()),
    )
    return out
