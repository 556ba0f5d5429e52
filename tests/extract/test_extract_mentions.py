"""The gazetteer mention extractor: the seed articles' must-shows, each ambiguity, properties."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.extract import get_mention_extractor
from core.extract.mentions import CONTEXT_BONUS, _choose, build_extractor
from core.extract.names.scan import (
    NAME_SEQ,
    NAME_SEQ_MARKED,
    mark_capitals,
    shouting,
    word_after,
    word_before,
)
from core.extract.places.gazetteer import Entry
from core.extract.surface import blank_punctuation, scan_text
from core.text import split_sentences

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


@pytest.fixture(scope="module")
def extract():
    ex = build_extractor()

    def run(text: str) -> list[dict]:
        return ex(text, split_sentences(text))

    return run


def _seed(name: str) -> str:
    """The seed article's text as stored: header tag and date line removed."""
    text = (SAMPLES / name).read_text(encoding="utf-8")
    first, rest = text.split("\n", 1)
    if re.fullmatch(r"[A-Z][a-z]+ \d{1,2}, \d{4}", first.strip()):
        return rest.strip()
    first = re.sub(r"^\s*date \d{4}-\d{2}-\d{2}\s*", "", first)
    first = re.sub(r"\s*\(BBC\)\s*$", "", first)
    return (first + "\n" + rest).strip()


def _found(rows: list[dict]) -> set[tuple[str, str, str | None, str | None]]:
    return {(r["text"], r["kind"], r["country_code"], r["via"]) for r in rows}


def _by_text(rows: list[dict], text: str) -> list[dict]:
    return [r for r in rows if r["text"] == text]


@pytest.fixture(scope="module")
def seeds(extract):
    texts = [_seed("000_8f9fb6364737de52.txt"), _seed("001_15fe88c0c738a859.txt")]
    return [(t, extract(t)) for t in texts]


def test_seed_offsets_and_order(seeds):
    for text, rows in seeds:
        assert rows, "no mentions"
        for r in rows:
            assert text[r["start_char"] : r["end_char"]] == r["text"]
        starts = [r["start_char"] for r in rows]
        assert starts == sorted(starts)


def test_seed_must_show_countries_and_places(seeds):
    found = _found(seeds[0][1]) | _found(seeds[1][1])
    expected = {
        ("Pyongyang", "place", "PRK", "capital"),
        ("North Korea", "country", "PRK", "name"),
        ("North Korean", "country", "PRK", "demonym"),
        ("Russia", "country", "RUS", "name"),
        ("Russian", "country", "RUS", "demonym"),
        ("Ukraine", "country", "UKR", "name"),
        ("Ukrainian", "country", "UKR", "demonym"),
        ("Donetsk", "place", "UKR", "place"),
        ("Luhansk", "place", "UKR", "place"),
        ("Slovyansk", "place", "UKR", "place"),
        ("Kramatorsk", "place", "UKR", "place"),
        ("Moscow", "place", "RUS", "capital"),
        ("Japan", "country", "JPN", "name"),
        ("Japanese", "country", "JPN", "demonym"),  # in "anti-Japanese"
        ("US", "country", "USA", "name"),
        ("Soviet Union", "country", "SUN", "name"),
        ("Soviet", "country", "SUN", "demonym"),
        ("KCNA", "org", "PRK", "org"),
        ("Izvestia", "org", "RUS", "org"),
    }
    assert expected <= found, expected - found


def test_seed_people_merged(seeds):
    rows = seeds[0][1] + seeds[1][1]
    people = {(r["text"], r["entity"], r["country_code"]) for r in rows if r["kind"] == "person"}
    assert ("Putin", "Vladimir Putin", "RUS") in people
    assert ("Vladimir Putin", "Vladimir Putin", "RUS") in people
    assert ("Kim Jong-un", "Kim Jong Un", "PRK") in people
    assert ("Kim Jong Un", "Kim Jong Un", "PRK") in people
    assert ("Kim", "Kim Jong Un", "PRK") in people  # "Mr Kim"
    assert {e for _, e, _ in people if "Matsegora" in e} == {"Alexander Matsegora"}
    entities = {e for _, e, _ in people}
    assert entities == {"Vladimir Putin", "Kim Jong Un", "Alexander Matsegora"}
    for r in rows:
        if r["kind"] == "person" and r["country_code"]:
            assert r["via"] == "person"


def test_seed_never_countries(seeds):
    for _text, rows in seeds:
        for r in rows:
            if r["kind"] in ("country", "place"):
                assert "Kim" not in r["text"]
                assert r["text"] not in ("West", "Western", "World War Two", "World", "War")
        kims = [r for r in rows if r["text"] == "Kim"]
        assert all(r["kind"] == "person" for r in kims)
    assert "World War Two" in seeds[0][0] and "the West" in seeds[0][0]


def test_georgia_country_by_default(extract):
    rows = extract("Georgia's president met officials in Tbilisi and Russia objected.")
    assert _by_text(rows, "Georgia")[0]["country_code"] == "GEO"


def test_georgia_us_state_in_us_context(extract):
    rows = extract("Voters in Georgia and Texas queued; Atlanta and Houston saw long lines.")
    g = _by_text(rows, "Georgia")[0]
    assert (g["kind"], g["country_code"]) == ("place", "USA")


def test_niger_is_not_nigeria(extract):
    rows = extract("Niger and Nigeria share a border. A Nigerien soldier met a Nigerian trader.")
    got = [(r["text"], r["country_code"]) for r in rows]
    assert got == [("Niger", "NER"), ("Nigeria", "NGA"), ("Nigerien", "NER"), ("Nigerian", "NGA")]


def test_chad_person_vs_country(extract):
    rows = extract("Chad Smith scored twice. Troops from Chad crossed into Sudan.")
    assert (rows[0]["text"], rows[0]["kind"]) == ("Chad Smith", "person")
    assert ("Chad", "country", "TCD", "name") in _found(rows)


def test_turkey_bird_is_not_a_country(extract):
    rows = extract("Turkey sent troops. We ate turkey at Christmas.")
    assert [(r["text"], r["country_code"]) for r in rows] == [("Turkey", "TUR")]


def test_jordan_person_vs_country(extract):
    rows = extract("Jordan Henderson captained the side. Jordan closed its border with Syria.")
    assert (rows[0]["text"], rows[0]["kind"]) == ("Jordan Henderson", "person")
    assert ("Jordan", "country", "JOR", "name") in _found(rows)
    rows = extract("Basketball star Michael Jordan retired.")
    assert [(r["text"], r["kind"]) for r in rows] == [("Michael Jordan", "person")]


def test_may_month_vs_theresa_may(extract):
    text = "Theresa May said in May that she would stay. Mrs May left in June."
    rows = extract(text)
    got = [(r["text"], r["entity"], r["kind"]) for r in rows]
    assert got == [
        ("Theresa May", "Theresa May", "person"),
        ("May", "Theresa May", "person"),  # "Mrs May", not "in May"
    ]
    assert rows[1]["start_char"] == text.index("Mrs May") + len("Mrs ")


def test_us_vs_us(extract):
    rows = extract("The US said it would help us. Let us go.")
    assert [(r["text"], r["country_code"]) for r in rows] == [("US", "USA")]


def test_us_in_a_capitals_headline(extract):
    assert extract("LET US GO TO NICE") == []


@pytest.mark.parametrize(
    "text",
    [
        "Howard said it was fine.",
        "David and March met Chelsea.",
        "Police said the Union would strike.",
        "Mobile phones were the Reading material of choice.",
        "Nice work, he said.",
        "It happened in March.",
    ],
)
def test_words_and_first_names_are_not_places(extract, text):
    rows = extract(text)
    assert [r for r in rows if r["kind"] in ("place", "country")] == []


@pytest.mark.parametrize(
    ("text", "place", "code"),
    [
        ("He lives in Reading with his family.", "Reading", "GBR"),
        ("She flew to Nice on Friday.", "Nice", "FRA"),
        ("A port in Mobile, Alabama, was closed.", "Mobile", "USA"),
    ],
)
def test_ambiguous_places_fire_after_a_locative_cue(extract, text, place, code):
    row = _by_text(extract(text), place)[0]
    assert (row["kind"], row["country_code"]) == ("place", code)


def test_london_is_gbr_unless_the_article_says_canada(extract):
    row = _by_text(extract("London is busy today."), "London")[0]
    assert row["country_code"] == "GBR" and row["via"] == "capital"
    rows = extract("In Canada, London is smaller. Canada's cities grew.")
    assert _by_text(rows, "London")[0]["country_code"] == "CAN"


def test_blocs_and_regions_are_not_countries(extract):
    rows = extract("The EU and NATO met. Relations with the West soured over Western arms.")
    assert [(r["text"], r["kind"], r["country_code"]) for r in rows] == [
        ("EU", "org", None),
        ("NATO", "org", None),
    ]


def test_soviet_is_sun_never_rus(extract):
    rows = extract("The USSR and the Soviet Union sent Soviet tanks.")
    assert [(r["text"], r["entity"], r["country_code"]) for r in rows] == [
        ("USSR", "Soviet Union", "SUN"),
        ("Soviet Union", "Soviet Union", "SUN"),
        ("Soviet", "Soviet Union", "SUN"),
    ]


def test_person_aliases_and_titles(extract):
    rows = extract("President Joe Biden met Prime Minister Boris Johnson. Mr Johnson said no.")
    got = [(r["text"], r["entity"], r["country_code"]) for r in rows if r["kind"] == "person"]
    assert got == [
        ("Joe Biden", "Joe Biden", "USA"),
        ("Boris Johnson", "Boris Johnson", "GBR"),
        ("Johnson", "Boris Johnson", "GBR"),
    ]


def test_person_country_from_text(extract):
    rows = extract("The Russian ambassador to Pyongyang, Alexander Matsegora, spoke.")
    person = _by_text(rows, "Alexander Matsegora")[0]
    assert (person["country_code"], person["via"]) == ("RUS", "person")


def test_unknown_person_gets_no_country(extract):
    rows = extract("Mr Smith went to the shops.")
    assert [(r["text"], r["kind"], r["country_code"], r["via"]) for r in rows] == [
        ("Smith", "person", None, None)
    ]


def test_organisations_from_cues(extract):
    rows = extract("The Bank of England and Manchester United agreed.")
    assert [(r["text"], r["kind"], r["country_code"]) for r in rows] == [
        ("Bank of England", "org", "GBR"),
        ("Manchester United", "org", None),
    ]


def test_empty_and_blank_text(extract):
    assert extract("") == []
    assert extract("   \n  ") == []


# Word-ish text built from the pieces that trigger rules: names, titles, acronyms, punctuation.
_pieces = [
    "Mr ",
    "US ",
    "us ",
    "Kim ",
    "Jong-un ",
    "Putin",
    "Russia",
    "’s ",
    ". ",
    ", ",
    "\n",
    "Georgia ",
    "in ",
    "Reading ",
    "May ",
    "North Korean",
    "İ",
    "A.",
    "-",
    " ",
]
_texty = st.lists(st.sampled_from(_pieces), max_size=40).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=200), _texty))
def test_property_offsets_valid_and_deterministic(text):
    ex = get_mention_extractor("gazetteer")  # cached: the gazetteer is built once
    sentences = split_sentences(text)
    rows = ex(text, sentences)
    assert rows == ex(text, sentences)
    prev = -1
    for r in rows:
        assert 0 <= r["start_char"] < r["end_char"] <= len(text)
        assert text[r["start_char"] : r["end_char"]] == r["text"]
        assert r["start_char"] >= prev
        prev = r["start_char"]
        assert r["kind"] in ("country", "place", "person", "org")
        assert r["via"] in (None, "name", "demonym", "capital", "place", "person", "org")
        assert 0 <= r["sentence"] < max(len(sentences), 1)


def test_spacy_extractor_missing_spacy_names_the_install(monkeypatch):
    import sys

    from core.extract.spacy_ner import INSTALL_HINT, load_spacy_pipeline

    monkeypatch.setitem(sys.modules, "spacy", None)  # makes "import spacy" raise ImportError
    with pytest.raises(RuntimeError, match="pip install spacy"):
        load_spacy_pipeline.__wrapped__()
    assert "en_core_web_sm" in INSTALL_HINT


def test_spacy_extractor_resolves_countries_with_our_gazetteer():
    pytest.importorskip("spacy", reason="spaCy is optional; this checks it only where installed")
    from core.extract.spacy_ner import build_extractor as build_spacy

    try:
        ex = build_spacy()
    except RuntimeError as exc:
        pytest.skip(f"no English spaCy pipeline installed: {exc}")
    text = "Kim Jong Un met officials in Pyongyang."
    rows = ex(text, split_sentences(text))
    got = {(r["text"], r["kind"], r["country_code"]) for r in rows}
    assert ("Pyongyang", "place", "PRK") in got
    assert ("Kim Jong Un", "person", "PRK") in got
    for r in rows:
        assert text[r["start_char"] : r["end_char"]] == r["text"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=100))
def test_property_blank_punctuation_keeps_offsets(text):
    from core.extract.surface import _FOLD

    out = blank_punctuation(text)
    assert len(out) == len(text)
    assert out == text.translate(_FOLD)  # the fast path equals the plain definition


def test_abbreviation_is_not_an_initial(extract):
    text = "U.S. Representative Blake Farenthold resigned. Harold T. Fenwick said so."
    people = {(r["text"], r["entity"]) for r in extract(text) if r["kind"] == "person"}
    assert people == {
        ("Blake Farenthold", "Blake Farenthold"),
        ("Harold T. Fenwick", "Harold T. Fenwick"),  # a middle initial still joins the name
    }


def test_trailing_weekday_is_not_part_of_a_name(extract):
    text = "The deal was praised by President Barack Obama. It was signed, said Obama Monday."
    rows = [r for r in extract(text) if r["kind"] == "person"]
    assert [(r["text"], r["entity"]) for r in rows] == [
        ("Barack Obama", "Barack Obama"),
        ("Obama", "Barack Obama"),
    ]


_entry = st.builds(
    Entry,
    entity=st.sampled_from(["London", "Paris"]),
    kind=st.just("place"),
    country_code=st.sampled_from(["GBR", "CAN", "FRA", "USA", None]),
    via=st.just("place"),
    prior=st.sampled_from([0.0, 1.5, 3.0, 4.0, 5.5, 6.0, 7.0, 10.0]),
    flags=st.just(0),
)


@given(
    st.lists(_entry, min_size=1, max_size=8),
    st.dictionaries(st.sampled_from(["GBR", "CAN", "FRA", "USA"]), st.integers(1, 4)),
)
def test_property_choose_is_the_first_best_reading(entries, context):
    """The early-stopping scan picks what max() over prior + bonus picks (first on a tie)."""
    entries = tuple(sorted(entries, key=lambda e: -e.prior))  # as the gazetteer stores them

    def score(e: Entry) -> float:
        return e.prior + CONTEXT_BONUS * min(context.get(e.country_code or "", 0), 2)

    assert _choose(entries, context) is max(entries, key=score)


@given(st.text(alphabet=st.sampled_from(list("ab A?.,\x02\x01’—Ōéx\u2009 ")), max_size=30))
def test_property_scan_text_is_the_blanked_text_with_gaps(text):
    """scan_text equals its plain definition: blanked, padded, a gap before each non-ASCII."""
    padded = (" " + blank_punctuation(text) + " ").replace("\x02", "\x01")
    assert scan_text(text) == re.sub(" (?=[^\x00-\x7f])", "\x02", padded)


def test_names_beside_non_ascii_words(extract):
    """A name before a word that opens with a non-ASCII letter, and names that open with one
    (the automaton keeps those apart, after their own gap character: ``scan_text``)."""
    text = "Flights left Paris Ōsaka and Évry for Łódź, then «Zürich» and Ürümqi."
    found = [(r["text"], r["country_code"]) for r in extract(text)]
    assert found == [("Paris", "FRA"), ("Łódź", "POL"), ("Zürich", "CHE"), ("Ürümqi", "CHN")]


_NAMEY = [*"AbMcDeO .-'’&\x03\x04?éÉ", " of ", " de ", "G. ", "U.S. "]


@given(st.lists(st.sampled_from(_NAMEY), max_size=25).map("".join))
def test_property_marked_name_pattern_finds_the_same_spans(text):
    """The scan over mark_capitals(text) finds exactly NAME_SEQ's spans over the text."""
    marked = mark_capitals(text)
    assert len(marked) == len(text)
    expected = [m.span() for m in NAME_SEQ.finditer(text)]
    assert [m.span() for m in NAME_SEQ_MARKED.finditer(marked)] == expected


@given(st.text(alphabet="aBC é,.-x Y\n", max_size=30), st.integers(0, 30), st.integers(0, 5))
def test_property_shouting_shortcut_agrees_with_the_words_around(text, start, width):
    """shouting's four-character shortcut never disagrees with reading the neighbouring words."""
    start = min(start, len(text))
    end = min(start + width, len(text))
    words = (word_before(text, start), word_after(text, end))
    assert shouting(text, start, end) == any(len(w) > 1 and w.isupper() for w in words)


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("On Tuesday, House Speaker John Boehner said the bill would pass.", "John Boehner"),
        ("It was released by Attorney General William Barr on Friday.", "William Barr"),
        ("Yesterday Secretary of State Hillary Clinton flew to Paris.", "Hillary Clinton"),
        ("The vote was led by Majority Whip Steve Scalise and others.", "Steve Scalise"),
        ("General Motors Chairman Mary Barra spoke.", "Mary Barra"),
        ("Senators Kirsten Gillibrand and others spoke.", "Kirsten Gillibrand"),
        ("It was FBI Special Agent Peter Strzok who wrote.", "Peter Strzok"),
        ("He read Stephen King on the train.", "Stephen King"),
    ],
)
def test_a_title_phrase_before_a_first_name_starts_the_name_after_it(text, person):
    found = get_mention_extractor()(text, split_sentences(text))
    people = [(m["text"], m["entity"]) for m in found if m["kind"] == "person"]
    assert people == [(person, person)]


def test_a_dotted_acronym_is_its_organisation_and_no_initial_names_a_person():
    text = "Neal S. Wolin spoke. The I.R.S. said the F.B.I. was told. Wolin left."
    found = get_mention_extractor()(text, split_sentences(text))
    assert [(m["text"], m["entity"], m["kind"]) for m in found] == [
        ("Neal S. Wolin", "Neal S. Wolin", "person"),
        ("I.R.S.", "IRS", "org"),
        ("F.B.I.", "FBI", "org"),
        ("Wolin", "Neal S. Wolin", "person"),
    ]


def test_a_role_noun_ends_no_name_and_a_title_cues_a_lone_surname():
    text = "The State Department Spokesman said Special Agent Strzok left."
    found = get_mention_extractor()(text, split_sentences(text))
    assert [(m["text"], m["kind"]) for m in found] == [
        ("State Department", "org"),
        ("Strzok", "person"),
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "He lied about his talks with the Russian ambassador to Vice President Mike Pence.",
            "Mike Pence",
        ),
        ("The Russian ambassador Sergei Kislyak met Senator Jeff Sessions in July.", "Sessions"),
        ("A Chinese official told Foreign Secretary Jeremy Hunt about the plan.", "Jeremy Hunt"),
    ],
)
def test_a_demonym_gives_no_country_to_the_object_of_a_role(extract, text, name):
    person = next(r for r in extract(text) if r["kind"] == "person" and name in r["text"])
    assert person["country_code"] is None, person


def test_a_demonym_still_gives_the_role_holder_his_country(extract):
    rows = extract("Russian Foreign Minister Sergei Lavrov met the press in Geneva.")
    assert _by_text(rows, "Sergei Lavrov")[0]["country_code"] == "RUS"
    rows = extract("The Russian ambassador Sergei Kislyak met Senator Jeff Sessions in July.")
    assert _by_text(rows, "Sergei Kislyak")[0]["country_code"] == "RUS"


@pytest.mark.parametrize(
    "text",
    [
        "The IRS acted pursuant to section 3 of DOMA.",
        "Edie Windsor challenged DOMA in court.",
        "DOMA was struck down in June.",
    ],
)
def test_an_acronym_amid_lower_case_is_no_town(extract, text):
    # Doma is a town in Nigeria; written in capitals amid lower case it is an acronym.
    rows = _by_text(extract(text), "DOMA")
    assert rows and all(r["kind"] != "place" and r["country_code"] is None for r in rows)


@pytest.mark.parametrize(
    ("text", "place", "code"),
    [
        ("LONDON 1996-08-30\nShares fell.", "LONDON", "GBR"),
        ("By Nate Raymond. BOSTON (Reuters) - The owner of a restaurant sued.", "BOSTON", "USA"),
        ("OAKLAND, Calif. (AP) - Martin Perez pitched.", "OAKLAND", "USA"),
        ("CRICKET - ENGLAND V PAKISTAN ONE-DAY SCOREBOARD", "PAKISTAN", "PAK"),
        ("SAN DIEGO,, MARCH 29, 2018 -- The governor spoke.", "SAN DIEGO", "USA"),
    ],
)
def test_places_in_capitals_stay_in_datelines_and_headlines(extract, text, place, code):
    (row,) = _by_text(extract(text), place)
    assert (row["kind"] in ("place", "country"), row["country_code"]) == (True, code)


def test_an_ambiguous_outlet_name_gives_no_country(extract):
    (row,) = _by_text(extract("Clinton told The Times she chose not to keep them."), "The Times")
    assert (row["kind"], row["country_code"]) == ("org", None)


def test_an_acronym_between_dashes_is_no_dateline(extract):
    text = "The program — Deferred Action for Childhood Arrivals, or DACA — is an important issue."
    assert all(r["kind"] != "place" for r in _by_text(extract(text), "DACA"))


def test_a_demonym_inside_a_quote_gives_no_country_to_the_speaker(extract):
    text = (
        "Julian Assange spoke. It tried to leak his own “Russian lawyer meeting” emails "
        "(he did),” Assange wrote."
    )
    rows = [r for r in extract(text) if r["kind"] == "person"]
    assert [r["text"] for r in rows] == ["Julian Assange", "Assange"]
    assert [r["country_code"] for r in rows] == [None, None]


def test_a_place_of_several_words_before_a_title_is_no_part_of_the_name(extract):
    rows = extract("New Zealand Prime Minister Jacinda Ardern spoke.")
    assert [(r["text"], r["kind"], r["country_code"]) for r in rows] == [
        ("New Zealand", "country", "NZL"),
        ("Jacinda Ardern", "person", "NZL"),  # the role gives the country, in capitals too
    ]
    (org,) = extract("The New Jersey Republican State Committee met on Monday.")
    assert (org["text"], org["kind"]) == ("New Jersey Republican State Committee", "org")


def test_a_headlines_opening_call_is_no_part_of_the_name(extract):
    rows = extract("Meet Melania Trump, the New First Lady\nMelania Trump spoke on Monday.")
    assert [(r["text"], r["kind"]) for r in rows] == [
        ("Melania Trump", "person"),
        ("Melania Trump", "person"),
    ]


def test_an_organisation_known_by_several_names_is_one_entity(extract):
    rows = extract("The GOP and the Republican Party met. The DOJ and the Department of Justice.")
    assert [r["entity"] for r in rows] == [
        "Republican Party",
        "Republican Party",
        "Justice Department",
        "Justice Department",
    ]


@pytest.mark.parametrize(
    ("text", "name", "code"),
    [
        # A place gives its country too; a headline's country does not reach across the line.
        ("Wales make two changes for France\n\nWales coach Mike Ruddock spoke.", "Ruddock", "GBR"),
        ("Texas Governor Rick Perry spoke.", "Rick Perry", "USA"),
        # A capitalised word between the demonym and the role is a name's, not a modifier.
        ("British and Irish Lions coach Clive Woodward spoke.", "Clive Woodward", None),
        ("The Russian Foreign Ministry spokeswoman Maria Zakharova spoke.", "Zakharova", "RUS"),
    ],
)
def test_the_country_of_a_roles_holder(extract, text, name, code):
    (person,) = [r for r in extract(text) if r["kind"] == "person" and name in r["text"]]
    assert person["country_code"] == code


def test_a_small_citys_unlike_alternate_name_is_not_read_as_it(extract):
    # geonames lists Twickenham as a former name of Huntsville, Alabama.
    rows = extract("England lost to France at Twickenham on Saturday.")
    assert all(r["country_code"] != "USA" for r in rows)
    (bombay,) = _by_text(extract("Shares rose in Bombay."), "Bombay")
    assert (bombay["entity"], bombay["country_code"]) == ("Mumbai", "IND")  # a great city's


def test_irish_provinces_and_a_nickname(extract):
    rows = extract("The Munster number 10 kicked 14 points. Brits see no further than that.")
    assert [(r["text"], r["country_code"]) for r in rows] == [("Munster", "IRL")]


def test_a_party_member_from_a_place_names_the_place(extract):
    rows = extract("Rep. Adam Schiff, a California Democrat, said so.")
    assert [(r["text"], r["kind"]) for r in rows] == [
        ("Adam Schiff", "person"),
        ("California", "place"),
    ]


def test_gb_is_great_britain_unless_it_counts_gigabytes(extract):
    (row,) = extract("In her absence, the GB team won bronze.")
    assert (row["entity"], row["country_code"]) == ("United Kingdom", "GBR")
    assert extract("It has a 20 GB hard disk.") == []
    (us,) = extract("Some 20 US soldiers died.")
    assert us["country_code"] == "USA"
