"""The extraction stage: articles in, sentences / mentions / dates / countries out.

Extractors are pluggable and sit in name-keyed registries. A mention extractor
is a callable ``(text, sentences) -> list[dict]`` whose ``rows`` method gives the same
mentions as tuples (what the stage uses: lighter to hold and to convert); a date extractor is
``(text, sentences, *, anchor) -> list[dict]``. Both are built lazily (a
gazetteer takes a moment to load) and cached per process.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import cache
from typing import Protocol

import numpy as np
import pandas as pd
import pyarrow as pa

from core.schema import MENTION_ROW, arrow_schema, conform, empty_table
from core.text import replace_surrogates, split_sentences

Sentence = tuple[int, int, int]  # (paragraph, start_char, end_char)


class MentionExtractor(Protocol):
    method: str

    def __call__(self, text: str, sentences: Sequence[Sentence]) -> list[dict]: ...

    def rows(self, text: str, sentences: Sequence[Sentence]) -> list[tuple]:
        """The same mentions as tuples, fields in ``core.schema.MENTION_ROW`` order."""
        ...


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
    from core.extract.timex.dates import build_extractor

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
    articles: pd.DataFrame,
    *,
    mentions: str = "gazetteer",
    dates: str = "rules",
    failed: list[tuple[str, str, str]] | None = None,
) -> dict[str, pd.DataFrame]:
    """Run the extraction stage over ``articles`` (an ``articles`` table).

    Extractors are meant to be total (any text in, a table out). Should one still raise on
    an article, that article alone is left out and, when ``failed`` is given, noted there as
    ``(article_id, origin, reason)`` so the caller can drop it and report it; without
    ``failed`` the error propagates (callers that cannot drop an article must not hide it).

    Returns: a dict with the ``sentences``, ``mentions``, ``dates`` and
    ``countries`` tables of those articles, each conformed to its schema.
    """
    mention_fn = get_mention_extractor(mentions)
    date_fn = get_date_extractor(dates)
    sent_rows: list[tuple] = []
    mention_rows: list[tuple] = []
    mention_articles: list[str] = []  # the article of each mention row
    date_rows: list[dict] = []
    origins = articles["origin"] if "origin" in articles else [None] * len(articles)
    for article_id, text, published, origin in zip(
        articles["article_id"], articles["text"], articles["published"], origins, strict=True
    ):
        anchor = None if pd.isna(published) else published
        text = replace_surrogates(text)  # same offsets; Arrow cannot hold a lone surrogate
        try:
            sentences = split_sentences(text)
            found = mention_fn.rows(text, sentences)
            found_dates = date_fn(text, sentences, anchor=anchor)
        except Exception as exc:  # noqa: BLE001 - one article's failure must not cost the batch
            if failed is None:
                raise
            reason = f"extraction failed ({type(exc).__name__}: {exc})"
            failed.append((article_id, origin if isinstance(origin, str) else article_id, reason))
            continue
        for i, (paragraph, start, end) in enumerate(sentences):
            sent_rows.append((article_id, i, paragraph, start, end))
        mention_rows.extend(found)
        mention_articles.extend([article_id] * len(found))
        for row in found_dates:
            row["article_id"] = article_id
            row["anchor"] = anchor
            date_rows.append(row)
    sentences_df = pd.DataFrame.from_records(
        sent_rows, columns=["article_id", "sentence", "paragraph", "start_char", "end_char"]
    )
    mentions_df = rows_to_table(
        "mentions",
        mention_rows,
        fields=MENTION_ROW,
        columns={"article_id": mention_articles, "method": mention_fn.method},
    )
    return {
        "sentences": conform(sentences_df, "sentences"),
        "mentions": mentions_df,
        "dates": rows_to_table("dates", date_rows),
        "countries": count_countries(mentions_df),
    }


def rows_to_table(
    table: str,
    rows: list[dict] | list[tuple],
    *,
    fields: Sequence[str] | None = None,
    columns: dict[str, object] | None = None,
) -> pd.DataFrame:
    """Build ``table`` from extractor rows: dicts keyed by its column names, or tuples.

    ``fields`` names the columns of tuple rows, in order; without it rows are dicts. ``columns``
    gives whole columns the rows do not carry: a list with one value per row (the article of
    each) or one value for every row (the extractor's method).

    Returns: the table conformed to its schema, one row per input row. The rows are converted
    by Arrow's C++ sequence converter as one struct array (a dict's missing key is null, an
    extra one ignored): on the 46.5k BBC mentions 0.045 s for dicts, against 0.09 s for
    ``Table.from_pylist`` (a Python loop per column) and 0.15 s for ``DataFrame.from_records``;
    tuples, read by position, take 0.017 s.
    """
    if not rows:
        return empty_table(table)
    columns = columns or {}
    for name, values in columns.items():
        if isinstance(values, list) and len(values) != len(rows):
            raise ValueError(f"{table}.{name}: {len(values)} values for {len(rows)} rows")
    schema = arrow_schema(table)
    names = (
        list(fields) if fields is not None else [f.name for f in schema if f.name not in columns]
    )
    try:
        struct = pa.array(rows, type=pa.struct([schema.field(name) for name in names]))
        batch = pa.RecordBatch.from_struct_array(struct)
        arrays = {name: batch.column(name) for name in names}
        for name, values in columns.items():
            kind = schema.field(name).type
            arrays[name] = (
                pa.array(values, type=kind)
                if isinstance(values, list)
                else pa.repeat(pa.scalar(values, type=kind), len(rows))
            )
        n = len(rows)  # a column neither the rows nor ``columns`` carry is null
        arrow = pa.table(
            {f.name: arrays[f.name] if f.name in arrays else pa.nulls(n, f.type) for f in schema}
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        frame = pd.DataFrame.from_records(rows, columns=names if fields is not None else None)
        for name, values in columns.items():
            frame[name] = values
        return conform(frame, table)
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
    # Vectorised over integer codes (Arrow dictionary encoding, no Python string per row): a
    # Python loop over the rows cost ~50 ms on the 46.5k BBC mentions, this ~10 ms.
    has = mentions["country_code"].notna().to_numpy(dtype=bool)
    if not has.any():
        return empty_table("countries")
    keep = pa.array(has)
    articles, article_names = _codes(mentions["article_id"], keep)
    countries, country_names = _codes(mentions["country_code"], keep)
    vias, via_names = _codes(mentions["via"], keep)  # null -> -1
    starts = mentions["start_char"].to_numpy(dtype=np.int64)[has]
    # Rows ordered by (article_id, country_code) as strings: rank each distinct name.
    article_rank = _ranks(article_names)
    country_rank = _ranks(country_names)
    order = np.lexsort((country_rank[countries], article_rank[articles]))
    key = articles[order].astype(np.int64) * len(country_names) + countries[order]
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    # Distinct (group, via) pairs, then one sorted join per group.
    group = np.cumsum(np.r_[True, key[1:] != key[:-1]]) - 1
    pairs = np.unique(group * (len(via_names) + 1) + vias[order] + 1)
    pair_group, pair_via = np.divmod(pairs, len(via_names) + 1)
    names = np.r_[np.array([None], dtype=object), via_names][pair_via]
    found: list[list[str]] = [[] for _ in range(len(first))]
    for g, name in zip(pair_group.tolist(), names.tolist(), strict=True):
        if name is not None:
            found[g].append(name)
    out = pd.DataFrame(
        {
            "article_id": article_names[articles[order][first]],
            "country_code": country_names[countries[order][first]],
            "n_mentions": np.diff(np.r_[first, len(key)]),
            "first_start_char": np.minimum.reduceat(starts[order], first),
            "vias": [",".join(sorted(v)) for v in found],
        }
    )
    return conform(out, "countries")


def _codes(series: pd.Series, keep: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Dictionary-encode the ``keep`` rows of a string column.

    Returns: each kept row's code (-1 for null) and the distinct strings the codes index.
    """
    column = pa.chunked_array([pa.array(series, from_pandas=True)]).combine_chunks()
    encoded = column.filter(keep).dictionary_encode()
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    return codes, np.array(encoded.dictionary.to_pylist(), dtype=object)


def _ranks(names: np.ndarray) -> np.ndarray:
    """Position of each of ``names`` (distinct strings) in sorted order."""
    ranks = np.empty(len(names), dtype=np.int64)
    ranks[sorted(range(len(names)), key=names.__getitem__)] = np.arange(len(names))
    return ranks
