"""The context-free reading of a capitalised sequence: what it names, where the name starts, ends.

Split from ``core.extract.names.people`` (which applies the context: cue words, the article's
other names). Each reading depends only on the sequence and the gazetteer, so the name finder
caches it per distinct sequence across articles.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from core.extract.names.words import (
    DESCRIPTIONS,
    DIRECTIONS,
    EVENT_WORDS,
    FUNCTION_WORDS,
    GROUPS,
    MONTHS,
    ORG_WORDS,
    ROLE_WORDS,
    TITLES,
    WEEKDAYS,
)
from core.extract.places.gazetteer import WEAK, Gazetteer
from core.extract.surface import fold_key


def _is_initial(token: str) -> bool:
    return len(token) == 2 and token[1] == "." and token[0].isupper()


def _is_title(token: str) -> bool:
    low = token.lower()
    return low in TITLES or low in ROLE_WORDS


@lru_cache(maxsize=1 << 14)
def of_split(seq: str) -> int:
    """Where "Head of Tail Co" splits: the tail is an organisation by its last word and the head
    is none ("Shares of Douglas & Lomason Co", "Keith O'Neill of Norwich City"), else 0.
    """
    lows = seq.lower().split(" ")
    p = lows.index("of")
    tail = lows[p + 1 :]
    if p == 0 or len(tail) < 2 or tail[-1].replace(".", "") not in ORG_WORDS:
        return 0
    if lows[p - 1].replace(".", "") in ORG_WORDS or "of" in tail:
        return 0
    return len(" ".join(lows[:p]))


TITLE = ("title",)  # _analyse_word's verdicts that need no tuple unpacking
SKIP = ("skip",)


def analyse_word(word: str, national: frozenset[str]) -> tuple:
    """The context-free reading of one capitalised word, cached per distinct word.

    Returns: ``TITLE`` ("Mr", "President"), ``SKIP`` (a function word at a sentence start), or
    ``(possessive_length, is_national, is_month, key, acronym)``: how many characters of "'s"
    to drop, whether the gazetteer reads it as a country or organisation, whether it is a month
    or weekday (a name only after a title: "Ms May"), the folded key of the word without its
    "'s", and whether that is an acronym (2-5 capital letters: an organisation if no name).
    """
    low = word.lower()
    if low in TITLES:
        return TITLE
    if low in FUNCTION_WORDS:
        return SKIP
    strip = 2 if word.endswith(("'s", "’s")) else 0
    bare = word[: len(word) - strip]
    key = fold_key(bare)
    acronym = 2 <= len(bare) <= 5 and bare.isupper() and bare.isalpha()
    return strip, key in national, low in MONTHS, key, acronym


def analyse(seq: str, gaz: Gazetteer, is_place: Callable[[str], bool]) -> tuple | bool:
    """The context-free reading of a multi-word capitalised sequence.

    Returns: False when it names nothing, else ``(start, end, title_cued, if_uncued, if_cued,
    key)``: the name's offsets within ``seq`` (titles, function words and a possessive removed),
    whether a title inside it cues a person, the (kind, cued) reading without and with a cue
    word, and the name's folded key.
    """
    if seq.isupper():
        return False  # a headline in capitals: no reliable name cues
    words = seq.split(" ")
    lows = seq.lower().split(" ")
    n = len(words)
    i = 0
    entries = gaz.entries
    # A capitalised function word opening a sentence is no part of a name, unless it opens a
    # place's name: "New Jersey Republican State Committee", not "Jersey Republican ...".
    while i < n and lows[i].rstrip(".") in FUNCTION_WORDS:
        if i + 1 < n and f"{lows[i]} {lows[i + 1]}" in entries:
            break
        i += 1
    while i < n - 1 and lows[i] in MONTHS:
        i += 1
    # "Russian President Vladimir Putin", "Texas Governor Rick Perry": skip the place. (A
    # word of letters only is its own key: no fold_key call.)
    k = i
    while k < n - 1:
        if k < n - 2 and f"{lows[k]} {lows[k + 1]}" in entries:
            k += 2  # "New Zealand Prime Minister Jacinda Ardern"
        elif (lows[k] if lows[k].isalpha() else fold_key(words[k])) in entries:
            k += 1
        else:
            break
    if k > i and lows[k] in _TITLE_OR_ROLE:
        i = k
    elif k > i and k <= n - 2 and lows[k] in gaz.first_names and _demonyms(lows[i:k], entries):
        i = k  # "American Dennis Mitchell": the nationality is no part of the name
    elif k == i and i <= n - 3 and lows[i] in DESCRIPTIONS and lows[i + 1] in gaz.first_names:
        i += 1  # "Veteran Kelly Holmes", but "John Skipper" is a name
    # A name ends before a capitalised function word inside it or after a possessive ("Clinton
    # Defends Her Actions", "Robbie Williams' Angels", "Brown's Budget").
    # (Inside a sequence every such word is capitalised: the scan joins lower-case words only
    # as connectors, "of", "de", "van", none of which ends a name.) Most sequences have none,
    # settled by two C-level tests before any loop.
    j = n
    if "'" in seq or "’" in seq or not _INNER_STOP.isdisjoint(lows[i + 1 :]):
        for x in range(i + 1, n):
            if lows[x] in _INNER_STOP or words[x - 1].endswith(_POSSESSIVE):
                j = x
                break
    # A role noun ends no name: "State Department Spokesman" is the department's spokesman.
    # (Role nouns only, not titles: "Stephen King", "Billie Jean King" end in a title word.)
    while j - i > 1 and (lows[j - 1] in ROLE_WORDS or lows[j - 1] in _MEMBERS):
        j -= 1  # "a California Democrat" is a party member from California: the place is named
    # "Home Office", "State Department", "Premier League": the title word is the body's name.
    last = lows[j - 1].rstrip(".")
    if last in EVENT_WORDS and j - i >= 2:
        return False  # "Davis Cup", "London Marathon": an event
    org_named = last in ORG_WORDS and j - i >= 2
    title_cued = False
    while i < j - 1 and lows[i] in _TITLE_OR_ROLE and not org_named:
        title_cued, i = True, i + 1
    if i < j and lows[i] in _TITLE_OR_ROLE and not org_named:
        return False  # titles only
    # A title phrase before a name ("House Speaker John Boehner", "Secretary of State Hillary
    # Clinton", "Senate Majority Leader Mitch McConnell"): modifiers, then a title word, then a
    # first name (or an initial) and at most two more words: the name starts after the title.
    if not org_named and j - i >= 3 and not _TITLE_OR_ROLE.isdisjoint(lows[i + 1 : j - 1]):
        for t in range(j - 2, i, -1):
            if lows[t] in _TITLE_OR_ROLE:
                # A first name (or initial) and at most two more words, or a lone surname
                # ("Special Agent Strzok"): the title cues a person.
                if (j - t == 2 and lows[t + 1] not in _TITLE_OR_ROLE) or (
                    j - t <= 4
                    and (lows[t + 1].rstrip(".") in gaz.first_names or _is_initial(words[t + 1]))
                ):
                    title_cued, i = True, t + 1
                break
    if i >= n:
        return False
    # Trailing function words and weekdays: "said Obama Monday" names Obama.
    while j > i and lows[j - 1] in _TRAILING:
        j -= 1
    if j <= i:
        return False
    start = sum(len(w) + 1 for w in words[:i]) if i else 0
    end = len(seq) - (sum(len(w) + 1 for w in words[j:]) if j < n else 0)
    if seq.endswith(("'s", "’s"), start, end):
        end -= 2
    elif seq.endswith(("'", "’"), start, end):
        end -= 1
    span = seq[start:end]
    # Words of letters joined by single spaces (as NAME_SEQ joins them) are their own key,
    # lower-cased: fold_key (blanking punctuation, collapsing spaces) only for the rest.
    key = span.lower() if span.replace(" ", "").isalpha() else fold_key(span)
    if i or j < n:
        words, lows = words[i:j], lows[i:j]
    if_uncued, if_cued = _classify(words, lows, key, gaz, is_place)
    if not if_uncued[0] and not if_cued[0]:
        return False
    return start, end, title_cued, if_uncued, if_cued, key


_TITLE_OR_ROLE = TITLES | ROLE_WORDS
# A member of a party or group after a place or an organisation: a description, not a name.
_MEMBERS = frozenset("democrat republican conservative liberal socialist".split())
_TRAILING = FUNCTION_WORDS | WEEKDAYS
# Capitalised inside a sequence, these end a name: headline words, not name parts (FUNCTION_WORDS
# without "of", "the", "a", "i", "new", numerals and quantifiers, which names contain: "Bank of
# New Zealand", "Serie A", "World War I").
_INNER_STOP = frozenset(
    """an in on at by for from with to and but or so as if when while after before since until
    though although because he she it they we you his her its their our my your this that these
    those there here what who which where why how not also then into during against between
    about without can could should would must might does did do is are was were has have had
    shall""".split()
)
# An all-capitals word after the first: "Ray DVD", "Mac OS" (an initial, "W.", has its stop).
_INNER_ACRONYM = re.compile(r" [A-Z][A-Z]+(?= |$)")
_POSSESSIVE = ("'s", "’s", "'", "’")


def _demonyms(lows: list[str], entries: dict) -> bool:
    """Whether every word is only a nationality ("American", "Kenyan"), never a place."""
    return all(w in entries and all(e.via == "demonym" for e in entries[w]) for w in lows)


def _classify(
    words: list[str],
    lows: list[str],
    key: str,
    gaz: Gazetteer,
    is_place: Callable[[str], bool],
) -> tuple[tuple[str | None, bool], tuple[str | None, bool]]:
    """What a capitalised sequence (titles and function words stripped) names, if anything.

    Returns: the (kind or None, whether it counts as cued) reading without a title or role word
    before it, and the reading with one ("leader Vladimir Putin").
    """
    n = len(words)
    last = lows[-1].rstrip(".")
    if n >= 2 and (
        last in ORG_WORDS
        or (
            "of" in lows
            and any(w == "of" and lows[k - 1] in ORG_WORDS for k, w in enumerate(lows) if k)
        )
    ):
        return _ORG, _ORG
    if "of" in lows or "the" in lows or "&" in lows:
        return _NOTHING, _NOTHING  # "Bank of England" is caught above or by the gazetteer
    if _INNER_ACRONYM.search(" ".join(words)):
        return _NOTHING, _NOTHING  # "Ray DVD", "Mac OS": a person's name has no acronym in it
    if lows[-1] in GROUPS:
        return _NOTHING, _NOTHING  # "Mo Cowan Senate", "Obama Democrats": a body, no name
    first = 2 <= n <= 4 and (lows[0].rstrip(".") in gaz.first_names or _is_initial(words[0]))
    if first and not is_place(key):
        return _PERSON, _CUED_PERSON  # a first name needs no cue word: none is looked up
    if n == 1:
        return _SINGLE, _CUED_PERSON
    if key in gaz.people:
        return _PERSON, _CUED_PERSON
    if n > 4:
        return _NOTHING, _NOTHING  # too long for a cue to make it a name
    if n <= 3 and _is_club_like(words, gaz):
        return _ORG, _CUED_PERSON
    return _NOTHING, _CUED_PERSON


_ORG = ("org", False)
_NOTHING = (None, False)
_PERSON = ("person", False)
_CUED_PERSON = ("person", True)
_SINGLE = ("single", False)


def _is_club_like(words: list[str], gaz: Gazetteer) -> bool:
    """A town at one end of a longer unknown name: "Bayern Munich", "New York Mets"."""
    entries = gaz.entries
    if not (
        fold_key(words[-1]) in entries
        or fold_key(words[0]) in entries
        or (len(words) > 2 and fold_key(f"{words[0]} {words[1]}") in entries)
    ):
        return False  # the common case, decided cheaply: no town at either end
    if any("-" in w or w.lower() in DIRECTIONS or _is_title(w) for w in words):
        return False
    if fold_key(" ".join(words)) in gaz.entries:
        return False

    def town(part: list[str]) -> bool:
        if len(part) == 1 and part[0].lower() in MONTHS:
            return False
        entries = gaz.entries.get(fold_key(" ".join(part)))
        return bool(entries) and all(e.kind == "place" for e in entries)

    def known(part: list[str]) -> bool:
        entries = gaz.entries.get(fold_key(" ".join(part)))
        return bool(entries) and any(not e.flags & WEAK for e in entries)

    if town(words[-1:]) and not known(words[:-1]) and words[0].lower() not in gaz.first_names:
        return True
    return any(town(words[:k]) and not known(words[k:]) for k in (2, 1) if k < len(words))
