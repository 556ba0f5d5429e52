"""People and organisations from capitalised name sequences, cue words and within-article aliases.

Ours, not a statistical NER's: it must run at thousands of articles a second with no model, and
the rules are the ones a reader uses. A capitalised sequence is a person when a title or role cue
precedes it ("President", "Mr", "ambassador") or it opens with a common first name (gender-guesser's
name list); an organisation when it ends in an organisation word ("Bank", "Party", "Ministry") or
is a bare acronym. Later short forms ("Mr Putin", "Putin", "Mr Kim") resolve to the longest form of
the same person in the article; "Kim Jong-un" and "Kim Jong Un" fold to one key.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from core.extract.gazetteer import Gazetteer, fold_key

# A name token: capitalised word, hyphen/apostrophe parts ("Jong-un", "O'Brien"), or an initial.
_TOKEN = r"(?:[A-Z][A-Za-z\u00C0-\u024F]*(?:[-'’][A-Za-z\u00C0-\u024F]+)*\.?)"
_CONNECT = r"(?:de|del|della|da|di|du|van|von|der|den|le|la|bin|ibn|al|el|of|the|and|&)"
NAME_SEQ = re.compile(rf"(?<![\w'’-]){_TOKEN}(?:[ ](?:{_CONNECT}[ ])?{_TOKEN})*")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)[ ,]*$")

TITLES = frozenset(
    """mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sir dame lord lady president vice prime
    minister chancellor king queen prince princess pope senator sen sen. rep rep. gov gov.
    governor general gen gen. colonel col col. captain capt capt. lt lieutenant sergeant sgt
    ambassador judge justice professor sheikh rev rev. father mayor premier secretary chairman
    chairwoman leader emperor empress marshal admiral commander deputy foreign defence defense
    interior finance home state chief executive director coach manager striker midfielder
    defender goalkeeper""".split()
)
# Lower-case words that announce a name ("Russian leader Vladimir Putin", "said coach Bob Smith").
ROLE_WORDS = frozenset(
    """leader president minister ambassador envoy spokesman spokeswoman spokesperson official
    chairman chairwoman chief executive director secretary premier counterpart diplomat general
    commander coach manager striker midfielder defender goalkeeper captain player actor actress
    singer star author writer editor analyst economist professor lawyer judge mayor governor
    senator congressman congresswoman candidate founder boss dr mr mrs ms""".split()
)
ORG_WORDS = frozenset(
    """bank party ministry council university college school institute agency commission
    committee association federation union league club corporation corp corp. inc inc. ltd
    ltd. plc group company co co. airlines airways news times post journal herald telegraph
    tribune daily service services department office court army navy police board fund trust
    foundation authority organisation organization network motors industries holdings
    exchange parliament assembly government cabinet church center centre hospital
    airport""".split()
)
# Capitalised at a sentence start, not a name.
FUNCTION_WORDS = frozenset(
    """the a an in on at by for from with to of and but or so as if when while after before
    since until though although because he she it they we i you his her its their our my your
    this that these those there here what who which where why how all some many most more
    no not yes also then thus meanwhile however still yet now today yesterday tomorrow last
    next every each both one two three four five six seven eight nine ten first second third
    new former some such other another under over into during against between about without
    according despite following mr mrs ms""".split()
)
MONTHS = frozenset(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""".split()
)


class NameSpan(NamedTuple):
    start: int
    end: int
    entity: str
    kind: str  # person | org
    country_code: str | None
    strong: bool  # title-cued or curated: beats a gazetteer reading of the same span


def _is_title(token: str) -> bool:
    return token.lower() in TITLES


def _strip_possessive(text: str, start: int, end: int) -> int:
    span = text[start:end]
    if span.endswith(("'s", "’s")):
        return end - 2
    if span.endswith(("'", "’")):
        return end - 1
    return end


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, i = [], start
    for part in text[start:end].split(" "):
        out.append((i, i + len(part)))
        i += len(part) + 1
    return out


def find_names(
    text: str, gaz: Gazetteer, is_place: Callable[[str], bool]
) -> list[NameSpan]:
    """Find people and organisations in ``text``.

    ``is_place(folded_key)`` says whether a key is a gazetteer country/place, so that "Jordan"
    alone stays a country while "Jordan Henderson" is a person.

    Returns: one ``NameSpan`` per person or organisation mention, in text order, people resolved
    to the canonical (longest) form of their name in the article.
    """
    raw: list[tuple[int, int, str, bool]] = []  # (start, end, kind, cued)
    for m in NAME_SEQ.finditer(text):
        toks = _tokens(text, m.start(), m.end())
        words = [text[a:b] for a, b in toks]
        if all(w.isupper() for w in words) and len(words) > 1:
            continue  # a headline in capitals: no reliable name cues
        i = 0
        while i < len(words) and words[i].lower().rstrip(".") in FUNCTION_WORDS:
            i += 1
        while i < len(words) - 1 and words[i].lower() in MONTHS:
            i += 1
        cued = False
        while i < len(words) and _is_title(words[i]):
            cued, i = True, i + 1
        if i >= len(words):
            continue
        before = _WORD_BEFORE.search(text, max(0, toks[i][0] - 40), toks[i][0])
        if not cued and before and before.group(1) in ROLE_WORDS:
            cued = True
        # Drop lowercase connectors and trailing connectors left at the ends.
        j = len(words)
        while j > i and words[j - 1].lower() in FUNCTION_WORDS:
            j -= 1
        if j <= i:
            continue
        start, end = toks[i][0], _strip_possessive(text, toks[i][0], toks[j - 1][1])
        name_words = words[i:j]
        last = name_words[-1].lower().rstrip(".")
        if len(name_words) >= 2 and last in ORG_WORDS:
            raw.append((start, end, "org", False))
            continue
        lowered = [w.lower() for w in name_words]
        if any(w in ("of", "the", "and", "&") for w in lowered):
            continue  # "Bank of England" is caught above or by the gazetteer; no person has "of"
        if cued and len(name_words) <= 4:
            raw.append((start, end, "person", True))
        elif (
            2 <= len(name_words) <= 4
            and lowered[0].rstrip(".") in gaz.first_names
            and not is_place(fold_key(text[start:end]))
            and not any(is_place(fold_key(w)) for w in name_words[1:])
        ):
            raw.append((start, end, "person", False))
        elif len(name_words) >= 2 and fold_key(text[start:end]) in gaz.people:
            raw.append((start, end, "person", True))
        elif len(name_words) == 1:
            raw.append((start, end, "single", False))
    return _resolve_people(text, raw, gaz)


def _resolve_people(
    text: str, raw: list[tuple[int, int, str, bool]], gaz: Gazetteer
) -> list[NameSpan]:
    """Group person mentions into entities; single words join a person seen before or curated."""
    groups: dict[str, list[str]] = {}  # folded full name -> surface forms seen
    order: list[str] = []
    for start, end, kind, _ in raw:
        if kind == "person" and " " in text[start:end].strip():
            key = fold_key(text[start:end])
            if key not in groups:
                groups[key] = []
                order.append(key)
            groups[key].append(text[start:end])
    canonical: dict[str, tuple[str, str | None]] = {}
    for key, forms in groups.items():
        curated = gaz.people.get(key)
        if curated:
            canonical[key] = curated
        else:
            best = max(forms, key=lambda f: (len(f.split()), -forms.index(f)))
            canonical[key] = (best, None)
    # A longer full name absorbs a shorter one inside it ("Putin" < "Vladimir Putin").
    by_token: dict[str, str] = {}
    for key in sorted(order, key=lambda k: -len(k.split())):
        for tok in key.split():
            by_token.setdefault(tok, key)

    out: list[NameSpan] = []
    for start, end, kind, cued in raw:
        surface = text[start:end]
        if kind == "org":
            out.append(NameSpan(start, end, surface, "org", None, False))
            continue
        key = fold_key(surface)
        if kind == "person" and key in canonical:
            name, code = canonical[key]
            out.append(NameSpan(start, end, name, "person", code, True))
            continue
        # One word (maybe after a title): an alias of a full name, a curated surname, or cued.
        target = by_token.get(key) if " " not in key else None
        if target is None and key in gaz.surnames:
            curated_name = gaz.surnames[key]
            name, code = gaz.people[fold_key(curated_name)]
            out.append(NameSpan(start, end, name, "person", code, True))
            continue
        if target is not None and (cued or key not in MONTHS):
            name, code = canonical[target]
            out.append(NameSpan(start, end, name, "person", code, cued))
        elif kind == "person":
            out.append(NameSpan(start, end, " ".join(surface.split()), "person", None, cued))
        elif surface.isupper() and 2 <= len(surface) <= 6 and surface.isalpha():
            out.append(NameSpan(start, end, surface, "org", None, False))
    return out
