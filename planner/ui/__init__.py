"""The desktop app: Qt views over the core. Nothing here builds SQL or opens sessions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.store.planfile import Recovery
    from planner.ui.main_window import MainWindow


def create_main_window(path: str | Path, *, recovery: Recovery = "discard") -> MainWindow:
    """The main window on the plan file at `path`, ready to show (for tests and scripts)."""
    from planner.store.planfile import PlanFile
    from planner.ui.document import PlanDocument
    from planner.ui.main_window import MainWindow

    document = PlanDocument(PlanFile.open(Path(path), recovery=recovery))
    window = MainWindow()
    window.set_document(document)
    return window
