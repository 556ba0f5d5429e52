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
import pyarrow as pa

from core.schema import arrow_schema, conform, empty_table
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
    mentions_df = rows_to_table("mentions", mention_rows)
    return {
        "sentences": conform(sentences_df, "sentences"),
        "mentions": mentions_df,
        "dates": rows_to_table("dates", date_rows),
        "countries": count_countries(mentions_df),
    }


def rows_to_table(table: str, rows: list[dict]) -> pd.DataFrame:
    """Build ``table`` from extractor rows (dicts keyed by its column names).

    Returns: the table conformed to its schema, one row per dict. The dicts are converted by
    Arrow's C++ sequence converter as one struct array (a missing key is null, an extra one is
    ignored): on the 46.5k BBC mentions 0.045 s, against 0.09 s for ``Table.from_pylist`` (a
    Python loop per column) and 0.15 s for ``DataFrame.from_records``.
    """
    if not rows:
        return empty_table(table)
    schema = arrow_schema(table)
    try:
        struct = pa.array(rows, type=pa.struct(list(schema)))
        arrow = pa.Table.from_batches([pa.RecordBatch.from_struct_array(struct)])
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return conform(pd.DataFrame.from_records(rows), table)
    return conform(arrow.to_pandas(types_mapper=_PANDAS_TYPES.get), table)


_PANDAS_TYPES = {
    pa.string(): pd.StringDtype(),
    pa.large_string(): pd.StringDtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.date32(): pd.ArrowDtype(pa.date32()),
}


def count_countries(mentions: pd.DataFrame) -> pd.DataFrame:
    """Aggregate ``mentions`` to countries.

    Returns: one row per (article, country) with its number of mentions, the
    offset of the first, and the distinct ``via`` values that reached it.
    """
    # One pass over plain lists: a pandas groupby with a string-join aggregate cost as
    # much CPU as extracting the mentions themselves.
    stats: dict[tuple[str, str], list] = {}
    columns = ("article_id", "country_code", "start_char", "via")
    for aid, code, start, via in zip(*(mentions[c].tolist() for c in columns), strict=True):
        if code is None or code is pd.NA or code != code:
            continue
        entry = stats.get((aid, code))
        if entry is None:
            entry = stats[(aid, code)] = [0, start, set()]
        entry[0] += 1
        if start < entry[1]:
            entry[1] = start
        if isinstance(via, str):
            entry[2].add(via)
    if not stats:
        return empty_table("countries")
    keys = sorted(stats)
    out = pd.DataFrame(
        {
            "article_id": [k[0] for k in keys],
            "country_code": [k[1] for k in keys],
            "n_mentions": [stats[k][0] for k in keys],
            "first_start_char": [stats[k][1] for k in keys],
            "vias": [",".join(sorted(stats[k][2])) for k in keys],
        }
    )
    return conform(out, "countries")
