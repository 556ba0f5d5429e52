"""Step 2 of the resolution: lone surnames to the full name they mean (resolve.py).

In the article first, then the full name that dominates the corpus around the article's date;
the extractor's in-article links of a recurring surname to a name written once are revisited.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from core.entities.frames import choose_among, choose_in_corpus, map_unique, unique_top
from core.entities.names import (
    PersonName,
    fold,
    is_bare_text,
    parse_person,
    slug,
    surname_keys,
)
from core.entities.people.evidence import TextReader, keep_supported
from core.entities.people.namesakes import (
    find_passing_names,
    relink_passing_names,
    retitle_linked,
    settle_shared_surnames,
)
from core.entities.people.titles import TitleEvidence, gather_title_evidence

_WORD = re.compile(r"[a-z]+")


def resolve_bare(
    rows: pd.DataFrame,
    groups: pd.DataFrame,
    *,
    dominant_share: float,
    window_months: int,
    titles: pd.DataFrame | None = None,
    texts: TextReader | None = None,
) -> pd.DataFrame:
    """Give bare-surname rows the id of the full name they refer to (or their own id).

    ``titles`` counts the titles written before the rows' mentions (:mod:`titles`; the rows'
    article codes); a title rules out the bearers it does not fit, in the article and in the
    corpus alike. A bearer named only in other articles takes the surname only with the
    article's support (:mod:`evidence`; ``texts`` reads article texts by code, to find a full
    name the extractor missed).
    """
    rows = rows.copy(deep=False)  # copy-on-write: the caller's frame never changes
    bare = rows["is_bare"].fillna(False).astype(bool).to_numpy()
    full = (~bare) & rows["person_last"].fillna("").ne("").to_numpy()
    if not full.any():
        return _own_ids(rows, bare)
    # Full names by surname key: (article_id, last, entity_id, n) in each article, for the
    # keys a lone surname asks about only (every step below looks them up by key): the
    # surnames written alone, and those of full names' rows written as a surname (relinked).
    linked = full & map_unique(rows["text"], is_bare_text).astype(bool).to_numpy()
    ev = gather_title_evidence(rows, groups, titles, full=pd.Series(full & ~linked))
    wanted = _asked_keys(rows, bare, linked)
    last_of = {
        e: [k for k in keys if k in wanted]
        for e, keys in _surname_keys_of(groups).items()
        if any(k in wanted for k in keys)
    }
    full &= rows["entity"].isin(last_of.keys()).to_numpy()
    full_rows = rows.loc[full, ["article_id", "entity", "entity_id", "n_mentions", "published"]]
    fr = full_rows.assign(last=full_rows["entity"].map(last_of)).explode("last")
    fr = fr.drop(columns="entity")  # only its surname keys were needed
    del full_rows
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
        chosen = unique_top(_fitting(hit, ev), "index", "n_mentions", share=0.0)
        idx = chosen.index.to_numpy()
        rows.loc[idx, "entity_id"] = chosen.to_numpy()
        rows.loc[idx, "resolved_by"] = "surname-in-article"
    # Across the corpus: articles naming each full name, by month.
    left = bare & rows["resolved_by"].eq("").to_numpy()
    if left.any():
        left &= ~_org_words(rows, fr, left, ev)
        picked = _titled_corpus_choice(
            rows.loc[left], fr, ev, dominant_share=dominant_share, window_months=window_months
        )
        picked = keep_supported(rows, picked, fr, ev, texts=texts)
        rows.loc[picked.index, "entity_id"] = picked.to_numpy()
        rows.loc[picked.index, "resolved_by"] = "surname-in-corpus"
    passing = find_passing_names(rows, linked)
    shares = {"dominant_share": dominant_share, "window_months": window_months}
    rows = retitle_linked(rows, fr, linked, ev, passing, texts=texts, **shares)
    rows = settle_shared_surnames(
        rows, fr, linked, ev, dominant_share=dominant_share, window_months=window_months
    )
    rows = relink_passing_names(rows, fr, passing, ev, texts=texts, **shares)
    return _own_ids(rows, bare)


def _fitting(hit: pd.DataFrame, ev: TitleEvidence) -> pd.DataFrame:
    """``hit`` (candidate full names of lone-surname rows, by ``index``) without the pairs the
    row's titles rule out."""
    if not ev.by_row:
        return hit
    titled = hit["index"].isin(ev.by_row.keys()).to_numpy()
    if not titled.any():
        return hit
    drop = []
    for idx, grp in hit[titled].groupby("index", sort=False):
        out = ev.misfits(int(idx), grp["entity_id"])
        drop.extend(grp.index[grp["entity_id"].isin(out)])
    return hit.drop(index=drop)


def _titled_corpus_choice(
    left: pd.DataFrame,
    fr: pd.DataFrame,
    ev: TitleEvidence,
    *,
    dominant_share: float,
    window_months: int,
) -> pd.Series:
    """:func:`choose_in_corpus` where each titled row chooses only among the bearers its titles
    fit ("Mrs. Clinton" among the Clintons of the corpus). Returns: entity_id by row."""
    if not ev.by_row or left.empty:
        return choose_in_corpus(
            left, fr, dominant_share=dominant_share, window_months=window_months
        )
    bearers = fr.groupby("last")["entity_id"].unique().to_dict()
    fits: dict[int, frozenset[str]] = {}
    for i, last in zip(left.index, left["person_last"], strict=True):
        if i in ev.by_row:
            cands = bearers.get(last, ())
            out = ev.misfits(i, cands)
            if out:
                fits[i] = frozenset(set(cands) - out)
    plain = left[~left.index.isin(list(fits))]
    picked = choose_in_corpus(plain, fr, dominant_share=dominant_share, window_months=window_months)
    if not fits:
        return picked
    titled = choose_among(
        left.loc[list(fits)],
        fr,
        pd.Series(fits),
        dominant_share=dominant_share,
        window_months=window_months,
    )
    parts = [p for p in (picked, titled) if len(p)]
    return pd.concat(parts) if parts else pd.Series([], dtype=object)


def _org_words(
    rows: pd.DataFrame, fr: pd.DataFrame, left: np.ndarray, ev: TitleEvidence
) -> np.ndarray:
    """Lone untitled surnames the corpus mostly writes as (part of) another name.

    "Fox" where the corpus names Fox News in more articles than any person surnamed Fox: a
    bare "Fox" of an article that names no Fox is the network as likely as the person, so the
    corpus does not give it to the person. A title ("Mr. Fox") still does.

    Returns: a mask over ``rows``.
    """
    words = set(rows.loc[left, "person_last"].dropna())
    words = {w for w in words if " " not in w}
    if not words:
        return np.zeros(len(rows), dtype=bool)
    names = rows.loc[rows["kind"].ne("person").fillna(True).to_numpy(), "entity"].unique()
    # A cheap look at each name's lower-case words first: a store has many names, few hold one.
    holds = {
        n: ws
        for n in names
        if (not n.isascii() or not words.isdisjoint(_WORD.findall(n.lower())))
        and (ws := words.intersection(fold(n).split()))
    }
    if not holds:
        return np.zeros(len(rows), dtype=bool)
    in_names = rows.loc[rows["entity"].isin(holds.keys()), ["article_id", "entity"]]
    in_names = in_names.assign(word=in_names["entity"].map(lambda n: sorted(holds[n])))
    as_name = in_names.explode("word").groupby("word")["article_id"].nunique()
    as_person = fr[fr["last"].isin(as_name.index)].groupby("last")["article_id"].nunique()
    other = {w for w, n in as_name.items() if n > as_person.get(w, 0)}
    if not other:
        return np.zeros(len(rows), dtype=bool)
    titled = rows.index.isin(list(ev.by_row.keys()))
    return left & rows["person_last"].isin(other).to_numpy() & ~titled


def _asked_keys(rows: pd.DataFrame, bare: np.ndarray, linked: np.ndarray) -> set[str]:
    """The surname keys a lone surname asks about: those written alone, and the surnames of
    full names' rows written as a surname (which :func:`relink_passing_names` revisits)."""
    texts = map_unique(rows.loc[linked, "text"], lambda t: parse_person(t).last)
    return set(rows.loc[bare, "person_last"].dropna()) | set(texts)


def _own_ids(rows: pd.DataFrame, bare: np.ndarray) -> pd.DataFrame:
    """Unresolved lone surnames become people of their own: ``person:<surname>``."""
    left = bare & rows["resolved_by"].eq("").to_numpy()
    rows.loc[left, "entity_id"] = "person:" + map_unique(rows.loc[left, "person_last"], slug)
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
