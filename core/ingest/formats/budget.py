"""Bounded work per HTML page: an element limit checked before parsing, a time limit on the
parse and extraction.

A page is read by trafilatura (lxml, readability, justext, htmldate), whose work grows with
the page's elements and which cannot be interrupted from inside the process without signals
(that break the dashboard, which ingests in a thread). So:

- ``PRESSLENS_MAX_HTML_ELEMENTS`` (default 100,000; a long news page has a few thousand):
  a page with more elements is rejected before trafilatura sees it. ``content.count("<")``
  bounds the element count from above at C speed; only a page past that bound is parsed
  by lxml (linear, about a second for 15 MB) to count its elements exactly.
- ``PRESSLENS_HTML_SECONDS`` (default 30): a page larger than ``IN_PROCESS_BYTES`` is read
  in a child process (forkserver, safe from a thread) that is killed at the deadline; the
  page is rejected with the reason and the run goes on. A smaller page is read in the
  process: its size bounds its time (well under a second).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from typing import TypeVar


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    try:
        value = float(raw) if raw else default
    except ValueError:
        return default
    return value if value > 0 else default


MAX_HTML_ELEMENTS = int(_env_number("PRESSLENS_MAX_HTML_ELEMENTS", 100_000))
HTML_SECONDS = _env_number("PRESSLENS_HTML_SECONDS", 30.0)
IN_PROCESS_BYTES = 512 * 1024  # a smaller page is read in the process (no child to start)

T = TypeVar("T")


class OverBudget(ValueError):
    """An input that would cost more work than its budget; the message says which."""


def check_html_elements(content: str, *, limit: int | None = None) -> None:
    """Raise ``OverBudget`` when ``content`` holds more HTML elements than ``limit``
    (default ``MAX_HTML_ELEMENTS``)."""
    limit = MAX_HTML_ELEMENTS if limit is None else limit
    if content.count("<") <= limit:  # every element opens with "<": a cheap upper bound
        return
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(content)
    except Exception:  # noqa: BLE001 - unparsable here: trafilatura says so in its own words
        return
    n = sum(1 for _ in tree.iter())
    if n > limit:
        raise OverBudget(
            f"page has {n:,} HTML elements, over the limit of {limit:,} "
            f"(PRESSLENS_MAX_HTML_ELEMENTS)"
        )


def run_with_deadline(fn: Callable[..., T], *args: object, seconds: float, **kwargs: object) -> T:
    """Run ``fn(*args, **kwargs)`` in a child process, killed after ``seconds``.

    Exceptions of ``fn`` are raised here as they were raised there.

    Returns: what ``fn`` returned; raises ``OverBudget`` at the deadline.
    """
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    with context.Pool(1) as pool:  # leaving the block terminates the child, done or not
        pending = pool.apply_async(fn, args, kwargs)
        try:
            return pending.get(timeout=seconds)
        except multiprocessing.TimeoutError:
            raise OverBudget(
                f"reading the page took more than {seconds:g} s (PRESSLENS_HTML_SECONDS)"
            ) from None
