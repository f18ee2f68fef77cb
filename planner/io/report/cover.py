"""The cover: title, organisation, position date, the slice, the protective marking,
the RAG position at a glance and the contents with page numbers."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen

from planner.domain.dates import format_long
from planner.io.report.content import ReportContent
from planner.io.report.document import (
    ACCENT,
    BAND,
    INK,
    MUTED,
    RULE,
    UNRATED,
    Layout,
    draw_chip,
    draw_lines,
    font,
    long_date,
    mm,
    pt,
)
from planner.io.report.money import validated_savings_line

SECTION = "Cover"


def cover_lines(content: ReportContent) -> dict[str, str]:
    header = content.header
    period = ""
    if header.period_start and header.period_end:
        period = f"Plan period {long_date(header.period_start)} to {long_date(header.period_end)}"
    return {
        "organisation": header.organisation,
        "title": header.title,
        "position": f"Position at {long_date(header.status_date)}",
        "slice": content.slice_label,
        "period": period,
        "produced": f"Produced {long_date(content.produced_on)}",
    }


def lay_out_cover(layout: Layout, content: ReportContent) -> None:
    page = layout.new_page(SECTION)
    body = layout.body
    metrics = layout.metrics
    lines = cover_lines(content)
    marking = content.marking.upper()
    left_width = body.width() * 0.56
    x = body.left() + mm(8)

    title_font = font(26, bold=True)
    title_lines = metrics.wrap(lines["title"], title_font, left_width - mm(8), 4)
    counts = Counter(action.rag for action in content.actions)
    savings = validated_savings_line(content)
    ratings = [*content.header.rag_definitions]
    if counts.get(None):
        ratings.append(UNRATED)

    def draw(painter: QPainter) -> None:
        # The protective marking, large and boxed, at the top of the cover.
        if marking:
            mark_font = font(16, bold=True)
            box_width = metrics.width(marking, mark_font) + mm(16)
            box = QRectF(body.center().x() - box_width / 2, body.top(), box_width, mm(11))
            painter.setPen(QPen(INK, pt(1.6)))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(box)
            painter.setFont(mark_font)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, marking)

        top = body.top() + mm(24)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(ACCENT)
        painter.drawRect(QRectF(body.left(), top, mm(2.5), mm(92)))
        y = draw_lines(painter, metrics, [lines["organisation"]], font(14), x, top, MUTED)
        y = draw_lines(painter, metrics, title_lines, title_font, x, y + mm(3), ACCENT)
        y = draw_lines(painter, metrics, [lines["position"]], font(17, bold=True), x, y + mm(6))
        if lines["slice"]:
            slice_lines = metrics.wrap(lines["slice"], font(13, bold=True), left_width, 3)
            y = draw_lines(painter, metrics, slice_lines, font(13, bold=True), x, y + mm(3), INK)
        if lines["period"]:
            y = draw_lines(painter, metrics, [lines["period"]], font(11), x, y + mm(4), MUTED)
        draw_lines(painter, metrics, [lines["produced"]], font(11), x, y + mm(1), MUTED)

        # The position at a glance and the contents, on the right.
        panel = QRectF(body.left() + left_width + mm(12), top, 0, 0)
        panel.setRight(body.right())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(BAND)
        panel.setHeight(mm(118))
        painter.drawRoundedRect(panel, mm(2), mm(2))
        inner = panel.adjusted(mm(6), mm(5), -mm(6), -mm(5))
        y = draw_lines(
            painter,
            metrics,
            ["At a glance"],
            font(12, bold=True),
            inner.left(),
            inner.top(),
            ACCENT,
        )
        total = len(content.actions)
        y = draw_lines(
            painter,
            metrics,
            [f"{total} action{'s' if total != 1 else ''}, rated:"],
            font(10),
            inner.left(),
            y + mm(1.5),
        )
        chip_width = mm(9)
        row = metrics.line_height(font(10)) + mm(1.2)
        for definition in ratings:
            count = counts.get(definition.code or None, 0)
            chip = QRectF(inner.left(), y + mm(0.6), chip_width, row - mm(1.2))
            draw_chip(painter, metrics, chip, definition, size=9)
            draw_lines(
                painter,
                metrics,
                [f"{count}  {definition.name}"],
                font(10),
                chip.right() + mm(3),
                y + mm(0.6),
            )
            y += row
        late = len(content.overdue)
        soon = len(content.due_next_quarter)
        y = draw_lines(
            painter,
            metrics,
            [
                f"{late} milestone{'s' if late != 1 else ''} overdue at "
                f"{format_long(content.header.status_date)}",
                f"{soon} milestone{'s' if soon != 1 else ''} due by "
                f"{format_long(content.window.last)} ({content.window.label})",
            ],
            font(10),
            inner.left(),
            y + mm(1.5),
        )
        if savings:
            y = draw_lines(
                painter, metrics, [savings], font(10, bold=True), inner.left(), y + mm(1)
            )
        painter.setPen(QPen(RULE, pt(0.6)))
        painter.drawLine(QPointF(inner.left(), y + mm(3)), QPointF(inner.right(), y + mm(3)))
        y = draw_lines(
            painter, metrics, ["Contents"], font(12, bold=True), inner.left(), y + mm(5), ACCENT
        )
        for title, number in layout.contents:
            if title == SECTION:
                continue
            draw_lines(painter, metrics, [title], font(10), inner.left(), y + mm(1))
            y = draw_lines(
                painter,
                metrics,
                [str(number)],
                font(10, bold=True),
                inner.left(),
                y + mm(1),
                width=inner.width(),
                align=Qt.AlignmentFlag.AlignRight,
            )

    page.add(draw)
