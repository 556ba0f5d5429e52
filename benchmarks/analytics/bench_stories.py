"""Benchmark story grouping on 100k synthetic articles against an all-pairs TF-IDF baseline.

Synthesises stories from the BBC News corpus (../shared/corpora/bbc, research use only;
nothing is written to the repo): each story picks a base article and a day within two
years, and gets 1-7 versions (mean 4) published over the next three days; a version
drops ~20% of the base's sentences, replaces ~10% of its words with random words from
the corpus and shuffles its paragraphs. Then times
:func:`core.analytics.reuse.stories.group_stories` end to end (with its three stages) and
reports agreement with the synthetic stories.

The baseline (all-pairs TF-IDF cosine + threshold + connected components, as in
``core.evaluate.stories``) is timed in the same process on the first few thousand
articles, beside ours on the same subset; its cost grows with N², so it is extrapolated to
100k, not run.

    python benchmarks/analytics/bench_stories.py [--articles 100000] [--seed 0]
"""

from __future__ import annotations

import argparse
import re
import sys
import tarfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from core.analytics.reuse import stories as S  # noqa: E402
from core.evaluate.stories import (  # noqa: E402
    _tfidf_clusters,
    score_clustering,
    tfidf_similarities,
)

BBC = REPO.parent / "shared" / "corpora" / "bbc" / "bbc-fulltext.tar.xz"


def read_bbc() -> list[tuple[str, str]]:
    """(title, body) of each BBC article."""
    out = []
    with tarfile.open(BBC, "r:xz") as tar:
        for member in tar:
            if not member.isfile() or not member.name.endswith(".txt") or "README" in member.name:
                continue
            raw = tar.extractfile(member).read().decode("utf-8", errors="replace")
            title, _, body = raw.strip().partition("\n")
            out.append((title.strip(), body.strip()))
    return out


def synthesise(n_articles: int, seed: int = 0) -> pd.DataFrame:
    """Synthetic articles. Returns: one row per article with its synthetic ``story``."""
    rng = np.random.default_rng(seed)
    base = read_bbc()
    vocab = np.array(sorted({w for _, b in base[:300] for w in re.findall(r"[a-z]+", b)}))
    rows = []
    story = 0
    start = pd.Timestamp("2023-01-01")
    while len(rows) < n_articles:
        title, body = base[int(rng.integers(len(base)))]
        day = int(rng.integers(730))
        paragraphs = [p for p in body.split("\n") if p.strip()]
        for _ in range(int(rng.integers(1, 8))):
            keep = [p for p in paragraphs if rng.random() > 0.2] or paragraphs[:1]
            rng.shuffle(keep)
            words = " ".join(keep).split(" ")
            swap = rng.random(len(words)) < 0.1
            words = [
                str(vocab[rng.integers(len(vocab))]) if s else w
                for w, s in zip(words, swap, strict=True)
            ]
            rows.append(
                {
                    "article_id": f"{len(rows):08d}",
                    "title": title,
                    "text": " ".join(words),
                    "published": (start + pd.Timedelta(days=day + int(rng.integers(3)))).date(),
                    "story": story,
                }
            )
            if len(rows) == n_articles:
                break
        story += 1
    return pd.DataFrame(rows)


def time_ours(frame: pd.DataFrame) -> tuple[dict, pd.DataFrame]:
    """Stage timings (seconds) of our grouping, and its result."""
    t0 = time.perf_counter()
    sig = S.build_signatures(frame)
    t1 = time.perf_counter()
    cand = S.score_candidates(
        sig, S.day_numbers(frame), window_days=3, max_df=max(1000, len(frame) // 100)
    )
    t2 = time.perf_counter()
    roots = S._average_linkage(len(frame), cand, S.DEFAULT_THRESHOLD)
    t3 = time.perf_counter()
    times = {
        "signatures": t1 - t0,
        "candidates": t2 - t1,
        "grouping": t3 - t2,
        "total": t3 - t0,
        "n_candidates": len(cand),
    }
    return times, pd.DataFrame({"article_id": frame["article_id"], "root": roots})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--baseline-articles", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    t = time.perf_counter()
    frame = synthesise(args.articles, args.seed)
    print(
        f"synthesised {len(frame):,} articles in {frame['story'].nunique():,} stories "
        f"({time.perf_counter() - t:.1f} s)"
    )

    times, result = time_ours(frame)
    scores = score_clustering(frame["story"].tolist(), result["root"].tolist())
    print(
        f"ours, {len(frame):,} articles: {times['total']:.1f} s total "
        f"(signatures {times['signatures']:.1f} s, candidates {times['candidates']:.1f} s "
        f"[{times['n_candidates']:,} pairs], grouping {times['grouping']:.1f} s)"
    )
    print(
        f"  vs synthetic stories: pairwise F1 {scores['pairwise']['f1']:.3f}, "
        f"B-cubed F1 {scores['bcubed']['f1']:.3f}, {scores['n_predicted']:,} groups "
        f"for {scores['n_gold']:,} stories"
    )

    sub = frame.iloc[: args.baseline_articles].reset_index(drop=True)
    t = time.perf_counter()
    sim = tfidf_similarities(sub["text"].tolist())
    _tfidf_clusters(sim, 0.45)
    base_s = time.perf_counter() - t
    ours_sub, _ = time_ours(sub)
    factor = (len(frame) / len(sub)) ** 2
    print(
        f"subset of {len(sub):,}: baseline all-pairs TF-IDF {base_s:.1f} s, "
        f"ours {ours_sub['total']:.1f} s; baseline extrapolated to {len(frame):,} "
        f"(x{factor:,.0f}, N^2): ~{base_s * factor / 60:,.0f} min"
    )


if __name__ == "__main__":
    main()
