"""A table whose first columns stay put while the rest scroll sideways: two table
views on one model and one selection, scrolled up and down together."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QTableView, QWidget

from planner.ui.style import style_table
from planner.ui.views.banded_header import BandedHeader


def _table(parent: QWidget, name: str, header: BandedHeader) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setHorizontalHeader(header)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    table.setWordWrap(False)
    table.setCornerButtonEnabled(False)
    style_table(table)
    return table


class FrozenTable(QWidget):
    """`left` shows the model's first `frozen` columns, `right` the others."""

    def __init__(self, frozen: int, parent: QWidget | None = None, *, turned: bool) -> None:
        super().__init__(parent)
        self.frozen = frozen
        self.left = _table(self, "frozenColumns", BandedHeader(self))
        self.right = _table(self, "scrollingColumns", BandedHeader(self, turned=turned))
        self.left.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.left.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        style_table(self.left, "QTableView#frozenColumns { border-right: 2px solid #C9D1D9; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.left)
        layout.addWidget(self.right, 1)
        left_bar, right_bar = self.left.verticalScrollBar(), self.right.verticalScrollBar()
        right_bar.valueChanged.connect(left_bar.setValue)
        left_bar.valueChanged.connect(right_bar.setValue)
        # The left table leaves room for the right one's bar, so both end on the same row.
        self.right.horizontalScrollBar().rangeChanged.connect(self._match_bars)

    def set_model(self, model: QAbstractItemModel) -> None:
        self.left.setModel(model)
        self.right.setModel(model)
        self.right.setSelectionModel(self.left.selectionModel())

    def set_row_height(self, height: int) -> None:
        for table in (self.left, self.right):
            table.verticalHeader().setDefaultSectionSize(height)
            table.verticalHeader().setMinimumSectionSize(height)

    def layout_columns(self, widths: dict[int, int]) -> None:
        """Hide each side's columns from the other, size columns and match the headers."""
        model = self.left.model()
        if model is None:
            return
        columns = model.columnCount()
        for column in range(columns):
            self.left.setColumnHidden(column, column >= self.frozen)
            self.right.setColumnHidden(column, column < self.frozen)
        for column, width in widths.items():
            table = self.left if column < self.frozen else self.right
            table.setColumnWidth(column, width)
        frozen_width = sum(self.left.columnWidth(c) for c in range(min(self.frozen, columns)))
        self.left.setFixedWidth(frozen_width + 2 * self.left.frameWidth() + 2)
        self.match_headers()

    def match_headers(self) -> None:
        left, right = self.left.horizontalHeader(), self.right.horizontalHeader()
        height = max(left.sizeHint().height(), right.sizeHint().height())
        left.setFixedHeight(height)
        right.setFixedHeight(height)
        left.viewport().update()
        right.viewport().update()

    def _match_bars(self, _low: int, high: int) -> None:
        room = self.right.horizontalScrollBar().sizeHint().height() if high > 0 else 0
        self.left.setViewportMargins(0, 0, 0, room)

    def set_spans(self, rows: list[int]) -> None:
        """Let the rows in `rows` (group headings) run across the frozen columns."""
        self.left.clearSpans()
        if self.frozen > 1:
            for row in rows:
                self.left.setSpan(row, 0, 1, self.frozen)
