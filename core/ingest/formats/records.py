"""Records in: CSV, JSON and JSON Lines documents as news APIs and scrapers export them.

A record becomes a draft article: ``--map`` names which field holds the text,
title, source, publication date and URL (a dotted path reaches into nested
objects, ``text=body.content``; a list of paragraphs, or of paragraphs of
sentences, is joined into one text). Every other field is kept as metadata.

Per document, not per record, we decide the CSV delimiter (comma, semicolon,
tab or bar: whichever splits the rows into the same number of columns) and
whether numeric dates are day-first or month-first (from the values: a first
number above 12 can only be a day, a second number above 12 only a month).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from core.ingest.formats.documents import Draft, RecordError, domain_of
from core.ingest.formats.record_dates import choose_date_order, parse_record_date
from core.ingest.formats.record_rows import (
    read_csv_rows,
    read_json_rows,
    read_jsonl_rows,
    sniff_delimiter,  # noqa: F401 - public here too (tests, callers of records)
)

FIELDS = ("text", "title", "source", "published", "url")

# Names a field is found by when --map does not name it (besides the field's own name).
# The text is never guessed: a wrong column would be extracted silently.
ALIASES = {
    "title": ("headline",),
    "published": ("date", "pubDate", "published_at", "publish_date", "publishedAt"),
    "url": ("link",),
}
MAX_META_VALUE = 10_000  # characters of one metadata value; longer ones are cut

_MISSING = object()


class ColumnMapError(ValueError):
    """``--map`` names a field that no record of the inputs has (a usage error)."""


class MapCheck:
    """Tracks, over one ingest, which ``--map`` fields some record has.

    One ``--map`` may serve inputs of several layouts, so a field missing from
    one document is fine as long as another has it; a field no record has is
    a typo, reported with the fields that do exist (``raise_if_unseen``).
    """

    def __init__(self, column_map: Mapping[str, str]) -> None:
        self.unseen = {f: name for f, name in column_map.items() if name}
        self.fields: dict[str, None] = {}
        self.documents = 0

    @property
    def settled(self) -> bool:
        """True once every mapped field was found in some record."""
        return not self.unseen

    def note(self, objects: list[dict], paths: Mapping[str, list[str]]) -> None:
        """Record what one document's records hold."""
        if not objects:
            return
        self.documents += 1
        for f in list(self.unseen):
            if any(find_field(o, p) is not _MISSING for o in objects for p in paths[f]):
                del self.unseen[f]
        if self.unseen:
            self.fields.update(dict.fromkeys(field_names(objects)))

    def raise_if_unseen(self) -> None:
        """Raise ``ColumnMapError`` naming the mapped fields no record had."""
        if not self.unseen or not self.documents:
            return
        missing = ", ".join(f"{f}={name}" for f, name in self.unseen.items())
        fields = ", ".join(list(self.fields)[:60]) or "none"
        raise ColumnMapError(
            f"--map {missing}: no record has a field "
            f"{' or '.join(repr(n) for n in self.unseen.values())} (fields: {fields})"
        )


@dataclass(frozen=True)
class RecordOptions:
    """How to read records: the field map and the order of numeric dates."""

    column_map: Mapping[str, str]
    date_order: str = "auto"  # auto | dayfirst | monthfirst
    check: MapCheck | None = None  # notes which mapped fields the records have


def read_records(
    content: str, *, origin: str, suffix: str, options: RecordOptions
) -> tuple[list[Draft | RecordError], list[str]]:
    """Read every record of a CSV, JSON or JSONL document.

    Raises ``RecordError`` when the whole document is unusable. Which mapped
    fields its records have goes to ``options.check``.

    Returns: ``(drafts, notes)``: one draft (or ``RecordError``) per record,
    and notes about the document as a whole (the date order it assumed).
    """
    notes: list[str] = []
    if suffix == ".csv":
        records = read_csv_rows(content, origin=origin, column_map=options.column_map, notes=notes)
    elif suffix in (".jsonl", ".ndjson"):
        records = read_jsonl_rows(content, origin=origin)
    else:
        records = read_json_rows(content, origin=origin)
    objects = [obj for _, obj in records if isinstance(obj, dict)]
    paths = field_paths(options.column_map)
    if options.check is not None:
        options.check.note(objects, paths)
    raw_dates = [_scalar(_find(obj, paths["published"])) for obj in objects]
    order, date_notes = choose_date_order(
        [v for v in raw_dates if v], origin=origin, requested=options.date_order
    )
    notes += date_notes
    drafts: list[Draft | RecordError] = []
    for where, obj in records:
        if isinstance(obj, RecordError):
            drafts.append(obj)
        elif not isinstance(obj, dict):
            drafts.append(RecordError(f"{where}: not a JSON object (got {type(obj).__name__})"))
        else:
            drafts.append(_record(obj, where=where, paths=paths, date_order=order))
    return drafts, notes


def find_field(obj: Mapping, path: str) -> object:
    """Return the value at ``path`` in a record: a key, or a dotted path into nested objects.

    Keys match exactly, else after trimming spaces and ignoring case; a number
    in the path indexes a list (``items.0.text``).

    Returns: the value, or a private sentinel when the record has no such field.
    """
    if path in obj:
        return obj[path]
    value: object = obj
    for part in path.split("."):
        if isinstance(value, Mapping):
            if part in value:
                value = value[part]
                continue
            folded = part.strip().casefold()
            key = next((k for k in value if str(k).strip().casefold() == folded), _MISSING)
            if key is _MISSING:
                return _MISSING
            value = value[key]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return _MISSING
    return value


def _find(obj: Mapping, paths: list[str]) -> object:
    for path in paths:
        value = find_field(obj, path)
        if value is not _MISSING:
            return value
    return None


def field_paths(column_map: Mapping[str, str]) -> dict[str, list[str]]:
    """Return the paths each field is looked up at, in order: the mapped one, then its own name
    (one ``--map`` can serve inputs of two layouts), then its aliases when it is not mapped."""
    paths: dict[str, list[str]] = {}
    for f in FIELDS:
        mapped = column_map.get(f)
        paths[f] = [mapped, f] if mapped else [f, *ALIASES.get(f, ())]
    return paths


def field_names(objects: list[dict], *, limit: int = 60) -> list[str]:
    """Return the field names (dotted for nested objects) found in ``objects``, first seen first."""
    seen: dict[str, None] = {}

    def walk(obj: Mapping, prefix: str) -> None:
        for key, value in obj.items():
            name = f"{prefix}{key}"
            seen.setdefault(name, None)
            if isinstance(value, Mapping) and len(seen) < limit:
                walk(value, f"{name}.")

    for obj in objects[:500]:
        walk(obj, "")
        if len(seen) >= limit:
            break
    return list(seen)[:limit]


def join_text(value: object) -> str | None:
    """Return a record's text: a string as is, a list as paragraphs, a list of lists as
    paragraphs of sentences (``[["S1.", "S2."], ["S3."]]`` → ``"S1. S2.\\n\\nS3."``)."""
    if isinstance(value, str):
        return value
    if not isinstance(value, list):
        return None
    paragraphs = []
    for part in value:
        if isinstance(part, list):
            para = " ".join(str(s).strip() for s in part if _is_scalar(s) and str(s).strip())
        elif isinstance(part, Mapping):
            inner = _find(part, ["text", "content", "body"])
            para = (join_text(inner) or "").strip()
        elif _is_scalar(part):
            para = str(part).strip()
        else:
            para = ""
        if para:
            paragraphs.append(para)
    return "\n\n".join(paragraphs)


def _kind_of(value: object) -> str:
    """What a JSON value is, in words ("a number", "an object")."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"


def _is_scalar(value: object) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _scalar(value: object) -> str | None:
    """A metadata-like value as one string: lists joined with ``; ``."""
    if value is None or value is _MISSING:
        return None
    if isinstance(value, list):
        parts = [str(v).strip() for v in value if _is_scalar(v) and str(v).strip()]
        return "; ".join(parts) or None
    if isinstance(value, Mapping):
        return None
    text = str(value).strip()
    return text or None


def _record(
    obj: dict, *, where: str, paths: Mapping[str, list[str]], date_order: str
) -> Draft | RecordError:
    used: dict[str, str] = {}
    values: dict[str, object] = {}
    for f in FIELDS:
        values[f] = None
        for path in paths[f]:
            value = find_field(obj, path)
            if value is not _MISSING:
                values[f], used[f] = value, path
                break
    text = join_text(values["text"])
    if values["text"] is not None and text is None:
        kind = _kind_of(values["text"])
        return RecordError(f"{where}: {used['text']!r} is {kind}, not text")
    if not text or not text.strip():
        return RecordError(f"{where}: missing or empty {paths['text'][0]!r}")
    draft = Draft(text=text, origin=where)
    for f in ("title", "source", "url", "published"):
        value = values[f]
        if isinstance(value, Mapping) or (
            isinstance(value, list) and not any(_is_scalar(v) for v in value) and value
        ):
            draft.warnings.append(f"{where}: {used[f]!r} is {_kind_of(value)}, not text: ignored")
            values[f] = None
    draft.title = _scalar(values["title"])
    draft.source = _scalar(values["source"])
    draft.url = _scalar(values["url"])
    if not draft.source and draft.url:
        draft.source = domain_of(draft.url)
    raw_date = _scalar(values["published"])
    if raw_date:
        parsed = parse_record_date(raw_date, date_order=date_order)
        if parsed is None:
            draft.warnings.append(
                f"{where}: unreadable published date {raw_date!r}, stored as null"
            )
        draft.published = parsed
    draft.meta = record_meta(obj, skip=set(used.values()))
    return draft


def record_meta(obj: Mapping, *, skip: set[str]) -> list[tuple[str, str]]:
    """Return a record's other fields as ``(key, value)`` pairs.

    Nested objects give dotted keys; a list of plain values gives one pair per
    value (tags, entities); other lists are kept as JSON. Empty values and the
    ``skip`` paths (the fields that became article columns) are left out.
    """
    pairs: list[tuple[str, str]] = []

    def add(key: str, value: str) -> None:
        value = value.strip()
        if value:
            pairs.append((key, value[:MAX_META_VALUE]))

    def walk(node: Mapping, prefix: str) -> None:
        for raw_key, value in node.items():
            key = f"{prefix}{str(raw_key).strip()}"
            if key in skip:
                continue
            if isinstance(value, Mapping):
                walk(value, f"{key}.")
            elif isinstance(value, list):
                if all(_is_scalar(v) or v is None for v in value):
                    for v in value:
                        if v is not None:
                            add(key, str(v))
                else:
                    add(key, json.dumps(value, ensure_ascii=False))
            elif value is not None:
                add(key, str(value))

    walk(obj, "")
    return pairs
