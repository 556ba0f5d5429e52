"""Compaction: small batches merged into fewer, every row kept, readers never disturbed."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time

import pandas as pd

from core.compact import SUPERSEDES, compact_store, plan_compaction, read_batch_sizes
from core.ingest import ingest_paths
from core.schema import TABLES
from core.store import Store
from tests.conftest import REPO

TEXT = (
    "{i}. Envoys of Germany and Egypt met in Cairo on Friday, said Olaf Scholz. "
    "The next round is on 9 June 2023, day {i}."
)


def _store_of_small_batches(tmp_path, n_articles: int, batch_size: int) -> Store:
    corpus = tmp_path / "in"
    corpus.mkdir()
    for i in range(n_articles):
        (corpus / f"{i:04d}.txt").write_text(TEXT.format(i=i), encoding="utf-8")
    store = Store(tmp_path / "store")
    report = ingest_paths([corpus], store=store, batch_size=batch_size, progress=False)
    assert report.added == n_articles
    return store


def _snapshot(store: Store) -> dict[str, pd.DataFrame]:
    out = {}
    for name in TABLES:
        df = store.table(name)
        out[name] = df.sort_values(list(df.columns)).reset_index(drop=True)
    return out


def test_plan_merges_runs_of_small_batches_and_leaves_big_ones():
    sizes = [("a", 10, 0), ("b", 10, 0), ("c", 60, 0), ("d", 5, 0), ("e", 30, 0), ("f", 30, 0)]
    # target 100: c (>= 50) stays and ends the run a+b; d+e+f = 65 fits one merge.
    assert plan_compaction(sizes, target=100) == [["a", "b"], ["d", "e", "f"]]
    # target 40: c, e and f (>= 20) stay; d is a run of one (no merge).
    assert plan_compaction(sizes, target=40) == [["a", "b"]]
    # target 25: a+b = 20 and c would pass 25, so c starts the next run.
    small = [("a", 10, 0), ("b", 10, 0), ("c", 10, 0), ("d", 1, 0)]
    assert plan_compaction(small, target=25) == [["a", "b"], ["c", "d"]]
    assert plan_compaction([("a", 1, 0)], target=100) == []


def test_compact_keeps_every_row_in_fewer_batches(tmp_path):
    store = _store_of_small_batches(tmp_path, 36, batch_size=4)
    before, version = _snapshot(store), store.version()
    assert len(store.batch_ids()) == 9
    report = compact_store(store, target_articles=20, grace=0)
    assert report.batches_before == 9 and report.batches_after == 2
    assert [len(old) for _, old in report.merged] == [5, 4] and report.removed == 9
    after = _snapshot(store)
    for name in TABLES:
        pd.testing.assert_frame_equal(before[name], after[name], obj=name)
    # The replaced folders are gone from disk; caches keyed by the version rebuild.
    assert sorted(p.name for p in store.batches_dir.iterdir()) == store.batch_ids()
    assert store.version() != version
    # Compacting again finds nothing to merge (both merged batches are past half the target).
    again = compact_store(store, target_articles=20, grace=0)
    assert again.merged == [] and again.batches_after == 2


def test_readers_see_every_row_once_while_compaction_runs(tmp_path):
    store = _store_of_small_batches(tmp_path, 120, batch_size=3)
    expected = store.counts()
    joined_sql = "SELECT count(*) AS n FROM articles a JOIN mentions m USING (article_id)"
    expected_joined = int(store.query(joined_sql)["n"][0])
    seen: list[tuple] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        reader = Store(store.path)  # its own connection, as the dashboard has
        try:
            while not done.is_set():
                counts = reader.counts()
                joined = int(reader.query(joined_sql)["n"][0])
                seen.append((counts["articles"], counts["mentions"], joined))
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    thread = threading.Thread(target=read)
    thread.start()
    try:
        time.sleep(0.2)
        report = compact_store(store, target_articles=25, grace=0.2)
    finally:
        time.sleep(0.2)
        done.set()
        thread.join()
    assert not errors, errors
    assert report.batches_before == 40 and len(report.merged) == 5
    assert len(seen) >= 3
    full = (expected["articles"], expected["mentions"], expected_joined)
    assert set(seen) == {full}, f"a reader saw {set(seen) - {full}}"


def test_a_killed_compaction_leaves_replaced_batches_readers_skip(tmp_path):
    store = _store_of_small_batches(tmp_path, 20, batch_size=5)
    before = _snapshot(store)
    # A long grace: kill the compaction while the replaced batches still wait on disk.
    proc = subprocess.Popen(
        [sys.executable, "-m", "core", "compact", "--store", str(store.path)]
        + ["--target-articles", "100", "--grace", "60"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while not list(store.batches_dir.glob(f"*/{SUPERSEDES}")):
        assert time.time() < deadline and proc.poll() is None, "no merged batch appeared"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert len(list(store.batches_dir.iterdir())) == 5  # 4 replaced + 1 merged
    assert len(store.batch_ids()) == 1
    after = _snapshot(store)
    for name in TABLES:
        pd.testing.assert_frame_equal(before[name], after[name], obj=name)
    # The next compaction removes what the killed one left.
    report = compact_store(store, grace=0)
    assert report.removed == 4 and list(store.batches_dir.iterdir())[0].name == store.batch_ids()[0]


def test_cli_compact_and_stats_show_batches(tmp_path):
    store = _store_of_small_batches(tmp_path, 12, batch_size=3)
    stats = subprocess.run(
        [sys.executable, "-m", "core", "stats", "--store", str(store.path), "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert stats.returncode == 0, stats.stderr
    batches = json.loads(stats.stdout)["batches"]
    assert batches["count"] == 4
    assert batches["bytes"] == sum(size for _, _, size in read_batch_sizes(store))
    done = subprocess.run(
        [sys.executable, "-m", "core", "compact", "--store", str(store.path), "--grace", "0"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "4 batch(es) -> 1: merged 4 into 1" in done.stderr
    text = subprocess.run(
        [sys.executable, "-m", "core", "stats", "--store", str(store.path)],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert "batches: 1 (" in text.stdout and "articles: 12 rows" in text.stdout
