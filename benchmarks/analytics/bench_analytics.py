"""Benchmark the analytics queries behind the dashboard pages on a store of >= 10M mentions.

Synthesises a store (Zipf entities and words, ~200k articles, 8 sources, 2 years; fixed seed)
in a temporary folder, then times every public analytics function as a page calls it, with the
default filter and with a source + date filter: first-call latency (cold, including the per-store
materialisation for the first query) and best of 3. Each timing is printed beside a same-process
pandas baseline doing the same group-by on in-memory frames. Then the Network page's
article-window pairs under each kind of filter it can send (dates whole or mid-month, sources,
kinds, countries, text, min_support, an entity; best of 2). Target: <= 300 ms per query.

    python benchmarks/analytics/bench_analytics.py [--articles 200000] [--keep DIR] [--pairs]
        [--only TEXT]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.analytics.bench_article_pairs import run_article_pairs  # noqa: E402
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
    for b in range(n_batches):
        n = per_batch if b < n_batches - 1 else n_articles - per_batch * (n_batches - 1)
        ids = np.array([f"{b:02d}{i:014x}" for i in range(n)])
        words = vocab[
            rng.choice(len(vocab), size=(n, sentences_per_article * words_per_sentence), p=word_p)
        ]
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
        values = [r.isoformat()[: (10, 7, 4)[g]] for r, g in zip(ref_pick, gran, strict=True)]
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


def _time(fn: Callable[[], object], repeat: int = 3) -> tuple[float, float, object]:
    """Return (first-call ms, best-of-``repeat`` ms, last result)."""
    t0 = time.perf_counter()
    result = fn()
    first = (time.perf_counter() - t0) * 1000
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, (time.perf_counter() - t0) * 1000)
    return first, best, result


def _pandas_baselines(store: Store) -> dict[str, Callable[[], object]]:
    """Same-process pandas versions of the main group-bys, on frames already in memory."""
    m = store.query(
        "SELECT m.article_id, m.sentence, m.entity, m.kind, m.country_code, a.source,"
        " a.published FROM mentions m JOIN articles a USING (article_id)"
    )
    m["published"] = pd.to_datetime(m["published"])
    m["month"] = m["published"].dt.to_period("M")
    d = store.query("SELECT d.value, a.published FROM dates d JOIN articles a USING (article_id)")
    sel = (m["source"].isin(["BBC", "Reuters"])) & m["published"].between(
        "2023-03-01", "2023-08-31"
    )

    def by_entity(frame=m):
        g = frame.groupby("entity").agg(n=("article_id", "size"), na=("article_id", "nunique"))
        return g.nlargest(20, "n")

    def by_entity_month():
        top = m["entity"].value_counts().index[:10]
        sub = m[m["entity"].isin(top)]
        return sub.groupby(["entity", "month"]).agg(
            n=("article_id", "size"), na=("article_id", "nunique")
        )

    def share_of_voice():
        c = m.groupby(["source", "entity"]).size().rename("n").reset_index()
        c["share"] = c["n"] / c.groupby("source")["n"].transform("sum")
        return c

    def pairs(frame=m):
        w = frame[["article_id", "sentence", "entity"]].drop_duplicates()
        p = w.merge(w, on=["article_id", "sentence"])
        p = p[p["entity_x"] < p["entity_y"]]
        return p.groupby(["entity_x", "entity_y"]).size().nlargest(200)

    def dates():
        return d.groupby([d["published"].astype(str).str[:7], d["value"].str[:7]]).size()

    return {
        "count_mentions entity top20": by_entity,
        "count_mentions entity top20 [filtered]": lambda: by_entity(m[sel]),
        "count_mentions entity x month top10": by_entity_month,
        "count_share_of_voice entity": share_of_voice,
        "count_pairs sentence top200 [filtered]": lambda: pairs(m[sel]),
        "count_referenced_dates month": dates,
    }


def run(store: Store, only: str | None = None) -> list[dict]:
    """Time every page query on ``store``; return one dict per query."""
    from core.analytics import frequencies as fr
    from core.analytics import sources as so
    from core.analytics import timeline as tl
    from core.analytics.pairs import cooccurrence as co
    from core.analytics.query.engine import engine_for
    from core.analytics.query.filters import Filter

    rows: list[dict] = []
    t0 = time.perf_counter()
    engine_for(store)
    rows.append(
        {
            "query": "engine build (first query of a store version)",
            "first_ms": (time.perf_counter() - t0) * 1000,
            "best_ms": None,
        }
    )
    filtered = Filter(
        sources=("BBC", "Reuters"), date_from=dt.date(2023, 3, 1), date_to=dt.date(2023, 8, 31)
    )
    top_entity = fr.count_mentions(store, top=1)["entity"].iloc[0]
    queries: list[tuple[str, Callable[[Filter], object]]] = [
        ("summarise_corpus", lambda f: fr.summarise_corpus(store, f)),
        ("count_articles day x source", lambda f: fr.count_articles(store, f, by_source=True)),
        ("count_mentions entity top20", lambda f: fr.count_mentions(store, f, top=20)),
        (
            "count_mentions entity x month top10",
            lambda f: fr.count_mentions(store, f, freq="month", top=10),
        ),
        (
            "count_mentions source x week",
            lambda f: fr.count_mentions(store, f, by=("source",), freq="week"),
        ),
        (
            "count_mentions kind x country_code",
            lambda f: fr.count_mentions(store, f, by=("kind", "country_code")),
        ),
        ("count_countries", lambda f: fr.count_countries(store, f)),
        ("find_evidence top entity (200)", lambda f: fr.find_evidence(store, f, entity=top_entity)),
        ("count_pairs sentence top200", lambda f: co.count_pairs(store, f, top=200)),
        (
            "count_pairs paragraph top200",
            lambda f: co.count_pairs(store, f, window="paragraph", top=200),
        ),
        (
            "count_pairs article top200",
            lambda f: co.count_pairs(store, f, window="article", top=200),
        ),
        (
            "count_pairs article top3000 (the Network page's maximum)",
            lambda f: co.count_pairs(store, f, window="article", top=3000),
        ),
        (
            "build_graph + layout_graph (200 pairs)",
            lambda f: co.layout_graph(co.build_graph(co.count_pairs(store, f, top=200))),
        ),
        ("find_pair_evidence top pair (100)", None),  # filled below
        ("count_share_of_voice entity", lambda f: so.count_share_of_voice(store, f)),
        ("score_distinctive entity", lambda f: so.score_distinctive(store, f)),
        ("score_distinctive term", lambda f: so.score_distinctive(store, f, unit="term")),
        ("count_referenced_dates month", lambda f: tl.count_referenced_dates(store, f)),
        # The Dates page: a chart counts only expressions within one period, and lists the
        # coarser ones it leaves out.
        (
            "count_referenced_dates month, coarser left out",
            lambda f: tl.count_referenced_dates(store, f, coarser="leave_out"),
        ),
        ("count_coarser_dates month", lambda f: tl.count_coarser_dates(store, f)),
        ("find_date_evidence top cell (200)", None),
        (
            "count_mentions entity top20, q=free text",
            lambda f: fr.count_mentions(
                store,
                Filter(
                    q="w00042 w00007", sources=f.sources, date_from=f.date_from, date_to=f.date_to
                ),
                top=20,
            ),
        ),
    ]
    baselines = _pandas_baselines(store) if only is None else {}
    for label, fn in queries:
        if only is not None and only not in label:
            continue
        for name, flt in (("", Filter()), (" [filtered]", filtered)):
            if label.startswith("find_pair_evidence"):
                top = co.count_pairs(store, flt, top=1)
                a, b = top["entity_a"].iloc[0], top["entity_b"].iloc[0]
                fn = lambda f, a=a, b=b: co.find_pair_evidence(store, f, a, b)  # noqa: E731
            if label.startswith("find_date_evidence"):
                cell = tl.count_referenced_dates(store, flt).nlargest(1, "n_expressions")
                p, r = cell["published_period"].iloc[0], cell["referenced_period"].iloc[0]
                fn = lambda f, p=p, r=r: tl.find_date_evidence(  # noqa: E731
                    store, f, published_period=p, referenced_period=r
                )
            try:
                first, best, _ = _time(lambda fn=fn, flt=flt: fn(flt))
                note = ""
            except ValueError as exc:
                first = best = None
                note = f"refused: {str(exc)[:60]}…"
            base = baselines.get(label + name)
            base_ms = _time(base, repeat=1)[1] if base else None
            rows.append(
                {
                    "query": label + name,
                    "first_ms": first,
                    "best_ms": best,
                    "pandas_ms": base_ms,
                    "note": note,
                }
            )
            print(_fmt(rows[-1]), flush=True)
    return rows


def _fmt(row: dict) -> str:
    def ms(v):
        return "—" if v is None else f"{v:,.0f}"

    ratio = ""
    if row.get("pandas_ms") and row.get("best_ms"):
        ratio = f"{row['pandas_ms'] / row['best_ms']:.1f}x"
    ok = "" if row.get("best_ms") is None else ("ok" if row["best_ms"] <= 300 else "SLOW")
    return (
        f"| {row['query']} | {ms(row['first_ms'])} | {ms(row['best_ms'])} |"
        f" {ms(row.get('pandas_ms'))} | {ratio} | {ok} {row.get('note', '')} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--keep", type=Path, help="reuse/keep the synthetic store in this folder")
    parser.add_argument("--only", help="time only the queries whose label holds this text")
    parser.add_argument(
        "--pairs", action="store_true", help="time only the article-window pair queries"
    )
    args = parser.parse_args(argv)
    tmp = None
    if args.keep:
        path = args.keep
    else:
        tmp = Path(tempfile.mkdtemp(prefix="presslens-bench-"))
        path = tmp / "store"
    try:
        store = Store(path)
        t0 = time.perf_counter()
        if not store.exists():
            synthesise_store(path, n_articles=args.articles)
        counts = store.counts()
        print(f"store: {counts} (ready in {time.perf_counter() - t0:.0f} s)")
        print("| query | first call ms | best of 3 ms | pandas ms | pandas / ours | ≤300 ms |")
        print("| --- | ---: | ---: | ---: | ---: | --- |")
        rows = [] if args.pairs else run(store, args.only)
        if rows:
            print(_fmt(rows[0]))
        print(f"load average before the article-window pairs: {os.getloadavg()}")
        run_article_pairs(store, args.only)  # benchmarks/analytics/bench_article_pairs.py
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS of this process (store copy, pandas baselines): {peak:,.0f} MB")
        print(f"load average at the end: {os.getloadavg()}")
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
