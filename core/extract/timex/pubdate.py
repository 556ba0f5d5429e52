"""Publication dates from headers, HTML metadata and records.

Our own small parser rather than ``dateutil.parser.parse(fuzzy=True)`` or
``dateparser.parse``: both happily turn a title sentence containing a number
into a date ("Apple sells 10 million phones" → the 10th of this month), and
a wrong anchor silently corrupts every relative date of the article. Here a
value parses only when, after removing weekday names, clock times, time-zone
words and "Updated"/"Published" labels, nothing but a date is left.

Decisions where formats are ambiguous:

- ``16/08/2022`` and ``08/16/2022``: numeric dates are read **day-first**
  (the norm for news outside the US); when the second number is > 12 and the
  first is ≤ 12 the value can only be month-first and is read so.
- ``2022/08/16`` and ``2022.08.16`` (year first) are read year-month-day.
- A bare 8-digit ``20220816`` is read as a compact ISO date.
- A 10- or 13-digit integer is a Unix timestamp (seconds / milliseconds, UTC),
  as exported by many record stores.
- Times are ignored, and so is the time zone: the date is the one written.
"""

from __future__ import annotations

import datetime as dt
import re

from core.extract.timex.lexicon import MONTH_ABBR

# Three-letter keys ("sept" too); "may" is no abbreviation, so the lexicon leaves it out.
_MONTHS = {**MONTH_ABBR, "may": 5}
_MONTH_WORD = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?"
)
_COMPACT = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})")
_EPOCH = re.compile(r"\d{10}(?:\d{3})?(?:\.\d+)?")

# Noise removed before matching what is left against the date shapes.
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\.?"
_CLOCK = (
    r"\d{1,2}(?::\d{2}(?::\d{2})?)?\s*(?:[ap]\.?m\.?)"  # 7:58 AM, 9am, 10 p.m.
    r"|\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:\s*(?:z|[+-]\d{2}:?\d{2}))?"  # 10:12, 09:00:00+01:00
    r"|\d{4}\s*(?:hrs|h)\b"  # 1812 hrs
)
_ZONE = (
    r"(?:utc|gmt|z|et|ct|mt|pt|est|edt|cst|cdt|mst|mdt|pst|pdt|bst|cet|cest|eet|eest"
    r"|wet|west|ist|jst|kst|hkt|sgt|aest|aedt|msk)(?:[+-]\d{1,2}(?::?\d{2})?)?"
)
_LABEL = (
    r"(?:last\s+updated|last\s+modified|updated|published|posted|first\s+published"
    r"|modified|created|date|dated|on|at)\s*:?"
)
_NOISE = re.compile(
    rf"\((?:[^()]*)\)|\b(?:{_LABEL})(?=\s|$|:)|\b{_WEEKDAY}(?![a-z])|(?<![\w:]){_CLOCK}"
    rf"|\b{_ZONE}\b|[|,;•·–—]|\s-\s",
    re.IGNORECASE,
)
_PAREN_DATE = re.compile(r"\([^()]*\)")

_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<y>\d{4})"
_SHAPES = [
    re.compile(rf"(?P<mon>{_MONTH_WORD})\s*{_DAY}\s*\.?\s*{_YEAR}", re.IGNORECASE),
    re.compile(rf"{_DAY}\.?\s*(?:of\s+)?(?P<mon>{_MONTH_WORD})\s*{_YEAR}", re.IGNORECASE),
    re.compile(rf"{_YEAR}\s*(?P<mon>{_MONTH_WORD})\s*{_DAY}", re.IGNORECASE),
    re.compile(r"(?P<y>\d{4})[/.\-](?P<m>\d{1,2})[/.\-](?P<d>\d{1,2})"),
    re.compile(r"(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})[/.\-](?P<y>\d{4})"),
]


def parse_published(value: str) -> dt.date | None:
    """Parse a publication date written in any common format.

    Returns: the date, or None when ``value`` is not (only) a date — a title
    sentence, an empty string, an impossible day.
    """
    if not isinstance(value, str):
        return None
    s = value.strip().strip("\"'")
    if not s or len(s) > 120:
        return None
    if m := _ISO.fullmatch(s):
        return _make(m["y"], m["m"], m["d"])
    if m := _COMPACT.fullmatch(s):
        return _make(m["y"], m["m"], m["d"])
    if _EPOCH.fullmatch(s):
        seconds = float(s) / (1000 if len(s.split(".")[0]) == 13 else 1)
        return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).date()
    if m := _ISO.match(s):  # ISO date followed by something else: "2022-08-16 (updated)"
        rest = _strip_noise(s[m.end() :])
        if not rest:
            return _make(m["y"], m["m"], m["d"])
    core = _strip_noise(s)
    for shape in _SHAPES:
        if m := shape.fullmatch(core):
            return _from_shape(m)
    return None


def looks_like_date_line(line: str) -> bool:
    """True when the whole (short) ``line`` is a date, optionally with weekday, time and zone.

    Used by the ingest to decide that a text file's first line is its publication date.
    """
    if not isinstance(line, str):
        return False
    s = line.strip()
    if not s or len(s) > 80 or not re.search(r"\d", s):
        return False
    return parse_published(s) is not None


def _strip_noise(s: str) -> str:
    s = _NOISE.sub(" ", s)
    return re.sub(r"\s+", " ", s).strip(" .")


def _from_shape(m: re.Match) -> dt.date | None:
    groups = m.groupdict()
    if groups.get("mon"):
        key = groups["mon"].lower().rstrip(".")
        month = _MONTHS.get(key[:4] if key.startswith("sept") else key[:3])
        return _make(groups["y"], month, groups["d"])
    if groups.get("m"):
        return _make(groups["y"], groups["m"], groups["d"])
    a, b = int(groups["a"]), int(groups["b"])
    if a <= 12 < b:  # only month-first fits: 08/16/2022
        a, b = b, a
    return _make(groups["y"], b, a)


def _make(year: str | int, month: str | int | None, day: str | int) -> dt.date | None:
    if month is None:
        return None
    try:
        out = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return out if 1800 <= out.year <= 2200 else None
