"""The window's three panes side by side, and its size, toolbars, pane widths and action
columns, kept between runs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter, QVBoxLayout, QWidget

from planner.ui.settings import AppSettings


def stacked(parent: QWidget, top: QWidget, main: QWidget) -> QWidget:
    """`top` over `main`, edge to edge."""
    pane = QWidget(parent)
    layout = QVBoxLayout(pane)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(top)
    layout.addWidget(main)
    return pane


def three_panes(parent: QWidget, left: QWidget, centre: QWidget, right: QWidget) -> QSplitter:
    """The panes side by side; the centre takes the room the window gains."""
    splitter = QSplitter(Qt.Orientation.Horizontal, parent)
    splitter.setObjectName("mainSplitter")
    splitter.addWidget(left)
    splitter.addWidget(centre)
    splitter.addWidget(right)
    splitter.setStretchFactor(0, 0)
    splitter.setStretchFactor(1, 1)
    splitter.setStretchFactor(2, 0)
    splitter.setSizes([255, 675, 350])
    splitter.setChildrenCollapsible(False)
    return splitter


def restore_layout(
    window: QMainWindow, splitter: QSplitter, header: QHeaderView, settings: AppSettings
) -> None:
    for key, restore in (
        ("geometry", window.restoreGeometry),
        ("windowState", window.restoreState),
        ("splitter", splitter.restoreState),
        ("actionsHeader", header.restoreState),
    ):
        state = settings.state(key)
        if state is not None:
            restore(state)


def save_layout(
    window: QMainWindow, splitter: QSplitter, header: QHeaderView, settings: AppSettings
) -> None:
    settings.set_state("geometry", window.saveGeometry())
    settings.set_state("windowState", window.saveState())
    settings.set_state("splitter", splitter.saveState())
    settings.set_state("actionsHeader", header.saveState())
    settings.sync()
