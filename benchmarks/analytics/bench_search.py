"""Benchmark the first text search of a query: the word index against the scan of every text.

For each query, a new engine (its tables attached from disk, an empty DuckDB buffer pool, the
word index attached) answers a search it has never seen, as the search box's first call does;
then the same engine runs the scan every search did before the index (the query's condition on
every title and text). Prints both times, their ratio, and whether the two found the same
articles. Builds the index first if the store has none (its build time and size are printed).

    python benchmarks/analytics/bench_search.py STORE [--q QUERY ...] [--no-scan]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.store import Store  # noqa: E402

QUERIES = [
    "government",
    "said",
    "the",
    "iran",
    '"security council"',
    "libya OR egypt",
    "-said",
    "u.s.",
    "zqxjvw",
]


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def run_searches(store: Store, queries: list[str], *, scan: bool = True) -> list[dict]:
    """Time each query's first search through the index (and the scan); one dict per query."""
    from core.analytics.query.engine import Engine, engine_for
    from core.analytics.query.search import compile_query
    from core.analytics.query.text_index import text_index_table

    eng = engine_for(store)
    if not eng.has("tw"):
        t0 = time.perf_counter()
        text_index_table(eng)
        files = sorted(eng.folder.glob("tw-*.duckdb")) if eng.folder else []
        size = sum(f.stat().st_size for f in files) / 1e6
        print(f"index built in {_ms(t0) / 1000:.1f} s; {size:,.0f} MB on disk", flush=True)
    rows = []
    for q in queries:
        fresh = Engine(store)
        text_index_table(fresh)  # attached, as in a warmed dashboard process
        t0 = time.perf_counter()
        name = fresh.search_table(q)
        first = _ms(t0)
        found = set(fresh.df(f"SELECT aid FROM {name}")["aid"])
        row = {"query": q, "index_ms": first, "articles": len(found)}
        if scan:
            cond, params = compile_query(q, ["a.title", "t.text"])
            t0 = time.perf_counter()
            scanned = fresh.df(
                f"SELECT aid FROM a JOIN {fresh.text_table()} t USING (aid) WHERE {cond}", params
            )
            row |= {"scan_ms": _ms(t0), "same": set(scanned["aid"]) == found}
        rows.append(row)
        if scan:
            print(
                f"| {q} | {row['articles']:,} | {row['scan_ms']:,.0f} | {first:,.0f} |"
                f" {row['scan_ms'] / max(first, 0.01):,.0f}× | {'yes' if row['same'] else 'NO'} |",
                flush=True,
            )
        else:
            print(f"| {q} | {row['articles']:,} | — | {first:,.0f} | — | — |", flush=True)
        del fresh
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--q", action="append", help="a query to time (repeatable)")
    parser.add_argument("--no-scan", action="store_true", help="skip the scan baseline")
    args = parser.parse_args(argv)
    store = Store(args.store)
    print(f"store: {store.counts()}; load average {os.getloadavg()}", flush=True)
    print("| query | articles | scan ms | index ms | scan / index | same articles |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    rows = run_searches(store, args.q or QUERIES, scan=not args.no_scan)
    print(f"load average at the end: {os.getloadavg()}")
    return 0 if all(r.get("same", True) for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
