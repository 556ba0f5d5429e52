"""Article-level country accuracy on Reuters-21578 (TRAIN + NOT-USED stories; TEST is held out).

Each story's set of countries (any mention, any ``via``) is scored against its ``<PLACES>``
labels through ``data/reuters_places.csv`` (slug → ISO alpha-3, reviewed by hand). Historical
states are scored as the labels say, at 1987 borders: ``ussr`` → SUN, ``east-germany`` → DDR,
``west-germany`` → DEU (the Federal Republic continued as today's Germany), ``czechoslovakia``
→ CSK, ``yugoslavia`` → YUG. Because our extractor names today's state for a city ("Moscow" →
RUS), the "1987 borders" score maps predicted successor states onto the state that existed then
(RUS, UKR, … → SUN; CZE, SVK → CSK; SRB, HRV, … → YUG); the "strict" score does not.
"""

from __future__ import annotations

import csv
import gzip
import html
import re
import time
from pathlib import Path

from core.evaluate import prf
from core.evaluate.countries import Predictor, geotext_places, ours_places, spacy_places
from core.evaluate.mentions import load_spacy_or_note

DATA = Path(__file__).resolve().parents[2] / "data"


def read_slug_map() -> dict[str, str]:
    """Return the Reuters slug → alpha-3 map from ``data/reuters_places.csv``."""
    with open(DATA / "reuters_places.csv", encoding="utf-8", newline="") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return {r["slug"]: r["country_code"] for r in rows}


REUTERS_SLUGS = read_slug_map()

_STORY = re.compile(r"<REUTERS([^>]*)>(.*?)</REUTERS>", re.S)
_FIELD = {
    name: re.compile(rf"<{name}>(.*?)</{name}>", re.S)
    for name in ("TITLE", "DATELINE", "BODY", "PLACES")
}
_D = re.compile(r"<D>(.*?)</D>")

# Predicted today's states mapped onto the state that existed in 1987 ("1987 borders" score).
BORDERS_1987: dict[str, str] = {
    **dict.fromkeys("RUS UKR BLR KAZ UZB GEO ARM AZE LTU LVA EST MDA KGZ TJK TKM".split(), "SUN"),
    **dict.fromkeys("CZE SVK".split(), "CSK"),
    **dict.fromkeys("SRB HRV SVN BIH MKD MNE XKX SCG".split(), "YUG"),
    "ERI": "ETH",
    "SSD": "SDN",
}


def read_reuters(path: Path, *, splits: tuple[str, ...] = ("TRAIN", "NOT-USED")) -> list[dict]:
    """Read the Reuters-21578 SGML files under ``path`` (``sgm/*.sgm.gz`` or one file).

    Returns: one dict per story with ``id``, ``text`` (title, dateline and body) and ``places``
    (set of alpha-3 codes); stories with no ``<PLACES>`` label or no text are skipped.
    """
    files = sorted((path / "sgm").glob("*.sgm*")) if path.is_dir() else [path]
    out = []
    for file in files:
        raw = file.read_bytes()
        if file.suffix == ".gz":
            raw = gzip.decompress(raw)
        for m in _STORY.finditer(raw.decode("latin-1")):
            attrs, body = m.group(1), m.group(2)
            split = re.search(r'LEWISSPLIT="([^"]+)"', attrs)
            if split and split.group(1) not in splits:
                continue
            places_m = _FIELD["PLACES"].search(body)
            slugs = _D.findall(places_m.group(1)) if places_m else []
            if not slugs:
                continue
            parts = [_FIELD[f].search(body) for f in ("TITLE", "DATELINE", "BODY")]
            text = "\n".join(html.unescape(p.group(1)).strip() for p in parts if p)
            text = re.sub(r"&#\d+;", " ", text).replace("\x03", "").strip()
            if not text:
                continue
            newid = re.search(r'NEWID="(\d+)"', attrs)
            out.append(
                {
                    "id": int(newid.group(1)) if newid else len(out),
                    "text": text,
                    "places": {REUTERS_SLUGS[s] for s in slugs if s in REUTERS_SLUGS},
                }
            )
    return out


def score_reuters(stories: list[dict], predict: Predictor) -> dict:
    """Per-story country sets against <PLACES>: micro and macro (over countries) P/R/F1."""
    started = time.perf_counter()
    out = {}
    preds = [{c for _, _, c in predict(s["text"]) if c} for s in stories]
    for label, mapping in (("1987_borders", BORDERS_1987), ("strict", {})):
        per: dict[str, list[int]] = {}
        tp = fp = fn = 0
        for story, pred in zip(stories, preds, strict=True):
            p = {mapping.get(c, c) for c in pred}
            g = story["places"]
            tp += len(p & g)
            fp += len(p - g)
            fn += len(g - p)
            for c in p | g:
                cell = per.setdefault(c, [0, 0, 0])
                cell[0] += c in p and c in g
                cell[1] += c in p and c not in g
                cell[2] += c in g and c not in p
        gold_countries = [c for c, v in per.items() if v[0] + v[2] > 0]
        macro = sum(prf(*per[c])["f1"] for c in gold_countries) / max(len(gold_countries), 1)
        out[f"micro_{label}"] = prf(tp, fp, fn)
        out[f"macro_f1_{label}"] = macro
    out["seconds"] = round(time.perf_counter() - started, 2)
    return out


def run_reuters(path: Path, *, baselines: bool = True, spacy_limit: int = 1000) -> dict:
    """Score Reuters-21578 (TRAIN + NOT-USED). Returns: a JSON-serialisable result dict."""
    from core.extract import get_mention_extractor

    stories = read_reuters(path)
    ours = get_mention_extractor("gazetteer")
    name = f"presslens {ours.method}"
    systems = {name: score_reuters(stories, ours_places(ours))}
    notes = [
        "stories with at least one <PLACES> label; text = title + dateline + body",
        "prediction = every country reached by any mention (name, demonym, capital, place, "
        "person, org)",
        "macro F1 = mean over gold countries of per-country F1",
        "1987_borders maps predicted successor states onto SUN/CSK/YUG; strict does not",
    ]
    if baselines:
        systems["geotext"] = score_reuters(stories, geotext_places)
        nlp, note = load_spacy_or_note()
        if nlp is not None:
            subset = stories[:spacy_limit]
            systems[f"spaCy {nlp.meta.get('name')} + our country lookup (first {len(subset)})"] = (
                score_reuters(subset, spacy_places(nlp))
            )
            systems[f"{name} (same first {len(subset)})"] = score_reuters(subset, ours_places(ours))
            notes.append(f"spaCy runs on the first {len(subset)} stories only (speed)")
        else:
            notes.append(note)
    return {
        "task": "countries",
        "corpus": "Reuters-21578 (TRAIN + NOT-USED)",
        "documents": len(stories),
        "systems": systems,
        "notes": notes,
    }
