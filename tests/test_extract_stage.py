"""The extraction stage: registries, empty input, the countries aggregate."""

from __future__ import annotations

import pandas as pd
import pytest

from core.extract import count_countries, extract_tables, get_date_extractor, get_mention_extractor
from core.schema import conform, empty_table, validate


def test_unknown_extractor_names_the_valid_ones():
    with pytest.raises(KeyError, match="valid: gazetteer, spacy"):
        get_mention_extractor("stanza")
    with pytest.raises(KeyError, match="valid: rules"):
        get_date_extractor("heideltime")


def test_empty_articles_give_every_table_with_its_schema():
    tables = extract_tables(empty_table("articles"))
    assert set(tables) == {"sentences", "mentions", "dates", "countries"}
    for name, df in tables.items():
        assert df.empty
        validate(df, name)


def test_count_countries_is_an_exact_aggregate():
    mentions = conform(
        pd.DataFrame(
            {
                "article_id": ["a", "a", "a", "a", "b"],
                "sentence": [0, 0, 1, 2, 0],
                "start_char": [30, 0, 50, 70, 5],
                "end_char": [36, 6, 57, 79, 11],
                "text": ["Russia", "Moscow", "Russian", "Pyongyang", "Russia"],
                "entity": ["Russia", "Moscow", "Russia", "Pyongyang", "Russia"],
                "kind": ["country", "place", "country", "place", "country"],
                "country_code": ["RUS", "RUS", "RUS", "PRK", "RUS"],
                "via": ["name", "capital", "demonym", "capital", "name"],
                "method": ["t"] * 5,
            }
        ),
        "mentions",
    )
    before = mentions.copy()
    out = count_countries(mentions)
    validate(out, "countries")
    expected = conform(
        pd.DataFrame(
            {
                "article_id": ["a", "a", "b"],
                "country_code": ["PRK", "RUS", "RUS"],
                "n_mentions": [1, 3, 1],
                "first_start_char": [70, 0, 5],
                "vias": ["capital", "capital,demonym,name", "name"],
            }
        ),
        "countries",
    )
    pd.testing.assert_frame_equal(out, expected)
    pd.testing.assert_frame_equal(mentions, before)


def test_seed_tables_validate_and_offsets_hold(seed_store):
    arts = seed_store.table("articles").set_index("article_id")
    for name in ("sentences", "mentions", "dates", "countries"):
        validate(seed_store.table(name), name)
    for table in ("mentions", "dates"):
        for row in seed_store.table(table).itertuples():
            assert arts.loc[row.article_id, "text"][row.start_char : row.end_char] == row.text
