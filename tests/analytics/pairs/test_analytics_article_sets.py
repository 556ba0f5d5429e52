"""Articles holding the same entities counted once with a weight (article_sets): the sets, the
weights, every weighted way of counting pairs against its unweighted twin or a brute force, and
the tops of a store of reprinted stories against the pandas brute force."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.analytics.pairs import article_pairs as ap
from core.analytics.pairs import article_sets as asets
from core.analytics.pairs import floor_pairs as fp
from core.analytics.pairs import pair_rows as pr
from core.analytics.pairs.cooccurrence import count_pairs
from core.analytics.query.engine import engine_for
from core.analytics.query.filters import Filter
from tests.analytics.pairs.test_analytics_cooccurrence_pruning import (
    FILTERS,
    PATHS,
    _assert_like_brute_force,
    brute_force_pairs,
    force_article_path,
    make_random_store,
)
from tests.analytics.pairs.test_analytics_floor_pairs import (
    KIND_FILTERS,
    as_set,
    brute_pairs,
    make_index,
)

# Articles 0, 2 and 4 hold entities {0, 1}; 1 and 3 hold {2}; 5 holds nothing; 6 holds {0}.
HELD = np.array(
    [[1, 1, 0], [0, 0, 1], [1, 1, 0], [0, 0, 1], [1, 1, 0], [0, 0, 0], [1, 0, 0]], dtype=bool
)


def test_articles_with_the_same_entities_share_a_set():
    sets = asets.build_article_sets(make_index(HELD))
    sig = sets.sig.tolist()
    assert sets.n_sets == 3
    assert sig[0] == sig[2] == sig[4]
    assert sig[1] == sig[3]
    assert sig[5] == -1  # no rows, no set
    assert len({sig[0], sig[1], sig[6]}) == 3


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_articles_share_a_set_exactly_when_they_hold_the_same_entities(data):
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    held = _copied(rng, int(rng.integers(1, 30)), int(rng.integers(1, 8)))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(asets, "HASH_ROWS", data.draw(st.sampled_from([1, 3, 1 << 21])))
        sets = asets.build_article_sets(make_index(held))
    rows = [tuple(np.flatnonzero(r)) for r in held]
    for i in range(len(held)):
        assert (sets.sig[i] == -1) == (not rows[i])
        for j in range(len(held)):
            if rows[i] and rows[j]:
                assert (sets.sig[i] == sets.sig[j]) == (rows[i] == rows[j])
    assert sets.n_sets == len({r for r in rows if r})


@pytest.mark.parametrize("hash_rows", [2, 1 << 21])
def test_a_hash_collision_keeps_the_sets_apart(monkeypatch, hash_rows):
    monkeypatch.setattr(asets, "HASH_ROWS", hash_rows)  # compared a few rows at a time
    # Every entity mixes to the same value: every article of the same size collides.
    monkeypatch.setattr(asets, "mix64", lambda v: np.ones(len(v), np.uint64))
    held = np.array([[1, 1, 0], [0, 1, 1], [1, 1, 0], [0, 0, 1], [1, 0, 0]], dtype=bool)
    sig = asets.build_article_sets(make_index(held)).sig.tolist()
    assert sig[0] == sig[2]  # the same entities
    assert sig[1] != sig[0]  # the same hash and size, other entities
    assert sig[3] != sig[4]


def test_weighing_keeps_one_article_per_set():
    sets = asets.build_article_sets(make_index(HELD))
    keep = np.array([True, True, True, False, True, True, True])
    weighed = asets.weigh_articles(sets, keep, share=1.0)
    assert np.flatnonzero(weighed.keep).tolist() == [0, 1, 6]  # the first kept of each set
    assert weighed.weight.tolist() == [3, 1, 0, 0, 0, 0, 1]
    assert weighed.n_sets == 3
    # 3 sets for 6 kept articles with rows: not worth it under half.
    assert asets.weigh_articles(sets, keep, share=0.4) is None


def test_weighing_nothing_kept():
    sets = asets.build_article_sets(make_index(HELD))
    weighed = asets.weigh_articles(sets, np.zeros(7, bool), share=1.0)
    assert weighed.n_sets == 0
    assert weighed.weight.sum() == 0


def _copied(rng, n_a: int, n_e: int) -> np.ndarray:
    """A random (articles, entities) matrix where many articles copy an earlier one."""
    held = rng.random((n_a, n_e)) < rng.uniform(0.1, 0.8)
    for i in range(1, n_a):
        if rng.random() < 0.6:
            held[i] = held[int(rng.integers(i))]
    for _ in range(int(rng.integers(0, 4))):  # entities with the same articles
        i, j = rng.integers(0, n_e, 2)
        held[:, j] = held[:, i]
    return held


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_weighted_floor_pairs_equal_a_brute_force(data):
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    n_a, n_e = int(rng.integers(1, 40)), int(rng.integers(2, 16))
    held = _copied(rng, n_a, n_e)
    index = make_index(held)
    eids = np.sort(rng.choice(n_e, int(rng.integers(2, n_e + 1)), replace=False))
    side = rng.random(len(eids)) < 0.5
    keep = np.ones(n_a, bool) if rng.random() < 0.3 else rng.random(n_a) < 0.7
    weighed = asets.weigh_articles(asets.build_article_sets(index), keep, share=1.0)
    floor = int(rng.integers(2, 10))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fp, "PRUNE_SHARE", 0)
        mp.setattr(fp, "LOOKUP_ROWS", 0)
        mp.setattr(fp, "SEARCH_STEP_ROWS", data.draw(st.sampled_from([0.0, 1.0, 1e9])))
        mp.setattr(fp, "MAX_TABLE", data.draw(st.sampled_from([0, 1 << 24])))
        found = fp.count_floor_pairs(
            index, eids, side, floor=floor, keep=weighed.keep, weight=weighed.weight
        )
    if side.any():
        assert found is not None
        assert as_set(found) == brute_pairs(held, eids, side, keep, floor)


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_weighted_listed_pairs_equal_a_brute_force(data):
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    n_a, n_e = int(rng.integers(1, 30)), int(rng.integers(2, 12))
    held = _copied(rng, n_a, n_e)
    index = make_index(held)
    n = int(rng.integers(0, 20))
    ea, eb = rng.integers(0, n_e, n), rng.integers(0, n_e, n)
    ea, eb = ea[ea != eb], eb[ea != eb]
    keep = rng.random(n_a) < 0.6
    weighed = asets.weigh_articles(asets.build_article_sets(index), keep, share=1.0)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fp, "SEARCH_STEP_ROWS", data.draw(st.sampled_from([0.0, 1.0, 1e9])))
        got = fp.count_listed_pairs(index, ea, eb, keep=weighed.keep, weight=weighed.weight)
    kept = held & keep[:, None]
    assert got.tolist() == [
        int((kept[:, a] & kept[:, b]).sum()) for a, b in zip(ea, eb, strict=True)
    ]


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_weighted_pair_keys_equal_the_copies_counted_one_by_one(data):
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    n_a, m = int(rng.integers(1, 30)), int(rng.integers(2, 12))
    held = _copied(rng, n_a, m)
    index = make_index(held)
    weighed = asets.weigh_articles(asets.build_article_sets(index), np.ones(n_a, bool), share=1.0)
    aid, col = index.aid.astype(np.int64), index.eid.astype(np.int64)
    one = weighed.keep[aid]
    hub = rng.random(len(aid)) < 0.3
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pr, "MAX_BINS", data.draw(st.sampled_from([0, 1 << 23])))
        want = pr.count_article_pair_keys(aid, col, m)
        got = pr.count_article_pair_keys(aid[one], col[one], m, weight=weighed.weight[aid[one]])
        assert [a.tolist() for a in got] == [a.tolist() for a in want]
        # The pairs of the hub rows alone: a hub row stands for the same row of every copy.
        hub_of = {(int(a), int(c)) for a, c in zip(aid[hub], col[hub], strict=True)}
        sig = asets.build_article_sets(index).sig
        rep = {
            int(s): int(a)
            for a, s in zip(np.flatnonzero(weighed.keep), sig[weighed.keep], strict=True)
        }
        in_hub = np.array(
            [(rep[int(sig[a])], int(c)) in hub_of for a, c in zip(aid, col, strict=True)], bool
        )
        want = pr.count_hub_pair_keys(aid, col, in_hub, m)
        got = pr.count_hub_pair_keys(
            aid[one], col[one], in_hub[one], m, weight=weighed.weight[aid[one]]
        )
        assert [a.tolist() for a in got] == [a.tolist() for a in want]


# Filters keeping most articles (each article holds every word, few these phrases): the
# stored counts less the pairs of the articles left out.
COMPLEMENTS = [
    Filter(q='NOT "alpha beta"'),
    Filter(q='NOT "gamma gamma"', kinds=("person", "org")),
    Filter(q='NOT "alpha alpha"', sources=("S1", "S2")),
]
# Filters keeping a few articles: their rows are read.
FEW = [
    Filter(q='"alpha beta"'),
    Filter(q='"gamma gamma"', kinds=("person",)),
    Filter(q='"beta delta" OR "delta beta"', date_from="2024-01-03"),
]
MEMO_KEYS = ("article_window_selection", "article_window_weighed", "article_window_weighed_less")


@pytest.fixture(scope="module")
def copied_stores(tmp_path_factory):
    """Random stores where about half the articles reprint an earlier one."""
    return [
        make_random_store(
            tmp_path_factory.mktemp(f"copies{seed}") / "store",
            seed=seed,
            n_articles=70,
            copy_share=0.5,
        )
        for seed in (3, 4)
    ]


@pytest.fixture
def weigh_always(monkeypatch, copied_stores):
    """Weigh every selection, and record that the weighed articles were counted."""
    monkeypatch.setattr(asets, "WEIGH_SHARE", 1.0)
    weighed = {"rows": [], "less": []}
    rows, scope = ap.count_row_pairs, ap.count_scope_pairs

    def spy_rows(*args, **kwargs):
        weighed["rows"].append(kwargs.get("weight") is not None)
        return rows(*args, **kwargs)

    def spy_scope(*args, **kwargs):
        weighed["less"].append(kwargs.get("less_weighed") is not None)
        return scope(*args, **kwargs)

    monkeypatch.setattr(ap, "count_row_pairs", spy_rows)
    monkeypatch.setattr(ap, "count_scope_pairs", spy_scope)
    for store in copied_stores:
        for key in MEMO_KEYS:
            engine_for(store).memo.pop(key, None)
    yield weighed
    for store in copied_stores:
        for key in MEMO_KEYS:
            engine_for(store).memo.pop(key, None)


@pytest.fixture(params=["rows", *PATHS])
def copied_path(request, monkeypatch, copied_stores):
    """Force one counting path of the article window on the stores of reprints ("rows": a
    first round counted from the weighed articles' rows, never on bitmaps)."""
    if request.param == "rows":
        monkeypatch.setattr(ap, "BITMAP_NS", 1e12)
    path = PATHS[0] if request.param == "rows" else request.param
    for _ in force_article_path(path, monkeypatch, copied_stores):
        yield request.param


def test_copies_are_found_in_the_store(copied_stores):
    for store in copied_stores:
        count_pairs(store, FILTERS[7], window="article", top=3)  # builds the window index
        sets = asets.read_article_sets(engine_for(store))
        n_rows = int(np.count_nonzero(sets.sig >= 0))
        assert sets.n_sets < 0.75 * n_rows


def test_tops_of_reprinted_stories_are_exact(
    copied_stores,
    weigh_always,
    copied_path,
    monkeypatch,
):
    """The pages' text searches and kind filters over a store of reprints, counted from one
    article per entity set (forced, with several pruning rounds): the tops equal the pandas
    brute force's."""
    monkeypatch.setattr(fp, "PRUNE_SHARE", 0)
    monkeypatch.setattr(fp, "LOOKUP_ROWS", 0)
    for store in copied_stores:
        for i, flt in enumerate([*FILTERS, *KIND_FILTERS, *COMPLEMENTS, *FEW]):
            min_support = 1 + (i + len(copied_path)) % 3
            full = count_pairs(store, flt, window="article", min_support=min_support)
            _assert_like_brute_force(full, brute_force_pairs(store, flt, "article", min_support))
            for top in (2, 7, 40):
                got = count_pairs(store, flt, window="article", min_support=min_support, top=top)
                pd.testing.assert_frame_equal(got, full.head(top))
    assert any(weigh_always["less"])  # the articles left out, weighed
    if copied_path == "rows":
        assert any(weigh_always["rows"])  # the articles kept, weighed


def test_weighing_is_skipped_without_copies():
    # Seven articles, seven different sets: nothing to gain.
    held = np.eye(7, dtype=bool)
    sets = asets.build_article_sets(make_index(held))
    assert asets.weigh_articles(sets, np.ones(7, bool)) is None
