"""Ingest: the seeds, every input format, header conventions, encodings, bad input."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import pandas as pd
import pytest

from core.ingest import article_id_of, ingest_paths
from core.store import Store
from tests.conftest import BBC_SEED, REPO, REWRITE_SEED, SAMPLES


def _ingest(store, *paths, **kw):
    return ingest_paths(list(paths), store=store, progress=False, **kw)


def test_seeds_give_two_articles_with_their_headers_parsed(seed_store):
    arts = seed_store.table("articles").set_index("origin")
    assert len(arts) == 2
    bbc = arts.loc["data/samples/000_8f9fb6364737de52.txt"]
    assert bbc.source == "BBC"
    assert bbc.published == dt.date(2022, 8, 15)
    assert bbc.title == (
        "Russia and North Korea will expand their “comprehensive and constructive bilateral "
        "relations”, President Vladimir Putin has said."
    )
    assert bbc.text.startswith("Russia and North Korea will expand")
    assert "date 2022-08-15" not in bbc.text and "(BBC)" not in bbc.text
    assert bbc.text.endswith("soured in recent years.")
    rewrite = arts.loc["data/samples/001_15fe88c0c738a859.txt"]
    assert rewrite.published == dt.date(2022, 8, 16)
    assert rewrite.text.startswith("Russian leader Vladimir Putin said")
    assert "August 16, 2022" not in rewrite.text
    assert rewrite.source == "unknown"
    assert rewrite.title == (
        "Russian leader Vladimir Putin said Russia and North Korea would expand “comprehensive "
        "and constructive bilateral relations”."
    )
    assert bbc.n_words > 300 and rewrite.n_words > 400


def test_reingesting_the_seeds_adds_nothing(store):
    first = _ingest(store, SAMPLES, root=REPO)
    again = _ingest(store, BBC_SEED, REWRITE_SEED, root=REPO)
    assert (first.added, first.duplicates) == (2, 0)
    assert (again.added, again.duplicates) == (0, 2)
    assert store.counts()["articles"] == 2
    assert len(store.batch_ids()) == 1


def test_article_id_is_a_stable_hash_of_the_normalised_text(seed_store):
    arts = seed_store.table("articles")
    for text, aid in zip(arts.text, arts.article_id, strict=True):
        assert aid == article_id_of(text) and len(aid) == 16


def test_curly_quotes_and_dashes_are_kept(seed_store):
    text = " ".join(seed_store.table("articles").text)
    assert "“comradely friendship”" in text and "Slovyansk and Kramatorsk – cities" in text


@pytest.mark.parametrize(
    "first_line, expected",
    [
        ("August 16, 2022", dt.date(2022, 8, 16)),
        ("16/08/2022", dt.date(2022, 8, 16)),
        ("2022-08-16T09:00Z", dt.date(2022, 8, 16)),
    ],
)
def test_a_date_only_first_line_is_the_publication_date(store, tmp_path, first_line, expected):
    f = tmp_path / "a.txt"
    f.write_text(f"{first_line}\nPutin wrote to Kim on Monday.\n", encoding="utf-8")
    _ingest(store, f)
    art = store.table("articles").iloc[0]
    assert art.published == expected
    assert art.text == "Putin wrote to Kim on Monday."


def test_a_first_line_that_is_a_sentence_stays_text(store, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("May 2022 was a hard month for Ukraine.\nMore text.\n", encoding="utf-8")
    _ingest(store, f)
    art = store.table("articles").iloc[0]
    assert art.text.startswith("May 2022 was a hard month")
    assert pd.isna(art.published)


def test_key_value_header_block(store, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(
        "Title: Kim meets Putin\nSource: Reuters\nDate: 2019-04-25\n\nThe two leaders met.\n",
        encoding="utf-8",
    )
    _ingest(store, f)
    art = store.table("articles").iloc[0]
    assert (art.title, art.source, art.published) == (
        "Kim meets Putin",
        "Reuters",
        dt.date(2019, 4, 25),
    )
    assert art.text == "The two leaders met."


def test_source_precedence(store, tmp_path):
    outlet = tmp_path / "guardian"
    outlet.mkdir()
    (outlet / "tagged.txt").write_text(" date 2022-08-15 Kim spoke. (BBC)\n", encoding="utf-8")
    (outlet / "plain.txt").write_text("Kim spoke again.\n", encoding="utf-8")
    (outlet / "records.jsonl").write_text(
        json.dumps({"text": "Kim spoke a third time.", "url": "https://www.nytimes.com/x"})
        + "\n"
        + json.dumps({"text": "Kim spoke a fourth time.", "source": "AP"})
        + "\n",
        encoding="utf-8",
    )
    _ingest(store, outlet, source="Cli", source_from_folder=True)
    by_text = dict(zip(store.table("articles").text, store.table("articles").source, strict=True))
    assert by_text == {
        "Kim spoke.": "BBC",
        "Kim spoke again.": "Cli",
        "Kim spoke a third time.": "nytimes.com",
        "Kim spoke a fourth time.": "AP",
    }
    other = Store(tmp_path / "s2")
    _ingest(other, outlet / "plain.txt", source_from_folder=True)
    assert other.table("articles").source.tolist() == ["guardian"]
    third = Store(tmp_path / "s3")
    _ingest(third, outlet / "plain.txt")
    assert third.table("articles").source.tolist() == ["unknown"]


def test_csv_with_column_map_and_json_array(store, tmp_path):
    csv_file = tmp_path / "a.csv"
    csv_file.write_text(
        'headline,body,date,outlet\nKim,"Kim met Putin, they said.",2019-04-25,TASS\n',
        encoding="utf-8",
    )
    json_file = tmp_path / "b.json"
    json_file.write_text(json.dumps([{"text": "A second record.", "published": "Aug 16, 2022"}]))
    report = _ingest(
        store,
        csv_file,
        json_file,
        column_map={"text": "body", "title": "headline", "published": "date", "source": "outlet"},
    )
    assert report.ok and report.added == 2
    arts = store.table("articles").set_index("text")
    assert arts.loc["Kim met Putin, they said."].source == "TASS"
    assert arts.loc["Kim met Putin, they said."].title == "Kim"
    assert arts.loc["Kim met Putin, they said."].published == dt.date(2019, 4, 25)
    assert arts.loc["Kim met Putin, they said."].origin.endswith("a.csv#row2")


def test_html_main_text_title_and_date(store, tmp_path):
    body = " ".join(["Pyongyang said on Monday that Russia would send help."] * 8)
    html = f"""<html><head><title>Kim and Putin | Example News</title>
    <meta property="og:title" content="Kim and Putin">
    <meta property="article:published_time" content="2022-08-16T09:00:00Z">
    <meta property="og:url" content="https://www.example.com/news/kim-putin">
    <meta property="og:site_name" content="Example News"></head>
    <body><nav>Home | World | Sport</nav><article><h1>Kim and Putin</h1><p>{body}</p>
    <p>{body}</p></article><footer>Cookie policy</footer></body></html>"""
    f = tmp_path / "page.html"
    f.write_text(html, encoding="utf-8")
    report = _ingest(store, f)
    assert report.ok, report.summary()
    art = store.table("articles").iloc[0]
    assert art.title == "Kim and Putin"
    assert art.published == dt.date(2022, 8, 16)
    assert art.url == "https://www.example.com/news/kim-putin"
    assert art.source == "Example News"
    assert "Pyongyang said on Monday" in art.text and "Cookie policy" not in art.text


def test_zip_archive(store, tmp_path):
    z = tmp_path / "batch.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(BBC_SEED, "bbc/000.txt")
        zf.writestr("other/x.txt", "Another article about Japan.")
        zf.writestr("__MACOSX/._x.txt", b"\x00\x05junk")
    report = _ingest(store, z, source_from_folder=True)
    assert report.ok and report.added == 2
    origins = sorted(store.table("articles").origin)
    assert origins[0].endswith("batch.zip/bbc/000.txt")
    arts = store.table("articles")
    assert dict(zip(arts.origin.str.split(".zip/").str[1], arts.source, strict=True)) == {
        "bbc/000.txt": "BBC",
        "other/x.txt": "other",
    }


@pytest.mark.parametrize(
    "encoding, bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""), ("cp1252", b"")]
)
def test_encodings_are_detected(store, tmp_path, encoding, bom):
    text = "Le président a déclaré: “Nous sommes prêts” – à Genève, pour 5 € à l’hôtel."
    f = tmp_path / "a.txt"
    f.write_bytes(bom + (text + "\r\nSecond line é.\r\n").encode(encoding))
    report = _ingest(store, f)
    assert report.ok, report.summary()
    assert store.table("articles").text.iloc[0] == text + "\nSecond line é."


def test_unicode_is_nfc_normalised(store, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Cafe\u0301 in Mu\u0308nchen.", encoding="utf-8")
    _ingest(store, f)
    assert store.table("articles").text.iloc[0] == "Caf\u00e9 in M\u00fcnchen."
