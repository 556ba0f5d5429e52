"""Quotes that changed between two aligned articles, with word-level diffs.

Quotes are extracted by ``core.analytics.reuse.quotes``; this module matches them
across an alignment and says how their wording changed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

import pandas as pd
from rapidfuzz import fuzz


def quote_diff(a: str, b: str) -> list[dict]:
    """Word-level diff of two quotes. Returns: one ``{op, a, b}`` per difflib opcode."""
    wa, wb = a.split(), b.split()
    ops = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).get_opcodes():
        ops.append({"op": op, "a": " ".join(wa[i1:i2]), "b": " ".join(wb[j1:j2])})
    return ops


def format_diff(ops: Sequence[dict]) -> str:
    """A diff as text: ``[-removed-]{+added+}`` around changes, equal words as they are."""
    parts = []
    for op in ops:
        if op["op"] == "equal":
            parts.append(op["a"])
            continue
        removed = f"[-{op['a']}-]" if op["a"] else ""
        added = f"{{+{op['b']}+}}" if op["b"] else ""
        parts.append(removed + added)
    return " ".join(parts)


def _norm(quote: str) -> str:
    return " ".join(re.findall(r"\w+", quote.lower()))


def _quote_similarity(a: str, b: str) -> float:
    return fuzz.ratio(_norm(a), _norm(b)) / 100.0


def compare_quotes(
    quotes_a: Sequence[dict], quotes_b: Sequence[dict], alignment: pd.DataFrame
) -> list[dict]:
    """Match the quotes of two articles and flag the ones whose wording changed.

    Quotes are matched within aligned sentence pairs (best similarity first; a pair of
    sentences holding one quote each always pairs them, however different the words),
    then any leftover quote is matched anywhere in the other article when its words are
    nearly the same (ratio >= 0.9), to catch a quote moved to another sentence.

    Returns: one dict per quote or quote pair, in a's order: ``a``, ``b`` (quote texts or
    None), ``speaker``, ``status`` (same | altered | only_a | only_b), ``diff`` (word-level
    ops for an altered quote, else an empty list), ``a_sentence``, ``b_sentence``.
    """
    in_a: dict[int, list[int]] = {}
    in_b: dict[int, list[int]] = {}
    for k, q in enumerate(quotes_a):
        in_a.setdefault(q["sentence"], []).append(k)
    for k, q in enumerate(quotes_b):
        in_b.setdefault(q["sentence"], []).append(k)
    matches: list[tuple[int, int]] = []
    used_a: set[int] = set()
    used_b: set[int] = set()
    paired = alignment[alignment["relation"].isin(["identical", "paraphrase"])]
    # Best pairs first: a sentence in two pairs (a split) offers its quotes to the closer one.
    paired = paired.sort_values("similarity", ascending=False, kind="stable")
    for row in paired.itertuples():
        ka = [k for k in in_a.get(int(row.a_sentence), []) if k not in used_a]
        kb = [k for k in in_b.get(int(row.b_sentence), []) if k not in used_b]
        found = (
            [(ka[0], kb[0])]
            if len(ka) == 1 and len(kb) == 1
            else _greedy(quotes_a, quotes_b, ka, kb, minimum=0.5)
        )
        for ia, ib in found:
            used_a.add(ia)
            used_b.add(ib)
        matches += found
    left_a = [k for k in range(len(quotes_a)) if k not in used_a]
    left_b = [k for k in range(len(quotes_b)) if k not in used_b]
    matches += _greedy(quotes_a, quotes_b, left_a, left_b, minimum=0.9)
    matched_a = {m[0] for m in matches}
    matched_b = {m[1] for m in matches}
    out = []
    for ia, ib in matches:
        qa, qb = quotes_a[ia], quotes_b[ib]
        same = _norm(qa["text"]) == _norm(qb["text"])
        out.append(
            _row(
                qa,
                qb,
                "same" if same else "altered",
                [] if same else quote_diff(qa["text"], qb["text"]),
            )
        )
    out += [
        _row(quotes_a[k], None, "only_a", []) for k in range(len(quotes_a)) if k not in matched_a
    ]
    out += [
        _row(None, quotes_b[k], "only_b", []) for k in range(len(quotes_b)) if k not in matched_b
    ]
    out.sort(key=_order_key)
    for row in out:
        del row["_a_start"], row["_b_start"]
    return out


def _greedy(
    quotes_a: Sequence[dict],
    quotes_b: Sequence[dict],
    ka: Sequence[int],
    kb: Sequence[int],
    *,
    minimum: float,
) -> list[tuple[int, int]]:
    scored = sorted(
        (
            (_quote_similarity(quotes_a[i]["text"], quotes_b[j]["text"]), i, j)
            for i in ka
            for j in kb
        ),
        reverse=True,
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for score, i, j in scored:
        if score < minimum or i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        out.append((i, j))
    return out


def _row(qa: dict | None, qb: dict | None, status: str, diff: list[dict]) -> dict:
    speaker = (qa or {}).get("speaker") or (qb or {}).get("speaker")
    return {
        "a": qa["text"] if qa else None,
        "b": qb["text"] if qb else None,
        "speaker": speaker,
        "status": status,
        "diff": diff,
        "a_sentence": qa["sentence"] if qa else None,
        "b_sentence": qb["sentence"] if qb else None,
        "_a_start": qa["start_char"] if qa else None,
        "_b_start": qb["start_char"] if qb else None,
    }


def _order_key(row: dict) -> tuple[int, int]:
    """a's reading order; only_b quotes after all of a's (by their position in b)."""
    if row["_a_start"] is not None:
        return (0, row["_a_start"])
    return (1, row["_b_start"])
