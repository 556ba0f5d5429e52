"""What ``bench_dashboard.py --store DIR`` adds for a store it did not build (a million articles,
say): interactions taken from the store's own sources, entities and dates, and the first view of
every page in Chromium on a server that has finished its warm-up, with the server's memory.

Imported by ``bench_dashboard.py`` (beside it); not a benchmark of its own.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

# Every page of dashboard.py, the overview first; pages without a chart by default are timed to
# the end of their script run only.
STORE_PAGES = ["overview", "mentions", "articles", "network", "sources", "dates", "data"]
CHARTLESS = {"articles", "data"}
# The server's first visit opens the store (and starts its background warm-up) under a filter no
# article passes, so that no page's default view is cached before it is timed; only the sidebar's
# unfiltered lists are, as on any server that has had a visitor.
OPENING_VISIT = "/?from=1900-01-01&to=1900-01-01"
DONE = (
    "document.querySelector('[data-testid=stApp]')"
    "?.getAttribute('data-test-script-state') === 'notRunning'"
)
# Charts mount once plotly.js has loaded (a placeholder until then): no placeholder left, and
# every chart has drawn.
ALL_DRAWN = (
    "(() => { const c = document.querySelectorAll('[data-testid=stPlotlyChart]');"
    " return !document.querySelector('[data-testid^=stSkeleton]') && c.length > 0"
    " && Array.from(c).every(e => e.querySelector('.main-svg')); })()"
)


def store_interactions(store_path: Path) -> list[tuple[str, dict]]:
    """The interactions of ``bench_dashboard.INTERACTIONS``, with this store's own values.

    Returns: (page, URL query params) pairs: the two largest sources, the top entities, the
    last year of publication dates, a word of the top entity's name.
    """
    from core.analytics.frequencies import count_articles, count_mentions, summarise_corpus
    from core.analytics.query.filters import Filter
    from core.store import Store

    store = Store(store_path)
    by_source = count_articles(store, Filter(), freq=None, by_source=True)
    sources = list(by_source.sort_values("n_articles", ascending=False)["source"].astype(str))
    top = [str(e) for e in count_mentions(store, Filter(), by=("entity",), top=3)["entity"]]
    last = summarise_corpus(store, Filter()).get("date_to")
    one, two = sources[0], (sources[1:] or sources)[0]

    def flt(**fields) -> dict:
        return Filter(**fields).to_params()

    year: dict = {}
    if last is not None:
        end = dt.date.fromisoformat(str(last)[:10])
        year = flt(date_from=end - dt.timedelta(days=365), date_to=end)
    word = top[0].split()[-1].lower() if top else "the"
    return [
        ("overview", flt(sources=(one,))),
        *([("overview", year)] if year else []),
        ("overview", {"q": word}),
        ("overview", {"kind": "person", "freq": "week"}),
        ("mentions", {"split": "yes", "metric": "share_articles"}),
        *([("mentions", {"focus": top[0], **flt(sources=(one,))})] if top else []),
        *([("mentions", {"entity": top[-1], "freq": "day"})] if top else []),
        ("articles", {"sort": "n_mentions"}),
        ("network", {"min_support": "5"}),
        ("network", {"window": "paragraph", "weight": "pmi"}),
        ("network", {"window": "article", "min_support": "3", **flt(sources=(one,))}),
        *([("network", {"node": top[0]})] if top else []),
        ("sources", {"unit": "term"}),
        ("sources", flt(sources=(one, two))),
        ("dates", {"freq": "year"}),
        ("dates", {"freq": "month", **flt(sources=(one,))}),
        ("data", {"table": "sentences"}),
        ("data", {"table": "dates", **flt(sources=(one,))}),
    ]


def _status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system, every thread) the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / 100  # utime, stime in clock ticks (USER_HZ 100)


def wait_until_idle(pid: int, *, window_s: float = 3.0, below: float = 0.05, limit_s: float = 1800):
    """Wait until the process used less than ``below`` of a core over ``window_s`` seconds.

    Returns: the seconds waited.
    """
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit_s:
        before = _cpu_s(pid)
        time.sleep(window_s)
        if _cpu_s(pid) - before < below * window_s:
            return time.perf_counter() - t0
    raise TimeoutError(f"the server was still busy after {limit_s:.0f} s")


def time_page_views(
    start: Callable[[], tuple[subprocess.Popen, str]],
    *,
    chromium: str,
    browser_args: list[str],
    pages: list[str] = STORE_PAGES,
    timeout_s: float = 900,
) -> dict:
    """The first view of every page on a server that has finished its warm-up, then a second
    visitor's; each visit a fresh browser context, timed from navigation to the end of the
    script run with every chart drawn.

    ``start()`` starts the server and returns (process, base URL). Returns: {"opening": ms of
    the server's first visit (store opened), "warm_up_s": seconds until the server was idle
    after it, "rss_start", "rss_warm": MB,
    "peak_warm": its peak RSS (VmHWM) by then, "rows": [(page, visit, ms, RSS after, peak
    RSS by then, MB)], "peak": the server's peak RSS at the end, MB}.
    """
    from playwright.sync_api import sync_playwright

    proc, base = start()
    out: dict = {"rows": []}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=browser_args)

            def visit(path: str, charts: bool) -> float:
                ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = ctx.new_page()
                t0 = time.perf_counter()
                page.goto(base + path, timeout=timeout_s * 1000)
                page.wait_for_function(DONE, timeout=timeout_s * 1000, polling=50)
                if charts:
                    page.wait_for_function(ALL_DRAWN, timeout=timeout_s * 1000, polling=50)
                ms = (time.perf_counter() - t0) * 1000
                ctx.close()
                return ms

            out["rss_start"] = _status_mb(proc.pid, "VmRSS")
            t0 = time.perf_counter()
            out["opening"] = visit(OPENING_VISIT, charts=False)
            wait_until_idle(proc.pid)
            out["warm_up_s"] = time.perf_counter() - t0
            out["rss_warm"] = _status_mb(proc.pid, "VmRSS")
            out["peak_warm"] = _status_mb(proc.pid, "VmHWM")
            for rnd in ("first view", "next visitor"):
                for name in pages:
                    path = "/" if name == "overview" else f"/{name}"
                    ms = visit(path, charts=name not in CHARTLESS)
                    rss, peak = _status_mb(proc.pid, "VmRSS"), _status_mb(proc.pid, "VmHWM")
                    out["rows"].append((name, rnd, ms, rss, peak))
            browser.close()
        out["peak"] = _status_mb(proc.pid, "VmHWM")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return out


def time_floor(
    start: Callable[[], tuple[subprocess.Popen, str]],
    *,
    chromium: str,
    browser_args: list[str],
    visits: int = 4,
) -> list[float]:
    """The floor of this machine and harness: a one-chart app's page, timed as the pages are.

    Returns: ms of each visit (a fresh context each; the first is the server's first visit).
    """
    from playwright.sync_api import sync_playwright

    proc, base = start()
    times = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=browser_args)
            for _ in range(visits):
                ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = ctx.new_page()
                t0 = time.perf_counter()
                page.goto(base + "/")
                page.wait_for_function(DONE, timeout=120_000, polling=50)
                page.wait_for_function(ALL_DRAWN, timeout=120_000, polling=50)
                times.append((time.perf_counter() - t0) * 1000)
                ctx.close()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return times


def print_page_views(result: dict, load_before: tuple) -> None:
    """Print :func:`time_page_views`' result as Markdown tables."""
    import os

    print(
        f"\nserver's first visit ({OPENING_VISIT}: store opened): {result['opening']:.0f} ms; "
        f"idle {result['warm_up_s']:.1f} s after navigation; RSS {result['rss_start']:.0f} MB "
        f"at start, {result['rss_warm']:.0f} MB after the warm-up (peak {result['peak_warm']:.0f})"
    )
    print(
        "\n| page | visit (a fresh browser context) | to drawn, ms | server RSS after, MB | peak |"
    )
    print("| --- | --- | ---: | ---: | ---: |")
    for name, rnd, ms, rss, peak in result["rows"]:
        print(f"| {name} | {rnd} | {ms:,.0f} | {rss:,.0f} | {peak:,.0f} |")
    firsts = [row[2] for row in result["rows"] if row[1] == "first view"]
    after = max(row[3] for row in result["rows"])
    print(
        f"\nslowest first view {max(firsts):,.0f} ms; server RSS at most {after:,.0f} MB after a "
        f"page (goal <= 2,048 MB: {'met' if after <= 2048 else 'NOT met'}), peak "
        f"{result['peak']:,.0f} MB; load average {load_before} before, {os.getloadavg()} after"
    )


def measure_store(
    store_path: Path,
    *,
    start: Callable[[], tuple[subprocess.Popen, str]],
    start_floor: Callable[[], tuple[subprocess.Popen, str]],
    time_server_side: Callable[..., list[tuple[str, str, float]]],
    browser: bool,
    chromium: str,
    browser_args: list[str],
    server_side: bool,
) -> None:
    """``bench_dashboard.py --store DIR``: the browser's first view of every page (a server
    started by ``start()``), then every page and interaction server-side (AppTest)."""
    import os

    from core.store import Store

    load = os.getloadavg()
    print(f"store {store_path}: {Store(store_path).counts()}; load average {load}", flush=True)
    if browser:
        result = time_page_views(start, chromium=chromium, browser_args=browser_args)
        print_page_views(result, load)
        floor = time_floor(start_floor, chromium=chromium, browser_args=browser_args)
        print(
            "one-chart hello-world app, same harness (server's first visit, then new visitors): "
            + ", ".join(f"{ms:,.0f}" for ms in floor)
            + " ms",
            flush=True,
        )
    if not server_side:
        return
    rows = time_server_side(
        store_path, pages=STORE_PAGES, interactions=store_interactions(store_path), timeout=900
    )
    print("\n| page | view / interaction (URL params) | server-side ms |")
    print("| --- | --- | ---: |")
    for page, what, ms in rows:
        print(f"| {page} | {what} | {ms:,.0f} |")
    interactions = rows[2 + 2 * len(STORE_PAGES) :]
    print(
        f"\nmax over interactions: {max(ms for *_, ms in interactions):,.0f} ms; over 500 ms: "
        + (", ".join(f"{p} {w}" for p, w, ms in interactions if ms > 500) or "none")
        + f"; load average {os.getloadavg()}"
    )
