"""The changes a returned workbook would make, one row per changed field, for the
import preview to tick; the ticks are set on the preview's FieldChange records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, SupportsIndex, SupportsInt

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont

from planner.domain import RagDefinition
from planner.io.excel.merge import FieldChange, change_note
from planner.ui.models.rag import rag_label
from planner.ui.models.roles import Index
from planner.ui.models.table import HeadedTableModel

CONFLICT_BACKGROUND = QColor("#FCEBC7")
CHECK_BACKGROUND = QColor("#FFF8D6")
CONFLICT_TEXT = QColor("#7A4100")
MUTED_TEXT = QColor("#6B6B6B")
LONG_TEXT = 110  # characters shown in a cell; the tooltip has the rest


def _one_line(text: str, limit: int = LONG_TEXT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _checked(value: object) -> bool:
    if isinstance(value, Qt.CheckState):
        return value == Qt.CheckState.Checked
    if not isinstance(value, (str, bytes, bytearray, SupportsIndex, SupportsInt)):
        return False
    try:
        return int(value) == Qt.CheckState.Checked.value
    except (TypeError, ValueError):
        return False


class ChangesModel(HeadedTableModel):
    """One row per changed field; the Apply column's tick takes the change, and with it
    every change that travels with it (a rating and the commentary on its row)."""

    HEADERS = ("Apply", "Record", "Field", "In the plan", "Returned", "Note")
    APPLY, RECORD, FIELD, PLAN, RETURNED, NOTE = range(6)

    choices_changed = Signal()

    def __init__(self, parent: QObject | None = None, rags: Sequence[RagDefinition] = ()) -> None:
        super().__init__(parent)
        self._rows: list[FieldChange] = []
        self._saved_at: datetime | None = None
        self._rags = {definition.code: definition for definition in rags}

    def set_rows(self, rows: Sequence[FieldChange], saved_at: datetime | None = None) -> None:
        """The changes, and when the returned copy was saved (for conflict notes)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._saved_at = saved_at
        self.endResetModel()

    def change_at(self, row: int) -> FieldChange:
        return self._rows[row]

    def chosen_count(self) -> int:
        return sum(1 for change in self._rows if change.take_returned)

    def set_all(self, take: bool) -> None:
        for change in self._rows:
            change.take_returned = take
        self._ticks_changed()

    def _ticks_changed(self) -> None:
        if self._rows:
            self.dataChanged.emit(
                self.index(0, self.APPLY),
                self.index(len(self._rows) - 1, self.columnCount() - 1),
                [Qt.ItemDataRole.CheckStateRole, Qt.ItemDataRole.DisplayRole],
            )
        self.choices_changed.emit()

    def choice_labels(self, row: int) -> list[tuple[str, object]]:
        """The values a cell named, for the officer to pick one (e.g. Amber or Red)."""
        change = self._rows[row]
        return [(self._value(change, value), value) for value in change.choices]

    # ----- the model --------------------------------------------------------------

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        change = self._rows[index.row()]
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.APPLY and not change.waiting_for_pick:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        if index.column() == self.RETURNED and change.choices:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def _value(self, change: FieldChange, value: Any) -> str:
        if change.field == "rag" and (value is None or value in self._rags):
            return rag_label(self._rags.get(value)) if value is not None else "Not rated"
        return change.describe(value)

    def _text(self, change: FieldChange, column: int) -> str:
        if column == self.RECORD:
            return change.label
        if column == self.FIELD:
            return change.column
        if column == self.PLAN:
            return self._value(change, change.plan_value)
        if column == self.RETURNED:
            if change.waiting_for_pick:
                return change.returned_text()
            return self._value(change, change.returned_value)
        if column == self.NOTE:
            return change_note(change, self._saved_at)
        return ""

    def _apply_tip(self, change: FieldChange) -> str:
        if change.waiting_for_pick:
            return "Pick one of the values in the Returned column first"
        if change.take_returned:
            return "Ticked: the returned value replaces the plan's"
        if change.choice.rival_conflict and change.choice.blocked is None:
            return "Not ticked: the plan keeps its own value until you pick one of the returns"
        return "Not ticked: the plan keeps its value"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        change = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == self.APPLY:
            return Qt.CheckState.Checked if change.take_returned else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            return None if column == self.APPLY else _one_line(self._text(change, column))
        if role == Qt.ItemDataRole.EditRole and column == self.RETURNED:
            return change.returned_value
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.APPLY:
                return self._apply_tip(change)
            text = self._text(change, column)
            return text if text else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column == self.APPLY:
                return "Apply" if change.take_returned else "Do not apply"
            return self._text(change, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            if change.in_conflict:
                return CONFLICT_BACKGROUND
            if change.doubt or change.waiting_for_pick:
                return CHECK_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole:
            if change.in_conflict and column == self.NOTE:
                return CONFLICT_TEXT
            if change.suggestion and not change.take_returned:
                return MUTED_TEXT
        if role == Qt.ItemDataRole.FontRole and change.in_conflict and column == self.NOTE:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return False
        change = self._rows[index.row()]
        if index.column() == self.RETURNED and role == Qt.ItemDataRole.EditRole:
            if value not in change.choices:
                return False
            change.pick(value)
            self._ticks_changed()
            return True
        if index.column() != self.APPLY or role != Qt.ItemDataRole.CheckStateRole:
            return False
        take = _checked(value)
        if change.take_returned != take:
            change.take_returned = take
            self._ticks_changed()
        return True
