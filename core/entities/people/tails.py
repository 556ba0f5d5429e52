"""One person when one name is the trailing words of another (a step of resolve.py).

A person's two names get two ids when one is the other's tail: the extractor glued a
headline or descriptor word before the name ("Tory Liam Fox" / "Liam Fox", "FIRED Eric
Cantor"), or the copy dropped a first name of a compound surname or a middle-named person
("Peña Nieto" / "Enrique Peña Nieto", "Christian Andersen" / "Hans Christian Andersen").
Their keys (first name, surname) differ, so the variants step cannot see it.

Here a full person name of two or more words (titles aside) that is the trailing words of a
longer person name joins it:

- when every extra leading word is a given name or an initial ("Enrique", "K."), the longer
  name is the person's name and the tail joins it, but only when it is the tail of exactly
  ONE such longer name (two people may share a tail: "F. Kennedy");
- otherwise an extra word is noise (a role, party, adjective or all-caps headline word) and
  the longer name joins the tail, which stays the canonical name.

A word is a given name when gender-guesser knows it as one, unless it is a nationality
(``data/demonyms.csv``: "Argentine" is also a French first name) or the corpus shows it is
not one here: written in capitals, used mostly as a common noun (``generic``), or glued
before two or more other people's names ("Tory Liam Fox", "Tory Michael Howard").
A one-word tail is a lone surname: :mod:`core.entities.people.surnames` handles it.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Mapping
from functools import cache

import pandas as pd

from core.entities.frames import map_unique
from core.entities.names import TITLES, fold, strip_possessive
from core.store import REPO_ROOT

DEMONYMS_CSV = REPO_ROOT / "data" / "demonyms.csv"

NOISE_SHARE = 0.25  # as resolve.py: a word used this often as a common noun is no name
DESCRIPTOR_PEOPLE = 2  # a word glued before this many different people is a descriptor


def fold_name_tails(
    rows: pd.DataFrame, *, generic: Mapping[str, float] | None = None
) -> tuple[pd.DataFrame, frozenset[str]]:
    """Give a person name that is the tail of another person name the id they share.

    ``rows`` has one row per (article, entity, text) with ``entity``, ``entity_id``, ``kind``,
    ``is_bare`` and ``n_mentions``; ``generic`` maps a lower-cased word to the share of its
    corpus uses as a common noun.

    Returns: ``rows`` (a new frame when ids change; one row per input row) with the merged
    ids, and the entity names that must not be the display name of their id (the form with
    a noise word, or the tail of a longer name with a given name).
    """
    person = rows["kind"].eq("person").fillna(False) & ~rows["is_bare"].fillna(False).astype(bool)
    names = rows.loc[person.to_numpy(), ["entity", "entity_id"]].dropna().drop_duplicates()
    id_of = dict(zip(names["entity"], names["entity_id"], strict=True))
    # Only a name whose last word ends some longer name can be a tail: the words of the rest
    # (most names of a large store) are never folded.
    ents = names["entity"].unique()
    last = {e: _last_word(e) for e in ents}
    ends = {last[e] for e in ents if len(e.split()) >= 3 or "-" in e}
    words = {e: _name_words(e) for e in ents if last[e] in ends}
    moves, demote = find_tail_merges(words, id_of, generic=generic or {})
    if not moves:
        return rows, frozenset()
    ent_moves, id_moves = moves["entity"], moves["id"]
    # Only the rows that move are touched: a map over every row costs seconds on 10M rows.
    hit = person.to_numpy() & rows["entity"].isin(ent_moves.keys()).to_numpy()
    hit |= rows["entity_id"].isin(id_moves.keys()).to_numpy()
    sub = rows.loc[hit, ["entity", "entity_id"]]
    moved = sub["entity"].map(ent_moves).astype(object)
    new = moved.where(moved.notna() & person[hit], sub["entity_id"].astype(object))
    ids = rows["entity_id"].copy()
    ids[hit] = map_unique(new, lambda i: _chase(i, id_moves)).to_numpy()
    out = rows.copy(deep=False)  # copy-on-write: only entity_id is new
    out["entity_id"] = ids
    return out, frozenset(demote)


def find_tail_merges(
    words: Mapping[str, list[tuple[str, str]]],
    id_of: Mapping[str, str],
    *,
    generic: Mapping[str, float],
) -> tuple[dict[str, dict[str, str]], set[str]]:
    """The merges of :func:`fold_name_tails` from each person name's (folded, written) words.

    Returns: ``{"entity": name → id, "id": id → id}`` (empty when nothing merges) and the
    entity names to keep out of the display.
    """
    folded = {e: tuple(f for f, _ in ws) for e, ws in words.items() if len(ws) >= 2}
    whole = {f: id_of[e] for e, f in folded.items()}
    # Every proper tail of two or more words of every longer name: tail → [(entity, k)].
    tails: dict[tuple[str, ...], list[tuple[str, int]]] = defaultdict(list)
    for e, f in folded.items():
        for k in range(1, len(f) - 1):
            tails[f[k:]].append((e, k))
    descriptors = _descriptors(folded, whole)
    entity_moves: dict[str, str] = {}
    targets: dict[str, set[str]] = defaultdict(set)
    demote: set[str] = set()
    for short, f in folded.items():
        sid = id_of[short]
        given: set[str] = set()
        for long_, k in tails.get(f, ()):
            lid = id_of[long_]
            if lid == sid:
                continue
            extra = words[long_][:k]
            if all(_is_given(fw, w, generic, descriptors) for fw, w in extra):
                given.add(lid)
            else:
                entity_moves[long_] = sid
                demote.add(long_)
        if len(given) == 1:
            targets[sid].update(given)
        elif given:
            targets[sid].add("")  # two longer people share this tail: it stays apart
    # A tail id that two of its names would give to different people stays apart too.
    id_moves = {s: next(iter(t)) for s, t in targets.items() if len(t) == 1 and "" not in t}
    demote.update(e for e, i in id_of.items() if i in id_moves)
    if not entity_moves and not id_moves:
        return {}, set()
    return {"entity": entity_moves, "id": id_moves}, demote


def _descriptors(
    folded: Mapping[str, tuple[str, ...]], whole: Mapping[tuple[str, ...], str]
) -> set[str]:
    """Words written before two or more different people's full names ("Tory")."""
    glued: dict[str, set[str]] = defaultdict(set)
    for f in folded.values():
        if len(f) >= 3 and f[1:] in whole:
            glued[f[0]].add(whole[f[1:]])
    return {w for w, ids in glued.items() if len(ids) >= DESCRIPTOR_PEOPLE}


def _is_given(
    folded: str, written: str, generic: Mapping[str, float], descriptors: set[str]
) -> bool:
    """True when a leading word is a given name or an initial (see the module docstring)."""
    letters = [c for c in written if c.isalpha()]
    if len(folded) == 1:
        return True  # an initial: "K." / "K"
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return False  # "FIRED", "DJ", "MP"
    if generic.get(folded, 0.0) >= NOISE_SHARE or folded in descriptors:
        return False
    if folded in _demonyms():
        return False
    return _known_given(folded)


@cache
def _demonyms() -> frozenset[str]:
    """Nationality words, folded ("argentine", "briton")."""
    with DEMONYMS_CSV.open(encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return frozenset(fold(r["demonym"]) for r in rows)


@cache
def _known_given(word: str) -> bool:
    det = _detector()
    return det is not None and det.get_gender(word) != "unknown"


@cache
def _detector():
    try:
        import gender_guesser.detector as gg
    except ImportError:  # without the list no word is known as a name: all extras are noise
        return None
    return gg.Detector(case_sensitive=False)


def _last_word(entity: str) -> str:
    """The folded last word of a name ("Peña Nieto's" → "nieto")."""
    words = fold(entity.rsplit(None, 1)[-1]).split()
    return words[-1] if words else ""


def _name_words(entity: str) -> list[tuple[str, str]]:
    """(folded, written) words of a person's name, without leading titles ("Mr", "Sen.")."""
    out = [(f, tok) for tok in strip_possessive(entity).split() for f in fold(tok).split()]
    while len(out) > 1 and out[0][0] in TITLES:
        out = out[1:]
    return out


def _chase(entity_id: object, moves: Mapping[str, str]) -> object:
    """Where ``entity_id`` ends after following ``moves`` (a chain, never a loop)."""
    seen = set()
    while isinstance(entity_id, str) and entity_id in moves and entity_id not in seen:
        seen.add(entity_id)
        entity_id = moves[entity_id]
    return entity_id
