"""Entity resolution, measured: BASIL's main persons, and suspects among any store's top entities.

- ``run_entities`` (``python -m core evaluate entities``): BASIL (Fan et al. 2019) labels each
  article's main entities by hand. Each gold person name is resolved once for the whole corpus
  to a canonical entity (the most mentioned person entity whose name or alias has its first
  name, surname and generation); an article scores when that entity is among the article's
  resolved entities. So a person split over two entities ("Donald J. Trump" in the Times,
  "Donald Trump" at Fox) misses in one outlet. Gold names are the annotators' free text:
  persons are the 2–4-word names of capitalised words (no groups, "X and Y" pairs or
  organisation heads), and the gold's own defects (accents cut off: "Felipe Calder"; typos:
  "Kevil McCarthy") are met by matching the first initial and a surname prefix of at least four
  letters, as ``core.evaluate.quotes`` does for speakers.
- ``suspect_entities`` (``python -m core evaluate entities --store DIR``): lists suspected
  duplicates (two entities that may be one: same surname and first initial, a lone surname
  beside a full name with it, one folded name) and suspected non-entities (a one-word name the
  corpus mostly uses as a common noun, a person name with lower-case words) among the top N.
"""

from __future__ import annotations

import gzip
import json
import tempfile
from collections import defaultdict
from pathlib import Path

import pandas as pd

from core.entities import read_entities, read_resolution
from core.entities.names import fold, parse_person
from core.evaluate import resolve_corpus
from core.store import Store

# Gold labels naming groups or organisations, not persons (checked on their last word).
_NOT_PERSON_HEADS = frozenset(
    """lawmakers republicans democrats officials administration campaign leaders members
    party association department act service congress committee agency court house senate
    foundation now enquirer police protestors protesters plaintiffs catholics companies
    programs bill""".split()
)


def is_person_label(gold: str) -> bool:
    """True for a gold label that names one person: 2–4 capitalised words, no group head."""
    words = gold.replace("_", " ").split()
    if not 2 <= len(words) <= 4:
        return False
    if not all(w[0].isupper() for w in words):
        return False
    return words[-1].lower().strip(".") not in _NOT_PERSON_HEADS


def read_basil(corpus: str | Path = "basil") -> list[dict]:
    """BASIL's articles. Returns: one dict per article (outlet_name, date, title, url,
    paragraphs, main_entities), in file order."""
    folder = resolve_corpus(corpus)
    path = folder / "basil-articles.jsonl.gz" if folder.is_dir() else folder
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def ingest_basil(corpus: str | Path, store_dir: Path):
    """Ingest BASIL into a new store at ``store_dir`` with the command line alone, as a user
    would (``ingest FILE --map text=paragraphs,published=date,source=outlet_name``).

    Returns: the store and the gold list, one (url, main_entities, outlet) per article.
    """
    from core.cli import main

    folder = resolve_corpus(corpus)
    path = folder / "basil-articles.jsonl.gz" if folder.is_dir() else folder
    argv = ["ingest", str(path), "--store", str(store_dir), "--workers", "1"]
    argv += ["--map", "text=paragraphs,published=date,source=outlet_name"]
    if main(argv) != 0:
        raise ValueError(f"BASIL ingest of {path} rejected input (see the report above)")
    docs = read_basil(corpus)
    gold = [(d["url"], d["main_entities"], d["outlet_name"]) for d in docs]
    return Store(store_dir), gold


def _person_index(entities: pd.DataFrame) -> dict[tuple[str, str], list[tuple[str, str, int]]]:
    """(first initial, generation) → [(surname, entity_id, n_mentions)] of every person name."""
    index: dict[tuple[str, str], list[tuple[str, str, int]]] = defaultdict(list)
    people = entities[entities["kind"] == "person"]
    for eid, name, aliases, n in people[["entity_id", "name", "aliases", "n_mentions"]].to_numpy():
        forms = [name] + ([] if pd.isna(aliases) else str(aliases).split("|"))
        for form in forms:
            p = parse_person(form)
            if p.first:
                index[(p.first[0], p.generation)].append((p.last, eid, int(n)))
            elif p.last:
                index[("", "")].append((p.last, eid, int(n)))
    return index


def canonical_person(gold: str, index) -> str | None:
    """The entity_id a gold person name resolves to across the corpus (None when none)."""
    p = parse_person(gold)
    if not p.first:
        return None
    want = p.last.split()[-1]
    best: tuple[int, int, str] | None = None
    for last, eid, n in index.get((p.first[0], p.generation), []):
        tail = last.split()[-1]
        exact = int(tail == want)
        if exact or (len(want) >= 4 and tail.startswith(want)):
            cand = (exact, n, eid)
            best = cand if best is None or cand > best else best
    if best is None:  # the corpus has no full name of them: their lone surname, if any
        for last, eid, n in index.get(("", ""), []):
            if last == p.last:
                best = (0, n, eid) if best is None or (0, n, eid) > best else best
    return best[2] if best else None


def score_main_persons(store: Store, gold: list[tuple[str, list[str], str]]) -> dict:
    """Share of gold main persons found among their article's resolved entities.

    Returns: {"overall": {...}, "by_outlet": {outlet: {...}}, "misses": [...]}; each score is
    {"found", "total", "share"}.
    """
    res = read_resolution(store)
    res = res[res["status"] == "kept"]
    urls = store.query("SELECT article_id, url FROM articles")
    ids_of = res.merge(urls, on="article_id").groupby("url")["entity_id"].agg(set).to_dict()
    index = _person_index(read_entities(store, resolution=res))
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    for url, mains, outlet in gold:
        for g in mains:
            if not is_person_label(g):
                continue
            eid = canonical_person(g, index)
            hit = eid is not None and eid in ids_of.get(url, set())
            for key in ("overall", outlet):
                counts[key][0] += hit
                counts[key][1] += 1
            if not hit:
                misses.append({"outlet": outlet, "url": url, "gold": g, "entity_id": eid})

    def score(found: int, total: int) -> dict:
        return {"found": found, "total": total, "share": found / total if total else 0.0}

    return {
        "overall": score(*counts["overall"]),
        "by_outlet": {k: score(*v) for k, v in sorted(counts.items()) if k != "overall"},
        "misses": misses,
    }


def run_entities(
    corpus: str | Path = "basil",
    *,
    baselines: bool = True,
    store: str | None = None,
    top: int = 100,
) -> dict:
    """BASIL's main persons (see the module docstring), and the suspects among the top ``top``
    entities of that store, or of ``store`` when given (no BASIL run then).

    ``baselines`` adds the same score on the raw extracted names (no corpus resolution).
    Returns: a dict with "main_persons", "raw_main_persons" (with baselines) and "suspects".
    """
    if store is not None:
        s = Store(store)
        return {"store": str(store), "suspects": suspect_entities(s, top=top)}
    with tempfile.TemporaryDirectory() as tmp:
        s, gold = ingest_basil(corpus, Path(tmp) / "store")
        out = {"store": "BASIL", "main_persons": score_main_persons(s, gold)}
        if baselines:
            out["raw_main_persons"] = _score_raw(s, gold)
        out["suspects"] = suspect_entities(s, top=top)
    return out


def _score_raw(store: Store, gold) -> dict:
    """The same score when every extracted name is its own entity (no corpus resolution)."""
    res = read_resolution(store)
    raw = res.assign(entity_id=res["entity"], name=res["entity"], status="kept")
    raw = raw.astype({"entity_id": "string", "name": "string", "status": "string"})
    urls = store.query("SELECT article_id, url FROM articles")
    ids_of = raw.merge(urls, on="article_id").groupby("url")["entity_id"].agg(set).to_dict()
    index = _person_index(read_entities(store, resolution=raw))
    found = total = 0
    by: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for url, mains, outlet in gold:
        for g in mains:
            if is_person_label(g):
                eid = canonical_person(g, index)
                hit = eid is not None and eid in ids_of.get(url, set())
                found, total = found + hit, total + 1
                by[outlet][0] += hit
                by[outlet][1] += 1
    return {
        "overall": {"found": found, "total": total, "share": found / total if total else 0.0},
        "by_outlet": {k: {"share": v[0] / v[1]} for k, v in sorted(by.items())},
    }


def suspect_entities(store: Store, *, top: int = 100) -> list[dict]:
    """Suspected duplicates and non-entities among the ``top`` people and organisations.

    Returns: one dict per suspicion: kind (``duplicate`` | ``non-entity``), entity, other (the
    suspected twin, or None), reason; the people and organisations ranked separately.
    """
    from core.entities.derived import score_store_generic_words

    ents = read_entities(store)
    out: list[dict] = []
    for kind in ("person", "org"):
        top_k = ents[ents["kind"] == kind].head(top)
        names = list(top_k["name"])
        shares = score_store_generic_words(store, {fold(n) for n in names if " " not in fold(n)})
        for n in names:
            share = shares.get(fold(n), 0.0)
            if share >= 0.1:
                out.append(_suspect("non-entity", n, None, f"common-noun uses {share:.0%}"))
            if kind == "person" and any(w.islower() and len(w) > 3 for w in n.split()):
                out.append(_suspect("non-entity", n, None, "lower-case word in a person name"))
        out += _duplicates(names, kind)
    return out


def _suspect(kind: str, entity: str, other: str | None, reason: str) -> dict:
    return {"kind": kind, "entity": entity, "other": other, "reason": reason}


def _duplicates(names: list[str], kind: str) -> list[dict]:
    out = []
    folded = {n: fold(n) for n in names}
    people = {n: parse_person(n) for n in names} if kind == "person" else {}
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            if folded[a] == folded[b]:
                out.append(_suspect("duplicate", a, b, "same folded name"))
            elif kind == "person":
                pa, pb = people[a], people[b]
                if pa.last.split()[-1:] != pb.last.split()[-1:]:
                    continue
                if not pa.first or not pb.first:
                    out.append(_suspect("duplicate", a, b, "a lone surname beside a full name"))
                elif pa.first[0] == pb.first[0] and pa.generation == pb.generation:
                    out.append(_suspect("duplicate", a, b, "same surname and first initial"))
            elif _initials(a) == folded[b].replace(" ", "") or _initials(b) == folded[a].replace(
                " ", ""
            ):
                out.append(_suspect("duplicate", a, b, "one is the other's initials"))
    return out


def _initials(name: str) -> str:
    words = [w for w in fold(name).split() if w not in ("of", "and", "for", "the")]
    return "".join(w[0] for w in words) if len(words) > 1 else ""


def format_report(result: dict) -> str:
    """A plain-text report of :func:`run_entities`."""
    lines = [f"Entity resolution: {result['store']}"]
    if "main_persons" in result:
        mp = result["main_persons"]
        lines.append(
            f"main persons found under their canonical name: {mp['overall']['share']:.3f}"
            f" ({mp['overall']['found']}/{mp['overall']['total']})"
        )
        for outlet, sc in mp["by_outlet"].items():
            lines.append(f"  {outlet}: {sc['share']:.3f} ({sc['found']}/{sc['total']})")
        if "raw_main_persons" in result:
            raw = result["raw_main_persons"]
            by = ", ".join(f"{k} {v['share']:.3f}" for k, v in raw["by_outlet"].items())
            lines.append(f"baseline, extracted names unresolved: {raw['overall']['share']:.3f}")
            lines.append(f"  {by}")
        for m in mp["misses"]:
            lines.append(f"  miss: {m['outlet']}: {m['gold']} -> {m['entity_id']}")
    suspects = result.get("suspects", [])
    lines.append(f"suspects among the top entities: {len(suspects)}")
    for s in suspects:
        other = f" ~ {s['other']}" if s["other"] else ""
        lines.append(f"  {s['kind']}: {s['entity']}{other} ({s['reason']})")
    return "\n".join(lines)
