"""Story grouping on ECB+ (look-alike events) and BASIL (same-event triplets).

Scores: pairwise P/R/F1 (over all article pairs put together) and B-cubed P/R/F1
(Bagga & Baldwin 1998: per-article precision and recall of its cluster, averaged), plus
purity and the number of predicted clusters. The baseline, run in the same process, is a
classic all-pairs TF-IDF cosine (lower-cased ``\\w\\w+`` tokens of the full text, smoothed
IDF, L2 norm) with a threshold and connected components; where dates are known (BASIL)
it gets the same 3-day window as ours.

Thresholds: ours runs at its default (fixed a priori, not tuned on these corpora). Both
methods are also swept over thresholds and their best pairwise F1 is reported as an
*oracle* (tuned on the evaluation data, so optimistic), to show how much each loses to
its threshold choice. ECB+ has no dates: no date window applies there. On ECB+ the
scores are also given at topic level (merging a topic's two events counts as right) to
show how much error is the look-alike confusion.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from core.analytics.reuse.stories import (
    DEFAULT_THRESHOLD,
    day_numbers,
    group_stories,
    join_components,
)
from core.evaluate import prf, resolve_corpus

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_WINDOW_DAYS = 3
_SWEEP = [round(x, 2) for x in np.arange(0.05, 0.65, 0.05)]


def read_ecbplus(corpus: str | Path = "ecbplus") -> pd.DataFrame:
    """ECB+ train+dev documents. Returns: one row per article: article_id, text, cluster, topic.

    The URL line (sentence 0 of ``ecbplus`` documents) is dropped from the text.
    """
    folder = resolve_corpus(corpus)
    rows = []
    with gzip.open(folder / "ecbplus-docs-train-dev.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            sents = d["sentences"]
            if d["subtopic"] == "ecbplus" and d.get("url"):
                sents = [s for s in sents if s["sentence"] != 0]
            rows.append(
                {
                    "article_id": d["doc_name"],
                    "text": "\n".join(s["text"] for s in sents),
                    "cluster": d["cluster_id"],
                    "topic": str(d["topic"]),
                }
            )
    return pd.DataFrame(rows)


def read_basil(corpus: str | Path = "basil") -> pd.DataFrame:
    """BASIL articles. Returns: one row per article: article_id, title, text, published,
    source, cluster, topic (= cluster)."""
    folder = resolve_corpus(corpus)
    rows = []
    with gzip.open(folder / "basil-articles.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            paragraphs = [" ".join(p) for p in d["paragraphs"]]
            rows.append(
                {
                    "article_id": d["article_id"],
                    "title": d.get("title"),
                    "text": "\n".join(paragraphs),
                    "published": d.get("date"),
                    "source": d.get("outlet"),
                    "cluster": d["cluster_id"],
                    "topic": d["cluster_id"],
                }
            )
    return pd.DataFrame(rows)


def score_pairwise(gold: Sequence[str], predicted: Sequence[object]) -> dict:
    """Pairwise P/R/F1: a pair is positive when both articles share a cluster."""
    both = Counter(zip(gold, predicted, strict=True))
    same_both = sum(c * (c - 1) // 2 for c in both.values())
    same_pred = sum(c * (c - 1) // 2 for c in Counter(predicted).values())
    same_gold = sum(c * (c - 1) // 2 for c in Counter(gold).values())
    return prf(same_both, same_pred - same_both, same_gold - same_both)


def score_bcubed(gold: Sequence[str], predicted: Sequence[object]) -> dict:
    """B-cubed P/R/F1: per article, overlap of its predicted and gold clusters, averaged."""
    both = Counter(zip(gold, predicted, strict=True))
    n_gold, n_pred = Counter(gold), Counter(predicted)
    n = len(gold)
    if n == 0:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    p = sum(c * c / n_pred[pr] for (g, pr), c in both.items()) / n
    r = sum(c * c / n_gold[g] for (g, pr), c in both.items()) / n
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f}


def score_clustering(gold: Sequence[str], predicted: Sequence[object]) -> dict:
    """Pairwise and B-cubed scores, purity and cluster counts of one clustering."""
    both = Counter(zip(gold, predicted, strict=True))
    best = defaultdict(int)
    for (_, pr), c in both.items():
        best[pr] = max(best[pr], c)
    return {
        "pairwise": score_pairwise(gold, predicted),
        "bcubed": score_bcubed(gold, predicted),
        "purity": sum(best.values()) / max(len(gold), 1),
        "n_predicted": len(set(predicted)),
        "n_gold": len(set(gold)),
    }


def tfidf_similarities(texts: Sequence[str]) -> np.ndarray:
    """All-pairs TF-IDF cosine matrix (the baseline; fine for a few hundred articles)."""
    docs = [Counter(_TOKEN.findall(t.lower())) for t in texts]
    df = Counter(t for d in docs for t in d)
    n = len(docs)
    vocab = {t: k for k, t in enumerate(df)}
    idf = np.array([math.log((1 + n) / (1 + df[t])) + 1 for t in vocab])
    matrix = np.zeros((n, len(vocab)), dtype=np.float32)
    for i, d in enumerate(docs):
        for t, c in d.items():
            matrix[i, vocab[t]] = c
    matrix *= idf
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix /= np.where(norms == 0, 1, norms)
    return matrix @ matrix.T


def _tfidf_clusters(sim: np.ndarray, threshold: float) -> np.ndarray:
    a, b = np.nonzero(np.triu(sim >= threshold, k=1))
    return join_components(len(sim), pd.DataFrame({"doc_a": a, "doc_b": b}))


def _ours(frame: pd.DataFrame, threshold: float) -> list[str]:
    grouped = group_stories(frame, threshold=threshold)
    story = dict(zip(grouped["article_id"], grouped["story_id"], strict=True))
    return [story[a] for a in frame["article_id"]]


def run_stories(corpus: str | Path = "ecbplus", *, baselines: bool = True) -> dict:
    """Group the corpus's articles and score the grouping against its gold clusters.

    Returns: a dict with ``n_articles``, ``n_clusters``, ``ours`` (scores at the default
    threshold), ``ours_oracle`` and, with ``baselines``, ``tfidf_oracle`` (best pairwise
    F1 over the threshold sweep, with that threshold); on ECB+ also ``*_topic`` scores
    against topics.
    """
    name = Path(str(corpus)).name.lower()
    frame = read_basil(corpus) if "basil" in name else read_ecbplus(corpus)
    gold = frame["cluster"].tolist()
    topics = frame["topic"].tolist()
    with_topics = topics != gold
    result: dict = {
        "corpus": str(corpus),
        "n_articles": len(frame),
        "n_clusters": len(set(gold)),
        "threshold": DEFAULT_THRESHOLD,
    }
    predicted = _ours(frame, DEFAULT_THRESHOLD)
    result["ours"] = score_clustering(gold, predicted)
    if with_topics:
        result["ours_topic"] = score_clustering(topics, predicted)
    sweep = {t: _ours(frame, t) for t in _SWEEP}
    result["ours_oracle"] = _best(sweep, gold)
    if baselines:
        sim = tfidf_similarities(frame["text"].tolist())
        if "published" in frame:
            # Same date window as ours, so the comparison is about the text measure.
            days = day_numbers(frame)
            far = np.abs(days[:, None] - days[None, :]) > _WINDOW_DAYS
            sim = np.where(far, 0.0, sim)
        base = {t: _tfidf_clusters(sim, t).tolist() for t in _SWEEP}
        result["tfidf_oracle"] = _best(base, gold)
        if with_topics:
            thr = result["tfidf_oracle"]["threshold"]
            result["tfidf_oracle_topic"] = {**score_clustering(topics, base[thr]), "threshold": thr}
    return result


def _best(sweep: dict[float, list], gold: list[str]) -> dict:
    scored = {t: score_clustering(gold, p) for t, p in sweep.items()}
    t_best = max(scored, key=lambda t: scored[t]["pairwise"]["f1"])
    return {**scored[t_best], "threshold": t_best}


def format_report(result: dict) -> str:
    """A plain-text table of :func:`run_stories`' result."""
    lines = [
        f"{result['corpus']}: {result['n_articles']} articles in {result['n_clusters']} "
        f"gold stories",
        f"{'method':<44} {'thr':>5} {'pair P':>7} {'pair R':>7} {'pair F1':>7} "
        f"{'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'purity':>6} {'#clu':>5}",
    ]
    labels = {
        "ours": "ours (default threshold)",
        "ours_oracle": "ours, best threshold (oracle)",
        "tfidf_oracle": "TF-IDF all-pairs, best threshold (oracle)",
        "ours_topic": "ours vs topics (look-alikes merged ok)",
        "tfidf_oracle_topic": "TF-IDF oracle vs topics",
    }
    for key, label in labels.items():
        if key not in result:
            continue
        m = result[key]
        thr = m.get("threshold", result["threshold"])
        pw, b3 = m["pairwise"], m["bcubed"]
        lines.append(
            f"{label:<44} {thr:>5.2f} {pw['precision']:>7.3f} {pw['recall']:>7.3f} "
            f"{pw['f1']:>7.3f} {b3['precision']:>6.3f} {b3['recall']:>6.3f} "
            f"{b3['f1']:>6.3f} {m['purity']:>6.3f} {m['n_predicted']:>5}"
        )
    return "\n".join(lines)
