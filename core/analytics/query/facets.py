"""Facets of the articles beyond source and date: language and the kept input metadata.

What the dashboard offers as extra filters: the language mix, and the ``article_meta``
keys that make a useful facet (a handful of values shared by several articles, such as
``section``, ``author`` or BASIL's ``outlet``; not ids or free text).
"""

from __future__ import annotations

import pandas as pd

from core.analytics.query.engine import typed
from core.analytics.query.filters import Filter
from core.schema import INT, STRING
from core.store import Store

_LANGUAGES = {"language": STRING, "n_articles": INT}
_FACETS = {"key": STRING, "value": STRING, "n_articles": INT}


def count_languages(store: Store, flt: Filter | None = None) -> pd.DataFrame:
    """Count the articles per detected language (``unknown`` when too short to tell).

    Returns: one row per language: language, n_articles; most articles first.
    """
    where, params = (flt or Filter()).where_articles("articles")
    df = store.query(
        "SELECT coalesce(language, 'unknown') AS language, count(*) AS n_articles"
        f" FROM articles WHERE {where} GROUP BY 1 ORDER BY n_articles DESC, language",
        params,
    )
    return typed(df, _LANGUAGES)


def count_facets(
    store: Store,
    flt: Filter | None = None,
    *,
    max_keys: int = 6,
    max_values: int = 50,
    min_articles: int = 2,
) -> pd.DataFrame:
    """Count the articles per value of the ``article_meta`` keys worth filtering by.

    A key qualifies when it has between 2 and ``max_values`` distinct values and at
    least one value shared by ``min_articles`` articles; the ``max_keys`` keys found on
    the most articles are kept.

    Returns: one row per (key, value): key, value, n_articles; keys by coverage, values
    by count.
    """
    where, params = (flt or Filter()).where_articles("articles")
    df = store.query(
        "WITH m AS (SELECT am.key, am.value, am.article_id FROM article_meta am"
        f" JOIN articles USING (article_id) WHERE {where}),"
        " k AS (SELECT key, count(DISTINCT value) AS n_values,"
        "  count(DISTINCT article_id) AS coverage FROM m GROUP BY key),"
        " v AS (SELECT key, value, count(DISTINCT article_id) AS n_articles FROM m"
        "  GROUP BY key, value),"
        " good AS (SELECT k.key, k.coverage FROM k JOIN v USING (key)"
        "  WHERE k.n_values BETWEEN 2 AND ? GROUP BY k.key, k.coverage"
        "  HAVING max(v.n_articles) >= ? ORDER BY k.coverage DESC, k.key LIMIT ?)"
        " SELECT v.key, v.value, v.n_articles FROM v JOIN good USING (key)"
        " ORDER BY good.coverage DESC, v.key, v.n_articles DESC, v.value",
        [*params, max_values, min_articles, max_keys],
    )
    return typed(df, _FACETS)
