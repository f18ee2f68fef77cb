"""File > Export report (PDF): ask, gather, paint off the UI thread with a cancellable
progress dialog (the same shape as the Excel export)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QDialog, QFileDialog, QProgressDialog

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
from planner.ui.export_dialog import ExportChoice
from planner.ui.messages import show_error
from planner.ui.report_dialog import ReportDialog

if TYPE_CHECKING:
    from planner.ui.main_window import MainWindow


class ReportWorker(QObject):
    """Paints one report from already-gathered content (plain data, no database)."""

    progressed = Signal(int, int, str)
    finished = Signal(object)  # the ReportResult, or a PlannerError

    def __init__(self, content: ReportContent, target: Path) -> None:
        super().__init__()
        self.content = content
        self.target = target
        self.cancel_requested = threading.Event()

    def run(self) -> None:
        def report(done: int, total: int, stage: str) -> bool:
            self.progressed.emit(done, total, stage)
            return not self.cancel_requested.is_set()

        try:
            result: object = render_report(self.content, self.target, progress=report)
        except PlannerError as error:
            result = error
        except Exception as error:  # an unforeseen fault must still end the dialog
            result = PlannerError(f"The report failed unexpectedly: {error}")
        self.finished.emit(result)


def ask_choice(window: MainWindow) -> ExportChoice | None:
    document = window.document
    assert document is not None
    dialog = ReportDialog(
        window,
        partners=document.read(partner_choices),
        themes=document.read(theme_choices),
        marking=document.read(plan_header).protective_marking,
    )
    return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_target(window: MainWindow, suggested: Path) -> Path | None:
    chosen, _ = QFileDialog.getSaveFileName(
        window, "Export report (PDF)", str(suggested), "PDF documents (*.pdf)"
    )
    if not chosen:
        return None
    target = Path(chosen)
    return target if target.suffix.lower() == ".pdf" else target.with_suffix(".pdf")


def export_report(window: MainWindow) -> Path | None:
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
    )
    content = document.read(lambda session, plan_id: gather_report(session, plan_id, options))
    if not content.actions:
        show_error(window, "No actions match that choice, so there is nothing to report on.")
        return None
    result = run_report(window, content, target)
    if isinstance(result, ReportCancelled):
        window.statusBar().showMessage("Report cancelled; no PDF was written.", 6000)
        return None
    if isinstance(result, PlannerError):
        show_error(window, result, "The report was not written")
        return None
    assert isinstance(result, ReportResult)
    window.statusBar().showMessage(
        f"Wrote the report ({result.pages} pages) to {target.name}", 8000
    )
    return target


class _ProgressRelay(QObject):
    """Lives on the UI thread, so the worker's signals reach the dialog queued."""

    def __init__(self, dialog: QProgressDialog, thread: QThread) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.thread = thread
        self.result: object = None
        self.done = False

    @Slot(int, int, str)
    def progressed(self, done: int, total: int, stage: str) -> None:
        self.dialog.setValue(int(100 * done / max(total, 1)))
        self.dialog.setLabelText(f"Writing the report: {stage}…")

    @Slot(object)
    def finished(self, result: object) -> None:
        self.result = result
        self.done = True
        self.thread.quit()
        self.dialog.done(0)


def run_report(window: MainWindow, content: ReportContent, target: Path) -> object:
    """Paint the report on a worker thread while a progress dialog offers Cancel."""
    progress = QProgressDialog("Writing the report…", "Cancel", 0, 100, window)
    progress.setObjectName("reportProgress")
    progress.setWindowTitle("Export report (PDF)")
    progress.setMinimumDuration(400)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    worker = ReportWorker(content, target)
    thread = QThread(window)
    worker.moveToThread(thread)
    relay = _ProgressRelay(progress, thread)
    worker.progressed.connect(relay.progressed)
    worker.finished.connect(relay.finished)
    progress.canceled.connect(worker.cancel_requested.set)
    thread.started.connect(worker.run)
    thread.start()
    if not relay.done:
        progress.exec()
    if not relay.done:  # closed by Cancel before the worker finished
        worker.cancel_requested.set()
    thread.quit()
    thread.wait()
    while not relay.done:  # the worker's last signal is still queued
        QCoreApplication.processEvents()
    progress.deleteLater()
    return relay.result
