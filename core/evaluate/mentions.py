"""Mention and country accuracy against annotated news, beside the tools people would otherwise use.

- ``run_mentions``: CoNLL-2003 (``eng.testa`` by default), exact-span P/R/F1 for PER, LOC, ORG.
- ``run_countries``: GeoWebNews (toponyms and their countries, ``core.evaluate.countries``) or
  Reuters-21578 (article country sets against ``<PLACES>``, ``core.evaluate.reuters``).

Baselines run in the same process on the same text: geotext (gazetteer regex) and, where spaCy and
an English pipeline are installed, spaCy small's NER (+ our country lookup for its places).
"""

from __future__ import annotations

import gzip
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from core.evaluate import prf, resolve_corpus
from core.text import split_sentences

Extractor = Callable[[str, list], list[dict]]
TYPES = ("PER", "LOC", "ORG")


# --------------------------------------------------------------------------- CoNLL-2003


def read_conll(path: Path) -> Iterator[tuple[str, set[tuple[int, int, str]]]]:
    """Read a CoNLL-2003 file (plain or .gz) as documents.

    Returns: an iterator of (text, gold) per ``-DOCSTART-`` document, where text joins tokens
    with spaces and sentences with newlines, and gold is a set of (start, end, type) spans for
    PER/LOC/ORG/MISC (IOB1 decoded).
    """
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        lines = f.read().split("\n")
    doc: list[list[tuple[str, str]]] = []
    sent: list[tuple[str, str]] = []
    for line in [*lines, "-DOCSTART- -X- O O"]:
        if line.startswith("-DOCSTART-"):
            if sent:
                doc.append(sent)
                sent = []
            if doc:
                yield _conll_doc(doc)
            doc = []
        elif not line.strip():
            if sent:
                doc.append(sent)
                sent = []
        else:
            parts = line.split()
            sent.append((parts[0], parts[-1]))


def _conll_doc(doc: list[list[tuple[str, str]]]) -> tuple[str, set[tuple[int, int, str]]]:
    pieces: list[str] = []
    gold: set[tuple[int, int, str]] = set()
    pos = 0
    for s_i, sent in enumerate(doc):
        if s_i:
            pieces.append("\n")
            pos += 1
        open_span: list | None = None  # [start, end, type]
        for t_i, (tok, tag) in enumerate(sent):
            if t_i:
                pieces.append(" ")
                pos += 1
            start, end = pos, pos + len(tok)
            pieces.append(tok)
            pos = end
            kind = tag[2:] if tag != "O" else None
            if kind and open_span and open_span[2] == kind and not tag.startswith("B-"):
                open_span[1] = end
                continue
            if open_span:
                gold.add(tuple(open_span))
                open_span = None
            if kind:
                open_span = [start, end, kind]
        if open_span:
            gold.add(tuple(open_span))
    return "".join(pieces), gold


def conll_type(row: dict) -> str | None:
    """Our mention's CoNLL type: person → PER, org → ORG, place/country → LOC; demonyms are MISC."""
    if row["kind"] == "person":
        return "PER"
    if row["kind"] == "org":
        return "ORG"
    if row["via"] == "demonym":
        return None
    return "LOC"


def score_spans(
    docs: list[tuple[str, set]], predict: Callable[[str], set[tuple[int, int, str]]]
) -> dict:
    """Exact-span P/R/F1 per type and overall (PER, LOC, ORG; MISC ignored on both sides)."""
    counts = {t: [0, 0, 0] for t in TYPES}
    started = time.perf_counter()
    for text, gold in docs:
        pred = {p for p in predict(text) if p[2] in TYPES}
        gold_t = {g for g in gold if g[2] in TYPES}
        for t in TYPES:
            g = {x for x in gold_t if x[2] == t}
            p = {x for x in pred if x[2] == t}
            counts[t][0] += len(g & p)
            counts[t][1] += len(p - g)
            counts[t][2] += len(g - p)
    out = {t: prf(*counts[t]) for t in TYPES}
    out["overall"] = prf(*(sum(counts[t][i] for t in TYPES) for i in range(3)))
    out["seconds"] = round(time.perf_counter() - started, 2)
    return out


def ours_spans(extractor: Extractor) -> Callable[[str], set[tuple[int, int, str]]]:
    def predict(text: str) -> set[tuple[int, int, str]]:
        rows = extractor(text, split_sentences(text))
        return {(r["start_char"], r["end_char"], t) for r in rows if (t := conll_type(r))}

    return predict


def geotext_spans(text: str) -> set[tuple[int, int, str]]:
    """geotext's cities and countries, located in the text (geotext gives names, not offsets)."""
    from geotext import GeoText

    g = GeoText(text)
    out = set()
    for name in set(g.cities) | set(g.countries):
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            out.add((m.start(), m.end(), "LOC"))
    return out


def spacy_spans(nlp) -> Callable[[str], set[tuple[int, int, str]]]:
    labels = {"PERSON": "PER", "GPE": "LOC", "LOC": "LOC", "ORG": "ORG"}

    def predict(text: str) -> set[tuple[int, int, str]]:
        doc = nlp(text)
        return {
            (e.start_char, e.end_char, labels[e.label_]) for e in doc.ents if e.label_ in labels
        }

    return predict


def load_spacy_or_note() -> tuple[object | None, str | None]:
    """Return (nlp, None) or (None, the reason the spaCy baseline is skipped)."""
    try:
        from core.extract.spacy_ner import load_spacy_pipeline

        nlp = load_spacy_pipeline()
    except RuntimeError as exc:
        return None, f"spaCy baseline skipped: {exc}"
    return nlp, None


def _conll_file(corpus: str) -> Path:
    path = resolve_corpus(corpus)
    if path.is_file():
        return path
    for name in ("eng.testa.gz", "eng.testa"):
        if (path / name).exists():
            return path / name
    raise FileNotFoundError(f"no eng.testa(.gz) in {path}")


def run_mentions(corpus: str = "conll2003", *, baselines: bool = True) -> dict:
    """Score people/places/organisations on a CoNLL-2003 file (default ``conll2003`` eng.testa).

    Returns: a JSON-serialisable dict: ``corpus``, ``documents``, ``systems`` (name → per-type
    and overall P/R/F1 with counts and seconds) and ``notes``.
    """
    from core.extract import get_mention_extractor

    path = _conll_file(corpus)
    docs = list(read_conll(path))
    ours = get_mention_extractor("gazetteer")
    systems = {f"presslens {ours.method}": score_spans(docs, ours_spans(ours))}
    notes = [
        "exact character-span match; MISC ignored; our demonyms count as MISC, not LOC",
        "text = tokens joined by spaces, sentences by newlines (CoNLL has no original spacing)",
    ]
    if baselines:
        systems["geotext (LOC only)"] = score_spans(docs, geotext_spans)
        nlp, note = load_spacy_or_note()
        if nlp is not None:
            name = f"spaCy {nlp.meta.get('name')} {nlp.meta.get('version')}"
            systems[name] = score_spans(docs, spacy_spans(nlp))
            notes.append("spaCy labels: PERSON→PER, GPE/LOC→LOC, ORG→ORG")
        else:
            notes.append(note)
    return {
        "task": "mentions",
        "corpus": str(path.name),
        "documents": len(docs),
        "gold_entities": {t: sum(1 for _, g in docs for x in g if x[2] == t) for t in TYPES},
        "systems": systems,
        "notes": notes,
    }


def run_countries(corpus: str = "geowebnews", *, baselines: bool = True) -> dict:
    """Score toponyms and countries on GeoWebNews, or article country sets on Reuters-21578.

    Returns: a JSON-serialisable dict (see ``core.evaluate.countries``).
    """
    from core.evaluate.countries import run_geowebnews
    from core.evaluate.reuters import run_reuters

    path = resolve_corpus(corpus)
    if (path / "GWN.xml.gz").exists() or path.name.startswith("GWN"):
        return run_geowebnews(path, baselines=baselines)
    if (path / "sgm").is_dir() or path.name.endswith((".sgm", ".sgm.gz")):
        return run_reuters(path, baselines=baselines)
    raise ValueError(f"{path}: neither GeoWebNews (GWN.xml.gz) nor Reuters-21578 (sgm/)")


def format_report(result: dict) -> str:
    """Return a readable plain-text table of a ``run_mentions`` / ``run_countries`` result."""
    lines = [f"{result['task']} on {result['corpus']} ({result.get('documents', '?')} documents)"]
    systems = result["systems"]
    for name, scores in systems.items():
        lines.append(f"\n  {name}  ({scores.get('seconds', '?')} s)")
        for key, val in scores.items():
            if isinstance(val, dict) and "f1" in val:
                lines.append(
                    f"    {key:<24} P {val['precision']:.3f}  R {val['recall']:.3f}  "
                    f"F1 {val['f1']:.3f}   (tp {val['tp']}, fp {val['fp']}, fn {val['fn']})"
                )
            elif isinstance(val, dict):
                inner = ", ".join(f"{k} {v:.3f}" for k, v in val.items())
                lines.append(f"    {key:<24} {inner}")
            elif isinstance(val, float) and key != "seconds":
                lines.append(f"    {key:<24} {val:.3f}")
            elif isinstance(val, int) and key != "seconds":
                lines.append(f"    {key:<24} {val}")
    for note in result.get("notes", []):
        lines.append(f"  note: {note}")
    return "\n".join(lines)
