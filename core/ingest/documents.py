"""Turn one document's content into article drafts: plain text, HTML, records.

A draft is what an input says about an article before ids, dedup and
normalisation: text plus whatever metadata the input carries.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlparse

from core.extract.timex.pubdate import looks_like_date_line, parse_published

FIELDS = ("text", "title", "source", "published", "url")


@dataclass
class Draft:
    """One article as an input describes it."""

    text: str
    origin: str
    title: str | None = None
    source: str | None = None  # from record metadata or the URL's domain
    header_source: str | None = None  # from a plain-text header tag such as "(BBC)"
    published: object = None  # date or raw string
    url: str | None = None
    warnings: list[str] = field(default_factory=list)


class RecordError(ValueError):
    """A record (row, line) that cannot become an article; the message names it."""


# " date 2022-08-15 Russia and North Korea will … has said. (BBC)"
_DATE_HEADER = re.compile(
    r"^\s*date\s*[:=]?\s+(?P<date>\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+Z?)?)\s+(?P<rest>.*?)"
    r"(?:\s*\((?P<source>[^()]{1,60})\))?\s*$",
    re.IGNORECASE,
)
# "Title: …", "Source: …", "Date: …" lines at the top of a file (news-database exports).
_KEY_LINE = re.compile(
    r"^\s*(?P<key>title|headline|source|outlet|publication|date|published|url|link)\s*:\s*(?P<value>.+?)\s*$",
    re.IGNORECASE,
)
_KEY_ALIASES = {
    "headline": "title",
    "outlet": "source",
    "publication": "source",
    "date": "published",
    "link": "url",
}


def read_plain_text(content: str, *, origin: str) -> Draft:
    """Parse a plain-text article and its header conventions.

    Returns: a draft whose text has the header lines removed (a header's
    first sentence stays: it belongs to the text and becomes the title).
    """
    lines = content.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    draft = Draft(text="", origin=origin)
    if lines:
        header = _DATE_HEADER.match(lines[0])
        if header and parse_published(header["date"]) is not None:
            draft.published = parse_published(header["date"])
            draft.header_source = (header["source"] or "").strip() or None
            draft.title = header["rest"].strip() or None
            lines[0] = header["rest"]
        elif looks_like_date_line(lines[0]):
            draft.published = parse_published(lines[0])
            lines.pop(0)
        else:
            lines = _read_key_lines(lines, draft)
    if lines and lines[0].startswith("# ") and origin.lower().endswith(".md"):
        draft.title = lines.pop(0)[2:].strip()
    draft.text = "\n".join(lines)
    return draft


def _read_key_lines(lines: list[str], draft: Draft) -> list[str]:
    """Consume ``Key: value`` header lines, only when a blank line ends the block."""
    found: dict[str, str] = {}
    i = 0
    while i < len(lines) and (m := _KEY_LINE.match(lines[i])):
        key = m["key"].lower()
        found[_KEY_ALIASES.get(key, key)] = m["value"]
        i += 1
    if not found or i >= len(lines) or lines[i].strip():
        return lines
    draft.title = found.get("title")
    draft.header_source = found.get("source")
    draft.url = found.get("url")
    if "published" in found:
        draft.published = parse_published(found["published"]) or found["published"]
    return lines[i + 1 :]


def read_html(content: str, *, origin: str) -> Draft:
    """Extract the main text and metadata of an HTML page with trafilatura."""
    import trafilatura  # heavy; only HTML inputs pay for it

    doc = trafilatura.bare_extraction(
        content, with_metadata=True, include_comments=False, include_tables=False
    )
    if doc is None:
        raise RecordError("no article text found in the HTML")
    meta = doc if isinstance(doc, dict) else doc.as_dict()
    text = meta.get("text") or ""
    if not text.strip():
        raise RecordError("no article text found in the HTML")
    url = meta.get("url") or None
    source = meta.get("sitename") or None
    if not source and url:
        source = domain_of(url)
    return Draft(
        text=text,
        origin=origin,
        title=meta.get("title") or None,
        source=source,
        published=parse_published(meta["date"]) if meta.get("date") else None,
        url=url,
    )


def read_records(content: str, *, origin: str, suffix: str, column_map: Mapping[str, str]):
    """Yield a draft (or a ``RecordError``) per record of a CSV, JSON or JSONL document.

    ``column_map`` maps our field names (text, title, source, published, url)
    to the input's names. Raises ``RecordError`` when the whole file is unusable.
    """
    if suffix == ".csv":
        yield from _csv_records(content, origin=origin, column_map=column_map)
    elif suffix == ".jsonl":
        for n, line in enumerate(content.split("\n"), start=1):
            if not line.strip():
                continue
            where = f"{origin}#L{n}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield RecordError(f"{where}: invalid JSON ({exc.msg})")
                continue
            yield _record(obj, where=where, column_map=column_map)
    else:  # .json
        try:
            obj = json.loads(content)
        except json.JSONDecodeError as exc:
            raise RecordError(f"invalid JSON at line {exc.lineno}: {exc.msg}") from exc
        if isinstance(obj, dict) and isinstance(obj.get("articles"), list):
            obj = obj["articles"]
        items = obj if isinstance(obj, list) else [obj]
        for n, item in enumerate(items):
            yield _record(item, where=f"{origin}#{n}", column_map=column_map)


def _csv_records(content: str, *, origin: str, column_map: Mapping[str, str]):
    reader = csv.DictReader(io.StringIO(content, newline=""))
    columns = reader.fieldnames or []
    text_col = column_map.get("text", "text")
    if text_col not in columns and "text" not in columns:
        raise RecordError(
            f"no {text_col!r} column (columns: {', '.join(columns) or 'none'}); "
            f"name the text column with --map text=COLUMN"
        )
    # Row numbers count the header as row 1, as a spreadsheet shows them.
    for n, row in enumerate(reader, start=2):
        yield _record(row, where=f"{origin}#row{n}", column_map=column_map)


def _record(obj: object, *, where: str, column_map: Mapping[str, str]) -> Draft | RecordError:
    if not isinstance(obj, dict):
        return RecordError(f"{where}: not a JSON object (got {type(obj).__name__})")
    # A mapped name wins; the plain field name still works when the mapped one is absent,
    # so one --map can serve inputs of two layouts.
    values = {f: obj.get(column_map[f]) if column_map.get(f) in obj else obj.get(f) for f in FIELDS}
    text = values["text"]
    if not isinstance(text, str) or not text.strip():
        return RecordError(f"{where}: missing or empty {column_map.get('text', 'text')!r}")
    draft = Draft(text=text, origin=where)
    for f in ("title", "source", "url"):
        v = values[f]
        setattr(draft, f, str(v).strip() if v not in (None, "") else None)
    if not draft.source and draft.url:
        draft.source = domain_of(draft.url)
    raw_date = values["published"]
    if raw_date not in (None, ""):
        parsed = parse_published(str(raw_date))
        if parsed is None:
            draft.warnings.append(
                f"{where}: unreadable published date {raw_date!r}, stored as null"
            )
        draft.published = parsed
    return draft


def domain_of(url: str) -> str | None:
    """Return a URL's host without ``www.`` (``https://www.bbc.co.uk/x`` → ``bbc.co.uk``)."""
    host = urlparse(url if "//" in url else f"//{url}").hostname
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host
