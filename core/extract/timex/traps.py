"""Trap filters of the time-expression finder: candidate spans that are not times.

General date parsers turn "may", "March on", "2-1 win", "80% of" or "Windows 10"
into dates. These context checks, run on each candidate ``timex_spans`` finds,
reject the known traps: month words used as verbs or names, numbers that are
money, percentages, scores, phone numbers, postcodes, quantities or versions,
"daily" as a newspaper, ages, titles.
"""

from __future__ import annotations

import re

from core.extract.timex.lexicon import (
    COUNT_NOUNS,
    MONTH_ABBR,
    MONTHS,
    NOT_PLURAL,
    PRODUCT_WORDS,
    RATE_WORDS,
    TEMPORAL_CUES,
    WEEKDAYS,
)
from core.extract.timex.rules import MONTH_FULL

_MONTH_NAME_RX = re.compile(rf"\b(?:{MONTH_FULL})\b", re.IGNORECASE)
_CLOCK_AFTER = re.compile(r"\s*(?:GMT|BST|UTC|CET|CEST|[ECMP][SD]T|hrs|hours|h)\b")
_MONEY_WORDS = re.compile(r"\s*(?:m|bn|k|million|billion|trillion|crore|lakh)\b", re.IGNORECASE)
_CAPITALISED_WORD = re.compile(r"([A-Z][\w’'.-]*)\s+$")
PREV_WORD = re.compile(r"([\w’'.#-]+)\s*$")
_NEXT_WORD = re.compile(r"\s*([\w’'%-]+)")


def is_trap(text: str, start: int, end: int, span: str, rule: str) -> bool:
    """True when ``text[start:end]``, matched by ``rule``, is a known non-time (a trap)."""
    before = text[max(0, start - 40) : start]
    after = text[end : end + 30]
    if rule in ("md", "dm", "my", "month"):
        return _is_month_trap(before, after, span, rule)
    if rule in ("year", "yearmod"):
        # a read-out year ("the winter of nineteen ninety-four") is never a count or a code
        return span[-1:].isdigit() and _is_year_trap(before, after, span)
    if rule == "weekday":
        return not _has_capital_weekday(span)
    if rule == "set":
        return _is_set_trap(before, after, span)
    if rule == "ref":
        return _is_ref_trap(before, after, span)
    if rule == "duration":
        return _is_duration_trap(before, after, span)
    if rule == "spokenyear":
        # "nineteen twenty-dollar bills", "nineteen ninety people": a count, not a year
        nxt = _NEXT_WORD.match(after)
        return bool(after[:1] == "-" or nxt and nxt.group(1).lower() in COUNT_NOUNS)
    if rule == "season":
        low = span.lower()
        return low == "the fall" or (low.endswith("fall") and after.startswith(" of"))
    if rule == "numeric":
        return bool(re.match(r"\s*-\s*\d", after))
    if rule == "decade":
        return bool(re.match(r"[$£€¥]", before[-1:]))
    if rule == "holiday":
        return not re.search(r"\b[A-Z][a-z]", span)  # "christmas" lower-cased is not the day
    if rule == "qshort":
        return span[0] != "Q"
    if rule == "relunit":
        words = span.split()
        unit_word = words[-1]
        if unit_word[0].isupper() and not unit_word.isupper():
            return True  # a title: ABC's "This Week"
        return words[0].lower() == "following"  # "century following century"
    if rule == "part":
        return _is_title_word(before, span.split()[-1])  # ITV's "This Morning"
    if rule == "clock":
        if re.search(r"\bhigh\s*$", before, re.IGNORECASE):
            return True  # "High Noon"
        if span[0].isalpha() and _is_title_word(before, span.split()[0]):
            return True  # "Noon" the surname (Jamie Noon)
        # a score or a range, not a time: "2:1-0:3"
        return bool(re.search(r"\d\s*[-–]\s*$", before) or re.match(r"\s*[-–]\s*\d", after))
    return False


def _is_title_word(before: str, word: str) -> bool:
    """True for a capitalised common word right after another word: a name or a title."""
    if not word[:1].isupper() or word.isupper():
        return False
    b = before.rstrip()
    return len(b) < len(before) and b[-1:].isalnum()


def _month_token(span: str) -> str | None:
    for token in re.findall(r"[A-Za-z]+", span):
        low = token.lower()
        if low in MONTHS or low in MONTH_ABBR:
            return token
    return None


def _is_month_trap(before: str, after: str, span: str, rule: str) -> bool:
    token = _month_token(span)
    if token is None or token[0].islower():
        return True  # "may rise", "march on": months are capitalised in English
    if rule != "month":
        return False
    low = token.lower()
    if low == "may" and after[:2] in ("'s", "’s"):
        return True  # "May's chairman": the company or the person
    if span.split()[0].lower() != low:
        return False  # a modifier makes it temporal: "last July", "early March", "mid-May"
    prev = PREV_WORD.search(before)
    prev_word = prev.group(1).lower() if prev else ""
    if prev_word in ("and", "or") and _MONTH_NAME_RX.search(before[-25:]):
        return False  # "between March and May"
    if prev_word in TEMPORAL_CUES and prev_word not in ("and", "or", "to"):
        return False
    if low in ("may", "march", "april", "june", "august"):
        return True  # names (Theresa May, April Ryan) and verbs without a temporal cue
    # Any other bare month next to a capitalised word is most likely part of a name.
    if _CAPITALISED_WORD.search(before) and not re.search(r"[.!?:]\s*$", before):
        return True
    return bool(re.match(r"\s+[A-Z][a-z]", after)) and not re.match(r"\s+(?:The|A|An)\b", after)


def _is_year_trap(before: str, after: str, span: str) -> bool:
    # Plain string tests on the text before, not regexes anchored at its end: sre
    # would try every position of the window for each of them.
    b = before.rstrip()
    last = b[-1:]
    prev_word, sentence_start = _prev_word(before, b)
    if span[0] in "'‘’":
        return prev_word.lower() not in TEMPORAL_CUES  # '98 only after "in", "since", ...
    if last and (last in "$£€¥#№" or last.isdigit()):
        return True  # money and digit groups: "$2000", "020 7946 1990"
    if last in ".:-–/" and b[:-1].rstrip()[-1:].isdigit():
        return True  # phone numbers, ranges, dates: "555-1990", "10. 1990"
    if before.endswith("-") and before[-2:-1].isupper():
        return True  # postcodes: "CH-8001"
    if last == ",":
        token = b[:-1].rsplit(None, 1)[-1] if b[:-1].strip() else ""
        if token.isdigit() and len(token) <= 3:
            return True  # a list of numbers: "Windows 95, 98, 2000"
    if re.match(r"\s*(?:%|per\s*cent|percent|[-–/.:]\s*\d|,\d|\s\d)", after):
        return True  # percentages, ranges and scores, phone numbers: "1990-2000 hrs"
    if _MONEY_WORDS.match(after) or _CLOCK_AFTER.match(after):
        return True  # "1990 million", a 24-hour clock time: "at 2005 GMT"
    if (
        len(b) < len(before)
        and 2 <= len(prev_word) <= 3
        and prev_word.isalpha()
        and prev_word.isupper()
    ):
        return True  # state + postcode: "NSW 2000"
    if prev_word.lower() in PRODUCT_WORDS:
        return True  # "Windows 2000", "Flight 1549", "Room 1010"
    nxt = _NEXT_WORD.match(after)
    if nxt and nxt.group(1).lower() in COUNT_NOUNS:
        return True  # "2000 troops"
    year = int(span[-4:]) if span[-4:].isdigit() else 0
    cued = prev_word.lower() in TEMPORAL_CUES
    if year < 1800 and not cued:
        return True
    # Capitalised word before a bare year that is not a sentence start: "Euro 2020", "Vision 2030"
    return (
        prev_word[:1].isupper()
        and not cued
        and not sentence_start
        and prev_word.lower().rstrip(".") not in MONTHS
    )


def _prev_word(before: str, stripped: str) -> tuple[str, bool]:
    """The word right before a span (letters, digits, ’ ' . # -) and whether it opens a sentence.

    ``stripped`` is ``before.rstrip()``. The word is empty when punctuation such as a
    comma or a bracket comes first.
    """
    i = len(stripped)
    while i > 0 and (stripped[i - 1].isalnum() or stripped[i - 1] in "_’'.#-"):
        i -= 1
    word = stripped[i:]
    head = stripped[:i]
    core = head.rstrip()
    sentence_start = not core or core[-1] in ".!?:;" or "\n" in head[len(core) :]
    return word, sentence_start


def _has_capital_weekday(span: str) -> bool:
    return any(w[0].isupper() for w in re.findall(r"[A-Za-z]+", span) if w.lower() in WEEKDAYS)


def _is_set_trap(before: str, after: str, span: str) -> bool:
    if span.lower() not in ("daily", "weekly", "monthly", "quarterly", "nightly"):
        return False
    if span[0].isupper() and not re.search(r"(?:^|[.!?:]\s*)$", before):
        return True  # "China Daily", "the Daily Mail"
    if span == "quarterly" and re.match(r"\s+[a-z]", after):
        return True  # "a quarterly dividend": which report, not a recurrence (TimeBank 1 of 11)
    prev = PREV_WORD.search(before)
    prev_word = prev.group(1) if prev else ""
    if prev_word[:1].isupper() and not re.search(r"[.!?:]\s*\S*\s*$", before):
        return True  # "Izvestia daily", "the party daily Granma": the newspaper
    # "the daily said", "a weekly," : the newspaper as a noun, not the frequency
    return prev_word.lower() in ("the", "a", "an", "its") and not re.match(r"\s+[a-z]", after)


def _is_ref_trap(before: str, after: str, span: str) -> bool:
    low = span.lower()
    if low == "now":
        # "now" as an interjection or in "just now"/"until now" is still PRESENT_REF; but
        # "now-defunct" / "Now TV" are not time expressions.
        return after[:1] == "-"  # "now-defunct"
    if low == "soon":
        return before.lower().endswith("as ") or after.lower().startswith(" as")  # "as soon as"
    if low.endswith("future"):
        return after.startswith(" of ")  # "the future of Nato" is not a time
    if low == "current":
        return bool(re.match(r"\s+(?:account|affairs|events|flow|density|source)", after))
    return False


def _is_duration_trap(before: str, after: str, span: str) -> bool:
    low = span.lower()
    if re.match(r"an?\s", low):
        prev = PREV_WORD.search(before)
        prev_word = prev.group(1).lower() if prev else ""
        if re.search(r"\d", prev_word) or prev_word in RATE_WORDS:
            return True  # a rate, not a duration: "$2m a year", "24 hours a day"
        if prev_word.endswith("s") and len(prev_word) > 3 and prev_word not in NOT_PLURAL:
            return True  # "four flights a week", "700 seats a week"

    if re.search(r"\b(?:an?|one)[\s-]+(?:second|quarter)$", low):
        return True  # "a second term", "a quarter of the population"
    if low.endswith(("quarter", "quarters")) and (
        after.startswith((" of", "-")) or "-quarter" in low
    ):
        return True  # a fraction: "three quarters of voters", "three-quarters", "quarter-point"
    return bool(re.search(r"[$£€¥]\s*$", before))
