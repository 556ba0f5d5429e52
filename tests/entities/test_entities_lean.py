"""The lean paths of the resolution (issue 15, warm's memory) give exactly what the full ones
gave: lone surnames resolved against only the surname keys they ask about, and the kept rows
streamed from the resolution's file."""

from __future__ import annotations

import pandas as pd

from core.analytics.query.engine import Engine
from core.entities.derived import read_resolution
from core.entities.kept import read_kept_batches
from core.entities.people import surnames
from core.entities.resolve import resolve_pairs
from core.entities.rules import add_rule
from tests.entities.test_entities_memory import BATCHES
from tests.entities.test_entities_resolve import _pairs
from tests.entities.test_entities_store import _batch

# Lone surnames of every kind: in the article, in the corpus around the date, ambiguous, with
# no full name anywhere, a two-word surname's keys, and a relative named once.
ROWS = [
    ("a1", "Pelosi", "Pelosi", "person", 2, "2019-01-10"),
    ("a1", "Nancy Pelosi", "Nancy Pelosi", "person", 1, "2019-01-10"),
    ("a2", "Pelosi", "Pelosi", "person", 3, "2019-01-12"),
    ("a3", "Nancy Pelosi", "Nancy Pelosi", "person", 1, "2019-01-05"),
    ("b1", "Paul Pelosi", "Paul Pelosi", "person", 1, "2023-06-01"),
    ("b2", "Paul Pelosi", "Paul Pelosi", "person", 1, "2023-06-03"),
    ("b3", "Pelosi", "Pelosi", "person", 1, "2023-06-04"),
    ("c1", "Bill Clinton", "Bill Clinton", "person", 1, "2015-03-01"),
    ("c2", "Hillary Clinton", "Hillary Clinton", "person", 1, "2015-03-02"),
    ("c3", "Clinton", "Clinton", "person", 2, "2015-03-03"),
    ("d1", "Smith", "Smith", "person", 4, "2015-03-03"),
    ("d1", "Mr Jones", "Mr Jones", "person", 1, ""),
    ("e1", "Alexandria Ocasio-Cortez", "Alexandria Ocasio-Cortez", "person", 2, "2019-02-01"),
    ("e2", "Cortez", "Cortez", "person", 1, "2019-02-02"),
    ("e3", "Ocasio-Cortez", "Ocasio-Cortez", "person", 1, "2019-02-03"),
    ("f1", "Melania Trump", "Melania Trump", "person", 1, "2018-05-01"),
    ("f1", "Melania Trump", "Trump", "person", 5, "2018-05-01"),
    ("g1", "Donald Trump", "Donald Trump", "person", 3, "2018-05-02"),
    ("g2", "Donald Trump", "Donald Trump", "person", 3, "2018-05-03"),
    ("g3", "Donald Trump", "Donald Trump", "person", 3, "2018-05-04"),
    ("g3", "Donald Trump Jr", "Donald Trump Jr", "person", 1, "2018-05-04"),
    ("h1", "Roger Stone", "Roger Stone", "person", 1, "2018-05-04"),
    ("h1", "Apple", "Apple", "org", 1, "2018-05-04"),
]


class _EveryKey(set):
    """A set holding every key: resolution over all surname keys, as before the filter."""

    def __contains__(self, key) -> bool:
        return True


def test_surnames_against_the_asked_keys_only_equal_all_keys(monkeypatch):
    lean = resolve_pairs(_pairs(ROWS))
    monkeypatch.setattr(surnames, "_asked_keys", lambda *_: _EveryKey())
    full = resolve_pairs(_pairs(ROWS))
    pd.testing.assert_frame_equal(lean, full)
    got = {(a, e): i for a, e, i in lean[["article_id", "entity", "entity_id"]].to_numpy()}
    assert got[("a2", "Pelosi")] == "person:nancy-pelosi"
    aoc = got[("e1", "Alexandria Ocasio-Cortez")]
    assert got[("e2", "Cortez")] == got[("e3", "Ocasio-Cortez")] == aoc
    assert got[("d1", "Smith")] == "person:smith"


def test_no_lone_surname_asks_about_any_key(monkeypatch):
    rows = [r for r in ROWS if r[1] == r[2] and " " in r[1]]  # full names only
    lean = resolve_pairs(_pairs(rows))
    monkeypatch.setattr(surnames, "_asked_keys", lambda *_: _EveryKey())
    pd.testing.assert_frame_equal(lean, resolve_pairs(_pairs(rows)))


def _store(store):
    for articles, mentions in BATCHES:
        store.append(_batch(articles, mentions))
    return store


COLUMNS = ["article_id", "entity", "text", "name", "kind"]


def _kept(store) -> pd.DataFrame:
    res = read_resolution(store)
    return res.loc[res["status"] == "kept", COLUMNS].reset_index(drop=True)


def test_streamed_kept_rows_equal_the_resolution_and_the_engine_reads_them(store):
    store = _store(store)
    reader = read_kept_batches(store, COLUMNS)
    streamed = reader.read_all().to_pandas().astype("string")
    pd.testing.assert_frame_equal(streamed, _kept(store).astype("string"))
    table = Engine(store).df("SELECT * FROM resolution").astype("string")
    pd.testing.assert_frame_equal(table, _kept(store).astype("string"))


def test_with_a_rule_the_rows_are_not_streamed(store):
    store = _store(store)
    add_rule(store, "merge", "Jordan", "Apple")
    assert read_kept_batches(store, COLUMNS) is None
    table = Engine(store).df("SELECT * FROM resolution").astype("string")
    pd.testing.assert_frame_equal(table, _kept(store).astype("string"))
    assert "Jordan" not in set(table["name"])
