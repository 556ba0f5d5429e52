"""Load benchmark: N concurrent visitors of one dashboard (issue 18.7).

    python benchmarks/dashboard/bench_load.py --store STORE [--sessions 1 5 20] [--views 8]
        [--pause 5]
    python benchmarks/dashboard/bench_load.py --url http://127.0.0.1:PORT ...
        (a running server or proxy)

Each visitor is a cheap client of Streamlit's own websocket protocol (``/_stcore/stream``,
``BackMsg`` / ``ForwardMsg`` protobufs from ``streamlit.proto``), exactly what a browser tab
sends: it opens a session, asks for a page with a query string, and reads the server's messages
until the page run's ``script_finished``. A visitor walks a fixed tour of the pages and filter
changes (chosen from the store's own sources and entities, so no corpus name is hard-coded),
pausing ``--pause`` seconds (±20 %, so the visitors drift apart) between views. A filter change
or a click is a new query string on the same session: the dashboard keeps all its state in the
URL, and a widget's callback does nothing but rewrite it (``pages/ui/widgets.py``).

Reported per number of sessions: p50 / p95 / max time from a request to its finished page run,
errors (a page that shows an exception or the dashboard's "Sorry, something went wrong", a
closed socket, or no answer within ``--timeout``), and the server's peak RSS (all processes of
the server, sampled every 0.5 s). Without ``--url`` the benchmark starts one server on a free
127.0.0.1 port and stops it at the end; the server is warmed by one visitor first (the first
visit of a fresh server builds the query engine: docs/benchmarks.md times that apart).

``--backends K`` starts K server processes behind nginx (sticky per browser cookie, websocket
upgrade; the configuration is the one docs/reliability.md describes) and drives the proxy.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

FAILED_TEXT = "Sorry, something went wrong"


@dataclass
class Results:
    """What all visitors measured: one entry of ``times`` per finished page run (seconds)."""

    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    by_page: dict[str, list[float]] = field(default_factory=dict)


def build_tour(store_path: Path | None) -> list[tuple[str, dict[str, str]]]:
    """The views a visitor asks for, in order: (page url path, query params).

    Filter values come from the store (its two largest sources, its most mentioned entity), so
    the tour fits any corpus.
    """
    sources, entity = ["", ""], ""
    if store_path is not None:
        from core.analytics.frequencies import count_articles, count_mentions
        from core.analytics.query.filters import Filter
        from core.store import Store

        store = Store(store_path)
        counts = count_articles(store, Filter(), freq=None, by_source=True)
        sources = [str(s) for s in counts.sort_values("n_articles", ascending=False)["source"]][:2]
        top = count_mentions(store, Filter(), by=("entity",), top=1)
        entity = str(top["entity"].iloc[0]) if len(top) else ""
    a, b = (sources + ["", ""])[:2]
    return [
        ("overview", {}),
        ("mentions", {}),
        ("mentions", {"source": a}),
        ("mentions", {"source": a, "split": "yes", "metric": "share_articles"}),
        ("network", {}),
        ("network", {"node": entity}),
        ("sources", {}),
        ("sources", {"source": f"{a},{b}"}),
        ("dates", {"freq": "month"}),
        ("articles", {"entity": entity}),
        ("overview", {"q": "government"}),
        ("data", {}),
    ]


def _query(params: dict[str, str]) -> str:
    return urllib.parse.urlencode({k: v for k, v in params.items() if v})


def _page_problem(msg: ForwardMsg) -> str | None:
    """A problem the page shows in this message, or None."""
    if msg.WhichOneof("type") != "delta":
        return None
    delta = msg.delta
    if delta.WhichOneof("type") != "new_element":
        return None
    element = delta.new_element
    kind = element.WhichOneof("type")
    if kind == "exception":
        return f"exception: {element.exception.type}: {element.exception.message[:120]}"
    if kind == "alert" and FAILED_TEXT in element.alert.body:
        return f"error message: {element.alert.body[:120]}"
    return None


async def _run_view(ws, page: str, params: dict[str, str], timeout: float) -> tuple[float, str]:
    """Ask for one page; return (seconds to its finished run, problem or '')."""
    back = BackMsg()
    back.rerun_script.query_string = _query(params)
    back.rerun_script.page_name = page
    t0 = time.perf_counter()
    await ws.send(back.SerializeToString())
    problem = ""
    deadline = t0 + timeout
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            return time.perf_counter() - t0, f"no finished run within {timeout:.0f} s"
        raw = await asyncio.wait_for(ws.recv(), timeout=left)
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        problem = problem or (_page_problem(msg) or "")
        if msg.WhichOneof("type") == "script_finished":
            # A run cut short for a rerun (st.rerun, a page switch) is followed by the real one.
            if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                continue
            if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                problem = problem or "compile error"
            return time.perf_counter() - t0, problem


async def visitor(
    ws_url: str,
    tour: list[tuple[str, dict[str, str]]],
    *,
    views: int,
    pause: float,
    timeout: float,
    start_delay: float,
    results: Results,
    seed: int,
) -> None:
    """One visitor: one websocket session walking ``views`` views of the tour."""
    rng = random.Random(seed)
    await asyncio.sleep(start_delay)
    try:
        # Each visitor is one browser: its own _streamlit_xsrf cookie, which a reverse proxy in
        # front of several servers hashes on to keep the visitor on one of them.
        cookie = {"Cookie": f"_streamlit_xsrf=visitor{seed}-{random.getrandbits(64):x}"}
        async with connect(
            ws_url,
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=timeout,
            additional_headers=cookie,
        ) as ws:
            offset = seed % len(tour)  # visitors start at different points of the tour
            for i in range(views):
                page, params = tour[(offset + i) % len(tour)]
                try:
                    seconds, problem = await _run_view(ws, page, params, timeout)
                except TimeoutError:
                    results.errors.append(f"{page}?{_query(params)}: timeout")
                    return
                results.times.append(seconds)
                results.by_page.setdefault(page, []).append(seconds)
                if problem:
                    results.errors.append(f"{page}?{_query(params)}: {problem}")
                await asyncio.sleep(pause * rng.uniform(0.8, 1.2))
    except Exception as exc:  # a refused or dropped connection is an error of the run
        results.errors.append(f"session: {type(exc).__name__}: {exc}")


def _tree_rss_mb(pid: int) -> float:
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return float("nan")
    total = 0
    for proc in procs:
        try:
            total += proc.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total / 2**20


async def _sample_rss(pids: list[int], peak: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], sum(_tree_rss_mb(p) for p in pids))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=0.5)


async def run_load(
    base: str, tour, *, sessions: int, views: int, pause: float, timeout: float, pids: list[int]
) -> tuple[Results, float, float]:
    """Drive ``sessions`` visitors at once; return (results, peak RSS MB, wall seconds)."""
    ws_url = base.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"
    results = Results()
    peak = [0.0]
    stop = asyncio.Event()
    sampler = asyncio.create_task(_sample_rss(pids, peak, stop))
    t0 = time.perf_counter()
    # Arrivals spread over one pause, as real visitors do not all click in the same instant.
    await asyncio.gather(
        *(
            visitor(
                ws_url,
                tour,
                views=views,
                pause=pause,
                timeout=timeout,
                start_delay=pause * i / max(sessions, 1),
                results=results,
                seed=i,
            )
            for i in range(sessions)
        )
    )
    wall = time.perf_counter() - t0
    stop.set()
    await sampler
    return results, peak[0], wall


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(store: Path, *, port: int | None = None) -> tuple[subprocess.Popen, str]:
    """Start ``streamlit run dashboard.py`` on 127.0.0.1; return (process, base URL)."""
    port = port or _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(REPO / "dashboard.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--",
            "--store",
            str(store),
        ],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    wait_healthy(base)
    return proc, base


NGINX_CONF = """
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    upstream presslens {{
        # Sticky per browser: Streamlit keeps a session (widgets, uploads, media) in one
        # process, so a visitor's websocket and HTTP requests must all reach the same server.
        hash $cookie__streamlit_xsrf$remote_addr consistent;
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 50m;
        location / {{
            proxy_pass http://presslens;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 86400;
        }}
    }}
}}
"""


def start_proxy(backends: list[str], work: Path) -> tuple[subprocess.Popen, str]:
    """Start nginx on a free 127.0.0.1 port in front of ``backends``; return (process, URL)."""
    port = _free_port()
    servers = "\n".join(f"        server {b.removeprefix('http://')};" for b in backends)
    conf = work / "nginx.conf"
    conf.write_text(NGINX_CONF.format(work=work, servers=servers, port=port))
    proc = subprocess.Popen(
        ["nginx", "-p", str(work), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    wait_healthy(base)
    return proc, base


def wait_healthy(base: str) -> None:
    """Wait until ``base``/_stcore/health answers (two minutes at most)."""
    for _ in range(400):
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{base} did not start")


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def report(sessions: int, results: Results, peak: float, wall: float) -> str:
    """One result line (times in seconds)."""
    t = results.times
    return (
        f"sessions={sessions:>3}  views={len(t):>4}  p50={_pct(t, 0.5):.3f}s  "
        f"p95={_pct(t, 0.95):.3f}s  max={max(t, default=float('nan')):.3f}s  "
        f"mean={statistics.fmean(t) if t else float('nan'):.3f}s  errors={len(results.errors)}  "
        f"peak_rss={peak:.0f}MB  wall={wall:.0f}s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="store to serve (and to pick filters from)")
    parser.add_argument("--url", help="a running server or proxy instead of starting one")
    parser.add_argument("--pids", type=int, nargs="*", default=[], help="server pids for RSS")
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 5, 20])
    parser.add_argument("--views", type=int, default=8, help="views per visitor")
    parser.add_argument("--pause", type=float, default=5.0, help="seconds between views")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per view at most")
    parser.add_argument(
        "--backends", type=int, default=1, help="server processes behind nginx (needs nginx)"
    )
    parser.add_argument("--by-page", action="store_true", help="p50/p95 per page as well")
    args = parser.parse_args()
    if not args.store and not args.url:
        parser.error("give --store (a server is started) or --url")
    tour = build_tour(args.store)
    procs: list[subprocess.Popen] = []
    work = Path(tempfile.mkdtemp(prefix="presslens-bench-load-"))
    if args.url:
        base, pids = args.url, args.pids
    else:
        for _ in range(args.backends):
            procs.append(start_server(args.store))
        base = procs[0][1]
        pids = [p.pid for p, _ in procs]
        if args.backends > 1:
            proxy, base = start_proxy([b for _, b in procs], work)
            procs.append((proxy, base))
            print(f"nginx {base} in front of {args.backends} servers")
    try:
        # One visitor walks the whole tour first: a fresh server's engine build and first
        # computations are timed by bench_dashboard, not here.
        # Behind a proxy each server process keeps its own caches: warm every one directly.
        for warm_base in [b for _, b in procs[: args.backends]] if procs else [base]:
            warm, _, warm_wall = asyncio.run(
                run_load(
                    warm_base, tour, sessions=1, views=len(tour), pause=0, timeout=300, pids=pids
                )
            )
            print(
                f"warm-up tour of {warm_base}: {len(warm.times)} views in {warm_wall:.1f}s, "
                f"errors={warm.errors}"
            )
        print(f"load average before: {os.getloadavg()}")
        for n in args.sessions:
            results, peak, wall = asyncio.run(
                run_load(
                    base,
                    tour,
                    sessions=n,
                    views=args.views,
                    pause=args.pause,
                    timeout=args.timeout,
                    pids=pids,
                )
            )
            print(report(n, results, peak, wall), flush=True)
            if args.by_page:
                for page, times in sorted(results.by_page.items()):
                    print(
                        f"    {page:<10} n={len(times):>3} p50={_pct(times, 0.5):.3f}s "
                        f"p95={_pct(times, 0.95):.3f}s"
                    )
            for error in results.errors[:10]:
                print(f"    error: {error}")
        print(f"load average after: {os.getloadavg()}")
    finally:
        for proc, _ in procs:
            proc.terminate()
            proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
