"""Feeds and URLs, against a local HTTP server on 127.0.0.1 (port 0) only."""

from __future__ import annotations

import datetime as dt
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core.cli import main
from core.ingest import ingest_paths
from core.ingest.sources.web import WebOptions, canonical_url, classify
from core.store import Store

FAST = WebOptions(timeout=2.0, backoff=0.01, retries=2, concurrency=3)
NAV = '<nav><a href="/">Home</a> <a href="/world">World</a> Subscribe to Example Plus today</nav>'
FOOTER = "<footer>Copyright 2024 Example News. All rights reserved. Cookie policy.</footer>"
BODIES = {
    "a1": "Flooding closed roads across Bangladesh on Monday as the monsoon arrived early.",
    "a2": "Kenya's central bank raised its main lending rate to curb rising food prices.",
    "a3": "Chile's senate approved the new mining royalty after a two-year debate.",
    "a4": "Norway will expand its electric ferry network along the western fjords.",
}


def _page(key: str, *, day: int) -> bytes:
    body = BODIES[key]
    paragraphs = "".join(
        f"<p>{body} Officials said more details would follow in the coming week, "
        f"according to a statement read out in the capital (part {i}).</p>"
        for i in range(4)
    )
    return (
        f"<html><head><title>Story {key} | Example News</title>"
        f'<meta property="og:site_name" content="Example News">'
        f'<meta name="author" content="Jane Doe">'
        f'<meta property="article:section" content="World">'
        f'<meta property="article:published_time" content="2024-03-{day:02d}">'
        f"</head><body>{NAV}<article><h1>Story {key}</h1>{paragraphs}</article>{FOOTER}"
        f"</body></html>"
    ).encode()


def _routes(base: str) -> dict[str, tuple[int, str, bytes]]:
    rss = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Example RSS</title>
<item><title>Story a1</title><link>{base}/a1?utm_source=rss</link>
<pubDate>Mon, 04 Mar 2024 08:00:00 GMT</pubDate></item>
<item><title>Story a2</title><link>{base}/a2</link></item>
<item><title>Feed-only title</title><link>{base}/empty</link>
<pubDate>Tue, 05 Mar 2024 08:00:00 GMT</pubDate>
<description>&lt;p&gt;Only the feed says that Peru's congress met on Tuesday.&lt;/p&gt;
</description>
</item></channel></rss>"""
    atom = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example Atom</title>
<entry><title>Story a2</title><link href="{base}/a2"/>
<updated>2024-03-02T00:00:00Z</updated></entry>
<entry><title>Story a3</title><link href="{base}/a3"/>
<updated>2024-03-03T00:00:00Z</updated></entry>
</feed>"""
    sitemap = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/a4</loc></url><url><loc>{base}/dead</loc></url></urlset>"""
    html = "text/html; charset=utf-8"
    return {
        "/rss.xml": (200, "application/rss+xml", rss.encode()),
        "/atom.xml": (200, "application/atom+xml", atom.encode()),
        "/sitemap.xml": (200, "application/xml", sitemap.encode()),
        "/a1": (200, html, _page("a1", day=1)),
        "/a2": (200, html, _page("a2", day=2)),
        "/a3": (200, html, _page("a3", day=3)),
        "/a4": (200, html, _page("a4", day=4)),
        "/empty": (200, html, b"<html><head></head><body><nav>Home</nav></body></html>"),
        "/big": (200, html, b"<html><body>" + b"x" * 200_000 + b"</body></html>"),
        "/relative.xml": (
            200,
            "application/rss+xml",
            b'<rss version="2.0"><channel><title>R</title><item><link>/a4</link></item>'
            b"</channel></rss>",
        ),
    }


class _Server:
    def __init__(self) -> None:
        self.hits: dict[str, int] = {}
        self.agents: set[str] = set()
        self.flaky_left = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server API
                path = self.path.split("?")[0]
                server.hits[path] = server.hits.get(path, 0) + 1
                server.agents.add(self.headers.get("User-Agent", ""))
                if path == "/slow":
                    time.sleep(1.5)
                if path == "/flaky" and server.flaky_left > 0:
                    server.flaky_left -= 1
                    status, ctype, body = 503, "text/plain", b"busy"
                elif path == "/flaky":
                    status, ctype, body = server.routes["/a1"]
                else:
                    status, ctype, body = server.routes.get(path, (404, "text/plain", b"gone"))
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.routes = _routes(self.base)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def site():
    server = _Server()
    yield server
    server.close()


def _ingest(store, *urls, options=FAST):
    return ingest_paths(list(urls), store=store, progress=False, web=options)


def test_rss_atom_and_sitemap_ingest_their_pages_without_boilerplate(store, site):
    b = site.base
    report = _ingest(store, f"{b}/rss.xml", f"{b}/atom.xml", f"{b}/sitemap.xml")
    assert report.added == 5, report.summary()  # a1, a2, empty (feed text), a3, a4
    assert report.rejected == [(f"{b}/dead", "HTTP 404 Not Found")]
    assert report.duplicates == 1  # a2 is in both feeds: fetched once
    assert site.hits["/a2"] == 1
    arts = store.table("articles").set_index("origin")
    a1 = arts.loc[f"{b}/a1?utm_source=rss"]
    assert BODIES["a1"] in a1.text
    for boilerplate in ("Subscribe", "Copyright", "Cookie"):
        assert boilerplate not in "".join(arts.text)
    assert a1.source == "Example News" and a1.published == dt.date(2024, 3, 1)
    assert a1.title.startswith("Story a1")
    meta = store.table("article_meta")
    assert {("author", "Jane Doe"), ("section", "World")} <= set(
        zip(meta.key, meta.value, strict=True)
    )
    assert any("Presslens" in agent for agent in site.agents)


def test_the_feed_item_fills_in_what_the_page_lacks(store, site):
    report = _ingest(store, f"{site.base}/rss.xml")
    arts = store.table("articles").set_index("origin")
    empty = arts.loc[f"{site.base}/empty"]
    assert empty.text == "Only the feed says that Peru's congress met on Tuesday."
    assert empty.title == "Feed-only title" and empty.published == dt.date(2024, 3, 5)
    assert empty.source == "Example RSS"
    assert any("used the feed item's" in w for w in report.warnings)


def test_rerunning_a_feed_adds_only_new_items_and_fetches_no_stored_page(store, site):
    first = _ingest(store, f"{site.base}/rss.xml")
    assert first.added == 3
    hits = dict(site.hits)
    site.routes["/rss.xml"] = (
        200,
        "application/rss+xml",
        site.routes["/rss.xml"][2].replace(
            b"</channel>", f"<item><link>{site.base}/a3</link></item></channel>".encode()
        ),
    )
    second = _ingest(store, f"{site.base}/rss.xml")
    assert (second.added, second.duplicates) == (1, 3)
    assert site.hits["/a1"] == hits["/a1"] and site.hits.get("/a3") == 1


def test_a_page_url_ingests_that_page(store, site):
    report = _ingest(store, f"{site.base}/a4")
    assert report.ok and report.added == 1
    assert store.table("articles").url.tolist() == [f"{site.base}/a4"]


def test_transient_failures_are_retried_with_backoff(store, site):
    site.flaky_left = 2
    report = _ingest(store, f"{site.base}/flaky")
    assert report.ok and report.added == 1 and site.hits["/flaky"] == 3


def test_bounds_name_each_failed_url(store, site):
    opts = WebOptions(timeout=0.5, retries=0, max_bytes=50_000, backoff=0.01)
    b = site.base
    report = _ingest(store, f"{b}/big", f"{b}/slow", f"{b}/a1", options=opts)
    reasons = dict(report.rejected)
    assert "larger than" in reasons[f"{b}/big"] and "timed out" in reasons[f"{b}/slow"]
    assert report.added == 1


def test_cli_exit_1_names_the_dead_link_and_keeps_the_rest(tmp_path, site, capsys):
    store = tmp_path / "store"
    code = main(["ingest", f"{site.base}/sitemap.xml", "--store", str(store)])
    err = capsys.readouterr().err
    assert code == 1 and f"rejected: {site.base}/dead: HTTP 404" in err
    assert len(Store(store).table("articles")) == 1


def test_canonical_url_and_classify():
    assert canonical_url("HTTP://Example.com:80/a/?utm_source=x&b=2&a=1#top") == (
        "http://example.com/a?a=1&b=2"
    )
    assert classify("text/xml", b'<?xml version="1.0"?>\n<urlset>') == "sitemap"
    assert classify("", b"<rss version='2.0'>") == "feed"
    assert classify("text/html", b"<!doctype html><html>") == "html"


def test_progress_total_grows_to_the_feed_s_pages(store, site):
    seen = []
    ingest_paths(
        [f"{site.base}/rss.xml", f"{site.base}/sitemap.xml"],
        store=store,
        progress=False,
        web=FAST,
        on_status=lambda p: seen.append((p.done, p.total)),
    )
    assert seen[-1] == (5, 5)  # three feed items, two sitemap pages (one dead)


def test_relative_feed_links_are_resolved_against_the_feed(store, site):
    report = _ingest(store, f"{site.base}/relative.xml")
    assert report.ok and report.added == 1
    assert store.table("articles").origin.tolist() == [f"{site.base}/a4"]
