"""Placeholder until the date extractor lands (issue 4)."""

from __future__ import annotations


class _NoDates:
    method = "none/0"

    def __call__(self, text, sentences, *, anchor):
        return []


def build_extractor():
    return _NoDates()
