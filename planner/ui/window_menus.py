"""The main window's menus and toolbar, holding the commands planner.ui.window_actions
makes, and the File > Open Recent list."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMenu, QToolBar, QToolButton, QWidget

from planner.ui.settings import AppSettings

if TYPE_CHECKING:
    from planner.ui.file_flows import FileFlows
    from planner.ui.window_actions import WindowCommands
    from planner.ui.window_api import CommandsWindow


def build_menus(window: CommandsWindow, commands: WindowCommands, files: FileFlows) -> None:
    """The menus and the toolbar that hold the window's commands."""
    parent = window.widget
    menu = parent.menuBar()
    file_menu = menu.addMenu("&File")
    file_menu.addActions(
        [
            commands.actionNew,
            commands.actionNewFromExcel,
            commands.actionOpen,
            commands.actionOpenShared,
        ]
    )
    commands.recent_menu = file_menu.addMenu("Open &Recent")
    commands.recent_menu.setObjectName("recentMenu")
    commands.recent_menu.aboutToShow.connect(
        lambda: fill_recent_menu(commands.recent_menu, window.settings, files.open_path)
    )
    file_menu.addSeparator()
    file_menu.addActions(
        [
            commands.actionSave,
            commands.actionSaveAs,
            commands.actionDownloadCopy,
            commands.actionRestoreBackup,
            commands.actionClose,
        ]
    )
    file_menu.addSeparator()
    file_menu.addActions(
        [
            commands.actionExportExcel,
            commands.actionExportReport,
            commands.actionPrintView,
            commands.actionImportExcel,
            commands.actionReviewProposals,
            commands.actionRounds,
            commands.actionExportHistory,
        ]
    )
    file_menu.addSeparator()
    file_menu.addAction(commands.actionQuit)

    edit_menu = menu.addMenu("&Edit")
    edit_menu.addActions([commands.actionUndo, commands.actionRedo])
    edit_menu.addSeparator()
    edit_menu.addActions(
        [
            commands.actionAddAction,
            commands.actionDeleteAction,
            commands.actionMoveUp,
            commands.actionMoveDown,
        ]
    )
    edit_menu.addSeparator()
    edit_menu.addActions(
        [
            commands.actionAddMilestone,
            commands.actionAddUpdate,
            commands.actionAssignPerson,
            commands.actionAssignPartner,
            commands.actionRebaseline,
            commands.actionRemoveLink,
            commands.actionDeleteMilestone,
        ]
    )
    edit_menu.addSeparator()
    edit_menu.addActions(
        [commands.actionAddTheme, commands.actionMoveThemeUp, commands.actionMoveThemeDown]
    )
    edit_menu.addSeparator()
    edit_menu.addActions([commands.actionFind, commands.actionClearFilter])
    edit_menu.addSeparator()
    edit_menu.addAction(commands.actionPreferences)

    view_menu = menu.addMenu("&View")
    for number, name in enumerate(("Actions", "People", "Partner bodies")):
        view_action = QAction(f"&{name}", parent)
        view_action.setShortcut(f"Ctrl+{number + 1}")
        view_action.triggered.connect(lambda _=False, n=number: window.tabs.setCurrentIndex(n))
        view_menu.addAction(view_action)
        parent.addAction(view_action)

    view_menu.addSeparator()
    commands.actionShowDetails = QAction("Action &details panel", parent)
    commands.actionShowDetails.setObjectName("actionShowDetails")
    commands.actionShowDetails.setCheckable(True)
    commands.actionShowDetails.setChecked(True)
    commands.actionShowDetails.setShortcut("F9")
    commands.actionShowDetails.setStatusTip("Show or hide the details of the selected action")
    commands.actionShowDetails.toggled.connect(window.details.setVisible)
    view_menu.addAction(commands.actionShowDetails)
    parent.addAction(commands.actionShowDetails)

    help_menu = menu.addMenu("&Help")
    help_menu.addAction(commands.actionUserGuide)
    help_menu.addSeparator()
    help_menu.addAction(commands.actionAbout)

    # Short labels for the toolbar; the menus keep the full wording.
    commands.actionAddMilestone.setIconText("Milestone")
    commands.actionAddUpdate.setIconText("Update")
    commands.actionExportExcel.setIconText("Export")
    commands.actionImportExcel.setIconText("Import")
    commands.actionDeleteAction.setIconText("Delete")
    commands.actionAddAction.setIconText("Add action")
    toolbar = QToolBar("Main toolbar", parent)
    toolbar.setObjectName("mainToolbar")
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toolbar.setMovable(False)
    for action in (commands.actionNew, commands.actionOpen, commands.actionSave):
        toolbar.addAction(action)
    toolbar.addSeparator()
    toolbar.addActions([commands.actionUndo, commands.actionRedo])
    toolbar.addSeparator()
    toolbar.addActions(
        [
            commands.actionAddAction,
            commands.actionDeleteAction,
            commands.actionMoveUp,
            commands.actionMoveDown,
            commands.actionAddMilestone,
            commands.actionAddUpdate,
        ]
    )
    toolbar.addSeparator()
    toolbar.addActions([commands.actionExportExcel, commands.actionImportExcel])
    spacer = QWidget(toolbar)
    spacer.setSizePolicy(
        spacer.sizePolicy().horizontalPolicy().Expanding, spacer.sizePolicy().verticalPolicy()
    )
    toolbar.addWidget(spacer)
    label = QLabel(" Status as at ", toolbar)
    label.setBuddy(commands.status_date_edit)
    toolbar.addWidget(label)
    toolbar.addWidget(commands.status_date_edit)
    for action in (
        commands.actionUndo,
        commands.actionRedo,
        commands.actionMoveUp,
        commands.actionMoveDown,
    ):
        widget = toolbar.widgetForAction(action)
        if isinstance(widget, QToolButton):
            widget.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    parent.addToolBar(toolbar)


def fill_recent_menu(
    menu: QMenu, settings: AppSettings, open_path: Callable[[Path], object]
) -> None:
    menu.clear()
    files = settings.recent_files()
    if not files:
        empty = menu.addAction("No recent plans")
        empty.setEnabled(False)
        return
    for number, path in enumerate(files, start=1):
        action = menu.addAction(f"&{number} {path.name}  —  {path.parent}")
        action.triggered.connect(lambda _=False, p=path: open_path(p))
