"""The plan's own consistency rules, beyond what the database enforces."""

from __future__ import annotations

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from planner.domain import PartnerRole, RaciRole, Sector, Status
from planner.domain.dates import format_uk
from planner.domain.money import format_pounds
from planner.domain.periods import Period
from planner.queries.benefits import money_by_action
from planner.store.models import (
    Action,
    ActionPartner,
    ActionPerson,
    Benefit,
    BenefitValue,
    Measure,
    MeasureValue,
    Milestone,
    Partner,
    Person,
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
    problems.extend(purpose_problems(session, plan_id))
    return problems


def purpose_problems(session: Session, plan_id: int) -> list[str]:
    """Measures without targets, half-recorded validations, and money that does not add
    up: funding that differs from its year's budget, spend beyond its budget."""
    problems: list[str] = []
    targeted = exists().where(
        MeasureValue.measure_id == Measure.id, MeasureValue.target.is_not(None)
    )
    for (name,) in session.execute(
        select(Measure.name)
        .where(Measure.plan_id == plan_id, ~targeted)
        .order_by(Measure.position, Measure.id)
    ):
        problems.append(f"Measure '{name}' has no target for any period.")
    half_validated = (BenefitValue.validated_by_id.is_(None)) != (
        BenefitValue.validated_on.is_(None)
    )
    for ref, title, year, who in session.execute(
        select(Action.ref, Benefit.title, BenefitValue.year, Person.name)
        .join(Benefit, Benefit.id == BenefitValue.benefit_id)
        .join(Action, Action.id == Benefit.action_id)
        .outerjoin(Person, Person.id == BenefitValue.validated_by_id)
        .where(Action.plan_id == plan_id, half_validated)
        .order_by(Action.ref, Benefit.id, BenefitValue.year)
    ):
        figures = f"The {Period(year).label} figures of benefit '{title}' (action {ref})"
        if who is None:
            problems.append(f"{figures} have a validation date but name no one who validated them.")
        else:
            problems.append(f"{figures} name {who} as validating them but give no date.")
    for money in money_by_action(session, plan_id).values():
        for line in money.years:
            label = line.year.label
            if line.unfunded:
                how = "short of" if line.unfunded > 0 else "more than"
                problems.append(
                    f"Action {money.action_ref}'s funding for {label} "
                    f"({format_pounds(line.funded)}) is {format_pounds(abs(line.unfunded))} "
                    f"{how} its budget ({format_pounds(line.budget)})."
                )
            if line.overspent:
                problems.append(
                    f"Action {money.action_ref} has spent {format_pounds(line.spent)} of its "
                    f"{label} budget of {format_pounds(line.budget)}: "
                    f"{format_pounds(line.overspent)} over."
                )
    return problems
