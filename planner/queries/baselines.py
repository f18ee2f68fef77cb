"""Where actions and milestones were first due, before any re-baselining: for showing
how far a date has moved (the board report's timeline)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.store.models import BaselineChange, Milestone


@dataclass(frozen=True)
class OriginalDues:
    actions: dict[int, date] = field(default_factory=dict)  # action id -> first agreed due
    milestones: dict[int, date] = field(default_factory=dict)  # milestone id -> same


def original_dues(session: Session, action_ids: Collection[int]) -> OriginalDues:
    """The first agreed due date of each re-baselined action and milestone among
    `action_ids`: the old date of its earliest baseline change."""
    if not action_ids:
        return OriginalDues()
    wanted = list(action_ids)
    milestone_ids = select(Milestone.id).where(Milestone.action_id.in_(wanted))
    found = OriginalDues()
    for action_id, milestone_id, old_due in session.connection().execute(
        select(BaselineChange.action_id, BaselineChange.milestone_id, BaselineChange.old_due)
        .where(
            BaselineChange.old_due.is_not(None),
            BaselineChange.action_id.in_(wanted) | BaselineChange.milestone_id.in_(milestone_ids),
        )
        .order_by(BaselineChange.id.desc())  # the earliest change is written last
    ):
        if old_due is None:
            continue
        if milestone_id is not None:
            found.milestones[milestone_id] = old_due
        elif action_id is not None:
            found.actions[action_id] = old_due
    return found
