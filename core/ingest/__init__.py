"""Ingest: files, folders, zips, HTML and records in; stored tidy tables out.

``ingest_paths`` reads every input, turns each document into articles,
drops articles already stored (same ``article_id``), runs the extraction
stage and appends the tables to the store one atomic batch at a time.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from core.ingest.formats.decode import Decoded, DecodeError, decode_document
from core.ingest.formats.documents import Draft, RecordError, read_html, read_plain_text
from core.ingest.formats.records import ColumnMapError, MapCheck, RecordOptions, read_records
from core.ingest.language import describe_unsupported, is_extracted
from core.ingest.sample import drop_batches, find_sample_batches
from core.ingest.sources.inputs import (
    HTML_SUFFIXES,
    MAX_ARTICLE_BYTES,
    RECORD_SUFFIXES,
    Item,
    Rejected,
    Skipped,
    iter_inputs,
)
from core.ingest.sources.safety import check_url
from core.ingest.sources.web import (
    Found,
    KnownURL,
    WebOptions,
    WebPage,
    canonical_url,
    is_url,
    iter_web,
    read_web_page,
)
from core.ingest.workers.engines import ExtractionEngine, ExtractionPipeline
from core.ingest.workers.progress import IngestProgress, ProgressReporter, count_items
from core.schema import conform
from core.store import SAMPLES, Store, writes_store
from core.text import count_words, first_sentence, normalise_text, replace_surrogates

__all__ = [
    "ColumnMapError",
    "IngestReport",
    "article_id_of",
    "ingest_paths",
    "read_articles",
    "ensure_sample_store",
]

DEFAULT_BATCH_SIZE = 2000
MAX_SOURCE_CHARS = 200  # a longer source is not a name (a text or a payload in the wrong field)
MAX_UNCHECKED = 50_000  # articles held back while a --map field has not been found yet


@dataclass
class IngestReport:
    """What an ingest did: counts, and every rejected input with its reason."""

    added: int = 0
    duplicates: int = 0
    documents: int = 0
    batches: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # what the ingest decided for the user

    @property
    def ok(self) -> bool:
        return not self.rejected

    def summary(self) -> str:
        lines = [
            f"added {self.added} article(s), {self.duplicates} duplicate(s) skipped, "
            f"{len(self.rejected)} rejected, {len(self.skipped)} file(s) skipped"
        ]
        lines += [f"rejected: {origin}: {reason}" for origin, reason in self.rejected]
        lines += [f"skipped: {origin}: {reason}" for origin, reason in self.skipped]
        lines += [f"warning: {w}" for w in self.warnings]
        lines += [f"note: {n}" for n in self.notices]
        return "\n".join(lines)


def article_id_of(text: str) -> str:
    """Return the stable id of a normalised text: the first 16 hex digits of its SHA-1."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def read_articles(
    items: Iterable[Item | Rejected],
    *,
    source: str | None = None,
    source_from_folder: bool = False,
    column_map: Mapping[str, str] | None = None,
    date_order: str = "auto",
    map_check: MapCheck | None = None,
    report: IngestReport,
    tracker: ProgressReporter | None = None,
):
    """Turn input items into article rows (dicts with the ``articles`` columns).

    Rejections and warnings go to ``report``. Source precedence: record
    metadata or URL domain > header tag > ``source`` > folder name (when
    ``source_from_folder``) > ``unknown``. A row's other fields ride along
    under the ``_meta`` key as ``(key, value)`` pairs.
    """
    options = RecordOptions(
        column_map=dict(column_map or {}), date_order=date_order, check=map_check
    )
    tick = tracker.advance if tracker is not None else _no_progress
    grow = tracker.grow if tracker is not None else _no_progress
    for item in items:
        if isinstance(item, Found):
            grow(item.pages - 1)  # a feed or sitemap stands for its pages
            continue
        if isinstance(item, Rejected):
            report.rejected.append((item.origin, item.reason))
            tick()
            continue
        if isinstance(item, Skipped):
            report.skipped.append((item.origin, item.reason))
            continue
        if isinstance(item, KnownURL):
            report.duplicates += 1
            tick()
            continue
        report.documents += 1
        try:
            decoded = decode_document(item.data)
        except DecodeError as exc:
            report.rejected.append((item.origin, str(exc)))
            tick()
            continue
        if decoded.warning:
            report.warnings.append(f"{item.origin}: {decoded.warning}")
        content = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
        try:
            if item.suffix in RECORD_SUFFIXES:
                drafts, notes = read_records(
                    content, origin=item.origin, suffix=item.suffix, options=options
                )
                report.warnings.extend(notes)
            elif isinstance(item, WebPage):
                drafts = [read_web_page(content, item)]
            elif item.suffix in HTML_SUFFIXES:
                drafts = [read_html(content, origin=item.origin)]
            else:
                drafts = [read_plain_text(content, origin=item.origin)]
        except RecordError as exc:
            report.rejected.append((item.origin, str(exc)))
            tick()
            continue
        except Exception as exc:  # noqa: BLE001 - a reader's bug costs this document, not the run
            report.rejected.append((item.origin, f"could not be read ({_describe(exc)})"))
            tick()
            continue
        grow(len(drafts) - 1)  # a record file stands for its records
        for draft in drafts:
            tick()
            if isinstance(draft, RecordError):
                where, _, reason = str(draft).partition(": ")
                report.rejected.append((where, reason))
                continue
            if decoded.encoding != "utf-8" or decoded.replaced:
                # The encoding read, kept in article_meta when it is not plain UTF-8.
                draft.meta.append(("encoding", _encoding_label(decoded)))
            if len(draft.text) > MAX_ARTICLE_BYTES:  # one record's text: the article limit
                report.rejected.append(
                    (draft.origin, f"text of {len(draft.text):,} characters is over the limit "
                     f"of {MAX_ARTICLE_BYTES:,} for one article (PRESSLENS_MAX_ARTICLE_MB)")
                )  # fmt: skip
                continue
            try:
                row = _article_row(
                    draft, folder=item.folder if source_from_folder else None, source=source
                )
            except Exception as exc:  # noqa: BLE001 - one odd record costs itself, not the run
                report.rejected.append((draft.origin, f"could not be read ({_describe(exc)})"))
                continue
            report.warnings.extend(draft.warnings)
            if row is None:
                report.rejected.append((draft.origin, "no text after removing the header"))
                continue
            yield row


def _describe(exc: BaseException) -> str:
    """An unexpected error in one line: its type and the start of its message."""
    message = str(exc).splitlines()[0][:120] if str(exc) else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _encoding_label(decoded: Decoded) -> str:
    extra = f" ({decoded.replaced} invalid bytes replaced)" if decoded.replaced else ""
    return decoded.encoding + extra


def _article_row(draft: Draft, *, folder: str | None, source: str | None) -> dict | None:
    text = normalise_text(draft.text)
    if not text:
        return None
    title = draft.title
    if not title:
        title = first_sentence(text) or text
    title = normalise_text(title)
    if len(title) > 300:
        title = title[:299].rstrip() + "…"
    chosen = draft.source or draft.header_source or source or folder or "unknown"
    url, url_problem = check_url(draft.url)  # only http(s) links (core.ingest.sources.safety)
    if url_problem:
        draft.warnings.append(f"{draft.origin}: {url_problem}")
    return {
        "article_id": article_id_of(text),
        # a lone surrogate (a JSON escape) cannot be stored; a source name is a name, not a text
        "source": replace_surrogates(chosen.strip())[:MAX_SOURCE_CHARS] or "unknown",
        "published": draft.published if not isinstance(draft.published, str) else None,
        "title": title,
        "text": text,
        "url": url,
        "origin": draft.origin,
        "n_words": count_words(text),
        # detected with the extraction, in its workers (core.ingest.workers.engines)
        "language": None,
        "_meta": [(replace_surrogates(k), replace_surrogates(v)) for k, v in draft.meta],
    }


@writes_store  # one writer per store for the whole run: a second ingest waits
def ingest_paths(
    paths: list[str | os.PathLike[str]],
    *,
    store: Store,
    source: str | None = None,
    source_from_folder: bool = False,
    column_map: Mapping[str, str] | None = None,
    date_order: str = "auto",
    mentions: str = "gazetteer",
    dates: str = "rules",
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: bool | None = None,
    on_progress: Callable[[int], None] | None = None,
    on_status: Callable[[IngestProgress], None] | None = None,
    root: Path | None = None,
    replace_sample: bool = False,
    web: WebOptions | None = None,
    engine: ExtractionEngine | None = None,
) -> IngestReport:
    """Ingest ``paths`` (files, folders, zips) into ``store``.

    Each batch of up to ``batch_size`` new articles is extracted and appended
    atomically; articles already stored, or seen earlier in this run, are
    counted as duplicates. ``progress`` shows a bar on stderr (None: only on a
    terminal) with items done of the total, rate and time left; ``on_status``
    gets the same ``IngestProgress`` (a few times a second), ``on_progress``
    the number of documents read.
    ``replace_sample``: when ``store`` holds only the bundled sample, remove it
    first, so the store holds the user's articles alone (said in the report).
    ``http(s)://`` entries of ``paths`` are pages, RSS/Atom feeds or sitemaps,
    fetched within the bounds of ``web`` (``core.ingest.sources.web``).
    ``engine`` extracts the batches (``core.ingest.workers.engines``; None: in this process).

    Returns: the ``IngestReport``.
    """
    report = IngestReport()
    if replace_sample and (sample_batches := find_sample_batches(store)):
        drop_batches(store, sample_batches)
        report.notices.append(
            f"{store.path} held only the bundled sample: removed it, so it holds your articles "
            f"alone (`python -m core ingest` with no path builds the sample again)"
        )
    # Duplicates: the store's own set of stored ids (kept current as batches commit), plus the
    # ids read this run and not yet committed; one copy of the ids in memory, not two.
    stored = store.stored_ids()
    fresh: set[str] = set()
    urls = [str(p).strip() for p in paths if is_url(p)]
    files = [p for p in paths if not is_url(p)]
    items = iter_inputs(files, root=root)
    if urls:
        web_items = iter_web(urls, known=stored_urls(store), options=web)
        items = itertools.chain(items, web_items)
    tracker = ProgressReporter(
        IngestProgress(total=count_items(files) + len(urls)), bar=progress, on_status=on_status
    )
    pending: list[dict] = []

    # Extraction runs in the engine (in process, worker processes or a dask cluster); this
    # process commits the finished batches in the order they were read
    # (core.ingest.workers.engines).
    pipeline = ExtractionPipeline(engine, mentions=mentions, dates=dates)

    def flush(*, drain: bool = False) -> None:
        if pending:
            articles = conform(pd.DataFrame.from_records(pending), "articles")
            pipeline.submit(articles, list(pending))
            pending.clear()
        for done in pipeline.ready(drain=drain):
            commit(done.articles, done.context, done.tables, done.failed)

    def commit(articles, rows, tables, failed) -> None:
        # failed: an extractor that raised, (article_id, origin, reason): that article only
        if failed:
            dropped = {article_id for article_id, _, _ in failed}
            articles = articles[~articles["article_id"].isin(dropped)].reset_index(drop=True)
            report.rejected.extend((origin, reason) for _, origin, reason in failed)
        meta = _meta_table(rows, keep=set(articles["article_id"]))
        tables = _drop_unsupported_languages(articles, tables, languages=languages)
        batch = store.append({"articles": articles, "article_meta": meta, **tables})
        fresh.difference_update(articles["article_id"])  # in `stored` from now on
        if batch:
            report.batches.append(batch)
        report.added += len(articles)

    # Nothing is stored until every --map field was found in some record: a typo is a usage
    # error that leaves the store as it was (up to MAX_UNCHECKED articles held back).
    map_check = MapCheck(column_map or {})
    languages: Counter = Counter()  # (file, language) of articles extraction does not support
    last_docs = 0
    for row in read_articles(
        items,
        source=source,
        source_from_folder=source_from_folder,
        column_map=column_map,
        date_order=date_order,
        map_check=map_check,
        report=report,
        tracker=tracker,
    ):
        if row["article_id"] in stored or row["article_id"] in fresh:
            report.duplicates += 1
        else:
            fresh.add(row["article_id"])
            pending.append(row)
            if len(pending) == max(1, batch_size // 4) and engine is not None:
                # More than a small upload: start the engine's workers while reading on.
                prepare = getattr(engine, "prepare", None)
                if prepare is not None:
                    prepare()
            if len(pending) >= MAX_UNCHECKED and not map_check.settled:
                map_check.raise_if_unseen()
            if len(pending) >= batch_size and map_check.settled:
                flush()
        if report.documents != last_docs:
            if on_progress is not None:
                on_progress(report.documents)
            last_docs = report.documents
    map_check.raise_if_unseen()
    flush(drain=True)
    tracker.close()
    report.notices.extend(describe_unsupported(languages))
    return report


def _no_progress(n: int = 1) -> None:
    """Progress goes nowhere (read_articles without a tracker)."""


def _drop_unsupported_languages(
    articles: pd.DataFrame, tables: dict[str, pd.DataFrame], *, languages: Counter
) -> dict[str, pd.DataFrame]:
    """The extracted tables without the mentions, dates and countries of articles in a language
    extraction does not support (their sentences stay); counts them per file in ``languages``."""
    supported = articles["language"].map(is_extracted, na_action=None).astype(bool)
    unsupported = articles[~supported]
    if unsupported.empty:
        return tables
    for origin, language in zip(unsupported["origin"], unsupported["language"], strict=True):
        languages[(str(origin).split("#")[0], language)] += 1
    drop = set(unsupported["article_id"])
    return {
        name: df if name == "sentences" else df[~df["article_id"].isin(drop)].reset_index(drop=True)
        for name, df in tables.items()
    }


def stored_urls(store: Store) -> set[str]:
    """Return the canonical form of every URL the store's articles came from or name."""
    df = store.query("SELECT url, origin FROM articles")
    values = [v for col in ("url", "origin") for v in df[col].dropna() if is_url(v)]
    return {canonical_url(v) for v in values}


def _meta_table(rows: list[dict], *, keep: set[str]) -> pd.DataFrame:
    """The ``article_meta`` rows of ``rows`` (one per article, key and value), for kept articles."""
    records = [
        (row["article_id"], key, value)
        for row in rows
        if row["article_id"] in keep
        for key, value in dict.fromkeys(row.get("_meta") or ())
    ]
    frame = pd.DataFrame.from_records(records, columns=["article_id", "key", "value"])
    return conform(frame, "article_meta")


def ensure_sample_store(store: Store) -> IngestReport | None:
    """Build ``store`` from the bundled ``data/samples`` when it holds nothing yet."""
    if store.exists():
        return None
    return ingest_paths([SAMPLES], store=store, progress=False, root=SAMPLES.parents[1])
