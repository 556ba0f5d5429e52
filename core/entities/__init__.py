"""Entities: one canonical name per person, organisation and place across the whole store.

Why our own code, not a library: this is the product's edge. What an analyst publishes is
"who is mentioned most, and how outlets differ", and that answer is only right when "Donald J.
Trump" (The New York Times' house style), "Donald Trump" and a bare "Trump" are one person while
Donald Trump Jr is another; when a bare "Pelosi" means the Nancy Pelosi of that month's news; and
when a user can correct what the machine got wrong without re-ingesting. Entity-linking
libraries (spaCy's entity linker, REL, BLINK) link to Wikipedia with large models and a
knowledge base: heavy, online or GPU-bound, and blind to a corpus's own names (local
politicians, new people). Resolution here uses the corpus itself: name keys, the article, the
dates, and word statistics.

Where it lives (issue 12): resolution is a store-level derived table, rebuilt for each set of
committed batches on first use and kept in ``STORE/.derived`` (:mod:`core.entities.derived`),
not a column written at ingest: a later batch can change which full name a bare surname means,
and batches are immutable. The user's corrections (:mod:`core.entities.rules`) are a small table
in the store applied on every read and part of ``Store.version()``, so every cache keyed by it
(the query engine, the dashboard) sees them. The query engine
(``core.analytics.query.engine``) reads mentions through the resolution, so every count, chart
and export uses the canonical names.

Modules, imports only downward: ``names`` (keys and parts of names), ``frames`` (table
helpers: a surname's bearer in an article or the corpus), ``variants`` (step 1: one id per
name), ``people`` (a person's name: ``people.titles``, what "Mr", "Mrs", "President" before
a name say; ``people.namesakes``, the extractor's surname links revisited; ``people.surnames``,
step 2: lone surnames; ``people.evidence``, what in an article supports a bearer named
elsewhere; ``people.tails``, a name that is the trailing words of another: "Peña
Nieto", "Tory Liam Fox"),
``noise`` (corpus word statistics), ``resolve`` (the resolution, a pure function of tables),
``rules`` (corrections), ``derived`` (the store's resolution, entities and resolved mentions),
``cli`` (``python -m core entities``).
"""

from core.entities.derived import (
    auto_resolution,
    read_entities,
    read_mentions,
    read_resolution,
)
from core.entities.rules import ACTIONS, RuleError, add_rule, read_rules, write_rules

__all__ = [
    "ACTIONS",
    "RuleError",
    "add_rule",
    "auto_resolution",
    "read_entities",
    "read_mentions",
    "read_resolution",
    "read_rules",
    "write_rules",
]
