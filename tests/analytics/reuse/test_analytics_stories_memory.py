"""The lean story grouping (issue 15, warm's memory) gives exactly what the plain one gave:
signatures with term ids, and average linkage over sorted pair keys."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.analytics.reuse import stories
from core.analytics.reuse.story_signatures import SignatureBuilder
from tests.analytics.reuse.test_analytics_stories import _frame


def _linkage_with_dicts(n: int, candidates: pd.DataFrame, threshold: float) -> np.ndarray:
    """Average linkage as it was written before issue 15: a dict of dicts of scores."""
    edges = candidates[candidates["score"] >= threshold].sort_values(
        ["score", "doc_a", "doc_b"], ascending=[False, True, True], kind="stable"
    )
    adjacency: dict[int, dict[int, float]] = {}
    for a, b, s in candidates[["doc_a", "doc_b", "score"]].itertuples(index=False):
        adjacency.setdefault(int(a), {})[int(b)] = float(s)
        adjacency.setdefault(int(b), {})[int(a)] = float(s)
    root = np.arange(n)
    members: dict[int, list[int]] = {}
    for a, b in zip(edges["doc_a"], edges["doc_b"], strict=True):
        ra, rb = int(root[a]), int(root[b])
        if ra == rb:
            continue
        group_a, group_b = members.get(ra, [ra]), members.get(rb, [rb])
        total = 0.0
        for x in group_a:
            near = adjacency.get(x, {})
            total += sum(near.get(y, 0.0) for y in group_b)
        if total < threshold * len(group_a) * len(group_b):
            continue
        if len(group_a) < len(group_b):
            ra, rb, group_a, group_b = rb, ra, group_b, group_a
        members[ra] = group_a + group_b
        members.pop(rb, None)
        root[group_b] = ra
    return root


def test_linkage_over_pair_keys_equals_the_dict_of_dicts():
    rng = np.random.default_rng(7)
    n = 300
    pairs = {tuple(sorted(p)) for p in rng.integers(0, n, size=(3000, 2)) if p[0] != p[1]}
    doc_a, doc_b = np.array(sorted(pairs)).T
    # Scores around the threshold, with ties, so merges are refused as well as made.
    score = rng.choice([0.1, 0.15, 0.2, 0.25, 0.3, 0.6], size=len(doc_a)) + rng.normal(
        0, 0.02, size=len(doc_a)
    ).round(3)
    candidates = pd.DataFrame({"doc_a": doc_a, "doc_b": doc_b, "score": score})
    for threshold in (0.2, 0.3):
        want = _linkage_with_dicts(n, candidates, threshold)
        got = stories._average_linkage(n, candidates, threshold)
        assert (got == want).all()
        assert len(set(want)) < n - 10  # groups of several docs were formed
        assert len({r for r in want if (want == r).sum() >= 3})  # and some of three or more


def test_signatures_with_term_ids_equal_those_with_texts():
    frame = _frame()
    per_slice = 2  # several slices, so each is weighed and dropped in turn
    builders = [SignatureBuilder(), SignatureBuilder()]
    for b in builders:
        for lo in range(0, len(frame), per_slice):
            b.add(frame.iloc[lo : lo + per_slice].reset_index(drop=True))
    texts = builders[0].finish()
    ids = builders[1].finish(term_ids=True)
    assert ids["term"].dtype == np.int32 and len(ids) == len(texts) > 0
    assert (ids["doc"].to_numpy() == texts["doc"].to_numpy()).all()
    assert (ids["weight"].to_numpy() == texts["weight"].to_numpy()).all()
    vocab = np.array(list(builders[1].vocab), dtype=object)
    assert (vocab[ids["term"].to_numpy()] == texts["term"].to_numpy()).all()
