"""File > Export report (PDF): ask, gather, paint off the UI thread with a cancellable
progress dialog (the same shape as the Excel export)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

from planner.errors import PlannerError
from planner.io.excel import ExportSlice
from planner.io.report import (
    ReportCancelled,
    ReportContent,
    ReportOptions,
    ReportResult,
    gather_report,
    render_report,
)
from planner.queries.lookups import partner_choices, plan_header, theme_choices
from planner.ui.background import ProgressText, Worker, run_with_progress
from planner.ui.dialogs.export import ExportChoice
from planner.ui.dialogs.report import ReportDialog
from planner.ui.messages import ask_save_path, show_error

REPORT_PROGRESS = ProgressText("Export report (PDF)", "Writing the report", "reportProgress")

if TYPE_CHECKING:
    from planner.ui.window_api import PlanWindow


def report_worker(content: ReportContent, target: Path) -> Worker:
    """Paints one report from already-gathered content (plain data, no database)."""
    return Worker(
        lambda progress: render_report(content, target, progress=progress),
        "The report failed unexpectedly",
    )


def ask_choice(window: PlanWindow) -> ExportChoice | None:
    document = window.document
    assert document is not None
    dialog = ReportDialog(
        window.widget,
        partners=document.read(partner_choices),
        themes=document.read(theme_choices),
        marking=document.read(plan_header).protective_marking,
    )
    return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_target(window: PlanWindow, suggested: Path) -> Path | None:
    return ask_save_path(
        window.widget, "Export report (PDF)", suggested, "PDF documents (*.pdf)", ".pdf"
    )


def export_report(window: PlanWindow) -> Path | None:
    """Run the whole report conversation; returns the file written, or None."""
    document = window.document
    if document is None:
        return None
    choice = ask_choice(window)
    if choice is None:
        return None
    header = document.read(plan_header)
    stamp = header.status_date.strftime("%Y-%m-%d")
    suggested = (
        document.plan_file.path.parent / f"{document.plan_file.path.stem} report {stamp}.pdf"
    )
    target = ask_target(window, suggested)
    if target is None:
        return None
    options = ReportOptions(
        slice=ExportSlice(choice.partner_ids, frozenset(), choice.theme_ids),
        protective_marking=choice.protective_marking or None,
        author=window.settings.officer_name(),
    )
    content = document.read(lambda session, plan_id: gather_report(session, plan_id, options))
    if not content.actions:
        show_error(window.widget, "No actions match that choice, so there is nothing to report on.")
        return None
    result = run_report(window, content, target)
    if isinstance(result, ReportCancelled):
        window.show_status("Report cancelled; no PDF was written.", 6000)
        return None
    if isinstance(result, PlannerError):
        show_error(window.widget, result, "The report was not written")
        return None
    assert isinstance(result, ReportResult)
    window.show_status(f"Wrote the report ({result.pages} pages) to {target.name}", 8000)
    return target


def run_report(window: PlanWindow, content: ReportContent, target: Path) -> object:
    """Paint the report on a worker thread while a progress dialog offers Cancel."""
    return run_with_progress(window.widget, report_worker(content, target), REPORT_PROGRESS)
