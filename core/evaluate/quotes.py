"""Quote and speaker extraction against BASIL's quote annotations.

What BASIL annotates: *bias spans* (lexical or informational) flagged ``quote: yes`` with
the ``speaker`` (a name such as ``Donald_Trump``, a group such as ``House_Democrats``, or
an unnamed ``other_pro|anti|neutral``). So not every quote is annotated, and some
annotated "quotes" are reported speech without quote marks. Hence:

* **Marked gold quotes** are the annotated quote spans that contain a double quote mark or
  sit between double quote marks of their sentence; only those are in scope for an
  extractor of quotations. Unmarked ones are counted and reported separately.
* **Span recall**: a marked gold span is found when an extracted quote overlaps it by at
  least half of the shorter of the two (characters, quote marks excluded).
* **Span precision** can only be estimated: among extracted quotes in sentences that hold
  a marked gold quote, the share that overlap one. An unannotated real quote in such a
  sentence counts against us, so this is a lower bound.
* **Speaker**: for marked gold quotes with a named (not ``other_*``) speaker, our speaker
  is right when its key (the surname) is one of the gold speaker's words. Precision is
  over the quotes we found and attributed, recall over all such gold quotes. Scores are
  also given for gold speakers that name one person (not ``House_Democrats``-style
  groups, which a surname cannot match).
"""

from __future__ import annotations

import json
import re
import tarfile
from bisect import bisect_right
from pathlib import Path

from core.analytics.reuse.quotes import extract_quotes
from core.evaluate import prf, resolve_corpus

_MARKS = '“”"'
_MIN_OVERLAP = 0.5


def read_basil_quotes(corpus: str | Path = "basil") -> list[dict]:
    """BASIL articles with their quote annotations located in the article text.

    The article text is its paragraphs joined by newlines, sentences by spaces. Returns:
    one dict per article: ``article_id``, ``text``, ``sentences`` (start offsets),
    ``gold`` (list of {start, end, text, speaker, marked}).
    """
    folder = resolve_corpus(corpus)
    archive = folder / "basil-v2-articles-annotations.tar.xz" if folder.is_dir() else folder
    articles: dict[str, dict] = {}
    annotations: dict[str, dict] = {}
    with tarfile.open(archive, "r:xz") as tar:
        for member in tar:
            name = member.name
            if not member.isfile() or not name.endswith(".json"):
                continue
            data = json.load(tar.extractfile(member))
            stem = Path(name).stem
            if name.startswith("annotations/") or "/annotations/" in name:
                annotations[stem.removesuffix("_ann")] = data
            elif "articles/" in name:
                articles[stem] = data
    out = []
    for key in sorted(articles):
        out.append(_locate(key, articles[key], annotations.get(key, {})))
    return out


def _locate(key: str, article: dict, annotation: dict) -> dict:
    parts, starts = [], []
    offset = 0
    for p_idx, paragraph in enumerate(article.get("body-paragraphs", [])):
        if p_idx:
            parts.append("\n")
            offset += 1
        for s_idx, sentence in enumerate(paragraph):
            if s_idx:
                parts.append(" ")
                offset += 1
            starts.append(offset)
            parts.append(sentence)
            offset += len(sentence)
    text = "".join(parts)
    sentences = [s for para in article.get("body-paragraphs", []) for s in para]
    gold = []
    for ann in annotation.get("phrase-level-annotations", []):
        if ann.get("quote") != "yes":
            continue
        found = _find(sentences, starts, ann)
        if found is None:
            continue
        s_idx, start, end = found
        sentence = sentences[s_idx]
        local_s, local_e = start - starts[s_idx], end - starts[s_idx]
        marked = any(m in ann["txt"] for m in _MARKS) or (
            any(m in sentence[:local_s] for m in _MARKS)
            and any(m in sentence[local_e:] for m in _MARKS)
        )
        gold.append(
            {
                "start": start,
                "end": end,
                "text": ann["txt"],
                "speaker": ann.get("speaker") or "",
                "marked": marked,
            }
        )
    return {"article_id": key, "text": text, "sentences": starts, "gold": gold}


def _find(sentences: list[str], starts: list[int], ann: dict) -> tuple[int, int, int] | None:
    """(sentence index, global start, global end) of an annotation's span."""
    txt, s, e = ann["txt"], int(ann["start"]), int(ann["end"])
    for k, sentence in enumerate(sentences):
        if sentence[s:e] == txt:
            return k, starts[k] + s, starts[k] + e
    for k, sentence in enumerate(sentences):  # offsets off: fall back to the text itself
        at = sentence.find(txt)
        if at >= 0:
            return k, starts[k] + at, starts[k] + at + len(txt)
    return None


def _core(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding quote marks, spaces and punctuation."""
    while start < end and (text[start] in _MARKS or not text[start].isalnum()):
        start += 1
    while end > start and (text[end - 1] in _MARKS or not text[end - 1].isalnum()):
        end -= 1
    return start, end


def _overlaps(text: str, a: tuple[int, int], b: tuple[int, int]) -> bool:
    a, b = _core(text, *a), _core(text, *b)
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return shorter > 0 and inter >= _MIN_OVERLAP * shorter


# Gold speakers naming a group, not one person: a surname cannot match them.
_GROUP_WORDS = frozenset(
    """lawmakers democrats republicans campaign members officials party protestors
    protesters plaintiffs catholics companies administration committee""".split()
)


def _is_person(gold: str) -> bool:
    words = [w for w in re.split(r"[_\s]+", gold) if w]
    return bool(words) and all(w[0].isupper() and w.lower() not in _GROUP_WORDS for w in words)


def _speaker_ok(key: str | None, gold: str) -> bool:
    if not key:
        return False
    # Prefix match: the gold labels lose accented letters ("Felipe_Calder" for Calderón).
    key = key.lower()
    words = {w.lower().strip(".") for w in re.split(r"[_\s]+", gold) if w}
    return key in words or any(len(w) >= 4 and key.startswith(w) for w in words)


def baseline_speaker_key(text: str, sentences: list[int], start: int) -> str | None:
    """Baseline speaker: the last capitalised word outside quotes in the quote's sentence
    (not its first word), lower-cased; None when there is none."""
    k = bisect_right(sentences, start) - 1
    s_start = sentences[k]
    s_end = sentences[k + 1] if k + 1 < len(sentences) else len(text)
    plain = re.sub(r"[“\"][^”\"]*[”\"]", " ", text[s_start:s_end])
    words = re.findall(r"(?<!^)(?<=\s)([A-Z][\w’'-]+)", plain)
    return words[-1].lower() if words else None


def run_quotes(corpus: str | Path = "basil", *, baselines: bool = True) -> dict:
    """Score quote spans and speakers against BASIL.

    Returns: a dict with counts (articles, gold quotes, marked, unmarked, named speakers),
    ``spans`` (P/R/F1; P within annotated sentences), ``speakers`` and
    ``person_speakers`` (P/R/F1) and, with ``baselines``, ``baseline_person_speakers``:
    the same quotes attributed to the last capitalised word of their sentence.
    """
    docs = read_basil_quotes(corpus)
    span_tp = span_fn = 0
    pred_in_annotated = pred_hits = 0
    spk_tp = spk_fp = spk_fn = 0
    per_tp = per_fp = per_fn = 0
    base = [0, 0, 0]
    n_gold = n_marked = n_named = n_person = 0
    for doc in docs:
        text, starts = doc["text"], doc["sentences"]
        quotes = extract_quotes(text)
        spans = [(q["start_char"], q["end_char"]) for q in quotes]
        marked = [g for g in doc["gold"] if g["marked"]]
        n_gold += len(doc["gold"])
        n_marked += len(marked)
        for g in marked:
            hit = next(
                (
                    q
                    for q, s in zip(quotes, spans, strict=True)
                    if _overlaps(text, (g["start"], g["end"]), s)
                ),
                None,
            )
            span_tp += hit is not None
            span_fn += hit is None
            if g["speaker"] and not g["speaker"].startswith("other"):
                n_named += 1
                tp, fp, fn = _judge(hit, g["speaker"])
                spk_tp, spk_fp, spk_fn = spk_tp + tp, spk_fp + fp, spk_fn + fn
                if _is_person(g["speaker"]):
                    n_person += 1
                    per_tp, per_fp, per_fn = per_tp + tp, per_fp + fp, per_fn + fn
                    if baselines:
                        key = None
                        if hit is not None:
                            key = baseline_speaker_key(text, starts, hit["start_char"])
                        b = _judge(None if key is None else {"speaker_key": key}, g["speaker"])
                        base = [x + y for x, y in zip(base, b, strict=True)]
        gold_sentences = {bisect_right(starts, g["start"]) - 1 for g in marked}
        for s in spans:
            if bisect_right(starts, s[0]) - 1 not in gold_sentences:
                continue
            pred_in_annotated += 1
            pred_hits += any(_overlaps(text, (g["start"], g["end"]), s) for g in marked)
    span_scores = prf(span_tp, pred_in_annotated - pred_hits, span_fn)
    return {
        "corpus": str(corpus),
        "n_articles": len(docs),
        "n_gold_quotes": n_gold,
        "n_marked": n_marked,
        "n_unmarked": n_gold - n_marked,
        "n_named_speakers": n_named,
        "spans": span_scores,
        "speakers": prf(spk_tp, spk_fp, spk_fn),
        "n_person_speakers": n_person,
        "person_speakers": prf(per_tp, per_fp, per_fn),
        **({"baseline_person_speakers": prf(*base)} if baselines else {}),
    }


def _judge(hit: dict | None, gold: str) -> tuple[int, int, int]:
    """(tp, fp, fn) of one gold speaker: a wrong speaker is both a fp and a fn."""
    if hit is None or not hit["speaker_key"]:
        return 0, 0, 1
    if _speaker_ok(hit["speaker_key"], gold):
        return 1, 0, 0
    return 0, 1, 1


def format_report(result: dict) -> str:
    """A plain-text summary of :func:`run_quotes`' result."""
    sp, sk, pe = result["spans"], result["speakers"], result["person_speakers"]
    text = "\n".join(
        [
            f"BASIL: {result['n_articles']} articles, {result['n_gold_quotes']} annotated quote "
            f"spans ({result['n_marked']} in quote marks, {result['n_unmarked']} reported speech "
            f"without marks, not scored)",
            f"{'':<34} {'P':>6} {'R':>6} {'F1':>6}   counts",
            f"{'quote spans (P within annotated)':<34} {sp['precision']:>6.3f} {sp['recall']:>6.3f}"
            f" {sp['f1']:>6.3f}   tp={sp['tp']} fp={sp['fp']} fn={sp['fn']}",
            f"{'speakers (named gold speakers)':<34} {sk['precision']:>6.3f} {sk['recall']:>6.3f}"
            f" {sk['f1']:>6.3f}   tp={sk['tp']} fp={sk['fp']} fn={sk['fn']} "
            f"of {result['n_named_speakers']}",
            f"{'  of which one person (no groups)':<34} {pe['precision']:>6.3f} "
            f"{pe['recall']:>6.3f} {pe['f1']:>6.3f}   tp={pe['tp']} fp={pe['fp']} "
            f"fn={pe['fn']} of {result['n_person_speakers']}",
        ]
    )
    if "baseline_person_speakers" in result:
        b = result["baseline_person_speakers"]
        text += (
            f"\n{'  baseline: last capitalised word':<34} {b['precision']:>6.3f} "
            f"{b['recall']:>6.3f} {b['f1']:>6.3f}   tp={b['tp']} fp={b['fp']} fn={b['fn']}"
        )
    return text
