"""The timeline: actions as bars from start to due in their RAG colour, grouped by theme,
with milestones as diamonds, the status date and moved baselines, on a financial-year
scale across as many pages as it needs.

Across: the whole span is scaled to the page width, with financial years, quarters and
months marked, as long as it is at most YEARS_PER_PAGE financial years (a five-year plan
gives about 4 mm a month, enough for bars and milestones to read). A longer span is cut
into equal parts of whole financial years, each part on its own pages with the same rows.
Down: as many rows as fit, with the theme's name repeated at the top of each page. An
action's title wraps in the label column, its row growing by a line for each line more,
with the bar and milestones level with the first line."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF

from planner.domain import RagDefinition
from planner.domain.dates import format_long, format_uk
from planner.domain.timescale import TimeScale, action_span
from planner.io.report.content import ReportContent
from planner.io.report.document import (
    ACCENT,
    BAND,
    INK,
    MUTED,
    RULE,
    STRIPE,
    UNRATED,
    WHITE,
    Layout,
    Metrics,
    Page,
    draw_chip,
    draw_lines,
    font,
    mm,
    pt,
    rag_letter,
    readable_text_on,
    section_heading,
)
from planner.queries import ActionRow, MilestoneRow
from planner.queries.timeline import TimelineTheme

SECTION = "Timeline"
YEARS_PER_PAGE = 6
LABEL_WIDTH = mm(70)
ROW = mm(5.2)
SCALE_ROW = mm(4.4)
STATUS = QColor("#C0392B")
LATE = QColor("#C0392B")
BASELINE = QColor("#7F8C8D")
YEAR_SHADE = QColor("#F7F9FA")


TITLE_SIZE = 8.0
REF_WIDTH = mm(9)


@dataclass(frozen=True)
class Row:
    theme: TimelineTheme
    action: ActionRow | None  # None: the theme's own heading row
    continued: bool = False
    title: tuple[str, ...] = ()  # the action's title, wrapped to the label column
    height: float = ROW


def title_width() -> float:
    """The width the action's title wraps to, beside its ref in the label column."""
    return LABEL_WIDTH + mm(2) - REF_WIDTH - mm(4)


def time_parts(dates: list[date], width: float) -> list[TimeScale]:
    """One scale per horizontal part: whole financial years, at most YEARS_PER_PAGE each,
    each filling `width`."""
    whole = TimeScale.covering(dates, 1.0)
    years = whole.end.year - whole.first.year
    parts = max(math.ceil(years / YEARS_PER_PAGE), 1)
    per_part = math.ceil(years / parts)
    scales = []
    for number in range(parts):
        first = date(whole.first.year + number * per_part, 4, 1)
        end = min(date(first.year + per_part, 4, 1), whole.end)
        if first >= end:
            break
        scales.append(TimeScale(first, end, width / (end - first).days))
    return scales


def _rows(metrics: Metrics, themes: list[TimelineTheme]) -> list[Row]:
    chosen = font(TITLE_SIZE)
    width = title_width()
    line = metrics.line_height(chosen)
    rows: list[Row] = []
    for theme in themes:
        if not theme.actions:
            continue
        rows.append(Row(theme, None))
        for action in theme.actions:
            title = tuple(metrics.wrap(action.title, chosen, width)) or ("",)
            rows.append(Row(theme, action, title=title, height=ROW + line * (len(title) - 1)))
    return rows


def _pages_of(rows: list[Row], room: float) -> list[list[Row]]:
    """Rows cut into pages of at most `room` high (a row taller than that has a page to
    itself); a page that starts inside a theme starts with its name (continued), and no
    page ends on a theme's name alone."""
    pages: list[list[Row]] = []
    current: list[Row] = []
    used = 0.0
    for row in rows:
        if current and (
            used + row.height > room + 0.5
            or (row.action is None and used + row.height + ROW > room + 0.5)
        ):
            pages.append(current)
            current, used = [], 0.0
        if not current and row.action is not None:
            current.append(Row(row.theme, None, continued=True))
            used += ROW
        current.append(row)
        used += row.height
    if current:
        pages.append(current)
    return pages


def lay_out_timeline(layout: Layout, content: ReportContent) -> None:
    body = layout.body
    chart_left = body.left() + LABEL_WIDTH + mm(2)
    chart_width = body.right() - chart_left
    scales = time_parts(content.timeline.dates(), chart_width)
    heading = section_heading(layout, Page(SECTION), SECTION, "subtitle")
    rows_top = heading + SCALE_ROW * 3
    legend = legend_height(layout.metrics, content, body.width())
    room = max(body.bottom() - legend - rows_top, ROW * 3)
    pages = _pages_of(_rows(layout.metrics, content.timeline.themes), room)
    if not pages:
        page = layout.new_page(SECTION)
        top = section_heading(layout, page, SECTION)
        page.add(
            lambda painter: draw_lines(
                painter,
                layout.metrics,
                ["There are no actions to show."],
                font(10),
                body.left(),
                top,
            )
        )
        return
    for number, rows in enumerate(pages):
        for part, scale in enumerate(scales):
            span = f"{scales[0].years()[0].label} to {scales[-1].years()[-1].label}"
            subtitle = f"{span}, as at {format_long(content.header.status_date)}."
            if len(scales) > 1:
                years = f"{scale.years()[0].label} to {scale.years()[-1].label}"
                subtitle = f"{years} (part {part + 1} of {len(scales)} across), {subtitle}"
            title = SECTION if number == 0 and part == 0 else f"{SECTION} (continued)"
            page = layout.new_page(SECTION)
            section_heading(layout, page, title, subtitle)
            _draw_page(layout, page, content, rows, scale, heading, chart_left)


def _draw_page(
    layout: Layout,
    page: Page,
    content: ReportContent,
    rows: list[Row],
    scale: TimeScale,
    top: float,
    chart_left: float,
) -> None:
    metrics = layout.metrics
    body = layout.body
    legend_top = body.bottom() - legend_height(metrics, content, body.width()) + LEGEND_ABOVE
    status = content.header.status_date
    rows_top = top + SCALE_ROW * 3
    rows_bottom = rows_top + sum(row.height for row in rows)
    tops = [rows_top + sum(row.height for row in rows[:index]) for index in range(len(rows))]

    def x_of(value: date) -> float:
        return chart_left + scale.x(value)

    def draw(painter: QPainter) -> None:
        _draw_scale(painter, metrics, scale, chart_left, top, rows_bottom)
        for index, row in enumerate(rows):
            y = tops[index]
            if row.action is None:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(BAND)
                painter.drawRect(QRectF(body.left(), y, body.width(), ROW))
                label = f"{row.theme.number}. {row.theme.title}"
                if row.continued:
                    label += " (continued)"
                chosen = font(8.5, bold=True)
                draw_lines(
                    painter,
                    metrics,
                    [metrics.elided(label, chosen, body.width() - mm(4))],
                    chosen,
                    body.left() + mm(1.5),
                    y + (ROW - metrics.line_height(chosen)) / 2,
                    ACCENT,
                )
                continue
            if index % 2 == 0:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(STRIPE)
                painter.drawRect(QRectF(body.left(), y, body.width(), row.height))
            _draw_label(painter, metrics, row, body.left(), y)
            definition = content.rag(row.action.rag) or UNRATED
            original = content.original_due(row.action)
            _draw_bar(painter, metrics, scale, x_of, row.action, definition, original, y)
            milestones = content.timeline.milestones.get(row.action.id, [])
            for milestone in milestones:
                moved_from = content.milestone_original_due(milestone)
                if moved_from and scale.first <= moved_from < scale.end:
                    centre = QPointF(x_of(moved_from) + scale.per_day / 2, y + ROW / 2 - mm(0.35))
                    painter.setPen(QPen(BASELINE, pt(0.8)))
                    painter.setBrush(WHITE)
                    painter.drawPolygon(diamond(centre, mm(2.0)))
            for milestone in milestones:
                _draw_milestone(painter, metrics, scale, x_of, milestone, y)
        # The status date across the scale and every row.
        if scale.first <= status < scale.end:
            x = x_of(status + timedelta(days=1))
            pen = QPen(STATUS, pt(1.1))
            pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(x, top + SCALE_ROW * 2), QPointF(x, rows_bottom))
        _draw_legend(painter, metrics, content, body.left(), legend_top, body.width())

    page.add(draw)


def _draw_scale(
    painter: QPainter,
    metrics: Metrics,
    scale: TimeScale,
    left: float,
    top: float,
    bottom: float,
) -> None:
    """Financial years, quarters and months as three rows of labelled bands, with the
    years shaded in turn and quarter lines down through the rows."""
    months = scale.months()
    month_width = scale.per_day * 30.4
    rows = [
        (scale.years(), font(8.5, bold=True), "label", RULE.darker(130)),
        (scale.quarters(), font(7.5), "short_label" if month_width * 3 < mm(14) else "label", RULE),
        (months, font(6.5), "short_label" if month_width < mm(9) else "label", None),
    ]
    for number, band in enumerate(scale.years()):
        if number % 2:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(YEAR_SHADE)
            x1, x2 = left + scale.x(band.first), left + scale.x(band.end)
            painter.drawRect(QRectF(x1, top, x2 - x1, bottom - top))
    for index, (bands, chosen, attribute, line_colour) in enumerate(rows):
        y = top + index * SCALE_ROW
        for band in bands:
            x1, x2 = left + scale.x(band.first), left + scale.x(band.end)
            text = getattr(band, attribute)
            if month_width < mm(1.6) and bands is months:
                text = ""
            painter.setFont(chosen)
            painter.setPen(INK if index < 2 else MUTED)
            rect = QRectF(x1, y, x2 - x1, SCALE_ROW)
            painter.drawText(
                rect, Qt.AlignmentFlag.AlignCenter, metrics.elided(text, chosen, rect.width())
            )
            if line_colour is not None:
                painter.setPen(QPen(line_colour, pt(0.5 if index else 0.9)))
                painter.drawLine(QPointF(x1, y), QPointF(x1, bottom))
        painter.setPen(QPen(RULE, pt(0.4)))
        painter.drawLine(QPointF(left, y + SCALE_ROW), QPointF(left + scale.width, y + SCALE_ROW))
    painter.setPen(QPen(RULE.darker(130), pt(0.9)))
    painter.drawLine(QPointF(left + scale.width, top), QPointF(left + scale.width, bottom))


def _draw_label(painter: QPainter, metrics: Metrics, row: Row, left: float, y: float) -> None:
    assert row.action is not None
    ref_font = font(TITLE_SIZE, bold=True)
    title_font = font(TITLE_SIZE)
    first = y + (ROW - metrics.line_height(title_font)) / 2
    draw_lines(painter, metrics, [row.action.ref], ref_font, left + mm(1.5), first)
    draw_lines(painter, metrics, list(row.title), title_font, left + mm(1.5) + REF_WIDTH, first)


def _draw_bar(
    painter: QPainter,
    metrics: Metrics,
    scale: TimeScale,
    x_of: Callable[[date], float],
    action: ActionRow,
    definition: RagDefinition,
    original: date | None,
    y: float,
) -> None:
    span = action_span(action.start, action.due)
    if span is None:
        return
    start, due = span
    bar_height = ROW * 0.62
    bar_top = y + (ROW - bar_height) / 2 - mm(0.35)
    low, high = scale.first, scale.end
    # The original due date, where the action was re-baselined.
    if original is not None:
        base_end = max(original + timedelta(days=1), start)
        b1 = x_of(max(start, low))
        b2 = x_of(min(base_end, high))
        if b2 > b1:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(BASELINE)
            painter.drawRect(QRectF(b1, bar_top + bar_height + mm(0.25), b2 - b1, mm(0.7)))
        if low <= original < high:
            painter.setPen(QPen(BASELINE, pt(1)))
            bx = x_of(original + timedelta(days=1))
            painter.drawLine(QPointF(bx, bar_top), QPointF(bx, bar_top + bar_height + mm(0.95)))
    if due < low or start >= high:
        return
    x1 = x_of(max(start, low))
    x2 = x_of(min(due + timedelta(days=1), high))
    x2 = max(x2, x1 + mm(1.2))
    fill = QColor(definition.colour or UNRATED.colour)
    rect = QRectF(x1, bar_top, x2 - x1, bar_height)
    painter.setPen(QPen(fill.darker(130), pt(0.5)))
    painter.setBrush(fill)
    painter.drawRoundedRect(rect, mm(0.6), mm(0.6))
    letter = rag_letter(definition)
    chosen = font(7, bold=True)
    width = metrics.width(letter, chosen)
    painter.setFont(chosen)
    if rect.width() >= width + mm(1.6):
        painter.setPen(QColor(readable_text_on(fill.name())))
        painter.drawText(
            QRectF(rect.left() + mm(0.8), rect.top(), width + mm(1), rect.height()),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            letter,
        )
    else:
        painter.setPen(INK)
        painter.drawText(
            QRectF(rect.right() + mm(0.6), rect.top(), width + mm(1), rect.height()),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            letter,
        )


def diamond(centre: QPointF, size: float) -> QPolygonF:
    half = size / 2
    return QPolygonF(
        [
            QPointF(centre.x(), centre.y() - half),
            QPointF(centre.x() + half, centre.y()),
            QPointF(centre.x(), centre.y() + half),
            QPointF(centre.x() - half, centre.y()),
        ]
    )


def draw_diamond(painter: QPainter, centre: QPointF, completed: bool, overdue: bool) -> None:
    """Filled when completed, hollow when open, red-edged with a red mark when overdue."""
    size = mm(2.9)
    if overdue:
        painter.setPen(QPen(LATE, pt(1.3)))
        painter.setBrush(WHITE)
        painter.drawPolygon(diamond(centre, size))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(LATE)
        painter.drawPolygon(diamond(centre, size * 0.38))
        return
    painter.setPen(QPen(INK, pt(0.9)))
    painter.setBrush(INK if completed else WHITE)
    painter.drawPolygon(diamond(centre, size))


def _draw_milestone(
    painter: QPainter,
    metrics: Metrics,
    scale: TimeScale,
    x_of: Callable[[date], float],
    milestone: MilestoneRow,
    y: float,
) -> None:
    if milestone.due is None or not scale.first <= milestone.due < scale.end:
        return
    centre = QPointF(x_of(milestone.due) + scale.per_day / 2, y + ROW / 2 - mm(0.35))
    draw_diamond(painter, centre, milestone.completed_on is not None, milestone.overdue)


LegendItem = tuple[float, Callable[[QPainter, float, float], None]]  # width, draw at x, top


def _legend_items(metrics: Metrics, content: ReportContent) -> list[LegendItem]:
    """The legend's entries, each a sign with its words, kept together on one line."""
    small = font(7.5)
    height = metrics.line_height(small)
    items: list[LegendItem] = []

    def text(words: str) -> LegendItem:
        def draw(painter: QPainter, x: float, top: float) -> None:
            draw_lines(painter, metrics, [words], small, x, top, MUTED)

        return metrics.width(words, small), draw

    def signed(
        sign_width: float, sign: Callable[[QPainter, float, float], None], words: str
    ) -> LegendItem:
        width, write = text(words)

        def draw(painter: QPainter, x: float, top: float) -> None:
            sign(painter, x, top)
            write(painter, x + sign_width, top)

        return sign_width + width, draw

    items.append(text("Bars run from start to due in the RAG colour:"))
    definitions = list(content.header.rag_definitions)
    if any(content.rag(action.rag) is None for action in content.actions):
        definitions.append(UNRATED)
    for definition in definitions:

        def chip(
            painter: QPainter, x: float, top: float, chosen: RagDefinition = definition
        ) -> None:
            draw_chip(painter, metrics, QRectF(x, top, mm(5), height), chosen, size=7)

        items.append(signed(mm(6), chip, definition.name))
    for completed, overdue, words in (
        (True, False, "milestone completed"),
        (False, False, "due"),
        (False, True, "overdue"),
    ):

        def sign(
            painter: QPainter, x: float, top: float, done: bool = completed, late: bool = overdue
        ) -> None:
            draw_diamond(painter, QPointF(x + mm(1.5), top + height / 2), done, late)

        items.append(signed(mm(4), sign, words))

    def moved(painter: QPainter, x: float, top: float) -> None:
        centre_y = top + height / 2
        painter.setPen(QPen(BASELINE, pt(1)))
        painter.setBrush(BASELINE)
        painter.drawRect(QRectF(x, centre_y, mm(6), mm(0.7)))
        painter.setPen(QPen(BASELINE, pt(0.8)))
        painter.setBrush(WHITE)
        painter.drawPolygon(diamond(QPointF(x + mm(7.5), centre_y), mm(2.0)))

    items.append(signed(mm(9.5), moved, "original date where re-baselined"))

    def status(painter: QPainter, x: float, top: float) -> None:
        pen = QPen(STATUS, pt(1.1))
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(QPointF(x + mm(1), top), QPointF(x + mm(1), top + height))

    items.append(signed(mm(3), status, f"status date {format_uk(content.header.status_date)}"))
    return items


LEGEND_GAP = mm(4)  # between entries on a line
LEGEND_ABOVE = mm(2)  # between the last row and the legend


def _legend_lines(items: list[LegendItem], width: float) -> list[list[LegendItem]]:
    """The entries in lines no wider than `width`."""
    lines: list[list[LegendItem]] = [[]]
    used = 0.0
    for item in items:
        if lines[-1] and used + LEGEND_GAP + item[0] > width:
            lines.append([])
            used = 0.0
        used += (LEGEND_GAP if lines[-1] else 0.0) + item[0]
        lines[-1].append(item)
    return lines


def legend_height(metrics: Metrics, content: ReportContent, width: float) -> float:
    """The band the legend takes at the foot of each timeline page."""
    lines = len(_legend_lines(_legend_items(metrics, content), width))
    return LEGEND_ABOVE + lines * metrics.line_height(font(7.5)) + (lines - 1) * mm(1) + mm(1.3)


def _draw_legend(
    painter: QPainter,
    metrics: Metrics,
    content: ReportContent,
    left: float,
    top: float,
    width: float,
) -> None:
    step = metrics.line_height(font(7.5)) + mm(1)
    for line in _legend_lines(_legend_items(metrics, content), width):
        x = left
        for item_width, draw in line:
            draw(painter, x, top)
            x += item_width + LEGEND_GAP
        top += step
