"""The window refreshes from what a command touched: a milestone, link or update
refreshes its action's row, its details and the visible view, not the whole plan."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.commands import Command, EditRecord, MoveAction
from planner.errors import PlannerError
from planner.store.models import Action, Milestone, Theme
from planner.ui.details.widgets import fit_height
from planner.ui.main_window import MainWindow


@contextmanager
def counting(target: object, name: str) -> Iterator[Counted]:
    """Count calls to `target.name` inside the block (put back before the window closes,
    which disconnects it from the document's signals)."""
    counted = Counted(getattr(target, name))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(target, name, counted)
        yield counted


class Counted:
    """Counts calls to a method while passing them on."""

    def __init__(self, target: Any) -> None:
        self.target = target
        self.calls = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return self.target(*args, **kwargs)


def run(window: MainWindow, command: Command) -> None:
    def refused(error: PlannerError) -> None:
        raise error

    assert window.document is not None
    assert window.document.try_execute(command, refused) is not None


def first_milestone_of(window: MainWindow, ref: str) -> tuple[int, int]:
    def query(session: Session, plan_id: int) -> tuple[int, int]:
        action_id = session.scalars(
            select(Action.id).where(Action.plan_id == plan_id, Action.ref == ref)
        ).one()
        milestone_id = session.scalars(
            select(Milestone.id)
            .where(Milestone.action_id == action_id, Milestone.completed_on.is_(None))
            .order_by(Milestone.due)
        ).first()
        assert milestone_id is not None, f"action {ref} has no open milestone"
        return action_id, milestone_id

    assert window.document is not None
    return window.document.read(query)


def test_a_milestone_date_refreshes_its_action_not_the_plan(window: MainWindow) -> None:
    action_id, milestone_id = first_milestone_of(window, "1.4")
    window.actions_page.select_action(action_id)
    with (
        counting(window, "reload") as reloads,
        counting(window.details, "_reload") as details_reads,
    ):
        run(window, EditRecord("milestone", milestone_id, {"due": date(2013, 6, 3)}))

    assert reloads.calls == 0  # not the whole plan
    assert details_reads.calls == 1  # the shown action's details, once
    row = window.actions_page.model.action(action_id)
    assert row is not None and row.next_milestone_due == date(2013, 6, 3)
    milestones = window.details.milestones_model
    shown = [
        str(milestones.index(r, c).data())
        for r in range(milestones.rowCount())
        for c in range(milestones.columnCount())
    ]
    assert any(text.startswith("03/06/2013") for text in shown), shown


def test_an_edit_elsewhere_leaves_the_shown_details_alone(window: MainWindow) -> None:
    shown_id, _ = first_milestone_of(window, "1.4")
    other_id, milestone_id = first_milestone_of(window, "2.2")
    window.actions_page.select_action(shown_id)
    with counting(window.details, "_reload") as details_reads:
        run(window, EditRecord("milestone", milestone_id, {"due": date(2013, 7, 1)}))

    assert details_reads.calls == 0
    row = window.actions_page.model.action(other_id)
    assert row is not None and row.next_milestone_due == date(2013, 7, 1)


def test_moving_an_action_refreshes_the_whole_plan(window: MainWindow) -> None:
    action_id, _ = first_milestone_of(window, "1.4")
    assert window.document is not None
    theme_id = window.document.read(
        lambda session, plan_id: session.scalars(
            select(Theme.id).where(Theme.plan_id == plan_id, Theme.number == 2)
        ).one()
    )
    with counting(window, "reload") as reloads:
        run(window, MoveAction(action_id, theme_id))

    assert reloads.calls == 1


def test_undo_refreshes_what_the_change_touched(window: MainWindow) -> None:
    action_id, milestone_id = first_milestone_of(window, "1.4")
    before = window.actions_page.model.action(action_id)
    assert before is not None
    run(window, EditRecord("milestone", milestone_id, {"due": date(2013, 6, 3)}))
    with counting(window, "reload") as reloads:
        window.undo()

    assert reloads.calls == 0
    after = window.actions_page.model.action(action_id)
    assert after is not None and after.next_milestone_due == before.next_milestone_due


def test_a_tab_not_showing_fits_its_table_when_shown(window: MainWindow) -> None:
    action_id, milestone_id = first_milestone_of(window, "1.4")
    window.actions_page.select_action(action_id)
    details = window.details
    details.tabs.setCurrentIndex(0)  # the form shows; milestones and history do not
    run(window, EditRecord("milestone", milestone_id, {"title": "A much longer title " * 4}))

    for view, tab, minimum_rows in (
        (details.milestones_view, 2, 2),
        (details.history.history_view, 4, 1),
    ):
        details.tabs.setCurrentIndex(tab)
        shown = view.height()
        fit_height(view, minimum_rows)  # what a table fitted to its rows measures
        assert view.model().rowCount() and shown == view.height()
