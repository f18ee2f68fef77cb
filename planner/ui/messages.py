"""Dialogs that tell the user something or ask a question; they return, never write."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from planner.errors import PlannerError


def show_error(parent: QWidget | None, error: PlannerError | str, title: str = "") -> None:
    """Show the core's message for a refused change or a file problem."""
    box = QMessageBox(parent)
    box.setObjectName("errorDialog")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title or "Strategy Planner")
    box.setText(str(error))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def confirm(
    parent: QWidget | None,
    title: str,
    text: str,
    details: list[str] | None = None,
    action: str = "Delete",
) -> bool:
    """Ask before something that changes the plan; True when the user agrees."""
    box = QMessageBox(parent)
    box.setObjectName("confirmDialog")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    body = text
    if details:
        body += "\n\n" + "\n".join(f"• {line}" for line in details)
    box.setText(body)
    ok = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is ok


def ask_save_path(
    parent: QWidget | None, title: str, suggested: Path, file_filter: str, suffix: str
) -> Path | None:
    """Where to write a new file, ending in `suffix` (added when left off); None if
    cancelled."""
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), file_filter)
    if not chosen:
        return None
    target = Path(chosen)
    return target if target.suffix.lower() == suffix else target.with_suffix(suffix)
