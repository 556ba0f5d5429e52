"""Walk the inputs of an ingest: files, folders (recursive) and zip archives.

Returns: items of ``(origin, suffix, bytes, folder)``, or ``Rejected`` for an
input that cannot be read at all (missing, unreadable, corrupt archive).
"""

from __future__ import annotations

import functools
import gzip
import io
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from core.ingest.sources.safety import escape_name

TEXT_SUFFIXES = {".txt", ".md", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
RECORD_SUFFIXES = {".csv", ".jsonl", ".json", ".ndjson"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | RECORD_SUFFIXES | {".zip"}
GZIP_SUFFIX = ".gz"  # any supported file gzipped: articles.jsonl.gz, page.html.gz, dump.zip.gz


# Limits that keep a hostile or mistaken input from exhausting memory, each checked BEFORE the
# bytes are read, decompressed or decoded (file sizes from stat / ZipInfo, and bounded reads
# that stop one byte past the limit, for headers that lie). Set with environment variables
# (MiB): PRESSLENS_MAX_ARTICLE_MB, PRESSLENS_MAX_FILE_MB, PRESSLENS_MAX_ARCHIVE_MB.
def _limit(name: str, default_mib: int) -> int:
    raw = os.environ.get(name)
    try:
        return int(float(raw) * 2**20) if raw else default_mib * 2**20
    except ValueError:
        return default_mib * 2**20


MAX_ARTICLE_BYTES = _limit("PRESSLENS_MAX_ARTICLE_MB", 20)  # a .txt/.html file: one article
MAX_FILE_BYTES = _limit("PRESSLENS_MAX_FILE_MB", 200)  # a record file (.csv, .jsonl, ...)
MAX_ZIP_TOTAL_BYTES = _limit("PRESSLENS_MAX_ARCHIVE_MB", 1024)  # an archive, uncompressed
MAX_ZIP_MEMBERS = 200_000
READ_CHUNK = 1 << 20


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


def gunzip(data: bytes, *, origin: str, limit: int | None = None) -> bytes | Rejected:
    """Decompress a gzipped file, refusing one that expands past ``limit`` (default
    ``MAX_FILE_BYTES``): decompression stops one byte past it."""
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(limit + 1)
    except (OSError, EOFError, zlib.error) as exc:
        return Rejected(origin, f"corrupt or unreadable gzip file ({exc})")
    if len(out) > limit:
        return Rejected(origin, f"gzip file expands to more than the limit of {_mib(limit)}")
    return out


def _walk_folder(folder: Path, *, follow_links: bool = False) -> Iterator[Path | Skipped]:
    """The supported files under ``folder``, sorted; everything else worth a word ``Skipped``:
    hidden folders, non-articles, symbolic links that are dangling or leave ``folder`` (unless
    ``follow_links``), linked folders (not walked), FIFOs, sockets and devices (never opened).
    """
    found: list[tuple[str, Path | Skipped]] = []
    inside = folder.resolve()
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        for name in list(dirnames):
            if name.startswith("."):
                dirnames.remove(name)
                found.append((str(here / name), Skipped(str(here / name), "hidden folder")))
            elif (here / name).is_symlink():  # os.walk does not descend into it: say so
                reason = "symbolic link to a folder: not followed"
                found.append((str(here / name), Skipped(str(here / name), reason)))
        for name in filenames:
            path = here / name
            if not (is_supported(name) or _NOT_ARTICLES.match(name)):
                continue  # other file types in a folder are not news (images, PDFs, ...)
            problem = special_file_reason(path, inside=inside, follow_links=follow_links)
            reason = problem or skip_reason(name)
            found.append((str(path), Skipped(str(path), reason) if reason else path))
    for _, entry in sorted(found, key=lambda pair: pair[0]):
        yield entry


def special_file_reason(path: Path, *, inside: Path | None, follow_links: bool) -> str | None:
    """Why ``path`` is not opened: a dangling link, a link leaving ``inside`` (unless
    ``follow_links``), or no regular file (FIFO, socket, device). None: a regular file."""
    try:
        if path.is_symlink():
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):
                return "dangling symbolic link"
            if inside is not None and not follow_links and not target.is_relative_to(inside):
                return (
                    "symbolic link to a file outside the input folder: not followed "
                    "(PRESSLENS_FOLLOW_LINKS=1 allows it)"
                )
        mode = path.stat().st_mode  # follows the link: what would be opened
    except OSError as exc:
        return f"cannot read: {(exc.strerror or str(exc)).lower()}"
    if stat.S_ISREG(mode):
        return None
    kind = (
        "a FIFO"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "not a regular file"
    )
    return f"{kind}, not a regular file: not opened"


def display_path(path: Path, *, root: Path | None = None) -> str:
    """Return ``path`` relative to the working folder (or ``root``) where possible, control
    characters escaped (a name holding a newline prints as one line)."""
    cwd = os.getcwd()
    resolved = _resolve_path(path, cwd)
    for base in (cwd, root):
        if base is None:
            continue
        try:
            return escape_name(resolved.relative_to(_resolve_folder(str(base), cwd)).as_posix())
        except ValueError:
            continue
    return escape_name(str(path))


def _resolve_path(path: Path, cwd: str) -> Path:
    """``path.resolve()``, with its folder's resolution cached: a corpus of 50,000 files in a
    few folders would otherwise resolve every folder of every path again (a fifth of the
    reading process's time). A link is resolved whole, as it points elsewhere."""
    if path.name in ("", ".", "..") or os.path.islink(path):
        return path.resolve()
    return _resolve_folder(str(path.parent), cwd) / path.name


@functools.lru_cache(maxsize=4096)
def _resolve_folder(folder: str, cwd: str) -> Path:
    # cwd is part of the key: a relative folder means another place after a chdir.
    return Path(cwd, folder).resolve()


def iter_inputs(
    paths: list[str | os.PathLike[str]],
    *,
    root: Path | None = None,
    follow_links: bool | None = None,
) -> Iterator:
    """Yield every document under ``paths`` as an ``Item``, or a ``Rejected`` / ``Skipped``.

    In a folder, symbolic links are followed only to files inside that folder, unless
    ``follow_links`` (None: the ``PRESSLENS_FOLLOW_LINKS`` environment variable); a path
    given by name is read wherever it points. Nothing that is not a regular file is opened.
    """
    if follow_links is None:
        follow_links = os.environ.get("PRESSLENS_FOLLOW_LINKS", "") not in ("", "0")
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for entry in _walk_folder(path, follow_links=follow_links):
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
            yield Rejected(origin, f"unsupported file type {escape_name(shown)!r}")
        return
    problem = special_file_reason(path, inside=None, follow_links=True)
    if problem is not None:  # a FIFO given by name would block the read forever
        yield Rejected(origin, problem)
        return
    limit = MAX_FILE_BYTES if suffix in RECORD_SUFFIXES else MAX_ARTICLE_BYTES
    gzipped = path.suffix.lower() == GZIP_SUFFIX
    try:
        size = path.stat().st_size
        if suffix == ".zip" and not gzipped:
            yield from iter_zip(path, origin=origin)  # read member by member, never whole
            return
        if size > (MAX_FILE_BYTES if gzipped else limit):
            yield Rejected(origin, f"file of {_mib(size)} is over the limit of {_mib(limit)}")
            return
        data = path.read_bytes()
        if gzipped:
            data = gunzip(
                data, origin=origin, limit=MAX_ZIP_TOTAL_BYTES if suffix == ".zip" else limit
            )
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


def _mib(n: int) -> str:
    if n < 2**10:
        return f"{n} bytes"
    return f"{n / 2**10:,.1f} KiB" if n < 2**20 else f"{n / 2**20:,.1f} MiB"


def iter_zip(source: bytes | Path, *, origin: str) -> Iterator:
    """Yield the supported members of a zip archive (its bytes, or its path: then it is read
    member by member, never whole); every other member is ``Skipped`` with its reason.

    Sizes are checked before anything is decompressed: the archive's total from the central
    directory, each member's from its ``ZipInfo``; members are then read in bounded chunks
    that stop one byte past the limit, so a header that lies costs no more memory.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        yield Rejected(origin, f"corrupt or unreadable zip archive ({exc})")
        return
    with archive:
        if len(members) > MAX_ZIP_MEMBERS:
            yield Rejected(origin, f"zip archive has more than {MAX_ZIP_MEMBERS} files")
            return
        declared = sum(m.file_size for m in members)
        if declared > MAX_ZIP_TOTAL_BYTES:
            yield Rejected(
                origin,
                f"zip archive expands to {_mib(declared)}, over the limit of "
                f"{_mib(MAX_ZIP_TOTAL_BYTES)}",
            )
            return
        budget = MAX_ZIP_TOTAL_BYTES  # what the members may really expand to, together
        for member in sorted(members, key=lambda m: m.filename):
            inner = PurePosixPath(member.filename)
            if any(p.startswith(".") or p == "__MACOSX" for p in inner.parts):
                continue
            where = f"{origin}/{escape_name(inner.as_posix())}"
            suffix = effective_suffix(inner.name)
            if suffix == ".zip":
                yield Skipped(where, "archive inside an archive: not read (unzip it first)")
                continue
            if suffix not in SUPPORTED:
                shown = "".join(inner.suffixes[-2:]).lower() or "(none)"
                yield Skipped(where, f"unsupported file type {escape_name(shown)!r}")
                continue
            if reason := skip_reason(inner.name):
                yield Skipped(where, reason)
                continue
            gzipped = inner.suffix.lower() == GZIP_SUFFIX
            limit = min(
                MAX_FILE_BYTES if suffix in RECORD_SUFFIXES or gzipped else MAX_ARTICLE_BYTES,
                budget,
            )
            if member.file_size > limit:
                yield Rejected(
                    where,
                    f"member expands to {_mib(member.file_size)}, over the limit of {_mib(limit)}",
                )
                continue
            content = _read_member(archive, member, limit=limit, where=where)
            if isinstance(content, Rejected):
                yield content
                continue
            budget -= len(content)
            if gzipped:
                content = gunzip(content, origin=where, limit=min(MAX_ARTICLE_BYTES, budget))
                if isinstance(content, Rejected):
                    yield content
                    continue
            folder = inner.parent.name or None
            yield Item(where, suffix, content, folder)


def _read_member(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, *, limit: int, where: str
) -> bytes | Rejected:
    """A member's bytes, read in chunks that stop once past ``limit``."""
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(min(READ_CHUNK, limit + 1 - size)):
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    return Rejected(
                        where,
                        f"member expands past the limit of {_mib(limit)} (its header says "
                        f"{_mib(member.file_size)})",
                    )
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as exc:
        return Rejected(where, f"corrupt zip member ({exc})")
    return b"".join(chunks)
