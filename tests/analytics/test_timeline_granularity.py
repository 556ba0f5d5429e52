"""Referenced dates at their own granularity: a chart of one period counts only the expressions
that lie within one such period, and says what it left out (core/analytics/timeline.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.analytics.query.filters import Filter
from core.analytics.timeline import (
    count_coarser_dates,
    count_referenced_dates,
    count_referenced_periods,
    find_date_evidence,
    last_day,
    resolve_timex,
)
from tests.analytics.query.test_analytics_filters import make_store

D = dt.date

# One dated article (August 2022) and one undated, with expressions of every resolution.
DOCS = [
    {
        "id": "g1",
        "source": "BBC",
        "published": "2022-08-15",
        "text": "One two three four five six seven eight nine ten eleven.",
        "dates": [
            ("One", "DATE", "2022-08-15"),  # day
            ("two", "DATE", "2022-08"),  # month
            ("three", "DATE", "2022"),  # year
            ("four", "DATE", "2022-Q3"),  # quarter
            ("five", "DATE", "199"),  # decade
            ("six", "DATE", "2022-W31"),  # 1-7 August: within August
            ("seven", "DATE", "2022-W35"),  # 29 August - 4 September: straddles two months
            ("eight", "DATE", "2022-WI"),  # December 2022 - February 2023: straddles years
            ("nine", "DATE", "2022-SU"),  # June - August 2022
            ("ten", "DATE", "2021"),  # year
        ],
    },
    {
        "id": "g2",
        "source": "BBC",
        "published": None,
        "text": "Alpha beta gamma.",
        "dates": [("Alpha", "DATE", "2022"), ("beta", "DATE", "2022-08-03")],
    },
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("granularity") / "store", DOCS)


@pytest.mark.parametrize(
    ("value", "end"),
    [
        ("2022-08-15", D(2022, 8, 15)),
        ("2022-W35", D(2022, 9, 4)),
        ("2022-02", D(2022, 2, 28)),
        ("2024-02", D(2024, 2, 29)),
        ("2022-Q4", D(2022, 12, 31)),
        ("2022-H1", D(2022, 6, 30)),
        ("2022-WI", D(2023, 2, 28)),
        ("2022", D(2022, 12, 31)),
        ("199", D(1999, 12, 31)),
        ("19", D(1999, 12, 31)),
        ("9999", D(9999, 12, 31)),
        ("999", dt.date.max),  # the 9990s end past the calendar: its last day
    ],
)
def test_last_day(value, end):
    assert last_day(*resolve_timex(value)) == end


def _by_resolution(df) -> dict[str, int]:
    return {r: int(n) for r, n in df.groupby("resolution")["n_expressions"].sum().items()}


@pytest.mark.parametrize(
    ("freq", "kept", "left_out"),
    [
        ("day", {"day": 1}, {"month", "year", "quarter", "decade", "week", "season"}),
        ("week", {"day": 1, "week": 2}, {"month", "year", "quarter", "decade", "season"}),
        (
            "month",
            {"day": 1, "month": 1, "week": 1},
            {"year", "quarter", "decade", "season", "week"},
        ),
        (
            "year",
            {"day": 1, "month": 1, "week": 2, "year": 2, "quarter": 1, "season": 1},
            {"decade", "season"},
        ),
    ],
)
def test_a_chart_counts_only_what_fits_one_of_its_periods(store, freq, kept, left_out):
    cells = count_referenced_dates(store, freq=freq, coarser="leave_out")
    assert _by_resolution(cells) == kept
    coarse = count_coarser_dates(store, freq=freq)
    assert set(coarse["resolution"]) == left_out
    # Nothing is lost: what is drawn plus what is left out is every expression.
    every = count_referenced_dates(store, freq=freq)
    assert cells["n_expressions"].sum() + coarse["n_expressions"].sum() == 10
    assert every["n_expressions"].sum() == 10
    # The cube (no filter) and the row path (a search) agree.
    rows = count_referenced_dates(store, Filter(q="one"), freq=freq, coarser="leave_out")
    assert rows.equals(cells)


def test_month_chart_does_not_pile_years_on_january(store):
    old = count_referenced_dates(store, freq="month")
    january = old[old["referenced_period"] == D(2022, 1, 1)]
    assert set(january["resolution"]) == {"year"}  # the first_period behaviour, kept
    new = count_referenced_dates(store, freq="month", coarser="leave_out")
    assert D(2022, 1, 1) not in set(new["referenced_period"])
    assert set(new["referenced_period"]) == {D(2022, 8, 1)}


def test_left_out_expressions_keep_their_own_span(store):
    coarse = count_coarser_dates(store, freq="year")
    rows = {(r.resolution, r.referenced_from, r.referenced_to) for r in coarse.itertuples()}
    assert rows == {
        ("decade", D(1990, 1, 1), D(1999, 12, 31)),
        ("season", D(2022, 12, 1), D(2023, 2, 28)),
    }
    assert list(coarse.columns) == [
        "referenced_from",
        "resolution",
        "referenced_to",
        "n_expressions",
        "n_articles",
    ]
    assert count_coarser_dates(store, Filter(q="nothing like this")).empty
    # The cube (no filter, or a source) and the row path (a search) agree.
    for freq in ("day", "month", "year"):
        for undated in (False, True):
            cube = count_coarser_dates(
                store, Filter(sources=("BBC",)), freq=freq, include_undated=undated
            )
            rows = count_coarser_dates(
                store, Filter(q="one OR alpha"), freq=freq, include_undated=undated
            )
            assert cube.equals(rows) and cube.equals(
                count_coarser_dates(store, freq=freq, include_undated=undated)
            )
    assert count_coarser_dates(store, Filter(sources=("nobody",))).empty


def test_undated_articles_count_only_when_asked(store):
    periods = count_referenced_periods(store, freq="month", coarser="leave_out")
    assert _by_resolution(periods) == {"day": 2, "month": 1, "week": 1}
    coarse = count_coarser_dates(store, freq="month", include_undated=True)
    assert _by_resolution(coarse)["year"] == 3  # 2022 twice, 2021 once
    assert _by_resolution(count_coarser_dates(store, freq="month"))["year"] == 2


@pytest.mark.parametrize("freq", ["day", "week", "month", "year"])
def test_evidence_of_a_cell_and_of_a_left_out_span_match_the_counts(store, freq):
    for r in count_referenced_dates(store, freq=freq, coarser="leave_out").itertuples():
        ev = find_date_evidence(
            store,
            published_period=r.published_period,
            referenced_period=r.referenced_period,
            resolution=r.resolution,
            freq=freq,
            limit=None,
            coarser="leave_out",
        )
        assert len(ev) == r.n_expressions
    for r in count_coarser_dates(store, freq=freq).itertuples():
        ev = find_date_evidence(
            store, referenced_from=r.referenced_from, resolution=r.resolution, freq=freq, limit=None
        )
        assert len(ev) == r.n_expressions
        assert set(ev["referenced"]) == {r.referenced_from}
    # The week of 29 August: left out of the month chart, and not mixed with September's weeks.
    ev = find_date_evidence(store, referenced_from=D(2022, 8, 29), freq="month", limit=None)
    assert ev["value"].tolist() == ["2022-W35"]
    cell = find_date_evidence(
        store, referenced_period=D(2022, 8, 1), freq="month", limit=None, coarser="leave_out"
    )
    assert sorted(cell["value"]) == ["2022-08", "2022-08-15", "2022-W31"]


def test_unknown_coarser_is_refused(store):
    with pytest.raises(ValueError, match="valid: first_period, leave_out"):
        count_referenced_dates(store, coarser="spread")
