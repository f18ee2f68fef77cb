"""A calm, readable look that holds up on a projector and at 200% scaling."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

STYLE_SHEET = """
QTableView { gridline-color: #E3E7EB; selection-background-color: #9CC3E6;
             selection-color: #1B1B1B; }
QTableView::item { padding: 2px 6px; }
QHeaderView::section { background: #F3F5F7; border: none; border-bottom: 1px solid #D5DADF;
                       border-right: 1px solid #E3E7EB; padding: 4px 6px; font-weight: 600;
                       color: #2C3E50; }
QToolBar { spacing: 4px; padding: 3px; border-bottom: 1px solid #D5DADF; }
QTabBar::tab { padding: 6px 14px; }
QStatusBar { border-top: 1px solid #D5DADF; }
QSplitter::handle { background: #E3E7EB; }
QSplitter::handle:horizontal { width: 3px; }
"""


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#FAFBFC"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#FFFFFF"))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#F5F7F9"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#2E6DA4"))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#FFFFFF"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#1B1B1B"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#1B1B1B"))
    app.setPalette(palette)
    font = QFont(app.font())
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)
    app.setStyleSheet(STYLE_SHEET)
