"""A measure's figures drawn with QPainter: a sparkline for a table cell, and a chart of
actuals against the target trajectory with the tolerance band shaded."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from planner.domain.measures import Better, Unit, format_value
from planner.ui.models.roles import Index

ACTUAL = QColor("#2E6DA4")
TARGET = QColor("#5D6D7E")
BAND = QColor(46, 109, 164, 38)  # the tolerance band, a light wash of the actual's blue
AXIS = QColor("#D5DADF")
TEXT = QColor("#1B1B1B")
MUTED = QColor("#5D6D7E")

Point = tuple[float | None, float | None]  # (target, actual) of one period


def nice_ticks(low: float, high: float, most: int = 5) -> list[float]:
    """Round values (steps of 1, 2 or 5 times a power of ten) spanning low to high."""
    span = (high - low) or abs(high) or 1.0
    raw = span / max(most - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = [first]
    while ticks[-1] < high - 1e-9:
        ticks.append(ticks[-1] + step)
    return [round(t, 10) for t in ticks]


def _range(values: Sequence[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    if high == low:
        pad = abs(high) * 0.1 or 1.0
        return low - pad, high + pad
    pad = (high - low) * 0.08
    return low - pad, high + pad


def draw_sparkline(painter: QPainter, rect: QRectF, points: Sequence[Point]) -> None:
    """The actuals as a thin line (the targets dashed behind), the last actual dotted."""
    values = [v for point in points for v in point if v is not None]
    actuals = [(n, point[1]) for n, point in enumerate(points) if point[1] is not None]
    if len(points) < 2 or not actuals:
        return
    low, high = _range(values)
    step = rect.width() / (len(points) - 1)

    def at(number: int, value: float) -> QPointF:
        return QPointF(
            rect.left() + number * step,
            rect.bottom() - (value - low) / (high - low) * rect.height(),
        )

    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    targets = [(n, point[0]) for n, point in enumerate(points) if point[0] is not None]
    if len(targets) > 1:
        painter.setPen(QPen(TARGET, 1, Qt.PenStyle.DashLine))
        painter.drawPolyline([at(n, v) for n, v in targets])
    painter.setPen(QPen(ACTUAL, 1.6))
    if len(actuals) > 1:
        painter.drawPolyline([at(n, v) for n, v in actuals])
    painter.setBrush(ACTUAL)
    painter.drawEllipse(at(*actuals[-1]), 2.2, 2.2)
    painter.restore()


class SparklineDelegate(QStyledItemDelegate):
    """Draws the points a model gives in `role` as a sparkline inside the cell."""

    def __init__(self, role: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._role = role

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        style = option.widget.style() if option.widget else None
        if style is not None:  # the cell's background and selection
            style.drawPrimitive(
                QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, option.widget
            )
        points = index.data(self._role)
        if points:
            rect = QRectF(option.rect).adjusted(6, 5, -6, -5)
            draw_sparkline(painter, rect, points)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(110, super().sizeHint(option, index).height())


@dataclass(frozen=True)
class ChartPoint:
    label: str  # "Q3 2013/14"
    target: float | None
    actual: float | None


class MeasureChart(QWidget):
    """Actuals (a solid line with dots) against the target trajectory (dashed), with the
    plan's tolerance band shaded on the wrong side of each target."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("measureChart")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(180)
        self._points: tuple[ChartPoint, ...] = ()
        self._tolerance = 0.0
        self._better = Better.HIGHER
        self._unit = Unit.NUMBER

    def set_points(
        self, points: Sequence[ChartPoint], tolerance: float, better: Better, unit: Unit
    ) -> None:
        self._points = tuple(points)
        self._tolerance, self._better, self._unit = tolerance, better, unit
        self.setAccessibleDescription(
            "; ".join(
                f"{p.label}: actual {format_value(p.actual, unit) or 'none'}, "
                f"target {format_value(p.target, unit) or 'none'}"
                for p in self._points
            )
        )
        self.update()

    def points(self) -> tuple[ChartPoint, ...]:
        return self._points

    def sizeHint(self) -> QSize:
        return QSize(420, 220)

    def _band(self, target: float) -> tuple[float, float]:
        """The tolerance band beside `target`: below it when higher is better."""
        width = abs(target) * self._tolerance / 100
        if self._better is Better.HIGHER:
            return target - width, target
        return target, target + width

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetricsF(self.font())
        points = self._points
        values = [v for p in points for v in (p.target, p.actual) if v is not None]
        values += [edge for p in points if p.target is not None for edge in self._band(p.target)]
        if not values:
            painter.setPen(MUTED)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No figures yet")
            return
        ticks = nice_ticks(*_range(values))
        low, high = ticks[0], ticks[-1]
        labels = [format_value(tick, self._unit) for tick in ticks]
        left = max(metrics.horizontalAdvance(text) for text in labels) + 10
        legend = metrics.height() + 8
        plot = QRectF(left, legend + metrics.height() / 2 + 4, self.width() - left - 16, 0)
        plot.setBottom(self.height() - metrics.height() * 1.6)
        count = len(points)
        step = plot.width() / max(count - 1, 1)

        def x(number: int) -> float:
            return plot.left() + (number * step if count > 1 else plot.width() / 2)

        def y(value: float) -> float:
            return plot.bottom() - (value - low) / (high - low) * plot.height()

        # light gridlines at round values, labelled on the left
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for tick, text in zip(ticks, labels, strict=True):
            painter.setPen(AXIS)
            painter.drawLine(QPointF(plot.left(), y(tick)), QPointF(plot.right(), y(tick)))
            painter.setPen(MUTED)
            painter.drawText(QRectF(0, y(tick) - 10, left - 6, 20), right, text)

        # the tolerance band, a shaded strip along the targets
        with_target = [(n, p.target) for n, p in enumerate(points) if p.target is not None]
        if self._tolerance > 0 and with_target:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(BAND)
            edges = [(x(number), self._band(target)) for number, target in with_target]
            if len(edges) == 1:  # one target: a short strip around its point
                middle, (near, far) = edges[0]
                edges = [(middle - 12, (near, far)), (middle + 12, (near, far))]
            outline = [QPointF(px, y(far)) for px, (_near, far) in edges]
            outline += [QPointF(px, y(near)) for px, (near, _far) in reversed(edges)]
            painter.drawPolygon(outline)
        # the target trajectory, dashed
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(TARGET, 1.5, Qt.PenStyle.DashLine))
        path = QPainterPath()
        for place, (number, target) in enumerate(with_target):
            (path.lineTo if place else path.moveTo)(QPointF(x(number), y(target)))
        painter.drawPath(path)
        # the actuals: a line with a dot at each
        actuals = [(n, p.actual) for n, p in enumerate(points) if p.actual is not None]
        painter.setPen(QPen(ACTUAL, 2.2))
        if len(actuals) > 1:
            painter.drawPolyline([QPointF(x(n), y(v)) for n, v in actuals])
        painter.setBrush(ACTUAL)
        for number, value in actuals:
            painter.drawEllipse(QPointF(x(number), y(value)), 3.2, 3.2)

        # period labels along the bottom, as many as fit
        painter.setPen(MUTED)
        widest = max(metrics.horizontalAdvance(p.label) for p in points) + 12
        every = max(1, int(widest // max(step, 1.0)) + 1) if count > 1 else 1
        for number in range(count - 1, -1, -every):  # the latest period always labelled
            centre = min(max(x(number), widest / 2), self.width() - widest / 2)
            rect = QRectF(centre - widest / 2, plot.bottom() + 4, widest, metrics.height())
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, points[number].label)
        self._draw_legend(painter, metrics)

    def _draw_legend(self, painter: QPainter, metrics: QFontMetricsF) -> None:
        x, middle = 8.0, metrics.height() / 2 + 2
        entries = [
            (QPen(ACTUAL, 2.2), "Actual"),
            (QPen(TARGET, 1.5, Qt.PenStyle.DashLine), "Target"),
            (None, f"Tolerance ({self._tolerance:g}% of target)"),
        ]
        for pen, text in entries:
            if pen is None:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(BAND)
                painter.drawRect(QRectF(x, middle - 6, 22, 12))
            else:
                painter.setPen(pen)
                painter.drawLine(QPointF(x, middle), QPointF(x + 22, middle))
            painter.setPen(TEXT)
            painter.drawText(QPointF(x + 28, middle + metrics.ascent() / 2 - 1), text)
            x += 28 + metrics.horizontalAdvance(text) + 18
