"""A calm, readable look that holds up on a projector and at 200% scaling.

It is made of the Fusion style, palettes and fonts, with a style sheet only on tables (for
their cell padding, grid and headers). A style sheet on the whole application puts every
widget through Qt's style-sheet engine, which made the main window half as slow again to
build."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QAbstractItemView, QApplication, QTableView, QWidget

TABLE_STYLE = """
QTableView { gridline-color: #E3E7EB; selection-background-color: #9CC3E6;
             selection-color: #1B1B1B; }
QTableView::item { padding: 2px 6px; }
QHeaderView::section { background: #F3F5F7; border: none; border-bottom: 1px solid #D5DADF;
                       border-right: 1px solid #E3E7EB; padding: 4px 6px; font-weight: 600;
                       color: #2C3E50; }
"""

TEXT = "#1B1B1B"
HEADING_TEXT = "#2C3E50"
MUTED = "#5A6470"

_GROUPS = (
    QPalette.ColorGroup.Active,
    QPalette.ColorGroup.Inactive,
    QPalette.ColorGroup.Disabled,
)


def _set(palette: QPalette, role: QPalette.ColorRole, colour: str) -> None:
    for group in _GROUPS:
        if group == QPalette.ColorGroup.Disabled and role in (
            QPalette.ColorRole.Text,
            QPalette.ColorRole.WindowText,
            QPalette.ColorRole.ButtonText,
        ):
            continue  # greyed text stays greyed
        palette.setColor(group, role, QColor(colour))


def application_palette(base: QPalette) -> QPalette:
    palette = QPalette(base)
    _set(palette, QPalette.ColorRole.Window, "#FAFBFC")
    _set(palette, QPalette.ColorRole.Base, "#FFFFFF")
    _set(palette, QPalette.ColorRole.AlternateBase, "#F5F7F9")
    _set(palette, QPalette.ColorRole.Highlight, "#2E6DA4")
    _set(palette, QPalette.ColorRole.HighlightedText, "#FFFFFF")
    _set(palette, QPalette.ColorRole.Text, TEXT)
    _set(palette, QPalette.ColorRole.WindowText, TEXT)
    return palette


def table_palette(base: QPalette) -> QPalette:
    """Tables select in a light blue that dark text stays readable on; Fusion draws their
    grid a shade darker than their Window colour, here white, so the grid stays light."""
    palette = QPalette(base)
    _set(palette, QPalette.ColorRole.Highlight, "#9CC3E6")
    _set(palette, QPalette.ColorRole.HighlightedText, TEXT)
    _set(palette, QPalette.ColorRole.Window, "#FFFFFF")
    return palette


def header_palette(base: QPalette) -> QPalette:
    palette = QPalette(base)
    _set(palette, QPalette.ColorRole.Button, "#F3F5F7")
    _set(palette, QPalette.ColorRole.ButtonText, HEADING_TEXT)
    return palette


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")
    palette = application_palette(app.palette())
    app.setPalette(palette)
    font = QFont(app.font())
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)
    tables = table_palette(palette)
    app.setPalette(tables, "QAbstractItemView")  # type: ignore[arg-type]  # the stub says bytes; Qt wants str
    app.setPalette(header_palette(tables), "QHeaderView")  # type: ignore[arg-type]  # the stub says bytes; Qt wants str
    heading = QFont(font)
    heading.setWeight(QFont.Weight.DemiBold)
    app.setFont(heading, "QHeaderView")  # type: ignore[arg-type]  # the stub says bytes; Qt wants str


def style_table(view: QAbstractItemView, extra: str = "") -> None:
    """The tables' own look: roomy cells, a light grid, quiet headers."""
    view.setStyleSheet(TABLE_STYLE + extra)


def edit_in_place(table: QTableView, *, row_height: int) -> None:
    """A table of records edited in place, as the directory tabs have them: one row
    selected at a time, a cell edited by double-click, F2 or typing, Tab moving on to the
    next control (the arrow keys move between cells), one line per row."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    table.setTabKeyNavigation(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(row_height)


def set_text_colour(
    widget: QWidget, colour: str | QColor, *, bold: bool = False, point_size: float = 0
) -> None:
    """Colour (and weight or size) a label's text without a style sheet."""
    palette = widget.palette()
    for group in _GROUPS:
        palette.setColor(group, QPalette.ColorRole.WindowText, QColor(colour))
        palette.setColor(group, QPalette.ColorRole.Text, QColor(colour))
    widget.setPalette(palette)
    if bold or point_size:
        font = widget.font()
        if bold:
            font.setWeight(QFont.Weight.DemiBold)
        if point_size:
            font.setPointSizeF(point_size)
        widget.setFont(font)
