"""Optional spaCy extractor: spaCy's NER for people and organisations, our resolver for places.

Never required and never downloaded at run time: it uses an English spaCy pipeline that is already
installed (``en_core_web_sm``, or any installed pipeline with an ``ner`` component). Countries and
places come from the gazetteer resolver, so ``country_code`` means the same thing as with the
default extractor.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from core.extract.places.gazetteer import Gazetteer, load_gazetteer
from core.extract.surface import fold_key
from core.schema import MENTION_ROW
from core.text import sentence_index

INSTALL_HINT = (
    "the spacy extractor needs spaCy and an English pipeline with NER: "
    "pip install spacy && python -m spacy download en_core_web_sm"
)
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


@cache
def load_spacy_pipeline(name: str | None = None):
    """Return an installed spaCy English pipeline with NER (parser and lemmatiser disabled)."""
    try:
        import spacy
    except ImportError as exc:
        raise RuntimeError(INSTALL_HINT) from exc
    names = [name] if name else ["en_core_web_sm"]
    if not name:
        names += sorted(m for m in spacy.util.get_installed_models() if m.startswith("en_core"))
    for candidate in names:
        try:
            nlp = spacy.load(candidate, exclude=["parser", "lemmatizer"])
        except OSError:
            continue
        if "ner" in nlp.pipe_names:
            return nlp
    raise RuntimeError(INSTALL_HINT)


def resolve_place(gaz: Gazetteer, surface: str) -> tuple[str, str, str | None, str | None] | None:
    """Look ``surface`` up in the gazetteer (no context): (entity, kind, country_code, via)."""
    entries = gaz.entries.get(fold_key(surface.removeprefix("the ").removeprefix("The ")))
    if not entries:
        return None
    e = max(entries, key=lambda x: x.prior)
    return e.entity, e.kind, e.country_code, e.via if e.country_code else None


class SpacyExtractor:
    """Callable mention extractor: spaCy entities, gazetteer countries."""

    method = "spacy/1"

    def __init__(self, nlp, gaz: Gazetteer) -> None:
        self.nlp = nlp
        self.gaz = gaz
        self.method = f"spacy-{nlp.meta.get('name', 'ner')}-{nlp.meta.get('version', '')}/1"

    def __call__(self, text: str, sentences: Sequence[tuple[int, int, int]]) -> list[dict]:
        """Extract mentions with spaCy.

        Returns: one dict per mention (same keys as the gazetteer extractor), sorted by start.
        """
        return [dict(zip(MENTION_ROW, row, strict=True)) for row in self.rows(text, sentences)]

    def rows(self, text: str, sentences: Sequence[tuple[int, int, int]]) -> list[tuple]:
        """Extract mentions with spaCy.

        Returns: one tuple per mention, its fields in ``MENTION_ROW`` order, sorted by start.
        """
        if not text.strip():
            return []
        rows = []
        sents = list(sentences)
        for ent in self.nlp(text).ents:
            row = self._row(ent.label_, ent.text)
            if row is None:
                continue
            entity, kind, code, via = row
            start, end = ent.start_char, ent.end_char
            sentence = sentence_index(sents, start) if sents else 0
            rows.append((sentence, start, end, text[start:end], entity, kind, code, via))
        return rows

    def _row(self, label: str, surface: str):
        if label == "PERSON":
            curated = self.gaz.people.get(fold_key(surface))
            if curated:  # the same curated list as the default extractor: name and country
                name, code = curated
                return name, "person", code, "person" if code else None
            return " ".join(surface.split()), "person", None, None
        if label in _PLACE_LABELS or label == "NORP":
            found = resolve_place(self.gaz, surface)
            if found is None:
                return (surface, "place", None, None) if label != "NORP" else None
            return found
        if label == "ORG":
            found = resolve_place(self.gaz, surface)
            if found and found[1] == "org":
                return found
            return surface, "org", None, None
        return None


def build_extractor() -> SpacyExtractor:
    """Return the spaCy extractor; a clear error names the install steps when spaCy is missing."""
    return SpacyExtractor(load_spacy_pipeline(), load_gazetteer())
