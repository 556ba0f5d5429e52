"""Parallel ingest: worker processes extract, one writer commits (core.ingest.workers.engines)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.ingest import ingest_paths
from core.ingest.workers.engines import (
    ExtractionPipeline,
    ProcessEngine,
    SerialEngine,
    detect_languages,
    extract_batch,
    join_results,
    open_engine,
    split_rows,
)
from core.schema import TABLES
from core.store import Store
from tests.conftest import REPO

TEXT = (
    "{i}. Officials from Russia met envoys of North Korea in Pyongyang on Monday, "
    "said Angela Merkel. Talks resume in Geneva on 3 March 2022, day {i}.\n\n"
    "Brazil and Kenya sent observers; the next round is due next week."
)


def _make_corpus(folder, n: int, *, start: int = 0):
    folder.mkdir()
    for i in range(start, start + n):
        (folder / f"{i:04d}.txt").write_text(TEXT.format(i=i), encoding="utf-8")
    return folder


def _sorted_tables(store: Store) -> dict[str, pd.DataFrame]:
    out = {}
    for name in TABLES:
        df = store.table(name)
        out[name] = df.sort_values(list(df.columns)).reset_index(drop=True)
    return out


def _assert_same_tables(a: Store, b: Store) -> None:
    left, right = _sorted_tables(a), _sorted_tables(b)
    for name in TABLES:
        pd.testing.assert_frame_equal(left[name], right[name], obj=name)


def test_two_workers_store_the_same_tables_as_one(tmp_path):
    corpus = _make_corpus(tmp_path / "in", 90)
    one, two = Store(tmp_path / "one"), Store(tmp_path / "two")
    r1 = ingest_paths([corpus], store=one, batch_size=20, progress=False)
    with ProcessEngine(workers=2) as engine:
        r2 = ingest_paths([corpus], store=two, batch_size=20, progress=False, engine=engine)
        pids = {where.rsplit(":", 1)[1] for where in engine.placements}
    assert r1.added == r2.added == 90 and r1.ok and r2.ok
    assert len(r2.batches) == 5 and sum(engine.placements.values()) == 5
    assert str(os.getpid()) not in pids  # every batch was extracted in a worker
    _assert_same_tables(one, two)
    # Re-ingesting through the pool adds nothing.
    with ProcessEngine(workers=2) as engine:
        again = ingest_paths([corpus], store=two, batch_size=20, progress=False, engine=engine)
    assert again.added == 0 and again.duplicates == 90


def test_cli_workers_two_matches_workers_one(tmp_path):
    corpus = _make_corpus(tmp_path / "in", 60)
    for n in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-m", "core", "ingest", str(corpus), "--store", str(tmp_path / n)]
            + ["--workers", n, "--batch-size", "15"],
            cwd=REPO,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        assert "added 60 article(s)" in done.stderr
    assert "extracted 4 batch(es) on:" in done.stderr  # --workers 2 says where batches ran
    _assert_same_tables(Store(tmp_path / "1"), Store(tmp_path / "2"))


def test_a_lone_batch_is_extracted_in_process_without_a_pool(tmp_path):
    corpus = _make_corpus(tmp_path / "in", 5)
    engine = ProcessEngine(workers=2)
    report = ingest_paths([corpus], store=Store(tmp_path / "s"), progress=False, engine=engine)
    assert report.added == 5
    assert engine._pool is None  # never started
    assert list(engine.placements) == [f"{os.uname().nodename}:{os.getpid()}"]


def test_the_pipeline_returns_batches_in_submission_order_and_bounds_what_is_out(tmp_path):
    frames = [
        pd.DataFrame({"article_id": [f"a{i}"], "text": [TEXT.format(i=i)], "published": [None]})
        for i in range(7)
    ]
    with ProcessEngine(workers=2) as engine:
        pipeline = ExtractionPipeline(engine)
        got = []
        for i, frame in enumerate(frames):
            pipeline.submit(frame, context=i)
            got += [done.context for done in pipeline.ready()]
            assert len(pipeline._out) <= engine.max_in_flight
        got += [done.context for done in pipeline.ready(drain=True)]
    assert got == list(range(7))


def test_open_engine_maps_the_options():
    assert isinstance(open_engine(workers=1), SerialEngine)
    engine = open_engine(workers=3)
    assert isinstance(engine, ProcessEngine) and engine.workers == 3 and engine.max_in_flight == 6
    with pytest.raises(ValueError, match="--scheduler"):
        open_engine(workers=2, scheduler="tcp://127.0.0.1:1")
    with pytest.raises(ValueError, match="unknown engine"):
        open_engine(engine="spark")


def test_cli_refuses_bad_worker_options(tmp_path):
    for extra in (["--workers", "0"], ["--scheduler", "tcp://127.0.0.1:1"]):
        done = subprocess.run(
            [sys.executable, "-m", "core", "ingest", "--store", str(tmp_path / "s"), *extra],
            cwd=REPO,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 2, done.stderr
        assert not (tmp_path / "s" / "batches").exists()


def _wait_for(predicate, *, proc, what: str, timeout: float = 120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = predicate()
        if found:
            return found
        assert proc.poll() is None, f"ingest ended before {what}"
        time.sleep(0.05)
    proc.kill()
    raise AssertionError(f"timed out waiting for {what}")


def _ingest_cmd(corpus, store_dir, *extra):
    return [sys.executable, "-m", "core", "ingest", str(corpus), "--store", str(store_dir)] + [
        "--workers",
        "2",
        "--batch-size",
        "50",
        *extra,
    ]


def test_sigkill_of_a_worker_mid_ingest_is_survived_and_a_rerun_adds_nothing(tmp_path):
    corpus = _make_corpus(tmp_path / "in", 400)
    pids = tmp_path / "pids"
    pids.mkdir()
    env = dict(
        os.environ, PRESSLENS_FAULT_WORKER_DIR=str(pids), PRESSLENS_FAULT_WORKER_STALL_SECONDS="1"
    )
    store_dir = tmp_path / "store"
    proc = subprocess.Popen(
        _ingest_cmd(corpus, store_dir),
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    busy = _wait_for(lambda: list(pids.iterdir()), proc=proc, what="a worker took a batch")
    victim = int(busy[0].name)
    os.kill(victim, signal.SIGKILL)
    _, err = proc.communicate(timeout=120)
    # The pool is restarted and the lost batches extracted again: the run completes.
    assert proc.returncode == 0, err
    store = Store(store_dir)
    assert store.counts()["articles"] == 400
    assert store.query("SELECT count(DISTINCT article_id) AS n FROM articles")["n"][0] == 400
    rerun = subprocess.run(_ingest_cmd(corpus, store_dir), cwd=REPO, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert "added 0 article(s), 400 duplicate(s)" in rerun.stderr


def test_sigkill_of_the_writer_leaves_a_readable_store_that_a_rerun_completes(tmp_path):
    corpus = _make_corpus(tmp_path / "in", 400)
    store_dir = tmp_path / "store"
    # A first, committed ingest of part of the corpus: it must survive the crash unchanged.
    first = _make_corpus(tmp_path / "first", 3, start=1000)
    subprocess.run(
        _ingest_cmd(first, store_dir), cwd=REPO, check=True, capture_output=True, text=True
    )
    before = _sorted_tables(Store(store_dir))
    pids = tmp_path / "pids"
    pids.mkdir()
    env = dict(
        os.environ,
        PRESSLENS_FAULT_STALL_AFTER="mentions",  # the writer stalls mid-commit (core.store)
        PRESSLENS_FAULT_STALL_SECONDS="60",  # until it is killed: no race with its next batch
        PRESSLENS_FAULT_WORKER_DIR=str(pids),
        PRESSLENS_FAULT_WORKER_STALL_SECONDS="0",
    )
    proc = subprocess.Popen(
        _ingest_cmd(corpus, store_dir),
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    staged = store_dir / ".staging"
    _wait_for(
        lambda: list(staged.glob("*/mentions.parquet")) if staged.exists() else [],
        proc=proc,
        what="the writer staged a batch",
    )
    workers = [int(p.name) for p in pids.iterdir()]
    assert workers, "no batch reached a worker"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    after = _sorted_tables(Store(store_dir))
    for name in TABLES:
        pd.testing.assert_frame_equal(before[name], after[name], obj=name)
    # The orphaned workers notice the writer is gone and exit.
    deadline = time.time() + 15
    while time.time() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers), "worker processes outlived the writer"
    done = subprocess.run(_ingest_cmd(corpus, store_dir), cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert Store(store_dir).counts()["articles"] == 403


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) counts as gone.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split()[2] != "Z"
    except OSError:
        return False


FRENCH = (
    "Le Royaume-Uni a annoncé mardi de nouvelles sanctions contre la Russie, a déclaré le "
    "ministre des Affaires étrangères à Londres devant les députés."
)


def test_languages_are_detected_in_the_workers_where_missing(tmp_path):
    frame = pd.DataFrame(
        {
            "article_id": ["a", "b", "c"],
            "text": [TEXT.format(i=1), FRENCH, FRENCH],
            "language": pd.array([None, None, "xx"], dtype="string"),
        }
    )
    out = detect_languages(frame)
    assert out["language"].tolist() == ["en", "fr", "xx"]  # a given language is kept
    assert frame["language"].isna().sum() == 2  # the input is not changed
    # Through a pool, the stored languages are those of an ingest in process.
    corpus = _make_corpus(tmp_path / "in", 6)
    (corpus / "fr.txt").write_text(FRENCH, encoding="utf-8")
    one, two = Store(tmp_path / "one"), Store(tmp_path / "two")
    ingest_paths([corpus], store=one, batch_size=3, progress=False)
    with ProcessEngine(workers=2) as engine:
        ingest_paths([corpus], store=two, batch_size=3, progress=False, engine=engine)
    sql = "SELECT language, count(*) AS n FROM articles GROUP BY 1 ORDER BY 1"
    assert one.query(sql).to_dict("records") == [
        {"language": "en", "n": 6},
        {"language": "fr", "n": 1},
    ]
    pd.testing.assert_frame_equal(one.query(sql), two.query(sql))


@given(n=st.integers(0, 5000), parts=st.integers(1, 16), least=st.integers(1, 600))
def test_split_rows_covers_every_row_once_in_even_chunks(n, parts, least):
    chunks = split_rows(n, parts=parts, least=least)
    assert [i for c in chunks for i in range(c.start, c.stop)] == list(range(n))
    assert 1 <= len(chunks) <= parts
    sizes = [c.stop - c.start for c in chunks]
    assert max(sizes) - min(sizes) <= 1
    assert len(chunks) == 1 or min(sizes) >= least


def test_split_rows_of_a_default_batch_gives_each_of_two_workers_two_chunks():
    assert split_rows(2000, parts=4) == [slice(0, 500), slice(500, 1000), slice(1000, 1500),
                                         slice(1500, 2000)]  # fmt: skip
    assert split_rows(300, parts=4) == [slice(0, 300)]  # under two chunks' least: whole


def _frame(n: int, start: int = 0) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(start, start + n)],
            "text": [TEXT.format(i=i) for i in range(start, start + n)],
            "published": [None] * n,
            "origin": [f"f{i}.txt" for i in range(start, start + n)],
        }
    )


def test_joined_chunk_results_equal_the_whole_batch():
    whole = extract_batch(_frame(9))
    joined = join_results([extract_batch(_frame(4)), extract_batch(_frame(5, start=4))])
    pd.testing.assert_frame_equal(joined[0], whole[0])
    for name, table in whole[1].items():
        pd.testing.assert_frame_equal(joined[1][name], table, obj=name)
    assert joined[2] == whole[2] == []


def test_batches_in_chunks_store_the_same_tables_as_one_process(tmp_path):
    corpus = _make_corpus(tmp_path / "in", 90)
    one, two = Store(tmp_path / "one"), Store(tmp_path / "two")
    ingest_paths([corpus], store=one, batch_size=30, progress=False)
    with ProcessEngine(workers=2, chunk_least=5) as engine:
        report = ingest_paths([corpus], store=two, batch_size=30, progress=False, engine=engine)
    assert report.added == 90 and len(report.batches) == 3
    assert engine.chunks_sent == 3 * 4  # each batch in two chunks per worker
    _assert_same_tables(one, two)


def test_a_worker_killed_while_a_batch_is_in_chunks_is_replaced_and_the_batch_whole():
    frame = _frame(120)
    expected = extract_batch(frame)
    with ProcessEngine(workers=2, chunk_least=10) as engine:
        job = engine.submit(frame, mentions="gazetteer", dates="rules")
        assert len(job.futures) == 4
        victim = next(iter(engine._pool._processes.values()))  # workers still starting up
        victim.kill()
        got = engine.result(job)
    assert engine.restarts == 1
    pd.testing.assert_frame_equal(got[0], expected[0])
    for name, table in expected[1].items():  # same rows; a table's order is per chunk
        pd.testing.assert_frame_equal(_sorted(got[1][name]), _sorted(table), obj=name)


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values(list(df.columns)).reset_index(drop=True)


def test_workers_start_while_the_first_batch_is_read_and_take_it(tmp_path):
    corpus = _make_corpus(tmp_path / "in", 12)
    with ProcessEngine(workers=2) as engine:
        report = ingest_paths(
            [corpus], store=Store(tmp_path / "s"), progress=False, engine=engine, batch_size=40
        )
        assert engine.started  # a quarter of the batch (10 articles) was read
    assert report.added == 12
    assert f"{os.uname().nodename}:{os.getpid()}" not in engine.placements


def test_a_batch_submitted_after_a_worker_died_goes_to_the_new_pool():
    frame = _frame(20)
    expected = extract_batch(frame)
    with ProcessEngine(workers=2) as engine:
        engine.prepare()
        first = engine.submit(_frame(3, start=100), mentions="gazetteer", dates="rules")
        engine.result(first)  # the workers are up
        next(iter(engine._pool._processes.values())).kill()
        deadline = time.time() + 30
        while not engine._pool._broken and time.time() < deadline:
            time.sleep(0.05)  # the pool notices the death on its own
        job = engine.submit(frame, mentions="gazetteer", dates="rules")
        got = engine.result(job)
    assert engine.restarts == 1
    pd.testing.assert_frame_equal(got[0], expected[0])
    for name, table in expected[1].items():
        pd.testing.assert_frame_equal(_sorted(got[1][name]), _sorted(table), obj=name)
