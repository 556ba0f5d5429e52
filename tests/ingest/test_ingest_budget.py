"""Bounded work per input (issue 16.2): a page over its element or time budget is rejected
with the reason and the run goes on; a huge page is answered within a minute."""

from __future__ import annotations

import time

import pytest

import core.ingest.formats.documents as documents
from core.cli import main
from core.ingest.formats.budget import OverBudget, check_html_elements, run_with_deadline
from core.store import Store

GOOD = "Good article about Paris. It has a second sentence about London."


def _page(paragraphs: int) -> str:
    body = "".join(
        f"<p>Paragraph {i} tells of a short thing, briefly.</p>" for i in range(paragraphs)
    )
    return (
        f"<html><head><title>Long page</title></head><body><article>{body}</article></body></html>"
    )


def _ingest(capsys, store, *paths) -> tuple[int, str]:
    code = main(["ingest", *map(str, paths), "--store", str(store), "--workers", "1"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_300000_paragraph_page_is_answered_within_60_s(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    page = _page(300_000)
    assert len(page) > 15_000_000
    (tmp_path / "in" / "huge.html").write_text(page, encoding="utf-8")
    (tmp_path / "in" / "good.txt").write_text(GOOD, encoding="utf-8")
    started = time.monotonic()
    code, out = _ingest(capsys, tmp_path / "store", tmp_path / "in")
    assert time.monotonic() - started < 60
    assert code == 1
    rejected = [line for line in out.splitlines() if "huge.html" in line]
    assert rejected and "PRESSLENS_MAX_HTML_ELEMENTS" in rejected[0]
    assert Store(tmp_path / "store").table("articles")["text"].tolist() == [GOOD]


def test_a_page_over_its_time_budget_is_rejected_and_the_run_goes_on(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(documents, "HTML_SECONDS", 0.05)
    monkeypatch.setattr(documents, "IN_PROCESS_BYTES", 1000)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "slow.html").write_text(_page(20_000), encoding="utf-8")
    (tmp_path / "in" / "good.txt").write_text(GOOD, encoding="utf-8")
    code, out = _ingest(capsys, tmp_path / "store", tmp_path / "in")
    assert code == 1
    rejected = [line for line in out.splitlines() if "slow.html" in line]
    assert rejected and "took more than 0.05 s (PRESSLENS_HTML_SECONDS)" in rejected[0]
    assert Store(tmp_path / "store").table("articles")["text"].tolist() == [GOOD]


def test_a_large_page_within_budget_is_read_in_a_child_like_in_process(monkeypatch):
    page = _page(200)
    here = documents.read_html(page, origin="p.html")
    monkeypatch.setattr(documents, "IN_PROCESS_BYTES", 100)
    there = documents.read_html(page, origin="p.html")
    assert (there.text, there.title) == (here.text, here.title)
    assert "Paragraph 199" in there.text


def test_errors_of_the_child_are_raised_as_they_were():
    with pytest.raises(documents.RecordError, match="no article text"):
        run_with_deadline(documents.extract_html, "<html></html>", origin="x", seconds=30)


@pytest.mark.parametrize(
    ("content", "limit", "over"),
    [
        ("<p>a</p>" * 10, 100, False),  # cheap bound: 20 "<" under the limit
        ("<p>a</p>" * 10, 5, True),  # 10 p + html + body over 5
        ("<p>" + "a < b " * 50 + "</p>", 10, False),  # many "<" in text, few elements
    ],
)
def test_check_html_elements(content, limit, over):
    if over:
        with pytest.raises(OverBudget, match="HTML elements, over the limit"):
            check_html_elements(content, limit=limit)
    else:
        check_html_elements(content, limit=limit)
