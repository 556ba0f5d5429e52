"""One bad record costs itself: any value of any type in any field is used, coerced with a
warning, or rejects that record alone, named with its file and row; the good ones are stored
and the run exits 1 (issue 16.1)."""

from __future__ import annotations

import csv
import json

import pytest

import core.ingest
from core.cli import main
from core.ingest.formats.record_rows import split_json_array
from core.store import Store


def _good(n: int) -> dict:
    return {"text": f"Good article number {n} is about Paris. It has a second sentence."}


def _ingest(capsys, store, *paths) -> tuple[int, str]:
    code = main(["ingest", *map(str, paths), "--store", str(store), "--workers", "1"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _stored_texts(store) -> list[str]:
    return Store(store).table("articles")["text"].tolist()


def _line_of(out: str, where: str) -> str:
    lines = [line for line in out.splitlines() if f"{where}:" in line]
    assert lines, f"{where} not named in:\n{out}"
    return lines[0]


def test_json_array_with_fields_of_wrong_types(tmp_path, capsys):
    records = [
        _good(0),
        {"text": 123},  # 1: rejected, named
        {"text": "Published as a list. Words.", "published": [1, 2]},  # 2: warned, null date
        {"text": "Source as an object. Words.", "source": {"name": "x"}},  # 3: warned
        {"text": "Title is null. Words.", "title": None},  # 4: used (title from the text)
        {"text": "Url is a number. Words.", "url": 42},  # 5: url dropped
        {"text": "Url cannot be parsed. Words.", "url": "http://[::1"},  # 6
        {"text": "Url bracketed. Words.", "url": "http://[x]"},  # 7
        {"text": "Url runs script. Words.", "url": "javascript:alert(1)"},  # 8
        {"text": "Url is ftp. Words.", "url": "ftp://example.org/a"},  # 9
        {"text": ["A list of paragraphs.", {"deep": {}}, 7]},  # 10: used
        {"text": True},  # 11: rejected
        _good(1),
    ]
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    code, out = _ingest(capsys, tmp_path / "store", path)
    assert code == 1
    texts = _stored_texts(tmp_path / "store")
    assert len(texts) == len(records) - 2
    assert any("number 0" in t for t in texts) and any("number 1" in t for t in texts)
    assert "is a number, not text" in _line_of(out, "mixed.json#1")
    assert "not text" in _line_of(out, "mixed.json#11")
    assert _line_of(out, "mixed.json#1").startswith("rejected:")
    assert "stored as null" in _line_of(out, "mixed.json#2")
    assert "'source' is an object" in _line_of(out, "mixed.json#3")
    for n in range(5, 10):
        assert "dropped" in _line_of(out, f"mixed.json#{n}")
    articles = Store(tmp_path / "store").table("articles")
    assert articles["url"].isna().all()  # no non-http(s) or unparsable link is kept
    assert "x" not in set(articles["source"])


def test_jsonl_lines_past_parser_limits(tmp_path, capsys):
    path = tmp_path / "lines.jsonl"
    lines = [
        json.dumps(_good(0)),
        '{"text": "A lone surrogate \\udfff inside. Words."}',
        '{"text": "A huge integer follows. Words.", "n": ' + "9" * 5000 + "}",
        '{"text": "Deep nesting follows. Words.", "n": ' + "[" * 2000 + "]" * 2000 + "}",
        '{"text": "Broken',
        json.dumps(_good(1)),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = _ingest(capsys, tmp_path / "store", path)
    assert code == 1
    texts = _stored_texts(tmp_path / "store")
    assert len(texts) == 4
    assert any("surrogate" in t for t in texts) and any("huge integer" in t for t in texts)
    assert "nested too deeply" in _line_of(out, "lines.jsonl#L4")
    assert "invalid JSON" in _line_of(out, "lines.jsonl#L5")


def test_json_array_element_past_parser_limits_costs_that_element(tmp_path, capsys):
    path = tmp_path / "deep.json"
    deep = '{"text": "Deep element. Words.", "n": ' + "[" * 2000 + "]" * 2000 + "}"
    big = '{"text": "Big number element. Words.", "n": ' + "1" * 5000 + "}"
    tricky = '{"text": "Brackets ], {in} a \\"string\\", too. Words."}'
    path.write_text(
        f"[{json.dumps(_good(0))}, {deep}, {big},\n {tricky}, {json.dumps(_good(1))}]",
        encoding="utf-8",
    )
    code, out = _ingest(capsys, tmp_path / "store", path)
    assert code == 1
    texts = _stored_texts(tmp_path / "store")
    assert len(texts) == 4
    assert any('Brackets ], {in} a "string"' in t for t in texts)
    assert "nested too deeply" in _line_of(out, "deep.json#1")


def test_wrapped_array_element_past_parser_limits_costs_that_element(tmp_path, capsys):
    deep = '{"text": "Deep element. Words.", "n": ' + "[" * 2000 + "]" * 2000 + "}"
    path = tmp_path / "api.json"
    path.write_text(
        f'{{"status": "ok", "articles": [{json.dumps(_good(0))}, {deep}, {json.dumps(_good(1))}]}}',
        encoding="utf-8",
    )
    code, out = _ingest(capsys, tmp_path / "store", path)
    assert code == 1
    assert len(_stored_texts(tmp_path / "store")) == 2
    assert "nested too deeply" in _line_of(out, "api.json#1")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('[1, "a,]", {"b": [2, 3]}]', ["1", ' "a,]"', ' {"b": [2, 3]}']),
        ("  [ ]  ", []),
        ('{"a": 1}', None),  # not an array
        ("[1, 2", None),  # not closed
        ("[1] 2", None),  # something after it
        # a news API's wrapper: the array under its key, keys of nested objects ignored
        (
            '{"meta": {"data": 1}, "articles": [{"t": "a:["}, [1]], "n": 2}',
            ['{"t": "a:["}', " [1]"],
        ),
        ('{"other": [1]}', None),
    ],
)
def test_split_json_array(content, expected):
    assert split_json_array(content) == expected


def test_csv_rows_with_extra_cells_and_long_fields(tmp_path, capsys):
    long_text = "A long field sentence here. " * 6000  # 168,000 characters: over csv's default
    path = tmp_path / "rows.csv"
    path.write_text(
        "text,title\n"
        '"Good csv row one. Words here.",One\n'
        '"Row with more cells than the header. Words.",Two,extra one,extra two\n'
        f'"{long_text}",Three\n'
        "Row with fewer cells. Words.\n"
        '"Good csv row two. Words here.",Four\n',
        encoding="utf-8",
    )
    code, out = _ingest(capsys, tmp_path / "store", path)
    assert code == 0  # nothing rejected: the extra cells are kept, with a warning
    assert len(_stored_texts(tmp_path / "store")) == 5
    assert "extra cells kept as metadata" in _line_of(out, "rows.csv#row3")
    meta = Store(tmp_path / "store").table("article_meta")
    assert set(meta.loc[meta["key"].str.startswith("extra_cell"), "value"]) == {
        "extra one",
        "extra two",
    }


def test_a_reader_failing_on_one_document_costs_that_document(tmp_path, capsys, monkeypatch):
    """An unexpected error in a reader (a library's bug on a hostile page) rejects that input
    with a one-line reason; the other inputs are stored."""
    real = core.ingest.read_html

    def fragile(content, *, origin, url=None):
        if "trap" in origin:
            raise IndexError("list index out of range")
        return real(content, origin=origin, url=url)

    monkeypatch.setattr(core.ingest, "read_html", fragile)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "trap.html").write_text("<p>Whatever.</p>", encoding="utf-8")
    (tmp_path / "in" / "good.txt").write_text(_good(0)["text"], encoding="utf-8")
    code, out = _ingest(capsys, tmp_path / "store", tmp_path / "in")
    assert code == 1
    assert "IndexError" in _line_of(out, "trap.html")
    assert len(_stored_texts(tmp_path / "store")) == 1


@pytest.fixture
def small_csv_fields():
    """csv's field limit lowered to 1,000 characters for one test (the ingest raises it to
    64 MiB; a field past that must cost its row alone)."""
    before = csv.field_size_limit()
    csv.field_size_limit(1000)
    yield
    csv.field_size_limit(before)


def test_csv_field_past_the_limit_costs_its_row(tmp_path, capsys, small_csv_fields):
    path = tmp_path / "big.csv"
    path.write_text(
        "text,title\n"
        '"Good csv row one. Words here.",One\n'
        f'"{"Too long. " * 200}",Two\n'
        '"Good csv row two. Words here.",Three\n',
        encoding="utf-8",
    )
    code, out = _ingest(capsys, tmp_path / "store", path)
    assert code == 1
    assert "field larger than field limit" in _line_of(out, "big.csv#row3")
    assert len(_stored_texts(tmp_path / "store")) == 2
