"""File > Export to Excel: ask, gather, write off the UI thread with a cancellable progress."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

from planner.errors import PlannerError
from planner.io.excel import ExportCancelled, ExportOptions, ExportSlice, export_workbook, gather
from planner.io.excel.content import ExportContent
from planner.queries.lookups import partner_choices, person_choices, plan_header, theme_choices
from planner.ui.background import ProgressText, Worker, run_with_progress
from planner.ui.dialogs.export import ExportChoice, ExportDialog
from planner.ui.messages import ask_save_path, show_error

EXPORT_PROGRESS = ProgressText("Export to Excel", "Exporting to Excel", "exportProgress")

if TYPE_CHECKING:
    from planner.ui.window_api import PlanWindow


def export_worker(content: ExportContent, target: Path) -> Worker:
    """Writes one workbook from already-gathered content (plain data, no database)."""
    return Worker(
        lambda progress: export_workbook(content, target, progress=progress),
        "The export failed unexpectedly",
    )


def ask_choice(window: PlanWindow) -> ExportChoice | None:
    document = window.document
    assert document is not None
    dialog = ExportDialog(
        window.widget,
        partners=document.read(partner_choices),
        people=document.read(person_choices),
        themes=document.read(theme_choices),
        marking=document.read(plan_header).protective_marking,
    )
    return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_target(window: PlanWindow, suggested: Path) -> Path | None:
    return ask_save_path(
        window.widget, "Export to Excel", suggested, "Excel workbooks (*.xlsx)", ".xlsx"
    )


def export_to_excel(window: PlanWindow) -> Path | None:
    """Run the whole export conversation; returns the file written, or None."""
    document = window.document
    if document is None:
        return None
    choice = ask_choice(window)
    if choice is None:
        return None
    header = document.read(plan_header)
    stamp = header.status_date.strftime("%Y-%m-%d")
    suggested = document.plan_file.path.parent / f"{document.plan_file.path.stem} {stamp}.xlsx"
    target = ask_target(window, suggested)
    if target is None:
        return None
    options = ExportOptions(
        slice=ExportSlice(choice.partner_ids, choice.person_ids, choice.theme_ids),
        include_descriptions=choice.include_descriptions,
        include_commentary=choice.include_commentary,
        protective_marking=choice.protective_marking or None,
        exported_by=window.settings.officer_name(),
    )
    content = document.read(lambda session, plan_id: gather(session, plan_id, options))
    if not content.actions:
        show_error(window.widget, "No actions match that choice, so there is nothing to export.")
        return None
    result = run_export(window, content, target)
    if isinstance(result, ExportCancelled):
        window.show_status("Export cancelled; no workbook was written.", 6000)
        return None
    if isinstance(result, PlannerError):
        show_error(window.widget, result, "The workbook was not exported")
        return None
    window.show_status(f"Exported {len(content.actions)} actions to {target.name}", 8000)
    return target


def run_export(window: PlanWindow, content: ExportContent, target: Path) -> object:
    """Write the workbook on a worker thread while a progress dialog offers Cancel."""
    return run_with_progress(window.widget, export_worker(content, target), EXPORT_PROGRESS)
