"""Real-browser tests: Playwright drives the system Chromium (headless) against `streamlit run`.

The app serves a temporary store built from the seed articles. Every request that does not go
to the app's own 127.0.0.1 address is blocked and recorded, so the tests prove the dashboard
(map included) works with no network. Screenshots of every page go to ``tests/artifacts/``.

Chromium missing: skipped locally with the reason, a failure under ``CI``.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLES
from tests.streamlit_server import chromium_browser, need_chromium, streamlit_server

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "tests" / "artifacts"
EVIL = "<script>window.__pwned=1</script> **not bold** <img src=x onerror=window.__pwned=2>"
COMMA_SOURCE = "Dawn, Karachi"
# Small made-up articles beside the two seeds: several sources (one named with a comma), dates
# with gaps between them, and the entities and dates every chart needs.
_BODIES = (
    "Pakistan and India held talks in Karachi on 5 June 2022 about water. Imran Khan said "
    "Pakistan would not accept the plan. India rejected the claim. Russia offered to mediate.",
    "Russia and Ukraine met in Istanbul. Vladimir Putin said Russia wanted peace by March 2023. "
    "Ukraine said the talks of 2021 had failed. Turkey hosted the meeting.",
    "Imran Khan spoke in Lahore about India and Pakistan. He recalled the summit of 1999. "
    "Pakistan and China signed a trade deal. India said it was watching.",
    "North Korea tested a missile on 2 August 2022, Japan said. Russia and China blocked a "
    "resolution. Japan and the United States condemned the test.",
)
EXTRA_ARTICLES = [
    {
        "title": f"Report {i}",
        "source": source,
        "published": day,
        "text": f"{_BODIES[i % 4]} This is report number {i} from {source}.",
    }
    for i, (source, day) in enumerate(
        [
            (COMMA_SOURCE, "2022-06-02"),
            (COMMA_SOURCE, "2022-06-20"),
            ("The Hindu", "2022-06-03"),
            ("The Hindu", "2022-09-14"),
            ("Reuters", "2022-07-15"),
            ("Reuters", "2022-09-30"),
            (COMMA_SOURCE, "2022-09-14"),
            ("Reuters", "2022-06-20"),
        ]
    )
]
N_ARTICLES = 2 + len(EXTRA_ARTICLES)
N_SOURCES = 2 + len({a["source"] for a in EXTRA_ARTICLES})
FAILED_TEXTS = ("Sorry, something went wrong", "Traceback", "Error:", "This app has encountered")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """Start ``streamlit run dashboard.py -- --store <seed store>``; yield its base URL."""
    need_chromium()
    from core.ingest import ingest_paths
    from core.store import Store

    root = tmp_path_factory.mktemp("browser")
    store = Store(root / "store")
    assert ingest_paths([SAMPLES], store=store, progress=False, root=REPO).added == 2
    extra = root / "extra.jsonl"
    extra.write_text("\n".join(json.dumps(a) for a in EXTRA_ARTICLES) + "\n", "utf-8")
    assert ingest_paths([extra], store=store, progress=False).added == len(EXTRA_ARTICLES)
    with streamlit_server(store.path, root) as base:
        yield base


@pytest.fixture(scope="module")
def browser(app_url):
    with chromium_browser() as b:
        yield b


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
        """How many rows the line holding ``text`` says are shown ("27 sentence(s) shown …",
        or a page of a longer list: "1–50 of 77 sentence(s) shown …")."""
        line = self.page.get_by_text(text).first.inner_text().replace(",", "")
        ranged = re.match(r"\s*(\d+)\s*[–-]\s*(\d+)", line)
        if ranged:
            return int(ranged[2]) - int(ranged[1]) + 1
        return int(re.search(r"(\d+)", line)[1])

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
    assert nav == ["Overview", "Mentions", "Articles", "Network", "Sources", "Dates", "Data"]
    n_bbc = visitor.shown_count()
    assert n_bbc > 0
    visitor.wait_count("mark", n_bbc)


def test_overview_draws_the_offline_map(visitor):
    visitor.open("/", expect="Countries mentioned")
    page = visitor.page
    page.locator("path.choroplethlocation").first.wait_for(timeout=20_000)
    assert visitor.metric("Articles") == str(N_ARTICLES)
    assert visitor.metric("Sources") == str(N_SOURCES)
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
        found = re.search(r"(?:country_code|code)[=:]\s*([A-Z]{3})", hover)
        if found:
            break
    else:
        pytest.fail("no country shape answered a hover")
    code = found[1]
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
        assert a.metric("Articles") == str(N_ARTICLES + 1)
        assert a.metric("Sources") == str(N_SOURCES + 1)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        # Another visitor at the same time sees only the shared store.
        b.open("/", expect="Countries mentioned")
        assert b.metric("Articles") == str(N_ARTICLES)
        b.open("/data", expect="Upload articles")
        assert b.page.get_by_text("Evil upload").count() == 0
        assert (
            f"{N_ARTICLES} article(s) in the store"
            in b.page.get_by_text("article(s) in the store").inner_text()
        )
    finally:
        a.close()
        b.close()
    assert not a.external and not b.external


# -- every click, every option; values that round-trip; hostile input ------------------------


def _assert_healthy(session: Session, where: str) -> None:
    page = session.page
    assert not page.locator("[data-testid='stException']").count(), where
    text = page.locator("[data-testid='stApp']").inner_text()
    for bad in FAILED_TEXTS:
        assert bad not in text, f"{where}: {bad!r} on the page"
    assert page.evaluate("typeof window.__pwned") == "undefined", where


# (chart-kind name, CSS selector of one clickable element inside a chart)
BAR = "g.trace.bars g.point path"
POINT = "g.trace.scatter g.points path.point"
CELL = "g.trace.scatter g.points path.point"  # a heatmap cell's invisible marker

CLICKS = [
    # (path with the options that change the figure, chart index, element, param a click sets)
    *[
        (f"/?metric={m}", 1, BAR, "entity")  # the map (chart 0) is clicked by its own test
        for m in ("n_mentions", "n_articles")
    ],
    *[
        (f"/mentions?split={split}&metric={m}", 0, BAR, "focus")
        for split in ("no", "yes")
        for m in ("n_mentions", "per_1000_words")
    ],
    *[
        (f"/mentions?view=time&split={split}&freq={f}&metric={m}", 0, POINT, "focus")
        for split, f, m in (("no", "week", "share_articles"), ("yes", "month", "n_mentions"))
    ],
    *[
        (f"/network?min_support=1&window={w}&weight={wt}", 0, POINT, "node")
        for w, wt in (("sentence", "npmi"), ("paragraph", "pmi"), ("article", "jaccard"))
    ],
    ("/network?min_support=1&weight=n_pair&pairs=10", 0, POINT, "node"),
    *[(f"/sources?voice={v}", 0, CELL, "pick") for v in ("share_of_voice", "share")],
    *[(f"/sources?unit={u}", 1, BAR, "pick") for u in ("entity", "term")],
    *[(f"/dates?freq={f}", 0, POINT, "pub") for f in ("day", "week", "month", "year")],
]


@pytest.mark.parametrize(("path", "chart", "element", "param"), CLICKS)
def test_every_chart_click_works(visitor, path, chart, element, param):
    visitor.open(path, expect="Copy link to this view")
    page = visitor.page
    charts = page.locator(".js-plotly-plot")
    elements = charts.nth(chart).locator(element)
    elements.first.wait_for(timeout=20_000)
    # The middle one: the first bar can sit under plotly's toolbar.
    target = elements.nth(elements.count() // 2)
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(200)
    page.mouse.down()
    page.mouse.up()
    page.wait_for_function(
        f"new URLSearchParams(location.search).has({json.dumps(param)})",
        timeout=15_000,
        polling=100,
    )
    visitor.settle()
    _assert_healthy(visitor, f"{path} after a click on chart {chart}")
    assert page.locator(".js-plotly-plot").count() >= 1


def _tags(session: Session, label: str, expect: list[str] | None = None) -> list[str]:
    """The chips of the sidebar multiselect ``label`` (waiting up to 20 s for ``expect``)."""
    box = session.page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']")
    box = box.filter(has_text=label).first
    deadline = time.time() + 20
    while True:
        chips = [c.get_attribute("title") for c in box.locator("[data-tag] span[title]").all()]
        if expect is None or chips == expect or time.time() > deadline:
            return chips
        session.page.wait_for_timeout(250)


def test_a_source_named_with_a_comma_round_trips_through_the_link(browser, app_url, visitor):
    visitor.open("/", expect="Countries mentioned")
    page = visitor.page
    box = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']")
    box.filter(has_text="Sources").first.click()
    page.get_by_role("option", name=COMMA_SOURCE).click()
    page.keyboard.press("Escape")
    page.wait_for_function("location.search.includes('source=')", timeout=15_000)
    visitor.settle()
    n = sum(a["source"] == COMMA_SOURCE for a in EXTRA_ARTICLES)
    assert _tags(visitor, "Sources", [COMMA_SOURCE]) == [COMMA_SOURCE]
    assert visitor.metric("Articles") == str(n)
    anchor = page.locator("[data-testid='stSidebar'] a").filter(has_text=app_url).first
    link = anchor.get_attribute("href")
    fresh = Session(browser, app_url)
    try:
        fresh.page.goto(link)
        fresh.wait("Countries mentioned")
        assert _tags(fresh, "Sources", [COMMA_SOURCE]) == [COMMA_SOURCE]
        assert fresh.metric("Articles") == str(n)
        _assert_healthy(fresh, "the copied link")
    finally:
        fresh.close()
    # An old comma-joined link still opens as two sources.
    visitor.open("/?source=Reuters,The+Hindu", expect="Countries mentioned")
    assert _tags(visitor, "Sources", ["Reuters", "The Hindu"]) == ["Reuters", "The Hindu"]


PAYLOADS = (
    "**bold** [link](https://evil.example/x) ![img](https://evil.example/i.png)",
    "<b>html</b><img src=x onerror=window.__pwned=3> https://evil.example :red[red]",
)


def test_markup_in_every_query_param_is_shown_as_text(visitor):
    payload = " ".join(PAYLOADS)
    from urllib.parse import urlencode

    names = (
        "from to source kind country entity q metric top split freq focus focus_source period "
        "window weight min_support pairs node pair_with voice unit pick pick_source pick_unit "
        "story a b pub ref res table article ws"
    ).split()
    for path in ("/", "/mentions", "/network", "/sources", "/dates", "/data"):
        visitor.page.goto(visitor.base + path + "?" + urlencode({n: payload for n in names}))
        visitor.wait("Copy link to this view")
        main = visitor.page.locator("[data-testid='stApp']")
        _assert_healthy(visitor, path)
        links = main.locator(
            "a[href^='https://evil'], a[href^='http://evil'], img[src*='evil.example']"
        )
        assert not links.count(), (path, [x.evaluate("e => e.outerHTML") for x in links.all()])
        assert not main.locator(
            "[data-testid='stMarkdown'] b, [data-testid='stMarkdown'] img"
        ).count()
        # The notices name the value as typed (shortened), not as rendered markup.
        assert payload[:20] in main.inner_text(), path


def test_markup_in_an_upload_is_shown_as_text(browser, app_url, tmp_path):
    name = "**b** [x](https:__evil.example) <img src=x>.txt"
    evil = tmp_path / name
    evil.write_text(f"Title: {PAYLOADS[0]}\nSource: {PAYLOADS[1]}\n\nRussia and India.\n", "utf-8")
    session = Session(browser, app_url)
    try:
        session.open("/data", expect="Upload articles")
        page = session.page
        page.locator("input[type='file']").set_input_files(str(evil))
        page.locator("[data-testid='stFileChipDeleteBtn']").first.wait_for(timeout=15_000)
        page.get_by_label("Source name for files that do not name one (optional)").fill(PAYLOADS[0])
        page.get_by_role("button", name="Add to my workspace").click()
        session.wait("added 1 article(s)")
        ws = _ws(session)
        assert ws
        for path in ("/data", "/", "/mentions", "/sources", "/network?min_support=1"):
            sep = "&" if "?" in path else "?"
            session.page.goto(f"{session.base}{path}{sep}ws={ws}")
            session.wait("Copy link to this view")
            _assert_healthy(session, path)
            main = page.locator("[data-testid='stApp']")
            assert not main.locator(
                "a[href^='https://evil'], a[href^='http://evil'], img[src*='evil.example']"
            ).count()
            assert not main.locator("[data-testid='stMarkdown'] img").count()
    finally:
        session.close()


def _ws(session: Session) -> str:
    return session.page.evaluate("new URLSearchParams(location.search).get('ws') || ''")


def test_a_reload_keeps_the_upload_and_the_copied_link_opens_the_shared_data(
    browser, app_url, tmp_path
):
    mine = tmp_path / "mine.txt"
    mine.write_text("Title: My own upload\nSource: My Paper\n\nRussia and Japan.\n", "utf-8")
    a = Session(browser, app_url)
    try:
        _upload(a, mine)
        assert _ws(a)
        a.page.reload()
        a.wait("Upload articles")
        assert (
            f"{N_ARTICLES + 1} article(s) in the store"
            in a.page.get_by_text("article(s) in the store").inner_text()
        )
        # A page switch and another reload keep it too.
        a.page.locator("[data-testid='stSidebarNav']").get_by_text("Overview").click()
        a.wait("Countries mentioned")
        a.page.reload()
        a.wait("Countries mentioned")
        assert a.metric("Articles") == str(N_ARTICLES + 1)
        sidebar = a.page.locator("[data-testid='stSidebar']")
        assert "opens the shared data" in sidebar.inner_text()
        link = sidebar.locator("a").filter(has_text=app_url).first.get_attribute("href")
        assert "ws=" not in link
        b = Session(browser, app_url)
        try:
            b.page.goto(link)
            b.wait("Countries mentioned")
            assert b.metric("Articles") == str(N_ARTICLES)
        finally:
            b.close()
    finally:
        a.close()
