"""Where extraction runs: in this process, in worker processes, or on a Dask cluster; and the
progress report of an ingest."""
