"""Evaluations against the staged corpora in ``../shared/corpora`` (dev/train splits only)."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPORA = REPO_ROOT.parent / "shared" / "corpora"


def resolve_corpus(name_or_path: str | os.PathLike[str]) -> Path:
    """Return the folder of a corpus given by NAME (``../shared/corpora/NAME``) or PATH."""
    path = Path(name_or_path)
    if path.exists():
        return path
    named = CORPORA / str(name_or_path)
    if named.exists():
        return named
    raise FileNotFoundError(f"corpus {name_or_path!r} not found as a path or under {CORPORA}")


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 (0.0 where undefined) of the given counts."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn}
