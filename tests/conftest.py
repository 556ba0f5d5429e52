"""Shared fixtures: the seed articles, temporary stores, the corpora folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "samples"
CORPORA = REPO.parent / "shared" / "corpora"
BBC_SEED = SAMPLES / "000_8f9fb6364737de52.txt"
REWRITE_SEED = SAMPLES / "001_15fe88c0c738a859.txt"


@pytest.fixture(autouse=True)
def _isolated_store_env(monkeypatch, tmp_path_factory):
    """No test ever writes the real data/store: the default store points at a temp folder."""
    monkeypatch.setenv("PRESSLENS_STORE", str(tmp_path_factory.mktemp("default-store")))


@pytest.fixture
def store(tmp_path):
    from core.store import Store

    return Store(tmp_path / "store")


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory):
    """A store holding the two seed articles (built once per test session; read-only)."""
    from core.ingest import ingest_paths
    from core.store import Store

    s = Store(tmp_path_factory.mktemp("seed") / "store")
    report = ingest_paths([SAMPLES], store=s, progress=False, root=REPO)
    assert report.added == 2 and report.ok, report.summary()
    return s


def corpus_path(name: str) -> Path:
    """Path of a corpus under ../shared/corpora, skipping the test when it is absent."""
    path = CORPORA / name
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"corpus {name} missing at {path} (CI must have ../shared/corpora)")
        pytest.skip(f"corpus {name} not present at {path}")
    return path
