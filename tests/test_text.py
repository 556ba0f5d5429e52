"""Normalisation and sentence splitting: the offsets every table relies on."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from core.text import (
    count_words,
    first_sentence,
    normalise_text,
    sentence_index,
    split_sentences,
)


def _texts(text):
    return [text[a:b] for _, a, b in split_sentences(text)]


def test_news_abbreviations_and_initials_do_not_split():
    text = "Mr. Kim met Dr. Smith in the U.S. capital. George W. Bush was not there. Really?"
    assert _texts(text) == [
        "Mr. Kim met Dr. Smith in the U.S. capital.",
        "George W. Bush was not there.",
        "Really?",
    ]


def test_closing_quotes_stay_with_their_sentence():
    text = "He said it would “grow stronger.” Then he left. “Why?” she asked."
    assert _texts(text) == [
        "He said it would “grow stronger.”",
        "Then he left.",
        "“Why?” she asked.",
    ]


def test_lines_are_paragraphs_and_blank_lines_do_not_count():
    text = "First one. Second one.\n\n\nThird one.\nFourth"
    assert split_sentences(text) == [(0, 0, 10), (0, 11, 22), (1, 25, 35), (2, 36, 42)]


def test_normalise_keeps_curly_quotes_and_dashes():
    assert normalise_text("\ufeff“a” – b\r\nc  \r") == "“a” – b\nc"


def test_count_words_keeps_hyphenated_words_whole():
    assert count_words("Russia-North Korea ties, Kim Jong-un’s letter.") == 6


def test_sentence_index_finds_the_containing_sentence():
    sents = split_sentences("One. Two. Three.")
    assert [sentence_index(sents, o) for o in (0, 4, 5, 12)] == [0, 0, 1, 2]


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_sentences_are_ordered_trimmed_and_inside_the_text(text):
    sents = split_sentences(text)
    last_end = 0
    for paragraph, start, end in sents:
        assert 0 <= last_end <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        assert paragraph >= 0
        last_end = end
    assert split_sentences(text) == sents


def test_first_sentence_reads_the_first_line_with_words():
    assert first_sentence("\n  \nMr. Smith went to Washington. He said so.\nNext.") == (
        "Mr. Smith went to Washington."
    )
    assert first_sentence(" \n\t\n") == ""
    assert first_sentence("") == ""


_NEWSY = st.text(alphabet=st.sampled_from(list("aZ .!?\n\"'”)U.S Mr")), max_size=200)


@given(st.one_of(_NEWSY, st.text(alphabet=st.characters(blacklist_categories=("Cs",)))))
def test_first_sentence_is_the_first_of_split_sentences(text):
    sents = split_sentences(text)
    expected = text[sents[0][1] : sents[0][2]] if sents else ""
    assert first_sentence(text) == expected


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_count_words_counts_each_word_match(text):
    assert count_words(text) == sum(1 for _ in re.finditer(r"\w+(?:[-'’]\w+)*", text))
