"""Organisations inside one article: acronym definitions, a company's short name, teams in results.

The signals a reader uses, read from the article itself: "the Environmental Protection Agency
(EPA)" defines EPA as that agency for the rest of the article; "Ruch SA" makes a later "Ruch" the
same company; "CHICAGO 71 64 .526" or "Glamorgan 259 and 207" is a team in a results line, not
the city; an acronym the article writes in the plural ("PCs", "DVDs") is a common noun there.
Imports only downward (``core.extract.names.words``).
"""

from __future__ import annotations

import re

from core.extract.names.words import CORPORATE

# "Full Name (ABC)", "Full Name ( ABC )" (tokenised text): the acronym right after a name.
_DEFINITION = re.compile(r" ?\( ?([A-Z][A-Za-z&]{1,7}) ?\)")
# A score or a tally right after a name: "Surrey 320", "Borac 1", "CHICAGO 71 64", "Smith 4-43";
# not a year (four digits), a decimal ("Rotterdam 123.50") or a time.
_SCORE = re.compile(r" \d{1,3}(?:-\d{1,3})?(?=[ \n,;)]|$)")
# A fixture line: "KANSAS CITY AT DETROIT", "Surrey v Kent".
_FIXTURE = re.compile(r" *(.+?) (?:AT|v|V|vs|vs\.) (.+?) *")
# The words between the sides of a fixture ("Surrey v Kent", "CHICAGO AT TORONTO"; a lower-case
# "at" is prose: "Smith at Leeds").
_FIXTURE_WORDS = (" AT ", " v ", " V ", " vs ", " vs. ")
_FIXTURE_LINE = 60  # the longest fixture line, in characters
# Callers look at one character on each side before calling ``in_results``, which would
# otherwise run for most capitalised words (no scan of the whole text): the one after the space
# that follows the name (a score's digit, "v", "AT"), and the last one of the word before it
# ("v", "AT"). A name that fails both is never a side.
SIDE_NEXT = frozenset("0123456789vVA")
SIDE_PREV = frozenset("vVT")


def defined_acronym(text: str, end: int, words: list[str]) -> str | None:
    """The acronym that the name ``words`` (ending at ``end``) defines in brackets, if any.

    Returns: the acronym as written when its capitals are the initials of the name's
    capitalised words ("Environmental Protection Agency (EPA)", "Department of Defense (DoD)")
    or of all its words ("Department of Energy (DOE)"), else None.
    """
    m = _DEFINITION.match(text, end)
    if m is None:
        return None
    acronym = m.group(1)
    capitals = "".join(c for c in acronym if c.isupper())
    if len(capitals) < 2:
        return None
    # With or without the connectors: "Department of Energy (DOE)", "... of Defense (DoD)".
    initials = "".join(w[0] for w in words if w[:1].isupper())
    every = "".join(w[0].upper() for w in words if w[:1].isalpha())
    return acronym if capitals in (initials, every) else None


def company_head(key: str) -> str | None:
    """The short name of a company named with a corporate word ("ruch sa" -> "ruch"), or None."""
    head, _, last = key.rpartition(" ")
    if head and last in CORPORATE:
        return head.removesuffix(" &").strip() or None
    return None


def in_results(text: str, start: int, end: int, *, anywhere: bool) -> bool:
    """Whether the name at ``start:end`` is a side in a results line or a fixture.

    A side is followed by its score ("Glamorgan 259", "CHICAGO 71 64 .526") or stands on a
    line of its own against another ("CHICAGO AT TORONTO", "Surrey v Kent"). Unless
    ``anywhere`` (a place name, which a score after it already makes a team), the score must
    also open the line or follow another score ("Buducnost 1 Red Star 3"): a lone word before
    a number may be a scorer ("Shearer 23").
    """
    if text[end : end + 1] != " ":
        return _fixture_side(text, start, end)
    if _SCORE.match(text, end):
        if anywhere:
            return True
        k = start  # the character before the spaces before the name (no copy of the text)
        while k and text[k - 1] == " ":
            k -= 1
        return not k or text[k - 1] == "\n" or text[k - 1].isdigit()
    return _fixture_side(text, start, end)


def _fixture_side(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 5) : start]
    if not (text.startswith(_FIXTURE_WORDS, end) or before.endswith(_FIXTURE_WORDS)):
        return False
    # A fixture is a short line: look no further than its 60 characters each way (a long
    # text without line breaks costs no scan back to its start per name).
    lo = max(0, start - _FIXTURE_LINE - 1)
    line_start = text.rfind("\n", lo, start) + 1
    if line_start == 0 and lo > 0:
        return False
    line_end = text.find("\n", end, end + _FIXTURE_LINE + 1)
    if line_end < 0:
        line_end = len(text)
    if line_end - line_start > _FIXTURE_LINE:
        return False
    m = _FIXTURE.fullmatch(text, line_start, line_end)
    return m is not None and (m.span(1) == (start, end) or m.span(2) == (start, end))


def plural_in(text: str, acronym: str) -> bool:
    """Whether ``text`` writes ``acronym`` in the plural ("PCs", "DVDs"): a common noun there."""
    i = text.find(acronym + "s")
    while i >= 0:
        after = text[i + len(acronym) + 1 : i + len(acronym) + 2]
        if not after.isalnum() and (i == 0 or not text[i - 1].isalnum()):
            return True
        i = text.find(acronym + "s", i + 1)
    return False
