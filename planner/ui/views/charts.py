"""Small charts drawn with QPainter: horizontal stacked bars (RAG by theme) and plain
horizontal bars with a label and a count (actions by status). Each takes plain data,
runs no queries, shows every count as text and explains each part in a tooltip."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from planner.ui.models.rag import text_colour_on

TEXT = QColor("#1B1B1B")
MUTED = QColor("#5D6D7E")
TRACK = QColor("#EEF1F4")  # the empty part behind a bar


@dataclass(frozen=True)
class Segment:
    """One coloured part of a bar: `key` names it (a RAG code, or None for unrated)."""

    key: str | None
    count: int
    colour: str
    tooltip: str


@dataclass(frozen=True)
class Bar:
    label: str
    segments: tuple[Segment, ...]
    tooltip: str = ""

    @property
    def total(self) -> int:
        return sum(segment.count for segment in self.segments)


class _Chart(QWidget):
    """The parts both charts share: fonts, height for width, tooltips by hit-testing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMouseTracking(True)

    def _metrics(self) -> QFontMetricsF:
        return QFontMetricsF(self.font())

    def _bold(self) -> QFont:
        font = QFont(self.font())
        font.setWeight(QFont.Weight.DemiBold)
        return font

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, _width: int) -> int:
        return self._content_height()

    def sizeHint(self) -> QSize:
        return QSize(320, self._content_height())

    def minimumSizeHint(self) -> QSize:
        return QSize(160, self._content_height())

    def _content_height(self) -> int:
        raise NotImplementedError

    def _tooltip_at(self, point: QPointF) -> str:
        raise NotImplementedError

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            text = self._tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)


class StackedBarChart(_Chart):
    """One horizontal bar per row, its label above it, split into coloured segments
    with each segment's count written inside when it fits and the total at the end.
    Bars share one scale, so a theme with more actions has a longer bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: tuple[Bar, ...] = ()
        self._text_colours: dict[str, QColor] = {}
        self.empty_text = "Nothing to show"

    def set_bars(self, bars: list[Bar] | tuple[Bar, ...]) -> None:
        self._bars = tuple(bars)
        colours = {segment.colour for bar in self._bars for segment in bar.segments}
        self._text_colours = {colour: text_colour_on(QColor(colour)) for colour in colours}
        self.updateGeometry()
        self.update()

    def bars(self) -> tuple[Bar, ...]:
        return self._bars

    # ----- geometry -------------------------------------------------------------------

    def _row_parts(self) -> tuple[float, float, float]:
        """Label height, bar height and the gap after each row."""
        line = self._metrics().height()
        return line + 2, round(line * 1.55), round(line * 0.7)

    def _content_height(self) -> int:
        if not self._bars:
            return round(self._metrics().height() * 2)
        label, bar, gap = self._row_parts()
        return int(len(self._bars) * (label + bar + gap))

    def _scale(self) -> tuple[float, float]:
        """Left edge and pixels per action."""
        largest = max((bar.total for bar in self._bars), default=0)
        room = QFontMetricsF(self._bold()).horizontalAdvance(f" {max(largest, 10)}") + 8
        usable = max(self.width() - room, 40.0)
        return 0.0, usable / largest if largest else 0.0

    def segment_rects(self) -> list[tuple[int, Segment, QRectF]]:
        """(bar index, segment, rectangle) for every segment drawn, left to right."""
        found: list[tuple[int, Segment, QRectF]] = []
        left, per_action = self._scale()
        label_height, bar_height, gap = self._row_parts()
        y = 0.0
        for number, bar in enumerate(self._bars):
            x = left
            top = y + label_height
            for segment in bar.segments:
                if segment.count <= 0:
                    continue
                width = segment.count * per_action
                found.append((number, segment, QRectF(x, top, width, bar_height)))
                x += width
            y += label_height + bar_height + gap
        return found

    def _bar_row(self, number: int) -> QRectF:
        label_height, bar_height, gap = self._row_parts()
        top = number * (label_height + bar_height + gap)
        return QRectF(0, top, self.width(), label_height + bar_height)

    # ----- painting -------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self._bars:
            painter.setPen(MUTED)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return
        metrics = self._metrics()
        bold = self._bold()
        bold_metrics = QFontMetricsF(bold)
        label_height, bar_height, _gap = self._row_parts()
        left, per_action = self._scale()
        for number, bar in enumerate(self._bars):
            row = self._bar_row(number)
            painter.setFont(self.font())
            painter.setPen(TEXT)
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, row.width())
            painter.drawText(
                QRectF(0, row.top(), row.width(), label_height),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            end = left + bar.total * per_action
            painter.setFont(bold)
            painter.drawText(
                QRectF(end + 6, row.top() + label_height, 200, bar_height),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                str(bar.total),
            )
        for _number, segment, rect in self.segment_rects():
            colour = QColor(segment.colour)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRect(rect)
            # A white hairline keeps neighbouring segments apart in greyscale too.
            painter.setPen(QColor("#FFFFFF"))
            painter.drawLine(rect.topRight(), rect.bottomRight())
            text = str(segment.count)
            if bold_metrics.horizontalAdvance(text) + 8 <= rect.width():
                painter.setPen(self._text_colours[segment.colour])
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def _tooltip_at(self, point: QPointF) -> str:
        for number, segment, rect in self.segment_rects():
            if rect.contains(point):
                return f"{self._bars[number].label}\n{segment.tooltip}"
        for number, bar in enumerate(self._bars):
            if self._bar_row(number).contains(point):
                return bar.tooltip or bar.label
        return ""


@dataclass(frozen=True)
class CountBar:
    label: str
    count: int
    colour: str
    tooltip: str = ""


class CountBars(_Chart):
    """Rows of label, bar and count, the bars on one scale: a small bar chart that reads
    as a list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[CountBar, ...] = ()

    def set_rows(self, rows: list[CountBar] | tuple[CountBar, ...]) -> None:
        self._rows = tuple(rows)
        self.updateGeometry()
        self.update()

    def rows(self) -> tuple[CountBar, ...]:
        return self._rows

    def _row_height(self) -> float:
        return round(self._metrics().height() * 1.7)

    def _content_height(self) -> int:
        return int(max(len(self._rows), 1) * self._row_height())

    def bar_rects(self) -> list[tuple[CountBar, QRectF]]:
        metrics = self._metrics()
        label_width = max((metrics.horizontalAdvance(row.label) for row in self._rows), default=0)
        count_width = QFontMetricsF(self._bold()).horizontalAdvance("0000")
        left = label_width + 12
        usable = max(self.width() - left - count_width - 8, 20.0)
        largest = max((row.count for row in self._rows), default=0)
        height = self._row_height()
        found = []
        for number, row in enumerate(self._rows):
            width = usable * row.count / largest if largest else 0.0
            found.append((row, QRectF(left, number * height + height * 0.2, width, height * 0.6)))
        return found

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        height = self._row_height()
        bold = self._bold()
        for number, (row, rect) in enumerate(self.bar_rects()):
            top = number * height
            painter.setFont(self.font())
            painter.setPen(TEXT if row.count else MUTED)
            painter.drawText(
                QRectF(0, top, rect.left() - 12, height),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                row.label,
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(TRACK)
            track = QRectF(rect.left(), rect.top(), self.width() - rect.left(), rect.height())
            painter.drawRoundedRect(track.adjusted(0, 0, -1, 0), 3, 3)
            if row.count:
                painter.setBrush(QColor(row.colour))
                painter.drawRoundedRect(rect, 3, 3)
            painter.setFont(bold)
            painter.setPen(TEXT if row.count else MUTED)
            painter.drawText(
                QRectF(rect.right() + 6, top, 100, height),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                str(row.count),
            )

    def _tooltip_at(self, point: QPointF) -> str:
        height = self._row_height()
        number = int(point.y() // height)
        if 0 <= number < len(self._rows):
            row = self._rows[number]
            return row.tooltip or f"{row.label}: {row.count}"
        return ""
