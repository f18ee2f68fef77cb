"""File > Export change history…: the plan's change history (who changed what, when,
the old and new values, and the return a change came from) as a CSV file that opens in
Excel, for auditors and scrutiny.

The question where to save is a module-level function (ask_target) so tests can answer
it without a modal dialog."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from planner.errors import PlannerError
from planner.io.history_csv import write_history_csv
from planner.queries.history import change_history
from planner.queries.lookups import plan_header
from planner.ui.messages import ask_save_path, show_error

if TYPE_CHECKING:
    from planner.ui.window_api import PlanWindow

TITLE = "Export change history"


def ask_target(window: QWidget, suggested: Path) -> Path | None:
    return ask_save_path(window, TITLE, suggested, "CSV files for Excel (*.csv)", ".csv")


def suggested_name(title: str, today: date) -> str:
    """e.g. "Planting the Flag in Northshire - change history 2014-01-21.csv"."""
    cleaned = "".join(c if c.isalnum() or c in " -_()&,.'" else " " for c in title)
    cleaned = " ".join(cleaned.split())[:80].strip(" .") or "Plan"
    return f"{cleaned} - change history {today:%Y-%m-%d}.csv"


def export_change_history(window: PlanWindow) -> Path | None:
    """Ask where to save the plan's change history, and write it; returns the file
    written, or None."""
    document = window.document
    if document is None:
        return None
    header = document.read(plan_header)
    folder = document.plan_file.path.parent
    target = ask_target(window.widget, folder / suggested_name(header.title, date.today()))
    if target is None:
        return None
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        lines = document.read(lambda session, plan_id: change_history(session, plan_id))
        write_history_csv(lines, target)
    except PlannerError as error:
        QApplication.restoreOverrideCursor()
        show_error(window.widget, error, "The change history was not exported")
        return None
    QApplication.restoreOverrideCursor()
    count = f"{len(lines)} change{'' if len(lines) == 1 else 's'}"
    window.show_status(f"Exported {count} to {target.name}", 8000)
    return target
