"""Story grouping on a tiny hand-made set: three sources, two stories and a look-alike event."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from core.analytics.reuse.stories import build_signatures, group_store_stories, group_stories
from core.schema import conform
from core.store import Store

ARTICLES = [
    # story 1: the Bam earthquake, three outlets
    (
        "bam-bbc",
        "BBC",
        "2003-12-26",
        "Earthquake devastates Bam in south-eastern Iran",
        "A powerful earthquake struck the ancient city of Bam in Kerman province, killing "
        "thousands. The citadel of Arg-e Bam was destroyed. Rescuers from Tehran dug through "
        "mud-brick rubble as the Red Crescent appealed for blankets and tents.",
    ),
    (
        "bam-reuters",
        "Reuters",
        "2003-12-27",
        "Thousands killed as quake flattens Iranian city of Bam",
        "The quake flattened much of Bam, a city in Kerman province, and its mud-brick citadel "
        "Arg-e Bam. The Red Crescent said thousands were killed and asked for tents and blankets "
        "while rescuers searched the rubble.",
    ),
    (
        "bam-ap",
        "AP",
        "2003-12-26",
        "Iran quake: Bam citadel in ruins",
        "Rescuers searched mud-brick rubble in Bam after the earthquake in Kerman province. The "
        "Red Crescent appealed for tents. The ancient Arg-e Bam citadel lay in ruins.",
    ),
    # story 2: a Chilean election, three outlets
    (
        "chile-bbc",
        "BBC",
        "2003-12-26",
        "Chile votes in tight presidential run-off",
        "Voters in Santiago queued to choose between Michelle Bachelet and Sebastian Pinera in "
        "a presidential run-off. Bachelet, a socialist, led the polls; Pinera, a billionaire, "
        "promised jobs.",
    ),
    (
        "chile-reuters",
        "Reuters",
        "2003-12-27",
        "Bachelet and Pinera face off in Chile run-off",
        "Michelle Bachelet led Sebastian Pinera in polls before the presidential run-off in "
        "Chile. Queues formed in Santiago; Pinera, a billionaire businessman, promised jobs.",
    ),
    (
        "chile-ap",
        "AP",
        "2003-12-26",
        "Chileans choose president",
        "Chileans in Santiago voted in the run-off between socialist Michelle Bachelet and "
        "billionaire Sebastian Pinera, who promised jobs.",
    ),
    # the look-alike: another Iranian earthquake, same kind of words, other names
    (
        "zarand-bbc",
        "BBC",
        "2003-12-27",
        "Earthquake hits Zarand in Iran",
        "A powerful earthquake struck villages near Zarand, killing hundreds. Rescuers dug "
        "through rubble in Hotkan and Dahuiyeh as the Red Crescent appealed for tents and "
        "blankets.",
    ),
]


def _frame(with_dates: bool = True) -> pd.DataFrame:
    df = pd.DataFrame(ARTICLES, columns=["article_id", "source", "published", "title", "text"])
    if not with_dates:
        df["published"] = None
    return df


def _stories(grouped: pd.DataFrame) -> set[frozenset[str]]:
    return {frozenset(g["article_id"]) for _, g in grouped.groupby("story_id")}


EXPECTED = {
    frozenset({"bam-bbc", "bam-reuters", "bam-ap"}),
    frozenset({"chile-bbc", "chile-reuters", "chile-ap"}),
    frozenset({"zarand-bbc"}),
}


@pytest.mark.parametrize("with_dates", [True, False])
def test_two_stories_and_a_look_alike(with_dates):
    grouped = group_stories(_frame(with_dates))
    assert _stories(grouped) == EXPECTED
    assert list(grouped.columns) == ["story_id", "article_id", "n_articles"]
    # story_id is the smallest article id of the story
    assert set(grouped["story_id"]) == {"bam-ap", "chile-ap", "zarand-bbc"}
    assert grouped.set_index("article_id").loc["bam-bbc", "n_articles"] == 3


def test_date_window_splits_the_same_text_far_apart():
    df = _frame()
    df.loc[df["article_id"] == "bam-reuters", "published"] = "2004-03-01"
    grouped = group_stories(df, window_days=3)
    assert frozenset({"bam-reuters"}) in _stories(grouped)
    # an undated copy is not date-restricted
    df.loc[df["article_id"] == "bam-reuters", "published"] = None
    assert frozenset({"bam-bbc", "bam-reuters", "bam-ap"}) in _stories(group_stories(df))


def test_empty_input():
    out = group_stories(_frame().iloc[0:0])
    assert out.empty and list(out.columns) == ["story_id", "article_id", "n_articles"]


def test_entity_mentions_enter_signatures():
    df = _frame().iloc[:1]
    mentions = pd.DataFrame({"article_id": ["bam-bbc"], "entity": ["Iran"]})
    terms = set(build_signatures(pd.concat([df, df.assign(article_id="x")]), mentions)["term"])
    assert "@iran" in terms


def test_group_store_stories(tmp_path):
    df = _frame()
    df["n_words"] = df["text"].str.split().str.len()
    store = Store(tmp_path / "store")
    store.append({"articles": conform(df, "articles")})
    assert _stories(group_store_stories(store)) == EXPECTED


def test_group_store_stories_with_a_filter(tmp_path):
    from core.analytics.query.filters import Filter

    df = _frame()
    df["n_words"] = df["text"].str.split().str.len()
    store = Store(tmp_path / "store")
    store.append({"articles": conform(df, "articles")})
    grouped = group_store_stories(store, Filter(sources=("Reuters", "AP")))
    assert _stories(grouped) == {
        frozenset({"bam-reuters", "bam-ap"}),
        frozenset({"chile-reuters", "chile-ap"}),
    }


def test_signatures_are_unit_vectors_with_names_boosted():
    sig = build_signatures(_frame())
    norms = (sig["weight"] ** 2).groupby(sig["doc"]).sum()
    assert norms.round(9).eq(1.0).all()
    zarand = sig[sig["doc"] == 6].set_index("term")["weight"]
    # "Hotkan" (a name) and "villages" (a plain word): both once, in this article only
    assert zarand["hotkan"] == pytest.approx(2 * zarand["villag"])
    # "Zarand" is also in the title: tf 2 -> (1 + ln 2) times more
    assert zarand["zarand"] == pytest.approx(2 * (1 + math.log(2)) * zarand["villag"])


def test_the_seed_rewrite_joins_its_original_in_one_story(seed_store):
    """Two articles only: IDF must not zero out the terms both share."""
    stories = group_store_stories(seed_store)
    assert stories["n_articles"].tolist() == [2, 2]
    assert stories["story_id"].nunique() == 1


def _frame_store(path) -> Store:
    df = _frame()
    df["n_words"] = df["text"].str.split().str.len()
    store = Store(path)
    store.append({"articles": conform(df, "articles")})
    return store


def test_store_stories_are_persisted_per_store_version(tmp_path, monkeypatch):
    from core.analytics.reuse import stories

    store = _frame_store(tmp_path / "store")
    first = group_store_stories(store)
    path = stories.stories_path(store)
    assert path.is_file() and path.parent.name == stories.DERIVED_DIR
    assert not list(path.parent.glob("*.tmp"))

    # A later call (any process: a fresh Store object) reads the file back, no regrouping.
    def fail(*args, **kwargs):
        raise AssertionError("regrouped although the groups of this version were kept")

    monkeypatch.setattr(stories, "_group_store_stories", fail)
    again = group_store_stories(Store(store.path))
    pd.testing.assert_frame_equal(again, first)
    assert _stories(again) == EXPECTED
    monkeypatch.undo()

    # A new batch changes the version: grouped again, with the new article, old file dropped.
    extra = _frame().iloc[:1].assign(article_id="bam-extra", source="AFP")
    extra["n_words"] = extra["text"].str.split().str.len()
    store.append({"articles": conform(extra, "articles")})
    grouped = group_store_stories(store)
    assert "bam-extra" in set(grouped["article_id"])
    assert [p.name for p in path.parent.iterdir()] == [stories.stories_path(store).name]


def test_filtered_or_tuned_store_stories_are_not_persisted(tmp_path):
    from core.analytics.query.filters import Filter
    from core.analytics.reuse import stories

    store = _frame_store(tmp_path / "store")
    group_store_stories(store, Filter(sources=("Reuters", "AP")))
    group_store_stories(store, threshold=0.5)
    assert not (store.path / stories.DERIVED_DIR).exists()


def test_an_unreadable_persisted_file_is_regrouped(tmp_path):
    from core.analytics.reuse import stories

    store = _frame_store(tmp_path / "store")
    path = stories.stories_path(store)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not parquet")
    assert _stories(group_store_stories(store)) == EXPECTED
    assert pd.read_parquet(path)["article_id"].nunique() == len(ARTICLES)
