"""Dates the UK way: 26/11/2026, financial years April to March, quarters from April."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime


def format_uk(value: date | None) -> str:
    """26/11/2026, or an empty string."""
    return value.strftime("%d/%m/%Y") if value else ""


def format_long(value: date | None) -> str:
    """26 Nov 2026, or an empty string."""
    return f"{value.day} {value.strftime('%b %Y')}" if value else ""


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "weds", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        ]
    )
    for name in names
}
_MONTH = r"(?P<month_name>[a-z]+)\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4}|\d{2})"
_TIME = r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DATE_FORMS = tuple(
    re.compile(form + _TIME)
    for form in (
        r"(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})",
        rf"{_DAY}[/.\-](?P<month>\d{{1,2}})[/.\-]{_YEAR}",
        rf"{_DAY}(?:[\s\-]+of)?[\s\-]+{_MONTH}[\s\-,]+{_YEAR}",
        rf"{_MONTH}[\s\-]+{_DAY},?[\s\-]+{_YEAR}",
    )
)
_WEEKDAY_PREFIX = re.compile(r"(?P<weekday>[a-z]+)\.?,?\s+(?P<rest>\d.*|[a-z]+\.?\s+\d.*)")


@dataclass(frozen=True)
class TypedDate:
    """A date read from text as someone typed it, with why it needs checking, if it does."""

    value: date
    doubt: str = ""


def read_typed_date(text: str) -> TypedDate | None:
    """Read a date typed the UK way, day first: '31/3/2027', '31/3/27', '5.4.2026',
    '31-Mar-14', '31 March 2014', '31st of March 2014', 'Mon 5/4/26', 'March 31, 2014'
    or ISO '2026-04-05' (a time of day after it is ignored).

    None when the text is not a real date; never guesses. A two-digit year is read as
    20YY and a weekday that is not the date's own is kept: both are named in `doubt`."""
    typed = " ".join(text.split())
    wanted = typed.casefold()
    weekday: int | None = None
    prefix = _WEEKDAY_PREFIX.fullmatch(wanted)
    if prefix and prefix["weekday"] in _WEEKDAYS:
        weekday = _WEEKDAYS[prefix["weekday"]]
        wanted = prefix["rest"]
    for form in _DATE_FORMS:
        if found := form.fullmatch(wanted):
            parts = found.groupdict()
            break
    else:
        return None
    if parts.get("month_name") is not None:
        month = _MONTHS.get(parts["month_name"])
        if month is None:
            return None
    else:
        month = int(parts["month"])
    year = int(parts["year"])
    doubts: list[str] = []
    if len(parts["year"]) == 2:
        year += 2000
        doubts.append(f"a two-digit year ('{typed}')")
    try:
        value = date(year, month, int(parts["day"]))
    except ValueError:
        return None
    if weekday is not None and weekday != value.weekday():
        doubts.append(
            f"{_DAY_NAMES[weekday]} is not the day of {format_long(value)}, "
            f"a {_DAY_NAMES[value.weekday()]}"
        )
    return TypedDate(value, "; ".join(doubts))


_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def parse_uk(text: str) -> date | None:
    """The date in text typed the UK way (see read_typed_date), or None."""
    found = read_typed_date(text)
    return found.value if found else None


def financial_year(value: date) -> str:
    """'2012/13' for any date from 1 April 2012 to 31 March 2013."""
    start = value.year if value.month >= 4 else value.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def quarter(value: date) -> int:
    """Financial-year quarter: Q1 = April to June."""
    return (value.month - 4) % 12 // 3 + 1


def today() -> date:
    return datetime.now().date()
