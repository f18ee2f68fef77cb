"""The People and Partner bodies views: a plain table each, edited in place.

Both read through `document.read` and change the plan only through
`document.try_execute`; a refused change shows the core's message and the cell keeps
its stored value. Public API for the main window and tests: `set_document`,
`refresh`, `add`, `delete_selected`, `select`, `current_id`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from planner.commands import Applied, CreateRecord, DeleteRecord, EditRecord, deletion_effects
from planner.domain import Sector
from planner.errors import PlannerError
from planner.queries.directory import PartnerRow, PersonRow, partner_rows, person_rows
from planner.queries.lookups import partner_choices
from planner.ui.contacts_panel import ContactsPanel
from planner.ui.delegates import ChoiceDelegate
from planner.ui.directory_columns import ColumnFitter
from planner.ui.messages import confirm, show_error
from planner.ui.models.directory import DirectoryModel, PartnersModel, PeopleModel
from planner.ui.models.roles import ID_ROLE, SORT_ROLE
from planner.ui.style import edit_in_place, style_table

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from planner.ui.document import PlanDocument

R = TypeVar("R", bound=PersonRow | PartnerRow)  # the row of one record


class DirectoryView(QWidget, Generic[R]):
    """A toolbar row (Add, Delete, a count) over a sortable table of one kind of record.

    Emits `current_changed(record_id or 0)` when the selected record changes."""

    current_changed = Signal(int)

    KIND = ""  # the core's kind name
    # The records whose changes show in the rows (besides a change of the plan's structure).
    SHOWS: frozenset[str] = frozenset()
    NOUN = ""  # "person"
    PLURAL = ""  # "people"
    PLACEHOLDER = ""  # the name a new record starts with
    OBJECT_NAME = ""
    TABLE_NAME = ""
    SORT_COLUMN = "name"
    CHOICE_COLUMNS: tuple[str, ...] = ()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(self.OBJECT_NAME)
        self._document: PlanDocument | None = None
        self.model = self._make_model()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setDynamicSortFilter(True)

        self.add_button = QPushButton(f"Add {self.NOUN}", self)
        self.add_button.setObjectName(f"add{self.NOUN.title().replace(' ', '')}Button")
        self.add_button.setAccessibleName(f"Add {self.NOUN}")
        self.add_button.setToolTip(f"Add a {self.NOUN} to the plan and type their details")
        self.add_button.clicked.connect(self.add)
        self.delete_button = QPushButton(f"Delete {self.NOUN}…", self)
        self.delete_button.setObjectName(f"delete{self.NOUN.title().replace(' ', '')}Button")
        self.delete_button.setAccessibleName(f"Delete selected {self.NOUN}")
        self.delete_button.setToolTip(
            f"Delete the selected {self.NOUN}; you are told what else changes first"
        )
        self.delete_button.clicked.connect(self.delete_selected)
        self.count_label = QLabel(self)
        self.count_label.setObjectName(f"{self.OBJECT_NAME}Count")
        palette = self.count_label.palette()
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        palette.setColor(QPalette.ColorRole.WindowText, muted)
        self.count_label.setPalette(palette)

        self.table = QTableView(self)
        style_table(self.table)
        self.table.setObjectName(self.TABLE_NAME)
        self.table.setAccessibleName(self.PLURAL.capitalize())
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(self.model.column_of(self.SORT_COLUMN), Qt.SortOrder.AscendingOrder)
        edit_in_place(self.table, row_height=self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setMinimumSectionSize(48)
        for number, column in enumerate(self.model.COLUMNS):
            self.table.setColumnWidth(number, column.width)
        self._stale = False  # the plan changed while this view was hidden
        self.columns = ColumnFitter(self.table, self.model)
        self._choice_delegate = ChoiceDelegate(self.table)
        for key in self.CHOICE_COLUMNS:
            self.table.setItemDelegateForColumn(self.model.column_of(key), self._choice_delegate)

        toolbar = QHBoxLayout()
        toolbar.setContentsMargins(0, 0, 0, 0)
        toolbar.setSpacing(6)
        toolbar.addWidget(self.add_button)
        toolbar.addWidget(self.delete_button)
        toolbar.addStretch(1)
        toolbar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(toolbar)
        self._place_table(layout)

        # Edits run once the cell editor has closed, so an error message never
        # appears over a half-closed editor.
        self.model.edit_requested.connect(self._apply_edit, Qt.ConnectionType.QueuedConnection)
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.table.selectionModel().selectionChanged.connect(
            lambda _selected, _deselected: self._update_buttons()
        )
        self._update_buttons()

    # ----- per kind -------------------------------------------------------------------

    def _make_model(self) -> DirectoryModel:
        raise NotImplementedError

    def _load(self, document: PlanDocument) -> None:
        """Read this view's rows (and any choices) into the model."""
        raise NotImplementedError

    def _place_table(self, layout: QVBoxLayout) -> None:
        """Put the table under the toolbar (a view may add more beneath it)."""
        layout.addWidget(self.table)

    def _new_values(self, name: str) -> dict[str, object]:
        return {"name": name}

    def _describe(self, record: R) -> str:
        return str(record.name)

    def _delete_question(self, record: R, effects: list[str]) -> tuple[str, list[str]]:
        name = self._describe(record)
        if effects:
            return f"Delete {name}? This is what will happen:", effects
        return f"Delete {name}? Nothing else in the plan refers to them.", []

    # ----- the document ---------------------------------------------------------------

    def set_document(self, document: PlanDocument | None) -> None:
        """Show this plan (a PlanDocument), or nothing when None."""
        if self._document is not None:
            for signal, slot in self._connections():
                with contextlib.suppress(RuntimeError, TypeError):
                    signal.disconnect(slot)
        self._document = document
        if document is not None:
            for signal, slot in self._connections():
                signal.connect(slot)
            self.model.set_editable(not document.read_only)
        self.refresh()

    def _connections(self) -> list[tuple[SignalInstance, Callable[..., None]]]:
        document = self._document
        assert document is not None
        return [
            (document.changed, self._document_changed),
            (document.reloaded, self.refresh),
        ]

    def _document_changed(self, applied: Applied) -> None:
        if applied.touches.reaches(self.SHOWS):
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()
            # Fit again once the layout has given the table its final width.
            QTimer.singleShot(0, self._refit)

    def _refit(self) -> None:
        self.columns.forget()
        self.fit_columns()

    def refresh(self) -> None:
        """Re-read the rows, keeping the selected record (or its place) selected.

        A hidden view only notes that it is out of date and reads when next shown."""
        if not self.isVisible() and self._document is not None:
            self._stale = True
            return
        self._stale = False
        self.columns.forget()
        current = self.current_id()
        column = self.table.currentIndex().column()
        place = self.table.currentIndex().row()
        if self._document is None:
            self.model.set_rows([])
        else:
            self._load(self._document)
        self.fit_columns()
        if (
            current is not None
            and self.current_id() != current
            and not self.select(current, column=column)
        ):
            self._select_place(place, column)
        self._update_count()
        self._update_buttons()

    # ----- public actions -------------------------------------------------------------

    def current_id(self) -> int | None:
        """The selected record's id, or None."""
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(
            index.row(), QModelIndex()
        ):
            return None
        value = index.data(ID_ROLE)
        return int(value) if value is not None else None

    def select(self, record_id: int, column: str | int | None = None) -> bool:
        """Select a record (and scroll to it); False when it is not in the table."""
        row = self.model.row_for(record_id)
        if row is None:
            return False
        if isinstance(column, str):
            column = self.model.column_of(column)
        if column is None or column < 0:
            column = 0
        index = self.proxy.mapFromSource(self.model.index(row, column))
        if not index.isValid():
            return False
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def add(self) -> int | None:
        """Add a record with a placeholder name and start typing its real name."""
        if self._document is None:
            return None
        command = CreateRecord(self.KIND, self._new_values(self._free_name()))
        applied = self._document.try_execute(command, lambda error: show_error(self, error))
        if applied is None:
            return None
        created = sorted(applied.touched(self.KIND))
        if not created:
            return None
        record_id = int(created[0])
        if self.select(record_id, column="name"):
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            self.table.edit(self.table.currentIndex())
        return record_id

    def delete_selected(self) -> bool:
        """Delete the selected record after the user agrees; True when it was deleted."""
        record_id = self.current_id()
        if self._document is None or record_id is None:
            return False
        record = self.model.record(record_id)
        if record is None:
            return False
        kind = self.KIND

        def effects_of(session: Session, _plan_id: int) -> list[str]:
            return deletion_effects(session, kind, record_id)

        effects = self._document.read(effects_of)
        text, details = self._delete_question(record, effects)
        title = f"Delete {self.NOUN}"
        if not confirm(self, title, text, details, action=f"Delete {self.NOUN}"):
            return False
        # The refresh that follows selects the record now in its place.
        deleted = self._document.try_execute(
            DeleteRecord(self.KIND, record_id), lambda error: show_error(self, error)
        )
        return deleted is not None

    # ----- column widths --------------------------------------------------------------

    def fit_columns(self, *, force: bool = False) -> None:
        """Share the view's width between the columns (see ColumnFitter.fit)."""
        self.columns.fit(force=force)

    # ----- helpers --------------------------------------------------------------------

    def _apply_edit(self, record_id: int, field: str, value: object) -> None:
        if self._document is None:
            return

        def refused(error: PlannerError) -> None:
            show_error(self, error)
            self.refresh()  # the cell shows the stored value again

        self._document.try_execute(EditRecord(self.KIND, record_id, {field: value}), refused)

    def _free_name(self) -> str:
        used = {record.name.casefold() for record in self.model.records()}
        name, number = self.PLACEHOLDER, 1
        while name.casefold() in used:
            number += 1
            name = f"{self.PLACEHOLDER} {number}"
        return name

    def _select_place(self, place: int, column: int) -> None:
        rows = self.proxy.rowCount()
        if rows and place >= 0:
            index = self.proxy.index(min(place, rows - 1), max(column, 0))
            record_id = index.data(ID_ROLE)
            if record_id is not None:
                self.select(int(record_id), column=max(column, 0))

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_buttons()
        self.current_changed.emit(int(current.data(ID_ROLE) or 0) if current.isValid() else 0)

    def _update_count(self) -> None:
        count = self.model.rowCount()
        noun = self.NOUN if count == 1 else self.PLURAL
        self.count_label.setText(f"{count} {noun}")

    def _update_buttons(self) -> None:
        writable = self._document is not None and not self._document.read_only
        self.add_button.setEnabled(writable)
        self.delete_button.setEnabled(writable and self.current_id() is not None)


class PeopleView(DirectoryView[PersonRow]):
    """Everyone named in the plan: officers of the council and of its partners."""

    KIND = "person"
    SHOWS = frozenset({"person", "partner", "action_person", "milestone", "plan"})
    NOUN = "person"
    PLURAL = "people"
    PLACEHOLDER = "New person"
    OBJECT_NAME = "peopleView"
    TABLE_NAME = "peopleTable"
    CHOICE_COLUMNS = ("organisation",)

    model: PeopleModel

    def _make_model(self) -> DirectoryModel:
        return PeopleModel(self)

    def _load(self, document: PlanDocument) -> None:
        self.model.set_organisations(document.read(partner_choices))
        self.model.set_rows(document.read(person_rows))

    def _describe(self, record: PersonRow) -> str:
        return f"{record.name} ({record.job_title})" if record.job_title else str(record.name)

    def _delete_question(self, record: PersonRow, effects: list[str]) -> tuple[str, list[str]]:
        text, details = super()._delete_question(record, effects)
        if record.lead_on:
            leads = f"{record.lead_on} action(s) will be left without a lead officer"
            details = [leads, *details]
        return text, details


class PartnersView(DirectoryView[PartnerRow]):
    """The partner bodies in the plan, grouped by sector."""

    KIND = "partner"
    SHOWS = frozenset({"partner", "partner_contact", "person", "action_partner", "plan"})
    NOUN = "partner body"
    PLURAL = "partner bodies"
    PLACEHOLDER = "New partner body"
    OBJECT_NAME = "partnersView"
    TABLE_NAME = "partnersTable"
    SORT_COLUMN = "sector"
    CHOICE_COLUMNS = ("sector",)

    model: PartnersModel
    contacts: ContactsPanel

    def _make_model(self) -> DirectoryModel:
        return PartnersModel(self)

    def _place_table(self, layout: QVBoxLayout) -> None:
        """The partner bodies above, the selected body's contacts below."""
        self._split_done = False
        self._auto_split = True
        self._split_rows: int | None = None  # the rows the split was made for
        self.contacts = ContactsPanel(self)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("partnersSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.contacts)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([600, 400])
        self.splitter.splitterMoved.connect(lambda _pos, _index: self._stop_auto_split())
        layout.addWidget(self.splitter)
        self.current_changed.connect(lambda _id: self._show_contacts())

    def set_document(self, document: PlanDocument | None) -> None:
        self.contacts.set_document(document)
        super().set_document(document)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._split_done:
            self._split_done = True
            QTimer.singleShot(0, self._split)

    def _split(self) -> None:
        """Give the partner bodies the height they need (up to two thirds), the contacts
        the rest; once the user drags the divider, it stays where they put it."""
        total = sum(self.splitter.sizes())
        rows = self.model.rowCount()
        if not self._auto_split or total <= 0 or rows == 0:
            return
        self._split_rows = rows
        table = self.table
        needed = (
            table.horizontalHeader().height()
            + rows * table.verticalHeader().defaultSectionSize()
            + table.horizontalScrollBar().sizeHint().height()
            + 2 * table.frameWidth()
            + 4
        )
        top = min(needed, total * 2 // 3)
        self.splitter.setSizes([top, total - top])

    def refresh(self) -> None:
        super().refresh()
        if not self._stale:
            self._show_contacts()
            if self._split_rows not in (None, self.model.rowCount()):
                QTimer.singleShot(0, self._split)  # bodies added or deleted

    def _stop_auto_split(self) -> None:
        self._auto_split = False

    def _show_contacts(self) -> None:
        """The contacts panel follows the selected body (and re-reads after changes)."""
        partner_id = self.current_id()
        record = self.model.record(partner_id) if partner_id is not None else None
        if record is None:
            self.contacts.show_partner(None)
        else:
            self.contacts.show_partner(record.id, record.name)

    def _load(self, document: PlanDocument) -> None:
        self.model.set_rows(document.read(partner_rows))

    def _new_values(self, name: str) -> dict[str, object]:
        return {"name": name, "sector": Sector.LOCAL_GOVERNMENT.value}

    def _delete_question(self, record: PartnerRow, effects: list[str]) -> tuple[str, list[str]]:
        if effects:
            return f"Delete {record.name}? This is what will happen:", effects
        return f"Delete {record.name}? Nothing else in the plan refers to it.", []
