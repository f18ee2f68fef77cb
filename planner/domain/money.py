"""Money the way a section 151 officer reads it: pounds with thousands separators,
benefits by type with only validated savings in a headline, and spend judged against
its budget profiled across the financial year."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from planner.domain.periods import Period
from planner.domain.vocab import LabelledEnum, register_labels

K = TypeVar("K", bound=Hashable)
ZERO = Decimal(0)
_SCALE = {"": 1, "k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}
_POUNDS = re.compile(r"^(-)?£?(-)?([\d,]*\.?\d+)\s*(k|m|bn)?$")


class PoundsError(ValueError):
    """Text that is not an amount of money; the message says what is wanted."""


def format_pounds(amount: Decimal | int | float | None) -> str:
    """'£1,250,000'; pence only when there are any ('£12.50'); '-£3,000' below zero."""
    if amount is None:
        return ""
    value = Decimal(str(amount))
    digits = f"{abs(value):,.0f}" if value == value.to_integral_value() else f"{abs(value):,.2f}"
    return f"{'-' if value < 0 else ''}£{digits}"


def parse_pounds(text: str) -> Decimal:
    """The amount in `text`: '£1,250,000', '1250000', '£250k', '£1.2m', '(3,000)' (less
    than nothing, as accounts write it) or '-£3,000'."""
    wanted = "".join(str(text).split()).casefold()
    negative = wanted.startswith("(") and wanted.endswith(")")
    if negative:
        wanted = wanted[1:-1]
    found = _POUNDS.match(wanted)
    if found is None or (found.group(1) and found.group(2)):
        raise PoundsError(f"'{text}' is not an amount of money: write it as £1,250,000 or £250k.")
    minus, other_minus, digits, scale = found.groups()
    try:
        value = Decimal(digits.replace(",", "")) * _SCALE[scale or ""]
    except InvalidOperation:
        raise PoundsError(f"'{text}' is not an amount of money.") from None
    return -value if negative or minus or other_minus else value


class BenefitType(LabelledEnum):
    CASHABLE = "cashable"
    NON_CASHABLE = "non_cashable"
    COST_AVOIDANCE = "cost_avoidance"
    INCOME = "income"
    QUALITATIVE = "qualitative"

    @property
    def is_saving(self) -> bool:
        """Cashable and non-cashable savings are savings; avoided costs and income are not."""
        return self in (BenefitType.CASHABLE, BenefitType.NON_CASHABLE)


class SpendFlag(LabelledEnum):
    ON_PROFILE = "on_profile"
    OVERSPEND = "overspend"
    UNDERSPEND = "underspend"


register_labels(
    {
        BenefitType.CASHABLE: "Cashable saving",
        BenefitType.NON_CASHABLE: "Non-cashable saving",
        BenefitType.COST_AVOIDANCE: "Cost avoidance",
        BenefitType.INCOME: "Income",
        BenefitType.QUALITATIVE: "Qualitative",
        SpendFlag.ON_PROFILE: "On profile",
        SpendFlag.OVERSPEND: "Overspend",
        SpendFlag.UNDERSPEND: "Underspend",
    }
)


@dataclass(frozen=True)
class BenefitFigure:
    """One benefit's figures for one financial year."""

    year: Period
    kind: BenefitType
    planned: Decimal
    realised: Decimal | None
    validated: bool
    partner: str = ""  # the body that receives it
    theme: str = ""


@dataclass(frozen=True)
class BenefitTotal:
    planned: Decimal = ZERO
    realised: Decimal = ZERO
    validated: Decimal = ZERO  # realised and validated: what a headline may quote

    def adding(self, figure: BenefitFigure) -> BenefitTotal:
        realised = figure.realised or ZERO
        return BenefitTotal(
            self.planned + figure.planned,
            self.realised + realised,
            self.validated + (realised if figure.validated else ZERO),
        )


def benefit_totals(
    figures: Iterable[BenefitFigure], by: Callable[[BenefitFigure], K]
) -> dict[K, BenefitTotal]:
    """Planned, realised and validated totals of the money benefits, grouped by `by`
    (partner body, theme, year...). Qualitative benefits carry no money and are left out."""
    totals: dict[K, BenefitTotal] = {}
    for figure in figures:
        if figure.kind is BenefitType.QUALITATIVE:
            continue
        key = by(figure)
        totals[key] = totals.get(key, BenefitTotal()).adding(figure)
    return totals


def headline_savings(figures: Iterable[BenefitFigure], year: Period | None = None) -> Decimal:
    """Savings a board paper may quote: realised, validated, and savings (not avoided
    costs or income); in `year` when given."""
    return sum(
        (
            figure.realised or ZERO
            for figure in figures
            if figure.kind.is_saving
            and figure.validated
            and (year is None or figure.year == year.financial_year)
        ),
        ZERO,
    )


@dataclass(frozen=True)
class SpendCheck:
    profiled: Decimal  # the budget spread evenly over the year, up to the day
    variance: Decimal  # spent less profiled: above zero is ahead of the profile
    flag: SpendFlag


def spend_against_profile(
    budget: Decimal, spent: Decimal, as_at: date, year: Period, tolerance_percent: Decimal
) -> SpendCheck:
    """Spend to `as_at` against the year's budget profiled evenly across its days: an
    overspend or underspend when it is further from the profile than `tolerance_percent`
    of the year's budget (the edge counts as on profile)."""
    year = year.financial_year
    days = (year.end - year.start).days + 1
    elapsed = min(max((as_at - year.start).days + 1, 0), days)
    profiled = (budget * elapsed / days).quantize(Decimal("0.01"))
    variance = spent - profiled
    band = abs(budget) * tolerance_percent / 100
    if variance > band:
        flag = SpendFlag.OVERSPEND
    elif variance < -band:
        flag = SpendFlag.UNDERSPEND
    else:
        flag = SpendFlag.ON_PROFILE
    return SpendCheck(profiled, variance, flag)


def unfunded(budget: Decimal, funding: Iterable[Decimal]) -> Decimal:
    """How much of `budget` its funding sources leave uncovered (below zero: overfunded)."""
    return budget - sum(funding, ZERO)
