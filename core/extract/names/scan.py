"""Scanning text for capitalised name sequences and the words around a span.

The regex half of the name finder (``core.extract.names.people`` reads what it finds), kept apart
from the rules. Ours for the same reason as the rules: it must run at thousands of articles a
second with offsets exact, so the scan is tuned to how ``re`` searches (see NAME_SEQ_MARKED).
"""

from __future__ import annotations

import re

from core.extract.surface import translate_ascii

# A name token: a capitalised word with hyphen/apostrophe parts ("Jong-un", "O'Brien"), or an
# initial before a name ("G. Thorpe") that is not the end of an abbreviation ("U.S. Senator
# Smith" is no "S. Senator Smith"); "Mr." is handled in the loop. The capital comes first, with
# the lookbehind after it, so that ``re`` can skip ahead to the next capital letter: half the
# scan time of the same pattern written with the lookbehind first.
_TOKEN = r"[A-Z](?:(?<![\w.][A-Z])\.(?=[ ][A-Z])|[\w'’-]*)"
_CONNECT = r"(?:de|del|della|da|di|du|van|von|der|den|le|la|bin|ibn|al|el|of|the|&)"
_FIRST_WORD = re.compile(r" *(\w*)")
NAME_SEQ = re.compile(rf"{_TOKEN}(?:[ ](?:{_CONNECT}[ ])?{_TOKEN})*")
# The same pattern over ``mark_capitals(text)``, where every ASCII capital is _CAP: a pattern
# that opens with one literal character lets ``re`` jump from capital to capital with its
# literal search instead of testing a character class at every character (the class test was
# a third of the scan). It finds the same spans (a property test holds it to NAME_SEQ).
_CAP = "\x03"
_TOKEN_MARKED = rf"{_CAP}(?:(?<![\w{_CAP}.]{_CAP})\.(?=[ ]{_CAP})|[\w{_CAP}'’-]*)"
NAME_SEQ_MARKED = re.compile(rf"{_TOKEN_MARKED}(?:[ ](?:{_CONNECT}[ ])?{_TOKEN_MARKED})*")
_CAPITALS = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ\x03", b"\x03" * 26 + b"\x04")


def mark_capitals(text: str) -> str:
    """Return ``text`` with every ASCII capital as ``_CAP``, for ``NAME_SEQ_MARKED``.

    A ``_CAP`` already in the text becomes "\\x04", which no name pattern contains. Offsets
    are kept: the result is as long as ``text``.
    """
    return translate_ascii(text, _CAPITALS)


def shouting(text: str, start: int, end: int) -> bool:
    """True when a neighbouring word is also in capitals (a headline), so case says nothing."""
    # The usual case, settled from four characters: a space, then a lower-case letter, on
    # each side ("the BBC said") put lower case in both neighbouring words.
    if (
        start >= 2
        and text[start - 1] == " "
        and text[start - 2].islower()
        and text[end : end + 1] == " "
        and text[end + 1 : end + 2].islower()
    ):
        return False
    return any(
        len(w) > 1 and w.isupper() for w in (word_before(text, start), word_after(text, end))
    )


def word_before(text: str, pos: int) -> str:
    """The word just before ``pos`` (skipping spaces and commas), or ""."""
    chunk = text[pos - 30 if pos > 30 else 0 : pos].rstrip(" ,")
    if not chunk or not chunk[-1].isalpha():
        return ""
    word = chunk.rsplit(None, 1)[-1]
    if word.isalpha():
        return word
    k = len(word)
    while k > 0 and word[k - 1].isalpha():
        k -= 1
    return word[k:]


def word_after(text: str, pos: int) -> str:
    """The word just after ``pos`` (skipping spaces), or ""."""
    m = _FIRST_WORD.match(text, pos)
    return m.group(1) if m else ""
