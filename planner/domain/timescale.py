"""Time across a page or a view: months, UK financial-year quarters and years as bands,
and dates placed on a scale of so many units (pixels, points) per day."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from planner.domain.dates import financial_year, quarter

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MAX_MONTHS = 240  # twenty years: a longer span is a typing mistake, not a plan


def month_number(value: date) -> int:
    """Months since year 0, so that consecutive months differ by one."""
    return value.year * 12 + value.month - 1


def month_start(number: int) -> date:
    return date(number // 12, number % 12 + 1, 1)


def quarter_start(value: date) -> date:
    """The first day of the financial-year quarter holding `value` (Q1 starts 1 April)."""
    number = month_number(value)
    return month_start(number - (value.month - 4) % 3)


def year_start(value: date) -> date:
    """1 April of the financial year holding `value`."""
    return date(value.year if value.month >= 4 else value.year - 1, 4, 1)


def action_span(start: date | None, due: date | None) -> tuple[date, date] | None:
    """An action's start and due; either stands for the other when one is missing."""
    first = start or due
    last = due or start
    if first is None or last is None:
        return None
    return min(first, last), max(first, last)


class Zoom(enum.Enum):
    """How much time a view shows across: the unit of its finest marks."""

    MONTHS = "months"
    QUARTERS = "quarters"
    YEARS = "years"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True)
class Band:
    """A stretch of time with a label: a month, a quarter or a financial year."""

    first: date  # the first day
    end: date  # the day after the last
    label: str
    short_label: str


def _months_between(first: date, end: date) -> list[date]:
    low, high = month_number(first), month_number(end - timedelta(days=1))
    return [month_start(number) for number in range(low, high + 1)]


@dataclass(frozen=True)
class TimeScale:
    """Places dates from `first` (a month start) to `end` (exclusive) at `per_day` units
    per day, from x = 0."""

    first: date
    end: date
    per_day: float

    @classmethod
    def covering(cls, dates: list[date], per_day: float) -> TimeScale:
        """Whole financial years around every date in `dates` (this year's when none)."""
        first = year_start(min(dates, default=date.today()))
        last = year_start(max(dates, default=date.today()))
        years = min(last.year - first.year + 1, MAX_MONTHS // 12)
        return cls(first, date(first.year + years, 4, 1), per_day)

    @property
    def width(self) -> float:
        return (self.end - self.first).days * self.per_day

    def x(self, value: date) -> float:
        return (value - self.first).days * self.per_day

    def date_at(self, x: float) -> date:
        """The day under position `x`, kept within the scale."""
        days = round(x / self.per_day) if self.per_day else 0
        days = max(0, min(days, (self.end - self.first).days - 1))
        return self.first + timedelta(days=days)

    def months(self) -> list[Band]:
        bands = []
        for start in _months_between(self.first, self.end):
            following = month_start(month_number(start) + 1)
            name = MONTH_NAMES[start.month - 1]
            bands.append(Band(start, following, f"{name} {start.year}", name[0]))
        return bands

    def quarters(self) -> list[Band]:
        bands = []
        start = quarter_start(self.first)
        while start < self.end:
            following = month_start(month_number(start) + 3)
            number = quarter(start)
            bands.append(
                Band(
                    max(start, self.first),
                    min(following, self.end),
                    f"Q{number} {financial_year(start)}",
                    f"Q{number}",
                )
            )
            start = following
        return bands

    def years(self) -> list[Band]:
        bands = []
        start = year_start(self.first)
        while start < self.end:
            following = date(start.year + 1, 4, 1)
            label = financial_year(start)
            bands.append(Band(max(start, self.first), min(following, self.end), label, label[2:]))
            start = following
        return bands

    def bands(self, zoom: Zoom) -> list[Band]:
        """The finest bands shown at `zoom`."""
        if zoom is Zoom.MONTHS:
            return self.months()
        if zoom is Zoom.QUARTERS:
            return self.quarters()
        return self.years()
