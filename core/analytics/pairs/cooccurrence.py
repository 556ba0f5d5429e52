"""Entity co-occurrence: pairs within a sentence, paragraph or article, as tables and graphs.

Definitions (one window = one sentence, paragraph or article of the filtered corpus):

* ``n_windows`` (N): windows holding at least one mention, of any entity;
* ``n_a``, ``n_b``: windows holding entity a (b); ``n_pair``: windows holding both;
* ``jaccard = n_pair / (n_a + n_b - n_pair)``;
* ``pmi = ln(n_pair * N / (n_a * n_b))`` (natural log), i.e. ``ln p(ab) / (p(a) p(b))``;
* ``npmi = pmi / -ln(n_pair / N)``, in [-1, 1]; 1 when both occur in every window.

The article-level filter fields (dates, sources, q) choose the windows. ``kinds`` and
``countries`` choose which entities may be nodes (on each entity's most frequent kind and
country); ``entities`` keeps the pairs with at least one side among them (an ego network). None of
them changes N, n_a or n_b, so a pair's PMI does not move when other nodes are hidden.

Speed: sentence and paragraph pairs are precomputed per window in the per-store engine (see
``filters``), with totals for the unfiltered corpus; :func:`build_pair_table` is the same
computation in pandas, for building the table at ingest. Article-window pairs (d^2 per article,
too many to precompute) come from :mod:`core.analytics.pairs.article_pairs`: for a ``top``,
the exact top pairs counted among the frequent entities only; without one, every pair,
refused when too many.
"""

from __future__ import annotations

import math
import threading

import pandas as pd

from core.analytics.pairs.article_pairs import count_article_pairs
from core.analytics.pairs.article_rows import select_window_articles
from core.analytics.pairs.graph import build_graph, layout_graph  # noqa: F401 (pages import them here)
from core.analytics.query.engine import DATE, Engine, engine_for, typed, where
from core.analytics.query.filters import Filter
from core.store import Store

WINDOWS = ("sentence", "paragraph", "article")

PAIR_COLUMNS = {
    "entity_a": "string",
    "entity_b": "string",
    "kind_a": "string",
    "kind_b": "string",
    "country_code_a": "string",
    "country_code_b": "string",
    "n_pair": "Int64",
    "n_a": "Int64",
    "n_b": "Int64",
    "n_windows": "Int64",
    "jaccard": "Float64",
    "pmi": "Float64",
    "npmi": "Float64",
}


def _window_col(window: str) -> str:
    if window not in WINDOWS:
        raise ValueError(f"unknown window {window!r}; valid: {', '.join(WINDOWS)}")
    return {"sentence": "sentence", "paragraph": "coalesce(paragraph, -1)", "article": "0"}[window]


def _window_tables(eng: Engine, window: str) -> str:
    """Build (once) the window tables of ``window``; return the suffix of their names.

    ``we_<w>(aid, sid, day, w, eid)``: entity present in a window; ``node_<w>``/``win_<w>``:
    per-(source, day) counts of windows per entity / of windows; ``gnode_<w>``, ``gwin_<w>``:
    the same over the whole store. Sentence and paragraph windows also get
    ``wp_<w>(aid, sid, day, w, ea, eb)`` (one row per window and pair, ``ea < eb`` by name) and
    ``gpair_<w>`` (store-wide pair counts of at least 2).
    """
    w = window
    # Only the article table is filtered by date directly; the others feed sorted tables.
    order = " ORDER BY day, aid" if w == "article" else ""
    eng.ensure(
        f"we_{w}", f"SELECT DISTINCT aid, sid, day, {_window_col(w)} AS w, eid FROM m{order}"
    )
    eng.ensure(
        f"node_{w}",
        f"SELECT sid, day, eid, count(*) AS n FROM we_{w} GROUP BY ALL ORDER BY day, sid",
    )
    eng.ensure(
        f"win_{w}",
        f"SELECT sid, day, count(*) AS n FROM (SELECT DISTINCT aid, sid, day, w FROM we_{w})"
        " GROUP BY ALL ORDER BY day, sid",
    )
    eng.ensure(f"gnode_{w}", f"SELECT eid, sum(n) AS n FROM node_{w} GROUP BY eid")
    eng.ensure(f"gwin_{w}", f"SELECT coalesce(sum(n), 0) AS n FROM win_{w}")
    if w != "article":
        # eid follows entity names, so ea < eb is entity_a < entity_b.
        eng.ensure(
            f"wp_{w}",
            f"SELECT x.aid, x.sid, x.day, x.w, x.eid AS ea, y.eid AS eb FROM we_{w} x"
            f" JOIN we_{w} y ON x.aid = y.aid AND x.w = y.w AND x.eid < y.eid"
            " ORDER BY x.day, x.aid",
        )
        eng.ensure(
            f"gpair_{w}",
            f"SELECT ea, eb, count(*) AS n FROM wp_{w} GROUP BY ea, eb HAVING count(*) >= 2",
        )
    return w


def _node_conds(eng: Engine, flt: Filter) -> tuple[list[str], list]:
    """Conditions on ``p(ea, eb)`` joined to ``xa``/``xb`` (the entity rows of each side)."""
    conds: list[str] = []
    params: list = []
    for col, values in (("kind", flt.kinds), ("country_code", flt.mention_countries)):
        if values:
            marks = ", ".join("?" for _ in values)
            conds.append(f"xa.{col} IN ({marks}) AND xb.{col} IN ({marks})")
            params += [*values, *values]
    if flt.entities:
        marks = ", ".join("?" for _ in flt.entities)
        conds.append(f"(xa.entity IN ({marks}) OR xb.entity IN ({marks}))")
        params += [*flt.entities, *flt.entities]
    return conds, params


def count_pairs(
    store: Store,
    flt: Filter | None = None,
    *,
    window: str = "sentence",
    min_support: int = 2,
    top: int | None = None,
) -> pd.DataFrame:
    """Count co-occurring entity pairs in ``window``s of the filtered corpus (see module doc).

    Returns: one row per unordered pair (entity_a < entity_b) held by at least ``min_support``
    windows: entity_a, entity_b, kind_a, kind_b, country_code_a, country_code_b, n_pair, n_a,
    n_b, n_windows, jaccard, pmi, npmi; sorted by n_pair then npmi, descending; ``top`` keeps
    the first rows.

    Raises: ValueError for an article window without ``top`` whose pairs are too many to count
    (see :mod:`core.analytics.pairs.article_pairs`).
    """
    flt = flt or Filter()
    eng = engine_for(store)
    w = _window_tables(eng, window)
    min_support = max(int(min_support), 1)
    pairs, nodes, total, params = _pair_sql(eng, flt, w, min_support)
    if window != "article":
        return _rank_pairs(eng, flt, pairs, nodes, total, params, top)
    # Article windows: the exact candidates for the top (see article_pairs), registered as tables.
    cur = eng.cursor()
    selection = None
    if flt.needs_article_rows:  # an arbitrary set of articles: read in memory
        selection = select_window_articles(eng, flt)
        df = selection.nodes
        total, params = f"SELECT {int(selection.n_articles)}::BIGINT AS n", (params[0], [], [])
    else:
        df = cur.execute(nodes, params[1]).df().astype({"eid": "int32", "n": "int64"})
    found = count_article_pairs(
        eng, flt, df=df, min_support=min_support, top=top, selection=selection
    )
    names = (f"_pairs_{threading.get_ident()}", f"_nodes_{threading.get_ident()}")
    cur.register(names[0], found)
    cur.register(names[1], df)
    try:
        return _rank_pairs(
            eng,
            flt,
            f"SELECT ea, eb, n_pair FROM {names[0]}",
            f"SELECT eid, n FROM {names[1]}",
            total,
            ([], [], params[2]),
            top,
        )
    finally:
        for name in names:
            cur.unregister(name)


def _pair_sql(
    eng: Engine, flt: Filter, w: str, min_support: int
) -> tuple[str, str, str, tuple[list, list, list]]:
    """SQL of the pairs (ea, eb, n_pair), nodes (eid, n) and total (n) of window ``w``.

    Returns: (pairs, nodes, total, (pair params, node params, total params)); for the article
    window the pairs SQL is empty (they come from :func:`count_article_pairs`).
    """
    a_conds, a_params = eng.article_conds(flt)
    if not a_conds and (w == "article" or min_support >= 2):
        nodes, total = f"SELECT eid, n FROM gnode_{w}", f"SELECT n FROM gwin_{w}"
        pairs = f"SELECT ea, eb, n AS n_pair FROM gpair_{w} WHERE n >= ?" if w != "article" else ""
        return pairs, nodes, total, ([min_support] if pairs else [], [], [])
    pairs = ""
    if w != "article":
        pairs = (
            f"SELECT ea, eb, count(*) AS n_pair FROM wp_{w} {where(a_conds)} GROUP BY ea, eb"
            " HAVING count(*) >= ?"
        )
    if flt.needs_article_rows:  # q or countries-by-article: no cube holds them
        nodes = f"SELECT eid, count(*) AS n FROM we_{w} {where(a_conds)} GROUP BY eid"
        total = f"SELECT count(*) AS n FROM (SELECT DISTINCT aid, w FROM we_{w} {where(a_conds)})"
        return pairs, nodes, total, ([*a_params, min_support], a_params, a_params)
    cube_conds, cube_params = eng.article_conds(flt, aid=None)
    nodes = f"SELECT eid, sum(n) AS n FROM node_{w} {where(cube_conds)} GROUP BY eid"
    total = f"SELECT coalesce(sum(n), 0) AS n FROM win_{w} {where(cube_conds)}"
    return pairs, nodes, total, ([*a_params, min_support], cube_params, cube_params)


def _rank_pairs(
    eng: Engine,
    flt: Filter,
    pairs: str,
    nodes: str,
    total: str,
    params: tuple[list, list, list],
    top: int | None,
) -> pd.DataFrame:
    """Join pair counts to their nodes, score, apply the node filters, rank and cut at ``top``.

    Returns: the rows of :func:`count_pairs`.
    """
    n_conds, n_params = _node_conds(eng, flt)
    limit = f"LIMIT {int(top)}" if top is not None else ""
    # The same formulas as pmi() / npmi() below, in SQL so only the top rows leave DuckDB.
    sql = (
        f"WITH p AS ({pairs}), nodes AS ({nodes}), total AS ({total}),"
        " c AS (SELECT p.ea, p.eb, p.n_pair, na.n AS n_a, nb.n AS n_b, total.n AS n_windows"
        " FROM p JOIN nodes na ON na.eid = p.ea JOIN nodes nb ON nb.eid = p.eb"
        " CROSS JOIN total),"
        " s AS (SELECT *, ln(n_pair * n_windows / (n_a * n_b)) AS pmi FROM c)"
        " SELECT xa.entity AS entity_a, xb.entity AS entity_b, xa.kind AS kind_a,"
        " xb.kind AS kind_b, xa.country_code AS country_code_a,"
        " xb.country_code AS country_code_b, n_pair, n_a, n_b, n_windows,"
        " n_pair / (n_a + n_b - n_pair) AS jaccard, pmi,"
        " CASE WHEN n_pair >= n_windows THEN 1.0 ELSE pmi / -ln(n_pair / n_windows) END"
        " AS npmi"
        " FROM s JOIN ent xa ON xa.eid = s.ea JOIN ent xb ON xb.eid = s.eb"
        f" {where(n_conds)}"
        f" ORDER BY n_pair DESC, npmi DESC, entity_a, entity_b {limit}"
    )
    return typed(eng.df(sql, [*params[0], *params[1], *params[2], *n_params]), PAIR_COLUMNS)


def pmi(n_pair: float, n_a: float, n_b: float, n_windows: float) -> float:
    """Pointwise mutual information ``ln(n_pair * N / (n_a * n_b))`` of window counts."""
    return math.log(n_pair * n_windows / (n_a * n_b))


def npmi(n_pair: float, n_a: float, n_b: float, n_windows: float) -> float:
    """Normalised PMI ``pmi / -ln(n_pair / N)``; 1.0 when the pair is in every window."""
    if n_pair >= n_windows:
        return 1.0
    return pmi(n_pair, n_a, n_b, n_windows) / -math.log(n_pair / n_windows)


def build_pair_table(mentions: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Precompute sentence- and paragraph-window entity pairs (for a derived table at ingest).

    ``mentions`` and ``sentences`` follow ``core.schema``. Each entity counts once per window.

    Returns: one row per (article_id, window, index, entity_a, entity_b) with entity_a <
    entity_b: window (``sentence`` | ``paragraph``), index (sentence or paragraph index).
    """
    cols = {
        "article_id": "string",
        "window": "string",
        "index": "Int64",
        "entity_a": "string",
        "entity_b": "string",
    }
    para = sentences[["article_id", "sentence", "paragraph"]]
    m = mentions[["article_id", "sentence", "entity"]].merge(
        para, on=["article_id", "sentence"], how="left"
    )
    frames = []
    for window, col in (("sentence", "sentence"), ("paragraph", "paragraph")):
        present = m[["article_id", col, "entity"]].dropna().drop_duplicates()
        both = present.merge(present, on=["article_id", col], suffixes=("_a", "_b"))
        both = both[both["entity_a"] < both["entity_b"]]
        frames.append(both.rename(columns={col: "index"}).assign(window=window)[list(cols)])
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(cols))
    out = out.sort_values(
        ["window", "article_id", "index", "entity_a", "entity_b"],
        ascending=[False, True, True, True, True],
    )
    return typed(out, cols)


EVIDENCE_COLUMNS = {
    "article_id": "string",
    "source": "string",
    "published": DATE,
    "title": "string",
    "window": "Int64",
    "window_start": "Int64",
    "window_text": "string",
    "mention_a": "string",
    "start_a": "Int64",
    "end_a": "Int64",
    "mention_b": "string",
    "start_b": "Int64",
    "end_b": "Int64",
}


def find_pair_evidence(
    store: Store,
    flt: Filter | None,
    a: str,
    b: str,
    *,
    window: str = "sentence",
    limit: int | None = 100,
) -> pd.DataFrame:
    """List the windows holding both entities ``a`` and ``b`` (one row per window).

    Without ``limit`` the number of rows equals the pair's n_pair in :func:`count_pairs` under
    the same filter. The text shown is the window (sentence or paragraph); for the article
    window it runs from the sentence of the first mention of one to that of the other.

    Returns: one row per window, newest article first: article_id, source, published, title,
    window (sentence / paragraph index; 0 for the article), window_start (offset of
    window_text in the article), window_text, and for each side its first mention in the
    window: mention_a, start_a, end_a, mention_b, start_b, end_b (offsets in window_text).
    """
    flt = flt or Filter()
    eng = engine_for(store)
    col = _window_col(window)
    w = _window_tables(eng, window)
    ids = dict(
        eng.cursor()
        .execute("SELECT entity, eid FROM ent WHERE entity IN (?, ?)", [a, b])
        .fetchall()
    )
    if a == b or a not in ids or b not in ids:
        return typed(pd.DataFrame(), EVIDENCE_COLUMNS)
    lo, hi = sorted((ids[a], ids[b]))
    conds, params = eng.article_conds(flt)
    lim = f"LIMIT {int(limit)}" if limit is not None else ""
    if window == "article":
        windows = (
            f"SELECT aid, 0 AS w, any_value(day) AS day FROM we_article"
            f" {where([*conds, f'eid IN ({lo}, {hi})'])} GROUP BY aid HAVING count(*) = 2"
        )
    else:
        windows = f"SELECT aid, w, day FROM wp_{w} {where([*conds, f'ea = {lo}', f'eb = {hi}'])}"
    # The first mention of each side in each window, for highlighting.
    first = (
        f"SELECT m.aid, {col} AS w, m.eid, arg_min(m.text, m.start_char) AS mention,"
        " min(m.start_char) AS s, arg_min(m.end_char, m.start_char) AS e,"
        " arg_min(m.sentence, m.start_char) AS sentence"
        f" FROM m SEMI JOIN win ON m.aid = win.aid AND {col} = win.w"
        f" WHERE m.eid IN ({lo}, {hi}) GROUP BY ALL"
    )
    if window == "paragraph":
        spans = (
            "SELECT aid, paragraph AS w, min(s_start) AS ws, max(s_end) AS we FROM sent"
            " SEMI JOIN win ON sent.aid = win.aid AND sent.paragraph = win.w GROUP BY ALL"
        )
    else:
        # A sentence window spans its sentence; an article window the sentences of the two
        # first mentions and everything between them.
        spans = (
            "SELECT h.aid, h.w, s1.s_start AS ws, s2.s_end AS we FROM h"
            " JOIN sent s1 ON s1.aid = h.aid AND s1.sentence = least(h.xs, h.ys)"
            " JOIN sent s2 ON s2.aid = h.aid AND s2.sentence = greatest(h.xs, h.ys)"
        )
    txt = eng.text_table()
    sql = (
        f"WITH win AS ({windows} ORDER BY day DESC NULLS LAST, aid, w {lim}),"
        f" f AS ({first}),"
        " h AS (SELECT win.aid, win.w, win.day, x.mention AS mention_a, x.s AS sa,"
        " x.e AS ea, x.sentence AS xs, y.mention AS mention_b, y.s AS sb, y.e AS eb,"
        " y.sentence AS ys FROM win JOIN f x ON x.aid = win.aid AND x.w = win.w"
        " JOIN f y ON y.aid = win.aid AND y.w = win.w WHERE x.eid = ? AND y.eid = ?),"
        f" spans AS ({spans})"
        " SELECT a.article_id, a.source, a.day AS published, a.title, h.w AS window,"
        " ws AS window_start, substr(t.text, ws + 1, we - ws) AS window_text,"
        " mention_a, sa - ws AS start_a, ea - ws AS end_a,"
        " mention_b, sb - ws AS start_b, eb - ws AS end_b"
        " FROM h JOIN spans USING (aid, w) JOIN a ON a.aid = h.aid"
        f" JOIN {txt} t ON t.aid = h.aid"
        " ORDER BY h.day DESC NULLS LAST, h.aid, h.w"
    )
    df = eng.df(sql, [*params, ids[a], ids[b]])
    return typed(df, EVIDENCE_COLUMNS)
