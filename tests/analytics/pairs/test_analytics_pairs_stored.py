"""Article-window top pairs from the stored counts (per source, month, year) and from the rows.

A random store over 28 months (two years' turn included, some articles undated) is counted
under date ranges that start and end mid-month, within one month, across two partial months,
open-ended, with sources, kinds, an ego filter and a text search; on each counting path (the
stored counts summed inside the range or subtracted outside it, members too few so that the
rows count the others, the rows alone, the bitmaps alone; an ego network as a star or as any
other filter) ``count_pairs(top=k)`` must be the first k rows of every pair by brute force in
pandas.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.analytics.pairs import article_pairs as ap
from core.analytics.pairs import pair_rows, stored_pairs
from core.analytics.pairs.cooccurrence import count_pairs
from core.analytics.query.engine import engine_for
from core.analytics.query.filters import Filter
from core.store import Store
from tests.analytics.pairs.test_analytics_cooccurrence_pruning import (
    _assert_like_brute_force,
    brute_force_pairs,
)

D = dt.date
FILTERS = [
    Filter(date_from=D(2023, 1, 1), date_to=D(2024, 12, 31)),  # two whole years
    Filter(date_from=D(2022, 11, 15), date_to=D(2024, 2, 10)),  # mid-month at both ends
    Filter(date_from=D(2023, 3, 2), date_to=D(2023, 3, 30)),  # within one month
    Filter(date_from=D(2023, 3, 20), date_to=D(2023, 4, 12)),  # two partial months
    Filter(date_from=D(2023, 6, 1)),  # open end
    Filter(date_to=D(2023, 9, 17)),  # open start
    Filter(date_from=D(2023, 2, 1), date_to=D(2024, 1, 31), sources=("S1", "S3")),
    Filter(date_from=D(2023, 5, 9), date_to=D(2024, 8, 3), kinds=("person", "org")),
    Filter(date_from=D(2023, 1, 1), date_to=D(2023, 12, 31), entities=("E03", "E11")),
    Filter(date_from=D(2023, 4, 4), q="gamma"),
    Filter(sources=("S2",), kinds=("country", "person")),
    Filter(sources=("S1", "S2")),  # most sources: every source less the one left out
    Filter(sources=("S1", "S2", "S3"), date_from=D(2023, 8, 8)),
    Filter(date_from=D(2025, 6, 1)),  # after every article
    # Searches keeping most of their dates and sources: stored counts less those left out.
    Filter(q="alpha OR beta"),
    Filter(q="alpha OR gamma", date_from=D(2022, 11, 15), date_to=D(2024, 2, 10)),
    Filter(q="-delta OR beta", sources=("S1", "S3"), date_from=D(2023, 1, 1), kinds=("person",)),
    Filter(q="alpha OR beta", date_from=D(2023, 3, 2), date_to=D(2023, 3, 30)),  # no month
    Filter(q="-delta"),  # under half of the articles: their own rows
    # Articles mentioning a country: every entity of those articles, not only that country's.
    Filter(countries=("AAA",), country_mode="articles"),
    Filter(countries=("BBB",), country_mode="articles", date_from=D(2023, 2, 14)),
]
TOPS = (3, 40)


def make_dated_store(path, *, seed: int, n_articles: int = 90, n_entities: int = 26) -> Store:
    """Short synthetic articles over 28 months (2022-11 to 2025-02), 3 sources, some undated."""
    rng = np.random.default_rng(seed)
    p = 1.0 / np.arange(1, n_entities + 1) ** 1.1
    p /= p.sum()
    names = np.array([f"E{i:02d}" for i in rng.permutation(n_entities)])
    kinds = np.array(["country", "person", "org"])[rng.integers(0, 3, n_entities)]
    codes = np.array(["AAA", "BBB", None], dtype=object)[rng.integers(0, 3, n_entities)]
    words = ("alpha", "beta", "gamma", "delta")
    articles, sentences, mentions = [], [], []
    for i in range(n_articles):
        aid = f"d{seed}{i:03d}"
        text = " ".join(rng.choice(words, 3)) + "."
        day = None if rng.random() < 0.08 else D(2022, 11, 1) + dt.timedelta(int(rng.integers(850)))
        articles.append(
            {
                "article_id": aid,
                "source": f"S{rng.integers(1, 4)}",
                "published": day,
                "title": text,
                "text": text,
                "n_words": 3,
            }
        )
        sentences.append(
            {
                "article_id": aid,
                "sentence": 0,
                "paragraph": 0,
                "start_char": 0,
                "end_char": len(text),
            }
        )
        for e in rng.choice(n_entities, rng.poisson(5), p=p):
            mentions.append(
                {
                    "article_id": aid,
                    "sentence": 0,
                    "start_char": 0,
                    "end_char": 5,
                    "text": text[:5],
                    "entity": names[e],
                    "kind": kinds[e],
                    "country_code": codes[e],
                    "via": "name",
                    "method": "synthetic/1",
                }
            )
    store = Store(path)
    store.append(
        {
            "articles": pd.DataFrame(articles),
            "sentences": pd.DataFrame(sentences),
            "mentions": pd.DataFrame(mentions),
        }
    )
    return store


@pytest.fixture(scope="module")
def dated_store(tmp_path_factory) -> Store:
    return make_dated_store(tmp_path_factory.mktemp("dated") / "store", seed=3)


PATHS = ("stored, inside", "stored, outside", "few members", "rows", "bitmaps")


@pytest.fixture(params=PATHS)
def path(request, monkeypatch, dated_store):
    """Force one way of counting, and pruning rounds that keep few entities at first."""
    monkeypatch.setattr(ap, "FIRST_ROUND_MIN", 2)
    monkeypatch.setattr(ap, "FIRST_ROUND", 0.5)
    sizes = stored_pairs._table_sizes
    if request.param.startswith("stored"):
        # Reading the months inside (or outside) the range made the cheaper by fiat.
        inside = request.param == "stored, inside"

        def fake(eng, t):
            real = dict(sizes(eng, t))
            for key in ("month", "src_month", "year", "src_year"):
                real[key] = 0.0 if inside else 1e12
            real["src"] = real["total"] = 1e12 if inside else 0.0
            return real

        monkeypatch.setattr(stored_pairs, "_table_sizes", fake)
    if request.param in ("few members", "rows"):
        monkeypatch.setattr(ap, "STAR_ENTITIES", 0)  # an ego network counted as any other
    if request.param == "few members":
        monkeypatch.setattr(stored_pairs, "STORE_PAIR_ENTITIES", 3)
        monkeypatch.setattr(stored_pairs, "KIND_PAIR_ENTITIES", 2)
    if request.param in ("rows", "bitmaps"):
        monkeypatch.setattr(ap, "stored_scope", lambda eng, flt: None)
        monkeypatch.setattr(ap, "BITMAP_NS" if request.param == "rows" else "ROW_NS", 1e12)
    memo = engine_for(dated_store).memo
    for key in ("gpair_article_member_ids", "gpair_article_sizes"):
        memo.pop(key, None)
    yield request.param
    for key in ("gpair_article_member_ids", "gpair_article_sizes"):
        memo.pop(key, None)


def test_top_article_pairs_equal_the_brute_force_on_every_path(dated_store, path):
    checked = 0
    for i, flt in enumerate(FILTERS):
        min_support = 1 + i % 2
        want = brute_force_pairs(dated_store, flt, "article", min_support)
        full = count_pairs(dated_store, flt, window="article", min_support=min_support)
        _assert_like_brute_force(full, want)
        for top in TOPS:
            got = count_pairs(dated_store, flt, window="article", min_support=min_support, top=top)
            pd.testing.assert_frame_equal(got, full.head(top))
            checked += len(got)
    assert checked > 200  # enough pairs for the comparison to mean something


@pytest.mark.parametrize("index_share", [0, 1e12])  # rows found by one pass, or from the index
def test_searches_keeping_most_articles_equal_the_brute_force(
    dated_store, monkeypatch, index_share
):
    monkeypatch.setattr(pair_rows, "INDEX_SHARE", index_share)
    monkeypatch.setattr(ap, "FIRST_ROUND_MIN", 2)  # several pruning rounds
    monkeypatch.setattr(ap, "FIRST_ROUND", 0.5)
    monkeypatch.setattr(stored_pairs, "STORE_PAIR_ENTITIES", 6)  # members and others
    monkeypatch.setattr(stored_pairs, "KIND_PAIR_ENTITIES", 3)
    memo = engine_for(dated_store).memo
    for key in ("gpair_article_member_ids", "gpair_article_sizes", "article_window_selection"):
        memo.pop(key, None)
    try:
        for flt in [f for f in FILTERS if f.q]:
            want = brute_force_pairs(dated_store, flt, "article", 1)
            full = count_pairs(dated_store, flt, window="article", min_support=1)
            _assert_like_brute_force(full, want)
            for top in (2, 5, 40):
                got = count_pairs(dated_store, flt, window="article", min_support=1, top=top)
                pd.testing.assert_frame_equal(got, full.head(top))
    finally:
        for key in ("gpair_article_member_ids", "gpair_article_sizes"):
            memo.pop(key, None)


def test_a_top_is_counted_where_every_pair_is_refused(dated_store, monkeypatch):
    flt = Filter(date_from=D(2023, 3, 2), date_to=D(2023, 3, 30))  # no whole month: no stored
    full = count_pairs(dated_store, flt, window="article", min_support=1)
    monkeypatch.setattr(ap, "MAX_ARTICLE_PAIRS", 1)
    monkeypatch.setattr(ap, "MAX_WORD_OPS", 0)
    with pytest.raises(ValueError, match="ask for the top pairs"):
        count_pairs(dated_store, flt, window="article", min_support=1)
    got = count_pairs(dated_store, flt, window="article", min_support=1, top=5)
    pd.testing.assert_frame_equal(got, full.head(5))


def test_stored_tables_hold_every_member_pair_per_source_and_month(dated_store):
    count_pairs(dated_store, window="article", top=1)
    eng = engine_for(dated_store)
    t = stored_pairs.stored_pair_tables(eng)
    by_month = eng.df(f"SELECT sid, mon, ea, eb, n FROM {t['src_month']}")
    rows = eng.df(
        f"SELECT aid, sid, {stored_pairs.MONTH_SQL} AS mon, eid FROM we_article"
        f" WHERE eid IN (SELECT eid FROM {t['members']})"
    )
    both = rows.merge(rows, on=["aid", "sid", "mon"], how="inner", suffixes=("a", "b"))
    both = both[both["eida"] < both["eidb"]]
    want = both.groupby(["sid", "mon", "eida", "eidb"], dropna=False).size()
    got = by_month.set_index(["sid", "mon", "ea", "eb"])["n"]
    assert sorted(map(str, got.items())) == sorted(map(str, want.items()))
    years = eng.df(f"SELECT yr, sum(n) AS n FROM {t['year']} GROUP BY yr ORDER BY yr")
    per = by_month.assign(yr=by_month["mon"] // 12).groupby("yr", dropna=False)["n"].sum()
    assert years.set_index("yr")["n"].astype(int).to_dict() == per.astype(int).to_dict()


@pytest.mark.parametrize(
    ("lo", "hi", "months", "parts"),
    [
        (D(2023, 1, 1), D(2024, 12, 31), (24276, 24299), []),
        (D(2023, 1, 15), D(2023, 3, 31), (24277, 24278), [(D(2023, 1, 15), D(2023, 1, 31))]),
        (D(2023, 1, 1), D(2023, 3, 10), (24276, 24277), [(D(2023, 3, 1), D(2023, 3, 10))]),
        (D(2023, 2, 2), D(2023, 2, 27), None, [(D(2023, 2, 2), D(2023, 2, 27))]),
        (
            D(2023, 2, 2),
            D(2023, 3, 27),
            None,
            [(D(2023, 2, 2), D(2023, 2, 28)), (D(2023, 3, 1), D(2023, 3, 27))],
        ),
        (D(2024, 2, 1), D(2024, 2, 29), (24289, 24289), []),  # a leap February, whole
        (D(2023, 5, 1), D(2023, 4, 30), None, []),  # an empty range
    ],
)
def test_month_span_splits_whole_and_partial_months(lo, hi, months, parts):
    assert stored_pairs.month_span(lo, hi) == (months, parts)


@settings(max_examples=200, deadline=None)
@given(
    st.dates(D(2020, 1, 1), D(2026, 12, 31)),
    st.dates(D(2020, 1, 1), D(2026, 12, 31)),
    st.booleans(),
    st.booleans(),
)
def test_month_span_covers_every_day_once(lo, hi, open_lo, open_hi):
    months, parts = stored_pairs.month_span(None if open_lo else lo, None if open_hi else hi)
    lo, hi = (D(2019, 1, 1) if open_lo else lo), (D(2027, 12, 31) if open_hi else hi)
    day, covered = D(2019, 1, 1), []
    while day <= D(2027, 12, 31):
        in_month = months is not None and months[0] <= stored_pairs.month_index(day) <= months[1]
        in_parts = sum(a <= day <= b for a, b in parts)
        covered.append((day, int(in_month) + in_parts))
        day += dt.timedelta(days=1)
    assert all(n == (1 if lo <= d <= hi else 0) for d, n in covered)


@pytest.mark.parametrize("max_bins", [pair_rows.MAX_BINS, 0])
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 11)), max_size=150))
def test_row_pair_keys_count_every_pair_of_an_article(monkeypatch, max_bins, rows):
    monkeypatch.setattr(pair_rows, "MAX_BINS", max_bins)
    monkeypatch.setattr(pair_rows, "BATCH_PAIRS", 7)  # many batches
    rows = sorted(set(rows), key=lambda r: (r[1] * 7919 + r[0]) % 101)  # not sorted by article
    aid = np.array([a for a, _ in rows], dtype=np.int64)
    col = np.array([c for _, c in rows], dtype=np.int64)
    want: Counter = Counter()
    for a in set(aid.tolist()):
        for x, y in itertools.combinations(sorted(col[aid == a].tolist()), 2):
            want[x * 12 + y] += 1
    keys, counts = pair_rows.count_article_pair_keys(aid, col, 12)
    assert dict(zip(keys.tolist(), counts.tolist(), strict=True)) == dict(want)
    assert list(keys) == sorted(keys)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 20), st.integers(0, 9)), max_size=120),
    st.sets(st.integers(0, 9)),
)
def test_hub_pair_keys_count_the_pairs_touching_the_hub(rows, hub_cols):
    rows = sorted(set(rows))  # sorted by article
    aid = np.array([a for a, _ in rows], dtype=np.int64)
    col = np.array([c for _, c in rows], dtype=np.int64)
    hub = np.isin(col, list(hub_cols))
    keys, counts = pair_rows.count_article_pair_keys(aid, col, 10)
    touching = np.isin(keys // 10, list(hub_cols)) | np.isin(keys % 10, list(hub_cols))
    for batch in (pair_rows.BATCH_PAIRS, 3):  # one batch, and many
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(pair_rows, "BATCH_PAIRS", batch)
            got_keys, got_counts = pair_rows.count_hub_pair_keys(aid, col, hub, 10)
        assert got_keys.tolist() == keys[touching].tolist()
        assert got_counts.tolist() == counts[touching].tolist()


def test_warm_builds_the_stored_pair_tables(tmp_path):
    from core.analytics import prepare_store

    store = make_dated_store(tmp_path / "store", seed=5, n_articles=20)
    prepare_store(store)
    folder = engine_for(store).folder
    built = {p.name.rsplit("-", 1)[0] for p in folder.glob("gpair_article*.duckdb")}
    assert {"gpair_article_src_month", "gpair_article_month", "gpair_article_year"} <= built
