"""The query engine's tables on disk: built once per store version, read back by later engines.

A later process is simulated by a new :class:`Engine` on the same store (``engine_for`` caches
one per process).
"""

from __future__ import annotations

import pandas as pd
import pytest

from core.analytics.evidence import find_evidence
from core.analytics.frequencies import count_mentions
from core.analytics.pairs.cooccurrence import count_pairs, find_pair_evidence
from core.analytics.query import engine as engine_module
from core.analytics.query import engine_files
from core.analytics.query.engine import Engine, engine_for
from core.analytics.sources import count_terms
from core.entities.rules import add_rule
from core.store import Store
from tests.analytics.query.test_analytics_filters import DOCS, make_store


@pytest.fixture
def tiny(tmp_path) -> Store:
    return make_store(tmp_path / "store", DOCS)


def _all_files(store: Store) -> set[str]:
    """The table files in the store's (one) engine folder."""
    folders = list((store.path / engine_files.DERIVED_DIR).glob(f"{engine_files.PREFIX}*"))
    assert len(folders) == 1
    return {p.name for p in folders[0].glob("*.duckdb")}


def _files(store: Store) -> dict[str, str]:
    """Table name -> file name (the newest when there are several) in the engine folder."""
    folder = next((store.path / engine_files.DERIVED_DIR).glob(f"{engine_files.PREFIX}*"))
    paths = sorted(folder.glob("*.duckdb"), key=lambda p: p.stat().st_mtime_ns)
    return {p.name.rsplit("-", 1)[0]: p.name for p in paths}


def test_a_later_engine_reads_the_tables_back_without_resolving_again(tiny, monkeypatch):
    want = count_mentions(tiny, top=10)
    pairs = count_pairs(tiny, window="article", top=5)
    written = _files(tiny)
    assert {"a", "m", "ent", "sent", "txt", "resolution", "we_article"} <= set(written)

    def refuse(store):
        raise AssertionError("the resolution was read again")

    monkeypatch.setattr(engine_module, "read_resolution", refuse)
    later = Engine(tiny)
    assert (
        later.df("SELECT count(*) AS n FROM m")["n"].iloc[0]
        == engine_for(tiny).df("SELECT count(*) AS n FROM m")["n"].iloc[0]
    )
    monkeypatch.setattr(engine_module, "_ENGINES", engine_module.OrderedDict())
    pd.testing.assert_frame_equal(count_mentions(tiny, top=10), want)
    pd.testing.assert_frame_equal(count_pairs(tiny, window="article", top=5), pairs)
    assert _files(tiny) == written  # nothing rebuilt


def test_a_correction_rebuilds_the_mention_tables_but_keeps_the_texts(tiny):
    count_mentions(tiny, top=10)
    count_terms(tiny)
    before, files_before = _files(tiny), _all_files(tiny)
    add_rule(tiny, "merge", "Vladimir Putin", "Russia")
    after_counts = count_mentions(tiny, top=10)
    after = _files(tiny)
    for kept in ("a", "sent", "txt", "src", "terms_all"):
        assert after[kept] == before[kept], kept
    # the old mention tables stay beside the new ones until the batches change
    assert after["m"] != before["m"] and _all_files(tiny) > files_before
    assert "Vladimir Putin" not in set(after_counts["entity"])
    row = after_counts.loc[after_counts["entity"] == "Russia"].iloc[0]
    assert row["n_mentions"] == 4 + 2  # Russia x 3 + 1 and Putin x 2 in a1, a2


def test_a_new_batch_gets_a_new_folder_and_the_old_one_goes(tiny):
    count_mentions(tiny)
    old = list((tiny.path / engine_files.DERIVED_DIR).glob(f"{engine_files.PREFIX}*"))
    make_store(tiny.path, [{**DOCS[2], "id": "a9"}])
    assert count_mentions(tiny, by=())["n_mentions"].iloc[0] > 0
    new = list((tiny.path / engine_files.DERIVED_DIR).glob(f"{engine_files.PREFIX}*"))
    assert len(old) == len(new) == 1 and old != new


def test_a_store_that_cannot_be_written_keeps_its_tables_in_a_private_folder(tiny, monkeypatch):
    monkeypatch.setattr(engine_files, "engine_folder", lambda store: None)
    eng = Engine(tiny)
    folder = eng.folder
    assert folder is not None and not str(folder).startswith(str(tiny.path))
    assert any(folder.glob("m-*.duckdb"))
    assert not list((tiny.path / engine_files.DERIVED_DIR).glob(f"{engine_files.PREFIX}*"))
    del eng
    import gc

    gc.collect()
    assert not folder.exists()


def test_an_empty_store_writes_nothing(tmp_path):
    eng = Engine(Store(tmp_path / "nothing"))
    assert eng.df("SELECT count(*) AS n FROM m")["n"].iloc[0] == 0
    assert not (tmp_path / "nothing").exists()


def test_evidence_reads_the_texts_of_its_rows(tiny):
    texts = dict(tiny.query("SELECT article_id, text FROM articles").to_numpy())
    rows = find_evidence(tiny, entity="Russia", limit=None)
    counts = count_mentions(tiny).set_index("entity")
    assert len(rows) == counts.loc["Russia", "n_mentions"] > 1
    for _, r in rows.iterrows():
        text, start = texts[r["article_id"]], r["start_char"] - r["start_in_sentence"]
        assert r["sentence_text"] == text[start : start + len(r["sentence_text"])]
        assert r["sentence_text"][r["start_in_sentence"] : r["end_in_sentence"]] == "Russia"
    pair = find_pair_evidence(tiny, None, "North Korea", "Russia", limit=None)
    assert len(pair) == 2
    for _, r in pair.iterrows():
        text = texts[r["article_id"]]
        window = text[r["window_start"] : r["window_start"] + len(r["window_text"])]
        assert r["window_text"] == window and "Russia" in window and "North Korea" in window


def test_the_memo_keeps_the_most_recently_used_entries():
    memo = engine_files.Memo(size=2)
    memo["a"], memo["b"] = 1, 2
    assert memo.get("a") == 1  # a is now the most recent
    memo["c"] = 3
    assert set(memo) == {"a", "c"} and memo.get("b") is None
    assert memo.pop("a", None) == 1 and memo.pop("a", None) is None


def test_memo_builds_a_missing_value_once_for_concurrent_callers():
    import threading
    import time

    memo, calls = engine_files.Memo(size=2), []

    def build():
        calls.append(1)
        time.sleep(0.05)  # long enough for the other threads to ask meanwhile
        return "built"

    got = []
    threads = [
        threading.Thread(target=lambda: got.append(memo.get_or_build("k", build))) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == ["built"] * 4 and calls == [1]
    assert memo.get_or_build("k", lambda: "other") == "built"


def test_the_buffer_pool_is_bounded(tiny, monkeypatch):
    monkeypatch.setenv("PRESSLENS_ENGINE_MEMORY_MB", "128")
    eng = Engine(tiny)
    limit = eng.df("SELECT current_setting('memory_limit') AS v")["v"].iloc[0]
    assert limit.replace(" ", "") in ("128.0MiB", "122.0MiB", "128.0MB", "122.0MB")
    monkeypatch.setenv("PRESSLENS_ENGINE_MEMORY_MB", "lots")
    assert engine_files.memory_limit_mb() == engine_files.DEFAULT_MEMORY_MB


def test_a_folder_that_cannot_be_written_keeps_the_tables_in_memory(tiny, monkeypatch):
    want = count_mentions(tiny, top=10)
    folder = Engine(tiny).folder

    def refuse(path):
        raise PermissionError(f"{path}: read-only")

    monkeypatch.setattr(engine_files, "building", refuse)
    for f in folder.glob("*.duckdb"):
        f.unlink()
    monkeypatch.setattr(engine_module, "_ENGINES", engine_module.OrderedDict())
    pd.testing.assert_frame_equal(count_mentions(tiny, top=10), want)
    assert not list(folder.glob("*.duckdb"))
