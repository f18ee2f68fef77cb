"""File > Print view to PDF: the tab on screen (actions, dashboard, timeline, partner map,
people load) on one A4 landscape page, under a line naming the plan, the view, the status
date and the protective marking, ready to print or attach. (Written with QPdfWriter, so the
app needs no printing module and the bundle no print-system libraries.)"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMarginsF, QPoint, QRectF, Qt
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QWidget

from planner.domain.dates import format_long
from planner.queries.lookups import plan_header
from planner.ui.messages import ask_save_path

if TYPE_CHECKING:
    from planner.ui.window_api import PlanWindow


def print_current_view(window: PlanWindow) -> Path | None:
    """Ask where to save and write the tab on screen as a one-page PDF; None if cancelled."""
    suggested = Path("view.pdf")
    if window.document is not None:
        plan = window.document.plan_file.path
        view = window.tabs.tabText(window.tabs.currentIndex()).replace("&", "")
        suggested = plan.with_name(f"{plan.stem} {view}.pdf")
    target = ask_save_path(
        window.widget, "Print view to PDF", suggested, "PDF documents (*.pdf)", ".pdf"
    )
    if target is None:
        return None
    print_view(window, target)
    window.show_status(f"Saved the view to {target.name}", 8000)
    return target


def heading_for(window: PlanWindow) -> str:
    document = window.document
    view = window.tabs.tabText(window.tabs.currentIndex()).replace("&", "")
    if document is None:
        return view
    header = document.read(plan_header)
    return (
        f"{header.title} — {view} — position at {format_long(header.status_date)}"
        f" — {header.protective_marking}"
    )


def print_view(window: PlanWindow, target: Path) -> None:
    """Paint the current tab, scaled to fit one landscape page, under its heading."""
    printer = QPdfWriter(str(target))
    printer.setResolution(300)
    printer.setTitle(heading_for(window))
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(12, 12, 12, 12),
            QPageLayout.Unit.Millimeter,
        )
    )
    view: QWidget = window.tabs.currentWidget()
    painter = QPainter(printer)
    try:
        page = QRectF(printer.pageLayout().paintRectPixels(printer.resolution()))
        page.moveTo(0, 0)
        font = QFont(window.widget.font())
        font.setPointSizeF(11)
        font.setBold(True)
        painter.setFont(font)
        line = painter.fontMetrics().height() * 1.6
        painter.drawText(
            QRectF(0, 0, page.width(), line),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            heading_for(window),
        )
        room = page.adjusted(0, line, 0, 0)
        scale = min(room.width() / max(view.width(), 1), room.height() / max(view.height(), 1))
        painter.translate(room.left(), room.top())
        painter.scale(scale, scale)
        view.render(painter, QPoint(0, 0))
    finally:
        painter.end()
