"""Store: atomic batches, SIGKILL mid-batch, readers during writes, parameterised queries."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pandas as pd

from core.schema import get_spec
from core.store import Store
from tests.conftest import REPO, SAMPLES


def _make_corpus(folder, n):
    folder.mkdir()
    for i in range(n):
        (folder / f"{i:05d}.txt").write_text(
            f"Article {i}: Russia and North Korea talked in Pyongyang on Monday, day {i}.",
            encoding="utf-8",
        )


def _snapshot(store: Store) -> dict:
    return {
        name: store.table(name)
        .sort_values(list(store.table(name).columns[:2]))
        .reset_index(drop=True)
        for name in ("articles", "sentences", "mentions", "dates", "countries")
    }


def test_sigkill_mid_batch_leaves_the_store_readable_and_unchanged(tmp_path):
    store_dir = tmp_path / "store"
    subprocess.run(
        [sys.executable, "-m", "core", "ingest", str(SAMPLES), "--store", str(store_dir)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    store = Store(store_dir)
    before = _snapshot(store)
    _make_corpus(tmp_path / "big", 300)
    env = dict(os.environ, PRESSLENS_FAULT_STALL_AFTER="mentions")
    proc = subprocess.Popen(
        [sys.executable, "-m", "core", "ingest", str(tmp_path / "big"), "--store", str(store_dir)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    staged = store_dir / ".staging"
    deadline = time.time() + 120
    # Wait until the writer has staged part of the batch (articles, sentences, mentions).
    while time.time() < deadline:
        files = list(staged.glob("*/mentions.parquet")) if staged.exists() else []
        if files:
            break
        assert proc.poll() is None, "ingest ended before it was killed"
        time.sleep(0.05)
    else:
        proc.kill()
        raise AssertionError("the batch was never staged")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    after = _snapshot(Store(store_dir))
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name])
    # The next ingest cleans up and stores the batch whole.
    done = subprocess.run(
        [sys.executable, "-m", "core", "ingest", str(tmp_path / "big"), "--store", str(store_dir)],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert Store(store_dir).counts()["articles"] == 302


def test_readers_see_whole_batches_while_a_writer_runs(tmp_path):
    store_dir = tmp_path / "store"
    _make_corpus(tmp_path / "big", 400)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "core",
            "ingest",
            str(tmp_path / "big"),
            "--store",
            str(store_dir),
            "--batch-size",
            "50",
        ],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    reader = Store(store_dir)
    seen = set()
    while proc.poll() is None:
        n = reader.counts()["articles"]
        assert n % 50 == 0, f"a reader saw a partial batch: {n} articles"
        seen.add(n)
        time.sleep(0.02)
    assert proc.returncode == 0
    assert reader.counts()["articles"] == 400
    assert len(seen) >= 2


def test_query_takes_parameters_not_formatted_values(seed_store):
    hostile = "BBC' OR '1'='1"
    assert seed_store.query("SELECT * FROM articles WHERE source = ?", [hostile]).empty
    assert len(seed_store.query("SELECT * FROM articles WHERE source = $s", {"s": "BBC"})) == 1


def test_an_empty_store_has_every_table_with_its_columns(tmp_path):
    store = Store(tmp_path / "nothing")
    for name, n in store.counts().items():
        assert n == 0
        assert list(store.table(name).columns) == get_spec(name).names
    assert not store.exists()


def _articles(*ids: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": list(ids),
            "source": ["s"] * len(ids),
            "text": [f"Text {i}." for i in ids],
            "n_words": [2] * len(ids),
        }
    )


def test_append_leaves_out_stored_articles_reading_each_batch_once(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    store = Store(tmp_path / "store")
    store.append({"articles": _articles("a", "b")})
    store.append({"articles": _articles("c")})
    reads = []
    real = pq.read_table
    monkeypatch.setattr(pq, "read_table", lambda *a, **k: reads.append(a[0]) or real(*a, **k))
    assert store.stored_among(["a", "c", "z"]) == {"a", "c"}
    assert store.append({"articles": _articles("b", "d")}) is not None  # only d is new
    assert store.append({"articles": _articles("a", "d")}) is None  # nothing new
    # Its own batches this Store knows without reading them back.
    assert reads == []
    # A batch another writer committed is read once, at the next check.
    Store(tmp_path / "store").append({"articles": _articles("e")})
    reads.clear()  # (that writer read the three batches it did not know)
    assert store.stored_among(["e", "f"]) == {"e"} and len(reads) == 1
    assert store.append({"articles": _articles("e", "f")}) is not None and len(reads) == 1
    assert sorted(store.table("articles")["article_id"]) == ["a", "b", "c", "d", "e", "f"]
    assert store.stored_ids() == {"a", "b", "c", "d", "e", "f"}
