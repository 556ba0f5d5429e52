"""Table helpers of the entity resolution: a map over distinct values, and choosing one bearer
of a surname by weight in an article or as the corpus's dominant one around a date."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd


def map_unique(series: pd.Series, fn: Callable) -> pd.Series:
    """``series.map(fn)`` computing ``fn`` once per distinct value (names repeat a lot)."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    values = np.array([fn(u) for u in uniques], dtype=object)
    return pd.Series(values[codes], index=series.index)


def unique_top(hit: pd.DataFrame, by: str, weight: str, *, share: float) -> pd.Series:
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


def month_numbers(published: pd.Series) -> np.ndarray:
    """Month numbers of dates (``-1`` when unknown)."""
    if published.dtype.kind != "M":  # dates as strings, date objects or Arrow dates
        published = published.astype("object")
    ts = pd.to_datetime(published, errors="coerce")
    m = (ts.dt.year * 12 + ts.dt.month - 1).astype("float")
    return m.fillna(-1).astype(int).to_numpy()


def count_full_names(fr: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The articles naming each full name (``fr``: rows with article_id, last, entity_id,
    published), per month and in all.

    Returns: ``(by_month, totals)``: one row per (last, entity_id, month), and per (last,
    entity_id), with n (articles).
    """
    fa = fr[["article_id", "last", "entity_id", "published"]].drop_duplicates(
        ["article_id", "last", "entity_id"]
    )
    fa = fa.assign(month=month_numbers(fa["published"]))
    by_month = fa.groupby(["last", "entity_id", "month"]).size().rename("n").reset_index()
    totals = by_month.groupby(["last", "entity_id"])["n"].sum().rename("n").reset_index()
    return by_month, totals


def choose_in_corpus(
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
    by_month, totals = count_full_names(fr)
    q = pd.DataFrame(
        {"last": left["person_last"].to_numpy(), "month": month_numbers(left["published"])}
    )
    q["row"] = left.index.to_numpy()
    uq = q.drop_duplicates(["last", "month"])
    # Windowed counts: every month within the window, summed per (last, month, entity).
    shifts = np.arange(-window_months, window_months + 1)
    dated = uq[uq["month"] >= 0]
    spread = dated.loc[dated.index.repeat(len(shifts))].copy()
    spread["m"] = spread["month"].to_numpy() + np.tile(shifts, len(dated))
    win = spread.merge(by_month.rename(columns={"month": "m"}), on=["last", "m"], how="inner")
    win["q"] = win["last"] + "\x00" + win["month"].astype(str)
    choice = unique_top(win, "q", "n", share=dominant_share)
    ok = unique_top(win, "q", "n", share=0.0)  # the window named someone of that surname
    tot = totals.assign(q="*" + totals["last"])
    overall = unique_top(tot, "q", "n", share=dominant_share)
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


def choose_among(
    left: pd.DataFrame,
    fr: pd.DataFrame,
    among: pd.Series,
    *,
    dominant_share: float,
    window_months: int,
) -> pd.Series:
    """:func:`choose_in_corpus` where each row chooses only among its own candidates
    (``among``: a frozenset of entity ids per row of ``left``). Rows asking the same question
    (surname, month, candidates) are answered once. Returns: entity_id by row."""
    if left.empty or fr.empty:
        return pd.Series([], dtype=object)
    by_month, totals = count_full_names(fr)
    months = month_numbers(left["published"])
    asks = pd.Series(list(zip(left["person_last"], months, among, strict=True)), index=left.index)
    codes, uniq = pd.factorize(asks)
    sizes = [len(c) for _, _, c in uniq]
    cand = pd.DataFrame(
        {
            "q": np.repeat(np.arange(len(uniq)), sizes),
            "last": np.repeat([last for last, _, _ in uniq], sizes),
            "month": np.repeat([m for _, m, _ in uniq], sizes).astype(int),
            "entity_id": [e for _, _, c in uniq for e in sorted(c)],
        }
    )
    shifts = np.arange(-window_months, window_months + 1)
    dated = cand[cand["month"] >= 0]
    spread = dated.loc[dated.index.repeat(len(shifts))].copy()
    spread["m"] = spread["month"].to_numpy() + np.tile(shifts, len(dated))
    win = spread.merge(
        by_month.rename(columns={"month": "m"}), on=["last", "entity_id", "m"], how="inner"
    )
    choice = unique_top(win, "q", "n", share=dominant_share)
    ok = unique_top(win, "q", "n", share=0.0)  # the window named one of the candidates
    overall = unique_top(
        cand.merge(totals, on=["last", "entity_id"], how="inner"), "q", "n", share=dominant_share
    )
    chosen, seen, whole = choice.to_dict(), set(ok.index), overall.to_dict()
    picks: list[object] = []
    for q, (_, month, _) in enumerate(uniq):
        if month >= 0 and q in chosen:
            picks.append(chosen[q])
        elif month >= 0 and q in seen:
            picks.append(None)  # several candidates in the window: ambiguous
        else:
            picks.append(whole.get(q))
    out = pd.Series(np.array(picks, dtype=object)[codes], index=left.index, dtype=object)
    return out[out.notna()]
