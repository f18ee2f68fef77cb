"""The report's pages before they are painted: A4 landscape geometry, fonts and colours,
text wrapping, RAG chips, and the running header and footer every page carries.

Sections lay themselves out as pages of drawing steps first, so the page count is
known ("Page 3 of 12") before anything is painted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPaintDevice, QPainter, QPen

from planner import APP_NAME
from planner.domain import RagDefinition
from planner.domain.colours import readable_text_on as _readable_text_on

Draw = Callable[[QPainter], object]

DPI = 300  # device units per inch; all geometry below is in device units
PAGE_WIDTH_MM = 297.0  # A4 landscape
PAGE_HEIGHT_MM = 210.0
MARGIN_MM = 13.0
HEADER_MM = 11.0  # the running header's band inside the top margin area
FOOTER_MM = 10.0

FAMILIES = ["Calibri", "Carlito", "Segoe UI", "Arial", "Liberation Sans", "DejaVu Sans"]

INK = QColor("#1B2631")
MUTED = QColor("#566573")
ACCENT = QColor("#1F3A5F")
RULE = QColor("#AEB6BF")
STRIPE = QColor("#F4F6F7")
BAND = QColor("#E6ECF2")
WHITE = QColor("#FFFFFF")
UNRATED = RagDefinition("", "Not rated", "#D5D8DC", "No RAG rating has been recorded yet.")


readable_text_on = cache(_readable_text_on)  # a handful of colours, asked thousands of times


def long_date(value: date) -> str:
    """31 March 2013: the cover's spelling."""
    return f"{value.day} {value.strftime('%B %Y')}"


def mm(value: float) -> float:
    return value * DPI / 25.4


def pt(value: float) -> float:
    return value * DPI / 72


@cache
def font(size: float, bold: bool = False, italic: bool = False) -> QFont:
    chosen = QFont()
    chosen.setFamilies(FAMILIES)
    chosen.setPointSizeF(size)
    chosen.setBold(bold)
    chosen.setItalic(italic)
    # No ligatures: "ti" drawn as one glyph copies out of the PDF as a gap ("ac ons").
    for tag in ("liga", "clig", "dlig"):
        chosen.setFeature(QFont.Tag(tag), 0)
    return chosen


class Metrics:
    """Font metrics on the PDF device, cached per font."""

    def __init__(self, device: QPaintDevice) -> None:
        self.device = device
        self._cache: dict[int, tuple[QFont, QFontMetricsF]] = {}

    def of(self, chosen: QFont) -> QFontMetricsF:
        # Keyed by identity: fonts come from font(), which keeps each one for good.
        found = self._cache.get(id(chosen))
        if found is None or found[0] is not chosen:
            found = self._cache[id(chosen)] = (chosen, QFontMetricsF(chosen, self.device))
        return found[1]

    def width(self, text: str, chosen: QFont) -> float:
        return self.of(chosen).horizontalAdvance(text)

    def line_height(self, chosen: QFont) -> float:
        return self.of(chosen).lineSpacing()

    def elided(self, text: str, chosen: QFont, width: float) -> str:
        return self.of(chosen).elidedText(text, Qt.TextElideMode.ElideRight, width)

    def wrap(self, text: str, chosen: QFont, width: float, max_lines: int = 0) -> list[str]:
        """Lines of `text` no wider than `width`, breaking at spaces (and inside a word
        only when it is wider than a line); at most `max_lines` (0: no limit), the last
        one ending in an ellipsis when text was left out."""
        metrics = self.of(chosen)
        if "\n" not in text and metrics.horizontalAdvance(text) <= width:
            return [text.strip()] if text.strip() else []
        space = metrics.horizontalAdvance(" ")
        lines: list[str] = []
        for paragraph in text.replace("\r", "").split("\n"):
            current: list[str] = []
            used = 0.0
            for word in paragraph.split():
                advance = metrics.horizontalAdvance(word)
                if current and used + space + advance > width:
                    lines.append(" ".join(current))
                    current, used = [], 0.0
                while advance > width and not current:
                    cut = len(metrics.elidedText(word, Qt.TextElideMode.ElideRight, width)) - 1
                    cut = max(cut, 1)
                    lines.append(word[:cut])
                    word = word[cut:]
                    advance = metrics.horizontalAdvance(word)
                used = used + space + advance if current else advance
                current.append(word)
            if current or not paragraph.strip():
                lines.append(" ".join(current))
        while lines and not lines[-1]:
            lines.pop()
        if max_lines and len(lines) > max_lines:
            kept = lines[:max_lines]
            joined = f"{kept[-1]} {lines[max_lines]}"  # too wide, so it is elided with "…"
            kept[-1] = metrics.elidedText(joined, Qt.TextElideMode.ElideRight, width)
            return kept
        return lines


def draw_lines(
    painter: QPainter,
    metrics: Metrics,
    lines: list[str],
    chosen: QFont,
    x: float,
    top: float,
    colour: QColor = INK,
    *,
    width: float = 0.0,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
) -> float:
    """Paint lines from `top` down; returns the y below the last one."""
    painter.setFont(chosen)
    painter.setPen(colour)
    measured = metrics.of(chosen)
    y = top + measured.ascent()
    for line in lines:
        left = x
        if align == Qt.AlignmentFlag.AlignRight:
            left = x + width - measured.horizontalAdvance(line)
        elif align == Qt.AlignmentFlag.AlignHCenter:
            left = x + (width - measured.horizontalAdvance(line)) / 2
        painter.drawText(QPointF(left, y), line)
        y += measured.lineSpacing()
    return top + measured.lineSpacing() * len(lines)


def rag_letter(definition: RagDefinition) -> str:
    return definition.code or "–"


def draw_chip(
    painter: QPainter,
    metrics: Metrics,
    rect: QRectF,
    definition: RagDefinition,
    text: str | None = None,
    size: float = 8.0,
) -> None:
    """A small rounded box in the rating's colour with readable text (the letter by
    default), so the rating never rests on colour alone."""
    fill = QColor(definition.colour or UNRATED.colour)
    painter.setPen(QPen(fill.darker(125), pt(0.5)))
    painter.setBrush(fill)
    radius = min(rect.height() / 3, mm(1.4))
    painter.drawRoundedRect(rect, radius, radius)
    chosen = font(size, bold=True)
    label = text if text is not None else rag_letter(definition)
    painter.setFont(chosen)
    painter.setPen(QColor(readable_text_on(fill.name())))
    painter.drawText(
        rect, Qt.AlignmentFlag.AlignCenter, metrics.elided(label, chosen, rect.width())
    )


@dataclass
class Page:
    section: str
    draws: list[Draw] = field(default_factory=list)

    def add(self, draw: Draw) -> None:
        self.draws.append(draw)


@dataclass
class Furniture:
    """What the running header and footer say."""

    title: str
    marking: str
    produced_on: date


class Layout:
    """The page geometry and the growing list of pages sections add to."""

    def __init__(self, device: QPaintDevice, furniture: Furniture) -> None:
        self.metrics = Metrics(device)
        self.furniture = furniture
        self.page_rect = QRectF(0, 0, mm(PAGE_WIDTH_MM), mm(PAGE_HEIGHT_MM))
        top = mm(MARGIN_MM) + mm(HEADER_MM)
        bottom = mm(PAGE_HEIGHT_MM) - mm(MARGIN_MM) - mm(FOOTER_MM)
        self.body = QRectF(mm(MARGIN_MM), top, mm(PAGE_WIDTH_MM - 2 * MARGIN_MM), bottom - top)
        self.pages: list[Page] = []
        self.contents: list[tuple[str, int]] = []  # section title, first page number

    def new_page(self, section: str) -> Page:
        page = Page(section)
        self.pages.append(page)
        if not self.contents or self.contents[-1][0] != section:
            self.contents.append((section, len(self.pages)))
        return page

    def paint_furniture(self, painter: QPainter, number: int, total: int, page: Page) -> None:
        """The running header (title, marking, section) and footer (date produced,
        marking, page number) of one page."""
        left = mm(MARGIN_MM)
        width = mm(PAGE_WIDTH_MM - 2 * MARGIN_MM)
        head_top = mm(MARGIN_MM) - mm(4)
        small = font(8.5)
        marking_font = font(10, bold=True)
        metrics = self.metrics
        third = width / 3
        title = metrics.elided(self.furniture.title, small, third * 1.25)
        draw_lines(painter, metrics, [title], small, left, head_top, MUTED)
        draw_lines(
            painter,
            metrics,
            [metrics.elided(page.section, small, third * 0.7)],
            small,
            left,
            head_top,
            MUTED,
            width=width,
            align=Qt.AlignmentFlag.AlignRight,
        )
        marking = self.furniture.marking.upper()
        if marking:
            draw_lines(
                painter,
                metrics,
                [marking],
                marking_font,
                left,
                head_top - pt(1),
                INK,
                width=width,
                align=Qt.AlignmentFlag.AlignHCenter,
            )
        rule_y = head_top + metrics.line_height(marking_font) + mm(1)
        painter.setPen(QPen(RULE, pt(0.6)))
        painter.drawLine(QPointF(left, rule_y), QPointF(left + width, rule_y))

        foot_rule = mm(PAGE_HEIGHT_MM) - mm(MARGIN_MM) - mm(FOOTER_MM) + mm(3)
        painter.setPen(QPen(RULE, pt(0.6)))
        painter.drawLine(QPointF(left, foot_rule), QPointF(left + width, foot_rule))
        foot_top = foot_rule + mm(1.5)
        produced = f"Produced {long_date(self.furniture.produced_on)} with {APP_NAME}"
        draw_lines(painter, metrics, [produced], small, left, foot_top, MUTED)
        if marking:
            draw_lines(
                painter,
                metrics,
                [marking],
                marking_font,
                left,
                foot_top - pt(1),
                INK,
                width=width,
                align=Qt.AlignmentFlag.AlignHCenter,
            )
        draw_lines(
            painter,
            metrics,
            [f"Page {number} of {total}"],
            font(8.5, bold=True),
            left,
            foot_top,
            INK,
            width=width,
            align=Qt.AlignmentFlag.AlignRight,
        )


def section_heading(layout: Layout, page: Page, title: str, subtitle: str = "") -> float:
    """A section's heading at the top of the body; returns the y below it."""
    body = layout.body
    big = font(15, bold=True)
    small = font(9.5)
    metrics = layout.metrics
    subtitle_lines = metrics.wrap(subtitle, small, body.width()) if subtitle else []

    def draw(painter: QPainter) -> None:
        bottom = draw_lines(painter, metrics, [title], big, body.left(), body.top(), ACCENT)
        if subtitle_lines:
            draw_lines(painter, metrics, subtitle_lines, small, body.left(), bottom, MUTED)

    page.add(draw)
    return body.top() + heading_height(layout, len(subtitle_lines))


def heading_height(layout: Layout, subtitle_lines: int = 0) -> float:
    """The height a section's heading takes with that many lines of subtitle."""
    metrics = layout.metrics
    return (
        metrics.line_height(font(15, bold=True))
        + metrics.line_height(font(9.5)) * subtitle_lines
        + mm(3)
    )


class Flow:
    """A running y position down the body of pages of one section, starting a new page
    (with the section heading repeated, marked 'continued') when the next block does not
    fit."""

    def __init__(self, layout: Layout, section: str, subtitle: str = "") -> None:
        self.layout = layout
        self.section = section
        self.subtitle = subtitle
        self.page = layout.new_page(section)
        self.y = section_heading(layout, self.page, section, subtitle)
        self.first_y = self.y

    @property
    def bottom(self) -> float:
        return self.layout.body.bottom()

    def room(self) -> float:
        return self.bottom - self.y

    def next_page(self) -> None:
        self.page = self.layout.new_page(self.section)
        self.y = section_heading(self.layout, self.page, f"{self.section} (continued)")
        self.first_y = self.y

    def continued_top(self) -> float:
        """Where the body starts on a page this section continues onto."""
        return self.layout.body.top() + heading_height(self.layout)

    def fits(self, height: float) -> bool:
        return self.y + height <= self.bottom + 0.5

    def reserve(self, height: float) -> None:
        """Start a new page unless `height` fits below the current position."""
        if not self.fits(height) and self.y > self.first_y:
            self.next_page()
