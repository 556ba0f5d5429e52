"""Corpus-level resolution: every (article, entity, text) of the mentions to one canonical entity.

Input is the mentions table reduced to its distinct (article_id, entity, text) rows with their
kind, mention count and the article's publication date (:func:`core.entities.store`
reads it). The extractor has already tied a bare surname to a full name written in the same
article when it could ("Trump" → "Donald Trump"); what it cannot see is the rest of the corpus.
Here, in order:

1. **Variants.** Entity names with one key fold into one entity (:mod:`core.entities.names`):
   a person by first name, surname and generation, whatever the middle names, titles,
   possessives, diacritics, hyphens or first-name short form; anything else by its folded name.
   An organisation's own outlet ("BBC News", "BBC Radio 4") is the organisation when the corpus
   names it too. When one (first name, surname) carries middle initials that contradict each
   other (George W. / George H. W. Bush) each initial is its own person, and the bare form joins
   the one that holds at least ``DOMINANT_SHARE`` of them.
   A full name that is the trailing words of one other person name is that person
   (:mod:`core.entities.people.tails`): "Peña Nieto" is Enrique Peña Nieto, "Tory Liam Fox" is
   Liam Fox.
2. **Lone surnames** ("Pelosi", "Mr Romney") go to the full name with that surname in the same
   article (the most mentioned when there are several, if one is), else to the full name that
   dominates the corpus around the article's date (``WINDOW_MONTHS`` either side; the whole corpus
   when the window has none; undated articles look at the whole corpus): at least
   ``DOMINANT_SHARE`` of the articles naming someone of that surname, and at least two.
   A bearer named only in other articles takes the surname only with the article's support
   (:mod:`core.entities.people.evidence`: the full name in its text, an office title, a shared
   specific entity). Otherwise the surname stays an entity of its own. A title before the
   surname rules out the bearers it does not fit ("Mrs. Clinton", "President Trump" beside
   "Donald Trump Jr": :mod:`core.entities.people.titles`), and a word the corpus mostly writes
   inside other names ("Fox" of Fox News) is not given to a person by the corpus alone.
   An acronym the corpus defines anywhere ("the Federal Bureau of Investigation (FBI)") is
   the organisation it abbreviates in every article (``acronyms``).
3. **Noise.** A one-word name that did not resolve to a full name is flagged as noise when the
   corpus mostly uses the word as a common noun (``generic`` shares, see
   :mod:`core.entities.noise`): "TV", "PC"; and a one-word "person" that mostly follows
   another capitalised word is the tail of a longer name ("Defense Department").

Every row records ``resolved_by``: exact, variant, surname-in-article, surname-in-corpus
(``user`` is added by the corrections, :mod:`core.entities.rules`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from core.entities.frames import map_unique
from core.entities.names import TITLES, fold, is_bare_text, strip_possessive
from core.entities.people.surnames import resolve_bare
from core.entities.people.tails import fold_name_tails
from core.entities.variants import entity_names, fold_generations, group_names

DOMINANT_SHARE = 0.75
WINDOW_MONTHS = 3
NOISE_SHARE = 0.25
FRAGMENT_SHARE = 0.5
PAIR_COLUMNS = ("article_id", "entity", "text", "kind", "n_mentions", "published")


def resolve_pairs(
    pairs: pd.DataFrame,
    *,
    generic: Mapping[str, float] | None = None,
    acronyms: Mapping[str, str] | None = None,
    fragments: Mapping[str, float] | None = None,
    titles: pd.DataFrame | None = None,
    texts: Callable[[Sequence[str]], Mapping[str, str]] | None = None,
    dominant_share: float = DOMINANT_SHARE,
    window_months: int = WINDOW_MONTHS,
) -> pd.DataFrame:
    """Resolve distinct mention rows to canonical entities (see the module docstring).

    ``pairs`` has one row per (article_id, entity, text) with ``kind``, ``n_mentions`` and the
    article's ``published`` date. ``generic`` maps a lower-cased word to the share of its
    corpus occurrences used as a common noun. ``acronyms`` maps an acronym as extracted to
    the name it abbreviates where the corpus defines it ("Federal Bureau of Investigation
    (FBI)"): the two are one entity in every article. ``fragments`` maps a one-word person
    name as extracted to the share of its mentions that follow a capitalised word other than
    a title: the tail of a longer name ("Defense Department"), not a person. ``titles`` counts
    the titles written before people's mentions
    (:func:`core.entities.people.titles.read_person_titles`: article_id, entity, text, title,
    n): a lone surname goes only to a bearer they fit. ``texts`` reads article texts by
    article_id (id -> text), asked only for the few articles where a surname would go to a
    bearer named elsewhere (:mod:`core.entities.people.evidence`).

    Returns: one row per input row: article_id, entity, text, entity_id, name, kind,
    resolved_by, status (``kept`` or ``noise``), n_mentions (the ``entity_resolution`` table
    before the user's corrections).
    """
    cols = ["article_id", "entity", "text", "entity_id", "name", "kind", "resolved_by", "status"]
    if pairs.empty:
        out = pd.DataFrame({c: pd.Series([], dtype="string") for c in cols})
        return out.assign(n_mentions=pd.Series([], dtype="Int64"))
    pairs = pairs.reset_index(drop=True)
    names = entity_names(pairs)
    groups = group_names(names, dominant_share=dominant_share, acronyms=acronyms or {})
    # Articles as integer codes while resolving (a bijection: every group and join is the
    # same), their ids put back at the end: each intermediate table holds 4 bytes per row
    # instead of the id's string (issue 15).
    codes, uniques = pd.factorize(pairs["article_id"])
    rows = _with_groups(pairs.assign(article_id=codes.astype(np.int32)), groups)
    rows["resolved_by"] = ""
    rows = fold_generations(rows)
    rows, not_shown = fold_name_tails(rows, generic=generic)
    if titles is not None and not titles.empty:
        at = pd.Index(uniques).get_indexer(titles["article_id"])
        titles = titles[at >= 0].assign(article_id=at[at >= 0].astype(np.int32))
    rows = resolve_bare(
        rows,
        groups,
        dominant_share=dominant_share,
        window_months=window_months,
        titles=titles,
        texts=None if texts is None else _by_code(texts, uniques),
    )
    display = _display_names(rows, groups, not_shown=not_shown)
    rows["name"] = rows["entity_id"].map(display)
    variant = map_unique(rows["entity"], strip_possessive) != rows["name"]
    text_bare = _text_is_bare(rows)
    # Choices as codes, not strings: np.select over strings makes object arrays of every row.
    choice = np.select(
        [(rows["resolved_by"] != "").to_numpy(), text_bare, variant.to_numpy()], [0, 1, 2], 3
    )
    by = pd.Categorical.from_codes(choice, ["", "surname-in-article", "variant", "exact"])
    rows["resolved_by"] = (
        pd.Series(by, index=rows.index).astype("string").where(choice != 0, rows["resolved_by"])
    )
    rows["status"] = "kept"
    if generic or fragments:
        rows.loc[_is_noise(rows, generic or {}, fragments or {}), "status"] = "noise"
    rows["n_mentions"] = rows["n_mentions"].astype("Int64")
    rows["article_id"] = pairs["article_id"]
    out = rows[cols + ["n_mentions"]]
    return out.astype({c: "string" for c in cols}).reset_index(drop=True)


def _by_code(
    texts: Callable[[Sequence[str]], Mapping[str, str]], ids: np.ndarray
) -> Callable[[Sequence[int]], Mapping[int, str]]:
    """``texts`` (by article_id) as a reader by the resolution's article codes."""

    def read(codes: Sequence[int]) -> Mapping[int, str]:
        found = texts([str(ids[c]) for c in codes])
        return {c: found.get(str(ids[c]), "") for c in codes}

    return read


def _with_groups(pairs: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """``pairs`` with each entity name's group columns (a left join on ``entity``, by position:
    a merge would copy every pairs column too)."""
    pos = pd.Index(groups["entity"]).get_indexer(pairs["entity"])
    cols = ["article_id", "entity", "text", "n_mentions", "published"]
    rows = pairs[cols].reset_index(drop=True)
    found = pos >= 0
    for col in ("entity_id", "kind", "person_last", "is_bare"):
        values = groups[col].iloc[np.where(found, pos, 0)].reset_index(drop=True)
        rows[col] = values.where(found) if not found.all() else values
    return rows


# -- step 3: names and flags ------------------------------------------------------------------


def _display_names(
    rows: pd.DataFrame, groups: pd.DataFrame, *, not_shown: frozenset[str] = frozenset()
) -> dict[str, str]:
    """entity_id → its most mentioned written form (full names before lone surnames; the
    forms in ``not_shown`` only when nothing else is written)."""
    # Titles are stripped from people's names only: "Justice Department", "General Motors" and
    # "President's Choice" keep their first word.
    is_person = (rows["kind"] == "person").fillna(False).to_numpy(dtype=bool)
    clean = map_unique(rows["entity"], _clean_display).where(is_person, rows["entity"])
    clean = map_unique(clean, strip_possessive)
    is_full = ~rows["is_bare"].fillna(False).astype(bool)
    # A tail folded into a longer name, or a form with a glued noise word (:mod:`tails`),
    # is not the person's name however often it is written.
    if not_shown:
        is_full &= ~rows["entity"].isin(not_shown)
    frame = pd.DataFrame(
        {"entity_id": rows["entity_id"], "name": clean, "full": is_full, "n": rows["n_mentions"]}
    )
    agg = frame.groupby(["entity_id", "name", "full"], sort=False)["n"].sum().reset_index()
    agg["len"] = agg["name"].str.len()
    agg = agg.sort_values(
        ["entity_id", "full", "n", "len", "name"], ascending=[True, False, False, True, True]
    )
    return dict(agg.drop_duplicates("entity_id")[["entity_id", "name"]].to_numpy())


def _clean_display(entity: str) -> str:
    """The written name without possessive and leading titles ("Mr Trump's" → "Trump")."""
    words = strip_possessive(entity).split()
    while len(words) > 1 and words[0].lower().rstrip(".") in TITLES:
        words = words[1:]
    return " ".join(words)


def _text_is_bare(rows: pd.DataFrame) -> np.ndarray:
    """True where a full name's row was written as a lone surname ("Trump" for Donald Trump):
    the extractor tied it to the full name in the same article."""
    full = rows["person_last"].fillna("").ne("") & ~rows["is_bare"].fillna(False).astype(bool)
    bare_text = map_unique(rows["text"], is_bare_text).astype(bool)
    return (full & bare_text).to_numpy()


def _is_noise(
    rows: pd.DataFrame, generic: Mapping[str, float], fragments: Mapping[str, float]
) -> pd.Series:
    """One-word names (that resolved to no full name) the corpus mostly uses as common nouns,
    and one-word "people" that are mostly the tail of a longer capitalised name."""
    one_word = ~rows["name"].str.contains(" ", regex=False)
    word = map_unique(rows["name"], fold)
    common = word.map(lambda w: generic.get(w, 0.0)) >= NOISE_SHARE
    tail = rows["entity"].map(lambda e: fragments.get(e, 0.0)) >= FRAGMENT_SHARE
    return one_word & (
        (common & rows["kind"].isin(["person", "org"])) | (tail & (rows["kind"] == "person"))
    )
