"""Store upkeep: merge many small batches into fewer, larger ones while readers keep reading.

Every ingest run, dashboard upload or feed poll commits at least one batch folder, and a
reader opens every table file of every batch: ten thousand small batches make every query
slow. ``compact_store`` merges runs of small batches (in commit order) into batches of about
``target_articles`` articles.

The protocol (each step is safe to be killed at, and readers never see a row twice or miss
one):

1. Take the store's write lock (``Store.writing``): no ingest commits while we merge (the
   lock is released for step 3 and taken again for step 4).
2. Write the merged tables into ``.staging/<id>-compact/`` with a ``SUPERSEDES`` file naming
   the batches it replaces, then ``os.rename`` the folder into ``batches/`` (atomic, as for
   any batch). From that instant the replaced batches are *superseded*: ``Store.batch_ids``
   lists only live batches (a folder named in the ``SUPERSEDES`` of a listed batch is not
   live), and ``Store.relation_sql`` reads an explicit list of the live batches' files, so
   a reader lists either the old batches or the merged one, never both and never neither.
   (A reader that globs ``batches/*/<table>.parquet`` itself, bypassing ``Store``, sees
   both for the ``grace`` seconds of step 3: read through ``Store``.)
3. Wait ``grace`` seconds: a reader that listed the old batches just before the rename has
   bound their file names and opens them within that time (DuckDB opens every file of a
   query when it starts scanning); an open file stays readable after it is removed.
4. Remove the superseded folders (renamed into ``.trash/`` first, so a half-deleted folder is
   never visible in ``batches/``). A compaction killed before this step leaves superseded
   folders that readers already ignore; the next compaction removes them.

A SIGKILL at step 2 leaves a staging folder (removed by the next writer); at step 3 or 4,
superseded folders (ignored by readers, removed by the next compaction). Nothing is lost at
any point: the old batches go only once the merged batch holding their rows is committed.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from core.schema import TABLES, arrow_schema
from core.store import Store

__all__ = [
    "CompactReport",
    "SUPERSEDES",
    "compact_store",
    "plan_compaction",
    "read_batch_sizes",
    "remove_superseded",
]

SUPERSEDES = "SUPERSEDES"  # in a merged batch: the ids of the batches it replaces, one a line
COMPACT_SUFFIX = "-compact"
DEFAULT_TARGET = 100_000  # articles per merged batch (~0.3 GB of Parquet on news text)
DEFAULT_GRACE = 30.0  # seconds the old batches stay for readers that listed them


@dataclass
class CompactReport:
    """What a compaction did."""

    batches_before: int = 0
    batches_after: int = 0
    merged: list[tuple[str, list[str]]] = field(default_factory=list)  # (new id, old ids)
    removed: int = 0  # superseded folders deleted

    def summary(self) -> str:
        groups = sum(len(old) for _, old in self.merged)
        return (
            f"{self.batches_before} batch(es) -> {self.batches_after}: merged {groups} into "
            f"{len(self.merged)}, removed {self.removed} superseded folder(s)"
        )


def read_batch_sizes(store: Store) -> list[tuple[str, int, int]]:
    """The live batches of ``store``, oldest first.

    Returns: one ``(batch_id, articles, bytes on disk)`` per live batch.
    """
    out = []
    for batch in store.batch_ids():
        folder = store.batches_dir / batch
        size = sum(f.stat().st_size for f in folder.iterdir() if f.is_file())
        articles = folder / "articles.parquet"
        n = pq.ParquetFile(articles).metadata.num_rows if articles.exists() else 0
        out.append((batch, n, size))
    return out


def plan_compaction(sizes: list[tuple[str, int, int]], *, target: int) -> list[list[str]]:
    """Group consecutive small batches into runs of about ``target`` articles.

    A batch of at least ``target / 2`` articles stays as it is; a group of one batch is no
    merge. Returns: the groups to merge, each a list of batch ids in commit order.
    """
    groups: list[list[str]] = []
    run: list[str] = []
    total = 0
    for batch, n, _ in sizes:
        if n >= target / 2:  # big enough: it ends the run before it
            if len(run) > 1:
                groups.append(run)
            run, total = [], 0
            continue
        if run and total + n > target:
            if len(run) > 1:
                groups.append(run)
            run, total = [], 0
        run.append(batch)
        total += n
    if len(run) > 1:
        groups.append(run)
    return groups


def compact_store(
    store: Store,
    *,
    target_articles: int = DEFAULT_TARGET,
    grace: float = DEFAULT_GRACE,
    wait: bool = True,
) -> CompactReport:
    """Merge runs of small batches of ``store`` (see the module docstring for the protocol).

    ``grace`` is how long replaced batches stay on disk for readers that listed them just
    before the switch; ``wait`` False refuses at once if another writer holds the store.

    Returns: the ``CompactReport``.
    """
    report = CompactReport()
    with store.writing(wait=wait):
        report.removed += remove_superseded(store, grace=grace)
        sizes = read_batch_sizes(store)
        report.batches_before = len(sizes)
        for group in plan_compaction(sizes, target=target_articles):
            report.merged.append((_merge(store, group), group))
        report.batches_after = len(store.batch_ids())
    if not report.merged:
        return report
    # Ingests may commit during the wait: only the removal below needs the lock again. A
    # margin past the grace covers the moments between writing a marker and the switch.
    time.sleep(grace + min(grace, 1.0))
    with store.writing(wait=wait):
        report.removed += remove_superseded(store, grace=grace)
    return report


def _merge(store: Store, group: list[str]) -> str:
    """Write the batches of ``group`` as one batch that supersedes them; returns its id."""
    batch_id = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}{COMPACT_SUFFIX}"
    stage = store.staging_dir / batch_id
    stage.mkdir(parents=True)
    try:
        for name in TABLES:
            files = [store.batches_dir / b / f"{name}.parquet" for b in group]
            table = _read_conformed([f for f in files if f.exists()], name)
            path = stage / f"{name}.parquet"
            pq.write_table(table, path)
            _fsync(path)
        marker = stage / SUPERSEDES
        marker.write_text("".join(f"{b}\n" for b in group), encoding="utf-8")
        _fsync(marker)
        _fsync(stage)
        os.rename(stage, store.batches_dir / batch_id)  # the switch: atomic
        _fsync(store.batches_dir)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return batch_id


def _read_conformed(files: list[Path], name: str) -> pa.Table:
    """The rows of ``files`` (one table's files, in batch order) in the schema's columns and
    types; a column an older batch lacks is null, a table none of them has is empty."""
    schema = arrow_schema(name)
    parts = []
    for file in files:
        found = pq.read_table(file)
        columns = [
            found.column(f.name).cast(f.type)
            if f.name in found.column_names
            else pa.nulls(found.num_rows, f.type)
            for f in schema
        ]
        parts.append(pa.Table.from_arrays(columns, schema=schema))
    return pa.concat_tables(parts) if parts else schema.empty_table()


def remove_superseded(store: Store, *, grace: float) -> int:
    """Delete the batch folders a merged batch replaced, once it is ``grace`` seconds old.

    Call under the write lock. Returns: the number of folders removed.
    """
    if not store.batches_dir.is_dir():
        return 0
    removed = 0
    trash = store.path / ".trash"
    for merged in store.batches_dir.iterdir():
        marker = merged / SUPERSEDES
        if not marker.is_file() or time.time() - marker.stat().st_mtime < grace:
            continue
        for old in marker.read_text(encoding="utf-8").split():
            folder = store.batches_dir / old
            if not folder.is_dir():
                continue
            trash.mkdir(exist_ok=True)
            target = trash / old
            os.rename(folder, target)
            shutil.rmtree(target, ignore_errors=True)
            removed += 1
    if trash.is_dir():
        shutil.rmtree(trash, ignore_errors=True)
    return removed


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
