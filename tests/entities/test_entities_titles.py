"""Titles, generations and other senses of a surname in the resolution (core.entities.people.titles,
namesakes, surnames) on tiny exact tables."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from core.entities.people.titles import read_person_titles, title_misfits
from core.entities.resolve import resolve_pairs

DAY = "2017-11-{:02d}"


def _pairs(rows):
    """rows: (article_id, entity, text, kind, n_mentions, published)."""
    df = pd.DataFrame(
        rows, columns=["article_id", "entity", "text", "kind", "n_mentions", "published"]
    )
    df["published"] = [dt.date.fromisoformat(d) if d else None for d in df["published"]]
    return df


def _titles(rows):
    """rows: (article_id, entity, text, title, n)."""
    return pd.DataFrame(rows, columns=["article_id", "entity", "text", "title", "n"])


def _got(out: pd.DataFrame) -> dict[tuple[str, str, str], str]:
    cols = ["article_id", "entity", "text", "entity_id"]
    return {(a, e, t): i for a, e, t, i in out[cols].to_numpy()}


# A corpus where the father dominates "Trump": named in full (as "President Donald Trump") in
# four articles, and with his son in one (so father and son stay two people).
FATHER = [
    (f"f{i}", "Donald Trump", "Donald Trump", "person", 2, DAY.format(i)) for i in range(1, 5)
] + [
    ("both", "Donald Trump", "Donald Trump", "person", 1, DAY.format(5)),
    ("both", "Donald Trump Jr", "Donald Trump Jr", "person", 1, DAY.format(5)),
]
FATHER_TITLES = [(f"f{i}", "Donald Trump", "Donald Trump", "president", 1) for i in range(1, 5)]


def test_a_son_named_once_does_not_take_president_trump():
    rows = FATHER + [
        ("a1", "Donald Trump Jr", "Donald Trump Jr", "person", 1, DAY.format(17)),
        ("a1", "Donald Trump Jr", "Trump", "person", 7, DAY.format(17)),
    ]
    titles = FATHER_TITLES + [
        ("a1", "Donald Trump Jr", "Trump", "president", 2),
        ("a1", "Donald Trump Jr", "Trump", "mr", 3),
    ]
    got = _got(resolve_pairs(_pairs(rows), titles=_titles(titles)))
    assert got[("a1", "Donald Trump Jr", "Trump")] == "person:donald-trump"
    assert got[("a1", "Donald Trump Jr", "Donald Trump Jr")] == "person:donald-trump-jr"


def test_an_article_about_the_son_keeps_his_surname():
    rows = FATHER + [
        # Named twice, then "Mr. Trump" (a "Mr" fits father and son alike) and "Mr Trump Jr".
        ("s1", "Donald Trump Jr", "Donald Trump Jr", "person", 2, DAY.format(13)),
        ("s1", "Donald Trump Jr", "Trump", "person", 10, DAY.format(13)),
        ("s1", "Donald Trump Jr", "Trump Jr", "person", 2, DAY.format(13)),
        # Named once, then the surname with no title, and a "President Trump Jr" slip: the
        # generation written beside the surname says who it is, whatever the title.
        ("s2", "Donald Trump Jr", "Donald Trump Jr", "person", 1, DAY.format(14)),
        ("s2", "Donald Trump Jr", "Trump", "person", 4, DAY.format(14)),
        ("s2", "Donald Trump Jr", "Trump Jr", "person", 2, DAY.format(14)),
    ]
    titles = FATHER_TITLES + [
        ("s1", "Donald Trump Jr", "Trump", "mr", 10),
        ("s1", "Donald Trump Jr", "Trump Jr", "mr", 1),
        ("s2", "Donald Trump Jr", "Trump Jr", "president", 2),
    ]
    got = _got(resolve_pairs(_pairs(rows), titles=_titles(titles)))
    for key in [
        ("s1", "Donald Trump Jr", "Trump"),
        ("s1", "Donald Trump Jr", "Trump Jr"),
        ("s2", "Donald Trump Jr", "Trump"),
        ("s2", "Donald Trump Jr", "Trump Jr"),
    ]:
        assert got[key] == "person:donald-trump-jr", key


def test_one_contrary_title_does_not_move_a_name_the_article_writes_often():
    rows = FATHER + [
        ("m1", "Donald Trump", "Donald Trump", "person", 3, DAY.format(20)),
        ("m1", "Donald Trump", "Trump", "person", 14, DAY.format(20)),
        ("m1", "Melania Trump", "Melania Trump", "person", 1, DAY.format(20)),
    ]
    titles = FATHER_TITLES + [("m1", "Donald Trump", "Trump", "mrs", 1)]
    got = _got(resolve_pairs(_pairs(rows), titles=_titles(titles)))
    assert got[("m1", "Donald Trump", "Trump")] == "person:donald-trump"


def test_mr_after_a_woman_named_once_goes_to_the_man_of_that_surname():
    rows = [
        ("a1", "Melania Trump", "Melania Trump", "person", 1, DAY.format(1)),
        ("a1", "Melania Trump", "Trump", "person", 4, DAY.format(1)),
        ("b1", "Donald Trump", "Donald Trump", "person", 1, DAY.format(2)),
    ]
    titles = [("a1", "Melania Trump", "Trump", "mr", 3)]
    got = _got(resolve_pairs(_pairs(rows), titles=_titles(titles)))
    # One other article is enough: the title, not fame, rules Melania out.
    assert got[("a1", "Melania Trump", "Trump")] == "person:donald-trump"


def test_a_namesake_introduced_once_keeps_his_surname():
    speaker = [(f"p{i}", "Paul Ryan", "Paul Ryan", "person", 2, DAY.format(i)) for i in range(1, 5)]
    rows = speaker + [
        ("t1", "Tim Ryan", "Tim Ryan", "person", 1, DAY.format(20)),
        ("t1", "Tim Ryan", "Ryan", "person", 8, DAY.format(20)),
        ("t2", "Tim Ryan", "Tim Ryan", "person", 1, DAY.format(21)),
        ("t2", "Tim Ryan", "Ryan", "person", 5, DAY.format(21)),
        # A short form of the famous one's first name is the same man: it moves.
        ("c1", "Paulie Ryan", "Paulie Ryan", "person", 1, DAY.format(22)),
        ("c1", "Paulie Ryan", "Ryan", "person", 3, DAY.format(22)),
    ]
    titles = [("t1", "Tim Ryan", "Ryan", "mr", 6)]  # t2 writes him without a title
    got = _got(resolve_pairs(_pairs(rows), titles=_titles(titles)))
    assert got[("t1", "Tim Ryan", "Ryan")] == "person:timothy-ryan"
    assert got[("t2", "Tim Ryan", "Ryan")] == "person:timothy-ryan"
    assert got[("c1", "Paulie Ryan", "Ryan")] == "person:paul-ryan"


def test_a_title_that_fits_the_article_name_only_keeps_it():
    rows = [(f"r{i}", "Ayn Rand", "Ayn Rand", "person", 1, DAY.format(i)) for i in range(1, 5)]
    rows += [
        ("a1", "Barry Rand", "Barry Rand", "person", 1, DAY.format(9)),
        ("a1", "Barry Rand", "Rand", "person", 2, DAY.format(9)),
    ]
    titles = [("a1", "Barry Rand", "Rand", "mr", 2)]
    got = _got(resolve_pairs(_pairs(rows), titles=_titles(titles)))
    assert got[("a1", "Barry Rand", "Rand")] == "person:barry-rand"


def test_a_first_name_written_alone_is_no_surname_to_relink():
    rows = [(f"r{i}", "Ray Charles", "Ray Charles", "person", 1, None) for i in range(4)]
    rows += [
        ("k1", "Charles Kennedy", "Charles Kennedy", "person", 1, None),
        ("k1", "Charles Kennedy", "Charles", "person", 3, None),
    ]
    got = _got(resolve_pairs(_pairs(rows)))
    assert got[("k1", "Charles Kennedy", "Charles")] == "person:charles-kennedy"


def test_a_title_picks_among_the_corpus_bearers_of_a_lone_surname():
    rows = [
        ("a1", "Bill Clinton", "Bill Clinton", "person", 1, "2015-03-01"),
        ("a2", "Bill Clinton", "Bill Clinton", "person", 1, "2015-03-02"),
        ("a3", "Hillary Clinton", "Hillary Clinton", "person", 1, "2015-03-02"),
        ("x1", "Clinton", "Clinton", "person", 2, "2015-03-03"),
        ("x2", "Clinton", "Clinton", "person", 2, "2015-03-03"),
    ]
    titles = [("x1", "Clinton", "Clinton", "mrs", 2)]
    got = _got(resolve_pairs(_pairs(rows), titles=_titles(titles)))
    assert got[("x1", "Clinton", "Clinton")] == "person:hillary-clinton"
    assert got[("x2", "Clinton", "Clinton")] == "person:clinton"  # no title: still ambiguous


def test_a_word_the_corpus_writes_mostly_inside_an_organisation_name_is_not_the_person():
    rows = [(f"n{i}", "Fox News", "Fox News", "org", 1, "2016-02-01") for i in range(4)]
    rows += [
        ("v1", "Vicente Fox", "Vicente Fox", "person", 1, "2016-02-25"),
        ("v1", "Vicente Fox", "Fox", "person", 6, "2016-02-25"),  # in his own article: him
        ("v2", "Vicente Fox", "Vicente Fox", "person", 1, "2016-08-31"),
        ("x1", "Fox", "Fox", "person", 1, "2016-03-01"),  # "a spokesman for Fox said"
        ("x2", "Fox", "Fox", "person", 2, "2016-03-02"),  # "Mr. Fox said"
    ]
    titles = [("x2", "Fox", "Fox", "mr", 2)]
    got = _got(resolve_pairs(_pairs(rows), titles=_titles(titles)))
    assert got[("v1", "Vicente Fox", "Fox")] == "person:vicente-fox"
    assert got[("x1", "Fox", "Fox")] == "person:fox"
    assert got[("x2", "Fox", "Fox")] == "person:vicente-fox"
    # Without the organisation, the corpus's one Fox takes the bare word as before.
    only_people = [r for r in rows if r[3] == "person"]
    got = _got(resolve_pairs(_pairs(only_people), titles=_titles(titles)))
    assert got[("x1", "Fox", "Fox")] == "person:vicente-fox"


def test_title_misfits_weigh_the_mentions_that_tell_candidates_apart():
    sex = {"bill": "m", "hillary": "f", "dj": "m", "djr": "m", "garbled": ""}
    holders = {"president": {"dj"}}
    # "Mr" tells a father and a son not apart; "President" does.
    out = title_misfits({"mr": 3, "president": 2}, ["djr", "dj"], sex_of=sex, holders=holders)
    assert out == {"djr"}
    assert title_misfits({"mr": 3}, ["djr", "dj"], sex_of=sex, holders=holders) == set()
    # A row mixing "Mrs." and a stray "Mr." stays with the one most of its titles fit.
    assert title_misfits({"mrs": 5, "mr": 2}, ["bill", "hillary"], sex_of=sex, holders={}) == {
        "bill"
    }
    # A name of no known sex is never the best fit of a gendered title by default.
    out = title_misfits({"mr": 20, "mrs": 1}, ["dj", "garbled"], sex_of=sex, holders={})
    assert out == set()
    # Against most of the row's mentions only, when asked.
    assert title_misfits({"mrs": 1}, ["dj", "hillary"], sex_of=sex, holders={}) == {"dj"}
    assert title_misfits({"mrs": 1}, ["dj", "hillary"], sex_of=sex, holders={}, out_of=14) == set()


def test_read_person_titles_reads_the_words_before_each_mention():
    text = "Vice President Pence met Mr. Trump. Sen. Warren and Trump spoke. President Obama left."
    spans = [("Pence", "Mike Pence"), ("Trump", "Donald Trump"), ("Warren", "Elizabeth Warren")]
    rows = []
    for word, entity in spans:
        rows.append(("a", text.index(word), word, entity))
    second = text.index("Trump", text.index("Trump") + 1)
    rows.append(("a", second, "Trump", "Donald Trump"))
    rows.append(("a", text.index("Obama"), "Obama", "Barack Obama"))
    mentions = pd.DataFrame(rows, columns=["article_id", "start_char", "text", "entity"])
    mentions["kind"] = "person"
    articles = pd.DataFrame({"article_id": ["a"], "text": [text]})
    con = duckdb.connect()
    con.register("m", mentions)
    con.register("ar", articles)
    got = read_person_titles(con, "SELECT * FROM m", "SELECT * FROM ar")
    got = {(e, t): n for e, t, n in got[["entity", "title", "n"]].to_numpy()}
    assert got == {
        ("Mike Pence", "vice president"): 1,
        ("Donald Trump", "mr"): 1,  # the untitled "Trump" has no row
        ("Elizabeth Warren", "sen"): 1,
        ("Barack Obama", "president"): 1,
    }


def test_titles_reach_the_resolution_of_an_ingested_store(tmp_path):
    from core.cli import main
    from core.entities import read_resolution
    from core.store import Store

    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(1, 5):
        (docs / f"f{i}.txt").write_text(
            f"2017-11-0{i}\n\nPresident Donald Trump spoke at rally {i}. Mr. Trump was fine.\n"
        )
    (docs / "both.txt").write_text(
        "2017-11-05\n\nPresident Donald Trump and his son Donald Trump Jr. went hunting.\n"
    )
    (docs / "son.txt").write_text(
        "2017-11-17\n\nPresident Trump kept the ban. Photos showed Donald Trump Jr. with a"
        " trophy. Mr. Trump said the ban stays. President Trump spoke to reporters.\n"
    )
    assert main(["ingest", str(docs), "--store", str(tmp_path / "store"), "--workers", "1"]) == 0
    res = read_resolution(Store(tmp_path / "store"))
    bare = res[(res["text"] == "Trump") & res["entity"].str.endswith("Jr")]
    assert len(bare) == 1 and bare["entity_id"].iloc[0] == "person:donald-trump"
    son = res[res["text"].str.startswith("Donald Trump Jr")]
    assert set(son["entity_id"]) == {"person:donald-trump-jr"}


def test_a_surname_beside_both_generations_goes_to_the_one_the_corpus_makes_dominant():
    rows = FATHER + [
        # "President Donald Trump's oldest son, Donald Trump Jr. …" then "Trump" five times.
        ("b1", "Donald Trump", "Donald Trump", "person", 1, DAY.format(13)),
        ("b1", "Donald Trump Jr", "Donald Trump Jr", "person", 2, DAY.format(13)),
        ("b1", "Donald Trump Jr", "Trump", "person", 5, DAY.format(13)),
    ]
    got = _got(resolve_pairs(_pairs(rows)))
    assert got[("b1", "Donald Trump Jr", "Trump")] == "person:donald-trump"
    assert got[("b1", "Donald Trump Jr", "Donald Trump Jr")] == "person:donald-trump-jr"
    # A son the corpus names more than his father keeps the surname.
    sons = [(f"j{i}", "Ken Griffey Jr", "Ken Griffey Jr", "person", 1, None) for i in range(4)]
    rows = sons + [
        ("g1", "Ken Griffey", "Ken Griffey", "person", 1, None),
        ("g1", "Ken Griffey Jr", "Ken Griffey Jr", "person", 1, None),
        ("g1", "Ken Griffey Jr", "Griffey", "person", 4, None),
    ]
    got = _got(resolve_pairs(_pairs(rows)))
    assert got[("g1", "Ken Griffey Jr", "Griffey")] == "person:kenneth-griffey-jr"


def test_a_surname_beside_two_full_names_goes_to_the_one_the_corpus_knows():
    rows = [
        (f"m{i}", "James Mattis", "James Mattis", "person", 1, DAY.format(i)) for i in range(1, 5)
    ]
    rows += [
        # The extractor tied "Mattis" to the first of the article's two names, a nickname
        # written twice (no passing name).
        ("a1", "Mad Dog Mattis", "Mad Dog Mattis", "person", 2, DAY.format(9)),
        ("a1", "James Mattis", "James Mattis", "person", 1, DAY.format(9)),
        ("a1", "Mad Dog Mattis", "Mattis", "person", 6, DAY.format(9)),
    ]
    got = _got(resolve_pairs(_pairs(rows)))
    assert got[("a1", "Mad Dog Mattis", "Mattis")] == "person:james-mattis"
