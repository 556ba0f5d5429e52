"""Direction of weekdays, clock times and yearless months from their clause (issue 4)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.extract.timex.dates import extract_dates
from core.extract.timex.tense import clock_weekday, fronted_direction, not_after, past_in_month

FRI = dt.date(2021, 10, 29)  # a Friday
MON = dt.date(2021, 11, 1)  # a Monday
SAT = dt.date(2021, 8, 7)  # a Saturday


def values(text: str, anchor: dt.date) -> list[tuple[str, str | None]]:
    return [(r["text"], r["value"]) for r in extract_dates(text, anchor=anchor)]


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        # a fronted weekday: the verb of the clause after it decides
        (
            "On Tuesday, the union plans to hold a rally downtown.",
            MON,
            [("Tuesday", "2021-11-02")],
        ),
        ("On Tuesday, the union held a rally downtown.", MON, [("Tuesday", "2021-10-26")]),
        # "planned to" is a past plan: the day stays in the past
        ("On Friday, the council planned to vote on it.", MON, [("Friday", "2021-10-29")]),
        # a fronted month with a past verb: not the one coming within 90 days
        ("In January, the club hired a new coach.", FRI, [("January", "2021-01")]),
        ("In January, the club will hire a new coach.", FRI, [("January", "2022-01")]),
        # "in <Month>" after a past verb of the clause is the one before the anchor
        (
            "The company switched its auditors in December.",
            FRI,
            [("December", "2020-12")],
        ),
        # ... but not after an infinitive, a modal or a passive: those look ahead
        ("The firm agreed to buy the plant in December.", FRI, [("December", "2021-12")]),
        (
            "The bonus would be paid on an unspecified date in January.",
            FRI,
            [("January", "2022-01")],
        ),
        # a plan in the past perfect was for a day now past
        (
            "The offer had been scheduled to expire at midnight Friday.",
            MON,
            [("midnight Friday", "2021-10-29T24:00")],
        ),
        (
            "The offer is scheduled to expire at midnight Friday.",
            MON,
            [("midnight Friday", "2021-11-05T24:00")],
        ),
        # the news present of a coming event: "meet Monday" in a Friday article
        (
            "The two leaders meet separately Monday with the envoy.",
            FRI,
            [("Monday", "2021-11-01")],
        ),
        (
            "The bid had been due to expire Friday evening.",
            MON,
            [("Friday evening", "2021-10-29TEV")],
        ),
    ],
)
def test_direction_from_the_clause(text, anchor, expected):
    assert values(text, anchor) == expected


def test_clock_time_takes_the_weekday_after_its_parenthesis():
    text = "The blast occurred at about 10:35 a.m. (0735 GMT) Friday, witnesses said."
    assert values(text, SAT)[0] == ("about 10:35 a.m.", "2021-08-06T10:35")
    text = "He will leave at 4 in the morning (4 a.m. EDT Sunday), he said."
    assert values(text, SAT)[0] == ("4 in the morning", "2021-08-08T04:00")
    # no weekday after the parenthesis: the publication date
    assert values("It ended at 10 a.m. (0700 GMT).", SAT)[0] == ("10 a.m.", "2021-08-07T10:00")


def test_week_of_a_date_and_a_holiday_week():
    assert values("A hearing is set for the week of March 6.", dt.date(2000, 2, 24)) == [
        ("the week of March 6", "2000-W10")
    ]
    assert values("Crowds prayed as Easter week began.", dt.date(2000, 4, 17)) == [
        ("Easter week", "2000-W16")
    ]


def test_tense_helpers():
    text = "On Tuesday, the union plans to hold a rally."
    assert fronted_direction(text, 0, len(text), 3, 10) == "future"
    text = "Officials said on Tuesday, that it rained."
    assert fronted_direction(text, 0, len(text), 18, 25) is None  # not fronted
    text = "It changed its fiscal year in December."
    assert past_in_month(text, 0, text.index("December"))
    assert clock_weekday(" (0735 GMT) Friday", 0, 18) == "friday"
    assert clock_weekday(" (4 a.m. EDT Thursday)", 0, 22) == "thursday"
    assert clock_weekday(", police said", 0, 13) is None
    assert not_after("2022-01", "2021-10-29") == "2021-01"
    assert not_after("2021-09-30", "2021-10-29") == "2021-09-30"
    assert not_after("2021-W10", "2021-10-29") == "2021-W10"
