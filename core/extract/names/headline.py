"""Names in a Title Case line: where a capitalised sequence stops being a name.

In "Glenn Beck Rips Progressivism" or "Clinton Defends Her Actions" every word is capitalised, so
case no longer separates a name from the words after it. In such a line (most of its longer words
capitalised) a person's name is cut at its first word after the name proper (after a first name
and one more word, or after the first word when it is no first name) that reads as a common
word: a verb or plural form (-s, -ed, -ing) that is no first name, or, from the third word on, a
word the article also writes in lower case.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z][\w'’.-]*")
# At least this many words of four letters or more, and this share of them capitalised.
MIN_LONG_WORDS = 3
TITLE_SHARE = 0.75
_VERB_ENDINGS = ("s", "ed", "ing")


def is_title_case(line: str) -> bool:
    """Whether most longer words of ``line`` are capitalised (a headline in Title Case)."""
    long = [w for w in _WORD.findall(line) if len(w) >= 4]
    if len(long) < MIN_LONG_WORDS:
        return False
    capitalised = sum(1 for w in long if w[0].isupper())
    return capitalised >= TITLE_SHARE * len(long)


def headline_end(
    text: str, start: int, end: int, first_names: frozenset[str], *, cued: bool = False
) -> int | None:
    """Where a person's name at ``start:end`` really ends, when it sits in a Title Case line.

    The name proper is kept: a first name and the word after it (unless ``cued`` by a title,
    "Senator Clinton Defends", where a surname may stand alone), any first name or initial,
    and any word the article also writes capitalised outside this line.

    Returns: the new end offset, or None when no word of the name reads as a common word or
    the line is not Title Case.
    """
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]
    opener = text[words[0][0] : words[0][1]].lower() if words else ""
    first = 2 if not cued and (opener in first_names or opener.endswith(".")) else 1
    candidates = []
    for k in range(first, len(words)):
        low = text[words[k][0] : words[k][1]].lower()
        if low in first_names or low.endswith("."):
            continue
        if k >= 2 or (low.endswith(_VERB_ENDINGS) and not low.endswith("ss")):
            candidates.append(k)
    if not candidates:
        return None
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = len(text)
    if not is_title_case(text[line_start:line_end]):
        return None
    body = text[:line_start] + "\n" + text[line_end:]
    for k in candidates:
        word = text[words[k][0] : words[k][1]]
        low = word.lower()
        verb = low.endswith(_VERB_ENDINGS) and not low.endswith("ss")
        if not verb and not re.search(rf"(?<![\w-]){re.escape(low)}(?![\w-])", body):
            continue  # not written in lower case in the article: may be a name
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", body):
            continue  # written capitalised outside the headline too: a name's word
        return words[k - 1][1]
    return None
