"""Placeholder until the gazetteer extractor lands (issue 3)."""

from __future__ import annotations


class _NoMentions:
    method = "none/0"

    def __call__(self, text, sentences):
        return []


def build_extractor():
    return _NoMentions()
