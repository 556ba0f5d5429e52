"""The resolution of a store: built once per store version, kept beside the batches.

The automatic resolution depends on every batch (a later batch can change which full name a
bare surname means), so it is rebuilt from the whole mentions table when a batch is committed,
lazily, by the first reader: ``STORE/.derived/entities-<batches>.parquet``, keyed by the
committed batches and written atomically (any process reads it back until the next batch).
The user's rules are applied on top on every read: they are small and cheap, and changing one
never re-runs the resolution.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from core.entities.names import fold
from core.entities.noise import score_generic_words, score_name_tails
from core.entities.people.titles import read_person_titles
from core.entities.resolve import PAIR_COLUMNS, resolve_pairs
from core.entities.rules import apply_rules, read_rules
from core.schema import conform, empty_table, get_spec
from core.store import Store, StoreError, describe_read_error

DERIVED_DIR = ".derived"
ALGORITHM = "e21"  # bump when resolve_pairs changes, so older files are not read back
_MEMO: OrderedDict[tuple[str, str], pd.DataFrame] = OrderedDict()
_MEMO_LOCK = threading.Lock()
_SKIP_INITIALS = frozenset({"of", "and", "the", "for", "&", "on", "in"})


def batches_token(store: Store) -> str:
    """A token of the store's committed batches (not of its rules)."""
    ids = store.batch_ids()
    return f"{len(ids)}-{ids[-1] if ids else 'none'}-{ALGORITHM}"


def resolution_path(store: Store) -> Path:
    """Where the automatic resolution of the store's current batches is kept."""
    return Path(store.path) / DERIVED_DIR / f"entities-{batches_token(store)}.parquet"


# A name the extractor gave two kinds equally often in an article keeps the first of these
# (a two-word name written as a person and as an organisation is far more often the person; a
# club or firm named after a place, "West Ham", more often the organisation than the place).
KIND_TIES = ("person", "org", "country", "place")
_KIND_RANK = " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(KIND_TIES))
# Ordered: the GROUP BY alone returns its groups in an order that changes with DuckDB's threads
# and spilling, and the order broke ties of kind ("Merrick Garland" flipped between runs).
_PAIRS_SQL = (
    "SELECT m.article_id, m.entity, m.text, m.kind, count(*) AS n_mentions, a.published"
    " FROM mentions m JOIN articles a USING (article_id)"
    " GROUP BY m.article_id, m.entity, m.text, m.kind, a.published"
    f" ORDER BY m.article_id, m.entity, m.text, CASE m.kind {_KIND_RANK} ELSE 99 END, m.kind"
)
# Per (article, entity, text): the kind with most mentions, ties to the first row of the pairs
# query (by KIND_TIES), rows ordered the same way; ``ord`` is each pairs row's position.
_ONE_KIND_SQL = (
    "SELECT article_id, entity, text, arg_max(kind, (n_mentions, -ord)) AS kind,"
    " sum(n_mentions)::BIGINT AS n_mentions, max(n_mentions)::BIGINT AS n_top,"
    " any_value(published)::TIMESTAMP AS published FROM _pairs GROUP BY article_id, entity, text"
    " ORDER BY n_top DESC, arg_max(ord, (n_mentions, -ord))"
)
DUCKDB_MEMORY = "1GB"  # DuckDB's share while resolving: it spills to a temp folder beyond it


@contextlib.contextmanager
def _connect(store: Store) -> Iterator[duckdb.DuckDBPyConnection]:
    """A DuckDB connection with the store's tables as views, held to ``DUCKDB_MEMORY``.

    Unbounded, DuckDB's aggregates over 20M+ mentions held gigabytes of its own next to the
    pandas frames (issue 15); bounded, it spills to a temporary folder instead.
    """
    with tempfile.TemporaryDirectory(prefix="presslens-resolve-") as tmp:
        con = duckdb.connect(
            ":memory:", config={"memory_limit": DUCKDB_MEMORY, "temp_directory": tmp}
        )
        try:
            for name in ("mentions", "articles"):
                sql = store.relation_sql(name)
                if sql is not None:
                    con.execute(f"CREATE TEMP VIEW {name} AS {sql}")
            yield con
        except (duckdb.IOException, duckdb.InvalidInputException) as exc:
            raise StoreError(describe_read_error(Path(store.path), exc)) from exc
        finally:
            con.close()


def read_mention_pairs(store: Store) -> pd.DataFrame:
    """The mentions reduced to what resolution needs.

    Returns: one row per distinct (article_id, entity, text, kind) with n_mentions and the
    article's published date.
    """
    return store.query(_PAIRS_SQL)


def build_resolution(store: Store) -> pd.DataFrame:
    """Resolve the whole store (no rules). Returns: as :func:`resolve_pairs`."""
    pairs = read_resolution_pairs(store)
    words = {
        fold(e)
        for e, k in pairs[["entity", "kind"]].drop_duplicates("entity").to_numpy()
        if k in ("person", "org") and " " not in fold(e)
    }
    generic = score_store_generic_words(store, words)
    people = pairs.loc[pairs["kind"] == "person", "entity"].unique()
    tails = _name_tails(store, [e for e in people if " " not in str(e).strip()])
    acronyms = _defined_acronyms(store, pairs)
    titles = _person_titles(store)
    return resolve_pairs(
        pairs,
        generic=generic,
        acronyms=acronyms,
        fragments=tails,
        titles=titles,
        texts=lambda ids: read_article_texts(store, ids),
    )


_TEXTS_SQL = "SELECT article_id, text FROM articles WHERE article_id IN (SELECT unnest(?))"


def read_article_texts(store: Store, ids: Sequence[str]) -> dict[str, str]:
    """The texts of the stored articles among ``ids``. Returns: article_id -> text."""
    return dict(store.query(_TEXTS_SQL, [list(ids)]).to_numpy()) if ids else {}


def read_resolution_pairs(store: Store) -> pd.DataFrame:
    """The mentions as :func:`resolve_pairs` takes them: :func:`read_mention_pairs` with one
    kind per (article, entity, text), the most mentioned (ties: the first pairs row).

    Reduced by DuckDB and fetched through Arrow: the pairs never pass through pandas at
    their full size (issue 15: this step and its pandas sort set the memory peak).

    Returns: one row per distinct (article_id, entity, text) of the mentions with kind,
    n_mentions (all its mentions) and the article's published date, most mentioned kind first.
    """
    if store.relation_sql("mentions") is None or store.relation_sql("articles") is None:
        return read_mention_pairs(store)[list(PAIR_COLUMNS)]
    with _connect(store) as con:
        pairs = con.sql(_PAIRS_SQL).to_arrow_table()
        pairs = pairs.append_column("ord", pa.array(np.arange(pairs.num_rows, dtype=np.int64)))
        con.register("_pairs", pairs)
        table = con.sql(_ONE_KIND_SQL).to_arrow_table()
        del pairs
        con.unregister("_pairs")
    frame = table.drop_columns("n_top").to_pandas(timestamp_as_object=False)
    del table
    return frame[list(PAIR_COLUMNS)]


def _name_tails(store: Store, names: list[str]) -> dict[str, float]:
    m_sql, a_sql = store.relation_sql("mentions"), store.relation_sql("articles")
    if m_sql is None or a_sql is None or not names:
        return {}
    with _connect(store) as con:
        return score_name_tails(con, m_sql, a_sql, names)


def _person_titles(store: Store) -> pd.DataFrame | None:
    m_sql, a_sql = store.relation_sql("mentions"), store.relation_sql("articles")
    if m_sql is None or a_sql is None:
        return None
    with _connect(store) as con:
        return read_person_titles(con, m_sql, a_sql)


def _defined_acronyms(store: Store, pairs: pd.DataFrame) -> dict[str, str]:
    """Acronym → the name it abbreviates, where the corpus says so.

    Candidates are one-word capitals whose letters are the initials of an extracted name's
    words (function words skipped). The corpus confirms one when some article writes "Name
    (ACRONYM)", or when at least half of the articles naming it in full (two at least) also
    use the acronym (news copy spells a name out once, then abbreviates it).
    """
    names = pairs.loc[pairs["kind"] != "person", "entity"].drop_duplicates()
    by_initials: dict[str, list[str]] = {}
    shorts = []
    for name in names:
        words = name.split()
        if len(words) == 1 and 2 <= len(name) <= 6 and name.isupper() and name.isalpha():
            shorts.append(name)
        elif len(words) >= 2:
            key = "".join(w[0] for w in words if w.lower() not in _SKIP_INITIALS and w[0].isalpha())
            by_initials.setdefault(key.upper(), []).append(name)
    sql = store.relation_sql("articles")
    if not shorts or sql is None:
        return {}
    wanted = {s: by_initials[s] for s in shorts if s in by_initials}
    if not wanted:
        return {}
    used = pairs[pairs["entity"].isin(set(wanted) | {f for v in wanted.values() for f in v})]
    articles = used.groupby("entity")["article_id"].agg(set)
    best: dict[str, tuple[int, str]] = {}
    for short, fulls in wanted.items():
        for full in fulls:
            spelt = articles.get(full, set())
            both = len(spelt & articles.get(short, set()))
            if both >= 2 and both >= 0.5 * len(spelt) and both > best.get(short, (0, ""))[0]:
                best[short] = (both, full)
    with _connect(store) as con:  # every "… (ABC)" of the corpus, once: one regex pass
        found = con.execute(
            "SELECT m, count(*) FROM (SELECT unnest(regexp_extract_all(text,"
            f" '[^()\\n]{{1,100}} \\([A-Z]{{2,6}}\\)')) AS m FROM ({sql})) GROUP BY m"
        ).fetchall()
    for m, n in found:
        before, _, short = m[:-1].rpartition(" (")
        for full in wanted.get(short, ()):
            if before.endswith(full) and n > best.get(short, (0, ""))[0]:
                best[short] = (n, full)
    return {short: full for short, (_n, full) in best.items()}


def score_store_generic_words(store: Store, words: set[str]) -> dict[str, float]:
    """Common-noun shares of ``words`` in the store's texts (:func:`score_generic_words`).

    Returns: lower-cased word → share.
    """
    sql = store.relation_sql("articles")
    if sql is None or not words:
        return {}
    with _connect(store) as con:
        return score_generic_words(con, f"SELECT article_id, text FROM ({sql})", words)


def auto_resolution(store: Store) -> pd.DataFrame:
    """The store's automatic resolution, read back or built (see the module docstring).

    Returns: one row per distinct (article_id, entity, text) of the mentions, as
    ``entity_resolution`` before the user's rules.
    """
    if not store.batch_ids():  # nothing to resolve, and nothing to write into the folder
        return empty_table("entity_resolution")
    path = resolution_path(store)
    key = (str(Path(store.path).resolve()), path.name)
    with _MEMO_LOCK:
        if key in _MEMO:
            _MEMO.move_to_end(key)
            return _MEMO[key]
    try:
        frame = _conformed(pd.read_parquet(path))
    except (OSError, ValueError):  # not built yet (or unreadable): build it
        frame = _conformed(build_resolution(store))
        # The build's Arrow buffers are freed but kept by Arrow's allocator; hand them back
        # before the caller (the query engine) copies the resolution (~0.2 GB per 200k articles).
        pa.default_memory_pool().release_unused()
        if resolution_path(store) == path:  # no batch committed meanwhile
            _write_atomically(frame, path)
    with _MEMO_LOCK:
        _MEMO[key] = frame
        while len(_MEMO) > 4:
            _MEMO.popitem(last=False)
    return frame


def forget_resolutions() -> None:
    """Drop the resolutions this process keeps in memory (benchmarks time the cold path)."""
    with _MEMO_LOCK:
        _MEMO.clear()


def _write_atomically(frame: pd.DataFrame, path: Path) -> None:
    tmp = path.with_name(f".{path.stem}-{uuid.uuid4().hex[:8]}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, path)
        for old in path.parent.glob("entities-*.parquet"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:  # a read-only store: resolution is just not kept
        tmp.unlink(missing_ok=True)


def read_resolution(store: Store, *, rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """The store's resolution with its rules applied (or ``rules`` when given).

    Returns: one row per distinct (article_id, entity, text) of the mentions (the
    ``entity_resolution`` table).
    """
    auto = auto_resolution(store)
    rules = read_rules(store) if rules is None else rules
    return _conformed(apply_rules(auto, rules))


def _conformed(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as the ``entity_resolution`` table: itself when it is already one (conform
    copies every column, and a million articles' resolution is gigabytes), else conformed."""
    spec = get_spec("entity_resolution")
    same = list(frame.columns) == [c.name for c in spec.columns] and all(
        frame[c.name].dtype == c.dtype for c in spec.columns
    )
    if (
        same
        and isinstance(frame.index, pd.RangeIndex)
        and frame.index.start == 0
        and frame.index.step == 1
    ):
        return frame.copy(deep=False)  # copy-on-write: a new table, no copied data
    return conform(frame, "entity_resolution")


def read_entities(store: Store, *, resolution: pd.DataFrame | None = None) -> pd.DataFrame:
    """The canonical entities of the store.

    Returns: one row per canonical entity with a kept mention (the ``entities`` table), most
    mentioned first.
    """
    res = read_resolution(store) if resolution is None else resolution
    res = res[res["status"] == "kept"]
    if res.empty:
        return empty_table("entities")
    countries = store.query(
        "SELECT article_id, entity, text, country_code, count(*) AS n FROM mentions"
        " WHERE country_code IS NOT NULL GROUP BY ALL"
    )
    return summarise_entities(res, countries)


def summarise_entities(res: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """One row per entity_id of a (kept) resolution; ``countries`` gives the country counts
    per (article_id, entity, text). Returns: the ``entities`` table, most mentioned first."""
    # Articles counted by integer code: a distinct count over 10M+ id strings costs gigabytes.
    articles = pd.Series(pd.factorize(res["article_id"])[0], index=res.index)
    g = res.assign(article_id=articles).groupby("entity_id", sort=False)
    out = g.agg(
        name=("name", "first"),
        kind=("kind", "first"),
        n_mentions=("n_mentions", "sum"),
        n_articles=("article_id", "nunique"),
    ).reset_index()
    del g, articles
    # A surname tied to a full name names it by its text ("Trump"), not by the extractor's
    # entity (which may be a relative's full name the corpus step moved it from).
    by_surname = res["resolved_by"].isin(["surname-in-article", "surname-in-corpus"])
    res = res.assign(entity=res["entity"].where(~by_surname, res["text"]))
    alias = res.groupby(["entity_id", "entity"], sort=False)["n_mentions"].sum().reset_index()
    alias = alias.merge(out[["entity_id", "name"]], on="entity_id")
    alias = alias[alias["entity"] != alias["name"]].sort_values(
        ["entity_id", "n_mentions", "entity"], ascending=[True, False, True]
    )
    out["aliases"] = out["entity_id"].map(alias.groupby("entity_id")["entity"].agg("|".join))
    cc = _count_countries(res, countries)
    if not cc.empty:
        with_country = cc.groupby("entity_id")["n"].sum()
        cc = cc.sort_values(["entity_id", "n", "country_code"], ascending=[True, False, True])
        top = cc.drop_duplicates("entity_id").set_index("entity_id")
        # A country is the entity's when at least half of its mentions with a country name it,
        # and two of them do (or its only mention): one "Newcastle" (read as Australia) before
        # "Jose Mourinho" and one "French" beside "Mourinho" make no country of his.
        n = out.set_index("entity_id")["n_mentions"].reindex(top.index)
        held = (top["n"] >= 2) | (n == 1)
        top = top[held & (2 * top["n"] >= with_country.reindex(top.index))]
        out["country_code"] = out["entity_id"].map(top["country_code"])
    out = out.sort_values(["n_mentions", "name"], ascending=[False, True], kind="stable")
    return conform(out, "entities")


def _count_countries(res: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Country counts per entity_id: ``countries`` joined to ``res`` on (article_id, entity,
    text) in DuckDB (a pandas merge on three string keys of every row peaked at gigabytes).

    Returns: one row per (entity_id, country_code) with n.
    """
    with tempfile.TemporaryDirectory(prefix="presslens-resolve-") as tmp:
        config = {"memory_limit": DUCKDB_MEMORY, "temp_directory": tmp}
        con = duckdb.connect(":memory:", config=config)
        try:
            con.register("_res", res[["article_id", "entity", "text", "entity_id"]])
            con.register(
                "_countries", countries[["article_id", "entity", "text", "country_code", "n"]]
            )
            return con.sql(
                "SELECT r.entity_id, c.country_code, sum(c.n)::BIGINT AS n FROM _countries c"
                " JOIN _res r USING (article_id, entity, text) GROUP BY ALL"
            ).df()
        finally:
            con.close()


def read_mentions(store: Store) -> pd.DataFrame:
    """The mentions table as every count sees it: ``entity`` and ``kind`` canonical, the
    mentions of blocked and noise entities left out.

    Returns: one row per kept mention span (the ``mentions`` table's columns).
    """
    res = read_resolution(store)
    res = res[res["status"] == "kept"][["article_id", "entity", "text", "name", "kind"]]
    raw = store.table("mentions")
    out = raw.merge(
        res.rename(columns={"kind": "_kind"}), on=["article_id", "entity", "text"], how="inner"
    )
    out["entity"] = out["name"]
    out["kind"] = out["_kind"]
    out = out.sort_values(["article_id", "start_char"], kind="stable")
    return conform(out, "mentions")
