"""Benchmark ``ingest`` end to end: ``--workers 1`` against ``--workers N`` in the same run.

Builds BBC News copied ``--copies`` times (20: 44,500 files) under a temporary folder; each copy
of an article ends with its own marker sentence ("Copy 7 of this report."), so every copy is a
distinct text that the ingest stores and extracts (the set itself holds 98 texts twice, which
stay duplicates). Then runs ``python -m core ingest`` into a fresh store once per worker count,
alternating (``--repeats``), and prints for each run: articles stored, wall seconds, articles/s,
the CPU seconds of the process tree, and peak RSS, per process and of the tree (sampled every
0.1 s with psutil). Targets (issue 15): ``--workers 2`` >= 1.6x ``--workers 1`` and >= 1,300
articles/s on 20 copies; no process above 1.5 GB.

    python benchmarks/ingest/bench_ingest.py [--copies 20] [--workers 1 2] [--repeats 1]
        [--batch-size 2000] [--keep DIR] [--json FILE]

The machine's load average is printed before and after: on a shared host, timings swing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[2]
BBC = REPO.parent / "shared" / "corpora" / "bbc" / "bbc-fulltext.tar.xz"


def read_bbc_texts(archive: Path = BBC) -> Iterator[tuple[str, bytes]]:
    """Yield ``(relative path, bytes)`` of every article file in the BBC archive, in order."""
    with tarfile.open(archive) as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            if not member.isfile() or not member.name.endswith(".txt"):
                continue
            if member.name.lower().endswith("readme.txt"):
                continue
            data = tar.extractfile(member).read()
            rel = member.name.split("/", 1)[1] if "/" in member.name else member.name
            yield rel, data


def build_copies(out: Path, copies: int) -> int:
    """Write ``copies`` copies of BBC under ``out/copyNN/``, each text marked with its copy.

    Returns: the number of files (kept across runs: a finished folder is reused).
    """
    stamp = out / f".complete-{copies}"
    if stamp.exists():
        return int(stamp.read_text())
    shutil.rmtree(out, ignore_errors=True)
    n = 0
    texts = list(read_bbc_texts())
    for k in range(copies):
        for rel, text in texts:
            path = out / f"copy{k:02d}" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            # Bytes as they are (the ingest detects each file's encoding), plus an ASCII line.
            path.write_bytes(text.rstrip() + f"\n\nCopy {k} of this report.\n".encode())
            n += 1
    stamp.write_text(str(n))
    return n


@dataclass
class Run:
    """One monitored command: wall time, CPU of the process tree, peak memory."""

    label: str
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_process_mb: float = 0.0  # the largest RSS any one process reached
    peak_tree_mb: float = 0.0  # the largest sum of RSS over the tree at one moment
    processes: int = 0
    returncode: int = 0
    stderr: str = ""
    per_process: dict[str, dict] = field(default_factory=dict)  # peak MB and CPU s per process


def run_monitored(cmd: list[str], *, label: str, env: dict | None = None) -> Run:
    """Run ``cmd`` and sample its process tree every 0.1 s. Returns: the ``Run``."""
    run = Run(label)
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as err_file:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=err_file)
        peaks, names, cpu = _sample_tree(proc, run)
        run.seconds = time.perf_counter() - t0
        run.returncode = proc.returncode
        err_file.seek(0)
        run.stderr = err_file.read()
    run.cpu_seconds = sum(cpu.values())
    run.peak_process_mb = max(peaks.values(), default=0.0)
    run.processes = len(peaks)
    run.per_process = {
        f"{pid} {names.get(pid, '')}": {"peak_mb": round(mb), "cpu_s": round(cpu.get(pid, 0), 1)}
        for pid, mb in sorted(peaks.items())
    }
    return run


def _sample_tree(proc: subprocess.Popen, run: Run) -> tuple[dict, dict, dict]:
    """Poll ``proc``'s process tree until it exits: peak RSS (MB), name, CPU seconds per pid."""
    root = psutil.Process(proc.pid)
    peaks: dict[int, float] = {}
    names: dict[int, str] = {}
    cpu: dict[int, float] = {}
    while proc.poll() is None:
        tree = 0.0
        try:
            members = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        for p in members:
            try:
                with p.oneshot():
                    rss = p.memory_info().rss / 1e6
                    times = p.cpu_times()
                    if p.pid not in names:
                        names[p.pid] = " ".join(p.cmdline()[1:4])[:60]
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            tree += rss
            peaks[p.pid] = max(peaks.get(p.pid, 0.0), rss)
            cpu[p.pid] = times.user + times.system
        run.peak_tree_mb = max(run.peak_tree_mb, tree)
        time.sleep(0.1)
    proc.wait()
    return peaks, names, cpu


def added_of(stderr: str) -> int:
    """The ``added N article(s)`` count of an ingest summary (0 when absent)."""
    for line in stderr.splitlines():
        if line.startswith("added "):
            return int(line.split()[1])
    return 0


def ingest_cmd(corpus: Path, store: Path, *, workers: int, batch_size: int) -> list[str]:
    return [sys.executable, "-m", "core", "ingest", str(corpus), "--store", str(store)] + [
        "--workers",
        str(workers),
        "--batch-size",
        str(batch_size),
    ]


def machine() -> str:
    return (
        f"{platform.node()}: {psutil.cpu_count()} vCPU, "
        f"{psutil.virtual_memory().total / 1e9:.1f} GB, Python {platform.python_version()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the corpus in this folder")
    parser.add_argument("--json", type=Path, help="also write the runs as JSON here")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="presslens-bench-ingest-"))
    corpus = args.keep or work / "corpus"
    try:
        t0 = time.perf_counter()
        files = build_copies(corpus, args.copies)
        print(f"corpus: {files:,} files ({args.copies} copies of BBC) in {corpus}", flush=True)
        print(f"built in {time.perf_counter() - t0:.0f} s; {machine()}", flush=True)
        print(f"load average before: {os.getloadavg()}", flush=True)
        runs: list[dict] = []
        for r in range(args.repeats):
            for workers in args.workers:
                store = work / f"store-{workers}-{r}"
                cmd = ingest_cmd(corpus, store, workers=workers, batch_size=args.batch_size)
                run = run_monitored(cmd, label=f"--workers {workers}")
                shutil.rmtree(store, ignore_errors=True)
                if run.returncode != 0:
                    print(run.stderr, file=sys.stderr)
                    raise SystemExit(f"ingest failed with exit {run.returncode}")
                added = added_of(run.stderr)
                row = asdict(run) | {
                    "workers": workers,
                    "repeat": r,
                    "articles": added,
                    "rate": added / run.seconds,
                    "load_after": os.getloadavg()[0],
                }
                row.pop("stderr")
                runs.append(row)
                print(
                    f"--workers {workers}: {added:,} articles in {run.seconds:.1f} s = "
                    f"{added / run.seconds:,.0f} art/s; CPU {run.cpu_seconds:.0f} s "
                    f"({run.cpu_seconds / run.seconds:.2f} cores busy); peak RSS per process "
                    f"{run.peak_process_mb:,.0f} MB, tree {run.peak_tree_mb:,.0f} MB over "
                    f"{run.processes} processes; load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
                for name, use in run.per_process.items():
                    print(f"    {name}: {use['cpu_s']} CPU s, peak {use['peak_mb']} MB")
        base = [r["rate"] for r in runs if r["workers"] == min(args.workers)]
        for workers in sorted(set(args.workers) - {min(args.workers)}):
            rates = [r["rate"] for r in runs if r["workers"] == workers]
            best, ratio = max(rates), max(rates) / max(base)
            print(
                f"--workers {workers}: best {best:,.0f} art/s = {ratio:.2f}x --workers "
                f"{min(args.workers)} (targets: >= 1.6x, >= 1,300 art/s); worst peak RSS of "
                f"one process {max(r['peak_process_mb'] for r in runs):,.0f} MB (target <= 1,500)"
            )
        print(f"load average after: {os.getloadavg()}")
        if args.json:
            args.json.write_text(json.dumps({"machine": machine(), "runs": runs}, indent=2))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
        else:
            for store in work.glob("store-*"):
                shutil.rmtree(store, ignore_errors=True)
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
