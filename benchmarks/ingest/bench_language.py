"""Language detection at ingest on English corpora: how many English articles would lose
extraction (detected as another language), and the cost per article.

    python benchmarks/ingest/bench_language.py [--corpora ../shared/corpora]

Prints, per corpus: articles, detected en / unknown (too short or unsure) / other, the
other languages found, and milliseconds per article (one core).
"""

from __future__ import annotations

import argparse
import gzip
import json
import tarfile
import time
from collections import Counter
from pathlib import Path

from core.ingest.language import detect_language, is_extracted


def _bbc(root: Path) -> list[str]:
    with tarfile.open(root / "bbc" / "bbc-fulltext.tar.xz") as tar:
        return [
            tar.extractfile(m).read().decode("latin-1")
            for m in tar.getmembers()
            if m.isfile() and m.name.endswith(".txt") and "README" not in m.name
        ]


def _basil(root: Path) -> list[str]:
    with gzip.open(root / "basil" / "basil-articles.jsonl.gz", "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    return ["\n\n".join(" ".join(p) for p in r["paragraphs"]) for r in records]


def _ecbplus(root: Path) -> list[str]:
    path = root / "ecbplus" / "ecbplus-docs-train-dev.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [" ".join(s["text"] for s in json.loads(line)["sentences"]) for line in f]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--corpora", default=str(Path(__file__).resolve().parents[3] / "shared" / "corpora")
    )
    root = Path(parser.parse_args().corpora)
    detect_language("warm up the detector with one English sentence of some length.")
    print("| corpus | articles | en | unknown | other (extraction skipped) | ms / article |")
    print("| --- | ---: | ---: | ---: | --- | ---: |")
    for name, read in (("BBC News", _bbc), ("BASIL", _basil), ("ECB+ train+dev", _ecbplus)):
        texts = read(root)
        start = time.process_time()
        found = Counter(detect_language(t) for t in texts)
        ms = (time.process_time() - start) * 1000 / len(texts)
        other = {k: n for k, n in found.items() if not is_extracted(k)}
        shown = ", ".join(f"{k} {n}" for k, n in sorted(other.items())) or "none"
        print(
            f"| {name} | {len(texts):,} | {found['en']:,} | {found[None]:,} | "
            f"{sum(other.values())} ({shown}) | {ms:.2f} |"
        )


if __name__ == "__main__":
    main()
