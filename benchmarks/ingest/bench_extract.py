"""Benchmark the extraction stage on the BBC News set (2,225 articles), one core.

Times, in one process on the same normalised texts: (1) our mentions + countries (gazetteer
extractor, then ``count_countries``), (2) our dates extractor (``rules``), and the baselines
people would otherwise use: spaCy small's NER (if installed; a subset, it is slow) and
``dateparser.search.search_dates`` (a subset). Prints articles/s, MB/s, per-article latency
p50/p95, the ratio to each baseline, and peak memory. Targets: >= 2,000 articles/s for each of
ours. Sentence splitting is done once up front and timed separately (every extractor gets it).

    python benchmarks/ingest/bench_extract.py [--corpus PATH] [--spacy-limit 200]
        [--dateparser-limit 100]
        [--cold-runs 4] [--spacy-ref 40]

Timings on a shared VM swing by +-30% from minute to minute, so the cold mentions + countries
pass (fresh process, empty per-process caches) is also repeated in ``--cold-runs`` child
processes and reported as the median of all cold passes, with their range; 0 skips a baseline.
Each child also times spaCy small on ``--spacy-ref`` articles right after its pass, and the
median of those same-moment ratios is set against the issue's target expressed in spaCy
speeds (2,000 art/s where it measured spaCy small at 17 art/s): a comparison the host's swings
cancel out of, reported beside the absolute numbers, not instead of them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tarfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.extract import (
    count_countries,
    get_date_extractor,
    get_mention_extractor,
    rows_to_table,
)  # noqa: E402
from core.schema import MENTION_ROW  # noqa: E402
from core.text import normalise_text, split_sentences  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
BBC = REPO.parent / "shared" / "corpora" / "bbc"
TARGET = 2000.0
SPACY_REF = 17.0  # spaCy small NER articles/s on BBC, as the issue measured it on this machine
ANCHOR = dt.date(2005, 1, 1)  # the set has no dates; a fixed reference inside its years


def read_bbc(path: Path) -> list[str]:
    """Read the BBC set (the .tar.xz as staged, or an unpacked folder).

    Returns: the normalised text (headline + body) of each article, in file order.
    """
    texts: list[tuple[str, str]] = []
    archive = path / "bbc-fulltext.tar.xz" if path.is_dir() else path
    if archive.is_file():
        with tarfile.open(archive) as tar:
            for m in tar.getmembers():
                if m.isfile() and m.name.endswith(".txt") and "README" not in m.name:
                    data = tar.extractfile(m).read()
                    texts.append((m.name, data.decode("utf-8", errors="replace")))
    else:
        for f in path.rglob("*.txt"):
            if "README" not in f.name:
                texts.append((str(f), f.read_bytes().decode("utf-8", errors="replace")))
    return [normalise_text(t) for _, t in sorted(texts)]


def time_each(fn: Callable[[int], object], n: int) -> tuple[list[float], float]:
    """Call ``fn(i)`` for i < n.

    Returns: (each call's wall seconds, the loop's total CPU seconds). CPU time is the fair
    single-core figure on a shared machine; wall time is what a user waits.
    """
    out = []
    cpu0 = time.process_time()
    for i in range(n):
        t = time.perf_counter()
        fn(i)
        out.append(time.perf_counter() - t)
    return out, time.process_time() - cpu0


def summary(name: str, timed: tuple[list[float], float], n_bytes: int) -> dict:
    secs, cpu = timed
    total = sum(secs)
    q = statistics.quantiles(secs, n=20) if len(secs) > 1 else secs * 19
    return {
        "what": name,
        "articles": len(secs),
        "articles_per_s": len(secs) / total if total else float("inf"),
        "cpu_articles_per_s": len(secs) / cpu if cpu else float("inf"),
        "mb_per_s": n_bytes / 1e6 / total if total else float("inf"),
        "p50_ms": statistics.median(secs) * 1e3,
        "p95_ms": q[18] * 1e3,
        "seconds": total,
    }


def cold_pass_cpu(corpus: Path, *, spacy_ref: int = 0) -> dict:
    """One cold mentions + countries pass, as the first pass of ``main`` does it.

    With ``spacy_ref`` > 0 (and spaCy installed), spaCy small's NER then runs over the first
    ``spacy_ref`` articles in the same process: a reference timed minutes, not hours, from
    ours, so the ratio of the two holds still while the shared host's speed swings.

    Returns: ``{"cpu": CPU seconds of the pass (extraction with fresh per-process caches, then
    the table), "spacy_rate": spaCy's CPU articles/s or None}``.
    """
    texts = read_bbc(corpus)
    mentions = get_mention_extractor("gazetteer")
    sentences = [split_sentences(t) for t in texts]
    out: list[tuple] = []
    ids: list[str] = []
    c0 = time.process_time()
    for i, text in enumerate(texts):
        found = mentions.rows(text, sentences[i])
        out.extend(found)
        ids.extend([str(i)] * len(found))
    count_countries(_table(out, ids, mentions.method))
    cpu = time.process_time() - c0
    spacy_rate = None
    if spacy_ref > 0:
        try:
            from core.extract.spacy_ner import load_spacy_pipeline

            nlp = load_spacy_pipeline()
            nlp("A first call, untimed, to finish loading.")
            c0 = time.process_time()
            for text in texts[:spacy_ref]:
                nlp(text)
            spacy_rate = min(spacy_ref, len(texts)) / (time.process_time() - c0)
        except RuntimeError:
            pass  # spaCy or its model is not installed: no reference
    return {"cpu": cpu, "spacy_rate": spacy_rate}


def _table(rows: list[tuple], ids: list[str], method: str):
    """The mentions table of ``rows`` as ``core.extract.extract_tables`` builds it."""
    columns = {"article_id": ids, "method": method}
    return rows_to_table("mentions", rows, fields=MENTION_ROW, columns=columns)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=BBC)
    ap.add_argument("--spacy-limit", type=int, default=200)
    ap.add_argument("--dateparser-limit", type=int, default=100)
    ap.add_argument("--cold-runs", type=int, default=4, help="extra cold passes, one per process")
    ap.add_argument(
        "--spacy-ref",
        type=int,
        default=40,
        help="articles spaCy runs on in each cold process, as a same-moment reference (0: none)",
    )
    ap.add_argument("--cold-child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.cold_child:
        print(json.dumps(cold_pass_cpu(args.corpus, spacy_ref=args.spacy_ref)))
        return 0

    load0 = " ".join(f"{x:.1f}" for x in os.getloadavg())
    texts = read_bbc(args.corpus)
    sizes = [len(t.encode("utf-8")) for t in texts]
    n = len(texts)
    t0 = time.perf_counter()
    mentions = get_mention_extractor("gazetteer")
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    sentences = [split_sentences(t) for t in texts]
    split_s = time.perf_counter() - t0
    print(f"{n} articles, {sum(sizes) / 1e6:.1f} MB; gazetteer load {load_s:.2f} s; ")
    print(f"sentence split {n / split_s:,.0f} articles/s (done once, shared by all)\n")

    rows: list[dict] = []
    mention_rows: list[tuple] = []
    mention_ids: list[str] = []

    def run_mentions(i: int) -> None:
        found = mentions.rows(texts[i], sentences[i])
        mention_rows.extend(found)
        mention_ids.extend([str(i)] * len(found))

    secs, cpu = time_each(run_mentions, n)
    rows.append(summary(f"presslens mentions ({mentions.method})", (secs, cpu), sum(sizes)))
    t0, c0 = time.perf_counter(), time.process_time()
    countries = count_countries(_table(mention_rows, mention_ids, mentions.method))
    table_s, table_cpu = time.perf_counter() - t0, time.process_time() - c0
    # The countries table is built once for the whole batch; its time is spread over articles.
    secs = [x + table_s / n for x in secs]
    rows.append(
        summary("presslens mentions + countries table", (secs, cpu + table_cpu), sum(sizes))
    )
    ours_m = rows[-1]["cpu_articles_per_s"]
    # A second pass over the same texts: the per-process caches (capitalised sequences already
    # analysed) are warm, as in a long-running ingest or dashboard process.
    warm_rows: list[tuple] = []

    def run_mentions_warm(i: int) -> None:
        warm_rows.extend(mentions.rows(texts[i], sentences[i]))

    secs_w, cpu_w = time_each(run_mentions_warm, n)
    table_cpu_w = time.process_time()
    count_countries(_table(mention_rows, mention_ids, mentions.method))
    table_cpu_w = time.process_time() - table_cpu_w
    rows.append(
        summary(
            "presslens mentions + countries, 2nd pass (warm)",
            ([x + table_cpu_w / n for x in secs_w], cpu_w + table_cpu_w),
            sum(sizes),
        )
    )
    cold = [cpu + table_cpu]
    ratios = []  # ours / spaCy, each pair timed in one cold process
    for _ in range(args.cold_runs):
        child = subprocess.run(
            [sys.executable, __file__, "--cold-child", "--corpus", str(args.corpus)]
            + ["--spacy-ref", str(args.spacy_ref)],
            capture_output=True,
            text=True,
            check=True,
        )
        got = json.loads(child.stdout.strip().splitlines()[-1])
        cold.append(got["cpu"])
        if got["spacy_rate"]:
            ratios.append(n / got["cpu"] / got["spacy_rate"])
    rates = sorted(n / c for c in cold)
    print(
        f"  cold mentions + countries in {len(cold)} processes: "
        + ", ".join(f"{r:,.0f}" for r in rates)
        + " CPU art/s"
    )
    if ratios:
        ratio = statistics.median(ratios)
        print(
            f"  ours / spaCy small in the same cold processes: {ratio:,.0f}x (median; "
            + ", ".join(f"{r:,.0f}" for r in sorted(ratios))
            + f"). The issue's target, {TARGET:,.0f} art/s, is {TARGET / SPACY_REF:,.0f}x the"
            + f" {SPACY_REF:.0f} art/s it measured spaCy small at on this machine: "
            + ("met" if ratio >= TARGET / SPACY_REF else "NOT met")
            + " at the same host speed."
        )
    rows.append(
        {
            "what": f"presslens mentions + countries, cold, median of {len(cold)}",
            "articles": n,
            "articles_per_s": float("nan"),
            "cpu_articles_per_s": statistics.median(rates),
            "mb_per_s": float("nan"),
            "p50_ms": float("nan"),
            "p95_ms": float("nan"),
            "seconds": float("nan"),
        }
    )
    print(f"  {len(mention_rows):,} mentions, {len(countries):,} (article, country) rows;")
    print(f"  count_countries over them: {table_s:.2f} s wall, {table_cpu:.2f} s CPU")

    ours_d = None
    try:
        dates = get_date_extractor("rules")
        timed = time_each(lambda i: dates(texts[i], sentences[i], anchor=ANCHOR), n)
        rows.append(summary(f"presslens dates ({dates.method})", timed, sum(sizes)))
        ours_d = rows[-1]["cpu_articles_per_s"]
    except Exception as exc:  # another engineer's module: report, don't die
        print(f"  dates extractor unavailable: {exc!r}")
    peak_ours = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    try:
        from core.extract.spacy_ner import load_spacy_pipeline

        nlp = load_spacy_pipeline()
        k = min(args.spacy_limit, n)
        if k:
            timed = time_each(lambda i: nlp(texts[i]), k)
            model = f"{nlp.meta.get('lang')}_{nlp.meta.get('name')} {nlp.meta.get('version')}"
            name = f"spaCy {model} NER (first {k})"
            rows.append(summary(name, timed, sum(sizes[:k])))
            rows[-1]["vs"] = ours_m
    except RuntimeError as exc:
        print(f"  spaCy baseline skipped: {exc}")

    from dateparser.search import search_dates

    k = min(args.dateparser_limit, n)
    settings = {"RELATIVE_BASE": dt.datetime(ANCHOR.year, ANCHOR.month, ANCHOR.day)}
    if k:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            timed = time_each(
                lambda i: search_dates(texts[i], languages=["en"], settings=settings), k
            )
        rows.append(summary(f"dateparser.search_dates (first {k})", timed, sum(sizes[:k])))
        rows[-1]["vs"] = ours_d

    print(f"load average before: {load0}")
    head = f"{'what':<50} {'art/s':>8} {'CPU art/s':>10} {'MB/s':>6} {'p50 ms':>7} {'p95 ms':>7}"
    print(head + "  note")
    for r in rows:
        note = ""
        if r["what"].startswith("presslens"):
            ok = "meets" if r["cpu_articles_per_s"] >= TARGET else "BELOW"
            note = f"target >= {TARGET:,.0f} art/s (CPU): {ok}"
        elif r.get("vs"):
            note = f"ours is {r['vs'] / r['cpu_articles_per_s']:,.0f}x faster (CPU)"
        print(
            f"{r['what']:<50} {r['articles_per_s']:>8,.0f} {r['cpu_articles_per_s']:>10,.0f} "
            f"{r['mb_per_s']:>6.2f} {r['p50_ms']:>7.2f} {r['p95_ms']:>7.2f}  {note}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (max RSS): {peak_ours:,.0f} MB after ours (texts, gazetteer, all")
    print(f"mention rows held); {peak:,.0f} MB for the whole process incl. baselines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
