"""The bundled sample in the default store: replaced, not mixed, when the user ingests their own.

A new user's first ``ingest my_articles/`` into the default store would otherwise add their
corpus to the two sample articles the dashboard built, and every chart would include them.
"""

from __future__ import annotations

import shutil
import uuid

from core.store import SAMPLES, Store


def sample_article_ids() -> set[str]:
    """Return the ids of the bundled sample's articles (read from ``data/samples``)."""
    from core.ingest import IngestReport, read_articles
    from core.ingest.sources.inputs import iter_inputs

    report = IngestReport()
    return {
        row["article_id"]
        for row in read_articles(iter_inputs([SAMPLES], root=SAMPLES.parents[1]), report=report)
    }


def find_sample_batches(store: Store) -> list[str]:
    """Return the batches of ``store`` when it holds the bundled sample and nothing else.

    Returns: batch ids, oldest first; empty when the store is empty or holds other articles.
    """
    batches = store.batch_ids()
    if not batches:
        return []
    stored = store.article_ids()
    if not stored or stored != sample_article_ids():
        return []
    return batches


def drop_batches(store: Store, batch_ids: list[str]) -> None:
    """Remove committed batches: each is first renamed out of ``batches/`` (atomic, so a
    reader sees it whole or not at all), then deleted."""
    trash = store.staging_dir / f"dropped-{uuid.uuid4().hex[:8]}"
    trash.mkdir(parents=True, exist_ok=True)
    for batch_id in batch_ids:
        source = store.batches_dir / batch_id
        if source.is_dir():
            source.rename(trash / batch_id)
    shutil.rmtree(trash, ignore_errors=True)
