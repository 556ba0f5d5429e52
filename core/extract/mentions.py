"""The default mention extractor: countries, places, people and organisations, no model, no server.

One case-sensitive Aho-Corasick pass over the text (punctuation blanked, offsets kept) finds
every gazetteer name at word boundaries (``core.extract.gazetteer``); cheap filters apply the case
and ambiguity rules ("US" not "us"; "Police", "Reading", "Nice" only after a locative cue; months
are never places); a regex pass over capitalised sequences finds people and organisations
(``core.extract.people``); overlaps are settled longest-first; and an ambiguous place takes the
referent whose country the rest of the article supports (London → GBR unless it is about Canada).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from operator import itemgetter

from core.extract.gazetteer import (
    DATELINE,
    FIRST_NAME,
    UPPER,
    WEAK,
    Entry,
    Gazetteer,
    blank_punctuation,
    load_gazetteer,
)
from core.extract.name_words import MONTHS, ROLE_WORDS
from core.extract.people import (
    NameSpan,
    find_names,
    shouting,
    word_after,
    word_before,
)

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
    r"^\s*(?:\w+\s+){0,2}?(?:" + "|".join(sorted(ROLE_WORDS)) + r")\b[^.;:!?]{0,40}$"
)


class GazetteerExtractor:
    """Callable mention extractor over the gazetteer (see module docstring)."""

    method = METHOD

    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz
        self._is_place = gaz.entries.__contains__
        self._sequences: dict[str, tuple | bool] = {}  # find_names' per-sequence analyses
        # Keys whose every reading is unflagged and not a month need no per-match checks unless
        # written in capitals: the hot path keeps them as they are.
        # Tie-break rank of each stored reading tuple: towns (-1) lose to countries and orgs (-2).
        self._rank = {id(v): _rank(v) for v in gaz.entries.values()}  # by id: no tuple hash
        self._plain = frozenset(
            k for k, v in gaz.entries.items() if k not in MONTHS and not any(e.flags for e in v)
        )

    def __call__(self, text: str, sentences: Sequence[tuple[int, int, int]]) -> list[dict]:
        """Extract mentions from ``text`` split into ``sentences``.

        Returns: one dict per mention, sorted by ``start_char``, with keys ``sentence,
        start_char, end_char, text, entity, kind, country_code, via``.
        """
        if not text:
            return []
        gaz = self.gaz
        places = self._place_matches(text)
        names = find_names(text, gaz, self._is_place, cache=self._sequences)
        # Candidates in text order, as (start, i, end, -length, -rank, payload); i is unique, so
        # the sort never compares payloads. Ranks: on a tie a cued or curated name (3) beats a
        # country or organisation (2), which beats a later mention of a person named in full
        # earlier ("Cork" after "Dominic Cork", 1.5), which beats a town (1), which beats an
        # uncued name (0).
        rank = self._rank
        cands: list[tuple] = [
            (s, i, e, s - e, rank.get(id(ent)) or _rank(ent), ent)
            for i, (s, e, ent) in enumerate(places)
        ]
        k = len(cands)
        for n in names:
            r = 3.0 if n.strong else 1.5 if n.kind == "person" and n.entity != n.text else 0.0
            cands.append((n.start, k, n.end, n.start - n.end, -r, n))
            k += 1
        cands.sort()
        return self._rows(text, sentences, _settle_overlaps(cands))

    def _place_matches(self, text: str) -> list[tuple[int, int, tuple[Entry, ...]]]:
        """Gazetteer matches that pass the case and ambiguity rules, as (start, end, entries)."""
        entries = self.gaz.entries
        padded = " " + blank_punctuation(text) + " "
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
            if key in plain and not span.isupper():
                out.append((start, end, entries[key]))
                continue
            upper = span.isupper()  # ignores dots and digits: "U.S." is upper
            # Whether the words around are in capitals too (a headline): asked once per match.
            loud = upper and sum(c.isalpha() for c in span) > 1 and shouting(text, start, end)
            keep = tuple(
                e for e in entries[key] if self._accept(text, start, end, span, e, upper, loud)
            )
            # A doubtful reading (a word, a first name) needs a locative cue only when no sure
            # reading shares the key: "London" keeps its Canadian candidate for disambiguation.
            if keep and all(e.flags & WEAK for e in keep):
                keep = tuple(e for e in keep if _cued(text, start, end, e))
            if keep:
                out.append((start, end, keep))
        return out

    def _accept(
        self, text: str, start: int, end: int, span: str, e: Entry, upper: bool, loud: bool
    ) -> bool:
        flags = e.flags
        if flags & UPPER and not upper:
            return False
        if flags & DATELINE:
            after_dot = text[end - 1 : end + 1].count(".") == 1
            return after_dot and text[max(0, start - 4) : start].rstrip().endswith(",")
        if upper:
            n_letters = sum(c.isalpha() for c in span)
            if not flags & UPPER and n_letters <= 3 and e.kind == "place":
                return False  # "GAO", "PA": an acronym, not the town
            if loud and (flags & WEAK or (flags & UPPER and "." not in span)):
                return False
        return not (e.kind == "place" and span.lower() in MONTHS)

    def _rows(self, text: str, sentences, taken) -> list[dict]:
        gaz = self.gaz
        # Country context: how often each country is reached by an unambiguous place or country.
        context: Counter[str] = Counter()
        for _, _, entries in taken:
            if isinstance(entries, NameSpan) or not entries[0].country_code:
                continue
            if len(entries) == 1 or len({x.country_code for x in entries}) == 1:
                context[entries[0].country_code] += 1
        rows: list[dict] = []
        starts = [s[1] for s in sentences]
        # End of the last country row: _person_country looks only PERSON_WINDOW characters back.
        country_end = -(10**9)
        for s, e, payload in taken:
            if not isinstance(payload, NameSpan):
                entry = payload[0] if len(payload) == 1 else _choose(payload, context)
                entity, kind, code = entry.entity, entry.kind, entry.country_code
                via = entry.via if code else None
                if kind == "country" and code:
                    country_end = e
            else:
                entity, kind, code = payload.entity, payload.kind, payload.country_code
                if kind == "person" and code is None and country_end >= s - PERSON_WINDOW:
                    code = _person_country(text, s, rows, gaz)
                via = ("person" if kind == "person" else "org") if code else None
            rows.append(
                {
                    "sentence": (bisect_right(starts, s) or 1) - 1,
                    "start_char": s,
                    "end_char": e,
                    "text": text[s:e],
                    "entity": entity,
                    "kind": kind,
                    "country_code": code,
                    "via": via,
                }
            )
        return rows


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


def _choose(entries: tuple[Entry, ...], context: Counter[str]) -> Entry:
    if len(entries) == 1:
        return entries[0]
    return max(
        entries,
        key=lambda x: x.prior + CONTEXT_BONUS * min(context.get(x.country_code or "", 0), 2),
    )


def _person_country(text: str, start: int, rows: list[dict], gaz: Gazetteer) -> str | None:
    """A person's country where the text says it: "The Russian ambassador to X, Alexander ...".

    The nearest demonym or country name before the name (within 80 characters, no sentence
    break between) that is followed by a role word gives it.
    """
    for row in reversed(rows):
        if row["end_char"] < start - PERSON_WINDOW:
            break
        if row["kind"] != "country" or not row["country_code"]:
            continue
        between = text[row["end_char"] : start]
        if _PERSON_ROLE.match(between.replace("’s", "").replace("'s", "")):
            return row["country_code"]
    return None


def build_extractor() -> GazetteerExtractor:
    """Return the gazetteer mention extractor (the gazetteer is loaded once and cached)."""
    return GazetteerExtractor(load_gazetteer())
