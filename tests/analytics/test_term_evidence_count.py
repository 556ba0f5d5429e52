"""count_term_evidence counts exactly the rows find_term_evidence lists."""

from __future__ import annotations

from core.analytics.query.filters import Filter
from core.analytics.term_evidence import count_term_evidence, find_term_evidence


def test_count_equals_the_rows_listed(seed_store):
    for term, source, flt in (
        ("russia", None, None),
        ("Russia", "BBC", None),
        ("russia", None, Filter(sources=("unknown",))),
        ("russ", None, None),  # whole words only: none
        ("  ", None, None),
    ):
        rows = find_term_evidence(seed_store, flt, term=term, source=source, limit=None)
        assert count_term_evidence(seed_store, flt, term=term, source=source) == len(rows)
    assert count_term_evidence(seed_store, term="russia") > 0
