"""The bar across the top of the window while a plan is open read-only."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QToolBar

READ_ONLY_TEXT = "Read-only: {reason} {advice}"
FILE_ADVICE = "Changes cannot be made here; use File > Save As to keep a copy of your own."


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
        self.label.setWordWrap(True)
        # across the whole window, not squeezed to the narrow width a wrapped label asks for
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setStyleSheet(
            "QLabel { background: #fff4ce; color: #3b2f00; padding: 6px 10px; }"
        )
        self.addWidget(self.label)
        window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self)
        self.setVisible(False)

    def show_reason(self, reason: str | None, advice: str = FILE_ADVICE) -> None:
        """Show the bar with `reason` (and what to do instead), or hide it (None)."""
        if reason is None:
            self.setVisible(False)
            return
        self.label.setText(READ_ONLY_TEXT.format(reason=reason, advice=advice))
        self._fit()
        self.setVisible(True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """As tall as the text needs at the bar's width (a toolbar asks a wrapped label
        for its height at its narrowest)."""
        margins = self.label.contentsMargins()
        width = max(200, self.width() - 16 - margins.left() - margins.right())
        text = self.label.fontMetrics().boundingRect(
            QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, self.label.text()
        )
        height = text.height() + margins.top() + margins.bottom() + 4
        if self.label.height() != height or self.height() != height + 4:
            self.label.setFixedHeight(height)
            self.setFixedHeight(height + 4)
