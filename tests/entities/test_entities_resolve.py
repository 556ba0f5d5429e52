"""Corpus-level entity resolution on tiny exact tables (core.entities.resolve, names)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from core.entities.names import fold, parse_person
from core.entities.resolve import resolve_pairs


def _pairs(rows):
    """rows: (article_id, entity, text, kind, n_mentions, published)."""
    df = pd.DataFrame(
        rows, columns=["article_id", "entity", "text", "kind", "n_mentions", "published"]
    )
    df["published"] = [dt.date.fromisoformat(d) if d else None for d in df["published"]]
    return df


def _ids(out: pd.DataFrame) -> dict[tuple[str, str], str]:
    return {(a, e): i for a, e, i in out[["article_id", "entity", "entity_id"]].to_numpy()}


@pytest.mark.parametrize(
    ("name", "first", "last", "generation"),
    [
        ("Donald J. Trump", "donald", "trump", ""),
        ("Donald Trump Jr.", "donald", "trump", "jr"),
        ("Robert S. Mueller III", "robert", "mueller", ""),
        ("Mr. Trump’s", "", "trump", ""),
        ("Bob Menendez", "robert", "menendez", ""),
        ("Enrique Peña Nieto", "enrique", "nieto", ""),
        ("Bill de Blasio", "william", "de blasio", ""),
        ("Alexandria Ocasio-Cortez", "alexandria", "ocasio cortez", ""),
        ("Barack Obama’s U", "barack", "obama", ""),
    ],
)
def test_person_parts(name, first, last, generation):
    p = parse_person(name)
    assert (p.first, p.last, p.generation) == (first, last, generation)


def test_fold_ignores_case_diacritics_punctuation_possessive_and_the():
    assert fold("The U.S. Senate's") == fold("US Senate") == "us senate"
    assert fold("Peña-Nieto") == "pena nieto"


def test_variants_fold_into_one_person_named_by_the_most_mentioned_form():
    out = resolve_pairs(
        _pairs(
            [
                ("a1", "Donald Trump", "Donald Trump", "person", 5, "2018-01-02"),
                ("a2", "Donald J. Trump", "Donald J. Trump", "person", 2, "2018-01-03"),
                ("a3", "Mr. Trump's", "Mr. Trump's", "person", 1, "2018-01-03"),
                ("a3", "Donald John Trump", "Donald John Trump", "person", 1, "2018-01-03"),
            ]
        )
    )
    ids = _ids(out)
    assert ids[("a1", "Donald Trump")] == ids[("a2", "Donald J. Trump")] == "person:donald-trump"
    assert ids[("a3", "Mr. Trump's")] == "person:donald-trump"
    assert set(out["name"]) == {"Donald Trump"}
    by = dict(zip(out["entity"], out["resolved_by"], strict=True))
    assert by == {
        "Donald Trump": "exact",
        "Donald J. Trump": "variant",
        "Mr. Trump's": "surname-in-article",
        "Donald John Trump": "variant",
    }


def test_people_sharing_a_surname_stay_apart():
    out = resolve_pairs(
        _pairs(
            [
                ("a1", "Bill Clinton", "Bill Clinton", "person", 3, "2016-01-01"),
                ("a1", "Hillary Clinton", "Hillary Clinton", "person", 3, "2016-01-01"),
                ("a2", "Melania Trump", "Melania Trump", "person", 1, "2016-01-01"),
                ("a2", "Donald Trump", "Donald Trump", "person", 4, "2016-01-01"),
                ("a2", "Donald Trump Jr", "Donald Trump Jr", "person", 2, "2016-01-01"),
                ("a3", "William Clinton", "William Clinton", "person", 1, "2016-01-01"),
            ]
        )
    )
    ids = _ids(out)
    assert (
        ids[("a1", "Bill Clinton")]
        == ids[("a3", "William Clinton")]
        != ids[("a1", "Hillary Clinton")]
    )
    # Father and son named in one article are two people.
    assert len({ids[("a2", e)] for e in ("Melania Trump", "Donald Trump", "Donald Trump Jr")}) == 3


def test_a_lone_jr_is_house_style():
    out = resolve_pairs(
        _pairs(
            [
                ("a1", "Roger J. Stone Jr", "Roger J. Stone Jr", "person", 2, "2019-01-01"),
                ("a2", "Roger Stone", "Roger Stone", "person", 2, "2019-01-02"),
            ]
        )
    )
    assert out["entity_id"].nunique() == 1


def test_lone_surname_takes_the_article_then_the_corpus_around_its_date():
    rows = [
        ("a1", "Pelosi", "Pelosi", "person", 2, "2019-01-10"),
        ("a1", "Nancy Pelosi", "Nancy Pelosi", "person", 1, "2019-01-10"),
        ("a2", "Pelosi", "Pelosi", "person", 3, "2019-01-12"),
        ("a3", "Nancy Pelosi", "Nancy Pelosi", "person", 1, "2019-01-05"),
        # Years later another Pelosi dominates: a bare "Pelosi" then means her.
        ("b1", "Paul Pelosi", "Paul Pelosi", "person", 1, "2023-06-01"),
        ("b2", "Paul Pelosi", "Paul Pelosi", "person", 1, "2023-06-03"),
        ("b3", "Pelosi", "Pelosi", "person", 1, "2023-06-04"),
    ]
    out = resolve_pairs(_pairs(rows))
    got = {
        (a, e): (i, r)
        for a, e, i, r in out[["article_id", "entity", "entity_id", "resolved_by"]].to_numpy()
    }
    assert got[("a1", "Pelosi")] == ("person:nancy-pelosi", "surname-in-article")
    assert got[("a2", "Pelosi")] == ("person:nancy-pelosi", "surname-in-corpus")
    assert got[("b3", "Pelosi")] == ("person:paul-pelosi", "surname-in-corpus")


def test_ambiguous_lone_surname_stays_its_own_entity():
    rows = [
        ("a1", "Bill Clinton", "Bill Clinton", "person", 1, "2015-03-01"),
        ("a2", "Hillary Clinton", "Hillary Clinton", "person", 1, "2015-03-02"),
        ("a3", "Clinton", "Clinton", "person", 2, "2015-03-03"),
    ]
    out = resolve_pairs(_pairs(rows))
    row = out[out["entity"] == "Clinton"].iloc[0]
    assert (row["entity_id"], row["name"], row["resolved_by"]) == (
        "person:clinton",
        "Clinton",
        "exact",
    )


def test_a_later_batch_can_change_what_a_surname_means():
    first = [
        ("a1", "Mitt Romney", "Mitt Romney", "person", 1, "2012-05-01"),
        ("a2", "Romney", "Romney", "person", 1, "2012-05-02"),
    ]
    later = [
        ("b1", "Ann Romney", "Ann Romney", "person", 1, "2012-05-03"),
        ("b2", "Ann Romney", "Ann Romney", "person", 1, "2012-05-04"),
    ]
    assert _ids(resolve_pairs(_pairs(first)))[("a2", "Romney")] == "person:mitt-romney"
    # Two bearers now share the window evenly: the bare surname is no longer unambiguous.
    assert _ids(resolve_pairs(_pairs(first + later)))[("a2", "Romney")] == "person:romney"


def test_a_surname_tied_to_a_relative_named_once_goes_to_the_famous_bearer():
    rows = [
        ("a1", "Melania Trump", "Melania Trump", "person", 1, "2018-05-01"),
        ("a1", "Melania Trump", "Trump", "person", 5, "2018-05-01"),
        ("b1", "Donald Trump", "Donald Trump", "person", 3, "2018-05-02"),
        ("b2", "Donald Trump", "Donald Trump", "person", 3, "2018-05-03"),
        ("b3", "Donald Trump", "Donald Trump", "person", 3, "2018-05-04"),
    ]
    out = resolve_pairs(_pairs(rows))
    got = {(e, t): i for e, t, i in out[["entity", "text", "entity_id"]].to_numpy()}
    assert got[("Melania Trump", "Trump")] == "person:donald-trump"
    assert got[("Melania Trump", "Melania Trump")] == "person:melania-trump"


def test_organisations_fold_by_name_and_noise_is_flagged_from_corpus_shares():
    rows = [
        ("a1", "The BBC", "the BBC", "org", 1, None),
        ("a2", "BBC", "BBC", "org", 2, None),
        ("a2", "TV", "TV", "org", 4, None),
    ]
    out = resolve_pairs(_pairs(rows), generic={"tv": 0.4, "bbc": 0.0})
    assert out.set_index("entity")["entity_id"].to_dict() == {
        "The BBC": "org:bbc",
        "BBC": "org:bbc",
        "TV": "org:tv",
    }
    assert out.set_index("entity")["status"].to_dict() == {
        "The BBC": "kept",
        "BBC": "kept",
        "TV": "noise",
    }


def test_contradicting_middle_initials_are_two_people():
    rows = [
        ("a1", "George W. Bush", "George W. Bush", "person", 9, "2004-01-01"),
        ("a2", "George H. W. Bush", "George H. W. Bush", "person", 1, "2004-01-01"),
        ("a3", "George Bush", "George Bush", "person", 1, "2004-01-01"),
    ]
    ids = _ids(resolve_pairs(_pairs(rows)))
    assert ids[("a1", "George W. Bush")] != ids[("a2", "George H. W. Bush")]
    # The bare form joins the initial holding at least three quarters of them.
    assert ids[("a3", "George Bush")] == ids[("a1", "George W. Bush")]


def test_empty_input_keeps_every_column():
    out = resolve_pairs(_pairs([]))
    assert list(out.columns) == [
        "article_id",
        "entity",
        "text",
        "entity_id",
        "name",
        "kind",
        "resolved_by",
        "status",
        "n_mentions",
    ]
    assert out.empty


def test_a_one_word_person_that_mostly_follows_a_capitalised_word_is_a_name_tail():
    rows = [
        ("a1", "Department", "Department", "person", 3, "2019-01-01"),
        ("a2", "Pelosi", "Pelosi", "person", 2, "2019-01-01"),
    ]
    out = resolve_pairs(_pairs(rows), fragments={"Department": 0.9, "Pelosi": 0.0})
    assert out.set_index("entity")["status"].to_dict() == {"Department": "noise", "Pelosi": "kept"}


def test_an_organisation_keeps_a_first_word_that_is_a_title_in_its_name():
    rows = [
        ("a1", "Justice Department", "Justice Department", "org", 3, None),
        ("a2", "General Motors's", "General Motors's", "org", 1, None),
        ("a2", "General Motors", "General Motors", "org", 1, None),
        ("a3", "Mr. Wolin", "Mr. Wolin", "person", 1, None),
    ]
    out = resolve_pairs(_pairs(rows))
    assert out.set_index("entity")["name"].to_dict() == {
        "Justice Department": "Justice Department",
        "General Motors's": "General Motors",
        "General Motors": "General Motors",
        "Mr. Wolin": "Wolin",
    }


def test_an_organisation_in_the_singular_and_the_plural_is_one():
    rows = [
        ("a1", "Liberal Democrats", "Liberal Democrats", "org", 3, None),
        ("a2", "Liberal Democrat", "Liberal Democrat", "org", 1, None),
        ("a2", "Democrat", "Democrat", "place", 1, None),
        ("a3", "Democrats", "Democrats", "place", 1, None),
    ]
    out = resolve_pairs(_pairs(rows)).set_index("entity")
    assert out.loc["Liberal Democrat", "entity_id"] == out.loc["Liberal Democrats", "entity_id"]
    assert out.loc["Liberal Democrat", "name"] == "Liberal Democrats"
    assert out.loc["Democrat", "entity_id"] != out.loc["Democrats", "entity_id"]
