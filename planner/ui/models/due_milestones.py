"""The dashboard's milestone lists (overdue, due soon) as a table model: rows in, no
queries. Each row carries its action's id so a click can open the action."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor

from planner.domain.dates import format_long, format_uk
from planner.queries.summary import MilestoneRow
from planner.ui.models.roles import ACTION_ID_ROLE, Index
from planner.ui.models.table import HeadedTableModel

OVERDUE_COLOUR = QColor("#B03A2E")


class DueMilestonesModel(HeadedTableModel):
    """Action, milestone, due date, owner and a number of days (overdue, or to go)."""

    def __init__(self, days_heading: str, *, late: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.HEADERS = ("Action", "Milestone", "Due", "Owner", days_heading)
        self._days: Callable[[MilestoneRow], int] = lambda _milestone: 0
        self._rows: list[MilestoneRow] = []
        self._late = late

    def set_rows(self, rows: Sequence[MilestoneRow], days: Callable[[MilestoneRow], int]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._days = days
        self.endResetModel()

    def milestone(self, row: int) -> MilestoneRow:
        return self._rows[row]

    def refs(self) -> set[str]:
        return {row.action_ref for row in self._rows}

    def owners(self) -> set[str]:
        """The owners' names as shown ("No owner" for none)."""
        return {row.owner or "No owner" for row in self._rows}

    def action_id(self, row: int) -> int:
        return self.milestone(row).action_id

    def rows_of_action(self, action_id: int) -> list[int]:
        return [number for number, row in enumerate(self._rows) if row.action_id == action_id]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        milestone: MilestoneRow = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                milestone.action_ref,
                milestone.title,
                format_uk(milestone.due),
                milestone.owner or "No owner",
                str(self._days(milestone)),
            )[column]
        if role == ACTION_ID_ROLE:
            return milestone.action_id
        if role == Qt.ItemDataRole.ToolTipRole:
            days = self._days(milestone)
            when = f"{days} days overdue" if self._late else f"due in {days} days"
            return (
                f"{milestone.action_ref} {milestone.title}\n"
                f"Due {format_long(milestone.due)} ({when}); owner: {milestone.owner or 'none'}"
                "\nClick to open the action"
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == 4 and self._late:
            return OVERDUE_COLOUR
        if role == Qt.ItemDataRole.ForegroundRole and column == 3 and not milestone.owner:
            return QColor("#5D6D7E")
        return None
