"""What the dashboard's warm-up costs on a store: time and memory of each step, in one process.

Runs, in order, what ``pages/_shared._warm_up`` runs when the dashboard opens a store (the
query engine, with the entity resolution it reads, ``core.analytics.warm_up``, the word counts,
the story groups, the paragraph and article windows), then the first and a warm call of a few
page queries, and prints after each step its wall time, the process's RSS and what the query
engine holds (DuckDB memory by tag, the largest tables). ``--cold`` removes ``STORE/.derived``
first (everything derived is rebuilt, as for the first reader after an ingest).

    python benchmarks/dashboard/bench_warmup.py --store DIR [--cold] [--skip-stories]

On a shared machine, take the timing under a lock the other users also take (``flock LOCKFILE …``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.analytics.query.filters import Filter  # noqa: E402
from core.store import Store  # noqa: E402


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size of this process in MB."""
    now = peak = 0.0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            now = int(line.split()[1]) / 1024
        elif line.startswith("VmHWM:"):
            peak = int(line.split()[1]) / 1024
    return now, peak


def engine_memory(store: Store) -> str:
    """DuckDB's own account of the engine's memory: by tag, and the largest in-memory tables."""
    from core.analytics.query.engine import engine_for

    cur = engine_for(store).cursor()
    tags = cur.execute(
        "SELECT tag, memory_usage_bytes FROM duckdb_memory() WHERE memory_usage_bytes > 0"
        " ORDER BY 2 DESC"
    ).fetchall()
    tables = cur.execute(
        "SELECT database_name || '.' || table_name, estimated_size, column_count"
        " FROM duckdb_tables() ORDER BY estimated_size DESC LIMIT 8"
    ).fetchall()
    parts = ", ".join(f"{tag} {n / 1e6:,.0f} MB" for tag, n in tags) or "none"
    rows = ", ".join(f"{name} {n:,} rows" for name, n, _ in tables)
    return f"duckdb memory: {parts}; largest tables: {rows}"


def print_page_loads(store: Store) -> None:
    """What the pages hold besides the engine: each load kept (as ``st.cache_data`` keeps it),
    with the RSS it adds."""
    from core.entities import read_entities, read_mentions
    from pages.ui.format import article_labels

    kept: list[object] = []
    meta_sql = (
        "SELECT article_id, source, published, title, origin, n_words FROM articles"
        " ORDER BY published, source, article_id"
    )
    loads = [
        ("articles_meta (Sources, Data: every article)", lambda: store.query(meta_sql)),
        ("article labels of the select boxes (Sources, Data)", lambda: article_labels(kept[0])),
        (
            "Data page: the whole mentions table, every run",
            lambda: store.query("SELECT * FROM mentions"),
        ),
        ("Data page: read_entities", lambda: read_entities(store)),
        ("Data page: read_mentions (for its download)", lambda: read_mentions(store)),
    ]
    print("| page load (kept) | wall s | RSS MB | added MB |")
    print("| --- | ---: | ---: | ---: |")
    for label, fn in loads:
        before = rss_mb()[0]
        t0 = time.perf_counter()
        kept.append(fn())
        now = rss_mb()[0]
        print(f"| {label} | {time.perf_counter() - t0:.1f} | {now:,.0f} | {now - before:+,.0f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--cold", action="store_true", help="remove STORE/.derived first")
    parser.add_argument("--skip-stories", action="store_true")
    parser.add_argument(
        "--pages", action="store_true", help="then what the pages load besides the engine"
    )
    args = parser.parse_args(argv)
    store = Store(args.store)
    if args.cold:
        shutil.rmtree(args.store / ".derived", ignore_errors=True)
    print(f"store: {store.counts()}; load {os.getloadavg()}", flush=True)

    from core.analytics import frequencies as fr
    from core.analytics import sources as so
    from core.analytics import timeline as tl
    from core.analytics import warm_up
    from core.analytics.pairs import cooccurrence as co
    from core.analytics.query.engine import engine_for
    from core.analytics.reuse.stories import group_store_stories

    steps = [
        (
            "query engine (engine_for; the entity resolution first when not built)",
            lambda: engine_for(store),
        ),
        ("core.analytics.warm_up", lambda: warm_up(store)),
        ("word counts (count_terms)", lambda: so.count_terms(store, Filter())),
    ]
    if not args.skip_stories:
        steps.append(("story groups (group_store_stories)", lambda: group_store_stories(store)))
    steps += [
        ("paragraph window", lambda: co.count_pairs(store, window="paragraph", top=1)),
        ("article window", lambda: co.count_pairs(store, window="article", top=1)),
    ]
    t_all = time.perf_counter()
    print("| step | wall s | RSS MB | peak RSS MB |")
    print("| --- | ---: | ---: | ---: |")
    for label, fn in steps:
        t0 = time.perf_counter()
        fn()
        now, peak = rss_mb()
        print(
            f"| {label} | {time.perf_counter() - t0:.1f} | {now:,.0f} | {peak:,.0f} |", flush=True
        )
    print(f"warm-up in all: {time.perf_counter() - t_all:.1f} s; load {os.getloadavg()}")
    print(engine_memory(store), flush=True)
    if args.pages:
        print_page_loads(store)

    flt = Filter(
        sources=("BBC", "Reuters"), date_from=dt.date(2020, 3, 1), date_to=dt.date(2020, 8, 31)
    )
    top = fr.count_mentions(store, top=1)["entity"].iloc[0]
    queries = [
        ("count_mentions entity top20", lambda f: fr.count_mentions(store, f, top=20)),
        ("find_evidence top entity", lambda f: fr.find_evidence(store, f, entity=top)),
        (
            "count_pairs article top3000",
            lambda f: co.count_pairs(store, f, window="article", top=3000),
        ),
        ("count_referenced_dates", lambda f: tl.count_referenced_dates(store, f)),
    ]
    print("| query | first ms | warm ms |")
    print("| --- | ---: | ---: |")
    for label, fn in queries:
        for name, f in (("", Filter()), (" [filtered]", flt)):
            t0 = time.perf_counter()
            fn(f)
            first = (time.perf_counter() - t0) * 1000
            t0 = time.perf_counter()
            fn(f)
            warm = (time.perf_counter() - t0) * 1000
            print(f"| {label}{name} | {first:,.0f} | {warm:,.0f} |", flush=True)
    now, peak = rss_mb()
    print(f"RSS after the queries: {now:,.0f} MB (peak {peak:,.0f}); load {os.getloadavg()}")
    print(engine_memory(store))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
