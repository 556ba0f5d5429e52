"""Ids of the articles a filter keeps (the Sources page's article pickers and story table)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from core.analytics.articles import list_article_ids
from core.analytics.query.filters import Filter
from core.analytics.tables import summarise_stories
from tests.analytics.query.test_analytics_filters import make_store
from tests.pages.test_pages_time import DOCS


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    # a1 (BBC, 2024-01-03), a2 (Dawn, 2024-01-20), a3 (Reuters, 2024-03-05), a4 (BBC, undated)
    return make_store(tmp_path_factory.mktemp("ids") / "s", DOCS[:4])


def ids(store, flt=None, **kwargs) -> list[str]:
    return list(list_article_ids(store, flt, **kwargs)["article_id"])


def test_ids_newest_first_undated_last(store):
    assert ids(store) == ["a3", "a2", "a1", "a4"]
    assert ids(store, last=2) == ["a3", "a2"]
    assert ids(store, last=0) == []


def test_ids_follow_every_part_of_the_filter(store):
    assert ids(store, Filter(sources=("BBC",))) == ["a1", "a4"]
    assert ids(store, Filter(date_from=dt.date(2024, 1, 10))) == ["a3", "a2"]
    assert ids(store, Filter(q="France")) == ["a2"]
    assert ids(store, Filter(entities=("Ukraine",))) == ["a3", "a1"]  # holding such a mention
    assert ids(store, Filter(sources=("nobody",))) == []
    empty = list_article_ids(store, Filter(sources=("nobody",)))
    assert list(empty.columns) == ["article_id"] and str(empty["article_id"].dtype) == "string"


def test_ids_asked_are_kept_only_when_they_pass(store):
    assert ids(store, Filter(sources=("BBC",)), ids=["a2", "a1", "zz"]) == ["a1"]
    assert ids(store, ids=[]) == []


def test_stories_follow_the_whole_filter(store, monkeypatch):
    import core.analytics.reuse.stories as stories

    groups = pd.DataFrame(
        {"article_id": ["a1", "a2", "a3", "a4"], "story_id": ["a1", "a1", "a1", "a4"]},
        dtype="string",
    )
    monkeypatch.setattr(stories, "group_store_stories", lambda store, flt=None: groups)
    assert list(summarise_stories(store, flt=Filter())["n_articles"]) == [3]
    january = summarise_stories(store, flt=Filter(date_to=dt.date(2024, 1, 31)))
    assert list(january["n_articles"]) == [2] and list(january["sources"]) == ["BBC, Dawn, Karachi"]
    assert summarise_stories(store, flt=Filter(q="France")).empty  # a2 alone: told once
