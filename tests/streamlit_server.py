"""What the browser tests share: the system Chromium, and ``streamlit run`` on a free port.

Chromium missing: skipped locally with the reason, a failure under ``CI``.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def need(condition: bool, reason: str) -> None:
    """Skip (locally) or fail (under CI) unless ``condition``."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must provide it)")
    pytest.skip(reason)


def need_chromium() -> None:
    need(CHROMIUM.exists(), f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(store_path: Path, root: Path, *extra: str) -> Iterator[str]:
    """``streamlit run dashboard.py -- --store STORE [extra]`` on 127.0.0.1 and a free port,
    stopped on exit; yields its base URL once its health check answers (60 s at most)."""
    port = free_port()
    env = {**os.environ, "TMPDIR": str(root), "PRESSLENS_STORE": str(root / "unused")}
    env.pop("PRESSLENS_ALLOW_EDITS", None)
    log_path = root / f"streamlit-{port}.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py"]
            + ["--server.port", str(port), "--server.address", "127.0.0.1"]
            + ["--server.headless", "true", "--server.fileWatcherType", "none"]
            + ["--", "--store", str(store_path), *extra],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.time() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                        if r.read() == b"ok":
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.time() > deadline:
                    pytest.fail(f"streamlit did not start: {log_path.read_text()}")
                time.sleep(0.3)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextlib.contextmanager
def chromium_browser():
    """A headless system Chromium driven by Playwright."""
    need_chromium()
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
