"""The window on a shared plan: live editing with no Save, other officers' changes
appearing, refused edits and undos, read-only accounts, and Open shared plan."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import Errors, discard_plan
from pg_server import make_role
from sqlalchemy import select

from planner.commands import EditRecord, runner_for
from planner.store.models import Action
from planner.store.shared import PasswordNeeded, PlanListing, SharedPlan
from planner.store.shared_location import SharedLocation
from planner.ui import file_flows, main_window
from planner.ui.details import panel as details_panel
from planner.ui.dialogs.open_shared import OpenSharedDialog, location_from
from planner.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def errors(monkeypatch: pytest.MonkeyPatch) -> Errors:
    found = Errors()
    for module in (main_window, file_flows, details_panel):
        monkeypatch.setattr(module, "show_error", found)
    return found


@pytest.fixture
def open_window(qtbot: Any) -> Callable[[str], MainWindow]:
    def opened(url: str) -> MainWindow:
        window = MainWindow()
        qtbot.addWidget(window, before_close_func=discard_plan)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        assert window.file_flows.open_path(url)  # type: ignore[union-attr]
        return window

    return opened


def action_id(plan: Any, ref: str) -> int:
    with plan.Session() as session:
        found = session.scalar(
            select(Action.id).where(Action.plan_id == plan.plan_id, Action.ref == ref)
        )
        return int(found)


def shown_title(window: MainWindow, action: int) -> str:
    row = window.actions_page.model.action(action)
    assert row is not None
    return row.title


def test_a_shared_plan_is_edited_live_with_no_save(
    open_window: Callable[[str], MainWindow], shared_sample_url: str
) -> None:
    window = open_window(shared_sample_url)
    document = window.document
    assert document is not None and document.shared
    assert "shared on postgres@this computer/" in window.windowTitle()
    assert not window.actionSave.isVisible() and not window.actionSaveAs.isVisible()
    assert window.actionDownloadCopy.isVisible()
    target = action_id(document.plan_file, "1.1")
    window.execute(EditRecord("action", target, {"title": "Agree the shared vision"}))
    assert not document.dirty and not window.isWindowModified()
    with SharedPlan.open(shared_sample_url) as elsewhere, elsewhere.Session() as session:
        assert session.get(Action, target).title == "Agree the shared vision"  # type: ignore[union-attr]
    window.grab().save("/tmp/shared_window.png")


def test_other_officers_changes_appear_without_reopening(
    open_window: Callable[[str], MainWindow], shared_sample_url: str
) -> None:
    window = open_window(shared_sample_url)
    assert window.shared_refresher.timer.isActive()
    assert not window.shared_refresher.check()  # nothing new yet
    with SharedPlan.open(shared_sample_url) as other:
        target = action_id(other, "2.1")
        runner_for(other).execute(EditRecord("action", target, {"title": "Changed next door"}))
    assert window.shared_refresher.check()
    assert shown_title(window, target) == "Changed next door"
    assert "changes made by others" in window.statusBar().currentMessage()


def test_an_edit_of_a_record_someone_changed_is_refused_and_shows_theirs(
    open_window: Callable[[str], MainWindow], shared_sample_url: str, errors: Errors
) -> None:
    window = open_window(shared_sample_url)
    with SharedPlan.open(shared_sample_url) as other:
        target = action_id(other, "2.2")
        runner_for(other).execute(EditRecord("action", target, {"title": "Theirs"}))
    assert window.execute(EditRecord("action", target, {"title": "Mine"})) is None
    assert len(errors.messages) == 1 and "changed by postgres at" in errors.messages[0]
    assert shown_title(window, target) == "Theirs"  # refreshed to the current value
    # now seen, the record is the officer's to change
    assert window.execute(EditRecord("action", target, {"title": "Mine"})) is not None


def test_undo_over_a_newer_edit_by_someone_else_is_refused(
    open_window: Callable[[str], MainWindow], shared_sample_url: str, errors: Errors
) -> None:
    window = open_window(shared_sample_url)
    document = window.document
    assert document is not None
    target = action_id(document.plan_file, "3.3")
    window.execute(EditRecord("action", target, {"percent": 40}))
    with SharedPlan.open(shared_sample_url) as other:
        runner_for(other).execute(EditRecord("action", target, {"percent": 45}))
    index = document.undo_stack.index()
    window.undo()
    assert document.undo_stack.index() == index  # still there to undo later
    assert errors.messages and "changed by postgres" in errors.messages[-1]
    row = window.actions_page.model.action(target)
    assert row is not None and row.percent == 45


def test_an_account_with_read_only_grants_gets_a_read_only_window(
    open_window: Callable[[str], MainWindow], pg_server: Any, shared_sample_url: str, qtbot: Any
) -> None:
    url = make_role(pg_server, shared_sample_url, editor=False)
    window = open_window(url)
    assert window.document is not None and window.document.read_only
    assert "(read-only)" in window.windowTitle()
    assert window.read_only_bar.isVisible()
    bar_text = " ".join(w.text() for w in window.read_only_bar.findChildren(main_window.QLabel))
    assert "may read it but not change it" in bar_text
    qtbot.wait(50)  # let the window lay out the bar before the picture
    window.grab().save("/tmp/shared_read_only.png")


def test_open_shared_plan_dialog_lists_plans_and_asks_for_a_password(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    calls: list[str | None] = []

    def list_plans(location: SharedLocation, password: str | None) -> list[PlanListing]:
        calls.append(password)
        if password is None:
            raise PasswordNeeded(
                "The server for alice@plans.example.org/plans asks for a password."
            )
        return [
            PlanListing(
                3, "Northshire Digital Partnership Plan", "Northshire CC", date(2026, 9, 30), 27
            ),
            PlanListing(4, "Eastshire Plan", "Eastshire DC", date(2026, 6, 30), 12),
        ]

    dialog = OpenSharedDialog(list_plans)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(dialog, "ask_password", lambda _message: "s3cret")
    dialog.host.setText("plans.example.org")
    dialog.database.setText("plans")
    dialog.user.setText("alice")
    dialog.list_plans()
    assert calls == [None, "s3cret"]
    assert dialog.plans.rowCount() == 2
    assert dialog.plans.item(0, 2).text() == "30/09/2026"
    dialog.plans.selectRow(1)
    chosen = dialog.chosen()
    assert chosen is not None
    location, password = chosen
    assert location.text == "postgresql://alice@plans.example.org:5432/plans?plan=4"
    assert password == "s3cret" and "s3cret" not in location.text
    dialog.resize(640, 480)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.grab().save("/tmp/shared_dialog.png")


def test_a_socket_folder_as_the_server() -> None:
    location = location_from("/run/postgresql", 5432, "plans", "bob")
    assert location.url == "postgresql://bob@/plans?host=%2Frun%2Fpostgresql&port=5432"


def test_download_a_copy_from_the_window(
    open_window: Callable[[str], MainWindow],
    shared_sample_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window(shared_sample_url)
    target = tmp_path / "offline.plan"
    monkeypatch.setattr(
        file_flows.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "")
    )
    assert window.file_flows.download_copy()  # type: ignore[union-attr]
    assert target.exists()
    assert "Downloaded a copy" in window.statusBar().currentMessage()
