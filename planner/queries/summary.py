"""Summary figures: counts, RAG by theme and by partner, milestones late and due soon."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from planner.queries.purpose import purpose_counts
from planner.store.models import (
    Action,
    ActionPartner,
    ActionPerson,
    Milestone,
    Partner,
    Person,
    Plan,
    ProgressUpdate,
    RagDefinitionRow,
    Theme,
)

DUE_SOON_DAYS = 90


@dataclass(frozen=True)
class PlanCounts:
    themes: int
    actions: int
    milestones: int
    people: int
    partners: int
    updates: int
    person_links: int
    partner_links: int
    outcomes: int = 0
    measures: int = 0
    benefits: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "themes": self.themes,
            "actions": self.actions,
            "milestones": self.milestones,
            "people": self.people,
            "partners": self.partners,
            "outcomes": self.outcomes,
            "measures": self.measures,
            "benefits": self.benefits,
        }


@dataclass(frozen=True)
class RagCount:
    """RAG counts for one theme or partner body; key None counts unrated actions."""

    id: int
    label: str
    counts: dict[str | None, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class MilestoneRow:
    id: int
    action_id: int
    action_ref: str
    title: str
    due: date | None
    baseline_due: date | None
    completed_on: date | None
    owner: str
    note: str
    overdue: bool
    uid: str = ""
    owner_id: int | None = None


@dataclass(frozen=True)
class PlanSummary:
    title: str
    organisation: str
    status_date: date
    rag_codes: list[str]
    rag_by_theme: list[RagCount]
    rag_by_partner: list[RagCount]
    overdue_milestones: list[MilestoneRow]
    due_soon_milestones: list[MilestoneRow]
    counts: PlanCounts


def plan_counts(session: Session, plan_id: int) -> PlanCounts:
    def count(model: type[Any], *where: ColumnElement[bool]) -> int:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

    in_plan = Action.plan_id == plan_id
    purpose = purpose_counts(session, plan_id)
    return PlanCounts(
        themes=count(Theme, Theme.plan_id == plan_id),
        actions=count(Action, in_plan),
        milestones=count(Milestone, Milestone.action_id.in_(select(Action.id).where(in_plan))),
        people=count(Person, Person.plan_id == plan_id),
        partners=count(Partner, Partner.plan_id == plan_id),
        updates=count(
            ProgressUpdate, ProgressUpdate.action_id.in_(select(Action.id).where(in_plan))
        ),
        person_links=count(
            ActionPerson, ActionPerson.action_id.in_(select(Action.id).where(in_plan))
        ),
        partner_links=count(
            ActionPartner, ActionPartner.action_id.in_(select(Action.id).where(in_plan))
        ),
        outcomes=purpose.outcomes,
        measures=purpose.measures,
        benefits=purpose.benefits,
    )


def milestone_rows(
    session: Session,
    plan_id: int,
    *,
    action_ids: list[int] | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
    open_only: bool = False,
) -> list[MilestoneRow]:
    status_date = session.scalar(select(Plan.status_date).where(Plan.id == plan_id))
    assert status_date is not None
    query = (
        select(
            Milestone.id,
            Milestone.action_id,
            Action.ref,
            Milestone.title,
            Milestone.due,
            Milestone.baseline_due,
            Milestone.completed_on,
            Person.name,
            Milestone.note,
            Milestone.uid,
            Milestone.owner_id,
        )
        .join(Action, Action.id == Milestone.action_id)
        .outerjoin(Person, Person.id == Milestone.owner_id)
        .where(Action.plan_id == plan_id)
        .order_by(Milestone.due, Action.ref, Milestone.id)
    )
    if action_ids is not None:
        query = query.where(Milestone.action_id.in_(action_ids))
    if due_from is not None:
        query = query.where(Milestone.due >= due_from)
    if due_to is not None:
        query = query.where(Milestone.due <= due_to)
    if open_only:
        query = query.where(Milestone.completed_on.is_(None))
    # Plain rows through the connection: no ORM objects for thousands of milestones.
    return [
        MilestoneRow(
            id=row_id,
            action_id=action_id,
            action_ref=ref,
            title=title,
            due=due,
            baseline_due=baseline_due,
            completed_on=completed_on,
            owner=owner or "",
            note=note,
            overdue=completed_on is None and due is not None and due < status_date,
            uid=uid,
            owner_id=owner_id,
        )
        for (
            row_id,
            action_id,
            ref,
            title,
            due,
            baseline_due,
            completed_on,
            owner,
            note,
            uid,
            owner_id,
        ) in session.connection().execute(query).all()
    ]


def late_and_due_soon(
    session: Session, plan_id: int, status_date: date, action_ids: list[int] | None = None
) -> tuple[list[MilestoneRow], list[MilestoneRow]]:
    """Open milestones due before the status date (longest overdue first), and those due
    from the status date to DUE_SOON_DAYS after it (soonest first), read in one query."""
    rows = milestone_rows(
        session,
        plan_id,
        action_ids=action_ids,
        due_to=status_date + timedelta(days=DUE_SOON_DAYS),
        open_only=True,
    )
    late = [row for row in rows if row.due is not None and row.due < status_date]
    soon = [row for row in rows if row.due is not None and row.due >= status_date]
    return late, soon


def theme_rag_counts(session: Session, plan_id: int) -> list[RagCount]:
    """Each theme, in order, with its actions counted by RAG."""
    action, theme = Action.__table__.c, Theme.__table__.c  # read before the ORM is set up
    by_theme: dict[int, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
    for theme_id, rag, n in session.execute(
        select(action.theme_id, action.rag, func.count())
        .where(action.plan_id == plan_id)
        .group_by(action.theme_id, action.rag)
    ):
        by_theme[theme_id][rag] += n
    themes = session.execute(
        select(theme.id, theme.number, theme.title)
        .where(theme.plan_id == plan_id)
        .order_by(theme.number)
    ).all()
    return [
        RagCount(theme_id, f"{number}. {title}", dict(by_theme[theme_id]))
        for theme_id, number, title in themes
    ]


def plan_summary(session: Session, plan_id: int) -> PlanSummary:
    plan = session.get(Plan, plan_id)
    assert plan is not None
    codes = list(
        session.scalars(
            select(RagDefinitionRow.code)
            .where(RagDefinitionRow.plan_id == plan_id)
            .order_by(RagDefinitionRow.position)
        )
    )
    rag_by_theme = theme_rag_counts(session, plan_id)
    by_partner: dict[int, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
    for partner_id, rag, n in session.execute(
        select(ActionPartner.partner_id, Action.rag, func.count())
        .join(Action, Action.id == ActionPartner.action_id)
        .where(Action.plan_id == plan_id)
        .group_by(ActionPartner.partner_id, Action.rag)
    ):
        by_partner[partner_id][rag] += n
    partners = session.execute(
        select(Partner.id, Partner.name).where(Partner.plan_id == plan_id).order_by(Partner.name)
    ).all()
    rag_by_partner = [
        RagCount(partner_id, name, dict(by_partner[partner_id])) for partner_id, name in partners
    ]
    overdue, due_soon = late_and_due_soon(session, plan_id, plan.status_date)
    return PlanSummary(
        title=plan.title,
        organisation=plan.organisation,
        status_date=plan.status_date,
        rag_codes=codes,
        rag_by_theme=rag_by_theme,
        rag_by_partner=rag_by_partner,
        overdue_milestones=overdue,
        due_soon_milestones=due_soon,
        counts=plan_counts(session, plan_id),
    )
