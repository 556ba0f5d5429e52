"""Progress of an ingest: items done out of a total, rate and time left.

An *item* is a file, a zip member, a web page or one record of a record file.
The total is counted before reading (files in folders, members of zips, URLs)
and grows as it becomes known: a record file adds its records once parsed, a
feed or sitemap its pages once fetched. The same numbers drive the terminal
bar (tqdm) and the dashboard's Data page (``on_status``).
"""

from __future__ import annotations

import os
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from core.ingest.sources.inputs import effective_suffix, is_supported, skip_reason


@dataclass
class IngestProgress:
    """Items done and the total known so far, with rate and time left."""

    done: int = 0
    total: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def rate(self) -> float:
        """Items per second since the start."""
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    @property
    def seconds_left(self) -> float | None:
        """Estimated seconds to go; None before the first item."""
        if not self.done or not self.rate:
            return None
        return max(self.total - self.done, 0) / self.rate

    @property
    def fraction(self) -> float:
        return min(self.done / self.total, 1.0) if self.total else 0.0

    def describe(self) -> str:
        """``1,234 / 5,000 items · 250/s · 0:15 left``."""
        parts = [f"{self.done:,} / {max(self.total, self.done):,} items"]
        if self.done:
            parts.append(f"{self.rate:,.0f}/s")
        left = self.seconds_left
        if left is not None and self.done < self.total:
            minutes, seconds = divmod(int(round(left)), 60)
            hours, minutes = divmod(minutes, 60)
            parts.append(
                f"{hours}:{minutes:02d}:{seconds:02d} left"
                if hours
                else f"{minutes}:{seconds:02d} left"
            )
        return " · ".join(parts)


def count_items(paths: list) -> int:
    """Count the items under ``paths`` before reading them (cheap: names and zip directories).

    Returns: files in folders (the ones ingest reads, without README-type or
    hidden ones), supported zip members, and 1 per other path or URL.
    """
    total = 0
    for raw in paths:
        path = Path(raw) if not isinstance(raw, str) or "://" not in raw else None
        if path is not None and path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                for name in filenames:
                    if is_supported(name) and not skip_reason(name):
                        total += _count_file(Path(dirpath) / name)
        elif path is not None and path.is_file():
            total += _count_file(path)
        else:
            total += 1
    return total


def _count_file(path: Path) -> int:
    if effective_suffix(path.name) != ".zip" or path.suffix.lower() != ".zip":
        return 1
    try:
        with zipfile.ZipFile(path) as archive:
            names = [i.filename for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError):
        return 1
    return (
        sum(
            1
            for n in names
            if is_supported(n.rsplit("/", 1)[-1]) and not skip_reason(n.rsplit("/", 1)[-1])
        )
        or 1
    )


class ProgressReporter:
    """Feeds an ``IngestProgress`` to a tqdm bar and a callback, at most every ``interval`` s."""

    def __init__(
        self,
        progress: IngestProgress,
        *,
        bar: bool | None,
        on_status: Callable[[IngestProgress], None] | None = None,
        interval: float = 0.2,
    ) -> None:
        self.progress = progress
        self.on_status = on_status
        self.interval = interval
        self._last = 0.0
        self._bar = None
        if bar is not False:
            import sys

            from tqdm import tqdm

            self._bar = tqdm(
                total=progress.total or None,
                desc="ingest",
                unit="item",
                file=sys.stderr,
                disable=None if bar is None else False,
                dynamic_ncols=True,
            )

    def grow(self, n: int) -> None:
        """The total grew by ``n`` (a record file's records, a feed's pages)."""
        self.progress.total += n
        if self._bar is not None:
            self._bar.total = self.progress.total
        self._emit()

    def advance(self, n: int = 1) -> None:
        """``n`` more items done."""
        self.progress.done += n
        if self._bar is not None:
            self._bar.update(n)
        self._emit()

    def _emit(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if self.on_status is not None and (force or now - self._last >= self.interval):
            self._last = now
            self.on_status(self.progress)

    def close(self) -> None:
        self._emit(force=True)
        if self._bar is not None:
            self._bar.close()
