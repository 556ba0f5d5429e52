"""Pure formatting helpers of the pages: escaped HTML, dates, labels, table bytes.

No Streamlit here: every function returns a string, bytes or a plain value, so they are unit
tested directly. Anything shown from an article goes through :func:`html.escape` first.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Sequence

import pandas as pd

from core.export import neutralise_formulas


def shorten(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` characters at a word boundary, "…" marking the cut."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: max(width - 1, 1)]
    head = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return head.rstrip(" ,;:-·") + "…"


def article_labels(meta: pd.DataFrame, *, width: int = 70) -> dict[str, str]:
    """``article_id`` → "source · date · title" for select boxes.

    ``meta``: rows of ``core.analytics.tables.read_article_index``.
    """
    out = {}
    for r in meta.itertuples():
        when = "no date" if r.published is None or pd.isna(r.published) else str(r.published)[:10]
        title = "" if r.title is None or pd.isna(r.title) else shorten(str(r.title), width)
        out[r.article_id] = f"{r.source} · {when} · {title}"
    return out


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose date/arrow columns are ISO strings (for CSV / JSON writers)."""
    out = df.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.ArrowDtype):
            out[col] = out[col].astype("string")
    return out


def table_bytes(df: pd.DataFrame, fmt: str) -> bytes:
    """``df`` as CSV, JSON (an array of records) or Parquet bytes."""
    if fmt == "csv":  # cells a spreadsheet would run as formulas get a leading quote
        return neutralise_formulas(_plain(df)).to_csv(index=False).encode("utf-8")
    if fmt == "json":
        return _plain(df).to_json(orient="records", force_ascii=False).encode("utf-8")
    if fmt == "parquet":
        buffer = io.BytesIO()
        df.to_parquet(buffer, index=False)
        return buffer.getvalue()
    raise ValueError(f"unknown format {fmt!r}; valid: csv, json, parquet")


# A searched word or phrase is marked apart from the entity a passage is listed for.
TERM_MARK = "<mark title='searched' style='background:#cfe8ff'>"


def term_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Where ``text`` holds one of the searched ``terms`` (as the search box matches them:
    ignoring case, a phrase's words separated by any run of whitespace).

    Returns: (start, end) offsets, in order of start.
    """
    found = []
    for term in terms:
        words = term.split()
        if not words:
            continue
        pattern = re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)
        found += [(m.start(), m.end()) for m in pattern.finditer(text)]
    return sorted(found)


def highlight(text: str, spans: Sequence[tuple], terms: Sequence[str] = ()) -> str:
    """``text`` HTML-escaped, with each ``text[start:end]`` of ``spans`` wrapped in ``<mark>``
    and the searched ``terms`` it holds in a lighter mark (an entity's span wins an overlap)."""
    text = "" if text is None or text is pd.NA else str(text)
    clean = sorted(
        (int(s), int(e), "<mark>")
        for s, e in spans
        if s is not None
        and e is not None
        and not pd.isna(s)
        and not pd.isna(e)
        and 0 <= int(s) < int(e) <= len(text)
    )
    entity = [(s, e) for s, e, _ in clean]
    for s, e in term_spans(text, terms):
        if not any(s < b and a < e for a, b in entity):
            clean.append((s, e, TERM_MARK))
    out, pos = [], 0
    for s, e, mark in sorted(clean):
        if s < pos:  # overlapping spans: the first one wins
            continue
        out += [html.escape(text[pos:s]), mark, html.escape(text[s:e]), "</mark>"]
        pos = e
    out.append(html.escape(text[pos:]))
    return "".join(out)


def evidence_html(
    rows: pd.DataFrame,
    *,
    text: str = "sentence_text",
    spans: Sequence[tuple[str, str]] = (("start_in_sentence", "end_in_sentence"),),
    start: int = 1,
    terms: Sequence[str] = (),
) -> str:
    """Keyword-in-context rows as escaped HTML: source · date · title, then the passage.

    ``start`` numbers the first row (a later page of a long list goes on counting);
    ``terms``: the searched words and phrases, marked where a passage holds them."""
    items = []
    for row in rows.to_dict("records"):
        published = row.get("published")
        when = "" if published is None or pd.isna(published) else str(published)[:10]
        meta = " · ".join(
            html.escape(str(v))
            for v in (row.get("source"), when, row.get("title"))
            if v is not None
            and not (isinstance(v, float) and pd.isna(v))
            and v is not pd.NA
            and str(v)
        )
        body = highlight(row.get(text), [(row.get(s), row.get(e)) for s, e in spans], terms)
        items.append(f"<li><small>{meta}</small><br>{body}</li>")
    return (
        f"<ol start='{int(start)}' style='padding-left:1.4em;line-height:1.5'>"
        + "".join(items)
        + "</ol>"
    )


def diff_html(ops: Sequence[dict]) -> tuple[str, str]:
    """Two escaped HTML strings from a word diff (``[{op, a, b}]``): a's side with removed words
    struck through in red, b's side with added words in green."""
    a_parts, b_parts = [], []
    for op in ops:
        a, b = html.escape(op.get("a") or ""), html.escape(op.get("b") or "")
        if op.get("op") == "equal":
            a_parts.append(a)
            b_parts.append(b)
            continue
        if a:
            a_parts.append(f"<del style='background:#fdd'>{a}</del>")
        if b:
            b_parts.append(f"<ins style='background:#dfd;text-decoration:none'>{b}</ins>")
    return " ".join(a_parts), " ".join(b_parts)


# Every ASCII punctuation character may be backslash-escaped in CommonMark, and escaping all of
# them defeats every construct: emphasis, links, images, autolinks (``http\\:``, ``www\\.``), raw
# HTML, headings, lists, tables and Streamlit's ``:color[…]`` directives.
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
# Line breaks and other control characters would start a new Markdown block (a heading, a list,
# an indented code block): shown as one space each.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


# Streamlit's Markdown (remark-gfm) turns URL-like text into links *after* escapes are resolved,
# so escaping cannot stop it: an invisible WORD JOINER inside ``http://``, ``www.`` and
# ``name@host`` breaks the pattern while the text still reads the same.
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|www)(?=[:.])|(@)")
_JOINER = "\u2060"


def md(text: object, *, limit: int | None = None) -> str:
    """``text`` as literal text inside Markdown (``st.markdown``, captions, alerts, labels).

    Every Markdown / HTML special is backslash-escaped and control characters become spaces, so
    a value from a URL, an upload or an article never turns into a link, an image or markup.
    ``limit`` shortens a long value to that many characters (ending in "…").
    """
    plain = _CONTROL.sub(" ", "" if text is None or text is pd.NA else str(text))
    if limit is not None and len(plain) > limit:
        plain = plain[: max(limit - 1, 0)] + "…"
    plain = _AUTOLINK.sub(lambda m: m.group(0) + _JOINER, plain)
    return _MD_SPECIAL.sub(r"\\\1", plain)


def plot_text(text: object, *, limit: int | None = None) -> str:
    """``text`` safe inside a plotly label, title or tooltip (shown literally).

    plotly.js reads a few HTML tags (``<a href>``, ``<b>``, ``<br>``) in every text it draws;
    escaped, a name such as ``<a href=…>`` is shown as typed, never as a link.
    """
    plain = _CONTROL.sub(" ", "" if text is None or text is pd.NA else str(text))
    if limit is not None and len(plain) > limit:
        plain = plain[: max(limit - 1, 0)] + "…"
    return html.escape(plain, quote=False)


def hover_template(title: str | None, fields: Sequence[tuple[str, str]]) -> str:
    """A plotly ``hovertemplate``: an optional bold ``title`` line, then ``label: value`` lines.

    ``title`` and each value are plotly references such as ``"%{y}"`` or
    ``"%{customdata[1]:,.0f}"`` (put the format in the reference: ``:,.0f`` for counts,
    ``:.1%`` for shares, ``:.2f`` for scores); labels are plain words. The trace's own name box
    is hidden (``<extra></extra>``).
    """
    lines = [f"<b>{title}</b>"] if title else []
    lines += [f"{html.escape(label)}: {value}" for label, value in fields]
    return "<br>".join(lines) + "<extra></extra>"


def place_labels(
    xy: Sequence[tuple[float, float]],
    widths: Sequence[float],
    *,
    height: float,
    limit: int,
) -> list[bool]:
    """Which points get a text label, first come first served, so that no two labels overlap.

    ``xy`` are label anchors (the label is centred above its point) in the same units as
    ``widths`` and ``height`` (e.g. pixels), in priority order; at most ``limit`` labels.
    Returns: one bool per point, True when its label is drawn.
    """
    placed: list[tuple[float, float, float, float]] = []
    out = []
    for (x, y), w in zip(xy, widths, strict=True):
        box = (x - w / 2, y, x + w / 2, y + height)
        free = len(placed) < limit and not any(
            box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed
        )
        if free:
            placed.append(box)
        out.append(free)
    return out


def format_int(value) -> str:
    """``1234`` → ``"1,234"`` (for metrics)."""
    return f"{int(value):,}"


def format_dates(values: pd.Series, *, missing: str = "undated") -> pd.Series:
    """Dates as ``YYYY-MM-DD`` strings, ``missing`` where there is none (a table shows "None")."""
    # Sliced strings, not strftime: pandas datetimes stop at 1677-2262.
    return values.astype("string").str.slice(0, 10).fillna(missing)
