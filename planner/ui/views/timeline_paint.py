"""Painting the timeline from its layout: the time scale across the top, themes and
actions down the left, bars, baselines, milestones and the status date in between.
Only the rows in view are painted, so a plan of thousands of actions paints as quickly
as a small one."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF

from planner.domain import RagDefinition
from planner.domain.dates import format_long
from planner.domain.timescale import Band, Zoom
from planner.ui.views.timeline_drawing import (
    BACKGROUND,
    BASELINE,
    CURRENT_ACCENT,
    CURRENT_BACKGROUND,
    HEADER_BACKGROUND,
    HEADER_TEXT,
    MILESTONE_DONE,
    MILESTONE_OVERDUE,
    MONTH_LINE,
    MUTED_TEXT,
    QUARTER_LINE,
    RULE,
    STATUS_LINE,
    TEXT,
    THEME_BACKGROUND,
    UNRATED,
    YEAR_LINE,
    CachedDrawing,
    View,
    band_rows,
)
from planner.ui.views.timeline_layout import Marker, MarkerState, Row, TimelineLayout


def _bands(layout: TimelineLayout, name: str) -> list[Band]:
    return layout.bands(name)


class TimelinePainter(CachedDrawing):
    """Paints a timeline layout, or the part of it in view, with the plan's RAG colours."""

    def __init__(self, font: QFont, rags: dict[str, RagDefinition]) -> None:
        super().__init__(font)
        self.rags = rags

    def paint(
        self,
        painter: QPainter,
        layout: TimelineLayout,
        view: View,
        *,
        current_id: int | None = None,
        replaced: Row | None = None,
        empty_text: str = "",
    ) -> None:
        m = self.metrics
        header = m.header_height(layout.zoom)
        painter.fillRect(QRectF(0, 0, view.width, view.height), BACKGROUND)
        time_area = QRectF(
            view.label_width, header, view.width - view.label_width, view.height - header
        )
        rows = layout.rows_between(view.y_offset, view.y_offset + time_area.height())

        painter.save()
        painter.setClipRect(time_area)
        painter.translate(view.label_width - view.x_offset, header - view.y_offset)
        left, right = view.x_offset, view.x_offset + time_area.width()
        self._row_backgrounds(painter, layout, rows, left, right, current_id)
        self._grid(painter, layout, left, right, view.y_offset, view.y_offset + time_area.height())
        for index in rows:
            row = (
                replaced if replaced is not None and replaced.index == index else layout.rows[index]
            )
            self._action(painter, layout, row, current_id, left, right)
        self._status_line(painter, layout, view.y_offset, view.y_offset + time_area.height())
        painter.restore()

        painter.save()
        painter.setClipRect(QRectF(0, header, view.label_width, view.height - header))
        painter.translate(0, header - view.y_offset)
        self._labels(painter, layout, rows, current_id, view.label_width)
        painter.restore()

        # Theme titles run across the whole width and stay put while the bars scroll.
        painter.save()
        painter.setClipRect(QRectF(0, header, view.width, view.height - header))
        painter.translate(0, header - view.y_offset)
        self._theme_titles(painter, layout, rows, view.width)
        painter.restore()

        painter.save()
        painter.setClipRect(QRectF(view.label_width, 0, view.width - view.label_width, header))
        painter.translate(view.label_width - view.x_offset, 0)
        self._scale(painter, layout, left, right)
        painter.restore()

        self._corner(painter, header, view.label_width)
        painter.setPen(QPen(RULE, 1))
        painter.drawLine(QPointF(view.label_width, 0), QPointF(view.label_width, view.height))
        painter.drawLine(QPointF(0, header), QPointF(view.width, header))
        if empty_text and not layout.rows:
            painter.setFont(self.font)
            painter.setPen(MUTED_TEXT)
            painter.drawText(time_area, Qt.AlignmentFlag.AlignCenter, empty_text)

    # ----- the time area ---------------------------------------------------------------

    def _row_backgrounds(
        self,
        painter: QPainter,
        layout: TimelineLayout,
        rows: range,
        left: float,
        right: float,
        current_id: int | None,
    ) -> None:
        h = layout.row_height
        for index in rows:
            row = layout.rows[index]
            y = layout.row_y(index)
            if row.is_theme:
                painter.fillRect(QRectF(left, y, right - left, h), THEME_BACKGROUND)
            elif row.action is not None and row.action.id == current_id:
                painter.fillRect(QRectF(left, y, right - left, h), CURRENT_BACKGROUND)

    def _grid(
        self,
        painter: QPainter,
        layout: TimelineLayout,
        left: float,
        right: float,
        top: float,
        bottom: float,
    ) -> None:
        lines: list[tuple[str, QColor]] = [("quarters", QUARTER_LINE), ("years", YEAR_LINE)]
        if layout.zoom is Zoom.MONTHS:
            lines.insert(0, ("months", MONTH_LINE))
        for name, colour in lines:
            painter.setPen(QPen(colour, 1))
            for band in _bands(layout, name):
                x = round(layout.x(band.first)) + 0.5
                if left - 1 <= x <= right + 1:
                    painter.drawLine(QPointF(x, top), QPointF(x, bottom))

    def _action(
        self,
        painter: QPainter,
        layout: TimelineLayout,
        row: Row,
        current_id: int | None,
        left: float,
        right: float,
    ) -> None:
        action, bar = row.action, row.bar
        if action is None:
            return
        m = self.metrics
        y = layout.row_y(row.index)
        centre = y + layout.row_height / 2
        if bar is not None and bar.x1 >= left and bar.x0 <= right:
            top = centre - m.bar_height / 2
            rect = QRectF(bar.x0, top, max(bar.width, 2.0), m.bar_height)
            definition = self.rags.get(action.rag or "")
            fill = QColor(definition.colour) if definition else UNRATED
            if bar.baseline_x is not None:
                gap = max(3.0, m.bar_height * 0.25)
                self.paint_baseline(painter, bar.x0, bar.baseline_x, top + m.bar_height + gap)
            painter.setPen(QPen(fill.darker(135), 1))
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, 3, 3)
            if action.id == current_id:
                painter.setPen(QPen(CURRENT_ACCENT, 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(rect.adjusted(-2, -2, 2, 2), 4, 4)
            if definition is not None:
                self._rag_letter(painter, rect, definition.code, fill, left, row.markers)
        for marker in row.markers:
            if left - m.marker_radius <= marker.x <= right + m.marker_radius:
                self.paint_marker(painter, marker, centre)

    def paint_baseline(self, painter: QPainter, x0: float, x1: float, y: float) -> None:
        """The original plan: a line from the start to the baseline due date, with an
        upright stroke at that date."""
        m = self.metrics
        pen = QPen(BASELINE, max(2.0, round(m.bar_height * 0.16)))
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        painter.drawLine(QPointF(x0, y), QPointF(x1, y))
        rise = m.bar_height * 0.6
        painter.drawLine(QPointF(x1, y - rise), QPointF(x1, y + pen.widthF() / 2))

    def _rag_letter(
        self,
        painter: QPainter,
        rect: QRectF,
        code: str,
        fill: QColor,
        left: float,
        markers: tuple[Marker, ...],
    ) -> None:
        """The RAG code on the bar, near its visible left end, clear of the milestone
        markers, when it fits."""
        pad = self.metrics.char_width * 0.6
        r = self.metrics.marker_radius
        width = self.width_of(code, bold=True)
        x = max(rect.left(), left) + pad
        for marker in sorted(markers, key=lambda found: found.x):
            if marker.x + r + 1 < x:
                continue
            if marker.x - r - 1 > x + width:
                break
            x = marker.x + r + pad / 2
        if x + width > rect.right() - pad:
            return
        painter.setPen(self.text_on(fill))
        self.text(painter, x, rect.top(), rect.height(), code, bold=True)

    def paint_marker(self, painter: QPainter, marker: Marker, centre: float) -> None:
        r = self.metrics.marker_radius
        size = 2 * r + 4  # the diamond and its halo
        sprite = self.sprite(
            painter,
            ("marker", marker.state, r),
            size,
            size,
            lambda inner: self._diamond(inner, marker.state, size / 2, size / 2),
        )
        if sprite is not None:
            painter.drawPixmap(QPointF(marker.x - size / 2, centre - size / 2), sprite)
        else:
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self._diamond(painter, marker.state, marker.x, centre)
            painter.restore()

    def _diamond(self, painter: QPainter, state: MarkerState, x: float, centre: float) -> None:
        r = self.metrics.marker_radius
        diamond = QPolygonF(
            [
                QPointF(x, centre - r),
                QPointF(x + r, centre),
                QPointF(x, centre + r),
                QPointF(x - r, centre),
            ]
        )
        # A white halo keeps the marker apart from the bar under it.
        painter.setPen(QPen(BACKGROUND, 3))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPolygon(diamond)
        if state is MarkerState.DONE:
            painter.setPen(QPen(MILESTONE_DONE, 1.5))
            painter.setBrush(MILESTONE_DONE)
            painter.drawPolygon(diamond)
        elif state is MarkerState.OPEN:
            painter.setPen(QPen(MILESTONE_DONE, 1.5))
            painter.setBrush(BACKGROUND)
            painter.drawPolygon(diamond)
        else:
            painter.setPen(QPen(MILESTONE_OVERDUE.darker(120), 1.5))
            painter.setBrush(MILESTONE_OVERDUE)
            painter.drawPolygon(diamond)
            mark = QPen(BACKGROUND, max(1.5, r * 0.22))
            mark.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(mark)
            painter.drawLine(QPointF(x, centre - r * 0.5), QPointF(x, centre + r * 0.1))
            painter.drawPoint(QPointF(x, centre + r * 0.42))

    def _status_line(
        self, painter: QPainter, layout: TimelineLayout, top: float, bottom: float
    ) -> None:
        x = round(layout.status_x) + 0.5
        pen = QPen(STATUS_LINE, 2)
        pen.setDashPattern([4, 3])
        painter.setPen(pen)
        painter.drawLine(QPointF(x, top), QPointF(x, bottom))

    # ----- the list down the left ---------------------------------------------------

    def _labels(
        self,
        painter: QPainter,
        layout: TimelineLayout,
        rows: range,
        current_id: int | None,
        label_width: float,
    ) -> None:
        m = self.metrics
        h = layout.row_height
        pad = m.char_width
        ref_width = self.bold_fm.horizontalAdvance("00.00")
        chip_width = self.bold_fm.horizontalAdvance("W") + pad
        chip_height = min(h - 4, m.line_height + 2)
        for index in rows:
            row = layout.rows[index]
            y = layout.row_y(index)
            if row.action is None:
                painter.fillRect(QRectF(0, y, label_width, h), THEME_BACKGROUND)
                continue
            action = row.action
            if action.id == current_id:
                painter.fillRect(QRectF(0, y, label_width, h), CURRENT_BACKGROUND)
                painter.fillRect(QRectF(0, y, 3, h), CURRENT_ACCENT)
            x = pad
            painter.setPen(TEXT)
            self.text(painter, x, y, h, action.ref, bold=True)
            x += ref_width + pad / 2
            self._rag_chip(
                painter, action.rag, QRectF(x, y + (h - chip_height) / 2, chip_width, chip_height)
            )
            x += chip_width + pad
            painter.setPen(TEXT)
            room = max(0.0, label_width - x - pad)
            self.text(painter, x, y, h, self.elided(action.title, room))
            painter.setPen(QPen(MONTH_LINE, 1))
            painter.drawLine(QPointF(0, y + h - 0.5), QPointF(label_width, y + h - 0.5))

    def _rag_chip(self, painter: QPainter, code: str | None, rect: QRectF) -> None:
        """The RAG letter on its colour, or a grey dash when not rated."""
        definition = self.rags.get(code or "")
        fill = QColor(definition.colour) if definition else UNRATED
        letter = definition.code if definition else "–"

        def draw(target: QPainter, box: QRectF) -> None:
            target.setPen(Qt.PenStyle.NoPen)
            target.setBrush(fill)
            target.drawRoundedRect(box, 3, 3)
            target.setFont(self.bold)
            target.setPen(self.text_on(fill))
            target.drawText(box, Qt.AlignmentFlag.AlignCenter, letter)

        key = ("chip", letter, fill.name(), rect.width(), rect.height())
        local = QRectF(0, 0, rect.width(), rect.height())
        sprite = self.sprite(painter, key, rect.width(), rect.height(), lambda p: draw(p, local))
        if sprite is not None:
            painter.drawPixmap(rect.topLeft(), sprite)
        else:
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            draw(painter, rect)
            painter.restore()

    def _theme_titles(
        self, painter: QPainter, layout: TimelineLayout, rows: range, width: float
    ) -> None:
        pad = self.metrics.char_width
        painter.setFont(self.bold)
        painter.setPen(HEADER_TEXT)
        for index in rows:
            row = layout.rows[index]
            if row.action is not None:
                continue
            y = layout.row_y(index)
            text = self.bold_fm.elidedText(
                f"{row.theme.number}. {row.theme.title}",
                Qt.TextElideMode.ElideRight,
                width - 2 * pad,
            )
            box = QRectF(
                pad / 2, y + 1, self.bold_fm.horizontalAdvance(text) + pad, layout.row_height - 2
            )
            painter.fillRect(box, THEME_BACKGROUND)  # the status line and grid pass behind
            painter.drawText(
                QRectF(pad, y, width - 2 * pad, layout.row_height),
                Qt.AlignmentFlag.AlignVCenter,
                text,
            )

    # ----- the time scale across the top ----------------------------------------------

    def _scale(self, painter: QPainter, layout: TimelineLayout, left: float, right: float) -> None:
        m = self.metrics
        names = band_rows(layout.zoom)
        painter.fillRect(
            QRectF(left, 0, right - left, m.band_height * len(names)), HEADER_BACKGROUND
        )
        pad = m.char_width * 0.5
        for level, name in enumerate(names):
            top = level * m.band_height
            for band in _bands(layout, name):
                x0, x1 = layout.x(band.first), layout.x(band.end)
                if x1 < left or x0 > right:
                    continue
                painter.setPen(QPen(RULE, 1))
                painter.drawLine(
                    QPointF(round(x0) + 0.5, top), QPointF(round(x0) + 0.5, top + m.band_height)
                )
                room = min(x1, right) - max(x0, left) - 2 * pad  # the part in sight
                # 'Jan 2014', 'Jan', 'J': the longest that fits.
                fitting = [
                    text
                    for text in (band.label, band.label.split()[0], band.short_label)
                    if self.width_of(text, bold=name == "years") <= room
                ]
                if not fitting:
                    continue
                text = fitting[0]
                text_width = self.width_of(text, bold=name == "years")
                if name == "years" or (name == "quarters" and layout.zoom is Zoom.MONTHS):
                    x = x0 + pad
                else:
                    x = x0 + (x1 - x0 - text_width) / 2  # short bands: centred
                # A band partly scrolled off keeps its label in sight while it fits.
                x = max(x, min(left + pad, x1 - pad - text_width))
                painter.setPen(HEADER_TEXT)
                self.text(painter, x, top, m.band_height, text, bold=name == "years")
            painter.setPen(QPen(RULE, 1))
            bottom = top + m.band_height - 0.5
            painter.drawLine(QPointF(left, bottom), QPointF(right, bottom))
        self._status_tag(painter, layout, len(names) * m.band_height, left, right)

    def _status_tag(
        self, painter: QPainter, layout: TimelineLayout, header: float, left: float, right: float
    ) -> None:
        """'As at 31 Dec 2013' on the status line, in the bottom row of the scale, kept
        whole in sight while the line is."""
        m = self.metrics
        text = f"As at {format_long(layout.status_date)}"
        width = self.bold_fm.horizontalAdvance(text) + m.char_width * 1.2
        height = m.band_height - 4
        x = layout.status_x
        if not left <= x <= right:
            return
        x = max(left + width / 2 + 1, min(x, right - width / 2 - 1))
        rect = QRectF(x - width / 2, header - m.band_height + 2, width, height)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(STATUS_LINE)
        painter.drawRoundedRect(rect, 3, 3)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setFont(self.bold)
        painter.setPen(BACKGROUND)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def _corner(self, painter: QPainter, header: float, label_width: float) -> None:
        m = self.metrics
        painter.fillRect(QRectF(0, 0, label_width, header), HEADER_BACKGROUND)
        painter.setFont(self.bold)
        painter.setPen(HEADER_TEXT)
        painter.drawText(
            QRectF(m.char_width, header - m.band_height, label_width, m.band_height),
            Qt.AlignmentFlag.AlignVCenter,
            "Theme and action",
        )

    # ----- while dragging ---------------------------------------------------------------

    def paint_drag_label(self, painter: QPainter, text: str, anchor: QPointF, width: float) -> None:
        """The dates a drag would set, in a box beside the pointer."""
        m = self.metrics
        box_w = self.fm.horizontalAdvance(text) + 2 * m.char_width
        box_h = m.line_height * 1.5
        x = min(anchor.x() + m.char_width * 2, width - box_w - 2)
        rect = QRectF(max(2.0, x), anchor.y() - box_h - m.char_width, box_w, box_h)
        path = QPainterPath()
        path.addRoundedRect(rect, 4, 4)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.fillPath(path, QColor("#2C3E50"))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setFont(self.font)
        painter.setPen(BACKGROUND)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
