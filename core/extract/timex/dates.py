"""The date extractor: TIMEX3 expressions resolved against the publication date.

Spans come from our candidate finder (``timex_spans``), values from our
news-mode normaliser (``timex_values``); see those modules for the rules and
why they are ours. This module ties them to sentences and decides the
contextual bits they need: whether the sentence speaks of the future, which
decides the direction of "Monday", "in July" or "the fourth quarter"; and the
story's own reference times (``timex_story``) for "the following year", "the
previous Friday" or an earnings report's "the quarter".

Measured on TempEval-3 (TBAQ-cleaned) by ``python -m core evaluate dates``;
see ``docs/accuracy.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from functools import lru_cache

from core.extract.timex.spans import find_candidates
from core.extract.timex.story import Story
from core.extract.timex.tense import (
    CONTRACTED_WILL,
    FUTURE_VERBS,
    clock_weekday,
    fronted_direction,
    not_after,
    past_in_month,
)
from core.extract.timex.values import normalise
from core.text import sentence_index, split_sentences

METHOD = "timex/1"

# Markers of a sentence about the future. A bare "would" is left out: in news it is
# mostly reported speech about a past decision ("said he would resign on Monday"
# is as often past as future), and the TempEval-3 training data agrees; "would be
# traveling Thursday" is a plan.
_FUTURE = re.compile(
    rf"\b(?:{FUTURE_VERBS}|planning\s+to|planned"
    r"|would\s+be\s+[a-z]+ing|expected\s+to|expects?\s+to|scheduled|due\s+to\s+(?:be|start"
    r"|open|meet|take|begin|end|close|vote|visit|arrive|return|report)|is\s+to|are\s+to"
    r"|upcoming|set\s+to|next(?=\s+[a-z])(?!\s+to\b)|from\s+now)\b"
    rf"|{CONTRACTED_WILL}",
    re.IGNORECASE,
)


# A payment or a rule "payable Jan. 2" / "effective Feb. 1" is dated ahead of the news.
_AHEAD = re.compile(r"\b(?:payable|effective)\s*$", re.IGNORECASE)

# A past-tense verb right before a weekday ("said Friday", "closed on Monday", "was hurt
# late Tuesday") fixes its direction, whatever marker comes earlier; a present or future
# passive does not ("will be released on Monday", "the chart is announced on Sunday").
_PAST_VERB_BEFORE = re.compile(
    r"\b(?!(?:expected|scheduled|planned|slated|postponed|delayed|needed)\b)"
    r"(?:said|told|was|were|had|did|[a-z]{2,}ed)\s+(?:(?:on|late|early|last)\s+)?$",
    re.IGNORECASE,
)
_PASSIVE_BEFORE = re.compile(
    r"\b(?:be|is|are|being)\s+(?:[a-z]+ly\s+)?[a-z]{2,}ed\s+(?:(?:on|late|early)\s+)?$",
    re.IGNORECASE,
)

# A present-tense verb of an event right before a weekday is the news present of a
# coming event: "He and Arafat meet separately Monday", "the talks resume on Tuesday".
_PRESENT_EVENT_BEFORE = re.compile(
    r"(?<!\bto\s)\b(?:meets?|begins?|starts?|opens?|resumes?|votes?|visits?|returns?|arrives?|leaves?"
    r"|convenes?|travels?|flies|fly|heads?|hosts?|expires?|ends?)"
    r"(?:\s+[a-z]+ly)?\s+(?:on\s+)?$",
    re.IGNORECASE,
)

# A plan in the past perfect was for a time now past: "had been scheduled to expire at
# midnight Friday" (Monday article) is the Friday before.
_PAST_PERFECT = re.compile(
    r"\bhad\s+(?:(?:previously|already|originally)\s+)?been\s+$", re.IGNORECASE
)

# A deadline or an earliest date right before a weekday (or a clock time with one) looks
# ahead: "adjourned until Tuesday", "as soon as Monday", "as early as Friday". Not at the
# start of a sentence: "Until Thursday, they had not called him a suspect" is the past.
_AHEAD_WEEKDAY = re.compile(
    r"\b(?:until|till|as\s+(?:soon|early)\s+as)\s+(?:[\w.]+\s+){0,3}$", re.IGNORECASE
)

# "later" / "earlier" after a counted interval that is not a date ("three days later").
_LATER = re.compile(r"\s+(?:later|earlier)$", re.IGNORECASE)

# Characters before / after an expression searched for a future marker (tuned on TBAQ).
FUTURE_BEFORE = 80
FUTURE_AFTER = 0


# Months and days named without a year: "payable"/"effective" right before them look ahead.
_YEARLESS = frozenset("md dm month weekof".split())

# Rules whose value depends on the direction of the sentence (past or future).
_DIRECTED = frozenset("clock md dm weekday month season holiday weekend weekof".split())


class DateExtractor:
    """Callable date extractor: ``(text, sentences, *, anchor) -> list[dict]``."""

    method = METHOD

    def __call__(
        self, text: str, sentences: Sequence[tuple[int, int, int]], *, anchor: dt.date | None
    ) -> list[dict]:
        """Find and normalise the time expressions of ``text``.

        Returns: one dict per expression, sorted by start, with keys ``sentence``,
        ``start_char``, ``end_char``, ``text``, ``type`` (DATE | TIME | DURATION |
        SET) and ``value`` (TIMEX3 value, or None when it cannot be normalised).
        """
        anchor = _as_date(anchor)
        rows: list[dict] = []
        sentences = list(sentences)
        story = Story()  # the text's own reference times (anaphora, reported quarter)
        for cand in find_candidates(text):
            sent = sentence_index(sentences, cand.start) if sentences else 0
            s_start, s_end = sentences[sent][1:] if sentences else (0, len(text))
            future = cand.rule in _DIRECTED and _is_future(
                text,
                s_start,
                s_end,
                cand.start,
                cand.end,
                verb_decides=cand.rule in ("weekday", "clock"),
            )
            span = text[cand.start : cand.end]
            if cand.rule in _YEARLESS and not future:
                future = _AHEAD.search(text, max(s_start, cand.start - 12), cand.start) is not None
            past = False
            if cand.rule in _DIRECTED and not future:
                fronted = fronted_direction(text, s_start, s_end, cand.start, cand.end)
                future = fronted == "future"
                past = fronted == "past" or (
                    cand.rule == "month" and past_in_month(text, s_start, cand.start)
                )
            quarterly = cand.rule in ("ago", "qrel") and _mentions_quarter(
                text, sentences[sent][1] if sentences else 0, cand.end
            )
            base, reading = story.anchor_for(cand.rule, span, anchor, quarterly=quarterly)
            if cand.rule == "clock" and (day := clock_weekday(text, cand.end, s_end)):
                reading = f"{reading} {day}"  # "10:35 a.m. (0735 GMT) Friday"
            kind, value = _normalise_cached(cand.rule, reading, base, future, quarterly)
            if past and cand.rule in _YEARLESS and base is not None:
                value = not_after(value, base.isoformat())  # "changed ... in December"
            value = real_value(value)
            story.note(cand.rule, value, anchor)
            end = cand.end
            if kind == "DURATION" and (signal := _LATER.search(span)) is not None:
                end -= len(signal.group())  # "[three days] later": TimeML leaves the signal out
                span = text[cand.start : end]
            rows.append(
                {
                    "sentence": sent,
                    "start_char": cand.start,
                    "end_char": end,
                    "text": span,
                    "type": kind,
                    "value": value,
                }
            )
        return rows


def _is_future(
    text: str, s_start: int, s_end: int, start: int, end: int, *, verb_decides: bool = False
) -> bool:
    """True when the clause around an expression speaks of the future.

    Only the words shortly before the expression count: a future marker at the
    other end of a long sentence usually belongs to another clause. With
    ``verb_decides`` (a weekday, or a clock time), the words right before it win:
    "until" / "as soon as" look ahead, a past verb looks back.
    """
    lo = max(s_start, start - FUTURE_BEFORE)
    ahead = _AHEAD_WEEKDAY.search(text, max(lo, start - 40), start) if verb_decides else None
    if ahead is not None and text[s_start : ahead.start()].strip():
        return True  # "adjourned until Tuesday morning", "as early as Tuesday"
    if verb_decides and _PRESENT_EVENT_BEFORE.search(text, max(lo, start - 40), start):
        return True  # "Arafat meets Albright Monday", "the talks resume on Tuesday"
    if (
        verb_decides
        and _PAST_VERB_BEFORE.search(text, max(lo, start - 24), start)
        and not _PASSIVE_BEFORE.search(text, max(lo, start - 40), start)
    ):
        return False  # "Mr. Gerstner said Friday", "closed on Monday": the verb decides
    hi = min(s_end, end + FUTURE_AFTER)
    return any(
        not _PAST_PERFECT.search(text, max(s_start, m.start() - 24), m.start())
        for m in _FUTURE.finditer(text, lo, hi)
    )


QUARTER_WINDOW = 200


def _mentions_quarter(text: str, sentence_start: int, end: int) -> bool:
    """True when the sentence, or the text just before it, talks of a quarter."""
    return "quarter" in text[max(0, sentence_start - QUARTER_WINDOW) : end].lower()


@lru_cache(maxsize=65536)
def _normalise_cached(
    rule: str, span: str, anchor: dt.date | None, future: bool, quarterly: bool
) -> tuple[str, str | None]:
    try:
        return normalise(rule, span, anchor, future=future, quarterly=quarterly)
    except (ValueError, OverflowError, KeyError, StopIteration, AttributeError):
        # A span the rules cannot read (e.g. "the 0th century") is kept, without a value.
        return "DATE", None


# The calendar part of a TIMEX3 value: year (or XXXX), month, day / week.
_CALENDAR_PART = re.compile(r"(\d{4}|XXXX)(?:-(\d\d|XX)(?:-(\d\d|XX))?|-W(\d\d))?(?=$|[^\d])")
_LONG_YEAR = re.compile(r"\d{5}")


def real_value(value: str | None) -> str | None:
    """``value`` when its calendar part names a real date, else None.

    Spans such as "2022-02-30", "31 April 2020", "29 February 2023", year 0000 or a week 54
    are kept as date mentions, with a null value: the text says it, the calendar does not
    have it. Values without a calendar part (durations, sets) pass through.

    Returns: the value, or None.
    """
    if value is None or _LONG_YEAR.match(value):
        return None
    m = _CALENDAR_PART.match(value)
    if m is None:
        return value
    year_s, month_s, day_s, week_s = m.groups()
    year = 2000 if year_s == "XXXX" else int(year_s)  # 2000: a leap year, "February 29" exists
    if year == 0:
        return None
    try:
        if week_s is not None:
            dt.date.fromisocalendar(year, int(week_s), 1)
        elif month_s is not None and month_s != "XX":
            dt.date(year, int(month_s), 1 if day_s in (None, "XX") else int(day_s))
    except ValueError:
        return None
    return value


def _as_date(anchor: object) -> dt.date | None:
    if anchor is None:
        return None
    if isinstance(anchor, dt.datetime):
        return anchor.date()
    if isinstance(anchor, dt.date):
        return anchor
    to_pydatetime = getattr(anchor, "to_pydatetime", None)  # pandas Timestamp
    if to_pydatetime is not None:
        return to_pydatetime().date()
    return None


def build_extractor() -> DateExtractor:
    """Return the rule-based date extractor (``method`` = ``timex/1``)."""
    return DateExtractor()


_DEFAULT = DateExtractor()


def extract_dates(text: str, *, anchor: dt.date | None) -> list[dict]:
    """Find and normalise the time expressions of ``text`` (sentences computed here).

    Returns: one dict per expression, as ``DateExtractor.__call__`` documents.
    """
    return _DEFAULT(text, split_sentences(text), anchor=anchor)
