"""Is there a store, and is it sound? ``python -m core check``.

``open_store`` tells a missing store (``NoStoreError``: "no store at PATH") from an empty
one (a store folder with no batch yet) and refuses a store written by a newer Presslens.
``check_store`` reads every file of every live batch and verifies that article ids are
unique across the store and that every row of the other tables names a stored article; with
``quarantine`` it moves each damaged batch (an unreadable or missing table file) out of
``batches/`` into ``quarantine/``, under the write lock, so the rest of the store stays
usable. A quarantined batch is kept, not deleted: its readable files can be recovered by
hand, or its inputs ingested again.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from core.schema import TABLES
from core.store import Store, StoreError, read_store_format

QUARANTINE = "quarantine"


class NoStoreError(StoreError):
    """The path holds no store at all (missing folder, or a folder that is not a store)."""


def store_state(path: str | os.PathLike[str]) -> str:
    """``missing`` (no store there), ``empty`` (a store with no batch yet) or ``ready``."""
    store = Store(path)
    if store.batch_ids():
        return "ready"
    markers = (store.batches_dir, store.staging_dir, store.path / "FORMAT", store.path / ".lock")
    return "empty" if any(m.exists() for m in markers) else "missing"


def open_store(path: str | os.PathLike[str] | None) -> Store:
    """The store at ``path`` (None: the default store), for reading.

    Raises ``NoStoreError`` when there is no store there, ``StoreError`` when the store was
    written by a newer Presslens. Returns: the ``Store`` (possibly empty: see ``store_state``).
    """
    store = Store(path)
    if store.path.exists() and not store.path.is_dir():
        raise NoStoreError(f"no store at {store.path} (it is a file, not a store folder)")
    if store_state(store.path) == "missing":
        raise NoStoreError(
            f"no store at {store.path}; build one with `python -m core ingest FILES "
            f"--store {store.path}`"
        )
    read_store_format(store.path)  # raises on a format this version cannot read
    return store


@dataclass
class Problem:
    """One thing wrong with a store: where (batch, file) and what."""

    batch: str | None
    file: str | None
    what: str
    damaged: bool = False  # the batch cannot be read: quarantine sets it aside

    def __str__(self) -> str:
        where = self.file or (f"batch {self.batch}" if self.batch else "store")
        return f"{where}: {self.what}"


@dataclass
class CheckReport:
    """What ``check_store`` found: counts, problems, batches set aside."""

    store: str
    batches: int = 0
    articles: int = 0
    problems: list[Problem] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        lines = [
            f"store {self.store}: {self.batches} batch(es), {self.articles} article(s), "
            f"{len(self.problems)} problem(s)"
        ]
        lines += [f"problem: {p}" for p in self.problems]
        lines += [f"quarantined: batch {b} (moved to {QUARANTINE}/)" for b in self.quarantined]
        damaged = [p for p in self.problems if p.damaged]
        if damaged and not self.quarantined:
            lines.append(
                f"to set the damaged batch(es) aside and keep using the rest: "
                f"python -m core check --store {self.store} --quarantine"
            )
        return "\n".join(lines)


def check_store(store: Store, *, quarantine: bool = False) -> CheckReport:
    """Verify ``store``: every file of every batch readable, ids unique, no orphan rows.

    Returns: the ``CheckReport``; with ``quarantine``, damaged batches were moved to
    ``STORE/quarantine/`` (and are no longer read) and the rest was checked without them.
    """
    report = CheckReport(str(store.path))
    batches = store.batch_ids()
    ids: dict[str, list[str]] = {}  # batch -> its article ids
    others: dict[str, dict[str, set[str]]] = {}  # batch -> table -> article ids named
    for batch in batches:
        folder = store.batches_dir / batch
        found, named = _read_batch(folder, batch, report)
        if found is None:
            continue
        ids[batch] = found
        others[batch] = named
    damaged = sorted({p.batch for p in report.problems if p.damaged and p.batch})
    if quarantine and damaged:
        with store.writing():
            target = store.path / QUARANTINE
            target.mkdir(exist_ok=True)
            for batch in damaged:
                os.rename(store.batches_dir / batch, target / batch)
                report.quarantined.append(batch)
    report.batches = len(batches) - len(report.quarantined)
    counts = Counter(i for found in ids.values() for i in found)
    report.articles = len(counts)
    for article_id, n in sorted(counts.items()):
        if n > 1:
            where = [b for b, found in ids.items() if article_id in found]
            report.problems.append(
                Problem(None, None, f"article {article_id} stored {n} times (batches {where})")
            )
    stored = set(counts)
    for batch, named in others.items():
        for table, article_ids in named.items():
            orphans = article_ids - stored
            if orphans:
                report.problems.append(
                    Problem(
                        batch,
                        str(store.batches_dir / batch / f"{table}.parquet"),
                        f"{len(orphans)} article id(s) not in the articles table "
                        f"(e.g. {sorted(orphans)[0]})",
                    )
                )
    return report


def _read_batch(
    folder: Path, batch: str, report: CheckReport
) -> tuple[list[str] | None, dict[str, set[str]]]:
    """Read every table file of one batch. Returns: its article ids (None when damaged) and,
    per other table, the article ids its rows name."""
    found: list[str] | None = None
    named: dict[str, set[str]] = {}
    damaged = False
    for name in TABLES:
        path = folder / f"{name}.parquet"
        if not path.exists():
            if name == "articles":
                report.problems.append(
                    Problem(batch, str(path), "missing: the batch has no articles", True)
                )
                damaged = True
            continue  # a table added to the schema after this batch was written
        try:
            table = pq.read_table(path)
            column = table.column("article_id").to_pylist()
        except (OSError, pa.ArrowException, KeyError, ValueError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            reason = reason.replace(f"'{path}'", "").replace("  ", " ")
            report.problems.append(Problem(batch, str(path), f"unreadable ({reason})", True))
            damaged = True
            continue
        if name == "articles":
            found = column
        else:
            named[name] = set(column)
    return (None if damaged else found), named
