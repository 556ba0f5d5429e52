"""Walk the inputs of an ingest: files, folders (recursive) and zip archives.

Returns: items of ``(origin, suffix, bytes, folder)``, or ``Rejected`` for an
input that cannot be read at all (missing, unreadable, corrupt archive).
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

TEXT_SUFFIXES = {".txt", ".md", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
RECORD_SUFFIXES = {".csv", ".jsonl", ".json", ".ndjson"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | RECORD_SUFFIXES | {".zip"}

# Limits that keep a hostile or mistaken archive from exhausting memory.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 200_000
MAX_ZIP_TOTAL_BYTES = 2 * 1024 * 1024 * 1024


@dataclass(frozen=True)
class Item:
    origin: str
    suffix: str
    data: bytes
    folder: str | None  # name of the folder holding it (for --source-from-folder)


@dataclass(frozen=True)
class Rejected:
    origin: str
    reason: str


def display_path(path: Path, *, root: Path | None = None) -> str:
    """Return ``path`` relative to the working folder (or ``root``) where possible."""
    resolved = path.resolve()
    for base in (Path.cwd(), root):
        if base is None:
            continue
        try:
            return resolved.relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return str(path)


def iter_inputs(paths: list[str | os.PathLike[str]], *, root: Path | None = None) -> Iterator:
    """Yield every document under ``paths`` as an ``Item``, or a ``Rejected``."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and p.suffix.lower() in SUPPORTED
            )
            for file in files:
                yield from _iter_file(file, root=root)
        elif path.exists() or path.is_symlink():
            yield from _iter_file(path, root=root, explicit=True)
        else:
            yield Rejected(display_path(path, root=root), "no such file or folder")


def _iter_file(path: Path, *, root: Path | None, explicit: bool = False) -> Iterator:
    origin = display_path(path, root=root)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        if explicit:
            yield Rejected(origin, f"unsupported file type {suffix or '(none)'!r}")
        return
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            yield Rejected(origin, f"file larger than {MAX_FILE_BYTES // 2**20} MiB")
            return
        data = path.read_bytes()
    except PermissionError:
        yield Rejected(origin, "cannot read: permission denied")
        return
    except OSError as exc:
        yield Rejected(origin, f"cannot read: {(exc.strerror or str(exc)).lower()}")
        return
    if suffix == ".zip":
        yield from iter_zip(data, origin=origin)
    else:
        yield Item(origin, suffix, data, path.parent.name or None)


def iter_zip(data: bytes, *, origin: str) -> Iterator:
    """Yield the supported members of a zip archive held in ``data``."""
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        yield Rejected(origin, f"corrupt or unreadable zip archive ({exc})")
        return
    if len(members) > MAX_ZIP_MEMBERS:
        yield Rejected(origin, f"zip archive has more than {MAX_ZIP_MEMBERS} files")
        return
    if sum(m.file_size for m in members) > MAX_ZIP_TOTAL_BYTES:
        yield Rejected(origin, "zip archive expands to more than 2 GiB")
        return
    for member in sorted(members, key=lambda m: m.filename):
        inner = PurePosixPath(member.filename)
        if any(p.startswith(".") or p == "__MACOSX" for p in inner.parts):
            continue
        suffix = inner.suffix.lower()
        if suffix not in SUPPORTED or suffix == ".zip":
            continue
        where = f"{origin}/{inner.as_posix()}"
        try:
            content = archive.read(member)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            yield Rejected(where, f"corrupt zip member ({exc})")
            continue
        folder = inner.parent.name or None
        yield Item(where, suffix, content, folder)
