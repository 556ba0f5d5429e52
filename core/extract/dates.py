"""The date extractor: TIMEX3 expressions resolved against the publication date.

Spans come from our candidate finder (``timex_spans``), values from our
news-mode normaliser (``timex_values``); see those modules for the rules and
why they are ours. This module ties them to sentences and decides the one
contextual bit both need: whether the sentence speaks of the future, which
decides the direction of "Monday", "in July" or "the fourth quarter".

Measured on TempEval-3 (TBAQ-cleaned) by ``python -m core evaluate dates``;
see ``docs/accuracy.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from functools import lru_cache

from core.extract.timex_spans import find_candidates
from core.extract.timex_values import normalise
from core.text import sentence_index, split_sentences

METHOD = "timex/1"

# Markers of a sentence about the future. "would" is left out: in news it is
# mostly reported speech about a past decision ("said he would resign on Monday"
# is as often past as future), and the TempEval-3 training data agrees.
_FUTURE = re.compile(
    r"\b(?:will|won[’']t|shall|going\s+to|plans?\s+to|planned|expected\s+to|expects?\s+to"
    r"|scheduled|due\s+to\s+(?:be|start|open|meet|take|begin|end|close|vote|visit|arrive"
    r"|return|report)|is\s+to|are\s+to|upcoming|set\s+to|next(?!\s+to)|from\s+now)\b"
    r"|\w[’']ll\b",
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

# Characters before / after an expression searched for a future marker (tuned on TBAQ).
FUTURE_BEFORE = 80
FUTURE_AFTER = 0


# Anaphoric expressions are resolved against the last calendar date the text named, not
# the publication date (TimeML: their anchor is the narrative's reference time): "In 1995
# he was promoted, and the following year ..." → 1996; "that year", "the same month".
_CALENDAR_RULES = frozenset("iso numeric md dm my month year yearmod spokenyear".split())
_CALENDAR_VALUE = re.compile(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?$")
_FOLLOWING = re.compile(r"\bfollowing\b", re.IGNORECASE)

# Months and days named without a year: "payable"/"effective" right before them look ahead.
_YEARLESS = frozenset("md dm month".split())

# Rules whose value depends on the direction of the sentence (past or future).
_DIRECTED = frozenset("clock md dm weekday month season holiday weekend".split())


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
        # the last calendar date the text named, and its precision (1 year, 2 month, 3 day)
        reference: tuple[dt.date, int] | None = None
        for cand in find_candidates(text):
            sent = sentence_index(sentences, cand.start) if sentences else 0
            s_start, s_end = sentences[sent][1:] if sentences else (0, len(text))
            future = cand.rule in _DIRECTED and _is_future(
                text, s_start, s_end, cand.start, cand.end, weekday=cand.rule == "weekday"
            )
            span = text[cand.start : cand.end]
            if cand.rule in _YEARLESS and not future:
                future = _AHEAD.search(text, max(s_start, cand.start - 12), cand.start) is not None
            quarterly = cand.rule in ("ago", "qrel") and _mentions_quarter(
                text, sentences[sent][1] if sentences else 0, cand.end
            )
            base = anchor
            if (
                reference is not None
                and (cand.rule == "anaphor" or (cand.rule == "relunit" and _FOLLOWING.search(span)))
                and _precision_of(span) <= reference[1]
            ):
                base = reference[0]  # "the following year", "that month": the story's time
            kind, value = _normalise_cached(cand.rule, span, base, future, quarterly)
            if cand.rule in _CALENDAR_RULES and value is not None:
                reference = _as_reference(value) or reference
            rows.append(
                {
                    "sentence": sent,
                    "start_char": cand.start,
                    "end_char": cand.end,
                    "text": span,
                    "type": kind,
                    "value": value,
                }
            )
        return rows


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


def _precision_of(span: str) -> int:
    """Precision an anaphor needs from its reference: "the following year" 1, "that month"
    2, "the same day" or "the following week" 3 (a year alone does not place a week)."""
    low = span.lower()
    return 1 if "year" in low else 2 if "month" in low else 3


def _is_future(
    text: str, s_start: int, s_end: int, start: int, end: int, *, weekday: bool = False
) -> bool:
    """True when the clause around an expression speaks of the future.

    Only the words shortly before the expression count: a future marker at the
    other end of a long sentence usually belongs to another clause.
    """
    lo = max(s_start, start - FUTURE_BEFORE)
    if (
        weekday
        and _PAST_VERB_BEFORE.search(text, max(lo, start - 24), start)
        and not _PASSIVE_BEFORE.search(text, max(lo, start - 40), start)
    ):
        return False  # "Mr. Gerstner said Friday", "closed on Monday": the verb decides
    hi = min(s_end, end + FUTURE_AFTER)
    return bool(_FUTURE.search(text, lo, hi))


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
