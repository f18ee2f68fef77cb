"""The plan laid out in time: themes in order, their actions with dates and RAG, and
each action's milestones; for the timeline view and the board report."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain.timescale import action_span
from planner.queries.actions import ActionRow, action_rows
from planner.queries.summary import MilestoneRow, milestone_rows
from planner.store.models import Plan, Theme


@dataclass(frozen=True)
class TimelineTheme:
    id: int
    number: int
    title: str
    actions: list[ActionRow] = field(default_factory=list)


@dataclass(frozen=True)
class Timeline:
    status_date: date
    period_start: date | None
    period_end: date | None
    themes: list[TimelineTheme]
    milestones: dict[int, list[MilestoneRow]]  # by action id, in due order

    @property
    def actions(self) -> list[ActionRow]:
        return [action for theme in self.themes for action in theme.actions]

    def dates(self) -> list[date]:
        """Every date the timeline must show: the plan period, the status date, and each
        action's and milestone's dates."""
        found = [self.status_date]
        found += [day for day in (self.period_start, self.period_end) if day]
        for action in self.actions:
            span = action_span(action.start, action.due)
            if span:
                found += span
            if action.baseline_due:
                found.append(action.baseline_due)
        for milestones in self.milestones.values():
            for milestone in milestones:
                found += [d for d in (milestone.due, milestone.baseline_due) if d]
        return found

    def only(self, action_ids: Collection[int] | None) -> Timeline:
        """The same timeline with just the actions in `action_ids` (all when None) and the
        themes that have any of them, as `timeline` would read it; no database needed."""
        if action_ids is None:
            return self
        wanted = set(action_ids)
        themes = [
            TimelineTheme(theme.id, theme.number, theme.title, kept)
            for theme in self.themes
            if (kept := [action for action in theme.actions if action.id in wanted])
        ]
        milestones = {key: rows for key, rows in self.milestones.items() if key in wanted}
        return Timeline(self.status_date, self.period_start, self.period_end, themes, milestones)

    def updated(self, part: Timeline) -> Timeline:
        """This timeline with the actions of `part`, read again, in place of their old
        rows and milestones (`part` comes from `timeline` for those actions)."""
        fresh = {action.id: action for action in part.actions}
        themes = [
            TimelineTheme(
                theme.id,
                theme.number,
                theme.title,
                [fresh.get(action.id, action) for action in theme.actions],
            )
            for theme in self.themes
        ]
        milestones = {key: rows for key, rows in self.milestones.items() if key not in fresh}
        milestones.update(part.milestones)
        return Timeline(part.status_date, part.period_start, part.period_end, themes, milestones)


def timeline(session: Session, plan_id: int, action_ids: Collection[int] | None = None) -> Timeline:
    """The themes (those with actions shown) and the actions among `action_ids` (all
    when None), in plan order, with their milestones."""
    plan = session.execute(
        select(Plan.status_date, Plan.period_start, Plan.period_end).where(Plan.id == plan_id)
    ).one()
    themes = {
        row.id: TimelineTheme(row.id, row.number, row.title)
        for row in session.execute(
            select(Theme.id, Theme.number, Theme.title)
            .where(Theme.plan_id == plan_id)
            .order_by(Theme.number)
        )
    }
    wanted = None if action_ids is None else sorted(action_ids)
    for action in action_rows(session, plan_id, wanted):
        themes[action.theme_id].actions.append(action)
    by_action: dict[int, list[MilestoneRow]] = defaultdict(list)
    for milestone in milestone_rows(session, plan_id, action_ids=wanted):
        by_action[milestone.action_id].append(milestone)
    shown = [theme for theme in themes.values() if theme.actions or action_ids is None]
    return Timeline(plan.status_date, plan.period_start, plan.period_end, shown, dict(by_action))
