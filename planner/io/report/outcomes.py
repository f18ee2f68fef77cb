"""Outcomes: each outcome the plan serves with its measures: the latest period, value and
target, the status in words and RAG colour, the direction of travel, and a small chart of
the actuals against the target line. Left out when the plan has no outcomes or measures."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

from planner.domain import DEFAULT_RAG_DEFINITIONS, RagDefinition
from planner.domain.measures import format_value
from planner.io.report.content import ReportContent
from planner.io.report.document import (
    ACCENT,
    BAND,
    INK,
    MUTED,
    RULE,
    UNRATED,
    Flow,
    Layout,
    Metrics,
    draw_chip,
    draw_lines,
    font,
    mm,
    pt,
)
from planner.io.report.exceptions import TRAVEL
from planner.io.report.purpose_content import OutcomeBlock
from planner.queries.purpose import MeasurePoint, MeasureRow

SECTION = "Outcomes"
# Column titles and widths (mm); the chart takes what is left of the body's width.
COLUMNS = (
    ("Measure", 86.0),
    ("Latest period", 24.0),
    ("Latest value", 24.0),
    ("Target", 22.0),
    ("Status", 33.0),
    ("Travel", 24.0),
)
CHART_TITLE = "Trend: actual against target (dashed)"
PAD = mm(1.6)
CHART_HEIGHT = mm(14)
NAME_FONT = (9.0, True)
NOTE_SIZE = 7.5
CELL_SIZE = 9.0


def _status_definition(content: ReportContent, row: MeasureRow) -> RagDefinition:
    if row.status is None:
        return RagDefinition("", "No figures yet", UNRATED.colour, "")
    code = row.status.rag
    found = content.rag(code) or next(d for d in DEFAULT_RAG_DEFINITIONS if d.code == code)
    return RagDefinition(code, row.status.label, found.colour, "")


def _measure_note(row: MeasureRow) -> str:
    parts = [row.frequency.label, row.better.label.lower()]
    if row.source:
        parts.append(f"figures from {row.source}")
    if row.action_ref:
        parts.append(f"action {row.action_ref}")
    return " · ".join(parts)


@dataclass(frozen=True)
class _Geometry:
    lefts: tuple[float, ...]
    widths: tuple[float, ...]
    chart_left: float
    chart_width: float


def _geometry(layout: Layout) -> _Geometry:
    body = layout.body
    widths = tuple(mm(w) for _, w in COLUMNS)
    lefts = tuple(body.left() + sum(widths[:i]) for i in range(len(widths)))
    chart_left = lefts[-1] + widths[-1]
    return _Geometry(lefts, widths, chart_left, body.right() - chart_left)


def draw_sparkline(
    painter: QPainter,
    metrics: Metrics,
    rect: QRectF,
    series: tuple[MeasurePoint, ...],
    colour: QColor,
) -> None:
    """The actuals as a solid line against the targets as a dashed one, the latest
    actual as a dot in its status colour, the first and last periods named under it."""
    small = font(6.5)
    label_height = metrics.line_height(small)
    area = rect.adjusted(mm(1.5), mm(1), -mm(1.5), -label_height)
    values = [v for p in series for v in (p.target, p.actual) if v is not None]
    if not values:
        draw_lines(
            painter, metrics, ["No figures yet"], font(8, italic=True), rect.left(), rect.top()
        )
        return
    low, high = min(values), max(values)
    spread = (high - low) or abs(high) or 1.0
    low, high = low - spread * 0.12, high + spread * 0.12
    count = len(series)

    def at(index: int, value: float) -> QPointF:
        x = area.left() + (area.width() * index / (count - 1) if count > 1 else area.width() / 2)
        y = area.bottom() - (value - low) / (high - low) * area.height()
        return QPointF(x, y)

    painter.setPen(QPen(RULE, pt(0.4)))
    painter.drawLine(QPointF(area.left(), area.bottom()), QPointF(area.right(), area.bottom()))

    def line(points: list[QPointF], pen: QPen) -> None:
        if len(points) < 2:
            return
        path = QPainterPath(points[0])
        for point in points[1:]:
            path.lineTo(point)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)

    dashed = QPen(MUTED, pt(0.9))
    dashed.setStyle(Qt.PenStyle.DashLine)
    line([at(i, p.target) for i, p in enumerate(series) if p.target is not None], dashed)
    actuals = [at(i, p.actual) for i, p in enumerate(series) if p.actual is not None]
    line(actuals, QPen(ACCENT, pt(1.4)))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(ACCENT)
    for point in actuals[:-1]:
        painter.drawEllipse(point, mm(0.45), mm(0.45))
    if actuals:
        painter.setPen(QPen(INK, pt(0.6)))
        painter.setBrush(colour)
        painter.drawEllipse(actuals[-1], mm(1.0), mm(1.0))
    first, last = series[0].period.label, series[-1].period.label
    draw_lines(painter, metrics, [first], small, area.left(), area.bottom() + pt(0.5), MUTED)
    draw_lines(
        painter,
        metrics,
        [last],
        small,
        area.left(),
        area.bottom() + pt(0.5),
        MUTED,
        width=area.width(),
        align=Qt.AlignmentFlag.AlignRight,
    )


class _OutcomeTable:
    def __init__(self, layout: Layout, content: ReportContent) -> None:
        self.layout = layout
        self.content = content
        self.metrics = layout.metrics
        self.geometry = _geometry(layout)

    def band_lines(self, block: OutcomeBlock) -> tuple[list[str], list[str]]:
        width = self.layout.body.width() - 2 * PAD
        title = self.metrics.wrap(block.title, font(11, bold=True), width * 0.7, 2)
        serving = []
        if block.themes:
            serving.append(
                "Theme"
                + ("s " if len(block.themes) > 1 else " ")
                + ", ".join(str(number) for number in block.themes)
            )
        if block.actions:
            serving.append("actions " + ", ".join(block.actions))
        detail = block.description.strip()
        if serving:
            detail = f"{detail} Served by " if detail else "Served by "
            detail += "; ".join(serving) + "."
        return title, self.metrics.wrap(detail, font(8), width, 2) if detail else []

    def band_height(self, block: OutcomeBlock) -> float:
        title, detail = self.band_lines(block)
        return (
            len(title) * self.metrics.line_height(font(11, bold=True))
            + len(detail) * self.metrics.line_height(font(8))
            + 2 * PAD
        )

    def header_height(self) -> float:
        return self.metrics.line_height(font(7.5, bold=True)) + 2 * mm(0.8)

    def row_lines(self, row: MeasureRow) -> tuple[list[str], list[str]]:
        width = self.geometry.widths[0] - 2 * PAD
        name = self.metrics.wrap(row.name, font(*NAME_FONT), width)
        return name, self.metrics.wrap(_measure_note(row), font(NOTE_SIZE), width)

    def row_height(self, row: MeasureRow) -> float:
        name, note = self.row_lines(row)
        text = len(name) * self.metrics.line_height(font(*NAME_FONT)) + len(note) * (
            self.metrics.line_height(font(NOTE_SIZE))
        )
        return max(text, CHART_HEIGHT) + 2 * PAD

    def draw_band(self, flow: Flow, block: OutcomeBlock, continued: bool) -> None:
        """The outcome's band, and the measures' column titles when it has measures."""
        title, detail = self.band_lines(block)
        if continued:
            title = [f"{title[0]} (continued)", *title[1:]]
            detail = []
        height = (
            len(title) * self.metrics.line_height(font(11, bold=True))
            + len(detail) * self.metrics.line_height(font(8))
            + 2 * PAD
        )
        top = flow.y
        body = self.layout.body
        metrics = self.metrics

        def draw(painter: QPainter) -> None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(BAND)
            painter.drawRoundedRect(QRectF(body.left(), top, body.width(), height), mm(1), mm(1))
            painter.setBrush(ACCENT)
            painter.drawRect(QRectF(body.left(), top, mm(1.2), height))
            y = draw_lines(
                painter, metrics, title, font(11, bold=True), body.left() + PAD, top + PAD, ACCENT
            )
            draw_lines(painter, metrics, detail, font(8), body.left() + PAD, y, MUTED)

        flow.page.add(draw)
        flow.y += height
        if block.measures:
            self.draw_header(flow)

    def draw_header(self, flow: Flow) -> None:
        top = flow.y
        height = self.header_height()
        geometry = self.geometry
        body = self.layout.body
        metrics = self.metrics
        head = font(7.5, bold=True)

        def draw(painter: QPainter) -> None:
            for (title, _), left in zip(COLUMNS, geometry.lefts, strict=True):
                draw_lines(painter, metrics, [title], head, left + PAD, top + mm(0.8), MUTED)
            draw_lines(
                painter,
                metrics,
                [CHART_TITLE],
                head,
                geometry.chart_left + PAD,
                top + mm(0.8),
                MUTED,
            )
            painter.setPen(QPen(RULE, pt(0.6)))
            painter.drawLine(
                QPointF(body.left(), top + height), QPointF(body.right(), top + height)
            )

        flow.page.add(draw)
        flow.y += height

    def draw_row(self, flow: Flow, row: MeasureRow) -> None:
        top = flow.y
        height = self.row_height(row)
        name, note = self.row_lines(row)
        geometry = self.geometry
        body = self.layout.body
        metrics = self.metrics
        definition = _status_definition(self.content, row)
        travel, travel_colour = TRAVEL.get(row.travel or "", ("\u2013", MUTED))
        cells = [
            row.latest.label if row.latest else "\u2013",
            format_value(row.actual, row.unit) or "\u2013",
            format_value(row.target, row.unit) or "no target",
        ]

        def draw(painter: QPainter) -> None:
            left = geometry.lefts[0] + PAD
            y = draw_lines(painter, metrics, name, font(*NAME_FONT), left, top + PAD)
            draw_lines(painter, metrics, note, font(NOTE_SIZE), left, y, MUTED)
            for index, text in enumerate(cells, start=1):
                bold = index == 2
                chosen = font(CELL_SIZE, bold=bold)
                draw_lines(painter, metrics, [text], chosen, geometry.lefts[index] + PAD, top + PAD)
            chip = QRectF(
                geometry.lefts[4] + PAD,
                top + PAD,
                geometry.widths[4] - 2 * PAD,
                metrics.line_height(font(8.5, bold=True)) + mm(1),
            )
            draw_chip(painter, metrics, chip, definition, definition.name, size=8.5)
            draw_lines(
                painter,
                metrics,
                [travel],
                font(CELL_SIZE, bold=True),
                geometry.lefts[5] + PAD,
                top + PAD,
                travel_colour,
            )
            chart = QRectF(
                geometry.chart_left + PAD, top + PAD, geometry.chart_width - PAD, height - 2 * PAD
            )
            draw_sparkline(painter, metrics, chart, row.series, QColor(definition.colour))
            painter.setPen(QPen(RULE, pt(0.4)))
            painter.drawLine(
                QPointF(body.left(), top + height), QPointF(body.right(), top + height)
            )

        flow.page.add(draw)
        flow.y += height


def lay_out_outcomes(layout: Layout, content: ReportContent) -> None:
    purpose = content.purpose
    if not purpose.outcomes:
        return
    tolerance = f"{purpose.measure_tolerance:g}%"
    subtitle = (
        "Each outcome the plan serves, with its measures at their latest period: on target, "
        f"within tolerance (short of target by no more than {tolerance} of it) or off target; "
        "travel compares the latest actual with the one before it."
    )
    if purpose.sliced:
        subtitle += " Only outcomes the reported actions or their themes serve are shown."
    flow = Flow(layout, SECTION, subtitle)
    table = _OutcomeTable(layout, content)
    for block in purpose.outcomes:
        first = table.row_height(block.measures[0]) if block.measures else mm(8)
        flow.reserve(table.band_height(block) + table.header_height() + first)
        table.draw_band(flow, block, continued=False)
        if not block.measures:
            top = flow.y
            left = layout.body.left() + PAD
            metrics = layout.metrics

            def none_yet(
                painter: QPainter, top: float = top, left: float = left, metrics: Metrics = metrics
            ) -> None:
                draw_lines(
                    painter,
                    metrics,
                    ["No measures have been set for this outcome yet."],
                    font(9, italic=True),
                    left,
                    top + PAD,
                    MUTED,
                )

            flow.page.add(none_yet)
            flow.y += metrics.line_height(font(9)) + 2 * PAD
        for row in block.measures:
            if not flow.fits(table.row_height(row)):
                flow.next_page()
                table.draw_band(flow, block, continued=True)
            table.draw_row(flow, row)
        flow.y += mm(4)
