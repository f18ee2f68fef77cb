"""Asks for a new plan's title, organisation and period; returns the values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from planner.ui.delegates import UK_DATE_FORMAT, from_qdate


@dataclass(frozen=True)
class NewPlanValues:
    title: str
    organisation: str
    period_start: date | None
    period_end: date | None
    protective_marking: str


class NewPlanDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newPlanDialog")
        self.setWindowTitle("New plan")
        self.title = QLineEdit(self)
        self.title.setPlaceholderText("e.g. Digital Partnership Delivery Plan 2026-2029")
        self.organisation = QLineEdit(self)
        self.organisation.setPlaceholderText("e.g. Northshire County Council")
        today = QDate.currentDate()
        start_year = today.year() if today.month() >= 4 else today.year() - 1
        self.period_start = self._date(QDate(start_year, 4, 1))
        self.period_end = self._date(QDate(start_year + 3, 3, 31))
        self.marking = QComboBox(self)
        self.marking.setEditable(True)
        self.marking.addItems(["OFFICIAL", "OFFICIAL-SENSITIVE"])
        form = QFormLayout(self)
        form.addRow("&Title:", self.title)
        form.addRow("&Organisation:", self.organisation)
        form.addRow("Period &start:", self.period_start)
        form.addRow("Period &end:", self.period_end)
        form.addRow("Protective &marking:", self.marking)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose where to save…")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(460)

    def _date(self, value: QDate) -> QDateEdit:
        edit = QDateEdit(value, self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(UK_DATE_FORMAT)
        return edit

    def _accept(self) -> None:
        if not self.title.text().strip():
            self.title.setFocus()
            self.title.setPlaceholderText("A new plan needs a title")
            return
        self.accept()

    def values(self) -> NewPlanValues:
        return NewPlanValues(
            title=self.title.text().strip(),
            organisation=self.organisation.text().strip(),
            period_start=from_qdate(self.period_start.date()),
            period_end=from_qdate(self.period_end.date()),
            protective_marking=self.marking.currentText().strip() or "OFFICIAL",
        )
