"""Item models for the details panel: rows in, no queries; edits leave as signals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
)

from planner.domain import PartnerRole, RaciRole, Sector
from planner.domain.dates import format_uk
from planner.domain.travel import IMPROVED, SAME, WORSE
from planner.queries.detail import MilestoneDetail, PartnerLink, PersonLink
from planner.ui.dialogs.form import PARTNER_ROLE_CHOICES, RACI_CHOICES, RACI_LABELS
from planner.ui.models.rag import text_colour_on
from planner.ui.models.roles import CHOICES_ROLE, EDIT_VALUE_ROLE, ID_ROLE, Index
from planner.ui.models.table import HeadedTableModel

EMPTY_TEXT = "Select an action to see its details"
OVERDUE_COLOUR = QColor("#B03A2E")
DONE_COLOUR = QColor("#1E7B34")
MUTED = "#5D6D7E"
NOT_RATED_COLOUR = "#D5D8DC"
DIRECTIONS = {
    IMPROVED: ("▲ improved", "#1E7B34"),
    SAME: ("► same", MUTED),
    WORSE: ("▼ worse", "#B03A2E"),
}


def label_of(enum: Any, value: str | None) -> str:
    if value is None:
        return ""
    try:
        return str(enum(value).label)
    except ValueError:
        return value


def text_colour(background: str) -> str:
    return str(text_colour_on(QColor(background)).name())


# ----- item models ----------------------------------------------------------------


class RowsModel(HeadedTableModel):
    """A table of frozen rows given with `set_rows`; it runs no queries."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._editable = True

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def set_editable(self, editable: bool) -> None:
        self._editable = editable

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def row_of(self, row_id: int) -> int | None:
        for number, found in enumerate(self._rows):
            if self._id(found) == row_id:
                return number
        return None

    def _id(self, row: Any) -> int:
        return int(row.id)

    def _valid(self, index: Index) -> bool:
        return index.isValid() and 0 <= index.row() < len(self._rows)


class PeopleModel(RowsModel):
    """The people on the action with their RACI role; the role column is editable."""

    HEADERS = ("Person", "Role")
    ROLE_COLUMN = 1
    role_requested = Signal(int, str)  # link id, new RACI code

    def _id(self, row: PersonLink) -> int:
        return row.link_id

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not self._valid(index):
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._editable and index.column() == self.ROLE_COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._valid(index):
            return None
        link: PersonLink = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return f"{link.name}\n{link.job_title}" if link.job_title else link.name
            return RACI_LABELS.get(link.role, link.role)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column == 0:
                return f"{link.name}, {link.job_title}" if link.job_title else link.name
            return RACI_LABELS.get(link.role, link.role)
        if role == ID_ROLE:
            return link.link_id
        if role == EDIT_VALUE_ROLE and column == self.ROLE_COLUMN:
            return link.role
        if role == CHOICES_ROLE and column == self.ROLE_COLUMN:
            return list(RACI_CHOICES)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.ROLE_COLUMN:
                return "Double-click to change the role"
            return f"{link.name}\n{link.job_title}" if link.job_title else link.name
        if role == Qt.ItemDataRole.FontRole and link.role == RaciRole.ACCOUNTABLE.value:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self._valid(index):
            return False
        if index.column() != self.ROLE_COLUMN:
            return False
        link: PersonLink = self._rows[index.row()]
        if value and value != link.role:
            # The model keeps the stored role until the core accepts the change.
            self.role_requested.emit(link.link_id, str(value))
        return False


class PartnersModel(RowsModel):
    """The partner bodies on the action with their role; the role column is editable."""

    HEADERS = ("Partner body", "Role")
    ROLE_COLUMN = 1
    role_requested = Signal(int, str)  # link id, new PartnerRole value

    def _id(self, row: PartnerLink) -> int:
        return row.link_id

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not self._valid(index):
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._editable and index.column() == self.ROLE_COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._valid(index):
            return None
        link: PartnerLink = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == 0:
                sector = label_of(Sector, link.sector)
                separator = "\n" if role == Qt.ItemDataRole.DisplayRole else ", "
                return f"{link.name}{separator}{sector}" if sector else link.name
            return label_of(PartnerRole, link.role)
        if role == ID_ROLE:
            return link.link_id
        if role == EDIT_VALUE_ROLE and column == self.ROLE_COLUMN:
            return link.role
        if role == CHOICES_ROLE and column == self.ROLE_COLUMN:
            return list(PARTNER_ROLE_CHOICES)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.ROLE_COLUMN:
                return "Double-click to change the role"
            return f"{link.name}\n{label_of(Sector, link.sector)}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self._valid(index):
            return False
        if index.column() != self.ROLE_COLUMN:
            return False
        link: PartnerLink = self._rows[index.row()]
        if value and value != link.role:
            self.role_requested.emit(link.link_id, str(value))
        return False


@dataclass(frozen=True)
class MilestoneColumn:
    key: str
    title: str
    width: int
    editable: bool = True


class MilestonesModel(RowsModel):
    """The action's milestones; overdue ones say so in words as well as in colour."""

    COLUMNS = (
        MilestoneColumn("title", "Milestone", 180),
        MilestoneColumn("due", "Due", 104),
        MilestoneColumn("baseline_due", "Baseline", 104, editable=False),
        MilestoneColumn("completed_on", "Completed", 120),
        MilestoneColumn("owner_id", "Owner", 140),
        MilestoneColumn("note", "Note", 260),
    )
    HEADERS = tuple(column.title for column in COLUMNS)
    KEYS = tuple(column.key for column in COLUMNS)
    edit_requested = Signal(int, str, object)  # milestone id, field, new value

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._people: list[tuple[int, str]] = []
        self._status_date: date | None = None

    def set_context(self, people: Sequence[tuple[int, str]], status_date: date | None) -> None:
        self._people = list(people)
        self._status_date = status_date

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not self._valid(index):
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._editable and self.COLUMNS[index.column()].editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._valid(index):
            return None
        row: MilestoneDetail = self._rows[index.row()]
        key = self.KEYS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(row, key)
        if role == Qt.ItemDataRole.EditRole:
            value = getattr(row, key)
            return value if key in ("title", "note") else self._display(row, key)
        if role == ID_ROLE:
            return row.id
        if role == EDIT_VALUE_ROLE:
            return getattr(row, key)
        if role == CHOICES_ROLE and key == "owner_id":
            return [(None, "(no owner)"), *self._people]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, key)
        if role == Qt.ItemDataRole.ForegroundRole and key == "due" and row.overdue:
            return QBrush(OVERDUE_COLOUR)
        if role == Qt.ItemDataRole.ForegroundRole and key == "due" and row.completed_on:
            return QBrush(DONE_COLOUR)
        if role == Qt.ItemDataRole.ForegroundRole and key == "baseline_due":
            return QBrush(QColor(MUTED))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None

    def _display(self, row: MilestoneDetail, key: str) -> str:
        if key == "title":
            return row.title
        if key == "due":
            if row.overdue:
                return f"{format_uk(row.due)}\n⚠ overdue"
            if row.completed_on:
                return f"{format_uk(row.due)}\n✓ done"
            return format_uk(row.due)
        if key == "baseline_due":
            return format_uk(row.baseline_due)
        if key == "completed_on":
            return f"✓ {format_uk(row.completed_on)}" if row.completed_on else ""
        if key == "owner_id":
            return row.owner
        if key == "note":
            return row.note
        return ""

    def _tooltip(self, row: MilestoneDetail, key: str) -> str | None:
        if key == "due" and row.overdue:
            return (
                f"Overdue: due {format_uk(row.due)} and not completed at the status date "
                f"{format_uk(self._status_date)}"
            )
        if key == "due" and row.completed_on:
            return f"Completed {format_uk(row.completed_on)}"
        if key == "due" and row.baseline_due and row.due != row.baseline_due:
            return f"Moved from the baseline {format_uk(row.baseline_due)}"
        if key == "baseline_due":
            return "The agreed date; change it with Re-baseline…"
        if key == "completed_on":
            return "Completed" if row.completed_on else "Not completed: double-click to record"
        if key in ("title", "note") and getattr(row, key):
            return str(getattr(row, key))
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self._valid(index):
            return False
        column = self.COLUMNS[index.column()]
        if not column.editable:
            return False
        row: MilestoneDetail = self._rows[index.row()]
        if isinstance(value, str):
            value = value.strip()
        if value == getattr(row, column.key):
            return False
        # The model keeps showing the stored value until the core accepts the change.
        self.edit_requested.emit(row.id, column.key, value)
        return False


@dataclass(frozen=True)
class HistoryRow:
    id: int
    when: str
    who: str
    subject: str
    change: str
    source: str
    tooltip: str


class HistoryModel(RowsModel):
    """The journal for the action, newest first: when and who, then what changed."""

    HEADERS = ("When", "Change")

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not self._valid(index):
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._valid(index):
            return None
        row: HistoryRow = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if index.column() == 0:
                return f"{row.when}\n{row.who}"
            return f"{row.subject}\n{row.change}"
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltip
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None
