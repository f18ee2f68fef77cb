"""Long work off the UI thread, behind a progress dialog that offers Cancel: the Excel
export and the board report both run this way."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from planner.errors import PlannerError

_log = logging.getLogger(__name__)

# (done, total, stage) -> False to cancel
Progress = Callable[[int, int, str], bool]


class Worker(QObject):
    """Runs `job(progress)` once; a PlannerError (or any fault) becomes the result."""

    progressed = Signal(int, int, str)
    finished = Signal(object)  # the job's result, or a PlannerError

    def __init__(self, job: Callable[[Progress], object], failure: str) -> None:
        super().__init__()
        self.job = job
        self.failure = failure  # how an unforeseen fault is described
        self.cancel_requested = threading.Event()

    def run(self) -> None:
        def report(done: int, total: int, stage: str) -> bool:
            self.progressed.emit(done, total, stage)
            return not self.cancel_requested.is_set()

        try:
            result: object = self.job(report)
        except PlannerError as error:
            result = error
        except Exception as error:  # an unforeseen fault must still end the dialog
            _log.exception("%s", self.failure)
            result = PlannerError(f"{self.failure}: {error}")
        self.finished.emit(result)


@dataclass(frozen=True)
class ProgressText:
    title: str  # the dialog's title, e.g. "Export to Excel"
    doing: str  # e.g. "Exporting to Excel"; the stage follows it
    object_name: str


class _ProgressRelay(QObject):
    """Lives on the UI thread, so the worker's signals reach the dialog queued."""

    def __init__(self, dialog: QProgressDialog, thread: QThread, doing: str) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.worker_thread = thread
        self.doing = doing
        self.result: object = None
        self.done = False

    @Slot(int, int, str)
    def progressed(self, done: int, total: int, stage: str) -> None:
        self.dialog.setValue(int(100 * done / max(total, 1)))
        self.dialog.setLabelText(f"{self.doing}: {stage}…")

    @Slot(object)
    def finished(self, result: object) -> None:
        self.result = result
        self.done = True
        self.worker_thread.quit()
        self.dialog.done(0)


def run_with_progress(parent: QWidget, worker: Worker, text: ProgressText) -> object:
    """Run the worker on its own thread while a progress dialog offers Cancel; returns
    its result once it has finished (after a cancel, whatever it returned then)."""
    progress = QProgressDialog(f"{text.doing}…", "Cancel", 0, 100, parent)
    progress.setObjectName(text.object_name)
    progress.setWindowTitle(text.title)
    progress.setMinimumDuration(400)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    thread = QThread(parent)
    worker.moveToThread(thread)
    relay = _ProgressRelay(progress, thread, text.doing)
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
