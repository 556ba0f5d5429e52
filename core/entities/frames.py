"""Small table helpers of the entity resolution."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd


def map_unique(series: pd.Series, fn: Callable) -> pd.Series:
    """``series.map(fn)`` computing ``fn`` once per distinct value (names repeat a lot)."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    values = np.array([fn(u) for u in uniques], dtype=object)
    return pd.Series(values[codes], index=series.index)
