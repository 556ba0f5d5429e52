"""Calendar arithmetic and span reading for the TIMEX3 normaliser.

Plain ``datetime`` arithmetic (months, ISO weeks, quarters, seasons, holidays)
and the small readers that pull a month, a day, a count or a unit out of a
lower-cased span. Separate from ``timex_values`` so each stays readable.
"""

from __future__ import annotations

import datetime as dt
import re

from core.extract.timex.lexicon import MONTH_ABBR, MONTHS, NUMBER_WORDS, VAGUE_NUMBERS, WEEKDAYS

# How far ahead of the anchor a month or day named without a year may lie, in a
# sentence without a future marker, and still be read in the anchor's year.
FORWARD_DAYS = 90


_UNIT_CODES = {
    "second": ("T", "S", 1),
    "minute": ("T", "M", 1),
    "hour": ("T", "H", 1),
    "day": ("", "D", 1),
    "week": ("", "W", 1),
    "fortnight": ("", "W", 2),
    "month": ("", "M", 1),
    "quarter": ("", "Q", 1),  # TIMEX3 as HeidelTime writes it: "two quarters" → P2Q
    "year": ("", "Y", 1),
    "decade": ("", "Y", 10),
    "century": ("", "Y", 100),
}


_VAGUE_CODES = {"decade": "DE", "century": "CE", "fortnight": "W", "quarter": "Q"}


_SMALLER = {
    ("T", "H"): ("T", "M", 60),
    ("T", "M"): ("T", "S", 60),
    ("", "D"): ("T", "H", 24),
    ("", "W"): ("", "D", 7),
    ("", "Y"): ("", "M", 12),
}


_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}


SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}

SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def iso_week(d: dt.date) -> str:
    iso = d.isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"


def quarter_of(d: dt.date) -> int:
    return (d.month - 1) // 3 + 1


def cyclic_year(anchor: dt.date, position: tuple, anchor_position: tuple, future: bool) -> int:
    """Year of a month/day/quarter/season given without one (see the module docstring)."""
    if future and position < anchor_position:
        return anchor.year + 1
    if not future and position > anchor_position:
        return anchor.year - 1
    return anchor.year


def nearest_year(anchor: dt.date, month: int, day: int | None, future: bool) -> int:
    """Year putting (month, day) nearest the anchor; future sentences look ahead.

    In a sentence without a future marker, the latest occurrence that lies at most
    FORWARD_DAYS after the anchor: "payable Dec. 7" in late October is this year's,
    "payable Jan. 2" in November next year's, "in December" in August last year's.
    In a future sentence, the next occurrence.
    """
    anchor_point = anchor.replace(day=1) if day is None else anchor  # month granularity

    def on(year: int) -> dt.date:
        return dt.date(year, month, 1 if day is None else min(day, 28) if month == 2 else day)

    if future:
        return anchor.year if on(anchor.year) >= anchor_point else anchor.year + 1
    horizon = anchor + dt.timedelta(days=FORWARD_DAYS)
    return next(y for y in (anchor.year + 1, anchor.year, anchor.year - 1) if on(y) <= horizon)


def month_of(low: str) -> int | None:
    for token in re.findall(r"[a-z]+", low):
        if token in MONTHS:
            return MONTHS[token]
        if token in MONTH_ABBR:
            return MONTH_ABBR[token]
    return None


_SPOKEN_CENTURY = {"eighteen": 18, "nineteen": 19}
_SPOKEN_TENS = dict(
    zip(
        "twenty thirty forty fifty sixty seventy eighty ninety".split(),
        range(20, 100, 10),
        strict=True,
    )
)


def year_of(low: str) -> int | None:
    m = re.search(r"(?<!\d)(1\d{3}|20\d\d)(?!\d)", low)
    if m:
        return int(m.group(1))
    return spoken_year_of(low)


def spoken_year_of(low: str) -> int | None:
    """Year of a read-out year: "nineteen ninety-six" → 1996, "two thousand and one" → 2001."""
    words = re.findall(r"[a-z]+", low)
    if "thousand" in words:
        i = words.index("thousand")
        rest = [w for w in words[i + 1 :] if w != "and"]
        return 2000 + (NUMBER_WORDS.get(rest[0], 0) if rest else 0)
    for i, w in enumerate(words[:-1]):
        if w not in _SPOKEN_CENTURY:
            continue
        rest = words[i + 1 :]
        if rest[0] == "hundred":
            return _SPOKEN_CENTURY[w] * 100
        if rest[0] == "oh" and len(rest) > 1:
            return _SPOKEN_CENTURY[w] * 100 + NUMBER_WORDS.get(rest[1], 0)
        if rest[0] in _SPOKEN_TENS:
            unit = NUMBER_WORDS.get(rest[1], 0) if len(rest) > 1 else 0
            return _SPOKEN_CENTURY[w] * 100 + _SPOKEN_TENS[rest[0]] + unit
        if rest[0] in NUMBER_WORDS and 10 <= NUMBER_WORDS[rest[0]] <= 19:
            return _SPOKEN_CENTURY[w] * 100 + NUMBER_WORDS[rest[0]]
    return None


def day_of(low: str) -> int | None:
    for m in re.finditer(r"(?<![\d])(\d{1,2})(?:st|nd|rd|th)?(?![\d])", low):
        return int(m.group(1))
    return None


def weekday_of(low: str) -> int | None:
    for i, name in enumerate(WEEKDAYS):
        if name in low:
            return i
    return None


def part_of(low: str) -> str:
    for word, code in _PARTS.items():
        if word in low:
            return "T" + code
    return ""


def number(low: str) -> float | None:
    """The count in a duration ("two", "48", "a couple of", "5 1/2"); None when vague."""
    m = re.search(r"(\d+(?:\.\d+)?)(\s+1/2)?", low)
    if m:
        return float(m.group(1)) + (0.5 if m.group(2) else 0.0)
    for vague in VAGUE_NUMBERS:
        if re.search(rf"\b{vague}\b", low):
            return None
    if re.match(r"\s*half\s+an?\b", low):
        return 0.5
    words = re.findall(r"[a-z]+", low)
    total = 0.0
    seen = False
    for i, w in enumerate(words):
        if w == "hundred":
            total = (total or 1) * 100
            seen = True
        elif w in NUMBER_WORDS and w not in ("a", "an"):
            total += NUMBER_WORDS[w]
            seen = True
        elif w in ("a", "an") and not seen:
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if nxt == "half":
                return 0.5
            if nxt not in ("couple", "hundred", "few", "number"):
                total, seen = 1.0, True
        elif w == "couple":
            total, seen = 2.0, True
        elif w == "half" and seen:
            total += 0.5
    return total if seen else None


def unit_of(low: str) -> str | None:
    m = re.search(r"(second|minute|hour|day|week|fortnight|month|quarter|year|decade|centur)", low)
    if not m:
        return None
    return "century" if m.group(1) == "centur" else m.group(1)


def format_number(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


def duration_value(n: float | None, unit: str) -> str:
    prefix, code, factor = _UNIT_CODES[unit]
    if n is None:
        return f"P{prefix}X{_VAGUE_CODES.get(unit, code)}"
    n = n * factor
    if not float(n).is_integer():  # half an hour → PT30M, 5 1/2 hours → PT5H30M
        smaller = _SMALLER.get((prefix, code))
        if smaller and float(n * smaller[2]).is_integer():
            whole, part = int(n), int(round((n - int(n)) * smaller[2]))
            if whole and (code in ("H", "Y") or prefix == "T"):
                return f"P{prefix}{whole}{code}{part}{smaller[1]}"
            if whole and code == "D":
                return f"P{whole}DT{part}H"
            prefix, code, n = smaller[0], smaller[1], n * smaller[2]
    return f"P{prefix}{format_number(n)}{code}"


def shift(anchor: dt.date, unit: str, n: int) -> str:
    """The anchor shifted by ``n`` units, at the granularity of the unit."""
    if unit in ("second", "minute", "hour"):
        return anchor.isoformat()
    if unit == "day":
        return (anchor + dt.timedelta(days=n)).isoformat()
    if unit in ("week", "fortnight"):
        k = 2 if unit == "fortnight" else 1
        return iso_week(anchor + dt.timedelta(weeks=n * k))
    if unit == "month":
        y, m = add_months(anchor.year, anchor.month, n)
        return f"{y:04d}-{m:02d}"
    if unit == "quarter":
        y, m = add_months(anchor.year, (quarter_of(anchor) - 1) * 3 + 1, 3 * n)
        return f"{y:04d}-Q{(m - 1) // 3 + 1}"
    if unit == "decade":
        return f"{(anchor.year + 10 * n) // 10:03d}"
    if unit == "century":
        return f"{(anchor.year + 100 * n) // 100:02d}"
    return f"{anchor.year + n:04d}"


# --- rule handlers ---------------------------------------------------------------


def season_shift(anchor: dt.date, season: str, n: int) -> str:
    """``this`` (n=0), ``last`` (n=-1) or ``next`` (n=1) instance of a season."""
    year = anchor.year
    if n == 0:
        return f"{year:04d}-{season}"
    start = dt.date(year, SEASON_START[season], 1)
    if n < 0:
        year = year if start <= anchor - dt.timedelta(days=90) else year - 1
    else:
        year = year if start > anchor else year + 1
    return f"{year:04d}-{season}"


def holiday_date(name: str, year: int, fixed: dict) -> dt.date | None:
    for key, (month, day) in fixed.items():
        if key in name:
            return dt.date(year, month, day)
    if "thanksgiving" in name:  # US: fourth Thursday of November
        first = dt.date(year, 11, 1)
        return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)
    if "easter" in name or "good friday" in name:
        easter = easter_sunday(year)
        if "monday" in name:
            return easter + dt.timedelta(days=1)
        return easter - dt.timedelta(days=2) if "good friday" in name else easter
    if "labor day" in name:  # US: first Monday of September
        first = dt.date(year, 9, 1)
        return first + dt.timedelta(days=(0 - first.weekday()) % 7)
    if "memorial day" in name:  # US: last Monday of May
        last = dt.date(year, 5, 31)
        return last - dt.timedelta(days=last.weekday())
    if "labour day" in name:
        return dt.date(year, 5, 1)
    return None


def easter_sunday(year: int) -> dt.date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)
