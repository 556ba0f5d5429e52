"""The Articles page's HTML: escaped text, marks, links only where safe."""

from __future__ import annotations

import pandas as pd

from pages.ui.reader import article_html, articles_table_html


def test_article_html_escapes_marks_and_links():
    text = "<b>Putin</b> met Biden\n\non 2 May & left."
    marks = pd.DataFrame(
        {
            "start_char": [3, 3, 17, 27],
            "end_char": [8, 12, 22, 32],
            "mark": ["mention", "mention", "mention", "date"],
            "entity": ["Vladimir Putin", "overlap", "Joe Biden", None],
            "kind": ["person", "person", "person", None],
            "country_code": ["RUS", None, "USA", None],
            "value": [None, None, None, "2024-05-02"],
        }
    )
    out = article_html(
        text,
        marks,
        mention_href=lambda m: f'articles?entity={m["entity"]}&x="',
        date_href=lambda m: None,
    )
    assert "<b>" not in out and "&lt;b&gt;" in out
    assert out.count("<mark") == 3  # the overlapping second mark is skipped
    assert 'href="articles?entity=Vladimir Putin&amp;x=&quot;"' in out
    assert "<mark style='background:#d6e9ff;padding:0 .1em;border-radius:3px'>2 May</mark>" in out
    assert out.count("<p") == 2  # the blank line splits paragraphs
    assert "&amp; left." in out


def test_article_html_ignores_bad_offsets():
    marks = pd.DataFrame(
        {"start_char": [5, None, 2], "end_char": [99, 3, 1], "mark": ["mention"] * 3}
    )
    out = article_html("short", marks, mention_href=lambda m: "x", date_href=lambda m: None)
    assert out == "<p style='line-height:1.6'>short</p>"


def test_table_links_titles_only_to_given_urls():
    rows = pd.DataFrame(
        {
            "article_id": ["a", "b"],
            "published": [pd.NA, "2024-01-02"],
            "source": ["<i>S</i>", "T"],
            "title": ["T <1>", None],
            "url": ["https://x.example/?a=1&b=2", None],
            "top_entities": ["Russia (2)", None],
            "n_mentions": [2, 0],
        }
    )
    out = articles_table_html(rows, read_href=lambda aid: f"articles?article={aid}")
    assert 'href="https://x.example/?a=1&amp;b=2"' in out and 'rel="noopener' in out
    assert "&lt;i&gt;S&lt;/i&gt;" in out and "T &lt;1&gt;" in out
    assert "no date" in out and "(no title)" in out
    assert out.count("<a ") == 3  # one original, two readers
    # A corpus without dates: no date column at all.
    out = articles_table_html(
        rows.assign(published=pd.NA), read_href=lambda aid: f"a?{aid}", dates=False
    )
    assert ">Date<" not in out and "no date" not in out
    assert out.count("<th ") == 6 and out.count("<td ") == 12
