"""Date extraction: TIMEX3 spans, types and values resolved against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.extract import get_date_extractor
from core.extract.timex.dates import build_extractor, extract_dates
from core.extract.timex.pubdate import parse_published
from core.text import split_sentences
from tests.conftest import BBC_SEED, REWRITE_SEED

TUE = dt.date(2022, 8, 16)  # Tuesday 2022-08-16, the rewrite's publication date


def values(text: str, anchor: dt.date | None = TUE) -> list[tuple[str, str, str | None]]:
    return [(r["text"], r["type"], r["value"]) for r in extract_dates(text, anchor=anchor)]


def body_of(path) -> tuple[str, dt.date]:
    """The seed's text without its first (header / date) line, and the date that line gives."""
    first, rest = path.read_text(encoding="utf-8").split("\n", 1)
    date = parse_published(first.split()[1]) if first.strip().startswith("date") else None
    return rest, date or parse_published(first)


# --- the example values ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He spoke on Monday.", ("Monday", "DATE", "2022-08-15")),
        ("In July, the vote passed.", ("July", "DATE", "2022-07")),
        ("the February 24 invasion", ("February 24", "DATE", "2022-02-24")),
        ("The union collapsed in 1991.", ("1991", "DATE", "1991")),
        ("Sales fell last year.", ("last year", "DATE", "2021")),
        ("It began in the 1990s.", ("the 1990s", "DATE", "199")),
        ("Relations soured in recent years.", ("recent years", "DATE", "PAST_REF")),
        ("The talks lasted two weeks.", ("two weeks", "DURATION", "P2W")),
        ("He left two weeks ago.", ("two weeks ago", "DATE", "2022-W31")),
        ("just over three years ago", ("just over three years ago", "DATE", "2019")),
        ("It happened this week.", ("this week", "DATE", "2022-W33")),
        ("It is now clear.", ("now", "DATE", "PRESENT_REF")),
        ("Prices are currently high.", ("currently", "DATE", "PRESENT_REF")),
        ("Nobody knows the future.", ("the future", "DATE", "FUTURE_REF")),
        ("It took three years.", ("three years", "DURATION", "P3Y")),
        ("within 48 hours", ("48 hours", "DURATION", "PT48H")),
        ("in the third quarter of 2022", ("the third quarter of 2022", "DATE", "2022-Q3")),
        ("Profits rose in the third quarter.", ("the third quarter", "DATE", "2022-Q3")),
        ("It was hot this summer.", ("this summer", "DATE", "2022-SU")),
        ("Yesterday morning it rained.", ("Yesterday morning", "TIME", "2022-08-15TMO")),
        ("They met at 9am Tuesday.", ("9am Tuesday", "TIME", "2022-08-16T09:00")),
        ("at noon", ("noon", "TIME", "2022-08-16T12:00")),
        ("He will speak tonight.", ("tonight", "TIME", "2022-08-16TNI")),
        ("Every week he calls.", ("Every week", "SET", "P1W")),
        ("a daily briefing", ("daily", "SET", "P1D")),
        ("The fair is held each year.", ("each year", "SET", "P1Y")),
        ("every Monday", ("every Monday", "SET", "XXXX-WXX-1")),
        ("in the 20th century", ("the 20th century", "DATE", "19")),
        ("by mid-2022", ("mid-2022", "DATE", "2022")),
        ("early September", ("early September", "DATE", "2022-09")),
        ("next year", ("next year", "DATE", "2023")),
        ("a few days", ("a few days", "DURATION", "PXD")),
        ("half an hour", ("half an hour", "DURATION", "PT30M")),
        ("5 1/2 hours", ("5 1/2 hours", "DURATION", "PT5H30M")),
        ("20 June 2022", ("20 June 2022", "DATE", "2022-06-20")),
        ("Q3 2022", ("Q3 2022", "DATE", "2022-Q3")),
        ("the first half of 2022", ("the first half of 2022", "DATE", "2022-H1")),
        ("2022-08-16", ("2022-08-16", "DATE", "2022-08-16")),
        ("on 16/08/2022", ("16/08/2022", "DATE", "2022-08-16")),
        ("last Christmas", ("last Christmas", "DATE", "2021-12-25")),
        ("in '98", ("'98", "DATE", "1998")),
    ],
)
def test_example_values(text, expected):
    assert values(text) == [expected]


def test_financial_year_is_a_period():
    assert values("Profit for the year to March 2005 rose.") == [
        ("the year", "DURATION", "P1Y"),
        ("March 2005", "DATE", "2005-03"),
    ]


def test_weekday_resolution_follows_tense():
    # Past (default): the latest such day on or before the anchor; the anchor's day is today.
    assert values("She arrived on Thursday.") == [("Thursday", "DATE", "2022-08-11")]
    assert values("She arrived on Tuesday.") == [("Tuesday", "DATE", "2022-08-16")]
    # A future sentence looks ahead.
    assert values("She will arrive on Thursday.") == [("Thursday", "DATE", "2022-08-18")]
    assert values("next Monday") == [("next Monday", "DATE", "2022-08-22")]
    assert values("last Tuesday") == [("last Tuesday", "DATE", "2022-08-09")]


def test_bare_month_year_rule():
    # Past sentence: a month more than ~3 months after the anchor is last year's.
    assert values("In December, prices rose.") == [("December", "DATE", "2021-12")]
    # Without a tense to go by, a month up to ~3 months ahead is this year's ...
    assert values("The board meets in October.") == [("October", "DATE", "2022-10")]
    # ... but a past verb in its clause puts it before the anchor (timex_tense).
    assert values("In October, prices rose.") == [("October", "DATE", "2021-10")]
    # Future sentence: the next such month.
    assert values("Prices will rise in March.") == [("March", "DATE", "2023-03")]


def test_without_anchor_relative_values_are_unresolved():
    assert values("In July it rained.", anchor=None) == [("July", "DATE", "XXXX-07")]
    assert values("He spoke on Monday.", anchor=None) == [("Monday", "DATE", "XXXX-WXX-1")]
    assert values("the February 24 invasion", anchor=None) == [
        ("February 24", "DATE", "XXXX-02-24")
    ]
    assert values("Sales fell last year.", anchor=None) == [("last year", "DATE", None)]
    assert values("He left two weeks ago.", anchor=None) == [("two weeks ago", "DATE", None)]
    # Absolute expressions and durations still resolve.
    assert values("in 1991", anchor=None) == [("1991", "DATE", "1991")]
    assert values("on 5 March 2020", anchor=None) == [("5 March 2020", "DATE", "2020-03-05")]
    assert values("two weeks", anchor=None) == [("two weeks", "DURATION", "P2W")]
    assert values("in recent years", anchor=None) == [("recent years", "DATE", "PAST_REF")]


# --- traps that must not fire ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Theresa May said the plan would work.",  # name
        "Prices may rise again.",  # verb
        "Protesters march on the capital.",  # verb
        "They will March on Washington.",  # capitalised verb without a temporal cue
        "We sat in the sun on the wed of the river.",  # we / sat / sun / wed
        "Do it again, Mr Sat.",  # Do / Sat
        "Tickets cost $40, a rise of £2m in total.",  # money
        "He paid $2000 for it.",  # money shaped like a year
        "About 80% of voters agreed.",  # percentage, not 1980
        "Turnout was 1990% higher.",  # percentage shaped like a year
        "The Giants won 28-17.",  # score
        "a 2-1 win over Chelsea",  # score
        "Write to PO Box 12, Sydney NSW 2000.",  # postcode
        "Send it to postcode 2000 Sydney.",  # postcode
        "Call 555-1990 or 020 7946 1990.",  # phone numbers
        "He ran the 400m with 2,000 troops watching.",  # quantities
        "They sent 2000 troops.",  # a count shaped like a year
        "Upgrade to version 2.0 or Windows 10.",  # versions
        "It still runs Windows 2000.",  # product name shaped like a year
        "Russia's Izvestia daily reported the talks.",  # newspaper, not a frequency
        "It was a 45-year-old man.",  # an age
        "the future of Nato",  # not a time
        "as soon as possible",  # conjunction
        "the fall of Rome",  # not a season
        "He flew in a second plane.",  # ordinal, not one second
        "It is shown on BBC2 at 2005 GMT.",  # a 24-hour clock time
        "It runs on Windows 95, 98, 2000 and XP.",  # a list of versions
        "He bought shares after May's chairman resigned.",  # the company
        "He told ITV's This Morning about it.",  # a programme title
        "Either Tait or Noon will start.",  # a surname
    ],
)
def test_traps_do_not_fire(text):
    assert values(text) == []


def test_capitalised_at_sentence_start_is_kept():
    assert values("It rained. Today it snowed.") == [("Today", "DATE", "2022-08-16")]
    assert values("Noon came.") == [("Noon", "TIME", "2022-08-16T12:00")]


def test_trap_next_to_a_real_date():
    assert values("Theresa May said on 5 May that 80% agreed.") == [("5 May", "DATE", "2022-05-05")]


# --- the seeds' must-shows -----------------------------------------------------


def test_bbc_seed_in_july_and_1991():
    text, anchor = body_of(BBC_SEED)
    assert anchor == dt.date(2022, 8, 15)
    rows = extract_dates(text, anchor=anchor)
    found = {(r["text"], r["value"]) for r in rows}
    assert ("July", "2022-07") in found
    assert ("1991", "1991") in found
    july = next(r for r in rows if r["text"] == "July")
    assert text[july["start_char"] - 3 : july["end_char"]] == "In July"


def test_rewrite_seed_monday_february_july():
    text, anchor = body_of(REWRITE_SEED)
    assert anchor == TUE
    found = {(r["text"], r["value"]) for r in extract_dates(text, anchor=anchor)}
    assert ("Monday", "2022-08-15") in found
    assert ("February 24", "2022-02-24") in found
    assert ("July", "2022-07") in found


def test_seed_store_rows_carry_their_article_anchor(seed_store):
    articles = seed_store.table("articles")
    dates = seed_store.table("dates")
    published = dict(zip(articles["article_id"], articles["published"], strict=True))
    assert len(dates) > 0
    for article_id, anchor in zip(dates["article_id"], dates["anchor"], strict=True):
        assert anchor == published[article_id]
    by_value = {(r.text, r.value, r.anchor) for r in dates.itertuples()}
    assert ("July", "2022-07", dt.date(2022, 8, 15)) in by_value
    assert ("Monday", "2022-08-15", TUE) in by_value


# --- contract and properties -----------------------------------------------------


def test_extractor_contract():
    extractor = get_date_extractor("rules")
    assert extractor.method == build_extractor().method == "timex/1"
    text = "It rained on Monday.\nIn July, it snowed. Two weeks ago it hailed."
    rows = extractor(text, split_sentences(text), anchor=TUE)
    assert [r["sentence"] for r in rows] == [0, 1, 2]
    assert [r["start_char"] for r in rows] == sorted(r["start_char"] for r in rows)
    for r in rows:
        assert set(r) == {"sentence", "start_char", "end_char", "text", "type", "value"}
        assert text[r["start_char"] : r["end_char"]] == r["text"]
    assert extractor(text, split_sentences(text), anchor=TUE) == rows  # deterministic


def test_datetime_anchor_is_read_as_its_date():
    assert values("on Monday", anchor=dt.datetime(2022, 8, 16, 23, 59)) == [
        ("Monday", "DATE", "2022-08-15")
    ]


_TOKENS = (
    list("0123456789 -/.,:'’$%\n")
    + (
        "May March Monday in the last next year week ago two 1991 1990s a.m. noon today Q3 "
        "fiscal quarter Christmas every daily"
    ).split()
)
_NEWSY = st.lists(st.sampled_from(_TOKENS), max_size=40).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(max_size=200), _NEWSY), has_anchor=st.booleans())
def test_arbitrary_text_never_raises_and_offsets_are_valid(text, has_anchor):
    rows = extract_dates(text, anchor=TUE if has_anchor else None)
    last_end = 0
    for r in rows:
        assert 0 <= r["start_char"] < r["end_char"] <= len(text)
        assert text[r["start_char"] : r["end_char"]] == r["text"]
        assert r["start_char"] >= last_end  # sorted, non-overlapping
        assert r["type"] in {"DATE", "TIME", "DURATION", "SET"}
        assert r["value"] is None or isinstance(r["value"], str)
        last_end = r["end_char"]


# --- rules added for TempEval-3 value accuracy (one case per rule) ---------------------

OCT89 = dt.date(1989, 10, 26)  # Thursday, a TimeBank-style Wall Street Journal date


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        # a day number followed by a plural noun or a quantity counts things: the date is the month
        ("In January 25 people were hurt.", TUE, [("January", "DATE", "2022-01")]),
        ("By March 3,000 jobs had gone.", TUE, [("March", "DATE", "2022-03")]),
        ("On January 25 protesters marched.", TUE, [("January 25", "DATE", "2022-01-25")]),
        ("the January 25 elections", TUE, [("January 25", "DATE", "2022-01-25")]),
        # a month or day up to 90 days ahead may be next year's
        ("The dividend is payable Jan. 2.", OCT89, [("Jan. 2", "DATE", "1990-01-02")]),
        # "payable" / "effective" right before a date look ahead
        ("It named a chairman, effective Feb. 1.", OCT89, [("Feb. 1", "DATE", "1990-02-01")]),
        # a past verb right before a weekday decides its direction
        (
            "The vote will be soon, he said Friday.",
            TUE,
            [("soon", "DATE", "FUTURE_REF"), ("Friday", "DATE", "2022-08-12")],
        ),
        ("Women's Day is this coming Sunday.", TUE, [("this coming Sunday", "DATE", "2022-08-21")]),
        # ... but a passive after "be" is not past: "will be released on Monday"
        ("It will be released on Monday.", TUE, [("Monday", "DATE", "2022-08-22")]),
        # a hyphenated "three-quarters" is a fraction, not a duration
        ("Three-quarters said no.", TUE, []),
        # "a quarterly dividend" names the payment, not a recurrence (TimeBank tags 1 of 11);
        # "paid quarterly" is one
        ("It declared a quarterly dividend of 10 cents.", TUE, []),
        ("Dividends are paid quarterly.", TUE, [("quarterly", "SET", "P3M")]),
        # "previously" / "formerly" are not time expressions (TimeBank tags 3 of 19)
        ("He previously worked there, formerly as a clerk.", TUE, []),
        # read-out years in broadcast transcripts
        (
            "In nineteen seventy-nine they invaded.",
            TUE,
            [("nineteen seventy-nine", "DATE", "1979")],
        ),
        (
            "January nineteen ninety-seven. Atlanta again.",
            TUE,
            [("January nineteen ninety-seven", "DATE", "1997-01")],
        ),
        (
            "the winter of nineteen ninety-four",
            TUE,
            [("the winter of nineteen ninety-four", "DATE", "1994-WI")],
        ),
        ("by the year two thousand", TUE, [("the year two thousand", "DATE", "2000")]),
        ("He paid nineteen twenty-dollar bills.", TUE, []),
        # anaphora: the last calendar date named, not the publication date
        (
            "In 1995 he was promoted; the following year he left.",
            TUE,
            [("1995", "DATE", "1995"), ("the following year", "DATE", "1996")],
        ),
        (
            "On Oct. 12, 1987 stocks fell and the same day bonds rose.",
            TUE,
            [("Oct. 12, 1987", "DATE", "1987-10-12"), ("the same day", "DATE", "1987-10-12")],
        ),
        ("Sales rose that year.", TUE, [("that year", "DATE", "2022")]),
        # a year alone does not place a week: "the following week" falls back to the DCT
        (
            "It came out in 1958. It is released the following week.",
            TUE,
            [("1958", "DATE", "1958"), ("the following week", "DATE", "2022-W34")],
        ),
        # counted quarters: the TIMEX3 quarter unit, as HeidelTime writes it; year-ago quarters
        (
            "a charge spread across the next three quarters",
            OCT89,
            [("the next three quarters", "DURATION", "P3Q")],
        ),
        (
            "It earned $3 million in the 1988 quarter.",
            OCT89,
            [("the 1988 quarter", "DATE", "1988-Q3")],
        ),
        (
            "For the quarter a year ago, it earned $3 million.",
            OCT89,
            [("the quarter a year ago", "DATE", "1988-Q3")],
        ),
        # "and a half" after the unit
        (
            "A minute and a half later, he called.",
            TUE,
            [("A minute and a half", "DURATION", "PT1M30S")],
        ),
        # --- round 2 ---
        # an earnings report's "the quarter" / "a year earlier" is the quarter it is about
        (
            "It earned $5 million in the fiscal first quarter. Sales for the quarter rose 39%"
            " from a year earlier.",
            OCT89,
            [
                ("the fiscal first quarter", "DATE", "1989-Q1"),
                ("the quarter", "DATE", "1989-Q1"),
                ("a year earlier", "DATE", "1988-Q1"),
            ],
        ),
        # ... but not a quarter of history or a forecast: then the last one before the DCT
        (
            "Profit topped the third quarter of 1987. In the latest quarter it rose.",
            OCT89,
            [
                ("the third quarter of 1987", "DATE", "1987-Q3"),
                ("the latest quarter", "DATE", "1989-Q3"),
            ],
        ),
        (
            "It expects a profit in the fourth quarter of 1990. In the latest quarter it lost.",
            OCT89,
            [
                ("the fourth quarter of 1990", "DATE", "1990-Q4"),
                ("the latest quarter", "DATE", "1989-Q3"),
            ],
        ),
        # "a year-earlier loss" is the year-ago quarter, not "a year"
        (
            "It had a third-quarter loss, compared with a year-earlier loss.",
            OCT89,
            [("third-quarter", "DATE", "1989-Q3"), ("year-earlier", "DATE", "1988-Q3")],
        ),
        (
            "Sales were $3 million in last year's quarter.",
            OCT89,
            [("last year's quarter", "DATE", "1988-Q3")],
        ),
        (
            "Net was $2 million for the corresponding period last year.",
            OCT89,
            [("the corresponding period last year", "DATE", "1988-Q3")],
        ),
        # "until" / "as early as" before a weekday or a clock time look ahead, not at a
        # sentence start ("Until Thursday, they had not ..." is the past)
        ("The trial was adjourned until Thursday.", TUE, [("Thursday", "DATE", "2022-08-18")]),
        ("The group could leave as early as Friday.", TUE, [("Friday", "DATE", "2022-08-19")]),
        (
            "They have until 9 a.m. Friday to sign.",
            TUE,
            [("9 a.m. Friday", "TIME", "2022-08-19T09:00")],
        ),
        (
            "Until Thursday, they had not called him a suspect.",
            TUE,
            [("Thursday", "DATE", "2022-08-11")],
        ),
        (
            "They were planning to drive to the airport on Monday.",
            TUE,
            [("Monday", "DATE", "2022-08-22")],
        ),
        # "would be <verb>ing" is a plan, unlike a bare "would" (reported speech)
        (
            "He said he would be traveling to Paris Thursday.",
            TUE,
            [("Thursday", "DATE", "2022-08-18")],
        ),
        # "next" as an adverb is no future marker
        (
            "Albright arrived next, where the Aug. 7 blasts killed 257 people.",
            dt.date(1998, 8, 18),
            [("Aug. 7", "DATE", "1998-08-07")],
        ),
        # "N days/hours later" counts from the story's last event: a duration, "later" left out
        ("Three days later, he resigned.", TUE, [("Three days", "DURATION", "P3D")]),
        ("An hour later, the fire was out.", TUE, [("An hour", "DURATION", "PT1H")]),
        ("A year later, he resigned.", TUE, [("A year later", "DATE", "2023")]),
        # "the previous Friday" is the one before the day the story last named
        (
            "Shares fell on Friday, Oct. 27. The index was 4% below the previous Friday.",
            dt.date(1989, 10, 30),
            [
                ("Friday, Oct. 27", "DATE", "1989-10-27"),
                ("the previous Friday", "DATE", "1989-10-20"),
            ],
        ),
        # quarters counted or repeated: the TIMEX3 quarter unit
        (
            "It lost money in the past two quarters.",
            TUE,
            [("the past two quarters", "DURATION", "P2Q")],
        ),
        ("It pays interest every quarter.", TUE, [("every quarter", "SET", "P1Q")]),
    ],
)
def test_value_rules(text, anchor, expected):
    assert values(text, anchor=anchor) == expected
