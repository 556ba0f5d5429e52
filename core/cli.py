"""Command line: ``python -m core`` (or ``presslens``).

Exit codes: 0 success, 1 some input rejected or a command failed on its data,
2 usage errors.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import traceback
from pathlib import Path

from core.entities.cli import EXPORTABLE as ENTITY_TABLES
from core.entities.cli import add_parser as add_entities_parser
from core.entities.cli import read_export_table
from core.export import format_table

EXPORTABLE = ("articles", "mentions", "dates", "countries", "sentences", "article_meta")

# name -> (module, run function, default corpus); modules import lazily.
EVALUATIONS = {
    "mentions": ("core.evaluate.mentions", "run_mentions", "conll2003"),
    "countries": ("core.evaluate.mentions", "run_countries", "geowebnews"),
    "dates": ("core.evaluate.dates", "run_dates", "te3"),
    "paraphrase": ("core.evaluate.paraphrase", "run_paraphrase", "msrp"),
    "stories": ("core.evaluate.stories", "run_stories", "ecbplus"),
    "quotes": ("core.evaluate.quotes", "run_quotes", "basil"),
    "entities": ("core.evaluate.entities", "run_entities", "basil"),
}


class UsageError(Exception):
    """Bad command-line usage (exit 2)."""


class MissingStore(Exception):
    """A reading command given a path that holds no store (exit 2)."""


def _store(args: argparse.Namespace):
    from core.store import Store

    return Store(args.store)


def _parse_map(values: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values or []:
        for part in value.split(","):
            ours, sep, theirs = part.partition("=")
            if not sep or ours.strip() not in ("text", "title", "source", "published", "url"):
                raise UsageError(
                    f"--map takes FIELD=COLUMN with FIELD in text,title,source,published,url; "
                    f"got {part!r}"
                )
            out[ours.strip()] = theirs.strip()
    return out


def cmd_ingest(args: argparse.Namespace) -> int:
    from core.ingest import ingest_paths
    from core.ingest.formats.records import ColumnMapError
    from core.store import SAMPLES

    paths = args.paths or [SAMPLES]
    _refuse_non_store(_store(args).path)
    try:
        with _open_engine(args) as engine:
            report = ingest_paths(
                paths,
                store=_store(args),
                source=args.source,
                source_from_folder=args.source_from_folder,
                column_map=_parse_map(args.map),
                date_order=args.date_order,
                mentions=args.extractor,
                batch_size=args.batch_size,
                replace_sample=_replaces_sample(args),
                engine=engine,
            )
            _print_placements(engine, batches=len(report.batches))
    except ColumnMapError as exc:
        raise UsageError(f"{exc}; nothing was stored") from exc
    print(report.summary(), file=sys.stderr)
    return 0 if report.ok else 1


def _open_engine(args: argparse.Namespace):
    """The extraction engine of ``--workers/--engine/--scheduler`` (core.ingest.workers.engines)."""
    from core.ingest.workers.engines import open_engine

    if args.workers is not None and args.workers < 1:
        raise UsageError(f"--workers must be at least 1; got {args.workers}")
    if args.scheduler and args.engine != "dask":
        raise UsageError("--scheduler goes with --engine dask")
    return open_engine(
        engine=args.engine, workers=args.workers, scheduler=args.scheduler, mentions=args.extractor
    )


def _print_placements(engine, *, batches: int) -> None:
    """Say where the batches were extracted (worker processes, dask workers), with the
    batches, or chunks of batches, each worker took."""
    if engine.name != "serial" and engine.placements:
        where = ", ".join(f"{w} ({n})" for w, n in sorted(engine.placements.items()))
        print(f"extracted {batches} batch(es) on: {where}", file=sys.stderr)


def _replaces_sample(args: argparse.Namespace) -> bool:
    """Own articles into the default store replace the bundled sample (never with --store)."""
    from core.store import SAMPLES

    if args.store is not None or not args.paths:
        return False
    return all(Path(p).resolve() != SAMPLES.resolve() for p in args.paths)


def _reading_store(args: argparse.Namespace):
    """The ``--store`` of a reading command; "no store at PATH" (exit 2) when there is none."""
    from core.check import NoStoreError, open_store

    try:
        return open_store(args.store)
    except NoStoreError as exc:
        raise MissingStore(str(exc)) from exc


def cmd_check(args: argparse.Namespace) -> int:
    from core.check import check_store

    report = check_store(_reading_store(args), quarantine=args.quarantine)
    print(report.summary())
    return 0 if report.ok else 1


def _refuse_non_store(path: Path) -> None:
    """A folder holding other things than a store is no store: refuse to write or read it."""
    if path.is_file():
        raise UsageError(f"{path} is a file, not a Presslens store folder")
    if path.is_dir() and not (path / "batches").is_dir():
        others = sorted(p.name for p in path.iterdir() if not p.name.startswith("."))
        if others:
            shown = ", ".join(others[:5]) + (", …" if len(others) > 5 else "")
            raise UsageError(
                f"{path} is not a Presslens store (no batches/ folder; it holds {shown}); "
                f"give --store a new or empty folder, or a store"
            )


def cmd_export(args: argparse.Namespace) -> int:
    store = _reading_store(args)
    df = read_export_table(store, args.table)  # mentions through the entity corrections
    if args.with_meta:
        if args.table != "articles":
            raise UsageError("--with-meta goes with the articles table")
        from core.export import widen_article_meta

        df = widen_article_meta(df, store.table("article_meta"))
    fmt = args.format or (Path(args.output).suffix.lstrip(".") if args.output else "csv")
    if fmt not in ("csv", "jsonl", "parquet"):
        raise UsageError(f"--format must be csv, jsonl or parquet; got {fmt!r}")
    if fmt == "parquet" and not args.output:
        raise UsageError("parquet needs -o FILE (it is binary)")
    data = format_table(df, fmt)
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.write(data.decode("utf-8"))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    store = _reading_store(args)
    if not store.batch_ids():
        print(f"store: {store.path}\nempty: no article stored yet")
        return 0
    counts = store.counts()
    sources = store.query(
        "SELECT source, count(*) AS n FROM articles GROUP BY source ORDER BY n DESC, source"
    )
    span = store.query("SELECT min(published) AS first, max(published) AS last FROM articles")
    first, last = span["first"].iloc[0], span["last"].iloc[0]
    batches = _batch_totals(store)
    if args.json:
        dated = bool(counts["articles"]) and not _is_null(first)
        print(
            json.dumps(
                {
                    "store": str(store.path),
                    "rows": counts,
                    "batches": batches,
                    "published": {
                        "first": _fmt_date(first) if dated else None,
                        "last": _fmt_date(last) if dated else None,
                    },
                    "sources": {s: int(n) for s, n in zip(sources.source, sources.n, strict=True)},
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    print(f"store: {store.path}")
    for name, n in counts.items():
        print(f"{name:>10}: {n} rows")
    print(f"   batches: {batches['count']} ({batches['bytes'] / 1e6:.1f} MB on disk)")
    if counts["articles"] and _is_null(first):
        print("published: unknown (no article has a date)")
    elif counts["articles"]:
        print(f"published: {_fmt_date(first)} .. {_fmt_date(last)}")
        print(
            "sources: "
            + ", ".join(f"{s} ({n})" for s, n in zip(sources.source, sources.n, strict=True))
        )
    return 0


def _batch_totals(store) -> dict[str, int]:
    """Live batches of ``store`` and their size on disk (``compact`` merges small ones)."""
    from core.compact import read_batch_sizes

    sizes = read_batch_sizes(store)
    return {"count": len(sizes), "bytes": sum(size for _, _, size in sizes)}


def cmd_compact(args: argparse.Namespace) -> int:
    from core.compact import compact_store

    if args.target_articles < 2 or args.grace < 0:
        raise UsageError("--target-articles must be at least 2 and --grace at least 0")
    report = compact_store(
        _store(args), target_articles=args.target_articles, grace=args.grace, wait=True
    )
    print(report.summary(), file=sys.stderr)
    return 0


def _is_null(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def _fmt_date(value) -> str:
    try:
        return value.date().isoformat() if hasattr(value, "date") else str(value)
    except (ValueError, AttributeError):
        return "unknown"


def cmd_evaluate(args: argparse.Namespace) -> int:
    module_name, fn_name, default_corpus = EVALUATIONS[args.task]
    module = importlib.import_module(module_name)
    options = {"split": args.split} if args.split else {}
    if args.store:  # entities: the suspects among the top entities of any store
        options |= {"store": args.store, "top": args.top}
    run = getattr(module, fn_name)
    result = run(args.corpus or default_corpus, baselines=not args.no_baselines, **options)
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    else:
        print(module.format_report(result))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from core.analytics.reuse.compare import compare_articles, format_comparison

    result = compare_articles(_store(args), args.a, args.b)
    if args.json:
        print(json.dumps(result, indent=2, default=str, ensure_ascii=False))
    else:
        print(format_comparison(result))
    return 0


def cmd_stories(args: argparse.Namespace) -> int:
    from core.analytics.reuse.stories import group_store_stories

    df = group_store_stories(_store(args))
    if args.format == "jsonl":
        sys.stdout.write(df.to_json(orient="records", lines=True, force_ascii=False))
    else:  # titles and sources in it: formula cells neutralised, as in every CSV export
        sys.stdout.write(format_table(df, "csv").decode("utf-8"))
    return 0


def cmd_warm(args: argparse.Namespace) -> int:
    import time

    from core.analytics import prepare_store

    store = _reading_store(args)
    start = time.perf_counter()
    prepare_store(store)
    print(
        f"built what the dashboard reads for {store.path} (version {store.version()}) "
        f"in {time.perf_counter() - start:.1f} s",
        file=sys.stderr,
    )
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from core.schema import schema_markdown

    print(schema_markdown())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presslens", description="Presslens: news articles in, tidy tables out."
    )
    parser.add_argument(
        "--debug", action="store_true", help="show the Python traceback of an error"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def store_opt(p: argparse.ArgumentParser) -> None:
        p.add_argument("--store", default=None, help="store folder (default: data/store)")

    p = sub.add_parser("ingest", help="ingest files, folders, zips (default: the bundled sample)")
    p.add_argument(
        "paths",
        nargs="*",
        help="files, folders, .zip or .gz archives, or http(s) URLs of pages, RSS/Atom feeds "
        "or sitemaps",
    )
    store_opt(p)
    p.add_argument("--source", help="source name for inputs that carry none")
    p.add_argument(
        "--source-from-folder", action="store_true", help="use each file's folder name as source"
    )
    p.add_argument(
        "--map",
        action="append",
        metavar="FIELD=COLUMN",
        help="record field names, e.g. --map text=body,published=date; a dotted path reaches "
        "into nested objects (text=body.content); a list of paragraphs is joined",
    )
    order = p.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst",
        dest="date_order",
        action="store_const",
        const="dayfirst",
        help="numeric record dates are day-first (03/04/2020 = 3 April)",
    )
    order.add_argument(
        "--monthfirst",
        dest="date_order",
        action="store_const",
        const="monthfirst",
        help="numeric record dates are month-first (03/04/2020 = 4 March)",
    )
    p.set_defaults(date_order="auto")
    p.add_argument("--extractor", default="gazetteer", help="mention extractor (gazetteer, spacy)")
    p.add_argument("--batch-size", type=int, default=2000, help="articles per atomic batch")
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        help="extraction processes (default: this machine's cores; 1: in this process)",
    )
    p.add_argument(
        "--engine",
        choices=("processes", "dask"),
        default="processes",
        help="where extraction runs: processes on this machine, or a dask cluster",
    )
    p.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="with --engine dask: a running dask scheduler (default: a local cluster)",
    )
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("export", help="write a table as csv, jsonl or parquet")
    p.add_argument("table", choices=EXPORTABLE + ENTITY_TABLES)
    store_opt(p)
    p.add_argument("--format", choices=("csv", "jsonl", "parquet"))
    p.add_argument("-o", "--output", help="output file (default: stdout)")
    p.add_argument(
        "--with-meta",
        action="store_true",
        help="articles only: one more column per metadata field (meta.<key>)",
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("stats", help="rows per table, sources, date range")
    store_opt(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("compact", help="merge small batches into fewer files; readers go on")
    store_opt(p)
    p.add_argument(
        "--target-articles",
        type=int,
        default=100_000,
        help="articles per merged batch (batches of half that or more stay as they are)",
    )
    p.add_argument(
        "--grace",
        type=float,
        default=30.0,
        help="seconds the replaced batches stay for readers that listed them (default 30)",
    )
    p.set_defaults(func=cmd_compact)

    p = sub.add_parser(
        "warm", help="build what the dashboard reads (after an ingest), so it opens in a second"
    )
    store_opt(p)
    p.set_defaults(func=cmd_warm)

    p = sub.add_parser("evaluate", help="measure accuracy on an annotated corpus")
    p.add_argument("task", choices=tuple(EVALUATIONS))
    p.add_argument("--corpus", help="corpus NAME under ../shared/corpora, or a PATH")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--no-baselines", action="store_true", help="skip the same-run baselines")
    p.add_argument("--split", help="dates only: score one subfolder (e.g. TimeBank, AQUAINT)")
    store_opt(p)  # entities only: list suspects among the top entities of this store
    p.add_argument("--top", type=int, default=100, help="entities only: how many to check")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("compare", help="align two articles: pairs, additions, altered quotes")
    p.add_argument("a", help="article id or origin")
    p.add_argument("b", help="article id or origin")
    store_opt(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("stories", help="group articles into stories: one row per (story, article)")
    store_opt(p)
    p.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    p.set_defaults(func=cmd_stories)

    add_entities_parser(sub, store_opt)

    p = sub.add_parser("check", help="verify a store: batches readable, ids unique, no orphan rows")
    store_opt(p)
    p.add_argument(
        "--quarantine",
        action="store_true",
        help="move damaged batches to STORE/quarantine/ so the rest stays usable",
    )
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("schema", help="print the table schema (docs/schema.md)")
    p.set_defaults(func=cmd_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UsageError as exc:
        parser.error(str(exc))  # exits 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("interrupted: nothing half-written is kept (batches are atomic)", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - one line instead of a traceback (--debug: both)
        from core.errors import describe_error

        if args.debug or os.environ.get("PRESSLENS_DEBUG"):
            traceback.print_exc()
        message = str(exc) if isinstance(exc, MissingStore) else describe_error(exc)
        print(f"error: {message}", file=sys.stderr)
        return 2 if isinstance(exc, MissingStore) else 1
    return 0
