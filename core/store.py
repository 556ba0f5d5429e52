"""The embedded store: a folder of Parquet tables queried through DuckDB.

Layout::

    STORE/batches/<batch_id>/<table>.parquet   one folder per committed batch
    STORE/.staging/<batch_id>/                 a batch being written
    STORE/.derived/stories-<version>.parquet   results derived from one store version
                                               (core.analytics.reuse.stories); safe to delete

A batch is written into ``.staging`` and then moved into ``batches/`` with a
single ``os.rename`` of its folder, which is atomic on POSIX: a reader (or a
SIGKILL) sees either the whole batch or none of it. Readers list the live
``batches/*/<table>.parquet`` at query time, so they keep working while an
ingest runs (or ``core.compact`` merges batches). Leftover staging folders of
killed ingests are ignored by readers and removed by the next writer.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TypeVar

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from core.locks import hold_write_lock
from core.schema import TABLES, arrow_schema, conform, empty_table, validate

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_STORE = REPO_ROOT / "data" / "store"
SAMPLES = REPO_ROOT / "data" / "samples"

T = TypeVar("T")


def default_store_path() -> Path:
    """Return ``$PRESSLENS_STORE`` if set, else the repo's ``data/store``."""
    env = os.environ.get("PRESSLENS_STORE")
    return Path(env) if env else DEFAULT_STORE


class StoreError(RuntimeError):
    """A store folder that cannot be read or written."""


# The store layout's version, in ``STORE/FORMAT`` (written with the first batch; a store
# without the file is format 1). A newer layout bumps it, so an older Presslens refuses the
# store with a message instead of misreading it.
STORE_FORMAT = 1
FORMAT_FILE = "FORMAT"


def read_store_format(path: str | os.PathLike[str]) -> int:
    """The layout version of the store at ``path``.

    Raises ``StoreError`` (saying what to do) for a version newer than this code reads.
    Returns: the version (1 for a store written before the ``FORMAT`` file existed).
    """
    marker = Path(path) / FORMAT_FILE
    try:
        raw = marker.read_text(encoding="utf-8", errors="replace").strip()
    except FileNotFoundError:
        return 1
    except OSError as exc:
        raise StoreError(f"cannot read {marker}: {(exc.strerror or str(exc)).lower()}") from exc
    if not raw.isdigit() or int(raw) > STORE_FORMAT:
        raise StoreError(
            f"store {path} has format {raw[:20]!r}, this Presslens reads format {STORE_FORMAT} "
            "and older: upgrade Presslens, or choose another --store"
        )
    return int(raw)


_PARQUET_PATH = re.compile(r"'([^']+\.parquet)'")


def describe_read_error(path: Path, exc: BaseException) -> str:
    """One line for a store file DuckDB could not read: the file, the reason, what to do."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    found = _PARQUET_PATH.search(str(exc))
    where = found.group(1) if found else str(path)
    reason = first.split(": ", 1)[-1] if ": " in first else first
    reason = _PARQUET_PATH.sub("", reason).strip(" :")
    return (
        f"cannot read {where} ({reason}); run `python -m core check --store {path} "
        "--quarantine` to set the damaged batch aside and use the rest"
    )


class Store:
    """A Presslens store folder. Cheap to create; connections are per thread."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_store_path()
        self._local = threading.local()
        # The article ids of each committed batch, read once per batch (batches never change):
        # an ingest checks every new batch against the store without re-reading all of it.
        self._batch_article_ids: dict[str, int] = {}  # batch -> its articles, read into:
        self._stored_ids: set[str] = set()  # the ids of those batches (see stored_among)

    # -- layout ---------------------------------------------------------------
    @property
    def batches_dir(self) -> Path:
        return self.path / "batches"

    @property
    def staging_dir(self) -> Path:
        return self.path / ".staging"

    def exists(self) -> bool:
        """True when the folder holds at least one committed batch."""
        return self.batches_dir.is_dir() and any(self.batches_dir.iterdir())

    def batch_ids(self) -> list[str]:
        """Return the live committed batch ids, oldest first.

        A batch that a merged batch replaced (named in its ``SUPERSEDES`` file, see
        ``core.compact``) is not live: readers skip it until compaction removes it.
        """
        if not self.batches_dir.is_dir():
            return []
        ids = sorted(p.name for p in self.batches_dir.iterdir() if p.is_dir())
        replaced: set[str] = set()
        for merged in (b for b in ids if b.endswith("-compact")):
            with contextlib.suppress(OSError):
                replaced.update((self.batches_dir / merged / "SUPERSEDES").read_text().split())
        return [b for b in ids if b not in replaced]

    def version(self) -> str:
        """A token that changes whenever a batch is committed or the entity corrections
        (``entity_rules.csv``, core.entities.rules) change (for caches)."""
        ids = self.batch_ids()
        token = f"{len(ids)}:{ids[-1] if ids else ''}"
        try:  # rules are replaced atomically: a new file has a new inode and mtime
            st = (self.path / "entity_rules.csv").stat()
        except OSError:
            return token
        return f"{token}:r{st.st_ino}-{st.st_mtime_ns}-{st.st_size}"

    # -- writing --------------------------------------------------------------
    def writing(
        self,
        *,
        wait: bool = True,
        timeout: float | None = None,
        on_wait: Callable[[str], None] | None = None,
    ) -> AbstractContextManager[None]:
        """Hold this store's write lock for a ``with`` block (``core.locks``: one writer at a
        time, released by the OS if the holder dies; re-entrant in one thread).

        Every writer (ingest, upload, a rewrite of batches) runs under it; readers never do.
        Raises ``StoreBusyError`` when ``wait`` is False (or ``timeout`` passes) while another
        writer holds it.
        """
        return hold_write_lock(self.path, wait=wait, timeout=timeout, on_wait=on_wait)

    def append(self, tables: Mapping[str, pd.DataFrame]) -> str | None:
        """Append one batch atomically; every table of the schema is written.

        Runs under the write lock, where the batch's articles are checked against the stored
        ones: an article already stored (by another writer since the caller looked) is left
        out with its rows in every table, so no ``article_id`` is ever stored twice. A batch
        naming one article twice is refused (``ValueError``).

        Returns the new batch id, or None when no article is left to write (nothing is
        written then).
        """
        articles = tables.get("articles")
        if articles is None or articles.empty:
            return None
        twice = articles["article_id"][articles["article_id"].duplicated()]
        if len(twice):
            raise ValueError(f"batch names article {twice.iloc[0]!r} more than once")
        with self.writing():
            read_store_format(self.path)  # never write into a layout this code does not know
            stored = self.stored_among(articles["article_id"])
            if stored:
                tables = {
                    name: df[~df["article_id"].isin(stored)]
                    for name, df in tables.items()
                    if df is not None
                }
                if tables["articles"].empty:
                    return None
            return self._write_batch(tables)

    def _write_batch(self, tables: Mapping[str, pd.DataFrame]) -> str:
        self._clean_staging()
        if not (self.path / FORMAT_FILE).exists():
            self.batches_dir.mkdir(parents=True, exist_ok=True)  # a store folder from now on
            (self.path / FORMAT_FILE).write_text(f"{STORE_FORMAT}\n", encoding="utf-8")
        # Time-ordered ids keep batches sorted by commit order.
        batch_id = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
        stage = self.staging_dir / batch_id
        stage.mkdir(parents=True)
        try:
            for name in TABLES:
                df = tables.get(name)
                df = empty_table(name) if df is None else conform(df, name)
                validate(df, name)
                table = pa.Table.from_pandas(df, schema=arrow_schema(name), preserve_index=False)
                path = stage / f"{name}.parquet"
                pq.write_table(table, path)
                _fsync(path)
                _fault_point(name)
            self.batches_dir.mkdir(exist_ok=True)
            _fsync(stage)
            os.rename(stage, self.batches_dir / batch_id)
            _fsync(self.batches_dir)
            if self._batch_article_ids.keys() <= set(self.batch_ids()):  # the set is current:
                ids = tables["articles"]["article_id"]  # keep it so without reading back
                self._batch_article_ids[batch_id] = len(ids)
                self._stored_ids.update(ids)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
        return batch_id

    def _clean_staging(self) -> None:
        """Remove staging folders of killed writers (called under the write lock, so any
        staging folder found belongs to a writer that is gone)."""
        if not self.staging_dir.is_dir():
            return
        for leftover in self.staging_dir.iterdir():
            shutil.rmtree(leftover, ignore_errors=True)

    # -- reading --------------------------------------------------------------
    def _connection(self) -> duckdb.DuckDBPyConnection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = duckdb.connect(":memory:")
            self._local.con = con
        return con

    def relation_sql(self, name: str) -> str | None:
        """DuckDB SQL reading table ``name`` from the committed batches (None when there are none).

        For engines that keep their own DuckDB connection (``core.analytics.query.engine``).
        """
        if name not in TABLES:
            raise KeyError(f"unknown table {name!r}; valid tables: {', '.join(TABLES)}")
        # A table added to the schema later is absent from older batches: read the batches that
        # have it (by column name, so a column added later reads as null in older ones).
        # The files of the live batches, listed now: a batch committed or merged later (by
        # core.compact) is not half seen.
        files = [self.batches_dir / b / f"{name}.parquet" for b in self.batch_ids()]
        files = [f for f in files if f.exists()]
        if not files:
            return None
        listing = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
        # A column that no batch has yet (added to the schema after they were written) still
        # exists, as nulls of its type: queries name every column of the schema.
        return (
            f"SELECT * FROM read_parquet([{listing}], union_by_name = true)"
            f" UNION ALL BY NAME ({_typed_empty_sql(name)})"
        )

    def _relations_sql(self) -> dict[str, str]:
        """SQL of each table: a glob over the committed batches, or a typed empty table."""
        return {name: self.relation_sql(name) or f"SELECT * FROM _empty_{name}" for name in TABLES}

    def query(self, sql: str, params: Sequence | Mapping | None = None) -> pd.DataFrame:
        """Run ``sql`` with the tables (articles, sentences, mentions, dates, countries) in scope.

        Values from users must be passed as ``params`` (``?`` or ``$name``), never
        formatted into ``sql``. Returns a pandas DataFrame.
        """
        con = self._connection()
        try:
            for name, rel in self._relations_sql().items():
                if rel.startswith("SELECT * FROM _empty_"):
                    con.register(f"_empty_{name}", empty_table(name))
                con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {rel}")
            return con.execute(sql, params or []).df()
        except (duckdb.IOException, duckdb.InvalidInputException) as exc:
            # A damaged or vanished batch file: name it, and say how to go on.
            raise StoreError(describe_read_error(self.path, exc)) from exc

    def table(self, name: str) -> pd.DataFrame:
        """Return the whole table ``name``, conformed to its schema (one row per its spec's row)."""
        spec_names = TABLES[name].names if name in TABLES else None
        if spec_names is None:
            raise KeyError(f"unknown table {name!r}; valid tables: {', '.join(TABLES)}")
        df = self.query(f"SELECT {', '.join(spec_names)} FROM {name}")
        return conform(df, name)

    def stored_among(self, ids: Iterable[str]) -> set[str]:
        """Return those of ``ids`` already stored, reading each batch's ids only once per
        ``Store`` object (an ingest of N batches reads each batch once, not N times, and
        checks each id once against all of them, not once per batch)."""
        self._refresh_stored_ids()
        return {i for i in ids if i in self._stored_ids}

    def stored_ids(self) -> set[str]:
        """The ids of every stored article, as a set that this ``Store`` keeps current with
        its own commits (and with others' at its next check): an ingest tests each new article
        against it instead of holding a second copy of a million ids. Read it; never change it.
        """
        self._refresh_stored_ids()
        return self._stored_ids

    def _refresh_stored_ids(self) -> None:
        live = self.batch_ids()
        seen_batches = self._batch_article_ids
        if not seen_batches.keys() <= set(live):  # batches merged away by core.compact
            seen_batches.clear()
            self._stored_ids.clear()  # in place: a caller may hold the set
        for batch in live:
            if batch in seen_batches:
                continue
            path = self.batches_dir / batch / "articles.parquet"
            if not path.exists():
                continue
            try:
                column = pq.read_table(path, columns=["article_id"]).column(0)
            except (OSError, pa.ArrowException) as exc:
                raise StoreError(describe_read_error(self.path, exc)) from exc
            seen_batches[batch] = len(column)
            self._stored_ids.update(column.to_pylist())

    def article_ids(self) -> set[str]:
        """Return the ids of every stored article."""
        return set(self.query("SELECT article_id FROM articles")["article_id"])

    def counts(self) -> dict[str, int]:
        """Return rows per table."""
        return {
            name: int(self.query(f"SELECT count(*) AS n FROM {name}")["n"].iloc[0])
            for name in TABLES
        }


def writes_store(fn: Callable[..., T]) -> Callable[..., T]:
    """Run ``fn`` (a function taking ``store=``) under that store's write lock for its whole run.

    A second writer of the same store waits, and says so once on stderr (a command-line
    user sees why nothing happens; readers are never held up). The lock is re-entrant, so
    ``Store.append`` inside ``fn`` takes it again at no cost.
    """

    @functools.wraps(fn)
    def locked(*args: object, store: Store, **kwargs: object) -> T:
        with store.writing(on_wait=lambda message: print(message, file=sys.stderr, flush=True)):
            return fn(*args, store=store, **kwargs)

    return locked


_SQL_TYPES = {
    pa.string(): "VARCHAR",
    pa.large_string(): "VARCHAR",
    pa.int64(): "BIGINT",
    pa.int32(): "INTEGER",
    pa.float64(): "DOUBLE",
    pa.bool_(): "BOOLEAN",
    pa.date32(): "DATE",
}


def _typed_empty_sql(name: str) -> str:
    """SQL of an empty relation with every column of table ``name`` at its type."""
    cols = ", ".join(
        f"NULL::{_SQL_TYPES.get(f.type, 'VARCHAR')} AS {f.name}" for f in arrow_schema(name)
    )
    return f"SELECT {cols} WHERE false"


def _fault_point(table: str) -> None:
    """Fault injection for the crash tests: stall after writing ``table``.

    Set ``PRESSLENS_FAULT_STALL_AFTER=<table>`` to make a writer pause there, so
    a test can SIGKILL it mid-batch deterministically. Unset, this does nothing.
    """
    if os.environ.get("PRESSLENS_FAULT_STALL_AFTER") == table:
        time.sleep(float(os.environ.get("PRESSLENS_FAULT_STALL_SECONDS", "60")))


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def empty_arrow(name: str) -> pa.Table:
    """An empty Arrow table of ``name`` (for writers that bypass pandas)."""
    return pa.Table.from_pandas(empty_table(name), preserve_index=False)
