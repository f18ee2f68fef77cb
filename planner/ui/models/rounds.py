"""The update rounds as a table: one row per workbook sent, with who it is addressed to
and whether it has come back."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor

from planner.domain.dates import format_uk
from planner.io.rounds import RoundLine
from planner.ui.models.roles import Index
from planner.ui.models.table import HeadedTableModel

OVERDUE_TEXT = QColor("#A4262C")
RETURNED_TEXT = QColor("#2E6B30")


def state_text(line: RoundLine) -> str:
    """'Returned 12/01/2014 by X', 'Outstanding: 5 days left' or 'Late: 3 days late'."""
    return line.state


def is_overdue(line: RoundLine) -> bool:
    return line.kind == "late"


def addressed_text(line: RoundLine) -> str:
    """'Ian Marsden <ian.marsden@…>', or a plain warning when there is no email address."""
    if line.email:
        return f"{line.contact} <{line.email}>" if line.contact else line.email
    return "No email address: send by hand"


class RoundsModel(HeadedTableModel):
    """One row per recipient of every round, newest round first."""

    HEADERS = ("Round", "Recipient", "Addressed to", "Return by", "State", "Workbook")
    ROUND, RECIPIENT, ADDRESSED, RETURN_BY, STATE, WORKBOOK = range(6)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RoundLine] = []

    def set_rows(self, rows: Iterable[RoundLine]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def line_at(self, row: int) -> RoundLine:
        return self._rows[row]

    def lines(self) -> list[RoundLine]:
        return list(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def _text(self, line: RoundLine, column: int) -> str:
        if column == self.ROUND:
            return line.round_title
        if column == self.RECIPIENT:
            return line.recipient
        if column == self.ADDRESSED:
            return addressed_text(line)
        if column == self.WORKBOOK:
            return line.file_name
        if column == self.RETURN_BY:
            return format_uk(line.return_by) if line.return_by else ""
        if column == self.STATE:
            return state_text(line)
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        line = self._rows[index.row()]
        column = index.column()
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            text = self._text(line, column)
            if role == Qt.ItemDataRole.ToolTipRole and not text:
                return None
            return text
        if role == Qt.ItemDataRole.ForegroundRole and column == self.ADDRESSED:
            return None if line.email else OVERDUE_TEXT
        if role == Qt.ItemDataRole.ForegroundRole and column == self.STATE:
            if is_overdue(line):
                return OVERDUE_TEXT
            if line.returned_on:
                return RETURNED_TEXT
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None
