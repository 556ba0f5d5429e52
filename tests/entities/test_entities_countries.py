"""An entity's country in the ``entities`` table (core.entities.derived.summarise_entities): the
country most of its mentions with a country name, held by two of them (or its only mention)."""

from __future__ import annotations

import pandas as pd

from core.entities.derived import summarise_entities


def _res(rows):
    """rows: (article_id, entity_id, n_mentions); one text per entity, kept, exact."""
    return pd.DataFrame(
        [
            {
                "article_id": a,
                "entity": e,
                "text": e,
                "entity_id": e,
                "name": e,
                "kind": "person",
                "n_mentions": n,
                "resolved_by": "exact",
                "status": "kept",
            }
            for a, e, n in rows
        ]
    )


def _countries(rows):
    """rows: (article_id, entity, country_code, n)."""
    return pd.DataFrame(
        [
            {"article_id": a, "entity": e, "text": e, "country_code": c, "n": n}
            for a, e, c, n in rows
        ]
    )


def test_a_stray_country_is_no_country_of_the_entity():
    res = _res(
        [(f"a{i}", "Mourinho", 7) for i in range(10)] + [("b", "Blair", 5), ("c", "Ruddock", 1)]
    )
    countries = _countries(
        [
            ("a1", "Mourinho", "AUS", 1),  # "Newcastle" read as Australia, once
            ("a2", "Mourinho", "FRA", 1),  # a French defender in the same sentence
            ("b", "Blair", "GBR", 3),  # "British Prime Minister Tony Blair"
            ("b", "Blair", "IRQ", 1),
            ("c", "Ruddock", "GBR", 1),  # "Wales coach Mike Ruddock", his only mention
        ]
    )
    got = summarise_entities(res, countries).set_index("name")["country_code"]
    assert pd.isna(got["Mourinho"])
    assert got["Blair"] == "GBR"
    assert got["Ruddock"] == "GBR"


def test_two_countries_tied_at_half_keep_the_first_by_code():
    res = _res([("a", "Smith", 4)])
    countries = _countries([("a", "Smith", "USA", 2), ("a", "Smith", "GBR", 2)])
    assert (
        summarise_entities(res, countries).set_index("name").loc["Smith", "country_code"] == "GBR"
    )
