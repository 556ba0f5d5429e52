"""Extraction engines: where the extraction stage of an ingest runs.

An engine maps *article frames* (``articles`` tables, one batch each) to their languages
(``detect_languages``) and extracted tables (``core.extract.extract_tables``): the per-article
work that costs, while reading files stays cheap. The ingest process stays the one reader
and the one writer: it reads inputs into articles, drops duplicates, hands each batch to the engine
through an :class:`ExtractionPipeline` and commits the finished batches with ``Store.append``
**in the order they were submitted**. So the guarantees of a serial ingest hold unchanged:
each batch is committed atomically, a crash loses at most the batches not yet committed (a
re-run extracts exactly those again, since committed articles are skipped by id), readers see
whole batches only, and the stored rows are those of ``--workers 1``.

Engines (``open_engine`` builds one from the command-line options):

- :class:`SerialEngine` -- in this process: what ``--workers 1`` does.
- :class:`ProcessEngine` -- ``--workers N`` processes on this machine
  (``concurrent.futures.ProcessPoolExecutor``). Each worker builds the gazetteer and the date
  rules once (the pool's initializer), then receives pickled article frames, each batch in
  chunks (two per worker), so no worker idles while another finishes a batch alone. The
  pool starts once a quarter of the first batch is read (``ingest_paths`` calls ``prepare``),
  so the workers build their extractors while the reading goes on; an input that ends before
  that is extracted in process, since a pool could not speed up a small batch and costs
  each worker a second of start-up. A worker that
  dies (killed, out of memory) breaks the pool: the pool is started again and the batches in
  flight are resubmitted, at most :data:`MAX_RESTARTS` times.
- ``DaskEngine`` (``core.ingest.workers.dask_engine``) -- ``--engine dask``: tasks on a
  ``dask.distributed`` cluster (an existing scheduler, or a ``LocalCluster`` of this
  machine's cores). The client reads the inputs and ships article frames to the workers,
  whose processes keep their extractors between tasks.

Memory is bounded by the batch size times the batches in flight (``max_in_flight``: twice
the workers), never by the corpus: :meth:`ExtractionPipeline.ready` blocks on the oldest
batch once that many are out.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import threading
import time
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

from core.extract import extract_tables, get_date_extractor, get_mention_extractor
from core.ingest.language import detect_language

__all__ = [
    "Extracted",
    "ExtractionEngine",
    "ExtractionPipeline",
    "ProcessEngine",
    "SerialEngine",
    "default_workers",
    "extract_batch",
    "join_results",
    "open_engine",
    "split_rows",
]

MAX_RESTARTS = 2  # pool restarts after a worker died, per ingest
# A batch goes to the workers in chunks (two per worker), so that no worker idles while
# another finishes a whole batch alone (at the end of an ingest, or behind a slow batch); a
# chunk is not made smaller than this, as each one costs a round trip and a pickling.
CHUNK_LEAST = 250
Failed = list[tuple[str, str, str]]  # (article_id, origin, reason), see extract_tables
Result = tuple[pd.DataFrame, dict[str, pd.DataFrame], Failed, str]  # see extract_batch


@dataclass
class Extracted:
    """One finished batch: its articles (languages detected), what the caller attached, their
    tables."""

    articles: pd.DataFrame
    context: Any
    tables: dict[str, pd.DataFrame]
    failed: Failed
    where: str  # the worker that extracted it (host, pid, dask worker name)


class ExtractionEngine(Protocol):
    """Runs ``extract_batch`` over article frames somewhere; results come back in any order."""

    name: str
    max_in_flight: int  # batches out at once before the pipeline waits for the oldest
    lazy: bool  # True: a lone batch may be extracted in process instead (see ProcessEngine)
    placements: Counter[str]  # where -> batches (or chunks of one) extracted there

    def submit(self, articles: pd.DataFrame, *, mentions: str, dates: str) -> Any:
        """Start extracting ``articles``; returns a handle for :meth:`result`."""
        ...

    def result(self, handle: Any) -> Result:
        """Wait for a handle: ``(articles, tables, failed, where)`` (see ``extract_batch``)."""
        ...

    def close(self) -> None: ...


def default_workers() -> int:
    """The cores this process may run on (its CPU affinity where known)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _where() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def extract_batch(
    articles: pd.DataFrame, mentions: str = "gazetteer", dates: str = "rules"
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame], Failed, str]:
    """Extract one batch of articles (the task every engine runs, wherever it runs).

    Returns: the articles with their ``language`` detected where it is missing, the extracted
    tables (``extract_tables``), the articles an extractor failed on (``(article_id, origin,
    reason)``), and where it ran (``host:pid``).
    """
    _fault_point()
    articles = detect_languages(articles)
    failed: Failed = []
    tables = extract_tables(articles, mentions=mentions, dates=dates, failed=failed)
    return articles, tables, failed, _where()


def detect_languages(articles: pd.DataFrame) -> pd.DataFrame:
    """``articles`` with each missing ``language`` detected from its text (a new frame).

    Detection costs about as much as reading the article, so it runs here, in the workers,
    rather than in the one process that reads the inputs.

    Returns: one row per article, as given.
    """
    if "language" not in articles.columns:
        return articles
    known = articles["language"]
    if known.notna().all():
        return articles
    values = [
        detect_language(text) if pd.isna(language) else language
        for text, language in zip(articles["text"], known, strict=True)
    ]
    return articles.assign(language=pd.array(values, dtype=known.dtype))


def _fault_point() -> None:
    """Fault injection for the crash tests (unset, this does nothing).

    ``PRESSLENS_FAULT_WORKER_DIR=<dir>``: each extraction first writes its pid to ``<dir>``
    and sleeps ``PRESSLENS_FAULT_WORKER_STALL_SECONDS`` (default 2), so a test can SIGKILL a worker
    that is known to be busy.
    """
    folder = os.environ.get("PRESSLENS_FAULT_WORKER_DIR")
    if folder:
        with open(os.path.join(folder, str(os.getpid())), "w", encoding="utf-8") as fh:
            fh.write(str(os.getpid()))
        time.sleep(float(os.environ.get("PRESSLENS_FAULT_WORKER_STALL_SECONDS", "2")))


# -- serial ------------------------------------------------------------------------------------


class SerialEngine:
    """Extraction in this process, one batch at a time (``--workers 1``)."""

    name = "serial"
    max_in_flight = 0
    lazy = False

    def __init__(self) -> None:
        self.placements: Counter[str] = Counter()

    def submit(self, articles: pd.DataFrame, *, mentions: str, dates: str) -> Any:
        return extract_batch(articles, mentions, dates)

    def result(self, handle: Any) -> Result:
        return handle

    def close(self) -> None:
        return None

    def __enter__(self) -> SerialEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- processes on this machine -----------------------------------------------------------------


def _init_worker(mentions: str, dates: str, writer_pid: int) -> None:
    """Pool initializer: build the extractors once, and die with the writer."""
    # Ctrl-C reaches the whole process group: the writer handles it and shuts the pool down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    get_mention_extractor(mentions)
    get_date_extractor(dates)
    detect_language("The language model loads once per worker, not once per batch.")
    threading.Thread(target=_watch_writer, args=(writer_pid,), daemon=True).start()


def _watch_writer(writer_pid: int) -> None:
    # A writer killed with SIGKILL cannot stop its pool; without this its idle workers would
    # wait on their queue forever.
    while True:
        time.sleep(1.0)
        try:
            os.kill(writer_pid, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:  # a pid reused by another user's process: ours is gone
            os._exit(1)


@dataclass
class _Job:
    """One batch, extracted as ``chunks`` (row ranges) on whichever workers are free."""

    articles: pd.DataFrame
    mentions: str
    dates: str
    chunks: list[slice] = field(default_factory=list)
    futures: list[Future | None] = field(default_factory=list)

    def done(self) -> bool:
        return all(f.done() for f in self.futures)


def split_rows(n: int, *, parts: int, least: int = CHUNK_LEAST) -> list[slice]:
    """``range(n)`` cut into at most ``parts`` consecutive slices of nearly equal size, none
    under ``least`` rows (unless ``n`` itself is).

    Returns: the slices, in order, covering every row once.
    """
    parts = max(1, min(parts, n // max(1, least)))
    size, extra = divmod(n, parts)
    out, start = [], 0
    for k in range(parts):
        stop = start + size + (1 if k < extra else 0)
        out.append(slice(start, stop))
        start = stop
    return out


def join_results(parts: list[Result]) -> Result:
    """The results of a batch's chunks as one result (rows in the order of the chunks).

    Returns: ``(articles, tables, failed, where)``, as ``extract_batch`` for the whole batch;
    ``where`` lists each worker once.
    """
    if len(parts) == 1:
        return parts[0]
    articles = pd.concat([p[0] for p in parts], ignore_index=True)
    tables = {
        name: pd.concat([p[1][name] for p in parts], ignore_index=True) for name in parts[0][1]
    }
    failed = [row for p in parts for row in p[2]]
    where = ",".join(dict.fromkeys(p[3] for p in parts))
    return articles, tables, failed, where


class ProcessEngine:
    """Extraction in ``workers`` processes of this machine; see the module docstring."""

    name = "processes"
    lazy = True

    def __init__(
        self,
        *,
        workers: int | None = None,
        mentions: str = "gazetteer",
        dates: str = "rules",
        chunk_least: int = CHUNK_LEAST,
    ) -> None:
        self.workers = workers or default_workers()
        self.chunk_least = chunk_least
        self.chunks_sent = 0  # chunks submitted (a batch is sent as one or more)
        self.max_in_flight = 2 * self.workers
        self._options = (mentions, dates)
        self._pool: ProcessPoolExecutor | None = None
        self._jobs: list[_Job] = []  # unfinished, for resubmission after a worker died
        self.restarts = 0
        self.placements: Counter[str] = Counter()

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # forkserver: workers start from a clean process, not a fork of a writer that
            # holds DuckDB threads and open files.
            methods = multiprocessing.get_all_start_methods()
            method = "forkserver" if "forkserver" in methods else None
            context = multiprocessing.get_context(method)
            if method == "forkserver":
                # The server imports the extraction code and builds the default extractors
                # once (core.ingest.workers.preload); each worker forks with them built.
                context.set_forkserver_preload(
                    ["core.ingest.workers.engines", "core.ingest.workers.preload"]
                )
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=context,
                initializer=_init_worker,
                initargs=(*self._options, os.getpid()),
            )
        return self._pool

    @property
    def started(self) -> bool:
        """True once the workers were started (by ``prepare`` or a batch)."""
        return self._pool is not None

    def prepare(self) -> None:
        """Start the workers now (they build their extractors, about a second) while the
        caller is still reading the first batch."""
        if self._pool is None:
            pool = self._start()
            for _ in range(self.workers):  # a pool starts a process per task it waits on
                pool.submit(_where)

    def submit(self, articles: pd.DataFrame, *, mentions: str, dates: str) -> _Job:
        chunks = split_rows(len(articles), parts=2 * self.workers, least=self.chunk_least)
        job = _Job(articles, mentions, dates, chunks)
        self.chunks_sent += len(chunks)
        self._jobs.append(job)
        try:
            pool = self._start()
            job.futures = [self._submit_chunk(pool, job, chunk) for chunk in job.chunks]
        except BrokenProcessPool:  # a worker died since the last batch: this one goes out
            job.futures = []  # with the others, to the new pool
            if self.restarts >= MAX_RESTARTS:
                raise
            self._restart()
        return job

    @staticmethod
    def _submit_chunk(pool: ProcessPoolExecutor, job: _Job, chunk: slice) -> Future:
        rows = job.articles.iloc[chunk].reset_index(drop=True)
        return pool.submit(extract_batch, rows, job.mentions, job.dates)

    def result(self, handle: _Job) -> Result:
        while True:
            try:
                parts = [future.result() for future in handle.futures]
            except BrokenProcessPool:
                if self.restarts >= MAX_RESTARTS:
                    raise
                self._restart()
                continue
            self._jobs.remove(handle)
            return join_results(parts)

    def _restart(self) -> None:
        """A worker died: start a new pool and resubmit every unfinished chunk, in order."""
        self.restarts += 1
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = None
        pool = self._start()
        for job in self._jobs:
            if len(job.futures) != len(job.chunks):  # its submission met the broken pool
                job.futures = [None] * len(job.chunks)
            for k, future in enumerate(job.futures):
                if future is None or not future.done() or future.exception() is not None:
                    job.futures[k] = self._submit_chunk(pool, job, job.chunks[k])

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> ProcessEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_engine(
    *,
    engine: str = "processes",
    workers: int | None = None,
    scheduler: str | None = None,
    mentions: str = "gazetteer",
    dates: str = "rules",
) -> ExtractionEngine:
    """Build the engine the command-line options ask for (close it after the ingest).

    ``engine`` is ``processes`` (``workers`` processes here; 1 means in process) or ``dask``
    (``scheduler``, or a LocalCluster of ``workers`` processes). Returns: the engine.
    """
    if engine == "dask":
        from core.ingest.workers.dask_engine import DaskEngine  # imports dask only when asked for

        return DaskEngine(scheduler=scheduler, workers=workers, mentions=mentions, dates=dates)
    if engine != "processes":
        raise ValueError(f"unknown engine {engine!r}; valid: processes, dask")
    if scheduler:
        raise ValueError("--scheduler needs --engine dask")
    n = workers or default_workers()
    if n < 1:
        raise ValueError(f"--workers must be at least 1; got {n}")
    if n == 1:
        return SerialEngine()
    return ProcessEngine(workers=n, mentions=mentions, dates=dates)


# -- the pipeline the ingest loop drives -----------------------------------------------------


@dataclass
class ExtractionPipeline:
    """Batches in, finished batches out in submission order, at most ``max_in_flight`` out.

    ``submit`` a batch (with any ``context`` the caller needs at commit time), then commit
    what ``ready()`` yields; at the end ``ready(drain=True)`` yields the rest. Where each
    batch ran is counted in the engine's ``placements`` (each worker that took a chunk of it).
    """

    engine: ExtractionEngine | None = None
    mentions: str = "gazetteer"
    dates: str = "rules"
    _out: deque = field(default_factory=deque)
    _held: tuple | None = None  # a lazy engine's first batch, until a second one comes
    _sent: int = 0

    def __post_init__(self) -> None:
        if self.engine is None:
            self.engine = SerialEngine()

    def submit(self, articles: pd.DataFrame, context: Any = None) -> None:
        """Hand one batch to the engine (or hold a lazy engine's first batch)."""
        if self.engine.lazy and not self._sent and self._held is None:
            self._held = (articles, context)
            return
        if self._held is not None:
            held, self._held = self._held, None
            self._send(*held)
        self._send(articles, context)

    def _send(self, articles: pd.DataFrame, context: Any, *, engine: Any = None) -> None:
        engine = engine or self.engine
        handle = engine.submit(articles, mentions=self.mentions, dates=self.dates)
        self._sent += 1
        self._out.append((articles, context, engine, handle))

    def ready(self, *, drain: bool = False) -> Iterator[Extracted]:
        """Yield finished batches, oldest first; wait while too many are out (all, if ``drain``)."""
        if self._held is not None:
            held, self._held = self._held, None
            # Drained before any batch went out: the whole input is this one batch, and
            # extracting it here beats starting a pool for it (unless the workers were started
            # already, see ProcessEngine.prepare). Otherwise more batches follow:
            # start the workers now, while the next batch is read.
            in_process = drain and not getattr(self.engine, "started", False)
            self._send(*held, engine=SerialEngine() if in_process else None)
        limit = 0 if drain else self.engine.max_in_flight
        while self._out:
            articles, context, engine, handle = self._out[0]
            if len(self._out) <= limit and not _done(handle):
                return
            articles, tables, failed, where = engine.result(handle)
            self._out.popleft()
            for worker in where.split(","):  # a batch in chunks ran on several workers
                self.engine.placements[worker] += 1
            yield Extracted(articles, context, tables, failed, where)


def _done(handle: Any) -> bool:
    if isinstance(handle, _Job):
        return handle.done()
    done = getattr(handle, "done", None)
    return done() if callable(done) else True
