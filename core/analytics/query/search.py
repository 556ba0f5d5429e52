"""The text search of the filter's ``q``: words, "quoted phrases", AND / OR / NOT, parentheses.

Syntax (as in Media Cloud or a web search box):

* ``benghazi libya`` — both (a space is an implicit AND);
* ``"security council"`` — the phrase as written (any case, any run of spaces inside);
* ``libya OR egypt``, ``libya AND NOT egypt``, ``-egypt`` (NOT), ``(libya OR egypt) AND un``;
* operators are recognised in capitals only, so a lower-case ``or`` is a word to find.

A term matches an article whose title or text contains it, ignoring case (a substring, as
before: ``iran`` finds "Iranian"). Malformed input never raises: an unclosed quote runs to the
end, unbalanced parentheses are closed or dropped, a dangling operator is ignored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_TOKEN = re.compile(r'"([^"]*)"?|(\()|(\))|([^\s()"]+)')
_OPERATORS = {"AND", "OR", "NOT"}


@dataclass(frozen=True)
class Term:
    """A word or phrase to find (lower-cased, inner spaces collapsed)."""

    text: str


@dataclass(frozen=True)
class Not:
    """Articles not matching ``part``."""

    part: object


@dataclass(frozen=True)
class All:
    """Articles matching every one of ``parts``."""

    parts: tuple


@dataclass(frozen=True)
class Any:
    """Articles matching at least one of ``parts``."""

    parts: tuple


def _tokens(q: str) -> list[tuple[str, str]]:
    """Returns: a list of (kind, value): kind is term, phrase, op, open or close."""
    out: list[tuple[str, str]] = []
    for m in _TOKEN.finditer(q):
        phrase, opened, closed, word = m.groups()
        if phrase is not None:
            text = " ".join(phrase.split())
            if text:
                out.append(("phrase", text))
        elif opened:
            out.append(("open", "("))
        elif closed:
            out.append(("close", ")"))
        elif word in _OPERATORS:
            out.append(("op", word))
        elif word.startswith("-") and len(word) > 1:
            out += [("op", "NOT"), ("term", word[1:])]
        elif word != "-":
            out.append(("term", word))
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse_or(self):
        parts = [self.parse_and()]
        while self.peek() == ("op", "OR"):
            self.take()
            parts.append(self.parse_and())
        return _join(Any, parts)

    def parse_and(self):
        parts = [self.parse_not()]
        while True:
            token = self.peek()
            if token is None or token[0] == "close" or token == ("op", "OR"):
                break
            if token == ("op", "AND"):
                self.take()
                continue
            parts.append(self.parse_not())
        return _join(All, parts)

    def parse_not(self):
        token = self.peek()
        if token == ("op", "NOT"):
            self.take()
            part = self.parse_not()
            return None if part is None else Not(part)
        return self.parse_atom()

    def parse_atom(self):
        token = self.peek()
        if token is None:
            return None
        kind, value = self.take()
        if kind == "open":
            inner = self.parse_or()
            if self.peek() == ("close", ")"):
                self.take()
            return inner
        if kind in ("term", "phrase"):
            return Term(value.lower())
        return None  # a stray ")" or operator: skipped


def _join(cls, parts: list):
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else cls(tuple(parts))


def parse_query(q: str | None) -> Term | Not | All | Any | None:
    """Parse a search box text into a query tree.

    Returns: the tree (``Term``, ``Not``, ``All``, ``Any``), or None when ``q`` holds no term.
    """
    tokens = _tokens(q or "")
    parser = _Parser(tokens)
    parts = []
    while parser.pos < len(tokens):
        before = parser.pos
        parts.append(parser.parse_or())
        if parser.pos == before:  # a stray ")" at top level
            parser.take()
    return _join(All, parts)


def query_terms(q: str | None) -> list[str]:
    """The words and phrases a match must or may contain (those under a NOT are left out).

    Returns: lower-cased terms in order of appearance, each once (for highlighting).
    """
    out: list[str] = []

    def walk(node, negated: bool) -> None:
        if isinstance(node, Term):
            if not negated and node.text not in out:
                out.append(node.text)
        elif isinstance(node, Not):
            walk(node.part, not negated)
        elif isinstance(node, All | Any):
            for part in node.parts:
                walk(part, negated)

    walk(parse_query(q), False)
    return out


def matches_query(q: str | None, *texts: str | None) -> bool:
    """True when the article whose title / text are ``texts`` matches ``q`` (None: all match).

    Texts that are not strings (a missing title) are skipped.
    """
    haystack = "\n".join(" ".join(t.split()).lower() for t in texts if isinstance(t, str))
    return _eval(parse_query(q), haystack)


def _eval(node, haystack: str) -> bool:
    if node is None:
        return True
    if isinstance(node, Term):
        return node.text in haystack
    if isinstance(node, Not):
        return not _eval(node.part, haystack)
    if isinstance(node, All):
        return all(_eval(p, haystack) for p in node.parts)
    return any(_eval(p, haystack) for p in node.parts)


def compile_term(text: str, columns: Sequence[str]) -> tuple[str, list]:
    """SQL condition (DuckDB) of one term (a ``Term``'s text) over the text ``columns``.

    A word matches when any column contains it, ignoring case; a phrase's words may be
    separated by any run of whitespace (a line break too).

    Returns: ``(sql, params)``.
    """
    alts: list[str] = []
    params: list = []
    for col in columns:
        if " " in text:
            # A phrase: its words separated by any whitespace run (line breaks too).
            alts.append(f"regexp_matches(coalesce({col}, ''), ?)")
            params.append("(?i)" + r"\s+".join(re.escape(w) for w in text.split(" ")))
        else:
            alts.append(f"contains(lower(coalesce({col}, '')), ?)")
            params.append(text)
    return "(" + " OR ".join(alts) + ")", params


def compile_query(q: str | None, columns: Sequence[str]) -> tuple[str, list]:
    """SQL condition (DuckDB) of ``q`` over the text ``columns`` (e.g. title and text).

    Each term as :func:`compile_term` says; ``AND`` / ``OR`` / ``NOT`` as written.

    Returns: ``(sql, params)``; ``TRUE`` when ``q`` holds no term.
    """
    params: list = []

    def sql(node) -> str:
        if isinstance(node, Term):
            cond, term_params = compile_term(node.text, columns)
            params.extend(term_params)
            return cond
        if isinstance(node, Not):
            return f"(NOT {sql(node.part)})"
        joiner = " AND " if isinstance(node, All) else " OR "
        return "(" + joiner.join(sql(p) for p in node.parts) + ")"

    tree = parse_query(q)
    return ("TRUE", []) if tree is None else (sql(tree), params)
