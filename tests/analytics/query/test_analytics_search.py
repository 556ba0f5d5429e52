"""The search box syntax: parse, terms, and the SQL matching exactly what the parser means."""

from __future__ import annotations

import duckdb
import pytest

from core.analytics.query.search import (
    All,
    Any,
    Not,
    Term,
    compile_query,
    matches_query,
    parse_query,
    query_terms,
)

ARTICLES = [
    ("Benghazi attack", "The Security  Council met on Libya.\nEgypt abstained."),
    ("Egypt votes", "Cairo said the security\ncouncil was wrong."),
    ("Iranian talks", "Tehran and the UN; no word on Libya or Egypt."),
    (None, "An untitled note about OR gates and NOT gates."),
]


@pytest.mark.parametrize(
    ("q", "tree"),
    [
        ("libya", Term("libya")),
        ("Libya Egypt", All((Term("libya"), Term("egypt")))),
        ('"Security Council"', Term("security council")),
        ("libya OR egypt", Any((Term("libya"), Term("egypt")))),
        ("libya AND NOT egypt", All((Term("libya"), Not(Term("egypt"))))),
        ("libya -egypt", All((Term("libya"), Not(Term("egypt"))))),
        ("(libya OR egypt) un", All((Any((Term("libya"), Term("egypt"))), Term("un")))),
        ("a OR b c", Any((Term("a"), All((Term("b"), Term("c")))))),
        ("gates or", All((Term("gates"), Term("or")))),
        ('"unclosed phrase', Term("unclosed phrase")),
        ("((libya", Term("libya")),
        ("libya) egypt", All((Term("libya"), Term("egypt")))),
        ("AND OR NOT", None),
        ('""  ', None),
        ("", None),
        (None, None),
    ],
)
def test_parse_query(q, tree):
    assert parse_query(q) == tree


def test_query_terms_leave_out_negated_ones():
    assert query_terms('"Security Council" OR libya NOT (egypt OR -iran)') == [
        "security council",
        "libya",
        "iran",
    ]
    assert query_terms("") == []


QUERIES = [
    "libya",
    "LIBYA egypt",
    '"security council"',
    "libya OR cairo",
    "libya AND NOT egypt",
    "-libya",
    "(tehran OR cairo) egypt",
    "or",
    "NOT gates",
    '"no word on"',
    "",
]


@pytest.mark.parametrize("q", QUERIES)
def test_sql_matches_python_evaluation(q):
    con = duckdb.connect()
    con.execute("CREATE TABLE t (i INTEGER, title VARCHAR, text VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?, ?)", [(i, *a) for i, a in enumerate(ARTICLES)])
    sql, params = compile_query(q, ["title", "text"])
    got = [r[0] for r in con.execute(f"SELECT i FROM t WHERE {sql} ORDER BY i", params).fetchall()]
    expected = [i for i, (title, text) in enumerate(ARTICLES) if matches_query(q, title, text)]
    assert got == expected


def test_expected_matches():
    def hits(q):
        return [i for i, (a, b) in enumerate(ARTICLES) if matches_query(q, a, b)]

    assert hits('"security council"') == [0, 1]  # across a double space and a line break
    assert hits("libya AND NOT egypt") == []
    assert hits("libya OR cairo") == [0, 1, 2]
    assert hits("-libya") == [1, 3]
    assert hits("or") == [2, 3]  # lower-case "or" is a word (substring), not an operator
    assert hits("") == [0, 1, 2, 3]


def test_phrase_with_regex_specials_is_literal():
    con = duckdb.connect()
    sql, params = compile_query('"a.b (c)"', ["x"])
    rows = con.execute(
        f"SELECT x FROM (VALUES ('A.B  (C)'), ('axb (c)')) v(x) WHERE {sql}", params
    ).fetchall()
    assert rows == [("A.B  (C)",)]


def test_filter_q_uses_the_search_syntax_in_every_path(tmp_path):
    from core.analytics.frequencies import count_articles
    from core.analytics.query.filters import Filter
    from tests.analytics.query.test_analytics_filters import make_store

    store = make_store(
        tmp_path / "s",
        [
            {"id": str(i), "source": "S", "published": "2024-01-0" + str(i + 1), "text": text}
            for i, (_title, text) in enumerate(ARTICLES)
        ],
    )
    for q in QUERIES:
        flt = Filter(q=q)
        expected = sum(matches_query(q, text.split("\n")[0], text) for _t, text in ARTICLES)
        got = count_articles(store, flt, freq=None)["n_articles"].sum()
        assert got == expected, q
        # The store-level SQL (Filter.where_articles) agrees with the engine's.
        cond, params = flt.where_articles("articles")
        n = store.query(f"SELECT count(*) AS n FROM articles WHERE {cond}", params)["n"].iloc[0]
        assert n == expected, q
