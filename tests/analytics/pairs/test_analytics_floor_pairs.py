"""Pairs held by at least ``floor`` articles (floor_pairs): pigeonhole candidates, groups of
entities with the same articles, both ways of counting, against a dense brute force."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.analytics.pairs import floor_pairs as fp
from core.analytics.pairs import pair_rows as pr
from core.analytics.pairs import stored_pairs as sp
from core.analytics.pairs.article_rows import WindowIndex
from core.analytics.pairs.cooccurrence import count_pairs
from core.analytics.query.engine import engine_for
from core.analytics.query.filters import Filter
from tests.analytics.pairs.test_analytics_cooccurrence_pruning import (
    FILTERS,
    PATHS,
    _assert_like_brute_force,
    article_path,  # noqa: F401  (a fixture used below)
    brute_force_pairs,
    random_stores,  # noqa: F401  (a fixture used below)
)


def make_index(held: np.ndarray) -> WindowIndex:
    """The WindowIndex of a dense (articles, entities) bool matrix."""
    aid, eid = np.nonzero(held)
    aid, eid = aid.astype(np.int32), eid.astype(np.int32)
    n_aids, n_eids = held.shape
    starts = np.zeros(n_aids + 1, np.int64)
    np.cumsum(np.bincount(aid, minlength=n_aids), out=starts[1:])
    entity_starts = np.zeros(n_eids + 1, np.int64)
    np.cumsum(np.bincount(eid, minlength=n_eids), out=entity_starts[1:])
    return WindowIndex(aid, eid, starts, aid[np.argsort(eid, kind="stable")], entity_starts)


def brute_pairs(held, eids, side, keep, floor) -> set[tuple[int, int, int]]:
    kept = held if keep is None else held & keep[: len(held), None]
    shared = kept[:, eids].T.astype(int) @ kept[:, eids].astype(int)
    return {
        (i, j, int(shared[i, j]))
        for i in range(len(eids))
        for j in range(i + 1, len(eids))
        if (side[i] or side[j]) and shared[i, j] >= floor
    }


def as_set(found) -> set[tuple[int, int, int]]:
    a, b, n = found
    pairs = [(int(min(x, y)), int(max(x, y)), int(c)) for x, y, c in zip(a, b, n, strict=True)]
    assert len(pairs) == len(set(pairs))  # each unordered pair once
    return set(pairs)


@pytest.fixture
def always_prune(monkeypatch):
    monkeypatch.setattr(fp, "PRUNE_SHARE", 0)
    monkeypatch.setattr(fp, "LOOKUP_ROWS", 0)


def test_a_group_of_entities_with_the_same_articles(always_prune):
    # Articles 0-2 hold A and B (the same articles: one group) and C in 0-1; D is in 3 only.
    held = np.array(
        [[1, 1, 1, 0], [1, 1, 1, 0], [1, 1, 0, 0], [0, 0, 0, 1]],
        dtype=bool,
    )
    index = make_index(held)
    eids = np.arange(4)
    side = np.array([True, True, False, False])
    assert as_set(fp.count_floor_pairs(index, eids, side, floor=2)) == {
        (0, 1, 3),
        (0, 2, 2),
        (1, 2, 2),
    }
    assert as_set(fp.count_floor_pairs(index, eids, side, floor=3)) == {(0, 1, 3)}
    # Article 2 left out: A, B and C now share the same two articles.
    keep = np.array([True, True, False, True])
    assert as_set(fp.count_floor_pairs(index, eids, side, floor=2, keep=keep)) == {
        (0, 1, 2),
        (0, 2, 2),
        (1, 2, 2),
    }


def test_no_pruning_where_it_would_not_pay():
    held = np.ones((6, 3), bool)
    index = make_index(held)
    eids, side = np.arange(3), np.ones(3, bool)
    assert fp.count_floor_pairs(index, eids, side, floor=1) is None  # every article is read
    assert fp.count_floor_pairs(index, eids, side, floor=2) is None  # 5 of 6 articles each
    assert fp.count_floor_pairs(index, eids, side, floor=6) is not None  # 1 of 6


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_floor_pairs_equal_a_brute_force(data):
    seed = data.draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n_a, n_e = int(rng.integers(1, 30)), int(rng.integers(2, 20))
    held = rng.random((n_a, n_e)) < rng.uniform(0.1, 0.9)
    for _ in range(int(rng.integers(0, 5))):  # entities with the same articles
        i, j = rng.integers(0, n_e, 2)
        held[:, j] = held[:, i]
    eids = np.sort(rng.choice(n_e, int(rng.integers(2, n_e + 1)), replace=False))
    side = rng.random(len(eids)) < 0.5
    keep = None if rng.random() < 0.3 else rng.random(n_a + 2) < 0.7
    floor = int(rng.integers(2, 8))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fp, "PRUNE_SHARE", 0)
        mp.setattr(fp, "LOOKUP_ROWS", 0)
        # Search every pair, read every group's rows, with a table or by sorting.
        mp.setattr(fp, "SEARCH_STEP_ROWS", data.draw(st.sampled_from([0.0, 1.0, 1e9])))
        mp.setattr(fp, "MAX_TABLE", data.draw(st.sampled_from([0, 1 << 24])))
        found = fp.count_floor_pairs(make_index(held), eids, side, floor=floor, keep=keep)
    if side.any():
        assert found is not None
        assert as_set(found) == brute_pairs(held, eids, side, keep, floor)


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_listed_pairs_equal_a_brute_force(data):
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    n_a, n_e = int(rng.integers(1, 25)), int(rng.integers(2, 15))
    held = rng.random((n_a, n_e)) < rng.uniform(0.05, 0.9)
    n = int(rng.integers(0, 20))
    ea, eb = rng.integers(0, n_e, n), rng.integers(0, n_e, n)
    ok = ea != eb
    ea, eb = ea[ok], eb[ok]
    keep = None if rng.random() < 0.3 else rng.random(n_a) < 0.6
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fp, "SEARCH_STEP_ROWS", data.draw(st.sampled_from([0.0, 1.0, 1e9])))
        got = fp.count_listed_pairs(make_index(held), ea, eb, keep=keep)
    kept = held if keep is None else held & keep[:, None]
    want = [int((kept[:, a] & kept[:, b]).sum()) for a, b in zip(ea, eb, strict=True)]
    assert got.tolist() == want
    if len(ea):  # over its budget, it leaves the count to the caller
        assert fp.count_listed_pairs(make_index(held), ea, eb, keep=keep, budget=-1) is None


@pytest.fixture
def few_members(random_stores, monkeypatch):  # noqa: F811
    """Few members (entities whose pairs are stored): the others' pairs come from their rows."""
    monkeypatch.setattr(sp, "STORE_PAIR_ENTITIES", 3)
    monkeypatch.setattr(sp, "KIND_PAIR_ENTITIES", 2)
    for store in random_stores:
        engine_for(store).memo.pop("gpair_article_member_ids", None)
    yield
    for store in random_stores:
        engine_for(store).memo.pop("gpair_article_member_ids", None)


def test_top_pairs_through_the_floor_are_exact(
    random_stores,  # noqa: F811
    article_path,  # noqa: F811
    few_members,
    monkeypatch,
):
    """Later pruning rounds count only pairs reaching the k-th best count found so far:
    through the pigeonhole (forced here) the tops still equal the brute force's."""
    monkeypatch.setattr(fp, "PRUNE_SHARE", 0)
    monkeypatch.setattr(fp, "LOOKUP_ROWS", 0)
    calls = []
    count = pr.count_floor_pairs

    def spy(*args, **kwargs):
        found = count(*args, **kwargs)
        calls.append(found is not None)
        return found

    monkeypatch.setattr(pr, "count_floor_pairs", spy)
    for store in random_stores:
        for i, flt in enumerate(FILTERS):
            min_support = 1 + (i + PATHS.index(article_path)) % 3
            full = count_pairs(store, flt, window="article", min_support=min_support)
            _assert_like_brute_force(full, brute_force_pairs(store, flt, "article", min_support))
            for top in (2, 7, 40):
                got = count_pairs(store, flt, window="article", min_support=min_support, top=top)
                pd.testing.assert_frame_equal(got, full.head(top))
    assert any(calls)  # the pigeonhole counted some rounds


KIND_FILTERS = [
    Filter(q="gamma", kinds=("person",)),
    # Most articles (every article holds each word; few this phrase): their complement is read.
    Filter(q='NOT "alpha beta"', kinds=("person", "org")),
    Filter(q="-omega", kinds=("person", "org")),  # the few articles without the word
    Filter(countries=("AAA",), country_mode="articles", kinds=("org",)),
    Filter(q="alpha", kinds=("country", "person"), date_from="2024-01-03"),
]


@pytest.mark.parametrize("flt", KIND_FILTERS, ids=str)
def test_kind_filters_under_searches_are_exact(random_stores, few_members, flt):  # noqa: F811
    """A kind filter reads the rows of its kinds alone (article_rows.read_kind_index); with a
    search, an articles-mentioning filter or dates, its tops equal the brute force's."""
    for store in random_stores:
        for min_support in (1, 2):
            full = count_pairs(store, flt, window="article", min_support=min_support)
            _assert_like_brute_force(full, brute_force_pairs(store, flt, "article", min_support))
            for top in (2, 7, 40):
                got = count_pairs(store, flt, window="article", min_support=min_support, top=top)
                pd.testing.assert_frame_equal(got, full.head(top))
