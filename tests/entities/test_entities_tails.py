"""One person when one name is the trailing words of another (core.entities.people.tails)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from core.entities.resolve import resolve_pairs


def _pairs(rows):
    """rows: (article_id, entity, kind, n_mentions); text = entity, one date."""
    df = pd.DataFrame(rows, columns=["article_id", "entity", "kind", "n_mentions"])
    df["text"] = df["entity"]
    df["published"] = dt.date(2015, 3, 1)
    return df[["article_id", "entity", "text", "kind", "n_mentions", "published"]]


def _by_entity(out: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """entity → (entity_id, name)."""
    return {e: (i, n) for e, i, n in out[["entity", "entity_id", "name"]].to_numpy()}


@pytest.mark.parametrize(
    ("short", "long_"),
    [
        ("Peña Nieto", "Enrique Peña Nieto"),
        ("Lo Cicero", "Andrea Lo Cicero"),
        ("Christian Andersen", "Hans Christian Andersen"),
        ("Michael Conaway", "K. Michael Conaway"),
        ("Jong Un", "Kim Jong Un"),
    ],
)
def test_a_dropped_given_name_joins_the_longer_name_which_names_them(short, long_):
    # The short form is written more often: the longer one is still the person's name.
    out = resolve_pairs(
        _pairs([("a1", long_, "person", 1), ("a2", short, "person", 4), ("a3", short, "person", 2)])
    )
    got = _by_entity(out)
    assert got[short] == got[long_]
    assert got[short][1] == long_


@pytest.mark.parametrize(
    ("long_", "short"),
    [
        ("Referee Graham Poll", "Graham Poll"),
        ("FIRED Eric Cantor", "Eric Cantor"),
        ("DJ Norman Cook", "Norman Cook"),
        ("President-elect Mike Pence", "Mike Pence"),
        ("Songwriter Guy Chambers", "Guy Chambers"),
        # gender-guesser knows "Argentine" as a first name: a nationality is no name here.
        ("Argentine David Nalbandian", "David Nalbandian"),
    ],
)
def test_a_glued_non_name_word_joins_the_shorter_name_which_names_them(long_, short):
    # The glued form is the most written here: it still must not become the name.
    out = resolve_pairs(
        _pairs([("a1", long_, "person", 5), ("a2", short, "person", 1), ("a3", long_, "person", 1)])
    )
    got = _by_entity(out)
    assert got[short] == got[long_]
    assert got[long_][1] == short


def test_a_known_first_name_glued_before_several_people_is_a_descriptor():
    # gender-guesser knows "Tory" as a first name; the corpus writes it before two people.
    out = resolve_pairs(
        _pairs(
            [
                ("a1", "Tory Liam Fox", "person", 3),
                ("a2", "Liam Fox", "person", 1),
                ("a3", "Tory Michael Howard", "person", 1),
                ("a4", "Michael Howard", "person", 1),
            ]
        )
    )
    got = _by_entity(out)
    assert got["Tory Liam Fox"] == got["Liam Fox"] and got["Liam Fox"][1] == "Liam Fox"
    assert got["Tory Michael Howard"] == got["Michael Howard"]
    assert got["Michael Howard"][1] == "Michael Howard"
    assert got["Liam Fox"][0] != got["Michael Howard"][0]


def test_a_tail_of_two_different_longer_people_stays_apart():
    out = resolve_pairs(
        _pairs(
            [
                ("a1", "John F. Kennedy", "person", 2),
                ("a2", "Robert F. Kennedy", "person", 2),
                ("a3", "F. Kennedy", "person", 1),
                ("a4", "Jane Mary Smith", "person", 1),
                ("a5", "Anne Mary Smith", "person", 1),
                ("a6", "Mary Smith", "person", 3),
            ]
        )
    )
    ids = {e: i for e, (i, _n) in _by_entity(out).items()}
    assert len({ids["John F. Kennedy"], ids["Robert F. Kennedy"], ids["F. Kennedy"]}) == 3
    assert len({ids["Jane Mary Smith"], ids["Anne Mary Smith"], ids["Mary Smith"]}) == 3


def test_a_one_word_tail_and_non_people_are_left_to_other_steps():
    out = resolve_pairs(
        _pairs(
            [
                ("a1", "Barack Obama", "person", 2),
                ("a2", "Michelle Obama", "person", 2),
                ("a3", "New York Times", "org", 2),
                ("a4", "York Times", "person", 1),
                ("a5", "Ed Miliband", "person", 1),
                ("a6", "Labour Ed Miliband", "org", 1),
            ]
        )
    )
    ids = {e: i for e, (i, _n) in _by_entity(out).items()}
    assert ids["Barack Obama"] != ids["Michelle Obama"]
    assert ids["York Times"] != ids["New York Times"]
    assert ids["Ed Miliband"] != ids["Labour Ed Miliband"]


def test_a_lone_surname_follows_the_merged_person():
    out = resolve_pairs(
        _pairs(
            [
                ("a1", "Enrique Peña Nieto", "person", 1),
                ("a2", "Peña Nieto", "person", 3),
                ("a2", "Nieto", "person", 2),
            ]
        )
    )
    got = _by_entity(out)
    assert got["Nieto"] == got["Peña Nieto"] == got["Enrique Peña Nieto"]
