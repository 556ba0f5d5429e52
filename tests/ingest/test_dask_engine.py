"""The dask engine: extraction as tasks on a dask.distributed cluster, commits in the client."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from core.ingest import ingest_paths
from core.ingest.workers.dask_engine import DaskEngine
from core.schema import TABLES
from core.store import Store
from tests.conftest import REPO

distributed = pytest.importorskip("distributed")  # in requirements.txt: never skipped in CI

TEXT = (
    "{i}. Officials from France met envoys of Japan in Tokyo on Tuesday, said Emmanuel "
    "Macron. Talks resume in Oslo on 4 May 2021, day {i}.\n\nChile sent observers."
)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """``dask scheduler`` and ``dask worker`` (two single-threaded processes) on 127.0.0.1,
    as the README runs them, on free ports. Yields the address and the workers' pids."""
    dask_cli = str(Path(sys.executable).parent / "dask")
    info = tmp_path_factory.mktemp("dask") / "scheduler.json"
    common = ["--no-dashboard", "--scheduler-file", str(info)]
    procs = [
        subprocess.Popen(
            [dask_cli, "scheduler", "--host", "127.0.0.1", "--port", "0", *common],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        deadline = time.time() + 60
        while not info.exists() and time.time() < deadline:
            time.sleep(0.1)
        procs.append(
            subprocess.Popen(
                [dask_cli, "worker", "--nworkers", "2", "--nthreads", "1", "--host", "127.0.0.1"]
                + common,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        with distributed.Client(scheduler_file=str(info), timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
            yield client.scheduler.address, set(client.run(os.getpid).values())
    finally:
        for proc in reversed(procs):
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _corpus(folder, n):
    folder.mkdir()
    for i in range(n):
        (folder / f"{i:03d}.txt").write_text(TEXT.format(i=i), encoding="utf-8")
    return folder


def _assert_same_tables(a: Store, b: Store) -> None:
    for name in TABLES:
        left, right = a.table(name), b.table(name)
        cols = list(left.columns)
        pd.testing.assert_frame_equal(
            left.sort_values(cols).reset_index(drop=True),
            right.sort_values(cols).reset_index(drop=True),
            obj=name,
        )


def test_cli_against_a_running_scheduler_matches_a_local_ingest(tmp_path, cluster):
    address, worker_pids = cluster
    corpus = _corpus(tmp_path / "in", 45)
    local = Store(tmp_path / "local")
    ingest_paths([corpus], store=local, batch_size=10, progress=False)
    done = subprocess.run(
        [sys.executable, "-m", "core", "ingest", str(corpus), "--store", str(tmp_path / "dask")]
        + ["--engine", "dask", "--scheduler", address, "--batch-size", "10"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert "added 45 article(s)" in done.stderr
    _assert_same_tables(local, Store(tmp_path / "dask"))
    # Every batch ran on the cluster's worker processes, not in the client.
    placements = re.findall(r"tcp://127\.0\.0\.1:\d+ \([^:]+:(\d+)\) \((\d+)\)", done.stderr)
    assert sum(int(n) for _, n in placements) == 5, done.stderr
    assert {int(pid) for pid, _ in placements} <= worker_pids


def test_engine_in_process_commits_whole_batches_and_reingest_adds_nothing(tmp_path, cluster):
    address, worker_pids = cluster
    corpus = _corpus(tmp_path / "in", 30)
    store = Store(tmp_path / "s")
    with DaskEngine(scheduler=address) as engine:
        report = ingest_paths([corpus], store=store, batch_size=8, progress=False, engine=engine)
        again = ingest_paths([corpus], store=store, batch_size=8, progress=False, engine=engine)
        pids = {int(w.rsplit(":", 1)[1].rstrip(")")) for w in engine.placements}
    assert report.added == 30 and len(report.batches) == 4
    assert again.added == 0 and again.duplicates == 30
    assert pids <= worker_pids and os.getpid() not in pids
    assert store.counts()["articles"] == 30


def test_engine_dask_alone_starts_and_stops_a_local_cluster(tmp_path):
    corpus = _corpus(tmp_path / "in", 12)
    done = subprocess.run(
        [sys.executable, "-m", "core", "ingest", str(corpus), "--store", str(tmp_path / "s")]
        + ["--engine", "dask", "--workers", "1", "--batch-size", "6"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert "extracted 2 batch(es) on: tcp://127.0.0.1:" in done.stderr
    assert Store(tmp_path / "s").counts()["articles"] == 12
