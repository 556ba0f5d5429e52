"""Facets beyond source and date: the language mix and input metadata, counted and filtered."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from core.analytics.frequencies import count_articles
from core.analytics.query.facets import count_facets, count_languages
from core.analytics.query.filters import Filter
from core.ingest import ingest_paths
from core.store import Store
from tests.conftest import REPO

ENGLISH = "The prime minister of {} met farmers on Monday to discuss the drought in the region."
FRENCH = "Le Premier ministre a rencontré mardi les agriculteurs pour parler de la sécheresse."


@pytest.fixture(scope="module")
def faceted(tmp_path_factory):
    """Four records: three English (two in section World, one in Sport), one French."""
    folder = tmp_path_factory.mktemp("faceted")
    rows = [
        {"text": ENGLISH.format("Kenya"), "section": "World", "author": ["Ann", "Bo"]},
        {"text": ENGLISH.format("Chile"), "section": "World", "author": "Ann"},
        {"text": ENGLISH.format("Norway"), "section": "Sport", "id": "x1"},
        {"text": FRENCH, "section": "World", "id": "x2"},
    ]
    path = folder / "r.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    store = Store(folder / "store")
    report = ingest_paths([path], store=store, progress=False)
    assert report.added == 4, report.summary()
    return store


def test_language_mix(faceted):
    df = count_languages(faceted)
    assert list(zip(df.language, df.n_articles, strict=True)) == [("en", 3), ("fr", 1)]


def test_facets_keep_keys_with_few_shared_values(faceted):
    df = count_facets(faceted)
    rows = list(zip(df.key, df.value, df.n_articles, strict=True))
    # section on 4 articles, author on 2; id has no value shared by two articles
    assert rows == [
        ("section", "World", 3),
        ("section", "Sport", 1),
        ("author", "Ann", 2),
        ("author", "Bo", 1),
    ]


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (Filter(languages=["fr"]), 1),
        (Filter(meta=["section=World"]), 3),
        (Filter(meta=["section=World", "section=Sport"]), 4),  # one key: OR
        (Filter(meta=["section=World", "author=Ann"]), 2),  # two keys: AND
        (Filter(meta=["section=World"], languages=["en"]), 2),
    ],
)
def test_filters_restrict_articles_in_the_engine_and_in_sql(faceted, flt, expected):
    counted = count_articles(faceted, flt, freq=None)
    assert int(counted["n_articles"].sum()) == expected
    where, params = flt.where_articles("articles")
    n = faceted.query(f"SELECT count(*) AS n FROM articles WHERE {where}", params)["n"].iloc[0]
    assert n == expected


def test_url_params_round_trip():
    flt = Filter.from_params({"lang": "fr", "meta": ["section=World", "broken"]})
    assert flt.languages == ("fr",) and flt.meta == ("section=World",)
    assert flt.needs_article_rows and flt.has_article_filter
    assert Filter.from_params(flt.to_params()) == flt


def test_sidebar_offers_language_and_facets(faceted, monkeypatch):
    monkeypatch.setenv("PRESSLENS_STORE", str(faceted.path))
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    at.query_params["meta"] = "section=World"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    lang = at.sidebar.multiselect(key="f_lang")
    assert lang.label.startswith("Language (en 75%, fr 25%")
    section = at.sidebar.multiselect(key="f_meta_section")
    assert section.value == ["World"]
    section.set_value(["World", "Sport"]).run()
    assert sorted(at.query_params["meta"]) == ["section=Sport", "section=World"]
