"""`compare_articles` on a store holding the two seeds: must-shows, JSON shape, errors."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from core.analytics.reuse.compare import compare_articles, compare_texts, format_comparison
from core.schema import conform
from core.store import Store
from core.text import count_words
from tests.analytics.reuse.test_analytics_align import seed_texts

BBC_ID, REWRITE_ID = "8f9fb6364737de52", "15fe88c0c738a859"


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory) -> Store:
    bbc, rewrite = seed_texts()
    articles = pd.DataFrame(
        {
            "article_id": [BBC_ID, REWRITE_ID],
            "source": ["BBC", "unknown"],
            "published": ["2022-08-15", "2022-08-16"],
            "title": [bbc.split("\n", 1)[0], rewrite.split("\n", 1)[0]],
            "text": [bbc, rewrite],
            "origin": [
                "data/samples/000_8f9fb6364737de52.txt",
                "data/samples/001_15fe88c0c738a859.txt",
            ],
            "n_words": [count_words(bbc), count_words(rewrite)],
        }
    )
    store = Store(tmp_path_factory.mktemp("compare") / "store")
    store.append({"articles": conform(articles, "articles")})
    return store


@pytest.fixture(scope="module")
def result(seed_store) -> dict:
    return compare_articles(seed_store, BBC_ID, REWRITE_ID)


def test_keys_and_json(result):
    assert set(result) == {"a", "b", "pairs", "only_a", "only_b", "quotes", "reuse"}
    assert set(result["pairs"][0]) >= {"a", "b", "relation", "similarity"}
    assert set(result["quotes"][0]) >= {"a", "b", "speaker", "status", "diff"}
    assert set(result["reuse"]) == {"score", "direction"}
    assert json.loads(json.dumps(result)) == result
    assert result["a"]["published"] == "2022-08-15" and result["a"]["source"] == "BBC"


def test_must_shows(result):
    assert len(result["pairs"]) >= 14
    for start in (
        "“We are ready to provide allies and partners with the most modern weapons",
        "He boasted that Russian weapons",
        "Many of North Korea’s Russian-designed weapons",
    ):
        assert any(s.startswith(start) for s in result["only_b"]), start
    altered = {(q["a"], q["b"]) for q in result["quotes"] if q["status"] == "altered"}
    assert {
        ("comradely friendship", "comradeship"),
        (
            "conform with the interests of the two countries",
            "serve the interests of both countries",
        ),
        ("highly skilled, industrious", "skilled, hard-working"),
    } <= altered
    assert result["reuse"]["direction"] == "a->b"
    assert 0.5 < result["reuse"]["score"] <= 1.0


def test_reverse_order_flips_direction(seed_store):
    assert compare_articles(seed_store, REWRITE_ID, BBC_ID)["reuse"]["direction"] == "b->a"


def test_origins_and_file_names_resolve(seed_store, result):
    by_origin = compare_articles(
        seed_store, "data/samples/000_8f9fb6364737de52.txt", "001_15fe88c0c738a859.txt"
    )
    assert by_origin["pairs"] == result["pairs"]
    assert by_origin["b"]["article_id"] == REWRITE_ID


def test_errors_name_the_argument(seed_store):
    with pytest.raises(ValueError, match="^B: no stored article"):
        compare_articles(seed_store, BBC_ID, "missing.txt")
    with pytest.raises(ValueError, match="^A: no stored article"):
        compare_articles(seed_store, ".txt", BBC_ID)  # a suffix must be whole path parts


def test_same_file_name_in_two_folders_is_ambiguous(tmp_path):
    articles = pd.DataFrame(
        {
            "article_id": ["a1", "a2"],
            "source": ["x", "y"],
            "text": ["One text.", "Another text."],
            "origin": ["feeds/x/story.txt", "feeds/y/story.txt"],
            "n_words": [2, 2],
        }
    )
    store = Store(tmp_path / "store")
    store.append({"articles": conform(articles, "articles")})
    with pytest.raises(ValueError, match="^A: 'story.txt' is ambiguous, it matches 2"):
        compare_articles(store, "story.txt", "a2")
    assert compare_articles(store, "x/story.txt", "y/story.txt")["a"]["article_id"] == "a1"


def test_text_form(result):
    text = format_comparison(result)
    assert "Aligned sentences (16)" in text
    assert "[-comradely friendship-]{+comradeship+}" in text
    assert "Only in B (5)" in text
    assert "likely direction: a->b" in text


def test_unknown_dates_give_no_direction():
    out = compare_texts("A storm hit the coast.", "A storm hit the coast.")
    assert out["reuse"] == {"score": 1.0, "direction": None}
    assert out["pairs"][0]["relation"] == "identical"
