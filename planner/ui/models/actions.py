"""The actions table: rows from the core's action_rows; edits go out as requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from planner.domain import Status
from planner.domain.dates import format_uk
from planner.queries import ActionRow
from planner.queries.lookups import Choice, PlanHeader
from planner.ui.models.rag import rag_tooltip, text_colour_on
from planner.ui.models.roles import (
    ACCESSIBLE,
    ALIGNMENT,
    BACKGROUND,
    CHOICES_ROLE,
    DISPLAY,
    EDIT,
    EDIT_VALUE_ROLE,
    FONT,
    FOREGROUND,
    ID_ROLE,
    SORT_ROLE,
    TOOLTIP,
    Index,
)

OVERDUE_COLOUR = QColor("#B03A2E")

_ID = int(ID_ROLE)
_SORT = int(SORT_ROLE)
_EDITING = {int(EDIT_VALUE_ROLE), EDIT}
_CHOICES = int(CHOICES_ROLE)
_ANSWERED = {
    DISPLAY,
    ACCESSIBLE,
    _ID,
    _SORT,
    *_EDITING,
    _CHOICES,
    TOOLTIP,
    BACKGROUND,
    FOREGROUND,
    FONT,
    ALIGNMENT,
}
_CELL = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_EDITABLE_CELL = _CELL | Qt.ItemFlag.ItemIsEditable
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    editable: bool = False
    width: int = 90


# The judgement columns come straight after the action, so they show on a projector.
COLUMNS: tuple[Column, ...] = (
    Column("ref", "Ref", True, 50),
    Column("title", "Action", True, 250),
    Column("lead", "Lead officer", True, 130),
    Column("rag", "RAG", True, 92),
    Column("status", "Status", True, 96),
    Column("percent", "% complete", True, 86),
    Column("due", "Due", True, 104),
    Column("start", "Start", True, 96),
    Column("partners", "Partners", False, 150),
    Column("next_milestone", "Next milestone", False, 260),
)
COLUMN_INDEX = {column.key: number for number, column in enumerate(COLUMNS)}
# The field each editable column changes in the core.
FIELD_OF = {
    "title": "title",
    "ref": "ref",
    "start": "start",
    "due": "due",
    "status": "status",
    "rag": "rag",
    "percent": "percent",
    "lead": "lead_officer",
}


class ActionsModel(QAbstractTableModel):
    """Actions as the plan's main table shows them. It runs no queries: the window gives
    it rows, and turns `edit_requested(action_id, field, value)` into core commands."""

    edit_requested = Signal(int, str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ActionRow] = []
        self._header: PlanHeader | None = None
        self._people: list[Choice] = []
        self._row_of: dict[int, int] = {}
        self._all: list[ActionRow] = []  # every action, in the order shown
        self._by_id: dict[int, ActionRow] = {}
        self._visible: set[int] | None = None
        self._ids: list[int] = []
        self._status_date: date | None = None
        self._sorted_by: tuple[int, Qt.SortOrder] | None = None
        self._plan_order: dict[int, int] = {}  # action id -> place in the plan
        self._bold = QFont()
        self._bold.setBold(True)
        self.editable = True  # False while the plan is open read-only

    # ----- feeding ----------------------------------------------------------------

    def set_context(self, header: PlanHeader, people: list[Choice]) -> None:
        self._header = header
        self._people = people
        self._status_date = header.status_date
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1)
            )

    def set_rows(self, rows: list[ActionRow]) -> None:
        """All the plan's actions; the model shows those the filter lets through."""
        self.beginResetModel()
        self._plan_order = {row.id: number for number, row in enumerate(rows)}
        self._by_id = {row.id: row for row in rows}
        self._all = self._sorted(rows)
        self._show_filtered()
        self.endResetModel()

    def set_visible_ids(self, ids: set[int] | None) -> None:
        """Show only these actions (None: all). Filtering here, not in a proxy, keeps a
        keystroke on a large plan from calling Python once per row."""
        if ids == self._visible:
            return
        self.beginResetModel()
        self._visible = ids
        self._show_filtered()
        self.endResetModel()

    def _show_filtered(self) -> None:
        visible = self._visible
        self._rows = self._all if visible is None else [r for r in self._all if r.id in visible]
        self._row_of = {row.id: number for number, row in enumerate(self._rows)}
        self._ids = [row.id for row in self._rows]

    def total_count(self) -> int:
        return len(self._all)

    def action(self, action_id: int) -> ActionRow | None:
        """Any action of the plan, shown or filtered out."""
        return self._by_id.get(action_id)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python on precomputed keys: far quicker than a proxy asking data()
        for every comparison on a plan of thousands of actions."""
        if not 0 <= column < len(COLUMNS):
            return
        self._sorted_by = (column, order)
        self.layoutAboutToBeChanged.emit()
        old_ids = [row.id for row in self._rows]
        self._all = self._sorted(self._all)
        self._show_filtered()
        moved_from, moved_to = [], []
        for index in self.persistentIndexList():
            if 0 <= index.row() < len(old_ids):
                moved_from.append(index)
                moved_to.append(self.index(self._row_of[old_ids[index.row()]], index.column()))
        self.changePersistentIndexList(moved_from, moved_to)
        self.layoutChanged.emit()

    def _sorted(self, rows: list[ActionRow]) -> list[ActionRow]:
        if self._sorted_by is None:
            return list(rows)
        column, order = self._sorted_by
        key = COLUMNS[column].key
        keyed = [(self._sort_value(row, key), row.ref, row.id, row) for row in rows]
        keyed.sort(key=lambda item: item[:3], reverse=order == Qt.SortOrder.DescendingOrder)
        return [item[3] for item in keyed]

    def update_rows(self, rows: list[ActionRow]) -> None:
        """Replace the given actions' rows in place (after an edit)."""
        for row in rows:
            if row.id in self._by_id:
                self._by_id[row.id] = row
                self._all = [row if old.id == row.id else old for old in self._all]
            number = self._row_of.get(row.id)
            if number is None:
                continue
            self._rows[number] = row
            self.dataChanged.emit(self.index(number, 0), self.index(number, len(COLUMNS) - 1))

    @property
    def row_ids(self) -> list[int]:
        """Action ids in the model's row order (kept in step with every change of order)."""
        return self._ids

    def row_for(self, action_id: int) -> int | None:
        return self._row_of.get(action_id)

    def action_at(self, row: int) -> ActionRow:
        return self._rows[row]

    def plan_order_ids(self) -> list[int]:
        """Action ids in plan order (theme, then place), whatever the sort shown."""
        return sorted(self._plan_order, key=self._plan_order.__getitem__)

    def action_ids(self) -> list[int]:
        return [row.id for row in self._rows]

    # ----- Qt model -----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if COLUMNS[index.column()].editable and self.editable:
            return _EDITABLE_CELL
        return _CELL

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every cell and role at each repaint: roles are compared as plain ints.
        role = int(role)
        if role not in _ANSWERED or not index.isValid():
            return None
        number = index.row()
        if not 0 <= number < len(self._rows):
            return None
        row = self._rows[number]
        key = COLUMNS[index.column()].key
        if role == DISPLAY:
            return self._display(row, key)
        if role == ACCESSIBLE:
            if key == "due" and self._action_late(row):
                return f"{format_uk(row.due)}, overdue"
            return self._display(row, key)
        if role == _ID:
            return row.id
        if role == _SORT:
            return self._sort_value(row, key)
        if role in _EDITING:
            return self._edit_value(row, key)
        if role == _CHOICES:
            return self._choices(key)
        if role == TOOLTIP:
            return self._tooltip(row, key)
        if role == BACKGROUND:
            if key != "rag" or self._header is None:
                return None
            definition = self._header.rag(row.rag)
            return QBrush(QColor(definition.colour)) if definition else None
        if role == FOREGROUND:
            if key == "rag":
                definition = self._header.rag(row.rag) if self._header else None
                return QBrush(text_colour_on(QColor(definition.colour))) if definition else None
            if key == "due" and self._action_late(row):
                return QBrush(OVERDUE_COLOUR)
            if key == "next_milestone" and row.overdue_milestones:
                return QBrush(OVERDUE_COLOUR)
            return None
        if role == FONT:
            return self._bold if key == "rag" else None
        if role == ALIGNMENT:
            if key == "percent":
                return _RIGHT
            return _LEFT if key == "ref" else None
        return None

    def _action_late(self, row: ActionRow) -> bool:
        return bool(
            row.due
            and self._status_date
            and row.due < self._status_date
            and row.status not in (Status.COMPLETED, Status.CANCELLED)
        )

    def _display(self, row: ActionRow, key: str) -> str:
        if key == "ref":
            return row.ref
        if key == "title":
            return row.title
        if key == "lead":
            return row.lead_officer
        if key == "partners":
            return row.partners
        if key == "start":
            return format_uk(row.start)
        if key == "due":
            text = format_uk(row.due)
            return f"⚠ {text}" if self._action_late(row) else text
        if key == "status":
            return (
                Status(row.status).label if row.status in Status._value2member_map_ else row.status
            )
        if key == "rag":
            definition = self._header.rag(row.rag) if self._header else None
            return definition.name if definition else "Not rated"
        if key == "percent":
            return f"{row.percent}%"
        if key == "next_milestone":
            if not row.next_milestone:
                return ""
            text = f"{format_uk(row.next_milestone_due)} {row.next_milestone}"
            if row.overdue_milestones:
                text = f"⚠ {text}"
            return text
        return ""

    def _sort_value(self, row: ActionRow, key: str) -> Any:
        if key == "ref":  # plan order: theme, then place in the theme, as moved
            return self._plan_order.get(row.id, 0)
        if key in ("start", "due"):
            value = getattr(row, key)
            return value.isoformat() if value else "9999"
        if key == "next_milestone":
            return row.next_milestone_due.isoformat() if row.next_milestone_due else "9999"
        if key == "percent":
            return row.percent
        if key == "rag":
            codes = [d.code for d in self._header.rag_definitions] if self._header else []
            return codes.index(row.rag) if row.rag in codes else len(codes)
        if key == "status":
            return (
                list(Status).index(Status(row.status))
                if row.status in Status._value2member_map_
                else 99
            )
        return self._display(row, key).casefold()

    def _edit_value(self, row: ActionRow, key: str) -> Any:
        return {
            "ref": row.ref,
            "title": row.title,
            "start": row.start,
            "due": row.due,
            "status": row.status,
            "rag": row.rag,
            "percent": row.percent,
            "lead": self._lead_id(row),
        }.get(key)

    def _lead_id(self, row: ActionRow) -> int | None:
        return row.lead_officer_id

    def _choices(self, key: str) -> list[tuple[Any, str]] | None:
        if key == "status":
            return [(status.value, status.label) for status in Status]
        if key == "rag":
            definitions = self._header.rag_definitions if self._header else ()
            return [(None, "Not rated")] + [(d.code, f"{d.code} {d.name}") for d in definitions]
        if key == "lead":
            return [(None, "(no lead officer)")] + [(c.id, c.label) for c in self._people]
        return None

    def _tooltip(self, row: ActionRow, key: str) -> str | None:
        if key == "rag":
            return rag_tooltip(self._header.rag(row.rag) if self._header else None)
        if key == "due" and self._action_late(row):
            return (
                f"Overdue: due {format_uk(row.due)}, not complete at the status date "
                f"{format_uk(self._status_date)}"
            )
        if key == "due" and row.baseline_due and row.due != row.baseline_due:
            return f"Baseline due {format_uk(row.baseline_due)}"
        if key == "next_milestone" and row.overdue_milestones:
            return f"{row.overdue_milestones} milestone(s) overdue at the status date"
        if key == "title" and row.description:
            return row.description
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        key = COLUMNS[index.column()].key
        if key not in FIELD_OF:
            return False
        row = self._rows[index.row()]
        if self._edit_value(row, key) == value:
            return False
        if isinstance(value, str) and key in ("ref", "title"):
            value = value.strip()
        # The model keeps showing the stored value until the core accepts the change.
        self.edit_requested.emit(row.id, FIELD_OF[key], value)
        return False
