"""Measures of what the plan is for: their units, which way is better, and how each
period's actual is judged against its target (on target, within the plan's tolerance,
or off target: Green, Amber, Red) and against the period before."""

from __future__ import annotations

from decimal import Decimal

from planner.domain.money import format_pounds
from planner.domain.travel import IMPROVED, SAME, WORSE
from planner.domain.vocab import LabelledEnum, register_labels

Number = Decimal | int | float


class Unit(LabelledEnum):
    PERCENT = "percent"
    POUNDS = "gbp"
    NUMBER = "number"
    DAYS = "days"


class Better(LabelledEnum):
    HIGHER = "higher"
    LOWER = "lower"


class Frequency(LabelledEnum):
    QUARTERLY = "quarterly"
    ANNUAL = "annual"


class MeasureStatus(LabelledEnum):
    ON_TARGET = "on_target"
    WITHIN_TOLERANCE = "within_tolerance"
    OFF_TARGET = "off_target"

    @property
    def rag(self) -> str:
        """The RAG code the status is shown with: G, A or R."""
        return {"on_target": "G", "within_tolerance": "A", "off_target": "R"}[self.value]


register_labels(
    {
        Unit.PERCENT: "%",
        Unit.POUNDS: "£",
        Unit.NUMBER: "Number",
        Unit.DAYS: "Days",
        Better.HIGHER: "Higher is better",
        Better.LOWER: "Lower is better",
        Frequency.QUARTERLY: "Quarterly",
        Frequency.ANNUAL: "Annual",
        MeasureStatus.ON_TARGET: "On target",
        MeasureStatus.WITHIN_TOLERANCE: "Within tolerance",
        MeasureStatus.OFF_TARGET: "Off target",
    }
)


def measure_status(
    actual: Number | None, target: Number | None, better: Better, tolerance_percent: Number
) -> MeasureStatus | None:
    """How `actual` stands against `target`: on target when it meets or beats it; within
    tolerance when it falls short by no more than `tolerance_percent` of the target (the
    edge of the band counts as within); off target beyond that. None without both."""
    if actual is None or target is None:
        return None
    actual_value, target_value = Decimal(str(actual)), Decimal(str(target))
    shortfall = (
        target_value - actual_value if better is Better.HIGHER else actual_value - target_value
    )
    if shortfall <= 0:
        return MeasureStatus.ON_TARGET
    band = abs(target_value) * Decimal(str(tolerance_percent)) / 100
    return MeasureStatus.WITHIN_TOLERANCE if shortfall <= band else MeasureStatus.OFF_TARGET


def value_travel(previous: Number | None, current: Number | None, better: Better) -> str | None:
    """'improved', 'same' or 'worse' from one period's actual to the next, judged by the
    measure's better direction; None when either is missing."""
    if previous is None or current is None:
        return None
    before, after = Decimal(str(previous)), Decimal(str(current))
    if after == before:
        return SAME
    went_up = after > before
    return IMPROVED if went_up == (better is Better.HIGHER) else WORSE


def format_value(value: Number | None, unit: Unit) -> str:
    """A measure's value as a report prints it: '72.5%', '£1,250,000' (pence only when
    there are any), '1,234', '12 days'."""
    if value is None:
        return ""
    if unit is Unit.POUNDS:
        return format_pounds(value)
    amount = Decimal(str(value))
    whole = amount == amount.to_integral_value()
    digits = f"{abs(amount):,.0f}" if whole else f"{abs(amount):,.2f}".rstrip("0").rstrip(".")
    sign = "-" if amount < 0 else ""
    if unit is Unit.PERCENT:
        return f"{sign}{digits}%"
    if unit is Unit.DAYS:
        return f"{sign}{digits} day{'' if abs(amount) == 1 else 's'}"
    return f"{sign}{digits}"
