"""Bad input: a clear message naming the file, exit 1, and nothing stored is lost."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from core.cli import main
from tests.conftest import REPO, SAMPLES


@pytest.fixture
def seeded(tmp_path):
    store = tmp_path / "store"
    assert main(["ingest", str(SAMPLES), "--store", str(store)]) == 0
    return store


def _bad_inputs(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\n ")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "corrupt.zip").write_bytes(b"PK\x03\x04 this is not really a zip archive")
    (tmp_path / "no_text.csv").write_text("title,body\nA,B\n", encoding="utf-8")
    (tmp_path / "lines.jsonl").write_text(
        '{"text": "Good record about Chad."}\n[1, 2]\n{"text": ""}\nnot json\n', encoding="utf-8"
    )
    locked = tmp_path / "locked.txt"
    locked.write_text("secret", encoding="utf-8")
    locked.chmod(0)
    return {
        "empty.txt": "empty file",
        "blank.txt": "empty file",
        "binary.txt": "binary",
        "corrupt.zip": "zip",
        "no_text.csv": "no 'text' column",
        "lines.jsonl#L2": "not a JSON object",
        "lines.jsonl#L3": "missing or empty 'text'",
        "lines.jsonl#L4": "invalid JSON",
        "missing.txt": "no such file",
        "locked.txt": "permission denied",
    }


@pytest.mark.parametrize(
    "name",
    [
        "empty.txt",
        "blank.txt",
        "binary.txt",
        "corrupt.zip",
        "no_text.csv",
        "lines.jsonl#L2",
        "missing.txt",
        "locked.txt",
    ],
)
def test_each_bad_input_is_named_and_nothing_is_lost(seeded, tmp_path, capsys, name):
    expected = _bad_inputs(tmp_path)
    if name == "locked.txt" and os.geteuid() == 0:
        # root reads any file; make the path unreadable another way: a folder named like it.
        (tmp_path / "locked.txt").chmod(0o644)
        (tmp_path / "locked.txt").unlink()
        os.symlink(tmp_path / "nowhere" / "x", tmp_path / "locked.txt")
        expected["locked.txt"] = "dangling symbolic link"
    target = tmp_path / name.split("#")[0]
    from core.store import Store

    before = Store(seeded).table("articles")
    code = main(["ingest", str(target), "--store", str(seeded)])
    err = capsys.readouterr().err
    assert code == 1
    line = next(x for x in err.splitlines() if x.startswith("rejected:") and name in x)
    assert expected[name] in line
    after = Store(seeded).table("articles")
    assert set(before.article_id) <= set(after.article_id)
    assert len(after) == len(before) + (1 if name.startswith("lines.jsonl") else 0)


def test_cp1252_file_is_decoded_right(tmp_path, capsys):
    f = tmp_path / "legacy.txt"
    f.write_bytes("The minister’s “final” offer – €5bn – was rejected in Zürich.".encode("cp1252"))
    store = tmp_path / "store"
    assert main(["ingest", str(f), "--store", str(store)]) == 0
    from core.store import Store

    assert Store(store).table("articles").text.iloc[0] == (
        "The minister’s “final” offer – €5bn – was rejected in Zürich."
    )


def test_good_files_beside_bad_ones_are_still_stored(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Kim met Putin in Vladivostok.", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    store = tmp_path / "store"
    assert main(["ingest", str(folder), "--store", str(store)]) == 1
    err = capsys.readouterr().err
    assert "added 1 article(s)" in err and "empty.txt: empty file" in err


def test_usage_errors_exit_2(tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["ingest", str(SAMPLES), "--map", "body"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["export", "nonsense"])
    assert exc.value.code == 2


def test_console_entry_point_runs(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "core", "stats", "--store", str(tmp_path / "none")],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    # No store there: said in one line (not five empty tables), exit 2.
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.strip() == f"error: no store at {tmp_path / 'none'}; build one with " + (
        f"`python -m core ingest FILES --store {tmp_path / 'none'}`"
    )


def test_an_impossible_header_date_is_said_and_the_article_kept(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bad.txt").write_text(
        "Date: 2022-02-30\nTitle: Impossible date\n\nThe minister spoke in London.\n", "utf-8"
    )
    (folder / "good.txt").write_text(
        "Date: 2022-02-28\nTitle: A real date\n\nThe minister spoke in Paris.\n", "utf-8"
    )
    assert main(["ingest", str(folder), "--store", str(tmp_path / "store")]) == 0
    err = capsys.readouterr().err
    assert "bad.txt: the date line '2022-02-30' is not a date" in err
    assert "good.txt" not in err
    from core.store import Store

    articles = Store(tmp_path / "store").table("articles")
    files = articles["origin"].str.rsplit("/", n=1).str[-1]
    dates = dict(zip(files, articles["published"], strict=True))
    assert str(dates["good.txt"])[:10] == "2022-02-28"
    assert dates.keys() == {"bad.txt", "good.txt"} and str(dates["bad.txt"]) in ("NaT", "<NA>")
