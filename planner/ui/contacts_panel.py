"""The contacts of the partner body selected in the Partner bodies tab.

A heading, a row of buttons (Add contact, Remove contact…, Make round contact) and a
table of the body's contacts edited in place. Like the directory views it reads through
`document.read` and changes the plan only through `document.try_execute`, one undoable
command per change; a refused change shows the core's message and the cell keeps its
stored value. The Partner bodies view tells the panel which body to show
(`show_partner`) and re-reads it after every change to the plan (`refresh`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from planner.commands import Applied, Command, CreateRecord, DeleteRecord, EditRecord
from planner.commands.contacts import MakeRoundContact
from planner.queries.directory import ContactRow, contact_rows
from planner.ui.messages import confirm, show_error
from planner.ui.models.contacts import ContactsModel
from planner.ui.models.roles import ID_ROLE
from planner.ui.style import MUTED, edit_in_place, set_text_colour, style_table

if TYPE_CHECKING:
    from planner.ui.document import PlanDocument

KIND = "partner_contact"
PLACEHOLDER = "New contact"
EMPTY_HINT = "No contacts yet: add the person the round workbook should go to."
NO_PARTNER_HINT = "Select a partner body above to see its contacts."


class ContactsPanel(QWidget):
    """One partner body's contacts, and which of them the round workbook goes to."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contactsPanel")
        self._document: PlanDocument | None = None
        self._partner_id: int | None = None
        self._partner_name = ""

        self.heading = QLabel("Contacts", self)
        self.heading.setObjectName("contactsHeading")
        set_text_colour(self.heading, "#2C3E50", bold=True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)

        self.add_button = QPushButton("Add co&ntact", self)
        self.add_button.setObjectName("addContactButton")
        self.add_button.setAccessibleName("Add contact")
        self.add_button.setToolTip(
            "Add a contact at this partner body and type their name (Alt+N); "
            "a body's first contact becomes its round contact"
        )
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton("Rem&ove contact…", self)
        self.remove_button.setObjectName("removeContactButton")
        self.remove_button.setAccessibleName("Remove selected contact")
        self.remove_button.setToolTip("Remove the selected contact; you are asked first (Alt+O)")
        self.remove_button.clicked.connect(self.remove_selected)
        self.round_button = QPushButton("Ma&ke round contact", self)
        self.round_button.setObjectName("makeRoundContactButton")
        self.round_button.setAccessibleName("Make the selected contact the round contact")
        self.round_button.setToolTip(
            "Send this body's update round workbook to the selected contact instead (Alt+K)"
        )
        self.round_button.clicked.connect(self.make_round_contact)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("contactsCount")
        set_text_colour(self.count_label, MUTED)

        self.model = ContactsModel(self)
        self.table = QTableView(self)
        style_table(self.table)
        self.table.setObjectName("contactsTable")
        self.table.setAccessibleName("Contacts")
        self.table.setModel(self.model)
        edit_in_place(self.table, row_height=self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setMinimumSectionSize(48)
        for number, column in enumerate(self.model.COLUMNS):
            self.table.setColumnWidth(number, column.width)
            # Names, addresses and numbers show whole; the role takes the room left.
            stretch = column.key == "role"
            header.setSectionResizeMode(
                number,
                QHeaderView.ResizeMode.Stretch
                if stretch
                else QHeaderView.ResizeMode.ResizeToContents,
            )

        self.hint = QLabel(NO_PARTNER_HINT, self)
        self.hint.setObjectName("contactsHint")
        self.hint.setWordWrap(True)
        set_text_colour(self.hint, MUTED)

        toolbar = QHBoxLayout()
        toolbar.setContentsMargins(0, 0, 0, 0)
        toolbar.setSpacing(6)
        toolbar.addWidget(self.heading)
        toolbar.addSpacing(12)
        toolbar.addWidget(self.add_button)
        toolbar.addWidget(self.remove_button)
        toolbar.addWidget(self.round_button)
        toolbar.addStretch(1)
        toolbar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(toolbar)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        layout.addStretch(0)

        # Edits run once the cell editor has closed, so an error message never
        # appears over a half-closed editor.
        self.model.edit_requested.connect(self._apply_edit, Qt.ConnectionType.QueuedConnection)
        self.table.selectionModel().currentRowChanged.connect(
            lambda _current, _previous: self._update_buttons()
        )
        self.table.selectionModel().selectionChanged.connect(
            lambda _selected, _deselected: self._update_buttons()
        )
        self._show_state()

    # ----- what to show -----------------------------------------------------------------

    def set_document(self, document: PlanDocument | None) -> None:
        """Show contacts from this plan (a PlanDocument), or nothing when None."""
        self._document = document
        if document is not None:
            self.model.set_editable(not document.read_only)
        self.refresh()

    def show_partner(self, partner_id: int | None, name: str = "") -> None:
        """Show the contacts of this partner body (None: no body selected)."""
        changed = partner_id != self._partner_id
        self._partner_id = partner_id
        self._partner_name = name
        if changed:
            self.model.set_rows([])
        self.refresh()
        if changed and self.model.rowCount():
            self.select(self.model.record_at(0).id)

    def partner_id(self) -> int | None:
        return self._partner_id

    def refresh(self) -> None:
        """Re-read the body's contacts, keeping the selected contact (or its place)."""
        current = self.current_id()
        place = self.table.currentIndex().row()
        column = max(self.table.currentIndex().column(), 0)
        self.model.set_rows(self._read())
        count = self.model.rowCount()
        lost = current is not None and self.current_id() != current
        kept = lost and current is not None and self.select(current, column=column)
        if lost and not kept and count and place >= 0:
            self.select(self.model.record_at(min(place, count - 1)).id, column=column)
        self._show_state()

    def _read(self) -> list[ContactRow]:
        if self._document is None or self._partner_id is None:
            return []
        partner_id = self._partner_id

        def contacts(session: Session, plan_id: int) -> list[ContactRow]:
            return contact_rows(session, plan_id, partner_id)

        rows: list[ContactRow] = self._document.read(contacts)
        return rows

    def rows(self) -> list[ContactRow]:
        """The contacts shown, in the table's order."""
        return self.model.records()

    # ----- selection ----------------------------------------------------------------------

    def current_id(self) -> int | None:
        """The selected contact's id, or None."""
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(
            index.row(), QModelIndex()
        ):
            return None
        value = index.data(ID_ROLE)
        return int(value) if value is not None else None

    def select(self, contact_id: int, column: str | int = 0) -> bool:
        """Select a contact; False when it is not shown."""
        row = self.model.row_for(contact_id)
        if row is None:
            return False
        if isinstance(column, str):
            column = self.model.column_of(column)
        index = self.model.index(row, column)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    # ----- changes --------------------------------------------------------------------

    def add(self) -> int | None:
        """Add a contact with a placeholder name and start typing the real name. A body's
        first contact becomes its round contact."""
        if self._document is None or self._partner_id is None:
            return None
        values: dict[str, Any] = {"partner_id": self._partner_id, "name": self._free_name()}
        if not self.model.rowCount():
            values["round_contact"] = True
        applied = self._execute(CreateRecord(KIND, values))
        created = sorted(applied.touched(KIND)) if applied is not None else []
        if not created:
            return None
        contact_id = created[0]
        if self.select(contact_id, column="name"):
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            self.table.edit(self.table.currentIndex())
        return contact_id

    def remove_selected(self) -> bool:
        """Remove the selected contact after the user agrees; True when it was removed."""
        contact_id = self.current_id()
        record = self.model.record(contact_id) if contact_id is not None else None
        if self._document is None or record is None:
            return False
        body = self._partner_name or "this partner body"
        details: list[str] = []
        if contact_id == self.model.round_contact_id():
            others = self.model.rowCount() - 1
            if others == 1:
                other = next(row for row in self.model.records() if row.id != contact_id)
                details.append(f"{other.name} will be the round contact, as the only contact")
            elif others:
                details.append(
                    f"{body} will have no round contact until you make another contact "
                    "the round contact"
                )
            else:
                details.append(f"{body} will have no contact for its round workbook")
        text = f"Remove {record.name} from the contacts at {body}?"
        if not confirm(self, "Remove contact", text, details, action="Remove contact"):
            return False
        return self._execute(DeleteRecord(KIND, record.id)) is not None

    def make_round_contact(self) -> bool:
        """Make the selected contact the body's round contact; True when it was made."""
        contact_id = self.current_id()
        record = self.model.record(contact_id) if contact_id is not None else None
        if self._document is None or record is None or record.round_contact:
            return False
        return self._execute(MakeRoundContact(record.id)) is not None

    def _apply_edit(self, contact_id: int, field: str, value: object) -> None:
        if self._execute(EditRecord(KIND, contact_id, {field: value})) is None:
            self.refresh()  # the cell shows the stored value again

    def _execute(self, command: Command) -> Applied | None:
        """Run a command through the document (one undoable step); None when refused."""
        if self._document is None:
            return None
        applied = self._document.try_execute(command, lambda error: show_error(self, error))
        if applied is None:
            return None
        # The Partner bodies view re-reads the panel on the document's change signal;
        # reading again here keeps a panel used on its own up to date too.
        self.refresh()
        return applied

    # ----- helpers --------------------------------------------------------------------

    def _free_name(self) -> str:
        used = {row.name.casefold() for row in self.model.records()}
        name, number = PLACEHOLDER, 1
        while name.casefold() in used:
            number += 1
            name = f"{PLACEHOLDER} {number}"
        return name

    def _show_state(self) -> None:
        has_partner = self._document is not None and self._partner_id is not None
        count = self.model.rowCount()
        named = has_partner and self._partner_name
        self.heading.setText(f"Contacts at {self._partner_name}" if named else "Contacts")
        self.table.setVisible(has_partner and count > 0)
        self.hint.setVisible(not (has_partner and count > 0))
        self.hint.setText(EMPTY_HINT if has_partner else NO_PARTNER_HINT)
        self.count_label.setText(
            "" if not has_partner else f"{count} contact" + ("" if count == 1 else "s")
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        writable = (
            self._document is not None
            and not self._document.read_only
            and self._partner_id is not None
        )
        selected = self.current_id()
        record = self.model.record(selected) if selected is not None else None
        self.add_button.setEnabled(writable)
        self.remove_button.setEnabled(writable and record is not None)
        self.round_button.setEnabled(writable and record is not None and not record.round_contact)
