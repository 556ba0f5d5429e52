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
from collections.abc import Callable
from functools import partial
from typing import NamedTuple

from core.extract.names.headline import headline, headline_end, headline_start
from core.extract.names.orgs import (
    SIDE_NEXT,
    SIDE_PREV,
    company_head,
    defined_acronym,
    in_results,
    plural_in,
)
from core.extract.names.reading import SKIP, TITLE, analyse, analyse_word, of_split
from core.extract.names.scan import NAME_SEQ_MARKED, mark_capitals, shouting, word_before
from core.extract.names.words import (
    GROUPS,
    MONTHS,
    ORG_WORDS,
    ROLE_WORDS,
    SPEECH_VERBS,
    TITLES,
)
from core.extract.places.gazetteer import Gazetteer
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
    # The first line, read as a Title Case headline only when a name is found in it.
    first_line = text.find("\n")
    title: tuple[int, int] | None | bool = False
    title_dot = -9  # where "Mr." / "Dr." put its full stop: the next name is cued
    for m in NAME_SEQ_MARKED.finditer(mark_capitals(text)):
        s0, e0 = m.span()
        seq = text[s0:e0]
        if " " not in seq:  # the common case (70% of matches), kept cheap: one capitalised word
            one = cache.get(seq)
            if one is None:
                one = cache[seq] = analyse_word(seq, national)
            if one is SKIP:
                continue  # "The", "But" at a sentence start
            if one is TITLE:
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
        # "John Casesa of Schroder Wertheim & Co": a name, then the organisation it is "of"
        if " of " in seq and (cut := of_split(seq)):
            parts: tuple[tuple[int, str], ...] = ((s0, seq[:cut]), (s0 + cut + 4, seq[cut + 4 :]))
        else:
            parts = ((s0, seq),)
        for s0, seq in parts:
            if " " not in seq:
                continue  # one word before "of" ("Shares of ..."): no name
            after_title = s0 == title_dot + 2
            info = cache.get(seq)
            if info is None:
                info = cache[seq] = analyse(seq, gaz, is_place)
                if len(cache) > 200_000:  # bounded: a long-running process sees many names
                    cache.clear()
            if not info:
                continue
            rel_start, rel_end, title_cued, if_uncued, if_cued, key = info
            start, end = s0 + rel_start, s0 + rel_end
            if rel_start and _month_named(text, s0, seq, gaz):  # "chairman Jan Berry"
                start, key, title_cued = s0, fold_key(seq), True
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
            if (
                kind is None
                and (
                    text[end + 1 : end + 2] in SIDE_NEXT or text[start - 2 : start - 1] in SIDE_PREV
                )
                and in_results(text, start, end, anywhere=False)
            ):
                kind = "org"  # "Red Star 4 4 0 0": a team in a results table
            if start < first_line and kind and key not in gaz.people and key not in gaz.entries:
                if title is False:
                    title = headline(text)
                line = title if title and start < title[1] else None
                if line is not None:  # "Glenn Beck Rips Progressivism", "Trump Attacks ..."
                    if kind == "person":
                        cut = headline_end(text, start, end, line, gaz.first_names)
                        if cut is not None:
                            end, key = cut, fold_key(text[start:cut])
                    else:
                        cut = headline_start(text, start, end, line, gaz.first_names)
                        if cut is not None:
                            start, key = cut, fold_key(text[cut:end])
                            if " " not in key or key.rsplit(" ", 1)[1] not in ORG_WORDS:
                                continue  # what is left ("Congress") is the gazetteer's
                    if " " not in key and not cued:
                        singles.append((start, end, False, key, False))
                        continue  # "Reid Breaks": one word left, a name only as an alias
            if kind:
                raw.append((start, end, kind, cued, key))
            else:
                unnamed.append((start, end, key))
    return _resolve_people(text, raw, singles, gaz, defined, unnamed)


_BODIES = GROUPS | ORG_WORDS


def _month_named(text: str, s0: int, seq: str, gaz: Gazetteer) -> bool:
    """Whether a month that is also a first name opens a two-word name: right after a role
    word ("Police Federation chairman Jan Berry", "coach May Smith"), not as a date ("In May
    Blair said", where ``analyse`` drops the month)."""
    first, _, rest = seq.partition(" ")
    low = first.lower()
    return (
        low in MONTHS
        and low in gaz.first_names
        and rest.isalpha()
        and word_before(text, s0) in ROLE_WORDS
    )


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
    singular = word[:-1]
    i = text.find(singular)
    while i >= 0:  # str.find, not a regex: no pattern to compile per word
        j = i + len(singular)
        if not text[j : j + 1].isalnum() and (i == 0 or not text[i - 1].isalnum()):
            return True
        i = text.find(singular, j)
    return False


_SPEECH = re.compile(r" (?:" + "|".join(sorted(SPEECH_VERBS)) + r")\b")


def _promote_named(
    text: str,
    raw: list[tuple[int, int, str, bool, str]],
    kept: list[tuple[int, int, str, bool, str]],
    unnamed: list[tuple[int, int, str]],
) -> list[tuple[int, int, str, bool, str]]:
    """People whose first name no list knows, named by how the article uses their surname.

    A two- or three-word sequence that named nothing ("Tiger Woods", "Jansher Khan") is a
    person when the article also uses its last word alone for a person: after a title ("Mr
    Woods") or before a speech verb ("Woods said"). ``kept`` are the lone words kept so far
    (a speaker among them), ``raw`` the other candidates (a titled surname among them).

    Returns: ``raw`` with those sequences added as people, in text order; ``raw`` itself when
    there are none (the common case, settled from the few kept words).
    """
    ends = {key[key.rfind(" ") + 1 :] for _, _, key in unnamed}
    used = {k for _, end, _, cued, k in kept if k in ends and (cued or _SPEECH.match(text, end))}
    used.update(k for _, _, kind, cued, k in raw if cued and k in ends and kind == "person")
    if not used:
        return raw
    found = [
        (s, e, "person", False, key)
        for s, e, key in unnamed
        if 1 <= key.count(" ") <= 2
        and " of " not in key
        and " the " not in key
        and key[key.rfind(" ") + 1 :] in used
    ]
    return sorted(raw + found) if found else raw


def _resolve_people(
    text: str,
    raw: list[tuple[int, int, str, bool, str]],
    singles: list[tuple[int, int, bool, str, bool]],
    gaz: Gazetteer,
    defined: dict[str, str],
    unnamed: list[tuple[int, int, str]],
    *,
    promote: bool = True,
) -> list[NameSpan]:
    """Group person mentions into entities; single words join a person seen before or curated.

    ``raw`` holds the cued or multi-word candidates, ``singles`` the lone uncued words,
    ``defined`` the acronyms the article defined (key -> the organisation's name), ``unnamed``
    the sequences that named nothing by themselves (a company's short name may be one, or a
    person, ``_promote_named``, unless ``promote`` is off).

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
            if len(tok) > 1:  # an initial ("Neal S. Wolin") names nobody alone: "I.R.S."
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
        or (
            (text[end + 1 : end + 2] in SIDE_NEXT or text[start - 2 : start - 1] in SIDE_PREV)
            and in_results(text, start, end, anywhere=False)
        )
    ]
    if promote and unnamed and kept:
        promoted = _promote_named(text, raw, kept, unnamed)
        if promoted is not raw:  # rare: settle the article again with those people in it
            return _resolve_people(text, promoted, singles, gaz, defined, unnamed, promote=False)
    if orgs:  # "Douglas & Lomason" after "Douglas & Lomason Co"
        kept += [(s, e, "alias", False, key) for s, e, key in unnamed if key in orgs]
    if kept:
        raw = sorted(raw + kept) if raw else kept
    out: list[NameSpan] = []
    plurals: dict[str, bool] = {}
    groups_seen: dict[str, bool] = {}
    # key -> the article writes it in lower case: one scan per word and article (a scan per
    # occurrence made a page of 30,000 "Paragraph 1 ..." lines quadratic: 70 s)
    lowered: dict[str, bool] = {}
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
            if surface in gaz.common_acronyms:
                continue
            plural = plurals.get(surface)
            if plural is None:  # one look per acronym and article: it recurs
                plural = plurals[surface] = plural_in(text, surface)
            if not plural:
                out.append(_span((start, end, surface, surface, "org", None, False)))
        elif _SPEECH.match(text, end) and key not in MONTHS and key not in _BODIES:
            group = groups_seen.get(surface)
            if group is None:  # one look per word and article, as for plurals
                group = groups_seen[surface] = _group_plural(text, surface)
            if not group:
                out.append(_span((start, end, surface, surface, "person", None, False)))
        elif (
            key not in MONTHS
            and (text[end + 1 : end + 2] in SIDE_NEXT or text[start - 2 : start - 1] in SIDE_PREV)
            and in_results(text, start, end, anywhere=False)
            and not (
                lowered[key]
                if key in lowered
                else lowered.setdefault(
                    key, re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", text) is not None
                )
            )
        ):  # a team in a results line: a word the article never writes in lower case
            out.append(_span((start, end, surface, surface, "org", None, False)))
    return out
