"""The plan at a glance, for the dashboard tab and the board report: RAG by theme, status
counts, direction of travel since the previous progress update, and milestones overdue
or due soon, all for a chosen set of actions.

    board = dashboard(session, plan_id)                 # every action
    board = dashboard(session, plan_id, {12, 15, 40})   # only these actions

Everything returned is a plain frozen dataclass; nothing here imports Qt.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.domain import RagDefinition, Status
from planner.domain.travel import IMPROVED, SAME, WORSE, direction_of_travel
from planner.queries.lookups import plan_header
from planner.queries.summary import (
    DUE_SOON_DAYS,
    MilestoneRow,
    RagCount,
    due_soon_milestones,
    overdue_milestones,
    theme_rag_counts,
)
from planner.store.models import Action, ProgressUpdate


@dataclass(frozen=True)
class StatusCount:
    status: str  # a Status value, or a stored value the vocabulary does not know
    count: int

    @property
    def label(self) -> str:
        known = Status.from_text(self.status)
        return known.label if known is not None else self.status


@dataclass(frozen=True)
class DirectionOfTravel:
    """Each action's latest progress update compared with the one before it, by RAG
    (the rule in planner.domain.travel). The tuples hold action ids."""

    improved: tuple[int, ...] = ()
    same: tuple[int, ...] = ()
    worse: tuple[int, ...] = ()
    not_rated: tuple[int, ...] = ()  # two updates, but one of them has no RAG rating
    no_previous: int = 0  # actions with fewer than two progress updates

    def count(self, direction: str) -> int:
        """How many actions moved in `direction` ('improved', 'same' or 'worse')."""
        return len({IMPROVED: self.improved, SAME: self.same, WORSE: self.worse}[direction])


@dataclass(frozen=True)
class Dashboard:
    status_date: date  # the plan's "as at" date: overdue and due soon are judged from it
    rag_definitions: tuple[RagDefinition, ...]  # the plan's own, in order
    themes: tuple[RagCount, ...]  # themes with actions shown (all themes when unfiltered)
    statuses: tuple[StatusCount, ...]  # every Status in vocabulary order, then any others
    travel: DirectionOfTravel
    overdue: tuple[MilestoneRow, ...]  # open, due before the status date; oldest first
    due_soon: tuple[MilestoneRow, ...]  # open, due within due_soon_days; soonest first
    due_soon_days: int = DUE_SOON_DAYS

    @property
    def total(self) -> int:
        """The number of actions shown."""
        return sum(theme.total for theme in self.themes)

    def status_count(self, status: str) -> int:
        return sum(entry.count for entry in self.statuses if entry.status == status)

    @property
    def percent_completed(self) -> int:
        """Completed actions as a whole percentage of those shown (0 when none)."""
        if not self.total:
            return 0
        return round(100 * self.status_count(Status.COMPLETED.value) / self.total)

    def rag_count(self, code: str | None) -> int:
        """Actions shown with RAG `code` (None: not rated)."""
        return sum(theme.counts.get(code, 0) for theme in self.themes)

    def rag(self, code: str | None) -> RagDefinition | None:
        for definition in self.rag_definitions:
            if definition.code == code:
                return definition
        return None

    def days_overdue(self, milestone: MilestoneRow) -> int:
        """Days from the milestone's due date to the status date (0 when not late)."""
        if milestone.due is None:
            return 0
        return max((self.status_date - milestone.due).days, 0)

    def days_to_go(self, milestone: MilestoneRow) -> int:
        """Days from the status date to the milestone's due date."""
        if milestone.due is None:
            return 0
        return (milestone.due - self.status_date).days


def status_counts(
    session: Session, plan_id: int, action_ids: Collection[int] | None = None
) -> tuple[StatusCount, ...]:
    """Actions counted by status: every Status in order (zero counts kept), then any
    stored value outside the vocabulary."""
    query = (
        select(Action.status, func.count()).where(Action.plan_id == plan_id).group_by(Action.status)
    )
    if action_ids is not None:
        query = query.where(Action.id.in_(list(action_ids)))
    found: dict[str, int] = {status: n for status, n in session.execute(query)}
    known = [StatusCount(status.value, found.pop(status.value, 0)) for status in Status]
    return tuple(known + [StatusCount(status, n) for status, n in sorted(found.items())])


def direction_counts(
    session: Session, plan_id: int, action_ids: Collection[int] | None = None
) -> DirectionOfTravel:
    """Direction of travel for the actions in `action_ids` (all when None): the RAG of
    each action's latest update (by as-at date, then entry order) against the one before."""
    scope = Action.plan_id == plan_id
    if action_ids is not None:
        scope = scope & Action.id.in_(list(action_ids))
    newest_first = (
        func.row_number()
        .over(
            partition_by=ProgressUpdate.action_id,
            order_by=(ProgressUpdate.as_at.desc(), ProgressUpdate.id.desc()),
        )
        .label("newest_first")
    )
    ranked = (
        select(ProgressUpdate.action_id, ProgressUpdate.rag, newest_first)
        .join(Action, Action.id == ProgressUpdate.action_id)
        .where(scope)
        .subquery()
    )
    latest_two: dict[int, dict[int, str | None]] = defaultdict(dict)
    for action_id, rag, number in session.connection().execute(
        select(ranked.c.action_id, ranked.c.rag, ranked.c.newest_first).where(
            ranked.c.newest_first <= 2
        )
    ):
        latest_two[action_id][number] = rag
    moved: dict[str | None, list[int]] = defaultdict(list)
    for action_id in sorted(latest_two):
        rags = latest_two[action_id]
        if len(rags) == 2:
            moved[direction_of_travel(rags[2], rags[1])].append(action_id)
    compared = sum(len(ids) for ids in moved.values())
    total = session.scalar(select(func.count()).select_from(Action).where(scope)) or 0
    return DirectionOfTravel(
        improved=tuple(moved[IMPROVED]),
        same=tuple(moved[SAME]),
        worse=tuple(moved[WORSE]),
        not_rated=tuple(moved[None]),
        no_previous=int(total) - compared,
    )


def dashboard(
    session: Session, plan_id: int, action_ids: Collection[int] | None = None
) -> Dashboard:
    """The dashboard for the actions in `action_ids` (every action when None)."""
    header = plan_header(session, plan_id)
    wanted = None if action_ids is None else sorted(action_ids)
    themes = theme_rag_counts(session, plan_id, wanted)
    if wanted is not None:
        themes = [theme for theme in themes if theme.total]
    return Dashboard(
        status_date=header.status_date,
        rag_definitions=header.rag_definitions,
        themes=tuple(themes),
        statuses=status_counts(session, plan_id, wanted),
        travel=direction_counts(session, plan_id, wanted),
        overdue=tuple(overdue_milestones(session, plan_id, header.status_date, wanted)),
        due_soon=tuple(due_soon_milestones(session, plan_id, header.status_date, wanted)),
    )
