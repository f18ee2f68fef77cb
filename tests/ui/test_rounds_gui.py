"""File > Update rounds, offscreen: a round to the Northshire sample's partner bodies is
started into a folder, listed as outstanding, and a returned workbook (edited as a
partner would) is imported by button or by drop, merged as one undoable step and
shown as returned.

No modal dialog is ever left waiting: the questions are module-level functions that
are replaced, as are the preview dialog's ask and the error box. The main window is
built but never shown."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import discard_plan

pytest.importorskip("PySide6.QtWidgets")

import openpyxl
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMessageBox

from planner.commands import EditRecord, runner_for
from planner.domain.dates import format_uk
from planner.io.rounds import RoundLine
from planner.queries import action_rows
from planner.store.planfile import PlanFile
from planner.ui import create_main_window, rounds_view
from planner.ui.dialogs.import_preview import ImportPreviewDialog
from planner.ui.dialogs.round_options import RoundOptions
from planner.ui.main_window import MainWindow
from planner.ui.models.rounds import RoundsModel
from planner.ui.rounds_view import RoundsDialog, show_rounds

pytestmark = pytest.mark.gui

PARTNER_FILES = 10


class Recorder:
    def __init__(self, answer: Any = None) -> None:
        self.answer = answer
        self.calls: list[tuple[Any, ...]] = []

    def __call__(self, *args: Any, **_kwargs: Any) -> Any:
        self.calls.append(args)
        return self.answer


@pytest.fixture
def window(sample_path: Path, qtbot: Any) -> MainWindow:
    """The main window on the sample, built but never shown (see test_import_gui). The
    partners here change actions they do not lead, so the plan lets anyone do so."""
    with PlanFile.open(sample_path) as plan_file:
        runner_for(plan_file, who="Helen Ashworth").execute(
            EditRecord("plan", plan_file.plan_id, {"return_rule": "anyone"})
        )
        plan_file.save()
    made = create_main_window(sample_path)
    qtbot.addWidget(made, before_close_func=discard_plan)
    return made


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "round"
    path.mkdir()
    return path


@pytest.fixture(autouse=True)
def stand_ins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Recorder]:
    found = {
        "options": Recorder(RoundOptions("partner", date.today() + timedelta(days=30))),
        "folder": Recorder(tmp_path / "round"),
        "files": Recorder([]),
        "error": Recorder(None),
        "preview": Recorder(None),
    }
    monkeypatch.setattr(rounds_view, "ask_round_options", found["options"])
    monkeypatch.setattr(rounds_view, "ask_folder", found["folder"])
    monkeypatch.setattr(rounds_view, "ask_returned_files", found["files"])
    monkeypatch.setattr(rounds_view, "show_error", found["error"])

    def unchanged(_parent: Any, preview: Any, **_kwargs: Any) -> Any:
        found["preview"].calls.append((preview,))
        return preview

    monkeypatch.setattr(ImportPreviewDialog, "ask", staticmethod(unchanged))
    monkeypatch.setattr(
        ImportPreviewDialog, "exec", lambda *a, **k: pytest.fail("a preview dialog was opened")
    )
    monkeypatch.setattr(
        QMessageBox, "exec", lambda *a, **k: pytest.fail("a message box was opened")
    )
    return found


@pytest.fixture
def dialog(window: MainWindow, qtbot: Any) -> Iterator[RoundsDialog]:
    document = window.document
    assert document is not None
    made = RoundsDialog(window, document)
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    yield made
    document.changed.disconnect(made._document_changed)


def states(dialog: RoundsDialog) -> dict[str, str]:
    model = dialog.model
    return {
        str(model.index(row, RoundsModel.RECIPIENT).data()): str(
            model.index(row, RoundsModel.STATE).data()
        )
        for row in range(model.rowCount())
    }


def started(dialog: RoundsDialog, qtbot: Any) -> list[Path]:
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    return sorted(dialog.document.plan_file.path.parent.joinpath("round").glob("*.xlsx"))


def percent_of(dialog: RoundsDialog, ref: str) -> int:
    return next(row.percent for row in dialog.document.read(action_rows) if row.ref == ref)


def edit_percent(dialog: RoundsDialog, path: Path) -> tuple[str, int]:
    """Change the first action's % complete in a returned workbook; (ref, new percent)."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Actions"]
    column = {cell.value: number for number, cell in enumerate(sheet[1], start=1)}
    ref = str(sheet.cell(2, column["Ref"]).value)
    new = 95 if percent_of(dialog, ref) != 95 else 85
    sheet.cell(2, column["% complete"]).value = f"{new}%"
    workbook.save(path)
    return ref, new


def recipient_of_file(path: Path) -> str:
    workbook = openpyxl.load_workbook(path, read_only=True)
    meta: dict[Any, Any] = {
        row[0]: row[1] for row in workbook["_planner"].iter_rows(values_only=True)
    }
    return str(meta["recipient"])


# ----- starting a round ------------------------------------------------------------------------


def test_starting_a_round_writes_a_workbook_per_partner_and_lists_them_outstanding(
    dialog: RoundsDialog, folder: Path, qtbot: Any, stand_ins: dict[str, Recorder]
) -> None:
    assert dialog.objectName() == "roundsDialog" and dialog.view.objectName() == "roundsView"
    assert dialog.model.rowCount() == 0 and dialog.empty_label.isVisible()
    before = dialog.document.undo_stack.count()
    files = started(dialog, qtbot)
    assert stand_ins["error"].calls == []
    assert len(files) == PARTNER_FILES
    assert dialog.model.rowCount() == PARTNER_FILES
    assert set(states(dialog).values()) == {"Outstanding: 30 days left"}
    due = format_uk(date.today() + timedelta(days=30))
    model = dialog.model
    assert {model.index(row, RoundsModel.RETURN_BY).data() for row in range(10)} == {due}
    assert {model.index(row, RoundsModel.WORKBOOK).data() for row in range(10)} == {
        path.name for path in files
    }
    assert [model.headerData(n, Qt.Orientation.Horizontal) for n in range(6)] == [
        "Round",
        "Recipient",
        "Addressed to",
        "Return by",
        "State",
        "Workbook",
    ]
    assert f"10 workbooks written to {folder}." in dialog.message.text()
    assert dialog.document.undo_stack.count() == before + 1
    assert not dialog.empty_label.isVisible()


def test_an_overdue_round_says_so_in_words(
    dialog: RoundsDialog, folder: Path, qtbot: Any, stand_ins: dict[str, Recorder]
) -> None:
    stand_ins["options"].answer = RoundOptions("lead", date.today() - timedelta(days=1))
    started(dialog, qtbot)
    assert dialog.model.rowCount() > 0
    assert set(states(dialog).values()) == {"Late: 1 day late"}


def test_cancelling_the_questions_starts_nothing(
    dialog: RoundsDialog, folder: Path, qtbot: Any, stand_ins: dict[str, Recorder]
) -> None:
    stand_ins["folder"].answer = None
    assert started(dialog, qtbot) == []
    stand_ins["options"].answer = None
    assert started(dialog, qtbot) == []
    assert dialog.model.rowCount() == 0 and dialog.document.undo_stack.count() == 0


def test_a_folder_that_cannot_be_used_shows_the_core_error(
    dialog: RoundsDialog, tmp_path: Path, qtbot: Any, stand_ins: dict[str, Recorder]
) -> None:
    (tmp_path / "a file").write_text("")
    stand_ins["folder"].answer = tmp_path / "a file"
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    ((_, error, *_),) = stand_ins["error"].calls
    assert "is a file, not a folder" in str(error)
    assert dialog.model.rowCount() == 0


# ----- importing what comes back ---------------------------------------------------------------


def test_an_imported_workbook_is_merged_as_one_step_and_shown_returned(
    dialog: RoundsDialog, folder: Path, qtbot: Any, stand_ins: dict[str, Recorder]
) -> None:
    files = started(dialog, qtbot)
    returned = files[0]
    who = recipient_of_file(returned)
    ref, new = edit_percent(dialog, returned)
    old = percent_of(dialog, ref)
    stand_ins["files"].answer = [returned]
    stack = dialog.document.undo_stack
    before = stack.count()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert stand_ins["error"].calls == []
    assert len(stand_ins["preview"].calls) == 1
    assert percent_of(dialog, ref) == new
    assert stack.count() == before + 1
    today = format_uk(date.today())
    assert states(dialog)[who] == f"Returned {today} by {who}"
    others = [state for name, state in states(dialog).items() if name != who]
    assert len(others) == 9 and set(others) == {"Outstanding: 30 days left"}
    assert dialog.message.text().startswith(f"Merged 1 workbook: {returned.name} (1 change)")

    stack.undo()  # one step takes back both the merge and the mark
    assert percent_of(dialog, ref) == old
    assert states(dialog)[who] == "Outstanding: 30 days left"


def test_a_bad_file_is_reported_and_the_rest_still_merge(
    dialog: RoundsDialog, folder: Path, tmp_path: Path, qtbot: Any, stand_ins: dict[str, Recorder]
) -> None:
    files = started(dialog, qtbot)
    bad = tmp_path / "minutes.xlsx"
    bad.write_text("Minutes of the Partnership Board")
    edit_percent(dialog, files[1])
    edit_percent(dialog, files[2])
    before = dialog.document.undo_stack.count()
    assert dialog.import_files([files[1], bad, files[2]]) == 2
    ((_, error, *_),) = stand_ins["error"].calls
    assert "minutes.xlsx" in str(error)
    assert dialog.document.undo_stack.count() == before + 2
    returned = [state for state in states(dialog).values() if state.startswith("Returned")]
    assert len(returned) == 2
    assert "Not merged: minutes.xlsx." in dialog.message.text()


def test_dropping_a_workbook_imports_it(
    dialog: RoundsDialog, folder: Path, qtbot: Any, stand_ins: dict[str, Recorder]
) -> None:
    files = started(dialog, qtbot)
    returned = files[3]
    who = recipient_of_file(returned)
    ref, new = edit_percent(dialog, returned)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(returned))])
    point = QPointF(dialog.view.geometry().center())
    enter = QDragEnterEvent(
        point.toPoint(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    dialog.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        point,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    dialog.dropEvent(drop)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: states(dialog)[who].startswith("Returned"), timeout=10000)
    assert percent_of(dialog, ref) == new
    assert stand_ins["error"].calls == []


def test_a_drop_of_anything_but_a_workbook_is_refused(dialog: RoundsDialog, tmp_path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "notes.txt"))])
    enter = QDragEnterEvent(
        dialog.rect().center(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    dialog.dragEnterEvent(enter)
    assert not enter.isAccepted()


# ----- the model and the entry point ------------------------------------------------------------


def test_the_rounds_model_passes_the_qt_model_tester(qtmodeltester: Any) -> None:
    model = RoundsModel()
    qtmodeltester.check(model)
    today = date(2014, 2, 4)
    model.set_rows(
        [
            RoundLine(
                "Q3 2013/14 update",
                date(2014, 1, 31),
                "Northshire CVS",
                "a.xlsx",
                None,
                "",
                contact="Margaret Bell",
                email="margaret.bell@northshirecvs.org.uk",
                today=today,
            ),
            RoundLine(
                "Q3 2013/14 update",
                date(2014, 1, 31),
                "Northshire College",
                "b.xlsx",
                date(2014, 1, 12),
                "Helen Ashworth",
                today=today,
            ),
            RoundLine("Q4 2013/14 update", None, "Ruth Calloway", "c.xlsx", None, "", today=today),
            RoundLine(
                "Q4 2013/14 update",
                date(2014, 2, 11),
                "Claire Dobson",
                "d.xlsx",
                None,
                "",
                today=today,
            ),
        ]
    )
    qtmodeltester.check(model)
    assert model.index(0, RoundsModel.STATE).data() == "Late: 4 days late"
    assert model.index(1, RoundsModel.STATE).data() == "Returned 12/01/2014 by Helen Ashworth"
    assert model.index(2, RoundsModel.STATE).data() == "Outstanding"
    assert model.index(3, RoundsModel.STATE).data() == "Outstanding: 7 days left"
    assert model.index(2, RoundsModel.RETURN_BY).data() == ""
    assert model.index(0, RoundsModel.STATE).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert (
        model.index(0, RoundsModel.ADDRESSED).data()
        == "Margaret Bell <margaret.bell@northshirecvs.org.uk>"
    )
    assert model.index(2, RoundsModel.ADDRESSED).data() == "No email address: send by hand"


def test_show_rounds_opens_the_dialog_for_the_plan_and_nothing_without_one(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[RoundsDialog] = []

    def record(made: RoundsDialog) -> int:
        opened.append(made)
        return 0

    monkeypatch.setattr(RoundsDialog, "exec", record)
    show_rounds(window)
    (made,) = opened
    assert made.document is window.document and made.view.objectName() == "roundsView"

    class NoPlan:
        document = None
        widget = None

    show_rounds(NoPlan())
    assert len(opened) == 1


def test_the_rule_on_who_may_change_progress_is_set_here_and_undoable(
    dialog: RoundsDialog, qtbot: Any
) -> None:
    from planner.queries.lookups import plan_header

    combo = dialog.rule_combo
    assert combo.currentData() == "anyone"  # as the fixture's plan has it
    combo.setCurrentIndex(combo.findData("owners"))
    assert dialog.document.read(plan_header).return_rule == "owners"
    assert "the lead officer and lead partner body only may change" in dialog.message.text()
    dialog.grab().save("/tmp/rounds_dialog.png")
    dialog.document.undo_stack.undo()
    assert dialog.document.read(plan_header).return_rule == "anyone"
    assert combo.currentData() == "anyone"


# ----- emails ------------------------------------------------------------------------------------


def test_starting_a_round_prepares_an_email_beside_each_workbook(
    dialog: RoundsDialog, qtbot: Any, stand_ins: dict[str, Recorder], tmp_path: Path
) -> None:
    files = started(dialog, qtbot)
    drafts = sorted((tmp_path / "round").glob("*.eml"))
    assert [path.stem for path in drafts] == sorted(path.stem for path in files)
    assert "10 email drafts written beside the workbooks" in dialog.message.text()
    addressed = {
        str(dialog.model.index(row, RoundsModel.RECIPIENT).data()): str(
            dialog.model.index(row, RoundsModel.ADDRESSED).data()
        )
        for row in range(dialog.model.rowCount())
    }
    assert addressed["Northshire College"] == ("Ian Marsden <ian.marsden@northshire-college.ac.uk>")


def test_reminders_go_only_to_those_still_to_return(
    dialog: RoundsDialog, qtbot: Any, stand_ins: dict[str, Recorder], tmp_path: Path
) -> None:
    files = started(dialog, qtbot)
    returned = files[0]
    stand_ins["files"].answer = [returned]
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.reminders_button, Qt.MouseButton.LeftButton)
    assert stand_ins["error"].calls == []
    reminders = sorted((tmp_path / "round").glob("* - reminder.eml"))
    assert len(reminders) == PARTNER_FILES - 1
    assert returned.stem + " - reminder.eml" not in {path.name for path in reminders}
    assert "9 reminder drafts written" in dialog.message.text()


def test_the_email_wording_is_edited_here_and_undoable(
    dialog: RoundsDialog, qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    wording = "Subject: {round} for {body}\n\nHello {contact},\n\nBy {return_by}, please.\n"
    monkeypatch.setattr(rounds_view, "ask_email_wording", Recorder(wording))
    qtbot.mouseClick(dialog.wording_button, Qt.MouseButton.LeftButton)
    started(dialog, qtbot)
    college = next((tmp_path / "round").glob("*Northshire College.eml")).read_text()
    assert "Subject: Q3 2013/14 update for Northshire College" in college
    assert "Hello Ian Marsden," in college
    document = dialog.document
    document.undo_stack.undo()  # the round
    document.undo_stack.undo()  # the wording
    assert document.read(rounds_view.email_wording) == ""


def test_a_wording_with_an_unknown_placeholder_is_refused(
    dialog: RoundsDialog,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    stand_ins: dict[str, Recorder],
) -> None:
    monkeypatch.setattr(rounds_view, "ask_email_wording", Recorder("Subject: x\n\n{firstname}"))
    before = dialog.document.undo_stack.count()
    qtbot.mouseClick(dialog.wording_button, Qt.MouseButton.LeftButton)
    ((_, error, *_),) = stand_ins["error"].calls
    assert "{firstname}" in str(error)
    assert dialog.document.undo_stack.count() == before


def test_the_status_is_saved_as_csv(
    dialog: RoundsDialog, qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    started(dialog, qtbot)
    target = tmp_path / "status.csv"
    monkeypatch.setattr(rounds_view, "ask_csv_file", Recorder(target))
    qtbot.mouseClick(dialog.csv_button, Qt.MouseButton.LeftButton)
    text = target.read_text("utf-8-sig")
    assert text.splitlines()[0].startswith("Round,Return by,Recipient,Contact,Email")
    assert len(text.splitlines()) == PARTNER_FILES + 1


def test_an_unexpected_fault_reading_a_workbook_is_logged_with_its_traceback(
    dialog: RoundsDialog,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    stand_ins: dict[str, Recorder],
    tmp_path: Path,
) -> None:
    def broken(_path: Path) -> Any:
        raise RuntimeError("the zip reader fell over")

    monkeypatch.setattr(dialog, "_read", broken)
    with caplog.at_level(logging.ERROR, logger="planner.ui.rounds_view"):
        assert dialog.import_files([tmp_path / "back.xlsx"]) == 0
    (record,) = [entry for entry in caplog.records if entry.name == "planner.ui.rounds_view"]
    assert record.exc_info is not None and "fell over" in str(record.exc_info[1])
    ((_, shown, *_),) = stand_ins["error"].calls
    assert "back.xlsx" in str(shown)
