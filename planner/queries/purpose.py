"""What the plan is for: its outcomes, the themes and actions serving them, and the
measures that show whether they are being reached, each judged against its targets with
the plan's tolerance. (Benefits and money are in `planner.queries.benefits`.)

Every question is answered in a fixed number of statements, whatever the plan's size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from planner.domain.measures import (
    Better,
    Frequency,
    MeasureStatus,
    Unit,
    measure_status,
    value_travel,
)
from planner.domain.periods import Period, stored_period
from planner.store.models import (
    Action,
    Benefit,
    Measure,
    MeasureValue,
    Outcome,
    OutcomeLink,
    Partner,
    Person,
    Plan,
    Theme,
)


@dataclass(frozen=True)
class MeasurePoint:
    """One period of a measure's trend: its target and actual (either may be missing)."""

    period: Period
    target: float | None
    actual: float | None


@dataclass(frozen=True)
class MeasureRow:
    id: int
    uid: str
    name: str
    unit: Unit
    better: Better
    frequency: Frequency
    owner: str  # the owner's name, "" when none
    source: str  # the partner body the figures come from (short name or name), or ""
    outcome_id: int | None
    outcome_title: str
    action_id: int | None
    action_ref: str
    baseline: float | None
    baseline_on: date | None
    latest: Period | None  # the latest period with an actual
    actual: float | None  # the latest period's actual
    target: float | None  # the latest period's target
    status: MeasureStatus | None  # the latest actual against its target
    travel: str | None  # 'improved', 'same' or 'worse' since the previous actual
    series: tuple[MeasurePoint, ...] = ()  # every period in order, for a trend chart
    owner_id: int | None = None
    source_id: int | None = None
    position: int = 0


@dataclass(frozen=True)
class MeasurePeriod:
    """One period of a measure as its details show it."""

    id: int  # the measure_value row
    uid: str
    period: Period
    target: float | None
    actual: float | None
    commentary: str
    data_quality: str
    status: MeasureStatus | None
    travel: str | None  # since the previous actual of the same length (quarter or year)


@dataclass(frozen=True)
class MeasureDetail:
    row: MeasureRow
    definition: str
    tolerance: float  # the plan's measure tolerance, percent of the target
    periods: tuple[MeasurePeriod, ...]


@dataclass(frozen=True)
class OutcomeRow:
    id: int
    uid: str
    position: int
    title: str
    description: str
    themes: tuple[int, ...]  # numbers of the themes serving it, in order
    theme_ids: tuple[int, ...]
    actions: tuple[str, ...]  # refs of the actions serving it, in plan order
    action_ids: tuple[int, ...]
    measures: tuple[MeasureRow, ...]


@dataclass(frozen=True)
class PurposeCounts:
    outcomes: int
    measures: int
    benefits: int


def partner_label(short_name: str | None, name: str | None) -> str:
    """How a partner body is named in a narrow column: its short name, or its name."""
    return (short_name or "").strip() or (name or "")


def _value(number: float | None) -> float | None:
    return None if number is None else float(number)


def measure_tolerance(session: Session, plan_id: int) -> float:
    """How far short of its target (per cent of it) a measure may be and still be
    within tolerance, as the plan sets it."""
    found = session.scalar(select(Plan.measure_tolerance).where(Plan.id == plan_id))
    return 5.0 if found is None else float(found)


def _travels(points: Sequence[MeasurePoint], better: Better) -> list[str | None]:
    """Each point's travel since the previous actual of the same length."""
    last: dict[bool, float] = {}
    travels: list[str | None] = []
    for point in points:
        before = last.get(point.period.is_year)
        travels.append(value_travel(before, point.actual, better))
        if point.actual is not None:
            last[point.period.is_year] = point.actual
    return travels


def _latest(
    points: Sequence[MeasurePoint], better: Better
) -> tuple[MeasurePoint | None, str | None]:
    """The last point with an actual, and its travel since the actual before it of the
    same length (a quarter's since the quarter before, a year's since the year before)."""
    for place in range(len(points) - 1, -1, -1):
        point = points[place]
        if point.actual is None:
            continue
        for earlier in range(place - 1, -1, -1):
            before = points[earlier]
            if before.actual is not None and before.period.is_year == point.period.is_year:
                return point, value_travel(before.actual, point.actual, better)
        return point, value_travel(None, point.actual, better)
    return None, None


def _measure_query(plan_id: int) -> Select[*tuple[Any, ...]]:
    return (
        select(
            Measure.id,
            Measure.uid,
            Measure.name,
            Measure.unit,
            Measure.better,
            Measure.frequency,
            Person.name,
            Partner.short_name,
            Partner.name,
            Measure.outcome_id,
            Outcome.title,
            Outcome.position,
            Measure.action_id,
            Action.ref,
            Measure.baseline_value,
            Measure.baseline_on,
            Measure.owner_id,
            Measure.source_id,
            Measure.position,
            Measure.definition,
        )
        .outerjoin(Person, Person.id == Measure.owner_id)
        .outerjoin(Partner, Partner.id == Measure.source_id)
        .outerjoin(Outcome, Outcome.id == Measure.outcome_id)
        .outerjoin(Action, Action.id == Measure.action_id)
        .where(Measure.plan_id == plan_id)
    )


def _measures(
    session: Session, plan_id: int, ids: Iterable[int] | None, *, detail: bool = False
) -> tuple[list[MeasureRow], dict[int, str], dict[int, list[Row[*tuple[Any, ...]]]]]:
    """The measure rows in outcome order, each measure's definition, and (with `detail`)
    each measure's value rows with their commentary."""
    tolerance = measure_tolerance(session, plan_id)
    query = _measure_query(plan_id)
    columns: list[InstrumentedAttribute[Any]] = [
        MeasureValue.measure_id,
        MeasureValue.year,
        MeasureValue.quarter,
        MeasureValue.target,
        MeasureValue.actual,
    ]
    if detail:
        columns += [
            MeasureValue.id,
            MeasureValue.uid,
            MeasureValue.commentary,
            MeasureValue.data_quality,
        ]
    values_query = (
        select(*columns)
        .join(Measure, Measure.id == MeasureValue.measure_id)
        .where(Measure.plan_id == plan_id)
    )
    if ids is not None:
        wanted = sorted(set(ids))
        query = query.where(Measure.id.in_(wanted))
        values_query = values_query.where(MeasureValue.measure_id.in_(wanted))
    ordered = values_query.order_by(
        MeasureValue.measure_id, MeasureValue.year, MeasureValue.quarter
    )
    connection = session.connection()  # plain rows: no ORM loading overhead
    found_values = connection.execute(ordered).all()
    series_of: dict[int, list[MeasurePoint]] = defaultdict(list)
    values: dict[int, list[Row[*tuple[Any, ...]]]] = defaultdict(list)
    for value in found_values:
        measure_id, year, quarter, target, actual = value[:5]
        series_of[measure_id].append(
            MeasurePoint(
                stored_period(year, quarter),
                None if target is None else float(target),
                None if actual is None else float(actual),
            )
        )
        if detail:
            values[measure_id].append(value)
    rows: list[tuple[tuple[bool, int, int, int], MeasureRow]] = []
    definitions: dict[int, str] = {}
    for found in connection.execute(query):
        (measure_id, uid, name, unit, better_text, frequency, owner, short, partner) = found[:9]
        (outcome_id, outcome_title, outcome_position, action_id, ref) = found[9:14]
        (baseline, baseline_on, owner_id, source_id, position, definition) = found[14:]
        better = Better(better_text)
        series = tuple(series_of.get(measure_id, ()))
        latest, travel = _latest(series, better)
        row = MeasureRow(
            id=measure_id,
            uid=uid,
            name=name,
            unit=Unit(unit),
            better=better,
            frequency=Frequency(frequency),
            owner=owner or "",
            source=partner_label(short, partner),
            outcome_id=outcome_id,
            outcome_title=outcome_title or "",
            action_id=action_id,
            action_ref=ref or "",
            baseline=_value(baseline),
            baseline_on=baseline_on,
            latest=latest.period if latest else None,
            actual=latest.actual if latest else None,
            target=latest.target if latest else None,
            status=(
                measure_status(latest.actual, latest.target, better, tolerance) if latest else None
            ),
            travel=travel,
            series=series,
            owner_id=owner_id,
            source_id=source_id,
            position=position,
        )
        definitions[measure_id] = definition
        order = (outcome_position is None, outcome_position or 0, position, measure_id)
        rows.append((order, row))
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])], definitions, values


def measure_rows(
    session: Session, plan_id: int, ids: Iterable[int] | None = None
) -> list[MeasureRow]:
    """The plan's measures (those in `ids` when given), in outcome order then position;
    measures of no outcome come last."""
    return _measures(session, plan_id, ids)[0]


def measure_detail(session: Session, measure_id: int) -> MeasureDetail:
    """One measure with every period's target, actual, commentary, status and travel."""
    plan_id = session.scalar(select(Measure.plan_id).where(Measure.id == measure_id))
    if plan_id is None:
        raise LookupError(f"There is no measure {measure_id} in this plan.")
    rows, definitions, values = _measures(session, plan_id, [measure_id], detail=True)
    (row,) = rows
    tolerance = measure_tolerance(session, plan_id)
    travels = _travels(row.series, row.better)
    periods = tuple(
        MeasurePeriod(
            id=value.id,
            uid=value.uid,
            period=point.period,
            target=point.target,
            actual=point.actual,
            commentary=value.commentary,
            data_quality=value.data_quality,
            status=measure_status(point.actual, point.target, row.better, tolerance),
            travel=travel,
        )
        for value, point, travel in zip(values[measure_id], row.series, travels, strict=True)
    )
    return MeasureDetail(row, definitions[measure_id], tolerance, periods)


def outcome_rows(session: Session, plan_id: int) -> list[OutcomeRow]:
    """Each outcome in order, with the themes and actions serving it and its measures."""
    return outcomes_and_loose_measures(session, plan_id)[0]


def outcomes_and_loose_measures(
    session: Session, plan_id: int
) -> tuple[list[OutcomeRow], tuple[MeasureRow, ...]]:
    """The outcomes as `outcome_rows` gives them, and the measures of no outcome."""
    outcomes = session.execute(
        select(Outcome.id, Outcome.uid, Outcome.position, Outcome.title, Outcome.description)
        .where(Outcome.plan_id == plan_id)
        .order_by(Outcome.position, Outcome.id)
    ).all()
    themes: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for outcome_id, theme_id, number in session.execute(
        select(OutcomeLink.outcome_id, Theme.id, Theme.number)
        .join(Theme, Theme.id == OutcomeLink.theme_id)
        .where(Theme.plan_id == plan_id)
        .order_by(Theme.number)
    ):
        themes[outcome_id].append((theme_id, number))
    actions: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for outcome_id, action_id, ref in session.execute(
        select(OutcomeLink.outcome_id, Action.id, Action.ref)
        .join(Action, Action.id == OutcomeLink.action_id)
        .join(Theme, Theme.id == Action.theme_id)
        .where(Action.plan_id == plan_id)
        .order_by(Theme.number, Action.position, Action.id)
    ):
        actions[outcome_id].append((action_id, ref))
    measures: dict[int | None, list[MeasureRow]] = defaultdict(list)
    for measure in measure_rows(session, plan_id):
        measures[measure.outcome_id].append(measure)
    rows = [
        OutcomeRow(
            id=outcome_id,
            uid=uid,
            position=position,
            title=title,
            description=description,
            themes=tuple(number for _, number in themes[outcome_id]),
            theme_ids=tuple(theme_id for theme_id, _ in themes[outcome_id]),
            actions=tuple(ref for _, ref in actions[outcome_id]),
            action_ids=tuple(action_id for action_id, _ in actions[outcome_id]),
            measures=tuple(measures[outcome_id]),
        )
        for outcome_id, uid, position, title, description in outcomes
    ]
    return rows, tuple(measures[None])


def purpose_counts(session: Session, plan_id: int) -> PurposeCounts:
    """How many outcomes, measures and benefits the plan has."""
    outcomes = select(func.count()).select_from(Outcome).where(Outcome.plan_id == plan_id)
    measures = select(func.count()).select_from(Measure).where(Measure.plan_id == plan_id)
    benefits = (
        select(func.count())
        .select_from(Benefit)
        .join(Action, Action.id == Benefit.action_id)
        .where(Action.plan_id == plan_id)
    )
    found = session.execute(
        select(outcomes.scalar_subquery(), measures.scalar_subquery(), benefits.scalar_subquery())
    ).one()
    return PurposeCounts(int(found[0] or 0), int(found[1] or 0), int(found[2] or 0))
