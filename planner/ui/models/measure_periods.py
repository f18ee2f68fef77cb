"""A measure's periods as a table: target, actual, status, travel, commentary and data
quality, the figures and words edited in place (the edit is handed on, never written)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from planner.domain.colours import readable_text_on
from planner.domain.measures import Unit, format_value
from planner.queries.purpose import MeasurePeriod
from planner.ui.models.details import DIRECTIONS
from planner.ui.models.outcomes import DEFAULT_RAG, RIGHT, status_words, travel_words
from planner.ui.models.roles import (
    ACCESSIBLE,
    ALIGNMENT,
    BACKGROUND,
    DISPLAY,
    EDIT,
    FOREGROUND,
    ID_ROLE,
    TOOLTIP,
    Index,
)
from planner.ui.models.table import HeadedTableModel

# column -> the measure_value field it edits
EDITABLE = {1: "target", 2: "actual", 5: "commentary", 6: "data_quality"}


def _number_text(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if abs(value) < 1e15 else str(value)


class PeriodsModel(HeadedTableModel):
    """One row a period, oldest first. Emits `edit_requested(value_id, field, text)`."""

    HEADERS = ("Period", "Target", "Actual", "Status", "Travel", "Commentary", "Data quality")
    edit_requested = Signal(int, str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[MeasurePeriod] = []
        self._unit = Unit.NUMBER
        self._rag = dict(DEFAULT_RAG)
        self.editable = True

    def set_periods(
        self, periods: tuple[MeasurePeriod, ...], unit: Unit, rag_colours: dict[str, str]
    ) -> None:
        self.beginResetModel()
        self._rows = list(periods)
        self._unit = unit
        self._rag = {**DEFAULT_RAG, **rag_colours}
        self.endResetModel()

    def period(self, row: int) -> MeasurePeriod | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, value_id: int) -> int | None:
        return next((n for n, p in enumerate(self._rows) if p.id == value_id), None)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable and index.column() in EDITABLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        period = self.period(index.row()) if index.isValid() else None
        if period is None:
            return None
        column = index.column()
        if role == ID_ROLE:
            return period.id
        if role == EDIT:
            if column in (1, 2):
                return _number_text(period.target if column == 1 else period.actual)
            return self._text(period, column)
        if role in (DISPLAY, ACCESSIBLE):
            return self._text(period, column)
        if role == ALIGNMENT and column in (1, 2):
            return RIGHT
        if column == 3 and period.status is not None and role in (BACKGROUND, FOREGROUND):
            colour = self._rag.get(period.status.rag, "#FFFFFF")
            shown = colour if role == BACKGROUND else readable_text_on(colour)
            return QBrush(QColor(shown))
        if column == 4 and role == FOREGROUND and period.travel in DIRECTIONS:
            return QBrush(QColor(DIRECTIONS[period.travel][1]))
        if role == TOOLTIP and column in EDITABLE and self.editable:
            return "Double-click or press F2 to change"
        return None

    def _text(self, period: MeasurePeriod, column: int) -> str:
        if column == 0:
            return period.period.label
        if column == 1:
            return format_value(period.target, self._unit)
        if column == 2:
            return format_value(period.actual, self._unit)
        if column == 3:
            return status_words(period.status) if period.actual is not None else ""
        if column == 4:
            return travel_words(period.travel)
        if column == 5:
            return period.commentary
        if column == 6:
            return period.data_quality
        return ""

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:
        period = self.period(index.row()) if index.isValid() else None
        field = EDITABLE.get(index.column())
        if period is None or field is None or role != EDIT:
            return False
        text = "" if value is None else str(value).strip()
        if text == self.data(index, EDIT):
            return False
        self.edit_requested.emit(period.id, field, text)
        return True
