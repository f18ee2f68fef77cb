"""Which actions match a filter, and the rows the action table shows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from planner.domain import RaciRole, Status
from planner.store.models import (
    Action,
    ActionPartner,
    ActionPerson,
    Milestone,
    Partner,
    Person,
    Plan,
    ProgressUpdate,
    Theme,
)

CLOSED = (Status.COMPLETED.value, Status.CANCELLED.value)


@dataclass(frozen=True)
class ActionFilter:
    text: str = ""
    theme_ids: frozenset[int] = frozenset()
    person_id: int | None = None
    partner_id: int | None = None
    statuses: frozenset[str] = frozenset()
    rags: frozenset[str | None] = frozenset()
    overdue_only: bool = False


def _status_date(session: Session, plan_id: int) -> date:
    found = session.scalar(select(Plan.status_date).where(Plan.id == plan_id))
    assert found is not None
    return found


def overdue_milestone_clause(status_date: date) -> ColumnElement[bool]:
    return and_(Milestone.completed_on.is_(None), Milestone.due < status_date)


def overdue_action_clause(status_date: date) -> ColumnElement[bool]:
    late_itself = and_(Action.due < status_date, Action.status.not_in(CLOSED))
    late_milestone = exists().where(
        Milestone.action_id == Action.id, overdue_milestone_clause(status_date)
    )
    return or_(late_itself, late_milestone)


def filter_actions(session: Session, plan_id: int, wanted: ActionFilter) -> list[int]:
    """Ids of matching actions, in plan order (theme, then position)."""
    query = (
        select(Action.id)
        .join(Theme, Theme.id == Action.theme_id)
        .where(Action.plan_id == plan_id)
        .order_by(Theme.number, Action.position, Action.id)
    )
    if wanted.text.strip():
        pattern = f"%{wanted.text.strip().lower()}%"
        in_notes = exists().where(
            Milestone.action_id == Action.id,
            or_(
                func.lower(Milestone.note).like(pattern), func.lower(Milestone.title).like(pattern)
            ),
        )
        in_updates = exists().where(
            ProgressUpdate.action_id == Action.id,
            func.lower(ProgressUpdate.commentary).like(pattern),
        )
        query = query.where(
            or_(
                func.lower(Action.ref).like(pattern),
                func.lower(Action.title).like(pattern),
                func.lower(Action.description).like(pattern),
                in_notes,
                in_updates,
            )
        )
    if wanted.theme_ids:
        query = query.where(Action.theme_id.in_(wanted.theme_ids))
    if wanted.person_id is not None:
        query = query.where(
            exists().where(
                ActionPerson.action_id == Action.id, ActionPerson.person_id == wanted.person_id
            )
        )
    if wanted.partner_id is not None:
        query = query.where(
            exists().where(
                ActionPartner.action_id == Action.id, ActionPartner.partner_id == wanted.partner_id
            )
        )
    if wanted.statuses:
        query = query.where(Action.status.in_(wanted.statuses))
    if wanted.rags:
        codes = [code for code in wanted.rags if code is not None]
        clauses = [Action.rag.in_(codes)] if codes else []
        if None in wanted.rags:
            clauses.append(Action.rag.is_(None))
        query = query.where(or_(*clauses))
    if wanted.overdue_only:
        query = query.where(overdue_action_clause(_status_date(session, plan_id)))
    return list(session.scalars(query))


@dataclass(frozen=True)
class ActionRow:
    """One action as the plan's tables show it."""

    id: int
    ref: str
    title: str
    theme_id: int
    theme_number: int
    theme_title: str
    description: str
    lead_officer: str
    partners: str
    start: date | None
    due: date | None
    baseline_due: date | None
    status: str
    rag: str | None
    percent: int
    next_milestone: str
    next_milestone_due: date | None
    overdue: bool
    overdue_milestones: int
    latest_update: str = ""
    other_people: list[tuple[str, str]] = field(default_factory=list)


def action_rows(
    session: Session, plan_id: int, ids: Sequence[int] | None = None
) -> list[ActionRow]:
    """Rows for the given action ids (all actions when None), in plan order."""
    status_date = _status_date(session, plan_id)
    query = (
        select(Action, Theme.number, Theme.title)
        .join(Theme, Theme.id == Action.theme_id)
        .where(Action.plan_id == plan_id)
        .order_by(Theme.number, Action.position, Action.id)
    )
    if ids is not None:
        query = query.where(Action.id.in_(list(ids)))
    found = session.execute(query).all()
    wanted = [action.id for action, _, _ in found]
    in_plan = Action.plan_id == plan_id

    leads: dict[int, str] = {}
    others: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for action_id, name, role in session.execute(
        select(ActionPerson.action_id, Person.name, ActionPerson.role)
        .join(Person, Person.id == ActionPerson.person_id)
        .join(Action, Action.id == ActionPerson.action_id)
        .where(in_plan)
        .order_by(ActionPerson.id)
    ):
        if role == RaciRole.ACCOUNTABLE:
            leads[action_id] = name
        else:
            others[action_id].append((name, role))

    partners: dict[int, list[str]] = defaultdict(list)
    for action_id, name, short_name, _role in session.execute(
        select(ActionPartner.action_id, Partner.name, Partner.short_name, ActionPartner.role)
        .join(Partner, Partner.id == ActionPartner.partner_id)
        .join(Action, Action.id == ActionPartner.action_id)
        .where(in_plan)
        .order_by(ActionPartner.role != "lead", Partner.name)
    ):
        partners[action_id].append(short_name or name)

    next_milestone: dict[int, tuple[str, date | None]] = {}
    overdue_count: dict[int, int] = defaultdict(int)
    for action_id, title, due, _completed in session.execute(
        select(Milestone.action_id, Milestone.title, Milestone.due, Milestone.completed_on)
        .join(Action, Action.id == Milestone.action_id)
        .where(in_plan, Milestone.completed_on.is_(None))
        .order_by(Milestone.due, Milestone.id)
    ):
        next_milestone.setdefault(action_id, (title, due))
        if due is not None and due < status_date:
            overdue_count[action_id] += 1

    latest: dict[int, str] = {}
    newest = (
        select(ProgressUpdate.action_id, ProgressUpdate.commentary)
        .join(Action, Action.id == ProgressUpdate.action_id)
        .where(in_plan)
        .order_by(ProgressUpdate.as_at, ProgressUpdate.id)
    )
    for action_id, commentary in session.execute(newest):
        latest[action_id] = commentary

    rows: list[ActionRow] = []
    wanted_set = set(wanted)
    for action, theme_number, theme_title in found:
        if action.id not in wanted_set:
            continue
        upcoming = next_milestone.get(action.id)
        late_itself = (
            action.due is not None and action.due < status_date and action.status not in CLOSED
        )
        rows.append(
            ActionRow(
                id=action.id,
                ref=action.ref,
                title=action.title,
                theme_id=action.theme_id,
                theme_number=theme_number,
                theme_title=theme_title,
                description=action.description,
                lead_officer=leads.get(action.id, ""),
                partners=", ".join(partners.get(action.id, [])),
                start=action.start,
                due=action.due,
                baseline_due=action.baseline_due,
                status=action.status,
                rag=action.rag,
                percent=action.percent,
                next_milestone=upcoming[0] if upcoming else "",
                next_milestone_due=upcoming[1] if upcoming else None,
                overdue=late_itself or overdue_count[action.id] > 0,
                overdue_milestones=overdue_count[action.id],
                latest_update=latest.get(action.id, ""),
                other_people=others.get(action.id, []),
            )
        )
    return rows
