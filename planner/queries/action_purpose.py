"""What one action is for and what it costs, as its details show it: the measures that
name it, its benefits with their figures by year, and its budget, spend and funding.

And, for the dashboard, the plan's savings and measures at a glance: validated savings
against planned savings this financial year and to date, and how many measures are on
target, within tolerance or off target at their latest figure."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain.measures import MeasureStatus
from planner.domain.money import ZERO
from planner.domain.periods import Period
from planner.queries.benefits import (
    ActionMoney,
    BenefitRow,
    action_money,
    benefit_rows,
    benefit_summary,
    yearly_figures,
)
from planner.queries.purpose import MeasureRow, measure_rows
from planner.store.models import Action, Measure

# The tables whose rows an action's money and benefits tab shows.
PURPOSE_TABLES = frozenset(
    {"benefit", "benefit_value", "budget_line", "funding", "measure", "measure_value"}
)


@dataclass(frozen=True)
class ActionPurpose:
    action_id: int
    measures: tuple[MeasureRow, ...]  # the measures naming the action, in outcome order
    benefits: tuple[BenefitRow, ...]  # in the order they were added
    money: ActionMoney


def action_purpose(session: Session, plan_id: int, action_id: int) -> ActionPurpose:
    """The action's measures, benefits and money."""
    theme_id = session.scalar(
        select(Action.theme_id).where(Action.id == action_id, Action.plan_id == plan_id)
    )
    if theme_id is None:
        raise LookupError(f"There is no action {action_id} in this plan.")
    measure_ids = list(
        session.scalars(
            select(Measure.id).where(Measure.plan_id == plan_id, Measure.action_id == action_id)
        )
    )
    measures = measure_rows(session, plan_id, measure_ids) if measure_ids else []
    benefits = benefit_rows(session, plan_id, action_id=action_id)
    return ActionPurpose(
        action_id, tuple(measures), tuple(benefits), action_money(session, action_id)
    )


@dataclass(frozen=True)
class PurposeGlance:
    """The plan's savings and measures, for two dashboard tiles."""

    status_year: Period  # the financial year holding the plan's status date
    validated_this_year: Decimal  # validated savings in status_year
    planned_this_year: Decimal  # planned savings in status_year
    validated_to_date: Decimal  # validated savings, every year
    planned_to_date: Decimal  # planned savings in every year up to status_year
    on_target: int
    within_tolerance: int
    off_target: int
    no_figures: int  # measures with no actual against a target yet

    @property
    def measures(self) -> int:
        return self.on_target + self.within_tolerance + self.off_target + self.no_figures

    def count(self, status: MeasureStatus) -> int:
        return {
            MeasureStatus.ON_TARGET: self.on_target,
            MeasureStatus.WITHIN_TOLERANCE: self.within_tolerance,
            MeasureStatus.OFF_TARGET: self.off_target,
        }[status]


def purpose_glance(session: Session, plan_id: int) -> PurposeGlance:
    """Savings (cashable and non-cashable: what a headline may quote) validated against
    planned, and the measures by their latest status, for the whole plan."""
    summary = benefit_summary(session, plan_id)
    year = summary.status_year
    savings = [f for f in yearly_figures(session, plan_id) if f.kind.is_saving]
    planned_this_year = sum((f.planned for f in savings if f.year == year), ZERO)
    planned_to_date = sum((f.planned for f in savings if f.year <= year), ZERO)
    statuses = [row.status for row in measure_rows(session, plan_id)]
    return PurposeGlance(
        status_year=year,
        validated_this_year=summary.headline_this_year,
        planned_this_year=planned_this_year,
        validated_to_date=summary.headline,
        planned_to_date=planned_to_date,
        on_target=statuses.count(MeasureStatus.ON_TARGET),
        within_tolerance=statuses.count(MeasureStatus.WITHIN_TOLERANCE),
        off_target=statuses.count(MeasureStatus.OFF_TARGET),
        no_figures=statuses.count(None),
    )
