"""Text normalisation and segmentation shared by every extractor.

Sentence splitting is ours, not a library's: every offset in every table
indexes ``articles.text``, so the splitter must never alter the text, must be
fast (thousands of articles a second) and must know news conventions (Mr, Dr,
U.S., initials, quotes closing a sentence). Rule-based splitters such as pysbd
are an order of magnitude slower and rewrite whitespace.
"""

from __future__ import annotations

import re
import unicodedata

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    (
        "mr mrs ms dr prof st mt sen rep gov gen col lt sgt capt cmdr adm maj rev hon pres "
        "jr sr co corp inc ltd plc bros no nos vs etc al fig approx jan feb mar apr jun jul "
        "aug sep sept oct nov dec est dept univ assn u.s u.k u.n e.g i.e a.m p.m "
    ).split()
)

# A candidate boundary: terminal punctuation, optional closing quotes/brackets,
# then whitespace.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_LINE = re.compile(r"[^\n]+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_surrogates(text: str) -> str:
    """``text`` with each lone surrogate (a JSON ``\\udfff`` escape decodes to one; UTF-8
    cannot hold it, so no table could store it) replaced by U+FFFD, one code point for one:
    offsets stay the same.

    Returns: the text, unchanged when it holds none.
    """
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def normalise_text(text: str) -> str:
    """Return ``text`` with Unicode NFC, ``\\n`` line ends, no BOM, no lone surrogate and no
    trailing space.

    Curly quotes and dashes are kept as written.
    """
    text = replace_surrogates(text).replace("\ufeff", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text.strip()


def count_words(text: str) -> int:
    """Return the number of words (runs of word characters, hyphens inside) in ``text``."""
    return len(_WORD.findall(text))


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at ``dot`` closes an abbreviation or an initial."""
    start = dot
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    token = text[start:dot].lower()
    if not token:
        return False
    if len(token) == 1 and token.isalpha():
        return True  # an initial: "George W. Bush"
    return token in _ABBREVIATIONS


def split_sentences(text: str) -> list[tuple[int, int, int]]:
    """Split ``text`` into sentences.

    Returns: a list of ``(paragraph, start_char, end_char)``, one per sentence,
    in order; ``text[start_char:end_char]`` is the sentence without surrounding
    whitespace. Line breaks always end a sentence and start a new paragraph.
    """
    out: list[tuple[int, int, int]] = []
    paragraph = -1
    for line_match in _LINE.finditer(text):
        line_start, line_end = line_match.span()
        if text[line_start:line_end].isspace():
            continue
        paragraph += 1
        start = line_start
        for m in _BOUNDARY.finditer(text, line_start, line_end):
            end = m.end()
            punct_at = m.start()
            if text[punct_at] == "." and _is_abbreviation(text, punct_at):
                continue
            nxt = end
            while nxt < line_end and text[nxt].isspace():
                nxt += 1
            # A lowercase continuation ("... said the U.S. economy") is not a boundary.
            if nxt < line_end and text[nxt].islower():
                continue
            _append(out, text, paragraph, start, end)
            start = nxt
        _append(out, text, paragraph, start, line_end)
    return out


def first_sentence(text: str) -> str:
    """Return the first sentence of ``text`` as :func:`split_sentences` finds it.

    Only the first line that holds a word is split: a line break always ends a sentence, so
    the rest of a long article need not be read.

    Returns: the sentence, or ``""`` when ``text`` is blank.
    """
    for line_match in _LINE.finditer(text):
        line = line_match.group()
        if not line.isspace():
            sentences = split_sentences(line)
            return line[sentences[0][1] : sentences[0][2]] if sentences else ""
    return ""


def _append(out: list, text: str, paragraph: int, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((paragraph, start, end))


def sentence_index(sentences: list[tuple[int, int, int]], offset: int) -> int:
    """Return the index of the sentence containing (or nearest before) ``offset``."""
    lo, hi = 0, len(sentences) - 1
    ans = 0
    while lo <= hi:
        mid = (lo + hi) // 2
        if sentences[mid][1] <= offset:
            ans = mid
            lo = mid + 1
        else:
            hi = mid - 1
    return ans
