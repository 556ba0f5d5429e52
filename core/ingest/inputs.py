"""Walk the inputs of an ingest: files, folders (recursive) and zip archives.

Returns: items of ``(origin, suffix, bytes, folder)``, or ``Rejected`` for an
input that cannot be read at all (missing, unreadable, corrupt archive).
"""

from __future__ import annotations

import gzip
import io
import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

TEXT_SUFFIXES = {".txt", ".md", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
RECORD_SUFFIXES = {".csv", ".jsonl", ".json", ".ndjson"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | RECORD_SUFFIXES | {".zip"}
GZIP_SUFFIX = ".gz"  # any supported file gzipped: articles.jsonl.gz, page.html.gz, dump.zip.gz

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


@dataclass(frozen=True)
class Skipped:
    """A file in a folder or archive left out on purpose (README, LICENSE, hidden)."""

    origin: str
    reason: str


# Files that describe a collection rather than belong to it: the name alone, with extensions
# (README.TXT, LICENSE.md, CHANGELOG) -- never a longer name ("changes_to_tax_law.txt").
_NOT_ARTICLES = re.compile(
    r"^(?:readme|read_me|read\.me|licen[cs]e|copying|changelog|changes|authors|contributors"
    r"|contributing|code_of_conduct)(?:\.[a-z0-9]{1,8})*$",
    re.IGNORECASE,
)


def skip_reason(name: str) -> str | None:
    """Why a file found in a folder or archive is no article (``None``: it may be one)."""
    if name.startswith("."):
        return "hidden file"
    if _NOT_ARTICLES.match(name):
        return "README/LICENSE-type file, not an article"
    return None


def effective_suffix(name: str) -> str:
    """The suffix that says how to read a file: ``a.jsonl.gz`` reads as ``.jsonl``, gunzipped."""
    path = PurePosixPath(name)
    if path.suffix.lower() == GZIP_SUFFIX:
        return PurePosixPath(path.stem).suffix.lower()
    return path.suffix.lower()


def is_supported(name: str) -> bool:
    """True when a file name's (effective) suffix is one ingest reads."""
    return effective_suffix(name) in SUPPORTED


def gunzip(data: bytes, *, origin: str) -> bytes | Rejected:
    """Decompress a gzipped file, refusing one that expands past ``MAX_FILE_BYTES``."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(MAX_FILE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        return Rejected(origin, f"corrupt or unreadable gzip file ({exc})")
    if len(out) > MAX_FILE_BYTES:
        return Rejected(origin, f"gzip file expands to more than {MAX_FILE_BYTES // 2**20} MiB")
    return out


def _walk_folder(folder: Path) -> Iterator[Path | Skipped]:
    """The supported files under ``folder``, sorted; hidden folders and non-articles ``Skipped``."""
    found: list[tuple[str, Path | Skipped]] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        for name in list(dirnames):
            if name.startswith("."):
                dirnames.remove(name)
                found.append((str(here / name), Skipped(str(here / name), "hidden folder")))
        for name in filenames:
            path = here / name
            reason = skip_reason(name)
            # A README is listed whatever its suffix; other files only when ingest reads the type.
            if not (is_supported(name) or _NOT_ARTICLES.match(name)) or not path.is_file():
                continue
            found.append((str(path), Skipped(str(path), reason) if reason else path))
    for _, entry in sorted(found, key=lambda pair: pair[0]):
        yield entry


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
            for entry in _walk_folder(path):
                if isinstance(entry, Skipped):
                    yield Skipped(display_path(Path(entry.origin), root=root), entry.reason)
                else:
                    yield from _iter_file(entry, root=root)
        elif path.exists() or path.is_symlink():
            yield from _iter_file(path, root=root, explicit=True)
        else:
            yield Rejected(display_path(path, root=root), "no such file or folder")


def _iter_file(path: Path, *, root: Path | None, explicit: bool = False) -> Iterator:
    origin = display_path(path, root=root)
    suffix = effective_suffix(path.name)
    if suffix not in SUPPORTED:
        if explicit:
            shown = "".join(path.suffixes[-2:]).lower() or "(none)"
            yield Rejected(origin, f"unsupported file type {shown!r}")
        return
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            yield Rejected(origin, f"file larger than {MAX_FILE_BYTES // 2**20} MiB")
            return
        data = path.read_bytes()
        if path.suffix.lower() == GZIP_SUFFIX:
            data = gunzip(data, origin=origin)
            if isinstance(data, Rejected):
                yield data
                return
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
        suffix = effective_suffix(inner.name)
        if suffix not in SUPPORTED or suffix == ".zip":
            continue
        where = f"{origin}/{inner.as_posix()}"
        if reason := skip_reason(inner.name):
            yield Skipped(where, reason)
            continue
        try:
            content = archive.read(member)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            yield Rejected(where, f"corrupt zip member ({exc})")
            continue
        if inner.suffix.lower() == GZIP_SUFFIX:
            content = gunzip(content, origin=where)
            if isinstance(content, Rejected):
                yield content
                continue
        folder = inner.parent.name or None
        yield Item(where, suffix, content, folder)
