"""One rule for a word: its count (count_terms) equals the occurrences its evidence lists."""

from __future__ import annotations

import duckdb
import pytest

from core.analytics.query.filters import Filter
from core.analytics.sources import count_terms
from core.analytics.term_evidence import count_term_evidence, find_term_evidence
from core.analytics.words import find_word_spans, fold_sql, raw_words_sql, read_word, word_sql
from tests.analytics.query.test_analytics_filters import make_store

DOCS = [
    {
        "id": "a1",
        "source": "A",
        "published": "2022-01-03",
        "text": (
            "Blair's aides met Blair. The Kremlin’s reply came. Labour-led councils back "
            "Labour. LABOUR’S plan, labour's vote. O'Brien wrote to MPs' aides."
        ),
    },
    {
        "id": "a2",
        "source": "A",
        "published": "2022-01-02",
        "text": "The café in Zürich closed. A CAFÉ opened, not a cafe. Blairʼs era ended.",
    },
    {
        "id": "b1",
        "source": "B",
        "published": "2022-01-01",
        "text": "Labour won. Blair and blair's critics. Covid-19 cases rose in the kremlin.",
    },
]

# word -> source -> occurrences, read by hand from DOCS under the rule of core.analytics.words.
EXPECTED = {
    "blair": {"A": 3, "B": 2},  # Blair's, Blair, Blairʼs (modifier apostrophe); Blair, blair's
    "labour": {"A": 4, "B": 1},  # Labour-led, Labour, LABOUR’S, labour's
    "kremlin": {"A": 1, "B": 1},  # Kremlin’s (curly), kremlin
    "led": {"A": 1},  # the other half of Labour-led
    "café": {"A": 2},  # café, CAFÉ: accents kept, case folded
    "cafe": {"A": 1},
    "zürich": {"A": 1},
    "o'brien": {"A": 1},  # an inner apostrophe keeps one word
    "mps": {"A": 1},  # MPs': the plural possessive's apostrophe is not part of it
    "aides": {"A": 2},  # twice in one article, once in each of two sentences
    "covid": {"B": 1},  # Covid-19: digits are not letters
}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("words") / "store", DOCS)


def test_every_word_counts_exactly_its_evidence(store):
    counts = count_terms(store)
    counted = {(r.term, r.source): int(r.count) for r in counts.itertuples()}
    for word, by_source in EXPECTED.items():
        for source in ("A", "B"):
            n = by_source.get(source, 0)
            assert counted.get((word, source), 0) == n, (word, source)
            assert count_term_evidence(store, term=word, source=source) == n, (word, source)
            rows = find_term_evidence(store, term=word, source=source, limit=None)
            assert len(rows) == n, (word, source)
            # Each row marks one occurrence, the word itself (a possessive 's left out).
            marked = [
                t[s:e]
                for t, s, e in zip(
                    rows["sentence_text"],
                    rows["start_in_sentence"],
                    rows["end_in_sentence"],
                    strict=True,
                )
            ]
            assert [read_word(m) for m in marked] == [word] * n, (word, source)
            spans = set(zip(rows["article_id"], rows["start_char"], strict=True))
            assert len(spans) == n  # no occurrence marked twice
    # No word of the counts holds a possessive, a hyphen or another form of one counted above.
    assert not counts["term"].str.contains(r"'s$|-|’", regex=True).any()


def test_a_sentence_holding_the_word_twice_is_listed_twice(store):
    rows = find_term_evidence(store, term="Blair", source="A", limit=None)
    first = rows[rows["article_id"] == "a1"]
    assert first["sentence"].tolist() == [0, 0]
    assert first["start_in_sentence"].tolist() == [0, 18]  # "Blair's aides met Blair."
    assert first["end_in_sentence"].tolist() == [5, 23]
    text = store.query("SELECT text FROM articles WHERE article_id = 'a1'")["text"].iloc[0]
    assert [text[s:e] for s, e in zip(first["start_char"], first["end_char"], strict=True)] == [
        "Blair",
        "Blair",
    ]
    page = find_term_evidence(store, term="blair", source="A", limit=2, offset=1)
    assert page["start_char"].tolist() == rows["start_char"].tolist()[1:3]


def test_filters_and_terms_that_are_not_one_word(store):
    flt = Filter(date_from="2022-01-03")
    assert count_term_evidence(store, flt, term="blair") == 2
    assert len(find_term_evidence(store, flt, term="blair", limit=None)) == 2
    # Typed forms read by the rule; a term of two words, a part of a word or nothing: none.
    assert count_term_evidence(store, term="Kremlin’s") == 2
    for term in ("labour-led", "labou", "bla", "  ", "19"):
        assert count_term_evidence(store, term=term) == 0
        assert find_term_evidence(store, term=term, limit=None).empty


@pytest.mark.parametrize(
    "text",
    [
        "Blair’s BLAIR'S blairʼs o'brien MPs' rock'n'roll it's",
        "İstanbul ẞtraße Çağlar naïve e\u0301te\u0301 Ωmega ДУМА 東京 km² x_y 3rd ½ Ⅻ",
        "labour-led anti‑war co–operation pro/anti — 'quoted' ‘single’ \"double\"",
    ],
)
def test_duckdb_and_python_read_the_same_words(text):
    """The counts (DuckDB, RE2) and the marks (Python, regex) split text the same way."""
    con = duckdb.connect()
    folded, tokens = con.execute(
        f"SELECT {fold_sql('$1')}, {raw_words_sql('$1')}", [text]
    ).fetchone()
    words = [con.execute(f"SELECT {word_sql('$1')}", [t]).fetchone()[0] for t in tokens]
    assert len(folded) == len(text)  # offsets in the folded text are offsets in the text
    spans = find_word_spans(folded)
    assert [w for w, _, _ in spans] == words
    assert all(folded[s:e] == w for w, s, e in spans)


def test_read_word():
    assert read_word(" Blair’s ") == read_word("BLAIRʼS") == "blair"
    assert read_word("O’Brien") == "o'brien"
    assert read_word("MPs") == "mps"
    assert read_word("labour-led") is None and read_word("") is None and read_word("3") is None
