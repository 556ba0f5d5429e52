"""Which part of a referenced-dates chart to show first: the publication span and where most
expressions point (cells of :mod:`core.analytics.timeline`)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

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
