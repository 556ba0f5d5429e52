"""Pages on a store larger than what a page lists at once (AppTest): the Data page shows the
newest articles and a preview of each table, the Sources page offers a bounded choice."""

from __future__ import annotations

import pytest

from tests.analytics.query.test_analytics_filters import make_store
from tests.pages.test_pages import run_page

N = 1_205  # over the 1,000 articles the Data and Sources pages list at once


@pytest.fixture(scope="module")
def large_store(tmp_path_factory):
    docs = [
        {
            "id": f"x{i:05d}",
            "source": ("BBC", "Reuters")[i % 2],
            "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "text": f"Report {i}. Kenya and Brazil met in Nairobi.",
            "mentions": {"Kenya": ("Kenya", "country", "KEN")},
        }
        for i in range(N)
    ]
    return make_store(tmp_path_factory.mktemp("large") / "s", docs)


@pytest.fixture
def large_env(large_store, monkeypatch):
    monkeypatch.setenv("PRESSLENS_STORE", str(large_store.path))
    return large_store


def _select(at, label):
    return next(s for s in at.selectbox if s.label == label)


def test_data_page_lists_the_newest_and_counts_all(large_env):
    at = run_page("data")
    captions = " ".join(c.value for c in at.caption)
    assert f"{N:,} articles in the store" in captions and "the latest 1,000 by date" in captions
    assert f"{N:,} row(s); the first 1,000 shown." in captions  # mentions: one per article
    assert len(_select(at, "Read article").options) == 1000


def test_data_page_opens_an_older_article_named_in_the_url(large_env):
    at = run_page("data", article="x00000")
    reader = _select(at, "Read article")
    assert reader.value == "x00000" and len(reader.options) == 1001  # the oldest
    assert any("Report 0." in t.value for t in at.text)


def test_sources_page_offers_a_bounded_choice_and_the_articles_the_url_names(large_env):
    at = run_page("sources", a="x00000", b="x00084")  # two of the oldest
    a, b = _select(at, "Article A"), _select(at, "Article B")
    assert (a.value, b.value) == ("x00000", "x00084")
    assert len(a.options) == 1002  # the newest 1,000 plus the two named
    assert any(f"{N:,} articles" in c.value for c in at.caption)


def test_entities_table_of_many_mentions_waits_for_a_click(large_env, monkeypatch):
    import pages._corrections as corrections

    monkeypatch.setattr(corrections, "ENTITIES_AUTO", 100)  # the store holds 1,205 mentions
    at = run_page("data")
    assert any(b.label == "Build the entities table" for b in at.button)
    assert any("Summing 1,205 mentions" in c.value for c in at.caption)
    asked = run_page("data", entities="1")
    assert not any(b.label == "Build the entities table" for b in asked.button)
    kenya = [df.value for df in asked.dataframe if "aliases" in df.value.columns]
    assert len(kenya) == 1 and list(kenya[0]["name"]) == ["Kenya"]


def test_sources_page_lists_a_bounded_number_of_stories(large_env, monkeypatch):
    import pandas as pd

    import core.analytics.reuse.stories as stories
    import pages.ui.limits as limits

    ids = [f"x{i:05d}" for i in range(N)]  # stories of two: x00000 with x00001, ...
    groups = pd.DataFrame({"article_id": ids, "story_id": [ids[i - i % 2] for i in range(N)]})
    monkeypatch.setattr(stories, "group_store_stories", lambda store, flt=None: groups)
    monkeypatch.setattr(limits, "MAX_TABLE_ROWS", 5)
    at = run_page("sources", stories="1")
    listed = [df.value for df in at.dataframe if "n_sources" in df.value.columns]
    assert len(listed) == 1 and len(listed[0]) == 5
    assert any(f"The first 5 of {N // 2:,} stories" in c.value for c in at.caption)
    assert len(_select(at, "Story").options) == 5
    at = run_page("sources", stories="1", story="x00100")  # beyond the first 5: offered too
    story = _select(at, "Story")
    assert story.value == "x00100" and len(story.options) == 6
    a, b = _select(at, "Article A"), _select(at, "Article B")
    assert (a.value, b.value) == ("x00100", "x00101")  # the story's two articles
