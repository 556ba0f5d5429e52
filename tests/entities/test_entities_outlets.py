"""An organisation's own outlets ("BBC News", "BBC Radio 4", "ABC News") count as the
organisation when the corpus names it too (core.entities.variants.outlet_parent)."""

from __future__ import annotations

import pandas as pd

from core.entities.resolve import resolve_pairs
from core.entities.variants import outlet_parent


def _ids(rows):
    pairs = pd.DataFrame(
        [(a, e, e, "org", n, None) for a, e, n in rows],
        columns=["article_id", "entity", "text", "kind", "n_mentions", "published"],
    )
    out = resolve_pairs(pairs)
    return dict(zip(out["entity"], zip(out["entity_id"], out["name"], strict=True), strict=True))


def test_a_section_or_station_of_a_named_organisation_is_the_organisation():
    got = _ids(
        [
            ("a1", "BBC", 3),
            ("a2", "BBC News", 2),
            ("a3", "BBC News Online", 1),
            ("a4", "BBC Radio 4", 1),
            ("a5", "BBC World Service", 1),
        ]
    )
    assert {v for v in got.values()} == {("org:bbc", "BBC")}


def test_products_places_and_unnamed_parents_stay_apart():
    got = _ids(
        [
            ("a1", "BBC", 3),
            ("a2", "BBC Scotland", 1),
            ("a3", "Google", 2),
            ("a4", "Google Maps", 1),
            ("a5", "Sky News", 2),  # no "Sky" in this corpus: the outlet is all there is
        ]
    )
    assert got["BBC Scotland"][0] == "org:bbc-scotland"
    assert got["Google Maps"][0] == "org:google-maps"
    assert got["Sky News"] == ("org:sky-news", "Sky News")


def test_outlet_parent_reads_only_outlet_words_after_the_name():
    orgs = {"bbc", "channel 4", "nintendo"}
    assert outlet_parent("bbc radio five live", orgs) == "bbc"
    assert outlet_parent("channel 4 news", orgs) == "channel 4"
    assert outlet_parent("nintendo 64", orgs) == "nintendo 64"  # a console, not a channel
    assert outlet_parent("bbc persian service", orgs) == "bbc persian service"
