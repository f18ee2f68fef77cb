"""The Dashboard's parts: cards, figure tiles that reflow, direction-of-travel rows and
the lists of milestones overdue or due soon."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.domain.travel import IMPROVED, SAME, WORSE
from planner.ui.models.details import DIRECTIONS
from planner.ui.models.due_milestones import DueMilestonesModel
from planner.ui.style import style_table
from planner.ui.views.base import PlanView

MAX_LIST_ROWS = 10  # a milestone list taller than this scrolls inside its card
TRAVEL_WORDS = {IMPROVED: "improved", SAME: "unchanged", WORSE: "worse"}
CARD_STYLE = """
QFrame[card="true"] { background: #FFFFFF; border: 1px solid #D5DADF; border-radius: 6px; }
QFrame[tile="true"] { background: #FFFFFF; border: 1px solid #D5DADF; border-radius: 6px; }
QLabel[heading="true"] { color: #2C3E50; font-weight: 600; }
QLabel[muted="true"] { color: #5D6D7E; }
"""


def scaled_font(widget: QWidget, factor: float, *, bold: bool = False) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * factor)
    if bold:
        font.setWeight(QFont.Weight.DemiBold)
    return font


def muted(label: QLabel) -> QLabel:
    label.setProperty("muted", True)
    return label


class Card(QFrame):
    """A white panel with a heading over its content."""

    def __init__(self, title: str, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setProperty("card", True)
        self.setAccessibleName(title)
        self.heading = QLabel(title, self)
        self.heading.setObjectName(f"{object_name}Heading")
        self.heading.setProperty("heading", True)
        self.heading.setFont(scaled_font(self, 1.15, bold=True))
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(14, 10, 14, 14)
        self.body.setSpacing(8)
        self.body.addWidget(self.heading)

    def set_title(self, title: str) -> None:
        self.heading.setText(title)
        self.setAccessibleName(title)


class Tile(QFrame):
    """A headline figure: a big value over a caption, with an optional accent stripe."""

    def __init__(self, caption: str, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setProperty("tile", True)
        self._accent = ""
        self.value = QLabel("–", self)
        self.value.setObjectName(f"{object_name}Value")
        self.value.setFont(scaled_font(self, 1.9, bold=True))
        self.caption = muted(QLabel(caption, self))
        self.caption.setObjectName(f"{object_name}Caption")
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 10)
        layout.setSpacing(0)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def show_value(self, value: str, caption: str, tooltip: str, accent: str = "") -> None:
        self.value.setText(value)
        self.caption.setText(caption)
        self.setToolTip(tooltip)
        self.setAccessibleName(f"{caption}: {value}")
        if accent != self._accent:  # restyling is slow: only when the accent changes
            self._accent = accent
            border = (
                f"border-left: 5px solid {accent}; border-top-left-radius: 0;"
                " border-bottom-left-radius: 0;"
                if accent
                else ""
            )
            self.setStyleSheet(f"QFrame#{self.objectName()} {{ {border} }}")


class TileStrip(QWidget):
    """Tiles in as many equal columns as fit (all in one row when there is room)."""

    MIN_TILE = 132  # px at 100%

    def __init__(self, tiles: list[Tile], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tiles = tiles
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(10)
        self._columns = 0
        self._arrange(len(tiles))

    def _arrange(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for tile in self.tiles:
            self._grid.removeWidget(tile)
        for number, tile in enumerate(self.tiles):
            self._grid.addWidget(tile, number // columns, number % columns)
        for column in range(len(self.tiles)):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        fits = max(1, event.size().width() // self.MIN_TILE)
        count = len(self.tiles)
        # Three a row rather than five and one.
        columns = count if fits >= count else max(1, min(fits, (count + 1) // 2))
        self._arrange(columns)


class DirectionRow(QWidget):
    """An arrow, a count and its meaning in words, in the direction's colour."""

    def __init__(self, direction: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        text, colour = DIRECTIONS[direction]  # the details panel's arrow and colour
        arrow = text.split(" ", 1)[0]
        self.direction = direction
        self.word = TRAVEL_WORDS[direction]
        self.setObjectName(f"travel{direction.title()}")
        self.arrow = QLabel(arrow, self)
        self.arrow.setFont(scaled_font(self, 1.5))
        self.arrow.setStyleSheet(f"color: {colour};")
        self.count = QLabel("0", self)
        self.count.setObjectName(f"travel{direction.title()}Count")
        self.count.setFont(scaled_font(self, 1.5, bold=True))
        self.count.setStyleSheet(f"color: {colour};")
        self.label = QLabel(self.word, self)
        self.label.setStyleSheet(f"color: {colour}; font-weight: 600;")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.arrow)
        layout.addWidget(self.count)
        layout.addWidget(self.label)
        layout.addStretch(1)

    def show_count(self, count: int) -> None:
        self.count.setText(str(count))
        actions = "action" if count == 1 else "actions"
        self.label.setText(f"{actions} {self.word}")
        self.setAccessibleName(f"{count} {actions} {self.word}")


class MilestoneList(QWidget):
    """A milestone table that opens the action of the row clicked (or Enter), or a line
    saying there is nothing to list."""

    def __init__(
        self, view: PlanView, model: DueMilestonesModel, name: str, title: str, empty: str
    ) -> None:
        super().__init__(view)
        self._view = view
        self.model = model
        self.table = QTableView(self)
        style_table(self.table)
        self.table.setObjectName(name)
        self.table.setAccessibleName(title)
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setCursor(Qt.CursorShape.PointingHandCursor)
        self.table.verticalHeader().setVisible(False)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.clicked.connect(self._open)
        self.table.activated.connect(self._open)
        self.empty = muted(QLabel(empty, self))
        self.empty.setObjectName(f"{name}Empty")
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        self._size_columns()

    def _size_columns(self) -> None:
        metrics = self.table.fontMetrics()
        pad = 22
        header = self.table.horizontalHeader()
        widths = {
            0: metrics.horizontalAdvance("Action") + pad,
            2: metrics.horizontalAdvance("00/00/0000") + pad,
            3: metrics.horizontalAdvance("Owner") + pad,
            4: metrics.horizontalAdvance(str(self.model.HEADERS[4])) + pad,
        }
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        row = metrics.height() + 10
        self.table.verticalHeader().setDefaultSectionSize(row)
        self.table.verticalHeader().setMinimumSectionSize(row)
        self.table.setMinimumWidth(sum(widths.values()) + 120)

    def _fit_columns(self) -> None:
        """The action and owner columns as wide as their longest text (the owner up to a
        typical full name), so the milestone's title gets the rest."""
        metrics = self.table.fontMetrics()

        def widest(texts: set[str], heading: str) -> int:
            # Measuring every text is slow on a large plan; the longest few will do.
            candidates = [heading, *sorted(texts, key=len)[-12:]]
            return max(metrics.horizontalAdvance(text) for text in candidates)

        self.table.setColumnWidth(0, widest(self.model.refs(), "Action") + 22)
        ceiling = metrics.horizontalAdvance("Margaret Hethering")
        self.table.setColumnWidth(3, min(widest(self.model.owners(), "Owner"), ceiling) + 22)

    def show_rows(self) -> None:
        rows = self.model.rowCount()
        self._fit_columns()
        self.table.setVisible(rows > 0)
        self.empty.setVisible(rows == 0)
        shown = min(rows, MAX_LIST_ROWS)
        height = (
            self.table.horizontalHeader().sizeHint().height()
            + shown * self.table.verticalHeader().defaultSectionSize()
            + 2 * self.table.frameWidth()
        )
        self.table.setFixedHeight(height)

    def mark(self, action_id: int | None) -> None:
        """Select the rows of `action_id` (none when it is not listed)."""
        selection = self.table.selectionModel()
        selection.clearSelection()
        if action_id is None:
            return
        for row in self.model.rows_of_action(action_id):
            self.table.selectRow(row)
            break

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self._view.action_activated.emit(self.model.action_id(index.row()))
