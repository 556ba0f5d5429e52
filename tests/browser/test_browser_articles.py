"""Real-browser tests of the Articles page, chart clicks on Mentions and the time axes.

Same harness as ``tests/browser/test_browser.py`` (system Chromium, every off-host request blocked),
on a hand-written store with three sources (one named with a comma) and articles in January
and March 2024 (none in February) plus an undated one: ``tests.pages.test_pages_time.DOCS``. Every
step fails on an exception or a traceback shown on the page.
"""

from __future__ import annotations

import re
import urllib.request

import pytest

from tests.analytics.query.test_analytics_filters import make_store
from tests.browser.test_browser import Session
from tests.pages.test_pages_time import DOCS
from tests.streamlit_server import chromium_browser, need_chromium, streamlit_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """Start ``streamlit run dashboard.py -- --store <several sources and dates>``."""
    need_chromium()
    root = tmp_path_factory.mktemp("browser_articles")
    store = make_store(root / "store", DOCS)
    with streamlit_server(store.path, root) as base:
        yield base


@pytest.fixture(scope="module")
def browser(app_url):
    with chromium_browser() as b:
        yield b


@pytest.fixture
def visitor(browser, app_url):
    session = Session(browser, app_url)
    yield session
    session.close()
    assert not session.external, f"requests left 127.0.0.1: {session.external}"


def no_error(session: Session) -> None:
    """Fail on a Streamlit exception box or a Python traceback anywhere on the page."""
    page = session.page
    assert not page.locator("[data-testid='stException']").count(), page.inner_text("body")
    assert "Traceback (most recent call last)" not in page.inner_text("body")


def axis_types(session: Session) -> list[dict]:
    """The x / y axis types of every plotly chart on the page, in page order."""
    session.page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=20_000)
    return session.page.evaluate(
        "Array.from(document.querySelectorAll('.js-plotly-plot')).map(el => ({"
        " x: el._fullLayout.xaxis && el._fullLayout.xaxis.type,"
        " y: el._fullLayout.yaxis && el._fullLayout.yaxis.type,"
        " names: el.data.map(t => t.name)}))"
    )


def click_centre(session: Session, locator) -> None:
    box = locator.bounding_box()
    session.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_articles_search_and_follow_links(visitor):
    visitor.open("/articles?q=%22security+council%22+OR+1825", expect="article(s)")
    no_error(visitor)
    assert visitor.page.get_by_text("article(s)").first.inner_text().startswith("2 article(s)")
    table = visitor.page.locator("table").first
    table.wait_for()
    assert table.get_by_text("Ukraine in March").count() == 1
    assert table.get_by_text("Russia and Ukraine talk").count() == 0  # not found by the search
    # A javascript: URL is never a link; the original opens in a new tab.
    assert not visitor.page.locator("a[href^='javascript']").count()
    visitor.shot("articles")
    visitor.page.locator("table a", has_text="read").first.click()
    visitor.wait("mention(s) of")
    no_error(visitor)
    assert "article=a3" in visitor.page.url and "q=" in visitor.page.url
    visitor.page.locator("mark").first.wait_for()
    visitor.shot("article_reader")
    # Follow a mention's link: the list of the articles mentioning it.
    visitor.page.locator("a", has=visitor.page.locator("mark", has_text="Ukraine")).first.click()
    visitor.wait("article(s)")
    no_error(visitor)
    assert "entity=Ukraine" in visitor.page.url
    assert "article=" not in visitor.page.url


def test_articles_original_link_is_the_http_url(visitor):
    visitor.open("/articles?sort=title&order=asc", expect="article(s)")
    link = visitor.page.locator("table a", has_text="Russia and Ukraine talk")
    assert link.get_attribute("href") == "https://bbc.example/a1"
    assert link.get_attribute("rel").startswith("noopener")
    no_error(visitor)


@pytest.mark.parametrize("split", ["no", "yes"])
def test_clicking_mentions_bars_and_points(visitor, split):
    visitor.open(f"/mentions?split={split}&freq=month", expect="sentence(s) shown")
    no_error(visitor)
    page = visitor.page
    charts = page.locator(".js-plotly-plot")
    bars = charts.nth(0).locator(".barlayer .point path")
    bars.first.wait_for(timeout=20_000)
    assert bars.count() >= (4 if split == "no" else 6)
    assert charts.count() == 1  # the other views are drawn when chosen
    for i in (bars.count() - 1, 0):  # the last bar drawn (bottom) and the first
        click_centre(visitor, bars.nth(i))
        page.wait_for_function("location.search.includes('focus=')", timeout=15_000)
        visitor.settle()
        no_error(visitor)
        focus = re.search(r"focus=([^&]+)", page.url)[1].replace("+", " ")
        shown = page.get_by_text("sentence(s) shown").first.inner_text()
        assert urllib.request.unquote(focus) in shown
        if split == "yes":
            assert "focus_source=" in page.url
    # The "Over time" tab: its view goes into the link, and the focus stays.
    page.get_by_role("tab", name="Over time").click()
    page.wait_for_function("location.search.includes('view=time')", timeout=15_000)
    visitor.settle()
    no_error(visitor)
    assert "focus=" in page.url
    # A point of the over-time chart: that entity in that month.
    points = charts.nth(0).locator(".scatterlayer .points path")
    points.first.wait_for(timeout=20_000)
    click_centre(visitor, points.nth(points.count() // 2))
    page.wait_for_function("location.search.includes('period=')", timeout=15_000)
    visitor.settle()
    no_error(visitor)
    assert re.search(r"period=\d{4}-\d{2}-\d{2}", page.url)
    assert "month of" in page.get_by_text("sentence(s) shown").first.inner_text()
    # Back to the bars: the default view leaves the link.
    page.get_by_role("tab", name="Most mentioned").click()
    page.wait_for_function("!location.search.includes('view=')", timeout=15_000)
    visitor.settle()
    no_error(visitor)
    charts.nth(0).locator(".barlayer .point path").first.wait_for(timeout=20_000)


def test_every_time_chart_is_on_a_date_axis(visitor):
    visitor.open("/mentions", expect="sentence(s) shown")
    assert axis_types(visitor)[0]["y"] == "category"  # the bars
    visitor.open("/mentions?view=time", expect="sentence(s) shown")
    assert [t["x"] for t in axis_types(visitor)] == ["date"]  # entities over time
    no_error(visitor)
    visitor.shot("mentions_time")
    visitor.open("/mentions?view=compare&compare=russia%0Aukraine", expect="sentence(s) shown")
    (searches,) = axis_types(visitor)
    assert searches["x"] == "date" and searches["names"] == ["russia", "ukraine"]
    no_error(visitor)
    visitor.open("/?freq=month", expect="Articles over time")
    assert axis_types(visitor)[-1]["x"] == "date"
    no_error(visitor)
    visitor.open("/dates?freq=year", expect="Sentences")
    first = axis_types(visitor)[0]
    assert (first["x"], first["y"]) == ("date", "date")
    no_error(visitor)
    visitor.shot("dates_ranged")


def test_clicking_a_dates_dot_lists_its_sentences(visitor):
    visitor.open("/dates?freq=month", expect="Sentences")
    page = visitor.page
    dots = page.locator(".js-plotly-plot").first.locator(".scatterlayer .points path")
    dots.first.wait_for(timeout=20_000)
    click_centre(visitor, dots.first)
    page.wait_for_function("location.search.includes('ref=')", timeout=15_000)
    visitor.settle()
    no_error(visitor)
    assert re.search(r"pub=\d{4}-\d{2}-\d{2}", page.url)
    assert page.get_by_text("expression(s)").count() >= 1
    page.locator("mark").first.wait_for()


def test_more_filters_open_on_click_and_while_in_use(visitor):
    visitor.open("/mentions", expect="sentence(s) shown")
    page = visitor.page
    side = page.locator("[data-testid='stSidebar']")
    kinds = side.locator("[data-testid='stMultiSelect']").filter(has_text="Kinds")
    assert kinds.count() == 0  # drawn only when opened
    side.get_by_text("More filters").click()
    kinds.first.wait_for(timeout=15_000)
    visitor.settle()
    no_error(visitor)
    kinds.first.locator("input").click()
    page.get_by_role("option", name="person").click()
    page.wait_for_function("location.search.includes('kind=person')", timeout=15_000)
    visitor.settle()
    no_error(visitor)
    # Closed while in use: what is in use is said under it, and the filter still applies.
    side.get_by_text("More filters").click()
    side.get_by_text("In use: Kinds person").wait_for(timeout=15_000)
    assert "kind=person" in page.url
    # The copied link opens with the filter in sight.
    visitor.open("/mentions?kind=person", expect="sentence(s) shown")
    kinds.first.wait_for(timeout=15_000)
    assert "person" in kinds.first.inner_text()
    no_error(visitor)
