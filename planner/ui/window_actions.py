"""The main window's commands: each action with its shortcut, icon and tip. The actions are
the window's attributes (`window.actionSave`), as tests and scripts find them; the menus
and the toolbar that hold them are made by planner.ui.window_menus."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QDateEdit, QMenu, QWidget

from planner import APP_NAME
from planner.ui.about import about_box
from planner.ui.delegates import UK_DATE_FORMAT
from planner.ui.icons import icon

if TYPE_CHECKING:
    from planner.ui.document import PlanDocument
    from planner.ui.file_flows import FileFlows
    from planner.ui.plan_editing import PlanEditing
    from planner.ui.window_api import CommandsWindow, PlanWindow


class WindowCommands:
    """The window's commands, as its attributes; the main window is one of these."""

    actionNew: QAction
    actionNewFromExcel: QAction
    actionOpen: QAction
    actionOpenShared: QAction
    actionSave: QAction
    actionSaveAs: QAction
    actionDownloadCopy: QAction
    actionRestoreBackup: QAction
    actionClose: QAction
    actionQuit: QAction
    actionExportExcel: QAction
    actionExportReport: QAction
    actionPrintView: QAction
    actionImportExcel: QAction
    actionRounds: QAction
    actionExportHistory: QAction
    actionReviewProposals: QAction
    actionPreferences: QAction
    actionUndo: QAction
    actionRedo: QAction
    actionAddAction: QAction
    actionDeleteAction: QAction
    actionMoveUp: QAction
    actionMoveDown: QAction
    actionAddTheme: QAction
    actionMoveThemeUp: QAction
    actionMoveThemeDown: QAction
    actionAddMilestone: QAction
    actionAddUpdate: QAction
    actionAssignPerson: QAction
    actionAssignPartner: QAction
    actionRebaseline: QAction
    actionRemoveLink: QAction
    actionDeleteMilestone: QAction
    actionFind: QAction
    actionClearFilter: QAction
    actionShowDetails: QAction
    actionAbout: QAction
    actionUserGuide: QAction
    recent_menu: QMenu
    status_date_edit: QDateEdit

    def enable_commands(
        self, document: PlanDocument | None, *, has_action: bool, has_link: bool
    ) -> None:
        """Enable what can be done now: with a plan, a writable plan, a chosen action."""
        has_plan = document is not None
        writable = has_plan and not (document and document.read_only)
        self.actionSave.setEnabled(writable)
        for action in (
            self.actionSaveAs,
            self.actionClose,
            self.actionExportExcel,
            self.actionExportReport,
            self.actionPrintView,
            self.actionExportHistory,
            self.actionReviewProposals,
        ):
            action.setEnabled(has_plan)
        for action in (
            self.actionImportExcel,
            self.actionRounds,
            self.actionRestoreBackup,
            self.actionAddAction,
            self.actionAddTheme,
            self.actionMoveThemeUp,
            self.actionMoveThemeDown,
        ):
            action.setEnabled(writable)
        for action in (
            self.actionDeleteAction,
            self.actionMoveUp,
            self.actionMoveDown,
            self.actionAddMilestone,
            self.actionAddUpdate,
            self.actionAssignPerson,
            self.actionAssignPartner,
            self.actionRebaseline,
            self.actionDeleteMilestone,
        ):
            action.setEnabled(writable and has_action)
        self.actionRemoveLink.setEnabled(bool(writable and has_action and has_link))
        self.status_date_edit.setEnabled(writable)
        # a shared plan is saved on its server as it is edited: no Save, no file backups
        shared = bool(document and document.shared)
        for action in (self.actionSave, self.actionSaveAs, self.actionRestoreBackup):
            action.setVisible(not shared)
        self.actionDownloadCopy.setVisible(shared)

    def show_undo_steps(self, stack: QUndoStack | None) -> None:
        """Name the step Undo and Redo would take, and enable them only when there is one."""
        self.actionUndo.setEnabled(bool(stack and stack.canUndo()))
        self.actionRedo.setEnabled(bool(stack and stack.canRedo()))
        undo_text = stack.undoText() if stack and stack.canUndo() else ""
        redo_text = stack.redoText() if stack and stack.canRedo() else ""
        self.actionUndo.setText(f"&Undo {undo_text}".strip())
        self.actionRedo.setText(f"&Redo {redo_text}".strip())
        self.actionUndo.setToolTip(f"Undo {undo_text}".strip())
        self.actionRedo.setToolTip(f"Redo {redo_text}".strip())


def _action(
    parent: QWidget,
    name: str,
    text: str,
    slot: Callable[[], object],
    *,
    shortcut: QKeySequence.StandardKey | str | None = None,
    icon_name: str | None = None,
    tip: str = "",
) -> QAction:
    action = QAction(text, parent)
    action.setObjectName(name)
    if icon_name:
        action.setIcon(icon(icon_name))
    if shortcut is not None:
        action.setShortcut(shortcut)
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.triggered.connect(slot)
    parent.addAction(action)
    return action


def build_actions(
    window: CommandsWindow, commands: WindowCommands, files: FileFlows, editing: PlanEditing
) -> None:
    """Make the window's commands (`commands` is the window itself, holding them)."""
    parent = window.widget
    key = QKeySequence.StandardKey
    commands.actionNew = _action(
        parent,
        "actionNew",
        "&New plan…",
        files.new_plan,
        shortcut=key.New,
        icon_name="new",
        tip="Start a new, empty plan",
    )
    commands.actionOpen = _action(
        parent,
        "actionOpen",
        "&Open…",
        files.open_dialog,
        shortcut=key.Open,
        icon_name="open",
        tip="Open a plan file",
    )
    commands.actionOpenShared = _action(
        parent,
        "actionOpenShared",
        "Open s&hared plan…",
        files.open_shared_dialog,
        tip="Open a plan kept on a PostgreSQL database server, shared with partners",
    )
    commands.actionDownloadCopy = _action(
        parent,
        "actionDownloadCopy",
        "&Download a copy…",
        files.download_copy,
        tip="Copy this shared plan into a plan file, to work on offline",
    )
    commands.actionSave = _action(
        parent,
        "actionSave",
        "&Save",
        files.save,
        shortcut=key.Save,
        icon_name="save",
        tip="Save the plan",
    )
    commands.actionSaveAs = _action(
        parent,
        "actionSaveAs",
        "Save &As…",
        lambda: files.save_as(),
        shortcut=key.SaveAs,
        tip="Save the plan as a new file",
    )
    commands.actionClose = _action(
        parent, "actionClose", "&Close", files.close_plan, shortcut=key.Close
    )
    commands.actionRestoreBackup = _action(
        parent,
        "actionRestoreBackup",
        "Restore from &backup…",
        files.restore_from_backup,
        tip="Open an earlier copy of this plan kept in your data folder",
    )
    commands.actionQuit = _action(parent, "actionQuit", "&Quit", parent.close, shortcut=key.Quit)
    commands.actionExportExcel = _action(
        parent,
        "actionExportExcel",
        "&Export to Excel…",
        lambda: _export_excel(window),
        icon_name="export-excel",
        tip="Export the plan as an Excel workbook",
    )
    commands.actionExportReport = _action(
        parent,
        "actionExportReport",
        "Export &report (PDF)…",
        lambda: _export_report(window),
        icon_name="report",
        tip="Write the board report on the plan as a PDF",
    )
    commands.actionPrintView = _action(
        parent,
        "actionPrintView",
        "&Print view to PDF…",
        lambda: _print_view(window),
        shortcut=key.Print,
        tip="Save the tab on screen as a one-page PDF, to print or attach",
    )
    commands.actionImportExcel = _action(
        parent,
        "actionImportExcel",
        "&Import updates from Excel…",
        lambda: _import_excel(window),
        icon_name="import-excel",
        tip="Merge a returned workbook into the plan",
    )
    commands.actionRounds = _action(
        parent,
        "actionRounds",
        "Update &rounds…",
        lambda: _show_rounds(window),
        tip="Send a workbook to every partner body or lead officer and track the returns",
    )
    commands.actionReviewProposals = _action(
        parent,
        "actionReviewProposals",
        "Review &proposals…",
        lambda: _review_proposals(window),
        tip="Accept or decline the new actions and milestones partners proposed in their "
        "returned copies",
    )
    commands.actionExportHistory = _action(
        parent,
        "actionExportHistory",
        "Export change &history…",
        lambda: _export_change_history(window),
        tip="Save who changed what and when, with the old and new values, as a CSV file",
    )
    commands.actionPreferences = _action(
        parent,
        "actionPreferences",
        "Pre&ferences…",
        lambda: _show_preferences(window),
        shortcut=key.Preferences,
        tip="Your name, as the plan's change history and exported workbooks record it",
    )
    commands.actionPreferences.setMenuRole(QAction.MenuRole.PreferencesRole)
    commands.actionNewFromExcel = _action(
        parent,
        "actionNewFromExcel",
        "New plan from E&xcel…",
        lambda: _new_from_excel(window),
        tip="Start a plan from an existing spreadsheet of actions",
    )

    commands.actionUndo = QAction(icon("undo"), "&Undo", parent)
    commands.actionUndo.setObjectName("actionUndo")
    commands.actionUndo.setShortcut(key.Undo)
    commands.actionUndo.triggered.connect(window.undo)
    commands.actionRedo = QAction(icon("redo"), "&Redo", parent)
    commands.actionRedo.setObjectName("actionRedo")
    commands.actionRedo.setShortcut(key.Redo)
    commands.actionRedo.triggered.connect(window.redo)

    commands.actionAddAction = _action(
        parent,
        "actionAddAction",
        "Add &action",
        editing.add_action,
        shortcut="Ctrl+Shift+A",
        icon_name="add-action",
        tip="Add an action to the selected theme",
    )
    commands.actionDeleteAction = _action(
        parent,
        "actionDeleteAction",
        "&Delete action…",
        editing.delete_action,
        shortcut="Ctrl+Shift+Del",
        icon_name="delete",
        tip="Delete the selected action",
    )
    commands.actionMoveUp = _action(
        parent,
        "actionMoveUp",
        "Move action &up",
        lambda: editing.move_action(-1),
        shortcut="Ctrl+Shift+Up",
        icon_name="move-up",
    )
    commands.actionMoveDown = _action(
        parent,
        "actionMoveDown",
        "Move action do&wn",
        lambda: editing.move_action(1),
        shortcut="Ctrl+Shift+Down",
        icon_name="move-down",
    )
    commands.actionAddTheme = _action(parent, "actionAddTheme", "Add &theme", editing.add_theme)
    commands.actionMoveThemeUp = _action(
        parent, "actionMoveThemeUp", "Move theme u&p", lambda: editing.move_theme(-1)
    )
    commands.actionMoveThemeDown = _action(
        parent, "actionMoveThemeDown", "Move theme dow&n", lambda: editing.move_theme(1)
    )
    commands.actionAddMilestone = _action(
        parent,
        "actionAddMilestone",
        "Add &milestone…",
        window.details.add_milestone,
        shortcut="Ctrl+M",
        icon_name="milestone",
    )
    commands.actionAddUpdate = _action(
        parent,
        "actionAddUpdate",
        "Add progress &update…",
        window.details.add_progress_update,
        shortcut="Ctrl+U",
        icon_name="progress",
    )
    commands.actionAssignPerson = _action(
        parent,
        "actionAssignPerson",
        "Assign &person…",
        window.details.assign_person,
        icon_name="person",
    )
    commands.actionAssignPartner = _action(
        parent,
        "actionAssignPartner",
        "Assign partner &body…",
        window.details.assign_partner,
        icon_name="partner",
    )
    commands.actionRebaseline = _action(
        parent,
        "actionRebaseline",
        "Re-&baseline…",
        window.details.rebaseline,
        icon_name="rebaseline",
    )
    commands.actionRemoveLink = _action(
        parent,
        "actionRemoveLink",
        "Remove person or partner from action…",
        window.details.remove_selected_link,
    )
    commands.actionDeleteMilestone = _action(
        parent,
        "actionDeleteMilestone",
        "Delete &milestone…",
        window.details.remove_selected_milestone,
    )
    window.details.status_message.connect(lambda text: window.show_status(text, 5000))
    window.details.link_selection_changed.connect(lambda _selected: window.update_enabled())
    commands.actionFind = _action(
        parent, "actionFind", "&Find…", window.focus_filter, shortcut=key.Find, icon_name="filter"
    )
    commands.actionClearFilter = _action(
        parent,
        "actionClearFilter",
        "C&lear filter",
        lambda: window.filter_bar.clear(),
        shortcut="Ctrl+Shift+L",
    )
    commands.actionAbout = _action(
        parent,
        "actionAbout",
        f"&About {APP_NAME}",
        lambda: about_box(parent).exec(),
        icon_name="about",
    )
    commands.actionUserGuide = _action(
        parent,
        "actionUserGuide",
        "&User guide",
        lambda: _show_user_guide(parent),
        shortcut=key.HelpContents,
        tip="How to build a plan, circulate it to partners and merge their returns",
    )

    commands.status_date_edit = QDateEdit(parent)
    commands.status_date_edit.setObjectName("statusDateEdit")
    commands.status_date_edit.setCalendarPopup(True)
    commands.status_date_edit.setDisplayFormat(UK_DATE_FORMAT)
    commands.status_date_edit.setAccessibleName("Status date")
    commands.status_date_edit.setToolTip("The plan's 'as at' date: overdue is judged against it")
    commands.status_date_edit.editingFinished.connect(editing.status_date_edited)


# The flows are imported when first used, so the window opens sooner.


def _export_excel(window: PlanWindow) -> None:
    from planner.ui.export_flow import export_to_excel

    export_to_excel(window)


def _export_report(window: PlanWindow) -> None:
    from planner.ui.report_flow import export_report

    export_report(window)


def _print_view(window: PlanWindow) -> None:
    from planner.ui.print_view import print_current_view

    print_current_view(window)


def _import_excel(window: PlanWindow) -> None:
    from planner.ui.import_flow import import_from_excel

    import_from_excel(window)


def _show_rounds(window: PlanWindow) -> None:
    from planner.ui.rounds_view import show_rounds

    show_rounds(window)


def _new_from_excel(window: PlanWindow) -> None:
    from planner.ui.new_from_excel import new_plan_from_excel

    new_plan_from_excel(window)


def _review_proposals(window: PlanWindow) -> None:
    from planner.ui.proposals_flow import review_proposals

    review_proposals(window)


def _export_change_history(window: PlanWindow) -> None:
    from planner.ui.history_flow import export_change_history

    export_change_history(window)


def _show_preferences(window: PlanWindow) -> None:
    from planner.ui.dialogs.preferences import show_preferences

    show_preferences(window)


def _show_user_guide(parent: QWidget) -> None:
    from planner.ui.guide import show_user_guide

    show_user_guide(parent)
