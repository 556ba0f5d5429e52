"""The Articles page's tables: listing, sorting, paging, one article and its marks."""

from __future__ import annotations

import datetime as dt

import pytest

from core.analytics.articles import (
    count_listed_articles,
    find_article,
    list_article_marks,
    list_articles,
    safe_url,
)
from core.analytics.query.filters import Filter
from tests.analytics.query.test_analytics_filters import make_store
from tests.pages.test_pages_time import DOCS

LIST_COLUMNS = [
    "article_id",
    "published",
    "source",
    "title",
    "url",
    "n_words",
    "n_mentions",
    "top_entities",
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("articles") / "s", DOCS)


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://bbc.example/a1", "https://bbc.example/a1"),
        ("HTTP://x.example", "HTTP://x.example"),
        ("javascript:alert(1)", None),
        ("file:///etc/passwd", None),
        ("data:text/html,hi", None),
        ("//x.example/a", None),
        ("https://", None),
        ("articles/a1.txt", None),
        ("", None),
        (None, None),
        (3, None),
    ],
)
def test_safe_url(url, safe):
    assert safe_url(url) == safe


def test_list_newest_first_undated_last_with_counts(store):
    df = list_articles(store)
    assert list(df.columns) == LIST_COLUMNS
    assert df["article_id"].tolist() == ["a3", "a2", "a1", "a4"]
    assert df["url"].isna().tolist() == [True, True, False, True]  # javascript: is dropped
    a1 = df[df["article_id"] == "a1"].iloc[0]
    assert a1["n_mentions"] == 3
    assert a1["top_entities"] == "Russia (1) · Ukraine (1) · Vladimir Putin (1)"
    assert df.loc[df["article_id"] == "a4", "top_entities"].iloc[0] == "Russia (3)"
    assert count_listed_articles(store) == 4


def test_sort_and_page(store):
    by_mentions = list_articles(store, sort="n_mentions")
    assert by_mentions["n_mentions"].tolist() == [3, 3, 2, 2]
    assert by_mentions["article_id"].tolist()[:2] == ["a1", "a4"]  # ties: newest first
    by_source = list_articles(store, sort="source", descending=False)
    assert by_source["source"].tolist() == ["BBC", "BBC", "Dawn, Karachi", "Reuters"]
    pages = [list_articles(store, sort="title", limit=3, offset=o)["title"] for o in (0, 3)]
    assert [t for p in pages for t in p] == sorted(
        (d["title"] for d in DOCS), key=str.lower, reverse=True
    )
    with pytest.raises(ValueError, match="unknown sort"):
        list_articles(store, sort="url")


def test_filters_apply(store):
    ukraine = list_articles(store, Filter(entities=("Ukraine",)))
    assert ukraine["article_id"].tolist() == ["a3", "a1"]
    assert ukraine["n_mentions"].tolist() == [1, 1]  # only the matching mentions
    assert count_listed_articles(store, Filter(entities=("Ukraine",))) == 2
    searched = list_articles(store, Filter(q='"security council" OR 1825'))
    assert searched["article_id"].tolist() == ["a3", "a2"]
    dated = list_articles(store, Filter(date_from=dt.date(2024, 1, 10)))
    assert dated["article_id"].tolist() == ["a3", "a2"]
    none = list_articles(store, Filter(sources=("nobody",)))
    assert none.empty and list(none.columns) == LIST_COLUMNS
    assert count_listed_articles(store, Filter(sources=("nobody",))) == 0


def test_find_article_and_its_marks(store):
    art = find_article(store, "a2")
    assert art["title"].tolist() == ["France in the news"]
    assert art["url"].isna().all()  # javascript: is never a link
    assert find_article(store, "nope").empty
    marks = list_article_marks(store, "a1")
    text = find_article(store, "a1")["text"].iloc[0]
    assert marks["start_char"].is_monotonic_increasing
    for m in marks.itertuples():
        assert text[m.start_char : m.end_char] == m.text
    assert set(marks["mark"]) == {"mention", "date"}
    date = marks[marks["mark"] == "date"].iloc[0]
    assert date["referenced"] == dt.date(2024, 1, 2) and date["resolution"] == "day"
    empty = list_article_marks(store, "nope")
    assert empty.empty and "referenced" in empty.columns


def test_marks_with_unresolvable_or_missing_values(tmp_path):
    s = make_store(
        tmp_path / "s",
        [
            {
                "id": "x",
                "source": "S",
                "published": None,
                "text": "Soon, then later, then in 2004.",
                "dates": [
                    ("Soon", "DATE", None),
                    ("later", "DATE", "FUTURE_REF"),
                    ("2004", "DATE", "2004"),
                ],
            }
        ],
    )
    marks = list_article_marks(s, "x")
    assert marks["text"].tolist() == ["Soon", "later", "2004"]
    assert marks["referenced"].isna().tolist() == [True, True, False]
    assert marks["resolution"].tolist()[2] == "year"
