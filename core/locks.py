"""One writer at a time per store: an advisory lock on ``STORE/.lock``.

The lock is ``fcntl.flock`` on a lock file, which the kernel releases when the
holding process ends in any way (exit, exception, SIGKILL, power loss of the process):
a crashed writer never leaves a stale lock behind, so there is no pid file to clean up
and no age to guess. The file itself stays (removing it would race with a waiting
writer); it holds the pid, host and start time of the last holder, for the message a
waiting writer prints. Readers never take the lock: committed batches are immutable and
appear with one atomic rename (``core.store``).

The lock is re-entrant within one thread (an ingest holds it for its whole run and the
store's ``append`` takes it again for each batch); two threads of one process exclude
each other like two processes do, because each opens its own file description.
"""

from __future__ import annotations

import fcntl
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".lock"
POLL_SECONDS = 0.2

_held = threading.local()  # per thread: resolved store path -> depth


class StoreBusyError(RuntimeError):
    """Another writer holds the store and the caller chose not to wait (or waited too long)."""


def _depths() -> dict[str, int]:
    depths = getattr(_held, "depths", None)
    if depths is None:
        depths = _held.depths = {}
    return depths


def read_holder(folder: Path) -> str:
    """Who holds (or last held) the write lock of ``folder``, as "pid N on HOST since TIME"."""
    try:
        raw = (folder / LOCK_NAME).read_text(encoding="utf-8", errors="replace").split()
    except OSError:
        return "another process"
    if len(raw) < 3:
        return "another process"
    pid, host, started = raw[:3]
    return f"pid {pid} on {host} since {started}"


@contextmanager
def hold_write_lock(
    folder: str | os.PathLike[str],
    *,
    wait: bool = True,
    timeout: float | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Hold the write lock of the store at ``folder`` for the ``with`` block.

    ``wait`` False refuses at once when another writer holds it; ``timeout`` (seconds)
    bounds the wait. ``on_wait`` is called once with a message when the lock is busy and
    the caller waits. Raises ``StoreBusyError`` on refusal or timeout, ``OSError`` when the
    lock file cannot be created (read-only folder, permission denied).
    """
    path = Path(folder)
    key = str(path.resolve())
    depths = _depths()
    if key in depths:
        depths[key] += 1
        try:
            yield
        finally:
            depths[key] -= 1
        return
    path.mkdir(parents=True, exist_ok=True)
    fd = os.open(path / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, path, wait=wait, timeout=timeout, on_wait=on_wait)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {socket.gethostname()} {stamp}\n".encode(), 0)
        depths[key] = 1
        try:
            yield
        finally:
            del depths[key]
    finally:
        os.close(fd)  # closing the only descriptor releases the flock


def _acquire(
    fd: int,
    path: Path,
    *,
    wait: bool,
    timeout: float | None,
    on_wait: Callable[[str], None] | None,
) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    holder = read_holder(path)
    if not wait:
        raise StoreBusyError(
            f"store {path} is being written by {holder}; run again when it has finished"
        )
    if on_wait is not None:
        on_wait(f"store {path} is being written by {holder}; waiting for it to finish")
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if deadline is not None and time.monotonic() >= deadline:
                raise StoreBusyError(
                    f"store {path} is still being written by {holder} after {timeout:g} s; "
                    "run again when it has finished"
                ) from None
            time.sleep(POLL_SECONDS)
