"""Reporting periods the way councils count them: financial years from 1 April, written
"2013/14", and their quarters, written "Q3 2013/14" (Q1 is April to June)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, total_ordering

from planner.domain.dates import financial_year, quarter

# "2013/14", "2013-14", "2013/2014", "FY 2013/14", "Q3 2013/14", "2013/14 Q3", "2013/14 Q3"
_YEAR = r"(?:fy\s*)?(\d{4})\s*[/-]\s*(\d{2}|\d{4})"
_QUARTER_FIRST = re.compile(rf"^q([1-4])\s*,?\s*{_YEAR}$")
_YEAR_FIRST = re.compile(rf"^{_YEAR}(?:\s*,?\s*q([1-4]))?$")


class PeriodError(ValueError):
    """Text that names no financial year or quarter; the message says what is wanted."""


@total_ordering
@dataclass(frozen=True)
class Period:
    """A financial year (`quarter` None) or one of its quarters. Years sort before their
    quarters, so a year's figure comes first among its own."""

    year: int  # the calendar year the financial year starts in: 2013 for 2013/14
    quarter: int | None = None  # 1 to 4, or None for the whole year

    def __post_init__(self) -> None:
        if self.quarter is not None and not 1 <= self.quarter <= 4:
            raise PeriodError(f"A quarter is 1 to 4, not {self.quarter}.")

    @classmethod
    def parse(cls, text: str) -> Period:
        """The period `text` names: "2013/14", "Q3 2013/14" or "2013/14 Q3"."""
        wanted = " ".join(str(text).split()).casefold()
        found = _QUARTER_FIRST.match(wanted)
        if found is not None:
            number, start, end = found.groups()
        else:
            found = _YEAR_FIRST.match(wanted)
            if found is None:
                raise PeriodError(
                    f"'{text}' is not a financial year or quarter: write 2013/14 or Q3 2013/14."
                )
            start, end, number = found.groups()
        first = int(start)
        if int(end) % 100 != (first + 1) % 100:
            raise PeriodError(
                f"'{text}' is not a financial year: the second year must follow the first, "
                f"as in {first}/{(first + 1) % 100:02d}."
            )
        return cls(first, int(number) if number else None)

    @classmethod
    def year_of(cls, day: date) -> Period:
        """The financial year holding `day`."""
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def quarter_of(cls, day: date) -> Period:
        """The financial-year quarter holding `day`."""
        return cls(cls.year_of(day).year, quarter(day))

    @property
    def is_year(self) -> bool:
        return self.quarter is None

    @property
    def year_label(self) -> str:
        return financial_year(date(self.year, 4, 1))

    @property
    def label(self) -> str:
        """'2013/14' or 'Q3 2013/14'."""
        return self.year_label if self.quarter is None else f"Q{self.quarter} {self.year_label}"

    @property
    def start(self) -> date:
        month = 4 + 3 * ((self.quarter or 1) - 1)
        return date(self.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> date:
        """The period's last day: 31 March for a year, the quarter's last day otherwise."""
        return self.next().start - timedelta(days=1)

    @property
    def financial_year(self) -> Period:
        return Period(self.year)

    def previous(self) -> Period:
        """The period just before, of the same length."""
        if self.quarter is None:
            return Period(self.year - 1)
        if self.quarter == 1:
            return Period(self.year - 1, 4)
        return Period(self.year, self.quarter - 1)

    def next(self) -> Period:
        if self.quarter is None:
            return Period(self.year + 1)
        if self.quarter == 4:
            return Period(self.year + 1, 1)
        return Period(self.year, self.quarter + 1)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return (self.year, self.quarter or 0) < (other.year, other.quarter or 0)


@cache
def stored_period(year: int, quarter: int | None = 0) -> Period:
    """The period a plan stores as a year and a quarter (0 or None for the whole year),
    made once for each: a plan holds few periods and many figures."""
    return Period(year, quarter or None)
