"""Paints a theme as its title over its action count and RAG chips (letter and count)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from planner.ui.models.rag import text_colour_on
from planner.ui.models.themes import ACTION_COUNT_ROLE, RAG_COUNTS_ROLE

Index = QModelIndex | QPersistentModelIndex
PADDING = 8


def paint_chips(
    painter: QPainter, font: QFont, x: float, y: float, chips: list[tuple[str, int, str]]
) -> float:
    """Draw chips from (x, y); returns the x after the last chip."""
    metrics = QFontMetrics(font)
    height = metrics.height() + 2
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setFont(font)
    for code, count, colour in chips:
        text = f"{code} {count}"
        width = metrics.horizontalAdvance(text) + 10
        rect = QRectF(x, y, width, height)
        background = QColor(colour)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(background)
        painter.drawRoundedRect(rect, 4, 4)
        painter.setPen(text_colour_on(background))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        x += width + 4
    painter.restore()
    return x


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
        count = int(index.data(ACTION_COUNT_ROLE) or 0)
        label = f"{count} action{'s' if count != 1 else ''}"
        metrics = QFontMetrics(small)
        y = title.bottom() + 6
        painter.drawText(
            QRect(title.left(), y, metrics.horizontalAdvance(label) + 2, metrics.height() + 2),
            Qt.AlignmentFlag.AlignVCenter,
            label,
        )
        painter.restore()
        paint_chips(
            painter,
            small,
            title.left() + metrics.horizontalAdvance(label) + 10,
            y,
            index.data(RAG_COUNTS_ROLE) or [],
        )

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        self.initStyleOption(option, index)
        title = self._title_rect(option, option.text)
        small = QFontMetrics(self._small_font(option))
        return QSize(option.rect.width(), title.height() + small.height() + 2 * PADDING + 10)
