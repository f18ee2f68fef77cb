"""Preferences (Edit > Preferences…, or the application menu on macOS): Your name, the
name the plan's change history, its lock file, exported workbooks and merged returns
record you by. It is asked once on first start, with the login name offered as a start.

Every question is a module-level function (run_dialog) so tests can answer it without
a modal dialog."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner import APP_NAME
from planner.officer import MAX_LENGTH, clean_name, login_name, name_from_environment
from planner.ui.details.widgets import muted_label

if TYPE_CHECKING:
    from planner.ui.settings import AppSettings
    from planner.ui.window_api import PlanWindow

TITLE = "Preferences"
FIRST_START_TITLE = f"Welcome to {APP_NAME}"
WHY = (
    "The plan's change history records this name against each change you make. Partners "
    "see it on the workbooks you export, and anyone who tries to open a plan you have open "
    "is told it is you."
)


class PreferencesDialog(QDialog):
    """Your name, saved to the app's settings when OK is pressed."""

    def __init__(
        self, parent: QWidget | None, settings: AppSettings, *, first_start: bool = False
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setObjectName("preferencesDialog")
        self.setWindowTitle(FIRST_START_TITLE if first_start else TITLE)
        layout = QVBoxLayout(self)
        if first_start:
            welcome = QLabel(
                "What name should your plans record you by? You can change it later in "
                "Edit > Preferences.",
                self,
            )
            welcome.setObjectName("preferencesWelcome")
            welcome.setWordWrap(True)
            layout.addWidget(welcome)
        form = QFormLayout()
        self.name_edit = QLineEdit(settings.saved_officer_name() or login_name(), self)
        self.name_edit.setObjectName("yourName")
        self.name_edit.setAccessibleName("Your name")
        self.name_edit.setMaxLength(MAX_LENGTH)
        self.name_edit.setPlaceholderText("e.g. Helen Ashworth")
        self.name_edit.selectAll()
        form.addRow("Your &name:", self.name_edit)
        form.addRow("", muted_label(WHY, self, "preferencesWhy"))
        environment = name_from_environment()
        self.environment_note: QLabel | None = None
        if environment:
            self.environment_note = muted_label(
                f"This computer is set up to record you as '{environment}' (the PLANNER_USER "
                "setting), so that name is used while the setting is there.",
                self,
                "preferencesEnvironment",
            )
            form.addRow("", self.environment_note)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.name_edit.textChanged.connect(self._name_changed)
        self._name_changed(self.name_edit.text())
        self.setMinimumWidth(480)
        self.resize(480, self.heightForWidth(480))

    @property
    def ok_button(self) -> QPushButton:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert button is not None
        return button

    def name(self) -> str:
        return clean_name(self.name_edit.text())

    def _name_changed(self, _text: str) -> None:
        self.ok_button.setEnabled(bool(self.name()))

    def accept(self) -> None:
        if not self.name():
            self.name_edit.setFocus()
            return
        self.settings.set_officer_name(self.name())
        super().accept()


def run_dialog(dialog: PreferencesDialog) -> bool:
    """Show the dialog until it is closed; True when OK was pressed."""
    return dialog.exec() == QDialog.DialogCode.Accepted


def show_preferences(window: PlanWindow) -> str | None:
    """Edit > Preferences…: ask, save, and record changes from now on under the name
    chosen; returns the name saved, or None when cancelled."""
    settings = window.settings
    dialog = PreferencesDialog(window.widget, settings)
    try:
        if not run_dialog(dialog):
            return None
        saved = dialog.name()
    finally:
        dialog.deleteLater()
    use_name_from_now_on(window)
    window.show_status(f"Your name is saved as {saved}.", 6000)
    return saved


def use_name_from_now_on(window: PlanWindow) -> None:
    """The open plan's next changes are recorded under the name now in force (a shared
    plan's journal keeps recording the database account)."""
    document = window.document
    if document is not None and not document.shared:
        document.runner.who = window.settings.officer_name()


def ask_name_on_first_start(settings: AppSettings, parent: QWidget | None = None) -> None:
    """On first start, when no name is saved and PLANNER_USER is not set, ask once."""
    if settings.saved_officer_name() or name_from_environment() or settings.officer_name_asked():
        return
    dialog = PreferencesDialog(parent, settings, first_start=True)
    try:
        if not run_dialog(dialog):
            settings.set_officer_name_asked()  # asked once: the login name stands
    finally:
        dialog.deleteLater()
