"""The default mention extractor: countries, places, people and organisations, no model, no server.

One Aho-Corasick pass over the folded text finds every gazetteer name at word boundaries
(``core.extract.gazetteer``); cheap filters apply the case and ambiguity rules ("US" not "us";
"Police", "Reading", "Nice" only after a locative cue; months are never places); a regex pass over
capitalised sequences finds people and organisations (``core.extract.people``); overlaps are
settled longest-first; and an ambiguous place takes the referent whose country the rest of the
article supports (London → GBR unless the article is about Canada).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from core.extract.gazetteer import FIRST_NAME, UPPER, WEAK, Entry, Gazetteer, fold, load_gazetteer
from core.extract.people import MONTHS, ROLE_WORDS, find_names
from core.text import sentence_index

METHOD = "gazetteer/1"
LOCATIVE = frozenset(
    """in at near from to outside inside into towards toward across around via of""".split()
)
_PREV_WORD = re.compile(r"([A-Za-z]+)[ ]*$")
_NEXT_WORD = re.compile(r"^[ ]*([A-Za-z]\w*)")
# Per mention of its country elsewhere in the article, an ambiguous place's candidate gains this
# much (priors are log10 population, +2 for a capital, 10 for a country): two mentions of Canada
# outweigh London's 20x population advantage; one does not.
CONTEXT_BONUS = 2.5
# Role words after a demonym that make the demonym the country of the name that follows.
_PERSON_ROLE = re.compile(
    r"^\s*(?:\w+\s+){0,2}?(?:" + "|".join(sorted(ROLE_WORDS)) + r")\b[^.;:!?]{0,40}$"
)


class GazetteerExtractor:
    """Callable mention extractor over the gazetteer (see module docstring)."""

    method = METHOD

    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz

    def __call__(self, text: str, sentences: Sequence[tuple[int, int, int]]) -> list[dict]:
        """Extract mentions from ``text`` split into ``sentences``.

        Returns: one dict per mention, sorted by ``start_char``, with keys ``sentence,
        start_char, end_char, text, entity, kind, country_code, via``.
        """
        if not text:
            return []
        gaz = self.gaz
        places = self._place_matches(text)
        names = find_names(text, gaz, lambda key: key in gaz.entries)
        # (start, end, rank, payload): longer spans first, then strong names, then gazetteer.
        cands: list[tuple[int, int, int, object]] = []
        for s, e, entries in places:
            cands.append((s, e, 1, entries))
        for n in names:
            cands.append((n.start, n.end, 2 if n.strong else 0, n))
        cands.sort(key=lambda c: (-(c[1] - c[0]), -c[2], c[0]))
        taken: list[tuple[int, int, int, object]] = []
        occupied = bytearray(len(text) + 1)
        for c in cands:
            s, e = c[0], c[1]
            if any(occupied[s:e]):
                continue
            occupied[s:e] = b"\x01" * (e - s)
            taken.append(c)
        taken.sort(key=lambda c: c[0])
        return self._rows(text, sentences, taken)

    def _place_matches(self, text: str) -> list[tuple[int, int, tuple[Entry, ...]]]:
        """Gazetteer matches that pass the case and ambiguity rules, as (start, end, entries)."""
        gaz = self.gaz
        folded = " " + fold(text) + " "
        out = []
        for idx, key in gaz.automaton.iter(folded):
            start = idx - len(key) - 1
            end = start + len(key)
            span = text[start:end]
            if not span[:1].isupper():
                continue
            keep = tuple(e for e in gaz.entries[key] if self._accept(text, start, end, span, e))
            if keep:
                out.append((start, end, keep))
        return out

    def _accept(self, text: str, start: int, end: int, span: str, e: Entry) -> bool:
        letters = [c for c in span if c.isalpha()]
        if e.flags & UPPER and not all(c.isupper() for c in letters):
            return False
        shouting = span.isupper() and len(letters) > 1 and _shouting(text, start, end)
        if shouting and (e.flags & (WEAK | FIRST_NAME) or (e.flags & UPPER and "." not in span)):
            return False
        if e.kind == "place" and span.lower() in MONTHS:
            return False
        if e.flags & WEAK:
            prev = _PREV_WORD.search(text, max(0, start - 20), start)
            if not prev or prev.group(1).lower() not in LOCATIVE:
                return False
            nxt = _NEXT_WORD.match(text[end : end + 30])
            if e.flags & FIRST_NAME and nxt and nxt.group(1)[0].isupper():
                return False
        return True

    def _rows(self, text: str, sentences, taken) -> list[dict]:
        gaz = self.gaz
        # Country context: how often each country is reached by an unambiguous place or country.
        context: Counter[str] = Counter()
        for c in taken:
            if c[2] == 1 and len({e.country_code for e in c[3]}) == 1 and c[3][0].country_code:
                context[c[3][0].country_code] += 1
        rows: list[dict] = []
        sents = list(sentences)
        for s, e, rank, payload in taken:
            if rank == 1:
                entry = _choose(payload, context)
                entity, kind, code = entry.entity, entry.kind, entry.country_code
                via = entry.via if code else None
            else:
                entity, kind, code = payload.entity, payload.kind, payload.country_code
                if kind == "person" and code is None:
                    code = _person_country(text, s, rows, gaz)
                via = ("person" if kind == "person" else "org") if code else None
            rows.append(
                {
                    "sentence": sentence_index(sents, s) if sents else 0,
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


def _shouting(text: str, start: int, end: int) -> bool:
    """True when a neighbouring word is also in capitals (a headline), so case says nothing."""
    prev = _PREV_WORD.search(text, max(0, start - 30), start)
    nxt = _NEXT_WORD.match(text[end : end + 30])
    return any(m and len(m.group(1)) > 1 and m.group(1).isupper() for m in (prev, nxt))


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
        if row["end_char"] < start - 80:
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
