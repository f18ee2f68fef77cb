"""A table that flows down pages: cells wrapped in full (never cut short), rows as tall as
their longest cell, striped rows, and its heading row repeated at the top of every page
it reaches. A row that does not fit below the last one starts the next page; a row
taller than a whole page is split between pages at a line break."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from planner.domain import RagDefinition
from planner.io.report.document import (
    ACCENT,
    INK,
    MUTED,
    RULE,
    STRIPE,
    WHITE,
    Flow,
    Layout,
    draw_chip,
    draw_lines,
    font,
    mm,
    pt,
)

PAD_X = mm(1.6)
PAD_Y = mm(1.1)


@dataclass(frozen=True)
class Column:
    title: str
    weight: float  # share of the table's width
    bold: bool = False
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft


@dataclass(frozen=True)
class Cell:
    """Text, an optional smaller line under it, and a colour for the main text."""

    text: str
    note: str = ""
    colour: QColor | None = None
    bold: bool = False  # bold whatever the column (a totals row)


Value = str | Cell | RagDefinition


class Table:
    def __init__(
        self,
        layout: Layout,
        columns: Sequence[Column],
        size: float = 8.5,
        width: float | None = None,
    ) -> None:
        """A table across the body, or `width` wide from its left edge."""
        self.layout = layout
        self.columns = list(columns)
        self.size = size
        self.width = min(width, layout.body.width()) if width else layout.body.width()
        total = sum(column.weight for column in self.columns)
        self.widths = [self.width * c.weight / total for c in self.columns]
        self.lefts = [layout.body.left() + sum(self.widths[:i]) for i in range(len(self.widths))]
        self.text_font = font(size)
        self.bold_font = font(size, bold=True)
        self.note_font = font(size - 1.0)
        self.head_font = font(size, bold=True)
        self.chip_height = layout.metrics.line_height(self.bold_font) + mm(0.6)

    def _header_height(self) -> float:
        metrics = self.layout.metrics
        lines = max(
            len(metrics.wrap(c.title, self.head_font, w - 2 * PAD_X, 2))
            for c, w in zip(self.columns, self.widths, strict=True)
        )
        return lines * metrics.line_height(self.head_font) + 2 * PAD_Y

    def _draw_header(self, flow: Flow) -> None:
        metrics = self.layout.metrics
        top = flow.y
        height = self._header_height()
        left = self.layout.body.left()
        width = self.width
        titles = [
            metrics.wrap(c.title, self.head_font, w - 2 * PAD_X, 2)
            for c, w in zip(self.columns, self.widths, strict=True)
        ]

        def draw(painter: QPainter) -> None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(ACCENT)
            painter.drawRect(QRectF(left, top, width, height))
            for column, lines, x, w in zip(
                self.columns, titles, self.lefts, self.widths, strict=True
            ):
                draw_lines(
                    painter,
                    metrics,
                    lines,
                    self.head_font,
                    x + PAD_X,
                    top + PAD_Y,
                    WHITE,
                    width=w - 2 * PAD_X,
                    align=column.align,
                )

        flow.page.add(draw)
        flow.y += height

    def _cell_lines(self, column: Column, width: float, value: Value) -> list[tuple[str, bool]]:
        """(line, is_note) pairs for a text cell."""
        metrics = self.layout.metrics
        if isinstance(value, RagDefinition):
            return []
        cell = value if isinstance(value, Cell) else Cell(value)
        main_font = self.bold_font if column.bold or cell.bold else self.text_font
        lines = [(line, False) for line in metrics.wrap(cell.text, main_font, width)]
        if cell.note:
            lines += [(line, True) for line in metrics.wrap(cell.note, self.note_font, width)]
        return lines

    def _row_height(self, cells: list[list[tuple[str, bool]]], values: Sequence[Value]) -> float:
        tallest = 0.0
        for lines, value in zip(cells, values, strict=True):
            if isinstance(value, RagDefinition):
                tallest = max(tallest, self.chip_height)
                continue
            height = sum(self._line_height(note) for _, note in lines)
            tallest = max(tallest, height)
        return tallest + 2 * PAD_Y

    def flow(
        self, flow: Flow, rows: Sequence[Sequence[Value]], caption: str = "", empty: str = ""
    ) -> None:
        """Lay the rows out from the flow's position, starting pages as needed."""
        metrics = self.layout.metrics
        caption_font = font(11, bold=True)
        caption_height = metrics.line_height(caption_font) + mm(1.5) if caption else 0.0
        header_height = self._header_height()
        prepared = []
        for values in rows:
            cells = [
                self._cell_lines(c, w - 2 * PAD_X, v)
                for c, w, v in zip(self.columns, self.widths, values, strict=True)
            ]
            prepared.append((values, cells, self._row_height(cells, values)))
        first_row = prepared[0][2] if prepared else metrics.line_height(self.text_font) * 2
        flow.reserve(caption_height + header_height + first_row)
        if caption:
            top = flow.y
            left = self.layout.body.left()

            def draw_caption(painter: QPainter) -> None:
                draw_lines(painter, metrics, [caption], caption_font, left, top, ACCENT)

            flow.page.add(draw_caption)
            flow.y += caption_height
        if not prepared:
            top = flow.y
            left = self.layout.body.left()
            text = empty or "None."

            def draw_empty(painter: QPainter) -> None:
                draw_lines(painter, metrics, [text], font(9.5, italic=True), left, top, MUTED)

            flow.page.add(draw_empty)
            flow.y += metrics.line_height(font(9.5)) + mm(4)
            return
        self._draw_header(flow)
        # The room for rows on a page this table continues onto.
        page_room = flow.bottom - flow.continued_top() - caption_height - header_height
        for number, (values, cells, height) in enumerate(prepared):
            while not flow.fits(height):
                room = flow.bottom - flow.y
                if height > page_room and room >= 2 * PAD_Y + self._least_line():
                    # Taller than any page: as many lines as fit here, the rest below.
                    head, cells = self._split(cells, room - 2 * PAD_Y)
                    if any(head):
                        self._draw_row(flow, number, values, head, self._row_height(head, values))
                        values = ["" if isinstance(v, RagDefinition) else v for v in values]
                        height = self._row_height(cells, values)
                flow.next_page()
                if caption:
                    self._continued_caption(flow, caption, caption_font, caption_height)
                self._draw_header(flow)
            self._draw_row(flow, number, values, cells, height)
        flow.y += mm(5)

    def _least_line(self) -> float:
        metrics = self.layout.metrics
        return max(metrics.line_height(self.text_font), self.chip_height)

    def _line_height(self, note: bool) -> float:
        return self.layout.metrics.line_height(self.note_font if note else self.text_font)

    def _split(
        self, cells: list[list[tuple[str, bool]]], room: float
    ) -> tuple[list[list[tuple[str, bool]]], list[list[tuple[str, bool]]]]:
        """Each cell's lines cut where the next would pass `room`: (the part that fits,
        the rest)."""
        head: list[list[tuple[str, bool]]] = []
        rest: list[list[tuple[str, bool]]] = []
        for lines in cells:
            used = 0.0
            count = 0
            for _, note in lines:
                used += self._line_height(note)
                if used > room:
                    break
                count += 1
            head.append(lines[:count])
            rest.append(lines[count:])
        return head, rest

    def _continued_caption(
        self, flow: Flow, caption: str, caption_font: object, height: float
    ) -> None:
        metrics = self.layout.metrics
        top = flow.y
        left = self.layout.body.left()
        chosen = font(11, bold=True)

        def draw(painter: QPainter) -> None:
            draw_lines(painter, metrics, [f"{caption} (continued)"], chosen, left, top, ACCENT)

        flow.page.add(draw)
        flow.y += height

    def _draw_row(
        self,
        flow: Flow,
        number: int,
        values: Sequence[Value],
        cells: list[list[tuple[str, bool]]],
        height: float,
    ) -> None:
        metrics = self.layout.metrics
        top = flow.y
        left = self.layout.body.left()
        width = self.width

        def draw(painter: QPainter) -> None:
            if number % 2:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(STRIPE)
                painter.drawRect(QRectF(left, top, width, height))
            painter.setPen(QPen(RULE, pt(0.4)))
            painter.drawLine(QPointF(left, top + height), QPointF(left + width, top + height))
            for column, lines, value, x, w in zip(
                self.columns, cells, values, self.lefts, self.widths, strict=True
            ):
                if isinstance(value, RagDefinition):
                    chip_width = min(w - 2 * PAD_X, mm(11))
                    rect = QRectF(x + PAD_X, top + PAD_Y, chip_width, self.chip_height)
                    draw_chip(painter, metrics, rect, value, size=self.size)
                    continue
                colour = value.colour if isinstance(value, Cell) and value.colour else INK
                y = top + PAD_Y
                bold = column.bold or (isinstance(value, Cell) and value.bold)
                main_font = self.bold_font if bold else self.text_font
                for line, note in lines:
                    chosen = self.note_font if note else main_font
                    y = draw_lines(
                        painter,
                        metrics,
                        [line],
                        chosen,
                        x + PAD_X,
                        y,
                        MUTED if note else colour,
                        width=w - 2 * PAD_X,
                        align=column.align,
                    )

        flow.page.add(draw)
        flow.y += height
