"""Corpus statistics behind the noise flags (core.entities.noise), on tiny exact texts."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from core.entities.noise import score_generic_words, score_name_tails


@pytest.fixture
def con():
    c = duckdb.connect(":memory:")
    yield c
    c.close()


def test_common_noun_share_counts_lower_case_plurals_and_possessives(con):
    texts = [
        "The BBC said the TV was new. Their TV broke. TVs are cheap.",
        "A tv and the BBC. The BBC's TV.",
    ]
    con.register("arts", pd.DataFrame({"article_id": ["a", "b"], "text": texts}))
    shares = score_generic_words(con, "SELECT * FROM arts", ["tv", "bbc", "absent"])
    # TV: 4 singular occurrences and 1 plural; generic: "Their TV", "TVs", "tv" -> 3 of 5.
    assert shares == {"tv": 3 / 5, "bbc": 0.0}


def test_name_tails_skip_titles(con):
    # "Defense Department" is the tail of a name; "Mr." and "President" are titles, and a word
    # ending a sentence ("Trump. Trump") is no part of the next name.
    text = (
        "Defense Department said. The Defense Department. Mr. Trump spoke. President Trump. Trump"
    )
    con.register("arts", pd.DataFrame({"article_id": ["a"], "text": [text]}))
    spans = [("Department", text.find("Department")), ("Department", text.rfind("Department"))]
    spans += [
        ("Trump", i) for i in (text.find("Trump"), text.find("Trump", 50), text.rfind("Trump"))
    ]
    spans += [("Department", 0)]  # at the very start: nothing before it
    m = pd.DataFrame(spans, columns=["entity", "start_char"]).assign(article_id="a")
    con.register("ments", m)
    tails = score_name_tails(
        con, "SELECT * FROM ments", "SELECT * FROM arts", ["Department", "Trump"]
    )
    assert tails == {"Department": 2 / 3, "Trump": 0.0}
