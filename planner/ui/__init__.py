"""The desktop app: Qt views over the core. Nothing here builds SQL or opens sessions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.ui.main_window import MainWindow


def create_main_window(path: str | Path, *, recovery: str = "discard") -> MainWindow:
    """The main window on the plan file at `path`, ready to show (for tests and scripts)."""
    from planner.store.planfile import PlanFile
    from planner.ui.document import PlanDocument
    from planner.ui.main_window import MainWindow

    document = PlanDocument(PlanFile.open(path, recovery=recovery))  # type: ignore[arg-type]
    window = MainWindow()
    window.set_document(document)
    return window
