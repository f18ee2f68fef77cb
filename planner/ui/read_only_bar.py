"""The bar across the top of the window while a plan is open read-only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QToolBar

READ_ONLY_TEXT = (
    "Read-only: {reason} Changes cannot be made here; use File > Save As to keep a copy "
    "of your own."
)


class ReadOnlyBar(QToolBar):
    """Says why the plan cannot be changed; shown only for a read-only plan."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__("Read-only", window)
        self.setObjectName("readOnlyBar")
        self.setMovable(False)
        self.setFloatable(False)
        self.toggleViewAction().setVisible(False)
        self.label = QLabel(self)
        self.label.setObjectName("readOnlyLabel")
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setStyleSheet(
            "QLabel { background: #fff4ce; color: #3b2f00; padding: 6px 10px; }"
        )
        self.addWidget(self.label)
        window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self)
        self.setVisible(False)

    def show_reason(self, reason: str | None) -> None:
        """Show the bar with `reason`, or hide it (None)."""
        if reason is None:
            self.setVisible(False)
            return
        self.label.setText(READ_ONLY_TEXT.format(reason=reason))
        self.setVisible(True)
