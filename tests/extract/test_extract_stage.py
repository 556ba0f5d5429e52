"""The extraction stage: registries, empty input, the countries aggregate."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.extract import (
    count_countries,
    extract_tables,
    get_date_extractor,
    get_mention_extractor,
    rows_to_table,
)
from core.schema import MENTION_ROW, conform, empty_table, validate
from core.text import split_sentences


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


def test_rows_to_table_takes_whole_columns_beside_the_row_dicts():
    russia = {"sentence": 0, "start_char": 0, "end_char": 6, "text": "Russia", "entity": "Russia"}
    rows = [
        {**russia, "kind": "country", "country_code": "RUS", "via": "name"},
        {"sentence": 1, "start_char": 9, "end_char": 13, "text": "Kyiv", "entity": "Kyiv"},
    ]
    rows[1]["kind"] = "place"
    out = rows_to_table("mentions", rows, columns={"article_id": ["a", "b"], "method": "m/1"})
    validate(out, "mentions")
    assert out["article_id"].tolist() == ["a", "b"]
    assert out["method"].tolist() == ["m/1", "m/1"]
    assert out["text"].tolist() == ["Russia", "Kyiv"]
    assert out["country_code"].isna().tolist() == [False, True]  # a key a dict lacks is null
    assert rows[0] == {**russia, "kind": "country", "country_code": "RUS", "via": "name"}
    with pytest.raises(ValueError, match=r"mentions.article_id: 1 values for 2 rows"):
        rows_to_table("mentions", rows, columns={"article_id": ["a"]})
    # The same rows as tuples in MENTION_ROW order (what extractors' ``rows`` give) make the
    # same table.
    tuples = [tuple(r.get(name) for name in MENTION_ROW) for r in rows]
    again = rows_to_table(
        "mentions", tuples, fields=MENTION_ROW, columns={"article_id": ["a", "b"], "method": "m/1"}
    )
    pd.testing.assert_frame_equal(again, out)


def test_extractor_rows_are_its_dicts_as_tuples():
    extractor = get_mention_extractor("gazetteer")
    text = "President Vladimir Putin met Mr Kim in Pyongyang. Russia and North Korea signed."
    sentences = split_sentences(text)
    dicts = extractor(text, sentences)
    assert len(dicts) >= 5
    assert [tuple(d[name] for name in MENTION_ROW) for d in dicts] == extractor.rows(
        text, sentences
    )


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


def _count_countries_by_hand(mentions: pd.DataFrame) -> pd.DataFrame:
    """The countries aggregate written as the plainest loop, to check the vectorised one."""
    stats: dict[tuple[str, str], list] = {}
    for row in mentions.itertuples():
        if pd.isna(row.country_code):
            continue
        entry = stats.setdefault((row.article_id, row.country_code), [0, row.start_char, set()])
        entry[0] += 1
        entry[1] = min(entry[1], row.start_char)
        if not pd.isna(row.via):
            entry[2].add(row.via)
    keys = sorted(stats)
    if not keys:
        return empty_table("countries")
    return conform(
        pd.DataFrame(
            {
                "article_id": [k[0] for k in keys],
                "country_code": [k[1] for k in keys],
                "n_mentions": [stats[k][0] for k in keys],
                "first_start_char": [stats[k][1] for k in keys],
                "vias": [",".join(sorted(stats[k][2])) for k in keys],
            }
        ),
        "countries",
    )


_MENTION = st.tuples(
    st.sampled_from(["a", "b", "B", "a2", "é"]),
    st.one_of(st.none(), st.sampled_from(["RUS", "PRK", "UKR", "SUN"])),
    st.integers(min_value=0, max_value=500),
    st.one_of(st.none(), st.sampled_from(["name", "demonym", "capital", "place", "org"])),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_MENTION, max_size=40))
def test_count_countries_matches_a_plain_loop(rows):
    mentions = conform(
        pd.DataFrame(
            {
                "article_id": [r[0] for r in rows],
                "sentence": [0] * len(rows),
                "start_char": [r[2] for r in rows],
                "end_char": [r[2] + 3 for r in rows],
                "text": ["abc"] * len(rows),
                "entity": ["x"] * len(rows),
                "kind": ["country"] * len(rows),
                "country_code": [r[1] for r in rows],
                "via": [r[3] for r in rows],
                "method": ["t"] * len(rows),
            }
        ),
        "mentions",
    )
    out = count_countries(mentions)
    validate(out, "countries")
    pd.testing.assert_frame_equal(out, _count_countries_by_hand(mentions))


def test_seed_tables_validate_and_offsets_hold(seed_store):
    arts = seed_store.table("articles").set_index("article_id")
    for name in ("sentences", "mentions", "dates", "countries"):
        validate(seed_store.table(name), name)
    for table in ("mentions", "dates"):
        for row in seed_store.table(table).itertuples():
            assert arts.loc[row.article_id, "text"][row.start_char : row.end_char] == row.text
