"""The query engine analytics compile to.

The engine: ``Store.query`` reads Parquet on every call, which costs seconds on 10M mentions.
:func:`engine_for` keeps, per store folder and :meth:`Store.version`, a DuckDB database holding
integer-keyed tables (``a`` articles, ``m`` mentions joined to their sentence, ``ent``
entities, ``sent`` sentences, ``txt`` article texts) plus lazily built *cubes*: aggregates per
(source, day) cell. Mentions are read through the store's entity resolution
(``core.entities``): canonical names and kinds, the user's corrections applied. Each article
sits in exactly one cell, so distinct-article counts of cells add up exactly, and date/source
filters (at day precision) never need the mention rows. A new batch or a new correction
changes the version and the next query opens the tables of that version.

Every table is built once per store version and kept on disk (:mod:`engine_files`): any later
process attaches the files read-only instead of rebuilding them, and DuckDB reads the columns a
query needs through a buffer pool bounded by ``PRESSLENS_ENGINE_MEMORY_MB`` (default 1,024),
so the memory of a process does not grow with the store. An empty store's engine stays in
memory (nothing is written into a folder that holds no store).
"""

from __future__ import annotations

import os
import shutil
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import duckdb
import pandas as pd

from core.analytics.query import engine_files as files
from core.analytics.query.engine_files import Memo, memory_limit_mb
from core.analytics.query.filters import Filter, in_clause
from core.analytics.query.frames import PERIODS, as_date, period_end, period_sql, typed  # noqa: F401
from core.analytics.query.search import parse_query
from core.analytics.query.text_index import create_search_table
from core.entities.derived import forget_resolutions, read_resolution, resolution_path
from core.entities.kept import read_kept_batches
from core.schema import DATE, TABLES, empty_table
from core.store import Store

# The columns every evidence table opens with: the article, the sentence, the span in both.
EVIDENCE_CONTEXT = {
    "article_id": "string",
    "source": "string",
    "published": DATE,
    "title": "string",
    "sentence": "Int64",
    "sentence_text": "string",
    "start_in_sentence": "Int64",
    "end_in_sentence": "Int64",
    "start_char": "Int64",
    "end_char": "Int64",
}

# -- the engine ------------------------------------------------------------------------------


class Engine:
    """DuckDB tables of one store version (kept on disk, see the module doc), with lazily
    built cubes."""

    def __init__(self, store: Store) -> None:
        self.version = store.version()
        self._lock = threading.RLock()
        self._local = threading.local()
        self._built: set[str] = set()
        self._searches: dict[str, str] = {}
        self.memo: Memo = Memo()  # results worth keeping per store version (e.g. word counts)
        self._folder: Path | None = None
        self._resolution_token = ""
        if store.batch_ids():
            self._folder = files.engine_folder(store)
            if self._folder is None:  # a read-only store: private files, removed with us
                self._folder = files.private_folder()
                weakref.finalize(self, shutil.rmtree, self._folder, True)
            self._resolution_token = f"{self.version}|{resolution_path(store).name}"
        config = {"memory_limit": f"{memory_limit_mb()}MB"}
        if self._folder is not None:
            config["temp_directory"] = str(self._folder / ".spill")
        self._db = duckdb.connect(":memory:", config=config)
        self._load(store)

    @property
    def folder(self) -> Path | None:
        """Where this engine's table files are (None: an empty store, kept in memory)."""
        return self._folder

    def _load(self, store: Store) -> None:
        con = self._db
        for name in TABLES:
            sql = store.relation_sql(name)
            view = "raw_mentions" if name == "mentions" else f"pq_{name}"
            if sql is not None:
                con.execute(f"CREATE VIEW {view} AS {sql}")
            else:
                con.register(f"_empty_{name}", empty_table(name))
                con.execute(f"CREATE VIEW {view} AS SELECT * FROM _empty_{name}")
        self._resolve_mentions(store)
        self.ensure(
            "src",
            "SELECT (row_number() OVER (ORDER BY source) - 1)::SMALLINT"
            " AS sid, source FROM (SELECT DISTINCT source FROM pq_articles)",
            rules=False,
        )
        # Articles sorted by day so date filters prune row groups; aid is the join key.
        self.ensure(
            "a",
            "SELECT row_number() OVER (ORDER BY published, article_id)::INTEGER"
            " AS aid, article_id, sid, source, published AS day, title, n_words"
            " FROM pq_articles JOIN src USING (source) ORDER BY aid",
            rules=False,
        )
        self.ensure(
            "sent",
            "SELECT a.aid, s.sentence::INTEGER AS sentence,"
            " s.paragraph::INTEGER AS paragraph, s.start_char::INTEGER AS s_start,"
            " s.end_char::INTEGER AS s_end FROM pq_sentences s JOIN a USING (article_id)"
            " ORDER BY a.aid, sentence",
            rules=False,
        )
        # One row per entity: its most frequent kind / country (ties by name) for node labels.
        self.ensure(
            "ent",
            "SELECT row_number() OVER (ORDER BY entity)::INTEGER AS eid,"
            " entity, kind, country_code, n_variants FROM ("
            "  SELECT entity, arg_max(kind, w) AS kind, arg_max(country_code, w) AS country_code,"
            "   count(*) AS n_variants FROM ("
            "    SELECT entity, kind, country_code, count(*) * 1e6"
            "     - rank() OVER (PARTITION BY entity ORDER BY kind, country_code NULLS LAST) AS w"
            "    FROM pq_mentions GROUP BY entity, kind, country_code)"
            "  GROUP BY entity) ORDER BY eid",
        )
        self.ensure(
            "m",
            "SELECT a.aid, a.sid, a.day, mt.sentence::INTEGER AS sentence,"
            " s.paragraph, mt.start_char::INTEGER AS start_char,"
            " mt.end_char::INTEGER AS end_char, mt.text, e.eid, mt.kind, mt.country_code"
            " FROM pq_mentions mt JOIN a USING (article_id) JOIN ent e USING (entity)"
            " LEFT JOIN sent s ON s.aid = a.aid AND s.sentence = mt.sentence"
            " ORDER BY a.day, a.aid, mt.start_char",
        )
        # The texts, read only for the rows a page shows (evidence) or by a text search.
        self.text_table()
        n_variants = con.execute("SELECT coalesce(max(n_variants), 1) FROM ent").fetchone()
        # When each entity has one kind and one country, per-entity cubes stay exact under
        # kind/country filters with several values.
        self.entity_functional = bool(n_variants and n_variants[0] <= 1)
        self.sources = dict(con.execute("SELECT source, sid FROM src").fetchall())

    def _resolve_mentions(self, store: Store) -> None:
        """``pq_mentions``: the stored mentions through the store's entity resolution.

        Every analytic reads mentions from here, so counts, charts and exports use the
        canonical names and kinds (and the user's corrections), and the mentions of blocked
        or noise entities are left out (core.entities). The resolution is read (and, after
        a new batch, built) only when the engine's own copy of it is not on disk yet: streamed
        from its file when no rule applies, else as a frame then dropped (~15M rows at 1M).
        """
        used: list[bool] = []

        def kept() -> dict[str, pd.DataFrame]:
            used.append(True)
            cols = ["article_id", "entity", "text", "name", "kind"]
            if (batches := read_kept_batches(store, cols)) is not None:
                return {"_resolution": batches}
            res = read_resolution(store)
            return {"_resolution": res.loc[res["status"] == "kept", cols]}

        self.ensure("resolution", "SELECT * FROM _resolution", frames=kept)
        if used and self._folder is not None:
            forget_resolutions()
        self._db.execute(
            "CREATE VIEW pq_mentions AS SELECT mt.* REPLACE (r.name AS entity, r.kind AS kind)"
            " FROM raw_mentions mt JOIN resolution r USING (article_id, entity, text)"
        )

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A connection for this thread (DuckDB connections are not shared across threads)."""
        cur = getattr(self._local, "cur", None)
        if cur is None:
            cur = self._db.cursor()
            self._local.cur = cur
        return cur

    def ensure(
        self,
        name: str,
        sql: str,
        *,
        frames: Mapping[str, pd.DataFrame] | Callable[[], Mapping[str, pd.DataFrame]] | None = None,
        rules: bool = True,
        compression: str | None = None,
    ) -> str:
        """Create table ``name`` from ``sql`` once (thread-safe); return ``name``.

        ``frames`` (or a function returning them, called only when the table is built) are
        registered under their keys while ``sql`` runs. With a store, the table is written to
        its own file once per store version and attached read-only (module doc); ``rules``
        False says it does not read the entity resolution, so a correction keeps its file;
        ``compression`` forces DuckDB's compression of the file (``zstd`` for long texts).
        """
        if name in self._built:
            return name
        with self._lock:
            if name in self._built:
                return name
            if self._folder is None:
                self._create(name, sql, frames, f"CREATE OR REPLACE TABLE {name}")
            else:
                version = self._resolution_token if rules else None
                path = files.table_file(self._folder, name, sql, version=version)
                if not path.exists():
                    try:
                        with files.building(path) as needed:
                            if needed:
                                self._write_file(name, sql, frames, path, compression)
                    except (OSError, duckdb.IOException, duckdb.PermissionException):
                        # A folder this process cannot write (another user's): in memory.
                        self._create(name, sql, frames, f"CREATE OR REPLACE TABLE {name}")
                        self._built.add(name)
                        return name
                alias = f"f_{name}"
                self._db.execute(f"ATTACH '{_quote(path)}' AS {alias} (READ_ONLY)")
                self._db.execute(
                    f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM {alias}.main.{name}"
                )
            self._built.add(name)
        return name

    def _create(self, name: str, sql: str, frames, create: str) -> None:
        """Run ``create AS sql`` with ``frames`` registered."""
        frames = frames() if callable(frames) else (frames or {})
        for key, frame in frames.items():
            self._db.register(key, frame)
        try:
            self._db.execute(f"{create} AS {sql}")
        finally:
            for key in frames:
                self._db.unregister(key)

    def _write_file(
        self, name: str, sql: str, frames, path: Path, compression: str | None = None
    ) -> None:
        """Write table ``name`` into a new DuckDB file at ``path`` (via a temporary name)."""
        tmp = files.temporary_path(path)
        alias = f"w_{name}"
        self._db.execute(f"ATTACH '{_quote(tmp)}' AS {alias}")
        try:
            self._db.execute(f"SET memory_limit = '{files.build_memory_mb()}MB'")
            if compression:
                self._db.execute(f"SET force_compression = '{compression}'")
            self._create(name, sql, frames, f"CREATE TABLE {alias}.main.{name}")
            self._db.execute(f"CHECKPOINT {alias}")
        finally:
            if compression:
                self._db.execute("RESET force_compression")
            self._db.execute(f"SET memory_limit = '{memory_limit_mb()}MB'")
            self._db.execute(f"DETACH {alias}")
        try:
            os.replace(tmp, path)
        finally:
            files.remove_quietly(tmp)

    def has(self, name: str) -> bool:
        """True when table ``name`` has been built (or attached) by this engine."""
        return name in self._built

    def df(self, sql: str, params: Sequence = ()) -> pd.DataFrame:
        """Run ``sql`` with ``params`` and return a pandas frame."""
        return self.cursor().execute(sql, list(params)).df()

    # -- filter compilation over the engine's columns ----------------------------------------
    def article_conds(
        self, flt: Filter, *, day: str = "day", sid: str = "sid", aid: str | None = "aid"
    ) -> tuple[list[str], list]:
        """Conditions for the article-level part of ``flt`` (``q`` needs an ``aid`` column)."""
        conds: list[str] = []
        params: list = []
        if flt.date_from:
            conds.append(f"{day} >= ?")
            params.append(flt.date_from)
        if flt.date_to:
            conds.append(f"{day} <= ?")
            params.append(flt.date_to)
        if flt.sources:
            sids = [self.sources[s] for s in flt.sources if s in self.sources]
            conds.append(f"{sid} IN ({', '.join(str(int(s)) for s in sids)})" if sids else "FALSE")
        if flt.q:
            if aid is None:
                raise ValueError("a free-text filter needs article-level rows")
            conds.append(f"{aid} IN (SELECT aid FROM {self.search_table(flt.q)})")
        if flt.countries_by_article:  # the articles mentioning one of the countries
            if aid is None:
                raise ValueError("an articles-that-mention filter needs article-level rows")
            conds.append(f"{aid} IN (SELECT aid FROM {self.mentioning_table(flt.countries)})")
        if flt.languages or flt.meta:  # article-level fields kept outside the engine's tables
            if aid is None:
                raise ValueError("a language or metadata filter needs article-level rows")
            if flt.languages:
                langs = in_clause("t.language", flt.languages)
                conds.append(
                    f"{aid} IN (SELECT a.aid FROM a JOIN pq_articles t USING (article_id)"
                    f" WHERE {langs})"
                )
                params += flt.languages
            for key, values in flt.meta_by_key.items():
                conds.append(
                    f"{aid} IN (SELECT a.aid FROM a JOIN pq_article_meta am USING (article_id)"
                    f" WHERE am.key = ? AND {in_clause('am.value', values)})"
                )
                params += [key, *values]
        return conds, params

    def text_table(self) -> str:
        """The table ``txt(aid, text)`` of article texts, sorted by ``aid``.

        On disk, a query joining a page's rows to it reads the texts of those rows only.
        Compressed with zstd: DuckDB's default left BBC News texts at 1.8x their size (785 MB
        for 200k articles), zstd at 0.3x (129 MB), for 0.4 ms more per article read.
        """
        return self.ensure(
            "txt",
            "SELECT a.aid, t.text FROM pq_articles t JOIN a USING (article_id) ORDER BY a.aid",
            rules=False,
            compression="zstd",
        )

    def search_table(self, q: str) -> str:
        """A table of the ``aid`` of articles whose title or text match search ``q``.

        ``q`` is parsed by :mod:`core.analytics.query.search` (words, "phrases", AND / OR / NOT)
        and answered from the word index of the texts (:mod:`text_index`, built on first use);
        each distinct query's result is kept.
        """
        key = " ".join(q.split())
        with self._lock:
            name = self._searches.get(key)
            if name is None:
                name = f"q_{len(self._searches)}"
                create_search_table(self, name, parse_query(q))
                self._searches[key] = name
        return name

    def mentioning_table(self, countries: Sequence[str]) -> str:
        """A table of the ``aid`` of articles mentioning one of ``countries``, kept per set
        of countries like searches (a scan of every mention: ~0.15 s on 22M mentions)."""
        key = "\0countries " + ",".join(sorted(countries))
        with self._lock:
            name = self._searches.get(key)
            if name is None:
                name = f"q_{len(self._searches)}"
                codes = in_clause("country_code", list(countries))
                self._db.execute(
                    f"CREATE TABLE {name} AS SELECT DISTINCT aid FROM m WHERE {codes}",
                    list(countries),
                )
                self._searches[key] = name
        return name

    def mention_conds(
        self,
        flt: Filter,
        *,
        eid: str = "eid",
        kind: str = "kind",
        country_code: str = "country_code",
        skip: Iterable[str] = (),
    ) -> tuple[list[str], list]:
        """Conditions for the mention-level part of ``flt`` (fields in ``skip`` are left out)."""
        conds: list[str] = []
        params: list = []
        if flt.kinds and "kind" not in skip:
            conds.append(in_clause(kind, flt.kinds))
            params += flt.kinds
        if flt.mention_countries and "country_code" not in skip:
            conds.append(in_clause(country_code, flt.mention_countries))
            params += flt.mention_countries
        if flt.entities and "entity" not in skip:
            names = in_clause("entity", flt.entities)
            conds.append(f"{eid} IN (SELECT eid FROM ent WHERE {names})")
            params += flt.entities
        return conds, params


_ENGINES: OrderedDict[tuple[str, str], Engine] = OrderedDict()
_ENGINES_LOCK = threading.Lock()
_MAX_ENGINES = 4


def engine_for(store: Store) -> Engine:
    """Return the cached engine of ``store``'s current version, building it on first use."""
    key = (str(store.path.resolve()), store.version())
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is not None:
            _ENGINES.move_to_end(key)
            return engine
        # Older versions of the same store are stale: drop them now to free memory.
        for old in [k for k in _ENGINES if k[0] == key[0]]:
            del _ENGINES[old]
        engine = Engine(store)
        _ENGINES[key] = engine
        while len(_ENGINES) > _MAX_ENGINES:
            _ENGINES.popitem(last=False)
        return engine


def _quote(path: Path) -> str:
    """``path`` inside a single-quoted SQL string."""
    return str(path).replace("'", "''")


def where(conds: Sequence[str]) -> str:
    """``WHERE a AND b`` or an empty string."""
    return ("WHERE " + " AND ".join(conds)) if conds else ""
