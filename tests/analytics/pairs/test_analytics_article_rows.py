"""The article window's rows in memory (core.analytics.pairs.article_rows): the index both ways
and the selection of an article-level filter, against the rows of ``we_article`` in pandas."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.analytics.pairs import article_rows as ar
from core.analytics.pairs.cooccurrence import count_pairs
from core.analytics.query.engine import engine_for
from core.analytics.query.filters import Filter
from tests.analytics.pairs.test_analytics_pairs_stored import make_dated_store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = make_dated_store(tmp_path_factory.mktemp("rows") / "store", seed=5, n_articles=70)
    count_pairs(s, window="article", top=1)  # builds the window tables
    return s


def _rows(store) -> pd.DataFrame:
    return engine_for(store).df("SELECT aid, eid FROM we_article ORDER BY aid, eid")


def test_the_index_holds_every_row_both_ways(store):
    index = ar.read_window_index(engine_for(store))
    rows = _rows(store)
    assert index.aid.tolist() == rows["aid"].tolist()
    assert index.eid.tolist() == rows["eid"].tolist()
    for e, group in rows.groupby("eid"):
        lo, hi = index.entity_starts[e], index.entity_starts[e + 1]
        assert index.entity_aids[lo:hi].tolist() == group["aid"].tolist()
    for a, group in rows.groupby("aid"):
        assert index.eid[index.starts[a] : index.starts[a + 1]].tolist() == group["eid"].tolist()


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_gather_rows_and_entity_articles_equal_a_scan(store, data):
    index = ar.read_window_index(engine_for(store))
    rows = _rows(store)
    n = index.n_aids
    keep = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    aid, eid = ar.gather_rows(index, keep)
    want = rows[keep[rows["aid"].to_numpy()]]
    assert aid.tolist() == want["aid"].tolist() and eid.tolist() == want["eid"].tolist()
    eids = np.array(data.draw(st.lists(st.integers(0, int(index.eid.max()) + 3), max_size=6)))
    got = ar.entity_articles(index, eids)
    assert np.flatnonzero(got).tolist() == sorted(set(rows.loc[rows["eid"].isin(eids), "aid"]))


@pytest.mark.parametrize("share", [0.0, 1.0])  # rows gathered by runs, or by a lookup
@pytest.mark.parametrize(
    ("flt", "complement"),
    [
        (Filter(q="alpha OR beta"), True),  # most articles: read as the complement
        (Filter(q="-delta", sources=("S2",)), False),
        (Filter(q="alpha OR beta", date_from=dt.date(2023, 6, 1)), True),
        (Filter(q="no such word"), False),
    ],
)
def test_a_selection_counts_what_its_articles_hold(store, monkeypatch, flt, complement, share):
    monkeypatch.setattr(ar, "GATHER_SHARE", share)
    eng = engine_for(store)
    eng.memo.pop("article_window_selection", None)
    sel = ar.select_window_articles(eng, flt)
    conds, params = eng.article_conds(flt)
    kept = eng.df(f"SELECT aid FROM a WHERE {' AND '.join(conds)}", params)["aid"]
    assert np.flatnonzero(sel.keep).tolist() == sorted(kept)
    rows = _rows(store)
    mine = rows[rows["aid"].isin(kept)]
    want = mine.groupby("eid").size()
    assert sel.nodes.set_index("eid")["n"].to_dict() == want.to_dict()
    assert sel.n_articles == mine["aid"].nunique()
    assert list(sel.nodes.dtypes.astype(str)) == ["int32", "int64"]
    assert (sel.rows is None) != (sel.outside is None)
    assert (sel.outside is not None) == complement
    if sel.outside is not None:
        assert sel.left_out[np.asarray(sel.outside[0])].all()
        assert not (sel.left_out & sel.keep).any()


@pytest.mark.parametrize("kinds", [("person",), ("org", "country"), ("nothing",)])
def test_a_kind_index_holds_the_rows_of_those_kinds_both_ways(store, kinds):
    eng = engine_for(store)
    index = ar.read_kind_index(eng, kinds)
    assert ar.read_kind_index(eng, kinds) is index  # kept for the next view
    rows = eng.df(
        "SELECT aid, eid FROM we_article JOIN ent USING (eid) WHERE kind IN ? ORDER BY aid, eid",
        [list(kinds)],
    )
    full = ar.read_window_index(eng)
    assert index.n_aids == full.n_aids and len(index.entity_starts) == len(full.entity_starts)
    assert index.aid.tolist() == rows["aid"].tolist()
    assert index.eid.tolist() == rows["eid"].tolist()
    for e in range(len(index.entity_starts) - 1):
        lo, hi = index.entity_starts[e], index.entity_starts[e + 1]
        assert index.entity_aids[lo:hi].tolist() == rows.loc[rows["eid"] == e, "aid"].tolist()
    for a in range(index.n_aids):
        got = index.eid[index.starts[a] : index.starts[a + 1]].tolist()
        assert got == rows.loc[rows["aid"] == a, "eid"].tolist()
    aid, eid = ar.narrow_rows((full.aid, full.eid), index)
    assert aid.tolist() == rows["aid"].tolist() and eid.tolist() == rows["eid"].tolist()
