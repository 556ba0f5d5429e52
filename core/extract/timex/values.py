"""TIMEX3 type and value of a candidate span, resolved against the publication date.

Our own normalisation with ``datetime`` arithmetic, in the news mode of
HeidelTime: every relative expression is resolved against the article's
publication date (the *anchor*), using the tense of its sentence where the
direction is ambiguous. Rules (documented here because readers rely on them):

- Weekday names: the most recent such day on or before the anchor, unless the
  sentence speaks of the future (then the next one on or after it); "last
  Monday" is strictly before, "next Monday" strictly after, "this Monday" in
  the anchor's ISO week. Tue 2022-08-16: "on Monday" → 2022-08-15.
- Months and days named without a year ("In July", "February 24", "Dec. 7"):
  in a sentence without a future marker they are in the anchor's year unless
  that puts them more than FORWARD_DAYS (90) days after the anchor, in which
  case they are last year's; in a future sentence, the next occurrence.
  "In July" (anchor 2022-08-16) → 2022-07, "In December" → 2021-12,
  "payable Oct. 15" → 2022-10-15. (90 days was the best of 0–180 on TBAQ.)
- The year of a month or day may be the next one when it lies within FORWARD_DAYS
  ("payable Jan. 2" in November → next January); "payable"/"effective" right before
  it look ahead, and a past verb right before a weekday ("said Friday") looks back.
- Anaphoric "the following year", "that month", "the same day" are resolved against
  the last calendar date the text named (``dates.DateExtractor`` passes it as the
  anchor), not the publication date.
- Quarters and seasons without a year: the latest one (results are reported
  after the quarter ends): "the fourth quarter" in January → last year's.
- "last/this/next year|month|week|quarter|decade|century" shift the anchor's
  unit; "N units ago/earlier" and "N units from now/later" shift by N at the
  granularity of the unit ("two weeks ago" → a week, "a month ago" → a month).
  "N seconds/minutes/hours/days later/earlier" count from an event of the story:
  they are durations ("three days later" → P3D).
- Counted quarters use the TIMEX3 quarter unit, as HeidelTime does: "the past two
  quarters" → P2Q, "every quarter" → P1Q.
- Without an anchor, absolute expressions still resolve; relative ones keep a
  TimeML-underspecified value when the calendar position is known ("In July"
  → XXXX-07, "Monday" → XXXX-WXX-1, "February 24" → XXXX-02-24) and None
  otherwise ("last year", "two weeks ago", "today").
"""

from __future__ import annotations

import datetime as dt
import re

from core.extract.timex.calendar import (
    FORWARD_DAYS,
    SEASON_START,
    SEASONS,
    cyclic_year,
    day_of,
    holiday_date,
    iso_week,
    month_of,
    nearest_year,
    part_of,
    quarter_of,
    season_shift,
    shift,
    unit_of,
    weekday_of,
    year_of,
)
from core.extract.timex.lexicon import (
    ORDINALS,
)
from core.extract.timex.relative import (
    ago,
    boundary,
    duration,
    frequency,
    part,
    qrel,
    ref,
    relunit,
    theyear,
    weekend,
)

Anchor = dt.date | None

_ORDINAL_WORDS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()


def normalise(
    rule: str, span: str, anchor: Anchor, *, future: bool, quarterly: bool = False
) -> tuple[str, str | None]:
    """Return the TIMEX3 ``(type, value)`` of ``span`` matched by ``rule``.

    ``future`` says whether the sentence speaks of the future; it decides the
    direction of ambiguous expressions. ``quarterly`` says whether the context
    talks of a quarter: then "a year ago" and "year-earlier" mean that quarter a
    year back, as in earnings reports. The value is None when it cannot be
    normalised (a relative expression without an anchor).
    """
    low = re.sub(r"\s+", " ", span.lower())
    if (
        quarterly
        and anchor is not None
        and rule in ("ago", "qrel")
        and re.fullmatch(r"(?:a|one) year (?:ago|earlier)|(?:the )?year-(?:ago|earlier)", low)
    ):
        return "DATE", shift(anchor, "quarter", -5)
    fn = _HANDLERS[rule]
    return fn(low, anchor, future)


# --- rule handlers: expressions placed on the calendar -----------------------------


def _iso(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    if "t" in low:
        return "TIME", low[:16].upper()
    return "DATE", low[:10]


def _numeric(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    a, b, y = (int(x) for x in low.split("/"))
    day, month = (b, a) if a <= 12 < b else (a, b)
    try:
        return "DATE", dt.date(y, month, day).isoformat()
    except ValueError:
        return "DATE", None


def _resolve_day(low: str, anchor: Anchor, future: bool) -> str | None:
    """Date of a span naming a weekday, today/yesterday/tomorrow, or a month and day."""
    month = month_of(low)
    if month is not None:
        day = day_of(low)
        year = year_of(low)
        if day is None:
            return None
        if year is None:
            if anchor is None:
                return f"XXXX-{month:02d}-{day:02d}"
            year = nearest_year(anchor, month, day, future)
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return None
    for word, delta in (("yesterday", -1), ("tomorrow", 1), ("today", 0), ("tonight", 0)):
        if word in low:
            return None if anchor is None else (anchor + dt.timedelta(days=delta)).isoformat()
    wd = weekday_of(low)
    if wd is None:
        return None if anchor is None else anchor.isoformat()
    if anchor is None:
        return f"XXXX-WXX-{wd + 1}"
    back = (anchor.weekday() - wd) % 7
    ahead = (wd - anchor.weekday()) % 7
    if re.search(r"\blast\b", low):
        delta = -(back or 7)
    elif re.search(r"\b(?:next|coming)\b", low):  # "this coming Sunday": the next one
        delta = ahead or 7
    elif re.search(r"\bthis\b", low):
        delta = wd - anchor.weekday()
    else:
        delta = ahead if future else -back
    return (anchor + dt.timedelta(days=delta)).isoformat()


def _clock(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    if "noon" in low or "midday" in low:
        hh, mm = 12, 0
    elif "midnight" in low:
        hh, mm = 24, 0
    else:
        m = re.search(r"(\d{1,2})(?::(\d\d))?", low)
        hh, mm = int(m.group(1)), int(m.group(2) or 0)
        if re.search(r"p\.?m|afternoon|evening", low) and hh < 12:
            hh += 12
        elif re.search(r"a\.?m|morning", low) and hh == 12:
            hh = 0
    rest = re.sub(r"^.*?(?:a\.m\.?|p\.m\.?|am|pm|noon|midnight|midday|\d\d)", "", low)
    day = _resolve_day(rest, anchor, future) if anchor is not None or rest.strip() else None
    return "TIME", f"{day or 'XXXX-XX-XX'}T{hh:02d}:{mm:02d}"


def _md(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    return "DATE", _resolve_day(low, anchor, future)


def _week_of(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    """ "the week of March 6" → the ISO week holding that day (2000-W10)."""
    day = _resolve_day(low.split(" of ", 1)[1], anchor, future)
    if day is None or day.startswith("X"):
        return "DATE", None
    return "DATE", iso_week(dt.date.fromisoformat(day))


def _my(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    month, year = month_of(low), year_of(low)
    return "DATE", f"{year:04d}-{month:02d}" if month and year else None


def _weekday(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    wd = weekday_of(low)
    part = part_of(low)
    if re.search(r"\b(?:each|every)\b", low) or re.search(r"(?:days|nights)\b", low):
        return "SET", f"XXXX-WXX-{(wd or 0) + 1}{part}"
    day = _resolve_day(low, anchor, future)
    if day is None:
        return "DATE", None
    return ("TIME" if part else "DATE"), day + part


def _quarter(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    q = next((v for k, v in ORDINALS.items() if re.search(rf"\b{k}\b", low)), None)
    if q is None:
        m = re.search(r"q([1-4])", low)
        q = int(m.group(1)) if m else None
    if q is None:
        return "DATE", None
    year = year_of(low)
    if year is None:
        if anchor is None:
            return "DATE", f"XXXX-Q{q}"
        # A quarter without a year is the latest such quarter: results are reported after it.
        year = cyclic_year(anchor, (q,), (quarter_of(anchor),), False)
        if re.search(r"year-ago|year-earlier|last year", low):
            year -= 1
        elif "next year" in low:
            year = anchor.year + 1
        elif "this year" in low:
            year = anchor.year
    return "DATE", f"{year:04d}-Q{q}"


def _half(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    h = 1 if "first" in low else 2  # "second half", "last half"
    year = year_of(low)
    if year is None:
        if anchor is None:
            return "DATE", None
        year = anchor.year + (-1 if "last" in low else 1 if "next" in low else 0)
    return "DATE", f"{year:04d}-H{h}"


def _decade(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    m = re.search(r"(\d{3})0s", low)
    if m:
        return "DATE", m.group(1)
    words = ("twenties thirties forties fifties sixties seventies eighties nineties").split()
    m2 = re.search(r"'?(\d)0s", low)
    d = int(m2.group(1)) if m2 else next((i + 2 for i, w in enumerate(words) if w in low), 0)
    ceiling = anchor.year if anchor else 2029
    century = 20 if 2000 + 10 * d <= ceiling else 19
    return "DATE", f"{century}{d}"


def _century(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    m = re.search(r"(\d{1,2})(?:st|nd|rd|th)", low)
    if m:
        n = int(m.group(1))
    elif "twenty-first" in low:
        n = 21
    else:
        n = next((i + 1 for i, w in enumerate(_ORDINAL_WORDS) if re.search(rf"\b{w}\b", low)), 0)
    return "DATE", f"{n - 1:02d}" if n else None


def _yearmod(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    year = year_of(low)
    season = next((code for word, code in SEASONS.items() if word in low), None)
    if year is None:
        return "DATE", None
    return "DATE", f"{year:04d}-{season}" if season else f"{year:04d}"


def _anaphor(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    """Value of "that year", "the same day": the unit holding the anchor given (the
    extractor passes the last date the text named, else the publication date)."""
    if anchor is None:
        return "DATE", None
    return "DATE", shift(anchor, unit_of(low) or "day", 0)


def _spoken_year(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    year = year_of(low)
    return "DATE", f"{year:04d}" if year else None


def _year(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    if low[0] in "'‘’":
        yy = int(low[1:3])
        ceiling = anchor.year if anchor else 2029
        return "DATE", f"{2000 + yy if 2000 + yy <= ceiling else 1900 + yy:04d}"
    return "DATE", low[-4:]


def _month(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    month = month_of(low)
    if month is None:
        return "DATE", None
    if anchor is None:
        return "DATE", f"XXXX-{month:02d}"
    if re.search(r"\bthis\b", low):
        year = anchor.year
    elif re.search(r"\blast year\b", low):
        year = anchor.year - 1
    elif re.search(r"\bnext year\b", low):
        year = anchor.year + 1
    elif re.search(r"\blast\b", low):
        year = anchor.year if month < anchor.month else anchor.year - 1
    elif re.search(r"\bnext\b", low):
        year = anchor.year if month > anchor.month else anchor.year + 1
    else:
        year = nearest_year(anchor, month, None, future)
    return "DATE", f"{year:04d}-{month:02d}"


def _season(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    season = next(code for word, code in SEASONS.items() if word in low)
    if anchor is None:
        return "DATE", f"XXXX-{season}"
    if re.search(r"\b(?:last|this|next)\b", low):
        n = -1 if "last" in low else 1 if "next" in low else 0
        return "DATE", season_shift(anchor, season, n)
    start = SEASON_START[season]
    year = cyclic_year(anchor, (start,), (anchor.month,), future)
    return "DATE", f"{year:04d}-{season}"


def _holiday(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    name = low.replace("’", "'")
    fixed = {
        "christmas eve": (12, 24),
        "christmas": (12, 25),
        "new year's eve": (12, 31),
        "new year's": (1, 1),
        "boxing day": (12, 26),
        "independence day": (7, 4),
        "halloween": (10, 31),
        "valentine's day": (2, 14),
        "bastille day": (7, 14),
        "veterans day": (11, 11),
        "armistice day": (11, 11),
    }
    if anchor is None:
        md = next((v for k, v in fixed.items() if k in name), None)
        return "DATE", f"XXXX-{md[0]:02d}-{md[1]:02d}" if md else None
    direction = -1 if "last" in name else 1 if "next" in name else 0
    candidates = [holiday_date(name, anchor.year + k, fixed) for k in (-1, 0, 1)]
    candidates = [c for c in candidates if c is not None]
    if not candidates:
        return "DATE", None
    if direction < 0:
        pick = max(c for c in candidates if c < anchor)
    elif direction > 0:
        pick = min(c for c in candidates if c > anchor)
    elif future:
        pick = min(c for c in candidates if c >= anchor)
    else:  # the latest one, or one coming within FORWARD_DAYS ("as Easter week began")
        horizon = anchor + dt.timedelta(days=FORWARD_DAYS)
        pick = max(c for c in candidates if c <= horizon)
    if name.endswith(" week"):  # "Easter week": the ISO week holding the day
        return "DATE", iso_week(pick)
    return "DATE", pick.isoformat()


_HANDLERS = {
    "iso": _iso,
    "numeric": _numeric,
    "clock": _clock,
    "md": _md,
    "dm": _md,
    "my": _my,
    "weekday": _weekday,
    "part": part,
    "quarter": _quarter,
    "qshort": _quarter,
    "qrel": qrel,
    "half": _half,
    "ago": ago,
    "relunit": relunit,
    "set": frequency,
    "duration": duration,
    "decade": _decade,
    "spokenyear": _spoken_year,
    "anaphor": _anaphor,
    "century": _century,
    "yearmod": _yearmod,
    "year": _year,
    "ref": ref,
    "month": _month,
    "season": _season,
    "weekend": weekend,
    "weekof": _week_of,
    "boundary": boundary,
    "theyear": theyear,
    "yearperiod": lambda low, anchor, future: ("DURATION", "P1Y"),
    "holiday": _holiday,
}
