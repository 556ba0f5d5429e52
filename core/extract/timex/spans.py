"""Candidate time-expression spans: keyword scan and rule regexes (traps: ``timex_traps``).

The span finder is ours because it is where precision is won or lost in
news: general date parsers (dateparser's ``search_dates``) turn "may",
"March on", "2-1 win", "80% of" or "Windows 10" into dates, and are two
orders of magnitude slower. Here a C-speed scan finds the keywords every
expression contains, the rules of ``timex_rules`` are tried only there, and
the context checks of ``timex_traps`` reject the known traps: month words used
as verbs or names, numbers that are money, percentages, scores, phone numbers,
postcodes, quantities or versions, "daily" as a newspaper, ages.

Spans follow TimeML: a preposition before the expression ("in July") is not
part of it, a determiner or modifier ("the 1990s", "early September",
"nearly three years") is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.extract.timex.lexicon import (
    COUNT_NOUNS,
    KEYWORD_CLASS,
    NOT_PLURAL,
    OPENING_WORDS,
    PREFIX_WORDS,
)
from core.extract.timex.rules import (
    CLASS_PATTERNS,
    CLASS_PATTERNS_ANY_CASE,
    DIGIT_CONTEXT,
    MONTH_ABBR,
    MONTH_FULL,
)
from core.extract.timex.traps import PREV_WORD, is_trap


@dataclass(frozen=True, slots=True)
class Candidate:
    """One candidate span: ``text[start:end]`` matched by ``rule``."""

    start: int
    end: int
    rule: str


def find_candidates(text: str) -> list[Candidate]:
    """Find time-expression candidates in ``text`` and drop the known traps.

    Speed: trying the rules at every word costs ~10 ms an article in Python's
    regex engine. Instead, C-level byte operations find the keywords every
    expression contains (a month, a weekday, a unit, "today", ... or a digit),
    and only the rules of that keyword's class are tried, starting at the
    earliest of the modifier words just before it ("the past two weeks").

    Returns: candidates in text order, non-overlapping, each a span and the rule that matched.
    """
    low = text.lower()
    if len(low) == len(text):
        patterns, subject = CLASS_PATTERNS, low
    else:  # lower-casing changed the length (e.g. "İ"): match case-insensitively instead
        patterns, subject, low = CLASS_PATTERNS_ANY_CASE, text, _same_length_lower(text)
    out: list[Candidate] = []
    last_end = 0
    for start, cls in _find_keywords(low):
        if start < last_end:
            continue
        if cls == "digit":
            before = text[start - 1] if start else " "
            if before in "$£€¥" or before in ",." and start > 1 and text[start - 2].isdigit():
                continue  # money, and the tail of "2,000" or "2.5"
            if before not in "'‘’" and not DIGIT_CONTEXT.match(text, start):
                continue  # a plain count: "10 players", "5 million"
        pattern = patterns[cls]
        quoted = start > 0 and text[start - 1] in "'‘’"  # '98, the '90s
        starts = _prefix_starts(low, start - 1 if quoted else start)
        starts += [start - 1, start] if quoted else [start]
        for first in starts:
            if first < last_end:
                continue  # a modifier already inside the previous expression
            m = pattern.match(subject, first)
            if m is None or m.end() <= start:
                continue
            rule = m.lastgroup or ""
            last_end = m.end()
            if rule == "md" and _day_is_a_count(text, first, last_end):
                # "In January 25 people were hurt": the number counts the people
                last_end = _MONTH_END.search(low, first, last_end).end()
                rule = "month"
            span = text[first:last_end]
            if "\n" not in span and not is_trap(text, first, last_end, span, rule):
                out.append(Candidate(first, last_end, rule))
            break
    return out


_TAIL_WORD = re.compile(r"(?<![^\W_])[^\W_]+$")
_LETTERS = bytes(c if 97 <= c <= 122 else 32 for c in range(256))
_DIGITS = bytes(48 if 48 <= c <= 57 else 32 for c in range(256))
_KEYWORD_BYTES = {w.encode(): cls for w, cls in KEYWORD_CLASS.items()}


def _find_keywords(low: str) -> list[tuple[int, str]]:
    """Offsets and classes of the keywords and digit runs of lower-cased text, in order.

    ASCII-encoding with one byte a character keeps offsets; ``bytes.translate``,
    ``split`` and ``find`` run in C, unlike a regex scan that visits every position.
    """
    raw = low.encode("ascii", "replace")
    n = len(raw)
    found: list[tuple[int, str]] = []
    letters = raw.translate(_LETTERS)
    for word in _KEYWORD_BYTES.keys() & set(letters.split()):
        cls = _KEYWORD_BYTES[word]
        size = len(word)
        i = letters.find(word)
        while i >= 0:
            if (i == 0 or letters[i - 1] == 32) and (i + size >= n or letters[i + size] == 32):
                found.append((i, cls))
            i = letters.find(word, i + size)
    digits = raw.translate(_DIGITS)
    i = digits.find(b"0")
    while i >= 0:
        if i and raw[i - 1] == 113 and (i == 1 or letters[i - 2] == 32):  # q1 … q4
            found.append((i - 1, "q"))
        else:
            found.append((i, "digit"))
        j = digits.find(b" ", i)
        if j < 0:
            break
        i = digits.find(b"0", j)
    found.sort()
    return found


def _same_length_lower(text: str) -> str:
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _prefix_starts(low: str, start: int) -> list[int]:
    """Starts of the modifier words right before ``start`` that may open an expression.

    Words are separated by one space or hyphen ("the past two", "mid-1990s");
    anything else (punctuation, a line break) ends the run. Connectors inside
    a run ("more *than* two", "a couple *of*") are walked over but never tried
    as a start. Returns the starts earliest first.
    """
    starts: list[int] = []
    end = start
    for _ in range(6):
        if end < 2 or low[end - 1] not in " -":
            break
        k = max(low.rfind(" ", 0, end - 1), low.rfind("-", 0, end - 1)) + 1
        word = low[k : end - 1]
        if not word.isalnum():  # punctuation or a line break inside: read it exactly
            m = _TAIL_WORD.search(low, max(0, end - 26), end - 1)
            if m is None:
                break
            k, word = m.start(), m.group()
        if word in OPENING_WORDS or word.isdigit():
            starts.append(k)
        elif word not in PREFIX_WORDS:
            break
        end = k
    starts.reverse()
    return starts


_MONTH_PREPOSITIONS = frozenset(
    "in during since until till by through throughout before after from".split()
)
_MONTH_END = re.compile(rf"(?:{MONTH_FULL}|{MONTH_ABBR})(?![\w-])")
_QUANTITY_AFTER = re.compile(
    r"(?:,\d{3}|\.\d|\s*(?:%|per\s*cent|percent|million|billion|thousand|hundred)\b)",
    re.IGNORECASE,
)


def _day_is_a_count(text: str, start: int, end: int) -> bool:
    """True when the day number closing a month-day span is a count of what follows.

    "In January 25 people were hurt", "by March 3,000 jobs": the number counts, and the
    date is the month. A quantity after the number always reads so; a plural noun only
    after a month preposition ("in", "by", "since", ...): "on"/"the January 25 protests"
    keep the day.
    """
    if not text[end - 1 : end].isdigit():
        return False  # "January 25th", "January 25, 1998": a day
    after = text[end : end + 30]
    if _QUANTITY_AFTER.match(after):
        return True
    nxt = re.match(r" +([a-z][a-z’']*)\b", after)
    if nxt is None:
        return False
    prev = PREV_WORD.search(text[max(0, start - 20) : start])
    if prev is None or prev.group(1).lower() not in _MONTH_PREPOSITIONS:
        return False
    word = nxt.group(1)
    # a count noun or a lower-case plural: "25 people", "3 injuries"; not "25 was", "7 this"
    return word in COUNT_NOUNS or (word.endswith("s") and len(word) > 3 and word not in NOT_PLURAL)
