"""How much of the plan each person carries: actions by RACI role, and the milestones
they own by the UK financial quarter they are due in.

Counts are over the actions shown (the filter's). A milestone counts in its quarter
while it is open (not completed): that is the work still ahead of its owner, and in a
quarter already past it is work overdue. Completed milestones are counted apart, so a
view can mention them without adding them to the load.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, Integer, String, and_, func, select, type_coerce
from sqlalchemy.orm import Session

from planner.domain import RaciRole
from planner.domain.dates import format_uk
from planner.domain.timescale import Band, TimeScale, month_number, month_start
from planner.queries.partner_map import SECTOR_ORDER
from planner.store.models import Action, ActionPerson, Milestone, Partner, Person, Plan, Theme

# Above these a person's load is marked as heavy (the number is shown in bold and framed).
ACCOUNTABLE_LIMIT = 8  # actions a person is the accountable lead officer for
MILESTONES_PER_QUARTER_LIMIT = 5  # open milestones one person owns due in one quarter

RACI_ORDER = tuple(RaciRole)  # R, A, C, I


@dataclass(frozen=True)
class LoadPerson:
    """One person's load over the shown actions."""

    id: int
    name: str
    job_title: str
    organisation_id: int | None
    organisation: str  # "" when none
    raci: dict[str, int] = field(default_factory=dict)  # RaciRole value -> actions
    open_due: dict[int, int] = field(default_factory=dict)  # quarter index -> open milestones
    completed_due: dict[int, int] = field(default_factory=dict)  # quarter -> completed
    open_undated: int = 0  # open milestones with no due date

    @property
    def actions(self) -> int:
        """Actions they are named on in any role (one role per person per action)."""
        return sum(self.raci.values())

    @property
    def open_milestones(self) -> int:
        return sum(self.open_due.values()) + self.open_undated

    @property
    def carries_anything(self) -> bool:
        return bool(self.actions or self.open_milestones or self.completed_due)


@dataclass(frozen=True)
class PeopleLoad:
    people: list[LoadPerson]  # by organisation (sector order, then name; none last), then name
    quarters: list[Band]  # UK financial quarters across the plan
    status_date: date
    shown: int  # actions shown
    total: int  # actions in the plan

    def quarter_of(self, day: date) -> int | None:
        for number, band in enumerate(self.quarters):
            if band.first <= day < band.end:
                return number
        return None


def quarter_months(first: date) -> tuple[date, date]:
    """The second and third months of the quarter starting `first`."""
    number = month_number(first)
    return month_start(number + 1), month_start(number + 2)


def _scope(plan_id: int, action_ids: Collection[int] | None) -> ColumnElement[bool]:
    scope: ColumnElement[bool] = Action.plan_id == plan_id
    if action_ids is not None:
        scope = and_(scope, Action.id.in_(sorted(action_ids)))
    return scope


def people_load(
    session: Session, plan_id: int, action_ids: Collection[int] | None = None
) -> PeopleLoad:
    """Everyone in the plan with their load over the actions in `action_ids` (all: None)."""
    connection = session.connection()
    scope = _scope(plan_id, action_ids)
    plan = connection.execute(
        select(Plan.status_date, Plan.period_start, Plan.period_end).where(Plan.id == plan_id)
    ).one()
    total = connection.scalar(select(func.count(Action.id)).where(Action.plan_id == plan_id)) or 0
    shown = (
        total
        if action_ids is None
        else connection.scalar(select(func.count(Action.id)).where(scope)) or 0
    )

    raci: dict[int, dict[str, int]] = defaultdict(dict)
    for person_id, role, count in connection.execute(
        select(ActionPerson.person_id, ActionPerson.role, func.count())
        .join(Action, Action.id == ActionPerson.action_id)
        .where(scope)
        .group_by(ActionPerson.person_id, ActionPerson.role)
    ).all():
        raci[person_id][role] = count

    # Milestones are bucketed here rather than grouped in SQL: few share an owner and a
    # quarter, so a GROUP BY only adds a sort (measured slower on SQLite). The due date
    # comes back raw (SQLite's "YYYY-MM-DD" text, a date elsewhere): only its year and
    # month are needed, and parsing 20,000 dates was most of the time taken.
    months: list[tuple[int | None, tuple[int, int] | None, bool]] = []
    for owner_id, raw_due, finished in connection.execute(
        select(
            Milestone.owner_id,
            type_coerce(Milestone.due, String),
            type_coerce(Milestone.completed_on.is_not(None), Integer),
        )
        .join(Action, Action.id == Milestone.action_id)
        .where(scope, Milestone.owner_id.is_not(None))
    ).all():
        month: tuple[int, int] | None = None
        if isinstance(raw_due, str):
            month = (int(raw_due[:4]), int(raw_due[5:7]))
        elif raw_due is not None:
            month = (raw_due.year, raw_due.month)
        months.append((owner_id, month, bool(finished)))
    dates = [plan.status_date]
    dates += [day for day in (plan.period_start, plan.period_end) if day]
    dated = [month for _owner, month, _done in months if month is not None]
    if dated:
        dates += [date(*min(dated), 1), date(*max(dated), 1)]
    quarters = TimeScale.covering(dates, 1.0).quarters()
    quarter_of_month = {
        (month.year, month.month): number
        for number, band in enumerate(quarters)
        for month in (band.first, *(quarter_months(band.first)))
    }

    open_due: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    completed_due: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    undated: dict[int, int] = defaultdict(int)
    for owner_id, month, completed in months:
        if owner_id is None:
            continue
        if month is None:
            if not completed:
                undated[owner_id] += 1
            continue
        number = quarter_of_month[month]
        (completed_due if completed else open_due)[owner_id][number] += 1

    people = connection.execute(
        select(
            Person.id,
            Person.name,
            Person.job_title,
            Person.organisation_id,
            Partner.name,
            Partner.sector,
        )
        .outerjoin(Partner, Partner.id == Person.organisation_id)
        .where(Person.plan_id == plan_id)
    ).all()
    ordered = sorted(
        people,
        key=lambda p: (
            p[4] is None,
            SECTOR_ORDER.get(p[5] or "", len(SECTOR_ORDER)),
            (p[4] or "").casefold(),
            p[1].casefold(),
            p[0],
        ),
    )
    rows = [
        LoadPerson(
            id=person_id,
            name=name,
            job_title=job_title or "",
            organisation_id=organisation_id,
            organisation=organisation or "",
            raci={r.value: raci[person_id][r.value] for r in RACI_ORDER if r in raci[person_id]},
            open_due=dict(open_due.get(person_id, {})),
            completed_due=dict(completed_due.get(person_id, {})),
            open_undated=undated.get(person_id, 0),
        )
        for person_id, name, job_title, organisation_id, organisation, _sector in ordered
    ]
    return PeopleLoad(rows, quarters, plan.status_date, shown, total)


@dataclass(frozen=True)
class LoadItem:
    """One action or milestone behind a count, for a tooltip."""

    ref: str
    title: str
    due: date | None = None
    completed_on: date | None = None

    @property
    def text(self) -> str:
        when = f" (due {format_uk(self.due)})" if self.due else ""
        done = f", completed {format_uk(self.completed_on)}" if self.completed_on else ""
        return f"{self.ref} {self.title}{when}{done}"


def actions_in_role(
    session: Session,
    plan_id: int,
    person_id: int,
    role: str,
    action_ids: Collection[int] | None = None,
) -> list[LoadItem]:
    """The shown actions on which `person_id` has RACI `role`, in plan order."""
    rows = session.execute(
        select(Action.ref, Action.title)
        .join(ActionPerson, ActionPerson.action_id == Action.id)
        .join(Theme, Theme.id == Action.theme_id)
        .where(
            _scope(plan_id, action_ids),
            ActionPerson.person_id == person_id,
            ActionPerson.role == role,
        )
        .order_by(Theme.number, Action.position, Action.id)
    )
    return [LoadItem(ref, title) for ref, title in rows]


def milestones_due(
    session: Session,
    plan_id: int,
    person_id: int,
    first: date,
    end: date,
    action_ids: Collection[int] | None = None,
) -> list[LoadItem]:
    """Milestones `person_id` owns on the shown actions, due from `first` to before `end`."""
    rows = session.execute(
        select(Action.ref, Milestone.title, Milestone.due, Milestone.completed_on)
        .join(Action, Action.id == Milestone.action_id)
        .where(
            _scope(plan_id, action_ids),
            Milestone.owner_id == person_id,
            Milestone.due >= first,
            Milestone.due < end,
        )
        .order_by(Milestone.due, Milestone.id)
    )
    return [LoadItem(ref, title, due, completed_on) for ref, title, due, completed_on in rows]
