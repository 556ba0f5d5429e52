"""The context a lone surname shares with a bearer's stories, read a range of articles at a time
(core.entities.people.evidence.CONTEXT_ROWS): the same resolutions whatever the range, also when
the bearer's story is copied by many outlets."""

from __future__ import annotations

import pytest

from core.entities.people import evidence
from core.entities.resolve import resolve_pairs
from tests.entities.test_entities_evidence import DAY, MS, POLICE, _got, _pairs


def _actress(copies: int, *, with_context: bool) -> list[tuple]:
    """Halle Berry named in full in ``copies`` articles, each also naming "Catwoman" if
    ``with_context`` (a film story reprinted by many outlets)."""
    rows = []
    for i in range(copies):
        day = DAY.format(1 + i % 9)
        rows.append((f"h{i:03d}", "Halle Berry", "Halle Berry", "person", 1, day))
        if with_context:
            rows.append((f"h{i:03d}", "Catwoman", "Catwoman", "org", 1, day))
    return rows


@pytest.mark.parametrize("context_rows", [1, 3, 2_000_000])
@pytest.mark.parametrize("copies", [3, 60])
def test_shared_context_is_found_whatever_the_range_read(monkeypatch, context_rows, copies):
    monkeypatch.setattr(evidence, "CONTEXT_ROWS", context_rows)
    police = POLICE + [("p1", "Catwoman", "Catwoman", "org", 1, DAY.format(10))]
    # "Catwoman" is in most articles of a small corpus: at most 5 % of them are specific, so
    # other stories pad the corpus.
    padding = [
        (f"x{i:03d}", f"Person {i}", f"Person {i}", "person", 1, DAY.format(12))
        for i in range(40 * copies)
    ]
    got = _got(
        resolve_pairs(_pairs(_actress(copies, with_context=True) + police + padding), titles=MS)
    )
    assert got[("p1", "Berry", "Berry")] == ("person:halle-berry", "surname-in-corpus")
    # The same stories without the film's name: the police story shares nothing with hers.
    got = _got(
        resolve_pairs(_pairs(_actress(copies, with_context=False) + POLICE + padding), titles=MS)
    )
    assert got[("p1", "Berry", "Berry")] == ("person:berry", "exact")


@pytest.mark.parametrize("context_rows", [1, 2_000_000])
def test_context_only_in_the_asking_article_is_no_support(monkeypatch, context_rows):
    """The one article naming "Catwoman" is the asking article: no other article of the bearer
    shares it."""
    monkeypatch.setattr(evidence, "CONTEXT_ROWS", context_rows)
    police = POLICE + [("p1", "Catwoman", "Catwoman", "org", 1, DAY.format(10))]
    padding = [
        (f"x{i:03d}", f"Person {i}", f"Person {i}", "person", 1, DAY.format(12)) for i in range(100)
    ]
    got = _got(resolve_pairs(_pairs(_actress(3, with_context=False) + police + padding), titles=MS))
    assert got[("p1", "Berry", "Berry")] == ("person:berry", "exact")
