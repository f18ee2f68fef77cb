"""The main window on the Northshire sample: open, edit, undo, filter, save, close, recover."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import Errors, discard_plan

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction, QColor, QFont, QImage, QPalette
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)

from planner.ui import create_main_window, file_flows, main_window
from planner.ui.details import panel as details_panel
from planner.ui.file_flows import FileFlows
from planner.ui.main_window import MainWindow
from planner.ui.models.actions import COLUMN_INDEX
from planner.ui.models.roles import RAG_COUNTS_ROLE, THEME_ID_ROLE
from planner.ui.settings import AppSettings

pytestmark = pytest.mark.gui

SAMPLE_TITLE = "Planting the Flag in Northshire: Partnership Delivery Plan 2011-2015"
SAMPLE_THEMES = [
    "1. Leadership & Governance",
    "2. Organisational Change & Redesign",
    "3. Strategic Commissioning & Shared Services",
    "4. Local Public Services Infrastructure",
    "5. Information Governance & Transparency",
    "6. Digital Access & Inclusion",
    "7. Professionalism & Capability",
]
SCREENSHOT = Path("/tmp/main_window.png")
SCREENSHOT_200 = Path("/tmp/main_window_200.png")


# ----- helpers ----------------------------------------------------------------------


class Answers:
    """Stands in for a question dialog: records each question, gives a set answer."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.asked: list[tuple[Any, ...]] = []

    def __call__(self, *args: Any, **_kwargs: Any) -> Any:
        self.asked.append(args)
        return self.answer


@pytest.fixture(autouse=True)
def errors(monkeypatch: pytest.MonkeyPatch) -> Errors:
    """Every error the window would show; no modal dialog is ever left waiting."""
    found = Errors()
    for module in (main_window, file_flows, details_panel):
        monkeypatch.setattr(module, "show_error", found)
    return found


@pytest.fixture(autouse=True)
def questions(monkeypatch: pytest.MonkeyPatch) -> dict[str, Answers]:
    """Safe default answers to every question; tests change `.answer` as they need."""
    answers = {
        "confirm": Answers(False),
        "save_changes": Answers("discard"),
        "recovery": Answers("discard"),
        "save_file": Answers(("", "")),
        "open_file": Answers(("", "")),
    }
    monkeypatch.setattr(main_window, "confirm", answers["confirm"])
    monkeypatch.setattr(details_panel, "confirm", answers["confirm"])
    monkeypatch.setattr(
        FileFlows, "ask_save_changes", lambda _self, name: answers["save_changes"](name)
    )
    monkeypatch.setattr(
        FileFlows, "ask_recovery", lambda _self, path, when: answers["recovery"](path, when)
    )
    monkeypatch.setattr(file_flows.QFileDialog, "getSaveFileName", answers["save_file"])
    monkeypatch.setattr(file_flows.QFileDialog, "getOpenFileName", answers["open_file"])
    monkeypatch.setattr(
        file_flows.QMessageBox,
        "question",
        lambda *a, **k: pytest.fail("an unexpected QMessageBox.question was opened"),
    )
    return answers


@pytest.fixture
def show(qtbot: Any) -> Callable[[MainWindow], MainWindow]:
    def shown(window: MainWindow) -> MainWindow:
        qtbot.addWidget(window, before_close_func=discard_plan)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        return window

    return shown


def table(window: MainWindow) -> QTableView:
    return window.actions_page.table


def visible_refs(window: MainWindow) -> list[str]:
    model = window.actions_page.model
    return [model.index(row, COLUMN_INDEX["ref"]).data() for row in range(model.rowCount())]


def cell(window: MainWindow, ref: str, key: str) -> Any:
    """The table's index for the action `ref`, column `key` (as the view shows it)."""
    model = window.actions_page.model
    for row in range(model.rowCount()):
        if model.index(row, COLUMN_INDEX["ref"]).data() == ref:
            return model.index(row, COLUMN_INDEX[key])
    raise AssertionError(f"action {ref} is not in the table; shown: {visible_refs(window)}")


def shown(window: MainWindow, ref: str, key: str) -> str:
    return str(cell(window, ref, key).data())


def action_id(window: MainWindow, ref: str) -> int:
    model = window.actions_page.model
    for row in range(model.rowCount()):
        if model.action_at(row).ref == ref:
            return model.action_at(row).id
    raise AssertionError(f"no action {ref}")


def stack(window: MainWindow) -> Any:
    assert window.document is not None
    return window.document.undo_stack


def edit(qtbot: Any, window: MainWindow, errors: Errors, ref: str, key: str, value: Any) -> None:
    """Change a cell as its editor would, then wait for the queued command (or refusal)."""
    before = (stack(window).index(), len(errors.messages))
    window.actions_page.model.setData(cell(window, ref, key), value, Qt.ItemDataRole.EditRole)
    qtbot.waitUntil(lambda: (stack(window).index(), len(errors.messages)) != before)


def select_theme(window: MainWindow, row: int) -> None:
    window.themes_view.setCurrentIndex(window.themes_model.index(row, 0))


def overdue_marks(window: MainWindow) -> tuple[list[str], list[str]]:
    """Refs whose Due cell is marked '⚠', and refs whose next milestone has '⚠'."""
    due = [ref for ref in visible_refs(window) if shown(window, ref, "due").startswith("⚠")]
    milestones = [
        ref for ref in visible_refs(window) if shown(window, ref, "next_milestone").startswith("⚠")
    ]
    return due, milestones


def run_planner(args: list[str], data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PLANNER_DATA_DIR": str(data_dir)}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "planner", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


# ----- models -----------------------------------------------------------------------


def test_models_pass_the_qt_model_tester(window: MainWindow, qtmodeltester: Any) -> None:
    qtmodeltester.check(window.actions_page.model)
    qtmodeltester.check(window.actions_page.model)
    qtmodeltester.check(window.themes_model)


# ----- opening ----------------------------------------------------------------------


def test_opening_the_sample_shows_every_action_and_theme(
    window: MainWindow, sample_path: Path
) -> None:
    assert table(window).model().rowCount() == 27
    assert window.count_label.text() == "27 of 27 actions"
    themes = [
        window.themes_model.index(row, 0).data() for row in range(window.themes_model.rowCount())
    ]
    assert themes == ["All actions", *SAMPLE_THEMES]
    assert window.themes_view.currentIndex().row() == 0
    assert SAMPLE_TITLE in window.windowTitle()
    assert sample_path.name in window.windowTitle()
    assert not window.isWindowModified()
    assert visible_refs(window)[:5] == ["1.1", "1.2", "1.3", "1.4", "2.1"]
    assert not window.actionUndo.isEnabled() and not window.actionRedo.isEnabled()
    # The first action is selected, and the details panel follows the selection.
    assert window.actions_page.current_action_id() == action_id(window, "1.1")
    heading = window.details.findChild(QLabel, "detailsHeading")
    assert heading.text().startswith("1.1 Establish the Northshire ICT Partnership")
    window.actions_page.select_action(action_id(window, "4.2"))
    assert heading.text().startswith("4.2 PSN Code of Connection")


def test_widgets_and_actions_have_object_names(window: MainWindow) -> None:
    for view in ("themesView", "actionsView"):
        assert isinstance(window.findChild(QTableView, view), QTableView), view
    assert window.findChild(QWidget, "detailsPanel") is window.details
    assert isinstance(window.findChild(QLineEdit, "filterEdit"), QLineEdit)
    for name in (
        "actionNew",
        "actionOpen",
        "actionSave",
        "actionSaveAs",
        "actionUndo",
        "actionRedo",
        "actionAddAction",
        "actionDeleteAction",
        "actionExportExcel",
        "actionImportExcel",
    ):
        assert isinstance(window.findChild(QAction, name), QAction), name


# ----- editing cells ----------------------------------------------------------------


def test_cell_edits_show_mark_the_window_modified_and_undo_redo(
    qtbot: Any, window: MainWindow, errors: Errors
) -> None:
    assert shown(window, "3.2", "rag") == "Blue"
    edit(qtbot, window, errors, "3.2", "rag", "G")
    assert shown(window, "3.2", "rag") == "Green"
    assert window.isWindowModified()
    assert window.actionUndo.text() == "&Undo Change RAG of 3.2"
    assert window.actionUndo.isEnabled()

    edit(qtbot, window, errors, "3.2", "percent", 80)
    edit(qtbot, window, errors, "3.2", "due", date(2013, 1, 31))
    assert shown(window, "3.2", "percent") == "80%"
    assert shown(window, "3.2", "due") == "31/01/2013"
    assert window.actionUndo.text() == "&Undo Change due of 3.2"
    assert errors.messages == []

    window.actionUndo.trigger()
    assert shown(window, "3.2", "due") == "31/12/2012"
    assert window.actionRedo.text() == "&Redo Change due of 3.2"
    window.actionUndo.trigger()
    window.actionUndo.trigger()
    assert (shown(window, "3.2", "rag"), shown(window, "3.2", "percent")) == ("Blue", "100%")
    assert not window.isWindowModified()  # back at the state the file holds
    assert not window.actionUndo.isEnabled()

    window.actionRedo.trigger()
    assert shown(window, "3.2", "rag") == "Green"
    assert window.isWindowModified()
    assert window.actionUndo.text() == "&Undo Change RAG of 3.2"


def test_a_rag_edit_updates_the_theme_summary(
    qtbot: Any, window: MainWindow, errors: Errors
) -> None:
    theme_row = window.themes_model.index(3, 0)
    assert theme_row.data() == SAMPLE_THEMES[2]
    chips = {code: count for code, count, _colour in theme_row.data(RAG_COUNTS_ROLE)}
    assert chips["B"] == 2 and chips["G"] == 1
    edit(qtbot, window, errors, "3.2", "rag", "G")
    chips = {
        code: count
        for code, count, _colour in window.themes_model.index(3, 0).data(RAG_COUNTS_ROLE)
    }
    assert chips["B"] == 1 and chips["G"] == 2


def test_saved_edits_are_what_the_screen_showed(
    qtbot: Any,
    window: MainWindow,
    errors: Errors,
    sample_path: Path,
    show: Callable[[MainWindow], MainWindow],
) -> None:
    edit(qtbot, window, errors, "3.2", "rag", "G")
    edit(qtbot, window, errors, "3.2", "percent", 45)
    edit(qtbot, window, errors, "3.2", "due", date(2013, 6, 28))
    screen = {key: shown(window, "3.2", key) for key in ("rag", "percent", "due")}
    window.actionSave.trigger()
    assert not window.isWindowModified()
    assert window.statusBar().currentMessage() == "Saved"
    assert window.file_flows.close_plan()  # type: ignore[union-attr]

    again = show(create_main_window(sample_path))
    assert {key: shown(again, "3.2", key) for key in ("rag", "percent", "due")} == screen
    assert screen == {"rag": "Green", "percent": "45%", "due": "28/06/2013"}
    assert not again.isWindowModified()


@pytest.mark.parametrize(
    ("ref", "key", "value", "message"),
    [
        ("1.2", "ref", "1.1", "There is already an action 1.1 in this plan"),
        ("1.2", "due", date(2010, 1, 1), "before the start date"),
        ("1.2", "title", "   ", "Title cannot be empty"),
        ("1.2", "percent", 150, "between 0 and 100"),
    ],
)
def test_a_refused_edit_shows_the_reason_and_changes_nothing(
    qtbot: Any, window: MainWindow, errors: Errors, ref: str, key: str, value: Any, message: str
) -> None:
    edit(qtbot, window, errors, "3.2", "rag", "G")  # something already on the undo stack
    before = shown(window, ref, key)
    undo_text, count = window.actionUndo.text(), stack(window).count()
    edit(qtbot, window, errors, ref, key, value)
    assert len(errors.messages) == 1 and message in errors.messages[0]
    assert shown(window, ref, key) == before
    assert (window.actionUndo.text(), stack(window).count()) == (undo_text, count)
    assert visible_refs(window).count("1.1") == 1


# ----- adding and deleting actions --------------------------------------------------


def open_editors(window: MainWindow) -> list[QLineEdit]:
    """The inline text editors open in the actions table."""
    viewport = table(window).viewport()
    return [editor for editor in viewport.findChildren(QLineEdit) if editor.isVisible()]


def test_add_action_to_the_selected_theme_opens_its_title_editor(
    window: MainWindow, questions: dict[str, Answers]
) -> None:
    select_theme(window, 2)
    assert visible_refs(window) == ["2.1", "2.2", "2.3"]
    window.actionAddAction.trigger()
    assert visible_refs(window) == ["2.1", "2.2", "2.3", "2.4"]
    assert shown(window, "2.4", "title") == "New action"
    assert window.count_label.text() == "4 of 28 actions"
    view = table(window)
    assert view.state() == QAbstractItemView.State.EditingState
    assert view.currentIndex() == cell(window, "2.4", "title")
    assert len(open_editors(window)) == 1
    assert window.actionUndo.text() == "&Undo Add action 2.4"
    assert window.isWindowModified()

    # Leave the editor, then delete the new action again.
    (editor,) = open_editors(window)
    view.closeEditor(editor, QAbstractItemDelegate.EndEditHint.RevertModelCache)
    questions["confirm"].answer = True
    window.actionDeleteAction.trigger()
    assert "Delete action 2.4 'New action'?" in questions["confirm"].asked[0][2]
    assert visible_refs(window) == ["2.1", "2.2", "2.3"]
    assert window.count_label.text() == "3 of 27 actions"
    window.actionUndo.trigger()
    assert visible_refs(window) == ["2.1", "2.2", "2.3", "2.4"]
    assert shown(window, "2.4", "title") == "New action"


def test_add_action_clears_a_text_filter_so_the_new_row_shows(window: MainWindow) -> None:
    select_theme(window, 4)
    window.filter_bar.text.setText("PSN")
    assert "4.6" not in visible_refs(window)
    window.actionAddAction.trigger()
    assert window.filter_bar.text.text() == ""
    assert visible_refs(window)[-1] == "4.6"
    assert window.themes_view.currentIndex().row() == 4  # still in theme 4
    assert table(window).state() == QAbstractItemView.State.EditingState


def test_typing_into_a_new_actions_title_renames_it(qtbot: Any, window: MainWindow) -> None:
    select_theme(window, 4)
    window.actionAddAction.trigger()
    (editor,) = open_editors(window)
    editor.selectAll()
    qtbot.keyClicks(editor, "Cable the new depot")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shown(window, "4.6", "title") == "Cable the new depot")
    assert table(window).state() != QAbstractItemView.State.EditingState
    assert window.actionUndo.text() == "&Undo Change title of 4.6"
    window.actionUndo.trigger()
    assert shown(window, "4.6", "title") == "New action"


def test_editing_a_title_starts_from_the_current_title(
    qtbot: Any, window: MainWindow, errors: Errors
) -> None:
    index = cell(window, "1.1", "title")
    table(window).setCurrentIndex(index)
    table(window).edit(index)
    (editor,) = open_editors(window)
    text = editor.text()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(50)
    assert errors.messages == []
    assert text == "Establish the Northshire ICT Partnership Board"


def test_delete_action_asks_then_deletes_and_undo_brings_it_back(
    window: MainWindow, questions: dict[str, Answers]
) -> None:
    window.actions_page.select_action(action_id(window, "4.2"))
    window.actionDeleteAction.trigger()  # answered Cancel
    assert len(questions["confirm"].asked) == 1
    _parent, title, text, effects = questions["confirm"].asked[0][:4]
    assert title == "Delete action"
    assert "4.2" in text and "PSN Code of Connection" in text
    assert isinstance(effects, list)
    assert "4.2" in visible_refs(window) and not window.isWindowModified()

    questions["confirm"].answer = True
    window.actionDeleteAction.trigger()
    assert "4.2" not in visible_refs(window)
    assert window.count_label.text() == "26 of 26 actions"
    assert window.isWindowModified()

    window.actionUndo.trigger()
    assert "4.2" in visible_refs(window)
    assert shown(window, "4.2", "title").startswith("PSN Code of Connection")
    assert shown(window, "4.2", "rag") == "Red"
    assert window.count_label.text() == "27 of 27 actions"
    assert not window.isWindowModified()


# ----- filtering --------------------------------------------------------------------


def test_typing_in_the_filter_shows_only_matching_actions(window: MainWindow) -> None:
    bar = window.filter_bar
    bar.text.setText("PSN")
    # 4.2 has PSN in its title; 3.3, 4.1 and 6.3 mention it in their text.
    assert visible_refs(window) == ["3.3", "4.1", "4.2", "6.3"]
    assert window.count_label.text() == "4 of 27 actions"
    bar.text.setText("psn code")  # case does not matter
    assert visible_refs(window) == ["4.2"]
    assert window.count_label.text() == "1 of 27 actions"
    bar.text.clear()
    assert len(visible_refs(window)) == 27
    assert window.count_label.text() == "27 of 27 actions"


def test_the_filter_finds_words_changed_since_it_was_first_used(
    qtbot: Any, window: MainWindow, errors: Errors
) -> None:
    bar = window.filter_bar
    bar.text.setText("zanzibar")
    assert visible_refs(window) == []
    bar.text.clear()
    edit(qtbot, window, errors, "2.1", "title", "Zanzibar exchange of records")
    bar.text.setText("ZANZIBAR")
    assert visible_refs(window) == ["2.1"]
    bar.text.setText("psn zanzibar")
    assert visible_refs(window) == []
    bar.text.setText("zanzibar")
    select_theme(window, 2)  # typed words and a picker together
    assert visible_refs(window) == ["2.1"]
    select_theme(window, 1)
    assert visible_refs(window) == []
    select_theme(window, 0)
    assert visible_refs(window) == ["2.1"]
    window.actionUndo.trigger()
    assert visible_refs(window) == []
    window.actionRedo.trigger()
    assert visible_refs(window) == ["2.1"]


def test_rag_picker_and_overdue_only(window: MainWindow) -> None:
    bar = window.filter_bar
    bar.rag.setCurrentIndex(bar.rag.findText("R Red"))
    assert sorted(visible_refs(window)) == ["3.4", "4.2", "6.2"]
    assert window.count_label.text() == "3 of 27 actions"
    bar.rag.setCurrentIndex(bar.rag.findText("Not rated"))
    assert all(shown(window, ref, "rag") == "Not rated" for ref in visible_refs(window))
    assert len(visible_refs(window)) == 3
    bar.rag.setCurrentIndex(0)

    bar.overdue.setChecked(True)
    overdue = visible_refs(window)
    assert 0 < len(overdue) < 27
    assert window.count_label.text() == f"{len(overdue)} of 27 actions"
    _due, late_milestones = overdue_marks(window)
    assert sorted(late_milestones) == sorted(overdue)

    window.actionClearFilter.trigger()
    assert len(visible_refs(window)) == 27 and not bar.overdue.isChecked()


def test_selecting_a_theme_filters_to_its_actions(window: MainWindow) -> None:
    bar = window.filter_bar
    select_theme(window, 4)
    assert visible_refs(window) == ["4.1", "4.2", "4.3", "4.4", "4.5"]
    assert window.count_label.text() == "5 of 27 actions"
    assert bar.theme.currentText() == SAMPLE_THEMES[3]
    bar.text.setText("PSN")  # text and theme together
    assert set(visible_refs(window)) <= {"4.1", "4.2", "4.3", "4.4", "4.5"}
    window.actionClearFilter.trigger()
    assert len(visible_refs(window)) == 27
    assert window.themes_view.currentIndex().row() == 0
    assert window.themes_view.currentIndex().data(THEME_ID_ROLE) == 0


# ----- saving and closing -----------------------------------------------------------


def test_save_as_writes_a_new_file_and_leaves_the_original(
    qtbot: Any,
    window: MainWindow,
    errors: Errors,
    questions: dict[str, Answers],
    sample_path: Path,
    tmp_path: Path,
    show: Callable[[MainWindow], MainWindow],
) -> None:
    original = sample_path.read_bytes()
    edit(qtbot, window, errors, "4.2", "rag", "A")
    target = tmp_path / "copies" / "Northshire Q3"
    target.parent.mkdir()
    questions["save_file"].answer = (str(target), "")
    # What File > Save As does (the next test goes through the menu action).
    assert window.file_flows.save_as()  # type: ignore[union-attr]
    saved = target.with_suffix(".plan")
    assert saved.exists()
    assert "Northshire Q3.plan" in window.windowTitle()
    assert sample_path.name not in window.windowTitle()
    assert not window.isWindowModified()
    assert window.settings.recent_files()[0] == saved.absolute()
    assert sample_path.read_bytes() == original
    assert errors.messages == []
    # Undo still works on the new file, and marks it changed.
    window.actionUndo.trigger()
    assert shown(window, "4.2", "rag") == "Red" and window.isWindowModified()
    assert window.file_flows.close_plan()  # type: ignore[union-attr]

    copy = show(create_main_window(saved))
    assert shown(copy, "4.2", "rag") == "Amber"
    first = show(create_main_window(sample_path))
    assert shown(first, "4.2", "rag") == "Red"


@pytest.mark.qt_no_exception_capture
def test_save_as_menu_action_asks_for_a_file_name(
    qtbot: Any,
    window: MainWindow,
    errors: Errors,
    questions: dict[str, Answers],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # where the stray 'False' file lands
    edit(qtbot, window, errors, "4.2", "rag", "A")
    target = tmp_path / "Northshire Q3.plan"
    questions["save_file"].answer = (str(target), "")
    try:
        window.actionSaveAs.trigger()
    finally:
        stray = tmp_path / "False"
        wrote_stray = stray.exists()
        stray.unlink(missing_ok=True)
    assert len(questions["save_file"].asked) == 1
    assert target.exists() and not wrote_stray
    assert "Northshire Q3.plan" in window.windowTitle()


@pytest.mark.parametrize("answer", ["cancel", "discard", "save"])
def test_closing_with_unsaved_changes_asks(
    qtbot: Any,
    window: MainWindow,
    errors: Errors,
    questions: dict[str, Answers],
    sample_path: Path,
    show: Callable[[MainWindow], MainWindow],
    answer: str,
) -> None:
    original = sample_path.read_bytes()
    edit(qtbot, window, errors, "4.2", "rag", "G")
    questions["save_changes"].answer = answer
    closed = window.close()
    assert questions["save_changes"].asked == [(sample_path.name,)]
    if answer == "cancel":
        assert not closed and window.isVisible()
        assert window.document is not None and window.isWindowModified()
        assert shown(window, "4.2", "rag") == "Green"
        return
    assert closed and not window.isVisible() and window.document is None
    if answer == "discard":
        assert sample_path.read_bytes() == original
        assert shown(show(create_main_window(sample_path)), "4.2", "rag") == "Red"
    else:
        assert sample_path.read_bytes() != original
        assert shown(show(create_main_window(sample_path)), "4.2", "rag") == "Green"


def test_closing_an_unchanged_plan_does_not_ask(
    window: MainWindow, questions: dict[str, Answers]
) -> None:
    assert window.close()
    assert questions["save_changes"].asked == []


def test_open_from_the_menu_asks_about_unsaved_changes_first(
    qtbot: Any,
    window: MainWindow,
    errors: Errors,
    questions: dict[str, Answers],
    sample_template: Path,
    tmp_path: Path,
) -> None:
    other = tmp_path / "other" / "Other plan.plan"
    other.parent.mkdir()
    shutil.copyfile(sample_template, other)
    edit(qtbot, window, errors, "4.2", "rag", "G")
    questions["open_file"].answer = (str(other), "")
    questions["save_changes"].answer = "cancel"
    window.actionOpen.trigger()
    assert len(questions["open_file"].asked) == 1
    assert "northshire.plan" in window.windowTitle()
    assert shown(window, "4.2", "rag") == "Green"

    questions["save_changes"].answer = "discard"
    window.actionOpen.trigger()
    assert "Other plan.plan" in window.windowTitle()
    assert shown(window, "4.2", "rag") == "Red"
    assert not window.isWindowModified()
    assert window.settings.recent_files()[:2] == [other.absolute(), tmp_path / "northshire.plan"]


def test_new_plan_from_the_menu_starts_an_empty_plan(
    window: MainWindow,
    errors: Errors,
    questions: dict[str, Answers],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from planner.ui.dialogs.new_plan import NewPlanDialog, NewPlanValues

    values = NewPlanValues(
        title="Digital Partnership Delivery Plan 2026-2029",
        organisation="Northshire County Council",
        period_start=date(2026, 4, 1),
        period_end=date(2029, 3, 31),
        protective_marking="OFFICIAL",
    )
    monkeypatch.setattr(NewPlanDialog, "exec", lambda _self: 1)
    monkeypatch.setattr(NewPlanDialog, "values", lambda _self: values)
    questions["save_file"].answer = (str(tmp_path / "Digital plan"), "")
    window.actionNew.trigger()
    assert (tmp_path / "Digital plan.plan").exists()
    assert window.windowTitle().startswith(values.title)
    assert "Digital plan.plan" in window.windowTitle()
    assert table(window).model().rowCount() == 0
    assert window.count_label.text() == "0 of 0 actions"
    assert window.themes_model.rowCount() == 1  # just "All actions"

    window.actionAddAction.trigger()
    assert errors.messages == ["Add a theme first: every action belongs to a theme."]
    window.actionAddTheme.trigger()
    assert window.themes_model.index(1, 0).data() == "1. New theme 1"
    select_theme(window, 1)
    window.actionAddAction.trigger()
    assert visible_refs(window) == ["1.1"]


# ----- first run, recent files and recovery -----------------------------------------


def test_first_run_opens_the_sample_and_remembers_it(
    data_dir: Path, show: Callable[[MainWindow], MainWindow]
) -> None:
    from planner.ui.app import SAMPLE_NAME, first_run_sample

    assert AppSettings().recent_files() == []
    window = show(MainWindow())
    assert window.settings.most_recent_existing() is None
    path = first_run_sample()
    assert path == data_dir / "Plans" / SAMPLE_NAME and path.exists()
    assert window.file_flows.open_path(path)  # type: ignore[union-attr]
    assert window.count_label.text() == "27 of 27 actions"
    assert table(window).model().rowCount() == 27
    assert AppSettings().recent_files() == [path.absolute()]
    assert first_run_sample() == path  # not written again

    later = show(MainWindow())
    assert later.settings.most_recent_existing() == path.absolute()


def test_a_window_without_a_plan_is_titled_with_the_app_name(
    show: Callable[[MainWindow], MainWindow],
) -> None:
    window = show(MainWindow())
    assert window.windowTitle() == "Strategy Planner"


def test_closing_the_plan_leaves_an_empty_window_titled_with_the_app_name(
    window: MainWindow,
) -> None:
    window.actionClose.trigger()
    assert window.document is None
    assert window.windowTitle() == "Strategy Planner"
    assert window.actions_page.model.rowCount() == 0
    assert window.count_label.text() == ""
    assert not window.actionSave.isEnabled() and not window.actionAddAction.isEnabled()


def test_opening_a_missing_file_says_so_and_forgets_it(
    errors: Errors, tmp_path: Path, show: Callable[[MainWindow], MainWindow]
) -> None:
    window = show(MainWindow())
    missing = tmp_path / "gone.plan"
    window.settings.add_recent_file(missing)
    assert not window.file_flows.open_path(missing)  # type: ignore[union-attr]
    assert len(errors.messages) == 1 and "gone.plan" in errors.messages[0]
    assert missing.absolute() not in window.settings.recent_files()
    assert window.document is None


CRASH_SCRIPT = textwrap.dedent(
    """
    import os, sys
    from sqlalchemy import select
    from planner.commands import EditRecord, runner_for
    from planner.store.models import Action
    from planner.store.planfile import PlanFile

    plan_file = PlanFile.open(sys.argv[1])
    with plan_file.Session() as session:
        action_id = session.scalar(select(Action.id).where(Action.ref == "4.2"))
    runner_for(plan_file, who="Crashing Officer").execute(
        EditRecord("action", action_id, {"rag": "G", "percent": 90})
    )
    print("edited", flush=True)
    os._exit(1)
    """
)


@pytest.mark.parametrize(
    ("answer", "rag", "percent"), [("recover", "Green", "90%"), ("discard", "Red", "40%")]
)
def test_unsaved_changes_from_a_crash_are_offered(
    sample_path: Path,
    data_dir: Path,
    questions: dict[str, Answers],
    show: Callable[[MainWindow], MainWindow],
    answer: str,
    rag: str,
    percent: str,
) -> None:
    crashed = subprocess.run(
        [sys.executable, "-c", CRASH_SCRIPT, str(sample_path)],
        env={**os.environ, "PLANNER_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (crashed.returncode, crashed.stdout) == (1, "edited\n"), crashed.stderr
    questions["recovery"].answer = answer
    window = show(MainWindow())
    assert window.file_flows.open_path(sample_path)  # type: ignore[union-attr]
    assert len(questions["recovery"].asked) == 1
    assert questions["recovery"].asked[0][0] == sample_path
    assert (shown(window, "4.2", "rag"), shown(window, "4.2", "percent")) == (rag, percent)
    assert window.isWindowModified() == (answer == "recover")


def test_cancelling_the_recovery_question_opens_nothing(
    sample_path: Path,
    data_dir: Path,
    questions: dict[str, Answers],
    show: Callable[[MainWindow], MainWindow],
) -> None:
    crashed = subprocess.run(
        [sys.executable, "-c", CRASH_SCRIPT, str(sample_path)],
        env={**os.environ, "PLANNER_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert crashed.returncode == 1, crashed.stderr
    questions["recovery"].answer = None
    window = show(MainWindow())
    assert not window.file_flows.open_path(sample_path)  # type: ignore[union-attr]
    assert window.document is None
    questions["recovery"].answer = "recover"  # still offered next time
    assert window.file_flows.open_path(sample_path)  # type: ignore[union-attr]
    assert shown(window, "4.2", "rag") == "Green"


# ----- moving actions and the status date ------------------------------------------


def plan_order(window: MainWindow, theme: str) -> list[str]:
    """The refs of one theme in the plan's order, as the core keeps it (theme, position)."""
    from planner.queries import action_rows

    assert window.document is not None
    rows = window.document.read(action_rows)
    return [row.ref for row in rows if row.ref.startswith(f"{theme}.")]


def test_move_action_changes_the_plan_order_and_undo_restores(window: MainWindow) -> None:
    window.actions_page.select_action(action_id(window, "4.2"))
    window.actionMoveDown.trigger()
    assert plan_order(window, "4") == ["4.1", "4.3", "4.2", "4.4", "4.5"]
    assert window.actionUndo.text() == "&Undo Move action 4.2"
    assert window.actions_page.current_action_id() == action_id(window, "4.2")
    assert window.isWindowModified()
    window.actionUndo.trigger()
    assert plan_order(window, "4") == ["4.1", "4.2", "4.3", "4.4", "4.5"]
    assert not window.isWindowModified()

    window.actionMoveUp.trigger()
    assert plan_order(window, "4") == ["4.2", "4.1", "4.3", "4.4", "4.5"]
    window.actionUndo.trigger()
    assert plan_order(window, "4") == ["4.1", "4.2", "4.3", "4.4", "4.5"]

    window.actions_page.select_action(action_id(window, "4.1"))
    window.actionMoveUp.trigger()  # already first in its theme: nothing to do
    assert stack(window).index() == 0 and not window.isWindowModified()


def test_repeated_moves_step_one_place_at_a_time(window: MainWindow) -> None:
    window.actions_page.select_action(action_id(window, "4.2"))
    window.actionMoveDown.trigger()
    window.actionMoveDown.trigger()
    assert plan_order(window, "4") == ["4.1", "4.3", "4.4", "4.2", "4.5"]
    window.actionMoveUp.trigger()
    assert plan_order(window, "4") == ["4.1", "4.3", "4.2", "4.4", "4.5"]
    assert stack(window).count() == 3


def test_move_action_down_visibly_reorders_the_table(window: MainWindow) -> None:
    window.actions_page.select_action(action_id(window, "4.2"))
    window.actionMoveDown.trigger()
    theme_rows = [ref for ref in visible_refs(window) if ref.startswith("4.")]
    assert theme_rows != ["4.1", "4.2", "4.3", "4.4", "4.5"]


def set_status_date(qtbot: Any, window: MainWindow, when: QDate) -> None:
    """Type a new status date and press Enter, as the user would."""
    edit_box = window.status_date_edit
    edit_box.setDate(when)
    qtbot.keyClick(edit_box, Qt.Key.Key_Return)


def test_status_date_is_an_undoable_change_that_moves_overdue_marks(
    qtbot: Any, window: MainWindow
) -> None:
    assert window.status_date_edit.date() == QDate(2013, 12, 31)
    due, milestones = overdue_marks(window)
    assert due == [] and len(milestones) == 9

    set_status_date(qtbot, window, QDate(2011, 6, 1))
    assert overdue_marks(window) == ([], [])
    assert window.isWindowModified()
    assert window.actionUndo.text() == "&Undo Change status date of the plan"

    set_status_date(qtbot, window, QDate(2014, 7, 1))
    due, milestones = overdue_marks(window)
    assert "4.2" in due and len(due) == 7 and len(milestones) > 9
    assert shown(window, "4.2", "due") == "⚠ 01/04/2014"
    assert cell(window, "4.2", "due").data(Qt.ItemDataRole.AccessibleTextRole) == (
        "01/04/2014, overdue"
    )
    assert cell(window, "4.2", "due").data(Qt.ItemDataRole.ForegroundRole) is not None

    window.actionUndo.trigger()
    assert window.status_date_edit.date() == QDate(2011, 6, 1)
    window.actionUndo.trigger()
    assert window.status_date_edit.date() == QDate(2013, 12, 31)
    due, milestones = overdue_marks(window)
    assert due == [] and len(milestones) == 9
    assert not window.isWindowModified()


# ----- screenshots ------------------------------------------------------------------


class StyleTarget:
    """Lets planner.ui.style.apply_style dress one window as it dresses the application
    (restyling the whole test application is slow and would leak into later tests)."""

    def __init__(self, widget: QWidget) -> None:
        self.widget = widget

    def setStyle(self, name: str) -> None:
        # A QStyle made here would be freed by Python while the window still uses it,
        # so rely on the test application already having the same style.
        assert QApplication.style().name().casefold() == name.casefold()

    def palette(self) -> QPalette:
        return self.widget.palette()

    def setPalette(self, palette: QPalette, class_name: str | None = None) -> None:
        for widget in self._dressed(class_name):
            widget.setPalette(palette)

    def font(self) -> QFont:
        return self.widget.font()

    def setFont(self, font: QFont, class_name: str | None = None) -> None:
        for widget in self._dressed(class_name):
            widget.setFont(font)

    def _dressed(self, class_name: str | None) -> list[QWidget]:
        if class_name is None:
            return [self.widget]
        return [w for w in self.widget.findChildren(QWidget) if w.inherits(class_name)]


def test_screenshot_of_the_main_window(
    sample_path: Path, show: Callable[[MainWindow], MainWindow]
) -> None:
    from planner.ui.style import apply_style

    window = create_main_window(sample_path)
    target = StyleTarget(window)
    apply_style(target)  # type: ignore[arg-type]
    show(window)
    window.actions_page.select_action(action_id(window, "4.2"))
    assert window.details.isVisible()
    image = window.grab().toImage()
    assert image.save(str(SCREENSHOT))
    assert (image.width(), image.height()) == (1280, 800)


def contrast(first: QColor, second: QColor) -> float:
    """The WCAG 2 contrast ratio of two colours."""

    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        red, green, blue = (channel(v) for v in (colour.redF(), colour.greenF(), colour.blueF()))
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(
    ("ref", "rag"),
    [
        ("4.2", "Red"),
        ("4.1", "Amber"),
        ("4.4", "Green"),
        ("4.5", "Blue"),
    ],
)
def test_rag_cells_are_readable_on_a_projector(window: MainWindow, ref: str, rag: str) -> None:
    index = cell(window, ref, "rag")
    assert index.data() == rag
    background = index.data(Qt.ItemDataRole.BackgroundRole).color()
    foreground = index.data(Qt.ItemDataRole.ForegroundRole).color()
    # 3:1 is WCAG's floor for bold text; 4.5:1 (normal text) is out of reach for the
    # sample's Blue with either white (3.97:1) or near-black (4.34:1) text.
    assert contrast(background, foreground) >= 3.0


def test_command_line_screenshot(sample_path: Path, data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    started = time.time()
    result = run_planner([str(sample_path), "--screenshot", str(out)], data_dir)
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert not image.isNull()
    # when the window was first painted, for timing start-up to the paint itself
    assert started < float(image.text("Painted at")) <= out.stat().st_mtime
    assert image.width() >= 800 and image.height() >= 500
    assert out.stat().st_size > 20_000


def test_command_line_screenshot_never_waits_for_an_answer(
    sample_path: Path, data_dir: Path, tmp_path: Path
) -> None:
    """Unsaved changes left by a program that closed unexpectedly would be a question in
    the window: --screenshot, which nobody answers, refuses in one line instead and keeps
    the changes for the next start."""
    from planner.commands import EditRecord, runner_for
    from planner.store.planfile import PlanFile, find_recovery

    plan_file = PlanFile.open(sample_path)
    runner_for(plan_file, who="Test Officer").execute(
        EditRecord("plan", plan_file.plan_id, {"title": "Never saved"})
    )
    plan_file.close()
    assert find_recovery(sample_path) is not None
    out = tmp_path / "shot.png"
    result = run_planner([str(sample_path), "--screenshot", str(out)], data_dir)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "'northshire.plan' has changes that were never saved; open it in Strategy Planner "
        "to recover or discard them first."
    ]
    assert not out.exists()
    assert find_recovery(sample_path) is not None


def test_command_line_screenshot_at_200_percent(sample_path: Path, data_dir: Path) -> None:
    SCREENSHOT_200.unlink(missing_ok=True)
    result = run_planner(
        [str(sample_path), "--screenshot", str(SCREENSHOT_200)], data_dir, QT_SCALE_FACTOR="2"
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(SCREENSHOT_200))
    assert not image.isNull()
    assert image.width() >= 1600


def test_the_lead_officer_changes_alike_from_the_table_and_the_panel_by_person_not_name(
    qtbot: Any, window: MainWindow, errors: Errors
) -> None:
    """Two people may share a name: the table's lead editor and the details form pick
    the person, and both make the change as one command with one undo text."""
    from planner.commands import CreateRecord
    from planner.queries.detail import action_detail

    document = window.document
    assert document is not None
    document.execute(
        CreateRecord(
            "person",
            {"name": "Claire Dobson", "job_title": "Data Analyst", "email": "c.dobson@nhs.net"},
        )
    )
    from planner.queries.detail import person_options

    claires = [p.id for p in document.read(person_options) if p.name == "Claire Dobson"]
    assert len(claires) == 2
    second = max(claires)

    edit(qtbot, window, errors, "1.1", "lead", second)
    assert errors.messages == []
    detail = document.read(lambda s, p: action_detail(s, p, action_id(window, "1.1")))
    assert detail is not None and detail.lead is not None and detail.lead.person_id == second
    assert cell(window, "1.1", "lead").data(Qt.ItemDataRole.EditRole) == second
    from_table = stack(window).undoText()
    assert from_table == "Make Claire Dobson lead officer of action 1.1"
    stack(window).undo()

    window.details.show_action(action_id(window, "1.1"))
    combo = window.details.lead_combo
    index = combo.findData(second)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    assert stack(window).undoText() == from_table
    detail = document.read(lambda s, p: action_detail(s, p, action_id(window, "1.1")))
    assert detail is not None and detail.lead is not None and detail.lead.person_id == second
