"""What the timeline is painted with: its colours, the sizes that follow the font, the
part of it in view, and text and pictures drawn once and then reused."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPaintEngine, QPainter, QPixmap, QStaticText

from planner.domain.timescale import Zoom
from planner.ui.models.rag import text_colour_on

BACKGROUND = QColor("#FFFFFF")
HEADER_BACKGROUND = QColor("#F3F5F7")
HEADER_TEXT = QColor("#2C3E50")
RULE = QColor("#D5DADF")  # borders between the header, the list and the time area
MONTH_LINE = QColor("#F0F2F5")
QUARTER_LINE = QColor("#E3E7EB")
YEAR_LINE = QColor("#C5CDD5")
THEME_BACKGROUND = QColor("#E6ECF2")
CURRENT_BACKGROUND = QColor("#DCEBF7")
CURRENT_ACCENT = QColor("#2E6DA4")
TEXT = QColor("#1B1B1B")
MUTED_TEXT = QColor("#5D6D7E")
UNRATED = QColor("#BDC3C7")  # as the theme list's "not rated" chip
BASELINE = QColor("#2C3E50")
STATUS_LINE = QColor("#7D3C98")
MILESTONE_DONE = QColor("#2C3E50")
MILESTONE_OVERDUE = QColor("#C0392B")


@dataclass(frozen=True)
class Metrics:
    """Sizes that follow the widget's font, so the timeline grows with it."""

    char_width: float
    line_height: float
    row_height: float
    band_height: float
    label_width: float
    bar_height: float
    marker_radius: float
    grip: float

    @classmethod
    def for_font(cls, font: QFont) -> Metrics:
        metrics = QFontMetricsF(font)
        char = metrics.averageCharWidth()
        line = metrics.height()
        row = round(line * 1.75)
        return cls(
            char_width=char,
            line_height=line,
            row_height=row,
            band_height=round(line * 1.5),
            label_width=round(char * 38),
            bar_height=round(row * 0.5),
            marker_radius=round(row * 0.3),
            grip=max(4.0, round(char * 0.9)),
        )

    def header_height(self, zoom: Zoom) -> float:
        return len(band_rows(zoom)) * self.band_height


def band_rows(zoom: Zoom) -> list[str]:
    """The rows of the time scale, coarsest first."""
    if zoom is Zoom.MONTHS:
        return ["years", "quarters", "months"]
    return ["years", "quarters"]


@dataclass(frozen=True)
class View:
    """The part of the layout on screen: the viewport size and the scroll offsets."""

    width: float
    height: float
    x_offset: float  # time-area x at the left edge of the time area
    y_offset: float  # row y at the top edge of the rows area
    label_width: float  # the list down the left


class CachedDrawing:
    """Text laid out once and small pictures drawn once, then reused."""

    def __init__(self, font: QFont) -> None:
        self.font = QFont(font)
        self.bold = QFont(font)
        self.bold.setBold(True)
        self.metrics = Metrics.for_font(font)
        self.fm = QFontMetricsF(self.font)
        self.bold_fm = QFontMetricsF(self.bold)
        # Caches: the same texts, letters and markers are painted over and over.
        self._statics: dict[tuple[str, bool], QStaticText] = {}
        self._elided: dict[tuple[str, int], str] = {}
        self._sprites: dict[tuple[object, ...], QPixmap] = {}
        self._text_on: dict[str, QColor] = {}
        self._widths: dict[tuple[str, bool], float] = {}

    # ----- cached drawing ------------------------------------------------------------

    def text_on(self, fill: QColor) -> QColor:
        name = fill.name()
        found = self._text_on.get(name)
        if found is None:
            found = self._text_on[name] = text_colour_on(fill)
        return found

    def text(
        self, painter: QPainter, x: float, top: float, height: float, text: str, bold: bool = False
    ) -> None:
        """`text` from x, centred in the band from `top` of `height`; laid out once."""
        key = (text, bold)
        static = self._statics.get(key)
        if static is None:
            if len(self._statics) > 5000:
                self._statics.clear()
            static = QStaticText(text)
            static.setTextFormat(Qt.TextFormat.PlainText)
            static.setPerformanceHint(QStaticText.PerformanceHint.AggressiveCaching)
            self._statics[key] = static
        font, fm = (self.bold, self.bold_fm) if bold else (self.font, self.fm)
        painter.setFont(font)
        painter.drawStaticText(QPointF(x, top + (height - fm.height()) / 2), static)

    def width_of(self, text: str, bold: bool = False) -> float:
        key = (text, bold)
        found = self._widths.get(key)
        if found is None:
            if len(self._widths) > 5000:
                self._widths.clear()
            found = (self.bold_fm if bold else self.fm).horizontalAdvance(text)
            self._widths[key] = found
        return found

    def elided(self, text: str, width: float) -> str:
        key = (text, int(width))
        found = self._elided.get(key)
        if found is None:
            if len(self._elided) > 5000:
                self._elided.clear()
            found = self.fm.elidedText(text, Qt.TextElideMode.ElideRight, int(width))
            self._elided[key] = found
        return found

    def sprite(
        self,
        painter: QPainter,
        key: tuple[object, ...],
        width: float,
        height: float,
        draw: Callable[[QPainter], None],
    ) -> QPixmap | None:
        """A picture drawn once per screen resolution and then copied; None when the
        painter is not drawing pixels (printing), where shapes are drawn as they are."""
        engine = painter.paintEngine()
        if engine is None or engine.type() != QPaintEngine.Type.Raster:
            return None
        ratio = painter.device().devicePixelRatioF()
        full = (*key, ratio)
        found = self._sprites.get(full)
        if found is None:
            found = QPixmap(math.ceil(width * ratio), math.ceil(height * ratio))
            found.setDevicePixelRatio(ratio)
            found.fill(Qt.GlobalColor.transparent)
            inner = QPainter(found)
            inner.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            draw(inner)
            inner.end()
            self._sprites[full] = found
        return found

    # ----- the whole picture ---------------------------------------------------------
