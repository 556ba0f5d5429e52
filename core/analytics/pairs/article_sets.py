"""Articles holding the same entities, counted once with a weight.

A wire story reprinted by many outlets, a story updated in place and stored again, or the
benchmark's variants of one text: many articles of a corpus can hold exactly the same set of
entities. They hold the same pairs, so the article window counts them once, each set standing
for the ``w`` articles a filter keeps of it: the same counts from ``w`` times fewer rows.

Copies are also what makes the exact top pairs slow (:mod:`core.analytics.pairs.floor_pairs`):
a story copied 470 times makes thousands of pairs tie at 470 articles, and every tie may rank.
On the benchmark's million articles, a text search keeping 150,000 of them keeps 3,683 sets;
a corpus without copies keeps about one set per article, and is then counted as before
(:data:`WEIGH_SHARE`).

Each article's set is named by a 64-bit hash of its entity ids (a sum of their mixes, so the
order of the rows does not matter), then checked exactly: articles whose hash matches but whose
rows differ keep sets of their own. Written here rather than taken from a library: it is a
step of the exact pair counts over :class:`core.analytics.pairs.article_rows.WindowIndex`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.analytics.pairs.article_rows import WindowIndex, read_window_index, run_positions
from core.analytics.query.engine import Engine

# The kept articles are weighed when their distinct sets are at most this share of them (the
# weighing costs one pass over the kept articles; fewer rows pay it back below this).
WEIGH_SHARE = 0.8
# Rows hashed at a time when naming the sets (bounds the temporaries).
HASH_ROWS = 1 << 21


@dataclass(frozen=True)
class ArticleSets:
    """Each article's entity set: ``sig[aid]`` (int32) the set's id, the same for articles
    holding exactly the same entities; -1 for an article without rows."""

    sig: np.ndarray
    n_sets: int


@dataclass(frozen=True)
class Weighed:
    """Some kept articles, one per distinct entity set: ``keep`` (a lookup by article id), and
    ``weight`` (int64 per article id) the kept articles of its set it stands for (0 outside
    ``keep``)."""

    keep: np.ndarray
    weight: np.ndarray

    @property
    def n_sets(self) -> int:
        """How many articles (distinct sets) stand for the kept ones."""
        return int(np.count_nonzero(self.keep))


def read_article_sets(eng: Engine) -> ArticleSets:
    """The entity set of every article of the article window (built once per engine, ~1 s
    per million articles).

    Returns: the :class:`ArticleSets` of :func:`read_window_index`'s articles.
    """
    return eng.memo.get_or_build(
        "article_window_sets", lambda: build_article_sets(read_window_index(eng))
    )


def build_article_sets(index: WindowIndex) -> ArticleSets:
    """Name each article's entity set (a hash of its rows, then checked exactly).

    Returns: an :class:`ArticleSets` over ``index.n_aids`` articles.
    """
    sizes = np.diff(index.starts)
    has = np.flatnonzero(sizes > 0)
    sig = np.full(index.n_aids, -1, np.int32)
    if len(has) == 0:
        return ArticleSets(sig, 0)
    hashed = _hash_articles(index, has) ^ mix64(sizes[has])
    order = has[np.argsort(hashed, kind="stable")]
    hashed = np.sort(hashed, kind="stable")
    new = np.r_[True, hashed[1:] != hashed[:-1]]
    first = np.flatnonzero(new)
    rep = order[np.repeat(first, np.diff(np.r_[first, len(order)]))]
    ids = np.cumsum(new) - 1
    # Same hash: the rows must be the same, one by one; those that are not keep their own set.
    copy = np.flatnonzero(~new)
    if len(copy):
        same = _same_rows(index, order[copy], rep[copy])
        odd = copy[~same]
        ids = ids.copy()
        ids[odd] = ids[-1] + 1 + np.arange(len(odd))
    sig[order] = ids
    return ArticleSets(sig, int(ids.max()) + 1)


def _same_rows(index: WindowIndex, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether article ``a[i]`` holds exactly the entities of article ``b[i]``, compared row
    by row, about HASH_ROWS rows at a time (bounds the temporaries).

    Returns: one bool per pair.
    """
    sizes = np.diff(index.starts)
    same = sizes[a] == sizes[b]
    pairs = np.flatnonzero(same & (sizes[a] > 0))
    ends = np.cumsum(sizes[a[pairs]])
    lo = 0
    while lo < len(pairs):
        hi = min(max(lo + 1, int(np.searchsorted(ends, ends[lo] + HASH_ROWS))), len(pairs))
        part = pairs[lo:hi]
        equal = (
            index.eid[run_positions(index.starts, a[part])]
            == index.eid[run_positions(index.starts, b[part])]
        )
        same[part] = np.logical_and.reduceat(equal, np.r_[0, np.cumsum(sizes[a[part]])[:-1]])
        lo = hi
    return same


def _hash_articles(index: WindowIndex, has: np.ndarray) -> np.ndarray:
    """The sum of the mixes of each of the articles ``has``' entity ids (articles with rows,
    ascending), HASH_ROWS rows at a time: the mixes of every row at once would take ~0.3 GB
    of temporaries at a million articles."""
    out = np.zeros(len(has), np.uint64)
    begins = index.starts[has]
    lo = 0
    while lo < len(has):
        # Whole articles, about HASH_ROWS rows.
        first = begins[lo]
        hi = min(max(lo + 1, int(np.searchsorted(begins, first + HASH_ROWS))), len(has))
        mixed = mix64(index.eid[first : index.starts[has[hi - 1] + 1]])
        out[lo:hi] = np.add.reduceat(mixed, begins[lo:hi] - first)
        lo = hi
    return out


def weigh_articles(
    sets: ArticleSets, keep: np.ndarray, *, share: float | None = None
) -> Weighed | None:
    """One article per distinct entity set among those ``keep`` keeps (a lookup by article
    id), weighted by the kept articles of its set; None when the sets are more than ``share``
    (default :data:`WEIGH_SHARE`) of the kept articles (too few copies to pay).

    Returns: a :class:`Weighed` over ``len(keep)`` article ids.
    """
    aids = np.flatnonzero(keep[: len(sets.sig)])
    sig = sets.sig[aids]
    held = sig >= 0
    aids, sig = aids[held], sig[held]
    counts = np.bincount(sig, minlength=sets.n_sets)
    share = WEIGH_SHARE if share is None else share
    if np.count_nonzero(counts) > share * max(len(aids), 1):
        return None
    first = np.full(sets.n_sets, -1, np.int64)
    first[sig[::-1]] = aids[::-1]  # the last write wins: each set's first kept article
    reps = first[counts > 0]
    out = np.zeros(len(keep), bool)
    out[reps] = True
    weight = np.zeros(len(keep), np.int64)
    weight[reps] = counts[sets.sig[reps]]
    return Weighed(out, weight)


def mix64(values: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each value (splitmix64's finaliser): sums of them hash sets."""
    z = values.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))
