"""The Sources page's two articles side by side: aligned sentences and quotes as HTML tables,
changed words marked (escaped text only)."""

from __future__ import annotations

import html

from core.analytics.reuse.quote_diff import quote_diff
from pages.ui.format import diff_html

QUOTE_STATUS = {"same": "same", "altered": "changed", "only_a": "only in A", "only_b": "only in B"}
_CELL = "vertical-align:top;padding:3px 6px"


def _table(heads: list[str], rows: list[list[str]], widths: list[str]) -> str:
    head = "".join(f"<th style='text-align:left;{_CELL}'>{h}</th>" for h in heads)
    body = "".join(
        "<tr style='border-top:1px solid #eee'>"
        + "".join(f"<td style='{_CELL};width:{w}'>{c}</td>" for c, w in zip(r, widths, strict=True))
        + "</tr>"
        for r in rows
    )
    return (
        "<table style='width:100%;border-collapse:collapse;font-size:0.9em'>"
        f"<tr>{head}</tr>{body}</table>"
    )


def alignment_html(result: dict, *, head_a: str, head_b: str) -> str:
    """The aligned sentences of ``compare_articles``' ``result`` (changed words marked), then
    the sentences only one article has."""
    rows = []
    for pair in result["pairs"]:
        if pair["relation"] == "identical":
            a_html, b_html = html.escape(pair["a"]), html.escape(pair["b"])
        else:
            a_html, b_html = diff_html(quote_diff(pair["a"], pair["b"]))
        rows.append([a_html, b_html, f"<small>{html.escape(pair['relation'])}</small>"])
    rows += [[html.escape(t), "", "<small>only in A</small>"] for t in result["only_a"]]
    rows += [["", html.escape(t), "<small>only in B</small>"] for t in result["only_b"]]
    heads = [f"A: {html.escape(head_a)}", f"B: {html.escape(head_b)}", ""]
    return _table(heads, rows, ["47%", "47%", "6%"])


def quotes_html(quotes: list[dict]) -> str:
    """The quotes of ``compare_articles``: who, what A and B quote (changed words marked),
    and whether the wording is the same, changed, or in one article only."""
    rows = []
    for q in quotes:
        if q["status"] == "altered":
            a_html, b_html = diff_html(q["diff"])
        else:
            a_html = html.escape(q["a"]) if q.get("a") else ""
            b_html = html.escape(q["b"]) if q.get("b") else ""
        speaker = html.escape(q["speaker"]) if q.get("speaker") else "<small>(not said)</small>"
        status = QUOTE_STATUS.get(q["status"], q["status"])
        rows.append([speaker, a_html, b_html, f"<small>{html.escape(status)}</small>"])
    return _table(["speaker", "in A", "in B", ""], rows, ["14%", "40%", "40%", "6%"])
