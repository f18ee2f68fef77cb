"""What the widget tests share: the `gui` mark on every test here, the main window on the
sample plan, and the application's own look."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from gui_helpers import discard_plan

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication
    from pytestqt.qtbot import QtBot

    from planner.ui.main_window import MainWindow

HERE = Path(__file__).parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder builds widgets: it is marked `gui` (before `-m` selects)."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def window(qtbot: QtBot, sample_path: Path) -> MainWindow:
    """The main window on a fresh copy of the sample plan, 1280×800, shown; closed at
    the end with its plan discarded, so no question about unsaved changes is left open."""
    from planner.ui import create_main_window

    shown = create_main_window(sample_path)
    qtbot.addWidget(shown, before_close_func=discard_plan)
    shown.resize(1280, 800)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


@pytest.fixture
def app_style(qapp: QApplication) -> Iterator[None]:
    """The application's own look (planner.ui.style), put back as it was afterwards."""
    from planner.ui.style import apply_style

    style, palette, font = qapp.style().name(), qapp.palette(), qapp.font()
    apply_style(qapp)
    try:
        yield
    finally:
        qapp.setStyle(style)
        qapp.setPalette(palette)
        qapp.setFont(font)
        for class_name in ("QAbstractItemView", "QHeaderView"):
            qapp.setPalette(palette, class_name)
            qapp.setFont(font, class_name)
