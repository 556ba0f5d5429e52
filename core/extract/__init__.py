"""The extraction stage: articles in, sentences / mentions / dates / countries out.

Extractors are pluggable and sit in name-keyed registries. A mention extractor
is a callable ``(text, sentences) -> list[dict]``; a date extractor is
``(text, sentences, *, anchor) -> list[dict]``. Both are built lazily (a
gazetteer takes a moment to load) and cached per process.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import cache
from typing import Protocol

import pandas as pd

from core.schema import conform, empty_table
from core.text import split_sentences

Sentence = tuple[int, int, int]  # (paragraph, start_char, end_char)


class MentionExtractor(Protocol):
    method: str

    def __call__(self, text: str, sentences: Sequence[Sentence]) -> list[dict]: ...


class DateExtractor(Protocol):
    method: str

    def __call__(
        self, text: str, sentences: Sequence[Sentence], *, anchor: dt.date | None
    ) -> list[dict]: ...


def _gazetteer() -> MentionExtractor:
    from core.extract.mentions import build_extractor

    return build_extractor()


def _spacy() -> MentionExtractor:
    from core.extract.spacy_ner import build_extractor

    return build_extractor()


def _rules() -> DateExtractor:
    from core.extract.dates import build_extractor

    return build_extractor()


MENTION_EXTRACTORS: dict[str, Callable[[], MentionExtractor]] = {
    "gazetteer": _gazetteer,
    "spacy": _spacy,
}
DATE_EXTRACTORS: dict[str, Callable[[], DateExtractor]] = {"rules": _rules}


@cache
def get_mention_extractor(name: str = "gazetteer") -> MentionExtractor:
    """Return the mention extractor registered as ``name``; unknown names list the valid ones."""
    if name not in MENTION_EXTRACTORS:
        valid = ", ".join(MENTION_EXTRACTORS)
        raise KeyError(f"unknown mention extractor {name!r}; valid: {valid}")
    return MENTION_EXTRACTORS[name]()


@cache
def get_date_extractor(name: str = "rules") -> DateExtractor:
    """Return the date extractor registered as ``name``; unknown names list the valid ones."""
    if name not in DATE_EXTRACTORS:
        raise KeyError(f"unknown date extractor {name!r}; valid: {', '.join(DATE_EXTRACTORS)}")
    return DATE_EXTRACTORS[name]()


def extract_tables(
    articles: pd.DataFrame, *, mentions: str = "gazetteer", dates: str = "rules"
) -> dict[str, pd.DataFrame]:
    """Run the extraction stage over ``articles`` (an ``articles`` table).

    Returns: a dict with the ``sentences``, ``mentions``, ``dates`` and
    ``countries`` tables of those articles, each conformed to its schema.
    """
    mention_fn = get_mention_extractor(mentions)
    date_fn = get_date_extractor(dates)
    sent_rows: list[tuple] = []
    mention_rows: list[dict] = []
    date_rows: list[dict] = []
    for article_id, text, published in zip(
        articles["article_id"], articles["text"], articles["published"], strict=True
    ):
        anchor = None if pd.isna(published) else published
        sentences = split_sentences(text)
        for i, (paragraph, start, end) in enumerate(sentences):
            sent_rows.append((article_id, i, paragraph, start, end))
        for row in mention_fn(text, sentences):
            row["article_id"] = article_id
            row["method"] = mention_fn.method
            mention_rows.append(row)
        for row in date_fn(text, sentences, anchor=anchor):
            row["article_id"] = article_id
            row["anchor"] = anchor
            date_rows.append(row)
    sentences_df = pd.DataFrame.from_records(
        sent_rows, columns=["article_id", "sentence", "paragraph", "start_char", "end_char"]
    )
    mentions_df = _records("mentions", mention_rows)
    return {
        "sentences": conform(sentences_df, "sentences"),
        "mentions": mentions_df,
        "dates": _records("dates", date_rows),
        "countries": count_countries(mentions_df),
    }


def _records(table: str, rows: list[dict]) -> pd.DataFrame:
    if not rows:
        return empty_table(table)
    return conform(pd.DataFrame.from_records(rows), table)


def count_countries(mentions: pd.DataFrame) -> pd.DataFrame:
    """Aggregate ``mentions`` to countries.

    Returns: one row per (article, country) with its number of mentions, the
    offset of the first, and the distinct ``via`` values that reached it.
    """
    resolved = mentions[mentions["country_code"].notna()]
    if resolved.empty:
        return empty_table("countries")
    keys = ["article_id", "country_code"]
    out = (
        resolved.groupby(keys, sort=True, observed=True)
        .agg(n_mentions=("start_char", "size"), first_start_char=("start_char", "min"))
        .reset_index()
    )
    # Distinct vias joined without a Python call per group (the per-group lambda cost as
    # much CPU as extracting the mentions).
    vias = (
        resolved[[*keys, "via"]]
        .dropna()
        .drop_duplicates()
        .sort_values([*keys, "via"])
        .groupby(keys, sort=True, observed=True)["via"]
        .agg(",".join)
        .rename("vias")
        .reset_index()
    )
    out = out.merge(vias, on=keys, how="left")
    out["vias"] = out["vias"].fillna("")
    return conform(out, "countries")
