"""Compare two stored articles: aligned sentences, additions, changed quotes, reuse.

``python -m core compare A B`` prints :func:`format_comparison` of
:func:`compare_articles` (or the dict as JSON with ``--json``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath, PureWindowsPath

import pandas as pd

from core.analytics.reuse.align import align_sentences, infer_direction, score_reuse
from core.analytics.reuse.quote_diff import compare_quotes, format_diff
from core.analytics.reuse.quotes import extract_quotes
from core.schema import as_date_value


def resolve_article(store, ref: str, *, argument: str = "article") -> pd.Series:
    """The stored article named by ``ref``: an article_id, an origin, or an origin's file name.

    Tries, in order: ``article_id`` equal to ``ref``; ``origin`` equal to ``ref``;
    ``origin`` ending with ``ref`` at a path boundary (``001_x.txt`` finds
    ``data/samples/001_x.txt``). Raises ValueError naming ``argument`` when nothing or
    more than one article matches.
    """
    cols = "article_id, source, published, title, text, origin"
    found = store.query(f"SELECT {cols} FROM articles WHERE article_id = ?", [ref])
    if found.empty:
        found = store.query(f"SELECT {cols} FROM articles WHERE origin = ?", [ref])
    if found.empty:
        candidates = store.query(
            f"SELECT {cols} FROM articles WHERE ends_with(origin, ?)", [ref.lstrip("./")]
        )
        keep = [_ends_at_boundary(str(o), ref) for o in candidates["origin"]]
        found = candidates[keep]
    found = found.drop_duplicates("article_id")
    if found.empty:
        raise ValueError(f"{argument}: no stored article has id or origin {ref!r}")
    if len(found) > 1:
        shown = ", ".join(f"{r.article_id} ({r.origin})" for r in found.head(5).itertuples())
        raise ValueError(f"{argument}: {ref!r} is ambiguous, it matches {len(found)}: {shown}")
    return found.iloc[0]


def _ends_at_boundary(origin: str, ref: str) -> bool:
    ref = ref.lstrip("./")
    if origin == ref:
        return True
    for cls in (PurePosixPath, PureWindowsPath):
        parts, want = cls(origin).parts, cls(ref).parts
        if want and parts[-len(want) :] == want:
            return True
    return False


def _iso(value: object) -> str | None:
    day = as_date_value(value)
    return day.isoformat() if day else None


def _meta(row: pd.Series) -> dict:
    title = row["title"]
    return {
        "article_id": str(row["article_id"]),
        "source": str(row["source"]),
        "published": _iso(row["published"]),
        "title": None if title is None or pd.isna(title) else str(title),
        "origin": None if pd.isna(row["origin"]) else str(row["origin"]),
    }


def compare_texts(
    text_a: str,
    text_b: str,
    *,
    published_a: dt.date | str | None = None,
    published_b: dt.date | str | None = None,
) -> dict:
    """Compare two texts; the same result as :func:`compare_articles` without the metadata."""
    alignment = align_sentences(text_a, text_b)
    pairs = []
    for row in alignment[alignment["relation"].isin(["identical", "paraphrase"])].itertuples():
        pairs.append(
            {
                "a": row.a_text,
                "b": row.b_text,
                "relation": row.relation,
                "similarity": round(float(row.similarity), 4),
                "a_sentence": int(row.a_sentence),
                "b_sentence": int(row.b_sentence),
            }
        )
    only_a = alignment.loc[alignment["relation"] == "only_a", "a_text"].tolist()
    only_b = alignment.loc[alignment["relation"] == "only_b", "b_text"].tolist()
    quotes = compare_quotes(extract_quotes(text_a), extract_quotes(text_b), alignment)
    return {
        "pairs": pairs,
        "only_a": [str(s) for s in only_a],
        "only_b": [str(s) for s in only_b],
        "quotes": quotes,
        "reuse": {
            "score": score_reuse(alignment),
            "direction": infer_direction(published_a, published_b),
        },
    }


def compare_articles(store, a: str, b: str) -> dict:
    """Compare stored articles ``a`` and ``b`` (article ids or origins).

    Returns: a JSON-able dict: ``pairs`` (list of {a, b, relation, similarity,
    a_sentence, b_sentence}; a/b are sentence texts), ``only_a`` / ``only_b`` (sentence
    texts), ``quotes`` (list of {a, b, speaker, status, diff, a_sentence, b_sentence}),
    ``reuse`` ({score, direction: "a->b" | "b->a" | None}) and ``a`` / ``b`` metadata
    (article_id, source, published, title, origin).
    """
    row_a = resolve_article(store, a, argument="A")
    row_b = resolve_article(store, b, argument="B")
    result = compare_texts(
        str(row_a["text"]),
        str(row_b["text"]),
        published_a=row_a["published"],
        published_b=row_b["published"],
    )
    return {"a": _meta(row_a), "b": _meta(row_b), **result}


def format_comparison(result: dict) -> str:
    """The comparison as text for a reader: pairs, additions, quotes with diffs, reuse."""
    lines = []
    for side in ("a", "b"):
        meta = result.get(side)
        if meta:
            lines.append(
                f"{side.upper()}: {meta.get('source')} {meta.get('published') or 'date unknown'}"
                f"  {meta.get('title') or ''}  [{meta.get('article_id')}]"
            )
    pairs = result["pairs"]
    lines += ["", f"Aligned sentences ({len(pairs)})"]
    for p in pairs:
        lines.append(f"  [{p['relation']} {p['similarity']:.2f}]")
        lines.append(f"    A: {p['a']}")
        lines.append(f"    B: {p['b']}")
    for key, label in (("only_a", "Only in A"), ("only_b", "Only in B")):
        lines += ["", f"{label} ({len(result[key])})"]
        lines += [f"  - {s}" for s in result[key]]
    lines += ["", f"Quotes ({len(result['quotes'])})"]
    for q in result["quotes"]:
        who = f" — {q['speaker']}" if q.get("speaker") else ""
        if q["status"] == "altered":
            lines.append(f"  altered{who}: {format_diff(q['diff'])}")
        else:
            lines.append(f"  {q['status']}{who}: “{q['a'] if q['a'] is not None else q['b']}”")
    reuse = result["reuse"]
    direction = reuse["direction"] or "unknown (same or missing dates)"
    lines += ["", f"Reuse score {reuse['score']:.2f}; likely direction: {direction}"]
    return "\n".join(lines)
