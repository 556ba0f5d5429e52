"""Metrics of the source-comparison evaluations on hand-computed cases, and corpus readers."""

from __future__ import annotations

import numpy as np
import pytest

from core.evaluate.paraphrase import _best_threshold, _metrics, read_msrp, score_tfidf
from core.evaluate.quotes import _is_person, _overlaps, _speaker_ok, read_basil_quotes, run_quotes
from core.evaluate.stories import (
    read_basil,
    read_ecbplus,
    score_bcubed,
    score_clustering,
    score_pairwise,
    tfidf_similarities,
)
from tests.conftest import corpus_path

GOLD = ["A", "A", "A", "B", "B"]
PRED = [1, 1, 2, 2, 2]


def test_bcubed_hand_computed():
    # per item P: 1, 1, 1/3, 2/3, 2/3 ; R: 2/3, 2/3, 1/3, 1, 1  -> both 11/15
    scores = score_bcubed(GOLD, PRED)
    assert scores["precision"] == pytest.approx(11 / 15)
    assert scores["recall"] == pytest.approx(11 / 15)
    assert scores["f1"] == pytest.approx(11 / 15)


def test_pairwise_hand_computed():
    # gold pairs 3+1, predicted pairs 1+3, shared: (1,2) and (4,5)
    scores = score_pairwise(GOLD, PRED)
    assert (scores["tp"], scores["fp"], scores["fn"]) == (2, 2, 2)
    assert scores["f1"] == pytest.approx(0.5)


def test_perfect_and_all_in_one():
    perfect = score_clustering(GOLD, ["x", "x", "x", "y", "y"])
    assert perfect["pairwise"]["f1"] == 1.0 and perfect["bcubed"]["f1"] == 1.0
    assert perfect["purity"] == 1.0 and perfect["n_predicted"] == 2
    lumped = score_clustering(GOLD, [0] * 5)
    assert lumped["bcubed"]["recall"] == 1.0
    assert lumped["bcubed"]["precision"] == pytest.approx((3 * 3 / 5 + 2 * 2 / 5) / 5)
    assert lumped["purity"] == pytest.approx(3 / 5)


def test_tfidf_baseline_similarity():
    sim = tfidf_similarities(["red apples fall", "red apples fall", "blue sky"])
    assert sim[0, 1] == pytest.approx(1.0)
    assert sim[0, 2] == pytest.approx(0.0)


def test_threshold_choice_and_metrics():
    scores, labels = np.array([0.1, 0.4, 0.6, 0.9]), np.array([0, 0, 1, 1])
    assert _best_threshold(scores, labels) == pytest.approx(0.6)
    m = _metrics(labels, scores >= 0.4)
    assert (m["tp"], m["fp"], m["fn"], m["accuracy"]) == (2, 1, 0, 0.75)


def test_quote_overlap_rule():
    text = "He said “a b c d e f g h” today."
    # gold covers the marks and half of the quote's words; marks are ignored
    assert _overlaps(text, (7, 17), (9, 23))
    assert not _overlaps(text, (0, 6), (9, 23))


def test_speaker_match():
    assert _speaker_ok("trump", "Donald_Trump")
    assert _speaker_ok("calderón", "Felipe_Calder")  # gold labels drop accents
    assert not _speaker_ok("obama", "Donald_Trump")
    assert not _speaker_ok(None, "Donald_Trump")
    assert _is_person("Donald_Trump") and not _is_person("House_Democrats")
    assert not _is_person("senate_Democrats")


@pytest.mark.corpus
def test_corpus_readers_counts():
    pairs = read_msrp(corpus_path("msrp"))
    assert len(pairs) == 4076 and sum(p[0] for p in pairs) == 2753
    ecb = read_ecbplus(corpus_path("ecbplus"))
    assert len(ecb) == 772 and ecb["cluster"].nunique() == 66
    assert not ecb["text"].str.startswith("http").any()
    basil = read_basil(corpus_path("basil"))
    assert len(basil) == 300 and basil["cluster"].nunique() == 100


@pytest.mark.corpus
def test_basil_quotes_located_and_scored():
    docs = read_basil_quotes(corpus_path("basil"))
    gold = [g for d in docs for g in d["gold"]]
    assert len(docs) == 300 and len(gold) == 722
    assert all(d["text"][g["start"] : g["end"]] == g["text"] for d in docs for g in d["gold"])
    result = run_quotes(corpus_path("basil"))
    assert result["n_marked"] + result["n_unmarked"] == 722
    assert result["spans"]["recall"] > 0.9  # measured 0.991; docs/accuracy.md has the numbers


@pytest.mark.corpus
def test_tfidf_scores_on_msrp_are_cosines():
    scores = score_tfidf(read_msrp(corpus_path("msrp"))[:50])
    assert scores.shape == (50,) and ((scores >= 0) & (scores <= 1 + 1e-9)).all()
