"""Edits made from the window's commands and cells: add, delete and move actions and
themes, a cell of the actions table, the status date. Each is a command on the plan, run
through the window so a refusal is shown and the change is one undoable step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.commands import (
    CreateRecord,
    DeleteRecord,
    EditRecord,
    MoveAction,
    MoveTheme,
    SetLeadOfficer,
    deletion_effects,
    next_free_ref,
)
from planner.queries.lookups import plan_header, theme_choices
from planner.ui.delegates import from_qdate
from planner.ui.models.roles import THEME_ID_ROLE
from planner.ui.models.themes import ALL_THEMES

if TYPE_CHECKING:
    from planner.ui.window_api import EditingWindow


class PlanEditing:
    def __init__(self, window: EditingWindow) -> None:
        self.window = window

    def current_theme_id(self) -> int | None:
        """The theme chosen on the left, else the current action's, else the first."""
        window = self.window
        document = window.document
        if document is None:
            return None
        index = window.themes_view.currentIndex()
        theme_id = index.data(THEME_ID_ROLE) if index.isValid() else ALL_THEMES
        if theme_id:
            return int(theme_id)
        page = window.actions_page
        action_id = page.current_action_id()
        if action_id:
            return page.model.action_at(page.model.row_for(action_id) or 0).theme_id
        themes = document.read(theme_choices)
        return themes[0].id if themes else None

    def add_action(self) -> None:
        window = self.window
        document = window.document
        if document is None:
            return
        theme_id = self.current_theme_id()
        if theme_id is None:
            window.tell_error("Add a theme first: every action belongs to a theme.")
            return
        ref = document.read(lambda session, plan_id: next_free_ref(session, plan_id, theme_id))
        applied = window.execute(
            CreateRecord("action", {"theme_id": theme_id, "ref": ref, "title": "New action"})
        )
        if applied is None:
            return
        window.tabs.setCurrentWidget(window.actions_page)
        window.filter_bar.text.clear()
        window.actions_page.edit_title(applied.changes[0].row_id)

    def delete_action(self) -> None:
        window = self.window
        document = window.document
        action_id = window.actions_page.current_action_id()
        if document is None or not action_id:
            return
        model = window.actions_page.model
        row = model.action_at(model.row_for(action_id) or 0)
        effects = document.read(
            lambda session, _plan_id: deletion_effects(session, "action", action_id)
        )
        if window.ask_confirm("Delete action", f"Delete action {row.ref} '{row.title}'?", effects):
            window.execute(DeleteRecord("action", action_id))

    def move_action(self, step: int) -> None:
        window = self.window
        action_id = window.actions_page.current_action_id()
        if window.document is None or not action_id:
            return
        model = window.actions_page.model
        row = model.action_at(model.row_for(action_id) or 0)
        siblings = [
            other
            for other in model.plan_order_ids()
            if (found := model.action(other)) is not None and found.theme_id == row.theme_id
        ]
        position = siblings.index(action_id) + step
        if 0 <= position < len(siblings):
            window.execute(MoveAction(action_id, row.theme_id, position))
            window.actions_page.select_action(action_id)

    def add_theme(self) -> None:
        document = self.window.document
        if document is None:
            return
        themes = document.read(theme_choices)
        number = len(themes) + 1
        self.window.execute(
            CreateRecord("theme", {"number": number, "title": f"New theme {number}"})
        )

    def move_theme(self, step: int) -> None:
        window = self.window
        document = window.document
        index = window.themes_view.currentIndex()
        theme_id = index.data(THEME_ID_ROLE) if index.isValid() else ALL_THEMES
        if document is None or not theme_id:
            return
        themes = document.read(theme_choices)
        position = [choice.id for choice in themes].index(theme_id) + step
        if 0 <= position < len(themes):
            window.execute(MoveTheme(int(theme_id), position + 1))

    def edit_action_field(self, action_id: int, field: str, value: object) -> None:
        """A cell of the actions table was edited."""
        if field == "lead_officer":
            self.window.execute(
                SetLeadOfficer(action_id, value if isinstance(value, int) else None)
            )
        else:
            self.window.execute(EditRecord("action", action_id, {field: value}))

    def status_date_edited(self) -> None:
        document = self.window.document
        if document is None:
            return
        value = from_qdate(self.window.status_date_edit.date())
        if value and value != document.read(plan_header).status_date:
            self.window.execute(EditRecord("plan", document.plan_id, {"status_date": value}))
