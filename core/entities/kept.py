"""The kept rows of a store's resolution, streamed from its file (issue 15).

A reader of every kept row (the query engine's own copy of the resolution) needs them once, in
order; as a frame they are 14M rows and gigabytes at a million articles, held next to the
copy being written. Read a batch at a time from the resolution's Parquet file instead, when no
rule changes them (rules are applied in memory, :mod:`core.entities.rules`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from core.entities.derived import auto_resolution, forget_resolutions, resolution_path
from core.entities.rules import read_rules
from core.store import Store


def read_kept_batches(store: Store, columns: list[str]) -> pa.RecordBatchReader | None:
    """The rows of :func:`core.entities.derived.read_resolution` with ``status`` kept, in
    its order, streamed from the resolution's file (built and written first if needed, then
    not kept in memory).

    Returns: a reader of ``columns`` (one row per kept (article_id, entity, text)), or None
    when the store has rules, no batch, or a resolution that could not be written (a
    read-only store: the caller reads it as a frame, kept in memory by the build).
    """
    if not store.batch_ids() or not read_rules(store).empty:
        return None
    path = resolution_path(store)
    if not _readable(path):
        auto_resolution(store)  # builds and writes it
        if not _readable(path):
            return None
        forget_resolutions()
        pa.default_memory_pool().release_unused()
    source = pq.ParquetFile(path)
    schema = pa.schema([source.schema_arrow.field(c) for c in columns])

    def kept() -> Iterator[pa.RecordBatch]:
        for batch in source.iter_batches(columns=[*columns, "status"]):
            yield batch.filter(pc.equal(batch.column("status"), "kept")).select(columns)

    return pa.RecordBatchReader.from_batches(schema, kept())


def _readable(path: Path) -> bool:
    """True when ``path`` is a Parquet file whose footer can be read."""
    try:
        pq.read_metadata(path)
    except (OSError, ValueError):
        return False
    return True
