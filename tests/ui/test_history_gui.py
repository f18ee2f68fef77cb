"""File > Export change history… in the main window, offscreen: the plan's change history
saved as a CSV where the officer chooses (the file question offering the plan's title and
today's date), refused in one sentence when it cannot be written.

No modal dialog is ever left waiting: `history_flow.ask_target` and `show_error` are
replaced by stand-ins that answer and record."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import Errors

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMenu
from sqlalchemy import select

from planner.commands import EditRecord
from planner.store.models import Action
from planner.ui import history_flow
from planner.ui.main_window import MainWindow
from planner.ui.settings import AppSettings

# PLANNER_USER names the officer running each test: "Test Officer"
pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("officer_name_for_tests")]

TITLE = "Planting the Flag in Northshire Partnership Delivery Plan 2011-2015"


@pytest.fixture(autouse=True)
def no_real_dialogs(monkeypatch: pytest.MonkeyPatch) -> Errors:
    errors = Errors()
    monkeypatch.setattr(history_flow, "show_error", errors)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: pytest.fail("a real file dialog opened")
    )
    return errors


class Answer:
    """Stands in for the save-file question: records what was suggested, answers `target`."""

    def __init__(self, target: Path | None) -> None:
        self.target = target
        self.suggested: list[Path] = []

    def __call__(self, _window: Any, suggested: Path) -> Path | None:
        self.suggested.append(suggested)
        return self.target


def change_rag(window: MainWindow, ref: str, rag: str) -> None:
    document = window.document
    assert document is not None
    action_id = document.read(
        lambda session, plan_id: session.scalar(select(Action.id).where(Action.ref == ref))
    )
    document.execute(EditRecord("action", action_id, {"rag": rag}))


def read_csv(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def test_export_change_history_writes_the_csv_where_the_officer_chooses(
    window: MainWindow,
    tmp_path: Path,
    sample_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    no_real_dialogs: Errors,
) -> None:
    file_menu = next(
        a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "File"
    )
    assert isinstance(file_menu, QMenu)
    assert window.actionExportHistory in file_menu.actions()
    assert window.actionExportHistory.isEnabled()

    change_rag(window, "3.2", "R")  # not saved yet: the history shows it all the same
    target = tmp_path / "audit" / "Northshire audit trail.csv"
    target.parent.mkdir()
    answer = Answer(target)
    monkeypatch.setattr(history_flow, "ask_target", answer)
    window.actionExportHistory.trigger()

    assert answer.suggested == [
        sample_path.parent / f"{TITLE} - change history {date.today():%Y-%m-%d}.csv"
    ]
    assert no_real_dialogs.messages == []
    rows = read_csv(target)
    assert list(rows[0]) == [
        "When",
        "Who",
        "Record",
        "Field",
        "Old value",
        "New value",
        "Source",
    ]
    last = rows[-1]
    assert (last["Who"], last["Record"], last["Field"]) == ("Test Officer", "Action 3.2", "RAG")
    assert (last["Old value"], last["New value"], last["Source"]) == (
        "Blue",
        "Red",
        "Edit in the plan",
    )
    assert target.name in window.statusBar().currentMessage()


def test_cancelling_the_file_question_writes_nothing(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history_flow, "ask_target", Answer(None))
    window.actionExportHistory.trigger()
    assert list(tmp_path.rglob("*.csv")) == []


def test_a_file_that_cannot_be_written_is_refused_in_one_sentence(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_real_dialogs: Errors
) -> None:
    monkeypatch.setattr(history_flow, "ask_target", Answer(tmp_path / "gone" / "audit.csv"))
    window.actionExportHistory.trigger()
    assert len(no_real_dialogs.messages) == 1
    assert no_real_dialogs.messages[0].startswith("'audit.csv' could not be written")


def test_there_is_no_history_to_export_without_a_plan(qtbot: Any, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    empty = MainWindow(AppSettings(settings))
    qtbot.addWidget(empty)
    assert not empty.actionExportHistory.isEnabled()
