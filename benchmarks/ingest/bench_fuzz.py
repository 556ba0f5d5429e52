"""Fuzz the ingest path and the extractors with hypothesis: 0 crashes, 0 lost good records.

Each generated case is one input of one format (txt, html, csv, json, jsonl, zip, gz) or one
text for the extractors. An input mixes *good* records (a text with a unique marker, every
field of the right type) with *hostile* ones: wrong types in every field (numbers of 5,000
digits, lists, objects, nested 2,000 deep), lone surrogates, control and format characters,
impossible dates (2022-02-30, 31 April, year 0 or 99999), unparsable or javascript: URLs,
spreadsheet formulas, CSV rows with more cells than the header, fields over 131,072
characters, NUL and invalid UTF-8 bytes. A case runs the ingest path short of the store
(``iter_inputs`` -> ``read_articles`` -> ``extract_tables``) and counts:

- a crash: any exception that escapes (the CLI would end the run; the dashboard a page);
- a lost good record: a good record's marker missing from the extracted articles.

A file that is broken as a whole (a JSON array nested 2,000 deep, a truncated archive) holds
no good record: it must be rejected with a reason, which is no crash.

    python benchmarks/ingest/bench_fuzz.py [--examples 100000] [--seed 0] [--json FILE]

``tests/test_fuzz_inputs.py`` runs the same cases with a small example count in CI.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import platform
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as fixed_seed

REPO = Path(__file__).resolve().parents[2]
for folder in (REPO, Path(__file__).resolve().parent):  # core, and fuzz_cases beside this file
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from fuzz_cases import NASTY, Case, case, deep  # noqa: E402  (after the path is set)

__all__ = ["NASTY", "Case", "case", "deep", "fuzz"]


@dataclass
class Tally:
    cases: Counter = field(default_factory=Counter)
    inputs: Counter = field(default_factory=Counter)  # files, and extractor texts one by one
    crashes: Counter = field(default_factory=Counter)
    lost: int = 0
    good: int = 0
    examples: list[str] = field(default_factory=list)

    def note_crash(self, fmt: str, exc: BaseException, c: Case) -> None:
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        key = f"{fmt}: {type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"
        self.crashes[key] += 1
        if self.crashes[key] == 1 and len(self.examples) < 20:
            self.examples.append(f"{key}: {str(exc)[:200]!r} files={list(c.files)}")


class Runner:
    """Runs cases: the read path per case at once, the extraction and the Arrow conversion
    (what ``Store.append`` writes) per batch of cases, as ingest does; a failing batch is run
    again case by case, so each crash is counted against its own case."""

    def __init__(
        self, folder: Path, tally: Tally, *, batch: int = 200, progress: Path | None = None
    ) -> None:
        self.folder, self.tally, self.batch = folder, tally, batch
        self.pending: list[tuple[Case, list[dict]]] = []
        self.progress = progress  # a line of counts per batch: a long run can be watched
        self.started = time.time()

    def add(self, c: Case) -> None:
        from core.ingest import IngestReport, read_articles
        from core.ingest.sources.inputs import iter_inputs

        self.tally.cases[c.fmt] += 1
        self.tally.inputs[c.fmt] += len(c.texts) if c.fmt == "extract" else 1
        self.tally.good += len(c.good)
        rows: list[dict] = []
        if c.fmt != "extract":
            try:
                for old in self.folder.iterdir():
                    old.unlink()
                for name, data in c.files.items():
                    (self.folder / name).write_bytes(data)
                rows = list(read_articles(iter_inputs([self.folder]), report=IngestReport()))
            except Exception as exc:  # noqa: BLE001 - counting them is the point
                self.tally.note_crash(c.fmt, exc, c)
                return
        self.pending.append((c, rows))
        if len(self.pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        try:
            texts = _extract_and_convert(batch)
        except Exception:  # noqa: BLE001 - find the case(s) behind it
            for c, rows in batch:
                try:
                    texts = _extract_and_convert([(c, rows)])
                except Exception as exc:  # noqa: BLE001
                    self.tally.note_crash(c.fmt, exc, c)
                    continue
                self._count_lost([(c, rows)], texts)
            return
        self._count_lost(batch, texts)

    def _note_progress(self) -> None:
        if self.progress is None:
            return
        line = {
            "cases": sum(self.tally.cases.values()),
            "inputs": sum(self.tally.inputs.values()),
            "good": self.tally.good,
            "lost": self.tally.lost,
            "crashes": sum(self.tally.crashes.values()),
            "seconds": round(time.time() - self.started),
        }
        with self.progress.open("a") as out:
            out.write(json.dumps(line) + "\n")

    def _count_lost(self, batch: list[tuple[Case, list[dict]]], texts: set[str]) -> None:
        joined = "\n".join(texts)
        for c, _ in batch:
            lost = [marker for marker in c.good if marker not in joined]
            self.tally.lost += len(lost)
            if lost and len(self.tally.examples) < 20:
                shown = {name: data[:300] for name, data in c.files.items()}
                self.tally.examples.append(f"{c.fmt}: lost {lost}: {shown}")
        self._note_progress()


def _extract_and_convert(batch: list[tuple[Case, list[dict]]]) -> set[str]:
    """Extract the batch's articles (and extractor texts), convert every table to Arrow as
    ``Store.append`` would. Returns: the stored article texts. Raises on any failure."""
    import pandas as pd
    import pyarrow as pa

    from core.extract import extract_tables
    from core.schema import arrow_schema, conform

    rows = [r for _, case_rows in batch for r in case_rows]
    seen: set[str] = set()
    unique = [r for r in rows if not (r["article_id"] in seen or seen.add(r["article_id"]))]
    texts = [text for c, _ in batch if c.fmt == "extract" for text in c.texts]
    # The extractor cases go in as raw text (object dtype: a lone surrogate reaches them).
    raw = pd.DataFrame(
        {
            "article_id": [f"x{i}" for i in range(len(texts))],
            "text": texts,
            "published": [None] * len(texts),
            "origin": ["extract"] * len(texts),
        },
        dtype=object,
    )
    if texts:
        extract_tables(raw)  # no failed list: an extractor error escapes, a crash
    if not unique:
        return set()
    articles = conform(pd.DataFrame.from_records(unique).drop(columns="_meta"), "articles")
    failed: list = []
    tables = extract_tables(articles, failed=failed)
    if failed:
        raise RuntimeError(f"extractor failed: {failed[0]}")
    meta = pd.DataFrame(
        [(r["article_id"], k, v) for r in unique for k, v in r["_meta"]],
        columns=["article_id", "key", "value"],
    )
    for name, df in {"articles": articles, "article_meta": meta, **tables}.items():
        pa.Table.from_pandas(conform(df, name), schema=arrow_schema(name), preserve_index=False)
    return set(articles["text"])


class _TimeUp(Exception):
    """The run's time budget is spent: stop generating."""


def fuzz(
    examples: int,
    *,
    seed: int = 0,
    batch: int = 200,
    progress: Path | None = None,
    minutes: float | None = None,
) -> Tally:
    """Generate ``examples`` cases and run each. Returns: the tally."""
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="presslens-fuzz-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        runner = Runner(folder, tally, batch=batch, progress=progress)

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @fixed_seed(seed)
        @given(case())
        def one(c: Case) -> None:
            if stop_at is not None and time.time() > stop_at:
                raise _TimeUp
            runner.add(c)

        stop_at = None if minutes is None else time.time() + 60 * minutes
        with contextlib.suppress(_TimeUp):
            one()
        runner.flush()
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", help="write the tally as JSON to FILE")
    parser.add_argument("--progress", help="append a line of counts per batch to FILE")
    parser.add_argument("--minutes", type=float, help="stop generating after this long")
    args = parser.parse_args(argv)
    started = time.time()
    tally = fuzz(
        args.examples,
        seed=args.seed,
        progress=Path(args.progress) if args.progress else None,
        minutes=args.minutes,
    )
    elapsed = time.time() - started
    total = sum(tally.cases.values())
    inputs = sum(tally.inputs.values())
    crashes = sum(tally.crashes.values())
    print(f"machine: {platform.machine()}, python {platform.python_version()}")
    print(f"cases: {total:,} in {elapsed:,.0f} s, generated inputs: {inputs:,}")
    print("inputs per format: " + ", ".join(f"{k} {v:,}" for k, v in sorted(tally.inputs.items())))
    print(f"good records: {tally.good:,}, lost: {tally.lost:,}")
    print(f"crashes: {crashes:,}")
    for key, n in tally.crashes.most_common():
        print(f"  {n:6,}  {key}")
    for example in tally.examples:
        print(f"  e.g. {example}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "cases": dict(tally.cases),
                    "inputs": dict(tally.inputs),
                    "good": tally.good,
                    "lost": tally.lost,
                    "crashes": dict(tally.crashes),
                    "seconds": elapsed,
                },
                indent=1,
            )
        )
    return 0 if not crashes and not tally.lost else 1


if __name__ == "__main__":
    sys.exit(main())
