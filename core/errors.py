"""One line for each error a user can cause or meet: what happened, to which file, what to do.

The command line (``core.cli.main``) and the dashboard print ``describe_error(exc)`` instead
of a traceback; the traceback is still there with ``--debug``.
"""

from __future__ import annotations

import errno
import re
from pathlib import Path

from core.locks import StoreBusyError
from core.store import StoreError, describe_read_error

_PARQUET_PATH = re.compile(r"'([^']+\.parquet)'")

# errno -> what to do, for the system errors a user meets (disk full, read-only, permissions).
_OS_ADVICE = {
    errno.ENOSPC: "the disk is full: free some space and run the same command again (the batch "
    "being written was discarded; everything stored before is intact)",
    errno.EDQUOT: "the disk quota is used up: free some space and run the same command again",
    errno.EROFS: "the file system is read-only: choose a --store on a writable disk",
    errno.EACCES: "permission denied: check the permissions of that file or folder, or choose "
    "another --store",
    errno.EPERM: "operation not permitted: check the permissions of that file or folder",
    errno.ENOENT: "no such file or folder: check the path",
    errno.ENOTDIR: "a part of the path is a file, not a folder: check the path",
    errno.EISDIR: "that path is a folder, a file was expected",
}


def describe_error(exc: BaseException) -> str:
    """Return one line saying what went wrong, where, and what to do (no traceback)."""
    if isinstance(exc, (StoreError, StoreBusyError)):
        return _one_line(str(exc))
    if isinstance(exc, OSError):
        return _describe_os_error(exc)
    damaged = describe_damaged_file(exc)
    if damaged is not None:
        return damaged
    module = type(exc).__module__ or ""
    if module.startswith(("pyarrow", "duckdb", "_duckdb")):
        return _one_line(f"cannot read the data ({_first_line(exc)}); run `python -m core check`")
    if isinstance(exc, (KeyError, ValueError, LookupError)):
        return _one_line(str(exc.args[0]) if exc.args else type(exc).__name__)
    if isinstance(exc, MemoryError):
        return "out of memory: ingest fewer or smaller files at a time"
    if isinstance(exc, RecursionError):
        return "input nested too deeply to read"
    return _one_line(
        f"{type(exc).__name__}: {_first_line(exc)} (an unexpected error: run again with "
        "--debug and report the traceback)"
    )


def describe_damaged_file(exc: BaseException) -> str | None:
    """The one line for a store file a reader could not read (a DuckDB or Arrow error naming a
    ``STORE/batches/<id>/<table>.parquet``), or None when ``exc`` is not about one."""
    module = type(exc).__module__ or ""
    if not module.startswith(("pyarrow", "duckdb", "_duckdb")):
        return None
    found = _PARQUET_PATH.search(str(exc))
    if found is None:
        return None
    path = Path(found.group(1))
    store = path.parents[2] if len(path.parents) > 2 else path.parent
    return _one_line(describe_read_error(store, exc))


def _describe_os_error(exc: OSError) -> str:
    code = exc.errno
    text = str(exc)
    if code is None and "No space left on device" in text:
        code = errno.ENOSPC  # Arrow's IO errors carry the message, not always the errno
    where = exc.filename if exc.filename is not None else None
    advice = _OS_ADVICE.get(code) if code is not None else None
    if advice is None:
        reason = (exc.strerror or _first_line(exc)).lower()
        return _one_line(f"{where}: {reason}" if where else reason)
    return _one_line(f"{where}: {advice}" if where else advice)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _one_line(text: str) -> str:
    return " ".join(text.split("\n")).strip()
