"""Date words resolved against the publication date: past events count back from it, intended ones
forward. Rows are (text, published, future, expected)."""
from __future__ import annotations

import pytest

from kg.ingest.dates import resolve_date

#: 2023-03-22 was a Wednesday.
WEDNESDAY = "2023-03-22"


@pytest.mark.parametrize("text,published,future,expected", [
    ("on Wednesday", "2019-01-24", False, "2019-01-23"),
    ("on Saturday", "2020-02-29", False, "2020-02-29"),  # the publication day itself
    ("Friday night", "2019-06-29", False, "2019-06-28"),
    ("September last year", "2019-01-24", False, "2018-09"),
    ("the end of February", "2019-01-24", True, "2019-02"),
    ("in July", "2018-09-16", False, "2018-07"),
    ("since December", "2019-06-29", False, "2018-12"),
    ("March 10", "2020-02-29", True, "2020-03-10"),
    ("on March 4", "2018-03-14", False, "2018-03-04"),
    ("in 2017", "2020-02-29", False, "2017"),
    ("next month", "2023-03-22", True, "2023-04"),
    ("yesterday", "2023-03-22", False, "2023-03-21"),
    ("two weeks", "2022-03-10", False, ""),
])
def test_resolve_date(text, published, future, expected):
    assert resolve_date(text, published, future=future) == expected


@pytest.mark.parametrize("text,expected", [
    # a past weekday is the last one before the publication day (or that day itself), never later
    ("on Monday", "2023-03-20"),
    ("Tuesday", "2023-03-21"),
    ("on Wednesday", "2023-03-22"),
    ("late on Thursday", "2023-03-16"),
    ("on Friday", "2023-03-17"),
    ("Saturday's talks", "2023-03-18"),
    ("on Sunday", "2023-03-19"),
])
def test_a_past_weekday_is_the_last_one(text, expected):
    assert resolve_date(text, WEDNESDAY) == expected


@pytest.mark.parametrize("text,expected", [
    # an intended weekday is the next one after the publication day; the same weekday is a week on
    ("on Thursday", "2023-03-23"),
    ("on Friday", "2023-03-24"),
    ("on Sunday", "2023-03-26"),
    ("on Monday", "2023-03-27"),
    ("on Tuesday", "2023-03-28"),
    ("on Wednesday", "2023-03-29"),
])
def test_an_intended_weekday_is_the_next_one(text, expected):
    assert resolve_date(text, WEDNESDAY, future=True) == expected


@pytest.mark.parametrize("text,published,future,expected", [
    # months, weeks and years counted from the publication date, across the turn of a month or a year
    ("last month", "2023-03-22", False, "2023-02"),
    ("last month", "2023-01-05", False, "2022-12"),
    ("last month", "2023-03-31", False, "2023-02"),
    ("next month", "2023-12-15", True, "2024-01"),
    ("next month", "2023-01-31", True, "2023-02"),
    ("last week", "2023-03-22", False, "2023-03"),
    ("last week", "2023-03-03", False, "2023-02"),
    ("last week", "2023-03-08", False, "2023-03"),  # seven days back, not eight
    ("next week", "2023-03-29", True, "2023-04"),
    ("next week", "2023-03-10", True, "2023-03"),
    ("this week", "2023-03-22", False, "2023-03"),
    ("this weekend", "2023-04-01", True, "2023-04"),
    ("last year", "2023-03-22", False, "2022"),
    ("next year", "2023-03-22", True, "2024"),
    ("this year", "2023-03-22", False, "2023"),
    # days named by words
    ("today", "2023-03-22", False, "2023-03-22"),
    ("this morning", "2023-03-22", False, "2023-03-22"),
    ("earlier tonight", "2023-03-22", False, "2023-03-22"),
    ("yesterday", "2023-03-01", False, "2023-02-28"),
    ("tomorrow", "2023-02-28", True, "2023-03-01"),
    ("tomorrow", "2023-12-31", True, "2024-01-01"),
])
def test_relative_words(text, published, future, expected):
    assert resolve_date(text, published, future=future) == expected


@pytest.mark.parametrize("text,published,future,expected", [
    # a month without a year: the last one for a past event, the next one for an intended one
    ("in December", "2023-01-05", False, "2022-12"),
    ("in March", "2023-03-22", False, "2023-03"),
    ("in January", "2023-12-10", True, "2024-01"),
    ("in May", "2023-03-22", True, "2023-05"),
    ("in December", "2023-03-22", True, "2023-12"),
    ("June next year", "2023-03-22", False, "2024-06"),
    ("the previous year in April", "2023-03-22", False, "2022-04"),
    # abbreviations, ordinals, a year that is given
    ("Sept. 12", "2023-10-01", False, "2023-09-12"),
    ("on Dec 3rd", "2023-12-20", False, "2023-12-03"),
    ("the 21st of October", "2023-12-20", False, "2023-10-21"),
    ("March 2017", "2023-03-22", False, "2017-03"),
    ("on 4 July 2016", "2023-03-22", False, "2016-07-04"),
    ("October 2019 talks", "2023-03-22", True, "2019-10"),
    # an ISO date anywhere in the text, whatever else it says
    ("Posted : 2019-01-24 08:58", "2023-03-22", False, "2019-01-24"),
    # no such day in that month: the month is still known
    ("February 30", "2023-03-22", False, "2023-02"),
    ("February 29", "2023-03-22", False, "2023-02"),
    ("February 29", "2024-03-22", False, "2024-02-29"),
    ("on June 45", "2023-07-01", False, "2023-06"),
])
def test_months_and_days(text, published, future, expected):
    assert resolve_date(text, published, future=future) == expected


@pytest.mark.parametrize("text,published,expected", [
    # with no publication date (or an unreadable one) only what the text gives itself is known
    ("on Monday", "", ""),
    ("yesterday", "", ""),
    ("last month", "not a date", ""),
    ("in March", "", ""),
    ("March 2017", "", "2017-03"),
    ("in 2017", "", "2017"),
    ("2019-01-24", "", "2019-01-24"),
    # words that name no date
    ("for a long time", "2023-03-22", ""),
    ("", "2023-03-22", ""),
])
def test_what_cannot_be_resolved(text, published, expected):
    assert resolve_date(text, published) == expected
