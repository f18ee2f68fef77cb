"""What the GUI tests share: errors captured instead of shown, and a window's plan closed
at teardown without asking."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget


class Errors:
    """Captures show_error calls instead of opening a modal message box."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def __call__(self, _parent: Any, error: Any, title: str = "") -> None:
        self.messages.append(str(error))


def discard_plan(window: QWidget) -> None:
    """Teardown: close the window's plan without asking, dropping unsaved changes."""
    from planner.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    document = window.document
    if document is not None:
        window.set_document(None)
        document.close(discard=True)
