"""Shows other officers' changes to a shared plan without reopening it: the window checks
when it becomes active again and every few seconds, and refreshes when anyone has changed
the plan. It waits while the user is in the middle of something (a dialog, a cell being
edited), so what they are typing is never swept away."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication

from planner.errors import PlannerError

_log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from planner.ui.window_api import PlanWindow

CHECK_EVERY_MS = 5000


class SharedRefresher(QObject):
    def __init__(self, window: PlanWindow) -> None:
        super().__init__(window.widget)
        self.window = window
        self.timer = QTimer(self)
        self.timer.setObjectName("sharedRefreshTimer")
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        window.widget.installEventFilter(self)
        self._warned = False

    def follow(self) -> None:
        """Start or stop checking, as the window's document is shared or not."""
        document = self.window.document
        if document is not None and document.shared:
            self.timer.start()
        else:
            self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window.widget and event.type() == QEvent.Type.WindowActivate:
            QTimer.singleShot(0, self.check)
        return False

    def busy(self) -> bool:
        """True while a dialog is open or a cell is being edited."""
        if QApplication.activeModalWidget() is not None:
            return True
        return any(
            view.state() == QAbstractItemView.State.EditingState
            for view in self.window.widget.findChildren(QAbstractItemView)
        )

    def check(self) -> bool:
        """Refresh if someone else has changed the plan; True when the window refreshed."""
        document = self.window.document
        if document is None or not document.shared or self.busy():
            return False
        try:
            changed = document.check_for_changes()
        except PlannerError as error:
            self._report(str(error))
            return False
        except Exception:  # the server went away: say so once, keep the window usable
            _log.warning("Checking the shared plan for changes failed", exc_info=True)
            self._report("The plan's database server cannot be reached just now.")
            return False
        self._warned = False
        if changed:
            self.window.show_status("Updated with changes made by others.", 5000)
        return changed

    def _report(self, message: str) -> None:
        if not self._warned:
            self._warned = True
            self.window.show_status(message, 10000)
