"""Dates the UK way: 26/11/2026, financial years April to March, quarters from April."""

from __future__ import annotations

import re
from datetime import date, datetime

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


def format_uk(value: date | None) -> str:
    """26/11/2026, or an empty string."""
    return value.strftime("%d/%m/%Y") if value else ""


def format_long(value: date | None) -> str:
    """26 Nov 2026, or an empty string."""
    return f"{value.day} {value.strftime('%b %Y')}" if value else ""


def parse_uk(text: str) -> date | None:
    """Read '26/11/2026', '26-11-26', '26 Nov 2026', '26 November 2026' or '2026-11-26'.

    Returns None when the text is not a real date; never guesses.
    """
    text = text.strip()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})", text):
            year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
            return date(year, int(m[2]), int(m[1]))
        if m := re.fullmatch(
            r"(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([A-Za-z]+)\.?[\s\-,]+(\d{4})", text
        ):
            month = _MONTHS.get(m[2].casefold())
            return date(int(m[3]), month, int(m[1])) if month else None
    except ValueError:
        return None
    return None


def financial_year(value: date) -> str:
    """'2012/13' for any date from 1 April 2012 to 31 March 2013."""
    start = value.year if value.month >= 4 else value.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def quarter(value: date) -> int:
    """Financial-year quarter: Q1 = April to June."""
    return (value.month - 4) % 12 // 3 + 1


def today() -> date:
    return datetime.now().date()
