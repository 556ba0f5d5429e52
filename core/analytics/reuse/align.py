"""Sentence alignment of two articles, a reuse score and a likely direction of reuse.

Why our own aligner: no maintained library aligns *news rewrites* sentence by sentence
without a model download. Sequence aligners (difflib, Gale-Church) assume the order is
kept and the wording mostly is; rewrites reorder paragraphs, insert new ones and
replace words with synonyms. Embedding models would need a download. So we score every
sentence pair with a lexical similarity built for rewrites and pick pairs one-to-one:

* **Similarity** (:func:`score_similarity`): a *soft, IDF-weighted F1* of content
  words. Words are lower-cased, stop words dropped and lightly stemmed (British/American
  ``-ise/-ize``, plurals, ``-ed``/``-ing``); a word without an exact partner can still
  match a near-spelling (rapidfuzz ratio >= 80: ``Korea``/``Korean``,
  ``Ukraine``/``Ukrainian``) for partial credit. IDF is computed over the sentences
  of *both* articles, so words that every sentence shares (``Russia``, ``North Korea``)
  count little and the distinctive ones (``Matsegora``, ``Izvestia``) decide.
* **Assignment**: greedy best-first with a one-to-one constraint. The Hungarian
  algorithm maximises the *total* and may trade a sentence's clearly best partner for
  two mediocre pairs; best-first keeps every clear match, which is what a reader checks.
  A small bonus for keeping the original order breaks ties between look-alike sentences.
* **Splits and merges**: an unmatched sentence next to a matched one joins that pair when
  most of its words are in the partner and the two together cover clearly more of the
  partner than one alone (a rewrite that split one sentence into two).

Pairs at or above ``threshold`` are ``identical`` (same words, ignoring case and
punctuation) or ``paraphrase``; every other sentence is ``only_a`` / ``only_b``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from core.schema import as_date_value
from core.text import split_sentences

DEFAULT_THRESHOLD = 0.3
# A partial match between two different word forms needs this rapidfuzz ratio.
_FUZZY_MIN = 80.0
# Bonus (in similarity units) for pairs that keep the two articles' order.
_ORDER_BONUS = 0.03
# A split sentence's second half: its own score with the partner, and the gain it brings.
_MERGE_PART = 0.4
_MERGE_GAIN = 0.15

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on
    once only or other our ours out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would
    you your yours s t said says say told added would could may might must shall one two
    mr mrs ms dr""".split()
)


def tokenize(text: str) -> list[str]:
    """Return the lower-cased, stemmed content words of ``text`` (stop words removed)."""
    return [t for t in map(_content_stem, _WORD.findall(text.lower())) if t]


@lru_cache(maxsize=500_000)
def _content_stem(word: str) -> str:
    """The stem of a lower-cased word, or "" for a stop word (cached: vocabularies repeat)."""
    return "" if word in _STOPWORDS else stem(word)


def stem(word: str) -> str:
    """Return a light stem: enough to equate plural/past/-ing and British/American spellings."""
    w = word
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 4 and w.endswith("ed"):
        w = w[:-2]
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 5 and w.endswith("is"):
        w = w[:-2] + "iz"
    return w


def normalise_words(text: str) -> tuple[str, ...]:
    """Every word of ``text`` lower-cased, punctuation dropped (the ``identical`` test)."""
    return tuple(m.group() for m in _WORD.finditer(text.lower()))


def compute_idf(token_lists: Iterable[Sequence[str]]) -> dict[str, float]:
    """IDF of each token over the given sentences: ``log(1 + N / df)``."""
    lists = list(token_lists)
    df = Counter(t for toks in lists for t in set(toks))
    n = max(len(lists), 1)
    return {t: math.log(1.0 + n / d) for t, d in df.items()}


def score_similarity(
    tokens_a: Sequence[str],
    tokens_b: Sequence[str],
    idf: dict[str, float] | None = None,
    *,
    text_a: str | None = None,
    text_b: str | None = None,
) -> float:
    """Similarity of two sentences in [0, 1]: the larger of a content score and a surface score.

    Content: a soft IDF-weighted F1 of the token lists (from :func:`tokenize`). Each
    distinct token of one side earns its best match on the other (1 for the same stem,
    ratio/100 for a near-spelling with ratio >= 80, else 0), weighted by IDF (1 for
    unknown tokens or ``idf=None``); precision and recall are the weighted means of the
    two sides. Surface (only when both texts are given): the rapidfuzz ratio of the
    sentences' lower-cased word strings, rescaled so that ratio 50 -> 0 and 100 -> 1. It
    rescues short rewrites whose few content words all changed ("He added that their
    comradely friendship would grow stronger" / "... their comradeship would become
    stronger") and is ~0 for unrelated sentences.
    """
    content = _soft_f1(tokens_a, tokens_b, idf)
    if text_a is None or text_b is None:
        return content
    surface = fuzz.ratio(" ".join(normalise_words(text_a)), " ".join(normalise_words(text_b)))
    return max(content, max(surface - 50.0, 0.0) / 50.0)


def _soft_f1(
    tokens_a: Sequence[str], tokens_b: Sequence[str], idf: dict[str, float] | None
) -> float:
    set_a, set_b = sorted(set(tokens_a)), sorted(set(tokens_b))
    if not set_a or not set_b:
        return 0.0
    matrix = cdist(set_a, set_b, scorer=fuzz.ratio, dtype=np.float32)
    matrix = np.where(matrix >= _FUZZY_MIN, matrix / 100.0, 0.0)
    best_a, best_b = matrix.max(axis=1), matrix.max(axis=0)
    w_a = np.array([idf.get(t, 1.0) if idf else 1.0 for t in set_a])
    w_b = np.array([idf.get(t, 1.0) if idf else 1.0 for t in set_b])
    recall = float((best_a * w_a).sum() / w_a.sum())
    precision = float((best_b * w_b).sum() / w_b.sum())
    if recall + precision == 0:
        return 0.0
    return 2 * recall * precision / (recall + precision)


def score_matrix(sentences_a: Sequence[str], sentences_b: Sequence[str]) -> np.ndarray:
    """Similarity of every (a, b) sentence pair, IDF over both articles' sentences.

    The same numbers as :func:`score_similarity` on each pair, computed with one
    token-by-token and one sentence-by-sentence rapidfuzz matrix instead of a call per pair.

    Returns: an ``len(a) x len(b)`` float array.
    """
    toks_a = [sorted(set(tokenize(s))) for s in sentences_a]
    toks_b = [sorted(set(tokenize(s))) for s in sentences_b]
    out = np.zeros((len(toks_a), len(toks_b)))
    if not toks_a or not toks_b:
        return out
    idf = compute_idf(toks_a + toks_b)
    vocab_a = sorted({t for toks in toks_a for t in toks})
    vocab_b = sorted({t for toks in toks_b for t in toks})
    if vocab_a and vocab_b:
        tok = cdist(vocab_a, vocab_b, scorer=fuzz.ratio, dtype=np.float32)
        tok = np.where(tok >= _FUZZY_MIN, tok / 100.0, 0.0)
        pos_a = {t: k for k, t in enumerate(vocab_a)}
        pos_b = {t: k for k, t in enumerate(vocab_b)}
        idx_a = [np.array([pos_a[t] for t in toks], dtype=int) for toks in toks_a]
        idx_b = [np.array([pos_b[t] for t in toks], dtype=int) for toks in toks_b]
        w_a = [np.array([idf[t] for t in toks]) for toks in toks_a]
        w_b = [np.array([idf[t] for t in toks]) for toks in toks_b]
        for i, ia in enumerate(idx_a):
            if not len(ia):
                continue
            rows = tok[ia]
            for j, jb in enumerate(idx_b):
                if not len(jb):
                    continue
                sub = rows[:, jb]
                recall = float(sub.max(axis=1) @ w_a[i] / w_a[i].sum())
                precision = float(sub.max(axis=0) @ w_b[j] / w_b[j].sum())
                if recall + precision:
                    out[i, j] = 2 * recall * precision / (recall + precision)
    surface = cdist(
        [" ".join(normalise_words(s)) for s in sentences_a],
        [" ".join(normalise_words(s)) for s in sentences_b],
        scorer=fuzz.ratio,
        dtype=np.float32,
    )
    return np.maximum(out, np.maximum(surface - 50.0, 0.0) / 50.0)


def _assign(sim: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """One-to-one pairs, best first; an order-keeping bonus breaks near-ties."""
    n_a, n_b = sim.shape
    if n_a == 0 or n_b == 0:
        return []
    ia = np.arange(n_a)[:, None] / max(n_a - 1, 1)
    jb = np.arange(n_b)[None, :] / max(n_b - 1, 1)
    ranked = sim + _ORDER_BONUS * (1.0 - np.abs(ia - jb))
    order = np.argsort(-ranked, axis=None, kind="stable")
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for flat in order:
        i, j = divmod(int(flat), n_b)
        if sim[i, j] < threshold:
            continue
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append((i, j))
    return pairs


def _sentence_texts(text: str) -> list[str]:
    return [text[s:e] for _, s, e in split_sentences(text)]


def align_sentences(
    text_a: str, text_b: str, *, threshold: float = DEFAULT_THRESHOLD
) -> pd.DataFrame:
    """Align the sentences of two articles (split with :func:`core.text.split_sentences`).

    Returns: one row per aligned pair or unmatched sentence, in reading order of ``a``
    (``only_b`` rows after the pair that precedes them in ``b``): ``a_sentence`` /
    ``b_sentence`` (Int64 sentence indices, null on the missing side), ``a_text``,
    ``b_text``, ``relation`` (identical | paraphrase | only_a | only_b) and
    ``similarity`` (Float64; for unmatched sentences, their best score on the other side).
    """
    sents_a, sents_b = _sentence_texts(text_a), _sentence_texts(text_b)
    sim = score_matrix(sents_a, sents_b)
    pairs = _assign(sim, threshold)
    rows = []
    for i, j in pairs:
        same = normalise_words(sents_a[i]) == normalise_words(sents_b[j])
        rel = "identical" if same else "paraphrase"
        rows.append((i, j, sents_a[i], sents_b[j], rel, 1.0 if same else float(sim[i, j])))
    for i, j, score in _find_merges(sents_a, sents_b, sim, pairs):
        rows.append((i, j, sents_a[i], sents_b[j], "paraphrase", score))
        pairs.append((i, j))
    matched_a = {i for i, _ in pairs}
    matched_b = {j for _, j in pairs}
    for i, s in enumerate(sents_a):
        if i not in matched_a:
            best = float(sim[i].max()) if sim.shape[1] else 0.0
            rows.append((i, None, s, None, "only_a", best))
    for j, s in enumerate(sents_b):
        if j not in matched_b:
            best = float(sim[:, j].max()) if sim.shape[0] else 0.0
            rows.append((None, j, None, s, "only_b", best))
    df = pd.DataFrame(
        rows, columns=["a_sentence", "b_sentence", "a_text", "b_text", "relation", "similarity"]
    )
    df = _order_rows(df)
    return df.astype(
        {
            "a_sentence": "Int64",
            "b_sentence": "Int64",
            "a_text": "string",
            "b_text": "string",
            "relation": "string",
            "similarity": "Float64",
        }
    )


def _find_merges(
    sents_a: Sequence[str],
    sents_b: Sequence[str],
    sim: np.ndarray,
    pairs: Sequence[tuple[int, int]],
) -> list[tuple[int, int, float]]:
    """Unmatched sentences that are the other half of a split (or merged) sentence.

    An unmatched sentence x next to a matched sentence y (partner z on the other side)
    joins the pair when most of x's content is in z (IDF-weighted share >=
    ``_MERGE_PART``) and x + y covers at least ``_MERGE_GAIN`` more of z than y alone.
    Returns: ``(a, b, score)`` per extra pair, score being the merged unit's similarity.
    """
    extra: list[tuple[int, int, float]] = []
    toks_a = [tokenize(t) for t in sents_a]
    toks_b = [tokenize(t) for t in sents_b]
    idf = compute_idf(toks_a + toks_b)
    sides = (
        (sents_a, toks_a, toks_b, sents_b, {i: j for i, j in pairs}),
        (sents_b, toks_b, toks_a, sents_a, {j: i for i, j in pairs}),
    )
    for side, (texts, toks, other_toks, other_texts, partner) in enumerate(sides):
        for x in range(len(texts)):
            if x in partner:
                continue
            best: tuple[float, int] | None = None
            for y in (x - 1, x + 1):
                z = partner.get(y)
                if z is None or _coverage(toks[x], other_toks[z], idf) < _MERGE_PART:
                    continue
                lo, hi = min(x, y), max(x, y)
                gain = _coverage(other_toks[z], toks[lo] + toks[hi], idf) - _coverage(
                    other_toks[z], toks[y], idf
                )
                if gain < _MERGE_GAIN:
                    continue
                merged = score_similarity(
                    toks[lo] + toks[hi],
                    other_toks[z],
                    idf,
                    text_a=texts[lo] + " " + texts[hi],
                    text_b=other_texts[z],
                )
                if best is None or merged > best[0]:
                    best = (merged, z)
            if best is not None:
                a, b = (x, best[1]) if side == 0 else (best[1], x)
                extra.append((a, b, round(best[0], 6)))
    return extra


def _coverage(src: Sequence[str], dst: Sequence[str], idf: dict[str, float]) -> float:
    """IDF-weighted share of ``src``'s distinct tokens found (softly) in ``dst``."""
    set_s, set_d = sorted(set(src)), sorted(set(dst))
    if not set_s or not set_d:
        return 0.0
    matrix = cdist(set_s, set_d, scorer=fuzz.ratio, dtype=np.float32)
    best = np.where(matrix >= _FUZZY_MIN, matrix / 100.0, 0.0).max(axis=1)
    weights = np.array([idf.get(t, 1.0) for t in set_s])
    return float(best @ weights / weights.sum())


def _order_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Sort by a's order; an only_b row goes right after the row holding b's previous sentence."""
    if df.empty:
        return df.reset_index(drop=True)
    a_key = {}
    for row in df.itertuples():
        if row.a_sentence is not None and not pd.isna(row.a_sentence):
            b = row.b_sentence
            a_key[row.Index] = (float(row.a_sentence), 0.0 if pd.isna(b) else int(b) / 1e6)
    b_to_key = {}
    for row in df.itertuples():
        if row.Index in a_key and row.b_sentence is not None and not pd.isna(row.b_sentence):
            b_to_key[int(row.b_sentence)] = a_key[row.Index]
    keys = []
    for row in df.itertuples():
        if row.Index in a_key:
            keys.append(a_key[row.Index])
            continue
        j = int(row.b_sentence)
        prev = max((k for k in b_to_key if k < j), default=None)
        base = b_to_key[prev][0] if prev is not None else -1.0
        keys.append((base, 1.0 + j / 1e6))
    df = df.assign(_k0=[k[0] for k in keys], _k1=[k[1] for k in keys])
    return (
        df.sort_values(["_k0", "_k1"], kind="stable")
        .drop(columns=["_k0", "_k1"])
        .reset_index(drop=True)
    )


def count_words(text: object) -> int:
    """Number of words in ``text`` (0 for a missing side)."""
    return len(_WORD.findall(text)) if isinstance(text, str) else 0


def score_reuse(alignment: pd.DataFrame) -> float:
    """Reuse score of an alignment, in [0, 1].

    Defined as the share of the *shorter* article's words that sit in sentences aligned
    to the other article, each sentence weighted by its pair's similarity (an identical
    sentence counts fully, a loose paraphrase partly). The shorter article is used
    because a rewrite that adds material should still score as reusing all of a short
    original. Returns 0.0 for an empty alignment.
    """
    if alignment.empty:
        return 0.0
    words_a = alignment["a_text"].map(count_words)
    words_b = alignment["b_text"].map(count_words)
    total_a, total_b = int(words_a.sum()), int(words_b.sum())
    if min(total_a, total_b) == 0:
        return 0.0
    paired = alignment["relation"].isin(["identical", "paraphrase"])
    side = words_a if total_a <= total_b else words_b
    sim = alignment["similarity"].astype(float).fillna(0.0)
    score = float((side[paired] * sim[paired]).sum()) / min(total_a, total_b)
    return round(min(score, 1.0), 4)


def infer_direction(published_a: date | str | None, published_b: date | str | None) -> str | None:
    """Likely direction of reuse: the earlier publication is the likely origin.

    Returns ``"a->b"`` when a is earlier, ``"b->a"`` when b is, None when the dates are
    equal or either is unknown.
    """
    da, db = as_date_value(published_a), as_date_value(published_b)
    if da is None or db is None or da == db:
        return None
    return "a->b" if da < db else "b->a"
