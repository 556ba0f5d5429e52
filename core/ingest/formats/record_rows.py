"""Rows of a record document: a JSON array, JSON Lines or a CSV cut into ``(where, object)``
pairs, ``where`` naming the file and the row (``a.json#3``, ``a.jsonl#L4``, ``a.csv#row5``).

A row that cannot be read is a ``RecordError`` in place of its object: one bad row costs
itself, never the rest of the document (``core.ingest.formats.records`` makes the drafts).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping

from core.ingest.formats.documents import RecordError

# A CSV field may be as long as an article (csv's default limit, 131,072 characters, would reject
# a long article's row); the file's own size limit (core.ingest.sources.inputs) bounds it anyway.
csv.field_size_limit(max(csv.field_size_limit(), 64 * 2**20))


def read_jsonl_rows(content: str, *, origin: str) -> list[tuple[str, object]]:
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


def read_json_rows(content: str, *, origin: str) -> list[tuple[str, object]]:
    try:
        obj = json.loads(content, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        raise RecordError(f"invalid JSON at line {exc.lineno}: {exc.msg}") from exc
    except (ValueError, RecursionError) as exc:  # an int of 4,300+ digits, deep nesting
        # A parser limit hit inside one element of a top-level array costs that element only.
        elements = split_json_array(content)
        if elements is None:
            raise RecordError(f"unreadable JSON ({_json_limit(exc)})") from exc
        return [(f"{origin}#{n}", _json_element(text, where=f"{origin}#{n}"))
                for n, text in enumerate(elements)]  # fmt: skip
    if isinstance(obj, dict):
        for key in WRAPPER_KEYS:
            if isinstance(obj.get(key), list):
                obj = obj[key]
                break
    items = obj if isinstance(obj, list) else [obj]
    return [(f"{origin}#{n}", item) for n, item in enumerate(items)]


def _json_element(text: str, *, where: str) -> object:
    try:
        return json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        return RecordError(f"{where}: invalid JSON ({exc.msg})")
    except (ValueError, RecursionError) as exc:
        return RecordError(f"{where}: unreadable JSON ({_json_limit(exc)})")


_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},:]')
# News APIs wrap their list: {"articles": [...]}, {"results": [...]}, {"data": [...]}.
WRAPPER_KEYS = ("articles", "results", "data", "items", "records")


def split_json_array(content: str) -> list[str] | None:
    """Split a JSON document that is one top-level array, or an object wrapping one under a
    ``WRAPPER_KEYS`` key, into the texts of the array's elements, without parsing them
    (strings skipped whole, brackets counted, linear in the length).

    Returns: the element texts in order, or None when no balanced array is found.
    """
    start = len(content) - len(content.lstrip())
    wrapped = content.startswith("{", start)
    if not wrapped and not content.startswith("[", start):
        return None
    elements: list[str] | None = None if wrapped else []
    depth, begin, base = 0, start + 1, 0 if wrapped else 1
    key, after_key = None, False
    for token in _JSON_TOKEN.finditer(content, start):
        ch = token.group()
        if elements is None:  # in the wrapper, looking for its array
            if ch[0] == '"' and depth == 1:
                key, after_key = ch[1:-1], False
            elif ch == ":" and depth == 1:
                after_key = key in WRAPPER_KEYS
            elif ch == "[" and depth == 1 and after_key:
                elements, base, begin = [], 2, token.end()
                depth += 1
                continue
            elif ch != ":":
                after_key = False
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if elements is not None and depth == base - 1:  # the array's own closing bracket
                last = content[begin : token.start()]
                if last.strip():
                    elements.append(last)
                tail = content[token.end() :].strip()
                return elements if wrapped or not tail else None
            if depth < 0:
                return None
        elif ch == "," and elements is not None and depth == base:
            elements.append(content[begin : token.start()])
            begin = token.end()
    return None


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


def read_csv_rows(
    content: str, *, origin: str, column_map: Mapping[str, str], notes: list[str]
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
    while True:
        n += 1
        line = reader.line_num
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # this row alone (a field past the limit): the reader goes on
            rows.append((f"{origin}#row{n}", RecordError(f"{origin}#row{n}: bad CSV ({exc})")))
            if reader.line_num == line:  # no progress: nothing more can be read
                break
            continue
        if not any(c.strip() for c in cells):
            continue
        row = dict(zip(columns, cells, strict=False))
        if len(cells) > len(columns):  # kept as metadata, not lost and not misplaced
            extra = [c for c in cells[len(columns) :] if c.strip()]
            row.update({f"extra_cell_{i}": c for i, c in enumerate(extra, start=1)})
            notes.append(
                f"{origin}#row{n}: {len(cells)} cells for {len(columns)} columns; "
                f"the extra cells kept as metadata (extra_cell_1...)"
            )
        rows.append((f"{origin}#row{n}", row))
    return rows
