"""Mention frequencies over time, with the sentences behind every count.

Counts come from per-(source, day) cubes when they are exact (see ``filters``); otherwise, e.g.
under a free-text filter, from the mention rows themselves. Both paths give the same numbers (a
test checks it), and :func:`find_evidence` lists exactly the mentions a count counts.

Semantics: a mention is counted when its article passes the article-level filter and the
mention passes the mention-level filter. ``n_articles`` is the number of distinct such articles.
``share_articles`` divides it by the articles of the article-level corpus in the same period
(and source, when grouped by source); ``per_1000_words`` divides ``n_mentions`` by the words of
that corpus. With ``freq`` set, articles without a publication date are left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import pandas as pd

from core.analytics.evidence import find_evidence  # noqa: F401  (its home until it moved)
from core.analytics.query.engine import DATE, Engine, engine_for, period_sql, typed, where
from core.analytics.query.filters import Filter
from core.store import Store

BY_COLUMNS = ("entity", "kind", "country_code", "source")
_MENTION_DIMS = ("entity", "kind", "country_code")
_COLUMN = {"entity": "eid", "kind": "kind", "country_code": "country_code", "source": "sid"}
_DTYPES = {"entity": "string", "kind": "string", "country_code": "string", "source": "string"}
_METRICS = {
    "n_mentions": "Int64",
    "n_articles": "Int64",
    "share_articles": "Float64",
    "per_1000_words": "Float64",
}


def _filter_values(flt: Filter) -> dict[str, tuple[str, ...]]:
    return {"entity": flt.entities, "kind": flt.kinds, "country_code": flt.mention_countries}


def mention_source(
    eng: Engine, flt: Filter, dims: Sequence[str], *, by_day: bool = True
) -> tuple[str, str, str, bool]:
    """Pick the relation to count ``dims`` from: a cube when exact, else the mention rows.

    Returns: ``(relation, n_mentions_sql, n_articles_sql, is_cube)``. A cube keyed by the
    grouped dims plus the filtered dims is exact unless a filtered dim that is not grouped
    holds several values (one article could then be counted once per value). Without
    ``by_day`` and without a date filter, the cube summed over days (no ``day`` column) is
    returned: ~15x fewer rows on two years of news.
    """
    values = _filter_values(flt)
    filtered = [d for d in _MENTION_DIMS if values[d]]

    def exact(d: str) -> bool:
        if d in dims or len(values[d]) == 1:
            return True
        return "entity" in dims and d != "entity" and eng.entity_functional

    if not flt.needs_article_rows and all(exact(d) for d in filtered):
        key = [_COLUMN[d] for d in _MENTION_DIMS if d in dims or d in filtered]
        cols = "".join(f", {c}" for c in key)
        name = "cube_m_" + ("_".join(key) or "all")
        eng.ensure(
            name,
            # Two-phase (per article, then per cell) is faster than count(DISTINCT aid).
            f"SELECT sid, day{cols}, sum(n) AS n_mentions, count(*) AS n_articles FROM"
            f" (SELECT sid, day, aid{cols}, count(*) AS n FROM m GROUP BY ALL)"
            " GROUP BY ALL ORDER BY day, sid",
        )
        if not by_day and not (flt.date_from or flt.date_to):
            name = eng.ensure(
                "g" + name,
                f"SELECT sid{cols}, sum(n_mentions) AS n_mentions,"
                f" sum(n_articles) AS n_articles FROM {name} GROUP BY ALL",
            )
        return name, "sum(n_mentions)", "sum(n_articles)", True
    return "m", "count(*)", "count(DISTINCT aid)", False


def corpus_source(eng: Engine, flt: Filter) -> tuple[str, str, str, bool]:
    """The relation counting the article-level corpus: ``(relation, n_articles, n_words, cube)``."""
    if not flt.needs_article_rows:
        eng.ensure(
            "cube_a",
            "SELECT sid, day, count(*) AS n_articles, sum(n_words) AS n_words"
            " FROM a GROUP BY ALL ORDER BY day, sid",
        )
        return "cube_a", "sum(n_articles)", "sum(n_words)", True
    return "a", "count(*)", "sum(n_words)", False


def count_mentions(
    store: Store,
    flt: Filter | None = None,
    *,
    by: Sequence[str] = ("entity",),
    freq: str | None = None,
    top: int | None = None,
) -> pd.DataFrame:
    """Count the mentions passing ``flt``, grouped by ``by`` (and by period when ``freq``).

    ``by`` is a subset of ``entity, kind, country_code, source``; ``freq`` is None, ``day``,
    ``week`` or ``month`` (a ``period`` column holds the period's first day; weeks start on
    Monday). ``top`` keeps the ``top`` groups with the most mentions over the whole range, so
    every period shows the same groups. A group whose value is null (a mention without a
    country) is kept as a null row.

    Returns: one row per group (and period): the ``by`` columns, ``period`` when ``freq``,
    n_mentions, n_articles, share_articles, per_1000_words; sorted by period, then by
    n_mentions descending.
    """
    flt = flt or Filter()
    by = tuple(dict.fromkeys(by))
    unknown = [b for b in by if b not in BY_COLUMNS]
    if unknown:
        raise ValueError(f"unknown by {unknown}; valid: {', '.join(BY_COLUMNS)}")
    if freq is not None:
        period_sql(freq)  # validates freq
    eng = engine_for(store)
    dims = [d for d in _MENTION_DIMS if d in by]
    rel, n_m, n_a, cube = mention_source(eng, flt, dims, by_day=freq is not None)
    a_conds, a_params = eng.article_conds(flt, aid=None if cube else "aid")
    m_conds, m_params = eng.mention_conds(flt)
    if freq:
        a_conds = [*a_conds, "day IS NOT NULL"]
    gcols = [_COLUMN[b] for b in by]
    pcol = [f"{period_sql(freq)} AS period"] if freq else []
    base = f"(SELECT * FROM {rel} {where(a_conds + m_conds)})"
    base_params = a_params + m_params
    ctes: list[str] = []
    params: list = []
    counted = base
    if top is not None and gcols:
        # Pick the top groups over the whole range first, then count only those.
        keys = ", ".join(gcols)
        order = ", ".join(f"{c} NULLS LAST" for c in gcols)
        ranked, ranked_params = base, base_params
        if cube and freq and not (flt.date_from or flt.date_to):
            # Rank on the day cube summed over dated days: ~15x fewer rows, same totals.
            dated = eng.ensure(
                f"gd{rel}",
                f"SELECT * EXCLUDE (day, n_mentions, n_articles), sum(n_mentions) AS n_mentions,"
                f" sum(n_articles) AS n_articles FROM {rel} WHERE day IS NOT NULL GROUP BY ALL",
            )
            ranked = f"(SELECT * FROM {dated} {where(a_conds[:-1] + m_conds)})"
        ctes.append(
            f"top_g AS (SELECT {keys} FROM {ranked} GROUP BY {keys}"
            f" ORDER BY {n_m} DESC, {order} LIMIT {int(top)})"
        )
        params += ranked_params
        on = " AND ".join(f"s.{c} IS NOT DISTINCT FROM top_g.{c}" for c in gcols)
        counted = f"(SELECT s.* FROM {base} s SEMI JOIN top_g ON {on})"
    params += base_params
    group = ", ".join(gcols + (["period"] if freq else []))
    select = ", ".join(gcols + pcol + [f"{n_m} AS n_mentions", f"{n_a} AS n_articles"])
    ctes.append(f"cnt AS (SELECT {select} FROM {counted} {'GROUP BY ' + group if group else ''})")

    c_rel, c_art, c_words, c_cube = corpus_source(eng, flt)
    c_conds, c_params = eng.article_conds(flt, aid=None if c_cube else "aid")
    if freq:
        c_conds = [*c_conds, "day IS NOT NULL"]
    c_keys = (["sid"] if "source" in by else []) + (["period"] if freq else [])
    c_select = ", ".join(
        (["sid"] if "source" in by else [])
        + pcol
        + [f"{c_art} AS corpus_articles", f"{c_words} AS corpus_words"]
    )
    ctes.append(
        f"corpus AS (SELECT {c_select} FROM {c_rel} {where(c_conds)}"
        f" {'GROUP BY ' + ', '.join(c_keys) if c_keys else ''})"
    )
    params += c_params
    join_on = " AND ".join(f"cnt.{k} = corpus.{k}" for k in c_keys) or "TRUE"
    names = []
    for b in by:
        if b == "entity":
            names.append("ent.entity AS entity")
        elif b == "source":
            names.append("src.source AS source")
        else:
            names.append(f"cnt.{b} AS {b}")
    joins = ""
    if "entity" in by:
        joins += " LEFT JOIN ent ON ent.eid = cnt.eid"
    if "source" in by:
        joins += " LEFT JOIN src ON src.sid = cnt.sid"
    order = (
        (["cnt.period"] if freq else [])
        + ["n_mentions DESC"]
        + [f"{n.split(' AS ')[0]} NULLS LAST" for n in names]
    )
    sql = (
        f"WITH {', '.join(ctes)} SELECT "
        + "".join(f"{c}, " for c in names + (["cnt.period"] if freq else []))
        + "cnt.n_mentions, cnt.n_articles,"
        " cnt.n_articles / nullif(corpus.corpus_articles, 0) AS share_articles,"
        " 1000.0 * cnt.n_mentions / nullif(corpus.corpus_words, 0) AS per_1000_words"
        f" FROM cnt LEFT JOIN corpus ON {join_on}{joins}"
        f" WHERE cnt.n_mentions > 0"
        f" ORDER BY {', '.join(order)}"
    )
    if top is not None and not (freq or gcols):
        sql += f" LIMIT {int(top)}"
    df = eng.df(sql, params)
    dtypes = {b: _DTYPES[b] for b in by}
    if freq:
        dtypes["period"] = DATE
    return typed(df, {**dtypes, **_METRICS})


def count_countries(
    store: Store, flt: Filter | None = None, *, top: int | None = None
) -> pd.DataFrame:
    """Count mentions per country for the Overview map.

    Returns: one row per country_code (mentions without a country are left out): country_code,
    country (display name), n_mentions, n_articles, share_articles, per_1000_words; sorted by
    n_mentions descending.
    """
    df = count_mentions(store, flt, by=("country_code",))
    df = df[df["country_code"].notna()]
    if top is not None:
        df = df.head(top)
    df = df.assign(country=[country_name(c) for c in df["country_code"]])
    cols = ["country_code", "country", *_METRICS]
    return typed(
        df, {c: ("string" if c in ("country_code", "country") else _METRICS[c]) for c in cols}
    )


# Names readers use where ISO's differ (pycountry has no common_name for these), and codes
# pycountry does not know (user-assigned, or historical states under their usual name).
_EXTRA_NAMES = {
    "RUS": "Russia",
    "TUR": "Turkey",
    "PSE": "Palestine",
    "COD": "DR Congo",
    "COG": "Congo",
    "FSM": "Micronesia",
    "XKX": "Kosovo",
    "SUN": "Soviet Union",
    "YUG": "Yugoslavia",
    "CSK": "Czechoslovakia",
    "DDR": "East Germany",
}


@cache
def country_name(code: str) -> str:
    """Display name of an alpha-3 code (historical states too); the code itself if unknown."""
    import pycountry

    if code in _EXTRA_NAMES:
        return _EXTRA_NAMES[code]
    record = pycountry.countries.get(alpha_3=code)
    if record is None:
        record = pycountry.historic_countries.get(alpha_3=code)
    if record is None:
        return code
    return getattr(record, "common_name", None) or record.name


def count_articles(
    store: Store, flt: Filter | None = None, *, freq: str | None = "day", by_source: bool = False
) -> pd.DataFrame:
    """Count the articles passing ``flt`` per period (and source).

    Under a mention-level filter only articles holding a matching mention count.

    Returns: one row per period (and source): ``period`` (when ``freq``), ``source`` (when
    ``by_source``), n_articles; sorted by period then source.
    """
    flt = flt or Filter()
    dtypes: dict[str, object] = {}
    if freq:
        dtypes["period"] = DATE
    if by_source:
        dtypes["source"] = "string"
    dtypes["n_articles"] = "Int64"
    if flt.has_mention_filter:
        df = count_mentions(store, flt, by=("source",) if by_source else (), freq=freq)
        if freq or by_source:
            df = df.sort_values([c for c in ("period", "source") if c in dtypes])
        return typed(df, dtypes)
    eng = engine_for(store)
    rel, n_art, _, cube = corpus_source(eng, flt)
    conds, params = eng.article_conds(flt, aid=None if cube else "aid")
    if freq:
        conds.append("day IS NOT NULL")
    keys = ([f"{period_sql(freq)} AS period"] if freq else []) + (["sid"] if by_source else [])
    group = (["period"] if freq else []) + (["sid"] if by_source else [])
    sql = f"SELECT {', '.join(keys + [f'{n_art} AS n_articles'])} FROM {rel} {where(conds)}"
    if group:
        sql += f" GROUP BY {', '.join(group)}"
    if by_source:
        sql = f"SELECT x.*, src.source FROM ({sql}) x JOIN src USING (sid)"
    order = [c for c in ("period", "source") if c in dtypes]
    if order:
        sql = f"SELECT * FROM ({sql}) ORDER BY {', '.join(order)}"
    df = eng.df(sql, params)
    if not group:
        df = df.fillna({"n_articles": 0})
    return typed(df, dtypes)


def summarise_corpus(store: Store, flt: Filter | None = None) -> dict:
    """Headline numbers of the filtered corpus.

    Returns: a dict with n_articles, n_sources, date_from, date_to (dates or None), n_mentions
    and n_countries (distinct country codes among the counted mentions).
    """
    flt = flt or Filter()
    eng = engine_for(store)
    per_source = count_articles(store, flt, freq=None, by_source=True)
    per_source = per_source[per_source["n_articles"] > 0]
    conds, params = eng.article_conds(flt)
    if flt.has_mention_filter:
        m_conds, m_params = eng.mention_conds(flt)
        conds = [*conds, f"aid IN (SELECT aid FROM m {where(m_conds)})"]
        params = params + m_params
    lo, hi = (
        eng.cursor().execute(f"SELECT min(day), max(day) FROM a {where(conds)}", params).fetchone()
    )
    totals = count_mentions(store, flt, by=())
    countries = count_mentions(store, flt, by=("country_code",))
    return {
        "n_articles": int(per_source["n_articles"].sum()),
        "n_sources": len(per_source),
        "date_from": lo,
        "date_to": hi,
        "n_mentions": int(totals["n_mentions"].sum()) if len(totals) else 0,
        "n_countries": int(countries["country_code"].notna().sum()),
    }
