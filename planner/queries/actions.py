"""Which actions match a filter, and the rows the action table shows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from sqlalchemy import (
    ColumnElement,
    and_,
    bindparam,
    case,
    exists,
    func,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql import Executable

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
    plan = Plan.__table__
    found = session.scalar(select(plan.c.status_date).where(plan.c.id == plan_id))
    assert isinstance(found, date)
    return found


def overdue_milestone_clause(status_date: date) -> ColumnElement[bool]:
    return and_(Milestone.completed_on.is_(None), Milestone.due < status_date)


def overdue_action_clause(status_date: date) -> ColumnElement[bool]:
    late_itself = and_(Action.due < status_date, Action.status.not_in(CLOSED))
    late_milestone = exists().where(
        Milestone.action_id == Action.id, overdue_milestone_clause(status_date)
    )
    return or_(late_itself, late_milestone)


def _text_clause(session: Session, text: str) -> ColumnElement[bool]:
    """Actions whose ref, title, description, milestone titles or notes, or progress
    commentary contain `text`, ignoring case; % and _ are matched literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    # SQLite's LIKE already ignores case; PostgreSQL needs ILIKE.
    sqlite = session.get_bind().dialect.name == "sqlite"

    def contains(column: ColumnElement[str] | InstrumentedAttribute[str]) -> ColumnElement[bool]:
        if sqlite:
            return column.like(pattern, escape="\\")
        return column.ilike(pattern, escape="\\")

    in_milestones = select(Milestone.action_id).where(
        or_(contains(Milestone.title), contains(Milestone.note))
    )
    in_updates = select(ProgressUpdate.action_id).where(contains(ProgressUpdate.commentary))
    return or_(
        contains(Action.ref),
        contains(Action.title),
        contains(Action.description),
        Action.id.in_(union_all(in_milestones, in_updates)),
    )


def filter_actions(session: Session, plan_id: int, wanted: ActionFilter) -> list[int]:
    """Ids of matching actions, in plan order (theme, then position)."""
    query = (
        select(Action.id)
        .join(Theme, Theme.id == Action.theme_id)
        .where(Action.plan_id == plan_id)
        .order_by(Theme.number, Action.position, Action.id)
    )
    if wanted.text.strip():
        query = query.where(_text_clause(session, wanted.text.strip()))
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
    uid: str = ""
    latest_update_as_at: date | None = None
    lead_officer_id: int | None = None  # the lead officer's person id, names not being unique


def first_action_ids(session: Session, plan_id: int, limit: int) -> list[int]:
    """The ids of up to `limit` actions, in plan order."""
    action, theme = Action.__table__.c, Theme.__table__.c
    return list(
        session.scalars(
            select(action.id)
            .join(Theme.__table__, theme.id == action.theme_id)
            .where(action.plan_id == plan_id)
            .order_by(theme.number, action.position, action.id)
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class _RowStatements:
    """The statements `action_rows` runs, built once per scope: all of a plan's actions,
    or the ones named by the expanding parameter `ids`."""

    actions: Executable
    people: Executable
    partners: Executable
    milestones: Executable
    updates: Executable


@cache
def _row_statements(by_id: bool) -> _RowStatements:
    # Plain table columns: the first screenful is read before the ORM's mappers are set
    # up, which takes a tenth of a second on first use.
    action, theme = Action.__table__.c, Theme.__table__.c
    action_person, person = ActionPerson.__table__.c, Person.__table__.c
    action_partner, partner = ActionPartner.__table__.c, Partner.__table__.c
    milestone, update = Milestone.__table__.c, ProgressUpdate.__table__.c
    scope = action.plan_id == bindparam("plan_id")
    if by_id:
        scope = and_(scope, action.id.in_(bindparam("ids", expanding=True)))
    actions = (
        select(
            action.id,
            action.ref,
            action.title,
            action.theme_id,
            theme.number,
            theme.title,
            action.description,
            action.start,
            action.due,
            action.baseline_due,
            action.status,
            action.rag,
            action.percent,
            action.uid,
        )
        .join(Theme.__table__, theme.id == action.theme_id)
        .where(scope)
        .order_by(theme.number, action.position, action.id)
    )
    people = (
        select(action_person.action_id, person.name, action_person.role, person.id)
        .join(Person.__table__, person.id == action_person.person_id)
        .join(Action.__table__, action.id == action_person.action_id)
        .where(scope)
        .order_by(action_person.id)
    )
    partners = (
        select(action_partner.action_id, partner.name, partner.short_name)
        .join(Partner.__table__, partner.id == action_partner.partner_id)
        .join(Action.__table__, action.id == action_partner.action_id)
        .where(scope)
        .order_by(action_partner.role != "lead", partner.name)
    )
    # The next open milestone and the latest update of each action, picked in SQL with
    # window functions: one row per action comes back, not every milestone and update.
    open_milestones = (
        select(
            milestone.action_id,
            milestone.title,
            milestone.due,
            func.row_number()
            .over(partition_by=milestone.action_id, order_by=(milestone.due, milestone.id))
            .label("place"),
            func.sum(case((milestone.due < bindparam("status_date"), 1), else_=0))
            .over(partition_by=milestone.action_id)
            .label("overdue"),
        )
        .join(Action.__table__, action.id == milestone.action_id)
        .where(scope, milestone.completed_on.is_(None))
        .subquery()
    )
    milestones = select(
        open_milestones.c.action_id,
        open_milestones.c.title,
        open_milestones.c.due,
        open_milestones.c.overdue,
    ).where(open_milestones.c.place == 1)
    newest_updates = (
        select(
            update.action_id,
            update.commentary,
            update.as_at,
            func.row_number()
            .over(
                partition_by=update.action_id,
                order_by=(update.as_at.desc(), update.id.desc()),
            )
            .label("place"),
        )
        .join(Action.__table__, action.id == update.action_id)
        .where(scope)
        .subquery()
    )
    updates = select(
        newest_updates.c.action_id, newest_updates.c.commentary, newest_updates.c.as_at
    ).where(newest_updates.c.place == 1)
    return _RowStatements(actions, people, partners, milestones, updates)


def action_rows(
    session: Session, plan_id: int, ids: Sequence[int] | None = None
) -> list[ActionRow]:
    """Rows for the given action ids (all actions when None), in plan order."""
    status_date = _status_date(session, plan_id)
    statements = _row_statements(ids is not None)
    parameters: dict[str, object] = {"plan_id": plan_id, "status_date": status_date}
    if ids is not None:
        parameters["ids"] = list(ids)
    connection = session.connection()  # plain rows: no ORM loading overhead
    found = connection.execute(statements.actions, parameters).all()

    leads: dict[int, str] = {}
    lead_ids: dict[int, int] = {}
    others: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for action_id, name, role, person_id in connection.execute(statements.people, parameters).all():
        if role == RaciRole.ACCOUNTABLE:
            leads[action_id] = name
            lead_ids[action_id] = person_id
        else:
            others[action_id].append((name, role))

    partners: dict[int, list[str]] = defaultdict(list)
    for action_id, name, short_name in connection.execute(statements.partners, parameters):
        partners[action_id].append(short_name or name)

    next_milestone: dict[int, tuple[str, date | None]] = {}
    overdue_count: dict[int, int] = defaultdict(int)
    for action_id, title, due, overdue in connection.execute(statements.milestones, parameters):
        next_milestone[action_id] = (title, due)
        overdue_count[action_id] = int(overdue or 0)

    latest: dict[int, tuple[str, date]] = {}
    for action_id, commentary, as_at in connection.execute(statements.updates, parameters):
        latest[action_id] = (commentary, as_at)

    rows: list[ActionRow] = []
    for (
        action_id,
        ref,
        title,
        theme_id,
        theme_number,
        theme_title,
        description,
        start,
        due,
        baseline_due,
        status,
        rag,
        percent,
        uid,
    ) in found:
        upcoming = next_milestone.get(action_id)
        late_itself = due is not None and due < status_date and status not in CLOSED
        rows.append(
            ActionRow(
                id=action_id,
                ref=ref,
                title=title,
                theme_id=theme_id,
                theme_number=theme_number,
                theme_title=theme_title,
                description=description,
                lead_officer=leads.get(action_id, ""),
                lead_officer_id=lead_ids.get(action_id),
                partners=", ".join(partners.get(action_id, [])),
                start=start,
                due=due,
                baseline_due=baseline_due,
                status=status,
                rag=rag,
                percent=percent,
                next_milestone=upcoming[0] if upcoming else "",
                next_milestone_due=upcoming[1] if upcoming else None,
                overdue=late_itself or overdue_count[action_id] > 0,
                overdue_milestones=overdue_count[action_id],
                latest_update=latest[action_id][0] if action_id in latest else "",
                other_people=others.get(action_id, []),
                uid=uid,
                latest_update_as_at=latest[action_id][1] if action_id in latest else None,
            )
        )
    return rows
