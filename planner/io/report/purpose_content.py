"""What the plan is for, as the board report shows it: the outcomes with their measures,
the benefits planned and realised (the headline counting validated savings only), and
the budget, spend and funding by year with the actions off their spend profile. Plain
data, no Qt; each part is None when the plan (or the slice reported) has none."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain.money import (
    ZERO,
    BenefitTotal,
    SpendFlag,
    benefit_totals,
    headline_savings,
)
from planner.domain.periods import Period
from planner.queries import ActionRow
from planner.queries.benefits import benefit_figures, benefit_rows, money_by_action
from planner.queries.purpose import MeasureRow, measure_rows, outcome_rows, partner_label
from planner.store.models import Partner, Plan

NO_OUTCOME = "Measures not linked to an outcome"
NO_PARTNER = "No partner body named"


@dataclass(frozen=True)
class OutcomeBlock:
    title: str
    description: str
    themes: tuple[int, ...]
    actions: tuple[str, ...]
    measures: tuple[MeasureRow, ...]


@dataclass(frozen=True)
class PartnerTotal:
    label: str  # the short name the registers use
    name: str  # the body's full name ("" when the same as the label)
    total: BenefitTotal


@dataclass(frozen=True)
class BenefitsContent:
    by_partner: tuple[PartnerTotal, ...]
    by_year: tuple[tuple[Period, BenefitTotal], ...]
    total: BenefitTotal
    headline: Decimal  # validated savings, every year
    status_year: Period
    headline_this_year: Decimal

    @property
    def validated_not_savings(self) -> Decimal:
        """Validated avoided costs and income: in the tables, never in the headline."""
        return self.total.validated - self.headline


@dataclass(frozen=True)
class BudgetYear:
    year: Period
    budget: int
    spent: int
    funded: int
    unfunded: Decimal  # budget its funding leaves uncovered, summed over the actions


@dataclass(frozen=True)
class SpendException:
    """An action whose spend to the status date is off its profile."""

    ref: str
    title: str
    budget: int
    spent: int
    profiled: Decimal
    variance: Decimal  # spent less profiled: above zero is overspend
    flag: SpendFlag


@dataclass(frozen=True)
class BudgetContent:
    years: tuple[BudgetYear, ...]
    status_year: Period
    status_date: date
    tolerance: float  # percent of the year's budget
    flagged: tuple[SpendException, ...]
    on_profile: int  # actions with a budget this year and spend on profile

    @property
    def total(self) -> BudgetYear:
        return BudgetYear(
            self.years[0].year if self.years else self.status_year,
            sum(y.budget for y in self.years),
            sum(y.spent for y in self.years),
            sum(y.funded for y in self.years),
            sum((y.unfunded for y in self.years), ZERO),
        )


@dataclass(frozen=True)
class PurposeContent:
    outcomes: tuple[OutcomeBlock, ...] = ()
    measure_tolerance: float = 5.0
    benefits: BenefitsContent | None = None
    budget: BudgetContent | None = None
    sliced: bool = False  # only some actions are reported: figures are theirs alone


def _outcomes(
    session: Session, plan_id: int, actions: Collection[ActionRow], sliced: bool
) -> tuple[OutcomeBlock, ...]:
    action_ids = {a.id for a in actions}
    theme_ids = {a.theme_id for a in actions}
    blocks: list[OutcomeBlock] = []
    for outcome in outcome_rows(session, plan_id):
        served = action_ids & set(outcome.action_ids) or theme_ids & set(outcome.theme_ids)
        if sliced and not served:
            continue
        blocks.append(
            OutcomeBlock(
                outcome.title,
                outcome.description,
                outcome.themes,
                outcome.actions,
                outcome.measures,
            )
        )
    loose = tuple(m for m in measure_rows(session, plan_id) if m.outcome_id is None)
    if sliced:
        loose = tuple(m for m in loose if m.action_id in action_ids)
    if loose:
        blocks.append(OutcomeBlock(NO_OUTCOME, "", (), (), loose))
    return tuple(blocks)


def _benefits(
    session: Session, plan_id: int, action_ids: set[int], status_year: Period
) -> BenefitsContent | None:
    rows = [row for row in benefit_rows(session, plan_id) if row.action_id in action_ids]
    if not rows:
        return None
    figures = benefit_figures(rows)
    names = {
        partner_label(short, name): name
        for short, name in session.execute(
            select(Partner.short_name, Partner.name).where(Partner.plan_id == plan_id)
        )
    }
    by_partner = benefit_totals(figures, lambda figure: figure.partner)
    partners = tuple(
        PartnerTotal(
            label or NO_PARTNER,
            "" if names.get(label, label) == label else names.get(label, ""),
            total,
        )
        for label, total in sorted(by_partner.items(), key=lambda pair: pair[0].casefold())
    )
    return BenefitsContent(
        by_partner=partners,
        by_year=tuple(sorted(benefit_totals(figures, lambda figure: figure.year).items())),
        total=benefit_totals(figures, lambda _: None).get(None, BenefitTotal()),
        headline=headline_savings(figures),
        status_year=status_year,
        headline_this_year=headline_savings(figures, status_year),
    )


def _budget(
    session: Session,
    plan_id: int,
    actions: Collection[ActionRow],
    status_date: date,
    tolerance: float,
) -> BudgetContent | None:
    money = money_by_action(session, plan_id, [a.id for a in actions])
    if not any(found.years for found in money.values()):
        return None
    titles = {a.id: a.title for a in actions}
    totals: dict[Period, BudgetYear] = {}
    flagged: list[SpendException] = []
    on_profile = 0
    status_year = Period.year_of(status_date)
    for found in money.values():
        for year in found.years:
            before = totals.get(year.year, BudgetYear(year.year, 0, 0, 0, ZERO))
            totals[year.year] = BudgetYear(
                year.year,
                before.budget + year.budget,
                before.spent + year.spent,
                before.funded + year.funded,
                before.unfunded + year.unfunded,
            )
        if found.spend is None:
            continue
        if found.spend.flag is SpendFlag.ON_PROFILE:
            on_profile += 1
            continue
        current = found.year(found.status_year)
        flagged.append(
            SpendException(
                found.action_ref,
                titles.get(found.action_id, ""),
                current.budget if current else 0,
                current.spent if current else 0,
                found.spend.profiled,
                found.spend.variance,
                found.spend.flag,
            )
        )
    flagged.sort(key=lambda item: -abs(item.variance))
    return BudgetContent(
        years=tuple(totals[year] for year in sorted(totals)),
        status_year=status_year,
        status_date=status_date,
        tolerance=tolerance,
        flagged=tuple(flagged),
        on_profile=on_profile,
    )


def gather_purpose(
    session: Session, plan_id: int, actions: Collection[ActionRow], *, sliced: bool
) -> PurposeContent:
    """The outcomes, benefits and budget of the plan, or of the reported actions when
    only some are reported (outcomes then those the actions or their themes serve)."""
    status_date, measure_tolerance, spend_tolerance = session.execute(
        select(Plan.status_date, Plan.measure_tolerance, Plan.spend_tolerance).where(
            Plan.id == plan_id
        )
    ).one()
    ids = {a.id for a in actions}
    return PurposeContent(
        outcomes=_outcomes(session, plan_id, actions, sliced),
        measure_tolerance=float(measure_tolerance if measure_tolerance is not None else 5.0),
        benefits=_benefits(session, plan_id, ids, Period.year_of(status_date)),
        budget=_budget(session, plan_id, actions, status_date, float(spend_tolerance or 0)),
        sliced=sliced,
    )
