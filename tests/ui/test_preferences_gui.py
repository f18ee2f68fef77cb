"""Preferences > Your name in the app, offscreen: the dialog saves the name for the app and
the command line, the open plan's next changes are recorded under it, exports name it,
and a first start with no name asks once.

No modal dialog is ever left waiting: `preferences.run_dialog` is replaced by a stand-in
that types into the dialog and presses its buttons the way a user would."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialogButtonBox, QMenu
from sqlalchemy import select

from planner.commands import EditRecord
from planner.officer import officer_name, saved_name
from planner.store.models import Action, JournalEntry
from planner.ui import export_flow
from planner.ui.dialogs import preferences
from planner.ui.dialogs.export import ExportChoice
from planner.ui.dialogs.preferences import PreferencesDialog, ask_name_on_first_start
from planner.ui.main_window import MainWindow
from planner.ui.settings import AppSettings

# PLANNER_USER names the officer running each test: "Test Officer"
pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("officer_name_for_tests")]


def answer_with(qtbot: Any, name: str | None) -> Callable[[PreferencesDialog], bool]:
    """A stand-in for run_dialog: types `name` over what is there and presses OK (or,
    for None, presses Cancel), as a user would."""
    seen: list[PreferencesDialog] = []

    def run(dialog: PreferencesDialog) -> bool:
        seen.append(dialog)
        if name is None:
            cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
            qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
            return False
        dialog.name_edit.selectAll()
        qtbot.keyClicks(dialog.name_edit, name)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        return dialog.result() == PreferencesDialog.DialogCode.Accepted

    run.seen = seen  # type: ignore[attr-defined]
    return run


def journal_whos(window: MainWindow, after_id: int) -> set[str]:
    document = window.document
    assert document is not None
    return set(
        document.read(
            lambda session, plan_id: session.scalars(
                select(JournalEntry.who).where(JournalEntry.id > after_id)
            ).all()
        )
    )


def last_journal_id(window: MainWindow) -> int:
    document = window.document
    assert document is not None
    return int(
        document.read(
            lambda session, plan_id: (
                session.scalar(select(JournalEntry.id).order_by(JournalEntry.id.desc()).limit(1))
                or 0
            )
        )
    )


def action_id(window: MainWindow, ref: str) -> int:
    document = window.document
    assert document is not None
    return int(
        document.read(
            lambda session, plan_id: session.scalar(select(Action.id).where(Action.ref == ref))
        )
    )


def test_preferences_is_in_the_edit_menu_where_the_platform_expects_it(
    window: MainWindow,
) -> None:
    action = window.actionPreferences
    assert action.menuRole() == QAction.MenuRole.PreferencesRole
    edit_menu = next(
        a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Edit"
    )
    assert isinstance(edit_menu, QMenu)
    assert action in edit_menu.actions()
    assert action.isEnabled()


def test_your_name_is_saved_and_the_next_changes_are_recorded_under_it(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PLANNER_USER")
    stand_in = answer_with(qtbot, "Jane Smith")
    monkeypatch.setattr(preferences, "run_dialog", stand_in)
    window.actionPreferences.trigger()
    dialog = stand_in.seen[0]  # type: ignore[attr-defined]
    assert dialog.windowTitle() == "Preferences"
    assert saved_name() == "Jane Smith"  # settings.ini, as the command line reads it
    assert AppSettings().saved_officer_name() == "Jane Smith"
    assert officer_name() == "Jane Smith"
    assert "Jane Smith" in window.statusBar().currentMessage()

    before = last_journal_id(window)
    document = window.document
    assert document is not None
    document.execute(EditRecord("action", action_id(window, "3.2"), {"percent": 55}))
    assert journal_whos(window, before) == {"Jane Smith"}


def test_the_dialog_offers_the_login_name_and_will_not_save_a_blank_one(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PLANNER_USER")
    dialog = PreferencesDialog(None, AppSettings())
    qtbot.addWidget(dialog)
    assert dialog.name_edit.text() == getpass.getuser()
    assert dialog.ok_button.isEnabled()
    dialog.name_edit.clear()
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.name_edit, "   ")
    assert not dialog.ok_button.isEnabled()
    dialog.accept()  # Enter with nothing typed
    assert saved_name() == ""
    qtbot.keyClicks(dialog.name_edit, "Helen Ashworth")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert saved_name() == "Helen Ashworth"
    again = PreferencesDialog(None, AppSettings())
    qtbot.addWidget(again)
    assert again.name_edit.text() == "Helen Ashworth"
    assert again.environment_note is None


def test_the_dialog_says_when_planner_user_overrides_the_name(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANNER_USER", "Ruth Calloway")
    dialog = PreferencesDialog(None, AppSettings())
    qtbot.addWidget(dialog)
    assert dialog.environment_note is not None
    assert "Ruth Calloway" in dialog.environment_note.text()


def test_cancel_changes_nothing(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    AppSettings().set_officer_name("Jane Smith")
    monkeypatch.setattr(preferences, "run_dialog", answer_with(qtbot, None))
    window.actionPreferences.trigger()
    assert saved_name() == "Jane Smith"


def test_an_export_names_the_officer_saved_in_preferences(
    window: MainWindow, tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PLANNER_USER")
    monkeypatch.setattr(preferences, "run_dialog", answer_with(qtbot, "Jane Smith"))
    window.actionPreferences.trigger()
    written: list[Any] = []
    whole = ExportChoice(frozenset(), frozenset(), frozenset(), True, True, "OFFICIAL")
    monkeypatch.setattr(export_flow, "ask_choice", lambda _window: whole)
    monkeypatch.setattr(export_flow, "ask_target", lambda _window, _suggested: tmp_path / "x.xlsx")
    monkeypatch.setattr(
        export_flow, "run_export", lambda _window, content, target: written.append(content)
    )
    window.actionExportExcel.trigger()
    assert written and written[0].options.exported_by == "Jane Smith"


# ----- first start -------------------------------------------------------------------------------


def test_the_first_start_asks_once_offering_the_login_name(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PLANNER_USER")
    stand_in = answer_with(qtbot, "Helen Ashworth")
    monkeypatch.setattr(preferences, "run_dialog", stand_in)
    offered: list[str] = []
    real_init = PreferencesDialog.__init__

    def remember(self: PreferencesDialog, *args: Any, **kwargs: Any) -> None:
        real_init(self, *args, **kwargs)
        offered.append(self.name_edit.text())

    monkeypatch.setattr(PreferencesDialog, "__init__", remember)
    ask_name_on_first_start(AppSettings())
    assert len(stand_in.seen) == 1  # type: ignore[attr-defined]
    assert offered == [getpass.getuser()]
    assert stand_in.seen[0].windowTitle() == "Welcome to Strategy Planner"  # type: ignore[attr-defined]
    assert saved_name() == "Helen Ashworth"
    ask_name_on_first_start(AppSettings())
    assert len(stand_in.seen) == 1  # type: ignore[attr-defined]


def test_the_first_start_asks_only_once_even_when_cancelled(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PLANNER_USER")
    stand_in = answer_with(qtbot, None)
    monkeypatch.setattr(preferences, "run_dialog", stand_in)
    ask_name_on_first_start(AppSettings())
    ask_name_on_first_start(AppSettings())
    assert len(stand_in.seen) == 1  # type: ignore[attr-defined]
    assert saved_name() == "" and officer_name() == getpass.getuser()


def test_the_first_start_does_not_ask_when_planner_user_names_the_officer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(preferences, "run_dialog", lambda _dialog: pytest.fail("asked for a name"))
    ask_name_on_first_start(AppSettings())  # PLANNER_USER is set for every test
    assert officer_name() == "Test Officer"


def test_the_dialog_as_it_looks(qtbot: Any, tmp_path: Path, app_style: None) -> None:
    dialog = PreferencesDialog(None, AppSettings())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    picture = tmp_path / "preferences.png"
    assert dialog.grab().save(str(picture))
    assert picture.stat().st_size > 1000
