"""Text surfaces for matching: punctuation blanked with offsets kept, keys, the automaton's input.

Shared by the gazetteer (which stores names in these forms) and the extractors (which read text
in them). Ours because offsets are the product's edge: every function here returns a string as
long as its input, or a key that folds spelling variants ("Kim Jong-un", "Kim Jong Un") together.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

_PUNCT = (
    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\t\n\r"
    "\u00a0\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00ab\u00bb"
)
_FOLD = str.maketrans(dict.fromkeys(_PUNCT, " "))
_ASCII_PUNCT = bytes(c for c in _PUNCT.encode("latin-1", "ignore") if c < 128)
_ASCII_FOLD = bytes.maketrans(_ASCII_PUNCT, b" " * len(_ASCII_PUNCT))
_KEEP_QUERY = bytes.maketrans(_ASCII_PUNCT.replace(b"?", b""), b" " * (len(_ASCII_PUNCT) - 1))


def translate_ascii(
    text: str,
    table: bytes,
    *,
    ascii_table: bytes | None = None,
    other: Callable[[str], str] | None = None,
) -> str:
    """Return ``text`` with its ASCII characters mapped by ``table``, the same length.

    ``table`` is a ``bytes.translate`` table that leaves "?" alone; ``ascii_table``, if given,
    replaces it for an all-ASCII text; ``other`` maps each non-ASCII character (kept as it is
    without one). bytes.translate is an order of magnitude faster than str.translate or re.sub.
    Non-ASCII characters (one "?" each after encoding) are few: they are put back one by one,
    found with bytes.find (a regex search for them cost 8x the rest of this function).
    """
    if text.isascii():
        return text.encode("ascii").translate(ascii_table or table).decode("ascii")
    out = text.encode("ascii", "replace").translate(table)
    parts, last = [], 0
    i = out.find(b"?")
    while i >= 0:
        parts.append(out[last:i].decode("ascii"))
        parts.append(other(text[i]) if other else text[i])  # a real "?" comes back too
        last = i + 1
        i = out.find(b"?", last)
    parts.append(out[last:].decode("ascii"))
    return "".join(parts)


def blank_punctuation(text: str) -> str:
    """Return ``text`` with punctuation as spaces, case kept, the same length as ``text``."""
    return translate_ascii(text, _KEEP_QUERY, ascii_table=_ASCII_FOLD, other=_fold_char)


def _fold_char(char: str) -> str:
    return char.translate(_FOLD)  # a real "?" is punctuation too


# The automaton's word gap before a non-ASCII letter (see ``scan_text``); "\x01" stands in for
# a "\x02" already in the text, as any character no name contains would.
_GAP = "\x02"
_GAP_BEFORE_NON_ASCII = re.compile(" (?=[^\x00-\x7f])")


def scan_text(text: str) -> str:
    """Return the string the automaton scans for ``text``: offsets kept, shifted by one.

    It is ``text`` with punctuation blanked and a space added at each end, and with every
    space before a non-ASCII character written as ``_GAP``. Why: pyahocorasick finds a
    letter among a trie node's children one by one, and the node after a space holds the first
    letter of every name, 67 of them, 41 of which are non-ASCII capitals (Ō, Ş, É ...). Each
    word of the text paid for those. Names that open with a non-ASCII letter are stored after
    ``_GAP`` instead (``scan_patterns``), and a text gets it only where such a letter follows,
    rare in English news. Over the BBC set the scan costs 17 % fewer instructions.
    """
    if text.isascii():
        padded = " " + text.encode("ascii").translate(_ASCII_FOLD).decode("ascii") + " "
        return padded.replace(_GAP, "\x01") if _GAP in padded else padded
    # As blank_punctuation, with the gaps set while the non-ASCII characters are put back (a
    # regex over the whole text for them cost as much as the scan saved on such texts).
    out = text.encode("ascii", "replace").translate(_KEEP_QUERY).replace(b"\x02", b"\x01")
    parts, last = [" "], 0
    i = out.find(b"?")
    while i >= 0:
        chunk = out[last:i].decode("ascii")
        folded = text[i].translate(_FOLD)  # a real "?" is punctuation too
        if folded != " ":  # a non-ASCII character kept: the space before it is a gap
            if chunk:
                if chunk[-1] == " ":
                    chunk = chunk[:-1] + _GAP
            elif parts[-1] == " ":  # the padding, or a non-ASCII mark blanked just before
                parts[-1] = _GAP
        parts.append(chunk)
        parts.append(folded)
        last = i + 1
        i = out.find(b"?", last)
    parts.append(out[last:].decode("ascii"))
    parts.append(" ")
    return "".join(parts)


def scan_patterns(variant: str) -> tuple[str, str]:
    """The automaton's two patterns for a name as written: followed by a space or by ``_GAP``.

    Returns: `` Name `` with ``scan_text``'s gaps, and the same ending in ``_GAP`` (the next
    word opens with a non-ASCII letter).
    """
    pattern = _GAP_BEFORE_NON_ASCII.sub(_GAP, f" {variant} ")
    return pattern, pattern[:-1] + _GAP


@lru_cache(maxsize=1 << 16)
def fold_key(name: str) -> str:
    """Return the key of a name: lower case, punctuation as spaces, runs of spaces collapsed."""
    if name.isascii() and name.isalpha():
        return name.lower()  # one plain word, the common case: nothing to blank or collapse
    return " ".join(blank_punctuation(name).lower().split())
