"""The dask engine: extraction as tasks on a ``dask.distributed`` cluster (``--engine dask``).

The client (the ingest process) reads the inputs, ships each batch's article frame to a worker
and commits the finished batches itself, in order, through ``core.ingest.workers.engines``'
``ExtractionPipeline``: the same store and guarantees as a local ingest. Each worker process
keeps its extractors (built on its first task) between tasks.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from core.ingest.workers.engines import Result, default_workers, extract_batch

__all__ = ["DaskEngine"]


def _extract_on_dask_worker(articles: pd.DataFrame, mentions: str, dates: str) -> Result:
    """``extract_batch`` on a dask worker, its name added to where it ran."""
    from distributed import get_worker

    articles, tables, failed, where = extract_batch(articles, mentions, dates)
    return articles, tables, failed, f"{get_worker().address} ({where})"


class DaskEngine:
    """Extraction as tasks on a ``dask.distributed`` cluster.

    ``scheduler`` is the address of a running scheduler (``tcp://host:8786``); without it a
    ``LocalCluster`` of ``workers`` single-threaded worker processes is started on 127.0.0.1
    and stopped by :meth:`close`. The workers need Presslens installed (same version).
    """

    name = "dask"
    lazy = False

    def __init__(
        self,
        *,
        scheduler: str | None = None,
        workers: int | None = None,
        mentions: str = "gazetteer",
        dates: str = "rules",
        timeout: float = 30.0,
    ) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - dask is in requirements.txt
            raise RuntimeError(
                "--engine dask needs dask.distributed: pip install 'dask[distributed]'"
            ) from exc
        self._cluster = None
        if scheduler:
            self.client = Client(scheduler, timeout=timeout)
        else:
            self._cluster = LocalCluster(
                n_workers=workers or default_workers(),
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                scheduler_port=0,
                dashboard_address=None,
            )
            self.client = Client(self._cluster, timeout=timeout)
        self.client.wait_for_workers(1, timeout=timeout)
        threads = sum(w["nthreads"] for w in self.client.scheduler_info()["workers"].values())
        self.max_in_flight = 2 * max(1, threads)
        self.placements: Counter[str] = Counter()

    def submit(self, articles: pd.DataFrame, *, mentions: str, dates: str) -> Any:
        # pure=False: two batches are never the same task, whatever their content.
        return self.client.submit(_extract_on_dask_worker, articles, mentions, dates, pure=False)

    def result(self, handle: Any) -> Result:
        out = handle.result()
        handle.release()
        return out

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
