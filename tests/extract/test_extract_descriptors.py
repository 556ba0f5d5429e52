"""A nationality noun or a description glued before a name is no part of it (core.extract.names
reading, data/demonyms.csv), while a first name that is also such a word stays one."""

from __future__ import annotations

import pytest

from core.extract import get_mention_extractor
from core.text import split_sentences


@pytest.fixture(scope="module")
def extract():
    ex = get_mention_extractor("gazetteer")
    return lambda text: ex(text, split_sentences(text))


def _people(rows):
    return {r["text"] for r in rows if r["kind"] == "person"}


@pytest.mark.parametrize(
    ("text", "person", "country"),
    [
        ("Scot Kathy Butler won the race.", "Kathy Butler", "United Kingdom"),
        ("The Welshman Colin Jackson won.", "Colin Jackson", "United Kingdom"),
        ("Frenchman Thierry Henry scored.", "Thierry Henry", "France"),
        ("Irishwoman Sonia O'Sullivan ran.", "Sonia O'Sullivan", "Ireland"),
        ("Dutchman Ruud van Nistelrooy scored.", "Ruud van Nistelrooy", "Netherlands"),
    ],
)
def test_a_nationality_noun_before_a_name_is_its_country_not_its_first_word(
    extract, text, person, country
):
    rows = extract(text)
    assert _people(rows) == {person}
    assert [r["entity"] for r in rows if r["kind"] == "country"] == [country]


@pytest.mark.parametrize("word", ["Veteran", "Champion", "Skipper", "Teenager", "Rookie", "Winger"])
def test_a_description_before_a_name_is_no_part_of_it(extract, word):
    assert _people(extract(f"{word} Kelly Holmes won again.")) == {"Kelly Holmes"}


def test_a_first_name_that_is_also_a_nationality_stays_a_first_name(extract):
    # Only a nationality followed by a first name and a surname is cut off.
    rows = extract("Scot Peterson said it was fine. Finn Russell agreed.")
    assert _people(rows) == {"Scot Peterson", "Finn Russell"}
    assert not any(r["kind"] == "country" for r in rows)


def test_a_description_that_is_a_surname_stays_in_the_name(extract):
    assert _people(extract("John Skipper said so. Gill Champion agreed.")) == {
        "John Skipper",
        "Gill Champion",
    }


def test_a_month_that_is_a_first_name_opens_a_name_after_a_role_word(extract):
    assert _people(extract("Police Federation chairman Jan Berry said so.")) == {"Jan Berry"}
    # As a date it is still no part of the name.
    assert "May Blair" not in _people(extract("In May Blair said so."))
