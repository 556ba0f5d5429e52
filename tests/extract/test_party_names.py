"""A party's short name ('Labour', 'the Tories') is the party, like its full name."""

from __future__ import annotations

from core.extract.mentions import build_extractor
from core.text import split_sentences


def _orgs(text: str) -> list[tuple[str, str]]:
    rows = build_extractor()(text, split_sentences(text))
    return [(r["text"], r["entity"]) for r in rows if r["kind"] == "org"]


def test_short_party_names_are_the_party():
    text = (
        "Labour's campaign began. The Tories said the Conservatives would win. "
        "Labour Party aides met."
    )
    assert _orgs(text) == [
        ("Labour", "Labour Party"),
        ("Tories", "Conservative Party"),
        ("Conservatives", "Conservative Party"),
        ("Labour Party", "Labour Party"),
    ]


def test_lower_case_labour_is_no_party():
    assert _orgs("Rising labour costs hit the firm.") == []
