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

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass

from core.ingest.documents import Draft, RecordError, domain_of
from core.ingest.record_dates import choose_date_order, parse_record_date

FIELDS = ("text", "title", "source", "published", "url")

# Names a field is found by when --map does not name it (besides the field's own name).
# The text is never guessed: a wrong column would be extracted silently.
ALIASES = {
    "title": ("headline",),
    "published": ("date", "pubDate", "published_at", "publish_date", "publishedAt"),
    "url": ("link",),
}
MAX_META_VALUE = 10_000  # characters of one metadata value; longer ones are cut
# A CSV field may be as long as an article (csv's default limit, 131,072 characters, would reject
# a long article's row); the file's own size limit (core.ingest.inputs) bounds it anyway.
csv.field_size_limit(max(csv.field_size_limit(), 64 * 2**20))

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
    if suffix == ".csv":
        records = _csv_rows(content, origin=origin, column_map=options.column_map)
    elif suffix in (".jsonl", ".ndjson"):
        records = _jsonl_rows(content, origin=origin)
    else:
        records = _json_rows(content, origin=origin)
    objects = [obj for _, obj in records if isinstance(obj, dict)]
    paths = field_paths(options.column_map)
    if options.check is not None:
        options.check.note(objects, paths)
    raw_dates = [_scalar(_find(obj, paths["published"])) for obj in objects]
    order, notes = choose_date_order(
        [v for v in raw_dates if v], origin=origin, requested=options.date_order
    )
    drafts: list[Draft | RecordError] = []
    for where, obj in records:
        if isinstance(obj, RecordError):
            drafts.append(obj)
        elif not isinstance(obj, dict):
            drafts.append(RecordError(f"{where}: not a JSON object (got {type(obj).__name__})"))
        else:
            drafts.append(_record(obj, where=where, paths=paths, date_order=order))
    return drafts, notes


def _jsonl_rows(content: str, *, origin: str) -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = []
    for n, line in enumerate(content.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{origin}#L{n}"
        try:
            rows.append((where, json.loads(line, parse_int=_bounded_int)))
        except json.JSONDecodeError as exc:
            rows.append((where, RecordError(f"{where}: invalid JSON ({exc.msg})")))
        except (ValueError, RecursionError) as exc:  # an int of 4,300+ digits, deep nesting
            rows.append((where, RecordError(f"{where}: unreadable JSON ({_json_limit(exc)})")))
    return rows


def _json_rows(content: str, *, origin: str) -> list[tuple[str, object]]:
    try:
        obj = json.loads(content, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        raise RecordError(f"invalid JSON at line {exc.lineno}: {exc.msg}") from exc
    except (ValueError, RecursionError) as exc:  # an int of 4,300+ digits, deep nesting
        raise RecordError(f"unreadable JSON ({_json_limit(exc)})") from exc
    # News APIs wrap their list: {"articles": [...]}, {"results": [...]}, {"data": [...]}.
    if isinstance(obj, dict):
        for key in ("articles", "results", "data", "items", "records"):
            if isinstance(obj.get(key), list):
                obj = obj[key]
                break
    items = obj if isinstance(obj, list) else [obj]
    return [(f"{origin}#{n}", item) for n, item in enumerate(items)]


def _bounded_int(digits: str) -> int | str:
    """A JSON integer; one too long for Python's int (4,300+ digits) stays its digits, so one
    such value costs its field, not the whole document."""
    return int(digits) if len(digits) <= 4000 else digits


def _json_limit(exc: BaseException) -> str:
    """What a JSON parser limit refused, in a few words."""
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return "a number of more than 4,300 digits" if "digits" in str(exc) else str(exc)[:80]


def sniff_delimiter(content: str) -> str:
    """Return the delimiter (``,`` ``;`` tab or ``|``) that splits a CSV sample most consistently.

    Scored over the first rows: the share of rows with as many cells as the
    header, then the number of columns; a comma wins ties.
    """
    sample = content[:65_536]
    if len(content) > len(sample):
        sample = sample[: sample.rfind("\n") + 1] or sample  # drop a cut-off last row
    best, best_score = ",", (-1.0, 0)
    for delimiter in (",", ";", "\t", "|"):
        try:
            rows = [r for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)]
        except csv.Error:
            continue
        rows = [r for r in rows[:200] if r]
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        body = rows[1:] or rows
        score = (sum(len(r) == width for r in body) / len(body), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_rows(
    content: str, *, origin: str, column_map: Mapping[str, str]
) -> list[tuple[str, object]]:
    delimiter = sniff_delimiter(content)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise RecordError("empty CSV (no header row)") from None
    except csv.Error as exc:
        raise RecordError(f"unreadable CSV header: {exc}") from exc
    # Spreadsheets pad names: " Title " is the title column.
    columns = [h.strip().lstrip("\ufeff").strip() for h in header]
    text_col = column_map.get("text", "text")
    if text_col not in columns and "text" not in columns:
        shown = ", ".join(c for c in columns if c) or "none"
        raise RecordError(
            f"no {text_col!r} column (columns: {shown}); "
            "name the text column with --map text=COLUMN"
        )
    rows: list[tuple[str, object]] = []
    # Row numbers count the header as row 1, as a spreadsheet shows them.
    n = 1
    try:
        for n, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            rows.append((f"{origin}#row{n}", dict(zip(columns, cells, strict=False))))
    except csv.Error as exc:
        rows.append((f"{origin}#row{n + 1}", RecordError(f"{origin}#row{n + 1}: bad CSV ({exc})")))
    return rows


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
    if not text or not text.strip():
        return RecordError(f"{where}: missing or empty {paths['text'][0]!r}")
    draft = Draft(text=text, origin=where)
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
