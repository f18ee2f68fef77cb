"""New, open, save and close, with the questions an officer expects a document app to ask."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QLineEdit, QMessageBox

from planner.errors import (
    FileChangedError,
    NotAPlanError,
    PlanLockedError,
    PlannerError,
    RecoveryAvailable,
)
from planner.paths import data_dir
from planner.store.backups import BackupInfo, list_backup_infos, newest_good_backup
from planner.store.planfile import PLAN_SUFFIX, PlanFile, Recovery, find_recovery
from planner.store.shared import PasswordNeeded, PlanListing, SharedDatabase, SharedPlan
from planner.store.shared_location import SharedLocation, is_shared_location
from planner.store.transfer import download_from
from planner.ui.dialogs.backup import BackupDialog
from planner.ui.dialogs.new_plan import NewPlanDialog
from planner.ui.dialogs.open_shared import OpenSharedDialog
from planner.ui.document import PlanDocument
from planner.ui.messages import show_error

if TYPE_CHECKING:
    from planner.ui.window_api import PlanWindow

FILE_FILTER = f"Strategy plans (*{PLAN_SUFFIX});;All files (*)"


def _list_plans(location: SharedLocation, password: str | None) -> list[PlanListing]:
    with SharedDatabase(location, password) as database:
        return database.plans()


class FileFlows(QObject):
    def __init__(self, window: PlanWindow) -> None:
        super().__init__(window.widget)
        self.window = window

    def _start_folder(self) -> str:
        document = self.window.document
        if document is not None:
            return str(document.plan_file.path.parent)
        recent = self.window.settings.most_recent_existing()
        return str(recent.parent) if recent else str(Path.home())

    # ----- opening ----------------------------------------------------------------

    def open_dialog(self) -> bool:
        path, _ = QFileDialog.getOpenFileName(
            self.window.widget, "Open plan", self._start_folder(), FILE_FILTER
        )
        return self.open_path(Path(path)) if path else False

    def open_path(self, path: Path | str) -> bool:
        """Open `path` in the window, asking about unsaved changes and recovery (a
        postgresql:// address opens that shared plan)."""
        if isinstance(path, str) and is_shared_location(path):
            return self.open_shared(SharedLocation.parse(path))
        path = Path(path)
        if not self.close_plan():
            return False
        recovery: Recovery = "discard"
        found = find_recovery(path)
        if found is not None:
            answer = self.ask_recovery(path, found.last_change.strftime("%d/%m/%Y %H:%M"))
            if answer is None:
                return False
            recovery = answer
        reason = None
        try:
            plan_file = PlanFile.open(path, recovery=recovery)
        except RecoveryAvailable:
            return False
        except PlanLockedError as error:
            opened = self._open_locked(path, error)
            if opened is None:
                return False
            plan_file, reason = opened
        except NotAPlanError as error:
            backup = self._offer_backup(path, error)
            if backup is None:
                return False
            plan_file = backup
        except PlannerError as error:
            show_error(self.window.widget, error, "The plan could not be opened")
            if not path.exists():
                self.window.settings.remove_recent_file(path)
            return False
        document = PlanDocument(plan_file)
        if reason:
            document.read_only_reason = reason
        self.window.set_document(document)
        return True

    # ----- shared plans ----------------------------------------------------------------

    def open_shared_dialog(self) -> bool:
        """File > Open shared plan: ask where, list the plans there, open the one chosen."""
        dialog = OpenSharedDialog(_list_plans, self.window.widget)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        chosen = dialog.chosen()
        if chosen is None:
            return False
        location, password = chosen
        return self.open_shared(location, password)

    def open_shared(self, location: SharedLocation, password: str | None = None) -> bool:
        """Open the shared plan at `location`; asks for the password if the server wants
        one (it is kept only by the open connection, never in the settings)."""
        if not self.close_plan():
            return False
        try:
            try:
                shared = SharedPlan.open(location, password=password)
            except PasswordNeeded as error:
                password = self.ask_password(str(error))
                if password is None:
                    return False
                shared = SharedPlan.open(location, password=password)
        except PlannerError as error:
            show_error(self.window.widget, error, "The shared plan could not be opened")
            return False
        self.window.set_document(PlanDocument(shared))
        return True

    def ask_password(self, message: str) -> str | None:
        text, ok = QInputDialog.getText(
            self.window.widget,
            "Database password",
            f"{message}\nPassword:",
            QLineEdit.EchoMode.Password,
        )
        return text if ok else None

    def download_copy(self) -> bool:
        """File > Download a copy: the shared plan into a plan file, for offline work."""
        document = self.window.document
        if document is None or not isinstance(document.plan_file, SharedPlan):
            return False
        chosen, _ = QFileDialog.getSaveFileName(
            self.window.widget,
            "Download a copy for offline work",
            str(document.plan_file.path),
            FILE_FILTER,
        )
        if not chosen:
            return False
        target = Path(chosen)
        if target.suffix.lower() != PLAN_SUFFIX:
            target = target.with_suffix(PLAN_SUFFIX)
        try:
            download_from(document.plan_file, target, overwrite=True).close()
        except PlannerError as error:
            show_error(self.window.widget, error, "The copy could not be made")
            return False
        self.window.show_status(
            f"Downloaded a copy to {target}. To send its changes back, export it to Excel "
            "with 'changes since the download' and import that workbook here.",
            12000,
        )
        return True

    def _open_locked(self, path: Path, error: PlanLockedError) -> tuple[PlanFile, str] | None:
        """Offer to open a plan that is open elsewhere read-only, or as a copy."""
        answer = self.ask_locked(str(error))
        try:
            if answer == "read-only":
                return PlanFile.open(path, read_only=True), str(error)
            if answer == "copy":
                target = self.ask_copy_path(path)
                if target is None:
                    return None
                return PlanFile.open_copy(path, target), ""
        except PlannerError as failure:
            show_error(self.window.widget, failure, "The plan could not be opened")
        return None

    def ask_locked(self, message: str) -> str | None:
        """'read-only', 'copy' or None (cancel)."""
        box = QMessageBox(self.window.widget)
        box.setObjectName("lockedDialog")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("The plan is open elsewhere")
        box.setText(message)
        box.setInformativeText(
            "Open it read-only to look at it, or open a copy of it to work on separately."
        )
        read_only = box.addButton("Open read-only", QMessageBox.ButtonRole.AcceptRole)
        copy = box.addButton("Open a copy…", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(read_only)
        box.exec()
        if box.clickedButton() is read_only:
            return "read-only"
        if box.clickedButton() is copy:
            return "copy"
        return None

    def ask_copy_path(self, path: Path) -> Path | None:
        suggested = path.with_name(f"{path.stem} (copy){PLAN_SUFFIX}")
        chosen, _ = QFileDialog.getSaveFileName(
            self.window.widget, "Save a copy of the plan as", str(suggested), FILE_FILTER
        )
        if not chosen:
            return None
        target = Path(chosen)
        return target if target.suffix.lower() == PLAN_SUFFIX else target.with_suffix(PLAN_SUFFIX)

    # ----- damaged plans and backups --------------------------------------------------

    def _offer_backup(self, path: Path, error: NotAPlanError) -> PlanFile | None:
        """A damaged plan is left as it is; offer its newest good backup instead."""
        backup = newest_good_backup(data_dir(), path) if "damaged" in str(error) else None
        if backup is None:
            show_error(self.window.widget, error, "The plan could not be opened")
            return None
        if not self.ask_use_backup(str(error), backup.description):
            return None
        try:
            return PlanFile.restore_backup(path, backup.path)
        except PlannerError as failure:
            show_error(self.window.widget, failure, "The backup could not be opened")
            return None

    def ask_use_backup(self, message: str, when: str) -> bool:
        box = QMessageBox(self.window.widget)
        box.setObjectName("useBackupDialog")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("The plan is damaged")
        box.setText(message)
        box.setInformativeText(
            f"The newest good backup is from {when}. Open it? The damaged file is not "
            "changed unless you save over it."
        )
        use = box.addButton("Open the backup", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(use)
        box.exec()
        return box.clickedButton() is use

    def restore_from_backup(self) -> bool:
        """File > Restore from backup: reopen the plan from one of its backups."""
        document = self.window.document
        if document is None or document.read_only:
            return False
        path = document.plan_file.path
        backups = list_backup_infos(document.plan_file.data_dir, path)
        if not backups:
            show_error(
                self.window.widget,
                f"There are no backups of '{path.name}' yet. One is kept each day the plan "
                "is saved, and before it is upgraded to a newer file format.",
                "Restore from backup",
            )
            return False
        chosen = self.choose_backup(path.name, backups)
        if chosen is None or not self.close_plan():
            return False
        try:
            plan_file = PlanFile.restore_backup(path, chosen.path)
        except PlannerError as error:
            show_error(self.window.widget, error, "The backup could not be opened")
            return False
        self.window.set_document(PlanDocument(plan_file))
        self.window.show_status(
            f"Opened the backup from {chosen.description}; save to keep it.", 8000
        )
        return True

    def choose_backup(self, name: str, backups: list[BackupInfo]) -> BackupInfo | None:
        dialog = BackupDialog(self.window.widget, name, backups)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen()

    def ask_recovery(self, path: Path, when: str) -> Recovery | None:
        """'recover', 'discard' or None (cancel)."""
        box = QMessageBox(self.window.widget)
        box.setObjectName("recoveryDialog")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Unsaved changes found")
        box.setText(
            f"'{path.name}' has changes from {when} that were never saved "
            "(the program may have closed unexpectedly)."
        )
        box.setInformativeText("Recover them, or discard them and open the saved file?")
        recover = box.addButton("Recover changes", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Discard changes", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(recover)
        box.exec()
        if box.clickedButton() is recover:
            return "recover"
        if box.clickedButton() is discard:
            return "discard"
        return None

    def new_plan(self) -> bool:
        dialog = NewPlanDialog(self.window.widget)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        values = dialog.values()
        suggested = str(Path(self._start_folder()) / f"{values.title}{PLAN_SUFFIX}")
        path, _ = QFileDialog.getSaveFileName(
            self.window.widget, "Save new plan as", suggested, FILE_FILTER
        )
        if not path:
            return False
        target = Path(path)
        if target.suffix.lower() != PLAN_SUFFIX:
            target = target.with_suffix(PLAN_SUFFIX)
        if not self.close_plan():
            return False
        try:
            plan_file = PlanFile.create(
                target,
                title=values.title,
                organisation=values.organisation,
                period_start=values.period_start,
                period_end=values.period_end,
                protective_marking=values.protective_marking,
                overwrite=True,
            )
        except PlannerError as error:
            show_error(self.window.widget, error, "The plan could not be created")
            return False
        self.window.set_document(PlanDocument(plan_file))
        return True

    # ----- saving -----------------------------------------------------------------

    def save(self) -> bool:
        document = self.window.document
        if document is None:
            return False
        if document.read_only:
            return self.save_as()
        try:
            document.save()
        except FileChangedError as error:
            box = QMessageBox(self.window.widget)
            box.setObjectName("fileChangedDialog")
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle("The file changed on disk")
            box.setText(str(error))
            save_as = box.addButton("Save As…", QMessageBox.ButtonRole.AcceptRole)
            overwrite = box.addButton("Overwrite", QMessageBox.ButtonRole.DestructiveRole)
            box.addButton(QMessageBox.StandardButton.Cancel)
            box.exec()
            if box.clickedButton() is save_as:
                return self.save_as()
            if box.clickedButton() is overwrite:
                return self._guard(lambda: document.save(overwrite_changes=True))
            return False
        except PlannerError as error:
            show_error(self.window.widget, error, "The plan was not saved")
            return False
        self._saved()
        return True

    def save_as(self, path: Path | None = None) -> bool:
        document = self.window.document
        if document is None:
            return False
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self.window.widget, "Save plan as", str(document.plan_file.path), FILE_FILTER
            )
            if not chosen:
                return False
            path = Path(chosen)
            if path.suffix.lower() != PLAN_SUFFIX:
                path = path.with_suffix(PLAN_SUFFIX)
        if not self._guard(lambda: document.save_as(str(path))):
            return False
        self.window.settings.add_recent_file(path)
        self.window.set_document(document)
        return True

    def _guard(self, step: Callable[[], object]) -> bool:
        try:
            step()
        except PlannerError as error:
            show_error(self.window.widget, error, "The plan was not saved")
            return False
        self._saved()
        return True

    def _saved(self) -> None:
        self.window.show_status("Saved", 4000)
        self.window.update_title()

    # ----- closing ----------------------------------------------------------------

    def close_plan(self) -> bool:
        """Close the current plan; asks Save / Discard / Cancel when there are changes.

        Returns False when the user cancels or saving fails."""
        document = self.window.document
        if document is None:
            return True
        if document.dirty and not document.read_only:
            answer = self.ask_save_changes(document.plan_file.path.name)
            if answer == "cancel":
                return False
            if answer == "save" and not self.save():
                return False
            discard = answer == "discard"
        else:
            discard = True
        self.window.set_document(None)
        document.close(discard=discard)
        return True

    def ask_save_changes(self, name: str) -> str:
        """'save', 'discard' or 'cancel'."""
        answer = QMessageBox.question(
            self.window.widget,
            "Save changes?",
            f"Save the changes to '{name}' before closing?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        return {
            QMessageBox.StandardButton.Save: "save",
            QMessageBox.StandardButton.Discard: "discard",
        }.get(answer, "cancel")
