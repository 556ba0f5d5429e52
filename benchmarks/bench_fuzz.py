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

    python benchmarks/bench_fuzz.py [--examples 100000] [--seed 0] [--json FILE]

``tests/test_fuzz_inputs.py`` runs the same cases with a small example count in CI.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import itertools
import json
import platform
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as fixed_seed
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

FORMATS = ("txt", "html", "csv", "json", "jsonl", "zip", "gz", "extract")
_serial = itertools.count()
# Every format as often as the others, but HTML a quarter as often (trafilatura: ~60 ms a page).
_WEIGHTED_FORMATS = st.sampled_from([f for f in FORMATS if f != "html"] * 4 + ["html"])

# -- values -----------------------------------------------------------------------------------
NASTY = (
    [
        "2022-02-30", "31 April 2021", "29 February 2023", "year 0", "in 99999", "0000-00-00",
        "=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "@SUM(A1)", "-1", "\t=1", "\r",
        "\u202e\u2066", "\ufeff", "\u200b", "\x1b[31m", "\x00", "\udfff", "\ud800x", "ﬁ", "İ",
        "a" * 140_000, "Paris, " * 50, "\n" * 500, "<script>alert(1)</script>", "**b** [l](u)",
        "http://[::1", "http://[x]", "javascript:alert(1)", "Q4 9999", "week 53 of 2021",
    ]
)  # fmt: skip
_NASTY_TEXT = st.sampled_from(NASTY)
_TEXT = st.one_of(st.text(max_size=60), _NASTY_TEXT)
_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    _TEXT,
    st.just("9" * 5000),  # a string of digits; as a JSON number it is an int of 5000 digits
)
_VALUE = st.recursive(_SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.text(max_size=5), inner, max_size=3), max_leaves=8)  # fmt: skip
_FIELD = st.sampled_from(["text", "title", "source", "published", "url", "body", ""])
_DATES = st.sampled_from(
    ["2022-08-15", "15/08/2022", "2022-02-30", "31 April 2021", "", "Monday", "0000", "99999"]
)
_URLS = st.sampled_from(
    ["https://news.example/a", "http://[::1", "javascript:alert(1)", '=HYPERLINK("x")', ""]
)


@dataclass
class Case:
    """One generated input: files to write, and the markers of its good records."""

    fmt: str
    files: dict[str, bytes] = field(default_factory=dict)
    good: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # for the extractor cases


def _marker() -> str:
    return f"Marker{next(_serial):09d}"


@st.composite
def good_record(draw) -> dict:
    """A record every field of which is of the right type, with a unique marker in its text."""
    marker = _marker()
    extra = draw(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40))
    return {
        "text": f"{marker} officials met in Paris on {draw(_DATES)} to discuss trade. {extra}",
        "title": draw(st.one_of(st.none(), _TEXT.filter(lambda t: "\x00" not in t))),
        "source": draw(st.sampled_from(["Reuters", "=cmd", "", "BBC"])),
        "published": draw(_DATES),
        "url": draw(_URLS),
    }


@st.composite
def hostile_record(draw) -> object:
    """Anything at all where a record is expected: wrong types, odd keys, not an object."""
    return draw(
        st.one_of(
            st.dictionaries(_FIELD, _VALUE, max_size=5),
            _VALUE,
            st.just({"text": 123, "published": [1, 2], "source": {"a": 1}, "url": "http://[::1"}),
        )
    )


def _json_dumps(value: object) -> str:
    text = json.dumps(value, ensure_ascii=True, allow_nan=True)
    return text.replace('"' + "9" * 5000 + '"', "9" * 5000)  # a real 5,000-digit JSON number


def _deep(n: int = 2000) -> str:
    return "[" * n + "]" * n


@st.composite
def case(draw, fmt: str | None = None) -> Case:
    # HTML pages go through trafilatura (~60 ms a page): fewer of them keep a run short.
    fmt = fmt or draw(_WEIGHTED_FORMATS)
    if fmt == "extract":  # a list of texts: each is one input of the extractors
        one = st.one_of(st.text(max_size=300), _TEXT, st.lists(
            st.one_of(_TEXT, st.integers().map(str)), max_size=30).map(" ".join))  # fmt: skip
        return Case(fmt, texts=draw(st.lists(one, min_size=1, max_size=100)))
    goods = draw(st.lists(good_record(), min_size=0, max_size=3))
    bads = draw(st.lists(hostile_record(), max_size=4))
    c = Case(fmt)
    if fmt in ("txt", "html"):
        good = goods[0] if goods else None
        junk = draw(_TEXT)
        body = (good["text"] if good else "") + " " + ("" if "\x00" in junk else junk)
        if fmt == "txt":
            c.files["a.txt"] = body.encode("utf-8", errors="surrogatepass")
        else:
            title = draw(_TEXT)
            page = (
                f"<html><head><title>{title}</title></head><body><article><p>{body}</p>"
                f"<p>{junk}</p></article>{draw(st.sampled_from(['', '<p>' * 300, '<div>']))}"
                "</body></html>"
            )
            c.files["a.html"] = page.encode("utf-8", errors="surrogatepass")
        if good and body.strip() and "\x00" not in body:
            c.good.append(good["text"].split()[0])
        if draw(st.booleans()) and not c.good:  # a broken file: NUL bytes, a lone BOM
            c.files[next(iter(c.files))] += b"\x00\x00\xff\xfe"
        return c
    if fmt == "csv":
        rows = ["text,title,source,published,url"]
        for record in draw(st.permutations(goods + bads)):
            if isinstance(record, dict) and record in goods:
                rows.append(_csv_row([record[k] for k in ("text", "title", "source",
                                                          "published", "url")]))  # fmt: skip
            else:
                cells = draw(st.lists(_TEXT, max_size=8))  # any number of cells
                rows.append(_csv_row(cells))
        c.files["a.csv"] = ("\n".join(rows) + "\n").encode("utf-8", errors="surrogatepass")
        c.good = [g["text"].split()[0] for g in goods]
        return c
    if fmt in ("json", "jsonl"):
        records = draw(st.permutations(goods + bads))
        if fmt == "json":
            if draw(st.integers(0, 9)) == 0:  # broken as a whole: no good record inside
                c.files["a.json"] = (_deep() if draw(st.booleans()) else "[{").encode()
                return c
            c.files["a.json"] = ("[" + ",".join(_json_dumps(r) for r in records) + "]").encode()
        else:
            lines = [_json_dumps(r) for r in records]
            lines += draw(st.lists(st.sampled_from([_deep(), "not json", '"\\udfff"', "{", ""])))
            lines = draw(st.permutations(lines))
            c.files["a.jsonl"] = ("\n".join(lines) + "\n").encode()
        c.good = [g["text"].split()[0] for g in goods]
        return c
    inner = draw(case(fmt=draw(st.sampled_from(("txt", "html", "csv", "json", "jsonl")))))
    name, data = next(iter(inner.files.items()))
    if fmt == "gz":
        c.files[name + ".gz"] = gzip.compress(data)
        c.good = inner.good
        if draw(st.integers(0, 9)) == 0:  # truncated: rejected as a whole
            c.files[name + ".gz"] = c.files[name + ".gz"][:-9]
            c.good = []
        return c
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
        for extra in draw(st.lists(st.sampled_from(["x.pdf", "in.zip", ".h.txt"]), unique=True)):
            archive.writestr(extra, b"junk")
    c.files["a.zip"] = buf.getvalue()
    c.good = inner.good
    return c


def _csv_row(cells: list[object]) -> str:
    import csv

    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(["" if v is None else str(v) for v in cells])
    return out.getvalue()


# -- running a case ---------------------------------------------------------------------------
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
        from core.ingest.inputs import iter_inputs

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
