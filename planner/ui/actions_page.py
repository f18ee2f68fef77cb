"""The actions tab: the table of actions, sortable, filtered and edited in place."""

from __future__ import annotations

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from planner.ui.delegates import (
    ChoiceDelegate,
    OptionalDateDelegate,
    PercentDelegate,
    RagCellDelegate,
)
from planner.ui.models.actions import COLUMN_INDEX, COLUMNS, ActionsModel
from planner.ui.models.roles import ID_ROLE
from planner.ui.style import style_table


class ActionsPage(QWidget):
    """Emits `action_selected(action_id or 0)` when the current action changes."""

    action_selected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.quiet = False  # True while a filter is applied: no selection signals
        # The model sorts and filters itself, in Python on whole rows: the table shows it
        # directly, with no proxy model asking for each cell again.
        self.model = ActionsModel(self)
        self.table = QTableView(self)
        style_table(self.table)
        self.table.setObjectName("actionsView")
        self.table.setAccessibleName("Actions")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COLUMN_INDEX["ref"], Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        metrics = self.fontMetrics()
        date_width = metrics.horizontalAdvance("00/00/0000") + 28
        widths = {
            "start": date_width,
            "due": date_width,
            "percent": metrics.horizontalAdvance("% complete") + 24,
            "ref": metrics.horizontalAdvance("Ref 00.00") + 12,
        }
        for number, column in enumerate(COLUMNS):
            self.table.setColumnWidth(number, widths.get(column.key, column.width))
        self._date_delegate = OptionalDateDelegate(self.table)
        self._choice_delegate = ChoiceDelegate(self.table)
        self._percent_delegate = PercentDelegate(self.table)
        for key in ("start", "due"):
            self.table.setItemDelegateForColumn(COLUMN_INDEX[key], self._date_delegate)
        for key in ("status", "lead"):
            self.table.setItemDelegateForColumn(COLUMN_INDEX[key], self._choice_delegate)
        self._rag_delegate = RagCellDelegate(self.table)
        self.table.setItemDelegateForColumn(COLUMN_INDEX["rag"], self._rag_delegate)
        self.table.setItemDelegateForColumn(COLUMN_INDEX["percent"], self._percent_delegate)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self.quiet:
            self.action_selected.emit(int(current.data(ID_ROLE) or 0) if current.isValid() else 0)

    def current_action_id(self) -> int | None:
        index = self.table.currentIndex()
        return int(index.data(ID_ROLE)) if index.isValid() else None

    def visible_count(self) -> int:
        return self.model.rowCount()

    def visible_action_ids(self) -> list[int]:
        return list(self.model.row_ids)

    def first_visible_action_id(self) -> int | None:
        ids = self.model.row_ids
        return ids[0] if ids else None

    def select_action(self, action_id: int, column: str | None = None) -> QModelIndex:
        """Make `action_id` current, in `column` or else the current column (Ref at first)."""
        row = self.model.row_for(action_id)
        if row is None:
            return QModelIndex()
        place = COLUMN_INDEX[column] if column else max(self.table.currentIndex().column(), 0)
        index = self.model.index(row, place)
        if index.isValid():
            self.table.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(index.siblingAtColumn(0))
        return index

    def edit_title(self, action_id: int) -> None:
        index = self.select_action(action_id, "title")
        if index.isValid():
            self.table.setFocus()
            self.table.edit(index)
