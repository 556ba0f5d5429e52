"""Quotations with their speakers, and quotes that changed between two aligned articles.

Why our own: quote attribution libraries need a parser or a model download; news
attribution follows a few fixed shapes that rules catch with exact offsets:
``X said “…”``, ``“…,” X said`` / ``“…,” said X``, ``according to X``, and a pronoun
(``He added that “…”``) that refers to the last named speaker of the preceding sentences.

Quote marks: curly “…” pair by direction; straight "…" pair left to right within a
paragraph. A quote inside another quote is part of the outer one. A curly quote left open
at the end of a paragraph is closed there (the news convention for a quote that runs
over several paragraphs reopens it on the next).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

import pandas as pd
from rapidfuzz import fuzz

from core.text import sentence_index, split_sentences

_SPEECH_VERBS = (
    r"said|says|say|added|adds|told|tells|stated|states|declared|declares|wrote|writes|"
    r"argued|argues|insisted|insists|noted|notes|warned|warns|explained|explains|"
    r"claimed|claims|asked|asks|responded|responds|replied|replies|boasted|boasts|"
    r"continued|continues|tweeted|tweets|announced|announces|acknowledged|acknowledges|"
    r"recalled|recalls|conceded|concedes|suggested|suggests|urged|urges|called|calls|"
    r"described|describes|stressed|stresses|predicted|predicts"
)
_TITLES = frozenset(
    """mr mrs ms dr prof sir dame lord lady president vice prime minister senator sen rep
    representative governor gov secretary general gen chancellor king queen prince
    princess pope judge justice chairman chairwoman chief ambassador leader""".split()
)
_NOT_NAMES = frozenset(
    """the a an in on at as but and or if when while after before then this that these
    those it its he she they we i you his her their our according however also meanwhile
    still yet so there here what who why how monday tuesday wednesday thursday friday
    saturday sunday""".split()
)
_PRONOUNS = frozenset({"he", "she", "they", "it"})
# A capitalised word: letters, inner hyphens/apostrophes/dots (Jong-un, O'Brien, U.S.).
_CAP = r"[A-Z][\w’'.-]*[\w.]|[A-Z]"
_NAME = rf"(?:(?:{_CAP})(?:\s+(?:de|van|von|bin|al|da|del|la|le)?\s*(?:{_CAP}))*)"
_VERB = rf"(?:(?:has|had|have|also|then|later|once)\s+)*(?:{_SPEECH_VERBS})\b"
# Speaker before the quote: "Mr Putin said", "Alexander Matsegora, told", "He added".
_BEFORE = re.compile(rf"(?P<name>{_NAME}|[Hh]e|[Ss]he|[Tt]hey|[Ii]t),?\s+{_VERB}")
# Speaker after the quote: ', President Vladimir Putin has said', '," said Mr Kim'.
_AFTER_NAME_VERB = re.compile(rf"^[\s,.;:—–-]*(?P<name>{_NAME}|he|she|they|it)\s+{_VERB}")
_AFTER_VERB_NAME = re.compile(rf"^[\s,.;:—–-]*(?:{_SPEECH_VERBS})\s+(?P<name>{_NAME})")
_ACCORDING = re.compile(rf"[Aa]ccording to\s+(?P<name>{_NAME})")
_OPEN_CURLY, _CLOSE_CURLY = "“", "”"


def find_quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the quoted text (inside the marks) of every outermost double quote.

    Returns: ``(start_char, end_char)`` pairs in order, never overlapping.
    """
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", text):
        p_start, p_end = para.span()
        i = p_start
        while i < p_end:
            ch = text[i]
            if ch == _OPEN_CURLY:
                close = _find_curly_close(text, i + 1, p_end)
                spans.append((i + 1, close))
                i = close + 1
            elif ch == '"':
                close = text.find('"', i + 1, p_end)
                if close == -1:
                    i += 1  # a stray straight quote: nothing to pair it with
                    continue
                spans.append((i + 1, close))
                i = close + 1
            else:
                i += 1
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _find_curly_close(text: str, start: int, end: int) -> int:
    """Index of the ” closing the “ before ``start`` (nesting counted), else ``end``."""
    depth = 0
    for k in range(start, end):
        if text[k] == _OPEN_CURLY:
            depth += 1
        elif text[k] == _CLOSE_CURLY:
            if depth == 0:
                return k
            depth -= 1
    return end


def _clean_name(name: str) -> tuple[str, str] | None:
    """(speaker as written without titles, speaker_key) or None when it is not a name."""
    words = name.replace("’s", "").replace("'s", "").split()
    while words and (words[0].lower().rstrip(".") in _TITLES or words[0].lower() in _NOT_NAMES):
        words = words[1:]
    if not words:
        return None
    speaker = " ".join(words)
    # Korean-style names put the family name first: "Kim Jong-un" is Mr Kim.
    family_first = len(words) > 1 and re.search(r"-[a-z]", words[-1]) is not None
    key = (words[0] if family_first else words[-1]).lower().strip(".")
    return speaker, key


class _Speakers:
    """The most recent named speaker, for pronouns."""

    def __init__(self) -> None:
        self.last: tuple[str, str] | None = None

    def resolve(self, name: str) -> tuple[str, str] | None:
        if name.lower() in _PRONOUNS:
            return self.last
        found = _clean_name(name)
        if found:
            self.last = found
        return found


def extract_quotes(text: str) -> list[dict]:
    """Quotations in ``text`` (straight and curly double quotes) with their speaker.

    Returns: one dict per quote, in order: ``start_char``, ``end_char`` (of the quoted
    text, inside the marks), ``sentence`` (index of the sentence where it starts, as in
    :func:`core.text.split_sentences`), ``text``, ``speaker`` (as written, titles
    stripped; None when the text names nobody), ``speaker_key`` (lower-cased last word of
    the speaker, e.g. ``putin``), ``is_short`` (1–2 words: a scare quote or a phrase).
    """
    sentences = split_sentences(text)
    spans = find_quote_spans(text)
    by_sentence: dict[int, list[tuple[int, int]]] = {}
    for s, e in spans:
        by_sentence.setdefault(sentence_index(sentences, s), []).append((s, e))
    speakers = _Speakers()
    out = []
    for idx, (_, s_start, s_end) in enumerate(sentences):
        quotes = by_sentence.get(idx, [])
        if not quotes:
            _note_subjects(text[s_start:s_end], speakers)
            continue
        speaker = _attribute(text, s_start, max(s_end, quotes[-1][1]), quotes, speakers)
        for q_start, q_end in quotes:
            quoted = text[q_start:q_end]
            out.append(
                {
                    "start_char": q_start,
                    "end_char": q_end,
                    "sentence": idx,
                    "text": quoted,
                    "speaker": speaker[0] if speaker else None,
                    "speaker_key": speaker[1] if speaker else None,
                    "is_short": len(quoted.split()) <= 2,
                }
            )
    return out


def _note_subjects(sentence: str, speakers: _Speakers) -> None:
    """Remember the last named 'X said' subject of a sentence without quotes."""
    for m in _BEFORE.finditer(sentence):
        if m.group("name").lower() not in _PRONOUNS:
            speakers.resolve(m.group("name"))


def _attribute(
    text: str,
    s_start: int,
    s_end: int,
    quotes: Sequence[tuple[int, int]],
    speakers: _Speakers,
) -> tuple[str, str] | None:
    """The speaker of a sentence's quotes: after the last quote, else before the first."""
    # Text outside the quotes, with each quote blanked out so names inside never count.
    outside = list(text[s_start:s_end])
    for q_start, q_end in quotes:
        for k in range(q_start - 1, min(q_end + 1, s_end)):
            outside[k - s_start] = " "
    plain = "".join(outside)
    # 1. '“…,” X said' / '“…,” said X' right after a quote.
    for q_start, q_end in quotes:
        tail = plain[q_end + 1 - s_start :]
        m = _AFTER_NAME_VERB.match(tail) or _AFTER_VERB_NAME.match(tail)
        if m:
            found = speakers.resolve(m.group("name"))
            if found:
                return found
    # 2. 'X said … “…”': the last 'name verb' before the first quote.
    head = plain[: quotes[0][0] - s_start]
    candidates = list(_BEFORE.finditer(head))
    for m in reversed(candidates):
        found = speakers.resolve(m.group("name"))
        if found:
            return found
    # 3. 'according to X' anywhere outside the quotes.
    m = _ACCORDING.search(plain)
    if m:
        return speakers.resolve(m.group("name"))
    return None


def quote_diff(a: str, b: str) -> list[dict]:
    """Word-level diff of two quotes. Returns: one ``{op, a, b}`` per difflib opcode."""
    wa, wb = a.split(), b.split()
    ops = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).get_opcodes():
        ops.append({"op": op, "a": " ".join(wa[i1:i2]), "b": " ".join(wb[j1:j2])})
    return ops


def format_diff(ops: Sequence[dict]) -> str:
    """A diff as text: ``[-removed-]{+added+}`` around changes, equal words as they are."""
    parts = []
    for op in ops:
        if op["op"] == "equal":
            parts.append(op["a"])
            continue
        removed = f"[-{op['a']}-]" if op["a"] else ""
        added = f"{{+{op['b']}+}}" if op["b"] else ""
        parts.append(removed + added)
    return " ".join(parts)


def _norm(quote: str) -> str:
    return " ".join(re.findall(r"\w+", quote.lower()))


def _quote_similarity(a: str, b: str) -> float:
    return fuzz.ratio(_norm(a), _norm(b)) / 100.0


def compare_quotes(
    quotes_a: Sequence[dict], quotes_b: Sequence[dict], alignment: pd.DataFrame
) -> list[dict]:
    """Match the quotes of two articles and flag the ones whose wording changed.

    Quotes are matched within aligned sentence pairs (best similarity first; a pair of
    sentences holding one quote each always pairs them, however different the words),
    then any leftover quote is matched anywhere in the other article when its words are
    nearly the same (ratio >= 0.9), to catch a quote moved to another sentence.

    Returns: one dict per quote or quote pair, in a's order: ``a``, ``b`` (quote texts or
    None), ``speaker``, ``status`` (same | altered | only_a | only_b), ``diff`` (word-level
    ops for an altered quote, else an empty list), ``a_sentence``, ``b_sentence``.
    """
    in_a: dict[int, list[int]] = {}
    in_b: dict[int, list[int]] = {}
    for k, q in enumerate(quotes_a):
        in_a.setdefault(q["sentence"], []).append(k)
    for k, q in enumerate(quotes_b):
        in_b.setdefault(q["sentence"], []).append(k)
    matches: list[tuple[int, int]] = []
    paired = alignment[alignment["relation"].isin(["identical", "paraphrase"])]
    for row in paired.itertuples():
        ka, kb = in_a.get(int(row.a_sentence), []), in_b.get(int(row.b_sentence), [])
        if len(ka) == 1 and len(kb) == 1:
            matches.append((ka[0], kb[0]))
            continue
        matches += _greedy(quotes_a, quotes_b, ka, kb, minimum=0.5)
    left_a = [k for k in range(len(quotes_a)) if k not in {m[0] for m in matches}]
    left_b = [k for k in range(len(quotes_b)) if k not in {m[1] for m in matches}]
    matches += _greedy(quotes_a, quotes_b, left_a, left_b, minimum=0.9)
    matched_a = {m[0] for m in matches}
    matched_b = {m[1] for m in matches}
    out = []
    for ia, ib in matches:
        qa, qb = quotes_a[ia], quotes_b[ib]
        same = _norm(qa["text"]) == _norm(qb["text"])
        out.append(
            _row(qa, qb, "same" if same else "altered",
                 [] if same else quote_diff(qa["text"], qb["text"]))
        )
    out += [_row(quotes_a[k], None, "only_a", []) for k in range(len(quotes_a))
            if k not in matched_a]
    out += [_row(None, quotes_b[k], "only_b", []) for k in range(len(quotes_b))
            if k not in matched_b]
    out.sort(key=_order_key)
    for row in out:
        del row["_a_start"], row["_b_start"]
    return out


def _greedy(
    quotes_a: Sequence[dict],
    quotes_b: Sequence[dict],
    ka: Sequence[int],
    kb: Sequence[int],
    *,
    minimum: float,
) -> list[tuple[int, int]]:
    scored = sorted(
        ((_quote_similarity(quotes_a[i]["text"], quotes_b[j]["text"]), i, j) for i in ka
         for j in kb),
        reverse=True,
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for score, i, j in scored:
        if score < minimum or i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        out.append((i, j))
    return out


def _row(qa: dict | None, qb: dict | None, status: str, diff: list[dict]) -> dict:
    speaker = (qa or {}).get("speaker") or (qb or {}).get("speaker")
    return {
        "a": qa["text"] if qa else None,
        "b": qb["text"] if qb else None,
        "speaker": speaker,
        "status": status,
        "diff": diff,
        "a_sentence": qa["sentence"] if qa else None,
        "b_sentence": qb["sentence"] if qb else None,
        "_a_start": qa["start_char"] if qa else None,
        "_b_start": qb["start_char"] if qb else None,
    }


def _order_key(row: dict) -> tuple[int, int]:
    """a's reading order; only_b quotes after all of a's (by their position in b)."""
    if row["_a_start"] is not None:
        return (0, row["_a_start"])
    return (1, row["_b_start"])
