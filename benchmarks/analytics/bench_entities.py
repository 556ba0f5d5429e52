"""Entity resolution speed on a store of about 1M mentions (issue 12: <= 30 s).

    python benchmarks/analytics/bench_entities.py [--mentions 1000000] [--store DIR]

Builds (once, in ``--store``, default a temp folder) a synthetic store whose mention table looks
like news: people written in full, with middle initials, titles and possessives, as lone
surnames (some resolvable in the article, some only through the corpus), organisations and
places, over 8 years of dates, ~25 mentions per article. Then times, cold (no derived file):
reading the mention pairs, the noise word statistics, resolve_pairs, and read_entities; and the
query engine's first build over the resolved mentions. Prints one line per stage: wall-clock
seconds and this process's CPU seconds (on a shared machine the wall clock also counts waiting).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd

FIRST = "James Mary Robert Linda Michael Sarah David Karen Daniel Nancy Paul Laura".split()
LAST = (
    "Smith Jones Brown Taylor Wilson Davies Evans Thomas Roberts Walker Wright Thompson White "
    "Hughes Edwards Green Hall Wood Harris Lewis Martin Jackson Clarke Clark Turner Hill Scott "
    "Cooper Morris Ward Moore King Watson Baker Harrison Morgan Patel Young Allen Mitchell"
).split()
ORGS = [f"{w} {k}" for w in ("National", "Global", "United", "First") for k in LAST[:25]]
ORGS += ["BBC", "UN", "EU", "NATO", "IMF", "TV", "PC"]
PLACES = ["London", "Paris", "Berlin", "Tokyo", "Lagos", "Lima", "Oslo", "Cairo", "Delhi"]
WORDS = "the a of said on in for with that it was as by at from has have would".split()


def build_store(path: Path, n_mentions: int, *, seed: int = 0):
    """Write the synthetic store (several batches) and return it."""
    from core.store import Store

    rng = random.Random(seed)
    people = [f"{rng.choice(FIRST)} {last}" for last in LAST for _ in range(3)]
    store = Store(path)
    per_article = 25
    n_articles = n_mentions // per_article
    start = dt.date(2015, 1, 1)
    batch = 5000
    for b0 in range(0, n_articles, batch):
        arts, rows = [], []
        for i in range(b0, min(n_articles, b0 + batch)):
            aid = f"{i:016x}"
            cast = rng.sample(people, 3)
            spans = []
            for k in range(per_article):
                r = rng.random()
                if r < 0.45:
                    full = cast[k % 3]
                    first, last = full.split()
                    form = rng.choice(
                        [full, full, f"{first} {rng.choice('JKLM')}. {last}", f"Mr {last}", last]
                    )
                    entity = full if form in (last, f"Mr {last}") else form
                    if k == 0 and rng.random() < 0.2:  # a lone surname, no full name
                        form = entity = last
                    spans.append((form, entity, "person"))
                elif r < 0.75:
                    o = rng.choice(ORGS)
                    spans.append((o, o, "org"))
                else:
                    p = rng.choice(PLACES)
                    spans.append((p, p, "place"))
            text_parts, pos = [], 0
            for s, (form, entity, kind) in enumerate(spans):
                filler = " ".join(rng.choices(WORDS, k=8))
                sentence = f"{form} {filler}. "
                rows.append((aid, s, pos, pos + len(form), form, entity, kind, "synthetic/1"))
                text_parts.append(sentence)
                pos += len(sentence)
            text = "".join(text_parts)
            day = start + dt.timedelta(days=rng.randrange(8 * 365))
            arts.append((aid, rng.choice(["A", "B", "C"]), day, text, len(text.split())))
        store.append(
            {
                "articles": pd.DataFrame(
                    arts, columns=["article_id", "source", "published", "text", "n_words"]
                ),
                "mentions": pd.DataFrame(
                    rows,
                    columns=[
                        "article_id",
                        "sentence",
                        "start_char",
                        "end_char",
                        "text",
                        "entity",
                        "kind",
                        "method",
                    ],
                ),
            }
        )
    return store


class _Clock:
    """Wall-clock and process CPU seconds since the last lap."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self, what: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        print(f"{what}: {wall - self.wall:.1f} s wall, {cpu - self.cpu:.1f} s CPU", flush=True)
        self.wall, self.cpu = wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--store", help="store folder (built when empty); default: a temp one")
    args = parser.parse_args()
    from core.entities import derived
    from core.entities.names import fold
    from core.entities.resolve import resolve_pairs
    from core.store import Store

    tmp = None
    if args.store:
        path = Path(args.store)
    else:
        tmp = tempfile.mkdtemp(prefix="bench-entities-")
        path = Path(tmp) / "store"
    try:
        store = Store(path)
        if not store.exists():
            t = time.perf_counter()
            build_store(path, args.mentions)
            print(f"built synthetic store: {time.perf_counter() - t:.1f} s")
        shutil.rmtree(path / derived.DERIVED_DIR, ignore_errors=True)
        derived.forget_resolutions()
        n = store.counts()["mentions"]
        print(f"store: {n:,} mentions, {store.counts()['articles']:,} articles")
        clock = _Clock()
        pairs = derived.read_mention_pairs(store)
        clock.lap(f"read mention pairs ({len(pairs):,} distinct rows)")
        words = {fold(e) for e in pairs["entity"].unique() if " " not in fold(e)}
        generic = derived.score_store_generic_words(store, words)
        clock.lap(f"noise word statistics ({len(words):,} one-word names)")
        res = resolve_pairs(pairs, generic=generic)
        clock.lap(f"resolve_pairs ({res['entity_id'].nunique():,} entities)")
        derived.auto_resolution(store)  # the whole cold path, as a first reader pays it
        ents = derived.read_entities(store)
        clock.lap(f"cold resolution of the store + entities table ({len(ents):,} entities)")
        from core.analytics.query.engine import Engine

        Engine(store)
        clock.lap("query engine build over the resolved mentions")
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
