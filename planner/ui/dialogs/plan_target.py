"""New plan from Excel, the new plan: its title and organisation."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from planner.ui.dialogs.column_mapping import TITLE


@dataclass(frozen=True)
class NewPlanTarget:
    title: str
    organisation: str
    path: Path


class TargetDialog(QDialog):
    """The new plan's title and organisation."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newFromExcelTargetDialog")
        self.setWindowTitle(TITLE)
        self.title = QLineEdit(title, self)
        self.organisation = QLineEdit(self)
        self.organisation.setPlaceholderText("e.g. Northshire County Council")
        form = QFormLayout(self)
        form.addRow("&Title:", self.title)
        form.addRow("&Organisation:", self.organisation)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose where to save…")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(460)

    def _accept(self) -> None:
        if not self.title.text().strip():
            self.title.setFocus()
            self.title.setPlaceholderText("A new plan needs a title")
            return
        self.accept()
