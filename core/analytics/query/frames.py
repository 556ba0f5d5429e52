"""Helpers every analytics module shares: typed result frames and calendar periods in SQL.

(Kept apart from :mod:`core.analytics.query.engine`, which re-exports them.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
import pyarrow as pa

from core.schema import DATE


def typed(df: pd.DataFrame, dtypes: Mapping[str, object]) -> pd.DataFrame:
    """Return a new frame with exactly ``dtypes``' columns, in order, at those dtypes."""
    n = len(df)
    out = {}
    for col, dtype in dtypes.items():
        if col in df.columns:
            series = df[col].reset_index(drop=True)
        else:
            series = pd.Series([None] * n, dtype=object)
        out[col] = as_date(series) if dtype == DATE else series.astype(dtype)
    return pd.DataFrame(out, index=pd.RangeIndex(n))


def as_date(series: pd.Series) -> pd.Series:
    """``series`` (datetimes, dates, ISO strings or nulls) as the schema's date dtype."""
    if series.dtype == DATE:
        return series.reset_index(drop=True)
    values = pd.to_datetime(series, errors="coerce")
    dates = [None if pd.isna(v) else v.date() for v in values]
    return pd.Series(pa.array(dates, type=pa.date32()).to_pandas(types_mapper=pd.ArrowDtype))


PERIODS = ("day", "week", "month", "year")


def period_sql(freq: str | None, column: str = "day") -> str:
    """SQL of the period start for ``freq`` (weeks start on Monday)."""
    if freq not in PERIODS:
        raise ValueError(f"unknown freq {freq!r}; valid: {', '.join(PERIODS)}")
    if freq == "day":
        return column
    return f"CAST(date_trunc('{freq}', {column}) AS DATE)"


def period_end(start: dt.date, freq: str) -> dt.date:
    """The first day after the period of ``freq`` starting at ``start``."""
    if freq == "day":
        return start + dt.timedelta(days=1)
    if freq == "week":
        return start + dt.timedelta(days=7)
    if freq == "month":
        return dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    if freq == "year":
        return dt.date(start.year + 1, 1, 1)
    raise ValueError(f"unknown freq {freq!r}; valid: {', '.join(PERIODS)}")
