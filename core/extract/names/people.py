"""People and organisations from capitalised name sequences, cue words and within-article aliases.

Ours, not a statistical NER's: it must run at thousands of articles a second with no model, and
the rules are the ones a reader uses. A capitalised sequence is a person when a title or role cue
precedes it ("President", "Mr", "ambassador") or it opens with a common first name (gender-guesser's
name list); an organisation when it ends in an organisation word ("Bank", "Party", "Ministry") or
is a bare acronym. Later short forms ("Mr Putin", "Putin", "Mr Kim") resolve to the longest form of
the same person in the article; "Kim Jong-un" and "Kim Jong Un" fold to one key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache, partial
from typing import NamedTuple

from core.extract.names.headline import headline_end
from core.extract.names.orgs import (
    company_head,
    defined_acronym,
    in_results,
    may_be_side,
    plural_in,
)
from core.extract.names.scan import NAME_SEQ_MARKED, mark_capitals, shouting, word_before
from core.extract.names.words import (
    DIRECTIONS,
    EVENT_WORDS,
    FUNCTION_WORDS,
    GROUPS,
    MONTHS,
    ORG_WORDS,
    ROLE_WORDS,
    SPEECH_VERBS,
    TITLES,
    WEEKDAYS,
)
from core.extract.places.gazetteer import WEAK, Gazetteer
from core.extract.surface import fold_key


class NameSpan(NamedTuple):
    start: int
    end: int
    text: str
    entity: str
    kind: str  # person | org
    country_code: str | None
    strong: bool  # title-cued or curated: beats a gazetteer reading of the same span


# NameSpan from a tuple without the named tuple's Python-level __new__ (28k per BBC pass).
_span = partial(tuple.__new__, NameSpan)


def _is_initial(token: str) -> bool:
    return len(token) == 2 and token[1] == "." and token[0].isupper()


def _is_title(token: str) -> bool:
    low = token.lower()
    return low in TITLES or low in ROLE_WORDS


def find_names(
    text: str,
    gaz: Gazetteer,
    is_place: Callable[[str], bool],
    *,
    cache: dict[str, tuple | bool] | None = None,
) -> list[NameSpan]:
    """Find people and organisations in ``text``.

    ``is_place(folded_key)`` says whether a key is a gazetteer country/place, so that "Jordan"
    alone stays a country while "Jordan Henderson" is a person. ``cache`` (one per gazetteer)
    keeps the context-free analysis of each multi-word sequence across articles.

    Returns: one ``NameSpan`` per person or organisation mention, in text order, people resolved
    to the canonical (longest) form of their name in the article.
    """
    raw: list[tuple[int, int, str, bool, str]] = []  # (start, end, kind, cued, folded key)
    # Lone capitalised words, (start, end, cued, folded key, acronym): 40% of all matches, and
    # most name nobody. Kept apart, lean, to be settled once the article's full names are known.
    singles: list[tuple[int, int, bool, str, bool]] = []
    national = gaz.national_keys
    defined: dict[str, str] = {}  # acronym key -> the name it was defined for ("epa" -> ...)
    if cache is None:
        cache = {}
    unnamed: list[tuple[int, int, str]] = []  # multi-word sequences that named nothing
    title_dot = -9  # where "Mr." / "Dr." put its full stop: the next name is cued
    for s0, e0, seq in _sequences(text):
        if " " not in seq:  # the common case (70% of matches), kept cheap: one capitalised word
            one = cache.get(seq)
            if one is None:
                one = cache[seq] = _analyse_word(seq, national)
            if one is _SKIP:
                continue  # "The", "But" at a sentence start
            if one is _TITLE:
                if text[e0 : e0 + 1] == ".":
                    title_dot = e0
                continue
            if s0 == title_dot + 2:
                raw.append((s0, e0 - one[0], "person", True, one[3]))
            elif one[1]:
                continue  # "Russia", "KCNA": the gazetteer reading wins any tie with a name
            else:  # a month or weekday is cued by a title word: "Ms May"
                cued = one[2] and word_before(text, s0).lower() in TITLES
                singles.append((s0, e0 - one[0], cued, one[3], one[4]))
            continue
        after_title = s0 == title_dot + 2
        info = cache.get(seq)
        if info is None:
            info = cache[seq] = _analyse(seq, gaz, is_place)
            if len(cache) > 200_000:  # bounded: a long-running process sees many names
                cache.clear()
        if not info:
            continue
        rel_start, rel_end, title_cued, if_uncued, if_cued, key = info
        start, end = s0 + rel_start, s0 + rel_end
        if after_title or title_cued:
            kind, cued = if_cued
        elif if_uncued[0] == if_cued[0]:
            kind, cued = if_uncued
        else:  # only here does the word before decide: "leader Vladimir Putin"
            kind, cued = if_cued if word_before(text, start) in ROLE_WORDS else if_uncued
        after = text[end : end + 2]
        if after[-1:] == "(" or after == "(":
            acronym = defined_acronym(text, end, text[start:end].split(" "))
            if acronym:  # "the Environmental Protection Agency (EPA)": an organisation
                kind, cued = "org", False
                defined[fold_key(acronym)] = text[start:end]
        if kind is None:
            if may_be_side(text, start, end) and in_results(text, start, end, anywhere=False):
                kind = "org"  # "Red Star 4 4 0 0": a team in a results table
        elif kind == "person" and (cued or key.count(" ") >= 2) and key not in gaz.people:
            cut = headline_end(text, start, end, gaz.first_names, cued=cued)
            if cut is not None:  # "Glenn Beck Rips Progressivism": the name ends at the verb
                end, key = cut, fold_key(text[start:cut])
        if kind:
            raw.append((start, end, kind, cued, key))
        else:
            unnamed.append((start, end, key))
    return _resolve_people(text, raw, singles, gaz, defined, unnamed)


def _sequences(text: str) -> Iterator[tuple[int, int, str]]:
    """The capitalised sequences of ``text`` as (start, end, sequence).

    "John Casesa of Schroder Wertheim & Co" is two: a name, then the organisation it is "of"
    (``_of_split``).
    """
    for m in NAME_SEQ_MARKED.finditer(mark_capitals(text)):
        s0, e0 = m.span()
        seq = text[s0:e0]
        if " of " in seq:
            cut = _of_split(seq)
            if cut:
                yield s0, s0 + cut, seq[:cut]
                yield s0 + cut + 4, e0, seq[cut + 4 :]
                continue
        yield s0, e0, seq


@lru_cache(maxsize=1 << 14)
def _of_split(seq: str) -> int:
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


_TITLE = ("title",)  # _analyse_word's verdicts that need no tuple unpacking
_SKIP = ("skip",)


def _analyse_word(word: str, national: frozenset[str]) -> tuple:
    """The context-free reading of one capitalised word, cached per distinct word.

    Returns: ``_TITLE`` ("Mr", "President"), ``_SKIP`` (a function word at a sentence start), or
    ``(possessive_length, is_national, is_month, key, acronym)``: how many characters of "'s"
    to drop, whether the gazetteer reads it as a country or organisation, whether it is a month
    or weekday (a name only after a title: "Ms May"), the folded key of the word without its
    "'s", and whether that is an acronym (2-5 capital letters: an organisation if no name).
    """
    low = word.lower()
    if low in TITLES:
        return _TITLE
    if low in FUNCTION_WORDS:
        return _SKIP
    strip = 2 if word.endswith(("'s", "’s")) else 0
    bare = word[: len(word) - strip]
    key = fold_key(bare)
    acronym = 2 <= len(bare) <= 5 and bare.isupper() and bare.isalpha()
    return strip, key in national, low in MONTHS, key, acronym


def _analyse(seq: str, gaz: Gazetteer, is_place: Callable[[str], bool]) -> tuple | bool:
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
    while i < n and lows[i].rstrip(".") in FUNCTION_WORDS:
        i += 1
    while i < n - 1 and lows[i] in MONTHS:
        i += 1
    # "Russian President Vladimir Putin", "Texas Governor Rick Perry": skip the place. (A
    # word of letters only is its own key: no fold_key call.)
    entries = gaz.entries
    k = i
    while k < n - 1 and (lows[k] if lows[k].isalpha() else fold_key(words[k])) in entries:
        k += 1
    if k > i and lows[k] in _TITLE_OR_ROLE:
        i = k
    elif k > i and k <= n - 2 and lows[k] in gaz.first_names and _demonyms(lows[i:k], entries):
        i = k  # "American Dennis Mitchell": the nationality is no part of the name
    # A name ends before a capitalised function word inside it or after a possessive ("Clinton
    # Defends Her Actions", "Robbie Williams' Angels", "Brown's Budget").
    j = n
    for x in range(i + 1, n):
        stop = lows[x] in _INNER_STOP and words[x][:1].isupper()
        if stop or words[x - 1].endswith(_POSSESSIVE):
            j = x
            break
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
    if any(len(w) > 1 and w.isupper() and w.isalpha() for w in words[1:]):
        return _NOTHING, _NOTHING  # "Ray DVD", "Mac OS": a person's name has no acronym in it
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


_BODIES = GROUPS | ORG_WORDS


def _curated_org(key: str, gaz: Gazetteer) -> tuple[str, str | None] | None:
    """The curated organisation (name, country) whose key is ``key``, if any."""
    for e in gaz.entries.get(key, ()):
        if e.kind == "org":
            return e.entity, e.country_code
    return None


def _group_plural(text: str, word: str) -> bool:
    """A plural whose singular the article also writes: "Democrats" beside "Democrat"."""
    if len(word) < 4 or word[-1] != "s" or word[-2] == "s":
        return False
    return re.search(rf"\b{re.escape(word[:-1])}\b", text) is not None


_SPEECH = re.compile(r" (?:" + "|".join(sorted(SPEECH_VERBS)) + r")\b")


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


def _resolve_people(
    text: str,
    raw: list[tuple[int, int, str, bool, str]],
    singles: list[tuple[int, int, bool, str, bool]],
    gaz: Gazetteer,
    defined: dict[str, str],
    unnamed: list[tuple[int, int, str]],
) -> list[NameSpan]:
    """Group person mentions into entities; single words join a person seen before or curated.

    ``raw`` holds the cued or multi-word candidates, ``singles`` the lone uncued words,
    ``defined`` the acronyms the article defined (key -> the organisation's name), ``unnamed``
    the sequences that named nothing by themselves (a company's short name may be one).

    Returns: one ``NameSpan`` per person or organisation, in text order.
    """
    groups: dict[str, list[str]] = {}  # folded full name -> surface forms seen, in order
    for start, end, kind, _, key in raw:
        if kind == "person":
            surface = text[start:end]
            if " " in surface:
                groups.setdefault(key, []).append(surface)
    canonical: dict[str, tuple[str, str | None]] = {}
    for key, forms in groups.items():
        curated = gaz.people.get(key)
        if curated:
            canonical[key] = curated
        else:
            # The form with the most words; on a tie the first seen (max keeps the first).
            best = forms[0] if len(forms) == 1 else max(forms, key=lambda f: f.count(" "))
            canonical[key] = (best, None)
    # A longer full name absorbs a shorter one inside it ("Putin" < "Vladimir Putin").
    by_token: dict[str, str] = {}
    for key in sorted(groups, key=lambda k: -k.count(" ")):
        for tok in key.split():
            by_token.setdefault(tok, key)

    # A company's short name: "Ruch SA" ... "Ruch" (the organisation's name, as written first).
    orgs = dict(defined)
    for start, end, kind, _, key in raw:
        if kind == "org":
            head = company_head(key)
            if head is not None:
                curated = _curated_org(head, gaz)
                orgs.setdefault(head, curated[0] if curated else text[start:end])
    surnames = gaz.surnames
    # A lone word names somebody only as a known full name's part, a curated surname, an
    # acronym, a speaker or a company's short name, or names a team in a results line: the
    # common case (most name nobody) is settled first.
    kept = [
        (start, end, "single", cued, key)
        for start, end, cued, key, acronym in singles
        if key in by_token
        or key in surnames
        or key in orgs
        or (key not in MONTHS and (acronym or _SPEECH.match(text, end) is not None))
        or (may_be_side(text, start, end) and in_results(text, start, end, anywhere=False))
    ]
    if orgs:  # "Douglas & Lomason" after "Douglas & Lomason Co"
        kept += [(s, e, "alias", False, key) for s, e, key in unnamed if key in orgs]
    if kept:
        raw = sorted(raw + kept) if raw else kept
    out: list[NameSpan] = []
    for start, end, kind, cued, key in raw:
        surface = text[start:end]
        if key in orgs and kind != "org":  # an acronym defined, a company's short name
            out.append(_span((start, end, surface, orgs[key], "org", None, False)))
            continue
        if kind == "org":
            # "Volkswagen AG": the curated company, with its country
            curated = _curated_org(key, gaz) or _curated_org(company_head(key) or "", gaz)
            name, code = curated if curated else (surface, None)
            out.append(_span((start, end, surface, name, "org", code, False)))
            continue
        if kind == "person" and key in canonical:
            name, code = canonical[key]
            out.append(_span((start, end, surface, name, "person", code, True)))
            continue
        # One word (maybe after a title): an alias of a full name, a curated surname, or cued.
        target = by_token.get(key) if " " not in key else None
        if target is None and key in gaz.surnames:
            curated_name = gaz.surnames[key]
            name, code = gaz.people[fold_key(curated_name)]
            out.append(_span((start, end, surface, name, "person", code, True)))
            continue
        if target is not None and (cued or key not in MONTHS):
            name, code = canonical[target]
            out.append(_span((start, end, surface, name, "person", code, cued)))
        elif kind == "person":
            if " " in key or key not in _BODIES:  # "Senate", "Department": never a person
                out.append(
                    _span((start, end, surface, " ".join(surface.split()), "person", None, cued))
                )
        elif (
            surface.isupper()
            and 2 <= len(surface) <= 5
            and surface.isalpha()
            and key not in MONTHS
            and not shouting(text, start, end)
        ):
            # An acronym used as a common noun ("a TV", "PCs") is no organisation.
            if surface not in gaz.common_acronyms and not plural_in(text, surface):
                out.append(_span((start, end, surface, surface, "org", None, False)))
        elif _SPEECH.match(text, end) and key not in MONTHS and key not in _BODIES:
            if not _group_plural(text, surface):
                out.append(_span((start, end, surface, surface, "person", None, False)))
        elif (
            key not in MONTHS
            and may_be_side(text, start, end)
            and in_results(text, start, end, anywhere=False)
            and re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", text) is None
        ):  # a team in a results line: a word the article never writes in lower case
            out.append(_span((start, end, surface, surface, "org", None, False)))
    return out
