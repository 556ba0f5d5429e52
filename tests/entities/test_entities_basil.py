"""BASIL (../shared/corpora/basil), ingested with the command line alone: each article's
hand-labelled main persons are among its entities under one canonical name (issue 12)."""

from __future__ import annotations

import pytest

from core.evaluate.entities import ingest_basil, score_main_persons
from tests.conftest import corpus_path


@pytest.fixture(scope="module")
def basil(tmp_path_factory):
    corpus = corpus_path("basil")
    return ingest_basil(corpus, tmp_path_factory.mktemp("basil") / "store")


def test_main_persons_found_under_their_canonical_name_overall(basil):
    store, gold = basil
    score = score_main_persons(store, gold)
    assert score["overall"]["total"] >= 400
    assert score["overall"]["share"] >= 0.95, score["misses"]


def test_main_persons_found_in_each_outlet(basil):
    store, gold = basil
    score = score_main_persons(store, gold)
    assert len(score["by_outlet"]) == 3
    for outlet, s in score["by_outlet"].items():
        assert s["share"] >= 0.95, (outlet, s)
