"""Read TimeML (.tml) documents: raw text, document creation time and gold TIMEX3s.

Files are read straight from a folder or from a ``.tar.xz`` archive in memory
(the corpora are research-only and are never unpacked into the repository).
"""

from __future__ import annotations

import datetime as dt
import html
import re
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

_DCT = re.compile(r"<DCT>\s*<TIMEX3\b([^>]*)>", re.DOTALL)
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.DOTALL)
_TAG = re.compile(r"<(/?)(\w+)([^>]*?)/?>", re.DOTALL)
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True)
class Timex:
    """One TIMEX3: character span into the document's raw text, type and value."""

    start: int
    end: int
    type: str
    value: str | None
    text: str


@dataclass
class TimeMLDocument:
    """One TimeML document: its name, raw ``<TEXT>`` content, DCT and gold timexes.

    ``collection`` is the folder the file sits in (TBAQ-cleaned: "TimeBank" or
    "AQUAINT"), so scores can be split by sub-corpus; "" for a file at the top level.
    """

    name: str
    text: str
    dct: dt.date | None
    timexes: list[Timex] = field(default_factory=list)
    collection: str = ""


def parse_timeml(content: str, *, name: str, collection: str = "") -> TimeMLDocument:
    """Parse one TimeML file.

    Returns: the document, whose ``text`` is the ``<TEXT>`` content with every
    tag removed and entities decoded; timex offsets index that text.
    """
    dct = None
    if m := _DCT.search(content):
        value = dict(_ATTR.findall(m.group(1))).get("value", "")
        if re.match(r"\d{4}-\d{2}-\d{2}", value):
            dct = dt.date.fromisoformat(value[:10])
    body_match = _TEXT.search(content)
    body = body_match.group(1) if body_match else ""
    pieces: list[str] = []
    length = 0
    open_timex: tuple[int, dict[str, str]] | None = None
    timexes: list[Timex] = []
    pos = 0
    for tag in _TAG.finditer(body):
        chunk = html.unescape(body[pos : tag.start()])
        pieces.append(chunk)
        length += len(chunk)
        pos = tag.end()
        closing, tag_name = tag.group(1) == "/", tag.group(2)
        if tag_name != "TIMEX3":
            continue
        if not closing:
            open_timex = (length, dict(_ATTR.findall(tag.group(3))))
        elif open_timex is not None:
            start, attrs = open_timex
            text = "".join(pieces)[start:length]
            timexes.append(Timex(start, length, attrs.get("type", ""), attrs.get("value"), text))
            open_timex = None
    pieces.append(html.unescape(body[pos:]))
    return TimeMLDocument(
        name=name, text="".join(pieces), dct=dct, timexes=timexes, collection=collection
    )


def read_timeml_corpus(path: Path) -> Iterator[TimeMLDocument]:
    """Yield the TimeML documents of a folder (recursively) or of a ``.tar.xz`` archive.

    A folder holding no ``.tml`` file but a ``TBAQ-cleaned.tar.xz`` (the layout of
    ``../shared/corpora/te3``) is read from that archive only: TE3-Silver is
    machine-annotated and is not gold.

    Returns: documents in name order.
    """
    path = Path(path)
    if path.is_file():
        yield from _read_archive(path)
        return
    files = sorted(path.rglob("*.tml"))
    if files:
        for f in files:
            collection = f.parent.name if f.parent != path else ""
            yield parse_timeml(f.read_text(encoding="utf-8"), name=f.name, collection=collection)
        return
    tbaq = path / "TBAQ-cleaned.tar.xz"
    if tbaq.exists():
        yield from _read_archive(tbaq)
        return
    archives = sorted(path.glob("*.tar.xz"))
    if not archives:
        raise FileNotFoundError(f"no .tml files or .tar.xz archives in {path}")
    for archive in archives:
        yield from _read_archive(archive)


def _read_archive(path: Path) -> Iterator[TimeMLDocument]:
    with tarfile.open(path, "r:*") as tar:
        members = sorted(
            (m for m in tar.getmembers() if m.isfile() and m.name.endswith(".tml")),
            key=lambda m: m.name,
        )
        for member in members:
            handle = tar.extractfile(member)
            if handle is None:
                continue
            content = handle.read().decode("utf-8", errors="replace")
            parts = member.name.split("/")
            collection = parts[-2] if len(parts) > 2 else ""
            yield parse_timeml(content, name=parts[-1], collection=collection)
