"""A million articles, measured: build, ingest with every core, compact, query, open the dashboard.

1. Corpus: ``--articles`` records (default 1,000,000) in JSON Lines files of 5,000, made from
   the BBC News texts (2,127 distinct ones): record k is BBC text ``k mod 2127`` plus its own
   closing sentence naming the record number (so every record is a distinct text that the
   ingest stores and extracts), one of a dozen sources, and a publication date drawn
   (fixed seed) over 2015-2024, so relative dates resolve against varied anchors.
2. Ingest: ``python -m core ingest CORPUS --store STORE`` with all cores (the default
   ``--workers``): wall time, articles/s, CPU and peak RSS of the process tree and of its
   largest process (bench_ingest's sampler), batches written.
3. ``python -m core compact`` (timed), then the store's size on disk and batch count.
4. The analytics queries the pages run, cold (first call, including the query engine's build
   for the store) and warm: ``benchmarks/analytics/bench_analytics.py --keep STORE``.
5. The dashboard's warm-up once the store is opened, in a new process (the engine's tables
   are on disk by then): time and memory of each step, ``benchmarks/dashboard/bench_warmup.py``.
6. The dashboard on that store: warm-up time and the server's memory, and the first view of
   each page, server side and in Chromium: ``benchmarks/dashboard/bench_dashboard.py --keep STORE``.

    python benchmarks/ingest/bench_million.py [--articles 1000000] [--keep DIR] [--batch-size 2000]
        [--skip-analytics] [--skip-dashboard] [--no-browser]

Steps 4 to 6 print their own tables; this script prints a summary and, with ``--json``,
writes its own numbers. Expect ~1 GB of corpus per 400k articles in the work folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ingest import REPO, added_of, machine, read_bbc_texts, run_monitored  # noqa: E402

sys.path.insert(0, str(REPO))
from core.ingest.formats.decode import decode_bytes  # noqa: E402

SOURCES = (
    "BBC",
    "Reuters",
    "AP",
    "Guardian",
    "NYT",
    "Al Jazeera",
    "DW",
    "France 24",
    "CNN",
    "Fox News",
    "Le Monde",
    "NHK",
)
PER_FILE = 5000
FIRST_DAY, DAYS = dt.date(2015, 1, 1), 3653  # 2015-01-01 .. 2024-12-31


def build_corpus(out: Path, n_articles: int, *, seed: int = 15) -> int:
    """Write ``n_articles`` JSON Lines records under ``out`` (reused when already complete).

    Returns: the number of records.
    """
    stamp = out / f".complete-{n_articles}"
    if stamp.exists():
        return n_articles
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    seen: set[str] = set()
    texts = []
    for _, data in read_bbc_texts():
        body = decode_bytes(data)[0].replace("\r\n", "\n").strip()
        if body not in seen:  # the set holds 98 texts twice
            seen.add(body)
            texts.append(body)
    rng = random.Random(seed)
    written = 0
    while written < n_articles:
        path = out / f"part-{written // PER_FILE:05d}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for k in range(written, min(written + PER_FILE, n_articles)):
                body = texts[k % len(texts)]
                title = body.partition("\n")[0]
                source = SOURCES[rng.randrange(len(SOURCES))]
                day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
                record = {
                    "title": title.strip(),
                    "text": f"{body}\n\nThis is report {k} of the {source} archive.",
                    "source": source,
                    "published": day.isoformat(),
                }
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        written = min(written + PER_FILE, n_articles)
    stamp.write_text(str(n_articles))
    return n_articles


def folder_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def run_script(args: list[str]) -> tuple[float, str]:
    """Run a benchmark script, echoing its output. Returns: (seconds, output)."""
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *args], cwd=REPO, capture_output=True, text=True, check=False
    )
    print(done.stdout, flush=True)
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
    return time.perf_counter() - t0, done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="build (or reuse) corpus and store here")
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--workers", type=int, help="default: the ingest's default (all cores)")
    parser.add_argument("--skip-analytics", action="store_true")
    parser.add_argument("--skip-dashboard", action="store_true")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--json", type=Path, help="write this script's numbers here")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="presslens-bench-million-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus, store = work / "corpus", work / "store"
    out: dict = {"machine": machine(), "articles": args.articles, "load_before": os.getloadavg()}
    try:
        t0 = time.perf_counter()
        build_corpus(corpus, args.articles)
        out["corpus_bytes"] = folder_bytes(corpus)
        print(
            f"corpus: {args.articles:,} records, {out['corpus_bytes'] / 1e9:.2f} GB, built in "
            f"{time.perf_counter() - t0:.0f} s; {machine()}; load {os.getloadavg()}",
            flush=True,
        )
        shutil.rmtree(store, ignore_errors=True)
        cmd = [sys.executable, "-m", "core", "ingest", str(corpus), "--store", str(store)]
        cmd += ["--batch-size", str(args.batch_size)]
        if args.workers:
            cmd += ["--workers", str(args.workers)]
        run = run_monitored(cmd, label="ingest")
        if run.returncode != 0:
            print(run.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"ingest failed with exit {run.returncode}")
        added = added_of(run.stderr)
        out["ingest"] = {
            "articles": added,
            "seconds": run.seconds,
            "rate": added / run.seconds,
            "cpu_seconds": run.cpu_seconds,
            "peak_process_mb": run.peak_process_mb,
            "peak_tree_mb": run.peak_tree_mb,
            "processes": run.processes,
            "batches": len(list((store / "batches").iterdir())),
            "store_bytes": folder_bytes(store),
            "load_after": os.getloadavg(),
        }
        i = out["ingest"]
        print(
            f"ingest: {added:,} articles in {run.seconds / 60:.1f} min = {i['rate']:,.0f} art/s "
            f"(target: 1M in <= 15 min); CPU {run.cpu_seconds:.0f} s; peak RSS: largest "
            f"process {run.peak_process_mb:,.0f} MB, tree {run.peak_tree_mb:,.0f} MB; "
            f"{i['batches']} batches, {i['store_bytes'] / 1e9:.2f} GB; load {os.getloadavg()}",
            flush=True,
        )
        t1 = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "core", "compact", "--store", str(store), "--grace", "0"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
        out["compact"] = {
            "seconds": time.perf_counter() - t1,
            "summary": done.stderr.strip(),
            "batches": len(list((store / "batches").iterdir())),
            "store_bytes": folder_bytes(store),
        }
        c = out["compact"]
        print(
            f"compact: {c['summary']} in {c['seconds']:.0f} s; store {c['store_bytes'] / 1e9:.2f} "
            f"GB in {c['batches']} batches",
            flush=True,
        )
        if not args.skip_analytics:
            bench = "benchmarks/analytics/bench_analytics.py"
            seconds, _ = run_script([bench, "--keep", str(store)])
            out["analytics_seconds"] = seconds
        if not args.skip_analytics:
            seconds, _ = run_script(["benchmarks/dashboard/bench_warmup.py", "--store", str(store)])
            out["warmup_seconds"] = seconds
        if not args.skip_dashboard:
            extra = ["--no-browser"] if args.no_browser else []
            bench = "benchmarks/dashboard/bench_dashboard.py"
            seconds, _ = run_script([bench, "--keep", str(store), *extra])
            out["dashboard_seconds"] = seconds
        out["load_after"] = os.getloadavg()
        if args.json:
            args.json.write_text(json.dumps(out, indent=2, default=str))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
