"""Names in a Title Case line: where a capitalised sequence stops being a name.

In "Glenn Beck Rips Progressivism" or "Clinton Defends Her Actions" every word is capitalised, so
case no longer separates a name from the words around it. In such a headline (the article's first
line, no sentence's closing punctuation at its end, most of its longer words capitalised) a name
is cut at a word that reads as a common word: one the article also writes in lower case, or a
verb or plural form (-s, -ed, -ing). First names, initials and any word the article
writes capitalised outside Title Case lines are name words and never cut. A person's name keeps
its start and loses its end; an organisation's name ("Trump Attacks Justice Department") keeps
its end and loses its start.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z][\w'’.-]*")
# At least this many words of four letters or more, and this share of them capitalised.
MIN_LONG_WORDS = 3
TITLE_SHARE = 0.75
_VERB_ENDINGS = ("s", "ed", "ing")
_CLOSING = frozenset(".!?\"'”’:;")


def is_title_case(line: str) -> bool:
    """Whether most longer words of ``line`` are capitalised (a headline in Title Case)."""
    long = [w for w in line.split() if len(w) >= 4 and w[0].isalpha()]
    if len(long) < MIN_LONG_WORDS:
        return False
    capitalised = sum(1 for w in long if w[0].isupper())
    return capitalised >= TITLE_SHARE * len(long)


def headline(text: str) -> tuple[int, int] | None:
    """The article's first line as (start, end) when it is a Title Case headline, else None.

    Only the first line is read: Title Case lines further down are lists and tables ("Queens
    Park Rangers 3 2 1 0"), where a word also written in lower case may still be a name's.
    """
    end = text.find("\n")
    if end < 0:
        end = len(text)
    line = text[:end].rstrip()
    if line and line[-1] not in _CLOSING and is_title_case(line):
        return 0, end
    return None


def _common(text: str, word: str, *, headline: bool, body: str) -> bool:
    """Whether ``word`` of a Title Case line reads as a common word, not a name's word."""
    low = word.lower()
    verb = headline and low.endswith(_VERB_ENDINGS) and not low.endswith("ss")
    if not verb and not re.search(rf"(?<![\w-]){re.escape(low)}(?![\w-])", text):
        return False  # never written in lower case: may be a name's word
    return not re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", body)


def headline_end(
    text: str, start: int, end: int, line: tuple[int, int], first_names: frozenset[str]
) -> int | None:
    """Where a person's name at ``start:end`` in the Title Case ``line`` really ends.

    Returns: the new end offset (after the last word kept), or None when no word after the
    first reads as a common word.
    """
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]
    body = None
    for k in range(1, len(words)):
        word = text[words[k][0] : words[k][1]]
        low = word.lower()
        if low in first_names or low.endswith(".") or not word[:1].isupper():
            continue
        if body is None:
            body = text[: line[0]] + "\n" + text[line[1] :]
        if _common(text, word, headline=True, body=body):
            return words[k - 1][1]
    return None


def headline_start(
    text: str, start: int, end: int, line: tuple[int, int], first_names: frozenset[str]
) -> int | None:
    """Where an organisation's name at ``start:end`` in the Title Case ``line`` really starts.

    The headline's shape is "Subject Verb Organisation": a common word cuts only after a name
    (a first name, or a word the article writes capitalised outside the headline), so that a
    plural inside the organisation's own name ("Veterans Affairs Department") is kept.

    Returns: the new start offset (the word after the first such common word), or None.
    """
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]
    body = text[: line[0]] + "\n" + text[line[1] :]
    named = False
    for k in range(len(words) - 1):
        word = text[words[k][0] : words[k][1]]
        if word.lower() in first_names or re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", body):
            named = True
        elif named and word[:1].isupper() and _common(text, word, headline=True, body=body):
            return words[k + 1][0]  # the verb after the subject
    return None
