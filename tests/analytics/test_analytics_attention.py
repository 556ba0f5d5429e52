"""Attention series: every period of the span present (zeros), normalised per period."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from core.analytics.attention import (
    count_article_series,
    count_corpus_periods,
    count_entity_series,
    count_query_series,
    count_undated,
    list_periods,
    period_start,
)
from core.analytics.query.filters import Filter
from tests.analytics.query.test_analytics_filters import make_store

RU = ("Russia", "country", "RUS")
UA = ("Ukraine", "country", "UKR")
D = dt.date


@pytest.fixture(scope="module")
def gap_store(tmp_path_factory):
    """Jan and Mar 2024 have articles, Feb has none; one article is undated."""
    return make_store(
        tmp_path_factory.mktemp("attention") / "s",
        [
            {
                "id": "a1",
                "source": "BBC",
                "published": "2024-01-10",
                "text": "Russia and Russia again. Ukraine too.",
                "mentions": {"Russia": RU, "Ukraine": UA},
            },
            {
                "id": "a2",
                "source": "Dawn, Karachi",
                "published": "2024-01-20",
                "text": "Nothing here at all today.",
            },
            {
                "id": "a3",
                "source": "BBC",
                "published": "2024-03-05",
                "text": "Ukraine said so.",
                "mentions": {"Ukraine": UA},
            },
            {
                "id": "a4",
                "source": "BBC",
                "published": None,
                "text": "Russia, undated.",
                "mentions": {"Russia": RU},
            },
        ],
    )


def test_periods():
    assert period_start(D(2024, 3, 7), "week") == D(2024, 3, 4)
    assert period_start(D(2024, 3, 7), "month") == D(2024, 3, 1)
    assert list_periods(D(2023, 12, 30), D(2024, 2, 1), "month") == [
        D(2023, 12, 1),
        D(2024, 1, 1),
        D(2024, 2, 1),
    ]
    assert list_periods(D(2024, 1, 2), D(2024, 1, 1), "day") == []
    with pytest.raises(ValueError, match="coarser"):
        list_periods(D(1825, 1, 1), D(2100, 1, 1), "day", max_periods=1000)
    with pytest.raises(ValueError, match="unknown freq"):
        period_start(D(2024, 1, 1), "fortnight")


def test_year_periods(gap_store):
    assert period_start(D(2024, 3, 7), "year") == D(2024, 1, 1)
    assert list_periods(D(2022, 5, 1), D(2024, 2, 1), "year") == [
        D(2022, 1, 1),
        D(2023, 1, 1),
        D(2024, 1, 1),
    ]
    df = count_entity_series(gap_store, entities=["Russia"], freq="year")
    months = count_entity_series(gap_store, entities=["Russia"], freq="month")
    assert df["period"].tolist() == [D(2024, 1, 1)]
    assert df["n_mentions"].tolist() == [months["n_mentions"].sum()]
    assert df["corpus_articles"].tolist() == [months["corpus_articles"].sum()]


def test_corpus_periods_fill_the_gap(gap_store):
    df = count_corpus_periods(gap_store, freq="month")
    assert df["period"].tolist() == [D(2024, 1, 1), D(2024, 2, 1), D(2024, 3, 1)]
    assert df["corpus_articles"].tolist() == [2, 0, 1]
    assert df["corpus_words"].tolist()[1] == 0
    assert str(df["period"].dtype) == "date32[day][pyarrow]"
    # The filter's own bounds widen the span (zeros before and after).
    wide = count_corpus_periods(
        gap_store, Filter(date_from="2023-12-15", date_to="2024-04-02"), freq="month"
    )
    assert wide["corpus_articles"].tolist() == [0, 2, 0, 1, 0]


def test_entity_series_zero_filled_and_normalised(gap_store):
    df = count_entity_series(gap_store, entities=["Russia", "Ukraine", "Atlantis"], freq="month")
    assert list(df.columns) == [
        "entity",
        "period",
        "n_mentions",
        "n_articles",
        "share_articles",
        "per_1000_words",
        "corpus_articles",
        "corpus_words",
    ]
    got = {(r.entity, r.period.month): (r.n_mentions, r.n_articles) for r in df.itertuples()}
    assert got == {
        ("Russia", 1): (2, 1),
        ("Russia", 2): (0, 0),
        ("Russia", 3): (0, 0),
        ("Ukraine", 1): (1, 1),
        ("Ukraine", 2): (0, 0),
        ("Ukraine", 3): (1, 1),
        ("Atlantis", 1): (0, 0),
        ("Atlantis", 2): (0, 0),
        ("Atlantis", 3): (0, 0),
    }
    jan = df[(df["entity"] == "Ukraine") & (df["period"] == D(2024, 1, 1))].iloc[0]
    assert jan["share_articles"] == 0.5  # 1 of January's 2 articles
    assert jan["per_1000_words"] == pytest.approx(1000 * 1 / jan["corpus_words"])
    mar = df[(df["entity"] == "Ukraine") & (df["period"] == D(2024, 3, 1))].iloc[0]
    assert mar["share_articles"] == 1.0
    feb = df[df["period"] == D(2024, 2, 1)]
    assert feb["share_articles"].tolist() == [0.0, 0.0, 0.0]  # no articles: 0, not NaN
    assert df["n_mentions"].dtype == "Int64"


def test_entity_series_keeps_mention_filters(gap_store):
    df = count_entity_series(
        gap_store, Filter(countries=("UKR",)), entities=["Russia", "Ukraine"], freq="month"
    )
    assert df.groupby("entity")["n_mentions"].sum().to_dict() == {"Russia": 0, "Ukraine": 2}


def test_article_series(gap_store):
    df = count_article_series(gap_store, freq="month")
    assert list(df.itertuples(index=False, name=None)) == [
        ("BBC", D(2024, 1, 1), 1),
        ("Dawn, Karachi", D(2024, 1, 1), 1),
        ("BBC", D(2024, 2, 1), 0),
        ("Dawn, Karachi", D(2024, 2, 1), 0),
        ("BBC", D(2024, 3, 1), 1),
        ("Dawn, Karachi", D(2024, 3, 1), 0),
    ]


def test_query_series(gap_store):
    df = count_query_series(
        gap_store, queries=["russia", "ukraine OR nothing", " russia "], freq="month"
    )
    got = {(r.query, r.period.month): r.n_articles for r in df.itertuples()}
    assert got == {
        ("russia", 1): 1,
        ("russia", 2): 0,
        ("russia", 3): 0,
        ("ukraine OR nothing", 1): 2,
        ("ukraine OR nothing", 2): 0,
        ("ukraine OR nothing", 3): 1,
    }
    assert df.loc[df["query"] == "russia", "share_articles"].tolist() == [0.5, 0.0, 0.0]
    # Within the filter's own search.
    inner = count_query_series(gap_store, Filter(q="ukraine"), queries=["russia"], freq="month")
    assert inner["n_articles"].tolist() == [1, 0, 0]
    assert inner["corpus_articles"].tolist() == [1, 0, 1]
    with pytest.raises(ValueError, match="at most 5"):
        count_query_series(gap_store, queries=list("abcdef"))


def test_empty_results_keep_columns(gap_store, tmp_path):
    none = Filter(sources=("nobody",))
    assert count_entity_series(gap_store, none, entities=["Russia"]).empty
    assert list(count_entity_series(gap_store, entities=[]).columns)[:2] == ["entity", "period"]
    assert list(count_article_series(gap_store, none).columns) == ["source", "period", "n_articles"]
    assert list(count_query_series(gap_store, queries=[]).columns)[:3] == [
        "query",
        "period",
        "n_articles",
    ]
    undated = make_store(
        tmp_path / "u", [{"id": "u", "source": "S", "published": None, "text": "Russia."}]
    )
    assert count_corpus_periods(undated, freq="day").empty
    assert count_undated(undated) == {"n_articles": 1, "n_undated": 1}
    assert count_undated(gap_store) == {"n_articles": 4, "n_undated": 1}


def test_inputs_not_mutated(gap_store):
    entities = ["Russia"]
    flt = Filter(entities=("Ukraine",))
    count_entity_series(gap_store, flt, entities=entities)
    assert entities == ["Russia"] and flt.entities == ("Ukraine",)
    assert isinstance(count_article_series(gap_store), pd.DataFrame)
