"""The directory tables' column widths: the view's width is shared between the columns
until the user resizes one by hand, and a cell too narrow for its text shows the whole
text as its tooltip."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QFontMetrics, QHelpEvent
from PySide6.QtWidgets import QTableView, QToolTip

from planner.ui.models.directory import DirectoryModel

HEADER_PADDING = 8  # px each side of a header's text
SORT_ARROW_ROOM = 20  # px a header keeps for the sort arrow


class ColumnFitter(QObject):
    """Fits `table`'s columns (those of `model`) to the width of its viewport."""

    def __init__(self, table: QTableView, model: DirectoryModel) -> None:
        super().__init__(table)
        self.table = table
        self.model = model
        # Columns fit the width of the view until the user resizes one by hand.
        self.auto_fit = True
        self._fitting = False
        self._natural: dict[int, int] = {}  # content widths, measured once per refresh
        for header in (table.horizontalHeader(), table.verticalHeader()):
            header.setResizeContentsPrecision(300)
        table.horizontalHeader().sectionResized.connect(self._section_resized)
        # Kept, not asked for: events still arrive while the table is being destroyed.
        self._viewport = table.viewport()
        self._viewport.installEventFilter(self)

    def forget(self) -> None:
        """The content changed: measure the columns again when next fitting."""
        self._natural = {}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._viewport and event.type() == QEvent.Type.Resize:
            self._natural = {}
            self.fit()
        if (
            watched is self._viewport
            and event.type() == QEvent.Type.ToolTip
            and isinstance(event, QHelpEvent)
            and self._show_elided_text(event)
        ):
            return True
        return super().eventFilter(watched, event)

    def _show_elided_text(self, event: QHelpEvent) -> bool:
        """A cell too narrow for its text shows the whole text as its tooltip."""
        index = self.table.indexAt(event.pos())
        if not index.isValid():
            return False
        text = str(index.data() or "")
        tip = index.data(Qt.ItemDataRole.ToolTipRole) or ""
        needed = self.table.fontMetrics().horizontalAdvance(text) + 2 * HEADER_PADDING
        if not text or needed <= self.table.columnWidth(index.column()) or text in tip:
            return False
        QToolTip.showText(event.globalPos(), f"{text}\n{tip}" if tip else text, self.table)
        return True

    def _section_resized(self, _section: int, _old: int, _new: int) -> None:
        if not self._fitting:
            self.auto_fit = False

    def _natural_width(self, number: int) -> int:
        """The width a column needs to show its content and its header whole."""
        if number not in self._natural:
            self._natural[number] = self._measure(number)
        return self._natural[number]

    def _measure(self, number: int) -> int:
        column = self.model.COLUMNS[number]
        content = self.table.sizeHintForColumn(number)
        header = self.table.horizontalHeader()
        if not column.number:
            return max(header.sectionSizeHint(number), content) + 12
        # Counts: their header in bold, with room for the sort arrow, is usually widest.
        return max(self._header_width(number) + SORT_ARROW_ROOM, content + 4)

    def _header_width(self, number: int) -> int:
        """The width of a column's header text (its longest line, in bold), padded."""
        font = QFont(self.table.horizontalHeader().font())
        font.setBold(True)
        metrics = QFontMetrics(font)
        lines = self.model.COLUMNS[number].header.splitlines()
        return max(metrics.horizontalAdvance(text) for text in lines) + 2 * HEADER_PADDING

    def fit(self, *, force: bool = False) -> None:
        """Share the view's width between the columns: numbers at their natural width,
        text columns from their content width, shrunk (elided) or widened to fit."""
        if not (self.auto_fit or force) or self.model.rowCount() == 0:
            return
        columns = self.model.COLUMNS
        natural = [self._natural_width(n) for n in range(len(columns))]
        widths = list(natural)
        flexible = [n for n, column in enumerate(columns) if not column.number]
        fixed = sum(width for n, width in enumerate(natural) if n not in flexible)
        room = self.table.viewport().width() - fixed
        wanted = sum(natural[n] for n in flexible)
        if flexible and room > 0:
            if room >= wanted:  # widen each text column in proportion to its content
                for n in flexible:
                    widths[n] = natural[n] + (room - wanted) * natural[n] // wanted
            else:  # narrow them, never below their minimum, longest cut most
                floor = {
                    n: min(natural[n], max(columns[n].min_width, self._header_width(n)))
                    for n in flexible
                }
                spare = wanted - sum(floor.values())
                cut = min(wanted - room, spare)
                for n in flexible:  # rounded up, so the columns never overflow
                    widths[n] = natural[n] - (-(-(natural[n] - floor[n]) * cut // spare))
            # The pixels rounding leaves over go to the widest text column.
            leftover = room - sum(widths[n] for n in flexible)
            if leftover > 0:
                widths[max(flexible, key=lambda n: widths[n])] += leftover
        self._fitting = True
        try:
            for n, width in enumerate(widths):
                self.table.setColumnWidth(n, width)
            self.table.updateGeometries()  # scroll bars follow the new widths now
        finally:
            self._fitting = False
