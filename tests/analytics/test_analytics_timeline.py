"""Referenced-dates timeline: TIMEX3 resolution, counts per period pair, evidence."""

from __future__ import annotations

import datetime as dt

import pytest

from core.analytics.query.filters import Filter
from core.analytics.timeline import count_referenced_dates, find_date_evidence, resolve_timex
from tests.analytics.query.test_analytics_filters import DOCS, make_store

D = dt.date
COUNT_COLUMNS = [
    "published_period",
    "referenced_period",
    "resolution",
    "n_expressions",
    "n_articles",
]


@pytest.mark.parametrize(
    ("value", "want"),
    [
        ("2022-08-15", (D(2022, 8, 15), "day")),
        ("2022-08-15T10:30", (D(2022, 8, 15), "day")),
        ("2022-08-15TMO", (D(2022, 8, 15), "day")),
        ("2022-W33", (D(2022, 8, 15), "week")),
        ("2021-W01-WE", (D(2021, 1, 4), "week")),  # ISO week 1 of 2021 starts on 4 January
        ("2022-08", (D(2022, 8, 1), "month")),
        ("2022-Q3", (D(2022, 7, 1), "quarter")),
        ("2022-H2", (D(2022, 7, 1), "half")),
        ("2022-WI", (D(2022, 12, 1), "season")),
        ("1991", (D(1991, 1, 1), "year")),
        ("199", (D(1990, 1, 1), "decade")),
        ("19", (D(1900, 1, 1), "century")),
        ("PAST_REF", None),
        ("XXXX-08-15", None),
        ("P3Y", None),
        ("2022-02-30", None),
        ("2022-13", None),
        ("", None),
        (None, None),
    ],
)
def test_resolve_timex(value, want):
    assert resolve_timex(value) == want


@pytest.fixture(scope="module")
def dated(tmp_path_factory):
    docs = [
        {
            **DOCS[0],
            "dates": [
                ("met", "DATE", "1991"),
                ("spoke", "DATE", "2022-08-15"),
                ("big", "DATE", "2022-08"),
            ],
        },
        {
            **DOCS[1],
            "dates": [
                ("agreed", "DATE", "199"),
                ("objected", "DURATION", "P3Y"),
                ("The", "DATE", "PAST_REF"),
            ],
        },
        {
            **DOCS[2],
            "dates": [("today", "DATE", "2022-09-01"), ("weather", "TIME", "2022-09-01T09:00")],
        },
        {**DOCS[3], "dates": [("note", "DATE", "2022-W33")]},  # undated article: left out
    ]
    return make_store(tmp_path_factory.mktemp("dated") / "store", docs)


def test_count_referenced_dates_by_month(dated):
    df = count_referenced_dates(dated)
    assert list(df.columns) == COUNT_COLUMNS
    assert [str(t) for t in df.dtypes] == [
        "date32[day][pyarrow]",
        "date32[day][pyarrow]",
        "string",
        "Int64",
        "Int64",
    ]
    assert [tuple(r) for r in df.itertuples(index=False)] == [
        (D(2022, 8, 1), D(1990, 1, 1), "decade", 1, 1),
        (D(2022, 8, 1), D(1991, 1, 1), "year", 1, 1),
        (D(2022, 8, 1), D(2022, 8, 1), "day", 1, 1),
        (D(2022, 8, 1), D(2022, 8, 1), "month", 1, 1),
        (D(2022, 9, 1), D(2022, 9, 1), "day", 2, 1),
    ]
    yearly = count_referenced_dates(dated, freq="year")
    assert yearly["published_period"].unique().tolist() == [D(2022, 1, 1)]
    with pytest.raises(ValueError, match="valid: day, week, month, year"):
        count_referenced_dates(dated, freq="decade")


def test_filters_restrict_articles(dated):
    bbc = count_referenced_dates(dated, Filter(sources=("Rewrite",)))
    assert bbc[["referenced_period", "resolution"]].values.tolist() == [[D(1990, 1, 1), "decade"]]
    us = count_referenced_dates(dated, Filter(entities=("United States",)))
    assert us["n_expressions"].sum() == 1  # only a2 mentions the United States
    empty = count_referenced_dates(dated, Filter(q="no such words"))
    assert empty.empty and list(empty.columns) == COUNT_COLUMNS


def test_date_evidence_agrees_with_counts_and_highlights(dated):
    counts = count_referenced_dates(dated, freq="day")
    for r in counts.itertuples():
        ev = find_date_evidence(
            dated,
            published_period=r.published_period,
            referenced_period=r.referenced_period,
            resolution=r.resolution,
            freq="day",
            limit=None,
        )
        assert len(ev) == r.n_expressions
        for e in ev.itertuples():
            assert e.sentence_text[e.start_in_sentence : e.end_in_sentence] == e.expression
    ev = find_date_evidence(dated, referenced_period=D(2022, 9, 1), freq="month")
    assert list(ev.columns) == [
        "article_id",
        "source",
        "published",
        "title",
        "sentence",
        "sentence_text",
        "start_in_sentence",
        "end_in_sentence",
        "start_char",
        "end_char",
        "expression",
        "type",
        "value",
        "referenced",
        "resolution",
    ]
    assert ev[["expression", "type", "value", "referenced"]].values.tolist() == [
        ["weather", "TIME", "2022-09-01T09:00", D(2022, 9, 1)],
        ["today", "DATE", "2022-09-01", D(2022, 9, 1)],
    ]
    assert ev["sentence_text"].tolist() == [
        "The weather was fine.",
        "Nothing happened in Russia today.",
    ]
    assert len(find_date_evidence(dated, referenced_period=D(1990, 1, 1), freq="year")) == 1


@pytest.mark.parametrize("freq", ["day", "month", "year"])
def test_cube_and_row_paths_agree(dated, freq):
    cube = count_referenced_dates(dated, Filter(sources=("BBC", "Rewrite")), freq=freq)
    rows = count_referenced_dates(dated, Filter(q="a"), freq=freq)  # every text has an "a"
    assert cube.equals(rows) and len(cube) > 0


def test_referenced_periods_include_undated_articles(dated):
    from core.analytics.timeline import count_referenced_periods

    df = count_referenced_periods(dated, freq="year")
    assert list(df.columns) == [
        "referenced_period",
        "resolution",
        "n_expressions",
        "n_articles",
    ]
    got = {(r.referenced_period.year, r.resolution): r.n_expressions for r in df.itertuples()}
    dated_total = count_referenced_dates(dated, freq="year")["n_expressions"].sum()
    # Every dated expression plus the undated article's week.
    assert df["n_expressions"].sum() == dated_total + 1
    assert got[(2022, "week")] == 1
    ev = find_date_evidence(
        dated, referenced_period=D(2022, 1, 1), freq="year", include_undated=True, limit=None
    )
    assert len(ev) == sum(v for (y, _r), v in got.items() if y == 2022)
    assert ev["published"].isna().sum() == 1  # the undated article, listed last
    assert ev["published"].isna().tolist()[-1]
    assert count_referenced_periods(dated, Filter(sources=("nobody",))).empty


def test_date_evidence_pages(dated):
    full = find_date_evidence(dated, limit=None)
    pages = [find_date_evidence(dated, limit=2, offset=i) for i in range(0, len(full), 2)]
    assert [r for p in pages for r in p["value"]] == full["value"].tolist()


def test_suggest_date_range_ignores_far_outliers():
    import pandas as pd

    from core.analytics.timeline import suggest_date_range

    cells = pd.DataFrame(
        {
            "published_period": [D(2020, 1, 1)] * 4 + [D(2020, 12, 1)],
            "referenced_period": [D(1825, 1, 1), D(2019, 6, 1), D(2020, 1, 1), D(2100, 1, 1)]
            + [D(2020, 12, 1)],
            "resolution": ["year", "month", "month", "year", "month"],
            "n_expressions": [1, 40, 100, 1, 60],
            "n_articles": [1, 10, 10, 1, 10],
        }
    )
    got = suggest_date_range(cells)
    assert got["n_expressions"] == 202
    assert got["n_outside"] == 2  # 1825 and 2100
    lo, hi = got["referenced"]
    assert D(2019, 1, 1) < lo < D(2019, 6, 1) and D(2020, 12, 31) < hi < D(2021, 6, 1)
    plo, phi = got["published"]
    assert plo < D(2020, 1, 1) and phi > D(2020, 12, 1)
    # By year: each end reaches its last year's end plus a year.
    ylo, yhi = suggest_date_range(cells, freq="year")["published"]
    assert ylo <= D(2019, 1, 1) and yhi >= D(2021, 12, 1)
    with pytest.raises(ValueError, match="unknown freq"):
        suggest_date_range(cells, freq="decade")
    # Without publication dates: the referred dates alone.
    alone = suggest_date_range(cells.drop(columns="published_period"))
    assert alone["published"] is None and alone["n_outside"] == 2
    assert D(2019, 1, 1) < alone["referenced"][0] < D(2019, 6, 1)
    # Everything shown when asked to cover it all.
    assert suggest_date_range(cells, coverage=1.0)["n_outside"] == 0
    empty = suggest_date_range(cells.iloc[0:0])
    assert empty == {"published": None, "referenced": None, "n_outside": 0, "n_expressions": 0}


def test_suggest_date_range_beyond_pandas_timestamps():
    import pandas as pd

    from core.analytics.timeline import suggest_date_range

    cells = pd.DataFrame(
        {
            "referenced_period": [D(500, 1, 1), D(2004, 1, 1), D(3000, 1, 1)],
            "resolution": ["year"] * 3,
            "n_expressions": [1, 300, 1],
            "n_articles": [1, 100, 1],
        }
    )
    main = suggest_date_range(cells, freq="year")
    assert main["n_outside"] == 2 and D(2001, 1, 1) < main["referenced"][0] < D(2004, 1, 1)
    every = suggest_date_range(cells, freq="year", coverage=1.0)
    assert every["n_outside"] == 0
    assert every["referenced"][0] < D(500, 1, 1) and every["referenced"][1] > D(3000, 1, 1)
