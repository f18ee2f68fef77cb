"""The themes list: 'All actions' then each theme with its action count and RAG summary."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt

from planner.queries import RagCount
from planner.queries.lookups import PlanHeader
from planner.ui.models.rag import rag_label
from planner.ui.models.roles import (
    ACCESSIBLE,
    ACTION_COUNT_ROLE,
    DISPLAY,
    RAG_COUNTS_ROLE,
    THEME_ID_ROLE,
    TOOLTIP,
    Index,
)

ALL_THEMES = 0  # the id of the 'All actions' row

# Roles as plain ints: data() is asked for every role of every row at each layout.
_THEME_ID = int(THEME_ID_ROLE)
_RAG_COUNTS = int(RAG_COUNTS_ROLE)
_ACTION_COUNT = int(ACTION_COUNT_ROLE)
_ANSWERED = frozenset({_THEME_ID, _RAG_COUNTS, _ACTION_COUNT, DISPLAY, ACCESSIBLE, TOOLTIP})


class ThemesModel(QAbstractTableModel):
    HEADERS = ("Themes",)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RagCount] = []
        self._header: PlanHeader | None = None

    def set_rows(self, header: PlanHeader, rows: list[RagCount]) -> None:
        self.beginResetModel()
        self._header = header
        self._rows = list(rows)
        self.endResetModel()

    def row_of(self, theme_id: int) -> int:
        for number, found in enumerate(self._rows, start=1):
            if found.id == theme_id:
                return number
        return 0

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        role = int(role)
        if role not in _ANSWERED or not index.isValid():
            return None
        number = index.row()
        if not 0 <= number <= len(self._rows):
            return None
        if number == 0:
            counts: dict[str | None, int] = {}
            for found in self._rows:
                for code, n in found.counts.items():
                    counts[code] = counts.get(code, 0) + n
            label, theme_id = "All actions", ALL_THEMES
        else:
            found = self._rows[number - 1]
            counts, label, theme_id = found.counts, found.label, found.id
        if role == _THEME_ID:
            return theme_id
        if role == _RAG_COUNTS and index.column() == 0:
            return self._chips(counts)
        if role == _ACTION_COUNT:
            return sum(counts.values())
        if role == DISPLAY:
            return label
        if role == ACCESSIBLE:
            total = sum(counts.values())
            return f"{label}: {total} actions; {self._summary_text(counts)}"
        if role == TOOLTIP:
            return f"{label}\n{self._summary_text(counts)}"
        return None

    def _chips(self, counts: dict[str | None, int]) -> list[tuple[str, int, str]]:
        if self._header is None:
            return []
        chips = [
            (definition.code, counts.get(definition.code, 0), definition.colour)
            for definition in self._header.rag_definitions
            if counts.get(definition.code)
        ]
        if counts.get(None):
            chips.append(("–", counts[None], "#BDC3C7"))
        return chips

    def _summary_text(self, counts: dict[str | None, int]) -> str:
        if self._header is None:
            return ""
        parts = [
            f"{counts[definition.code]} {rag_label(definition)}"
            for definition in self._header.rag_definitions
            if counts.get(definition.code)
        ]
        if counts.get(None):
            parts.append(f"{counts[None]} not rated")
        return ", ".join(parts) or "No actions"
