"""Real-browser tests: Playwright drives the system Chromium (headless) against `streamlit run`.

The app serves a temporary store built from the seed articles. Every request that does not go
to the app's own 127.0.0.1 address is blocked and recorded, so the tests prove the dashboard
(map included) works with no network. Screenshots of every page go to ``tests/artifacts/``.

Chromium missing: skipped locally with the reason, a failure under ``CI``.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLES

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "tests" / "artifacts"
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
EVIL = "<script>window.__pwned=1</script> **not bold** <img src=x onerror=window.__pwned=2>"


def _need(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must provide it)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """Start ``streamlit run dashboard.py -- --store <seed store>``; yield its base URL."""
    _need(CHROMIUM.exists(), f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    from core.ingest import ingest_paths
    from core.store import Store

    root = tmp_path_factory.mktemp("browser")
    store = Store(root / "store")
    assert ingest_paths([SAMPLES], store=store, progress=False, root=REPO).added == 2
    port = _free_port()
    env = {**os.environ, "TMPDIR": str(root), "PRESSLENS_STORE": str(root / "unused")}
    log = (root / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "dashboard.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--server.fileWatcherType",
            "none",
            "--",
            "--store",
            str(store.path),
        ],
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
                pytest.fail(f"streamlit did not start: {(root / 'streamlit.log').read_text()}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(app_url):
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Session:
    """One browser context (a visitor) with every off-host request blocked and recorded."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.external: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 2000})
        self.context.route(
            re.compile(r"^(?!" + re.escape(base) + r")(https?|wss?)://.*"), self._block
        )
        self.page = self.context.new_page()

    def _block(self, route) -> None:
        self.external.append(route.request.url)
        route.abort()

    def open(self, path: str, *, expect: str) -> None:
        """Open ``path`` and wait until the text ``expect`` is shown and the run has finished."""
        self.page.goto(self.base + path)
        self.wait(expect)

    def wait(self, text: str, timeout: float = 30_000) -> None:
        self.page.get_by_text(text, exact=False).first.wait_for(timeout=timeout)
        self.settle()

    def settle(self) -> None:
        """Wait until the script run has finished and the page has drawn its output."""
        done = (
            "document.querySelector('[data-testid=stApp]')"
            "?.getAttribute('data-test-script-state') === 'notRunning'"
        )
        for _ in range(2):  # twice: a selection callback may start one more run
            self.page.wait_for_function(done, timeout=30_000, polling=100)
            self.page.wait_for_timeout(400)

    def wait_count(self, selector: str, n: int, timeout: float = 15_000) -> None:
        """Wait until exactly ``n`` elements match ``selector`` (st.html draws asynchronously)."""
        self.page.wait_for_function(
            "([sel, n]) => document.querySelectorAll(sel).length === n",
            arg=[selector, n],
            timeout=timeout,
        )

    def shown_count(self, text: str = "sentence(s) shown") -> int:
        """The leading number of the line holding ``text`` (e.g. "27 sentence(s) shown …")."""
        return int(re.search(r"(\d+)", self.page.get_by_text(text).first.inner_text())[1])

    def shot(self, name: str) -> Path:
        """Save a screenshot once no placeholder is left and every chart has drawn."""
        self.page.wait_for_function(
            "!document.querySelector('[data-testid^=stSkeleton]')"
            " && Array.from(document.querySelectorAll('[data-testid=stPlotlyChart]'))"
            ".every(c => c.querySelector('.main-svg'))",
            timeout=30_000,
            polling=200,
        )
        self.page.wait_for_timeout(500)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        return path

    def metric(self, label: str) -> str:
        box = self.page.locator("[data-testid='stMetric']").filter(has_text=label).first
        return box.locator("[data-testid='stMetricValue']").inner_text().strip()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visitor(browser, app_url):
    session = Session(browser, app_url)
    yield session
    session.close()
    assert not session.external, f"requests left 127.0.0.1: {session.external}"


def test_a_deep_link_as_the_first_request_of_a_fresh_server(visitor):
    """Streamlit's legacy pages/-folder mode must not take over (this test runs first)."""
    visitor.open("/mentions?source=BBC", expect="sentence(s) shown for")
    nav = visitor.page.locator("[data-testid='stSidebarNav']").inner_text().split()
    assert nav == ["Overview", "Mentions", "Network", "Sources", "Dates", "Data"]
    n_bbc = visitor.shown_count()
    assert n_bbc > 0
    visitor.wait_count("mark", n_bbc)


def test_overview_draws_the_offline_map(visitor):
    visitor.open("/", expect="Countries mentioned")
    page = visitor.page
    page.locator("path.choroplethlocation").first.wait_for(timeout=20_000)
    assert visitor.metric("Articles") == "2"
    assert visitor.metric("Sources") == "2"
    # One shape per mentioned country (6 in the seeds), and the world outline around them.
    assert page.locator("path.choroplethlocation").count() == int(visitor.metric("Countries"))
    assert page.locator(".geo .coastlines path, .geo path.coastlines").count() >= 1
    visitor.shot("overview")


@pytest.mark.parametrize(
    ("path", "expect", "check"),
    [
        ("/mentions", "sentence(s) shown for", "text=shown for Russia"),
        ("/network?node=North+Korea", "passage(s) with", "text=Neighbours of North Korea"),
        ("/sources", "Quotes, and how they changed", "text=Sentences aligned"),
        ("/dates?freq=year", "Sentences", "mark:has-text('1991')"),
        ("/data", "Upload articles", "text=One row is one entity mention span"),
    ],
)
def test_every_page_renders(visitor, path, expect, check):
    visitor.open(path, expect=expect)
    page = visitor.page
    page.locator(check).first.wait_for(timeout=15_000)  # st.html draws asynchronously
    assert not page.locator("[data-testid='stException']").count()
    if path != "/data":
        page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=20_000)
    if path == "/mentions":
        visitor.wait_count("mark", visitor.shown_count())
    if path.startswith("/sources"):
        page.locator("del").first.wait_for()
        page.locator("ins").first.wait_for()
    visitor.shot(path.strip("/").split("?")[0])


def test_copied_link_reproduces_the_view(browser, app_url, visitor):
    visitor.open("/mentions?source=BBC&focus=North+Korea", expect="sentence(s) shown")
    anchor = visitor.page.locator("[data-testid='stSidebar'] a").filter(has_text=app_url).first
    link = anchor.get_attribute("href")
    assert link.startswith(app_url + "/mentions?")
    assert anchor.inner_text().strip() == link  # the link shows the address it points to
    shown = visitor.page.get_by_text("sentence(s) shown").inner_text()
    fresh = Session(browser, app_url)  # a new visitor: nothing shared but the link
    try:
        fresh.page.goto(link)
        fresh.wait("sentence(s) shown")
        assert fresh.page.get_by_text("sentence(s) shown").inner_text() == shown
        assert "North Korea" in shown
        sidebar = fresh.page.locator("[data-testid='stSidebar']")
        sources = sidebar.locator("[data-testid='stMultiSelect']").filter(has_text="Sources")
        tags = sources.locator("[data-testid='stMultiSelectTagsContainer']").inner_text()
        assert tags.split() == ["BBC"]
    finally:
        fresh.close()
    assert not fresh.external


def test_first_load_is_one_script_run_without_heavy_extras(visitor):
    """A first visit costs one script run, and no script bundle the pages do not need.

    Each extra run is a server round trip; st.code's syntax highlighter (1.5 MB) once took
    ~1.2 s of the browser's main thread on every first load (docs/benchmarks.md).
    """
    sent, scripts = [], []
    visitor.page.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(frame)))
    visitor.page.on(
        "request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None
    )
    visitor.open("/mentions?source=BBC", expect="sentence(s) shown")
    visitor.page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=20_000)
    assert len(sent) == 1  # the browser asked for one run; nothing asked for a rerun
    assert sum("PlotlyChart" in url for url in scripts) == 1  # plotly.js once for all charts
    assert not [url for url in scripts if "SyntaxHighlighter" in url]


def test_filter_survives_a_page_switch(visitor):
    visitor.open("/?source=BBC", expect="Countries mentioned")
    assert visitor.metric("Articles") == "1"
    visitor.page.locator("[data-testid='stSidebarNav']").get_by_text("Mentions").click()
    visitor.wait("sentence(s) shown")
    visitor.page.wait_for_url(re.compile(r".*/mentions\?.*source=BBC.*"), timeout=15_000)
    visitor.page.locator("[data-testid='stSidebarNav']").get_by_text("Overview").click()
    visitor.wait("Countries mentioned")
    assert visitor.metric("Articles") == "1"


def test_clicking_a_country_filters(visitor):
    visitor.open("/", expect="Countries mentioned")
    page = visitor.page
    chart = page.locator(".js-plotly-plot").first
    chart.locator("path.choroplethlocation").first.wait_for(timeout=20_000)
    # Hover each shape's centre until plotly shows a country label (a bounding box centre can
    # fall outside its shape: Russia's box spans the map), then click there.
    for shape in chart.locator("path.choroplethlocation").all():
        box = shape.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_timeout(300)
        hover = chart.locator(".hoverlayer").text_content() or ""
        if "country_code=" in hover:
            break
    else:
        pytest.fail("no country shape answered a hover")
    code = re.search(r"country_code=([A-Z]{3})", hover)[1]
    page.mouse.down()
    page.mouse.up()
    page.wait_for_function(
        f"location.search.includes('country={code}')", timeout=15_000, polling=100
    )
    visitor.settle()
    visitor.wait_count("path.choroplethlocation", 1)
    tags = page.locator("[data-testid='stMultiSelect']").filter(has_text="Countries")
    assert code in tags.locator("[data-testid='stMultiSelectTagsContainer']").inner_text()


def _upload(session: Session, path: Path) -> None:
    session.open("/data", expect="Upload articles")
    session.page.locator("input[type='file']").set_input_files(str(path))
    session.page.get_by_text(path.name).first.wait_for(timeout=15_000)
    session.page.get_by_role("button", name="Add to my workspace").click()
    session.wait("added 1 article(s)")


def test_uploads_are_private_and_run_nothing(browser, app_url, tmp_path):
    evil = tmp_path / "evil.txt"
    evil.write_text(f"Title: Evil upload\nSource: Evil Daily\n\n{EVIL}\nRussia again.\n", "utf-8")
    a, b = Session(browser, app_url), Session(browser, app_url)
    try:
        _upload(a, evil)
        page = a.page
        # The uploaded article is shown literally, and nothing in it ran.
        assert page.get_by_text(EVIL, exact=False).first.is_visible()
        assert page.evaluate("typeof window.__pwned") == "undefined"
        a.shot("data_after_upload")
        a.page.locator("[data-testid='stSidebarNav']").get_by_text("Overview").click()
        a.wait("Countries mentioned")
        assert a.metric("Articles") == "3"
        assert a.metric("Sources") == "3"
        assert page.evaluate("typeof window.__pwned") == "undefined"
        # Another visitor at the same time sees only the shared store.
        b.open("/", expect="Countries mentioned")
        assert b.metric("Articles") == "2"
        b.open("/data", expect="Upload articles")
        assert b.page.get_by_text("Evil upload").count() == 0
        assert (
            "2 article(s) in the store"
            in b.page.get_by_text("article(s) in the store").inner_text()
        )
    finally:
        a.close()
        b.close()
    assert not a.external and not b.external
