"""Small lists the app needs: the plan's header, RAG definitions, and choices for pickers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import RagDefinition, ReturnRule
from planner.store.models import Action, Partner, Person, Plan, RagDefinitionRow, Theme


@dataclass(frozen=True)
class PlanHeader:
    id: int
    uid: str
    title: str
    organisation: str
    period_start: date | None
    period_end: date | None
    status_date: date
    protective_marking: str
    rag_definitions: tuple[RagDefinition, ...]
    return_rule: str = ReturnRule.OWNERS.value  # who may change progress in a returned copy

    def rag(self, code: str | None) -> RagDefinition | None:
        for definition in self.rag_definitions:
            if definition.code == code:
                return definition
        return None


@dataclass(frozen=True)
class Choice:
    id: int
    label: str


def plan_header(session: Session, plan_id: int) -> PlanHeader:
    # Plain table columns: the window's first screenful is read before the ORM is set up.
    plan, rag = Plan.__table__.c, RagDefinitionRow.__table__.c
    found = session.execute(
        select(
            plan.id,
            plan.uid,
            plan.title,
            plan.organisation,
            plan.period_start,
            plan.period_end,
            plan.status_date,
            plan.protective_marking,
            plan.return_rule,
        ).where(plan.id == plan_id)
    ).one()
    rags = session.execute(
        select(rag.code, rag.name, rag.colour, rag.meaning)
        .where(rag.plan_id == plan_id)
        .order_by(rag.position, rag.id)
    )
    return PlanHeader(
        id=found.id,
        uid=found.uid,
        title=found.title,
        organisation=found.organisation,
        period_start=found.period_start,
        period_end=found.period_end,
        status_date=found.status_date,
        protective_marking=found.protective_marking,
        rag_definitions=tuple(
            RagDefinition(code, name, colour, meaning) for code, name, colour, meaning in rags
        ),
        return_rule=found.return_rule,
    )


def theme_choices(session: Session, plan_id: int) -> list[Choice]:
    theme = Theme.__table__.c
    rows = session.execute(
        select(theme.id, theme.number, theme.title)
        .where(theme.plan_id == plan_id)
        .order_by(theme.number)
    )
    return [Choice(theme_id, f"{number}. {title}") for theme_id, number, title in rows]


def person_choices(session: Session, plan_id: int) -> list[Choice]:
    rows = session.execute(
        select(Person.id, Person.name).where(Person.plan_id == plan_id).order_by(Person.name)
    )
    return [Choice(person_id, name) for person_id, name in rows]


def partner_choices(session: Session, plan_id: int) -> list[Choice]:
    rows = session.execute(
        select(Partner.id, Partner.name).where(Partner.plan_id == plan_id).order_by(Partner.name)
    )
    return [Choice(partner_id, name) for partner_id, name in rows]


def action_refs(session: Session, plan_id: int) -> dict[str, int]:
    """Each action's id by its ref."""
    action = Action.__table__.c
    rows = session.execute(select(action.ref, action.id).where(action.plan_id == plan_id))
    return {str(ref): int(action_id) for ref, action_id in rows}
