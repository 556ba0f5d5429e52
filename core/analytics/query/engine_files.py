"""Where the query engine keeps its tables on disk: one DuckDB file per table and store version.

A store of a million articles holds ~20M sentences and mentions: copied into memory, as the
engine first did, they cost minutes of building in every process and gigabytes of RAM. Each
table the engine builds is written once instead, as its own DuckDB database file under
``STORE/.derived/engine-<format>-<batches>/``, and every process (the dashboard's servers, the
CLI, a benchmark) attaches it read-only: DuckDB then reads the compressed columns a query needs
through its buffer pool, whose size the engine bounds. The folder is keyed by the committed
batches; a file name carries a hash of its SQL and, for tables that read the entity resolution,
of the store version (which includes the user's corrections), so a correction rebuilds only
the tables that depend on it, and a change of the SQL never reads a stale file.

Files are written under a temporary name and renamed (atomic on POSIX), under an advisory lock
so that two processes do not build the same table at once; older folders are removed when a new
one is created. A store folder that cannot be written keeps its files in a private temporary
folder instead, removed with the engine.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path

from core.store import Store

DERIVED_DIR = ".derived"
# Bump when what a table holds changes without its SQL changing (e.g. resolve_timex).
ENGINE_FORMAT = "e1"
PREFIX = "engine-"


def batches_token(store: Store) -> str:
    """A token of the store's committed batches and of this engine's format."""
    ids = store.batch_ids()
    last = ids[-1] if ids else "none"
    return f"{ENGINE_FORMAT}-{len(ids)}-{last}"


def engine_folder(store: Store) -> Path | None:
    """The folder of ``store``'s engine files, created if needed; None when it cannot be.

    Creating a new folder removes the folders of older batch sets (their files stay readable
    by processes that have them open).
    """
    derived = Path(store.path) / DERIVED_DIR
    folder = derived / f"{PREFIX}{batches_token(store)}"
    if folder.is_dir():
        return folder
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only store
        return None
    for old in derived.glob(f"{PREFIX}*"):
        if old != folder and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    return folder


def private_folder() -> Path:
    """A temporary folder for the engine files of a store that cannot be written."""
    return Path(tempfile.mkdtemp(prefix="presslens-engine-"))


def table_file(folder: Path, name: str, sql: str, *, version: str | None) -> Path:
    """The file of table ``name`` built by ``sql`` (and, when given, for store ``version``)."""
    digest = hashlib.sha1(f"{sql}\0{version or ''}".encode()).hexdigest()[:12]
    return folder / f"{name}-{digest}.duckdb"


@contextlib.contextmanager
def building(path: Path) -> Iterator[bool]:
    """Hold the build lock of ``path``; yields True when the file still has to be written.

    The lock is ``fcntl.flock`` on a side file: the kernel releases it if the builder dies,
    and a second process waiting for it finds the file written and just reads it.
    """
    lock = path.with_name(f".{path.name}.lock")
    with open(lock, "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield not path.exists()
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def temporary_path(path: Path) -> Path:
    """A fresh temporary name beside ``path`` (renamed to ``path`` once written)."""
    return path.with_name(f".{path.stem}-{os.getpid()}-{os.urandom(4).hex()}.tmp")


def remove_quietly(*paths: Path) -> None:
    """Remove files (and DuckDB's ``.wal`` beside them) that may not exist."""
    for path in paths:
        for p in (path, path.with_name(path.name + ".wal")):
            with contextlib.suppress(OSError):
                p.unlink()


DEFAULT_MEMORY_MB = 1024
DEFAULT_BUILD_MEMORY_MB = 4096
_MEMO_ENTRIES = 32


def build_memory_mb() -> int:
    """DuckDB's memory while it writes a table file, in MB: ``$PRESSLENS_ENGINE_BUILD_MEMORY_MB``
    or 4,096 (joining a million articles' 22M mentions to their resolution does not fit in the
    query limit; a build happens once per store version)."""
    try:
        value = int(os.environ.get("PRESSLENS_ENGINE_BUILD_MEMORY_MB", DEFAULT_BUILD_MEMORY_MB))
    except ValueError:
        value = DEFAULT_BUILD_MEMORY_MB
    return max(value, memory_limit_mb())


def memory_limit_mb() -> int:
    """The DuckDB buffer pool of one engine, in MB: ``$PRESSLENS_ENGINE_MEMORY_MB`` or 1,024."""
    try:
        return max(int(os.environ.get("PRESSLENS_ENGINE_MEMORY_MB", DEFAULT_MEMORY_MB)), 64)
    except ValueError:
        return DEFAULT_MEMORY_MB


class Memo(OrderedDict):
    """Results kept per store version, the least recently used dropped past ``size`` entries."""

    def __init__(self, size: int = _MEMO_ENTRIES) -> None:
        super().__init__()
        self.size = size
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()

    def get(self, key, default=None):
        with self._lock:
            if key not in self:
                return default
            self.move_to_end(key)
            return super().__getitem__(key)

    def __setitem__(self, key, value) -> None:
        with self._lock:
            super().__setitem__(key, value)
            self.move_to_end(key)
            while len(self) > self.size:
                self.popitem(last=False)

    def get_or_build(self, key, build):
        """The value kept under ``key``, else ``build()`` kept there; concurrent callers of a
        missing key wait for one build instead of each running it (a build may take seconds)."""
        value = self.get(key)
        if value is None:
            with self._build_lock:
                value = self.get(key)
                if value is None:
                    value = build()
                    self[key] = value
        return value
