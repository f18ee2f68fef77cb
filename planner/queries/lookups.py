"""Small lists the app needs: the plan's header, RAG definitions, and choices for pickers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import RagDefinition, ReturnRule
from planner.store.models import Partner, Person, Plan, RagDefinitionRow, Theme


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
    plan = session.get(Plan, plan_id)
    assert plan is not None
    rags = session.scalars(
        select(RagDefinitionRow)
        .where(RagDefinitionRow.plan_id == plan_id)
        .order_by(RagDefinitionRow.position, RagDefinitionRow.id)
    )
    return PlanHeader(
        id=plan.id,
        uid=plan.uid,
        title=plan.title,
        organisation=plan.organisation,
        period_start=plan.period_start,
        period_end=plan.period_end,
        status_date=plan.status_date,
        protective_marking=plan.protective_marking,
        rag_definitions=tuple(
            RagDefinition(row.code, row.name, row.colour, row.meaning) for row in rags
        ),
        return_rule=plan.return_rule,
    )


def theme_choices(session: Session, plan_id: int) -> list[Choice]:
    rows = session.execute(
        select(Theme.id, Theme.number, Theme.title)
        .where(Theme.plan_id == plan_id)
        .order_by(Theme.number)
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
