"""Benchmark the dashboard: server-side time of every page run and interaction, first page load
in a real browser, and the server's memory.

Builds a temporary store from ``../shared/corpora/bbc`` (2,225 BBC articles, source "BBC", no
dates) and ``../shared/corpora/basil`` (300 articles from Fox News, The New York Times and
HuffPost, converted to JSON lines in the temp folder; research-only, never copied into the repo).

1. Server side (Streamlit ``AppTest``, no browser): every page with the default filter, cold
   (data cache cleared; the per-store query engine stays warm, as on a running server) and
   cached; then interactions (a new filter or page option through the URL), each a combination
   nobody asked for before, so every call that depends on it misses the cache, while calls that
   do not (the sidebar's lists, story groups) stay cached as on a running server. Timing starts
   once the background warm-up that opening the store starts (query engine, pair tables, word
   counts, story groups persisted under the store folder) has finished, as on a server that
   has been up for a while; its duration is printed. Target: <= 500 ms each.
2. Browser: ``streamlit run dashboard.py -- --store <that store>`` on a free port, then each page
   opened in a fresh Chromium context, timed from navigation to the end of the script run with
   every chart drawn. Target: <= 3 s. Then the server's RSS; also with the bundled sample.

    python benchmarks/dashboard/bench_dashboard.py [--keep DIR] [--no-browser]

``--store DIR`` measures an existing store as it is instead (a million articles, say): nothing
built and nothing deleted (its derived tables are kept: run ``python -m core warm`` after an
ingest), every page, interactions derived from the store's own sources, entities and dates,
and in the browser the first view of every page on a server that has finished its warm-up,
with the server's RSS after the warm-up and after every page.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORPORA = REPO.parent / "shared" / "corpora"
sys.path.insert(0, str(REPO))

PAGES = ["overview", "mentions", "network", "sources", "dates", "data"]
# (page, query params) of the interactions timed after each page's default view.
INTERACTIONS = [
    ("overview", {"source": "Fox News"}),
    ("overview", {"country": "USA"}),
    ("overview", {"from": "2015-01-01", "to": "2016-12-31"}),
    ("overview", {"q": "election"}),
    ("overview", {"kind": "person", "freq": "week"}),
    ("mentions", {"split": "yes", "metric": "share_articles"}),
    ("mentions", {"focus": "Barack Obama", "source": "HuffPost"}),
    ("mentions", {"entity": "Iraq", "freq": "day"}),
    ("network", {"min_support": "5"}),
    ("network", {"window": "paragraph", "weight": "pmi"}),
    ("network", {"window": "article", "source": "Fox News", "min_support": "3"}),
    ("network", {"node": "Russia"}),
    ("sources", {"unit": "term"}),
    ("sources", {"stories": "1"}),
    ("sources", {"source": "Fox News,The New York Times"}),
    ("dates", {"freq": "year"}),
    ("dates", {"freq": "month", "source": "HuffPost"}),
    ("data", {"table": "sentences"}),
    ("data", {"table": "dates", "source": "BBC"}),
]
# The same system Chromium and flags as the browser tests (never `playwright install`).
from tests.streamlit_server import ARGS as BROWSER_ARGS  # noqa: E402
from tests.streamlit_server import CHROMIUM  # noqa: E402


def write_basil_jsonl(folder: Path) -> Path:
    """BASIL's convenience file as ingestable JSON lines (text, title, source, published, url)."""
    out = folder / "basil.jsonl"
    with (
        gzip.open(CORPORA / "basil" / "basil-articles.jsonl.gz", "rt", encoding="utf-8") as src,
        out.open("w", encoding="utf-8") as dst,
    ):
        for line in src:
            rec = json.loads(line)
            paragraphs = [" ".join(p) for p in rec["paragraphs"]]
            if paragraphs and paragraphs[0].strip() == rec["title"].strip():
                paragraphs = paragraphs[1:]  # some Fox articles repeat the title
            dst.write(
                json.dumps(
                    {
                        "text": "\n\n".join(paragraphs),
                        "title": rec["title"],
                        "source": rec["outlet_name"],
                        "published": rec["date"],
                        "url": rec["url"],
                    }
                )
                + "\n"
            )
    return out


def build_store(path: Path, work: Path) -> None:
    """Ingest BBC (source "BBC") and BASIL into ``path``."""
    from core.ingest import ingest_paths
    from core.store import Store

    store = Store(path)
    with tarfile.open(CORPORA / "bbc" / "bbc-fulltext.tar.xz") as tar:
        tar.extractall(work / "bbc", filter="data")
    t0 = time.perf_counter()
    bbc = ingest_paths([work / "bbc"], store=store, source="BBC", progress=False)
    basil = ingest_paths([write_basil_jsonl(work)], store=store, progress=False)
    print(
        f"ingested BBC {bbc.added} + BASIL {basil.added} articles in "
        f"{time.perf_counter() - t0:.0f} s ({len(bbc.rejected) + len(basil.rejected)} rejected)"
    )


def time_server_side(
    store_path: Path,
    *,
    pages: list[str] = PAGES,
    interactions: list[tuple[str, dict]] = INTERACTIONS,
    timeout: float = 120,
) -> list[tuple[str, str, float]]:
    """Run every page and interaction with AppTest; return (page, params, ms) rows."""
    import logging

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["PRESSLENS_STORE"] = str(store_path)
    # AppTest runs without a server; its "no runtime" warnings would drown the results.
    from streamlit import logger as st_logger

    st_logger.set_log_level(logging.ERROR)
    rows = []

    def run(page: str, params: dict, *, clear: bool = False) -> float:
        at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=timeout)
        # The default page first (AppTest can only switch pages after a run), without the
        # params: with them, it would fill the cache of the overview's interactions it times.
        at.run()
        for k, v in params.items():
            at.query_params[k] = v
        if clear:
            st.cache_data.clear()
        t0 = time.perf_counter()
        at.switch_page(f"pages/{page}.py").run()
        ms = (time.perf_counter() - t0) * 1000
        assert not at.exception, (page, params, [e.message for e in at.exception])
        return ms

    # The very first run builds the per-store query engine (the cost of a server's first visitor).
    t0 = time.perf_counter()
    AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=timeout).run()
    rows.append(("(first run: engine build)", "overview", (time.perf_counter() - t0) * 1000))
    # Opening the store started the background warm-up (pair tables, word counts, story groups);
    # a running server has long finished it, so the timings below start once it is done.
    for thread in threading.enumerate():
        if thread.name == "presslens-warm-up":
            thread.join()
    rows.append(
        ("(background warm-up, from the first run)", "-", (time.perf_counter() - t0) * 1000)
    )
    for page in pages:
        rows.append((page, "default, cold", run(page, {}, clear=True)))
    for page in pages:
        rows.append((page, "default, cached", run(page, {})))
    for page, params in interactions:
        rows.append((page, "&".join(f"{k}={v}" for k, v in params.items()), run(page, params)))
    return rows


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _popen_streamlit(
    script: Path, store_args: list[str], env: dict
) -> tuple[subprocess.Popen, str]:
    """``streamlit run SCRIPT -- STORE_ARGS`` on 127.0.0.1 and a free port (not yet answering).

    Returns: (the server process, its base URL).
    """
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)]
        + ["--server.address", "127.0.0.1", "--server.headless", "true", "--", *store_args],
        cwd=script.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return proc, f"http://127.0.0.1:{port}"


def time_browser(
    store_args: list[str], env: dict, *, script: Path = REPO / "dashboard.py", pages=PAGES
) -> tuple[list[tuple[str, float]], float, float]:
    """First load of every page in fresh browser contexts; returns (rows, rss_mb, peak_mb)."""
    from playwright.sync_api import sync_playwright

    proc, base = _popen_streamlit(script, store_args, env)
    peak = 0.0
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        done = (
            "document.querySelector('[data-testid=stApp]')"
            "?.getAttribute('data-test-script-state') === 'notRunning'"
        )
        # Charts mount once plotly.js has loaded (a placeholder until then): no placeholder left,
        # and every chart has drawn.
        all_drawn = (
            "(() => { const c = document.querySelectorAll('[data-testid=stPlotlyChart]');"
            " return !document.querySelector('[data-testid^=stSkeleton]') && c.length > 0"
            " && Array.from(c).every(e => e.querySelector('.main-svg')); })()"
        )
        rows = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
            for rnd in ("first visitor", "next visitor"):
                for page_name in pages:
                    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                    page = ctx.new_page()
                    path = "/" if page_name == "overview" else f"/{page_name}"
                    t0 = time.perf_counter()
                    page.goto(base + path)
                    page.wait_for_function(done, timeout=120_000, polling=50)
                    if page_name != "data":  # every chart drawn, not just the first
                        page.wait_for_function(all_drawn, timeout=60_000, polling=50)
                    rows.append((f"{page_name} ({rnd})", (time.perf_counter() - t0) * 1000))
                    peak = max(peak, _rss_mb(proc.pid))
                    ctx.close()
            browser.close()
        return rows, _rss_mb(proc.pid), peak
    finally:
        proc.terminate()
        proc.wait(timeout=20)


HELLO = (
    "import plotly.express as px\nimport streamlit as st\n"
    "st.title('Hello')\nst.plotly_chart(px.bar(x=['a', 'b'], y=[1, 2]))\n"
)
FIRST_CHART = (
    "(() => { const c = document.querySelector('[data-testid=stPlotlyChart] .main-svg');"
    " return c !== null; })()"
)


def _start(script: Path, store_args: list[str], env: dict) -> tuple[subprocess.Popen, str]:
    proc, base = _popen_streamlit(script, store_args, env)
    for _ in range(400):
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                return proc, base
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError(f"{script} did not start")


def time_first_view(store_args: list[str], env: dict, work: Path, *, rounds: int = 6) -> dict:
    """Time to the first drawn chart of ``/mentions`` against a one-chart hello-world app.

    Both servers run side by side; each visit is a fresh browser context (a new visitor), the
    two apps visited alternately (which goes first flips every round), so a busy moment of the
    shared machine hits both. The very first visit of each server (imports, query engine) is
    reported apart. Returns: {"app": [ms…], "hello": [ms…], "cold": {...}, "ratios": [...]}.
    """
    from playwright.sync_api import sync_playwright

    hello = work / "hello_first_view" / "hello.py"
    hello.parent.mkdir(exist_ok=True)
    hello.write_text(HELLO)
    app, app_base = _start(REPO / "dashboard.py", store_args, env)
    hi, hi_base = _start(hello, [], env)
    urls = {"app": app_base + "/mentions", "hello": hi_base + "/"}
    out: dict = {"app": [], "hello": [], "cold": {}}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)

            def visit(name: str) -> float:
                ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = ctx.new_page()
                t0 = time.perf_counter()
                page.goto(urls[name])
                page.wait_for_function(FIRST_CHART, timeout=120_000, polling=20)
                ms = (time.perf_counter() - t0) * 1000
                ctx.close()
                return ms

            for name in ("hello", "app"):
                out["cold"][name] = visit(name)
            for rnd in range(rounds):
                order = ("app", "hello") if rnd % 2 else ("hello", "app")
                for name in order:
                    out[name].append(visit(name))
            browser.close()
    finally:
        for proc in (app, hi):
            proc.terminate()
            proc.wait(timeout=20)
    out["ratios"] = [a / h for a, h in zip(out["app"], out["hello"], strict=True)]
    return out


def print_first_view(result: dict) -> None:
    import statistics

    app, hello = result["app"], result["hello"]
    print("\n| visit | /mentions first chart ms | hello-world chart ms | ratio |")
    print("| --- | ---: | ---: | ---: |")
    cold = result["cold"]
    print(
        f"| server's first visit | {cold['app']:.0f} | {cold['hello']:.0f} | "
        f"{cold['app'] / cold['hello']:.2f} |"
    )
    for i, (a, h) in enumerate(zip(app, hello, strict=True), 1):
        print(f"| new visitor {i} | {a:.0f} | {h:.0f} | {a / h:.2f} |")
    ratio = statistics.median(app) / statistics.median(hello)
    print(
        f"\nmedian {statistics.median(app):.0f} ms vs {statistics.median(hello):.0f} ms: "
        f"ratio of medians {ratio:.2f} (per-pair {min(result['ratios']):.2f}–"
        f"{max(result['ratios']):.2f}); target <= 1.3: {'met' if ratio <= 1.3 else 'NOT met'}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build (or reuse) the store in this folder")
    parser.add_argument(
        "--store",
        type=Path,
        help="measure this existing store as it is: nothing built or deleted (its derived "
        "tables kept), every page, interactions from its own sources, entities and dates",
    )
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument(
        "--no-server-side", action="store_true", help="with --store: the browser only"
    )
    parser.add_argument(
        "--first-view",
        type=int,
        metavar="ROUNDS",
        help="only time the first chart of /mentions against a hello-world app, ROUNDS visits "
        "each, alternately (the store: --keep DIR, else the bundled sample)",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="presslens-bench-dashboard-"))
    if args.store and not args.first_view:
        import dashboard_views

        env = {**os.environ, "TMPDIR": str(work)}
        hello = work / "hello" / "hello.py"
        hello.parent.mkdir()
        hello.write_text(HELLO)
        try:
            dashboard_views.measure_store(
                args.store,
                start=lambda: _start(REPO / "dashboard.py", ["--store", str(args.store)], env),
                start_floor=lambda: _start(hello, [], env),
                time_server_side=time_server_side,
                browser=not args.no_browser and Path(CHROMIUM).exists(),
                chromium=str(CHROMIUM),
                browser_args=BROWSER_ARGS,
                server_side=not args.no_server_side,
            )
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return
    if args.first_view:
        try:
            env = {**os.environ, "TMPDIR": str(work)}
            if args.keep:
                store_args = ["--store", str(args.keep)]
            else:
                store_args = []
                env["PRESSLENS_STORE"] = str(work / "sample-store")
            print_first_view(time_first_view(store_args, env, work, rounds=args.first_view))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return
    try:
        store_path = args.keep or work / "store"
        if not (store_path / "batches").is_dir():
            build_store(store_path, work)
        from core.analytics.reuse.stories import DERIVED_DIR
        from core.store import Store

        print("store rows:", Store(store_path).counts())
        # Story groups persisted by an earlier run would skip the work the warm-up is timed on.
        shutil.rmtree(store_path / DERIVED_DIR, ignore_errors=True)
        rows = time_server_side(store_path)
        print("\n| page | view / interaction (URL params) | server-side ms |")
        print("| --- | --- | ---: |")
        for page, what, ms in rows:
            print(f"| {page} | {what} | {ms:.0f} |")
        interactions = [ms for page, what, ms in rows[14:]]
        print(
            f"\nmax over interactions: {max(interactions):.0f} ms; target <= 500 ms: "
            f"{'met' if max(interactions) <= 500 else 'NOT met'}; over 500 ms: "
            + (", ".join(f"{p} {w}" for p, w, ms in rows[14:] if ms > 500) or "none")
        )
        if args.no_browser or not Path(CHROMIUM).exists():
            return
        env = {**os.environ, "TMPDIR": str(work)}
        browser_rows, rss, peak = time_browser(["--store", str(store_path)], env)
        print("\n| page (fresh browser context) | first load ms |")
        print("| --- | ---: |")
        for name, ms in browser_rows:
            print(f"| {name} | {ms:.0f} |")
        worst = max(ms for _, ms in browser_rows)
        print(
            f"\nmax first load: {worst:.0f} ms; target <= 3000 ms: "
            f"{'met' if worst <= 3000 else 'NOT met'}"
        )
        print(f"streamlit RSS with bbc+basil after all pages: {rss:.0f} MB (peak seen {peak:.0f})")
        # The floor on this machine: a one-chart Streamlit app, timed the same way.
        hello = work / "hello" / "hello.py"
        hello.parent.mkdir()
        hello.write_text(
            "import plotly.express as px\nimport streamlit as st\n"
            "st.title('Hello')\nst.plotly_chart(px.bar(x=['a', 'b'], y=[1, 2]))\n"
        )
        floor, _, _ = time_browser([], env, script=hello, pages=["overview"])
        print(
            "one-chart hello-world app, same harness: "
            + ", ".join(f"{name} {ms:.0f} ms" for name, ms in floor)
        )
        sample_env = {**env, "PRESSLENS_STORE": str(work / "sample-store")}
        _, rss_sample, peak_sample = time_browser([], sample_env)
        print(
            f"streamlit RSS with the bundled sample after all pages: {rss_sample:.0f} MB "
            f"(peak seen {peak_sample:.0f}); Community Cloud limit 690 MB"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
