"""Records as they come: gzipped, nested, lists of paragraphs, other delimiters and date orders."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest

from core.cli import main
from core.ingest import ingest_paths
from core.ingest.formats.record_dates import choose_date_order
from core.ingest.formats.records import join_text, sniff_delimiter
from core.store import Store
from tests.conftest import SAMPLES, corpus_path


def _ingest(store, *paths, **kw):
    return ingest_paths(list(paths), store=store, progress=False, **kw)


def test_gzipped_jsonl_with_nested_fields_and_paragraph_lists(store, tmp_path):
    records = [
        {
            "id": 7,
            "body": {"content": [["Kim met Putin.", "They talked."], ["Then they left."]]},
            "meta": {"section": "World", "author": "A. Writer"},
            "tags": ["Russia", "Korea"],
            "headline": "Kim and Putin",
            "date": "2019-04-25",
        }
    ]
    path = tmp_path / "feed.jsonl.gz"
    path.write_bytes(gzip.compress("\n".join(json.dumps(r) for r in records).encode()))
    report = _ingest(store, path, column_map={"text": "body.content"})
    assert report.ok and report.added == 1, report.summary()
    article = store.table("articles").iloc[0]
    assert article.text == "Kim met Putin. They talked.\n\nThen they left."
    assert article.title == "Kim and Putin"  # found by its usual name
    assert article.published == dt.date(2019, 4, 25)
    assert article.origin.endswith("feed.jsonl.gz#L1")
    meta = store.table("article_meta")
    pairs = sorted(zip(meta.key, meta.value, strict=True))
    assert pairs == [
        ("id", "7"),
        ("meta.author", "A. Writer"),
        ("meta.section", "World"),
        ("tags", "Korea"),
        ("tags", "Russia"),
    ]


def test_join_text_shapes():
    assert join_text("as is") == "as is"
    assert join_text(["P1.", " ", "P2."]) == "P1.\n\nP2."
    assert join_text([["S1.", "S2."], [], ["S3."]]) == "S1. S2.\n\nS3."
    assert join_text([{"text": "In a dict."}, 3]) == "In a dict.\n\n3"
    assert join_text({"no": "text"}) is None


def test_a_mapped_field_no_record_has_is_a_usage_error_and_nothing_is_stored(tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["ingest", str(SAMPLES), "--store", str(store)]) == 0
    before = Store(store).table("articles")
    records = tmp_path / "r.jsonl"
    records.write_text(json.dumps({"text": "Kim met Putin.", "PubDate": "2019-04-25"}) + "\n")
    with pytest.raises(SystemExit) as exc:
        main(["ingest", str(records), "--store", str(store), "--map", "published=PubDate_typo"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "'PubDate_typo'" in err and "fields: text, PubDate" in err
    after = Store(store).table("articles")
    assert after.article_id.tolist() == before.article_id.tolist()


def test_one_map_serves_two_layouts_when_each_field_is_somewhere(store, tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"body": "First text.", "when": "2020-01-02"}))
    (tmp_path / "b.jsonl").write_text(json.dumps({"text": "Second text."}))
    report = _ingest(
        store,
        tmp_path / "a.jsonl",
        tmp_path / "b.jsonl",
        column_map={"text": "body", "published": "when"},
    )
    assert report.ok and report.added == 2


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [(";", "cp1252"), ("\t", "utf-8"), (",", "utf-16")]
)
def test_csv_delimiter_encoding_and_padded_headers(store, tmp_path, delimiter, encoding):
    d = delimiter
    content = (
        f" Title {d} text {d}Date \n"
        f'Zürich talks{d}"Ministers met in Zürich; no deal, yet."{d}2021-05-04\n'
        f"Second{d}Another text.{d}2021-05-05\n"
    )
    path = tmp_path / "export.csv"
    path.write_bytes(content.encode(encoding))
    report = _ingest(store, path)
    assert report.ok and report.added == 2, report.summary()
    arts = store.table("articles").set_index("title")
    assert arts.loc["Zürich talks"].text == "Ministers met in Zürich; no deal, yet."
    assert arts.loc["Zürich talks"].published == dt.date(2021, 5, 4)


def test_sniff_delimiter_prefers_consistent_columns():
    assert sniff_delimiter('a;b;c\n1;"x, y";3\n4;5;6\n') == ";"
    assert sniff_delimiter('a,b\n"1;2",3\n') == ","
    assert sniff_delimiter("a\tb\n1\t2\n") == "\t"


def _dated_csv(tmp_path, name, dates):
    rows = "".join(f"Article number {i}.,{d}\n" for i, d in enumerate(dates))
    path = tmp_path / name
    path.write_text("text,date\n" + rows, encoding="utf-8")
    return path


def test_numeric_dates_month_first_when_the_values_say_so(store, tmp_path):
    path = _dated_csv(tmp_path, "us.csv", ["03/04/2020", "12/25/2020"])
    report = _ingest(store, path)
    assert report.ok and not report.warnings
    assert sorted(store.table("articles").published) == [dt.date(2020, 3, 4), dt.date(2020, 12, 25)]


def test_numeric_dates_day_first_when_the_values_say_so(store, tmp_path):
    path = _dated_csv(tmp_path, "uk.csv", ["03/04/2020", "25/12/2020"])
    report = _ingest(store, path)
    assert sorted(store.table("articles").published) == [dt.date(2020, 4, 3), dt.date(2020, 12, 25)]
    assert not report.warnings


def test_ambiguous_numeric_dates_say_what_was_assumed(store, tmp_path):
    path = _dated_csv(tmp_path, "either.csv", ["03/04/2020", "05/06/2020"])
    report = _ingest(store, path)
    assert any("either.csv" in w and "read day-first" in w for w in report.warnings)
    assert sorted(store.table("articles").published) == [dt.date(2020, 4, 3), dt.date(2020, 6, 5)]


def test_monthfirst_flag_wins(tmp_path, capsys):
    path = _dated_csv(tmp_path, "either.csv", ["03/04/2020"])
    store = tmp_path / "store"
    assert main(["ingest", str(path), "--store", str(store), "--monthfirst"]) == 0
    assert Store(store).table("articles").published.tolist() == [dt.date(2020, 3, 4)]
    assert "day-first" not in capsys.readouterr().err


def test_choose_date_order_mixed_values_notes_the_majority():
    order, notes = choose_date_order(
        ["13/01/2020", "14/01/2020", "01/13/2020"], origin="x.csv", requested="auto"
    )
    assert order == "dayfirst" and "mix" in notes[0]


def test_corrupt_gzip_is_rejected_and_named(store, tmp_path):
    path = tmp_path / "bad.jsonl.gz"
    path.write_bytes(b"\x1f\x8b not really gzip")
    report = _ingest(store, path)
    assert report.rejected and report.rejected[0][0].endswith("bad.jsonl.gz")
    assert "gzip" in report.rejected[0][1]


def test_export_articles_with_their_metadata(tmp_path, capsys):
    path = tmp_path / "r.json"
    path.write_text(json.dumps([{"text": "Kim met Putin.", "main_event": "Summit", "k": [1, 2]}]))
    store = tmp_path / "store"
    assert main(["ingest", str(path), "--store", str(store)]) == 0
    capsys.readouterr()
    assert (
        main(["export", "articles", "--with-meta", "--store", str(store), "--format", "jsonl"]) == 0
    )
    row = json.loads(capsys.readouterr().out)
    assert row["meta.main_event"] == "Summit" and row["meta.k"] == "1; 2"
    assert main(["export", "article_meta", "--store", str(store)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "article_id,key,value"


@pytest.mark.corpus
def test_basil_as_documented(tmp_path, capsys):
    basil = corpus_path("basil") / "basil-articles.jsonl.gz"
    store = tmp_path / "store"
    argv = ["ingest", str(basil), "--store", str(store)]
    argv += ["--map", "text=paragraphs,published=date,source=outlet_name"]
    assert main(argv) == 0
    s = Store(store)
    arts = s.table("articles")
    assert len(arts) == 300 and arts.source.nunique() == 3
    assert arts.title.notna().all() and arts.url.notna().all() and arts.published.notna().all()
    meta = s.table("article_meta")
    events = meta[meta.key == "main_event"]
    assert events.article_id.nunique() >= 290  # a few BASIL records have an empty main_event
