"""Sentence alignment, reuse score and direction: the seed must-shows and tiny edge cases."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.analytics.reuse.align import (
    align_sentences,
    infer_direction,
    score_reuse,
    score_similarity,
    stem,
    tokenize,
)
from core.text import normalise_text

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "samples"
BBC_SEED = SAMPLES / "000_8f9fb6364737de52.txt"
REWRITE_SEED = SAMPLES / "001_15fe88c0c738a859.txt"


def seed_texts() -> tuple[str, str]:
    """The two seeds as ingest stores them: BBC header prefix/suffix and rewrite date line gone."""
    bbc = normalise_text(BBC_SEED.read_text(encoding="utf-8"))
    first, rest = bbc.split("\n", 1)
    first = re.sub(r"^date \d{4}-\d{2}-\d{2}\s+", "", first.strip())
    first = re.sub(r"\s*\(BBC\)$", "", first)
    rewrite = normalise_text(REWRITE_SEED.read_text(encoding="utf-8")).split("\n", 1)[1]
    return normalise_text(first + "\n" + rest), rewrite


@pytest.fixture(scope="module")
def seed_alignment() -> pd.DataFrame:
    return align_sentences(*seed_texts())


def test_seed_has_at_least_14_pairs(seed_alignment):
    pairs = seed_alignment[seed_alignment["relation"].isin(["identical", "paraphrase"])]
    assert len(pairs) >= 14
    assert len(pairs) == 16  # every BBC sentence has its rewrite


def test_seed_pairs_are_the_right_sentences(seed_alignment):
    pairs = seed_alignment[seed_alignment["relation"] == "paraphrase"]
    by_a = dict(zip(pairs["a_sentence"].astype(int), pairs["b_sentence"].astype(int), strict=True))
    # BBC 0-8 keep their place; the rewrite inserts 4 sentences (9-12) and one more (16).
    assert by_a == {
        **{k: k for k in range(9)},
        9: 13, 10: 14, 11: 15, 12: 17, 13: 18, 14: 19, 15: 20,
    }  # fmt: skip
    comrade = pairs[pairs["a_text"].str.contains("comradely friendship")]
    assert comrade["b_text"].iloc[0] == "He added that their “comradeship” would become stronger."


def test_seed_only_b_holds_the_rewrites_additions(seed_alignment):
    only_b = seed_alignment.loc[seed_alignment["relation"] == "only_b", "b_text"].tolist()
    starts = [
        "“We are ready to provide allies and partners with the most modern weapons",
        "He boasted that Russian weapons",
        "Many of North Korea’s Russian-designed weapons",
    ]
    for start in starts:
        assert sum(s.startswith(start) for s in only_b) == 1, start
    assert len(only_b) == 5  # plus the two sentences on the cost of the invasion
    assert (seed_alignment["relation"] == "only_a").sum() == 0


def test_alignment_columns_and_dtypes(seed_alignment):
    assert list(seed_alignment.columns) == [
        "a_sentence", "b_sentence", "a_text", "b_text", "relation", "similarity"
    ]  # fmt: skip
    assert str(seed_alignment["a_sentence"].dtype) == "Int64"
    assert str(seed_alignment["similarity"].dtype) == "Float64"
    only_b = seed_alignment[seed_alignment["relation"] == "only_b"]
    assert only_b["a_sentence"].isna().all() and only_b["a_text"].isna().all()


def test_identical_sentences_ignore_case_and_punctuation():
    df = align_sentences(
        "The vote was held on Monday. Turnout was low.", "the vote was held on monday!"
    )
    assert df["relation"].tolist() == ["identical", "only_a"]
    assert df["similarity"].iloc[0] == 1.0
    assert df["b_sentence"].iloc[1] is pd.NA


def test_split_sentence_pairs_both_halves():
    whole = "The minister resigned on Monday after a scandal over his expenses."
    split = "The minister resigned on Monday. He quit after a scandal over his expenses."
    df = align_sentences(whole, split)
    assert list(zip(df["a_sentence"], df["b_sentence"], df["relation"], strict=True)) == [
        (0, 0, "paraphrase"),
        (0, 1, "paraphrase"),
    ]
    flipped = align_sentences(split, whole)
    assert flipped["a_sentence"].tolist() == [0, 1] and flipped["b_sentence"].tolist() == [0, 0]


def test_unrelated_texts_do_not_align():
    df = align_sentences("Floods hit the coastal town.", "The central bank raised interest rates.")
    assert sorted(df["relation"]) == ["only_a", "only_b"]


def test_empty_side():
    df = align_sentences("", "One sentence here.")
    assert df["relation"].tolist() == ["only_b"]
    assert score_reuse(df) == 0.0


def test_stem_equates_spelling_and_inflection():
    assert stem("recognised") == stem("recognize") == "recogniz"
    assert stem("countries") == stem("country")
    assert stem("forces") == stem("force")
    assert tokenize("The threats of hostile forces") == ["threat", "hostil", "forc"]


def test_similarity_bounds():
    assert score_similarity(["a"], []) == 0.0
    assert score_similarity(["kim", "letter"], ["kim", "letter"]) == 1.0
    # one of two tokens shared on each side: P = R = 0.5
    assert score_similarity(["kim", "letter"], ["kim", "drone"]) == pytest.approx(0.5)


def test_reuse_score_hand_computed():
    alignment = pd.DataFrame(
        {
            "a_text": ["one two three four", "five six", None],
            "b_text": ["one two three four", None, "seven eight nine ten eleven twelve"],
            "relation": ["identical", "only_a", "only_b"],
            "similarity": [1.0, 0.1, 0.0],
        }
    )
    # a has 6 words (the shorter); 4 of them sit in a pair of similarity 1.0 -> 4/6
    assert score_reuse(alignment) == pytest.approx(0.6667)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2022-08-15", "2022-08-16", "a->b"),
        ("2022-08-16", "2022-08-15", "b->a"),
        ("2022-08-15", "2022-08-15", None),
        (None, "2022-08-15", None),
        (pd.NaT, "2022-08-15", None),
    ],
)
def test_infer_direction(a, b, expected):
    assert infer_direction(a, b) == expected


_WORDS = ["Russia", "Kim", "said", "the", "talks", "failed", "army", "weapons", "in", "July"]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=8), max_size=6),
    st.lists(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=8), max_size=6),
)
def test_every_sentence_appears_exactly_once(sents_a, sents_b):
    text_a = "\n".join(" ".join(s) + "." for s in sents_a)
    text_b = "\n".join(" ".join(s) + "." for s in sents_b)
    df = align_sentences(text_a, text_b)
    # every sentence appears; twice only as half of a split sentence (a paraphrase pair)
    assert sorted(set(df["a_sentence"].dropna().astype(int))) == list(range(len(sents_a)))
    assert sorted(set(df["b_sentence"].dropna().astype(int))) == list(range(len(sents_b)))
    for col in ("a_sentence", "b_sentence"):
        repeated = df[df[col].notna() & df[col].duplicated(keep=False)]
        assert (repeated["relation"] == "paraphrase").all()
    assert ((df["similarity"] >= 0) & (df["similarity"] <= 1)).all()
    assert 0.0 <= score_reuse(df) <= 1.0
