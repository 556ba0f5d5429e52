"""Turn one document's content into article drafts: plain text, HTML, records.

A draft is what an input says about an article before ids, dedup and
normalisation: text plus whatever metadata the input carries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

from core.extract.timex.pubdate import looks_like_date_line, parse_published
from core.ingest.formats.budget import (
    HTML_SECONDS,
    IN_PROCESS_BYTES,
    OverBudget,
    check_html_elements,
    run_with_deadline,
)


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
    meta: list[tuple[str, str]] = field(default_factory=list)  # other fields: (key, value)


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
        draft.published = parse_published(found["published"])
        if draft.published is None:  # "Date: 2022-02-30": said, not silently dropped
            draft.warnings.append(
                f"{draft.origin}: the date line {found['published']!r} is not a date; stored "
                "without a publication date"
            )
    return lines[i + 1 :]


def read_html(content: str, *, origin: str, url: str | None = None) -> Draft:
    """Extract the main text and metadata of an HTML page with trafilatura, within the page's
    budget (``core.ingest.formats.budget``: elements, then time).

    ``url``: where the page was fetched from (resolves relative links, names the site).

    Returns: the page's draft; raises ``RecordError`` for a page without text or over budget.
    """
    try:
        check_html_elements(content)
        if len(content) <= IN_PROCESS_BYTES:
            return extract_html(content, origin=origin, url=url)
        return run_with_deadline(
            extract_html, content, origin=origin, url=url, seconds=HTML_SECONDS
        )
    except OverBudget as exc:
        raise RecordError(str(exc)) from None


def extract_html(content: str, *, origin: str, url: str | None = None) -> Draft:
    """``read_html`` without the budget (what the child process of a large page runs).

    Returns: the page's draft; raises ``RecordError`` for a page without text.
    """
    import trafilatura  # heavy; only HTML inputs pay for it

    doc = trafilatura.bare_extraction(
        content, url=url, with_metadata=True, include_comments=False, include_tables=False
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
        meta=page_meta(meta),
    )


def page_meta(meta: dict) -> list[tuple[str, str]]:
    """Return a page's author, section and tags (trafilatura's metadata) as ``(key, value)`` pairs.

    Authors come semicolon-separated (a name may hold a comma), sections and tags
    comma-separated; each becomes its own pair.
    """
    pairs = []
    for key, name, sep in (
        ("author", "author", ";"),
        ("categories", "section", ","),
        ("tags", "tags", ","),
    ):
        value = meta.get(key)
        values = value if isinstance(value, list) else (value or "").split(sep)
        pairs += [(name, v.strip()) for v in values if isinstance(v, str) and v.strip()]
    return pairs


def domain_of(url: str) -> str | None:
    """Return a URL's host without ``www.`` (``https://www.bbc.co.uk/x`` → ``bbc.co.uk``)."""
    try:
        host = urlparse(url if "//" in url else f"//{url}").hostname
    except ValueError:  # "http://[::1": no host to name
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host
