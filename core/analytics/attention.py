"""Attention over time: complete, zero-filled series on a calendar, as counts and normalised.

Every series covers every period (day, week or month) from the first to the last dated article
of the article-level corpus (widened to the filter's own ``from`` / ``to``), so a period where
nothing was said is a 0, not a gap a line would jump across. Normalisation is per period, by
that period's own volume (as Media Cloud does): ``share_articles`` is the matching articles
over the period's articles; ``per_1000_words`` the mentions per 1,000 words published in the
period. A period with no articles at all has 0 for both (nothing was said; nothing to divide).

Articles without a publication date have no period and are left out; :func:`count_undated`
says how many that is, so a page can explain an empty chart.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

import pandas as pd

from core.analytics.frequencies import corpus_source, count_articles, count_mentions
from core.analytics.query.engine import DATE, engine_for, period_end, period_sql, typed, where
from core.analytics.query.filters import Filter
from core.store import Store

MAX_PERIODS = 20_000
MAX_QUERIES = 5
METRICS = ("n_mentions", "n_articles", "share_articles", "per_1000_words")
_CORPUS = {"corpus_articles": "Int64", "corpus_words": "Int64"}
_ENTITY_SERIES = {
    "entity": "string",
    "period": DATE,
    "n_mentions": "Int64",
    "n_articles": "Int64",
    "share_articles": "Float64",
    "per_1000_words": "Float64",
    **_CORPUS,
}
_ARTICLE_SERIES = {"source": "string", "period": DATE, "n_articles": "Int64"}
_QUERY_SERIES = {
    "query": "string",
    "period": DATE,
    "n_articles": "Int64",
    "share_articles": "Float64",
    **_CORPUS,
}


def period_start(day: dt.date, freq: str) -> dt.date:
    """The first day of the ``freq`` period holding ``day`` (weeks start on Monday)."""
    period_sql(freq)  # validates freq
    if freq == "week":
        return day - dt.timedelta(days=day.weekday())
    if freq == "month":
        return day.replace(day=1)
    if freq == "year":
        return day.replace(month=1, day=1)
    return day


def list_periods(
    start: dt.date, end: dt.date, freq: str, *, max_periods: int = MAX_PERIODS
) -> list[dt.date]:
    """Every period start from the period of ``start`` to that of ``end``, inclusive.

    Raises ValueError when there would be more than ``max_periods`` (ask for a coarser one).

    Returns: period first days in order (empty when ``end`` is before ``start``).
    """
    out: list[dt.date] = []
    day, last = period_start(start, freq), period_start(end, freq)
    while day <= last:
        out.append(day)
        if len(out) > max_periods:
            raise ValueError(
                f"{start} to {end} is more than {max_periods:,} {freq}s; choose a coarser period"
            )
        day = period_end(day, freq)
    return out


def _article_level(flt: Filter) -> Filter:
    countries = flt.countries if flt.countries_by_article else ()
    return dataclasses.replace(flt, kinds=(), countries=countries, entities=())


def count_corpus_periods(store: Store, flt: Filter | None = None, *, freq: str) -> pd.DataFrame:
    """The article-level corpus of ``flt`` (mention fields ignored) per period, zero-filled.

    Returns: one row per period of the corpus span (see module doc): period, corpus_articles,
    corpus_words.
    """
    flt = _article_level(flt or Filter())
    period_sql(freq)
    eng = engine_for(store)
    rel, n_art, n_words, cube = corpus_source(eng, flt)
    conds, params = eng.article_conds(flt, aid=None if cube else "aid")
    conds.append("day IS NOT NULL")
    df = eng.df(
        f"SELECT {period_sql(freq)} AS period, {n_art} AS corpus_articles,"
        f" {n_words} AS corpus_words FROM {rel} {where(conds)} GROUP BY ALL ORDER BY period",
        params,
    )
    days = _days(df["period"])
    bounds = [d for d in (flt.date_from, flt.date_to) if d is not None]
    if not days and len(bounds) < 2:
        return typed(df.iloc[0:0], {"period": DATE, **_CORPUS})
    lo = min(days + ([flt.date_from] if flt.date_from else []))
    hi = max(days + ([flt.date_to] if flt.date_to else []))
    grid = pd.DataFrame({"period": list_periods(lo, hi, freq)})
    df = df.assign(period=days)
    out = grid.merge(df, on="period", how="left").fillna({"corpus_articles": 0, "corpus_words": 0})
    return typed(out, {"period": DATE, **_CORPUS})


def _fill(
    counts: pd.DataFrame, key: str, values: Sequence[str], corpus: pd.DataFrame, cols: Sequence
) -> pd.DataFrame:
    """``counts`` (key, period, cols…) on the full grid ``values`` × corpus periods, 0-filled."""
    corpus = corpus.assign(period=_days(corpus["period"]))
    grid = pd.MultiIndex.from_product(
        [list(values), list(corpus["period"])], names=[key, "period"]
    ).to_frame(index=False)
    grid = grid.merge(corpus, on="period", how="left")
    counts = counts.assign(period=_days(counts["period"]))
    counts = counts[[key, "period", *cols]].astype({key: object})
    out = grid.astype({key: object}).merge(counts, on=[key, "period"], how="left")
    return out.fillna({c: 0 for c in cols})


def _days(series: pd.Series) -> list:
    """Period starts as plain ``datetime.date`` objects (merge keys of one type)."""
    return [None if pd.isna(p) else pd.Timestamp(p).date() for p in series]


def _ratio(num: pd.Series, den: pd.Series, scale: float = 1.0) -> pd.Series:
    num, den = num.astype("float64"), den.astype("float64")
    return (scale * num / den.where(den > 0)).fillna(0.0)


def count_entity_series(
    store: Store, flt: Filter | None = None, *, entities: Sequence[str], freq: str = "month"
) -> pd.DataFrame:
    """Attention to each of ``entities`` per period, zero-filled over the corpus span.

    The mention-level fields of ``flt`` (kinds, countries) still apply; its ``entities`` are
    replaced by ``entities``. Every entity asked for has a row per period, even when it has no
    dated mention (all zeros).

    Returns: one row per (entity, period), entities in the order given: entity, period,
    n_mentions, n_articles, share_articles, per_1000_words, corpus_articles, corpus_words.
    """
    flt = flt or Filter()
    entities = list(dict.fromkeys(str(e) for e in entities))
    corpus = count_corpus_periods(store, flt, freq=freq)
    if not entities or corpus.empty:
        return typed(pd.DataFrame(), _ENTITY_SERIES)
    counts = count_mentions(
        store, dataclasses.replace(flt, entities=tuple(entities)), by=("entity",), freq=freq
    )
    out = _fill(counts, "entity", entities, corpus, ("n_mentions", "n_articles"))
    out["share_articles"] = _ratio(out["n_articles"], out["corpus_articles"])
    out["per_1000_words"] = _ratio(out["n_mentions"], out["corpus_words"], 1000.0)
    return typed(out, _ENTITY_SERIES)


def count_article_series(
    store: Store, flt: Filter | None = None, *, freq: str = "month"
) -> pd.DataFrame:
    """Articles passing ``flt`` per source and period, zero-filled over the corpus span.

    Returns: one row per (source, period) for every source with a dated article in the filter:
    source, period, n_articles; sorted by period, then source.
    """
    flt = flt or Filter()
    corpus = count_corpus_periods(store, flt, freq=freq)
    counts = count_articles(store, flt, freq=freq, by_source=True)
    counts = counts[counts["n_articles"] > 0]
    if corpus.empty or counts.empty:
        return typed(pd.DataFrame(), _ARTICLE_SERIES)
    sources = sorted(str(s) for s in counts["source"].unique())
    out = _fill(counts, "source", sources, corpus, ("n_articles",))
    return typed(out.sort_values(["period", "source"]), _ARTICLE_SERIES)


def combine_queries(base: str | None, query: str) -> str:
    """The search text matching ``query`` within ``base`` (the filter's own q), if any."""
    query = query.strip()
    return f"({base}) ({query})" if base else query


def count_query_series(
    store: Store, flt: Filter | None = None, *, queries: Sequence[str], freq: str = "month"
) -> pd.DataFrame:
    """Attention to each search query (words, "phrases", AND / OR / NOT) per period.

    Each query is searched within the filter (its own ``q`` included); at most
    :data:`MAX_QUERIES` distinct non-empty queries are counted (a ValueError says so beyond).

    Returns: one row per (query, period), queries in the order given, zero-filled over the
    corpus span: query, period, n_articles (articles matching), share_articles (of the
    period's articles), corpus_articles, corpus_words.
    """
    flt = flt or Filter()
    queries = list(dict.fromkeys(q.strip() for q in queries if q and q.strip()))
    if len(queries) > MAX_QUERIES:
        raise ValueError(f"{len(queries)} queries; compare at most {MAX_QUERIES}")
    corpus = count_corpus_periods(store, flt, freq=freq)
    if not queries or corpus.empty:
        return typed(pd.DataFrame(), _QUERY_SERIES)
    parts = []
    for query in queries:
        sub = dataclasses.replace(flt, q=combine_queries(flt.q, query))
        counts = count_articles(store, sub, freq=freq)
        parts.append(counts.assign(query=query))
    out = _fill(pd.concat(parts, ignore_index=True), "query", queries, corpus, ("n_articles",))
    out["share_articles"] = _ratio(out["n_articles"], out["corpus_articles"])
    return typed(out, _QUERY_SERIES)


def count_undated(store: Store, flt: Filter | None = None) -> dict[str, int]:
    """How many articles of the article-level corpus of ``flt`` have no publication date.

    Returns: a dict with n_articles (all, dated or not) and n_undated.
    """
    flt = _article_level(flt or Filter())
    flt = dataclasses.replace(flt, date_from=None, date_to=None)  # a date bound drops undated
    eng = engine_for(store)
    conds, params = eng.article_conds(flt)
    n, undated = (
        eng.cursor()
        .execute(f"SELECT count(*), count(*) - count(day) FROM a {where(conds)}", params)
        .fetchone()
    )
    return {"n_articles": int(n or 0), "n_undated": int(undated or 0)}
