"""Serialise tidy tables for download and export: CSV, JSON, JSONL, Parquet.

Dates are written as ISO ``YYYY-MM-DD`` in the text formats, nulls as empty
cells (CSV) or ``null`` (JSON). Used by the CLI and by every dashboard download.

CSV is opened by spreadsheets, which run a cell starting with ``=``, ``+``, ``-``, ``@``,
tab or carriage return as a formula (``=HYPERLINK(...)``, ``+cmd|' /C calc'!A0``): those
text cells get OWASP's prefix, a single quote, in CSV only. JSON, JSONL and Parquet keep
every value exactly.
"""

from __future__ import annotations

import io

import pandas as pd

FORMATS = ("csv", "json", "jsonl", "parquet")

# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix with ``'`` every text cell a spreadsheet would run as a formula.

    Only text cells change (a negative number stays a number); the input is not modified.

    Returns: a new frame, one row per row of ``df``, same columns and dtypes.
    """
    out = df.copy()
    for name in out.columns:
        column = out[name]
        if pd.api.types.is_string_dtype(column.dtype):
            out[name] = column.map(_neutralise_cell, na_action="ignore").astype(column.dtype)
    return out


def _neutralise_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _text_ready(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for name, dtype in out.dtypes.items():
        if isinstance(dtype, pd.ArrowDtype) and "date" in str(dtype):
            out[name] = out[name].astype("string")
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            out[name] = out[name].dt.strftime("%Y-%m-%d").astype("string")
    return out


def format_table(df: pd.DataFrame, fmt: str) -> bytes:
    """Return ``df`` serialised as ``fmt`` (csv, json, jsonl or parquet)."""
    if fmt == "parquet":
        buf = io.BytesIO()
        df.to_parquet(buf, index=False)
        return buf.getvalue()
    ready = _text_ready(df)
    if fmt == "csv":
        return neutralise_formulas(ready).to_csv(index=False).encode("utf-8")
    if fmt == "json":
        return ready.to_json(orient="records", force_ascii=False, indent=1).encode("utf-8")
    if fmt == "jsonl":
        text = ready.to_json(orient="records", lines=True, force_ascii=False)
        return (text if text.endswith("\n") or not text else text + "\n").encode("utf-8")
    raise ValueError(f"unknown format {fmt!r}; valid formats: {', '.join(FORMATS)}")


def widen_article_meta(articles: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    """Return ``articles`` with one more column per ``article_meta`` key (``meta.<key>``).

    Several values of one key (a list field) are joined with ``; ``. For a
    single flat file of articles and their other fields; the tidy tables stay
    the reference.

    Returns: a new frame, one row per article.
    """
    if meta.empty:
        return articles.copy()
    joined = (
        meta.groupby(["article_id", "key"], sort=False)["value"]
        .agg(lambda values: "; ".join(values))
        .unstack("key")
    )
    joined.columns = [f"meta.{key}" for key in joined.columns]
    wide = articles.merge(joined, how="left", left_on="article_id", right_index=True)
    return wide.astype({c: "string" for c in joined.columns}).reset_index(drop=True)
