"""Quotations with their speakers, and quotes that changed between two aligned articles.

Why our own: quote attribution libraries need a parser or a model download; news
attribution follows a few fixed shapes that rules catch with exact offsets:
``X said “…”``, ``“…,” X said`` / ``“…,” said X``, ``according to X``, and a pronoun
(``He added that “…”``) that refers to the last named speaker of the preceding sentences.

Quote marks: curly “…” pair by direction; straight "…" pair left to right within a
paragraph; mixed pairs (“…" and "…”, common after copy-editing) are accepted. A quote
inside another quote is part of the outer one. A curly quote left open at the end of a
paragraph is closed there (the news convention for a quote that runs over several
paragraphs reopens it on the next). A quote sentence with no attribution of its own
continues the previous sentence's quote and keeps its speaker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.text import sentence_index, split_sentences

_SPEECH_VERBS = (
    r"said|says|say|saying|added|adds|adding|told|tells|telling|stated|states|declared|"
    r"declares|wrote|writes|writing|argued|argues|insisted|insists|noted|notes|noting|"
    r"warned|warns|warning|explained|explains|claimed|claims|claiming|asked|asks|"
    r"responded|responds|replied|replies|boasted|boasts|tweeted|tweets|tweeting|"
    r"announced|announces|acknowledged|acknowledges|recalled|recalls|conceded|concedes|"
    r"suggested|suggests|urged|urges|called|calls|calling|described|describes|stressed|"
    r"stresses|predicted|predicts|concluded|concludes|denounced|denounces|accused|"
    r"accuses|accusing|blasted|blasts|slammed|slams|dismissed|dismisses|praised|praises|"
    r"criticized|criticised|criticizes|criticises|chided|mocked|labeled|labelled|"
    r"branded|complained|complains|countered|counters|vowed|vows|promised|promises|"
    r"admitted|admits|quipped|joked|lamented|testified|pledged|pledges|"
    r"insisting|arguing|explaining"
)
_TITLES = frozenset(
    """mr mrs ms dr prof sir dame lord lady president vice prime minister senator sen rep
    representative governor gov secretary general gen chancellor king queen prince
    princess pope judge justice chairman chairwoman chief ambassador leader journalist host
    spokesman spokeswoman spokesperson editor attorney lawyer director commissioner mayor
    sheriff speaker aide adviser advisor analyst professor author actor actress singer star
    coach captain officer executive ceo founder rev reverend father sister bishop""".split()
)
_NOT_NAMES = frozenset(
    """the a an in on at as but and or if when while after before then this that these
    those it its he she they we i you his her their our according however also meanwhile
    still yet so there here what who why how monday tuesday wednesday thursday friday
    saturday sunday despite amid facing following during among without within since
    until unlike like with from for by to of""".split()
)
_PRONOUNS = frozenset({"he", "she", "they", "it"})
# A capitalised word: letters, inner hyphens/apostrophes/dots (Jong-un, O'Brien, U.S.).
_CAP = r"[A-Z][\w’'.-]*[\w.]|[A-Z]"
_NAME = rf"(?:(?:{_CAP})(?:\s+(?:de|van|von|bin|al|da|del|la|le)?\s*(?:{_CAP}))*)"
# Auxiliaries and adverbs may sit between a speaker and the verb ("has also said",
# "swiftly responded").
_VERB = rf"(?:(?:has|had|have|also|then|later|once|\w+ly)\s+)*(?:{_SPEECH_VERBS})\b"
# "…, saying “…”": a participle's speaker is the sentence's subject, not the noun before it.
_PARTICIPLE = re.compile(
    r",\s+(?:saying|adding|telling|writing|noting|warning|claiming|tweeting|calling|"
    r"accusing|insisting|arguing|explaining)\b"
)
# What may sit between a name and its verb: "(D-Calif.)", ", Democrat of Vermont,", ", who".
_APPOSITION = r"(?:\s*\([^()]{1,40}\)|,\s+who|,\s+(?P<appos>[^,“”\"]{1,60}),)?"
_PURE_NAME = re.compile(rf"{_NAME}")
_PARTY_TAG = re.compile(r"[DRI]-[A-Z][A-Za-z.]*")
# Speaker before the quote: "Mr Putin said", "Alexander Matsegora, told", "He added".
_BEFORE = re.compile(rf"(?P<name>{_NAME}|[Hh]e|[Ss]he|[Tt]hey|[Ii]t){_APPOSITION},?\s+{_VERB}")
# Speaker after the quote: ', President Vladimir Putin has said', '," said Mr Kim'.
_AFTER_NAME_VERB = re.compile(
    rf"^[\s,.;:—–-]*(?P<name>{_NAME}|he|she|they|it){_APPOSITION}\s+{_VERB}"
)
# The subject opening a sentence ("Sen. Bernie Sanders (I-Vt.) confirmed ..."), for pronouns.
_PRONOUN_SUBJECT = re.compile(r"^\s*(?P<name>[Hh]e|[Ss]he|[Tt]hey)\b")
_SUBJECT = re.compile(rf"^\s*(?P<name>{_NAME})(?=\s*\(|\s+[a-z]|,)")
_AFTER_VERB_NAME = re.compile(rf"^[\s,.;:—–-]*(?:{_SPEECH_VERBS})\s+(?P<name>{_NAME})")
_ACCORDING = re.compile(rf"[Aa]ccording to\s+(?P<name>{_NAME})")
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_OPEN_CURLY, _CLOSE_CURLY = "“", "”"


def find_quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the quoted text (inside the marks) of every outermost double quote.

    Mixed marks are common in copy-edited news (“… " or "… ”): a quote opened with
    either mark closes at the next ” or ", except that a straight " inside a curly quote
    is taken as nested when a ” follows later in the paragraph.

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
                close = _first_of(text, ('"', _CLOSE_CURLY), i + 1, p_end)
                if close == -1:
                    i += 1  # a stray straight quote: nothing to pair it with
                    continue
                spans.append((i + 1, close))
                i = close + 1
            else:
                i += 1
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _first_of(text: str, marks: tuple[str, ...], start: int, end: int) -> int:
    found = [k for k in (text.find(m, start, end) for m in marks) if k != -1]
    return min(found) if found else -1


def _find_curly_close(text: str, start: int, end: int) -> int:
    """Index of the mark closing the “ before ``start`` (nesting counted), else ``end``."""
    depth = 0
    has_curly_close = _CLOSE_CURLY in text[start:end]
    k = start
    while k < end:
        ch = text[k]
        if ch == _OPEN_CURLY:
            depth += 1
        elif ch == _CLOSE_CURLY:
            if depth == 0:
                return k
            depth -= 1
        elif ch == '"':
            if not has_curly_close and depth == 0:
                return k  # “ closed by a straight mark
            inner = text.find('"', k + 1, end)
            if has_curly_close and inner != -1:
                k = inner  # a nested "…" inside the curly quote
        k += 1
    return end


def _clean_name(name: str) -> tuple[str, str] | None:
    """(speaker as written without titles, speaker_key) or None when it is not a name."""
    words = name.replace("’s", "").replace("'s", "").split()
    while words and (words[0].lower().rstrip(".") in _TITLES or words[0].lower() in _NOT_NAMES):
        words = words[1:]
    if not words:
        return None
    speaker = " ".join(words)
    if speaker.endswith(".") and len(words[-1]) > 3 and words[-1].lower()[:-1] not in _SUFFIXES:
        speaker = speaker[:-1]  # "Gov. Perry." closing the sentence
    # Korean-style names put the family name first: "Kim Jong-un" is Mr Kim.
    family_first = len(words) > 1 and re.search(r"-[a-z]", words[-1]) is not None
    core = [w for w in words if w.lower().strip(".,") not in _SUFFIXES] or words
    key = (core[0] if family_first else core[-1]).lower().strip(".,")
    return speaker, key


class _Speakers:
    """The most recent speaker or sentence subject, which a pronoun refers to."""

    def __init__(self) -> None:
        self.last: tuple[str, str] | None = None

    def resolve(self, name: str) -> tuple[str, str] | None:
        if name.lower() in _PRONOUNS:
            return self.last
        found = _clean_name(name)
        if found:
            self.last = found
        return found

    def note_subject(self, sentence: str) -> None:
        """Remember a name opening the sentence (a person or organisation subject)."""
        m = _SUBJECT.match(sentence)
        if m:
            found = _clean_name(m.group("name"))
            if found:
                self.last = found


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
    # The text outside quotes (quotes and marks blanked): names inside quotes never count.
    chars = list(text)
    for q_start, q_end in spans:
        for k in range(max(q_start - 1, 0), min(q_end + 1, len(text))):
            chars[k] = " "
    plain = "".join(chars)
    by_sentence: dict[int, list[tuple[int, int]]] = {}
    for s, e in spans:
        by_sentence.setdefault(sentence_index(sentences, s), []).append((s, e))
    speakers = _Speakers()
    out = []
    previous: tuple[int, tuple[str, str] | None] = (-2, None)  # last quote sentence, speaker
    for idx, (_, s_start, s_end) in enumerate(sentences):
        quotes = by_sentence.get(idx, [])
        if not quotes:
            _note_subjects(plain[s_start:s_end], speakers)
            continue
        # A quote may run into later sentences: attribution can follow where it closes.
        last = sentence_index(sentences, max(quotes[-1][1] - 1, s_start))
        region_end = max(s_end, sentences[last][2])
        # '“… wall!” Mr. Calderón told CNBC.' splits after the mark: when a quote closes
        # its sentence, a short quote-free next sentence may be its attribution.
        tail_end = region_end
        if last + 1 < len(sentences) and last + 1 not in by_sentence:
            _, n_start, n_end = sentences[last + 1]
            closes = not _residue(plain, quotes[-1][1] + 1, sentences[last][2])
            if closes and len(plain[n_start:n_end].split()) <= 8:
                tail_end = n_end
        speaker = _attribute(plain, s_start, region_end, tail_end, quotes, speakers)
        if speaker is None and previous[0] >= idx - 1:
            speaker = previous[1]  # a quote continuing the previous sentence's quote
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
        previous = (last, speaker)
        speakers.note_subject(plain[s_start:s_end])
    return out


def _residue(plain: str, start: int, end: int) -> str:
    """What is left between two offsets once spaces and punctuation are removed."""
    return re.sub(r"[\W_]+", "", plain[start:end])


def _speaker_name(m: re.Match) -> str:
    """The speaker of an attribution match: in "A, B, said" it is B when B is a bare name
    ("the ambassador to Pyongyang, Alexander Matsegora, told"), else A ("Senator Richard
    Blumenthal, Democrat of Connecticut, said")."""
    appos = m.groupdict().get("appos")
    if appos:
        appos = appos.strip()
        if _PURE_NAME.fullmatch(appos) and not _PARTY_TAG.fullmatch(appos):
            return appos
    return m.group("name")


def _note_subjects(sentence: str, speakers: _Speakers) -> None:
    """Remember the last named 'X said' subject of a sentence without quotes."""
    speakers.note_subject(sentence)
    for m in _BEFORE.finditer(sentence):
        if m.group("name").lower() not in _PRONOUNS:
            speakers.resolve(_speaker_name(m))


def _attribute(
    text_plain: str,
    s_start: int,
    s_end: int,
    tail_end: int,
    quotes: Sequence[tuple[int, int]],
    speakers: _Speakers,
) -> tuple[str, str] | None:
    """The speaker of a sentence's quotes: after a quote, else before the first, else
    'according to'. ``text_plain`` is the text with every quote blanked out."""
    plain = text_plain[s_start:s_end]
    # 1. '“…,” X said' / '“…,” said X' right after a quote.
    for _, q_end in quotes:
        tail = text_plain[q_end + 1 : tail_end]
        m = _AFTER_NAME_VERB.match(tail) or _AFTER_VERB_NAME.match(tail)
        if m:
            found = speakers.resolve(_speaker_name(m))
            if found:
                return found
    # 2. 'X said … “…”': the last 'name verb' before the first quote.
    head = plain[: quotes[0][0] - s_start]
    if _PARTICIPLE.search(head):
        subject = _SUBJECT.match(plain) or _PRONOUN_SUBJECT.match(plain)
        if subject:
            found = speakers.resolve(subject.group("name"))
            if found:
                return found
    candidates = list(_BEFORE.finditer(head))
    for m in reversed(candidates):
        found = speakers.resolve(_speaker_name(m))
        if found:
            return found
    # 3. 'according to X' anywhere outside the quotes.
    m = _ACCORDING.search(plain)
    if m:
        return speakers.resolve(m.group("name"))
    return None
