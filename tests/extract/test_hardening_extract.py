"""Total extractors: any text in, a table out; one failing article costs only itself."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import core.extract as stage
from core.analytics.reuse.quotes import extract_quotes
from core.cli import main
from core.extract import count_countries, get_date_extractor, get_mention_extractor, rows_to_table
from core.extract.timex.dates import real_value
from core.ingest import ingest_paths
from core.schema import MENTION_ROW, validate
from core.store import Store
from core.text import normalise_text, split_sentences
from tests.conftest import SAMPLES

IMPOSSIBLE = ["2022-02-30", "31 April 2020", "29 February 2023", "0000-01-01", "30/02/2021"]


def test_seeds_and_an_impossible_date_store_all_three_articles(tmp_path, capsys):
    bad = tmp_path / "talks.txt"
    bad.write_text("Talks were held in Paris on 2022-02-30, officials said.\n", encoding="utf-8")
    store = tmp_path / "store"
    assert main(["ingest", str(SAMPLES), str(bad), "--store", str(store)]) == 0
    assert len(Store(store).table("articles")) == 3
    dates = Store(store).table("dates")
    row = dates[dates["text"] == "2022-02-30"]
    assert len(row) == 1 and pd.isna(row["value"].iloc[0])  # kept, without a value


@pytest.mark.parametrize("span", IMPOSSIBLE)
def test_a_date_the_calendar_lacks_is_kept_without_a_value(span):
    text = f"The meeting was on {span}, officials said."
    rows = get_date_extractor()(text, split_sentences(text), anchor=dt.date(2022, 3, 1))
    found = [r for r in rows if r["text"] == span]
    assert len(found) == 1 and found[0]["value"] is None


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("2024-02-29", True),
        ("2023-02-29", False),
        ("XXXX-02-29", True),
        ("2020-W53", True),
        ("2021-W53", False),
        ("0000", False),
        ("99999", False),
        ("P3D", True),
        ("2022-13", False),
    ],
)
def test_real_value_keeps_only_calendar_dates(value, kept):
    assert (real_value(value) == value) is kept


def test_an_extractor_that_raises_rejects_its_article_only(tmp_path, monkeypatch):
    class Fragile:
        method = "fragile/1"

        def __call__(self, text, sentences, *, anchor):
            if "explode" in text:
                raise ValueError("boom")
            return []

    monkeypatch.setitem(stage.DATE_EXTRACTORS, "fragile", Fragile)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text("A calm day in Rome.", encoding="utf-8")
    (tmp_path / "in" / "bad.txt").write_text("Markets explode in Oslo.", encoding="utf-8")
    store = Store(tmp_path / "store")
    report = ingest_paths([tmp_path / "in"], store=store, dates="fragile", progress=False)
    stage.get_date_extractor.cache_clear()
    assert report.added == 1
    assert [(o.rsplit("/", 1)[-1], r) for o, r in report.rejected] == [
        ("bad.txt", "extraction failed (ValueError: boom)")
    ]
    assert list(store.table("articles")["text"]) == ["A calm day in Rome."]
    assert store.table("mentions")["article_id"].nunique() == 1


def test_without_a_failure_list_the_error_propagates(monkeypatch):
    def broken():
        class Broken:
            method = "broken/1"

            def __call__(self, text, sentences, *, anchor):
                raise RuntimeError("no")

        return Broken()

    monkeypatch.setitem(stage.DATE_EXTRACTORS, "broken", broken)
    articles = pd.DataFrame(
        {"article_id": ["a"], "text": ["x"], "published": [None], "origin": ["f.txt"]}
    )
    with pytest.raises(RuntimeError):
        stage.extract_tables(articles, dates="broken")
    failed: list = []
    tables = stage.extract_tables(articles, dates="broken", failed=failed)
    stage.get_date_extractor.cache_clear()
    assert failed == [("a", "f.txt", "extraction failed (RuntimeError: no)")]
    assert all(df.empty for df in tables.values())


# -- property tests: every extractor is total ------------------------------------------------
_WORDS = st.sampled_from(
    [
        "on", "in", "the", "Paris", "2022-02-30", "31 April", "29 February 2023", "year 0",
        "99999", "Q4", "week 53", "last Monday", "said", '"', "“", "”", "Mr.", ".", "\n\n",
        "the following day", "3 days ago", "10:35 a.m.", "0th century", "France", "Köln",
        "\u200b", "\ufeff", "İ", "ß", "ﬁ", "\x00", "9999-12-31",
    ]
)  # fmt: skip
_TEXTS = st.one_of(
    st.text(max_size=200),
    st.lists(
        st.one_of(_WORDS, st.integers(-(10**40), 10**40).map(str), st.text(max_size=4)),
        max_size=40,
    ).map(" ".join),
)
_ANCHORS = st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 1)))
_FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


@_FUZZ
@given(_TEXTS)
def test_sentences_are_total_and_cover_the_text(text):
    for paragraph, start, end in split_sentences(text):
        assert 0 <= start < end <= len(text) and paragraph >= 0
    assert isinstance(normalise_text(text), str)


@_FUZZ
@given(_TEXTS, _ANCHORS)
def test_dates_are_total_and_values_real(text, anchor):
    rows = get_date_extractor()(text, split_sentences(text), anchor=anchor)
    table = rows_to_table("dates", [{**r, "article_id": "a", "anchor": anchor} for r in rows])
    validate(table, "dates")
    assert all(real_value(r["value"]) == r["value"] for r in rows)


@_FUZZ
@given(_TEXTS)
def test_mentions_and_countries_are_total(text):
    found = get_mention_extractor().rows(text, split_sentences(text))
    mentions = rows_to_table(
        "mentions", found, fields=MENTION_ROW, columns={"article_id": "a", "method": "m"}
    )
    validate(mentions, "mentions")
    validate(count_countries(mentions), "countries")


@_FUZZ
@given(_TEXTS)
def test_quotes_are_total(text):
    for quote in extract_quotes(text):
        assert 0 <= quote["start_char"] <= quote["end_char"] <= len(text)
