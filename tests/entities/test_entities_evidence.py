"""A lone surname goes to a bearer named only in other articles with the article's support
(core.entities.people.evidence), on tiny exact tables."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from core.entities.resolve import resolve_pairs

DAY = "2005-02-{:02d}"


def _pairs(rows):
    """rows: (article_id, entity, text, kind, n_mentions, published)."""
    df = pd.DataFrame(
        rows, columns=["article_id", "entity", "text", "kind", "n_mentions", "published"]
    )
    df["published"] = [dt.date.fromisoformat(d) if d else None for d in df["published"]]
    return df


def _got(out: pd.DataFrame) -> dict[tuple[str, str, str], tuple[str, str]]:
    cols = ["article_id", "entity", "text", "entity_id", "resolved_by"]
    return {(a, e, t): (i, r) for a, e, t, i, r in out[cols].to_numpy()}


# The actress, named in full in three articles about films (one of them about "Catwoman").
ACTRESS = [
    (f"h{i}", "Halle Berry", "Halle Berry", "person", 1, DAY.format(i)) for i in range(1, 4)
] + [("h1", "Catwoman", "Catwoman", "org", 1, DAY.format(1))]
# A police story: a "Ms Berry" the extractor found without a first name.
POLICE = [
    ("p1", "Berry", "Berry", "person", 2, DAY.format(10)),
    ("p1", "Police Federation", "Police Federation", "org", 2, DAY.format(10)),
    ("p1", "Home Office", "Home Office", "org", 1, DAY.format(10)),
]
MS = pd.DataFrame(
    [("p1", "Berry", "Berry", "ms", 1)], columns=["article_id", "entity", "text", "title", "n"]
)


def test_ms_berry_in_another_story_is_not_the_actress_named_elsewhere():
    got = _got(resolve_pairs(_pairs(ACTRESS + POLICE), titles=MS))
    assert got[("p1", "Berry", "Berry")] == ("person:berry", "exact")


def test_ms_berry_beside_halle_berry_in_the_same_article_is_her():
    rows = ACTRESS + POLICE + [("p1", "Halle Berry", "Halle Berry", "person", 1, DAY.format(10))]
    got = _got(resolve_pairs(_pairs(rows), titles=MS))
    assert got[("p1", "Berry", "Berry")] == ("person:halle-berry", "surname-in-article")


def test_a_name_the_bearers_stories_share_supports_the_corpus_choice():
    rows = ACTRESS + POLICE + [("p1", "Catwoman", "Catwoman", "org", 1, DAY.format(10))]
    got = _got(resolve_pairs(_pairs(rows), titles=MS))
    assert got[("p1", "Berry", "Berry")] == ("person:halle-berry", "surname-in-corpus")


def test_an_article_naming_nothing_else_keeps_the_dominant_bearer():
    rows = ACTRESS + [("b1", "Berry", "Berry", "person", 1, DAY.format(10))]
    got = _got(resolve_pairs(_pairs(rows)))
    assert got[("b1", "Berry", "Berry")] == ("person:halle-berry", "surname-in-corpus")


def test_an_office_the_corpus_gives_the_bearer_supports_the_corpus_choice():
    rows = [
        (f"w{i}", "George Bush", "George Bush", "person", 1, DAY.format(i)) for i in range(1, 4)
    ] + [
        ("e1", "Bush", "Bush", "person", 1, DAY.format(10)),
        ("e1", "Johnny Carson", "Johnny Carson", "person", 2, DAY.format(10)),
    ]
    titles = pd.DataFrame(
        [
            ("w1", "George Bush", "George Bush", "president", 1),
            ("e1", "Bush", "Bush", "president", 1),
        ],
        columns=["article_id", "entity", "text", "title", "n"],
    )
    got = _got(resolve_pairs(_pairs(rows), titles=titles))
    assert got[("e1", "Bush", "Bush")] == ("person:george-bush", "surname-in-corpus")
    # A title of sex only points at nobody: "Mr Bush" in that story stays a Bush of its own.
    mr = titles.assign(title=["president", "mr"])
    got = _got(resolve_pairs(_pairs(rows), titles=mr))
    assert got[("e1", "Bush", "Bush")] == ("person:bush", "exact")


def test_a_full_name_written_in_the_article_but_not_extracted_supports_the_choice():
    rows = [
        (f"t{i}", "Rick Perry", "Rick Perry", "person", 1, DAY.format(i)) for i in range(1, 4)
    ] + [
        ("n1", "Perry", "Perry", "person", 3, DAY.format(10)),
        ("n1", "Iowa Caucuses", "Iowa Caucuses", "org", 1, DAY.format(10)),
    ]
    texts = {"n1": "Gov. Rick Perry of Texas spoke. Mr. Perry said no.", "t1": "Rick Perry."}
    asked: list[list[str]] = []

    def read(ids):
        asked.append(list(ids))
        return {i: texts[i] for i in ids if i in texts}

    got = _got(resolve_pairs(_pairs(rows), texts=read))
    assert got[("n1", "Perry", "Perry")] == (
        "person:richard-perry",
        "surname-in-corpus",
    )  # Rick is Richard
    assert asked == [["n1"]]  # only the article that needed it was read
    # Another first name before the surname is no support ("Mark Udall" for Tom Udall).
    texts["n1"] = "Governor Mark Perry of Ohio spoke. Mr. Perry said no."
    got = _got(resolve_pairs(_pairs(rows), texts=read))
    assert got[("n1", "Perry", "Perry")] == ("person:perry", "exact")


def test_a_player_named_in_passing_keeps_his_surname_from_a_famous_namesake():
    rows = [
        (f"j{i}", "Julie Andrews", "Julie Andrews", "person", 1, DAY.format(i)) for i in range(1, 4)
    ] + [
        ("m1", "Marvin Andrews", "Marvin Andrews", "person", 1, DAY.format(10)),
        ("m1", "Marvin Andrews", "Andrews", "person", 2, DAY.format(10)),
        ("m1", "Craig Bellamy", "Craig Bellamy", "person", 2, DAY.format(10)),
        ("m1", "Celtic", "Celtic", "org", 3, DAY.format(10)),
    ]
    got = _got(resolve_pairs(_pairs(rows)))
    assert got[("m1", "Marvin Andrews", "Andrews")][0] == "person:marvin-andrews"


def test_a_lone_surname_in_the_bearers_story_matches_the_full_name_here():
    # The police story names "Hazel Blears"; one of the actress's articles (oddly) "Blears".
    rows = (
        ACTRESS
        + POLICE
        + [
            ("p1", "Hazel Blears", "Hazel Blears", "person", 1, DAY.format(10)),
            ("h2", "Blears", "Blears", "person", 1, DAY.format(2)),
        ]
    )
    got = _got(resolve_pairs(_pairs(rows), titles=MS))
    assert got[("p1", "Berry", "Berry")] == ("person:halle-berry", "surname-in-corpus")


def test_two_full_names_of_one_surname_are_no_shared_context():
    # "David Davis" here and "Geena Davis" there are two people, not a shared story.
    rows = (
        ACTRESS
        + POLICE
        + [
            ("p1", "David Davis", "David Davis", "person", 1, DAY.format(10)),
            ("h2", "Geena Davis", "Geena Davis", "person", 1, DAY.format(2)),
        ]
    )
    got = _got(resolve_pairs(_pairs(rows), titles=MS))
    assert got[("p1", "Berry", "Berry")] == ("person:berry", "exact")


def test_ms_berry_after_a_first_name_read_as_male_is_not_the_actress_either():
    # "Jan" is a man's name to gender-guesser: "Ms" rules Jan Berry out, and the corpus's
    # Berry needs the article's support like any other.
    rows = ACTRESS + [
        ("p1", "Jan Berry", "Jan Berry", "person", 1, DAY.format(10)),
        ("p1", "Jan Berry", "Berry", "person", 1, DAY.format(10)),
        ("p1", "Police Federation", "Police Federation", "org", 2, DAY.format(10)),
    ]
    titles = pd.DataFrame(
        [("p1", "Jan Berry", "Berry", "ms", 1)],
        columns=["article_id", "entity", "text", "title", "n"],
    )
    got = _got(resolve_pairs(_pairs(rows), titles=titles))
    # Unsupported, the corpus's Berry gives way to the article's own: the guesser is less sure
    # than the article.
    assert got[("p1", "Jan Berry", "Berry")][0] == "person:jan-berry"
