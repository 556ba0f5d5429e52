"""Benchmark the Network page's article-window pair counts under every kind of filter it sends.

``count_pairs(window="article", top=k)`` under dates (whole months, mid-month ends, days of one
month, an open end), sources, kinds, countries (mentions, or the articles mentioning them), a
text search, ``min_support`` and an entity (ego network), with filters chosen from the store's
own dates, sources, kinds and countries: first call and best of 2 (target: <= 300 ms warm).
Run alone or from ``bench_analytics.py`` (which synthesises a store when none is given).

    python benchmarks/analytics/bench_article_pairs.py STORE [--only TEXT] [--q WORDS]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.store import Store  # noqa: E402


def article_pair_cases(store: Store, q: str | None = None) -> list[tuple[str, object, int, int]]:
    """The Network page's article-window queries under the filters it can send, relative to
    the store's dates, sources, kinds and countries: (label, filter, top, min_support).
    ``q``: the text searched (default: the first word of the oldest article's title)."""
    from core.analytics import frequencies as fr
    from core.analytics.query.engine import engine_for
    from core.analytics.query.filters import Filter

    eng = engine_for(store)
    lo, hi = eng.cursor().execute("SELECT min(day), max(day) FROM a").fetchone()
    sources = eng.df("SELECT source FROM a GROUP BY source ORDER BY count(*) DESC, source")
    sources = tuple(sources["source"])
    kinds = eng.df("SELECT kind FROM ent GROUP BY kind ORDER BY count(*) DESC, kind")["kind"]
    country = fr.count_countries(store, Filter()).nlargest(1, "n_mentions")["country_code"]
    top_entity = fr.count_mentions(store, top=1)["entity"].iloc[0]
    word = q or eng.df("SELECT title FROM a ORDER BY aid LIMIT 1")["title"].iloc[0].split()[0]
    if lo is None:  # an undated store: the date filters keep no article
        lo = hi = dt.date(2000, 1, 1)
    y = hi.year
    two = {"date_from": dt.date(y - 1, 1, 1), "date_to": dt.date(y, 12, 31)}
    mid = {"date_from": dt.date(y - 2, 11, 15), "date_to": dt.date(y, 11, 14)}
    half = lo + (hi - lo) / 2
    inner = {
        "date_from": (lo + dt.timedelta(days=75)).replace(day=15),
        "date_to": (hi - dt.timedelta(days=180)).replace(day=14),
    }
    cases = [
        ("2 years", Filter(**two), 3000, 2),
        ("2 years from/to mid-month", Filter(**mid), 3000, 2),
        ("from a date on", Filter(date_from=lo + (hi - lo) / 6), 3000, 2),
        (
            "days in one month",
            Filter(date_from=half.replace(day=5), date_to=half.replace(day=27)),
            3000,
            2,
        ),
        (f"kind {kinds[0]}", Filter(kinds=(kinds[0],)), 3000, 2),
        (f"kind {kinds[0]}", Filter(kinds=(kinds[0],)), 200, 3),
        (f"kind {kinds[0]}, 2 years", Filter(kinds=(kinds[0],), **two), 3000, 2),
        (f"kinds {kinds[1]}+{kinds[2]}", Filter(kinds=tuple(kinds[1:3])), 3000, 2),
        (f"country {country.iloc[0]}", Filter(countries=tuple(country)), 3000, 2),
        (
            f"articles mentioning {country.iloc[0]}",
            Filter(countries=tuple(country), country_mode="articles"),
            3000,
            2,
        ),
        ("1 source, 2 years", Filter(sources=sources[:1], **two), 3000, 2),
        ("half the sources, 2 years mid-month", Filter(sources=sources[::2], **mid), 3000, 2),
        (f"q={word}", Filter(q=word), 3000, 2),
        (f"q={word}, 2 years", Filter(q=word, **two), 3000, 2),
        (f"q={word}, kind {kinds[0]}", Filter(q=word, kinds=(kinds[0],)), 3000, 2),
        # The articles without the word: for a word in most articles, a minority read as rows;
        # for a rarer one, most of the store, counted as its complement.
        (f"q=-{word} (the articles without it)", Filter(q=f"-{word}"), 3000, 2),
        (
            f"kinds {kinds[0]}+{kinds[1]}, all but the ends, mid-month",
            Filter(kinds=tuple(kinds[:2]), **inner),
            3000,
            2,
        ),
        ("2 years", Filter(**two), 3000, 50),
        ("entity (ego), 2 years", Filter(entities=(top_entity,), **two), 3000, 2),
        ("no filter", Filter(), 10, 1),
    ]
    return [
        (f"count_pairs article top {k:,}, ms {ms}: {label}", f, k, ms) for label, f, k, ms in cases
    ]


def run_article_pairs(store: Store, only: str | None = None, q: str | None = None) -> list[dict]:
    """Time the article-window pair queries of :func:`article_pair_cases`: first call and
    best of 2; one dict per query."""
    from core.analytics.pairs import cooccurrence as co

    rows = []
    for label, flt, top, min_support in article_pair_cases(store, q):
        if only is not None and only not in label:
            continue

        def fn(flt=flt, top=top, min_support=min_support):
            return co.count_pairs(store, flt, window="article", top=top, min_support=min_support)

        t0 = time.perf_counter()
        result = fn()
        first = (time.perf_counter() - t0) * 1000
        best = float("inf")
        for _ in range(2):
            t0 = time.perf_counter()
            result = fn()
            best = min(best, (time.perf_counter() - t0) * 1000)
        ok = "ok" if best <= 300 else "SLOW"
        rows.append({"query": label, "first_ms": first, "best_ms": best, "rows": len(result)})
        print(f"| {label} | {first:,.0f} | {best:,.0f} | {len(result):,} | {ok} |", flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--only", help="time only the queries whose label holds this text")
    parser.add_argument("--q", help="the text searched (default: a word of the oldest title)")
    args = parser.parse_args(argv)
    store = Store(args.store)
    print(f"store: {store.counts()}; load average {os.getloadavg()}")
    print("| query | first call ms | best of 2 ms | rows | ≤300 ms |")
    print("| --- | ---: | ---: | ---: | --- |")
    run_article_pairs(store, args.only, args.q)
    print(f"load average at the end: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
