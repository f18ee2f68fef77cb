"""Which rows belong to a plan, and each one's row version, read in one statement: what
a shared plan's editor compares against, and what a copy of the plan takes with it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, Table, literal, select, union_all
from sqlalchemy.orm import Session

from planner.store.models import VERSIONED, Base

RowKey = tuple[str, int]  # (table name, row id)

# Tables whose rows belong to the plan through a parent holding plan_id: (parent, link).
THROUGH_PARENT = {
    "round_recipient": ("update_round", "round_id"),
    "partner_contact": ("partner", "partner_id"),
    "returned_value": ("merged_return", "return_id"),
    "outcome_link": ("outcome", "outcome_id"),
    "measure_value": ("measure", "measure_id"),
}


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _queries(plan_id: int) -> Iterable[Select[Any]]:
    """One (table, id, row_version) query per versioned table, for one plan's rows."""
    action = _table("action")
    milestone = _table("milestone")
    for name in VERSIONED:
        tbl = _table(name)
        columns = (literal(name).label("kind"), tbl.c.id, tbl.c.row_version)
        if name == "plan":
            yield select(*columns).where(tbl.c.id == plan_id)
        elif "plan_id" in tbl.c:
            yield select(*columns).where(tbl.c.plan_id == plan_id)
        elif name in THROUGH_PARENT:
            parent_name, link = THROUGH_PARENT[name]
            parent = _table(parent_name)
            yield (
                select(*columns)
                .join(parent, parent.c.id == tbl.c[link])
                .where(parent.c.plan_id == plan_id)
            )
        elif name == "baseline_change":
            through_action = select(*columns).join(action, action.c.id == tbl.c.action_id)
            through_milestone = (
                select(*columns)
                .join(milestone, milestone.c.id == tbl.c.milestone_id)
                .join(action, action.c.id == milestone.c.action_id)
                .where(tbl.c.action_id.is_(None))
            )
            yield through_action.where(action.c.plan_id == plan_id)
            yield through_milestone.where(action.c.plan_id == plan_id)
        elif name == "benefit_value":
            benefit = _table("benefit")
            yield (
                select(*columns)
                .join(benefit, benefit.c.id == tbl.c.benefit_id)
                .join(action, action.c.id == benefit.c.action_id)
                .where(action.c.plan_id == plan_id)
            )
        else:  # rows that belong to an action
            yield (
                select(*columns)
                .join(action, action.c.id == tbl.c.action_id)
                .where(action.c.plan_id == plan_id)
            )


def plan_versions(session: Session, plan_id: int) -> dict[RowKey, int]:
    """Every row of the plan and its version, read in one statement."""
    rows = session.execute(union_all(*_queries(plan_id)))
    return {(str(row[0]), int(row[1])): int(row[2]) for row in rows}
