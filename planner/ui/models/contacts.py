"""One partner body's contacts as a table: rows from the core's `contact_rows` query.

Like the other directory models it runs no queries: the panel gives it rows and turns
`edit_requested(contact_id, field, value)` into core commands. The round contact (the
one marked, or a body's only contact) is shown with a star and the words, never by
colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFont

from planner.queries.directory import ContactRow
from planner.ui.models.directory import WHOLE, Column, DirectoryModel
from planner.ui.models.roles import Index

ROUND_MARK = "★ Round contact"
ROUND_TOOLTIP = "The round contact: the update round's workbook and email go to this person"


class ContactsModel(DirectoryModel):
    """The contacts of one partner body, round contact first, then by name."""

    COLUMNS = (
        Column("name", "Name", "name", 180, min_width=140),
        Column("role", "Role", "role", 200, min_width=120),
        Column("email", "Email", "email", 240, min_width=160),
        Column("phone", "Phone", "phone", 130, min_width=110),
        Column("round", "Round contact", None, 140, min_width=WHOLE, tooltip=ROUND_TOOLTIP),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._round_id: int | None = None

    def set_rows(self, rows: Sequence[ContactRow]) -> None:
        """Show these contacts in the order given (the round contact first)."""
        marked = [row.id for row in rows if row.round_contact]
        self._round_id = marked[0] if marked else (rows[0].id if len(rows) == 1 else None)
        if [row.id for row in rows] == [row.id for row in self._rows]:
            super().set_rows(rows)  # the same contacts in the same order: update in place
            return
        self.beginResetModel()
        self._rows = list(rows)
        self._row_of = {row.id: number for number, row in enumerate(self._rows)}
        self.endResetModel()

    def round_contact_id(self) -> int | None:
        """The contact the body's round workbook goes to, or None."""
        return self._round_id

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.FontRole
            and index.isValid()
            and 0 <= index.row() < len(self._rows)
            and self.COLUMNS[index.column()].key == "round"
            and self._rows[index.row()].id == self._round_id
        ):
            font = QFont()
            font.setWeight(QFont.Weight.DemiBold)
            return font
        return super().data(index, role)

    def _display(self, row: ContactRow, key: str) -> str:
        if key == "round":
            return ROUND_MARK if row.id == self._round_id else ""
        return super()._display(row, key)

    def _tooltip(self, row: ContactRow, key: str) -> str | None:
        if key == "round":
            if row.id == self._round_id:
                return ROUND_TOOLTIP
            return "Use Make round contact to send the round workbook to this person instead"
        if key == "email" and not row.email:
            return "No email address yet: type one (name@example.gov.uk)"
        return None
