"""Step 1 of the resolution: one id per entity name, by the key of the name (resolve.py).

People are grouped by first name, surname and generation (:mod:`core.entities.names`);
contradicting middle initials split a key, misspelt first names join the usual spelling, and a
"Jr" joins the plain name unless some article names both. Anything else by its folded name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from core.entities.names import PersonName, fold, parse_person, slug

GENERATION_ID = re.compile(r"-(?:jr|sr)(?=$|-)")


def entity_names(pairs: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct entity name: its majority kind, mentions and (for people) parts."""
    by_kind = pairs.groupby(["entity", "kind"], sort=False, observed=True)["n_mentions"].sum()
    by_kind = by_kind.reset_index().sort_values(
        ["entity", "n_mentions", "kind"], ascending=[True, False, True], kind="stable"
    )
    names = by_kind.groupby("entity", sort=False).agg(
        kind=("kind", "first"), n_mentions=("n_mentions", "sum")
    )
    names = names.reset_index()
    is_person = (names["kind"] == "person").to_numpy()
    parsed: list[PersonName | None] = [
        parse_person(e) if p else None for e, p in zip(names["entity"], is_person, strict=True)
    ]
    names["first"] = [p.first if p else "" for p in parsed]
    names["middle"] = [p.middle if p else "" for p in parsed]
    names["person_last"] = [p.last if p else "" for p in parsed]
    names["key"] = [
        (p.key if p.first else "") if p else fold(e)
        for p, e in zip(parsed, names["entity"], strict=True)
    ]
    names["is_bare"] = [bool(p and not p.first and p.last) for p in parsed]
    names["person"] = is_person
    return names


# What follows an organisation's name to name one of its own outlets: a section ("News",
# "Sport", "Online", "website"), a service, or a channel or station ("One", "Radio 4", "Radio
# Five Live", "Channel 5"). Products ("Google Maps") and branches named by a place ("BBC
# Scotland", "AOL Europe") are not outlets.
_SECTION = (
    r"(?:news|online|sports?|tv|television|website|world service|"
    r"(?:radio|channel)(?: (?:\d{1,2}|one|two|three|four|five)(?: live)?)?|"
    r"(?:one|two|three|four|five)(?: live)?)"
)
_OUTLET = re.compile(rf"{_SECTION}(?: {_SECTION})*")


def outlet_parent(key: str, org_keys: set[str]) -> str:
    """The key of the organisation whose outlet ``key`` names ("bbc news online" -> "bbc"),
    when that organisation is named in the corpus too; else ``key``.

    An analyst counts the organisation: "told BBC News", "told BBC Radio 4", "BBC One" and
    "the BBC" are all the BBC speaking (the extractor itself already gives "BBC" for "BBC
    One" and "BBC Sport"), and "ABC News" is ABC.
    """
    words = key.split(" ")
    for cut in range(1, len(words)):
        parent = " ".join(words[:cut])
        if parent in org_keys and _OUTLET.fullmatch(" ".join(words[cut:])):
            return parent
    return key


def group_names(
    names: pd.DataFrame, *, dominant_share: float, acronyms: Mapping[str, str]
) -> pd.DataFrame:
    """Give each entity name a group id: ``kind:slug`` of its key (people by key and initial)."""
    ids: dict[str, str] = {}
    names = _fold_misspelt_first_names(names)
    people = names[names["person"] & ~names["is_bare"] & (names["key"] != "")]
    # Only a key whose names carry two different middle initials can split (see below).
    n_middles = people[people["middle"] != ""].groupby("key")["middle"].nunique()
    split = people["key"].isin(n_middles.index[n_middles > 1])
    for e, k in zip(people.loc[~split, "entity"], people.loc[~split, "key"], strict=True):
        ids[e] = "person:" + slug(k)
    for key, grp in people[split].groupby("key", sort=False):
        ids.update(_split_by_middle(key, grp, dominant_share=dominant_share))
    others = names[~names["person"]]
    org_keys = set(others.loc[others["kind"] == "org", "key"])
    for e, k, kind in zip(others["entity"], others["key"], others["kind"], strict=True):
        # An organisation named in the plural and in the singular is one ("Liberal Democrats"
        # / "Liberal Democrat", "Rangers" / "Ranger"): the plural's key names both.
        if kind == "org" and k and k + "s" in org_keys:
            k = k + "s"
        elif kind == "org" and " " in k:
            k = outlet_parent(k, org_keys)
        ids[e] = "entity:" + (slug(k) if k else slug(e))
    person = set(names.loc[names["person"], "entity"])
    for short, full in acronyms.items():
        if short in ids and full in ids and short not in person and full not in person:
            ids[short] = ids[full]
    out = names.copy()
    out["entity_id"] = out["entity"].map(ids)
    # Non-person groups take the majority kind of their members.
    kinds = (
        out[out["entity_id"].notna()]
        .groupby(["entity_id", "kind"])["n_mentions"]
        .sum()
        .reset_index()
        .sort_values(["entity_id", "n_mentions", "kind"], ascending=[True, False, True])
        .drop_duplicates("entity_id")
        .set_index("entity_id")["kind"]
    )
    has_id = out["entity_id"].notna()
    out.loc[has_id, "kind"] = out.loc[has_id, "entity_id"].map(kinds)
    out["entity_id"] = [_kinded(i, k) for i, k in zip(out["entity_id"], out["kind"], strict=True)]
    return out


def _fold_misspelt_first_names(names: pd.DataFrame) -> pd.DataFrame:
    """A first name one letter off a more mentioned one of the same surname is a misspelling
    ("Vincente Fox" / "Vicente Fox"): long names only (5+ letters), same initial."""
    people = names[names["person"] & (names["first"].str.len() >= 5)]
    if people.empty:
        return names
    last_word = people["person_last"].str.split().str[-1]
    weight = people.groupby([last_word, "first"])["n_mentions"].sum()
    remap: dict[tuple[str, str], str] = {}
    for last, grp in weight.groupby(level=0):
        firsts = {f: int(n) for (_l, f), n in grp.items()}
        for f, n in firsts.items():
            better = [
                (m, g) for g, m in firsts.items() if m > n and g[0] == f[0] and _one_edit(f, g)
            ]
            if better:
                remap[(last, f)] = max(better)[1]
    if not remap:
        return names
    out = names.copy()
    rows = out["person"] & (out["first"].str.len() >= 5)
    for i in out.index[rows]:
        last = out.at[i, "person_last"].split()[-1]
        new = remap.get((last, out.at[i, "first"]))
        if new:
            out.at[i, "key"] = out.at[i, "key"].replace(out.at[i, "first"], new, 1)
            out.at[i, "first"] = new
    return out


def _one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by one inserted, deleted or replaced letter."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
    return short[i:] == long_[i + 1 :]


def _kinded(entity_id: object, kind: str) -> object:
    if not isinstance(entity_id, str):
        return None
    return (
        entity_id.replace("entity:", f"{kind}:", 1)
        if entity_id.startswith("entity:")
        else entity_id
    )


def _split_by_middle(key: str, grp: pd.DataFrame, *, dominant_share: float) -> dict[str, str]:
    """Ids of the names of one person key; contradicting middle initials split it."""
    base = "person:" + slug(key)
    middles = grp[grp["middle"] != ""].groupby("middle")["n_mentions"].sum()
    # Two initials contradict when neither is a prefix of the other ("w" / "hw").
    heads = sorted(middles.index, key=len)
    roots: list[str] = []
    for m in heads:
        if not any(m.startswith(r) or r.startswith(m) for r in roots):
            roots.append(m)
    if len(roots) <= 1:
        return dict.fromkeys(grp["entity"], base)
    weight = {r: sum(n for m, n in middles.items() if m.startswith(r)) for r in roots}
    total = sum(weight.values())
    top = max(roots, key=lambda r: (weight[r], r))
    out: dict[str, str] = {}
    for e, m in zip(grp["entity"], grp["middle"], strict=True):
        if m:
            root = next(r for r in roots if m.startswith(r) or r.startswith(m))
            out[e] = f"{base}-{root}"
        else:
            out[e] = f"{base}-{top}" if weight[top] >= dominant_share * total else base
    return out


def fold_generations(rows: pd.DataFrame) -> pd.DataFrame:
    """ "X Jr" is X unless some article names both: a father and a son in one story are two
    people (Donald Trump / Donald Trump Jr), a "Jr" alone is house style (Roger J. Stone Jr)."""
    # On the distinct ids: a regex and a set over every row cost a copy of the column.
    present = {i for i in rows["entity_id"].unique() if isinstance(i, str)}
    gen = [g for g in present if GENERATION_ID.search(g)]
    if len(gen) == 0:
        return rows
    # Article sets of the "Jr" ids and their bases only: one set per id of the whole corpus
    # would hold every row's article id as a Python string (gigabytes on a million articles).
    wanted = set(gen) | {GENERATION_ID.sub("", g) for g in gen}
    full = rows[
        rows["entity_id"].isin(wanted).to_numpy()
        & ~rows["is_bare"].fillna(False).astype(bool).to_numpy()
    ]
    by_article = full.groupby("entity_id")["article_id"].agg(set)
    fold_to = {}
    for g in gen:
        base = GENERATION_ID.sub("", g)
        if base in present and not (by_article.get(g, set()) & by_article.get(base, set())):
            fold_to[g] = base
    if fold_to:
        rows = rows.copy(deep=False)  # copy-on-write: only the replaced column is new
        rows["entity_id"] = rows["entity_id"].replace(fold_to)
    return rows
