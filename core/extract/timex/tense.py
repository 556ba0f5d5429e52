"""Clause-level context for the direction of a time expression (past or future).

``dates`` decides from the words right before an expression whether its sentence
speaks of the future. These readers cover the shapes where those words say nothing:

- A fronted adverbial: "On Tuesday, the league plans to hold a news conference",
  "In January, the company brought in a new chief". The clause follows the expression,
  so its verb (present-future "plans to", "will"; or a past verb) decides.
- A yearless month in a past-tense clause: "the company changed its fiscal year in
  December" (October article) is last December, not the one coming within 90 days.
- A clock time whose day follows it, past a parenthesis: "at 10:35 a.m. (0735 GMT)
  Friday", "at 4 in the morning (4 a.m. EDT Thursday)": the time is on that day.
"""

from __future__ import annotations

import re

from core.extract.timex.lexicon import WEEKDAYS

# Only a preposition or a modifier before the expression in its sentence: it is fronted.
_FRONTED_BEFORE = re.compile(r"[\W_]*(?:(?:on|in|early|late|by)\s+)?$", re.IGNORECASE)
_FRONTED_AFTER = re.compile(r"\s*(?:'s\b)?[^,.;:]{0,40},", re.IGNORECASE)

# The future markers every reader here shares ("will", "plans to", "she'll"); ``dates``
# adds its own ("planned", "next", "scheduled") to these.
FUTURE_VERBS = r"will|won[’']t|shall|going\s+to|plans?\s+to|intends?\s+to"
CONTRACTED_WILL = r"\w[’']ll\b"

# Present-future verbs of the fronted clause ("plans to" counts, "planned to" does not).
_CLAUSE_FUTURE = re.compile(
    rf"\b(?:{FUTURE_VERBS}|(?:is|are)\s+(?:(?:expected|scheduled|set|due)\s+)?to)\b"
    rf"|{CONTRACTED_WILL}",
    re.IGNORECASE,
)
# A past verb: "said", "was", "brought", "exploded" (not an "-ed" adjective before a noun
# is told apart; the first verb-like word of the clause decides).
_CLAUSE_PAST = re.compile(
    r"\b(?:said|told|was|were|had|did|brought|began|took|made|came|went|met|gave|got"
    r"|became|held|left|sent|found|won|lost|fell|rose|[a-z]{3,}ed)\b",
    re.IGNORECASE,
)
_CLAUSE_WINDOW = 120

# "in December" after a past verb in the clause, with no infinitive, modal or passive in
# between ("agreed to buy ... in February" and "would be paid in January" look ahead).
_IN_BEFORE = re.compile(r"\bin\s+(?:(?:early|mid|late)[-\s])?$", re.IGNORECASE)
_PAST_THEN = re.compile(r"\b(?:said|was|were|[a-z]{3,}ed)\b", re.IGNORECASE)
_NOT_PAST = re.compile(
    r"\b(?:to\s+(?!(?:the|a|an|its|his|her|their|\d)\b)[a-z]+|will|would|shall|can|may"
    rf"|might|could|should|must|be|been|is|are)\b|{CONTRACTED_WILL}",
    re.IGNORECASE,
)
_PAST_WINDOW = 80

_WEEKDAY_NAMES = "|".join(WEEKDAYS)
_WEEKDAY_WORD = re.compile(rf"\b(?:{_WEEKDAY_NAMES})\b")
_YEARLESS_VALUE = re.compile(r"\d{4}-\d\d(?:-\d\d)?")
_WEEKDAY_AFTER_CLOCK = re.compile(
    rf"\s*\(([^()]{{1,30}})\)\s*,?\s*(?:on\s+)?({_WEEKDAY_NAMES})?", re.IGNORECASE
)


def fronted_direction(text: str, s_start: int, s_end: int, start: int, end: int) -> str | None:
    """Direction of a fronted expression from the verb of the clause after it.

    Returns: "future" when the clause speaks of the future ("On Tuesday, the league plans
    to ..."), "past" when its first verb is past ("In January, the company brought ..."),
    None when the expression is not fronted or the clause says neither.
    """
    if not _FRONTED_BEFORE.fullmatch(text, s_start, start):
        return None
    if not _FRONTED_AFTER.match(text, end, s_end):
        return None
    hi = min(s_end, end + _CLAUSE_WINDOW)
    future = _CLAUSE_FUTURE.search(text, end, hi)
    past = _CLAUSE_PAST.search(text, end, hi)
    if future and (past is None or future.start() < past.start()):
        return "future"
    return "past" if past else None


def past_in_month(text: str, s_start: int, start: int) -> bool:
    """True for "in <Month>" after a past verb of its clause ("changed ... in December")."""
    if not _IN_BEFORE.search(text, max(s_start, start - 12), start):
        return False
    lo = max(s_start, start - _PAST_WINDOW)
    return bool(_PAST_THEN.search(text, lo, start)) and not _NOT_PAST.search(text, lo, start)


def clock_weekday(text: str, end: int, s_end: int) -> str | None:
    """The weekday named right after a clock time, past a parenthesis, or None.

    "10:35 a.m. (0735 GMT) Friday" → "friday"; "4 in the morning (4 a.m. EDT Thursday)"
    → "thursday".
    """
    m = _WEEKDAY_AFTER_CLOCK.match(text, end, s_end)
    if m is None:
        return None
    if m.group(2):
        return m.group(2).lower()
    named = set(_WEEKDAY_WORD.findall(m.group(1).lower()))
    return next((day for day in WEEKDAYS if day in named), None)


def not_after(value: str | None, anchor_iso: str) -> str | None:
    """A yearless month or day moved back a year when it lies after the anchor."""
    if value is None or not _YEARLESS_VALUE.fullmatch(value):
        return value
    if value <= anchor_iso[: len(value)]:
        return value
    year = int(value[:4]) - 1
    if value[5:] == "02-29":
        return value
    return f"{year:04d}{value[4:]}"
