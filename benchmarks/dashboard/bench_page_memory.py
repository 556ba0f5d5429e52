"""Open dashboard pages in turn in this process (Streamlit AppTest) on a store, and print each
page's first-run wall time, the process's RSS after it and its peak RSS.

    python benchmarks/dashboard/bench_page_memory.py STORE [PAGE ...]   (default: every page)

What a long-running dashboard process holds once visitors have opened its pages: run it after
``python -m core warm --store STORE``, else the warm-up builds the derived tables. The store is
opened first under a filter no article passes (the sidebar's lists are then cached, no page's
default view), and the pages are timed once the background warm-up it starts has finished, as
on a server that has been up for a while.
"""

from __future__ import annotations

import os
import resource
import sys
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[2]
PAGES = ("overview", "data", "mentions", "network", "sources", "dates", "articles")


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1].startswith("-") or not Path(sys.argv[1]).is_dir():
        sys.exit(__doc__)  # a store folder that exists, not an option (nor a new store)
    os.environ["PRESSLENS_STORE"] = sys.argv[1]
    sys.path.insert(0, str(REPO))
    from streamlit.testing.v1 import AppTest

    proc = psutil.Process()
    print(f"store {sys.argv[1]}; load {os.getloadavg()}")
    start = time.time()
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=900)
    at.query_params.update({"from": "1900-01-01", "to": "1900-01-01"})
    at.run()
    for thread in threading.enumerate():
        if thread.name == "presslens-warm-up":
            thread.join()
    print(
        f"store opened and warmed up: {time.time() - start:.1f} s, RSS "
        f"{proc.memory_info().rss / 1e6:,.0f} MB (peak "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:,.0f} MB)\n"
    )
    print("| page (in this order) | first run s | RSS after, MB | peak RSS, MB | errors |")
    print("| --- | ---: | ---: | ---: | --- |")
    for page in sys.argv[2:] or PAGES:
        start = time.time()
        at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=900)
        at.run()
        at.switch_page(f"pages/{page}.py").run()
        errors = [e.message for e in at.exception] + [e.value for e in at.error]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
        print(
            f"| {page} | {time.time() - start:.1f} | {proc.memory_info().rss / 1e6:,.0f} "
            f"| {peak:,.0f} | {errors[:2] or 'none'} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
