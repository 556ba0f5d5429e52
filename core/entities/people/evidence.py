"""Evidence that a lone surname means a bearer the corpus names elsewhere (people.surnames).

The corpus steps give a surname written alone ("Ms Berry", "Andrews") to the bearer the rest of
the corpus names most around the date. Dominance alone is no evidence: a police chief called
"Ms Berry" is not the actress the corpus names in three other articles, a footballer "Andrews"
not Julie Andrews. A careful reader gives the surname to someone named elsewhere only when the
article itself points at them. :func:`keep_supported` keeps a corpus choice when one of these
holds, and otherwise the surname stays a person of its own (``person:<surname>``):

- **the full name is written in the article** and the extractor missed it ("Rick Perry of Texas",
  "Robert S. Mueller III" … "Mr. Mueller"): a first name of the bearer's written right before
  the surname in the article text;
- **an office title** the corpus gives the bearer is written before the surname ("President
  Bush" where the corpus writes "President George W Bush"); a title of sex only ("Ms", "Mr")
  rules bearers out (:mod:`titles`) but points at nobody;
- **shared context**: the article names another entity that the bearer's own articles name
  too, one specific enough to tell stories apart (in at most ``CONTEXT_SHARE`` of the
  articles): "Pelosi" beside "Steny Hoyer", "Kilroy-Silk" beside UKIP. An article that names
  nothing specific besides the surname has no context to go against the corpus: its surname
  still goes to the dominant bearer (a brief, a headline); one whose specific names are all
  foreign to the bearer's stories (the Police Federation, the Home Office, for "Ms Berry") is
  about someone else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from core.entities.names import parse_person, strip_possessive
from core.entities.people.titles import TITLE_MEANINGS, TitleEvidence

# An entity names a story's context when at most this share of the articles name it ("Iraq",
# "UKIP" in a year of news: yes; "BBC", "Donald Trump" in a corpus about him: no).
CONTEXT_SHARE = 0.05
# Rows of context read at a time when looking for a bearer's articles (bounds the memory).
CONTEXT_ROWS = 2_000_000
# Reads article texts by article code (the resolution's integer codes): code -> text.
TextReader = Callable[[Sequence[int]], Mapping[int, str]]


def keep_supported(
    rows: pd.DataFrame,
    picked: pd.Series,
    fr: pd.DataFrame,
    ev: TitleEvidence,
    *,
    texts: TextReader | None = None,
) -> pd.Series:
    """The corpus choices of ``picked`` (entity_id by row of ``rows``) that the row's article
    supports (see the module docstring); ``fr`` are the full names' rows (article_id, last,
    entity_id). Returns: the supported part of ``picked``.
    """
    if picked.empty:
        return picked
    picked = picked[picked.notna()]
    ok = _by_office(picked, ev)
    todo = picked[~ok]
    if len(todo):
        ok[~ok] = _by_context(rows, todo, fr)
    todo = picked[~ok]
    if len(todo) and texts is not None:
        ok[~ok] = _by_written_name(rows, todo, ev, texts)
    return picked[ok]


def _by_office(picked: pd.Series, ev: TitleEvidence) -> np.ndarray:
    """True where a title before the row's surname is an office the corpus gives the bearer."""
    out = np.zeros(len(picked), dtype=bool)
    for k, (row, cand) in enumerate(zip(picked.index, picked, strict=True)):
        for title in ev.by_row.get(int(row), {}):
            office = TITLE_MEANINGS.get(title, ("", ""))[1]
            if office and cand in ev.holders.get(office, ()):
                out[k] = True
                break
    return out


def _by_context(rows: pd.DataFrame, picked: pd.Series, fr: pd.DataFrame) -> np.ndarray:
    """True where the row's article and another article naming the bearer in full share an
    entity named in at most ``CONTEXT_SHARE`` of the articles (the surname asked about aside),
    or where the row's article names no such entity at all (no context, none against).

    A lone surname in one of the two articles matches a full name of that surname in the other
    ("Pelosi" there, "Nancy Pelosi" here): the other lone surnames are not resolved yet. Two
    full names match by their ids only (Geena Davis is no context for David Davis).
    """
    tok = _context_tokens(rows)
    n_articles = rows["article_id"].nunique()
    df = tok.drop_duplicates(["article_id", "key"]).groupby("key", sort=False).size()
    tok = tok[tok["key"].map(df).to_numpy() <= max(2.0, CONTEXT_SHARE * n_articles)]
    at = picked.index
    asks = pd.DataFrame(
        {
            "art": rows.loc[at, "article_id"].to_numpy(),
            "cand": picked.to_numpy(),
            "last": rows.loc[at, "person_last"].fillna("").to_numpy(),
            "own": rows.loc[at, "entity_id"].to_numpy(),
        }
    ).drop_duplicates()
    mine = asks.merge(tok, left_on="art", right_on="article_id", suffixes=("", "_tok"))
    # Not context: anyone of the surname asked about (the bearer, a relative named in passing),
    # nor the name the surname is tied to now.
    keep = (mine["last_tok"] != mine["last"]) & (mine["key"] != mine["cand"])
    mine = mine.loc[keep & (mine["key"] != mine["own"]), ["art", "cand", "key", "mine"]]
    bearer_arts = fr.loc[fr["entity_id"].isin(set(asks["cand"])), ["entity_id", "article_id"]]
    bearer_arts = bearer_arts.drop_duplicates().rename(columns={"entity_id": "cand"})
    theirs = _bearer_context(bearer_arts, tok, mine[["cand", "key"]].drop_duplicates())
    both = mine.merge(theirs, on=["cand", "key"])
    # Another article than the asking one: the first or the last of them is another.
    other = (both["first_art"] != both["art"]) | (both["last_art"] != both["art"])
    both = both[other & _matches(both["mine"], both["theirs"])]
    hit = set(zip(both["art"], both["cand"], strict=True))
    # An article naming nothing specific besides the surname gives no context to go against.
    said = set(zip(mine["art"], mine["cand"], strict=True))
    arts = rows.loc[at, "article_id"].to_numpy()
    return np.array(
        [(a, c) in hit or (a, c) not in said for a, c in zip(arts, picked, strict=True)],
        dtype=bool,
    )


def _bearer_context(
    bearer_arts: pd.DataFrame, tok: pd.DataFrame, wanted: pd.DataFrame
) -> pd.DataFrame:
    """For each ``wanted`` (cand, key): the first and last article naming the bearer ``cand``
    in full (``bearer_arts``: cand, article_id) and ``key`` (``tok``), per form of the key.

    Summed a range of article codes at a time: a bearer named in thousands of articles (a
    story copied by many outlets) would otherwise pair each asking article with each of them,
    and the rows of every bearer's articles at once grow with the corpus (gigabytes at a
    million articles).

    Returns: one row per (cand, key, theirs): first_art, last_art.
    """
    tok = tok.loc[tok["key"].isin(set(wanted["key"])), ["article_id", "key", "mine"]]
    tok = tok.rename(columns={"mine": "theirs"})
    cols = ["cand", "key", "theirs", "first_art", "last_art"]
    if tok.empty or bearer_arts.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    hi = int(tok["article_id"].max()) + 1
    step = max(1, int(hi * CONTEXT_ROWS / max(len(tok), 1)))
    parts = []
    for lo in range(0, hi, step):
        t = tok[tok["article_id"].between(lo, lo + step - 1)]
        b = bearer_arts[bearer_arts["article_id"].between(lo, lo + step - 1)]
        found = b.merge(t, on="article_id").merge(wanted, on=["cand", "key"])
        if len(found):
            parts.append(
                found.groupby(["cand", "key", "theirs"], as_index=False, sort=False).agg(
                    first_art=("article_id", "min"), last_art=("article_id", "max")
                )
            )
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    return (
        pd.concat(parts, ignore_index=True)
        .groupby(["cand", "key", "theirs"], as_index=False, sort=False)
        .agg(first_art=("first_art", "min"), last_art=("last_art", "max"))
    )


def _context_tokens(rows: pd.DataFrame) -> pd.DataFrame:
    """What each article names, as keys: a person's surname ("form" says whether written
    alone, 'bare', or as a full name, 'full', whose id is a key of its own too), anything else
    its entity id; ``last`` is the person's surname ('' for others). Returns: one row per
    (article_id, key, form, last)."""
    last = rows["person_last"].fillna("")
    bare = rows["is_bare"].fillna(False).astype(bool)
    person = (last != "").to_numpy()
    with_id = ~person | ~bare.to_numpy()
    parts = [
        pd.DataFrame(
            {
                "article_id": rows["article_id"].to_numpy()[with_id],
                "key": rows["entity_id"].to_numpy()[with_id],
                "mine": "id",
                "last": last.to_numpy()[with_id],
            }
        ),
        pd.DataFrame(
            {
                "article_id": rows["article_id"].to_numpy()[person],
                "key": last.to_numpy()[person],
                "mine": np.where(bare.to_numpy()[person], "bare", "full"),
                "last": last.to_numpy()[person],
            }
        ),
    ]
    return pd.concat(parts, ignore_index=True).drop_duplicates()


def _matches(mine: pd.Series, theirs: pd.Series) -> np.ndarray:
    """Two keys match as ids, or as a surname written alone on one side only."""
    a, b = mine.to_numpy(), theirs.to_numpy()
    return (
        ((a == "id") & (b == "id"))
        | ((a == "bare") & (b == "full"))
        | ((a == "full") & (b == "bare"))
    )


_CAPS = r"(?:[A-Z][\w'’.-]*\s+){1,3}"


def _by_written_name(
    rows: pd.DataFrame, picked: pd.Series, ev: TitleEvidence, texts: TextReader
) -> np.ndarray:
    """True where the article text writes one of the bearer's first names (or its short form)
    right before the surname: a full name the extractor did not take ("Jeb Bush of Florida")."""
    arts = rows.loc[picked.index, "article_id"].to_numpy()
    found = texts(sorted({int(a) for a in arts}))
    surnames = [strip_possessive(str(t)).strip() for t in rows.loc[picked.index, "text"]]
    out = np.zeros(len(picked), dtype=bool)
    firsts: dict[tuple[int, str], set[str]] = {}
    for k, (art, surname, cand) in enumerate(zip(arts, surnames, picked, strict=True)):
        want = ev.first_of.get(cand, "")
        if not want or not surname:
            continue
        key = (int(art), surname)
        if key not in firsts:
            text = found.get(int(art), "")
            pattern = re.compile(rf"({_CAPS}){re.escape(surname)}\b")
            firsts[key] = {
                parse_person(f"{w} {surname}").first
                for m in pattern.finditer(text)
                for w in m.group(1).split()
            }
        out[k] = want in firsts[key]
    return out
