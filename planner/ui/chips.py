"""Paints a theme as its title over its action count and RAG chips (letter and count)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from planner.ui.models.rag import text_colour_on
from planner.ui.models.roles import ACTION_COUNT_ROLE, RAG_COUNTS_ROLE, Index

PADDING = 8


CHIP_GAP = 4  # between chips on a line
LINE_GAP = 3  # between lines of chips


def chip_places(
    metrics: QFontMetrics,
    chips: list[tuple[str, int, str]],
    first_x: float,
    left: float,
    right: float,
) -> list[QRectF]:
    """Where each chip goes, from `first_x` on the first line: a chip that would pass
    `right` starts a new line at `left`, so large counts never run off the pane."""
    height = metrics.height() + 2
    x, y = first_x, 0.0
    places = []
    for code, count, _colour in chips:
        width = metrics.horizontalAdvance(f"{code} {count}") + 10
        if x + width > right and x > left:
            x, y = left, y + height + LINE_GAP
        places.append(QRectF(x, y, width, height))
        x += width + CHIP_GAP
    return places


def paint_chips(
    painter: QPainter,
    font: QFont,
    places: list[QRectF],
    top: float,
    chips: list[tuple[str, int, str]],
) -> None:
    """Draw the chips at their places, shifted down to `top`."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setFont(font)
    for place, (code, count, colour) in zip(places, chips, strict=True):
        rect = place.translated(0, top)
        background = QColor(colour)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(background)
        painter.drawRoundedRect(rect, 4, 4)
        painter.setPen(text_colour_on(background))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"{code} {count}")
    painter.restore()


def _count_label(index: Index) -> str:
    count = int(index.data(ACTION_COUNT_ROLE) or 0)
    return f"{count} action{'s' if count != 1 else ''}"


class ThemeItemDelegate(QStyledItemDelegate):
    def _title_font(self, option: QStyleOptionViewItem) -> QFont:
        font = QFont(option.font)
        font.setWeight(QFont.Weight.DemiBold)
        return font

    def _small_font(self, option: QStyleOptionViewItem) -> QFont:
        font = QFont(option.font)
        font.setPointSizeF(max(font.pointSizeF() * 0.88, 7.5))
        return font

    def _title_rect(self, option: QStyleOptionViewItem, text: str) -> QRect:
        metrics = QFontMetrics(self._title_font(option))
        width = max(option.rect.width() - 2 * PADDING, 40)
        return metrics.boundingRect(QRect(0, 0, width, 2000), Qt.TextFlag.TextWordWrap, text)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        widget = option.widget
        style = widget.style() if widget else None
        self.initStyleOption(option, index)
        text = option.text
        option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        colour_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setPen(option.palette.color(colour_role))
        title_font = self._title_font(option)
        painter.setFont(title_font)
        bounds = self._title_rect(option, text)
        title = QRect(
            option.rect.left() + PADDING,
            option.rect.top() + PADDING,
            option.rect.width() - 2 * PADDING,
            bounds.height(),
        )
        painter.drawText(title, Qt.TextFlag.TextWordWrap, text)
        small = self._small_font(option)
        painter.setFont(small)
        label = _count_label(index)
        metrics = QFontMetrics(small)
        y = title.bottom() + 6
        painter.drawText(
            QRect(title.left(), y, metrics.horizontalAdvance(label) + 2, metrics.height() + 2),
            Qt.AlignmentFlag.AlignVCenter,
            label,
        )
        painter.restore()
        chips = index.data(RAG_COUNTS_ROLE) or []
        places = self._chip_places(option, metrics, label, chips)
        paint_chips(painter, small, places, y, chips)

    def _chip_places(
        self,
        option: QStyleOptionViewItem,
        metrics: QFontMetrics,
        label: str,
        chips: list[tuple[str, int, str]],
    ) -> list[QRectF]:
        left = option.rect.left() + PADDING
        right = option.rect.right() - PADDING
        first = left + metrics.horizontalAdvance(label) + 10
        return chip_places(metrics, chips, first, left, right)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        self.initStyleOption(option, index)
        title = self._title_rect(option, option.text)
        small = QFontMetrics(self._small_font(option))
        label = _count_label(index)
        places = self._chip_places(option, small, label, index.data(RAG_COUNTS_ROLE) or [])
        more_lines = max((place.top() for place in places), default=0.0)  # chips wrapped
        height = title.height() + small.height() + int(more_lines) + 2 * PADDING + 10
        return QSize(option.rect.width(), height)
