"""The Timeline tab: each action a bar from start to due under its theme, coloured and
lettered by its RAG rating, with its baseline, milestones and the plan's status date,
in months, quarters or years. Dragging a bar or a milestone changes its dates."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from planner.commands import EditRecord
from planner.domain.timescale import Zoom
from planner.queries.lookups import plan_header
from planner.queries.timeline import Timeline, timeline
from planner.ui.views.base import PlanView
from planner.ui.views.timeline_canvas import TimelineCanvas
from planner.ui.views.timeline_drawing import STATUS_LINE, TEXT
from planner.ui.views.timeline_layout import Marker, MarkerState, lay_out
from planner.ui.views.timeline_paint import TimelinePainter

if TYPE_CHECKING:
    from planner.ui.document import PlanDocument

ZOOMS = [Zoom.MONTHS, Zoom.QUARTERS, Zoom.YEARS]


class TimelineView(PlanView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineView")
        self.setAccessibleName("Timeline")
        self.zoom = Zoom.QUARTERS
        self.timeline: Timeline | None = None  # what is shown: the plan, filtered
        self._plan: Timeline | None = None  # the whole plan as last read
        self._changed: set[int] = set()  # actions edited since, to read again
        self._span: list[date] = []  # the first and last date of the whole plan
        self._placed = False  # scrolled to the status date since the plan was opened

        self.zoom_box = QComboBox(self)
        self.zoom_box.setObjectName("timelineZoom")
        self.zoom_box.setAccessibleName("Zoom")
        self.zoom_box.setToolTip("Show the plan by months, quarters or financial years")
        for zoom in ZOOMS:
            self.zoom_box.addItem(zoom.label, zoom)
        self.zoom_box.setCurrentIndex(ZOOMS.index(self.zoom))
        self.zoom_box.currentIndexChanged.connect(self._zoom_picked)
        zoom_label = QLabel("S&how by:", self)
        zoom_label.setBuddy(self.zoom_box)

        self.status_button = QPushButton("Go to &status date", self)
        self.status_button.setObjectName("timelineGoToStatusDate")
        self.status_button.setToolTip("Scroll to the plan's 'as at' date")
        self.status_button.clicked.connect(self.go_to_status_date)

        self.canvas = TimelineCanvas(self)
        self.canvas.action_clicked.connect(self.action_activated)
        self.canvas.edit_requested.connect(self._edit_requested)
        self.canvas.zoom_requested.connect(self._zoom_step)
        self.legend = TimelineLegend(self.canvas, self)

        bar = QHBoxLayout()
        bar.setContentsMargins(8, 6, 8, 6)
        bar.setSpacing(8)
        bar.addWidget(zoom_label)
        bar.addWidget(self.zoom_box)
        bar.addWidget(self.status_button)
        bar.addStretch(1)
        key = QHBoxLayout()
        key.setContentsMargins(8, 4, 8, 4)
        key.addWidget(self.legend)
        key.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(key)

    # ----- reading -------------------------------------------------------------------

    def set_document(self, document: PlanDocument | None) -> None:
        self._placed = False
        self._plan = None
        self._changed.clear()
        super().set_document(document)

    def follow(
        self,
        visible_ids: set[int] | None,
        *,
        plan_changed: bool = False,
        changed_actions: Collection[int] | None = None,
    ) -> None:
        # A new filter alone needs no reading; an edit to a few actions re-reads just those.
        if plan_changed:
            if changed_actions is None or self._plan is None:
                self._plan = None
                self._changed.clear()
            else:
                self._changed.update(changed_actions)
        super().follow(visible_ids, plan_changed=plan_changed)

    def rebuild(self) -> None:
        document = self.document
        if document is None:
            self._plan = self.timeline = None
            self.canvas.set_plan_layout(None)
            return
        if self._plan is not None and self._changed:
            changed, self._changed = sorted(self._changed), set()
            self._plan = self._plan.updated(
                document.read(lambda session, plan_id: timeline(session, plan_id, changed))
            )
            dates = self._plan.dates()
            self._span = [min(dates), max(dates)]
        if self._plan is None:
            self._plan, header = document.read(
                lambda session, plan_id: (timeline(session, plan_id), plan_header(session, plan_id))
            )
            # The scale covers the whole plan, so filtering never shifts the dates across.
            dates = self._plan.dates()
            self._span = [min(dates), max(dates)]
            self.canvas.set_rags({rag.code: rag for rag in header.rag_definitions})
            self.canvas.editable = not document.read_only
        self.timeline = self._plan.only(self.visible_ids)
        self.canvas.empty_text = (
            "No actions match the filter."
            if self.visible_ids is not None
            else "This plan has no actions yet."
        )
        self._lay_out()
        if not self._placed:
            # Open at the status date; the action already selected needs no scrolling to.
            self._placed = True
            self.canvas.current_id = self.current_action_id
            self.go_to_status_date()

    def _lay_out(self, keep: date | None = None) -> None:
        if self.timeline is None:
            return
        metrics = self.canvas.artist.metrics
        across = self.canvas.horizontalScrollBar().value()
        down = self.canvas.verticalScrollBar().value()
        layout = lay_out(
            self.timeline, self.zoom, metrics.char_width, metrics.row_height, self._span
        )
        self.canvas.set_plan_layout(layout, keep=keep)
        if keep is None:
            self.canvas.horizontalScrollBar().setValue(across)
        self.canvas.verticalScrollBar().setValue(down)

    def show_current_action(self) -> None:
        self.canvas.set_current(self.current_action_id)

    # ----- zoom and scrolling --------------------------------------------------------------

    def set_zoom(self, zoom: Zoom) -> None:
        if zoom is not self.zoom:
            self.zoom_box.setCurrentIndex(ZOOMS.index(zoom))  # relays out through _zoom_picked

    def _zoom_picked(self, index: int) -> None:
        zoom = ZOOMS[index]
        if zoom is self.zoom:
            return
        keep = self.canvas.centre_date()
        self.zoom = zoom
        self._lay_out(keep)

    def _zoom_step(self, step: int, anchor: date) -> None:
        index = max(0, min(len(ZOOMS) - 1, ZOOMS.index(self.zoom) - step))
        if ZOOMS[index] is not self.zoom:
            self.zoom = ZOOMS[index]
            self.zoom_box.blockSignals(True)
            self.zoom_box.setCurrentIndex(index)
            self.zoom_box.blockSignals(False)
            self._lay_out(anchor)

    def go_to_status_date(self) -> None:
        """Scroll so the status date sits a third of the way across the time area."""
        layout = self.canvas.plan_layout
        if layout is not None:
            self.canvas.scroll_to_x(layout.status_x - self.canvas.time_width() / 3)

    # ----- changing --------------------------------------------------------------------

    def _edit_requested(self, kind: str, record_id: int, values: dict[str, date]) -> None:
        if self.document is not None and not self.document.read_only:
            self.command_requested.emit(EditRecord(kind, record_id, values))


class TimelineLegend(QWidget):
    """What the marks mean, drawn with the timeline's own painter."""

    ENTRIES = ("Milestone done", "Open", "Overdue", "Original due date", "Status date")

    def __init__(self, canvas: TimelineCanvas, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineLegend")
        self.setAccessibleName("Key: " + ", ".join(self.ENTRIES))
        self._canvas = canvas
        self._painter: TimelinePainter | None = None

    def _artist(self) -> TimelinePainter:
        if self._painter is None or self._painter.font != self.font():
            self._painter = TimelinePainter(self.font(), {})
        return self._painter

    def sizeHint(self) -> QSize:
        artist = self._artist()
        m = artist.metrics
        width = sum(artist.fm.horizontalAdvance(text) for text in self.ENTRIES)
        width += len(self.ENTRIES) * (m.marker_radius * 2 + m.char_width * 4)
        return QSize(round(width), round(m.line_height * 1.4))

    def paintEvent(self, event: QPaintEvent) -> None:
        artist = self._artist()
        m = artist.metrics
        painter = QPainter(self)
        painter.setFont(artist.font)
        centre = self.height() / 2
        x = 0.0
        gap = m.char_width
        states = (MarkerState.DONE, MarkerState.OPEN, MarkerState.OVERDUE)
        for index, text in enumerate(self.ENTRIES):
            swatch = m.marker_radius * 2
            if index < 3:
                milestone: Any = None
                artist.paint_marker(
                    painter, Marker(milestone, x + m.marker_radius, states[index]), centre
                )
            elif index == 3:
                artist.paint_baseline(painter, x, x + swatch, centre + m.bar_height * 0.3)
            else:
                pen = QPen(STATUS_LINE, 2)
                pen.setDashPattern([4, 3])
                painter.setPen(pen)
                painter.drawLine(
                    QPointF(x + swatch / 2, 2), QPointF(x + swatch / 2, self.height() - 2)
                )
            x += swatch + gap / 2
            painter.setPen(TEXT)
            width = artist.fm.horizontalAdvance(text)
            painter.drawText(
                QRectF(x, 0, width + 1, self.height()), Qt.AlignmentFlag.AlignVCenter, text
            )
            x += width + gap * 2
