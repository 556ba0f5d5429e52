"""Step 2 of the resolution: lone surnames to the full name they mean (resolve.py).

In the article first, then the full name that dominates the corpus around the article's date;
the extractor's in-article links of a recurring surname to a name written once are revisited.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.entities.frames import map_unique
from core.entities.names import PersonName, is_bare_text, parse_person, slug, surname_keys
from core.entities.variants import GENERATION_ID

# A bearer who needs no introduction is named in full in this many other articles around the date.
FAMOUS_ARTICLES = 3


def resolve_bare(
    rows: pd.DataFrame, groups: pd.DataFrame, *, dominant_share: float, window_months: int
) -> pd.DataFrame:
    """Give bare-surname rows the id of the full name they refer to (or their own id)."""
    rows = rows.copy(deep=False)  # copy-on-write: the caller's frame never changes
    bare = rows["is_bare"].fillna(False).astype(bool).to_numpy()
    full = (~bare) & rows["person_last"].fillna("").ne("").to_numpy()
    if not full.any():
        return _own_ids(rows, bare)
    # Full names by surname key: (article_id, last, entity_id, n) in each article, for the
    # keys a lone surname asks about only (every step below looks them up by key): the
    # surnames written alone, and those of full names' rows written as a surname (relinked).
    linked = full & map_unique(rows["text"], is_bare_text).astype(bool).to_numpy()
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
        rows, fr, linked, dominant_share=dominant_share, window_months=window_months
    )
    return _own_ids(rows, bare)


def _relink_passing_names(
    rows: pd.DataFrame,
    fr: pd.DataFrame,
    linked: np.ndarray,
    *,
    dominant_share: float,
    window_months: int,
) -> pd.DataFrame:
    """Undo the extractor's in-article link of a recurring surname to a name written once.

    News copy names a relative or a passing figure once in full ("Melania Trump") while the
    surname alone keeps meaning the famous bearer who needs no introduction ("Mr. Trump"). So
    when the full name is written at most once, its surname at least twice, and the corpus
    around that date is dominated by another bearer of the surname (another first name, not
    the same name with another generation) named in full in ``FAMOUS_ARTICLES`` other
    articles there, the surname goes to them. A person introduced once and then called by
    surname is ordinary copy; only a famous namesake overrides the article.
    """
    if not linked.any():
        return rows
    full = (~rows["is_bare"].fillna(False).astype(bool).to_numpy()) & rows["person_last"].fillna(
        ""
    ).ne("").to_numpy()
    cols = ["article_id", "entity_id", "n_mentions"]
    written = rows.loc[full & ~linked, cols].groupby(cols[:2])["n_mentions"].sum()
    # How often each linked row's name is written in full in its article (linked rows only).
    at = np.flatnonzero(linked)
    key = pd.MultiIndex.from_arrays([rows["article_id"].iloc[at], rows["entity_id"].iloc[at]])
    intro = written.reindex(key).fillna(0).to_numpy()
    cand = np.zeros(len(rows), dtype=bool)
    cand[at] = (intro <= 1) & (rows["n_mentions"].iloc[at] >= 2).to_numpy()
    if not cand.any():
        return rows
    sub = rows.loc[cand].copy()
    sub["person_last"] = map_unique(sub["text"], lambda t: parse_person(t).last)
    # The passing name counts only where else it is written, not in the article at hand.
    own = pd.MultiIndex.from_arrays([sub["article_id"], sub["entity_id"]])
    mine = pd.MultiIndex.from_arrays([fr["article_id"], fr["entity_id"]]).isin(own)
    elsewhere = fr.loc[~mine, ["article_id", "last", "entity_id", "published"]]
    del mine
    picked = _corpus_choice(
        sub,
        elsewhere,
        dominant_share=dominant_share,
        window_months=window_months,
        min_articles=FAMOUS_ARTICLES,
    )
    # A son named for his father keeps the article's link: "Mr. Trump" after "Donald Trump Jr"
    # may be either, and the article, not the corpus, is about him.
    now = rows.loc[picked.index, "entity_id"].to_numpy()
    same_name = [
        GENERATION_ID.sub("", a) == GENERATION_ID.sub("", b)
        for a, b in zip(picked, now, strict=True)
    ]
    picked = picked[~np.array(same_name, dtype=bool)]
    rows = rows.copy(deep=False)
    rows.loc[picked.index, "entity_id"] = picked.to_numpy()
    rows.loc[picked.index, "resolved_by"] = "surname-in-corpus"
    return rows


def _asked_keys(rows: pd.DataFrame, bare: np.ndarray, linked: np.ndarray) -> set[str]:
    """The surname keys a lone surname asks about: those written alone, and the surnames of
    full names' rows written as a surname (which :func:`_relink_passing_names` revisits)."""
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
    if published.dtype.kind != "M":  # dates as strings, date objects or Arrow dates
        published = published.astype("object")
    ts = pd.to_datetime(published, errors="coerce")
    m = (ts.dt.year * 12 + ts.dt.month - 1).astype("float")
    return m.fillna(-1).astype(int).to_numpy()


def _corpus_choice(
    left: pd.DataFrame,
    fr: pd.DataFrame,
    *,
    dominant_share: float,
    window_months: int,
    min_articles: int = 1,
) -> pd.Series:
    """The dominant full name of each lone surname around its date, named in full in at least
    ``min_articles`` articles there. Returns: entity_id by row."""
    if fr.empty:  # no full name of these surnames anywhere: nothing to choose
        return pd.Series([], dtype=object)
    fa = fr[["article_id", "last", "entity_id", "published"]].drop_duplicates(
        ["article_id", "last", "entity_id"]
    )
    fa = fa.assign(month=_months(fa["published"]))
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
    support = win.groupby(["q", "entity_id"])["n"].sum().to_dict()
    support |= tot.set_index(["q", "entity_id"])["n"].to_dict()
    out = {}
    for row, last, month in zip(q["row"], q["last"], q["month"], strict=True):
        k = f"{last}\x00{month}"
        if month >= 0 and k in choice.index:
            pick = choice[k]
        elif month >= 0 and k in ok.index:
            pick = None  # the window holds several people of that surname: ambiguous
        else:
            k = "*" + last
            pick = overall.get(k)
        if pick is not None and support.get((k, pick), 0) >= min_articles:
            out[row] = pick
    return pd.Series(out, dtype=object)
