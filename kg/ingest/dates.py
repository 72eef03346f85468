"""Resolve the date words of a sentence ("on Wednesday", "September last year", "the end of
February") against the article's publication date, to ISO text of the precision known."""
from __future__ import annotations

import datetime as dt
import re

from kg.knowledge import word_map, word_sequence

#: Month name -> number (its place in the list), then the same for its first three letters ("sep")
#: and for the other abbreviations the data lists ("sept"); a text's month is the first of these it holds.
_MONTHS = {m: i for i, m in enumerate(word_sequence("dates_months"), 1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS.update({abbr: _MONTHS[month] for abbr, month in word_map("dates_month_abbreviations").items()})
_WEEKDAYS = {d: i for i, d in enumerate(word_sequence("dates_weekdays"))}  # monday is 0, as in `date.weekday()`
#: The words that mean the day of publication itself ("today", "this morning").
_TODAY = re.compile(r"\b(" + "|".join(re.escape(w) for w in word_sequence("dates_today")) + r")\b")


def resolve_date(text: str, published: str, *, future: bool = False) -> str:
    """ISO date ("2019-01-23", "2018-09" or "2019") for `text`, or "" if it names no date.

    Relative words count back from `published` for past events and forward for future ones.

    >>> resolve_date("on Wednesday", "2019-01-24")
    '2019-01-23'
    >>> resolve_date("September last year", "2019-01-24")
    '2018-09'
    >>> resolve_date("the end of February", "2019-01-24", future=True)
    '2019-02'
    """
    t = text.lower().strip()
    try:
        pub = dt.date.fromisoformat(published) if published else None
    except ValueError:
        pub = None
    m = re.search(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b", t)
    if m:
        return m.group(0)
    year_m = re.search(r"\b((?:19|20)\d\d)\b", t)
    explicit_year = int(year_m.group(1)) if year_m else None
    month = next((n for w, n in _MONTHS.items() if re.search(rf"\b{re.escape(w)}\b\.?", t)), None)
    if month == 5 and not re.search(r"\bmay\b", t):
        month = None
    if month:
        return _in_month(t, month, explicit_year, pub, future=future)
    if explicit_year:
        return f"{explicit_year:04d}"
    if pub is None:
        return ""
    return _relative(t, pub, future=future)


def _in_month(t: str, month: int, year: int | None, pub: dt.date | None, *, future: bool) -> str:
    """The date in `month` that `t` names: the day when it gives one, else the month; in the year it
    gives, else the one it means from the day of publication ("" when there is neither)."""
    if year is None and pub:
        year = pub.year
        if "last year" in t or "previous year" in t:
            year -= 1
        elif "next year" in t:
            year += 1
        elif not future and month > pub.month:
            year -= 1
        elif future and month < pub.month:
            year += 1
    if year is None:
        return ""
    day_m = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", re.sub(r"\b(?:19|20)\d\d\b", "", t))
    if day_m and 1 <= int(day_m.group(1)) <= 31:
        try:
            return dt.date(year, month, int(day_m.group(1))).isoformat()
        except ValueError:
            pass
    return f"{year:04d}-{month:02d}"


def _relative(t: str, pub: dt.date, *, future: bool) -> str:
    """The date that words relative to the day of publication name ("on Wednesday", "yesterday",
    "last month", "next week"), or ""."""
    for word, wd in _WEEKDAYS.items():
        if re.search(rf"\b{re.escape(word)}\b", t):
            delta = (pub.weekday() - wd) % 7
            if future:
                return (pub + dt.timedelta(days=(wd - pub.weekday()) % 7 or 7)).isoformat()
            return (pub - dt.timedelta(days=delta)).isoformat()
    if _TODAY.search(t):
        return pub.isoformat()
    if "yesterday" in t:
        return (pub - dt.timedelta(days=1)).isoformat()
    if "tomorrow" in t:
        return (pub + dt.timedelta(days=1)).isoformat()
    if "last year" in t:
        return f"{pub.year - 1:04d}"
    if "next year" in t:
        return f"{pub.year + 1:04d}"
    if "this year" in t:
        return f"{pub.year:04d}"
    if "last month" in t:
        first = pub.replace(day=1) - dt.timedelta(days=1)
        return f"{first.year:04d}-{first.month:02d}"
    if "next month" in t:
        nxt = (pub.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return f"{nxt.year:04d}-{nxt.month:02d}"
    if re.search(r"\bthis (week|weekend)\b", t):
        return pub.isoformat()[:7]
    for word, days in (("next week", 7), ("last week", -7)):
        if word in t:
            return (pub + dt.timedelta(days=days)).isoformat()[:7]  # a week is known to the month
    return ""
