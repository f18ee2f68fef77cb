"""What every picture of the plan in the main window shares: it reads the plan through
the document, shows only the actions the filter bar lets through, marks the selected
action, and asks the window to select an action or to run a command."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from planner.ui.document import PlanDocument


class PlanView(QWidget):
    """Base of the timeline, partner map, people load and dashboard tabs.

    The main window calls `set_document`, `follow` and `set_current_action`; a subclass
    implements `rebuild` (read and redraw) and may override `show_current_action`. A
    hidden view only notes that it is out of date and rebuilds when next shown, so edits
    stay quick while it is not on screen."""

    action_activated = Signal(int)  # the user picked an action: select it everywhere
    command_requested = Signal(object)  # a core Command for the window to execute

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: PlanDocument | None = None
        self.visible_ids: set[int] | None = None  # None: every action
        self.current_action_id: int | None = None
        self._stale = True

    # ----- called by the main window ---------------------------------------------------

    def set_document(self, document: PlanDocument | None) -> None:
        self.document = document
        self.visible_ids = None
        self.current_action_id = None
        self.refresh()

    def follow(
        self,
        visible_ids: set[int] | None,
        *,
        plan_changed: bool = False,
        changed_actions: Collection[int] | None = None,
    ) -> None:
        """Show the actions in `visible_ids` (None: all); re-read the plan when it changed.

        `changed_actions`, when given, names the only actions whose rows (or milestones,
        people, partners, updates) changed, for views that can re-read just those."""
        if plan_changed or visible_ids != self.visible_ids:
            self.visible_ids = visible_ids
            self.refresh()

    def set_current_action(self, action_id: int | None) -> None:
        if action_id != self.current_action_id:
            self.current_action_id = action_id
            if not self._stale:
                self.show_current_action()

    # ----- reading --------------------------------------------------------------------

    def refresh(self) -> None:
        """Rebuild now if on screen, otherwise when next shown."""
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        self.rebuild()
        self.show_current_action()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def shows(self, action_id: int) -> bool:
        return self.visible_ids is None or action_id in self.visible_ids

    def rebuild(self) -> None:
        """Read the plan (self.document, None when no plan is open) and redraw."""
        raise NotImplementedError

    def show_current_action(self) -> None:
        """Mark self.current_action_id; the default marks nothing."""
