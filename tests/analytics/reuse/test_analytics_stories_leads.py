"""Story grouping of a store reads each text's lead only, a slice of articles at a time, and
still groups as on whole texts."""

from __future__ import annotations

import pandas as pd
import pytest

from core.analytics.reuse import stories, story_signatures
from core.analytics.reuse.stories import group_store_stories, group_stories
from core.schema import conform
from core.store import Store

WORDS = "earthquake Bam Kerman citadel rescuers rubble Crescent tents blankets province".split()


def _article(aid: str, source: str, day: str, words: list[str]) -> dict:
    return {
        "article_id": aid,
        "source": source,
        "published": day,
        "title": " ".join(words[:5]),
        "text": " ".join(words),
        "n_words": len(words),
    }


@pytest.fixture
def store(tmp_path) -> Store:
    long_words = [w * 30 for w in WORDS]  # 200 words of these run far past any lead cut
    rows = [
        _article("a-short", "BBC", "2003-12-26", WORDS * 3),
        _article("b-short", "AP", "2003-12-26", WORDS[::-1] * 3),
        _article("c-long-words", "BBC", "2003-12-27", long_words * 25),
        _article("d-long-words", "AP", "2003-12-27", long_words[::-1] * 25),
        # the lead (200 words) differs from the rest of the text: only the lead may count
        _article("e-lead", "Reuters", "2003-12-26", WORDS * 20 + ["Chile", "Santiago"] * 300),
        _article("f-tail", "DW", "2003-12-26", ["Chile", "Santiago"] * 100 + WORDS * 300),
    ]
    s = Store(tmp_path / "store")
    s.append({"articles": conform(pd.DataFrame(rows), "articles")})
    return s


@pytest.mark.parametrize("cut", [20, 300, 2000, 100_000])
@pytest.mark.parametrize("per_slice", [1, 4, 50_000])
def test_store_stories_equal_the_grouping_of_whole_texts(store, monkeypatch, cut, per_slice):
    monkeypatch.setattr(story_signatures, "LEAD_CHARS", cut)
    monkeypatch.setattr(story_signatures, "SLICE_ARTICLES", per_slice)
    whole = store.query("SELECT article_id, title, text, published FROM articles")
    want = group_stories(whole, store.query("SELECT article_id, entity FROM mentions"))
    got = group_store_stories(store, None, threshold=stories.DEFAULT_THRESHOLD)
    pd.testing.assert_frame_equal(got, want)
    assert got["story_id"].nunique() < len(got)  # some articles do group
