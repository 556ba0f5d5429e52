"""CLI: export in every format, stats, ingest with no path builds the sample store."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from core.cli import main
from core.schema import get_spec


@pytest.fixture
def sample_store(tmp_path):
    store = tmp_path / "store"
    assert main(["ingest", "--store", str(store)]) == 0  # no path: the bundled sample
    return store


@pytest.mark.parametrize("table", ["articles", "mentions", "dates", "countries", "sentences"])
def test_export_csv_to_stdout_has_the_schema_columns(sample_store, capsys, table):
    assert main(["export", table, "--store", str(sample_store)]) == 0
    df = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert list(df.columns) == get_spec(table).names


def test_export_jsonl_and_parquet_files(sample_store, tmp_path, capsys):
    assert main(["export", "articles", "--store", str(sample_store), "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted(r["published"] for r in rows) == ["2022-08-15", "2022-08-16"]
    out = tmp_path / "a.parquet"
    assert main(["export", "articles", "--store", str(sample_store), "-o", str(out)]) == 0
    df = pd.read_parquet(out)
    assert len(df) == 2 and list(df.columns) == get_spec("articles").names


def test_parquet_to_stdout_is_a_usage_error(sample_store):
    with pytest.raises(SystemExit) as exc:
        main(["export", "articles", "--store", str(sample_store), "--format", "parquet"])
    assert exc.value.code == 2


def test_stats_reports_rows_sources_and_range(sample_store, capsys):
    assert main(["stats", "--store", str(sample_store)]) == 0
    out = capsys.readouterr().out
    assert "articles: 2 rows" in out
    assert "published: 2022-08-15 .. 2022-08-16" in out
    assert "BBC (1)" in out and "unknown (1)" in out


def test_warm_builds_what_the_dashboard_reads_for_the_store_version(sample_store, tmp_path, capsys):
    from core.analytics.reuse.stories import group_store_stories
    from core.store import Store

    assert main(["warm", "--store", str(sample_store)]) == 0
    assert "built what the dashboard reads" in capsys.readouterr().err
    store = Store(sample_store)
    engine_files = list((sample_store / ".derived").glob("engine-*/*.duckdb"))
    assert engine_files  # the engine's tables are on disk for later processes
    assert len(group_store_stories(store)) == 2  # the two seeds, read back
    assert main(["warm", "--store", str(tmp_path / "nothing")]) == 2
    assert "no store at" in capsys.readouterr().err
