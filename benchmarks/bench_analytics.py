"""Benchmark the analytics queries behind the dashboard pages on a store of >= 10M mentions.

Synthesises a store (Zipf entities and words, ~200k articles, 8 sources, 2 years; fixed seed)
in a temporary folder, then times every public analytics function as a page calls it, with the
default filter and with a source + date filter: first-call latency (cold, including the per-store
materialisation for the first query) and best of 3. Each timing is printed beside a same-process
pandas baseline doing the same group-by on in-memory frames. Target: <= 300 ms per query.

    python benchmarks/bench_analytics.py [--articles 200000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.store import Store  # noqa: E402

SOURCES = ("BBC", "Reuters", "AP", "Guardian", "NYT", "Al Jazeera", "DW", "France 24")
KINDS = np.array(["country", "place", "person", "org"])
ISO3 = (
    "USA RUS CHN UKR PRK KOR JPN DEU FRA GBR IND PAK IRN IRQ SYR ISR TUR BRA MEX CAN "
    "AUS NGA ZAF EGY SAU ARE QAT ITA ESP POL NLD BEL SWE NOR FIN DNK AUT CHE GRC PRT"
).split()


def synthesise_store(
    path: Path,
    *,
    n_articles: int = 200_000,
    mentions_per_article: float = 52.0,
    sentences_per_article: int = 20,
    words_per_sentence: int = 12,
    n_entities: int = 50_000,
    n_batches: int = 10,
    seed: int = 0,
) -> Store:
    """Write a synthetic store to ``path`` and return it.

    Entities follow a Zipf law (exponent 1.1) over ``n_entities`` names; sentence text is
    Zipf-distributed words from a 20k vocabulary. Mention offsets point at the first word of
    their sentence (the text itself is synthetic, so highlighting is meaningless but cheap).
    """
    rng = np.random.default_rng(seed)
    store = Store(path)
    vocab = np.array([f"w{i:05d}" for i in range(20_000)])
    word_p = 1.0 / np.arange(1, len(vocab) + 1) ** 1.05
    word_p /= word_p.sum()
    ent_p = 1.0 / np.arange(1, n_entities + 1) ** 1.1
    ent_p /= ent_p.sum()
    ent_names = np.array([f"Entity {i:05d}" for i in range(n_entities)])
    ent_kind = KINDS[rng.integers(0, 4, n_entities)]
    ent_cc = np.array(ISO3, dtype=object)[rng.integers(0, len(ISO3), n_entities)]
    ent_cc[ent_kind == "org"] = None
    start = dt.date(2023, 1, 1)
    per_batch = n_articles // n_batches
    s_len = words_per_sentence * 7  # "wNNNNN " * 12 minus the last space plus "."
    art_len = sentences_per_article * (s_len + 1) - 1
    for b in range(n_batches):
        n = per_batch if b < n_batches - 1 else n_articles - per_batch * (n_batches - 1)
        ids = np.array([f"{b:02d}{i:014x}" for i in range(n)])
        words = vocab[rng.choice(len(vocab), size=(n, sentences_per_article * words_per_sentence),
                                 p=word_p)]
        texts = []
        for row in words.reshape(n, sentences_per_article, words_per_sentence):
            texts.append(" ".join(" ".join(s) + "." for s in row))
        days = rng.integers(0, 730, n)
        articles = pd.DataFrame(
            {
                "article_id": ids,
                "source": np.array(SOURCES)[rng.integers(0, len(SOURCES), n)],
                "published": [start + dt.timedelta(days=int(d)) for d in days],
                "title": [t[:40] for t in texts],
                "text": texts,
                "n_words": sentences_per_article * words_per_sentence,
            }
        )
        sent_idx = np.tile(np.arange(sentences_per_article), n)
        sent_start = sent_idx * (s_len + 1)
        sentences = pd.DataFrame(
            {
                "article_id": np.repeat(ids, sentences_per_article),
                "sentence": sent_idx,
                "paragraph": sent_idx // 3,
                "start_char": sent_start,
                "end_char": sent_start + s_len,
            }
        )
        n_m = rng.poisson(mentions_per_article, n)
        art_of = np.repeat(np.arange(n), n_m)
        ent = rng.choice(n_entities, size=len(art_of), p=ent_p)
        sent = rng.integers(0, sentences_per_article, len(art_of))
        m_start = sent * (s_len + 1)
        mentions = pd.DataFrame(
            {
                "article_id": ids[art_of],
                "sentence": sent,
                "start_char": m_start,
                "end_char": m_start + 6,
                "text": ent_names[ent],
                "entity": ent_names[ent],
                "kind": ent_kind[ent],
                "country_code": ent_cc[ent],
                "via": "name",
                "method": "synthetic/1",
            }
        )
        n_d = rng.poisson(5, n)
        d_art = np.repeat(np.arange(n), n_d)
        ref = np.array([start + dt.timedelta(days=int(d)) for d in rng.integers(-3650, 730, 400)])
        ref_pick = ref[rng.integers(0, len(ref), len(d_art))]
        gran = rng.integers(0, 3, len(d_art))
        values = [
            r.isoformat()[: (10, 7, 4)[g]] for r, g in zip(ref_pick, gran, strict=True)
        ]
        d_sent = rng.integers(0, sentences_per_article, len(d_art))
        dates = pd.DataFrame(
            {
                "article_id": ids[d_art],
                "sentence": d_sent,
                "start_char": d_sent * (s_len + 1),
                "end_char": d_sent * (s_len + 1) + 6,
                "text": values,
                "type": "DATE",
                "value": values,
                "anchor": articles["published"].to_numpy()[d_art],
            }
        )
        countries = (
            mentions.dropna(subset=["country_code"])
            .groupby(["article_id", "country_code"], as_index=False)
            .agg(n_mentions=("start_char", "size"), first_start_char=("start_char", "min"))
            .assign(vias="name")
        )
        store.append(
            {
                "articles": articles,
                "sentences": sentences,
                "mentions": mentions,
                "dates": dates,
                "countries": countries,
            }
        )
    return store
