from __future__ import annotations

import pandas as pd
import pytest

from core.schema import TABLES, conform, empty_table, get_spec, schema_markdown, validate
from tests.conftest import REPO


@pytest.mark.parametrize("name", list(TABLES))
def test_empty_table_keeps_every_column_and_dtype(name):
    df = empty_table(name)
    assert list(df.columns) == get_spec(name).names
    assert len(df) == 0
    validate(df, name)


def test_unknown_table_names_the_valid_ones():
    with pytest.raises(KeyError, match="valid tables: articles, sentences, mentions"):
        get_spec("mention")


def test_conform_fills_nullable_and_refuses_missing_required():
    df = pd.DataFrame(
        {
            "article_id": ["a"],
            "country_code": ["RUS"],
            "n_mentions": [2],
            "first_start_char": [0],
            "vias": ["name"],
        }
    )
    out = conform(df, "countries")
    validate(out, "countries")
    assert out["n_mentions"].dtype == "Int64"
    with pytest.raises(ValueError, match="missing required column 'vias'"):
        conform(df.drop(columns="vias"), "countries")


def test_conform_returns_a_new_frame():
    df = pd.DataFrame(
        {
            "article_id": ["a"],
            "source": ["x"],
            "text": ["t"],
            "n_words": [1],
            "published": ["2022-08-15"],
        }
    )
    before = df.copy()
    out = conform(df, "articles")
    pd.testing.assert_frame_equal(df, before)
    assert str(out["published"].iloc[0]) == "2022-08-15"


def test_docs_schema_md_is_in_sync():
    assert (REPO / "docs" / "schema.md").read_text() == schema_markdown() + "\n"
