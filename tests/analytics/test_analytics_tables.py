"""The Data page's tables: counted, previewed and read under a filter, never whole to show a few."""

from __future__ import annotations

import datetime as dt

import pytest

from core.analytics.query.filters import Filter
from core.analytics.tables import (
    count_articles_stored,
    count_table_rows,
    read_article_index,
    read_story_index,
    read_story_members,
    read_table_rows,
    summarise_stories,
)
from core.schema import TABLES
from tests.analytics.query.test_analytics_filters import make_store
from tests.pages.test_pages_time import DOCS

INDEX = ["article_id", "source", "published", "title", "origin", "n_words"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("tables") / "s", DOCS[:4])


def test_count_and_read_follow_the_filter(store):
    assert count_articles_stored(store) == 4
    assert count_table_rows(store, "articles") == 4
    bbc = Filter(sources=("BBC",))
    assert count_table_rows(store, "articles", bbc) == 2  # a1 and the undated a4
    mentions = read_table_rows(store, "mentions", bbc)
    assert set(mentions["article_id"]) <= {"a1", "a4"} and len(mentions) > 0
    assert count_table_rows(store, "mentions", bbc) == len(mentions)
    comma = Filter(sources=("Dawn, Karachi",), date_to=dt.date(2024, 1, 31))
    assert list(read_table_rows(store, "articles", comma)["article_id"]) == ["a2"]


@pytest.mark.parametrize("name", list(TABLES))
def test_every_table_keeps_its_columns_even_when_empty(store, name):
    none = Filter(sources=("nobody",))
    empty = read_table_rows(store, name, none)
    assert list(empty.columns) == TABLES[name].names and empty.empty
    assert count_table_rows(store, name, none) == 0
    some = read_table_rows(store, name, limit=1)
    assert list(some.columns) == TABLES[name].names and len(some) <= 1


def test_unknown_table_names_the_valid_ones(store):
    with pytest.raises(KeyError, match="valid tables: articles"):
        count_table_rows(store, "nope")


def test_article_index_is_ordered_and_its_tail_is_the_newest(store):
    whole = read_article_index(store)
    assert list(whole.columns) == INDEX
    assert list(whole["article_id"]) == ["a1", "a2", "a3", "a4"]  # by date, undated last
    tail = read_article_index(store, last=2)
    assert list(tail["article_id"]) == ["a3", "a4"]
    assert list(read_article_index(store, ids=["a2", "zz"])["article_id"]) == ["a2"]
    assert read_article_index(store, ids=[]).empty
    assert list(read_article_index(store, last=0).columns) == INDEX


def test_story_index_keeps_only_stories_told_by_several_articles(store, monkeypatch):
    import pandas as pd

    import core.analytics.reuse.stories as stories

    groups = pd.DataFrame(
        {"article_id": ["a1", "a2", "a3", "a4"], "story_id": ["a1", "a2", "a1", "a4"]},
        dtype="string",
    )
    monkeypatch.setattr(stories, "group_store_stories", lambda store, flt=None: groups)
    index = read_story_index(store)
    assert list(index.columns) == ["story_id", *INDEX]
    assert list(zip(index["story_id"], index["article_id"], strict=True)) == [
        ("a1", "a1"),
        ("a1", "a3"),
    ]
    lone = groups.assign(story_id=groups["article_id"])
    monkeypatch.setattr(stories, "group_store_stories", lambda store, flt=None: lone)
    none = read_story_index(store)
    assert none.empty and list(none.columns) == ["story_id", *INDEX]


def test_stories_are_summarised_per_story_and_narrowed_to_sources(store, monkeypatch):
    import pandas as pd

    import core.analytics.reuse.stories as stories

    # a1 (BBC, 2024-01-03), a2 (Dawn, 2024-01-20), a3 (Reuters, 2024-03-05), a4 (BBC, undated)
    groups = pd.DataFrame(
        {"article_id": ["a1", "a2", "a3", "a4"], "story_id": ["a1", "a1", "a1", "a4"]},
        dtype="string",
    )
    monkeypatch.setattr(stories, "group_store_stories", lambda store, flt=None: groups)
    table = summarise_stories(store)
    assert list(table.columns) == [
        "story_id",
        "n_articles",
        "n_sources",
        "sources",
        "first",
        "title",
    ]
    assert table.to_dict("records") == [
        {
            "story_id": "a1",
            "n_articles": 3,
            "n_sources": 3,
            "sources": "BBC, Dawn, Karachi, Reuters",
            "first": dt.date(2024, 1, 3),
            "title": "Russia and Ukraine talk",
        }
    ]
    two = summarise_stories(store, sources=("BBC", "Reuters"))
    assert list(two["n_articles"]) == [2] and list(two["sources"]) == ["BBC, Reuters"]
    assert summarise_stories(store, sources=("BBC",)).empty  # a1 alone: told once
    assert list(read_story_members(store, "a1")["article_id"]) == ["a1", "a2", "a3"]
    assert read_story_members(store, "nope").empty
