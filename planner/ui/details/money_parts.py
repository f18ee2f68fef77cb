"""The pieces of the Money tab: small read-only tables of figures (pounds right-aligned,
rows sized to their wrapped text), coloured chips that say a status in words, and the
wording of an action's spend against its profile and of a measure's latest figure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QWidget

from planner.domain import RagDefinition
from planner.domain.dates import format_uk
from planner.domain.measures import MeasureStatus, format_value
from planner.domain.money import SpendFlag, format_pounds
from planner.queries.benefits import ActionMoney
from planner.queries.purpose import MeasureRow
from planner.ui.details.widgets import CELL_HEIGHT_ROOM
from planner.ui.details.widgets import wrapped_height as text_height
from planner.ui.models.details import NOT_RATED_COLOUR, text_colour
from planner.ui.models.roles import ID_ROLE
from planner.ui.style import style_table

KIND_ROLE = Qt.ItemDataRole.UserRole + 40  # what a row is: "benefit" or "benefit_value"
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
ALARM = "#B03A2E"  # a sum of money that needs attention: unfunded, overspent
COMPACT_CELLS = """
QTableView::item { padding: 2px 3px; }
QHeaderView::section { padding: 4px 3px; }
"""
COMPACT_ROOM = 14  # the padding above, the style's text margins and the grid line
SPEND_RAG = {SpendFlag.ON_PROFILE: "G", SpendFlag.UNDERSPEND: "A", SpendFlag.OVERSPEND: "R"}
FALLBACK_COLOURS = {"G": "#2E8B57", "A": "#F0A30A", "R": "#C0392B"}


@dataclass(frozen=True)
class Cell:
    text: str
    money: bool = False  # right-aligned
    tooltip: str = ""
    colour: str = ""  # text colour
    bold: bool = False


def pounds(amount: Decimal | int | None) -> str:
    """Whole pounds with thousands separators ('£294,110'); '' when there is no figure."""
    if amount is None:
        return ""
    return format_pounds(Decimal(amount).quantize(Decimal(1)))


class FiguresTable(QTableView):
    """A short read-only table sized to its rows, so the tab scrolls rather than it. Its
    first column takes the width the others leave; the others are as wide as their
    widest figure. A row may be one cell spanning every column (a heading row)."""

    def __init__(
        self,
        parent: QWidget,
        name: str,
        accessible: str,
        headers: list[str],
        *,
        stretch: int = 0,
        money: tuple[int, ...] = (),
    ) -> None:
        super().__init__(parent)
        # A little less padding than the plan's big tables: four columns of pounds must
        # fit a pane a third of the window wide.
        style_table(self, COMPACT_CELLS)
        self.setObjectName(name)
        self.setAccessibleName(accessible)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)
        self.setTabKeyNavigation(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stretch = stretch
        self.figures = QStandardItemModel(0, len(headers), self)
        self.figures.setHorizontalHeaderLabels(headers)
        for column in money:  # headed on the side the pounds line up
            self.figures.setHeaderData(
                column, Qt.Orientation.Horizontal, RIGHT, Qt.ItemDataRole.TextAlignmentRole
            )
        self.setModel(self.figures)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(LEFT)
        header.setMinimumSectionSize(24)
        for column in range(len(headers)):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if column == stretch
                else QHeaderView.ResizeMode.Fixed
            )
            header.setSectionResizeMode(column, mode)
        header.sectionResized.connect(lambda *_: self.fit())

    def _fit_columns(self) -> None:
        """Every column but the stretched one as wide as its widest text (rows spanning
        the table left out)."""
        model = self.figures
        bold = QFont(self.font())
        bold.setBold(True)
        heading = QFontMetrics(bold)
        metrics = self.fontMetrics()
        for column in range(model.columnCount()):
            if column == self.stretch:
                continue
            widest = heading.horizontalAdvance(
                str(model.headerData(column, Qt.Orientation.Horizontal))
            )
            for row in range(model.rowCount()):
                item = model.item(row, column)
                if item is not None and self.columnSpan(row, 0) == 1:
                    widest = max(
                        widest,
                        (heading if item.font().bold() else metrics).horizontalAdvance(item.text()),
                    )
            self.setColumnWidth(column, widest + COMPACT_ROOM)

    def set_rows(self, rows: list[tuple[int | None, str, list[Cell]]]) -> None:
        """Each row as (id, kind, cells); one cell makes a row spanning every column."""
        self.clearSpans()
        self.figures.removeRows(0, self.figures.rowCount())
        columns = self.figures.columnCount()
        for number, (row_id, kind, cells) in enumerate(rows):
            items = [self._item(cell, row_id, kind) for cell in cells]
            items += [self._item(Cell(""), row_id, kind) for _ in range(columns - len(items))]
            self.figures.appendRow(items)
            if len(cells) == 1 and columns > 1:
                self.setSpan(number, 0, 1, columns)
        self._fit_columns()
        self.fit()

    @staticmethod
    def _item(cell: Cell, row_id: int | None, kind: str) -> QStandardItem:
        item = QStandardItem(cell.text)
        item.setEditable(False)
        item.setData(row_id, ID_ROLE)
        item.setData(kind, KIND_ROLE)
        item.setTextAlignment(RIGHT if cell.money else LEFT)
        if cell.tooltip:
            item.setToolTip(cell.tooltip)
        if cell.colour:
            item.setForeground(QBrush(QColor(cell.colour)))
        if cell.bold:
            font = QFont()
            font.setBold(True)
            item.setFont(font)
        return item

    def fit(self) -> None:
        """Each row as tall as its wrapped text, and the table as tall as its rows."""
        model = self.figures
        for row in range(model.rowCount()):
            spanned = self.columnSpan(row, 0) > 1
            needed = self.fontMetrics().height()
            for column in range(1 if spanned else model.columnCount()):
                item = model.item(row, column)
                if item is None:
                    continue
                width = self.viewport().width() if spanned else self.columnWidth(column)
                font = item.font() if item.font().bold() else self.font()
                room = max(width - COMPACT_ROOM, 20)
                needed = max(needed, text_height(font, room, item.text()))
            self.setRowHeight(row, needed + CELL_HEIGHT_ROOM)
        body = sum(self.rowHeight(row) for row in range(model.rowCount()))
        header = self.horizontalHeader().sizeHint().height()
        self.setFixedHeight(header + body + 2 * self.frameWidth())

    def selected(self) -> tuple[int, str] | None:
        """The (id, kind) of the selected row, if any."""
        rows = self.selectionModel().selectedRows()
        if not rows:
            return None
        row_id, kind = rows[0].data(ID_ROLE), rows[0].data(KIND_ROLE)
        return (int(row_id), str(kind)) if row_id is not None else None

    def select(self, row_id: int, kind: str) -> None:
        for row in range(self.figures.rowCount()):
            index = self.figures.index(row, 0)
            if index.data(ID_ROLE) == row_id and index.data(KIND_ROLE) == kind:
                self.selectRow(row)
                return


def chip_style(colour: str) -> str:
    return (
        f"background: {colour}; color: {text_colour(colour)}; border-radius: 4px;"
        " padding: 1px 6px; font-weight: 600;"
    )


def status_chip(parent: QWidget, text: str, colour: str, name: str) -> QLabel:
    """A status in words on its colour (the colour alone never carries the meaning)."""
    chip = QLabel(text, parent)
    chip.setObjectName(name)
    chip.setStyleSheet(chip_style(colour))
    chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return chip


def rag_colour(definition: RagDefinition | None, code: str) -> str:
    if definition is not None:
        return definition.colour
    return FALLBACK_COLOURS.get(code, NOT_RATED_COLOUR)


def spend_words(money: ActionMoney, status_date: date) -> tuple[str, str]:
    """The spend flag's label and its meaning in words: how far from the profile, at the
    status date. ('', reason) when there is no budget for the status date's year."""
    spend, year = money.spend, money.status_year
    if spend is None:
        return "", f"No budget is recorded for {year.label}, so spend cannot be judged."
    gap = pounds(abs(spend.variance))
    at = format_uk(status_date)
    if spend.flag is SpendFlag.UNDERSPEND:
        return spend.flag.label, f"{gap} behind the profile at {at}"
    if spend.flag is SpendFlag.OVERSPEND:
        return spend.flag.label, f"{gap} ahead of the profile at {at}"
    return spend.flag.label, f"within the tolerance of the profile at {at}"


def spend_detail(money: ActionMoney, status_date: date) -> str:
    current = money.year(money.status_year)
    if money.spend is None or current is None:
        return ""
    return (
        f"Spent {pounds(current.spent)} of the {money.status_year.label} budget of "
        f"{pounds(current.budget)}; spread evenly over the year, the profile to "
        f"{format_uk(status_date)} is {pounds(money.spend.profiled)}."
    )


def measure_words(row: MeasureRow) -> str:
    """'Q3 2013/14: £270,000 against a target of £250,000'."""
    if row.latest is None:
        return "No figures yet."
    actual = format_value(row.actual, row.unit)
    if row.target is None:
        return f"{row.latest.label}: {actual} (no target set)"
    return f"{row.latest.label}: {actual} against a target of {format_value(row.target, row.unit)}"


def measure_status_text(status: MeasureStatus | None) -> tuple[str, str]:
    """The status in words and its RAG code ('' when it cannot be judged)."""
    if status is None:
        return "Not judged", ""
    return status.label, status.rag
