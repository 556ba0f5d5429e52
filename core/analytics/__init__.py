"""Presslens analytics: the questions the dashboard asks, answered over the stored tables."""

from __future__ import annotations


def warm_up(store, *, windows: tuple[str, ...] = ("sentence",)) -> None:
    """Build the per-store copy and the precomputed tables the pages use, ahead of a visit.

    On ~10M mentions this takes a minute or two (see docs/benchmarks.md); run it in a
    background thread after an ingest so that the first page view is fast.
    """
    from core.analytics.frequencies import count_articles, count_mentions
    from core.analytics.pairs.cooccurrence import count_pairs
    from core.analytics.sources import count_share_of_voice
    from core.analytics.timeline import count_coarser_dates, count_referenced_dates

    count_articles(store)
    count_mentions(store, by=("entity",), freq="month", top=1)
    count_mentions(store, by=("entity",), top=1)
    count_mentions(store, by=("country_code",), top=1)
    count_share_of_voice(store, top=1)
    count_referenced_dates(store, coarser="leave_out")  # as the Dates page asks
    count_coarser_dates(store)
    for window in windows:
        count_pairs(store, window=window, top=1)


def prepare_store(store) -> None:
    """Build everything the dashboard's pages read for the store's current version: the query
    engine's tables (with the entity resolution), the precomputed counts, the Sources page's
    word counts and story groups, every co-occurrence window's pair tables, and the text
    search's word index.

    All of it is kept on disk per store version, so a dashboard started after this opens in
    about a second instead of building it (minutes and gigabytes on a million articles; see
    docs/benchmarks.md). ``python -m core warm`` runs it after an ingest; the dashboard runs it
    in a background thread when it opens a store.
    """
    from core.analytics.pairs.cooccurrence import count_pairs
    from core.analytics.query.engine import engine_for
    from core.analytics.query.filters import Filter
    from core.analytics.query.text_index import text_index_table
    from core.analytics.reuse.stories import group_store_stories
    from core.analytics.sources import count_terms

    warm_up(store)
    # The Sources page's two slow first calls, cheapest first: its word counts and the story
    # groups (both kept per store version, so later processes read them back).
    count_terms(store, Filter())
    group_store_stories(store)
    for window in ("paragraph", "article"):  # the Network page's other windows
        count_pairs(store, window=window, top=1)
    text_index_table(engine_for(store))  # the search box's word index of the texts
