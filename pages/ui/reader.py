"""HTML of the Articles page: the article table and one article with its marks (pure, tested).

Everything from an article is escaped with :func:`html.escape`; links are built by the page
(relative URLs of this app) or are the article's own http(s) URL, checked in ``core``.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import pandas as pd

MENTION_STYLE = "background:#fff3b0;padding:0 .1em;border-radius:3px"
DATE_STYLE = "background:#d6e9ff;padding:0 .1em;border-radius:3px"


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html.escape(str(value))


def _link(href: str | None, body: str, *, external: bool = False, title: str = "") -> str:
    if not href:
        return body
    attrs = f' href="{html.escape(href, quote=True)}"'
    if title:
        attrs += f' title="{html.escape(title, quote=True)}"'
    if external:
        attrs += ' target="_blank" rel="noopener noreferrer nofollow"'
    return f"<a{attrs}>{body}</a>"


def articles_table_html(
    rows: pd.DataFrame, *, read_href: Callable[[str], str], dates: bool = True
) -> str:
    """The listed articles (from ``list_articles``) as an HTML table.

    The title links to the original (http/https only, a new tab); "read" opens the reader.
    ``dates``: False drops the date column (a corpus without publication dates: a column
    saying "no date" on every row tells nothing).
    """
    heads = ("Date", "Source", "Title", "Top entities", "Mentions", "Words", "")
    head = "".join(
        f"<th style='text-align:left;padding:4px 8px'>{h}</th>" for h in heads[0 if dates else 1 :]
    )
    body = []
    for r in rows.to_dict("records"):
        published = r.get("published")
        when = "no date" if published is None or pd.isna(published) else str(published)[:10]
        title = _text(r.get("title")) or "(no title)"
        url = r.get("url")
        url = None if url is None or pd.isna(url) else str(url)
        pad = "padding:4px 8px;vertical-align:top"
        cells = [
            f"<td style='{pad};white-space:nowrap'>{when}</td>" if dates else "",
            f"<td style='{pad}'>{_text(r.get('source'))}</td>",
            f"<td style='{pad}'>"
            + _link(url, title, external=True, title="open the original")
            + "</td>",
            f"<td style='{pad}'><small>{_text(r.get('top_entities'))}</small></td>",
            f"<td style='{pad};text-align:right'>{int(r.get('n_mentions') or 0):,}</td>",
            # Shown because the list sorts by it ("length (words)").
            f"<td style='{pad};text-align:right'>{int(r.get('n_words') or 0):,}</td>",
            f"<td style='{pad}'>" + _link(read_href(str(r["article_id"])), "read") + "</td>",
        ]
        body.append("<tr style='border-top:1px solid #eee'>" + "".join(cells) + "</tr>")
    return (
        "<table style='border-collapse:collapse;width:100%;font-size:0.92em'>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def article_html(
    text: str,
    marks: pd.DataFrame,
    *,
    mention_href: Callable[[dict], str | None],
    date_href: Callable[[dict], str | None],
) -> str:
    """``text`` escaped, each mark (from ``list_article_marks``) highlighted and linked.

    Mentions are yellow, dates blue; an overlapping later mark is skipped. Paragraphs (blank
    lines) become ``<p>``, single line breaks ``<br>``.
    """
    text = "" if text is None or text is pd.NA else str(text)
    out: list[str] = []
    pos = 0
    for m in marks.sort_values(["start_char", "end_char"]).to_dict("records"):
        start, end = m.get("start_char"), m.get("end_char")
        if start is None or end is None or pd.isna(start) or pd.isna(end):
            continue
        start, end = int(start), int(end)
        if start < pos or not 0 <= start < end <= len(text):
            continue
        if m.get("mark") == "date":
            style, href = DATE_STYLE, date_href(m)
            tip = f"date: {m.get('value') or ''}"
        else:
            style, href = MENTION_STYLE, mention_href(m)
            tip = " · ".join(
                str(v)
                for v in (m.get("entity"), m.get("kind"), m.get("country_code"))
                if v is not None and not pd.isna(v)
            )
        span = f"<mark style='{style}'>{html.escape(text[start:end])}</mark>"
        out += [html.escape(text[pos:start]), _link(href, span, title=tip)]
        pos = end
    out.append(html.escape(text[pos:]))
    body = "".join(out)
    paragraphs = [p.replace("\n", "<br>") for p in body.split("\n\n") if p.strip()]
    return "".join(f"<p style='line-height:1.6'>{p}</p>" for p in paragraphs)
