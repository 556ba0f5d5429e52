"""What one occurrence of a word is: the one rule behind word counts and their evidence.

The Sources page counts words per source (:func:`core.analytics.sources.count_terms`) and a
click on a word lists the sentences behind its count (:mod:`core.analytics.term_evidence`).
Both read the text through this module, so a word's count equals the number of occurrences its
evidence lists and marks. The rule, as a media researcher counting words would want it:

* A **word** is a run of letters (Unicode letters, with their combining accents) that may hold
  an apostrophe between two letters: ``o'brien``, ``don't``, ``rock'n'roll`` are one word each.
* Case is ignored (``Labour``, ``LABOUR`` and ``labour`` are ``labour``); accents are kept
  (``café`` is not ``cafe``, ``Müller`` is ``müller``): they tell words and names apart.
* The curly apostrophe ``’`` and the modifier letter ``ʼ`` are read as ``'``.
* A final ``'s`` is not part of the word: the possessive (``Blair's``, ``Blair’s``,
  ``the Kremlin's``) counts as the word itself, as the contracted ``is`` / ``has`` does
  (``it's`` → ``it``, a stopword). An apostrophe after the word (the plural possessive
  ``MPs'``) is not part of it either.
* Hyphens, dashes, slashes, digits, underscores and all other characters separate words:
  ``Labour-led`` is ``labour`` and ``led``, ``Covid-19`` is ``covid``. Every use of *labour* is
  then counted, which is what a share or a distinctive-word score compares; this is also how
  the tokenisers of scikit-learn's ``CountVectorizer`` and spaCy (Scattertext's) split them.

Occurrences are counted within sentences (the store's ``sentences`` spans), the units evidence
lists: text outside every sentence is not counted, and no word spans two sentences.

The rule runs in DuckDB (RE2) for the counts over a whole store and in Python (the ``regex``
package, with the same pattern) to mark an occurrence in a listed sentence; the case is
folded by DuckDB's ``lower()`` in both (Python's ``str.lower`` lengthens a few letters, such
as ``İ``, which would move the marks). ``tests/analytics/test_words.py`` checks the two
engines agree on hard cases.
"""

from __future__ import annotations

import regex

# Read as a straight apostrophe (one character each, so offsets do not move).
APOSTROPHES = "’ʼ"
_LETTERS = r"\p{L}[\p{L}\p{M}]*"
# RE2 and ``regex`` read this pattern alike.
WORD_PATTERN = rf"{_LETTERS}(?:'{_LETTERS})*"
_WORD = regex.compile(WORD_PATTERN)
POSSESSIVE = "'s"


def _sql_str(text: str) -> str:
    """``text`` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def fold_sql(text_sql: str) -> str:
    """SQL of the text ``text_sql`` as words are read from it: lower case, apostrophes folded.

    Same length as the text, character for character, so offsets in it are offsets in the text.
    """
    quotes = _sql_str("'" * len(APOSTROPHES))
    return f"lower(translate({text_sql}, {_sql_str(APOSTROPHES)}, {quotes}))"


def raw_words_sql(text_sql: str) -> str:
    """SQL of the list of word tokens of the text ``text_sql``, in order, each still to be read
    by :func:`word_sql` (which drops a final ``'s``).

    Lists, not lambdas over them: the lambda syntax differs across the DuckDB versions allowed.
    """
    return f"regexp_extract_all({fold_sql(text_sql)}, {_sql_str(WORD_PATTERN)})"


def word_sql(token_sql: str) -> str:
    """SQL of the word a token of :func:`raw_words_sql` is (module doc: the rule)."""
    p = _sql_str(POSSESSIVE)
    return (
        f"CASE WHEN ends_with({token_sql}, {p})"
        f" THEN substr({token_sql}, 1, length({token_sql}) - {len(POSSESSIVE)})"
        f" ELSE {token_sql} END"
    )


def find_word_spans(folded: str) -> list[tuple[str, int, int]]:
    """The words of a text already folded by :func:`fold_sql` (DuckDB's ``lower`` of it).

    Returns: one tuple per occurrence, in order: (word, start, end), the offsets of the word
    itself in ``folded`` (a final ``'s`` left out).
    """
    spans = []
    for found in _WORD.finditer(folded):
        word, start, end = found.group(), found.start(), found.end()
        if word.endswith(POSSESSIVE):
            word, end = word[: -len(POSSESSIVE)], end - len(POSSESSIVE)
        spans.append((word, start, end))
    return spans


def read_word(term: str) -> str | None:
    """The word ``term`` names, read by the rule (``"Blair’s"`` → ``blair``), or None when it
    is not exactly one word (``"labour-led"``, ``"  "``): no occurrence can equal it.

    Case is folded by Python here (a term typed or clicked, not a text whose offsets count).
    """
    folded = str(term).strip().translate({ord(c): "'" for c in APOSTROPHES}).lower()
    if _WORD.fullmatch(folded) is None:
        return None
    return find_word_spans(folded)[0][0]
