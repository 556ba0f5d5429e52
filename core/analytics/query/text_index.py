"""A word index of the article texts, so that the first search of a word does not read them all.

The search box's terms match as the scan of :func:`core.analytics.query.search.compile_term`
says: a word when ``lower(title)`` or ``lower(text)`` contains it (a substring: ``iran`` finds
"Iranian", ``u.s.`` finds "U.S."), a phrase when a case-insensitive regular expression finds
its words separated by whitespace runs. Scanning every text costs 6–11 s at a million
articles (2.2 GB of text, decompressed and lower-cased for every new query); this index
answers the same questions, with exactly the same results, mostly without reading a text.

**What is stored.** The engine table ``tw`` (one file per store version like the others): one
row per (word, slice of 100,000 articles): ``word`` a maximal run of non-whitespace characters
of DuckDB's ``lower()`` of the title and text (split where RE2's ``\\s``, the phrases' own
separator, matches), ``folded`` its case fold (``lower(upper(word))``), ``aids`` the articles
of the slice holding it. Whitespace-delimited words rather than runs of letters or trigrams:
a search term never holds whitespace (the parser splits there), so it is a substring of the
text exactly when it is a substring of one of these words, punctuation included (``u.s.``,
``1,000``, ``don't``), and the vocabulary a query scans stays small (~1.1M words at a million
articles) while an article appears once per distinct word (~220 postings). Posting lists
rather than ``(word, article)`` rows: a query reads the lists of the words it matches and
nothing else, however scattered they are in the vocabulary. Slices keep the memory of the
build bounded (one slice's words are grouped at a time).

**Why the results are exact.**

* A term (no whitespace): ``lower(text)`` contains it exactly when one of the words of
  ``lower(text)`` does, so the answer is the union of the lists of the words containing it,
  and no text is read. The term is lower-cased by Python and compared with DuckDB's
  ``lower()`` words, as the scan compares it with DuckDB's ``lower()`` text.
* A phrase ``w1 w2 … wn``: a match puts ``w1`` at the end of a word, ``wn`` at the start of
  one and the others as whole words, compared by their case folds (as the phrase's ``(?i)``
  compares characters, so that ``ſ`` / ``s`` or ``ς`` / ``σ`` cannot hide a match). The
  articles holding all of them are candidates, checked with the scan's own condition on
  their texts only; under an ``AND``, only within what the other terms left.
* ``AND`` intersects, ``OR`` unites, ``NOT`` takes the rest of the articles.

The index is built by ``python -m core warm`` (``core.analytics.prepare_store``) and, if that
has not run, on the first search; a new batch is a new store version, so a new index.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from core.analytics.query.search import All, Any, Not, Term, compile_term

if TYPE_CHECKING:  # the engine imports this module
    from core.analytics.query.engine import Engine

_STEPS = itertools.count()  # names of the search steps' tables
# Articles grouped per slice while the index is built: ~22M (article, word) pairs at a time.
SLICE_ARTICLES = 100_000


def text_index_table(eng: Engine) -> str:
    """Build (once per store version) and return the word index ``tw`` of the texts.

    Returns: the table name; one row per (word, slice of articles): word, folded, aids.
    """
    txt = eng.text_table()
    if eng.has("tw"):
        return "tw"
    n = eng.cursor().execute("SELECT coalesce(max(aid), 0) FROM a").fetchone()[0]
    # RE2's \s: the whitespace a phrase's words may be separated by (compile_term).
    words = r"string_split_regex(lower(concat_ws(' ', a.title, t.text)), '\s+')"
    slices = [
        f"SELECT word, list(aid ORDER BY aid) AS aids FROM ("
        f"SELECT a.aid, unnest(list_distinct({words})) AS word FROM a JOIN {txt} t USING (aid)"
        f" WHERE a.aid > {lo} AND a.aid <= {lo + SLICE_ARTICLES}) WHERE word <> '' GROUP BY word"
        for lo in range(0, max(n, 1), SLICE_ARTICLES)
    ]
    sql = (
        "SELECT word, lower(upper(word)) AS folded, aids FROM ("
        + " UNION ALL ".join(f"({s})" for s in slices)
        + ")"
    )
    return eng.ensure("tw", sql, rules=False)


class _Plan:
    """The steps of one search, each run at once into a table of aids (dropped at the end):
    a step's result is a real table, so DuckDB reads only the texts of a phrase's candidates
    (a query planned in one piece read every text)."""

    def __init__(self, eng: Engine) -> None:
        self.eng = eng
        self.cur = eng.cursor()
        self.tables: list[str] = []
        self.index = text_index_table(eng)
        self.n = self.cur.execute("SELECT coalesce(max(aid), 0) FROM a").fetchone()[0]

    def add(self, sql: str, params: list | None = None) -> str:
        name = f"search_step_{next(_STEPS)}"
        self.cur.execute(f"CREATE TABLE {name} AS {sql}", params or [])
        self.tables.append(name)
        return name

    def empty(self, table: str) -> bool:
        return self.cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0

    def sql(self, node, within: str | None = None) -> str:
        """A table whose aids, within ``within`` (a table, None: all articles), are the
        articles matching ``node`` there."""
        if isinstance(node, Term):
            return self.term(node.text, within)
        if isinstance(node, Not):
            part = self.sql(node.part, within)
            rest = f"SELECT aid FROM {within}" if within else "SELECT aid FROM a"
            return self.add(f"{rest} EXCEPT SELECT aid FROM {part}")
        if isinstance(node, Any):
            parts = [self.sql(p, within) for p in node.parts]
            return self.add(" UNION ".join(f"SELECT aid FROM {p}" for p in parts))
        # All: the terms read from the index first, then those needing texts within them.
        current = within
        for part in sorted(node.parts, key=_reads_texts):
            found = self.sql(part, current)
            current = (
                found
                if current is None
                else self.add(f"SELECT aid FROM {found} INTERSECT SELECT aid FROM {current}")
            )
        return current

    def union(self, where: str, params: list) -> str:
        """The articles in the lists of the words passing ``where``.

        The lists are merged into a bitstring of the articles (aids run 1..n): setting bits
        costs a few ns a posting, where hashing millions of them (``the``) costs ~1 s."""
        if not self.n:
            return self.add("SELECT aid FROM a")  # no article
        return self.add(
            f"SELECT aid FROM a, (SELECT bitstring_agg(aid, 1, {self.n}) AS b FROM"
            f" (SELECT unnest(aids) AS aid FROM {self.index} WHERE {where}))"
            " WHERE get_bit(b, aid - 1) = 1",
            params,
        )

    def term(self, text: str, within: str | None) -> str:
        if " " not in text:  # a word: exactly the articles of the words holding it
            return self.union("contains(word, ?)", [text])
        # A phrase: the end of a word, whole words, the start of a word; then its texts.
        words = text.split(" ")
        tests = ["ends_with(folded, lower(upper(?)))"]
        tests += ["folded = lower(upper(?))"] * (len(words) - 2)
        tests += ["starts_with(folded, lower(upper(?)))"]
        lists = [within] if within else []
        for test, word in zip(tests, words, strict=True):
            if lists and self.empty(lists[-1]):
                break
            lists.append(self.union(test, [word]))
        candidates = self.add(" INTERSECT ".join(f"SELECT aid FROM {c}" for c in lists))
        if self.empty(candidates):
            return candidates
        cond, cond_params = compile_term(text, ["a.title", "t.text"])
        return self.add(
            f"SELECT aid FROM a JOIN {self.eng.text_table()} t USING (aid)"
            f" WHERE aid IN (SELECT aid FROM {candidates}) AND {cond}",
            cond_params,
        )

    def drop(self) -> None:
        for name in self.tables:
            self.cur.execute(f"DROP TABLE IF EXISTS {name}")


def _reads_texts(node) -> bool:
    """True when ``node`` holds a phrase (whose candidates' texts are read): the terms of an
    AND are looked up in this order, so that texts are read only within the others' result."""
    if isinstance(node, Term):
        return " " in node.text
    if isinstance(node, Not):
        return _reads_texts(node.part)
    return any(_reads_texts(p) for p in node.parts)


def create_search_table(eng: Engine, name: str, tree: Term | Not | All | Any | None) -> str:
    """Create table ``name`` of the articles matching the parsed search ``tree``.

    ``tree`` comes from :func:`core.analytics.query.search.parse_query` (None: every article).
    The steps' own tables are dropped.

    Returns: ``name``; one row per matching article: aid.
    """
    if tree is None:
        eng.cursor().execute(f"CREATE TABLE {name} AS SELECT aid FROM a")
        return name
    plan = _Plan(eng)
    try:
        plan.cur.execute(f"CREATE TABLE {name} AS SELECT aid FROM {plan.sql(tree)}")
    finally:
        plan.drop()
    return name
