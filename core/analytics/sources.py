"""Source comparison: share of voice, and the entities or words that distinguish a source.

Distinctive terms are scored source-vs-all-other-sources with a scorer from ``scoring``; the
words are read from the sentences by the rule of :mod:`core.analytics.words` (the one its
evidence, :mod:`core.analytics.term_evidence`, uses too: possessive ``'s`` folded in, hyphens
split), minus words of one letter and a short English stopword list (kept here: sklearn is not
a dependency and NLTK's list needs a download).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.analytics.frequencies import mention_source
from core.analytics.query.engine import engine_for, typed, where
from core.analytics.query.filters import Filter
from core.analytics.scoring import get_array_scorer
from core.analytics.words import raw_words_sql, word_sql
from core.store import Store

SHARE_BY = ("entity", "kind", "country_code")
UNITS = ("entity", "term")
_COL = {"entity": "eid", "kind": "kind", "country_code": "country_code"}

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because
    been before being below between both but by can could did didn't do does doesn't doing
    don't down during each few for from further had has hasn't have haven't having he he'd
    he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if
    in into is isn't it it's its itself just let's me more most mr mrs ms much must my myself
    no nor not now of off on once only or other ought our ours ourselves out over own said
    same says she she'd she'll she's should so some such than that that's the their theirs
    them themselves then there there's these they they'd they'll they're they've this those
    though through to too under until up upon us very was wasn't we we'd we'll we're we've
    were weren't what what's when when's where where's which while who who's whom why why's
    will with won't would wouldn't yet you you'd you'll you're you've your yours yourself
    yourselves one two also would could may might new""".split()
)


def count_share_of_voice(
    store: Store, flt: Filter | None = None, *, by: str = "entity", top: int | None = 20
) -> pd.DataFrame:
    """How the mentions of each entity (kind, country) split across sources.

    ``top`` keeps the values with the most mentions overall.

    Returns: one row per (source, value) with at least one mention: source, the ``by``
    column, n_mentions, share (of that source's counted mentions), share_of_voice (of all
    counted mentions of that value); sorted by the value's total, then source.
    """
    if by not in SHARE_BY:
        raise ValueError(f"unknown by {by!r}; valid: {', '.join(SHARE_BY)}")
    flt = flt or Filter()
    eng = engine_for(store)
    rel, n_m, _, cube = mention_source(eng, flt, [by], by_day=False)
    conds, params = eng.article_conds(flt, aid=None if cube else "aid")
    m_conds, m_params = eng.mention_conds(flt)
    col = _COL[by]
    limit = f"LIMIT {int(top)}" if top is not None else ""
    name = "ent.entity" if by == "entity" else f"c.{col}"
    # Top values first, so only their per-source counts are grouped.
    # ``base`` is inlined three times: a CTE read thrice would be materialised (a copy).
    base = f"(SELECT * FROM {rel} {where(conds + m_conds)})"
    sql = (
        f"WITH tot AS (SELECT {col}, {n_m} AS total FROM {base} GROUP BY {col}"
        f" ORDER BY total DESC, {col} NULLS LAST {limit}),"
        f" c AS (SELECT sid, {col}, {n_m} AS n FROM {base} b"
        f" SEMI JOIN tot ON b.{col} IS NOT DISTINCT FROM tot.{col} GROUP BY sid, {col}),"
        f" per_source AS (SELECT sid, {n_m} AS n_source FROM {base} GROUP BY sid)"
        f" SELECT src.source, {name} AS {by}, c.n AS n_mentions,"
        " c.n / per_source.n_source AS share, c.n / tot.total AS share_of_voice"
        f" FROM c JOIN tot ON c.{col} IS NOT DISTINCT FROM tot.{col}"
        " JOIN per_source USING (sid) JOIN src USING (sid)"
        + (" LEFT JOIN ent ON ent.eid = c.eid" if by == "entity" else "")
        + f" ORDER BY tot.total DESC, {name} NULLS LAST, src.source"
    )
    df = eng.df(sql, (params + m_params) * 3)
    return typed(
        df,
        {
            "source": "string",
            by: "string",
            "n_mentions": "Int64",
            "share": "Float64",
            "share_of_voice": "Float64",
        },
    )


def count_terms(store: Store, flt: Filter | None = None) -> pd.DataFrame:
    """Count words (stopwords and one-letter words left out) per source in the articles
    passing ``flt``.

    A word and its occurrences are as :mod:`core.analytics.words` says (``Blair's`` is
    ``blair``, ``Labour-led`` is ``labour`` and ``led``), read sentence by sentence, so each
    count equals the occurrences :func:`core.analytics.term_evidence.find_term_evidence` lists.
    Only the article-level part of ``flt`` applies (words are not mentions). Tokenising every
    text is slow on large stores, so each filter's counts are kept per store version.

    Returns: one row per (source, term): source, term, count.
    """
    flt = flt or Filter()
    eng = engine_for(store)
    by_article = flt.countries if flt.countries_by_article else ()
    key = (
        "terms",
        flt.date_from,
        flt.date_to,
        flt.sources,
        flt.q,
        by_article,
        flt.languages,
        flt.meta,
    )
    cached = eng.memo.get(key)
    if cached is not None:
        return cached.copy()
    conds, params = eng.article_conds(flt)
    sentence = "substr(t.text, s.s_start + 1, s.s_end - s.s_start)"
    tokens = (
        f"SELECT sid, unnest({raw_words_sql(sentence)}) AS token FROM a JOIN sent s USING (aid)"
        f" JOIN {eng.text_table()} t USING (aid) {where(conds)}"
    )
    # Tokens grouped first, then read as words: "blair" and "blair's" add up.
    by_token = f"SELECT sid, token, count(*) AS n FROM ({tokens}) GROUP BY ALL"
    counted = (
        f"SELECT sid, {word_sql('token')} AS w, sum(n)::BIGINT AS count FROM ({by_token})"
        " GROUP BY ALL"
    )
    # The whole store's counts are kept with the engine's tables, once per store version (the
    # file is named by this SQL: a store counted by an older rule is counted again).
    rel = f"({counted})" if conds else eng.ensure("terms_all", counted, rules=False)
    df = eng.df(f"SELECT src.source, w AS term, count FROM {rel} JOIN src USING (sid)", params)
    df = df[~df["term"].isin(STOPWORDS) & (df["term"].str.len() > 1)]
    df = typed(
        df.sort_values(["source", "count", "term"], ascending=[True, False, True]),
        {"source": "string", "term": "string", "count": "Int64"},
    )
    eng.memo[key] = df
    return df.copy()


def score_distinctive(
    store: Store,
    flt: Filter | None = None,
    *,
    unit: str = "entity",
    scorer: str = "log_odds_dirichlet",
    top: int | None = 20,
) -> pd.DataFrame:
    """Score each source's entities (or words) against all other sources together.

    The prior of the Dirichlet scorer is the pooled counts of all sources. ``unit="term"``
    counts words of the article text (the article-level filter applies); ``unit="entity"``
    counts mentions (the whole filter applies).

    Returns: one row per (source, term): source, term, count (in that source), count_other
    (in all other sources), score, z; the ``top`` highest z per source, sources in name order.
    """
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; valid: {', '.join(UNITS)}")
    arrays = get_array_scorer(scorer)
    flt = flt or Filter()
    if unit == "term":
        counts = count_terms(store, flt)
        term_codes, term_names = pd.factorize(counts["term"], sort=True)
    else:
        eng = engine_for(store)
        rel, n_m, _, cube = mention_source(eng, flt, ["entity"], by_day=False)
        conds, params = eng.article_conds(flt, aid=None if cube else "aid")
        m_conds, m_params = eng.mention_conds(flt)
        # Integer keys out of DuckDB, names attached once: 8 sources x 50k entities is cheap.
        counts = eng.df(
            f"SELECT sid, eid, {n_m} AS count FROM {rel} {where(conds + m_conds)} GROUP BY ALL",
            params + m_params,
        )
        term_codes, eids = pd.factorize(counts["eid"], sort=True)
        names = eng.memo.get("entity_names")
        if names is None:
            names = eng.df("SELECT eid, entity FROM ent").set_index("eid")["entity"]
            eng.memo["entity_names"] = names
        term_names = pd.Index(names.reindex(eids).to_numpy())
        by_sid = {sid: source for source, sid in eng.sources.items()}
        counts["source"] = counts["sid"].map(by_sid)
    source_codes, sources = pd.factorize(counts["source"], sort=True)
    # A terms x sources matrix; each source is scored against the sum of the others.
    matrix = np.zeros((len(term_names), len(sources)))
    np.add.at(matrix, (term_codes, source_codes), counts["count"].to_numpy("float64"))
    total = matrix.sum(axis=1)
    frames = []
    for j, source in enumerate(sources):
        own = matrix[:, j]
        other = total - own
        score, z = arrays(own, other, total, None)
        idx = np.flatnonzero(own > 0)  # terms a source never uses are not its own
        if top is not None and len(idx) > top:
            # Keep every term tied with the top-th z, then sort exactly below.
            zs = np.nan_to_num(z[idx], nan=-np.inf)
            cut = np.partition(zs, len(zs) - top)[len(zs) - top]
            idx = idx[zs >= cut]
        part = pd.DataFrame(
            {
                "source": source,
                "term": np.asarray(term_names)[idx],
                "count": own[idx],
                "count_other": other[idx],
                "score": score[idx],
                "z": z[idx],
            }
        ).sort_values(["z", "term"], ascending=[False, True], na_position="last")
        frames.append(part.head(top) if top is not None else part)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return typed(
        out,
        {
            "source": "string",
            "term": "string",
            "count": "Int64",
            "count_other": "Int64",
            "score": "Float64",
            "z": "Float64",
        },
    )
