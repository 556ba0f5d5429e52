"""The story's own reference times, for expressions not anchored to the publication date.

TimeML resolves anaphoric expressions against the narrative's reference time, the
last time the text placed on the calendar, not the document creation time:

- "the following year", "that month", "the same day": the last calendar date named
  ("In 1995 he was promoted; the following year ..." → 1996). The date must be precise
  enough: a bare year does not place "the following week" (the DCT is used instead).
- "the previous Friday", "the following Monday": the day before / after the last day
  named ("Shares fell on Friday, Oct. 27 ... down 4% from the previous Friday" → Oct. 20).
- Earnings reports: "the quarter", "the latest period" and the quarterly "a year
  earlier" are the quarter the report is about, the first quarter the text names that
  is over and at most a year old at the DCT ("its fiscal first quarter" in October →
  Q1, not the calendar quarter before the DCT). Quarters still to come (forecasts) and
  history do not count.

``Story`` keeps those reference points while the extractor walks the text in order.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass

# Rules whose value is a calendar date that can serve as the story's reference time.
_CALENDAR_RULES = frozenset("iso numeric md dm my month year yearmod spokenyear".split())
_CALENDAR_VALUE = re.compile(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?$")
_FOLLOWING = re.compile(r"\bfollowing\b", re.IGNORECASE)

# Rules that may be anaphoric: "that year", "the following month".
_ANAPHOR_RULES = frozenset(("anaphor", "relunit"))

# Rules naming one day ("Friday", "Oct. 27"), for "the previous Friday".
_DAY_RULES = frozenset("iso numeric md dm weekday".split())
_DAY_VALUE = re.compile(r"\d{4}-\d\d-\d\d")
_RELATIVE_DAY = re.compile(r"\bthe\s+(?:(following)|previous|preceding)\b", re.IGNORECASE)

# Named quarters ("the third quarter", "Q3") and the expressions that mean the quarter
# reported on ("the quarter", "the latest period", "a year earlier", "year-ago").
_QUARTER_RULES = frozenset("quarter qshort".split())
_QUARTER_VALUE = re.compile(r"(\d{4})-Q([1-4])$")
_REPORTED_QUARTER = re.compile(r"\b(?:the|latest|most\s+recent|year-ago|year-earlier|a\s+year)\b")

# A quarter is "reported on" when it ended at most this many days before the DCT.
REPORTED_WITHIN_DAYS = 366


@dataclass(slots=True)
class Story:
    """Reference points of one text, updated expression by expression (see the module)."""

    reference: tuple[dt.date, int] | None = None  # last calendar date, precision 1-3
    last_day: dt.date | None = None  # last day named
    after_quarter: dt.date | None = None  # first day after the quarter reported on

    def anchor_for(
        self, rule: str, span: str, anchor: dt.date | None, *, quarterly: bool
    ) -> tuple[dt.date | None, str]:
        """The date to resolve ``span`` against, and the span to resolve.

        Returns: the story's reference time for anaphoric expressions, else ``anchor``
        (the publication date); and ``span``, with "the previous" / "the following"
        before a weekday read as "last" / "next" of that reference day.
        """
        if rule in _ANAPHOR_RULES and self.reference is not None:
            anaphor = rule == "anaphor" or _FOLLOWING.search(span)
            if anaphor and _precision_of(span.lower()) <= self.reference[1]:
                return self.reference[0], span  # "the following year", "that month"
        elif rule == "weekday" and (relative := _RELATIVE_DAY.search(span)) is not None:
            word = "next" if relative.group(1) else "last"
            return self.last_day or anchor, span[: relative.start()] + word + span[relative.end() :]
        elif self.after_quarter is not None and (rule == "qrel" or quarterly):
            low = span.lower()
            if "current" not in low and _REPORTED_QUARTER.search(low):
                # "the quarter", "a year earlier": normalised as if published the day after
                # the reported quarter ended, the anchor such a report has
                return self.after_quarter, span
        return anchor, span

    def note(self, rule: str, value: str | None, anchor: dt.date | None) -> None:
        """Record the reference points an expression's ``value`` sets."""
        if value is None:
            return
        if rule in _CALENDAR_RULES:
            self.reference = _as_reference(value) or self.reference
        if rule in _DAY_RULES and _DAY_VALUE.match(value):
            with contextlib.suppress(ValueError):  # not a real day ("2022-02-30"): none set
                self.last_day = dt.date.fromisoformat(value[:10])
        if rule in _QUARTER_RULES and self.after_quarter is None and anchor is not None:
            ended = _after_quarter(value)
            if ended is not None and 0 <= (anchor - ended).days <= REPORTED_WITHIN_DAYS:
                self.after_quarter = ended  # over, and recent: the quarter reported on


def _as_reference(value: str) -> tuple[dt.date, int] | None:
    """The first day of a calendar value ("1995", "1989-03", "1989-10-12") and its precision
    (1 year, 2 month, 3 day), or None for any other value."""
    m = _CALENDAR_VALUE.match(value)
    if m is None:
        return None
    try:
        day = dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None
    return day, 1 + (m.group(2) is not None) + (m.group(3) is not None)


def _after_quarter(value: str) -> dt.date | None:
    """First day of the quarter after a quarter value ("1989-Q3" → 1989-10-01), else None."""
    m = _QUARTER_VALUE.match(value)
    if m is None:
        return None
    year, q = int(m.group(1)), int(m.group(2))
    try:
        return dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
    except ValueError:  # year 0 or 9999, a quarter 5: not on the calendar
        return None


def _precision_of(low: str) -> int:
    """Precision an anaphor needs from its reference: "the following year" 1, "that month"
    2, "the same day" or "the following week" 3 (a year alone does not place a week)."""
    return 1 if "year" in low else 2 if "month" in low else 3
