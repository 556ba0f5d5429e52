"""TIMEX3 values of relative expressions: "two weeks ago", "last year", "the quarter", "now".

Each handler takes the lower-cased span, the anchor (publication date or None)
and whether the sentence speaks of the future, and returns ``(type, value)``.
"""

from __future__ import annotations

import datetime as dt
import re

from core.extract.timex.calendar import (
    SEASONS,
    duration_value,
    iso_week,
    month_of,
    number,
    part_of,
    season_shift,
    shift,
    unit_of,
    weekday_of,
)

Anchor = dt.date | None

_SETS = {
    "daily": "P1D",
    "weekly": "P1W",
    "monthly": "P1M",
    "annually": "P1Y",
    "yearly": "P1Y",
    "hourly": "PT1H",
    "nightly": "XXXX-XX-XXTNI",
    "quarterly": "P3M",
    "biweekly": "P2W",
    "fortnightly": "P2W",
}
# Units short enough that "N units later/earlier" counts from the story's last event.
_NARRATIVE_UNITS = frozenset(("second", "minute", "hour", "day"))
_PAST_REF = ("recently", "lately", "the past", "recent")
_FUTURE_REF = ("future", "soon", "later date", "near term", "short term")


def ago(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    """Shift the anchor by "two weeks ago", "a year earlier", "three days from now".

    The value has the unit's granularity: a week for weeks, a month for months.
    """
    forward = bool(re.search(r"later|from now|hence", low))
    unit = unit_of(low) or "day"
    n = number(low.split(unit)[0])
    if unit in _NARRATIVE_UNITS and re.search(r"\b(?:later|earlier)$", low):
        # "Three days later", "a day earlier", "an hour later": counted from an event of
        # the story, not from the publication date; TimeML tags the interval (P3D, PT1H)
        return "DURATION", duration_value(n, unit)
    if n is None or not float(n).is_integer():
        return "DATE", "FUTURE_REF" if forward else "PAST_REF"
    if anchor is None:
        return "DATE", None
    return "DATE", shift(anchor, unit, int(n) if forward else -int(n))


def relunit(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    """Value of "last year", "this week", "next month", "earlier this year", "last summer"."""
    if re.search(r"\b(?:last|previous|past)\b", low):
        n = -1
    elif re.search(r"\b(?:next|coming|following)\b", low):
        n = 1
    else:
        n = 0
    season = next((code for word, code in SEASONS.items() if word in low), None)
    if anchor is None:
        return "DATE", None
    if season:
        return "DATE", season_shift(anchor, season, n)
    if "weekend" in low:
        return "DATE", iso_week(anchor + dt.timedelta(weeks=n)) + "-WE"
    unit = unit_of(low) or "year"
    return "DATE", shift(anchor, unit, n)


def qrel(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    """Value of "the quarter", "the latest quarter", "the year-ago period": quarters reported on."""
    if anchor is None:
        return "DATE", None
    if "current" in low:
        return "DATE", shift(anchor, "quarter", 0)
    year = re.search(r"\b(1\d{3}|20\d\d)\b", low)
    if year:  # "the 1988 quarter": that year's instance of the quarter reported on
        latest = shift(anchor, "quarter", -1)
        return "DATE", f"{year.group(1)}-{latest[5:]}"
    if re.search(r"year-ago|year-earlier|same|a year (?:ago|earlier)|last year", low):
        if "quarter" in low or "period" in low:
            return "DATE", shift(anchor, "quarter", -5)
        return "DATE", shift(anchor, "year", -1)
    # "the latest quarter", "the quarter", "last quarter": the last one reported on
    return "DATE", shift(anchor, "quarter", -1)


def boundary(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    """Value of "year-end", "the end of the month": the unit containing the boundary."""
    if anchor is None:
        return "DATE", None
    unit = "month" if "month" in low else "week" if "week" in low else "year"
    n = -1 if re.search(r"\blast\b", low) else 1 if re.search(r"\bnext\b", low) else 0
    return "DATE", shift(anchor, unit, n)


def theyear(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    """Value of "the year", "the fiscal year": the anchor's year."""
    if anchor is None:
        return "DATE", None
    return "DATE", f"{anchor.year:04d}"


def weekend(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    """Value of "the weekend": the latest one, or the coming one in a future sentence."""
    if anchor is None:
        return "DATE", None
    if anchor.weekday() >= 5:
        return "DATE", iso_week(anchor) + "-WE"
    return "DATE", iso_week(anchor + dt.timedelta(weeks=1 if future else -1)) + "-WE"


def part(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    """Value of "today", "yesterday", "tonight", "this morning", "last night"."""
    part = part_of(low)
    if low == "overnight":
        part = "TNI"
    if anchor is None:
        return ("TIME" if part else "DATE"), None
    day = anchor
    if "yesterday" in low or re.search(r"\blast (?:night|evening)", low) or low == "overnight":
        day = anchor - dt.timedelta(days=1)
    elif "tomorrow" in low:
        day = anchor + dt.timedelta(days=1)
    return ("TIME" if part else "DATE"), day.isoformat() + part


def ref(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    """PRESENT_REF, PAST_REF or FUTURE_REF of "now", "recently", "the future", "recent years"."""
    if any(w in low for w in _FUTURE_REF):
        return "DATE", "FUTURE_REF"
    if any(w in low for w in _PAST_REF):
        return "DATE", "PAST_REF"
    return "DATE", "PRESENT_REF"


def frequency(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    """Value of "daily", "every week", "each July", "twice a year": TIMEX3 SET values."""
    if low in _SETS:
        return "SET", _SETS[low]
    wd = weekday_of(low)
    if wd is not None:
        return "SET", f"XXXX-WXX-{wd + 1}{part_of(low)}"
    month = month_of(low)
    if month is not None:
        return "SET", f"XXXX-{month:02d}"
    season = next((code for word, code in SEASONS.items() if word in low), None)
    if season:
        return "SET", f"XXXX-{season}"
    part = part_of(low)
    if part:
        return "SET", f"XXXX-XX-XX{part}"
    unit = unit_of(low) or "day"
    times = re.search(r"\b(?:once|twice|\w+ times)\b", low)
    n = number(re.sub(r"^(?:every|each|per)\s+(?:other\s+)?", "", low)) if not times else 1
    if "other" in low:
        n = 2
    return "SET", duration_value(n if n else 1, unit)


def duration(low: str, anchor: Anchor, future: bool) -> tuple[str, str | None]:
    """Value of "two weeks", "48 hours", "several years", "for years": TIMEX3 durations."""
    unit = unit_of(low) or "day"
    body = re.sub(
        r"^(?:(?:about|around|nearly|almost|roughly|approximately|some|over|under|more than"
        r"|less than|at least|at most|up to|just|only|barely|another|a full|the (?:past|last"
        r"|next|first|previous|coming|following|final))\s+)*",
        "",
        low,
    )
    if re.fullmatch(r"(?:the )?(?:past|last|next|coming|previous) (?:few |several )?\w+", low):
        body = "few"
    n = number(body.split(unit)[0])
    if n is not None and low.endswith(" and a half"):
        n += 0.5  # "a minute and a half" → PT1M30S
    if not re.search(r"\d|[a-z]+", body.split(unit)[0]):
        # bare unit: "for years" is vague, "day-long" is one
        n = None if re.search(rf"{unit[:5]}\w*s\b", body) else 1.0
    return "DURATION", duration_value(n, unit)
