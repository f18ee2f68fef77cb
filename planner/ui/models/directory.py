"""People and partner bodies as tables: rows from the core's directory queries.

The models run no queries. The view gives them rows (`set_rows`) and turns
`edit_requested(record_id, field, value)` into core commands; a cell keeps showing
the stored value until the core has accepted a change and the rows are refreshed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from planner.domain import Sector
from planner.queries.directory import PartnerRow, PersonRow, partner_sort_key
from planner.queries.lookups import Choice
from planner.ui.models.roles import CHOICES_ROLE, EDIT_VALUE_ROLE, ID_ROLE, SORT_ROLE, Index

R = Any  # a PersonRow or a PartnerRow


MUTED_COLOUR = QColor("#6b6b6b")
OVERDUE_COLOUR = QColor("#B03A2E")
NUMBER_ALIGNMENT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
NO_ORGANISATION = "(no organisation)"
WHOLE = 10_000


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    field: str | None = None  # the core field an edit of this column changes
    width: int = 90
    number: bool = False
    tooltip: str = ""
    min_width: int = 90  # the narrowest it gets when the view shares out its width
    # (WHOLE: never narrower than its content; for short values such as sectors)

    @property
    def header(self) -> str:
        """The header text: counts take two short lines so their columns stay narrow."""
        words = self.title.split()
        if not self.number or len(words) < 2:
            return self.title
        splits = [(" ".join(words[:n]), " ".join(words[n:])) for n in range(1, len(words))]
        first, rest = min(splits, key=lambda pair: max(len(pair[0]), len(pair[1])))
        return f"{first}\n{rest}"


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


class DirectoryModel(QAbstractTableModel):
    """What the people and partner tables share: rows by id, roles, in-place refresh."""

    edit_requested = Signal(int, str, object)

    COLUMNS: tuple[Column, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []
        self._row_of: dict[int, int] = {}
        self._editable = True

    # ----- feeding ----------------------------------------------------------------

    def set_rows(self, rows: Sequence[R]) -> None:
        """Show these rows. When the same records come back (after an edit), rows are
        updated in place so the view keeps its selection, scroll position and editor."""
        new_ids = [row.id for row in rows]
        if sorted(new_ids) == sorted(self._row_of) and len(new_ids) == len(self._rows):
            fresh = {row.id: row for row in rows}
            for number, old in enumerate(self._rows):
                row = fresh[old.id]
                if row != old:
                    self._rows[number] = row
                    self.dataChanged.emit(
                        self.index(number, 0), self.index(number, len(self.COLUMNS) - 1)
                    )
            return
        self.beginResetModel()
        self._rows = list(rows)
        self._row_of = {row.id: number for number, row in enumerate(self._rows)}
        self.endResetModel()

    def set_editable(self, editable: bool) -> None:
        """False for a plan open read-only: no cell offers an editor."""
        self._editable = editable

    def row_for(self, record_id: int) -> int | None:
        return self._row_of.get(record_id)

    def record(self, record_id: int) -> R | None:
        number = self._row_of.get(record_id)
        return self._rows[number] if number is not None else None

    def record_at(self, row: int) -> R:
        return self._rows[row]

    def records(self) -> list[R]:
        return list(self._rows)

    @classmethod
    def column_of(cls, key: str) -> int:
        for number, column in enumerate(cls.COLUMNS):
            if column.key == key:
                return number
        raise KeyError(key)

    # ----- Qt model -----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        column = self.COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.number:
            return NUMBER_ALIGNMENT
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._editable and self.COLUMNS[index.column()].field:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.COLUMNS[index.column()]
        key = column.key
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(row, key)
        if role == Qt.ItemDataRole.EditRole:
            value = self._edit_value(row, key)
            return value if isinstance(value, str) else self._display(row, key)
        if role == ID_ROLE:
            return row.id
        if role == SORT_ROLE:
            return self._sort_value(row, key)
        if role == EDIT_VALUE_ROLE:
            return self._edit_value(row, key)
        if role == CHOICES_ROLE:
            return self._choices(key)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, key)
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = self._colour(row, key)
            return QBrush(colour) if colour is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.number:
            return NUMBER_ALIGNMENT
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        if not 0 <= index.row() < len(self._rows):
            return False
        column = self.COLUMNS[index.column()]
        if not self._editable or column.field is None:
            return False
        row = self._rows[index.row()]
        if isinstance(value, str):
            value = value.strip()
        if value == self._edit_value(row, column.key):
            return False
        # The model keeps showing the stored value until the core accepts the change.
        self.edit_requested.emit(row.id, column.field, value)
        return False

    # ----- per kind -----------------------------------------------------------------

    def _display(self, row: R, key: str) -> str:
        value = getattr(row, key, "")
        return str(value) if value is not None else ""

    def _edit_value(self, row: R, key: str) -> Any:
        column = self.COLUMNS[self.column_of(key)]
        return getattr(row, column.field) if column.field else None

    def _sort_value(self, row: R, key: str) -> Any:
        value = getattr(row, key, "")
        return value.casefold() if isinstance(value, str) else value

    def _choices(self, key: str) -> list[tuple[Any, str]] | None:
        return None

    def _tooltip(self, row: R, key: str) -> str | None:
        return None

    def _colour(self, row: R, key: str) -> QColor | None:
        column = self.COLUMNS[self.column_of(key)]
        if column.number and not getattr(row, key, 0):
            return MUTED_COLOUR
        return None


class PeopleModel(DirectoryModel):
    """The people in the plan: who they are and how much of the plan they carry."""

    COLUMNS = (
        Column("name", "Name", "name", 180, min_width=220),
        Column("job_title", "Job title", "job_title", 230),
        Column("organisation", "Organisation", "organisation_id", 200),
        Column("email", "Email", "email", 250),
        Column(
            "lead_on",
            "Lead on",
            None,
            70,
            number=True,
            tooltip="Actions on which this person is the lead officer (Accountable)",
        ),
        Column(
            "responsible_for",
            "Responsible for",
            None,
            110,
            number=True,
            tooltip="Actions on which this person is Responsible for the work",
        ),
        Column(
            "open_milestones",
            "Milestones open",
            None,
            120,
            number=True,
            tooltip="Milestones this person owns that are not yet completed",
        ),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._organisations: list[Choice] = []

    def set_organisations(self, organisations: Sequence[Choice]) -> None:
        """The partner bodies a person can belong to (the Organisation choices)."""
        self._organisations = list(organisations)

    def _display(self, row: PersonRow, key: str) -> str:
        if key == "open_milestones":
            if row.overdue_milestones:
                return f"{row.open_milestones}  ⚠ {row.overdue_milestones} overdue"
            return str(row.open_milestones)
        return super()._display(row, key)

    def _sort_value(self, row: PersonRow, key: str) -> Any:
        if key == "open_milestones":
            return row.open_milestones * 1000 + row.overdue_milestones
        if key == "organisation":
            # People with no organisation last; within one, by name.
            return f"{row.organisation.casefold() or chr(0xFFFF)}\x1f{row.name.casefold()}"
        return super()._sort_value(row, key)

    def _choices(self, key: str) -> list[tuple[Any, str]] | None:
        if key == "organisation":
            return [(None, NO_ORGANISATION)] + [(c.id, c.label) for c in self._organisations]
        return None

    def _tooltip(self, row: PersonRow, key: str) -> str | None:
        if key in ("lead_on", "responsible_for"):
            parts = [
                f"Lead officer (Accountable) on {_plural(row.lead_on, 'action')}",
                f"Responsible on {row.responsible_for}",
                f"Consulted on {row.consulted_on}",
                f"Informed on {row.informed_on}",
            ]
            return "; ".join(parts)
        if key == "open_milestones":
            text = f"Owns {_plural(row.open_milestones, 'open milestone')}"
            if row.overdue_milestones:
                text += f", {row.overdue_milestones} overdue at the plan's status date"
            return text
        if key == "name" and row.job_title:
            return f"{row.name}, {row.job_title}"
        return None

    def _colour(self, row: PersonRow, key: str) -> QColor | None:
        if key == "open_milestones" and row.overdue_milestones:
            return OVERDUE_COLOUR
        return super()._colour(row, key)


class PartnersModel(DirectoryModel):
    """The partner bodies in the plan, by sector, with the roles they play."""

    COLUMNS = (
        Column("name", "Name", "name", 280, min_width=180),
        Column("short_name", "Short name", "short_name", 110, min_width=90),
        Column("sector", "Sector", "sector", 150, min_width=WHOLE),
        Column(
            "round_contact",
            "Round contact",
            None,
            160,
            tooltip="Who this body's update round workbook goes to (change it under Contacts)",
            min_width=110,
        ),
        Column(
            "round_email",
            "Email",
            None,
            220,
            tooltip="The round contact's email address: where the round workbook is sent",
            min_width=120,
        ),
        Column(
            "people",
            "People",
            None,
            64,
            number=True,
            tooltip="People in the plan who work for this body",
        ),
        Column(
            "lead_on",
            "Lead partner on",
            None,
            110,
            number=True,
            tooltip="Actions this body leads",
        ),
        Column(
            "delivery_on",
            "Delivery partner on",
            None,
            130,
            number=True,
            tooltip="Actions this body helps to deliver",
        ),
        Column(
            "other_roles",
            "Other roles",
            None,
            150,
            tooltip="Actions on which this body is consulted or a funder",
            min_width=108,
        ),
    )

    def _display(self, row: PartnerRow, key: str) -> str:
        if key == "sector":
            return row.sector_label
        if key == "other_roles":
            parts = []
            if row.consulted_on:
                parts.append(f"Consulted {row.consulted_on}")
            if row.funder_on:
                parts.append(f"Funder {row.funder_on}")
            return " · ".join(parts) or "None"
        if key == "round_contact":
            return row.round_contact or "None yet"
        if key == "round_email":
            return row.round_email or ("No email" if row.round_contact else "")
        return super()._display(row, key)

    def _sort_value(self, row: PartnerRow, key: str) -> Any:
        if key == "sector":
            return _sort_text(partner_sort_key(row))
        if key == "other_roles":
            return row.consulted_on + row.funder_on
        return super()._sort_value(row, key)

    def _choices(self, key: str) -> list[tuple[Any, str]] | None:
        if key == "sector":
            return [(sector.value, sector.label) for sector in Sector]
        return None

    def _tooltip(self, row: PartnerRow, key: str) -> str | None:
        if key in ("lead_on", "delivery_on", "other_roles"):
            return (
                f"Lead partner on {_plural(row.lead_on, 'action')}; delivery partner on "
                f"{row.delivery_on}; consulted on {row.consulted_on}; funder of {row.funder_on}"
            )
        if key == "people":
            return f"{_plural(row.people, 'person', 'people')} in the plan work here"
        if key in ("round_contact", "round_email"):
            if not row.round_contact:
                return "No round contact: add one under Contacts below"
            if not row.round_email:
                return f"{row.round_contact} has no email address yet"
            return f"The round workbook goes to {row.round_contact} <{row.round_email}>"
        return None

    def _colour(self, row: PartnerRow, key: str) -> QColor | None:
        if key == "other_roles" and not (row.consulted_on or row.funder_on):
            return MUTED_COLOUR
        if key == "round_contact" and not row.round_contact:
            return MUTED_COLOUR
        if key == "round_email" and not row.round_email:
            return MUTED_COLOUR
        return super()._colour(row, key)


def _sort_text(key: tuple[int, str, int]) -> str:
    """A tuple sort key as one string, so QSortFilterProxyModel can compare it."""
    sector, name, record_id = key
    return f"{sector:03d}\x1f{name}\x1f{record_id:09d}"
