"""The Dates chart's first range when a long tail of history holds more than the coverage cut."""

from __future__ import annotations

from datetime import date as D

import pandas as pd

from core.analytics.timeline import suggest_date_range


def _cells(history: int) -> pd.DataFrame:
    refs = [D(1800 + 10 * i, 1, 1) for i in range(history)] + [D(2003, 1, 1), D(2005, 6, 1)]
    return pd.DataFrame(
        {
            "referenced_period": refs,
            "resolution": ["year"] * len(refs),
            "n_expressions": [1] * history + [50, 50],
            "n_articles": [1] * len(refs),
        }
    )


def test_a_long_history_tail_is_cut_at_the_far_out_fence():
    cells = _cells(10)  # 10 of 110 expressions, far more than the 1 % each side coverage leaves
    got = suggest_date_range(cells, freq="year")
    lo, hi = got["referenced"]
    assert D(1980, 1, 1) < lo < D(2003, 1, 1) and D(2005, 6, 1) < hi < D(2022, 1, 1)
    assert got["n_outside"] == 10 and got["n_expressions"] == 110
    every = suggest_date_range(cells, freq="year", coverage=1.0)
    assert every["referenced"][0] < D(1800, 1, 1) and every["n_outside"] == 0


def test_one_period_of_dates_keeps_a_year_of_room():
    cells = _cells(0).assign(referenced_period=[D(2005, 6, 1)] * 2)
    lo, hi = suggest_date_range(cells, freq="month")["referenced"]
    assert lo < D(2005, 6, 1) < hi and (hi - lo).days < 400
