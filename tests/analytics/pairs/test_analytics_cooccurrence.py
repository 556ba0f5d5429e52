"""Co-occurrence: PMI/NPMI on a hand-computed example, paths agree, evidence, graphs."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from core.analytics.pairs import article_pairs as ap
from core.analytics.pairs.cooccurrence import (
    build_graph,
    build_pair_table,
    count_pairs,
    find_pair_evidence,
    layout_graph,
    npmi,
    pmi,
)
from core.analytics.query.filters import Filter
from tests.analytics.query.test_analytics_filters import DOCS, make_store

PAIR_COLUMNS = [
    "entity_a",
    "entity_b",
    "kind_a",
    "kind_b",
    "country_code_a",
    "country_code_b",
    "n_pair",
    "n_a",
    "n_b",
    "n_windows",
    "jaccard",
    "pmi",
    "npmi",
]
PAIR_DTYPES = ["string"] * 6 + ["Int64"] * 4 + ["Float64"] * 3


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """Read-only here: built once per module."""
    return make_store(tmp_path_factory.mktemp("tiny") / "store", DOCS)


def test_pmi_npmi_hand_computed():
    # 10 windows; a in 4, b in 5, both in 2: p(ab) = 0.2, p(a) p(b) = 0.4 * 0.5 = 0.2.
    assert pmi(2, 4, 5, 10) == pytest.approx(0.0)
    # both in 4 of 10, each in 4: pmi = ln(0.4 / 0.16) = ln 2.5; npmi = ln 2.5 / -ln 0.4 = 1.
    assert pmi(4, 4, 4, 10) == pytest.approx(math.log(2.5))
    assert npmi(4, 4, 4, 10) == pytest.approx(1.0)
    # both in 1 of 10, a in 5, b in 5: pmi = ln(0.1 / 0.25) = ln 0.4; npmi = ln 0.4 / ln 10.
    assert npmi(1, 5, 5, 10) == pytest.approx(math.log(0.4) / math.log(10))
    assert npmi(3, 3, 3, 3) == 1.0  # in every window


def test_sentence_window_counts_on_the_tiny_store(tiny):
    df = count_pairs(tiny, min_support=1)
    assert list(df.columns) == PAIR_COLUMNS
    assert [str(t) for t in df.dtypes] == PAIR_DTYPES
    # Windows with a mention: a1 s0 s1 s2, a2 s0 s1, a3 s1, a4 s0 -> N = 7.
    # Russia in 4 (a1s0 a1s2 a2s0 a3s1), North Korea in 3 (a1s0 a2s0 a4s0), both in 2.
    top = df.iloc[0]
    assert (top["entity_a"], top["entity_b"]) == ("North Korea", "Russia")
    assert (top["n_pair"], top["n_a"], top["n_b"], top["n_windows"]) == (2, 3, 4, 7)
    assert top["jaccard"] == pytest.approx(2 / 5)
    assert top["pmi"] == pytest.approx(math.log(2 * 7 / (3 * 4)))
    assert top["npmi"] == pytest.approx(math.log(14 / 12) / -math.log(2 / 7))
    assert (top["kind_a"], top["country_code_a"]) == ("country", "PRK")
    second = df.iloc[1]
    assert (second["entity_a"], second["entity_b"], second["n_pair"]) == (
        "Russia",
        "Vladimir Putin",
        1,
    )
    assert len(count_pairs(tiny)) == 1  # the default min_support=2 keeps North Korea–Russia


def test_paragraph_and_article_windows(tiny):
    para = count_pairs(tiny, window="paragraph", min_support=1)
    got = {(r.entity_a, r.entity_b): (r.n_pair, r.n_windows) for r in para.itertuples()}
    # Paragraphs with a mention: a1 p0 p1, a2 p0, a3 p0, a4 p0 -> 5.
    assert got[("Russia", "Vladimir Putin")] == (2, 5)
    assert got[("North Korea", "Russia")] == (2, 5)
    art = count_pairs(tiny, window="article", min_support=1)
    assert art["n_windows"].unique().tolist() == [4]
    assert len(art) == 5


@pytest.mark.parametrize("window", ["sentence", "paragraph", "article"])
@pytest.mark.parametrize("min_support", [1, 2])
def test_precomputed_and_filtered_paths_agree(tiny, window, min_support):
    fast = count_pairs(tiny, window=window, min_support=min_support)
    slow = count_pairs(tiny, Filter(q="a"), window=window, min_support=min_support)
    cube = count_pairs(
        tiny, Filter(sources=("BBC", "Rewrite")), window=window, min_support=min_support
    )
    pd.testing.assert_frame_equal(fast, slow)
    pd.testing.assert_frame_equal(fast, cube)


def test_node_filters_do_not_change_pmi(tiny):
    everything = count_pairs(tiny, min_support=1).set_index(["entity_a", "entity_b"])
    countries = count_pairs(tiny, Filter(kinds=("country",)), min_support=1)
    assert countries[["entity_a", "entity_b"]].values.tolist() == [["North Korea", "Russia"]]
    ego = count_pairs(tiny, Filter(entities=("Vladimir Putin",)), min_support=1)
    assert ego[["entity_a", "entity_b"]].values.tolist() == [["Russia", "Vladimir Putin"]]
    for df in (countries, ego):
        for r in df.itertuples():
            assert r.pmi == everything.loc[(r.entity_a, r.entity_b), "pmi"]
    bbc = count_pairs(tiny, Filter(sources=("BBC",)), min_support=1)
    assert bbc["n_windows"].unique().tolist() == [5]  # a1 s0 s1 s2, a3 s1, a4 s0


@pytest.mark.parametrize("window", ["sentence", "paragraph", "article"])
def test_pair_evidence_rows_equal_n_pair_and_highlight_both(tiny, window):
    pairs = count_pairs(tiny, window=window, min_support=1)
    for r in pairs.itertuples():
        ev = find_pair_evidence(tiny, None, r.entity_a, r.entity_b, window=window, limit=None)
        assert len(ev) == r.n_pair
        swapped = find_pair_evidence(tiny, None, r.entity_b, r.entity_a, window=window)
        assert len(swapped) == r.n_pair
        for e in ev.itertuples():
            assert e.window_text[e.start_a : e.end_a] == e.mention_a
            assert e.window_text[e.start_b : e.end_b] == e.mention_b


def test_pair_evidence_columns_and_text(tiny):
    ev = find_pair_evidence(tiny, Filter(sources=("BBC",)), "Russia", "North Korea")
    assert list(ev.columns) == [
        "article_id",
        "source",
        "published",
        "title",
        "window",
        "window_start",
        "window_text",
        "mention_a",
        "start_a",
        "end_a",
        "mention_b",
        "start_b",
        "end_b",
    ]
    assert [str(t) for t in ev.dtypes] == ["string", "string", "date32[day][pyarrow]", "string"] + [
        "Int64",
        "Int64",
        "string",
        "string",
        "Int64",
        "Int64",
        "string",
        "Int64",
        "Int64",
    ]
    assert ev[["article_id", "window_text", "start_a", "start_b"]].values.tolist() == [
        ["a1", "Russia and North Korea met.", 0, 11]
    ]
    assert find_pair_evidence(tiny, None, "Russia", "Nobody").empty
    assert find_pair_evidence(tiny, None, "Russia", "Russia").empty


def test_article_window_refuses_too_many_pairs_unless_a_top_is_asked(tiny, monkeypatch):
    monkeypatch.setattr(ap, "MAX_ARTICLE_PAIRS", 3)  # all: 6 pairs, BBC: 3
    monkeypatch.setattr(ap, "MAX_WORD_OPS", 0)  # every pair from the self-join, as on a big store
    with pytest.raises(ValueError, match="narrow the dates or sources"):
        count_pairs(tiny, window="article", min_support=1)
    assert len(count_pairs(tiny, Filter(sources=("BBC",)), window="article", min_support=1)) == 3
    # Entities in fewer articles than min_support cannot be in a pair: a1, a2 hold 2 pairs.
    assert len(count_pairs(tiny, window="article")) == 1
    monkeypatch.setattr(ap, "MAX_WORD_OPS", 10**9)  # a top is counted on article bitmaps
    top = count_pairs(tiny, window="article", min_support=1, top=2)
    assert top[["entity_a", "entity_b", "n_pair"]].values.tolist() == [
        ["North Korea", "Russia", 2],
        ["North Korea", "United States", 1],
    ]


def test_graph_attributes_and_layout(tiny):
    pairs = count_pairs(tiny, window="paragraph", min_support=1)
    graph = build_graph(pairs, weight="npmi")
    assert sorted(graph.nodes) == ["North Korea", "Russia", "United States", "Vladimir Putin"]
    assert graph.number_of_edges() == len(pairs)
    edge = graph.edges["Russia", "Vladimir Putin"]
    assert edge["n_pair"] == 2 and edge["weight"] == pytest.approx(max(edge["npmi"], 0))
    node = graph.nodes["Russia"]
    assert node["kind"] == "country" and node["country_code"] == "RUS"
    assert node["centrality"] == 1.0  # linked to all three others
    assert {graph.nodes[n]["community"] for n in graph} <= {0, 1, 2, 3}
    assert build_graph(pairs).nodes(data="community") == graph.nodes(data="community")
    layout = layout_graph(graph)
    assert list(layout.columns) == ["node", "x", "y"]
    assert [str(t) for t in layout.dtypes] == ["string", "Float64", "Float64"]
    assert layout["node"].tolist() == sorted(graph.nodes)
    pd.testing.assert_frame_equal(layout, layout_graph(graph))
    with pytest.raises(ValueError, match="unknown weight"):
        build_graph(pairs, weight="strength")
    assert layout_graph(build_graph(pairs.iloc[0:0])).empty


def test_build_pair_table_matches_count_pairs(tiny):
    table = build_pair_table(tiny.table("mentions"), tiny.table("sentences"))
    assert list(table.columns) == ["article_id", "window", "index", "entity_a", "entity_b"]
    assert [str(t) for t in table.dtypes] == ["string", "string", "Int64", "string", "string"]
    for window in ("sentence", "paragraph"):
        got = table[table["window"] == window].groupby(["entity_a", "entity_b"]).size().sort_index()
        want = (
            count_pairs(tiny, window=window, min_support=1)
            .set_index(["entity_a", "entity_b"])["n_pair"]
            .sort_index()
        )
        assert got.tolist() == want.tolist() and got.index.equals(want.index)


def test_seed_articles_russia_north_korea_is_the_strongest_sentence_pair(seed_store):
    pairs = count_pairs(seed_store, min_support=1)
    top = pairs.iloc[0]
    assert {top["entity_a"], top["entity_b"]} == {"North Korea", "Russia"}
    assert top["n_pair"] > pairs.iloc[1]["n_pair"]
