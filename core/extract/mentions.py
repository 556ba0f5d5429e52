"""The default mention extractor: countries, places, people and organisations, no model, no server.

One case-sensitive Aho-Corasick pass over the text (punctuation blanked, offsets kept) finds
every gazetteer name at word boundaries (``core.extract.places.gazetteer``); cheap filters
apply the case and ambiguity rules ("US" not "us"; "Police", "Reading", "Nice" only after a
locative cue; months are never places); a regex pass over capitalised sequences finds people
and organisations (``core.extract.names.people``); overlaps are settled longest-first; and an
ambiguous place takes the referent whose country the rest of the article supports (London →
GBR unless it is about Canada).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from operator import itemgetter

from core.extract.names.orgs import SIDE_NEXT, SIDE_PREV, in_results
from core.extract.names.people import NameSpan, find_names
from core.extract.names.scan import shouting, word_after, word_before
from core.extract.names.words import MONTHS, ORG_WORDS, ROLE_WORDS, TITLES
from core.extract.places.gazetteer import (
    DATELINE,
    FIRST_NAME,
    UPPER,
    WEAK,
    Entry,
    Gazetteer,
    load_gazetteer,
)
from core.extract.surface import scan_text
from core.schema import MENTION_ROW

METHOD = "gazetteer/1"
LOCATIVE = frozenset(
    """in at near from to outside inside into towards toward across around via of""".split()
)
# Per mention of its country elsewhere in the article, an ambiguous place's candidate gains this
# much (priors are log10 population, +2 for a capital, 10 for a country): two mentions of Canada
# outweigh London's 20x population advantage; one does not.
CONTEXT_BONUS = 2.5
# How far before a person's name a demonym or country with a role word may give its country.
PERSON_WINDOW = 80
# Role words after a demonym that make the demonym the country of the name that follows.
_PERSON_ROLE = re.compile(
    r"^\s*((?:\w+\s+){0,2}?)(?:" + "|".join(sorted(ROLE_WORDS)) + r")\b([^.;:!?“”\"()\n]{0,40})$",
    re.IGNORECASE,  # "Prime Minister" as often as "the ambassador"
)
# Words that may stand between the demonym and the role ("Russian Foreign Ministry spokeswoman",
# "Wales rugby coach"); a capitalised other word is a name's ("British and Irish Lions coach").
_ROLE_MODIFIERS = TITLES | ORG_WORDS
# After that role, a preposition and a role of its own make the name its object, not the role's
# holder: "the Russian ambassador to Vice President Mike Pence" (Pence is not Russian).
_OBJECT_ROLE = re.compile(
    r"\b(?:to|with|for|by|against|from|of|at|on|and|met|meets|told|tells)\s+(?:\w+\s+){0,3}?(?:"
    + "|".join(sorted(ROLE_WORDS))
    + r")\b",
    re.IGNORECASE,
)


class GazetteerExtractor:
    """Callable mention extractor over the gazetteer (see module docstring)."""

    method = METHOD

    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz
        self._is_place = gaz.entries.__contains__
        self._sequences: dict[str, tuple | bool] = {}  # find_names' per-sequence analyses
        # Tie-break rank of each key's stored readings: towns (-1) lose to countries and orgs (-2).
        self._rank = {k: _rank(v) for k, v in gaz.entries.items()}
        # Keys whose every reading is unflagged and not a month need no per-match checks unless
        # written in capitals: the hot path keeps them as they are.
        self._plain = frozenset(
            k for k, v in gaz.entries.items() if k not in MONTHS and not any(e.flags for e in v)
        )
        self._verdicts: dict[str, tuple] = {}  # surface form -> _verdict (context-free rules)

    def __call__(self, text: str, sentences: Sequence[tuple[int, int, int]]) -> list[dict]:
        """Extract mentions from ``text`` split into ``sentences``.

        Returns: one dict per mention, sorted by ``start_char``, keyed by ``MENTION_ROW``
        (``sentence, start_char, end_char, text, entity, kind, country_code, via``).
        """
        return [dict(zip(MENTION_ROW, row, strict=True)) for row in self.rows(text, sentences)]

    def rows(self, text: str, sentences: Sequence[tuple[int, int, int]]) -> list[tuple]:
        """Extract mentions from ``text`` as tuples, for the extraction stage's tables.

        Returns: one tuple per mention, sorted by ``start_char``, its fields in ``MENTION_ROW``
        order. (A tuple is a third of a dict's memory and converts to Arrow by position: the
        ingest of a large batch holds every row until its table is built.)
        """
        if not text:
            return []
        gaz = self.gaz
        # Candidates in text order, as (start, i, end, -length, -rank, payload); i is unique, so
        # the sort never compares payloads. Ranks: on a tie a cued or curated name (3) beats a
        # country or organisation (2), which beats a later mention of a person named in full
        # earlier ("Cork" after "Dominic Cork", 1.5), which beats a town (1), which beats an
        # uncued name (0).
        cands = self._place_candidates(text)
        names = find_names(text, gaz, self._is_place, cache=self._sequences)
        k = len(cands)
        for n in names:
            s, e, surface, entity, kind, _, strong = n
            r = 3.0 if strong else 1.5 if kind == "person" and entity != surface else 0.0
            cands.append((s, k, e, s - e, -r, n))
            k += 1
        cands.sort()
        return self._rows(text, sentences, _settle_overlaps(cands))

    def _place_candidates(self, text: str) -> list[tuple]:
        """Gazetteer matches that pass the case and ambiguity rules.

        Returns: one overlap candidate per match, ``(start, i, end, -length, -rank, entries)``
        (see ``rows``), ``i`` its index.
        """
        entries = self.gaz.entries
        rank = self._rank
        padded = scan_text(text)
        plain = self._plain
        out = []
        for idx, key in self.gaz.automaton.iter(padded):
            end = idx - 1
            start = end - len(key)
            nxt = text[end : end + 1]
            if nxt == "$":  # US$, NZ$: a currency
                continue
            if nxt == "." and "." in text[start:end]:
                end += 1  # "U.S." keeps its last full stop
            span = text[start:end]
            if span in _UNITS and text[max(0, start - 2) : start].strip()[-1:].isdigit():
                continue  # "a 20 GB disk": gigabytes, not Great Britain
            if key in plain and not span.isupper():
                out.append((start, len(out), end, start - end, rank[key], entries[key]))
                continue
            verdict = self._verdicts.get(span)
            if verdict is None:
                verdict = self._verdicts[span] = _verdict(span, entries[key])
                if len(self._verdicts) > 200_000:  # bounded, like find_names' cache
                    self._verdicts.clear()
            codes, if_loud, if_dateline, weak = verdict
            if codes is None:
                keep = entries[key]
            else:
                # Whether the words around are in capitals too (a headline), and whether the
                # name closes a dateline ("LONDON, Jan 5."): asked only when a reading needs it.
                loud = if_loud and shouting(text, start, end)
                dated = if_dateline and _after_dateline(text, start, end)
                keep = tuple(
                    e
                    for e, c in zip(entries[key], codes, strict=True)
                    if c == _KEEP
                    or (c == _QUIET and not loud)
                    or (c == _DATELINE and dated)
                    or (c == _LOUD and (loud or _among_capitals(text, start, end)))
                    or (c == _LEAD and _opens_paragraph(text, start, end))
                )
                weak = all(e.flags & WEAK for e in keep)
            # A doubtful reading (a word, a first name) needs a locative cue only when no sure
            # reading shares the key: "London" keeps its Canadian candidate for disambiguation.
            if keep and weak:
                keep = tuple(e for e in keep if _cued(text, start, end, e))
            if keep:
                r = rank[key] if keep is entries[key] else _rank(keep)
                out.append((start, len(out), end, start - end, r, keep))
        return out

    def _rows(self, text: str, sentences, taken) -> list[tuple]:
        gaz = self.gaz
        # Country context: how often each country is reached by an unambiguous place or country.
        # Not by an organisation: "BOSTON (Reuters)" names the agency's home, not the story's.
        context: dict[str, int] = {}
        for _, _, entries in taken:
            if (
                entries.__class__ is NameSpan
                or not entries[0].country_code
                or entries[0].kind == "org"
            ):
                continue
            if len(entries) == 1 or len({x.country_code for x in entries}) == 1:
                code = entries[0].country_code
                context[code] = context.get(code, 0) + 1
        rows: list[tuple] = []
        starts = [s[1] for s in sentences]
        # End of the last country row: _person_country looks only PERSON_WINDOW characters back.
        country_end = -(10**9)
        for s, e, payload in taken:
            if payload.__class__ is not NameSpan:
                entry = payload[0] if len(payload) == 1 else _choose(payload, context)
                entity, kind, code = entry.entity, entry.kind, entry.country_code
                via = entry.via if code else None
                if kind == "country" and code:
                    country_end = e
                elif (
                    kind == "place"
                    and text[e : e + 1] == " "  # "KANSAS CITY AT DETROIT": the venue stays
                    and (text[e + 1 : e + 2] in SIDE_NEXT or text[s - 2 : s - 1] in SIDE_PREV)
                    and in_results(text, s, e, anywhere=True)
                ):  # "Durham 114", "CHICAGO AT TORONTO": a town named as a side, the team
                    kind, code, via = "org", None, None
                if kind == "place" and code:  # "Wales coach Mike Ruddock", "Texas Governor"
                    country_end = e
                surface = text[s:e]
            else:
                surface, entity, kind, code = payload[2:6]
                if kind == "person" and code is None and country_end >= s - PERSON_WINDOW:
                    code = _person_country(text, s, rows, gaz)
                via = ("person" if kind == "person" else "org") if code else None
            rows.append(
                ((bisect_right(starts, s) or 1) - 1, s, e, surface, entity, kind, code, via)
            )
        return rows


# Country abbreviations that are also units of measure, after a number.
_UNITS = frozenset({"GB"})

_DROP, _KEEP, _QUIET, _DATELINE, _LOUD, _LEAD = 0, 1, 2, 3, 4, 5


def _verdict(
    span: str, entries: tuple[Entry, ...]
) -> tuple[tuple[int, ...] | None, bool, bool, bool]:
    """The case rules for the readings of one surface form, as far as the form alone decides.

    Computed once per distinct form ("US", "PARIS", "Reading") and cached by the extractor.
    Returns: (a code per reading, or None when every reading is kept whatever the context;
    whether a reading is dropped in a headline in capitals; whether one needs a dateline; when
    every reading is kept, whether all are doubtful, WEAK, and need a locative cue). The
    codes: ``_DROP``; ``_KEEP``; ``_QUIET``, kept unless the words around are in capitals too;
    ``_DATELINE``, kept only as a dateline ("LONDON, Jan 5."); ``_LOUD``, a town written in
    capitals, kept only where the words around are in capitals too or opening its paragraph
    ("WASHINGTON (Reuters) -"): amid lower case it is an acronym; ``_LEAD``, a doubtful town
    in capitals, kept only opening its paragraph.
    """
    upper = span.isupper()  # ignores dots and digits: "U.S." is upper
    n_letters = sum(c.isalpha() for c in span)
    month = span.lower() in MONTHS
    codes = []
    for e in entries:
        flags = e.flags
        if flags & UPPER and not upper:
            code = _DROP
        elif flags & DATELINE:
            code = _DATELINE
        elif e.kind == "place" and (month or (upper and n_letters <= 3 and not flags & UPPER)):
            code = _DROP  # a month is never a place; "GAO", "PA": an acronym, not the town
        elif e.kind == "place" and upper and not flags & UPPER:
            # "the ruling on DOMA": an acronym amid lower case, not Doma (Nigeria); a doubtful
            # reading in capitals counts only as a dateline, as in a headline (_QUIET).
            code = _LEAD if flags & WEAK else _LOUD
        elif upper and n_letters > 1 and (flags & WEAK or (flags & UPPER and "." not in span)):
            code = _QUIET
        else:
            code = _KEEP
        codes.append(code)
    if all(c == _KEEP for c in codes):
        return None, False, False, all(e.flags & WEAK for e in entries)
    return tuple(codes), _QUIET in codes or _LOUD in codes, _DATELINE in codes, False


def _among_capitals(text: str, start: int, end: int) -> bool:
    """A name in capitals that is not an acronym: its line has no lower-case letter nearby (a
    headline: "CRICKET - ENGLAND V PAKISTAN") or it opens a dateline."""
    line_start = text.rfind("\n", max(0, start - 60), start) + 1 or max(0, start - 60)
    line_end = text.find("\n", end, end + 60)
    around = text[line_start:start] + text[end : line_end if line_end >= 0 else end + 60]
    if not any(c.islower() for c in around) and any(c.isalpha() for c in around):
        return True
    return _opens_paragraph(text, start, end)


# What follows a dateline's place: an optional state or country ("OAKLAND, Calif.", "NAIROBI,
# Kenya"), then the agency, a dash or the date ("BOSTON (Reuters) -", "LONDON 1996-08-30").
_DATELINE_TAIL = re.compile(
    r"(?:,\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?[,\s]*(?:[(\-—–]|\d|(?i:(?:jan|feb|mar|apr|may|jun|jul"
    r"|aug|sep|oct|nov|dec)[a-z]*)\.?\s+\d)"
)


def _opens_paragraph(text: str, start: int, end: int) -> bool:
    """A dateline in capitals: the agency, a dash or the date follows the name ("BOSTON
    (Reuters) -", "LONDON 1996-08-30", "SAN DIEGO,, MARCH 29"), or the name opens its paragraph
    and no lower-case word follows ("LONDON The Latest on ...")."""
    if _DATELINE_TAIL.match(text, end):  # and no lower-case word before: "or DACA — is"
        return not word_before(text, start).islower()
    if start and text[max(0, start - 3) : start].strip(" \t")[-1:] not in ("\n", ""):
        return False
    after = text[end : end + 3].lstrip(" ")[:1]
    return not after.islower()


def _after_dateline(text: str, start: int, end: int) -> bool:
    """A dateline: the name follows a comma and ends in the full stop of an abbreviation."""
    after_dot = text[end - 1 : end + 1].count(".") == 1
    return after_dot and text[max(0, start - 4) : start].rstrip().endswith(",")


def _settle_overlaps(cands: list[tuple]) -> list[tuple[int, int, object]]:
    """Keep the longest, then best-ranked, of overlapping candidates, greedily.

    ``cands`` are ``(start, i, end, -length, -rank, payload)`` sorted by start. Candidates are
    swept into clusters of transitively overlapping spans; most clusters hold one candidate and
    are kept as they are. Within a cluster the candidates are taken by (-length, -rank, start,
    i) unless they overlap one taken before: the same result as that greedy order over the
    whole text, since no candidate outside a cluster overlaps one inside it.

    Returns: the kept ``(start, end, payload)`` in text order.
    """
    taken: list[tuple[int, int, object]] = []
    n = len(cands)
    i = 0
    while i < n:
        first = cands[i]
        reach = first[2]
        j = i + 1
        while j < n and cands[j][0] < reach:
            if cands[j][2] > reach:
                reach = cands[j][2]
            j += 1
        if j == i + 1:
            taken.append((first[0], first[2], first[5]))
        else:
            kept: list[tuple[int, int, object]] = []
            for c in sorted(cands[i:j], key=lambda c: (c[3], c[4], c[0], c[1])):
                s, e = c[0], c[2]
                if all(e <= ks or s >= ke for ks, ke, _ in kept):
                    kept.append((s, e, c[5]))
            kept.sort(key=itemgetter(0))
            taken.extend(kept)
        i = j
    return taken


def _rank(entries: tuple[Entry, ...]) -> float:
    return -1.0 if all(x.kind == "place" for x in entries) else -2.0


def _cued(text: str, start: int, end: int, e: Entry) -> bool:
    """A locative cue before ("in Reading") and, for a first name, no surname after."""
    if word_before(text, start).lower() not in LOCATIVE:
        return False
    return not (e.flags & FIRST_NAME and word_after(text, end)[:1].isupper())


def _choose(entries: tuple[Entry, ...], context: dict[str, int]) -> Entry:
    """The reading with the best prior plus context bonus; on a tie the first.

    ``entries`` are sorted by descending prior, so the scan stops once no later reading can
    reach the best score even with the largest bonus ("Paris" has dozens of small towns).
    """
    best = entries[0]
    if len(entries) == 1 or not context:
        return best
    top = best.prior + CONTEXT_BONUS * min(context.get(best.country_code or "", 0), 2)
    for x in entries[1:]:
        if x.prior + _MAX_BONUS <= top:
            break
        score = x.prior + CONTEXT_BONUS * min(context.get(x.country_code or "", 0), 2)
        if score > top:
            best, top = x, score
    return best


_MAX_BONUS = CONTEXT_BONUS * 2


def _person_country(text: str, start: int, rows: list[tuple], gaz: Gazetteer) -> str | None:
    """A person's country where the text says it: "The Russian ambassador to X, Alexander ...".

    The nearest demonym or country name before the name (within 80 characters, no sentence
    break between) gives it when a role word follows it, no other name comes between and the
    name is not the object of a second role ("the Russian ambassador to Vice President Mike
    Pence").
    """
    for _, _, end, _, _, kind, code, _ in reversed(rows):  # MENTION_ROW order
        if end < start - PERSON_WINDOW:
            break
        if kind == "person":  # a nearer name holds the role: "Russian envoy Kislyak met Pence"
            return None
        if kind not in ("country", "place") or not code:
            continue
        role = _PERSON_ROLE.match(text[end:start].replace("’s", "").replace("'s", ""))
        if (
            role
            and all(w.islower() or w.lower() in _ROLE_MODIFIERS for w in role.group(1).split())
            and not _OBJECT_ROLE.search(role.group(2))
        ):
            return code
    return None


def build_extractor() -> GazetteerExtractor:
    """Return the gazetteer mention extractor (the gazetteer is loaded once and cached)."""
    return GazetteerExtractor(load_gazetteer())
