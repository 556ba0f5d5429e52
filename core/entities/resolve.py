"""Corpus-level resolution: every (article, entity, text) of the mentions to one canonical entity.

Input is the mentions table reduced to its distinct (article_id, entity, text) rows with their
kind, mention count and the article's publication date (:func:`core.entities.store`
reads it). The extractor has already tied a bare surname to a full name written in the same
article when it could ("Trump" → "Donald Trump"); what it cannot see is the rest of the corpus.
Here, in order:

1. **Variants.** Entity names with one key fold into one entity (:mod:`core.entities.names`):
   a person by first name, surname and generation, whatever the middle names, titles,
   possessives, diacritics, hyphens or first-name short form; anything else by its folded name.
   When one (first name, surname) carries middle initials that contradict each other (George W. /
   George H. W. Bush) each initial is its own person, and the bare form joins the one that holds
   at least ``DOMINANT_SHARE`` of them.
2. **Lone surnames** ("Pelosi", "Mr Romney") go to the full name with that surname in the same
   article (the most mentioned when there are several, if one is), else to the full name that
   dominates the corpus around the article's date (``WINDOW_MONTHS`` either side; the whole corpus
   when the window has none; undated articles look at the whole corpus): at least
   ``DOMINANT_SHARE`` of the articles naming someone of that surname, and at least two.
   Otherwise the surname stays an entity of its own.
   An acronym the corpus defines anywhere ("the Federal Bureau of Investigation (FBI)") is
   the organisation it abbreviates in every article (``acronyms``).
3. **Noise.** A one-word name that did not resolve to a full name is flagged as noise when the
   corpus mostly uses the word as a common noun (``generic`` shares, see
   :mod:`core.entities.noise`): "Department", "TV", "PC".

Every row records ``resolved_by``: exact, variant, surname-in-article, surname-in-corpus
(``user`` is added by the corrections, :mod:`core.entities.rules`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

import numpy as np
import pandas as pd

from core.entities.names import (
    TITLES,
    PersonName,
    fold,
    parse_person,
    slug,
    strip_possessive,
    surname_keys,
)

DOMINANT_SHARE = 0.75
WINDOW_MONTHS = 3
NOISE_SHARE = 0.25
_GENERATION_ID = re.compile(r"-(?:jr|sr)(?=$|-)")
PAIR_COLUMNS = ("article_id", "entity", "text", "kind", "n_mentions", "published")


def resolve_pairs(
    pairs: pd.DataFrame,
    *,
    generic: Mapping[str, float] | None = None,
    acronyms: Mapping[str, str] | None = None,
    dominant_share: float = DOMINANT_SHARE,
    window_months: int = WINDOW_MONTHS,
) -> pd.DataFrame:
    """Resolve distinct mention rows to canonical entities (see the module docstring).

    ``pairs`` has one row per (article_id, entity, text) with ``kind``, ``n_mentions`` and the
    article's ``published`` date. ``generic`` maps a lower-cased word to the share of its
    corpus occurrences used as a common noun. ``acronyms`` maps an acronym as extracted to
    the name it abbreviates where the corpus defines it ("Federal Bureau of Investigation
    (FBI)"): the two are one entity in every article.

    Returns: one row per input row: article_id, entity, text, entity_id, name, kind,
    resolved_by, status (``kept`` or ``noise``), n_mentions (the ``entity_resolution`` table
    before the user's corrections).
    """
    cols = ["article_id", "entity", "text", "entity_id", "name", "kind", "resolved_by", "status"]
    if pairs.empty:
        out = pd.DataFrame({c: pd.Series([], dtype="string") for c in cols})
        return out.assign(n_mentions=pd.Series([], dtype="Int64"))
    pairs = pairs.reset_index(drop=True)
    names = _entity_names(pairs)
    groups = _group_names(names, dominant_share=dominant_share, acronyms=acronyms or {})
    rows = pairs[["article_id", "entity", "text", "n_mentions", "published"]].merge(
        groups[["entity", "entity_id", "kind", "person_last", "is_bare"]], on="entity", how="left"
    )
    rows["resolved_by"] = ""
    rows = _fold_generations(rows)
    rows = _resolve_bare(rows, groups, dominant_share=dominant_share, window_months=window_months)
    display = _display_names(rows, groups)
    rows["name"] = rows["entity_id"].map(display)
    variant = _map_unique(rows["entity"], strip_possessive) != rows["name"]
    text_bare = _text_is_bare(rows)
    rows["resolved_by"] = np.select(
        [rows["resolved_by"] != "", text_bare, variant],
        [rows["resolved_by"], "surname-in-article", "variant"],
        "exact",
    )
    rows["status"] = "kept"
    if generic:
        rows.loc[_is_noise(rows, generic), "status"] = "noise"
    rows["n_mentions"] = rows["n_mentions"].astype("Int64")
    out = rows[cols + ["n_mentions"]]
    return out.astype({c: "string" for c in cols}).reset_index(drop=True)


# -- step 1: one key per entity name ----------------------------------------------------------


def _entity_names(pairs: pd.DataFrame) -> pd.DataFrame:
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


def _group_names(
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
    for e, k in zip(others["entity"], others["key"], strict=True):
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


# -- step 2: lone surnames --------------------------------------------------------------------


def _resolve_bare(
    rows: pd.DataFrame, groups: pd.DataFrame, *, dominant_share: float, window_months: int
) -> pd.DataFrame:
    """Give bare-surname rows the id of the full name they refer to (or their own id)."""
    rows = rows.copy()
    bare = rows["is_bare"].fillna(False).astype(bool).to_numpy()
    full = (~bare) & rows["person_last"].fillna("").ne("").to_numpy()
    # Full names by surname key: (article_id, last, entity_id, n) in each article.
    full_rows = rows.loc[full, ["article_id", "entity", "entity_id", "n_mentions", "published"]]
    last_of = _surname_keys_of(groups)
    fr = full_rows.assign(last=full_rows["entity"].map(last_of)).explode("last")
    if fr.empty:
        return _own_ids(rows, bare)
    if bare.any():  # in the article: the one candidate, or the one mentioned most
        in_art = (
            fr.groupby(["article_id", "last", "entity_id"], sort=False)["n_mentions"]
            .sum()
            .reset_index()
        )
        b = rows.loc[bare, ["article_id", "person_last"]].reset_index()
        hit = b.merge(
            in_art, left_on=["article_id", "person_last"], right_on=["article_id", "last"]
        )
        chosen = _unique_top(hit, "index", "n_mentions", share=0.0)
        idx = chosen.index.to_numpy()
        rows.loc[idx, "entity_id"] = chosen.to_numpy()
        rows.loc[idx, "resolved_by"] = "surname-in-article"
    # Across the corpus: articles naming each full name, by month.
    left = bare & rows["resolved_by"].eq("").to_numpy()
    if left.any():
        picked = _corpus_choice(
            rows.loc[left], fr, dominant_share=dominant_share, window_months=window_months
        )
        rows.loc[picked.index, "entity_id"] = picked.to_numpy()
        rows.loc[picked.index, "resolved_by"] = "surname-in-corpus"
    rows = _relink_passing_names(
        rows, fr, full, dominant_share=dominant_share, window_months=window_months
    )
    return _own_ids(rows, bare)


def _relink_passing_names(
    rows: pd.DataFrame,
    fr: pd.DataFrame,
    full: np.ndarray,
    *,
    dominant_share: float,
    window_months: int,
) -> pd.DataFrame:
    """Undo the extractor's in-article link of a recurring surname to a name written once.

    News copy names a relative or a passing figure once in full ("Melania Trump") while the
    surname alone keeps meaning the famous bearer who needs no introduction ("Mr. Trump"). So
    when the full name is written at most once, its surname at least twice, and the corpus
    around that date is dominated by another bearer of the surname (another first name, not
    the same name with another generation), the surname goes to them.
    """
    linked = full & _map_unique(rows["text"], _is_bare_text).astype(bool).to_numpy()
    if not linked.any():
        return rows
    written = rows[full & ~linked].groupby(["article_id", "entity_id"])["n_mentions"].sum()
    key = pd.MultiIndex.from_arrays([rows["article_id"], rows["entity_id"]])
    intro = pd.Series(written.reindex(key).fillna(0).to_numpy(), index=rows.index)
    cand = linked & (intro <= 1).to_numpy() & (rows["n_mentions"] >= 2).to_numpy()
    if not cand.any():
        return rows
    sub = rows.loc[cand].copy()
    sub["person_last"] = _map_unique(sub["text"], lambda t: parse_person(t).last)
    # The passing name counts only where else it is written, not in the article at hand.
    own = pd.MultiIndex.from_arrays([sub["article_id"], sub["entity_id"]])
    elsewhere = fr[~pd.MultiIndex.from_arrays([fr["article_id"], fr["entity_id"]]).isin(own)]
    picked = _corpus_choice(
        sub, elsewhere, dominant_share=dominant_share, window_months=window_months
    )
    # A son named for his father keeps the article's link: "Mr. Trump" after "Donald Trump Jr"
    # may be either, and the article, not the corpus, is about him.
    now = rows.loc[picked.index, "entity_id"].to_numpy()
    same_name = [
        _GENERATION_ID.sub("", a) == _GENERATION_ID.sub("", b)
        for a, b in zip(picked, now, strict=True)
    ]
    picked = picked[~np.array(same_name, dtype=bool)]
    rows = rows.copy()
    rows.loc[picked.index, "entity_id"] = picked.to_numpy()
    rows.loc[picked.index, "resolved_by"] = "surname-in-corpus"
    return rows


def _fold_generations(rows: pd.DataFrame) -> pd.DataFrame:
    """ "X Jr" is X unless some article names both: a father and a son in one story are two
    people (Donald Trump / Donald Trump Jr), a "Jr" alone is house style (Roger J. Stone Jr)."""
    ids = rows["entity_id"].dropna()
    gen = ids[ids.str.contains(_GENERATION_ID, regex=True)].unique()
    if len(gen) == 0:
        return rows
    present = set(ids.unique())
    full = rows[rows["entity_id"].notna() & ~rows["is_bare"].fillna(False).astype(bool)]
    by_article = full.groupby("entity_id")["article_id"].agg(set)
    fold_to = {}
    for g in gen:
        base = _GENERATION_ID.sub("", g)
        if base in present and not (by_article.get(g, set()) & by_article.get(base, set())):
            fold_to[g] = base
    if fold_to:
        rows = rows.copy()
        rows["entity_id"] = rows["entity_id"].replace(fold_to)
    return rows


def _own_ids(rows: pd.DataFrame, bare: np.ndarray) -> pd.DataFrame:
    """Unresolved lone surnames become people of their own: ``person:<surname>``."""
    left = bare & rows["resolved_by"].eq("").to_numpy()
    rows.loc[left, "entity_id"] = "person:" + _map_unique(rows.loc[left, "person_last"], slug)
    rows.loc[left, "resolved_by"] = ""
    return rows


def _surname_keys_of(groups: pd.DataFrame) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    people = groups[groups["person"] & ~groups["is_bare"] & (groups["first"] != "")]
    for e, first, last in zip(
        people["entity"], people["first"], people["person_last"], strict=True
    ):
        out[e] = list(surname_keys(PersonName(first, "", last, "")))
    return out


def _unique_top(hit: pd.DataFrame, by: str, weight: str, *, share: float) -> pd.Series:
    """Per ``by``: the entity_id of the largest ``weight`` when it is strictly the largest and
    holds at least ``share`` of the total. Returns: entity_id indexed by ``by``."""
    if hit.empty:
        return pd.Series([], dtype=object)
    g = hit.groupby([by, "entity_id"], sort=False)[weight].sum().reset_index()
    g = g.sort_values([by, weight], ascending=[True, False], kind="stable")
    rank = g.groupby(by, sort=False).cumcount().to_numpy()
    total = g.groupby(by, sort=False)[weight].transform("sum").to_numpy()
    first = g[rank == 0].assign(_total=total[rank == 0])
    runner = g[rank == 1].set_index(by)[weight]
    second = first[by].map(runner).fillna(0).to_numpy()
    ok = (first[weight].to_numpy() > second) & (
        first[weight].to_numpy() >= share * first["_total"].to_numpy()
    )
    first = first[ok]
    return pd.Series(first["entity_id"].to_numpy(), index=first[by].to_numpy())


def _months(published: pd.Series) -> np.ndarray:
    """Month numbers of dates (``-1`` when unknown)."""
    ts = pd.to_datetime(published.astype("object"), errors="coerce")
    m = (ts.dt.year * 12 + ts.dt.month - 1).astype("float")
    return m.fillna(-1).astype(int).to_numpy()


def _corpus_choice(
    left: pd.DataFrame, fr: pd.DataFrame, *, dominant_share: float, window_months: int
) -> pd.Series:
    """The dominant full name of each lone surname around its date. Returns: entity_id by row."""
    fa = fr.drop_duplicates(["article_id", "last", "entity_id"]).copy()
    fa["month"] = _months(fa["published"])
    by_month = fa.groupby(["last", "entity_id", "month"]).size().rename("n").reset_index()
    totals = by_month.groupby(["last", "entity_id"])["n"].sum().rename("n").reset_index()
    q = pd.DataFrame({"last": left["person_last"].to_numpy(), "month": _months(left["published"])})
    q["row"] = left.index.to_numpy()
    uq = q.drop_duplicates(["last", "month"])
    # Windowed counts: every month within the window, summed per (last, month, entity).
    shifts = np.arange(-window_months, window_months + 1)
    dated = uq[uq["month"] >= 0]
    spread = dated.loc[dated.index.repeat(len(shifts))].copy()
    spread["m"] = spread["month"].to_numpy() + np.tile(shifts, len(dated))
    win = spread.merge(by_month.rename(columns={"month": "m"}), on=["last", "m"], how="inner")
    win["q"] = win["last"] + "\x00" + win["month"].astype(str)
    choice = _unique_top(win, "q", "n", share=dominant_share)
    ok = _unique_top(win, "q", "n", share=0.0)  # the window named someone of that surname
    tot = totals.assign(q="*" + totals["last"])
    overall = _unique_top(tot, "q", "n", share=dominant_share)
    out = {}
    for row, last, month in zip(q["row"], q["last"], q["month"], strict=True):
        k = f"{last}\x00{month}"
        if month >= 0 and k in choice.index:
            pick = choice[k]
        elif month >= 0 and k in ok.index:
            pick = None  # the window holds several people of that surname: ambiguous
        else:
            pick = overall.get("*" + last)
        if pick is not None:
            out[row] = pick
    return pd.Series(out, dtype=object)


# -- step 3: names and flags ------------------------------------------------------------------


def _display_names(rows: pd.DataFrame, groups: pd.DataFrame) -> dict[str, str]:
    """entity_id → its most mentioned written form (full names before lone surnames)."""
    clean = _map_unique(rows["entity"], _clean_display)
    is_full = ~rows["is_bare"].fillna(False).astype(bool)
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
    bare_text = _map_unique(rows["text"], _is_bare_text).astype(bool)
    return (full & bare_text).to_numpy()


@cache
def _is_bare_text(text: object) -> bool:
    if not isinstance(text, str):
        return False
    person = parse_person(text)
    return bool(person.last) and not person.first


def _is_noise(rows: pd.DataFrame, generic: Mapping[str, float]) -> pd.Series:
    """One-word names the corpus mostly uses as common nouns (and that resolved to no full name)."""
    one_word = ~rows["name"].str.contains(" ", regex=False) & rows["kind"].isin(["person", "org"])
    word = _map_unique(rows["name"], fold)
    share = word.map(lambda w: generic.get(w, 0.0))
    return one_word & (share >= NOISE_SHARE)


def _map_unique(series: pd.Series, fn) -> pd.Series:
    """``series.map(fn)`` computing ``fn`` once per distinct value (names repeat a lot)."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    values = np.array([fn(u) for u in uniques], dtype=object)
    return pd.Series(values[codes], index=series.index)
