"""Frequencies: exact counts on a hand-made store, cube vs row paths, evidence agreement."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from core.analytics.frequencies import (
    count_articles,
    count_countries,
    count_mentions,
    country_name,
    find_evidence,
    summarise_corpus,
)
from core.analytics.query.engine import DATE
from core.analytics.query.filters import Filter
from tests.analytics.query.test_analytics_filters import DOCS, make_store

METRICS = ["n_mentions", "n_articles", "share_articles", "per_1000_words"]
METRIC_DTYPES = ["Int64", "Int64", "Float64", "Float64"]
# Words per doc (core.text.count_words): a1 13, a2 9, a3 9, a4 8 -> 39 in all.
WORDS = 39
ALL_A = Filter(q="a")  # every text holds an "a": same articles, but counted from mention rows


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """Read-only here: built once per module."""
    return make_store(tmp_path_factory.mktemp("tiny") / "store", DOCS)


def _dtypes(df):
    return [str(t) for t in df.dtypes]


def test_count_by_entity_exact(tiny):
    df = count_mentions(tiny)
    assert list(df.columns) == ["entity", *METRICS]
    assert _dtypes(df) == ["string", *METRIC_DTYPES]
    assert df["entity"].tolist() == ["Russia", "North Korea", "Vladimir Putin", "United States"]
    assert df["n_mentions"].tolist() == [4, 3, 2, 1]
    assert df["n_articles"].tolist() == [3, 3, 1, 1]
    assert df["share_articles"].tolist() == [0.75, 0.75, 0.25, 0.25]
    assert df["per_1000_words"].tolist() == pytest.approx(
        [4000 / WORDS, 3000 / WORDS, 2000 / WORDS, 1000 / WORDS]
    )


def test_monthly_series_keep_the_same_top_groups_and_drop_undated(tiny):
    df = count_mentions(tiny, by=("entity",), freq="month", top=2)
    assert list(df.columns) == ["entity", "period", *METRICS]
    assert df["period"].dtype == DATE
    rows = [
        (r.period.isoformat(), r.entity, r.n_mentions, r.n_articles, r.share_articles)
        for r in df.itertuples()
    ]
    # August: a1 + a2 (2 dated articles); September: a3. a4 (undated, North Korea) is left out.
    assert rows == [
        ("2022-08-01", "Russia", 3, 2, 1.0),
        ("2022-08-01", "North Korea", 2, 2, 1.0),
        ("2022-09-01", "Russia", 1, 1, 1.0),
    ]
    pd.testing.assert_frame_equal(df, count_mentions(tiny, ALL_A, freq="month", top=2))
    week = count_mentions(tiny, by=("source",), freq="week")
    assert week["period"].map(dt.date.isoformat).tolist() == [
        "2022-08-15",
        "2022-08-15",
        "2022-08-29",
    ]
    assert week["source"].tolist() == ["BBC", "Rewrite", "BBC"]


def test_by_source_and_kind_with_denominators_per_source(tiny):
    df = count_mentions(tiny, by=("source", "kind"))
    assert list(df.columns) == ["source", "kind", *METRICS]
    got = {
        (r.source, r.kind): (r.n_mentions, r.n_articles, r.share_articles) for r in df.itertuples()
    }
    # BBC has 3 articles (a1, a3, a4), Rewrite 1 (a2).
    assert got == {
        ("BBC", "country"): (5, 3, 1.0),
        ("BBC", "person"): (2, 1, 1 / 3),
        ("Rewrite", "country"): (3, 1, 1.0),
    }


@pytest.mark.parametrize(
    ("by", "freq", "flt"),
    [
        (("entity",), None, Filter()),
        (("kind",), "month", Filter()),
        (("country_code", "source"), "week", Filter()),
        (("source",), None, Filter(kinds=("person", "country"))),
        (("entity",), "day", Filter(countries=("RUS",))),
        ((), None, Filter(entities=("Russia", "North Korea"))),
    ],
)
def test_cube_and_mention_row_paths_agree(tiny, by, freq, flt):
    cube = count_mentions(tiny, flt, by=by, freq=freq)
    rows = count_mentions(tiny, Filter(**{**flt.__dict__, "q": "a"}), by=by, freq=freq)
    pd.testing.assert_frame_equal(cube, rows)


def test_several_values_of_an_ungrouped_filter_count_each_article_once(tiny):
    # a1 mentions both; counted once per source. (A naive per-entity cube would say 3 for BBC.)
    df = count_mentions(tiny, Filter(entities=("Russia", "North Korea")), by=("source",))
    assert df[["source", "n_mentions", "n_articles"]].values.tolist() == [
        ["BBC", 5, 3],
        ["Rewrite", 2, 1],
    ]


def test_null_country_is_its_own_group_and_empty_results_keep_columns(tiny, tmp_path):
    store = make_store(
        tmp_path / "s2", [{**DOCS[2], "mentions": {"Russia": ("Acme", "org", None)}}]
    )
    df = count_mentions(store, by=("country_code",))
    assert df["country_code"].isna().tolist() == [True] and df["n_mentions"].tolist() == [1]
    empty = count_mentions(tiny, Filter(sources=("Nobody",)), by=("entity",), freq="month")
    assert empty.empty and list(empty.columns) == ["entity", "period", *METRICS]
    assert _dtypes(empty) == ["string", "date32[day][pyarrow]", *METRIC_DTYPES]


def test_bad_arguments_name_the_valid_values(tiny):
    with pytest.raises(ValueError, match="valid: entity, kind, country_code, source"):
        count_mentions(tiny, by=("topic",))
    with pytest.raises(ValueError, match="valid: day, week, month"):
        count_mentions(tiny, freq="hour")


@pytest.mark.parametrize(
    "flt",
    [
        Filter(),
        Filter(sources=("BBC",)),
        ALL_A,
        Filter(kinds=("country",), date_to=dt.date(2022, 8, 31)),
    ],
)
def test_evidence_rows_equal_counts_and_highlight_the_mention(tiny, flt):
    counts = count_mentions(tiny, flt, by=("entity", "source"), freq="day")
    assert len(counts) > 0
    for row in counts.itertuples():
        ev = find_evidence(
            tiny,
            flt,
            entity=row.entity,
            source=row.source,
            period_start=row.period,
            freq="day",
            limit=None,
        )
        assert len(ev) == row.n_mentions
        for e in ev.itertuples():
            assert e.sentence_text[e.start_in_sentence : e.end_in_sentence] == e.mention
    # Without a period, undated articles count too.
    total = find_evidence(tiny, flt, limit=None)
    assert len(total) == count_mentions(tiny, flt, by=())["n_mentions"].sum()


def test_evidence_columns_offsets_and_order(tiny):
    ev = find_evidence(tiny, entity="Russia", limit=3)
    assert list(ev.columns) == [
        "article_id",
        "source",
        "published",
        "title",
        "sentence",
        "sentence_text",
        "start_in_sentence",
        "end_in_sentence",
        "start_char",
        "end_char",
        "mention",
        "entity",
        "kind",
        "country_code",
    ]
    assert _dtypes(ev) == [
        "string",
        "string",
        "date32[day][pyarrow]",
        "string",
        "Int64",
        "string",
        "Int64",
        "Int64",
        "Int64",
        "Int64",
        "string",
        "string",
        "string",
        "string",
    ]
    assert ev["article_id"].tolist() == ["a3", "a2", "a1"]  # newest first, limit 3
    assert find_evidence(tiny, entity="Russia", limit=0).empty
    two = find_evidence(tiny, entity="North Korea", limit=2)  # a2 (16 Aug), a1 (15 Aug)
    assert two["article_id"].tolist() == ["a2", "a1"]
    undated = find_evidence(tiny, entity="North Korea", limit=3)
    assert undated["article_id"].tolist() == ["a2", "a1", "a4"]  # undated last
    curly = find_evidence(tiny, entity="Russia", source="BBC", limit=None)
    last = curly[curly["sentence"] == 2].iloc[0]
    assert last["sentence_text"] == "“Russia” is big, said Mr Putin."
    assert (last["start_in_sentence"], last["end_in_sentence"]) == (1, 7)
    assert DOCS[0]["text"][last["start_char"] : last["end_char"]] == "Russia"


def test_count_countries_gives_display_names(tiny):
    df = count_countries(tiny)
    assert list(df.columns) == ["country_code", "country", *METRICS]
    assert _dtypes(df) == ["string", "string", *METRIC_DTYPES]
    assert df[["country_code", "country", "n_mentions", "n_articles"]].values.tolist() == [
        ["RUS", "Russia", 6, 3],
        ["PRK", "North Korea", 3, 3],
        ["USA", "United States", 1, 1],
    ]
    assert country_name("SUN") == "Soviet Union" and country_name("KOR") == "South Korea"
    assert country_name("XKX") == "Kosovo" and country_name("ZZZ") == "ZZZ"


def test_count_articles_with_and_without_mention_filters(tiny):
    df = count_articles(tiny, freq="day", by_source=True)
    assert list(df.columns) == ["period", "source", "n_articles"]
    assert _dtypes(df) == ["date32[day][pyarrow]", "string", "Int64"]
    assert df.values.tolist() == [
        [dt.date(2022, 8, 15), "BBC", 1],
        [dt.date(2022, 8, 16), "Rewrite", 1],
        [dt.date(2022, 9, 1), "BBC", 1],
    ]
    assert count_articles(tiny, freq=None)["n_articles"].tolist() == [4]  # undated counts
    only = count_articles(tiny, Filter(entities=("North Korea",)), freq=None, by_source=True)
    assert only.values.tolist() == [["BBC", 2], ["Rewrite", 1]]
    none = count_articles(tiny, Filter(sources=("Nobody",)), freq=None)
    assert none["n_articles"].tolist() == [0]


def test_summarise_corpus(tiny):
    assert summarise_corpus(tiny) == {
        "n_articles": 4,
        "n_sources": 2,
        "date_from": dt.date(2022, 8, 15),
        "date_to": dt.date(2022, 9, 1),
        "n_mentions": 10,
        "n_countries": 3,
    }
    assert summarise_corpus(tiny, Filter(kinds=("person",))) == {
        "n_articles": 1,
        "n_sources": 1,
        "date_from": dt.date(2022, 8, 15),
        "date_to": dt.date(2022, 8, 15),
        "n_mentions": 2,
        "n_countries": 1,
    }
    assert summarise_corpus(tiny, Filter(q="nothing at all"))["n_articles"] == 0


@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_evidence_pages_join_up_to_the_whole_list(tiny, size):
    full = find_evidence(tiny, limit=None)
    assert len(full) > 5
    pages = [find_evidence(tiny, limit=size, offset=start) for start in range(0, len(full), size)]
    joined = pd.concat(pages, ignore_index=True)
    pd.testing.assert_frame_equal(joined, full)
    past_end = find_evidence(tiny, limit=size, offset=len(full) + 1)
    assert past_end.empty and list(past_end.columns) == list(full.columns)


def test_count_evidence_equals_the_rows_listed(tiny):
    from core.analytics.evidence import count_evidence

    counts = count_mentions(tiny, by=("entity", "source"), freq="month")
    for row in counts.itertuples():
        args = {"entity": row.entity, "source": row.source, "period_start": row.period}
        assert count_evidence(tiny, freq="month", **args) == row.n_mentions
        listed = find_evidence(tiny, freq="month", limit=None, **args)
        assert len(listed) == row.n_mentions
    assert count_evidence(tiny) == len(find_evidence(tiny, limit=None))
    assert count_evidence(tiny, entity="nobody at all") == 0
