"""Corpus statistics that tell a name from a common noun written with a capital.

A word that names something is written the same way wherever it occurs. A common noun that
the extractor took for a name ("Department" opening a headline, "TV", "PC", "DVD") shows its
nature elsewhere in the same corpus: written in lower case ("the department"), after a
possessive or a quantifier ("your PC", "every TV") or in the plural ("DVDs"). Names are not
("the BBC" is fine, "their BBC" is not). The share of such uses among all the word's occurrences
is learnt from the corpus itself, not from a list; :mod:`core.entities.resolve` flags one-word
names whose share reaches its threshold.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pandas as pd

from core.entities.names import TITLES

# Determiners that make the next word a common noun. Not "the" ("the BBC"), nor "a" / "an",
# which precede names used as modifiers too ("an NBC poll", "a Microsoft spokesman").
DETERMINERS = ("your", "my", "his", "her", "their", "our", "every", "each", "any")
MIN_OCCURRENCES = 3
MAX_ARTICLES = 20_000  # a share needs no more: larger stores are sampled (by article_id hash)


def score_generic_words(
    con: duckdb.DuckDBPyConnection, articles_sql: str, words: Iterable[str]
) -> dict[str, float]:
    """Share of each word's corpus occurrences that are common-noun uses (see module doc).

    ``articles_sql`` is a query with a ``text`` and an ``article_id`` column; ``words`` are
    lower case. Words seen fewer than ``MIN_OCCURRENCES`` times get no share.

    Returns: lower-cased word → share in [0, 1].
    """
    wanted = sorted({w for w in words if w and " " not in w})
    if not wanted:
        return {}
    det = "|".join(DETERMINERS + tuple(d.capitalize() for d in DETERMINERS))
    con.register("_noise_words", pd.DataFrame({"w": wanted}))
    try:
        n_art = con.execute(f"SELECT count(*) FROM ({articles_sql})").fetchone()[0]
        sample = (
            ""
            if n_art <= MAX_ARTICLES
            else (f"WHERE hash(article_id) % {max(1, n_art // MAX_ARTICLES)} = 0")
        )
        rows = con.execute(
            f"""
            WITH toks AS (
              SELECT unnest(regexp_extract_all(text, '(?:\\b(?:{det})\\s+)?\\b[A-Za-z]+\\b')) AS t
              FROM ({articles_sql}) {sample}
            ), parts AS (
              SELECT contains(t, ' ') AS after_det,
                     CASE WHEN contains(t, ' ') THEN split_part(t, ' ', -1) ELSE t END AS word
              FROM toks
            ), keyed AS (
              SELECT word, after_det, lower(word) AS lw FROM parts
              WHERE lower(word) IN (SELECT w FROM _noise_words)
                 OR (lower(word) LIKE '%s'
                     AND left(lower(word), -1) IN (SELECT w FROM _noise_words))
            )
            SELECT CASE WHEN lw IN (SELECT w FROM _noise_words) THEN lw ELSE left(lw, -1) END
                     AS w,
                   count(*) AS n,
                   count(*) FILTER (WHERE lw NOT IN (SELECT w FROM _noise_words)
                                    OR word = lw OR after_det) AS n_generic
            FROM keyed GROUP BY 1
            """
        ).fetchall()
    finally:
        con.unregister("_noise_words")
    return {w: g / n for w, n, g in rows if n >= MIN_OCCURRENCES}


def score_name_tails(
    con: duckdb.DuckDBPyConnection, mentions_sql: str, articles_sql: str, names: Iterable[str]
) -> dict[str, float]:
    """Share of each one-word name's mentions written right after a capitalised word that is
    not a title and ends no sentence ("Defense Department", not "Mr. Trump", "President
    Obama" or "… said Trump. Trump").

    ``mentions_sql`` / ``articles_sql`` give the mentions and articles tables; ``names`` are
    entity names as extracted. Names with fewer than ``MIN_OCCURRENCES`` mentions get none.

    Returns: name → share in [0, 1].
    """
    wanted = sorted({n for n in names if n and " " not in n})
    if not wanted:
        return {}
    con.register("_tail_names", pd.DataFrame({"e": wanted}))
    con.register("_titles", pd.DataFrame({"t": sorted(TITLES)}))
    try:
        rows = con.execute(
            f"""
            WITH m AS (
              SELECT m.entity,
                     regexp_extract(substr(a.text, greatest(m.start_char - 29, 1),
                                           least(m.start_char, 30)),
                                    '([A-Za-z]+\\.?)\\s+$', 1) AS prev
              FROM ({mentions_sql}) m JOIN ({articles_sql}) a USING (article_id)
              WHERE m.entity IN (SELECT e FROM _tail_names)
            )
            SELECT entity, count(*) AS n,
                   count(*) FILTER (WHERE regexp_matches(prev, '^[A-Z][a-z]+$')
                                    AND lower(prev) NOT IN (SELECT t FROM _titles)) AS n_tail
            FROM m GROUP BY entity
            """
        ).fetchall()
    finally:
        con.unregister("_tail_names")
        con.unregister("_titles")
    return {e: t / n for e, n, t in rows if n >= MIN_OCCURRENCES}
