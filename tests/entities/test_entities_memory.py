"""The lean resolution path (issue 15) gives exactly what the pandas path gave."""

from __future__ import annotations

import pandas as pd
import pytest

from core.entities.derived import (
    build_resolution,
    read_mention_pairs,
    read_resolution,
    read_resolution_pairs,
)
from core.entities.resolve import PAIR_COLUMNS, resolve_pairs
from core.schema import conform
from tests.entities.test_entities_store import _batch

# Two batches; kinds that win by count inside an article ("Jordan": place twice, person once;
# "Apple": org twice, place once), a surname resolved in the corpus, a "Jr".
BATCHES = [
    (
        [("a1", "NYT", "2019-01-02"), ("a2", "Fox", "2019-01-03"), ("a3", "BBC", "2019-02-01")],
        [
            ("a1", "Donald J. Trump", "Donald J. Trump", "person"),
            ("a1", "Donald J. Trump", "Trump", "person"),
            ("a1", "Jordan", "Jordan", "place"),
            ("a1", "Jordan", "Jordan", "place"),
            ("a1", "Jordan", "Jordan", "person"),
            ("a1", "Apple", "Apple", "org"),
            ("a1", "Apple", "Apple", "org"),
            ("a1", "Apple", "Apple", "place"),
            ("a2", "Donald Trump", "Donald Trump", "person"),
            ("a2", "Donald Trump Jr", "Donald Trump Jr", "person"),
            ("a2", "Jordan", "Jordan", "person"),
            ("a3", "Trump", "Trump", "person"),
            ("a3", "Nancy Pelosi", "Nancy Pelosi", "person"),
        ],
    ),
    (
        [("b1", "NYT", "2019-02-03"), ("b2", "Fox", "2019-03-03")],
        [
            ("b1", "Pelosi", "Pelosi", "person"),
            ("b1", "Apple", "Apple", "place"),
            ("b1", "Donald Trump", "Donald Trump", "person"),
            ("b2", "Jordan", "Jordan", "place"),
            ("b2", "Roger J. Stone Jr", "Roger J. Stone Jr", "person"),
        ],
    ),
]


@pytest.fixture
def tied_store(store):
    for articles, mentions in BATCHES:
        store.append(_batch(articles, mentions))
    return store


def _pandas_pairs(store) -> pd.DataFrame:
    """What build_resolution did before issue 15: the pairs reduced in pandas."""
    pairs = read_mention_pairs(store)
    pairs = pairs.sort_values("n_mentions", ascending=False, kind="stable")
    n = pairs.groupby(["article_id", "entity", "text"], sort=False)["n_mentions"].transform("sum")
    return pairs.assign(n_mentions=n).drop_duplicates(["article_id", "entity", "text"])


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    # Row order follows DuckDB's parallel GROUP BY (it varies between runs, in both paths);
    # the rows themselves, ties of kind included, do not.
    return df.sort_values(["article_id", "entity", "text"]).reset_index(drop=True)


def test_pairs_match_the_pandas_reduction(tied_store):
    old = _sorted(_pandas_pairs(tied_store)[list(PAIR_COLUMNS)])
    new = read_resolution_pairs(tied_store)
    assert list(new.columns) == list(PAIR_COLUMNS)
    new = _sorted(new)
    assert len(new) == len(old) == 14
    for col in PAIR_COLUMNS:
        assert new[col].tolist() == old[col].tolist(), col
    jordan = new[(new["article_id"] == "a1") & (new["entity"] == "Jordan")]
    assert jordan[["kind", "n_mentions"]].values.tolist() == [["place", 3]]


def test_a_tie_of_kinds_keeps_one_of_them_and_every_mention(store):
    # Which of two tied kinds wins follows DuckDB's GROUP BY order, as it did in pandas.
    store.append(
        _batch(
            [("a1", "NYT", "2019-01-02")],
            [
                ("a1", "Jordan", "Jordan", "place"),
                ("a1", "Jordan", "Jordan", "person"),
            ],
        )
    )
    pairs = read_resolution_pairs(store)
    assert len(pairs) == 1
    assert pairs.loc[0, "kind"] in {"place", "person"}
    assert pairs.loc[0, "n_mentions"] == 2


def test_resolution_matches_the_pandas_path(tied_store):
    # Without the corpus statistics both paths reduce to resolve_pairs of their pairs.
    old = _sorted(conform(resolve_pairs(_pandas_pairs(tied_store)), "entity_resolution"))
    new = _sorted(conform(resolve_pairs(read_resolution_pairs(tied_store)), "entity_resolution"))
    pd.testing.assert_frame_equal(new, old)
    assert set(new["resolved_by"]) >= {"exact", "variant", "surname-in-corpus"}
    built = _sorted(conform(build_resolution(tied_store), "entity_resolution"))
    assert built[["article_id", "entity", "text"]].equals(old[["article_id", "entity", "text"]])


def test_read_resolution_without_rules_shares_no_state(tied_store):
    first = read_resolution(tied_store)
    first.loc[0, "name"] = "changed"  # a caller's edit must not reach the kept resolution
    again = read_resolution(tied_store)
    assert again.loc[0, "name"] != "changed"
    assert list(again.dtypes.astype(str)) == list(first.dtypes.astype(str))


def test_empty_store_pairs_keep_every_column(store):
    pairs = read_resolution_pairs(store)
    assert pairs.empty
    assert list(pairs.columns) == list(PAIR_COLUMNS)
