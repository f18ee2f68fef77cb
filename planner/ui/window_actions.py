"""The main window's commands: each action with its shortcut, icon and tip, the menus
and the toolbar. The actions are the window's attributes (`window.actionSave`), as tests
and scripts find them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDateEdit, QLabel, QToolBar, QToolButton, QWidget

from planner import APP_NAME
from planner.ui.delegates import UK_DATE_FORMAT
from planner.ui.icons import icon

if TYPE_CHECKING:
    from planner.ui.main_window import MainWindow


def _action(
    window: MainWindow,
    name: str,
    text: str,
    slot: Callable[[], object],
    *,
    shortcut: QKeySequence.StandardKey | str | None = None,
    icon_name: str | None = None,
    tip: str = "",
) -> QAction:
    action = QAction(text, window)
    action.setObjectName(name)
    if icon_name:
        action.setIcon(icon(icon_name))
    if shortcut is not None:
        action.setShortcut(shortcut)
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.triggered.connect(slot)
    window.addAction(action)
    return action


def build_actions(window: MainWindow) -> None:
    from planner.ui.file_flows import FileFlows

    flows = FileFlows(window)
    window.file_flows = flows
    key = QKeySequence.StandardKey
    window.actionNew = _action(
        window,
        "actionNew",
        "&New plan…",
        flows.new_plan,
        shortcut=key.New,
        icon_name="new",
        tip="Start a new, empty plan",
    )
    window.actionOpen = _action(
        window,
        "actionOpen",
        "&Open…",
        flows.open_dialog,
        shortcut=key.Open,
        icon_name="open",
        tip="Open a plan file",
    )
    window.actionOpenShared = _action(
        window,
        "actionOpenShared",
        "Open s&hared plan…",
        flows.open_shared_dialog,
        tip="Open a plan kept on a PostgreSQL database server, shared with partners",
    )
    window.actionDownloadCopy = _action(
        window,
        "actionDownloadCopy",
        "&Download a copy…",
        flows.download_copy,
        tip="Copy this shared plan into a plan file, to work on offline",
    )
    window.actionSave = _action(
        window,
        "actionSave",
        "&Save",
        flows.save,
        shortcut=key.Save,
        icon_name="save",
        tip="Save the plan",
    )
    window.actionSaveAs = _action(
        window,
        "actionSaveAs",
        "Save &As…",
        lambda: flows.save_as(),
        shortcut=key.SaveAs,
        tip="Save the plan as a new file",
    )
    window.actionClose = _action(
        window, "actionClose", "&Close", flows.close_plan, shortcut=key.Close
    )
    window.actionRestoreBackup = _action(
        window,
        "actionRestoreBackup",
        "Restore from &backup…",
        flows.restore_from_backup,
        tip="Open an earlier copy of this plan kept in your data folder",
    )
    window.actionQuit = _action(window, "actionQuit", "&Quit", window.close, shortcut=key.Quit)
    window.actionExportExcel = _action(
        window,
        "actionExportExcel",
        "&Export to Excel…",
        window.export_excel,
        icon_name="export-excel",
        tip="Export the plan as an Excel workbook",
    )
    window.actionExportReport = _action(
        window,
        "actionExportReport",
        "Export &report (PDF)…",
        window.export_report,
        icon_name="report",
        tip="Write the board report on the plan as a PDF",
    )
    window.actionPrintView = _action(
        window,
        "actionPrintView",
        "&Print view to PDF…",
        window.print_view,
        shortcut=key.Print,
        tip="Save the tab on screen as a one-page PDF, to print or attach",
    )
    window.actionImportExcel = _action(
        window,
        "actionImportExcel",
        "&Import updates from Excel…",
        window.import_excel,
        icon_name="import-excel",
        tip="Merge a returned workbook into the plan",
    )
    window.actionRounds = _action(
        window,
        "actionRounds",
        "Update &rounds…",
        window.show_rounds,
        tip="Send a workbook to every partner body or lead officer and track the returns",
    )
    window.actionReviewProposals = _action(
        window,
        "actionReviewProposals",
        "Review &proposals…",
        lambda: _review_proposals(window),
        tip="Accept or decline the new actions and milestones partners proposed in their "
        "returned copies",
    )
    window.actionExportHistory = _action(
        window,
        "actionExportHistory",
        "Export change &history…",
        lambda: _export_change_history(window),
        tip="Save who changed what and when, with the old and new values, as a CSV file",
    )
    window.actionPreferences = _action(
        window,
        "actionPreferences",
        "Pre&ferences…",
        lambda: _show_preferences(window),
        shortcut=key.Preferences,
        tip="Your name, as the plan's change history and exported workbooks record it",
    )
    window.actionPreferences.setMenuRole(QAction.MenuRole.PreferencesRole)
    window.actionNewFromExcel = _action(
        window,
        "actionNewFromExcel",
        "New plan from E&xcel…",
        window.new_from_excel,
        tip="Start a plan from an existing spreadsheet of actions",
    )

    window.actionUndo = QAction(icon("undo"), "&Undo", window)
    window.actionUndo.setObjectName("actionUndo")
    window.actionUndo.setShortcut(key.Undo)
    window.actionUndo.triggered.connect(window.undo)
    window.actionRedo = QAction(icon("redo"), "&Redo", window)
    window.actionRedo.setObjectName("actionRedo")
    window.actionRedo.setShortcut(key.Redo)
    window.actionRedo.triggered.connect(window.redo)

    window.actionAddAction = _action(
        window,
        "actionAddAction",
        "Add &action",
        window.add_action,
        shortcut="Ctrl+Shift+A",
        icon_name="add-action",
        tip="Add an action to the selected theme",
    )
    window.actionDeleteAction = _action(
        window,
        "actionDeleteAction",
        "&Delete action…",
        window.delete_action,
        shortcut="Ctrl+Shift+Del",
        icon_name="delete",
        tip="Delete the selected action",
    )
    window.actionMoveUp = _action(
        window,
        "actionMoveUp",
        "Move action &up",
        lambda: window.move_action(-1),
        shortcut="Ctrl+Shift+Up",
        icon_name="move-up",
    )
    window.actionMoveDown = _action(
        window,
        "actionMoveDown",
        "Move action do&wn",
        lambda: window.move_action(1),
        shortcut="Ctrl+Shift+Down",
        icon_name="move-down",
    )
    window.actionAddTheme = _action(window, "actionAddTheme", "Add &theme", window.add_theme)
    window.actionMoveThemeUp = _action(
        window, "actionMoveThemeUp", "Move theme u&p", lambda: window.move_theme(-1)
    )
    window.actionMoveThemeDown = _action(
        window, "actionMoveThemeDown", "Move theme dow&n", lambda: window.move_theme(1)
    )
    window.actionAddMilestone = _action(
        window,
        "actionAddMilestone",
        "Add &milestone…",
        window.details.add_milestone,
        shortcut="Ctrl+M",
        icon_name="milestone",
    )
    window.actionAddUpdate = _action(
        window,
        "actionAddUpdate",
        "Add progress &update…",
        window.details.add_progress_update,
        shortcut="Ctrl+U",
        icon_name="progress",
    )
    window.actionAssignPerson = _action(
        window,
        "actionAssignPerson",
        "Assign &person…",
        window.details.assign_person,
        icon_name="person",
    )
    window.actionAssignPartner = _action(
        window,
        "actionAssignPartner",
        "Assign partner &body…",
        window.details.assign_partner,
        icon_name="partner",
    )
    window.actionRebaseline = _action(
        window,
        "actionRebaseline",
        "Re-&baseline…",
        window.details.rebaseline,
        icon_name="rebaseline",
    )
    window.actionRemoveLink = _action(
        window,
        "actionRemoveLink",
        "Remove person or partner from action…",
        window.details.remove_selected_link,
    )
    window.actionDeleteMilestone = _action(
        window,
        "actionDeleteMilestone",
        "Delete &milestone…",
        window.details.remove_selected_milestone,
    )
    window.details.status_message.connect(lambda text: window.statusBar().showMessage(text, 5000))
    window.details.link_selection_changed.connect(lambda _selected: window.update_enabled())
    window.actionFind = _action(
        window, "actionFind", "&Find…", window.focus_filter, shortcut=key.Find, icon_name="filter"
    )
    window.actionClearFilter = _action(
        window,
        "actionClearFilter",
        "C&lear filter",
        lambda: window.filter_bar.clear(),
        shortcut="Ctrl+Shift+L",
    )
    window.actionAbout = _action(
        window, "actionAbout", f"&About {APP_NAME}", window.about, icon_name="about"
    )
    window.actionUserGuide = _action(
        window,
        "actionUserGuide",
        "&User guide",
        window.show_user_guide,
        shortcut=key.HelpContents,
        tip="How to build a plan, circulate it to partners and merge their returns",
    )

    window.status_date_edit = QDateEdit(window)
    window.status_date_edit.setObjectName("statusDateEdit")
    window.status_date_edit.setCalendarPopup(True)
    window.status_date_edit.setDisplayFormat(UK_DATE_FORMAT)
    window.status_date_edit.setAccessibleName("Status date")
    window.status_date_edit.setToolTip("The plan's 'as at' date: overdue is judged against it")
    window.status_date_edit.editingFinished.connect(window.status_date_edited)


def _review_proposals(window: MainWindow) -> None:
    from planner.ui.proposals_flow import review_proposals

    review_proposals(window)


def _export_change_history(window: MainWindow) -> None:
    from planner.ui.history_flow import export_change_history

    export_change_history(window)


def _show_preferences(window: MainWindow) -> None:
    from planner.ui.dialogs.preferences import show_preferences

    show_preferences(window)


def build_menus(window: MainWindow) -> None:
    menu = window.menuBar()
    file_menu = menu.addMenu("&File")
    file_menu.addActions(
        [window.actionNew, window.actionNewFromExcel, window.actionOpen, window.actionOpenShared]
    )
    window.recent_menu = file_menu.addMenu("Open &Recent")
    window.recent_menu.setObjectName("recentMenu")
    window.recent_menu.aboutToShow.connect(window.fill_recent_menu)
    file_menu.addSeparator()
    file_menu.addActions(
        [
            window.actionSave,
            window.actionSaveAs,
            window.actionDownloadCopy,
            window.actionRestoreBackup,
            window.actionClose,
        ]
    )
    file_menu.addSeparator()
    file_menu.addActions(
        [
            window.actionExportExcel,
            window.actionExportReport,
            window.actionPrintView,
            window.actionImportExcel,
            window.actionReviewProposals,
            window.actionRounds,
            window.actionExportHistory,
        ]
    )
    file_menu.addSeparator()
    file_menu.addAction(window.actionQuit)

    edit_menu = menu.addMenu("&Edit")
    edit_menu.addActions([window.actionUndo, window.actionRedo])
    edit_menu.addSeparator()
    edit_menu.addActions(
        [
            window.actionAddAction,
            window.actionDeleteAction,
            window.actionMoveUp,
            window.actionMoveDown,
        ]
    )
    edit_menu.addSeparator()
    edit_menu.addActions(
        [
            window.actionAddMilestone,
            window.actionAddUpdate,
            window.actionAssignPerson,
            window.actionAssignPartner,
            window.actionRebaseline,
            window.actionRemoveLink,
            window.actionDeleteMilestone,
        ]
    )
    edit_menu.addSeparator()
    edit_menu.addActions(
        [window.actionAddTheme, window.actionMoveThemeUp, window.actionMoveThemeDown]
    )
    edit_menu.addSeparator()
    edit_menu.addActions([window.actionFind, window.actionClearFilter])
    edit_menu.addSeparator()
    edit_menu.addAction(window.actionPreferences)

    view_menu = menu.addMenu("&View")
    for number, name in enumerate(("Actions", "People", "Partner bodies")):
        view_action = QAction(f"&{name}", window)
        view_action.setShortcut(f"Ctrl+{number + 1}")
        view_action.triggered.connect(lambda _=False, n=number: window.tabs.setCurrentIndex(n))
        view_menu.addAction(view_action)
        window.addAction(view_action)

    view_menu.addSeparator()
    window.actionShowDetails = QAction("Action &details panel", window)
    window.actionShowDetails.setObjectName("actionShowDetails")
    window.actionShowDetails.setCheckable(True)
    window.actionShowDetails.setChecked(True)
    window.actionShowDetails.setShortcut("F9")
    window.actionShowDetails.setStatusTip("Show or hide the details of the selected action")
    window.actionShowDetails.toggled.connect(window.details.setVisible)
    view_menu.addAction(window.actionShowDetails)
    window.addAction(window.actionShowDetails)

    help_menu = menu.addMenu("&Help")
    help_menu.addAction(window.actionUserGuide)
    help_menu.addSeparator()
    help_menu.addAction(window.actionAbout)

    # Short labels for the toolbar; the menus keep the full wording.
    window.actionAddMilestone.setIconText("Milestone")
    window.actionAddUpdate.setIconText("Update")
    window.actionExportExcel.setIconText("Export")
    window.actionImportExcel.setIconText("Import")
    window.actionDeleteAction.setIconText("Delete")
    window.actionAddAction.setIconText("Add action")
    toolbar = QToolBar("Main toolbar", window)
    toolbar.setObjectName("mainToolbar")
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toolbar.setMovable(False)
    for action in (window.actionNew, window.actionOpen, window.actionSave):
        toolbar.addAction(action)
    toolbar.addSeparator()
    toolbar.addActions([window.actionUndo, window.actionRedo])
    toolbar.addSeparator()
    toolbar.addActions(
        [
            window.actionAddAction,
            window.actionDeleteAction,
            window.actionMoveUp,
            window.actionMoveDown,
            window.actionAddMilestone,
            window.actionAddUpdate,
        ]
    )
    toolbar.addSeparator()
    toolbar.addActions([window.actionExportExcel, window.actionImportExcel])
    spacer = QWidget(toolbar)
    spacer.setSizePolicy(
        spacer.sizePolicy().horizontalPolicy().Expanding, spacer.sizePolicy().verticalPolicy()
    )
    toolbar.addWidget(spacer)
    label = QLabel(" Status as at ", toolbar)
    label.setBuddy(window.status_date_edit)
    toolbar.addWidget(label)
    toolbar.addWidget(window.status_date_edit)
    for action in (
        window.actionUndo,
        window.actionRedo,
        window.actionMoveUp,
        window.actionMoveDown,
    ):
        widget = toolbar.widgetForAction(action)
        if isinstance(widget, QToolButton):
            widget.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    window.addToolBar(toolbar)
