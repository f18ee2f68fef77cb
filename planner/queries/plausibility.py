"""Values that are allowed but worth a second look: a completed action with milestones
still open, 100% that is not Completed, dates far outside the plan's period, a milestone
completed in the future. They never block a change; they are listed for the officer.
(A start after the due date is against the plan's rules: a returned one is set aside with
its reason, and `planner check` reports one as a problem.)"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import Status
from planner.domain.dates import format_uk
from planner.store.models import Action, Milestone, Plan

FAR_YEARS = 2  # how far outside the plan's period a date looks like a slip of the keyboard
CLOSED = (Status.COMPLETED.value, Status.CANCELLED.value)


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date | None

    def far_outside(self, value: date | None) -> str:
        """'' or why the date is far outside the period, e.g. 'more than 2 years after
        the plan ends (31/03/2015)'."""
        if value is None:
            return ""
        if self.start and value < self.start - timedelta(days=365 * FAR_YEARS):
            return f"more than {FAR_YEARS} years before the plan starts ({format_uk(self.start)})"
        if self.end and value > self.end + timedelta(days=365 * FAR_YEARS + 1):
            return f"more than {FAR_YEARS} years after the plan ends ({format_uk(self.end)})"
        return ""


@dataclass(frozen=True)
class ActionFacts:
    ref: str
    start: date | None
    due: date | None
    status: str
    percent: int
    open_milestones: int


@dataclass(frozen=True)
class MilestoneFacts:
    ref: str  # its action's
    title: str
    due: date | None
    completed_on: date | None


def action_warnings(facts: ActionFacts, period: Period) -> list[str]:
    name = f"Action {facts.ref}"
    found: list[str] = []
    if facts.status == Status.COMPLETED.value and facts.open_milestones:
        found.append(
            f"{name} is Completed but {facts.open_milestones} of its milestones "
            f"{'is' if facts.open_milestones == 1 else 'are'} not."
        )
    if facts.percent == 100 and facts.status not in CLOSED:
        status = Status.from_text(facts.status)
        label = status.label if status is not None else facts.status
        found.append(f"{name} is 100% complete but its status is {label}.")
    for label, value in (("start", facts.start), ("due date", facts.due)):
        why = period.far_outside(value)
        if why:
            found.append(f"{name}'s {label} {format_uk(value)} is {why}.")
    return found


def milestone_warnings(facts: MilestoneFacts, period: Period, today: date) -> list[str]:
    name = f"Milestone '{facts.title}' ({facts.ref})"
    found: list[str] = []
    if facts.completed_on and facts.completed_on > today:
        found.append(
            f"{name} is recorded as completed on {format_uk(facts.completed_on)}, in the future."
        )
    why = period.far_outside(facts.due)
    if why:
        found.append(f"{name} is due {format_uk(facts.due)}, {why}.")
    return found


def plan_period(session: Session, plan_id: int) -> Period:
    plan = session.get(Plan, plan_id)
    return Period(plan.period_start, plan.period_end) if plan else Period(None, None)


def plan_warnings(session: Session, plan_id: int, today: date | None = None) -> list[str]:
    """Every value in the plan worth a second look, as sentences naming the record."""
    today = today or date.today()
    period = plan_period(session, plan_id)
    open_count: dict[int, int] = defaultdict(int)
    milestones: list[MilestoneFacts] = []
    for action_id, ref, title, due, completed_on in session.execute(
        select(
            Milestone.action_id, Action.ref, Milestone.title, Milestone.due, Milestone.completed_on
        )
        .join(Action, Action.id == Milestone.action_id)
        .where(Action.plan_id == plan_id)
        .order_by(Action.theme_id, Action.position, Milestone.due, Milestone.id)
    ):
        if completed_on is None:
            open_count[action_id] += 1
        milestones.append(MilestoneFacts(ref, title, due, completed_on))
    found: list[str] = []
    for action in session.scalars(
        select(Action).where(Action.plan_id == plan_id).order_by(Action.theme_id, Action.position)
    ):
        facts = ActionFacts(
            action.ref,
            action.start,
            action.due,
            action.status,
            action.percent,
            open_count[action.id],
        )
        found.extend(action_warnings(facts, period))
    for milestone in milestones:
        found.extend(milestone_warnings(milestone, period, today))
    return found
