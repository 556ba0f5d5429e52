"""Entity corrections in a real browser (Playwright + the system Chromium, as tests/test_browser).

A merge and a block made on the Mentions page change the numbers of the Mentions and Overview
pages and the Data page's downloads; with ``-- --allow-edits`` they are saved in the store and
survive a server restart; without it they stay in the visitor's browser session.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from tests.streamlit_server import chromium_browser, streamlit_server

pytestmark = pytest.mark.browser

# Made-up articles: two people never in one sentence (their counts add up when merged), and a
# country to block.
ARTICLES = [
    {
        "title": "Talks in Moscow",
        "source": "Wire",
        "published": "2022-06-05",
        "text": "Imran Khan arrived in Moscow on Monday. Vladimir Putin met him later. "
        "Imran Khan said Pakistan wanted peace.",
    },
    {
        "title": "A deal",
        "source": "Daily",
        "published": "2022-06-07",
        "text": "Vladimir Putin spoke on Tuesday. Russia and Pakistan signed a deal. "
        "Imran Khan was pleased.",
    },
    {
        "title": "Tokyo meeting",
        "source": "Wire",
        "published": "2022-06-08",
        "text": "Japan and China met in Tokyo. Japan said the talks went well.",
    },
]
A, B, BLOCKED = "Vladimir Putin", "Imran Khan", "Japan"


def _build_store(root: Path):
    from core.ingest import ingest_paths
    from core.store import Store

    store = Store(root / "store")
    records = root / "articles.jsonl"
    records.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n", "utf-8")
    assert ingest_paths([records], store=store, progress=False).added == len(ARTICLES)
    return store


@pytest.fixture(scope="module")
def browser():
    with chromium_browser() as b:
        yield b


class Visitor:
    """One browser context: one visitor with their own session."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.context = browser.new_context(viewport={"width": 1400, "height": 2200})
        self.page = self.context.new_page()
        self.ws: str | None = None  # a private workspace's key, kept in the URL like the app

    def open(self, path: str, expect: str) -> None:
        if self.ws:
            path += ("&" if "?" in path else "?") + f"ws={self.ws}"
        self.page.goto(self.base + path)
        self.page.get_by_text(expect, exact=False).first.wait_for(timeout=30_000)
        self.settle()

    def settle(self) -> None:
        done = (
            "document.querySelector('[data-testid=stApp]')"
            "?.getAttribute('data-test-script-state') === 'notRunning'"
        )
        for _ in range(2):
            self.page.wait_for_function(done, timeout=30_000, polling=100)
            self.page.wait_for_timeout(400)

    def sentences(self, entity: str) -> int:
        """The Mentions page's count of sentences shown for ``entity`` (all of them)."""
        self.open(f"/mentions?focus={entity.replace(' ', '+')}", "sentence(s) shown for")
        line = self.page.get_by_text("sentence(s) shown for").first.inner_text()
        return int(re.search(r"(\d+)", line)[1])

    def mentions_metric(self) -> int:
        self.open("/", "Mentions")
        box = self.page.locator("[data-testid='stMetric']").filter(has_text="Mentions").first
        return int(box.locator("[data-testid='stMetricValue']").inner_text().replace(",", ""))

    def choose(self, key: str, value: str) -> None:
        box = self.page.locator(f".st-key-{key} input").first
        box.click()
        box.fill(value)
        self.page.get_by_role("option", name=value, exact=True).first.click()
        self.settle()

    def correct(self) -> None:
        """Merge A into B and block BLOCKED on the Mentions page."""
        self.open("/mentions", "Correct entities")
        self.choose("fix_merge_a", A)
        self.choose("fix_merge_b", B)
        self.page.locator(".st-key-fix_merge button").click()
        self.page.get_by_text(f"Merged {A} into {B}.").wait_for(timeout=30_000)
        self.settle()
        self.choose("fix_block_a", BLOCKED)
        self.page.locator(".st-key-fix_block button").click()
        self.page.get_by_text(f"Blocked {BLOCKED}.").wait_for(timeout=30_000)
        self.settle()
        found = re.search(r"[?&]ws=([0-9a-f]+)", self.page.url)
        self.ws = found[1] if found else None

    def entities_download(self) -> pd.DataFrame:
        """The Data page's entities table as downloaded (CSV)."""
        self.open("/data", "One row per canonical entity")
        self.page.get_by_text("Download entities", exact=True).first.click()
        with self.page.expect_download(timeout=30_000) as info:
            self.page.locator(".st-key-dl_entities_csv button").click()
        return pd.read_csv(io.BytesIO(Path(info.value.path()).read_bytes()))

    def numbers(self) -> dict:
        return {
            "a": self.sentences(A),
            "b": self.sentences(B),
            "blocked": self.sentences(BLOCKED),
            "mentions": self.mentions_metric(),
        }

    def close(self) -> None:
        self.context.close()


def test_corrections_saved_to_the_store_when_edits_are_allowed(browser, tmp_path):
    store = _build_store(tmp_path)
    with streamlit_server(store.path, tmp_path, "--allow-edits") as base:
        v = Visitor(browser, base)
        before = v.numbers()
        assert min(before.values()) > 0
        v.correct()
        merged = v.sentences(B)
        assert merged == before["a"] + before["b"] and v.sentences(BLOCKED) == 0
        assert v.mentions_metric() == before["mentions"] - before["blocked"]
        exported = v.entities_download().set_index("name")
        assert A not in exported.index and BLOCKED not in exported.index
        assert exported.loc[B, "n_mentions"] > 0
        v.close()
        other = Visitor(browser, base)
        assert other.sentences(B) == merged  # a shared edit: every visitor sees it
        other.close()
    assert (store.path / "entity_rules.csv").is_file()
    with streamlit_server(store.path, tmp_path, "--allow-edits") as base:  # a restart keeps them
        v = Visitor(browser, base)
        assert v.sentences(B) == merged and v.sentences(A) == 0
        v.close()


def test_corrections_stay_in_the_session_without_allow_edits(browser, tmp_path):
    store = _build_store(tmp_path)
    with streamlit_server(store.path, tmp_path) as base:
        v = Visitor(browser, base)
        before = {"a": v.sentences(A), "b": v.sentences(B), "mentions": v.mentions_metric()}
        v.correct()
        assert v.sentences(B) == before["a"] + before["b"]
        assert v.mentions_metric() < before["mentions"]
        exported = v.entities_download().set_index("name")
        assert A not in exported.index and BLOCKED not in exported.index
        other = Visitor(browser, base)
        assert other.sentences(B) == before["b"]  # another visitor: the shared data
        assert other.mentions_metric() == before["mentions"]
        other.close()
        v.close()
    assert not (store.path / "entity_rules.csv").exists()
