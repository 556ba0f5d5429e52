"""Name forms: the folded key of an entity name and the parts of a person's name.

Two spellings name the same thing when their keys agree. A key ignores what house style and
typing change and the referent does not: case, diacritics ("Pena Nieto" / "Peña Nieto"),
hyphens ("Ocasio Cortez"), full stops ("U.S."), a possessive ("Trump's"), curly apostrophes,
a leading "the" of an organisation, and a person's titles ("Mr", "Sen.", "President").

A person's key is (first name, surname, generation): middle names and initials are left out
("Donald J. Trump", "Hillary Rodham Clinton"), a common short form of the first name stands for
its full form (``data/given_names.csv``: Bob → Robert), and of the suffixes only Jr / Sr stay,
because they tell a father from a son who are both in the news (Donald Trump / Donald Trump Jr);
roman numerals (Robert S. Mueller III) are formal style, not a second person in the same copy.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from core.store import REPO_ROOT

GIVEN_NAMES_CSV = REPO_ROOT / "data" / "given_names.csv"

# Titles and offices written before a name ("Mr Trump", "Sen. Warren", "President Obama").
# Royal and religious styles that are part of how the person is named ("Prince Harry",
# "Pope Francis") are not titles here: without them the name is a different word.
TITLES = frozenset(
    """mr mrs ms miss mx dr sir dame lord lady prof professor rev reverend president
    vice senator sen rep representative congressman congresswoman gov governor mayor
    judge justice secretary minister chancellor speaker general gen col colonel lt
    capt captain sgt sergeant adm admiral former chairman chairwoman leader premier
    attorney ambassador commissioner deputy sheriff officer agent detective coach senators
    representatives reps congressmen congresswomen governors presidents ministers""".split()
)
GENERATIONS = {"jr": "jr", "junior": "jr", "sr": "sr", "senior": "sr"}
NUMERALS = frozenset({"ii", "iii", "iv"})
# Lower-case particles that belong to the surname ("Bill de Blasio", "Ursula von der Leyen").
PARTICLES = frozenset("de del della der di da du la le van von bin al el dos das ter".split())
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_POSSESSIVE = re.compile(r"(?:'s|')$", re.IGNORECASE)
_INNER_POSSESSIVE = re.compile(r"'s\s", re.IGNORECASE)
_NOT_WORD = re.compile(r"[^\w\s']+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class PersonName:
    """The parts of a person's name that identify them (all folded: lower case, ASCII)."""

    first: str  # canonical first name ('' for a lone surname)
    middle: str  # initials of the middle names ('' when none)
    last: str  # surname, particles included ("de blasio")
    generation: str  # 'jr', 'sr' or ''

    @property
    def key(self) -> str:
        """First name, surname and generation: the identity of a full name.

        Of the surname only its last word counts: "Ocasio-Cortez" and "Ocasio Cortez" (read as
        a middle name) are one person.
        """
        last = self.last.split()[-1] if self.last else ""
        return " ".join(p for p in (self.first, last, self.generation) if p)

    @property
    def is_surname_only(self) -> bool:
        """True for a lone surname ("Pelosi", "Mr Trump")."""
        return not self.first


def strip_possessive(name: str) -> str:
    """``name`` without a trailing possessive ("Trump's" → "Trump") or curly apostrophe."""
    return _POSSESSIVE.sub("", name.translate(_APOSTROPHES).strip()).strip()


def fold(name: str) -> str:
    """The key of a non-person name: lower case ASCII words, no punctuation or possessive.

    "The U.S. Senate's" → "us senate"; "Peña Nieto" → "pena nieto"; "Chick-fil-A" → "chick fil a".
    """
    text = strip_possessive(name)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace(".", "").replace("'", "").replace("-", " ").replace("\u2013", " ")
    text = _SPACES.sub(" ", _NOT_WORD.sub(" ", text)).strip().lower()
    if text.startswith("the "):
        text = text[4:]
    return text


@cache
def given_name_table() -> dict[str, str]:
    """Short form → full form of common first names (``data/given_names.csv``)."""
    with GIVEN_NAMES_CSV.open(encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {r["short"].strip().lower(): r["full"].strip().lower() for r in rows}


def parse_person(name: str) -> PersonName:
    """Split a person's name into :class:`PersonName` (see the module docstring).

    "Sen. Robert S. Mueller III" → first "robert", middle "s", last "mueller", generation "";
    "Donald Trump Jr." → generation "jr"; "Mr Trump" → a lone surname "trump".
    """
    # A possessive inside the name ends it: "Barack Obama's U" is Barack Obama ("X's U" fragments).
    raw = _INNER_POSSESSIVE.split(name.translate(_APOSTROPHES), maxsplit=1)[0]
    raw = strip_possessive(raw)
    has_hyphen = "-" in raw
    words = fold(raw).split()
    # "the" is no title, but fold() only drops it for organisations' sake; a person keeps it out.
    while words and words[0] in TITLES and len(words) > 1:
        words = words[1:]
    generation = ""
    while len(words) > 1 and (words[-1] in GENERATIONS or words[-1] in NUMERALS):
        generation = generation or GENERATIONS.get(words[-1], "")
        words = words[:-1]
    if not words:
        return PersonName("", "", "", generation)
    # The surname: the last word with the particles before it, or a hyphenated pair.
    i = len(words) - 1
    while i > 0 and words[i - 1] in PARTICLES:
        i -= 1
    if has_hyphen and i == len(words) - 1 and i > 0 and _hyphenated_tail(raw):
        i -= 1
    last = " ".join(words[i:])
    rest = words[:i]
    if not rest:
        return PersonName("", "", last, generation)
    first = given_name_table().get(rest[0], rest[0])
    middle = "".join(w[0] for w in rest[1:])
    return PersonName(first, middle, last, generation)


def _hyphenated_tail(raw: str) -> bool:
    """True when the written name ends in a hyphenated surname ("Alexandria Ocasio-Cortez")."""
    tail = raw.split()[-1] if raw.split() else ""
    return "-" in tail.strip("-")


def surname_keys(person: PersonName) -> tuple[str, ...]:
    """The lone-surname keys a full name answers to: "ocasio cortez" and "cortez" alike."""
    parts = person.last.split()
    return (person.last, parts[-1]) if len(parts) > 1 else (person.last,)


def slug(text: str) -> str:
    """A lower-case id fragment of ``text``: folded words joined by hyphens."""
    return "-".join(fold(text).split()) or "_"


@cache
def is_bare_text(text: object) -> bool:
    """True when ``text`` is a lone (possibly titled) surname: "Trump", "Mr. Trump's"."""
    if not isinstance(text, str):
        return False
    person = parse_person(text)
    return bool(person.last) and not person.first
