"""In the window: a plan open elsewhere opens read-only (and says so) or as a copy;
File > Restore from backup; a damaged plan offers its newest good backup."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import Qt

from planner.commands import EditRecord
from planner.io.sample import write_sample
from planner.store.backups import list_backup_infos
from planner.store.lock import lock_path, this_host
from planner.ui import file_flows
from planner.ui.file_flows import FileFlows
from planner.ui.main_window import MainWindow
from planner.ui.models.actions import COLUMN_INDEX

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    path = folder / "northshire.plan"
    write_sample(path, data_dir=folder / "user-data").close()
    return path


@pytest.fixture
def plan_path(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "docs" / "northshire.plan"
    path.parent.mkdir()
    shutil.copyfile(template, path)
    return path


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(file_flows, "show_error", lambda _w, e, _t="": shown.append(str(e)))
    monkeypatch.setattr(FileFlows, "ask_save_changes", lambda _self, _name: "discard")
    return shown


@pytest.fixture
def window(qtbot: Any, errors: list[str]) -> Iterator[MainWindow]:
    win = MainWindow()
    qtbot.addWidget(win)
    yield win
    document = win.document
    if document is not None:
        win.set_document(None)
        document.close(discard=True)


@pytest.fixture
def held_by_helen(plan_path: Path) -> Iterator[Path]:
    """The plan open in another instance of the program, by Helen Ashworth."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    lock_path(plan_path).write_text(
        json.dumps(
            {
                "user": "Helen Ashworth",
                "host": this_host(),
                "pid": process.pid,
                "since": "2024-03-14T09:30:00",
            }
        )
    )
    yield plan_path
    process.kill()
    process.wait()


def title(window: MainWindow) -> str:
    return window.document.read(
        lambda s, i: s.execute(  # type: ignore[union-attr]
            __import__("sqlalchemy").text("SELECT title FROM plan")
        ).scalar()
    )


def test_a_plan_open_elsewhere_opens_read_only_and_the_window_says_so(
    window: MainWindow, held_by_helen: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(
        FileFlows, "ask_locked", lambda _self, message: asked.append(message) or "read-only"
    )
    before = held_by_helen.read_bytes()
    assert window.file_flows.open_path(held_by_helen)  # type: ignore[union-attr]
    assert "Helen Ashworth" in asked[0] and "14/03/2024 09:30" in asked[0]
    document = window.document
    assert document is not None and document.read_only
    assert "(read-only)" in window.windowTitle()
    bar = window.read_only_bar
    assert not bar.isHidden()
    assert "Read-only" in bar.label.text() and "Helen Ashworth" in bar.label.text()
    for action in (
        window.actionAddAction,
        window.actionAddTheme,
        window.actionImportExcel,
        window.actionRounds,
        window.actionRestoreBackup,
        window.actionDeleteAction,
        window.actionAddMilestone,
        window.actionAddUpdate,
        window.actionSave,
    ):
        assert not action.isEnabled(), action.objectName()
    assert window.actionSaveAs.isEnabled()
    assert not window.status_date_edit.isEnabled()
    model = window.actions_page.model
    flags = model.flags(model.index(0, COLUMN_INDEX["title"]))
    assert not flags & Qt.ItemFlag.ItemIsEditable
    assert held_by_helen.read_bytes() == before
    assert json.loads(lock_path(held_by_helen).read_text())["user"] == "Helen Ashworth"


def test_a_plan_open_elsewhere_can_be_opened_as_a_copy(
    window: MainWindow, held_by_helen: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = held_by_helen.with_name("northshire (mine).plan")
    monkeypatch.setattr(FileFlows, "ask_locked", lambda _self, _message: "copy")
    monkeypatch.setattr(FileFlows, "ask_copy_path", lambda _self, _path: copy)
    before = held_by_helen.read_bytes()
    assert window.file_flows.open_path(held_by_helen)  # type: ignore[union-attr]
    document = window.document
    assert document is not None and not document.read_only
    assert document.plan_file.path == copy
    assert window.read_only_bar.isHidden()
    assert window.actionAddAction.isEnabled()
    assert held_by_helen.read_bytes() == before


def test_restore_from_backup_opens_the_chosen_backup_as_unsaved_changes(
    window: MainWindow, plan_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.file_flows.open_path(plan_path)  # type: ignore[union-attr]
    original = title(window)
    document = window.document
    assert document is not None
    document.execute(EditRecord("plan", document.plan_id, {"title": "Retitled"}))
    document.save()
    listed: list[list[str]] = []

    def choose(_self: object, _name: str, backups: list[Any]) -> Any:
        listed.append([backup.description for backup in backups])
        return backups[0]

    monkeypatch.setattr(FileFlows, "choose_backup", choose)
    assert window.file_flows.restore_from_backup()  # type: ignore[union-attr]
    assert "before the day's first save" in listed[0][0]
    assert window.document is not None and window.document.dirty
    assert title(window) == original
    assert window.file_flows.save()  # type: ignore[union-attr]
    assert not window.document.dirty


def test_a_damaged_plan_offers_its_newest_good_backup_and_is_left_as_it_is(
    window: MainWindow, plan_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.file_flows.open_path(plan_path)  # type: ignore[union-attr]
    original = title(window)
    window.document.execute(  # type: ignore[union-attr]
        EditRecord("plan", window.document.plan_id, {"title": "Saved later"})  # type: ignore[union-attr]
    )
    window.file_flows.save()  # type: ignore[union-attr]  # keeps the day's backup
    window.file_flows.close_plan()  # type: ignore[union-attr]
    assert list_backup_infos(data_dir, plan_path)
    data = bytearray(plan_path.read_bytes())
    middle = len(data) // 2 // 4096 * 4096
    data[middle : middle + 300] = b"\xa5" * 300
    plan_path.write_bytes(bytes(data))
    damaged = plan_path.read_bytes()
    offered: list[str] = []
    monkeypatch.setattr(
        FileFlows, "ask_use_backup", lambda _self, message, when: offered.append(message) or True
    )
    assert window.file_flows.open_path(plan_path)  # type: ignore[union-attr]
    assert "damaged" in offered[0]
    assert title(window) == original
    assert window.document is not None and window.document.dirty
    assert plan_path.read_bytes() == damaged
