"""The occurrences behind a word count of the Sources page (``score_distinctive(unit="term")``).

A word and its occurrences are as :mod:`core.analytics.words` says, the rule
:func:`core.analytics.sources.count_terms` counts by: ``Blair's`` and ``Blair’s`` are
occurrences of ``blair``, ``Labour-led`` one of ``labour`` (and one of ``led``). The evidence
of a word is one row per occurrence in the sentences of the filtered articles (of one source),
the occurrence marked, so a word's count in the chart equals :func:`count_term_evidence` and
the rows :func:`find_term_evidence` lists; a sentence holding the word twice is listed twice,
each row marking one of them (as a mention's evidence lists each mention).
"""

from __future__ import annotations

import pandas as pd

from core.analytics.query.engine import EVIDENCE_CONTEXT, Engine, engine_for, typed, where
from core.analytics.query.filters import Filter
from core.analytics.words import find_word_spans, fold_sql, raw_words_sql, read_word, word_sql
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
    """List the occurrences of the word ``term`` (read by the rule of
    :mod:`core.analytics.words`), newest article first.

    Only the article-level part of ``flt`` applies (as for the word counts); ``source`` keeps
    one outlet; ``offset`` skips that many occurrences first (pages of ``limit``). A ``term``
    that is not one word (``"labour-led"``) has no occurrence.

    Returns: one row per occurrence of the word: article_id, source, published, title,
    sentence, sentence_text, start_in_sentence / end_in_sentence (the occurrence's offsets in
    sentence_text, a possessive ``'s`` left out), start_char / end_char (in the article text),
    term (the word).
    """
    word = read_word(term)
    if word is None:
        return typed(pd.DataFrame(columns=list(_TERM_EVIDENCE)), _TERM_EVIDENCE)
    eng = engine_for(store)
    sql, params = _occurrences_sql(eng, flt or Filter(), word, source)
    lim = f"LIMIT {max(int(limit), 0)} OFFSET {max(int(offset), 0)}" if limit is not None else ""
    rows = eng.df(
        "SELECT o.article_id, o.source, o.day AS published, o.title, o.sentence,"
        f" o.sentence_text, {fold_sql('o.sentence_text')} AS folded, o.s_start, o.nth"
        f" FROM ({sql}) o ORDER BY o.day DESC NULLS LAST, o.aid, o.sentence, o.nth {lim}",
        params,
    )
    starts, ends = [], []
    for folded, nth in zip(rows["folded"].astype(str), rows["nth"], strict=True):
        # The nth occurrence of the word among the sentence's words, as DuckDB counted them.
        spans = [(s, e) for w, s, e in find_word_spans(folded) if w == word]
        start, end = spans[int(nth)] if int(nth) < len(spans) else (None, None)
        starts.append(start)
        ends.append(end)
    rows["start_in_sentence"] = pd.array(starts, dtype="Int64")
    rows["end_in_sentence"] = pd.array(ends, dtype="Int64")
    rows["start_char"] = rows["s_start"] + rows["start_in_sentence"]
    rows["end_char"] = rows["s_start"] + rows["end_in_sentence"]
    rows["term"] = word
    return typed(rows[list(_TERM_EVIDENCE)], _TERM_EVIDENCE)


def count_term_evidence(
    store: Store, flt: Filter | None = None, *, term: str, source: str | None = None
) -> int:
    """How many rows :func:`find_term_evidence` lists without a limit (same arguments).

    Returns: the number of occurrences of the word (a sentence holding it twice counts
    twice), which is its count in :func:`core.analytics.sources.count_terms`.
    """
    word = read_word(term)
    if word is None:
        return 0
    eng = engine_for(store)
    sql, params = _occurrences_sql(eng, flt or Filter(), word, source)
    row = eng.cursor().execute(f"SELECT count(*) FROM ({sql})", params).fetchone()
    return int(row[0]) if row else 0


def _occurrences_sql(eng: Engine, flt: Filter, word: str, source: str | None) -> tuple[str, list]:
    """SQL (and params) of one row per occurrence of ``word`` in the articles passing ``flt``.

    Columns: aid, article_id, source, day, title, sentence, sentence_text, s_start, nth (the
    occurrence's rank among the sentence's occurrences of the word, from 0).
    """
    conds, params = eng.article_conds(flt, aid="a.aid", day="a.day", sid="a.sid")
    if source is not None:
        conds.append("a.sid IN (SELECT sid FROM src WHERE source = ?)")
        params.append(source)
    if "'" not in word:
        # The search's word index finds every article whose lower-cased text holds the word,
        # a superset of those holding it as a word, mostly without reading a text.
        conds.append(f"a.aid IN (SELECT aid FROM {eng.search_table(word)})")
    sentence = "substr(t.text, s.s_start + 1, s.s_end - s.s_start)"
    # Only the sentences holding the word as a substring are split into tokens.
    candidates = (
        "SELECT a.aid, a.article_id, a.source, a.day, a.title, s.sentence,"
        f" {sentence} AS sentence_text, s.s_start"
        f" FROM a JOIN sent s ON s.aid = a.aid JOIN {eng.text_table()} t ON t.aid = a.aid"
        f" {where([*conds, f'contains({fold_sql(sentence)}, ?)'])}"
    )
    tokens = (
        f"SELECT *, unnest({raw_words_sql('sentence_text')}) AS token,"
        f" generate_subscripts({raw_words_sql('sentence_text')}, 1) AS k FROM ({candidates})"
    )
    sql = (
        "SELECT * EXCLUDE (token, k),"
        " row_number() OVER (PARTITION BY aid, sentence ORDER BY k) - 1 AS nth"
        f" FROM ({tokens}) WHERE {word_sql('token')} = ?"
    )
    return sql, [*params, word, word]
