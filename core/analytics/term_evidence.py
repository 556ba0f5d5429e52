"""The sentences behind a word count of the Sources page (``score_distinctive(unit="term")``).

A word there is a lowercase letter run of the article text (see :mod:`core.analytics.sources`);
its evidence is every sentence of the filtered articles (of one source) holding that word as a
whole word, in any case, the word marked.
"""

from __future__ import annotations

import re

import pandas as pd

from core.analytics.query.engine import EVIDENCE_CONTEXT, typed
from core.analytics.query.filters import Filter
from core.store import Store

_TERM_EVIDENCE = {**EVIDENCE_CONTEXT, "term": "string"}


def find_term_evidence(
    store: Store,
    flt: Filter | None = None,
    *,
    term: str,
    source: str | None = None,
    limit: int | None = 50,
    offset: int = 0,
) -> pd.DataFrame:
    """List the sentences holding the word ``term`` (whole word, any case), newest first.

    Only the article-level part of ``flt`` applies (as for the word counts); ``source`` keeps
    one outlet; ``offset`` skips that many sentences first (pages of ``limit``).

    Returns: one row per (sentence, first occurrence of the word in it): article_id, source,
    published, title, sentence, sentence_text, start_in_sentence / end_in_sentence (the word's
    offsets in sentence_text), start_char / end_char (in the article text), term.
    """
    word = str(term).strip().lower()
    if not word:
        return typed(pd.DataFrame(columns=list(_TERM_EVIDENCE)), _TERM_EVIDENCE)
    sql, params = _sentences_sql(flt or Filter(), word, source)
    lim = f"LIMIT {max(int(limit), 0)} OFFSET {max(int(offset), 0)}" if limit is not None else ""
    rows = store.query(
        f"SELECT * FROM ({sql}) ORDER BY published DESC NULLS LAST, article_id, sentence {lim}",
        params,
    )
    finder = re.compile(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])", re.IGNORECASE)
    starts, ends = [], []
    for text in rows["sentence_text"].astype(str):
        found = finder.search(text.replace("’", "'"))
        starts.append(found.start() if found else None)
        ends.append(found.end() if found else None)
    rows["start_in_sentence"] = pd.array(starts, dtype="Int64")
    rows["end_in_sentence"] = pd.array(ends, dtype="Int64")
    rows["start_char"] = rows["sentence_start"] + rows["start_in_sentence"]
    rows["end_char"] = rows["sentence_start"] + rows["end_in_sentence"]
    rows["term"] = word
    return typed(rows[list(_TERM_EVIDENCE)], _TERM_EVIDENCE)


def count_term_evidence(
    store: Store, flt: Filter | None = None, *, term: str, source: str | None = None
) -> int:
    """How many rows :func:`find_term_evidence` lists without a limit (same arguments).

    Returns: the number of sentences holding the word (a sentence holding it twice counts
    once, where the word counts of :mod:`core.analytics.sources` count it twice).
    """
    word = str(term).strip().lower()
    if not word:
        return 0
    sql, params = _sentences_sql(flt or Filter(), word, source)
    return int(store.query(f"SELECT count(*) AS n FROM ({sql})", params)["n"].iloc[0])


def _sentences_sql(flt: Filter, word: str, source: str | None) -> tuple[str, list]:
    """SQL (and params) of the sentences of the articles passing ``flt`` holding ``word``."""
    where_sql, params = flt.where_articles("a")
    if source is not None:
        where_sql += " AND a.source = ?"
        params = [*params, source]
    # RE2 (DuckDB) and Python agree on this pattern: letters around the word end the match.
    pattern = rf"(^|[^\p{{L}}]){re.escape(word)}([^\p{{L}}]|$)"
    sql = (
        "SELECT * FROM (SELECT a.article_id, a.source, a.published, a.title, s.sentence,"
        " substr(a.text, s.start_char + 1, s.end_char - s.start_char) AS sentence_text,"
        " s.start_char AS sentence_start"
        f" FROM articles a JOIN sentences s USING (article_id) WHERE {where_sql})"
        " WHERE regexp_matches(lower(replace(sentence_text, '’', '''')), ?)"
    )
    return sql, [*params, pattern]
