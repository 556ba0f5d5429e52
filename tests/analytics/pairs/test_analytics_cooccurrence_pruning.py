"""Top pairs without the full self-join: the same rows as the unpruned computation.

Random small stores (Zipf entities, several sources, undated articles); for every window,
filter, min_support and top, ``count_pairs(top=k)`` must equal the first k rows of
``count_pairs(top=None)``, whose counts and scores must equal a brute force in pandas. The
article window is checked on each of its counting paths (cached bitmaps, bitmaps packed per
query, the DuckDB self-join) with the pruning forced to take several rounds.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from core.analytics.pairs import article_pairs as ap
from core.analytics.pairs.cooccurrence import build_graph, count_pairs
from core.analytics.query.engine import engine_for
from core.analytics.query.filters import Filter
from core.analytics.query.search import matches_query
from core.store import Store

WORDS = ("alpha", "beta", "gamma", "delta", "omega")
KINDS = ("country", "person", "org")
FILTERS = [
    Filter(),
    Filter(sources=("S1", "S3")),
    Filter(date_from="2024-01-03", date_to="2024-01-08"),
    Filter(kinds=("person", "org")),
    Filter(countries=("AAA",)),
    Filter(countries=("AAA",), country_mode="articles"),  # the articles, every entity in them
    Filter(entities=("E03", "E11")),
    Filter(q="gamma delta"),
    Filter(sources=("S2",), date_from="2024-01-02", kinds=("country", "person")),
]
TOPS = (2, 7, 40)
WEIGHTS = ("npmi", "pmi", "jaccard", "n_pair")


def make_random_store(
    path, *, seed: int, n_articles: int = 48, n_entities: int = 26, copy_share: float = 0.0
) -> Store:
    """A store of short synthetic articles: Zipf entities, 3 sources, 10 days, some undated;
    ``copy_share`` of them copies of an earlier one (its text and mentions, under their own
    id, source and day: a wire story reprinted)."""
    rng = np.random.default_rng(seed)
    p = 1.0 / np.arange(1, n_entities + 1) ** 1.1
    p /= p.sum()
    # Names in a shuffled order, so entity ids (by name) do not follow frequency.
    names = np.array([f"E{i:02d}" for i in rng.permutation(n_entities)])
    kinds = np.array(KINDS)[rng.integers(0, len(KINDS), n_entities)]
    codes = np.array(["AAA", "BBB", None], dtype=object)[rng.integers(0, 3, n_entities)]
    articles, sentences, mentions = [], [], []
    for i in range(n_articles):
        aid = f"a{seed}{i:03d}"
        if copy_share and articles and rng.random() < copy_share:
            _copy_article(articles, sentences, mentions, rng, aid)
            continue
        sents = [" ".join(rng.choice(WORDS, 3)) + "." for _ in range(4)]
        text = " ".join(sents)
        day = (
            None
            if rng.random() < 0.1
            else dt.date(2024, 1, 1) + dt.timedelta(int(rng.integers(10)))
        )
        articles.append(
            {
                "article_id": aid,
                "source": f"S{rng.integers(1, 4)}",
                "published": day,
                "title": sents[0],
                "text": text,
                "n_words": 12,
            }
        )
        start = 0
        for j, s in enumerate(sents):
            sentences.append(
                {
                    "article_id": aid,
                    "sentence": j,
                    "paragraph": j // 2,
                    "start_char": start,
                    "end_char": start + len(s),
                }
            )
            start += len(s) + 1
        starts = [sum(len(s) + 1 for s in sents[:j]) for j in range(4)]
        for e in rng.choice(n_entities, rng.poisson(6), p=p):
            j = int(rng.integers(4))
            mentions.append(
                {
                    "article_id": aid,
                    "sentence": j,
                    "start_char": starts[j],
                    "end_char": starts[j] + 5,
                    "text": text[starts[j] : starts[j] + 5],
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


def _copy_article(articles: list, sentences: list, mentions: list, rng, aid: str) -> None:
    """Append a copy of a random earlier article under id ``aid``, with its own source/day."""
    src = articles[int(rng.integers(len(articles)))]
    day = dt.date(2024, 1, 1) + dt.timedelta(int(rng.integers(10)))
    articles.append(
        {**src, "article_id": aid, "source": f"S{rng.integers(1, 4)}", "published": day}
    )
    old = src["article_id"]
    sentences += [{**s, "article_id": aid} for s in sentences if s["article_id"] == old]
    mentions += [{**m, "article_id": aid} for m in mentions if m["article_id"] == old]


def brute_force_pairs(store: Store, flt: Filter, window: str, min_support: int) -> pd.DataFrame:
    """Every pair by definition (module doc of cooccurrence), in pandas, sorted by names."""
    a = store.table("articles")
    keep = pd.Series(True, index=a.index)
    day = pd.to_datetime(a["published"])  # undated: NaT, outside every date bound
    if flt.date_from:
        keep &= day >= pd.Timestamp(flt.date_from)
    if flt.date_to:
        keep &= day <= pd.Timestamp(flt.date_to)
    if flt.sources:
        keep &= a["source"].isin(flt.sources)
    if flt.q:
        # The search syntax (words AND-ed, "phrases", OR / NOT) as core.analytics.query.search
        # reads it.
        found = [matches_query(flt.q, t, x) for t, x in zip(a["title"], a["text"], strict=True)]
        keep &= pd.Series(found, index=a.index)
    m = store.table("mentions")
    if flt.countries_by_article:  # the articles mentioning one of the countries
        keep &= a["article_id"].isin(m.loc[m["country_code"].isin(flt.countries), "article_id"])
    m = m[m["article_id"].isin(a.loc[keep, "article_id"])]
    s = store.table("sentences")[["article_id", "sentence", "paragraph"]]
    m = m.merge(s, on=["article_id", "sentence"], how="left")
    m["w"] = {"sentence": m["sentence"], "paragraph": m["paragraph"], "article": 0}[window]
    present = m[["article_id", "w", "entity"]].astype(str).drop_duplicates()
    n_windows = len(present[["article_id", "w"]].drop_duplicates())
    df = present.groupby("entity").size()
    both = present.merge(present, on=["article_id", "w"])
    both = both[both["entity_x"] < both["entity_y"]]
    pairs = both.groupby(["entity_x", "entity_y"]).size().rename("n_pair").reset_index()
    pairs = pairs[pairs["n_pair"] >= min_support]
    node = store.table("mentions").drop_duplicates("entity").set_index("entity")
    ok = pd.Series(True, index=pairs.index)
    # Countries the article mentions pick articles (above), not the pairs' sides.
    for col, values in (("kind", flt.kinds), ("country_code", flt.mention_countries)):
        if values:
            for side in ("entity_x", "entity_y"):
                ok &= pairs[side].map(node[col]).isin(values)
    if flt.entities:
        ok &= pairs["entity_x"].isin(flt.entities) | pairs["entity_y"].isin(flt.entities)
    out = pairs[ok].rename(columns={"entity_x": "entity_a", "entity_y": "entity_b"})
    out["n_a"] = out["entity_a"].map(df)
    out["n_b"] = out["entity_b"].map(df)
    out["n_windows"] = n_windows
    out["pmi"] = [
        math.log(r.n_pair * n_windows / (r.n_a * r.n_b)) for r in out.itertuples(index=False)
    ]
    return out.sort_values(["entity_a", "entity_b"], ignore_index=True)


def _assert_like_brute_force(got: pd.DataFrame, want: pd.DataFrame) -> None:
    got = got.sort_values(["entity_a", "entity_b"], ignore_index=True)
    cols = ["entity_a", "entity_b", "n_pair", "n_a", "n_b", "n_windows"]
    assert got[cols].astype(str).values.tolist() == want[cols].astype(str).values.tolist()
    np.testing.assert_allclose(got["pmi"].astype(float), want["pmi"].astype(float), rtol=1e-12)


@pytest.fixture(scope="module")
def random_stores(tmp_path_factory) -> list[Store]:
    return [
        make_random_store(tmp_path_factory.mktemp(f"rand{seed}") / "store", seed=seed)
        for seed in (0, 1)
    ]


@pytest.fixture
def random_store(random_stores) -> Store:
    return random_stores[0]


PATHS = ("cached bitmaps", "packed per query", "self-join")


@pytest.fixture(params=PATHS)
def article_path(request, monkeypatch, random_stores):
    """Force one counting path of the article window, and several pruning rounds."""
    yield from force_article_path(request.param, monkeypatch, random_stores)


def force_article_path(path: str, monkeypatch, stores: list[Store]):
    """Force ``path`` (one of PATHS) and several pruning rounds on ``stores`` (a fixture's
    body: yields the path, then drops the bitmaps built under it)."""
    monkeypatch.setattr(ap, "FIRST_ROUND_MIN", 2)
    monkeypatch.setattr(ap, "FIRST_ROUND", 0.5)
    if path == "cached bitmaps":
        monkeypatch.setattr(ap, "PARALLEL_OPS", 0)  # rows shared out among threads
        monkeypatch.setattr(ap, "_THREADS", 3)
    if path == "packed per query":
        monkeypatch.setattr(ap, "CACHE_ENTITIES", 4)
    if path == "self-join":
        monkeypatch.setattr(ap, "MAX_WORD_OPS", 0)
    for store in stores:
        engine_for(store).memo.pop("article_bitmaps", None)
    yield path
    for store in stores:
        engine_for(store).memo.pop("article_bitmaps", None)


@pytest.mark.parametrize("window", ["sentence", "paragraph"])
def test_top_pairs_equal_the_head_of_all_pairs(random_store, window):
    for i, flt in enumerate(FILTERS):
        min_support = 1 + i % 3
        full = count_pairs(random_store, flt, window=window, min_support=min_support)
        _assert_like_brute_force(full, brute_force_pairs(random_store, flt, window, min_support))
        for top in TOPS:
            got = count_pairs(random_store, flt, window=window, min_support=min_support, top=top)
            pd.testing.assert_frame_equal(got, full.head(top))


def test_article_top_pairs_are_exact_on_every_path(random_stores, article_path):
    checked = 0
    for store in random_stores:
        for i, flt in enumerate(FILTERS):
            min_support = 1 + (i + PATHS.index(article_path)) % 3
            want = brute_force_pairs(store, flt, "article", min_support)
            full = count_pairs(store, flt, window="article", min_support=min_support)
            _assert_like_brute_force(full, want)
            for top in TOPS:
                got = count_pairs(store, flt, window="article", min_support=min_support, top=top)
                pd.testing.assert_frame_equal(got, full.head(top))
                checked += len(got)
    assert checked > 150  # the stores hold enough pairs for the comparison to mean something


def test_graphs_of_top_article_pairs_match_for_every_weight(random_store, monkeypatch):
    monkeypatch.setattr(ap, "FIRST_ROUND_MIN", 2)
    full = count_pairs(random_store, window="article", min_support=1)
    got = count_pairs(random_store, window="article", min_support=1, top=12)
    for weight in WEIGHTS:
        want = build_graph(full.head(12), weight=weight)
        graph = build_graph(got, weight=weight)
        assert sorted(graph.edges(data="weight")) == sorted(want.edges(data="weight"))
        assert dict(graph.nodes(data="community")) == dict(want.nodes(data="community"))


def test_pruning_keeps_ties_at_the_cut(random_store, monkeypatch):
    # Every pair tied with the k-th best must be a candidate, or the name order would change.
    monkeypatch.setattr(ap, "FIRST_ROUND_MIN", 2)
    monkeypatch.setattr(ap, "FIRST_ROUND", 0.5)
    count_pairs(random_store, window="article", top=1)  # builds the article window tables
    engine = engine_for(random_store)
    df = engine.df("SELECT eid, n FROM gnode_article")
    rounds: list[int] = []  # entities kept in each counting round
    count = ap._count
    monkeypatch.setattr(ap, "_count", lambda *a: rounds.append(len(a[2])) or count(*a))
    full = ap.count_article_pairs(engine, Filter(), df=df, min_support=1, top=None)
    for top in TOPS:
        rounds.clear()
        found = ap.count_article_pairs(engine, Filter(), df=df, min_support=1, top=top)
        assert rounds[0] < len(df)  # the first round leaves entities out
        cut = np.sort(full["n_pair"].to_numpy())[::-1][top - 1]
        assert len(found) == int((full["n_pair"] >= cut).sum())
        merged = found.merge(full, on=["ea", "eb"], suffixes=("", "_full"))
        assert len(merged) == len(found) and (merged["n_pair"] == merged["n_pair_full"]).all()
        if top == TOPS[0]:
            assert len(rounds) >= 2  # the first round alone could not prove the top exact


def test_top_pairs_are_answered_where_all_pairs_are_refused(random_store, monkeypatch):
    monkeypatch.setattr(ap, "MAX_ARTICLE_PAIRS", 5)
    monkeypatch.setattr(ap, "MAX_WORD_OPS", 0)  # every pair, from the self-join
    with pytest.raises(ValueError, match="ask for the top pairs"):
        count_pairs(random_store, window="article", min_support=1)
    monkeypatch.setattr(ap, "MAX_ARTICLE_PAIRS", 10**9)
    full = count_pairs(random_store, window="article", min_support=1)
    monkeypatch.setattr(ap, "MAX_ARTICLE_PAIRS", 5)
    monkeypatch.setattr(ap, "MAX_WORD_OPS", 10**9)  # a top is counted on bitmaps
    pd.testing.assert_frame_equal(
        count_pairs(random_store, window="article", min_support=1, top=10), full.head(10)
    )
