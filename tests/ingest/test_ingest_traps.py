"""No traps: non-articles skipped and listed, the sample replaced, stats on what is no store."""

from __future__ import annotations

import json
import zipfile

import pytest

from core.cli import main
from core.ingest import ingest_paths
from core.store import Store, default_store_path
from tests.conftest import SAMPLES, corpus_path


def _folder(tmp_path):
    folder = tmp_path / "corpus"
    (folder / "world").mkdir(parents=True)
    (folder / "world" / "001.txt").write_text("Kim met Putin in Vladivostok.", encoding="utf-8")
    (folder / "README.TXT").write_text("This corpus holds 1 article.", encoding="utf-8")
    (folder / "LICENSE").write_text("CC BY 4.0, see the website.", encoding="utf-8")
    (folder / "changelog.md").write_text("v2: fixed typos.", encoding="utf-8")
    (folder / ".notes.txt").write_text("my private notes", encoding="utf-8")
    (folder / ".git").mkdir()
    (folder / ".git" / "HEAD.txt").write_text("ref: refs/heads/main", encoding="utf-8")
    (folder / "changes_to_tax_law.txt").write_text("Taxes rose in France.", encoding="utf-8")
    return folder


def test_readme_license_changelog_and_hidden_files_are_skipped_and_listed(store, tmp_path):
    report = ingest_paths([_folder(tmp_path)], store=store, progress=False)
    assert report.ok and report.added == 2  # the article and the one merely named like a file
    skipped = {origin.rsplit("/", 1)[-1]: reason for origin, reason in report.skipped}
    assert set(skipped) == {"README.TXT", "LICENSE", "changelog.md", ".notes.txt", ".git"}
    assert "README" in skipped["README.TXT"] and "hidden" in skipped[".notes.txt"]
    assert "skipped: " in report.summary() and "5 file(s) skipped" in report.summary()


def test_non_articles_inside_a_zip_are_skipped(store, tmp_path):
    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("corpus/README.md", "About this corpus.")
        z.writestr("corpus/a.txt", "Kim met Putin in Vladivostok.")
    report = ingest_paths([path], store=store, progress=False)
    assert report.added == 1
    assert [o for o, _ in report.skipped] == [
        f"{report.skipped[0][0].split('/corpus')[0]}/corpus/README.md"
    ]


def test_a_readme_named_on_the_command_line_is_ingested(store, tmp_path):
    readme = tmp_path / "README.txt"
    readme.write_text("Kim met Putin in Vladivostok.", encoding="utf-8")
    report = ingest_paths([readme], store=store, progress=False)
    assert report.added == 1 and not report.skipped


def test_own_articles_replace_the_sample_in_the_default_store(tmp_path, capsys):
    assert main(["ingest"]) == 0  # what the dashboard does on first start
    assert len(Store().table("articles")) == 2
    folder = _folder(tmp_path)
    assert main(["ingest", str(folder)]) == 0
    err = capsys.readouterr().err
    assert "held only the bundled sample" in err
    arts = Store().table("articles")
    assert sorted(arts.text) == ["Kim met Putin in Vladivostok.", "Taxes rose in France."]
    assert Store().path == default_store_path()
    # Once the store holds the user's articles, later ingests add to them.
    more = tmp_path / "more.txt"
    more.write_text("A third article about Chad.", encoding="utf-8")
    assert main(["ingest", str(more)]) == 0
    assert "bundled sample" not in capsys.readouterr().err
    assert len(Store().table("articles")) == 3


def test_an_explicit_store_keeps_the_sample(tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["ingest", str(SAMPLES), "--store", str(store)]) == 0
    assert main(["ingest", str(_folder(tmp_path)), "--store", str(store)]) == 0
    assert "bundled sample" not in capsys.readouterr().err
    assert len(Store(store).table("articles")) == 4


def _exit_code(argv: list[str]) -> int:
    """``main``'s exit code, whether it returns it or exits through argparse."""
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code)


def test_stats_on_a_folder_that_is_no_store_exits_2(tmp_path, capsys):
    folder = _folder(tmp_path)
    assert _exit_code(["stats", "--store", str(folder)]) == 2
    assert str(folder) in capsys.readouterr().err
    assert _exit_code(["ingest", str(SAMPLES), "--store", str(folder)]) == 2
    assert not (folder / "batches").exists()


def test_stats_json(seed_store, capsys):
    assert main(["stats", "--store", str(seed_store.path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["rows"]["articles"] == 2 and set(out["rows"]) >= {"articles", "article_meta"}
    assert sum(out["sources"].values()) == 2
    assert out["published"]["first"] <= out["published"]["last"]


@pytest.mark.corpus
def test_bbc_news_by_folder_without_its_readme(tmp_path):
    import tarfile

    archive = corpus_path("bbc") / "bbc-fulltext.tar.xz"
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "x", filter="data")
    store = Store(tmp_path / "store")
    report = ingest_paths(
        [tmp_path / "x" / "bbc"], store=store, source_from_folder=True, progress=False
    )
    assert report.ok and [o.rsplit("/", 1)[-1] for o, _ in report.skipped] == ["README.TXT"]
    assert report.added + report.duplicates == 2225 and report.duplicates > 0
    sources = set(store.table("articles").source)
    assert sources == {"business", "entertainment", "politics", "sport", "tech"}
