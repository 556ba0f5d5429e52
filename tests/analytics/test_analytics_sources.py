"""Source comparison: share of voice and distinctive entities / words per source."""

from __future__ import annotations

import pandas as pd
import pytest

from core.analytics.query.filters import Filter
from core.analytics.scoring import get_scorer
from core.analytics.sources import count_share_of_voice, count_terms, score_distinctive
from tests.analytics.query.test_analytics_filters import DOCS, make_store

SOV_DTYPES = ["string", "string", "Int64", "Float64", "Float64"]
DIST_COLUMNS = ["source", "term", "count", "count_other", "score", "z"]
DIST_DTYPES = ["string", "string", "Int64", "Int64", "Float64", "Float64"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """Read-only here: built once per module."""
    return make_store(tmp_path_factory.mktemp("tiny") / "store", DOCS)


def test_share_of_voice_by_entity(tiny):
    df = count_share_of_voice(tiny)
    assert list(df.columns) == ["source", "entity", "n_mentions", "share", "share_of_voice"]
    assert [str(t) for t in df.dtypes] == SOV_DTYPES
    rows = [tuple(r) for r in df.itertuples(index=False)]
    # BBC: 7 mentions (Russia 3, North Korea 2, Putin 2); Rewrite: 3 (one each).
    assert rows == [
        ("BBC", "Russia", 3, 3 / 7, 3 / 4),
        ("Rewrite", "Russia", 1, 1 / 3, 1 / 4),
        ("BBC", "North Korea", 2, 2 / 7, 2 / 3),
        ("Rewrite", "North Korea", 1, 1 / 3, 1 / 3),
        ("BBC", "Vladimir Putin", 2, 2 / 7, 1.0),
        ("Rewrite", "United States", 1, 1 / 3, 1.0),
    ]


def test_share_of_voice_by_country_with_top_and_filters(tiny):
    df = count_share_of_voice(tiny, by="country_code", top=1)
    # RUS: Russia + Putin: BBC 5, Rewrite 1; shares are of each source's mentions (7 and 3).
    assert df[["source", "country_code", "n_mentions"]].values.tolist() == [
        ["BBC", "RUS", 5],
        ["Rewrite", "RUS", 1],
    ]
    assert df["share"].tolist() == pytest.approx([5 / 7, 1 / 3])
    person = count_share_of_voice(tiny, Filter(kinds=("person",)), by="kind")
    assert person[["source", "kind", "share", "share_of_voice"]].values.tolist() == [
        ["BBC", "person", 1.0, 1.0]
    ]
    searched = count_share_of_voice(tiny, Filter(q="objected"))
    assert searched["source"].unique().tolist() == ["Rewrite"]
    with pytest.raises(ValueError, match="valid: entity, kind, country_code"):
        count_share_of_voice(tiny, by="source")


def test_distinctive_entities_use_the_scorer_source_vs_rest(tiny):
    df = score_distinctive(tiny, top=None)
    assert list(df.columns) == DIST_COLUMNS
    assert [str(t) for t in df.dtypes] == DIST_DTYPES
    bbc = pd.Series({"Russia": 3, "North Korea": 2, "Vladimir Putin": 2})
    rest = pd.Series({"Russia": 1, "North Korea": 1, "United States": 1})
    want = get_scorer("log_odds_dirichlet")(bbc, rest, prior=bbc.add(rest, fill_value=0))
    got = df[df["source"] == "BBC"].set_index("term")
    assert got.index.tolist() == ["Vladimir Putin", "Russia", "North Korea"]
    assert got["count"].tolist() == [2, 3, 2] and got["count_other"].tolist() == [0, 1, 1]
    want = want.set_index("term").loc[got.index]
    assert got["score"].tolist() == pytest.approx(want["score"].tolist())
    assert got["z"].tolist() == pytest.approx(want["z"].tolist())
    assert df[df["source"] == "Rewrite"]["term"].iloc[0] == "United States"
    one = score_distinctive(tiny, top=1, scorer="frequency_difference")
    assert one["source"].tolist() == ["BBC", "Rewrite"]


def test_distinctive_terms_are_lowercase_words_without_stopwords(tmp_path):
    store = make_store(
        tmp_path / "s",
        [
            {
                "id": "x",
                "source": "A",
                "published": "2022-01-01",
                "text": "The Kremlin’s missiles. The missiles and the drones.",
            },
            {
                "id": "y",
                "source": "B",
                "published": "2022-01-02",
                "text": "Talks and talks: a ceasefire in Kyiv.",
            },
        ],
    )
    terms = count_terms(store)
    assert list(terms.columns) == ["source", "term", "count"]
    assert terms.values.tolist() == [
        ["A", "missiles", 2],
        ["A", "drones", 1],
        ["A", "kremlin", 1],  # the possessive is the word (core.analytics.words)
        ["B", "talks", 2],
        ["B", "ceasefire", 1],
        ["B", "kyiv", 1],
    ]
    df = score_distinctive(store, unit="term", top=1)
    assert df[["source", "term", "count", "count_other"]].values.tolist() == [
        ["A", "missiles", 2, 0],
        ["B", "talks", 2, 0],
    ]
    assert count_terms(store, Filter(sources=("B",)))["source"].unique().tolist() == ["B"]


def test_bad_unit_or_scorer_and_empty_results(tiny):
    with pytest.raises(ValueError, match="valid: entity, term"):
        score_distinctive(tiny, unit="quote")
    with pytest.raises(KeyError, match="valid: log_odds_dirichlet"):
        score_distinctive(tiny, scorer="tfidf")
    empty = score_distinctive(tiny, Filter(sources=("Nobody",)))
    assert empty.empty and list(empty.columns) == DIST_COLUMNS
    assert [str(t) for t in empty.dtypes] == DIST_DTYPES


@pytest.mark.parametrize("by", ["entity", "kind", "country_code"])
def test_precomputed_and_row_paths_agree(tiny, by):
    fast = count_share_of_voice(tiny, by=by, top=None)
    rows = count_share_of_voice(tiny, Filter(q="a"), by=by, top=None)  # every text has an "a"
    pd.testing.assert_frame_equal(fast, rows)
    pd.testing.assert_frame_equal(score_distinctive(tiny), score_distinctive(tiny, Filter(q="a")))
