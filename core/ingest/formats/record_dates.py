"""Numeric dates in records: day-first or month-first, decided per document from its values.

``03/04/2020`` is 3 April in most of the world and 4 March in the US. A file's own values
usually settle it: a first number above 12 can only be a day, a second above 12 only a
month. A file with only ambiguous values is read day-first (as ``parse_published``
does), and the report says which order it assumed.
"""

from __future__ import annotations

import re

from core.extract.timex.pubdate import parse_published

DATE_ORDERS = ("auto", "dayfirst", "monthfirst")
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})\b(.*)$", re.DOTALL)


def choose_date_order(
    values: list[str], *, origin: str, requested: str = "auto"
) -> tuple[str, list[str]]:
    """Decide whether a document's numeric dates (``03/04/2020``) are day- or month-first.

    ``requested`` (``dayfirst`` / ``monthfirst``) wins; ``auto`` reads the
    values: a first number above 12 is a day, a second above 12 is a month.
    With no such evidence the file is ambiguous and read day-first, with a note.

    Returns: ``(order, notes)``.
    """
    if requested in ("dayfirst", "monthfirst"):
        return requested, []
    numeric = [m for v in values if (m := _NUMERIC_DATE.match(v))]
    if not numeric:
        return "dayfirst", []
    day_first = sum(int(m[1]) > 12 for m in numeric)
    month_first = sum(int(m[3]) > 12 for m in numeric)
    if month_first > day_first:
        order = "monthfirst"
    elif day_first:
        order = "dayfirst"
    else:
        example = numeric[0][0].strip()
        return "dayfirst", [
            f"{origin}: numeric dates such as {example!r} could be day-first or month-first; "
            f"read day-first (pass --monthfirst if they are month-first)"
        ]
    notes = []
    if day_first and month_first:
        notes.append(
            f"{origin}: numeric dates mix day-first ({day_first}) and month-first "
            f"({month_first}) values; read {order.replace('first', '-first')}"
        )
    return order, notes


def parse_record_date(value: str, *, date_order: str) -> object:
    """Parse a record's date, reading a numeric ``a/b/yyyy`` in ``date_order``."""
    m = _NUMERIC_DATE.match(value)
    if m and date_order == "monthfirst":
        # parse_published reads numeric dates day-first: swap day and month for it.
        value = f"{m[3]}{m[2]}{m[1]}{m[2]}{m[4]}{m[5]}"
    return parse_published(value)
