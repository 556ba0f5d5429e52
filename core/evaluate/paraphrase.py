"""MSRP: the aligner's paraphrase decision against human labels, beside a TF-IDF baseline.

The aligner calls two sentences the same content (identical or paraphrase) when
:func:`core.analytics.reuse.align.score_similarity` reaches a threshold. Here that decision is
scored on the MSRP training split (the only split staged) in two ways:

* at the aligner's fixed default threshold (chosen a priori for alignment, not tuned here);
* with a threshold chosen by 10-fold cross-validation (best accuracy on nine folds,
  applied to the tenth), which is how the baseline's threshold is chosen too.

The baseline is a same-run TF-IDF cosine: lower-cased ``\\w\\w+`` tokens, smoothed IDF
fitted on all MSRP sentences, L2-normalised raw counts (sklearn's ``TfidfVectorizer``
defaults, written out here so there is no sklearn dependency). Both measures get their IDF
from the same sentences.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import re
from collections import Counter
from pathlib import Path

import numpy as np

from core.analytics.reuse.align import (
    DEFAULT_THRESHOLD,
    compute_idf,
    score_similarity,
    tokenize,
)
from core.evaluate import prf, resolve_corpus

_FOLDS = 10
_BASELINE_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def read_msrp(corpus: str | Path = "msrp") -> list[tuple[int, str, str]]:
    """Read the MSRP pairs. Returns: one ``(label, sentence_1, sentence_2)`` per pair."""
    folder = resolve_corpus(corpus)
    path = folder / "msr_paraphrase_train.txt.gz" if folder.is_dir() else folder
    with gzip.open(path, "rt", encoding="utf-8-sig") as fh:
        text = fh.read()
    rows = []
    for rec in csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE):
        if len(rec) != 5 or rec[0] not in ("0", "1"):
            continue
        rows.append((int(rec[0]), rec[3], rec[4]))
    return rows


def score_ours(pairs: list[tuple[int, str, str]]) -> np.ndarray:
    """The aligner's similarity of each pair, IDF over all the corpus's sentences."""
    toks = [(tokenize(a), tokenize(b)) for _, a, b in pairs]
    idf = compute_idf([t for pair in toks for t in pair])
    return np.array(
        [
            score_similarity(ta, tb, idf, text_a=a, text_b=b)
            for (ta, tb), (_, a, b) in zip(toks, pairs, strict=True)
        ]
    )


def score_tfidf(pairs: list[tuple[int, str, str]]) -> np.ndarray:
    """Baseline: TF-IDF cosine of each pair (IDF fitted on every sentence of the corpus)."""
    docs = [
        (_BASELINE_TOKEN.findall(a.lower()), _BASELINE_TOKEN.findall(b.lower()))
        for _, a, b in pairs
    ]
    flat = [d for pair in docs for d in pair]
    df = Counter(t for d in flat for t in set(d))
    n = len(flat)
    idf = {t: math.log((1 + n) / (1 + c)) + 1 for t, c in df.items()}

    def vec(tokens: list[str]) -> dict[str, float]:
        tf = Counter(tokens)
        v = {t: c * idf[t] for t, c in tf.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {t: x / norm for t, x in v.items()}

    out = []
    for a, b in docs:
        va, vb = vec(a), vec(b)
        out.append(sum(x * vb.get(t, 0.0) for t, x in va.items()))
    return np.array(out)


def _metrics(labels: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    tp = int((predicted & (labels == 1)).sum())
    fp = int((predicted & (labels == 0)).sum())
    fn = int((~predicted & (labels == 1)).sum())
    out = prf(tp, fp, fn)
    out["accuracy"] = float((predicted == (labels == 1)).mean())
    return out


def _best_threshold(scores: np.ndarray, labels: np.ndarray) -> float:
    """The threshold (midpoint between sorted scores) with the best accuracy."""
    candidates = np.unique(np.round(scores, 4))
    best_t, best_acc = 0.5, -1.0
    for t in candidates:
        acc = float(((scores >= t) == (labels == 1)).mean())
        if acc > best_acc:
            best_t, best_acc = float(t), acc
    return best_t


def evaluate_scores(scores: np.ndarray, labels: np.ndarray, *, seed: int = 0) -> dict:
    """Cross-validated accuracy/F1: each fold is predicted with a threshold tuned on the rest."""
    rng = np.random.default_rng(seed)
    folds = rng.permutation(len(labels)) % _FOLDS
    predicted = np.zeros(len(labels), dtype=bool)
    thresholds = []
    for k in range(_FOLDS):
        train, test = folds != k, folds == k
        t = _best_threshold(scores[train], labels[train])
        thresholds.append(t)
        predicted[test] = scores[test] >= t
    out = _metrics(labels, predicted)
    out["threshold_mean"] = float(np.mean(thresholds))
    return out


def run_paraphrase(corpus: str | Path = "msrp", *, baselines: bool = True) -> dict:
    """Score the paraphrase decision on MSRP train.

    Returns: a dict with ``n_pairs``, ``n_positive``, ``ours_fixed`` (metrics at the
    aligner's default threshold), ``ours_cv`` (10-fold CV threshold) and, with
    ``baselines``, ``tfidf_cv``; each metrics dict has accuracy, precision, recall, f1.
    """
    pairs = read_msrp(corpus)
    labels = np.array([p[0] for p in pairs])
    ours = score_ours(pairs)
    fixed = _metrics(labels, ours >= DEFAULT_THRESHOLD)
    fixed["threshold"] = DEFAULT_THRESHOLD
    result = {
        "corpus": str(corpus),
        "n_pairs": len(pairs),
        "n_positive": int(labels.sum()),
        "majority_accuracy": float(max(labels.mean(), 1 - labels.mean())),
        "ours_fixed": fixed,
        "ours_cv": evaluate_scores(ours, labels),
    }
    if baselines:
        result["tfidf_cv"] = evaluate_scores(score_tfidf(pairs), labels)
    return result


def format_report(result: dict) -> str:
    """A plain-text table of :func:`run_paraphrase`'s result."""
    lines = [
        f"MSRP train: {result['n_pairs']} pairs, {result['n_positive']} paraphrases "
        f"(majority class accuracy {result['majority_accuracy']:.3f})",
        f"{'method':<42} {'acc':>6} {'P':>6} {'R':>6} {'F1':>6} {'thr':>6}",
    ]
    names = {
        "ours_fixed": "aligner similarity, fixed default threshold",
        "ours_cv": "aligner similarity, 10-fold CV threshold",
        "tfidf_cv": "TF-IDF cosine baseline, 10-fold CV thr.",
    }
    for key, label in names.items():
        if key not in result:
            continue
        m = result[key]
        thr = m.get("threshold", m.get("threshold_mean", float("nan")))
        lines.append(
            f"{label:<42} {m['accuracy']:>6.3f} {m['precision']:>6.3f} "
            f"{m['recall']:>6.3f} {m['f1']:>6.3f} {thr:>6.3f}"
        )
    return "\n".join(lines)
