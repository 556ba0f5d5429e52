"""Imported by the worker pool's fork server only (``core.ingest.workers.engines.ProcessEngine``).

Importing this module builds the default extractors (gazetteer, date rules) and loads the
language model, once, in the fork server: every worker forked from it starts with them
built, instead of each worker building its own copy (half a second of CPU per worker, and
the memory shared copy-on-write). Nothing else imports it.
"""

from __future__ import annotations

from core.extract import get_date_extractor, get_mention_extractor
from core.ingest.language import detect_language

get_mention_extractor("gazetteer")
get_date_extractor("rules")
detect_language("The language model loads once, in the fork server, before any worker forks.")
