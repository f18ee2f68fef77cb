"""What the Measures and Benefits sheets and the Actions sheet's money columns hold,
read from the plan once for a slice of it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain.dates import format_uk
from planner.domain.measures import Unit
from planner.domain.money import BenefitType
from planner.domain.periods import Period, stored_period
from planner.queries.benefits import ActionMoney, benefit_rows, money_by_action
from planner.queries.purpose import measure_rows
from planner.store.models import Action, Benefit, BenefitValue, Measure, MeasureValue, Person


@dataclass(frozen=True)
class MeasureLine:
    """One period of one measure, as the Measures sheet shows it."""

    uid: str  # the measure_value row
    measure: str
    outcome: str
    owner: str
    unit: Unit
    period: Period
    target: float | None
    actual: float | None
    commentary: str
    data_quality: str
    whole: bool  # every figure of the measure is a whole number


@dataclass(frozen=True)
class BenefitLine:
    """One financial year of one benefit, as the Benefits sheet shows it."""

    uid: str  # the benefit_value row
    action_ref: str
    benefit: str
    kind: BenefitType
    received_by: str
    year: Period
    planned: int | None
    realised: int | None
    validated_by: str
    validated_on: date | None

    @property
    def validated(self) -> str:
        """'Yes — Martin Greaves, 20/05/2013', 'No' for an unvalidated realised value,
        '' when nothing is realised yet."""
        if self.validated_by and self.validated_on is not None:
            return f"Yes — {self.validated_by}, {format_uk(self.validated_on)}"
        return "" if self.realised is None else "No"


@dataclass(frozen=True)
class PurposeContent:
    status_year: Period  # the financial year holding the status date
    measures: list[MeasureLine]
    benefits: list[BenefitLine]
    money: dict[int, ActionMoney]  # by action id


def next_period(period: Period) -> Period:
    """The period after `period`: the next quarter, or the next year."""
    if period.quarter is None:
        return Period(period.year + 1)
    if period.quarter == 4:
        return Period(period.year + 1, 1)
    return Period(period.year, period.quarter + 1)


def due_by(period: Period, status_date: date) -> bool:
    """Whether a measure's period is due by the period after the one holding the status
    date: a quarter up to the next quarter, a year up to the next year."""
    if period.quarter is None:
        return period <= next_period(Period.year_of(status_date))
    return period <= next_period(Period.quarter_of(status_date))


def gather_purpose(
    session: Session,
    plan_id: int,
    status_date: date,
    action_ids: list[int],
    *,
    whole_plan: bool,
    partner_ids: frozenset[int] = frozenset(),
    person_ids: frozenset[int] = frozenset(),
) -> PurposeContent:
    """The measures, benefits and money of the actions in `action_ids`; a slice also
    takes the measures its partner bodies are the source of or its people own."""
    in_slice = set(action_ids)
    owners = {
        measure_id: organisation
        for measure_id, organisation in session.execute(
            select(Measure.id, Person.organisation_id)
            .join(Person, Person.id == Measure.owner_id)
            .where(Measure.plan_id == plan_id)
        )
    }
    periods = _periods(session, plan_id)
    measures: list[MeasureLine] = []
    for row in measure_rows(session, plan_id):
        if not whole_plan and not (
            row.action_id in in_slice
            or row.source_id in partner_ids
            or owners.get(row.id) in partner_ids
            or row.owner_id in person_ids
        ):
            continue
        figures = [f for point in row.series for f in (point.target, point.actual) if f is not None]
        whole = all(float(figure).is_integer() for figure in figures)
        for period in periods.get(row.id, []):
            if not due_by(period.period, status_date):
                continue
            measures.append(
                MeasureLine(
                    uid=period.uid,
                    measure=row.name,
                    outcome=row.outcome_title,
                    owner=row.owner,
                    unit=row.unit,
                    period=period.period,
                    target=period.target,
                    actual=period.actual,
                    commentary=period.commentary,
                    data_quality=period.data_quality,
                    whole=whole,
                )
            )
    uids: dict[int, str] = {
        value_id: uid
        for value_id, uid in session.execute(
            select(BenefitValue.id, BenefitValue.uid)
            .join(Benefit, Benefit.id == BenefitValue.benefit_id)
            .join(Action, Action.id == Benefit.action_id)
            .where(Action.plan_id == plan_id)
        )
    }
    benefits = [
        BenefitLine(
            uid=uids[year.id],
            action_ref=row.action_ref,
            benefit=row.title,
            kind=row.kind,
            received_by=row.partner,
            year=year.year,
            planned=year.planned,
            realised=year.realised,
            validated_by=year.validated_by,
            validated_on=year.validated_on,
        )
        for row in benefit_rows(session, plan_id)
        if row.action_id in in_slice
        for year in row.years
    ]
    money = money_by_action(session, plan_id, None if whole_plan else action_ids)
    return PurposeContent(Period.year_of(status_date), measures, benefits, money)


def _periods(session: Session, plan_id: int) -> dict[int, list[_Period]]:
    """Every measure's periods in order, by measure id, in one statement."""
    found: dict[int, list[_Period]] = defaultdict(list)
    rows = session.connection().execute(  # plain rows: no ORM loading overhead
        select(
            MeasureValue.measure_id,
            MeasureValue.uid,
            MeasureValue.year,
            MeasureValue.quarter,
            MeasureValue.target,
            MeasureValue.actual,
            MeasureValue.commentary,
            MeasureValue.data_quality,
        )
        .join(Measure, Measure.id == MeasureValue.measure_id)
        .where(Measure.plan_id == plan_id)
        .order_by(MeasureValue.year, MeasureValue.quarter)
    )
    for measure_id, uid, year, quarter, target, actual, commentary, quality in rows.all():
        found[measure_id].append(
            _Period(
                uid,
                stored_period(year, quarter),
                None if target is None else float(target),
                None if actual is None else float(actual),
                commentary or "",
                quality or "",
            )
        )
    return found


@dataclass(frozen=True)
class _Period:
    uid: str
    period: Period
    target: float | None
    actual: float | None
    commentary: str
    data_quality: str
