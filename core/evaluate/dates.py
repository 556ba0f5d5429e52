"""Date extraction scored as TempEval-3 Task A (time expressions) on TimeML gold.

Metrics, as in the TempEval-3 scorer:

- strict span P/R/F1: a system span counts when it equals a gold span exactly;
- relaxed span P/R/F1: when it overlaps a gold span (one-to-one, in text order);
- value and type: accuracy over the relaxed matches, and attribute F1 =
  relaxed F1 × attribute accuracy (what the TE3 scorer reports as value F1).

Every document is given to the extractor with its DCT as the publication date.
Same-run baseline: dateparser's ``search_dates`` over the same documents with
``RELATIVE_BASE`` = DCT; its values are day-precision dates (it has no notion
of a month, a week or a duration), its types all DATE.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import time
from collections.abc import Callable, Iterable

from core.evaluate import prf, resolve_corpus
from core.evaluate.timeml import TimeMLDocument, Timex, read_timeml_corpus

HEIDELTIME_TE3 = {"relaxed_f1": 0.903, "strict_f1": 0.813, "value_f1": 0.776}
GOALS = {"value_f1": 0.85, "relaxed_f1": 0.92}

Span = tuple[int, int, str, str | None]  # start, end, type, value


def score_spans(gold: Iterable[Span], system: Iterable[Span]) -> dict[str, int]:
    """Count the TE3 matches between one document's gold and system spans.

    Returns: counts ``n_gold``, ``n_system``, ``strict``, ``relaxed``,
    ``value_correct`` and ``type_correct`` (the last two over relaxed matches).
    """
    gold = sorted(gold)
    system = sorted(system)
    strict = len({(g[0], g[1]) for g in gold} & {(s[0], s[1]) for s in system})
    used: set[int] = set()
    relaxed = value_ok = type_ok = 0
    for g_start, g_end, g_type, g_value in gold:
        best = None
        for i, (s_start, s_end, _, _) in enumerate(system):
            if i in used or s_end <= g_start:
                continue
            if s_start >= g_end:
                break
            # Prefer the exact span when several system spans overlap one gold span.
            if best is None or (s_start, s_end) == (g_start, g_end):
                best = i
        if best is None:
            continue
        used.add(best)
        relaxed += 1
        _, _, s_type, s_value = system[best]
        value_ok += int(s_value is not None and s_value == g_value)
        type_ok += int(s_type == g_type)
    return {
        "n_gold": len(gold),
        "n_system": len(system),
        "strict": strict,
        "relaxed": relaxed,
        "value_correct": value_ok,
        "type_correct": type_ok,
    }


def summarise(counts: dict[str, int]) -> dict[str, float]:
    """Turn summed match counts into the TE3 metrics.

    Returns: strict/relaxed precision, recall, F1, value and type accuracy and F1.
    """
    n_gold, n_sys = counts["n_gold"], counts["n_system"]
    strict = prf(counts["strict"], n_sys - counts["strict"], n_gold - counts["strict"])
    relaxed = prf(counts["relaxed"], n_sys - counts["relaxed"], n_gold - counts["relaxed"])
    matched = counts["relaxed"]
    value_acc = counts["value_correct"] / matched if matched else 0.0
    type_acc = counts["type_correct"] / matched if matched else 0.0
    return {
        "strict_precision": strict["precision"],
        "strict_recall": strict["recall"],
        "strict_f1": strict["f1"],
        "relaxed_precision": relaxed["precision"],
        "relaxed_recall": relaxed["recall"],
        "relaxed_f1": relaxed["f1"],
        "value_accuracy": value_acc,
        "value_f1": relaxed["f1"] * value_acc,
        "type_accuracy": type_acc,
        "type_f1": relaxed["f1"] * type_acc,
        **counts,
    }


def _gold_spans(doc: TimeMLDocument) -> list[Span]:
    return [(t.start, t.end, t.type, t.value) for t in doc.timexes]


def _ours(doc: TimeMLDocument) -> list[Span]:
    from core.extract.timex.dates import extract_dates

    return [
        (r["start_char"], r["end_char"], r["type"], r["value"])
        for r in extract_dates(doc.text, anchor=doc.dct)
    ]


def _dateparser(doc: TimeMLDocument) -> list[Span]:
    from dateparser.search import search_dates

    base = dt.datetime.combine(doc.dct or dt.date.today(), dt.time())
    found = search_dates(doc.text, languages=["en"], settings={"RELATIVE_BASE": base}) or []
    spans: list[Span] = []
    pos = 0
    for substring, when in found:
        start = doc.text.find(substring, pos)
        if start < 0:
            start = doc.text.find(substring)
            if start < 0:
                continue
        end = start + len(substring)
        pos = end
        spans.append((start, end, "DATE", when.date().isoformat()))
    return spans


_COUNT_KEYS = ("n_gold", "n_system", "strict", "relaxed", "value_correct", "type_correct")


def _run_system(
    docs: list[TimeMLDocument], system: Callable[[TimeMLDocument], list[Span]]
) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Score one system over all documents, summing counts overall and per collection.

    Returns: the overall metrics (with timing) and one metrics dict per collection.
    """
    totals = dict.fromkeys(_COUNT_KEYS, 0)
    by_collection: dict[str, dict[str, int]] = {}
    started = time.perf_counter()
    for doc in docs:
        part = by_collection.setdefault(doc.collection, dict.fromkeys(_COUNT_KEYS, 0))
        for key, n in score_spans(_gold_spans(doc), system(doc)).items():
            totals[key] += n
            part[key] += n
    seconds = time.perf_counter() - started
    out = summarise(totals)
    out["seconds"] = seconds
    out["docs_per_second"] = len(docs) / seconds if seconds else 0.0
    return out, {name: summarise(c) for name, c in sorted(by_collection.items())}


def run_dates(corpus: str, *, baselines: bool = True, split: str | None = None) -> dict:
    """Score the date extractor (and, with ``baselines``, dateparser) on a TimeML corpus.

    ``corpus`` is a NAME under ``../shared/corpora`` ("te3": the TBAQ-cleaned
    gold) or a PATH to a folder of .tml files or a .tar.xz archive of them.
    ``split`` keeps only the documents of one collection (the sub-folder name,
    case-insensitive: "TimeBank" or "AQUAINT" in TBAQ-cleaned). Rules are
    developed on TimeBank; AQUAINT is kept as the held-out check.

    Returns: a dict with the corpus, document and timex counts, one metrics
    dict per system, ``subsets`` (collection -> system -> metrics, the same
    numbers per sub-folder), HeidelTime's published TE3 numbers and our goals.
    """
    path = resolve_corpus(corpus)
    docs = list(read_timeml_corpus(path))
    if split is not None:
        docs = [d for d in docs if d.collection.lower() == split.lower()]
        if not docs:
            raise ValueError(f"no documents in collection {split!r} of {corpus}")
    runs = {"timex/1": _run_system(docs, _ours)}
    if baselines:
        runs["dateparser.search_dates"] = _run_system(docs, _dateparser)
    subsets: dict[str, dict[str, dict[str, float]]] = {}
    for name, (_, parts) in runs.items():
        for collection, metrics in parts.items():
            subsets.setdefault(collection, {})[name] = metrics
    return {
        "corpus": str(corpus) + (f" ({split})" if split else ""),
        "n_documents": len(docs),
        "n_gold": sum(len(d.timexes) for d in docs),
        "systems": {name: overall for name, (overall, _) in runs.items()},
        "subsets": subsets,
        "heideltime_te3": HEIDELTIME_TE3,
        "goals": GOALS,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": _machine(),
    }


def _machine() -> str:
    """CPU model and core count, for the record kept with every number."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} CPUs"


def format_report(result: dict) -> str:
    """Render ``run_dates`` output as a Markdown table.

    Returns: the report text, one row per system plus HeidelTime's published row.
    """
    lines = [
        f"Dates on {result['corpus']}: {result['n_documents']} documents, "
        f"{result['n_gold']} gold TIMEX3 ({result['date']}, {result['machine']})",
        "",
        "| system | strict P | strict R | strict F1 | relaxed P | relaxed R | relaxed F1 "
        "| value acc | value F1 | type F1 | docs/s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, m in result["systems"].items():
        lines.append(
            f"| {name} | {m['strict_precision']:.3f} | {m['strict_recall']:.3f} "
            f"| {m['strict_f1']:.3f} | {m['relaxed_precision']:.3f} | {m['relaxed_recall']:.3f} "
            f"| {m['relaxed_f1']:.3f} | {m['value_accuracy']:.3f} | {m['value_f1']:.3f} "
            f"| {m['type_f1']:.3f} | {m['docs_per_second']:.0f} |"
        )
    h = result["heideltime_te3"]
    lines.append(
        f"| HeidelTime (published, TE3 platinum) | | | {h['strict_f1']:.3f} | | "
        f"| {h['relaxed_f1']:.3f} | | {h['value_f1']:.3f} | | |"
    )
    subsets = {k: v for k, v in result.get("subsets", {}).items() if k}
    if subsets:
        lines += [
            "",
            "By collection (rules were written reading both folders' errors: none is held out):",
            "",
            "| collection | system | gold | strict F1 | relaxed P | relaxed R | relaxed F1 "
            "| value acc | value F1 | type F1 |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for collection, systems in subsets.items():
            for name, m in systems.items():
                lines.append(
                    f"| {collection} | {name} | {m['n_gold']} | {m['strict_f1']:.3f} "
                    f"| {m['relaxed_precision']:.3f} | {m['relaxed_recall']:.3f} "
                    f"| {m['relaxed_f1']:.3f} | {m['value_accuracy']:.3f} "
                    f"| {m['value_f1']:.3f} | {m['type_f1']:.3f} |"
                )
    g = result["goals"]
    lines += ["", f"Goals: value F1 ≥ {g['value_f1']}, relaxed F1 ≥ {g['relaxed_f1']}."]
    return "\n".join(lines)


__all__ = ["Timex", "format_report", "run_dates", "score_spans", "summarise"]
