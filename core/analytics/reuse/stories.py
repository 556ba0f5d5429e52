"""Story grouping: articles from different sources that cover the same story.

Why our own: a grouper must scale to 100k articles on a laptop and keep apart look-alike
events (two different earthquakes in Iran). We never compare all pairs:

1. **Signature.** Each article becomes a TF-IDF vector over the stemmed content words
   of its title and lead (first ``max_words`` words; the lead names the story) plus its
   entity mentions when a mentions table is given. Only its ``top_terms`` heaviest terms
   are kept: rare names, places and numbers, which is what separates look-alike events.
2. **Blocking.** An inverted index of those terms (a DuckDB self-join on term) yields
   candidate pairs that share at least ``min_shared`` signature terms, restricted to
   articles published within ``window_days`` of each other (undated articles are not
   date-restricted). Terms in more than ``max_df`` signatures are dropped from blocking.
   The join is bucketed by date, so work grows with the articles per window, not N².
3. **Scoring and grouping.** A candidate's score is the cosine of the two truncated,
   re-normalised vectors. Pairs at or above ``threshold`` are merged best first, but two
   groups merge only when their *average* linkage (mean score over all their cross
   pairs, a pair that is not a candidate counting 0) also reaches ``threshold``. Plain
   connected components chain look-alike events together through one bridging pair (on
   ECB+ pairwise F1 is 0.83 with the floor, at most 0.79 without it at any threshold);
   average linkage over the sparse candidate graph does not, and stays near-linear
   because groups are small.

MinHash-LSH (datasketch) was considered: it needs scipy and estimates Jaccard of word
shingles, which misses rewrites that share facts but few verbatim shingles.

The whole store's groups (no filter, default options) take seconds on a few thousand
articles, so :func:`group_store_stories` keeps them in ``STORE/.derived/stories-<version>.parquet``,
keyed by ``Store.version()`` and written atomically: any later call, in any process, reads
them back until a new batch changes the version.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from core.analytics.reuse.story_signatures import build_signatures, read_store_signatures

DEFAULT_THRESHOLD = 0.2
CANDIDATE_MEMORY_MB = 1024  # DuckDB's memory for the candidate join (spills beyond)
DERIVED_DIR = ".derived"  # under the store folder: results computed from one store version


def score_candidates(
    signatures: pd.DataFrame,
    days: np.ndarray,
    *,
    window_days: int,
    min_shared: int = 2,
    max_df: int = 1000,
) -> pd.DataFrame:
    """Candidate pairs from the inverted index of signature terms, with their scores.

    ``days`` holds each doc's publication day number (NaN when unknown). Returns: one
    row per candidate pair: ``doc_a`` < ``doc_b``, ``score`` (cosine of the truncated
    vectors), ``shared`` (signature terms in common).
    """
    # DuckDB's default memory limit is 80% of the machine: the candidate join of a million
    # articles took 13.6 GB with it; bounded, DuckDB spills to disk instead.
    spill = os.path.join(tempfile.gettempdir(), "presslens-duckdb-spill")
    con = duckdb.connect(
        ":memory:", config={"memory_limit": f"{CANDIDATE_MEMORY_MB}MB", "temp_directory": spill}
    )
    con.execute("SET enable_progress_bar = false")
    day_frame = pd.DataFrame({"doc": np.arange(len(days)), "day": pd.array(days, dtype="Float64")})
    width = max(int(window_days), 1)
    con.register("sig_df", signatures)
    con.register("day_df", day_frame)
    con.execute(
        """
        CREATE TEMP TABLE sig AS
        SELECT s.doc, s.term, s.weight, d.day,
               CAST(floor(d.day / $w) AS BIGINT) AS bucket
        FROM sig_df s JOIN day_df d USING (doc)
        WHERE s.term IN (SELECT term FROM sig_df GROUP BY term
                         HAVING count(*) BETWEEN 2 AND $max_df)
        """,
        {"w": width, "max_df": int(max_df)},
    )
    # Dated pairs: articles within the window sit in the same or adjacent date buckets,
    # so two equi-joins on (term, bucket) and (term, bucket + 1) find them all.
    # Undated articles meet every article sharing a term.
    return con.execute(
        """
        WITH dated AS (
            SELECT a.doc AS doc_a, b.doc AS doc_b, a.weight * b.weight AS w
            FROM sig a JOIN sig b ON a.term = b.term AND a.bucket = b.bucket
            WHERE a.doc < b.doc AND abs(a.day - b.day) <= $days
            UNION ALL
            SELECT least(a.doc, b.doc), greatest(a.doc, b.doc), a.weight * b.weight
            FROM sig a JOIN sig b ON a.term = b.term AND b.bucket = a.bucket + 1
            WHERE abs(a.day - b.day) <= $days
        ),
        undated AS (
            SELECT least(a.doc, b.doc) AS doc_a, greatest(a.doc, b.doc) AS doc_b,
                   a.weight * b.weight AS w
            FROM sig a JOIN sig b ON a.term = b.term AND a.doc <> b.doc
            WHERE a.bucket IS NULL AND (b.bucket IS NOT NULL OR a.doc < b.doc)
        )
        SELECT doc_a, doc_b, sum(w) AS score, count(*) AS shared
        FROM (SELECT * FROM dated UNION ALL SELECT * FROM undated)
        GROUP BY doc_a, doc_b
        HAVING count(*) >= $min_shared
        """,
        {"days": float(window_days), "min_shared": int(min_shared)},
    ).df()


def join_components(n: int, edges: pd.DataFrame) -> np.ndarray:
    """Union-find over ``edges`` (doc_a, doc_b); returns each doc's root."""
    parent = np.arange(n)

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in zip(edges["doc_a"].to_numpy(), edges["doc_b"].to_numpy(), strict=True):
        ra, rb = find(int(a)), find(int(b))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return np.array([find(i) for i in range(n)])


def _average_linkage(n: int, candidates: pd.DataFrame, threshold: float) -> np.ndarray:
    """Best-first merging under an average-linkage floor; returns each doc's group root."""
    edges = candidates[candidates["score"] >= threshold].sort_values(
        ["score", "doc_a", "doc_b"], ascending=[False, True, True], kind="stable"
    )
    # Only docs of an edge ever join a group, so only pairs between two of them are looked up
    # below (on BBC + BASIL: 309k of 522k candidate pairs; the same result, sooner).
    linked = np.union1d(edges["doc_a"].to_numpy(), edges["doc_b"].to_numpy())
    candidates = candidates[
        np.isin(candidates["doc_a"].to_numpy(), linked)
        & np.isin(candidates["doc_b"].to_numpy(), linked)
    ]
    # The candidate scores as sorted pair keys (16 bytes a pair; a dict of dicts took ~200,
    # 2 GB at a million articles), looked up a merge at a time.
    keys = np.minimum(candidates["doc_a"].to_numpy(), candidates["doc_b"].to_numpy()).astype(
        np.int64
    ) * n + np.maximum(candidates["doc_a"].to_numpy(), candidates["doc_b"].to_numpy())
    order = np.argsort(keys, kind="stable")
    keys, scores = keys[order], candidates["score"].to_numpy()[order]
    del order, candidates
    root = np.arange(n)
    members: dict[int, list[int]] = {}
    for a, b in zip(edges["doc_a"].to_numpy(), edges["doc_b"].to_numpy(), strict=True):
        ra, rb = int(root[a]), int(root[b])
        if ra == rb:
            continue
        group_a, group_b = members.get(ra, [ra]), members.get(rb, [rb])
        # Two single docs: their mean link is this edge's score, at least the threshold.
        if len(group_a) > 1 or len(group_b) > 1:
            total = _linkage_total(group_a, group_b, keys, scores, n)
            if total < threshold * len(group_a) * len(group_b):
                continue
        if len(group_a) < len(group_b):
            ra, rb, group_a, group_b = rb, ra, group_b, group_a
        members[ra] = group_a + group_b
        members.pop(rb, None)
        root[group_b] = ra
    return root


def _linkage_total(
    group_a: list[int], group_b: list[int], keys: np.ndarray, scores: np.ndarray, n: int
) -> float:
    """The sum of the candidate scores between two groups (0 for a pair that is no candidate),
    added doc by doc of ``group_a`` and within it in ``group_b``'s order, as Python adds
    them (the same float, so the same merges, as summing a dict lookup per pair)."""
    a, b = np.asarray(group_a, dtype=np.int64), np.asarray(group_b, dtype=np.int64)
    want = (np.minimum.outer(a, b) * n + np.maximum.outer(a, b)).ravel()
    pos = np.minimum(np.searchsorted(keys, want), len(keys) - 1)
    found = np.where(keys[pos] == want, scores[pos], 0.0).reshape(len(a), len(b))
    total = 0.0
    for row in found.tolist():
        total += sum(row)
    return total


def day_numbers(articles: pd.DataFrame) -> np.ndarray:
    """Each article's publication day as days since 1970 (NaN when undated), in row order."""
    if "published" not in articles:
        return np.full(len(articles), np.nan)
    ts = pd.to_datetime(articles["published"].astype("object"), errors="coerce")
    days = (ts - pd.Timestamp("1970-01-01")).dt.days
    return days.astype("float64").to_numpy()


def group_stories(
    articles: pd.DataFrame,
    mentions: pd.DataFrame | None = None,
    *,
    window_days: int = 3,
    threshold: float = DEFAULT_THRESHOLD,
    top_terms: int = 60,
    min_shared: int = 2,
) -> pd.DataFrame:
    """Group articles that cover the same story.

    ``articles`` needs ``article_id`` and ``text`` (``title`` and ``published`` are used
    when present); ``mentions`` (article_id, entity) adds entity terms to the signatures.

    Returns: one row per article: ``story_id`` (the smallest article_id of its story:
    stable while the story's members are), ``article_id``, ``n_articles`` (story size).
    """
    cols = ["story_id", "article_id", "n_articles"]
    if articles.empty:
        return pd.DataFrame({c: pd.Series([], dtype="string") for c in cols[:2]}).assign(
            n_articles=pd.Series([], dtype="Int64")
        )
    articles = articles.reset_index(drop=True)
    signatures = build_signatures(articles, mentions, top_terms=top_terms)
    return _group_signatures(
        articles, signatures, window_days=window_days, threshold=threshold, min_shared=min_shared
    )


def _group_signatures(
    articles: pd.DataFrame,
    signatures: pd.DataFrame,
    *,
    window_days: int = 3,
    threshold: float = DEFAULT_THRESHOLD,
    min_shared: int = 2,
) -> pd.DataFrame:
    """Group ``articles`` (article_id, published; a RangeIndex) by their ``signatures``.

    Returns: as :func:`group_stories`.
    """
    cols = ["story_id", "article_id", "n_articles"]
    n = len(articles)
    candidates = score_candidates(
        signatures,
        day_numbers(articles),
        window_days=window_days,
        min_shared=min_shared,
        max_df=max(1000, n // 100),
    )
    roots = _average_linkage(n, candidates, threshold)
    ids = articles["article_id"].astype(str).to_numpy()
    frame = pd.DataFrame({"root": roots, "article_id": ids})
    frame["story_id"] = frame.groupby("root")["article_id"].transform("min")
    frame["n_articles"] = frame.groupby("root")["article_id"].transform("size")
    out = frame[cols].sort_values(["story_id", "article_id"]).reset_index(drop=True)
    return out.astype({"story_id": "string", "article_id": "string", "n_articles": "Int64"})


def group_store_stories(store, flt=None, **options) -> pd.DataFrame:
    """Group the stored articles (those matching ``flt`` when given) into stories.

    ``flt`` is None or a :class:`core.analytics.query.filters.Filter`: its article conditions
    (dates, sources, text search) pick the articles; its mention conditions (kinds,
    countries, entities) keep the articles holding at least one such mention.
    ``options`` go to :func:`group_stories`. Without a filter and options the result is
    persisted per store version (see the module docstring). Returns: as :func:`group_stories`.
    """
    if flt is None and not options:
        return _persisted_store_stories(store)
    return _group_store_stories(store, flt, **options)


def stories_path(store) -> Path:
    """Where the whole store's story groups of its current version are kept."""
    version = store.version().replace(":", "-")
    return Path(store.path) / DERIVED_DIR / f"stories-{version}.parquet"


def _persisted_store_stories(store) -> pd.DataFrame:
    path = stories_path(store)
    try:
        return pd.read_parquet(path).astype(
            {"story_id": "string", "article_id": "string", "n_articles": "Int64"}
        )
    except (OSError, ValueError):  # not written yet (or unreadable): compute it again
        pass
    out = _group_store_stories(store, None)
    # An ingest that committed meanwhile may be in ``out``: keep it under no older version.
    if stories_path(store) == path:
        _write_atomically(out, path)
    return out


def _write_atomically(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` to ``path`` via a temp file and a rename; drop older versions' files."""
    tmp = path.with_name(f".{path.stem}-{uuid.uuid4().hex[:8]}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, path)  # atomic: a reader sees the whole file or none
        for old in path.parent.glob("stories-*.parquet"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:  # a read-only store: the groups are just not kept
        tmp.unlink(missing_ok=True)


def _group_store_stories(store, flt=None, **options) -> pd.DataFrame:
    where, params = "TRUE", []
    if flt is not None and hasattr(flt, "where_articles"):
        where, params = flt.where_articles("articles")
        if getattr(flt, "has_mention_filter", False):
            m_where, m_params = flt.where_mentions("mentions")
            where = f"({where}) AND article_id IN (SELECT article_id FROM mentions WHERE {m_where})"
            params = list(params) + list(m_params)
    # The texts are read a slice at a time, each cut to its lead (story_signatures).
    top_terms = options.pop("top_terms", 60)
    articles, signatures = read_store_signatures(store, where, list(params), top_terms=top_terms)
    if articles.empty:
        return group_stories(articles.assign(text=[]), None, **options)
    return _group_signatures(articles, signatures, **options)
