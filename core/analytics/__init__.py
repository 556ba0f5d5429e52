"""Presslens analytics: the questions the dashboard asks, answered over the stored tables."""

from __future__ import annotations


def warm_up(store, *, windows: tuple[str, ...] = ("sentence",)) -> None:
    """Build the per-store copy and the precomputed tables the pages use, ahead of a visit.

    On ~10M mentions this takes a minute or two (see docs/benchmarks.md); run it in a
    background thread after an ingest so that the first page view is fast.
    """
    from core.analytics.cooccurrence import count_pairs
    from core.analytics.frequencies import count_articles, count_mentions
    from core.analytics.sources import count_share_of_voice
    from core.analytics.timeline import count_referenced_dates

    count_articles(store)
    count_mentions(store, by=("entity",), freq="month", top=1)
    count_mentions(store, by=("entity",), top=1)
    count_mentions(store, by=("country_code",), top=1)
    count_share_of_voice(store, top=1)
    count_referenced_dates(store)
    for window in windows:
        count_pairs(store, window=window, top=1)
