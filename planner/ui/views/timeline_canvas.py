"""The scrolling timeline: one scroll area whose left-hand list and time scale stay put
while the bars scroll under them, with clicks, tooltips and drags on bars and markers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import (
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QToolTip, QWidget

from planner.domain import RagDefinition, Status
from planner.domain.dates import format_uk
from planner.ui.views.timeline_drawing import View
from planner.ui.views.timeline_layout import (
    Hit,
    Marker,
    MarkerState,
    Part,
    Row,
    TimelineLayout,
    drag_days,
    moved_dates,
    with_dates,
    with_marker_due,
)
from planner.ui.views.timeline_paint import TimelinePainter


@dataclass
class Drag:
    hit: Hit
    origin: QPointF  # where the button went down, in the viewport
    days: int = 0
    moving: bool = False  # past the drag distance: no longer a click


class TimelineCanvas(QAbstractScrollArea):
    action_clicked = Signal(int)
    edit_requested = Signal(str, int, dict)  # kind, record id, new values
    zoom_requested = Signal(int, object)  # +1 closer / -1 further, the date to keep in place

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineCanvas")
        self.setAccessibleName("Timeline")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.viewport().setMouseTracking(True)
        self.plan_layout: TimelineLayout | None = None
        self.artist = TimelinePainter(self.font(), {})
        self.current_id: int | None = None
        self.editable = True
        self.empty_text = ""
        self._drag: Drag | None = None
        self._label_width: float | None = None  # set by dragging the list's right edge
        self._resizing = False

    # ----- what is shown ---------------------------------------------------------------

    def set_rags(self, rags: dict[str, RagDefinition]) -> None:
        self.artist = TimelinePainter(self.font(), rags)
        self._update_scrollbars()

    def set_plan_layout(self, layout: TimelineLayout | None, *, keep: date | None = None) -> None:
        """Show `layout`; with `keep`, the date that stays at the middle of the time area."""
        self._drag = None
        self.plan_layout = layout
        self._update_scrollbars()
        if layout is not None and keep is not None:
            self.scroll_to_x(layout.x(keep) - self.time_width() / 2)
        self.viewport().update()

    def set_current(self, action_id: int | None) -> None:
        """Mark the action; a newly picked one is scrolled into view."""
        changed = action_id != self.current_id
        self.current_id = action_id
        self.viewport().update()
        if action_id is not None and changed:
            self.ensure_visible(action_id)

    # ----- coordinates --------------------------------------------------------------

    @property
    def header_height(self) -> float:
        layout = self.plan_layout
        return self.artist.metrics.header_height(layout.zoom) if layout else 0.0

    @property
    def label_width(self) -> float:
        """The list down the left: as wide as the user dragged it, within the view."""
        wanted = self._label_width or self.artist.metrics.label_width
        least = self.artist.metrics.char_width * 12
        return max(least, min(wanted, self.viewport().width() * 0.6))

    def time_width(self) -> float:
        return max(0.0, self.viewport().width() - self.label_width)

    def rows_height(self) -> float:
        return max(0.0, self.viewport().height() - self.header_height)

    def to_layout(self, point: QPointF) -> tuple[float, float]:
        """Viewport point -> (x in the time area, y in the rows)."""
        return (
            point.x() - self.label_width + self.horizontalScrollBar().value(),
            point.y() - self.header_height + self.verticalScrollBar().value(),
        )

    def to_viewport(self, x: float, y: float) -> QPoint:
        """(x in the time area, y in the rows) -> viewport point."""
        return QPoint(
            round(x + self.label_width - self.horizontalScrollBar().value()),
            round(y + self.header_height - self.verticalScrollBar().value()),
        )

    def centre_date(self) -> date | None:
        layout = self.plan_layout
        if layout is None:
            return None
        return layout.scale.date_at(self.horizontalScrollBar().value() + self.time_width() / 2)

    # ----- scrolling ------------------------------------------------------------------

    def _update_scrollbars(self) -> None:
        layout = self.plan_layout
        metrics = self.artist.metrics
        across, down = self.horizontalScrollBar(), self.verticalScrollBar()
        width, height = self.time_width(), self.rows_height()
        across.setRange(0, max(0, math.ceil((layout.width if layout else 0) - width)))
        across.setPageStep(max(1, int(width)))
        across.setSingleStep(max(1, round(metrics.char_width * 4)))
        down.setRange(0, max(0, math.ceil((layout.height if layout else 0) - height)))
        down.setPageStep(max(1, int(height)))
        down.setSingleStep(max(1, round(metrics.row_height)))

    def scroll_to_x(self, x: float) -> None:
        self.horizontalScrollBar().setValue(round(x))

    def ensure_visible(self, action_id: int) -> None:
        """Scroll the action's row, and its bar when off to one side, into view."""
        layout = self.plan_layout
        row = layout.row_of(action_id) if layout else None
        if layout is None or row is None:
            return
        down = self.verticalScrollBar()
        top, height = layout.row_y(row.index), layout.row_height
        if top < down.value():
            down.setValue(round(top - height))  # show the theme header above it too
        elif top + height > down.value() + self.rows_height():
            down.setValue(math.ceil(top + height - self.rows_height()))
        bar = row.bar
        across = self.horizontalScrollBar()
        if bar is not None and (
            bar.x1 < across.value() or bar.x0 > across.value() + self.time_width()
        ):
            across.setValue(round(bar.x0 - self.artist.metrics.char_width * 4))

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_scrollbars()

    # ----- painting ------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        size = self.viewport().size()
        layout = self.plan_layout
        if layout is None:
            painter.fillRect(self.viewport().rect(), Qt.GlobalColor.white)
            return
        view = View(
            size.width(),
            size.height(),
            self.horizontalScrollBar().value(),
            self.verticalScrollBar().value(),
            self.label_width,
        )
        replaced, label = self._drag_preview()
        self.artist.paint(
            painter,
            layout,
            view,
            current_id=self.current_id,
            replaced=replaced,
            empty_text=self.empty_text,
        )
        if label and self._drag is not None:
            anchor = self.to_viewport(*self._anchor_of(replaced))
            self.artist.paint_drag_label(painter, label, QPointF(anchor), size.width())

    def _anchor_of(self, row: Row | None) -> tuple[float, float]:
        layout = self.plan_layout
        if row is None or layout is None or self._drag is None:
            return 0.0, 0.0
        y = layout.row_y(row.index)
        hit = self._drag.hit
        if hit.part is Part.MILESTONE and hit.marker is not None:
            marker = next(m for m in row.markers if m.milestone.id == hit.marker.milestone.id)
            return marker.x, y
        bar = row.bar
        assert bar is not None
        return (bar.x1 if hit.part is Part.DUE else bar.x0), y

    # ----- dragging --------------------------------------------------------------------

    def _drag_preview(self) -> tuple[Row | None, str]:
        """The dragged row as it would be, and the dates to show beside it."""
        drag, layout = self._drag, self.plan_layout
        if drag is None or layout is None or not drag.moving:
            return None, ""
        row, hit = drag.hit.row, drag.hit
        if hit.part is Part.MILESTONE and hit.marker is not None:
            milestone = hit.marker.milestone
            assert milestone.due is not None
            due = milestone.due + timedelta(days=drag.days)
            return with_marker_due(row, milestone.id, due, layout.scale), f"Due {format_uk(due)}"
        if row.bar is None:
            return None, ""
        start, due = moved_dates(row.bar, hit.part, drag.days)
        text = f"{format_uk(start)} – {format_uk(due)}"
        if hit.part is Part.START:
            text = f"Start {format_uk(start)}"
        elif hit.part is Part.DUE:
            text = f"Due {format_uk(due)}"
        return with_dates(row, start, due, layout.scale), text

    def _draggable(self, hit: Hit | None) -> bool:
        if hit is None or not self.editable:
            return False
        if hit.part is Part.MILESTONE:
            return True
        return hit.part in (Part.BAR, Part.START, Part.DUE) and hit.row.bar is not None

    def hit_at(self, point: QPointF) -> Hit | None:
        layout = self.plan_layout
        if layout is None or point.y() < self.header_height:
            return None
        x, y = self.to_layout(point)
        metrics = self.artist.metrics
        if point.x() < self.label_width:
            row = layout.row_at(y)
            return None if row is None or row.action is None else Hit(row, Part.ROW)
        return layout.hit(x, y, metrics.grip, metrics.marker_radius + 2)

    def _on_list_edge(self, point: QPointF) -> bool:
        return abs(point.x() - self.label_width) <= max(3.0, self.artist.metrics.char_width / 2)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        if self._on_list_edge(event.position()):
            self._resizing = True
            return
        hit = self.hit_at(event.position())
        if hit is None:
            return
        self._drag = Drag(hit, event.position())
        if hit.row.action is not None:
            self.action_clicked.emit(hit.row.action.id)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        drag, layout = self._drag, self.plan_layout
        if self._resizing:
            self._label_width = event.position().x()
            self._update_scrollbars()
            self.viewport().update()
            return
        if drag is None or layout is None:
            if self._on_list_edge(event.position()):
                self.viewport().setCursor(Qt.CursorShape.SplitHCursor)
            else:
                self._set_cursor(self.hit_at(event.position()))
            return
        if not self._draggable(drag.hit):
            return
        dx = event.position().x() - drag.origin.x()
        if not drag.moving and abs(dx) < QApplication.startDragDistance():
            return
        drag.moving = True
        drag.days = drag_days(dx, layout.scale.per_day)
        self.viewport().setCursor(
            Qt.CursorShape.ClosedHandCursor
            if drag.hit.part is Part.BAR
            else Qt.CursorShape.SizeHorCursor
        )
        self.viewport().update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._resizing:
            self._resizing = False
            return
        drag = self._drag
        self._drag = None
        self.viewport().update()
        self._set_cursor(self.hit_at(event.position()))
        if drag is None or not drag.moving or drag.days == 0 or not self._draggable(drag.hit):
            return
        row, hit = drag.hit.row, drag.hit
        if hit.part is Part.MILESTONE and hit.marker is not None:
            milestone = hit.marker.milestone
            assert milestone.due is not None
            due = milestone.due + timedelta(days=drag.days)
            self.edit_requested.emit("milestone", milestone.id, {"due": due})
            return
        action, bar = row.action, row.bar
        if action is None or bar is None:
            return
        start, due = moved_dates(bar, hit.part, drag.days)
        values: dict[str, date] = {}
        if hit.part in (Part.BAR, Part.START) and (
            action.start is not None or hit.part is Part.START
        ):
            values["start"] = start
        if hit.part in (Part.BAR, Part.DUE) and (action.due is not None or hit.part is Part.DUE):
            values["due"] = due
        if values:
            self.edit_requested.emit("action", action.id, values)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape and self._drag is not None:
            self._drag = None
            self.viewport().update()
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.plan_layout is not None:
            ids = self.plan_layout.action_ids
            if ids:
                if self.current_id in ids:
                    step = -1 if key == Qt.Key.Key_Up else 1
                    index = max(0, min(len(ids) - 1, ids.index(self.current_id) + step))
                else:
                    index = 0
                self.action_clicked.emit(ids[index])
            return
        super().keyPressEvent(event)

    def _set_cursor(self, hit: Hit | None) -> None:
        cursor = Qt.CursorShape.ArrowCursor
        if self._draggable(hit):
            assert hit is not None
            cursor = (
                Qt.CursorShape.OpenHandCursor
                if hit.part is Part.BAR
                else Qt.CursorShape.SizeHorCursor
            )
        elif hit is not None:
            cursor = Qt.CursorShape.PointingHandCursor
        self.viewport().setCursor(cursor)

    def wheelEvent(self, event: QWheelEvent) -> None:
        layout = self.plan_layout
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier and layout is not None:
            steps = event.angleDelta().y()
            if steps:
                x, _ = self.to_layout(event.position())
                self.zoom_requested.emit(1 if steps > 0 else -1, layout.scale.date_at(x))
            event.accept()
            return
        super().wheelEvent(event)

    # ----- tooltips --------------------------------------------------------------------

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            text = self.tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def tooltip_at(self, point: QPointF) -> str:
        hit = self.hit_at(point)
        if hit is None or hit.row.action is None:
            return ""
        if hit.part is Part.MILESTONE and hit.marker is not None:
            return self._milestone_tip(hit.marker)
        return self._action_tip(hit.row, hit.part)

    def _action_tip(self, row: Row, part: Part) -> str:
        action = row.action
        assert action is not None
        lines = [f"{action.ref} {action.title}"]
        if action.start or action.due:
            lines.append(
                f"Start {format_uk(action.start) or '—'}, due {format_uk(action.due) or '—'}"
            )
        else:
            lines.append("No start or due date yet")
        if action.baseline_due and action.baseline_due != action.due:
            lines.append(f"Baseline due {format_uk(action.baseline_due)} (the due date has moved)")
        definition = self.artist.rags.get(action.rag or "")
        lines.append(
            f"RAG: {definition.name} ({definition.code})" if definition else "RAG: not rated"
        )
        lines.append(f"Status: {Status(action.status).label}, {action.percent}% complete")
        if action.lead_officer:
            lines.append(f"Lead officer: {action.lead_officer}")
        if self.editable and part in (Part.BAR, Part.START, Part.DUE) and row.bar is not None:
            lines.append("Drag to move; drag an end to change the start or due date.")
        return "\n".join(lines)

    def _milestone_tip(self, marker: Marker) -> str:
        milestone = marker.milestone
        lines = [f"Milestone: {milestone.title}", f"Action {milestone.action_ref}"]
        due = f"Due {format_uk(milestone.due)}"
        if marker.state is MarkerState.OVERDUE:
            due += " — overdue"
        lines.append(due)
        if milestone.completed_on:
            lines.append(f"Completed {format_uk(milestone.completed_on)}")
        if milestone.baseline_due and milestone.baseline_due != milestone.due:
            lines.append(f"Baseline due {format_uk(milestone.baseline_due)}")
        if milestone.owner:
            lines.append(f"Owner: {milestone.owner}")
        if self.editable:
            lines.append("Drag to change the due date.")
        return "\n".join(lines)
