"""Articles from the web: page URLs, RSS/Atom feeds (every item's page) and sitemaps.

Politeness and bounds (``WebOptions``): a User-Agent naming Presslens, a timeout
per request, a size cap per response, at most ``concurrency`` requests at once,
and retries with exponential backoff for timeouts, dropped connections, 429 and
5xx answers (``Retry-After`` honoured up to a cap). A URL that still fails is
returned as ``Rejected`` with the reason, so the report names it; the others are
stored.

A page whose canonical URL is already stored (as the article's ``url`` or the
``origin`` it was fetched from) is not fetched again: re-running a feed adds
only its new items. Text, title, date and site name come from the page
(trafilatura), falling back to the feed item's.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from core.ingest.formats.documents import Draft, RecordError, domain_of, read_html
from core.ingest.sources.inputs import Rejected

USER_AGENT = "Presslens/0.1 (news analytics; +https://github.com/presslens/presslens)"
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|cmpid|ocid|ns_\w+|at_\w+)$", re.I)
_XML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(rss|feed|rdf:RDF|urlset|sitemapindex)\b", re.S
)


@dataclass(frozen=True)
class WebOptions:
    """Bounds of the web fetcher."""

    timeout: float = 20.0  # seconds per request (connect and each read)
    max_bytes: int = 5 * 1024 * 1024  # per response
    concurrency: int = 4  # requests at once
    retries: int = 3  # attempts after the first, for transient failures
    backoff: float = 1.0  # seconds before the first retry; doubled each time
    max_retry_after: float = 30.0  # longest Retry-After wait honoured
    max_pages: int = 10_000  # pages taken from one feed or sitemap
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class WebPage:
    """A fetched page to read as an article (quacks like ``inputs.Item``)."""

    origin: str  # the URL as requested (feed link, sitemap loc, or given)
    suffix: str
    data: bytes
    folder: str | None
    url: str  # the URL the page was finally fetched from (after redirects)
    fallback: dict = field(default_factory=dict)  # the feed item's title, published, source, text


@dataclass(frozen=True)
class Found:
    """A feed or sitemap listed ``pages`` pages (for the progress total)."""

    origin: str
    pages: int


@dataclass(frozen=True)
class KnownURL:
    """A page URL whose article is already stored (not fetched again)."""

    origin: str


class FetchError(Exception):
    """A URL that could not be fetched; the message is the reason."""


def is_url(value: object) -> bool:
    """True for an ``http://`` or ``https://`` URL (given as a string)."""
    return isinstance(value, str) and re.match(r"(?i)https?://", value.strip()) is not None


def canonical_url(url: str) -> str:
    """Return ``url`` in a form that compares equal for the same page.

    Lower-case scheme and host, no fragment, no tracking parameters
    (``utm_*``, ``fbclid`` …), the others sorted, no trailing slash.
    """
    parts = urlsplit(url.strip())
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    )
    path = parts.path.rstrip("/") or "/"
    netloc = parts.netloc.lower()
    for default in (":80", ":443"):
        if netloc.endswith(default) and parts.scheme.lower() == (
            "http" if default == ":80" else "https"
        ):
            netloc = netloc[: -len(default)]
    return urlunsplit((parts.scheme.lower(), netloc, path, urlencode(query), ""))


class Fetcher:
    """Polite, bounded HTTP GETs (one ``requests`` session per fetcher)."""

    def __init__(self, options: WebOptions | None = None) -> None:
        import requests

        self.options = options or WebOptions()
        self._requests = requests
        self.session = requests.Session()
        self.session.headers["User-Agent"] = self.options.user_agent
        self.session.headers["Accept"] = (
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        )

    def fetch(self, url: str) -> tuple[str, str, bytes]:
        """GET ``url`` with retries. Returns: ``(final_url, content_type, body)``.

        Raises ``FetchError`` naming the last failure.
        """
        opts = self.options
        delay = opts.backoff
        for attempt in range(opts.retries + 1):
            last = attempt == opts.retries
            try:
                return self._get(url)
            except _Transient as exc:
                if last:
                    raise FetchError(str(exc)) from None
                wait = min(exc.retry_after, opts.max_retry_after) if exc.retry_after else delay
                time.sleep(wait)
                delay *= 2
        raise FetchError("no attempt made")  # pragma: no cover - the loop always returns or raises

    def _get(self, url: str) -> tuple[str, str, bytes]:
        req = self._requests
        try:
            response = self.session.get(url, timeout=self.options.timeout, stream=True)
        except req.exceptions.Timeout:
            raise _Transient(f"timed out after {self.options.timeout:g} s") from None
        except req.exceptions.ConnectionError as exc:
            raise _Transient(f"connection failed ({_short(exc)})") from None
        except req.exceptions.RequestException as exc:
            raise FetchError(f"bad request ({_short(exc)})") from None
        with response:
            status = response.status_code
            if status == 429 or status >= 500:
                raise _Transient(f"HTTP {status}", retry_after=_retry_after(response))
            if status >= 400:
                raise FetchError(f"HTTP {status} {response.reason or ''}".strip())
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > self.options.max_bytes:
                raise FetchError(f"larger than {self.options.max_bytes // 1024} KiB")
            body = bytearray()
            try:
                for chunk in response.iter_content(65_536):
                    body += chunk
                    if len(body) > self.options.max_bytes:
                        raise FetchError(f"larger than {self.options.max_bytes // 1024} KiB")
            except req.exceptions.RequestException as exc:
                raise _Transient(f"connection dropped ({_short(exc)})") from None
            return response.url, response.headers.get("Content-Type", ""), bytes(body)


class _Transient(Exception):
    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _retry_after(response) -> float | None:
    value = response.headers.get("Retry-After", "")
    return float(value) if value.strip().isdigit() else None


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) < 160 else text[:157] + "…"


def iter_web(
    urls: Iterable[str], *, known: set[str], options: WebOptions | None = None
) -> Iterator[WebPage | Rejected | KnownURL | Found]:
    """Yield a ``WebPage`` per article page under ``urls`` (pages, feeds, sitemaps).

    ``known`` holds canonical URLs already stored; it grows with every page
    yielded, so a page linked twice is fetched once.
    """
    fetcher = Fetcher(options)
    opts = fetcher.options
    for url in urls:
        url = url.strip()
        if canonical_url(url) in known:
            yield KnownURL(url)
            continue
        try:
            final, ctype, body = fetcher.fetch(url)
        except FetchError as exc:
            yield Rejected(url, str(exc))
            continue
        kind = classify(ctype, body)
        if kind == "html":
            known.add(canonical_url(url))
            yield WebPage(url, ".html", body, None, final)
            continue
        try:
            links = read_feed(body) if kind == "feed" else read_sitemap(body, final, fetcher)
            links = [(urljoin(final, link), fallback) for link, fallback in links]  # relative
        except RecordError as exc:
            yield Rejected(url, str(exc))
            continue
        if not links:
            yield Rejected(url, f"the {kind} lists no pages")
            continue
        links = links[: opts.max_pages]
        yield Found(url, len(links))
        yield from _fetch_pages(links, fetcher=fetcher, known=known)


def classify(content_type: str, body: bytes) -> str:
    """Return ``feed``, ``sitemap`` or ``html`` for a fetched document."""
    m = _XML_START.match(body[:4096])
    if m:
        return "sitemap" if m[1] in (b"urlset", b"sitemapindex") else "feed"
    if "rss" in content_type or "atom" in content_type:
        return "feed"
    return "html"


def read_feed(body: bytes) -> list[tuple[str, dict]]:
    """Return ``(link, fallback)`` per item of an RSS or Atom feed (feedparser).

    ``fallback`` holds what the feed says of the item (title, published,
    source, text), used where the page itself does not say.
    """
    import feedparser

    feed = feedparser.parse(body)
    if not feed.entries and feed.bozo:
        raise RecordError(f"unreadable feed ({_short(feed.bozo_exception)})")
    source = (feed.feed.get("title") or "").strip() or None
    out = []
    for entry in feed.entries:
        link = entry.get("link") or next(
            (lk.get("href") for lk in entry.get("links", []) if lk.get("href")), None
        )
        if not link:
            continue
        struct = entry.get("published_parsed") or entry.get("updated_parsed")
        content = entry.get("content") or []
        text = (content[0].get("value") if content else None) or entry.get("summary") or ""
        out.append(
            (
                link,
                {
                    "title": (entry.get("title") or "").strip() or None,
                    "published": time.strftime("%Y-%m-%d", struct) if struct else None,
                    "source": source,
                    "text": _strip_tags(text),
                },
            )
        )
    return out


def read_sitemap(
    body: bytes, base: str, fetcher: Fetcher, *, depth: int = 0
) -> list[tuple[str, dict]]:
    """Return ``(page URL, {})`` per ``<loc>`` of a sitemap (an index is followed 2 levels)."""
    from lxml import etree

    try:
        root = etree.fromstring(
            body, parser=etree.XMLParser(resolve_entities=False, no_network=True)
        )
    except etree.XMLSyntaxError as exc:
        raise RecordError(f"unreadable sitemap ({exc})") from None
    locs = [
        urljoin(base, (el.text or "").strip())
        for el in root.iter("{*}loc")
        if (el.text or "").strip()
    ]
    if etree.QName(root).localname != "sitemapindex":
        return [(loc, {}) for loc in locs]
    if depth >= 2:
        return []
    pages: list[tuple[str, dict]] = []
    for loc in locs:
        try:
            final, _, sub = fetcher.fetch(loc)
        except FetchError:
            continue
        pages += read_sitemap(sub, final, fetcher, depth=depth + 1)
    return pages


def _fetch_pages(
    links: list[tuple[str, dict]], *, fetcher: Fetcher, known: set[str]
) -> Iterator[WebPage | Rejected | KnownURL]:
    todo: list[tuple[str, dict]] = []
    for link, fallback in links:
        key = canonical_url(link)
        if key in known:
            yield KnownURL(link)
        else:
            known.add(key)
            todo.append((link, fallback))

    def get(pair: tuple[str, dict]) -> WebPage | Rejected:
        link, fallback = pair
        try:
            final, _, body = fetcher.fetch(link)
        except FetchError as exc:
            return Rejected(link, str(exc))
        return WebPage(link, ".html", body, None, final, fallback)

    # Chunks bound the pages held in memory; within one, ``concurrency`` requests run at once.
    chunk = max(1, fetcher.options.concurrency) * 4
    with ThreadPoolExecutor(max_workers=max(1, fetcher.options.concurrency)) as pool:
        for start in range(0, len(todo), chunk):
            yield from pool.map(get, todo[start : start + chunk])


def read_web_page(content: str, page: WebPage) -> Draft:
    """Read a fetched page as a draft: the page's text and metadata, else the feed item's.

    Returns: the draft (``origin`` the URL requested). Raises ``RecordError``
    when neither the page nor the feed item has text.
    """
    from core.extract.timex.pubdate import parse_published

    fallback = page.fallback
    feed_text = (fallback.get("text") or "").strip()
    try:
        draft = read_html(content, origin=page.origin, url=page.url)
    except RecordError:
        if not feed_text:
            raise
        draft = Draft(text="", origin=page.origin, url=page.url)
    # A page shorter than its feed item's summary is a failed extraction (a paywall, a page
    # built by JavaScript, a menu): the feed's text is the better one.
    if len(draft.text.strip()) < len(feed_text):
        draft.text = feed_text
        draft.warnings.append(f"{page.origin}: no article text in the page; used the feed item's")
    draft.url = draft.url or page.url
    draft.title = draft.title or fallback.get("title")
    if draft.published is None and fallback.get("published"):
        draft.published = parse_published(fallback["published"])
    # The page's site name, else the feed's title, else the host (read_html's own last resort).
    urls = [u for u in (draft.url, page.url, page.origin) if u]
    hosts = {domain_of(u) for u in urls} | {urlsplit(u).netloc for u in urls}
    if (not draft.source or draft.source in hosts) and fallback.get("source"):
        draft.source = fallback["source"]
    draft.source = draft.source or domain_of(page.url)
    return draft


def _strip_tags(html: str) -> str:
    """Plain text of a feed item's HTML summary (tags dropped, entities kept as decoded)."""
    import html as html_lib

    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html or "")
    text = re.sub(r"(?i)<br\s*/?>|</p>", "\n\n", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = html_lib.unescape(text)
    return "\n\n".join(" ".join(p.split()) for p in text.split("\n\n") if p.strip())
