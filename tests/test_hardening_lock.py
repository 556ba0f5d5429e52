"""One writer at a time per store; no article_id stored twice, whatever runs concurrently."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pandas as pd
import pytest

from core.locks import LOCK_NAME, StoreBusyError, hold_write_lock
from core.schema import conform
from core.store import Store

from .conftest import REPO


def _make_files(folder, n):
    folder.mkdir()
    for i in range(n):
        (folder / f"{i:03d}.txt").write_text(
            f"Talks number {i} were held in Paris on Monday, officials in Lyon said.\n",
            encoding="utf-8",
        )


def _ingest(folder, store_dir, err_path):
    return subprocess.Popen(
        [sys.executable, "-m", "core", "ingest", str(folder), "--store", str(store_dir)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=err_path.open("w"),
    )


def test_two_concurrent_ingests_store_each_article_once(tmp_path):
    _make_files(tmp_path / "in", 40)
    store_dir = tmp_path / "store"
    errs = [tmp_path / "first.err", tmp_path / "second.err"]
    # The test holds the store's lock while both ingests start, so they surely overlap:
    # each must wait, then one stores the 40 articles and the other finds them stored.
    with hold_write_lock(store_dir):
        procs = [_ingest(tmp_path / "in", store_dir, err) for err in errs]
        deadline = time.time() + 180
        while not all("waiting for it to finish" in e.read_text() for e in errs):
            assert time.time() < deadline, [e.read_text() for e in errs]
            assert all(p.poll() is None for p in procs), [e.read_text() for e in errs]
            time.sleep(0.1)
    for p in procs:
        assert p.wait(timeout=300) == 0
    outputs = sorted(e.read_text() for e in errs)
    assert f"being written by pid {os.getpid()}" in outputs[0]
    assert "added 0 article(s), 40 duplicate(s)" in outputs[0]
    assert "added 40 article(s), 0 duplicate(s)" in outputs[1]
    store = Store(store_dir)
    articles = store.table("articles")
    assert len(articles) == 40 and articles["article_id"].is_unique
    # Extracted rows are not doubled either: one (article, country) row each.
    countries = store.table("countries")
    assert not countries.empty
    assert not countries.duplicated(["article_id", "country_code"]).any()


def _articles(*texts):
    return conform(
        pd.DataFrame(
            {
                "article_id": [f"id{i}" for i in range(len(texts))],
                "source": "s",
                "published": None,
                "title": list(texts),
                "text": list(texts),
                "url": None,
                "origin": [f"{i}.txt" for i in range(len(texts))],
                "n_words": 1,
            }
        ),
        "articles",
    )


def test_append_leaves_out_articles_already_stored(tmp_path):
    store = Store(tmp_path / "store")
    assert store.append({"articles": _articles("a")}) is not None
    # A writer that looked before the first commit hands in the same article again.
    batch = store.append({"articles": _articles("a", "b")})
    assert batch is not None
    assert sorted(store.table("articles")["text"]) == ["a", "b"]
    assert store.append({"articles": _articles("a")}) is None  # nothing new: nothing written
    assert len(store.batch_ids()) == 2


def test_append_refuses_a_batch_naming_an_article_twice(tmp_path):
    store = Store(tmp_path / "store")
    twice = pd.concat([_articles("a"), _articles("a")], ignore_index=True)
    with pytest.raises(ValueError, match="more than once"):
        store.append({"articles": twice})
    assert store.batch_ids() == []


def test_a_second_writer_can_refuse_instead_of_waiting(tmp_path):
    held, release = threading.Event(), threading.Event()

    def writer():
        with hold_write_lock(tmp_path / "store"):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    held.wait(10)
    try:
        busy = pytest.raises(StoreBusyError, match=r"being written by pid \d+")
        with busy, hold_write_lock(tmp_path / "store", wait=False):
            pass
        late = pytest.raises(StoreBusyError, match="still being written")
        with late, hold_write_lock(tmp_path / "store", timeout=0.3):
            pass
    finally:
        release.set()
        thread.join()
    with hold_write_lock(tmp_path / "store", wait=False):
        pass  # free again


def test_the_lock_of_a_killed_writer_is_free(tmp_path):
    code = (
        "import sys, time; from core.locks import hold_write_lock\n"
        "with hold_write_lock(sys.argv[1]):\n"
        "    print('held', flush=True); time.sleep(60)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path / "store")],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "held"
    with pytest.raises(StoreBusyError), hold_write_lock(tmp_path / "store", wait=False):
        pass
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert (tmp_path / "store" / LOCK_NAME).exists()  # the file stays; the lock does not
    with hold_write_lock(tmp_path / "store", wait=False):
        pass


def test_the_lock_is_reentrant_in_one_thread(tmp_path):
    outer = hold_write_lock(tmp_path / "store", wait=False)
    with outer, hold_write_lock(tmp_path / "store", wait=False):
        pass
