"""List acronyms that news copy uses as common nouns ("a TV", "PCs", "GDP growth"), for review.

Candidates for ``data/common_acronyms.csv`` (reviewed by hand before a row is added): an acronym
of 2-5 capitals is printed when the corpora use it in the plural ("PCs", "DVDs") at least
``--min-plural`` times, or when en_US hunspell gives it a plural (flag S, where the dictionary is
installed: ``apt-get install hunspell-en-us``), or when it occurs ``--min-count`` times and never
with a sign of an organisation: a possessive ("IBM's"), a reporting verb after it ("BT said"),
or a definite article and a verb ("the IMF has"). Curated organisations are left out.

    python benchmarks/ingest/common_acronyms.py [--bbc PATH] [--reuters PATH]

Prints one tab-separated line per candidate: acronym, occurrences, plurals, organisation signs,
articles, hunspell plural (1/0), the reason.
"""

from __future__ import annotations

import argparse
import collections
import csv
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench_extract import BBC, read_bbc  # noqa: E402

from core.evaluate.reuters import read_reuters  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
HUNSPELL = Path("/usr/share/hunspell/en_US.dic")
_ACRONYM = re.compile(r"(?<![\w.&'’-])([A-Z]{2,5})(s?)(?![\w.&-])")
_ORG_SIGN = re.compile(
    r"(?:['’]s\b| (?:said|says|has|had|announced|reported|plans|will|would|is to|was to)\b)"
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bbc", type=Path, default=BBC)
    ap.add_argument("--reuters", type=Path, default=REPO.parent / "shared/corpora/reuters21578")
    ap.add_argument("--min-plural", type=int, default=2)
    ap.add_argument("--min-count", type=int, default=8)
    args = ap.parse_args(argv)
    texts = read_bbc(args.bbc) + [s["text"] for s in read_reuters(args.reuters)]
    with open(REPO / "data" / "organisations.csv", encoding="utf-8") as f:
        curated = {r["name"] for r in csv.DictReader(line for line in f if line[:1] != "#")}
    plural_flag = set()
    if HUNSPELL.exists():
        for line in HUNSPELL.read_text(encoding="utf-8", errors="replace").splitlines():
            word, _, flags = line.partition("/")
            if re.fullmatch(r"[A-Z]{2,5}", word) and "S" in flags:
                plural_flag.add(word)
    total, plural, org, arts = (collections.Counter() for _ in range(4))
    for text in texts:
        letters = sum(c.isalpha() for c in text)
        if sum(c.isupper() for c in text) > 0.5 * letters:
            continue  # a story in capitals: case says nothing
        seen = set()
        for m in _ACRONYM.finditer(text):
            word = m.group(1)
            total[word] += 1
            seen.add(word)
            if m.group(2):
                plural[word] += 1
            elif _ORG_SIGN.match(text, m.end()):
                org[word] += 1
        arts.update(seen)
    for word, n in total.most_common():
        if word in curated:
            continue
        if plural[word] >= args.min_plural:
            why = "plural"
        elif word in plural_flag:
            why = "hunspell"
        elif n >= args.min_count and not org[word]:
            why = "no-org-sign"
        else:
            continue
        flag = int(word in plural_flag)
        print(f"{word}\t{n}\t{plural[word]}\t{org[word]}\t{arts[word]}\t{flag}\t{why}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
