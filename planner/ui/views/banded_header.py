"""A column header in three strips: a band naming a group of columns (a sector, a
financial year), each column's own label (upright or turned to read bottom-up, so
many narrow columns fit), and a foot line (a total).

The model gives the texts through `headerData`: DisplayRole for the label, BAND_ROLE
for the band (consecutive columns with the same band share one) and FOOT_ROLE for the
foot. A strip nobody uses takes no room."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QHeaderView, QWidget

from planner.ui.models.roles import BAND_ROLE, BAND_SHORT_ROLE, FOOT_ROLE

BACKGROUND = QColor("#F3F5F7")
BAND_BACKGROUND = QColor("#E4EAF0")
LINE = QColor("#D5DADF")
TEXT = QColor("#2C3E50")
MUTED = QColor("#5A6470")
MAX_TURNED_CHARACTERS = 14  # longer turned labels are elided (the tooltip has the full name)


class BandedHeader(QHeaderView):
    def __init__(self, parent: QWidget | None = None, *, turned: bool = False) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.turned = turned
        self.setSectionsClickable(True)
        self.setHighlightSections(False)
        self.setMinimumSectionSize(8)
        self._strips: tuple[int, int, int] | None = None  # worked out once per model change

    def setModel(self, model: Any) -> None:
        old = self.model()
        if old is not None:
            for signal in (old.modelReset, old.headerDataChanged, old.columnsInserted):
                signal.disconnect(self.forget_sizes)
        super().setModel(model)
        if model is not None:
            for signal in (model.modelReset, model.headerDataChanged, model.columnsInserted):
                signal.connect(self.forget_sizes)
        self.forget_sizes()

    def forget_sizes(self, *_args: Any) -> None:
        self._strips = None

    # ----- sizes ----------------------------------------------------------------------

    def _font(self, *, bold: bool = True) -> QFont:
        font = QFont(self.font())
        font.setWeight(QFont.Weight.DemiBold if bold else QFont.Weight.Normal)
        return font

    def _texts(self, role: int) -> list[str]:
        model = self.model()
        if model is None:
            return []
        return [
            str(model.headerData(section, self.orientation(), role) or "")
            for section in range(model.columnCount())
        ]

    def strips(self) -> tuple[int, int, int]:
        """Heights of the band, label and foot strips (0 when unused)."""
        if self._strips is None:
            self._strips = self._work_out_strips()
        return self._strips

    def _work_out_strips(self) -> tuple[int, int, int]:
        metrics = QFontMetrics(self._font())
        line = metrics.height()
        band = line + 8 if any(self._texts(BAND_ROLE)) else 0
        foot = line + 6 if any(self._texts(FOOT_ROLE)) else 0
        if self.turned:
            widest = max(
                (metrics.horizontalAdvance(t[:MAX_TURNED_CHARACTERS]) for t in self._texts(0)),
                default=0,
            )
            label = max(widest + 14, 2 * line)
        else:
            lines = max((t.count("\n") + 1 for t in self._texts(0)), default=1)
            label = lines * line + 10
        return band, label, foot

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        hint.setHeight(sum(self.strips()))
        return hint

    # ----- painting -------------------------------------------------------------------

    def paintSection(self, painter: QPainter, rect: QRect, logicalIndex: int) -> None:
        model = self.model()
        if model is None or not rect.isValid():
            return
        band, _label, foot = self.strips()
        orientation = self.orientation()
        painter.save()
        body = QRect(rect.left(), rect.top() + band, rect.width(), rect.height() - band)
        painter.fillRect(body, BACKGROUND)
        painter.setPen(QPen(LINE))
        painter.drawLine(body.topRight(), body.bottomRight())
        painter.drawLine(body.bottomLeft(), body.bottomRight())
        text = str(model.headerData(logicalIndex, orientation) or "")
        painter.setPen(TEXT)
        painter.setFont(self._font())
        metrics = painter.fontMetrics()
        label = QRect(body.left(), body.top(), body.width(), body.height() - foot)
        if self.turned:
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, label.height() - 10)
            painter.translate(label.center().x() + 1, label.bottom() - 5)
            painter.rotate(-90)
            painter.drawText(
                QRect(0, -label.width() // 2, label.height() - 10, label.width()),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                shown,
            )
            painter.resetTransform()
        else:
            alignment = model.headerData(
                logicalIndex, orientation, Qt.ItemDataRole.TextAlignmentRole
            )
            across = (
                Qt.AlignmentFlag(int(alignment))
                if alignment is not None
                else Qt.AlignmentFlag.AlignLeft
            )
            flags = (across & Qt.AlignmentFlag.AlignHorizontal_Mask) | Qt.AlignmentFlag.AlignBottom
            painter.drawText(label.adjusted(6, 2, -6, -4), int(flags), text)
        if foot:
            foot_text = str(model.headerData(logicalIndex, orientation, FOOT_ROLE) or "")
            foot_rect = QRect(body.left(), body.bottom() - foot + 1, body.width(), foot)
            painter.setPen(QPen(LINE))
            painter.drawLine(foot_rect.topLeft(), foot_rect.topRight())
            painter.setPen(TEXT)
            right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            flags = Qt.AlignmentFlag.AlignCenter if self.turned else right
            painter.drawText(foot_rect.adjusted(4, 0, -6, 0), int(flags), foot_text)
        painter.restore()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        band = self.strips()[0]
        if model is None or not band:
            return
        painter = QPainter(self.viewport())
        painter.setFont(self._font(bold=False))
        runs: list[tuple[str, int, int, str]] = []  # text, left, right (viewport x), short
        for visual in range(self.count()):
            section = self.logicalIndex(visual)
            if self.isSectionHidden(section):
                continue
            text = str(model.headerData(section, self.orientation(), BAND_ROLE) or "")
            short = str(model.headerData(section, self.orientation(), BAND_SHORT_ROLE) or text)
            left = self.sectionViewportPosition(section)
            right = left + self.sectionSize(section)
            if runs and runs[-1][0] == text:
                runs[-1] = (text, runs[-1][1], right, short)
            else:
                runs.append((text, left, right, short))
        width = self.viewport().width()
        metrics = painter.fontMetrics()
        for text, left, right, short in runs:
            if right < 0 or left > width:
                continue
            rect = QRect(left, 0, right - left, band)
            painter.fillRect(rect, BAND_BACKGROUND if text else BACKGROUND)
            painter.setPen(QPen(QColor("#FFFFFF"), 2))
            painter.drawLine(rect.topRight() + QPoint(1, 0), rect.bottomRight() + QPoint(1, 0))
            if text:
                painter.setPen(TEXT)
                # Keep the name in sight while the band is scrolled partly out of view.
                shown = rect.intersected(QRect(0, 0, width, band)).adjusted(6, 0, -4, 0)
                fits = metrics.horizontalAdvance(text) <= shown.width()
                elided = metrics.elidedText(
                    text if fits else short, Qt.TextElideMode.ElideRight, shown.width()
                )
                painter.drawText(
                    shown, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), elided
                )
        painter.end()
