"""The Countries filter's two meanings: mentions coded to a country, or articles mentioning it."""

from __future__ import annotations

import pytest

from core.analytics.articles import list_articles
from core.analytics.attention import count_entity_series
from core.analytics.frequencies import count_articles, count_mentions, summarise_corpus
from core.analytics.pairs.cooccurrence import count_pairs
from core.analytics.query.filters import Filter
from core.analytics.timeline import count_referenced_dates
from tests.analytics.query.test_analytics_filters import make_store

RU = ("Russia", "country", "RUS")
UA = ("Ukraine", "country", "UKR")
KYIV = ("Kyiv", "place", "UKR")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return make_store(
        tmp_path_factory.mktemp("cmode") / "s",
        [
            {
                "id": "a1",
                "source": "BBC",
                "published": "2024-01-10",
                "text": "Russia and Ukraine met in Kyiv. Russia spoke on 9 January 2024.",
                "mentions": {"Russia": RU, "Ukraine": UA, "Kyiv": KYIV},
                "dates": [("9 January 2024", "DATE", "2024-01-09")],
            },
            {
                "id": "a2",
                "source": "CNN",
                "published": "2024-01-11",
                "text": "Russia alone. Russia again.",
                "mentions": {"Russia": RU},
            },
        ],
    )


def test_round_trip_and_bad_values():
    flt = Filter.from_params({"country": "UKR", "cmode": "articles"})
    assert flt.countries_by_article and not flt.has_mention_filter and flt.has_article_filter
    assert flt.to_params() == {"country": "UKR", "cmode": "articles"}
    assert Filter.from_params(flt.to_params()) == flt
    assert Filter(country_mode="<script>").country_mode == "mentions"
    assert "cmode" not in Filter(countries=("UKR",)).to_params()
    assert not Filter(country_mode="articles").countries_by_article  # no country: no filter


def test_mentions_coded_to_versus_articles_that_mention(store):
    coded = count_mentions(store, Filter(countries=("UKR",)), by=("entity",))
    assert dict(zip(coded["entity"], coded["n_mentions"], strict=True)) == {
        "Ukraine": 1,
        "Kyiv": 1,
    }
    mentioning = count_mentions(
        store, Filter(countries=("UKR",), country_mode="articles"), by=("entity",)
    )
    assert dict(zip(mentioning["entity"], mentioning["n_mentions"], strict=True)) == {
        "Russia": 2,
        "Ukraine": 1,
        "Kyiv": 1,
    }
    # Article-level: the corpus (denominator) is the one article mentioning Ukraine.
    assert mentioning["share_articles"].tolist() == [1.0, 1.0, 1.0]
    by_article = Filter(countries=("UKR",), country_mode="articles")
    assert count_articles(store, by_article, freq=None)["n_articles"].sum() == 1
    assert summarise_corpus(store, by_article)["n_mentions"] == 4


def test_every_path_agrees(store):
    flt = Filter(countries=("UKR",), country_mode="articles")
    assert list_articles(store, flt)["article_id"].tolist() == ["a1"]
    assert list_articles(store, flt)["n_mentions"].tolist() == [4]
    series = count_entity_series(store, flt, entities=["Russia"], freq="month")
    assert series["n_mentions"].tolist() == [2]
    assert count_referenced_dates(store, flt)["n_expressions"].sum() == 1
    assert len(count_pairs(store, flt, window="article", min_support=1)) > 0
    # The store-level SQL agrees with the engine.
    cond, params = flt.where_articles("articles")
    ids = store.query(f"SELECT article_id FROM articles WHERE {cond}", params)["article_id"]
    assert ids.tolist() == ["a1"]
    m_cond, m_params = flt.where_mentions("mentions")
    assert m_cond == "TRUE" and m_params == []
