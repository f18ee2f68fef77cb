"""File > New plan from Excel, offscreen: a workbook's columns are mapped in the column
dialog (including a heading the core does not recognise), the new plan is written and
shown in the window, and the report is given; a damaged workbook writes nothing.

No modal dialog is ever left waiting: the file questions and the report are replaced,
and the mapping dialog's exec() is replaced by a driver that shows the real dialog,
works its combo boxes and presses OK.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import discard_plan

pytest.importorskip("PySide6.QtWidgets")

import openpyxl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QMessageBox, QPushButton

from planner.io.excel.new_plan import CellNote, NewPlanReport
from planner.queries import action_rows
from planner.queries.lookups import plan_header
from planner.ui import create_main_window, new_from_excel
from planner.ui.dialogs.column_mapping import NOT_RECOGNISED, ColumnMappingDialog
from planner.ui.dialogs.new_plan_report import NewPlanReportDialog, report_text
from planner.ui.dialogs.plan_target import NewPlanTarget
from planner.ui.file_flows import FileFlows
from planner.ui.main_window import MainWindow
from planner.ui.new_from_excel import new_plan_from_excel

pytestmark = pytest.mark.gui

HEADINGS = [
    "Workstream",
    "No.",
    "ACTION",
    "Owner",
    "Partners",
    "Deadline",
    "RAG",
    "Progress",
    "Accountable exec",
]
ROWS = [
    [
        "1. Connectivity",
        "1.1",
        "Extend full-fibre to rural schools",
        "Sam Owner",
        "Northshire NHS Trust, Northshire College",
        datetime(2026, 3, 31),
        "Green",
        "Survey done",
        "Jo Director",
    ],
    [
        "1. Connectivity",
        "1.2",
        "Public wifi in market towns",
        "Sam Owner",
        "Northshire Council",
        datetime(2026, 9, 30),
        "Amber",
        None,
        "Jo Director",
    ],
    [
        "Skills",
        None,
        "Digital skills hubs in libraries",
        "Lee Owner",
        None,
        None,
        None,
        None,
        "Pat Executive",
    ],
]


@pytest.fixture
def window(sample_path: Path, qtbot: Any) -> MainWindow:
    """The main window on the sample, built but not shown (see test_import_gui)."""
    made = create_main_window(sample_path)
    qtbot.addWidget(made, before_close_func=discard_plan)
    return made


class Recorder:
    def __init__(self, answer: Any = None) -> None:
        self.answer = answer
        self.calls: list[tuple[Any, ...]] = []

    def __call__(self, *args: Any, **_kwargs: Any) -> Any:
        self.calls.append(args)
        return self.answer


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Actions"
    sheet.append(HEADINGS)
    for row in ROWS:
        sheet.append(row)
    path = tmp_path / "Digital Delivery Plan.xlsx"
    book.save(path)
    return path


@pytest.fixture
def target(tmp_path: Path) -> NewPlanTarget:
    return NewPlanTarget(
        title="Digital Partnership Plan",
        organisation="Northshire County Council",
        path=tmp_path / "out" / "digital.plan",
    )


@pytest.fixture(autouse=True)
def stand_ins(monkeypatch: pytest.MonkeyPatch, target: NewPlanTarget) -> dict[str, Recorder]:
    """Every question and message of the flow answered without a modal loop."""
    target.path.parent.mkdir(exist_ok=True)
    found = {
        "workbook": Recorder(None),
        "target": Recorder(target),
        "report": Recorder(None),
        "error": Recorder(None),
    }
    monkeypatch.setattr(new_from_excel, "ask_workbook", found["workbook"])
    monkeypatch.setattr(new_from_excel, "ask_target", found["target"])
    monkeypatch.setattr(new_from_excel, "tell_report", found["report"])
    monkeypatch.setattr(new_from_excel, "show_error", found["error"])
    for name in ("getOpenFileName", "getSaveFileName"):
        monkeypatch.setattr(
            QFileDialog, name, lambda *a, **k: pytest.fail("a real file dialog was opened")
        )
    monkeypatch.setattr(
        QMessageBox, "exec", lambda *a, **k: pytest.fail("a message box was opened")
    )
    monkeypatch.setattr(
        FileFlows, "ask_save_changes", lambda *a, **k: pytest.fail("asked to save changes")
    )
    monkeypatch.setattr(
        ColumnMappingDialog,
        "exec",
        lambda *a, **k: pytest.fail("the mapping dialog was opened without a driver"),
    )
    return found


def test_new_plan_from_a_workbook_with_a_mapped_odd_column(
    window: MainWindow,
    workbook: Path,
    target: NewPlanTarget,
    stand_ins: dict[str, Recorder],
    monkeypatch: pytest.MonkeyPatch,
    qtbot: Any,
) -> None:
    stand_ins["workbook"].answer = workbook
    seen: dict[str, Any] = {}

    def drive(dialog: ColumnMappingDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        assert dialog.objectName() == "columnMappingDialog"
        assert len(dialog.combos) == len(HEADINGS)
        # Preselected from the recognised headings; the odd one is marked.
        assert dialog.combo_for("ACTION").currentText() == "Action"
        assert dialog.combo_for("Owner").currentText() == "Lead officer"
        assert dialog.combo_for("Deadline").currentText() == "Due"
        assert dialog.combo_for("Progress").currentText() == "Latest update"
        odd = dialog.combo_for("Accountable exec")
        assert odd.currentText() == "(not used)"
        number = HEADINGS.index("Accountable exec")
        assert dialog.notes[number].text() == NOT_RECOGNISED
        assert dialog.notes[HEADINGS.index("ACTION")].text() == ""
        assert dialog.ok_button.isEnabled()
        # The lead officer comes from the odd column; Owner gives the field up.
        odd.setCurrentIndex(odd.findText("Lead officer"))
        assert dialog.combo_for("Owner").currentText() == "(not used)"
        seen["mapping"] = dialog.mapping()
        dialog.ok_button.click()
        return int(dialog.result())

    monkeypatch.setattr(ColumnMappingDialog, "exec", drive)

    assert new_plan_from_excel(window) is True

    assert seen["mapping"][HEADINGS.index("Accountable exec")] == "lead"
    assert HEADINGS.index("Owner") not in seen["mapping"]
    assert target.path.exists()
    document = window.document
    assert document is not None
    assert document.plan_file.path == target.path
    assert window.actions_page.model.total_count() == 3
    header = document.read(plan_header)
    assert header.title == "Digital Partnership Plan"
    rows = {row.title: row for row in document.read(action_rows)}
    assert rows["Extend full-fibre to rural schools"].lead_officer == "Jo Director"
    assert rows["Digital skills hubs in libraries"].lead_officer == "Pat Executive"

    assert stand_ins["error"].calls == []
    assert stand_ins["target"].calls and stand_ins["target"].calls[0][1] == workbook
    (_window, report, where), *_ = stand_ins["report"].calls
    assert where == target.path
    assert report.actions == 3
    assert report.themes == 2
    assert report.unrecognised == ["Owner"]
    text = report_text(report, where)
    assert "Created 2 themes, 3 actions, 2 people, 3 partner bodies and 0 milestones" in text
    assert "Owner" in text


def test_cancelling_the_mapping_writes_nothing(
    window: MainWindow,
    workbook: Path,
    target: NewPlanTarget,
    stand_ins: dict[str, Recorder],
    monkeypatch: pytest.MonkeyPatch,
    sample_path: Path,
) -> None:
    stand_ins["workbook"].answer = workbook
    monkeypatch.setattr(ColumnMappingDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert new_plan_from_excel(window) is False
    assert stand_ins["target"].calls == []
    assert not target.path.exists()
    assert window.document is not None
    assert window.document.plan_file.path == sample_path


def test_mapping_dialog_needs_an_action_column(qtbot: Any) -> None:
    headings: list[object] = ["Workstream", "Owner", None, "Deadline", "Accountable exec"]
    dialog = ColumnMappingDialog(headings, "no-actions.xlsx")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert len(dialog.combos) == 4  # the empty heading has no row
    assert not dialog.ok_button.isEnabled()
    assert "action title" in dialog.hint.text()
    dialog.set_field("Accountable exec", "percent")
    assert not dialog.ok_button.isEnabled()
    dialog.set_field("Accountable exec", "title")
    assert dialog.ok_button.isEnabled()
    assert dialog.mapping() == {0: "theme", 1: "lead", 3: "due", 4: "title"}
    dialog.set_field("Accountable exec", None)
    assert not dialog.ok_button.isEnabled()
    dialog.reject()


def test_a_damaged_workbook_shows_an_error_and_writes_nothing(
    window: MainWindow,
    tmp_path: Path,
    target: NewPlanTarget,
    stand_ins: dict[str, Recorder],
    sample_path: Path,
) -> None:
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(b"PK\x03\x04" + b"this is not a real workbook" * 20)
    stand_ins["workbook"].answer = damaged
    assert new_plan_from_excel(window) is False
    assert len(stand_ins["error"].calls) == 1
    assert "damaged.xlsx" in str(stand_ins["error"].calls[0][1])
    assert stand_ins["target"].calls == []
    assert stand_ins["report"].calls == []
    assert list(target.path.parent.glob("*.plan")) == []
    assert window.document is not None
    assert window.document.plan_file.path == sample_path


def test_the_programs_own_export_hides_its_id_column_and_keeps_refs_and_milestones(
    window: MainWindow,
    sample_path: Path,
    tmp_path: Path,
    target: NewPlanTarget,
    stand_ins: dict[str, Recorder],
    monkeypatch: pytest.MonkeyPatch,
    qtbot: Any,
) -> None:
    from planner.cli import main

    exported = tmp_path / "Northshire.xlsx"
    assert main(["export", str(sample_path), str(exported)]) == 0
    stand_ins["workbook"].answer = exported
    seen: dict[str, Any] = {}

    def drive(dialog: ColumnMappingDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        shown = [dialog.headings[number] for number in dialog.combos]
        seen["shown"] = shown
        seen["intro"] = dialog.findChild(QLabel).text()
        dialog.ok_button.click()
        return int(dialog.result())

    monkeypatch.setattr(ColumnMappingDialog, "exec", drive)
    assert new_plan_from_excel(window) is True
    assert "ID" not in seen["shown"] and "Ref" in seen["shown"]
    assert "Baseline due" not in seen["shown"]
    assert "Columns of the sheet 'Actions' in 'Northshire.xlsx'." in seen["intro"]
    assert "hidden ID column is not read" in seen["intro"]
    (_window, report, _where), *_ = stand_ins["report"].calls
    assert (report.actions, report.milestones, report.partners) == (27, 94, 10)
    refs = sorted(row.ref for row in window.document.read(action_rows))
    assert refs[:4] == ["1.1", "1.2", "1.3", "1.4"]


def big_report() -> NewPlanReport:
    """A report with many cells left out, in many columns, as a careless copy gives."""
    report = NewPlanReport(themes=3, actions=412, people=40, partners=12, sheet="Delivery plan")
    report.notes.append("Milestones were read from the sheet 'Milestones'.")
    for number in range(2, 1_402):
        report.skipped_cells.append(CellNote("Due", number, "soon", "is not a date"))
    for number in range(2, 300, 3):
        report.skipped_cells.append(
            CellNote("RAG", number, f"Colour {number % 7}", "is not a RAG rating (use Red, Amber)")
        )
    for column in range(20):
        report.skipped_cells.append(
            CellNote(f"Column {column}", 9, "x" * 400, "is a formula, which is never worked out")
        )
    report.skipped_rows.append(CellNote("Action", 77, "", "empty, so the row was left out"))
    report.doubtful.append(CellNote("Due", 12, "31/3/27", "a two-digit year"))
    report.unrecognised = ["Budget", "Cost centre"]
    report.guessed_sectors = 12
    return report


def test_the_report_lists_every_skipped_reason_in_a_scrolling_list_of_bounded_size(
    qtbot: Any, tmp_path: Path
) -> None:
    report = big_report()
    dialog = NewPlanReportDialog(report, tmp_path / "big.plan")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    lines = [dialog.list.item(row).text().strip() for row in range(dialog.list.count())]
    assert lines[0] == "Milestones were read from the sheet 'Milestones'."
    assert "1,520 cells and 1 row could not be used:" in lines
    assert (
        "Due: 'soon' is not a date — 1,400 cells, e.g. row 2, row 3, row 4, row 5, row 6, "
        "row 7, row 8, row 9, row 10, row 11, …" in lines
    )
    # a note; a heading, the empty title, Due, RAG and 20 formula columns; a heading and
    # the doubt; the columns not used; where the plan was saved
    assert len(lines) == 1 + 1 + 1 + 1 + 1 + 20 + 1 + 1 + 1 + 1
    assert max(len(line) for line in lines) < 400
    assert dialog.height() <= 600 and dialog.width() <= 900
    assert dialog.list.verticalScrollBar().maximum() > 0  # it scrolls, it does not grow
    dialog.grab().save(str(tmp_path / "new-from-excel-report.png"))
    dialog.findChild(QPushButton, "copyReportButton").click()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("Created 3 themes, 412 actions")
    assert copied == report_text(report, tmp_path / "big.plan")
    dialog.accept()
