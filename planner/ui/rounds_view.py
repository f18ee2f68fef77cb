"""File > Update rounds: the rounds sent to partner bodies or lead officers, who has
returned their workbook, and the two things to do about it — start a round (one
workbook per recipient, written into a folder) and import the returned workbooks
(each previewed, then merged as one undoable step that also marks it returned).

It also prepares the email drafts that carry the workbooks and the reminders to those
who have not sent theirs back. Every question is a module-level function
(ask_round_options, ask_folder, ask_returned_files, ask_email_wording, ask_csv_file) so
tests can answer it without a modal dialog."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from planner.commands import Command, EditRecord
from planner.domain import ReturnRule
from planner.errors import PlannerError
from planner.io.csv_file import write_csv
from planner.io.emails import DraftsWritten, check_template
from planner.io.excel.merge import MergePreview, build_preview
from planner.io.excel.reading import read_returned
from planner.io.rounds import (
    STATUS_HEADINGS,
    StartedRound,
    email_wording,
    prepare_drafts,
    recipient_of,
    round_merge_command,
    start_round,
    status_cells,
)
from planner.officer import officer_name
from planner.queries.lookups import person_choices, plan_header
from planner.ui.dialogs.email_wording import ask_email_wording
from planner.ui.dialogs.import_preview import ImportPreviewDialog
from planner.ui.dialogs.round_options import ask_round_options
from planner.ui.import_flow import has_anything_to_merge, merged_count, read_preview
from planner.ui.messages import show_error
from planner.ui.views.rounds_window import TITLE, RoundsWindow

_log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from planner.ui.document import PlanDocument
    from planner.ui.window_api import PlanWindow


# ----- the file questions (replaced in tests) ---------------------------------------------------


def ask_folder(parent: QWidget | None, start: Path) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(
        parent, "Folder for the round's workbooks", str(start)
    )
    return Path(chosen) if chosen else None


def ask_csv_file(parent: QWidget | None, start: Path) -> Path | None:
    chosen, _ = QFileDialog.getSaveFileName(
        parent, "Save the round status", str(start), "CSV spreadsheets (*.csv)"
    )
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".csv" else path.with_suffix(".csv")


def ask_returned_files(parent: QWidget | None, start: Path) -> list[Path]:
    chosen, _ = QFileDialog.getOpenFileNames(
        parent, "Import returned workbooks", str(start), "Excel workbooks (*.xlsx)"
    )
    return [Path(name) for name in chosen]


# ----- the dialog -----------------------------------------------------------------------------


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _workbooks(paths: Iterable[Path]) -> list[Path]:
    return [Path(path) for path in paths if str(path).lower().endswith(".xlsx")]


class RoundsDialog(RoundsWindow):
    """The plan's update rounds; start one, or import the workbooks that came back
    (by button or by dropping .xlsx files on the dialog)."""

    def __init__(self, parent: QWidget | None, document: PlanDocument) -> None:
        super().__init__(parent, document)
        self.start_button.clicked.connect(self.start_round)
        self.import_button.clicked.connect(self.import_returned)
        self.emails_button.clicked.connect(lambda: self.prepare_emails(reminders=False))
        self.reminders_button.clicked.connect(lambda: self.prepare_emails(reminders=True))
        self.wording_button.clicked.connect(self.edit_wording)
        self.csv_button.clicked.connect(self.save_status_csv)
        self.rule_combo.currentIndexChanged.connect(self._rule_chosen)

    def _rule_chosen(self, _index: int) -> None:
        rule = self.rule_combo.currentData()
        if rule == self.document.read(plan_header).return_rule:
            return
        command = EditRecord("plan", self.document.plan_id, {"return_rule": rule})

        def refused(error: PlannerError) -> None:
            show_error(self, error, "The rule was not changed")
            self.refresh()

        if self.document.try_execute(command, refused) is None:
            return
        self.say(
            f"From now on, workbooks say in their Read me that {ReturnRule(rule).label.lower()} "
            "may change progress and dates."
        )

    # ----- starting a round ---------------------------------------------------------------

    def start_round(self) -> list[Path]:
        """Ask, write the workbooks and record the round; returns the files written."""
        if self.document.read_only:
            return []
        options = ask_round_options(self)
        if options is None:
            return []
        folder = ask_folder(self, self._folder())
        if folder is None:
            return []

        def query(session: Session, plan_id: int) -> StartedRound:
            return start_round(
                session,
                plan_id,
                folder,
                options.kind,
                return_by=options.return_by,
                exported_by=officer_name(),
            )

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            started = self.document.read(query)
        except PlannerError as error:
            QApplication.restoreOverrideCursor()
            show_error(self, error, "The round was not started")
            return []
        except OSError as error:
            QApplication.restoreOverrideCursor()
            show_error(self, f"The workbooks could not be written: {error}", TITLE)
            return []
        QApplication.restoreOverrideCursor()

        def refused(error: PlannerError) -> None:
            for written in started.files:
                written.unlink(missing_ok=True)
            show_error(self, error, "The round was not started")

        if self.document.try_execute(started.command, refused, source="update round") is None:
            return []
        self.refresh()
        said = (
            f"{started.command.description}: {_plural(len(started.files), 'workbook')} "
            f"written to {folder}."
        )
        if options.emails:
            said += " " + self._drafts(reminders=False, round_id=None, folder=folder)
        self.say(said)
        return list(started.files)

    # ----- emails -------------------------------------------------------------------------

    def _drafts(self, *, reminders: bool, round_id: int | None, folder: Path | None) -> str:
        """Write the drafts; returns what to tell the officer (errors are shown)."""

        def query(session: Session, plan_id: int) -> DraftsWritten:
            return prepare_drafts(
                session,
                plan_id,
                sender=officer_name(),
                round_id=round_id,
                folder=folder,
                reminders=reminders,
            )

        kind = "reminder" if reminders else "email"
        try:
            drafts = self.document.read(query)
        except PlannerError as error:
            show_error(self, error, f"The {kind} drafts were not written")
            return ""
        if not drafts.files and not drafts.no_email:
            return ""
        said = (
            f"{_plural(len(drafts.files), kind + ' draft')} written beside the workbooks: "
            "open each in Outlook and press Send."
        )
        if drafts.no_email:
            said += (
                " No email address for "
                + "; ".join(drafts.no_email)
                + ": send their workbooks yourself, or add a round contact in Partners."
            )
        return said

    def prepare_emails(self, *, reminders: bool) -> str:
        """Email (or reminder) drafts for the selected round, else the newest."""
        said = self._drafts(reminders=reminders, round_id=self._selected_round(), folder=None)
        if said:
            self.say(said)
        return said

    def edit_wording(self) -> bool:
        if self.document.read_only:
            return False
        header_wording = self.document.read(email_wording)
        wording = ask_email_wording(self, header_wording)
        if wording is None or wording == header_wording:
            return False
        try:
            check_template(wording)
        except PlannerError as error:
            show_error(self, error, "The wording was not changed")
            return False
        changed = self.document.try_execute(
            EditRecord("plan", self.document.plan_id, {"round_email": wording}),
            lambda error: show_error(self, error, "The wording was not changed"),
        )
        if changed is None:
            return False
        self.say("The round emails will use the new wording.")
        return True

    def save_status_csv(self) -> Path | None:
        target = ask_csv_file(self, self._folder() / "Round status.csv")
        if target is None:
            return None
        try:
            write_csv(STATUS_HEADINGS, map(status_cells, self.model.lines()), target)
        except PlannerError as error:
            show_error(self, error, "The status was not saved")
            return None
        self.say(f"Saved the round status to {target}.")
        return target

    # ----- importing returned workbooks ---------------------------------------------------

    def import_returned(self) -> int:
        if self.document.read_only:
            return 0
        paths = ask_returned_files(self, self._folder())
        return self.import_files(paths) if paths else 0

    def _read(self, path: Path) -> tuple[MergePreview, int | None]:
        def query(session: Session, plan_id: int) -> tuple[MergePreview, int | None]:
            header = plan_header(session, plan_id)
            returned = read_returned(path, header.rag_definitions)
            preview = build_preview(session, plan_id, returned)
            return preview, recipient_of(session, plan_id, returned)

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return self.document.read(query)
        finally:
            QApplication.restoreOverrideCursor()

    def import_files(self, paths: Sequence[Path | str]) -> int:
        """Preview and merge each workbook in turn, one undo step each; a file that
        cannot be merged is reported and the rest go on. Returns how many were merged."""
        if self.document.read_only:
            return 0
        merged: list[str] = []
        skipped: list[str] = []
        for path in [Path(p) for p in paths]:
            try:
                preview, recipient_id = self._read(path)
            except PlannerError as error:
                show_error(self, error, f"{path.name} was not merged")
                skipped.append(path.name)
                continue
            except Exception as error:  # a damaged file must not stop the others
                _log.exception("Reading %s as a returned plan failed", path)
                show_error(
                    self,
                    f"'{path.name}' could not be read as a returned plan: {error}",
                    f"{path.name} was not merged",
                )
                skipped.append(path.name)
                continue
            if preview.already_merged:
                skipped.append(f"{path.name} (merged before)")
                continue
            if not has_anything_to_merge(preview):
                marking = round_merge_command(preview, recipient_id)
                if marking is not None and self._run(marking, preview):
                    merged.append(f"{path.name} (nothing new; marked returned)")
                else:
                    skipped.append(f"{path.name} (nothing new)")
                continue
            header = self.document.read(plan_header)
            chosen = ImportPreviewDialog.ask(
                self,
                preview,
                people=self.document.read(person_choices),
                rags=header.rag_definitions,
                rebuild=partial(read_preview, self.document, path),
            )
            command = None if chosen is None else round_merge_command(chosen, recipient_id)
            if chosen is None or command is None:
                skipped.append(f"{path.name} (cancelled)")
                continue
            done = self.document.try_execute(
                command,
                partial(self._refused, failure=f"{path.name} was not merged"),
                source=chosen.source_label(),
            )
            if done is None:
                skipped.append(path.name)
                continue
            merged.append(f"{path.name} ({_plural(merged_count(chosen), 'change')})")
        self.refresh()
        parts = []
        if merged:
            parts.append(f"Merged {_plural(len(merged), 'workbook')}: " + "; ".join(merged) + ".")
        if skipped:
            parts.append("Not merged: " + "; ".join(skipped) + ".")
        self.say(" ".join(parts))
        return len(merged)

    def _refused(self, error: PlannerError, *, failure: str) -> None:
        show_error(self, error, failure)

    def _run(self, command: Command, preview: MergePreview) -> bool:
        failure = f"{preview.source.name} was not marked returned"
        done = self.document.try_execute(
            command, lambda error: show_error(self, error, failure), source=preview.source_label()
        )
        return done is not None

    # ----- drag and drop ------------------------------------------------------------------

    @staticmethod
    def dropped_workbooks(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return []
        return _workbooks(Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not self.document.read_only and self.dropped_workbooks(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if not self.document.read_only and self.dropped_workbooks(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self.dropped_workbooks(event)
        if self.document.read_only or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        # Finish the drag before asking anything: a modal dialog inside a drop is refused
        # by some platforms' drag loops.
        QTimer.singleShot(0, self, lambda: self.import_files(paths))


def show_rounds(window: PlanWindow) -> None:
    """File > Update rounds…: the rounds dialog for the window's plan (nothing if none)."""
    document = window.document
    if document is None:
        return
    dialog = RoundsDialog(window.widget, document)
    try:
        dialog.exec()
    finally:
        dialog.document.changed.disconnect(dialog._document_changed)
        dialog.deleteLater()
