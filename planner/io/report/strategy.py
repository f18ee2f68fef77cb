"""Strategy on a page: what the plan is for (its outcomes, each with its measures'
status) above every theme with its actions as RAG chips, flowing on to more pages when
needed, and a legend of the plan's RAG definitions on each page."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from planner.domain import RagDefinition
from planner.io.report.content import ReportContent
from planner.io.report.document import (
    ACCENT,
    BAND,
    INK,
    UNRATED,
    Layout,
    Metrics,
    Page,
    draw_chip,
    draw_lines,
    font,
    heading_height,
    mm,
    pt,
    rag_letter,
    readable_text_on,
    section_heading,
)
from planner.io.report.purpose_content import NO_OUTCOME, OutcomeBlock
from planner.queries import ActionRow

SECTION = "Strategy on a page"
THEME_WIDTH = mm(58)
GAP = mm(1.8)
FULL_PAGES = 2  # beyond this, chips drop their titles to keep the picture short
OUTCOMES_PER_ROW = 4
OUTCOMES_LABEL = "What the plan is for"


@dataclass(frozen=True)
class ChipSize:
    width: float
    height: float
    titled: bool
    title_size: float = 7.0  # points, of the action's title
    ref_size: float = 8.5  # points, of its ref and rating


# Tried in turn: the first whose chips fit one page, else the first that fits FULL_PAGES.
SIZES = (
    ChipSize(mm(33), mm(13.5), True),
    ChipSize(mm(28), mm(11.5), True),
    ChipSize(mm(28), mm(10.0), True, title_size=6.5, ref_size=8.0),
)
THEME_SPACING = mm(0.6)  # between one theme's block and the next
COMPACT = ChipSize(mm(17), mm(6.2), False)


def _rating(content: ReportContent, action: ActionRow) -> RagDefinition:
    return content.rag(action.rag) or UNRATED


def draw_action_chip(
    painter: QPainter,
    metrics: Metrics,
    rect: QRectF,
    definition: RagDefinition,
    action: ActionRow,
    size: ChipSize,
) -> None:
    label = f"{action.ref}  {rag_letter(definition)}"
    if not size.titled:
        draw_chip(painter, metrics, rect, definition, label, size=7.5)
        return
    draw_chip(painter, metrics, rect, definition, "", size=8)
    ink = QColor(readable_text_on(QColor(definition.colour or UNRATED.colour).name()))
    inner = rect.adjusted(mm(1.6), mm(1.0), -mm(1.6), -mm(0.8))
    head = font(size.ref_size, bold=True)
    y = draw_lines(painter, metrics, [action.ref], head, inner.left(), inner.top(), ink)
    draw_lines(
        painter,
        metrics,
        [rag_letter(definition)],
        head,
        inner.left(),
        inner.top(),
        ink,
        width=inner.width(),
        align=Qt.AlignmentFlag.AlignRight,
    )
    small = font(size.title_size)
    title = metrics.wrap(action.title, small, inner.width())
    draw_lines(painter, metrics, title, small, inner.left(), y, ink)


def _legend_height(layout: Layout, definitions: list[RagDefinition], width: float) -> float:
    metrics = layout.metrics
    lines = max((len(metrics.wrap(d.meaning, font(7.5), width)) for d in definitions), default=0)
    return (
        metrics.line_height(font(9, bold=True)) * 2 + metrics.line_height(font(7.5)) * lines + mm(4)
    )


def _draw_legend(
    layout: Layout, page: Page, definitions: list[RagDefinition], top: float, width: float
) -> None:
    metrics = layout.metrics
    body = layout.body

    def draw(painter: QPainter) -> None:
        painter.setPen(QPen(QColor("#AEB6BF"), pt(0.6)))
        painter.drawLine(QPointF(body.left(), top), QPointF(body.right(), top))
        y = draw_lines(
            painter,
            metrics,
            ["RAG ratings"],
            font(9, bold=True),
            body.left(),
            top + mm(1.5),
            ACCENT,
        )
        for number, definition in enumerate(definitions):
            x = body.left() + number * (width + mm(5))
            chip = QRectF(x, y + mm(0.3), mm(7), metrics.line_height(font(9, bold=True)))
            draw_chip(painter, metrics, chip, definition, size=8.5)
            draw_lines(
                painter, metrics, [definition.name], font(9, bold=True), chip.right() + mm(2), y
            )
            meaning = metrics.wrap(definition.meaning, font(7.5), width)
            draw_lines(painter, metrics, meaning, font(7.5), x, chip.bottom() + mm(0.8))

    page.add(draw)


def _outcome_rows(outcomes: list[OutcomeBlock]) -> list[list[OutcomeBlock]]:
    return [outcomes[i : i + OUTCOMES_PER_ROW] for i in range(0, len(outcomes), OUTCOMES_PER_ROW)]


def _outcome_box_width(chips_width: float, count: int) -> float:
    per_row = min(count, OUTCOMES_PER_ROW)
    return (chips_width - GAP * (per_row - 1)) / max(per_row, 1)


def _outcome_height(layout: Layout, outcome: OutcomeBlock, width: float) -> float:
    metrics = layout.metrics
    title = metrics.wrap(outcome.title, font(8, bold=True), width - mm(3.2))
    return (
        mm(1.2)
        + len(title) * metrics.line_height(font(8, bold=True))
        + mm(0.6)
        + metrics.line_height(font(7, bold=True))
        + mm(1.2)
    )


def _outcomes_height(layout: Layout, outcomes: list[OutcomeBlock], chips_width: float) -> float:
    """The height of the outcomes' band, with the gap below it; nothing without outcomes."""
    if not outcomes:
        return 0.0
    width = _outcome_box_width(chips_width, len(outcomes))
    rows = _outcome_rows(outcomes)
    return sum(max(_outcome_height(layout, o, width) for o in row) + GAP for row in rows) + mm(1.5)


def _draw_outcomes(
    layout: Layout, page: Page, content: ReportContent, outcomes: list[OutcomeBlock], top: float
) -> float:
    """The plan's outcomes in a band of boxes, each with a chip per measure in the RAG
    colour of its latest status; returns the y below the band."""
    metrics = layout.metrics
    body = layout.body
    chips_left = body.left() + THEME_WIDTH + GAP
    chips_width = body.right() - chips_left
    width = _outcome_box_width(chips_width, len(outcomes))
    height = _outcomes_height(layout, outcomes, chips_width)
    rows = _outcome_rows(outcomes)
    heights = [max(_outcome_height(layout, o, width) for o in row) for row in rows]

    def draw(painter: QPainter) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(ACCENT)
        band = QRectF(body.left(), top, THEME_WIDTH, height - mm(1.5) - GAP)
        painter.drawRoundedRect(band, mm(1.2), mm(1.2))
        label = metrics.wrap(OUTCOMES_LABEL, font(9.5, bold=True), THEME_WIDTH - mm(4))
        below = draw_lines(
            painter,
            metrics,
            label,
            font(9.5, bold=True),
            body.left() + mm(2),
            top + mm(1.5),
            QColor("#FFFFFF"),
        )
        note = metrics.wrap(
            "Outcomes, with a chip for each measure's latest status", font(7), THEME_WIDTH - mm(4)
        )
        draw_lines(painter, metrics, note, font(7), body.left() + mm(2), below, QColor("#FFFFFF"))
        y = top
        for row, row_height in zip(rows, heights, strict=True):
            x = chips_left
            for outcome in row:
                _draw_outcome(painter, layout, content, outcome, QRectF(x, y, width, row_height))
                x += width + GAP
            y += row_height + GAP

    page.add(draw)
    return top + height


def _draw_outcome(
    painter: QPainter, layout: Layout, content: ReportContent, outcome: OutcomeBlock, box: QRectF
) -> None:
    metrics = layout.metrics
    painter.setPen(QPen(ACCENT, pt(0.8)))
    painter.setBrush(QColor("#FFFFFF"))
    painter.drawRoundedRect(box, mm(1.2), mm(1.2))
    inner = box.adjusted(mm(1.6), mm(1.2), -mm(1.6), -mm(1.0))
    title = metrics.wrap(outcome.title, font(8, bold=True), inner.width())
    y = draw_lines(painter, metrics, title, font(8, bold=True), inner.left(), inner.top(), INK)
    y += mm(0.6)
    chip_height = metrics.line_height(font(7, bold=True))
    x = inner.left()
    for measure in outcome.measures:
        letter = measure.status.rag if measure.status is not None else ""
        definition = content.rag(letter) if letter else None
        rect = QRectF(x, y, mm(5), chip_height)
        if rect.right() > inner.right():
            break
        draw_chip(painter, metrics, rect, definition or UNRATED, size=6.5)
        x += mm(5) + mm(1)
    served = ", ".join(str(number) for number in outcome.themes)
    if served:
        text = f"Theme{'s' if len(outcome.themes) > 1 else ''} {served}"
        draw_lines(
            painter,
            metrics,
            [metrics.elided(text, font(7), inner.right() - x - mm(1))],
            font(7),
            x + mm(1),
            y,
            INK,
            width=inner.right() - x - mm(1),
            align=Qt.AlignmentFlag.AlignRight,
        )


def lay_out_strategy(layout: Layout, content: ReportContent) -> None:
    metrics = layout.metrics
    body = layout.body
    definitions = list(content.header.rag_definitions)
    if any(content.rag(action.rag) is None for action in content.actions):
        definitions.append(UNRATED)
    columns = max(len(definitions), 1)
    legend_width = (body.width() - mm(5) * (columns - 1)) / columns
    legend_height = _legend_height(layout, definitions, legend_width)
    legend_top = body.bottom() - legend_height
    themes = [theme for theme in content.timeline.themes if theme.actions]
    chips_left = body.left() + THEME_WIDTH + GAP
    chips_width = body.right() - chips_left
    subtitle = (
        f"Every action by theme, with its RAG rating at "
        f"{content.header.status_date.strftime('%d/%m/%Y')}."
    )

    def per_row_of(size: ChipSize) -> int:
        return max(int((chips_width + GAP) // (size.width + GAP)), 1)

    def chunks_of(actions: list[ActionRow], per_row: int) -> list[list[ActionRow]]:
        return [actions[i : i + per_row] for i in range(0, len(actions), per_row)]

    def row_height(size: ChipSize, row: list[ActionRow]) -> float:
        """The chips' height in one row: as tall as its longest title needs in full."""
        if not size.titled:
            return size.height
        inner = size.width - 2 * mm(1.6)
        small = font(size.title_size)
        lines = max((len(metrics.wrap(a.title, small, inner)) for a in row), default=1)
        needed = (
            mm(1.0)
            + metrics.line_height(font(size.ref_size, bold=True))
            + lines * metrics.line_height(small)
            + mm(0.8)
        )
        return max(size.height, needed)

    def rows_needed(size: ChipSize, per_row: int, measured: bool = True) -> float:
        return sum(
            sum(
                (row_height(size, row) if measured else size.height) + GAP
                for row in chunks_of(t.actions, per_row)
            )
            + GAP
            + THEME_SPACING
            for t in themes
        )

    def fitted(size: ChipSize, per_row: int) -> ChipSize:
        """Stretched to fill the row."""
        width = (chips_width - GAP * (per_row - 1)) / per_row
        return ChipSize(width, size.height, size.titled, size.title_size, size.ref_size)

    # measures of no outcome are left to the Outcomes section
    outcomes = [o for o in content.purpose.outcomes if o.title != NO_OUTCOME]
    usable = (
        legend_top
        - body.top()
        - heading_height(layout, 1)
        - mm(2)
        - _outcomes_height(layout, outcomes, chips_width)
    )
    most = max((len(t.actions) for t in themes), default=1)
    size, per_row = fitted(COMPACT, per_row_of(COMPACT)), per_row_of(COMPACT)
    chosen = False
    for pages in (1, FULL_PAGES):
        for candidate in SIZES:
            # No more chips to a row than the fullest theme has (at least four): wider
            # chips take their titles in fewer lines.
            count = min(per_row_of(candidate), max(most, 4))
            if rows_needed(candidate, count, measured=False) > usable * pages:
                continue  # too tall even before the titles are measured
            grown = fitted(candidate, count)
            if rows_needed(grown, count) <= usable * pages:
                size, per_row, chosen = grown, count, True
                break
        if chosen:
            break
    label_font = font(9.5, bold=True)

    page = layout.new_page(SECTION)
    y = page_top = section_heading(layout, page, SECTION, subtitle)
    _draw_legend(layout, page, definitions, legend_top, legend_width)
    if outcomes:
        y = _draw_outcomes(layout, page, content, outcomes, y)
    bottom = legend_top - mm(2)
    if not themes:
        page.add(
            lambda painter: draw_lines(
                painter, metrics, ["There are no actions to show."], font(10), body.left(), y
            )
        )
        return

    for theme in themes:
        actions = theme.actions
        chunks = chunks_of(actions, per_row)
        heights = [row_height(size, row) for row in chunks]
        done = 0
        continued = False
        while done < len(chunks):
            label = f"{theme.number}. {theme.title}" + (" (continued)" if continued else "")
            label_lines = metrics.wrap(label, label_font, THEME_WIDTH - mm(4))
            label_height = len(label_lines) * metrics.line_height(label_font) + mm(3)
            room = bottom - y
            fitting, used = 0, GAP
            while done + fitting < len(chunks) and used + heights[done + fitting] + GAP <= room:
                used += heights[done + fitting] + GAP
                fitting += 1
            needed = len(chunks) - done
            at_top = y <= page_top
            if not at_top and (fitting < 1 or (fitting < needed and used < label_height)):
                page = layout.new_page(SECTION)
                y = page_top = section_heading(layout, page, f"{SECTION} (continued)")
                _draw_legend(layout, page, definitions, legend_top, legend_width)
                continue
            fitting = max(fitting, 1)
            taken = chunks[done : done + min(fitting, needed)]
            tall = heights[done : done + len(taken)]
            block = max(sum(tall) + GAP * len(taken) + GAP, label_height)
            _draw_block(layout, page, content, y, block, label_lines, taken, tall, size)
            y += block + THEME_SPACING
            done += len(taken)
            continued = True


def _draw_block(
    layout: Layout,
    page: Page,
    content: ReportContent,
    top: float,
    height: float,
    label_lines: list[str],
    rows: list[list[ActionRow]],
    heights: list[float],
    size: ChipSize,
) -> None:
    metrics = layout.metrics
    body = layout.body
    chips_left = body.left() + THEME_WIDTH + GAP

    def draw(painter: QPainter) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(BAND)
        painter.drawRoundedRect(QRectF(body.left(), top, THEME_WIDTH, height), mm(1.2), mm(1.2))
        draw_lines(
            painter,
            metrics,
            label_lines,
            font(9.5, bold=True),
            body.left() + mm(2),
            top + mm(1.5),
            INK,
        )
        painter.setPen(QPen(BAND.darker(110), pt(0.5)))
        line_y = top + height + mm(0.75)
        painter.drawLine(QPointF(chips_left, line_y), QPointF(body.right(), line_y))
        y = top + GAP
        for row, chip_height in zip(rows, heights, strict=True):
            x = chips_left
            for action in row:
                rect = QRectF(x, y, size.width, chip_height)
                draw_action_chip(painter, metrics, rect, _rating(content, action), action, size)
                x += size.width + GAP
            y += chip_height + GAP

    page.add(draw)
