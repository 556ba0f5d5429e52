"""Progress: items done of a total that grows as record files and feeds are opened."""

from __future__ import annotations

import json
import zipfile

from core.ingest import ingest_paths
from core.ingest.workers.progress import IngestProgress, count_items


def _inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Kim met Putin in Vladivostok.", encoding="utf-8")
    (folder / "README.md").write_text("About.", encoding="utf-8")
    (folder / ".hidden.txt").write_text("Hidden.", encoding="utf-8")
    records = [{"text": f"Record number {i} about Chad."} for i in range(5)]
    (folder / "r.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    with zipfile.ZipFile(folder / "z.zip", "w") as z:
        z.writestr("x/b.txt", "Macron visited Algeria.")
        z.writestr("x/c.txt", "Lula spoke in Brasilia.")
        z.writestr("x/LICENSE.txt", "CC BY.")
    return folder


def test_count_items_before_reading(tmp_path):
    folder = _inputs(tmp_path)
    # a.txt, r.jsonl (one until opened), two zip members; README, hidden, LICENSE left out
    assert count_items([folder]) == 4
    assert count_items([folder / "a.txt", tmp_path / "missing.txt", "https://x.org/feed"]) == 3


def test_status_reaches_the_grown_total_with_rate(store, tmp_path, capsys):
    statuses: list[tuple[int, int, str]] = []

    def on_status(p: IngestProgress) -> None:
        statuses.append((p.done, p.total, p.describe()))

    report = ingest_paths([_inputs(tmp_path)], store=store, progress=True, on_status=on_status)
    assert report.added == 8
    done, total, text = statuses[-1]
    assert done == total == 8  # the jsonl counted as its 5 records once opened
    assert text.startswith("8 / 8 items · ") and text.endswith("/s")
    assert "8/8" in capsys.readouterr().err  # the terminal bar (tqdm) with its total


def test_describe_says_time_left():
    p = IngestProgress(done=5000, total=15000)
    p.started -= 1000  # 5 items/s: 10,000 to go is 2,000 s
    assert p.describe() == "5,000 / 15,000 items · 5/s · 33:20 left"
    assert IngestProgress(total=3).describe() == "0 / 3 items"
