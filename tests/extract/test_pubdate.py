"""Publication-date parsing: every common format, and nothing that is not a date."""

from __future__ import annotations

import datetime as dt

import pytest

from core.extract.timex.pubdate import looks_like_date_line, parse_published

AUG16 = dt.date(2022, 8, 16)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-08-16", AUG16),
        ("2022-08-16T09:00Z", AUG16),
        ("2022-08-16T09:00:00.000Z", AUG16),
        ("2022-08-16 09:00:00+01:00", AUG16),
        ("August 16, 2022", AUG16),
        ("16 August 2022", AUG16),
        ("16th August 2022", AUG16),
        ("Aug. 16, 2022", AUG16),
        ("Aug 16 2022", AUG16),
        ("Tue, 16 Aug 2022 09:00:00 GMT", AUG16),  # RFC 2822
        ("Tuesday, August 16, 2022 - 10:30", AUG16),
        ("Published on 16 August 2022 at 09:00 BST", AUG16),
        ("Date: 2022-08-16", AUG16),
        ("16/08/2022", AUG16),  # day-first
        ("16.08.2022", AUG16),
        ("16-08-2022", AUG16),
        ("08/16/2022", AUG16),  # month-first only because 16 cannot be a month
        ("05/06/2022", dt.date(2022, 6, 5)),  # ambiguous: day-first
        ("2022/08/16", AUG16),
        ("20220816", AUG16),
        ("1660640400", AUG16),  # Unix seconds
        ("1660640400000", AUG16),  # Unix milliseconds
        ("7:58 AM ET, Sat January 3, 2015", dt.date(2015, 1, 3)),
        ("Updated 10:12 GMT (1812 HKT) May 5, 2014", dt.date(2014, 5, 5)),
        ("Sept. 3, 2015", dt.date(2015, 9, 3)),
        ("  August 16, 2022  ", AUG16),
    ],
)
def test_formats(value, expected):
    assert parse_published(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "Russia and North Korea will expand their relations, Putin says",
        "Apple sells 10 million phones in 2022",
        "In 2022, the world changed",
        "May 5",  # no year
        "31/02/2022",  # no such day
        "2022-13-01",
        "Monday",
        "12:30 GMT",
        "1991",
    ],
)
def test_non_dates_are_none(value):
    assert parse_published(value) is None


def test_non_string_is_none():
    assert parse_published(None) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("August 16, 2022", True),
        ("Tuesday 16 August 2022, 09:00 BST", True),
        ("2022-08-16", True),
        ("Russian leader Vladimir Putin said Russia and North Korea would expand ties.", False),
        ("On August 16, 2022 the leaders met in Moscow to sign the treaty.", False),
        ("", False),
        ("August", False),
    ],
)
def test_looks_like_date_line(line, expected):
    assert looks_like_date_line(line) is expected
