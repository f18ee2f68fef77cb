"""Everything the details panel shows about one action, read in a handful of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import Integer, and_, bindparam, case, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from planner.domain import PartnerRole, RaciRole, Status
from planner.domain.dates import format_uk
from planner.domain.travel import direction_of_travel
from planner.store.models import (
    Action,
    ActionPartner,
    ActionPerson,
    BaselineChange,
    JournalEntry,
    Milestone,
    Partner,
    Person,
    Plan,
    ProgressUpdate,
    Theme,
)

HISTORY_LIMIT = 200
CLOSED = (Status.COMPLETED.value, Status.CANCELLED.value)
_RACI_ORDER = {
    RaciRole.ACCOUNTABLE.value: 0,
    RaciRole.RESPONSIBLE.value: 1,
    RaciRole.CONSULTED.value: 2,
    RaciRole.INFORMED.value: 3,
}
_PARTNER_ROLE_ORDER = {role.value: number for number, role in enumerate(PartnerRole)}


@dataclass(frozen=True)
class _DetailStatements:
    """The statements `action_detail` runs, built once with bound parameters."""

    action: Executable
    people: Executable
    partners: Executable
    milestones: Executable
    updates: Executable
    baselines: Executable
    history: Executable


@cache
def _statements() -> _DetailStatements:
    action_id = bindparam("action_id", type_=Integer)
    action = (
        select(Action, Theme.number, Theme.title, Plan.status_date)
        .join(Theme, Theme.id == Action.theme_id)
        .join(Plan, Plan.id == Action.plan_id)
        .where(Action.id == action_id, Action.plan_id == bindparam("plan_id"))
    )
    people = (
        select(ActionPerson.id, Person.id, Person.name, Person.job_title, ActionPerson.role)
        .join(Person, Person.id == ActionPerson.person_id)
        .where(ActionPerson.action_id == action_id)
        .order_by(
            case(_RACI_ORDER, value=ActionPerson.role, else_=len(_RACI_ORDER)),
            Person.name,
            ActionPerson.id,
        )
    )
    partners = (
        select(ActionPartner.id, Partner.id, Partner.name, Partner.sector, ActionPartner.role)
        .join(Partner, Partner.id == ActionPartner.partner_id)
        .where(ActionPartner.action_id == action_id)
        .order_by(
            case(_PARTNER_ROLE_ORDER, value=ActionPartner.role, else_=len(PartnerRole)),
            Partner.name,
            ActionPartner.id,
        )
    )
    milestones = (
        select(Milestone, Person.name)
        .outerjoin(Person, Person.id == Milestone.owner_id)
        .where(Milestone.action_id == action_id)
        .order_by(Milestone.due.is_(None), Milestone.due, Milestone.id)
    )
    updates = (
        select(ProgressUpdate, Person.name)
        .outerjoin(Person, Person.id == ProgressUpdate.author_id)
        .where(ProgressUpdate.action_id == action_id)
        .order_by(ProgressUpdate.as_at, ProgressUpdate.id)
    )
    baselines = (
        select(BaselineChange)
        .where(
            or_(
                BaselineChange.action_id == action_id,
                BaselineChange.milestone_id.in_(bindparam("milestone_ids", expanding=True)),
            )
        )
        .order_by(BaselineChange.id.desc())
    )
    history = (
        select(JournalEntry)
        .where(
            JournalEntry.plan_id == bindparam("plan_id"),
            or_(
                JournalEntry.action_id == action_id,
                *(
                    and_(
                        JournalEntry.entity == entity,
                        JournalEntry.entity_id.in_(bindparam(f"{entity}_ids", expanding=True)),
                    )
                    for entity in GONE_SUBJECTS
                ),
            ),
        )
        .order_by(JournalEntry.at.desc(), JournalEntry.id.desc())
        .limit(HISTORY_LIMIT)
    )
    return _DetailStatements(action, people, partners, milestones, updates, baselines, history)


@dataclass(frozen=True)
class PersonLink:
    link_id: int
    person_id: int
    name: str
    job_title: str
    role: str  # RACI code: A, R, C or I


@dataclass(frozen=True)
class PartnerLink:
    link_id: int
    partner_id: int
    name: str
    sector: str
    role: str  # PartnerRole value


@dataclass(frozen=True)
class MilestoneDetail:
    id: int
    title: str
    due: date | None
    baseline_due: date | None
    completed_on: date | None
    owner_id: int | None
    owner: str
    note: str
    overdue: bool  # due before the plan's status date and not completed


@dataclass(frozen=True)
class UpdateDetail:
    id: int
    as_at: date
    status: str
    rag: str | None
    percent: int
    commentary: str
    author_id: int | None
    author: str
    direction: str | None  # "improved", "same", "worse", or None (first or unrated)


@dataclass(frozen=True)
class BaselineEntry:
    id: int
    what: str  # "Action 3.4" or the milestone's title
    milestone_id: int | None
    old_due: date | None
    new_due: date
    reason: str
    approved_by: str
    decision_ref: str
    decided_on: date | None


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    at: datetime
    who: str
    entity: str  # table name: action, milestone, action_person, ...
    entity_id: int
    subject: str  # what was changed, in words: "Milestone 'Go live'"
    field: str  # a field name, or CREATED / DELETED (planner.store.models)
    old_value: str | None
    new_value: str | None
    source: str


@dataclass(frozen=True)
class ActionDetail:
    id: int
    ref: str
    title: str
    description: str
    theme_id: int
    theme_number: int
    theme_label: str  # "4. Local Public Services Infrastructure"
    start: date | None
    due: date | None
    baseline_due: date | None
    status: str
    rag: str | None
    percent: int
    status_date: date  # the plan's "as at" date
    overdue: bool  # due before the status date and still open
    people: tuple[PersonLink, ...]  # A first, then R, C, I
    partners: tuple[PartnerLink, ...]
    milestones: tuple[MilestoneDetail, ...]  # by due date
    updates: tuple[UpdateDetail, ...]  # newest first
    baselines: tuple[BaselineEntry, ...]  # newest first
    history: tuple[HistoryEntry, ...]  # newest first, at most HISTORY_LIMIT

    @property
    def lead(self) -> PersonLink | None:
        for link in self.people:
            if link.role == RaciRole.ACCOUNTABLE.value:
                return link
        return None

    @property
    def heading(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def overdue_milestones(self) -> int:
        return sum(1 for milestone in self.milestones if milestone.overdue)


def action_detail(session: Session, plan_id: int, action_id: int) -> ActionDetail | None:
    """The action with its people, partners, milestones, updates and history; None when
    the action is not in this plan (for example after it was deleted)."""
    statements = _statements()
    found = session.execute(
        statements.action, {"action_id": action_id, "plan_id": plan_id}
    ).one_or_none()
    if found is None:
        return None
    action, theme_number, theme_title, status_date = found
    by_action = {"action_id": action_id}
    people = tuple(
        PersonLink(link_id, person_id, name, job_title, role)
        for link_id, person_id, name, job_title, role in session.execute(
            statements.people, by_action
        )
    )
    partners = tuple(
        PartnerLink(link_id, partner_id, name, sector, role)
        for link_id, partner_id, name, sector, role in session.execute(
            statements.partners, by_action
        )
    )
    milestones = tuple(
        MilestoneDetail(
            id=milestone.id,
            title=milestone.title,
            due=milestone.due,
            baseline_due=milestone.baseline_due,
            completed_on=milestone.completed_on,
            owner_id=milestone.owner_id,
            owner=owner or "",
            note=milestone.note,
            overdue=milestone.completed_on is None
            and milestone.due is not None
            and milestone.due < status_date,
        )
        for milestone, owner in session.execute(statements.milestones, by_action)
    )
    updates = _updates(session, action_id)
    baselines = _baselines(session, action, milestones)
    history = _history(session, plan_id, action, people, partners, milestones, updates, baselines)
    return ActionDetail(
        id=action.id,
        ref=action.ref,
        title=action.title,
        description=action.description,
        theme_id=action.theme_id,
        theme_number=theme_number,
        theme_label=f"{theme_number}. {theme_title}",
        start=action.start,
        due=action.due,
        baseline_due=action.baseline_due,
        status=action.status,
        rag=action.rag,
        percent=action.percent,
        status_date=status_date,
        overdue=action.due is not None and action.due < status_date and action.status not in CLOSED,
        people=people,
        partners=partners,
        milestones=milestones,
        updates=updates,
        baselines=baselines,
        history=history,
    )


def _updates(session: Session, action_id: int) -> tuple[UpdateDetail, ...]:
    oldest_first: list[UpdateDetail] = []
    previous_rag: str | None = None
    for update, author in session.execute(_statements().updates, {"action_id": action_id}):
        direction = direction_of_travel(previous_rag, update.rag) if oldest_first else None
        oldest_first.append(
            UpdateDetail(
                id=update.id,
                as_at=update.as_at,
                status=update.status,
                rag=update.rag,
                percent=update.percent,
                commentary=update.commentary,
                author_id=update.author_id,
                author=author or "",
                direction=direction,
            )
        )
        previous_rag = update.rag
    return tuple(reversed(oldest_first))


def _baselines(
    session: Session, action: Action, milestones: tuple[MilestoneDetail, ...]
) -> tuple[BaselineEntry, ...]:
    titles = {milestone.id: milestone.title for milestone in milestones}
    found = session.scalars(
        _statements().baselines, {"action_id": action.id, "milestone_ids": list(titles)}
    )
    return tuple(
        BaselineEntry(
            id=change.id,
            what=(
                titles.get(change.milestone_id, "Milestone")
                if change.milestone_id is not None
                else f"Action {action.ref}"
            ),
            milestone_id=change.milestone_id,
            old_due=change.old_due,
            new_due=change.new_due,
            reason=change.reason,
            approved_by=change.approved_by,
            decision_ref=change.decision_ref,
            decided_on=change.decided_on,
        )
        for change in found
    )


# The records hanging off an action whose journal entries its history shows, and how to
# name one that has since been deleted.
GONE_SUBJECTS = {
    "action": "Action",
    "milestone": "Milestone",
    "action_person": "Person on the action",
    "action_partner": "Partner body on the action",
    "progress_update": "Progress update",
    "baseline_change": "Baseline",
}


def _history(
    session: Session,
    plan_id: int,
    action: Action,
    people: tuple[PersonLink, ...],
    partners: tuple[PartnerLink, ...],
    milestones: tuple[MilestoneDetail, ...],
    updates: tuple[UpdateDetail, ...],
    baselines: tuple[BaselineEntry, ...],
) -> tuple[HistoryEntry, ...]:
    """Journal entries for the action and the records that hang off it now."""
    subjects: dict[str, dict[int, str]] = {
        "action": {action.id: f"Action {action.ref}"},
        "milestone": {m.id: f"Milestone '{m.title}'" for m in milestones},
        "action_person": {p.link_id: f"{p.name} (person)" for p in people},
        "action_partner": {p.link_id: f"{p.name} (partner body)" for p in partners},
        "progress_update": {u.id: f"Update as at {format_uk(u.as_at)}" for u in updates},
        "baseline_change": {b.id: f"Baseline of {b.what}" for b in baselines},
    }
    parameters: dict[str, object] = {"plan_id": plan_id, "action_id": action.id}
    for entity in GONE_SUBJECTS:
        parameters[f"{entity}_ids"] = list(subjects[entity])
    found = session.scalars(_statements().history, parameters)
    return tuple(
        HistoryEntry(
            id=entry.id,
            at=entry.at,
            who=entry.who,
            entity=entry.entity,
            entity_id=entry.entity_id,
            subject=subjects.get(entry.entity, {}).get(
                entry.entity_id, GONE_SUBJECTS.get(entry.entity, entry.entity)
            ),
            field=entry.field,
            old_value=entry.old_value,
            new_value=entry.new_value,
            source=entry.source,
        )
        for entry in found
    )


@dataclass(frozen=True)
class PersonOption:
    """A person as a picker offers them: name, job title and organisation."""

    id: int
    name: str
    job_title: str
    organisation: str

    @property
    def label(self) -> str:
        extra = ", ".join(part for part in (self.job_title, self.organisation) if part)
        return f"{self.name} ({extra})" if extra else self.name


def person_options(session: Session, plan_id: int) -> list[PersonOption]:
    """Everyone in the plan, by name, for the assign-person and author pickers."""
    rows = session.execute(
        select(Person.id, Person.name, Person.job_title, Partner.short_name, Partner.name)
        .outerjoin(Partner, Partner.id == Person.organisation_id)
        .where(Person.plan_id == plan_id)
        .order_by(Person.name, Person.id)
    )
    return [
        PersonOption(person_id, name, job_title, short or organisation or "")
        for person_id, name, job_title, short, organisation in rows
    ]
