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

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import RagDefinition, Status
from planner.domain.travel import IMPROVED, SAME, WORSE, direction_of_travel
from planner.queries.lookups import plan_header
from planner.queries.summary import DUE_SOON_DAYS, MilestoneRow, RagCount, late_and_due_soon
from planner.store.models import Action, ProgressUpdate, Theme


@dataclass(frozen=True)
class StatusCount:
    status: str  # a Status value, or a stored value the vocabulary does not know
    count: int

    @property
    def label(self) -> str:
        try:
            return Status(self.status).label
        except ValueError:
            return self.status


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
    all_actions: int = 0  # every action in the plan, shown or not
    due_soon_days: int = DUE_SOON_DAYS

    @property
    def filtered(self) -> bool:
        """True when some of the plan's actions are left out."""
        return self.total < self.all_actions

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


def direction_counts(
    session: Session, plan_id: int, action_ids: Collection[int] | None = None
) -> DirectionOfTravel:
    """Direction of travel for the actions in `action_ids` (all when None): the RAG of
    each action's latest update (by as-at date, then entry order) against the one before."""
    shown = set(session.scalars(select(Action.id).where(Action.plan_id == plan_id)))
    if action_ids is not None:
        shown &= set(action_ids)
    return _direction(session, plan_id, shown)


def dashboard(
    session: Session, plan_id: int, action_ids: Collection[int] | None = None
) -> Dashboard:
    """The dashboard for the actions in `action_ids` (every action when None).

    The plan is read whole and narrowed here, so a large selection costs no more than
    none (no long IN lists); the worst case is the unfiltered plan."""
    header = plan_header(session, plan_id)
    connection = session.connection()  # plain rows: no ORM objects for thousands of actions
    actions = connection.execute(
        select(Action.id, Action.theme_id, Action.rag, Action.status).where(
            Action.plan_id == plan_id
        )
    ).all()
    wanted = None if action_ids is None else set(action_ids)
    shown_ids: set[int] = set()
    by_theme: dict[int, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
    by_status: dict[str, int] = defaultdict(int)
    for action_id, theme_id, rag, status in actions:
        if wanted is None or action_id in wanted:
            shown_ids.add(action_id)
            by_theme[theme_id][rag] += 1
            by_status[status] += 1
    themes = tuple(
        RagCount(theme_id, f"{number}. {title}", dict(by_theme[theme_id]))
        for theme_id, number, title in connection.execute(
            select(Theme.id, Theme.number, Theme.title)
            .where(Theme.plan_id == plan_id)
            .order_by(Theme.number)
        )
        if wanted is None or theme_id in by_theme
    )
    late, soon = late_and_due_soon(session, plan_id, header.status_date)
    return Dashboard(
        status_date=header.status_date,
        rag_definitions=header.rag_definitions,
        themes=themes,
        statuses=_status_counts(by_status),
        travel=_direction(session, plan_id, shown_ids),
        overdue=tuple(row for row in late if row.action_id in shown_ids),
        due_soon=tuple(row for row in soon if row.action_id in shown_ids),
        all_actions=len(actions),
    )


def _status_counts(found: dict[str, int]) -> tuple[StatusCount, ...]:
    """Every Status in vocabulary order (zero counts kept), then any stored value
    outside the vocabulary."""
    rest = dict(found)
    known = [StatusCount(status.value, rest.pop(status.value, 0)) for status in Status]
    return tuple(known + [StatusCount(status, n) for status, n in sorted(rest.items())])


def _direction(session: Session, plan_id: int, shown: set[int]) -> DirectionOfTravel:
    # Every update, newest first within each action: each action's first row is its latest
    # update and its second the one before. (Fetching sorted rows and picking in Python is
    # several times cheaper in SQLite than a window function.)
    rows = (
        session.connection()
        .execute(
            select(ProgressUpdate.action_id, ProgressUpdate.rag)
            .join(Action, Action.id == ProgressUpdate.action_id)
            .where(Action.plan_id == plan_id)
            .order_by(
                ProgressUpdate.action_id, ProgressUpdate.as_at.desc(), ProgressUpdate.id.desc()
            )
        )
        .all()
    )
    latest: dict[int, str | None] = {}
    before: dict[int, str | None] = {}
    for action_id, rag in rows:
        if action_id not in latest:
            latest[action_id] = rag
        elif action_id not in before:
            before[action_id] = rag
    rule: dict[tuple[str | None, str | None], str | None] = {}  # a handful of pairs
    moved: dict[str | None, list[int]] = defaultdict(list)
    for action_id, previous in before.items():
        if action_id in shown:
            pair = (previous, latest[action_id])
            if pair not in rule:
                rule[pair] = direction_of_travel(*pair)
            moved[rule[pair]].append(action_id)
    compared = sum(len(ids) for ids in moved.values())
    return DirectionOfTravel(
        improved=tuple(moved[IMPROVED]),
        same=tuple(moved[SAME]),
        worse=tuple(moved[WORSE]),
        not_rated=tuple(moved[None]),
        no_previous=len(shown) - compared,
    )
