"""Clear errors (one line naming the file and what to do) and the check command."""

from __future__ import annotations

import errno
import shutil

import pyarrow.parquet as pq
import pytest

from core.check import NoStoreError, check_store, open_store, store_state
from core.cli import main
from core.errors import describe_error
from core.ingest import ingest_paths
from core.store import FORMAT_FILE, Store, StoreError
from tests.conftest import SAMPLES


@pytest.fixture
def two_batches(tmp_path):
    """A store of two batches: the two seed articles, one per batch."""
    store = Store(tmp_path / "store")
    for seed in sorted(SAMPLES.iterdir()):
        ingest_paths([seed], store=store, progress=False)
    assert len(store.batch_ids()) == 2
    return store


def _truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _one_line_error(capsys) -> str:
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert "Traceback" not in captured.err
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("error: ")
    return lines[0]


def test_stats_names_a_truncated_parquet_file_in_one_line(two_batches, capsys):
    damaged = two_batches.batches_dir / two_batches.batch_ids()[0] / "mentions.parquet"
    _truncate(damaged)
    assert main(["stats", "--store", str(two_batches.path)]) == 1
    line = _one_line_error(capsys)
    assert str(damaged) in line and "--quarantine" in line


def test_debug_shows_the_traceback(two_batches, capsys):
    _truncate(two_batches.batches_dir / two_batches.batch_ids()[0] / "articles.parquet")
    assert main(["--debug", "stats", "--store", str(two_batches.path)]) == 1
    assert "Traceback" in capsys.readouterr().err


def test_check_finds_and_quarantines_a_damaged_batch(two_batches, capsys):
    bad, good = two_batches.batch_ids()
    damaged = two_batches.batches_dir / bad / "dates.parquet"
    _truncate(damaged)
    assert main(["check", "--store", str(two_batches.path)]) == 1
    out = capsys.readouterr().out
    assert f"problem: {damaged}: unreadable" in out and "--quarantine" in out
    assert main(["check", "--store", str(two_batches.path), "--quarantine"]) == 1
    assert f"quarantined: batch {bad}" in capsys.readouterr().out
    assert two_batches.batch_ids() == [good]
    assert (two_batches.path / "quarantine" / bad / "dates.parquet").exists()  # kept
    assert main(["check", "--store", str(two_batches.path)]) == 0
    assert "1 batch(es), 1 article(s), 0 problem(s)" in capsys.readouterr().out
    assert main(["stats", "--store", str(two_batches.path)]) == 0  # the rest is usable


def test_check_finds_duplicate_ids_and_orphan_rows(two_batches):
    first, second = two_batches.batch_ids()
    # A copy of a batch (as a lockless writer would leave): every article twice.
    shutil.copytree(two_batches.batches_dir / first, two_batches.batches_dir / f"{first}x")
    # A batch whose articles file lost its rows: its mentions name no stored article.
    articles = two_batches.batches_dir / second / "articles.parquet"
    pq.write_table(pq.read_table(articles).slice(0, 0), articles)
    report = check_store(two_batches)
    text = report.summary()
    assert not report.ok
    assert "stored 2 times" in text
    assert f"{second}/mentions.parquet: " in text and "not in the articles table" in text


def test_a_sound_store_checks_clean(two_batches):
    report = check_store(two_batches)
    assert report.ok and report.articles == 2 and report.batches == 2


@pytest.mark.parametrize("command", [["stats"], ["export", "articles"], ["check"]])
def test_reading_commands_on_no_store_exit_2(tmp_path, capsys, command):
    for path in (tmp_path / "missing", tmp_path):  # absent, and an empty folder
        assert main([*command, "--store", str(path)]) == 2
        assert f"no store at {path}" in _one_line_error(capsys)


def test_an_empty_store_is_told_apart_from_a_missing_one(tmp_path, capsys):
    (tmp_path / "store" / "batches").mkdir(parents=True)
    assert store_state(tmp_path / "store") == "empty"
    assert store_state(tmp_path / "nothing") == "missing"
    assert main(["stats", "--store", str(tmp_path / "store")]) == 0
    assert "empty: no article stored yet" in capsys.readouterr().out
    with pytest.raises(NoStoreError):
        open_store(tmp_path / "nothing")


def test_a_store_of_a_newer_format_is_refused(two_batches, capsys):
    assert (two_batches.path / FORMAT_FILE).read_text().strip() == "1"
    (two_batches.path / FORMAT_FILE).write_text("7\n")
    assert main(["stats", "--store", str(two_batches.path)]) == 1
    assert "has format '7'" in _one_line_error(capsys)
    new = two_batches.path.parent / "new.txt"
    new.write_text("Snow fell in Bergen on Tuesday.", encoding="utf-8")
    with pytest.raises(StoreError, match="upgrade Presslens"):
        ingest_paths([new], store=two_batches, progress=False)
    assert len(two_batches.batch_ids()) == 2


def test_a_full_disk_during_ingest_is_one_line_and_stores_nothing(tmp_path, monkeypatch, capsys):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "x.parquet"))

    monkeypatch.setattr(pq, "write_table", full)
    assert main(["ingest", str(SAMPLES), "--store", str(tmp_path / "store")]) == 1
    line = _one_line_error(capsys)
    assert "x.parquet: the disk is full" in line and "run the same command again" in line
    assert Store(tmp_path / "store").batch_ids() == []
    assert not any((tmp_path / "store" / ".staging").iterdir())  # no half batch left


def test_a_read_only_store_is_one_line(tmp_path, monkeypatch, capsys):
    import core.locks

    def read_only(path, *args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    monkeypatch.setattr(core.locks.os, "open", read_only)
    assert main(["ingest", str(SAMPLES), "--store", str(tmp_path / "store")]) == 1
    assert "read-only: choose a --store on a writable disk" in _one_line_error(capsys)


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (PermissionError(errno.EACCES, "Permission denied", "/s/a.parquet"), "/s/a.parquet: perm"),
        (FileNotFoundError(errno.ENOENT, "No such file", "/in/x.txt"), "/in/x.txt: no such"),
        (OSError("IOError: No space left on device"), "the disk is full"),
        (RecursionError("maximum recursion depth exceeded"), "nested too deeply"),
        (RuntimeError("odd\nsecond line"), "RuntimeError: odd (an unexpected error"),
    ],
)
def test_describe_error_is_one_line_with_what_to_do(exc, expected):
    line = describe_error(exc)
    assert "\n" not in line and expected in line


def test_the_dashboard_names_a_truncated_file_in_one_line(two_batches, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import REPO

    damaged = two_batches.batches_dir / two_batches.batch_ids()[0] / "mentions.parquet"
    _truncate(damaged)
    monkeypatch.setenv("PRESSLENS_STORE", str(two_batches.path))
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    shown = [e.value for e in [*at.error, *at.sidebar.error]]
    assert any(str(damaged) in m and "--quarantine" in m for m in shown), shown
    assert all("Traceback" not in m for m in shown)
