"""Namesakes: a surname the extractor tied to the article's full name, revisited (surnames.py).

The extractor ties a lone surname to the one full name of that surname in its article. Two
things can undo the tie: titles that the article's name does not fit ("President Trump" after
"Donald Trump Jr", "Mr. Trump" after "Melania Trump": :func:`retitle_linked`), and a famous
bearer who needs no introduction when the article names its own bearer only in passing
(:func:`relink_passing_names`), and the corpus when the article names several bearers
(:func:`settle_shared_surnames`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.entities.frames import choose_among, choose_in_corpus, map_unique
from core.entities.names import parse_person, slug
from core.entities.people.evidence import TextReader, keep_supported
from core.entities.people.titles import TitleEvidence
from core.entities.variants import GENERATION_ID

# A bearer who needs no introduction is named in full in this many other articles around the date.
FAMOUS_ARTICLES = 3


def find_passing_names(rows: pd.DataFrame, linked: np.ndarray) -> np.ndarray:
    """The extractor's links of a recurring surname to a name the article writes at most once
    (the surname written alone at least twice): a weak tie that the corpus may undo.

    Returns: a mask over ``rows``.
    """
    if not linked.any():
        return linked
    full = (~rows["is_bare"].fillna(False).astype(bool).to_numpy()) & rows["person_last"].fillna(
        ""
    ).ne("").to_numpy()
    cols = ["article_id", "entity_id", "n_mentions"]
    written = rows.loc[full & ~linked, cols].groupby(cols[:2])["n_mentions"].sum()
    # How often each linked row's name is written in full in its article (linked rows only).
    at = np.flatnonzero(linked)
    key = pd.MultiIndex.from_arrays([rows["article_id"].iloc[at], rows["entity_id"].iloc[at]])
    intro = written.reindex(key).fillna(0).to_numpy()
    out = np.zeros(len(rows), dtype=bool)
    out[at] = (intro <= 1) & (rows["n_mentions"].iloc[at] >= 2).to_numpy()
    if out.any():  # a first name written alone ("Charles" of "Charles Kennedy") is no surname
        texts = rows.loc[out, "text"]
        last = map_unique(texts, lambda t: parse_person(t).last)
        own = rows.loc[out, "person_last"]
        ok = [is_surname_of(t, o) for t, o in zip(last, own, strict=True)]
        out[np.flatnonzero(out)] = np.array(ok, dtype=bool) & ~_written_generation(texts)
    return out


def _written_generation(texts: pd.Series) -> np.ndarray:
    """True where the surname is written with its generation ("Trump Jr", "Mr. Trump Jr."):
    the text itself says which of the namesakes it is; no title or corpus overrides it."""
    return map_unique(texts, lambda t: bool(parse_person(t).generation)).astype(bool).to_numpy()


def relink_passing_names(
    rows: pd.DataFrame,
    fr: pd.DataFrame,
    passing: np.ndarray,
    ev: TitleEvidence,
    *,
    dominant_share: float,
    window_months: int,
    texts: TextReader | None = None,
) -> pd.DataFrame:
    """Undo the extractor's in-article link of a recurring surname to a name written once.

    News copy names a relative or a passing figure once in full ("Melania Trump") while the
    surname alone keeps meaning the famous bearer who needs no introduction ("Mr. Trump"). So
    for the ``passing`` rows (:func:`find_passing_names`) the titles did not move, when the corpus
    around that date is dominated by another bearer of the surname named in full in
    ``FAMOUS_ARTICLES`` other articles there, the surname may go to them, when
    :func:`_overrides_article` says the article's own name is not who the surname means. A
    person introduced once and then called by surname is ordinary copy ("Rep. Tim Ryan" …
    "Mr. Ryan" while Paul Ryan is Speaker): the famous namesake does not take it, nor one the
    article gives no sign of (:mod:`evidence`: a footballer "Andrews" is not Julie Andrews).
    """
    cand = passing & rows["resolved_by"].eq("").to_numpy()
    if not cand.any():
        return rows
    sub = rows.loc[cand].copy()
    sub["person_last"] = map_unique(sub["text"], lambda t: parse_person(t).last)
    # The passing name counts only where else it is written, not in the article at hand.
    own = pd.MultiIndex.from_arrays([sub["article_id"], sub["entity_id"]])
    mine = pd.MultiIndex.from_arrays([fr["article_id"], fr["entity_id"]]).isin(own)
    elsewhere = fr.loc[~mine, ["article_id", "last", "entity_id", "published"]]
    del mine
    picked = choose_in_corpus(
        sub,
        elsewhere,
        dominant_share=dominant_share,
        window_months=window_months,
        min_articles=FAMOUS_ARTICLES,
    )
    now = rows.loc[picked.index, "entity_id"].to_numpy()
    keep = [
        _overrides_article(i, a, b, ev) for i, a, b in zip(picked.index, now, picked, strict=True)
    ]
    picked = picked[np.array(keep, dtype=bool)]
    picked = keep_supported(rows, picked, fr, ev, texts=texts)
    rows = rows.copy(deep=False)
    rows.loc[picked.index, "entity_id"] = picked.to_numpy()
    rows.loc[picked.index, "resolved_by"] = "surname-in-corpus"
    return rows


def _overrides_article(row: int, own: str, famous: str, ev: TitleEvidence) -> bool:
    """True when a surname tied to the article's passing name ``own`` means ``famous`` instead.

    The titles decide first: one that fits the article's name and not the famous one ("Mr.
    Rand" after "Barry Rand", not Ayn Rand) keeps it, one the article's name does not fit
    ("Mr. Trump" after "Melania Trump") moves it. Without them the first names do: the same
    name of another generation keeps it (an article naming "Donald Trump Jr" may call him "Mr.
    Trump"), and so does another first name of the same sex ("Tim Ryan" … "Ryan" while Paul
    Ryan is Speaker; "Chris Fox" … "Mr Fox" beside Liam Fox), unless it is a short form of the
    famous one's (Chris / Christopher). A relative of the other sex named in passing (Melania /
    Donald), or a "first name" that is none ("Democrats Say Trump", "Classy Henman"), moves it.
    """
    misfit = ev.misfits(row, [own, famous])
    if famous in misfit or own in misfit:
        return own in misfit and famous not in misfit
    if GENERATION_ID.sub("", own) == GENERATION_ID.sub("", famous):
        return False
    mine, theirs = ev.first_of.get(own, ""), ev.first_of.get(famous, "")
    if len(mine) >= 3 and mine[:3] == theirs[:3]:
        return True
    a, b = ev.sex(own, mostly=True), ev.sex(famous, mostly=True)
    return not (a and a == b)


def retitle_linked(
    rows: pd.DataFrame,
    fr: pd.DataFrame,
    linked: np.ndarray,
    ev: TitleEvidence,
    passing: np.ndarray,
    *,
    dominant_share: float,
    window_months: int,
    texts: TextReader | None = None,
) -> pd.DataFrame:
    """Move the extractor's surname links that the surname's titles rule out.

    The extractor ties "Mr. Trump" to the article's one full name of the surname, even when it
    is "Melania Trump"; "President Trump" to "Donald Trump Jr". Such a row goes to the bearer
    its titles fit in the article (the most mentioned), else around its date in the corpus,
    else it stays a surname of its own. The corpus's choice needs the article's support
    (:mod:`evidence`); without it the surname stays with the article's name: "Ms Berry" after
    a "Jan Berry" that gender-guesser calls a man is her, not the actress named elsewhere. A
    name the article writes more than once is a strong tie: its titles must rule it out for at
    least half the row's mentions; a ``passing`` name's titles need only outweigh the titles
    for it ("President Trump" twice, "Mr. Trump" and "Trump" seven times after "Donald Trump
    Jr." written once).
    """
    if not ev.by_row:
        return rows
    mask = linked & rows["resolved_by"].eq("").to_numpy()
    mask &= rows.index.isin(list(ev.by_row.keys()))
    if not mask.any():
        return rows
    sub = rows.loc[mask, ["article_id", "entity_id", "text", "person_last", "n_mentions"]]
    sub = sub.assign(
        last=map_unique(sub["text"], lambda t: parse_person(t).last),
        strong=np.where(passing[mask], 0, sub["n_mentions"].to_numpy()),
    )
    # Only a surname written alone, without its generation: "Mr. Kim" after "Kim Jong Un" is
    # no surname to weigh, "Trump Jr" says which Trump it is.
    ok = [is_surname_of(t, o) for t, o in zip(sub["last"], sub["person_last"], strict=True)]
    sub = sub[np.array(ok, dtype=bool) & ~_written_generation(sub["text"])]
    if sub.empty:
        return rows
    bearers = fr.groupby("last")["entity_id"].unique().to_dict()
    moved: list[tuple[int, str, str, set[str]]] = []  # (row, article, last, ruled out)
    for i, own, last, art, strong in zip(
        sub.index, sub["entity_id"], sub["last"], sub["article_id"], sub["strong"], strict=True
    ):
        out = ev.misfits(i, [own, *bearers.get(last, ())], out_of=int(strong))
        if own in out:
            moved.append((i, art, last, out))
    if not moved:
        return rows
    rows = rows.copy(deep=False)
    arts = {art for _, art, _, _ in moved}
    near = fr[fr["article_id"].isin(arts)]
    here: dict[tuple[int, str], dict[str, int]] = {}
    for (art, last, eid), n in (
        near.groupby(["article_id", "last", "entity_id"])["n_mentions"].sum().items()
    ):
        here.setdefault((art, last), {})[eid] = int(n)
    local_ids: dict[int, str] = {}
    redo: dict[int, tuple[str, frozenset[str]]] = {}
    for i, art, last, out in moved:
        local = sorted(
            ((n, e) for e, n in here.get((art, last), {}).items() if e not in out), reverse=True
        )
        if local and (len(local) == 1 or local[0][0] > local[1][0]):
            local_ids[i] = local[0][1]
        else:
            redo[i] = (last, frozenset(set(bearers.get(last, ())) - out))
    if local_ids:
        idx = list(local_ids)
        rows.loc[idx, "entity_id"] = list(local_ids.values())
        rows.loc[idx, "resolved_by"] = "surname-in-article"
    if redo:
        idx = list(redo)
        was = rows.loc[idx, "entity_id"].copy()
        rows.loc[idx, "entity_id"] = ["person:" + slug(last) for last, _ in redo.values()]
        rows.loc[idx, "resolved_by"] = "exact"
        chosen = choose_among(
            rows.loc[idx].assign(person_last=[last for last, _ in redo.values()]),
            fr,
            pd.Series([fit for _, fit in redo.values()], index=idx),
            dominant_share=dominant_share,
            window_months=window_months,
        )
        picked = keep_supported(rows, chosen, fr, ev, texts=texts)
        rows.loc[picked.index, "entity_id"] = picked.to_numpy()
        rows.loc[picked.index, "resolved_by"] = "surname-in-corpus"
        # A bearer named elsewhere that the article does not support: the article's own name
        # is likelier than the title's sex says (gender-guesser calls "Jan" a man's name).
        back = chosen.index.difference(picked.index)
        rows.loc[back, "entity_id"] = was[back].to_numpy()
        rows.loc[back, "resolved_by"] = ""
    return rows


def settle_shared_surnames(
    rows: pd.DataFrame,
    fr: pd.DataFrame,
    linked: np.ndarray,
    ev: TitleEvidence,
    *,
    dominant_share: float,
    window_months: int,
) -> pd.DataFrame:
    """A surname tied to one of several bearers the article names in full goes to the one of
    them the corpus makes dominant around the date (among those its titles fit).

    The extractor ties a lone surname to the longest full name containing it, the first seen
    among equals, so "Trump" beside "President Donald Trump's oldest son, Donald Trump Jr."
    went to the son, and "Mr Blair" beside "Sir Ian Blair" and "Tony Blair" to whoever came
    first, whatever it meant; "Mattis" beside "Mad Dog Mattis" and "James Mattis" to the
    first. Stays when none of them dominates.
    """
    todo = linked & rows["resolved_by"].eq("").to_numpy()
    if not todo.any():
        return rows
    sub = rows.loc[todo, ["article_id", "entity_id", "text", "person_last", "published"]]
    sub = sub.assign(last=map_unique(sub["text"], _last_of))
    ok = [is_surname_of(t, o) for t, o in zip(sub["last"], sub["person_last"], strict=True)]
    sub = sub[np.array(ok, dtype=bool) & ~_written_generation(sub["text"])]
    named = fr.loc[
        fr["article_id"].isin(set(sub["article_id"])), ["article_id", "last", "entity_id"]
    ]
    named = named.drop_duplicates()
    # Sets only where an article names several bearers (the rare case): one per key is cheap.
    n = named.groupby(["article_id", "last"], sort=False)["entity_id"].transform("size")
    named = named[(n > 1).to_numpy()]
    if named.empty:
        return rows
    named = named.sort_values(["article_id", "last"], kind="stable")
    keys = pd.MultiIndex.from_arrays([named["article_id"], named["last"]])
    starts = np.flatnonzero(~keys.duplicated())
    ids = named["entity_id"].to_numpy()
    bearers = pd.Series(
        [frozenset(ids[a:b]) for a, b in zip(starts, [*starts[1:], len(ids)], strict=True)],
        index=keys[starts],
    )
    key = pd.MultiIndex.from_arrays([sub["article_id"], sub["last"]])
    several = key.isin(bearers.index)
    if not several.any():
        return rows
    sub = sub[several].assign(cands=bearers.reindex(key[several]).to_numpy())
    fits = [
        frozenset(cs - ev.misfits(i, cs)) for i, cs in zip(sub.index, sub["cands"], strict=True)
    ]
    sub = sub.assign(fit=fits)
    sub = sub[[len(f) > 1 for f in fits]]
    if sub.empty:
        return rows
    picked = choose_among(
        sub.assign(person_last=sub["last"]),
        fr,
        sub["fit"],
        dominant_share=dominant_share,
        window_months=window_months,
    )
    picked = picked[picked.to_numpy() != rows.loc[picked.index, "entity_id"].to_numpy()]
    if picked.empty:
        return rows
    rows = rows.copy(deep=False)
    rows.loc[picked.index, "entity_id"] = picked.to_numpy()
    rows.loc[picked.index, "resolved_by"] = "surname-in-corpus"
    return rows


def _last_of(text: str) -> str:
    return parse_person(text).last


def is_surname_of(written: str, last: object) -> bool:
    """True when ``written`` (a lone name's surname key) is the surname ``last`` of a full
    name, or its last word ("Cortez" of "Ocasio-Cortez")."""
    return (
        isinstance(last, str)
        and bool(written)
        and (written == last or last.endswith(" " + written))
    )
