"""The shared analytics filter: URL round trip, SQL fragments, and the cached engine.

``make_store`` (used by the other test_analytics_* files) builds a small real store from
hand-written articles: every listed surface form is found in the text, so offsets are real.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from core.analytics.query.engine import engine_for
from core.analytics.query.filters import Filter
from core.store import Store
from core.text import count_words, sentence_index, split_sentences


def make_store(path, docs: list[dict]) -> Store:
    """Write ``docs`` as one batch and return the store.

    Each doc: ``id``, ``source``, ``published`` (ISO or None), ``text``, ``title`` (optional),
    ``mentions``: ``{surface: (entity, kind, country_code)}`` (every whole-word occurrence is a
    mention), ``dates``: ``[(surface, type, value)]`` (first occurrence of each).
    """
    articles, sentences, mentions, dates = [], [], [], []
    for doc in docs:
        text = doc["text"]
        sents = split_sentences(text)
        articles.append(
            {
                "article_id": doc["id"],
                "source": doc["source"],
                "published": doc.get("published"),
                "title": doc.get("title", text[sents[0][1] : sents[0][2]]),
                "text": text,
                "url": doc.get("url"),
                "n_words": count_words(text),
            }
        )
        for i, (para, start, end) in enumerate(sents):
            sentences.append(
                {
                    "article_id": doc["id"],
                    "sentence": i,
                    "paragraph": para,
                    "start_char": start,
                    "end_char": end,
                }
            )
        for surface, (entity, kind, cc) in doc.get("mentions", {}).items():
            for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text):
                mentions.append(
                    {
                        "article_id": doc["id"],
                        "sentence": sentence_index(sents, m.start()),
                        "start_char": m.start(),
                        "end_char": m.end(),
                        "text": surface,
                        "entity": entity,
                        "kind": kind,
                        "country_code": cc,
                        "via": "name",
                        "method": "test/1",
                    }
                )
        for surface, typ, value in doc.get("dates", []):
            at = text.index(surface)
            dates.append(
                {
                    "article_id": doc["id"],
                    "sentence": sentence_index(sents, at),
                    "start_char": at,
                    "end_char": at + len(surface),
                    "text": surface,
                    "type": typ,
                    "value": value,
                    "anchor": doc.get("published"),
                }
            )
    store = Store(path)
    store.append(
        {
            "articles": pd.DataFrame(articles),
            "sentences": pd.DataFrame(sentences),
            "mentions": pd.DataFrame(
                mentions,
                columns=[
                    "article_id",
                    "sentence",
                    "start_char",
                    "end_char",
                    "text",
                    "entity",
                    "kind",
                    "country_code",
                    "via",
                    "method",
                ],
            ),
            "dates": pd.DataFrame(
                dates,
                columns=[
                    "article_id",
                    "sentence",
                    "start_char",
                    "end_char",
                    "text",
                    "type",
                    "value",
                    "anchor",
                ],
            ),
        }
    )
    return store


RU = ("Russia", "country", "RUS")
NK = ("North Korea", "country", "PRK")
PUTIN = ("Vladimir Putin", "person", "RUS")
US = ("United States", "country", "USA")

DOCS = [
    {
        "id": "a1",
        "source": "BBC",
        "published": "2022-08-15",
        "text": "Russia and North Korea met. Putin spoke.\n\n“Russia” is big, said Mr Putin.",
        "mentions": {"Russia": RU, "North Korea": NK, "Putin": PUTIN},
    },
    {
        "id": "a2",
        "source": "Rewrite",
        "published": "2022-08-16",
        "text": "North Korea and Russia agreed. The United States objected.",
        "mentions": {"Russia": RU, "North Korea": NK, "United States": US},
    },
    {
        "id": "a3",
        "source": "BBC",
        "published": "2022-09-01",
        "text": "The weather was fine. Nothing happened in Russia today.",
        "mentions": {"Russia": RU},
    },
    {
        "id": "a4",
        "source": "BBC",
        "published": None,
        "text": "An undated note on Pyongyang and North Korea.",
        "mentions": {"North Korea": NK},
    },
]


@pytest.fixture
def tiny(tmp_path):
    return make_store(tmp_path / "store", DOCS)


def test_filter_normalises_and_round_trips_url_params():
    flt = Filter.from_params(
        {
            "from": "2022-08-01",
            "to": "2022-08-31",
            "source": "BBC, Rewrite",
            "country": "rus,prk",
            "entity": ["Korea, Republic of"],
            "q": "  putin ",
            "page": "ignored",
        }
    )
    assert flt == Filter(
        date_from=dt.date(2022, 8, 1),
        date_to=dt.date(2022, 8, 31),
        sources=("BBC", "Rewrite"),
        countries=("RUS", "PRK"),
        entities=("Korea, Republic of",),
        q="putin",
    )
    assert flt.to_params() == {
        "from": "2022-08-01",
        "to": "2022-08-31",
        "source": "BBC,Rewrite",
        "country": "RUS,PRK",
        "entity": "Korea, Republic of",
        "q": "putin",
    }
    assert Filter.from_params({}) == Filter()
    assert Filter().to_params() == {}
    assert hash(flt) == hash(Filter.from_params(flt.to_params() | {"entity": [flt.entities[0]]}))


def test_where_fragments_are_parameterised_and_select_the_right_rows(tiny):
    evil = "x'); DROP TABLE articles; --"
    flt = Filter(sources=("BBC", evil), date_from=dt.date(2022, 8, 1), q="PUTIN")
    sql, params = flt.where_articles("t")
    assert evil not in sql and params == [dt.date(2022, 8, 1), "BBC", evil, "putin", "putin"]
    got = tiny.query(f"SELECT article_id FROM articles t WHERE {sql} ORDER BY 1", params)
    assert got["article_id"].tolist() == ["a1"]
    sql, params = Filter(kinds=("person",), countries=("RUS",)).where_mentions()
    got = tiny.query(f"SELECT DISTINCT text FROM mentions WHERE {sql}", params)
    assert got["text"].tolist() == ["Putin"]
    assert Filter().where_articles() == ("TRUE", []) and Filter().where_mentions() == ("TRUE", [])


def test_engine_is_cached_per_version_and_rebuilt_after_an_append(tiny, tmp_path):
    first = engine_for(tiny)
    assert engine_for(Store(tiny.path)) is first
    make_store(tiny.path, [{**DOCS[2], "id": "a5"}])
    second = engine_for(tiny)
    assert second is not first
    assert second.df("SELECT count(*) AS n FROM a")["n"].iloc[0] == 5


def test_empty_store_gives_an_engine_with_empty_tables(tmp_path):
    eng = engine_for(Store(tmp_path / "nothing"))
    assert eng.df("SELECT count(*) AS n FROM m")["n"].iloc[0] == 0
    assert eng.entity_functional


def test_warm_up_builds_the_page_tables(tiny):
    from core.analytics import warm_up

    warm_up(tiny)
    eng = engine_for(tiny)
    for table in ("cube_a", "cube_m_eid", "gcube_m_eid", "wp_sentence", "gpair_sentence", "dref"):
        assert eng.has(table), table
    assert not eng.has("wp_paragraph")
