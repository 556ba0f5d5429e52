"""The word index of the texts answers every search exactly as the scan of every text does."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.analytics.query.engine import engine_for
from core.analytics.query.search import compile_query, matches_query
from core.store import Store

# (title, text): the edge cases of a substring search over words.
ARTICLES = [
    ("Benghazi attack", "The Security  Council met on Libya.\nEgypt abstained."),
    ("Egypt votes", "Cairo said the security\ncouncil was wrong; pro-Iranian groups agreed."),
    ("Iranian talks", "Tehran and the UN; no word on Libya or Egypt. U.S. officials left."),
    (None, "An untitled note about OR gates and NOT gates: 1,000 of them, not 1000."),
    ("Café society", "Zürich's ÉCOLE normale and a naïve e\u0301cole; don't / Don’t."),
    ("Numbers", "It rose 3.5% to $1,000,000 in 2011-12 (anti-government snake_case)."),
    ("", ""),
    (None, " \n "),
    ("US policy", "The us-led talks; USA; u.s.a; the u. s. army; US-Iran."),
    ("Tabs", "security\tcouncil\r\nresolution 1973\fpassed; state-of-the-art."),
    ("Apart", "The council on security met; Security. Council, security-council."),
]
# Characters on which Python's and DuckDB's case rules differ (the scan follows DuckDB's).
EXOTIC = [
    ("Exotic", "ſecurity council; ΟΔΟΣ and οδος; Straße STRASSE; 5 Kelvin; İstanbul"),
    ("Spaces", "no\u00a0break and thin\u2009space; Ǆungla ǅ ǆ; ﬁnal"),
]

QUERIES = [
    "libya",
    "LIBYA egypt",
    '"security council"',
    '"security council resolution"',
    '"council was"',
    "libya OR cairo",
    "libya AND NOT egypt",
    "-libya",
    "(tehran OR cairo) egypt",
    "or",
    "NOT gates",
    '"no word on"',
    "",
    "iran",
    "ranian",
    "pro-iranian",
    "pro-iran",
    "o-iranian",
    '"council; ΟΔΟΣ and"',
    '"ſecurity council;"',
    "-iranian",
    "u.s.",
    "u.s",
    ".s.",
    '"u. s. army"',
    "us",
    "us-",
    "1,000",
    ",000,",
    "1000",
    "3.5%",
    "$1",
    "2011-12",
    "café",
    "école",
    "e\u0301cole",
    "zürich's",
    "don't",
    "don’t",
    "’t",
    "naïve",
    "snake_case",
    "_",
    "-",
    "--",
    ".",
    ";",
    "'",
    '"the art"',
    "state-of-the-art",
    '"1973 passed"',
    "ſecurity",
    "security",
    '"ſecurity council"',
    "οδος",
    "ΟΔΟΣ",
    '"οδος and"',
    "straße",
    "strasse",
    "kelvin",
    "k",
    "istanbul",
    "i̇stanbul",
    '"no break"',
    '"thin space"',
    "ǆungla",
    "ǅ",
    "final",
    "ﬁnal",
    "zzzz",
    '"zzz yyy"',
]


def _make_store(path, articles) -> Store:
    store = Store(path)
    store.append(
        {
            "articles": pd.DataFrame(
                {
                    "article_id": [f"s-{i}" for i in range(len(articles))],
                    "source": "S",
                    "published": "2024-01-01",
                    "title": [title for title, _ in articles],
                    "text": [text for _, text in articles],
                    "n_words": 1,
                }
            )
        }
    )
    return store


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    return engine_for(_make_store(tmp_path_factory.mktemp("idx") / "s", ARTICLES + EXOTIC))


def _found(eng, q: str) -> list[str]:
    rows = eng.df(f"SELECT article_id FROM a WHERE aid IN (SELECT aid FROM {eng.search_table(q)})")
    return sorted(rows["article_id"])


def _scanned(eng, q: str) -> list[str]:
    """The scan every search did before the index: the query's condition on every text."""
    cond, params = compile_query(q, ["a.title", "t.text"])
    sql = f"SELECT article_id FROM a JOIN {eng.text_table()} t USING (aid) WHERE {cond}"
    return sorted(eng.df(sql, params)["article_id"])


@pytest.mark.parametrize("q", QUERIES)
def test_index_finds_what_the_scan_finds(engine, q):
    assert _found(engine, q) == _scanned(engine, q)


@pytest.mark.parametrize(
    "q", [q for q in QUERIES if all(c.upper().lower() == c.lower() for c in q)]
)
def test_index_agrees_with_the_python_evaluation(engine, q):
    """Away from the characters whose case rules differ (ſ, ς, ß, ﬁ), as Python reads ``q``."""
    expected = sorted(
        f"s-{i}" for i, (title, text) in enumerate(ARTICLES) if matches_query(q, title, text)
    )
    exotic = {f"s-{len(ARTICLES) + i}" for i in range(len(EXOTIC))}
    assert [a for a in _found(engine, q) if a not in exotic] == expected


# Random cuts of the fixtures' texts (words cut anywhere, punctuation, line breaks), upper- or
# lower-cased, as words or "phrases", combined: every cut hits at least the article it is from.
_TEXTS = "\n".join(f"{title or ''}\n{text}" for title, text in ARTICLES + EXOTIC)
_CUT = st.tuples(st.integers(0, len(_TEXTS) - 1), st.integers(1, 14)).map(
    lambda at: _TEXTS[at[0] : at[0] + at[1]].replace('"', "")
)
_ATOM = st.one_of(_CUT, _CUT.map(str.upper), _CUT.map(lambda t: f'"{t}"'), st.sampled_from(QUERIES))
_QUERY = st.recursive(
    _ATOM,
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(" ".join),
        st.tuples(inner, inner).map(" OR ".join),
        inner.map(lambda q: f"-({q})"),
    ),
    max_leaves=3,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=_QUERY)
def test_random_queries_match_the_scan(engine, q):
    assert _found(engine, q) == _scanned(engine, q)


def test_index_holds_the_lower_cased_whitespace_delimited_words(engine):
    from core.analytics.query.text_index import text_index_table

    words = set(engine.df(f"SELECT word FROM {text_index_table(engine)}")["word"])
    assert {"u.s.", "don't", "1,000", "café", "e\u0301cole;", "security", "council", "the"} <= words
    assert not [w for w in words if not w or w != w.lower() or set(w) & set(" \t\n\r\f")]
    assert "no\u00a0break" in words  # RE2's \s, which phrases match, leaves out a no-break space


def test_new_batch_gets_a_fresh_index(tmp_path):
    store = _make_store(tmp_path / "s", ARTICLES)
    assert _found(engine_for(store), "quokka") == []
    store.append(
        {
            "articles": pd.DataFrame(
                {
                    "article_id": ["new"],
                    "source": "S",
                    "published": "2024-01-02",
                    "title": ["A quokka"],
                    "text": ["Quokkas smile."],
                    "n_words": 2,
                }
            )
        }
    )
    eng = engine_for(store)
    assert _found(eng, "quokka") == ["new"]
    assert _found(eng, "quokkas -smile") == []
    assert len(_found(eng, "-quokka")) == len(ARTICLES)


def test_searches_of_an_empty_store_find_nothing(tmp_path):
    eng = engine_for(Store(tmp_path / "empty"))
    for q in ["libya", "-libya", '"security council"', "libya OR egypt", ""]:
        assert _found(eng, q) == []
