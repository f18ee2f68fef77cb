"""The plan's own consistency rules, beyond what the database enforces."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.domain import PartnerRole, RaciRole, Sector, Status
from planner.domain.dates import format_uk
from planner.store.models import (
    Action,
    ActionPartner,
    ActionPerson,
    Milestone,
    Partner,
    Plan,
    ProgressUpdate,
    RagDefinitionRow,
)


def consistency_problems(session: Session, plan_id: int) -> list[str]:
    """Each broken rule as a sentence naming the record."""
    problems: list[str] = []
    plan = session.get(Plan, plan_id)
    if plan is None:
        return ["The file holds no plan."]
    if plan.period_start and plan.period_end and plan.period_end < plan.period_start:
        problems.append("The plan period ends before it starts.")
    codes = set(
        session.scalars(select(RagDefinitionRow.code).where(RagDefinitionRow.plan_id == plan_id))
    )
    statuses = {status.value for status in Status}
    for action in session.scalars(select(Action).where(Action.plan_id == plan_id)):
        name = f"Action {action.ref}"
        if not action.title.strip():
            problems.append(f"{name} has no title.")
        if action.start and action.due and action.due < action.start:
            problems.append(
                f"{name} is due ({format_uk(action.due)}) before it starts "
                f"({format_uk(action.start)})."
            )
        if not 0 <= action.percent <= 100:
            problems.append(f"{name} is {action.percent}% complete, outside 0-100.")
        if action.rag is not None and action.rag not in codes:
            problems.append(f"{name} has RAG '{action.rag}', which the plan does not define.")
        if action.status not in statuses:
            problems.append(f"{name} has an unknown status '{action.status}'.")
    leads = session.execute(
        select(Action.ref, func.count())
        .join(ActionPerson, ActionPerson.action_id == Action.id)
        .where(Action.plan_id == plan_id, ActionPerson.role == RaciRole.ACCOUNTABLE.value)
        .group_by(Action.ref)
        .having(func.count() > 1)
    )
    problems.extend(f"Action {ref} has {n} lead officers; it should have one." for ref, n in leads)
    roles = {role.value for role in RaciRole}
    for ref, role in session.execute(
        select(Action.ref, ActionPerson.role)
        .join(Action, Action.id == ActionPerson.action_id)
        .where(Action.plan_id == plan_id, ActionPerson.role.not_in(roles))
    ):
        problems.append(f"Action {ref} has a person with an unknown role '{role}'.")
    partner_roles = {role.value for role in PartnerRole}
    for ref, role in session.execute(
        select(Action.ref, ActionPartner.role)
        .join(Action, Action.id == ActionPartner.action_id)
        .where(Action.plan_id == plan_id, ActionPartner.role.not_in(partner_roles))
    ):
        problems.append(f"Action {ref} has a partner body with an unknown role '{role}'.")
    sectors = {sector.value for sector in Sector}
    for name, sector in session.execute(
        select(Partner.name, Partner.sector).where(
            Partner.plan_id == plan_id, Partner.sector.not_in(sectors)
        )
    ):
        problems.append(f"Partner body '{name}' has an unknown sector '{sector}'.")
    for ref, title in session.execute(
        select(Action.ref, Milestone.title)
        .join(Action, Action.id == Milestone.action_id)
        .where(Action.plan_id == plan_id, Milestone.due.is_(None))
    ):
        problems.append(f"Milestone '{title}' of action {ref} has no due date.")
    for ref, percent in session.execute(
        select(Action.ref, ProgressUpdate.percent)
        .join(Action, Action.id == ProgressUpdate.action_id)
        .where(Action.plan_id == plan_id)
        .where((ProgressUpdate.percent < 0) | (ProgressUpdate.percent > 100))
    ):
        problems.append(f"A progress update of action {ref} is {percent}% complete.")
    return problems
