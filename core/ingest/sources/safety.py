"""Checks on values that come from inputs and end up in links, file listings or messages.

- ``check_url``: an article's URL is kept only when it is an absolute http(s) URL with a
  host. ``javascript:``, ``data:``, ``=HYPERLINK(...)`` or an unparsable ``http://[::1``
  would become a link in the dashboard or a formula in a spreadsheet; it is dropped with a
  reason the caller reports as a warning (the article itself is kept).
- ``escape_name``: a file or member name as printed in a summary, control characters made
  visible (a name holding a newline must not print a fake line into the report).
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

MAX_URL_CHARS = 4096  # longer is not a real article link (browsers cut far below 64k)
SAFE_SCHEMES = frozenset({"http", "https"})


def check_url(value: object) -> tuple[str | None, str | None]:
    """Decide whether ``value`` may be stored as an article's URL.

    Returns: ``(url, None)`` for an absolute http(s) URL with a host (surrounding spaces
    stripped); ``(None, reason)`` for anything else that was given; ``(None, None)`` when no
    URL was given (None or blank).
    """
    if value is None:
        return None, None
    if not isinstance(value, str):
        return None, f"url {escape_name(repr(value))} is not text: dropped"
    url = value.strip()
    if not url:
        return None, None
    shown = escape_name(url if len(url) <= 80 else url[:77] + "...")
    if len(url) > MAX_URL_CHARS:
        return None, f"url {shown} is longer than {MAX_URL_CHARS} characters: dropped"
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cs") for ch in url):
        return None, f"url {shown} holds spaces or control characters: dropped"
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError as exc:
        return None, f"url {shown} cannot be parsed ({exc}): dropped"
    if parts.scheme.lower() not in SAFE_SCHEMES:
        return None, f"url {shown} is not an http(s) link: dropped"
    if not host:
        return None, f"url {shown} names no host: dropped"
    return url, None


def escape_name(name: str) -> str:
    """``name`` with control and format characters (newline, tab, ESC, bidi overrides) shown
    as escapes (``\\n``, ``\\x1b``, ``\\u202e``), so one name prints as one line as written.

    Returns: the printable form; a name without such characters is returned unchanged.
    """
    if all(ch.isprintable() for ch in name):
        return name
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in name
    )
