"""A word index of the article texts, so that the first search of a word does not read them all.

The search box's terms match as the scan of :func:`core.analytics.query.search.compile_term`
says: a word when ``lower(title)`` or ``lower(text)`` contains it (a substring: ``iran`` finds
"Iranian"), a phrase when a case-insensitive regular expression finds its words separated by
whitespace runs. Scanning every text costs 6–11 s at a million articles (2.2 GB of text,
decompressed and lower-cased on every new query); this index answers the same questions, with
exactly the same results, from the words of the texts.

**What is stored.** The table ``tw`` (an engine table, one file per store version like the
others): one row per (word, slice of 100,000 articles): ``word`` a maximal run of word
characters (letters, marks, digits, ``_``: RE2's ``[\\pL\\pN\\pM_]``) of DuckDB's ``lower()`` of
the title and text, ``folded`` its case fold (``lower(upper(word))``), ``aids`` the articles of
the slice holding it. Whole words rather than trigrams: a word is only a substring of the
words it sits in, so the vocabulary (10⁵–10⁶ rows) is what a query scans, and an article
appears once per distinct word (~210 postings an article, ~1.8 bytes each), where trigrams
would store several times more. Posting lists rather than ``(word, article)`` rows: a query
reads the lists of the words it matches and nothing else, however scattered they are.
Slices keep the memory of the build bounded (one slice's words are grouped at a time).

**Why the results are exact.**

* A term made of word characters only (``iran``, ``1``): ``lower(text)`` contains it exactly
  when one of the words of ``lower(text)`` does (a run of word characters lies inside one
  maximal run). So the answer is the union of the lists of the words containing it: no
  text is read. The term is lower-cased by Python and compared with DuckDB's ``lower()``
  words, as the scan compares it with DuckDB's ``lower()`` text.
* Any other term (``u.s.``, ``1,000``, ``don't``) or a phrase: the runs of word characters
  in it (found by the same RE2 class, in DuckDB) must each sit in a word of the article: the
  first as the end of a word when something follows it in the term, the last as the start of
  a word when something precedes it, the inner ones as whole words (compared by their case
  folds, as the phrase's ``(?i)`` compares characters, so that ``ſ`` / ``s`` or ``ς`` / ``σ``
  cannot hide a match). That gives candidates, a superset of the matches, which are then
  checked with the scan's own condition on their texts only. A term with no word character
  at all (``...``) is checked on every text, as before.
* ``AND`` intersects, ``OR`` unites, ``NOT`` takes the rest of the articles; under an ``AND``
  the terms that need their texts checked are checked only within what the other terms
  left.

The index is built by ``python -m core warm`` (``core.analytics.prepare_store``) and, if that
has not run, on the first search; a new batch is a new store version, so a new index.
"""

from __future__ import annotations

from core.analytics.query.search import Any, Not, Term, compile_term

# RE2's word characters (DuckDB's regular expressions): ``\w`` in RE2 is ASCII only.
WORD_CHARS = r"[\pL\pN\pM_]"
# Articles grouped per slice while the index is built: ~21M (article, word) pairs at a time.
SLICE_ARTICLES = 100_000


def text_index_table(eng) -> str:
    """Build (once per store version) and return the word index ``tw`` of the texts.

    Returns: the table name; one row per (word, slice of articles): word, folded, aids.
    """
    txt = eng.text_table()
    if eng.has("tw"):
        return "tw"
    n = eng.cursor().execute("SELECT coalesce(max(aid), 0) FROM a").fetchone()[0]
    words = f"regexp_extract_all(lower(concat_ws(' ', a.title, t.text)), '{WORD_CHARS}+')"
    slices = [
        f"SELECT word, list(aid ORDER BY aid) AS aids FROM ("
        f"SELECT a.aid, unnest(list_distinct({words})) AS word FROM a JOIN {txt} t USING (aid)"
        f" WHERE a.aid > {lo} AND a.aid <= {lo + SLICE_ARTICLES}) GROUP BY word"
        for lo in range(0, max(n, 1), SLICE_ARTICLES)
    ]
    sql = (
        "SELECT word, lower(upper(word)) AS folded, aids FROM ("
        + " UNION ALL ".join(f"({s})" for s in slices)
        + ")"
    )
    return eng.ensure("tw", sql, rules=False)


class _Plan:
    """The common table expressions of one search, built node by node."""

    def __init__(self, eng) -> None:
        self.eng = eng
        self.ctes: list[str] = []
        self.params: list = []
        self.index = text_index_table(eng)

    def add(self, sql: str, params: list | None = None) -> str:
        name = f"s{len(self.ctes)}"
        self.ctes.append(f"{name} AS MATERIALIZED ({sql})")
        self.params += params or []
        return name

    def sql(self, node, within: str | None = None) -> str:
        """A CTE whose aids, within ``within`` (a CTE, None: all articles), are the
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

    def term(self, text: str, within: str | None) -> str:
        parts, starts, ends = (
            self.eng.cursor()
            .execute(
                f"SELECT regexp_extract_all(?, '{WORD_CHARS}+'), regexp_matches(?, '^{WORD_CHARS}'),"
                f" regexp_matches(?, '{WORD_CHARS}$')",
                [text] * 3,
            )
            .fetchone()
        )
        if parts == [text]:  # only word characters: exactly the articles of the words holding it
            return self.add(
                f"SELECT DISTINCT unnest(aids) AS aid FROM {self.index} WHERE contains(word, ?)",
                [text],
            )
        # Each run of word characters is bounded where the term goes on before / after it.
        lists, params = [], []
        for i, part in enumerate(parts):
            test = {
                (True, True): "folded = lower(upper(?))",
                (True, False): "starts_with(folded, lower(upper(?)))",
                (False, True): "ends_with(folded, lower(upper(?)))",
            }[i > 0 or not starts, i < len(parts) - 1 or not ends]
            lists.append(f"SELECT unnest(aids) AS aid FROM {self.index} WHERE {test}")
            params.append(part)
        if within:
            lists.append(f"SELECT aid FROM {within}")
        if not lists:
            lists.append("SELECT aid FROM a")
        candidates = self.add(" INTERSECT ".join(lists), params)
        cond, cond_params = compile_term(text, ["a.title", "t.text"])
        return self.add(
            f"SELECT aid FROM a JOIN {self.eng.text_table()} t USING (aid)"
            f" WHERE aid IN (SELECT aid FROM {candidates}) AND {cond}",
            cond_params,
        )


def _reads_texts(node) -> bool:
    """True when ``node`` may need texts checked (a term not made of word characters only);
    a cheap syntactic test, used to order the terms of an AND."""
    if isinstance(node, Term):
        return " " in node.text or not node.text.replace("_", "a").isalnum()
    if isinstance(node, Not):
        return _reads_texts(node.part)
    return any(_reads_texts(p) for p in node.parts)


def search_sql(eng, tree) -> tuple[str, list]:
    """SQL selecting the ``aid`` of the articles matching the parsed search ``tree``.

    ``tree`` comes from :func:`core.analytics.query.search.parse_query` (None: every article).

    Returns: ``(sql, params)``; the query's rows are distinct aids.
    """
    if tree is None:
        return "SELECT aid FROM a", []
    plan = _Plan(eng)
    last = plan.sql(tree)
    return f"WITH {', '.join(plan.ctes)} SELECT aid FROM {last}", plan.params
