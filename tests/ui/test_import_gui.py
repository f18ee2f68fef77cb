"""File > Import updates from Excel in the main window, offscreen: a returned copy of the
exported sample, edited as a partner would, is previewed, chosen from and merged as one
undoable step; conflicts are shown unticked; a foreign workbook changes nothing.

No modal dialog is ever left waiting: the file question, error and message boxes are
replaced, and the preview dialog's exec() is replaced by a driver that shows the real
dialog, works its widgets and presses Apply or Cancel.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import discard_plan

pytest.importorskip("PySide6.QtWidgets")

import openpyxl
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QMessageBox, QStyle, QStyleOptionViewItem
from sqlalchemy import select

from planner.commands import EditRecord
from planner.io.excel import ExportOptions, export_workbook, gather
from planner.io.excel.merge import MergePreview
from planner.io.sample import write_sample
from planner.queries import action_rows
from planner.queries.lookups import person_choices, plan_header
from planner.queries.summary import milestone_rows
from planner.store.models import JournalEntry, ProgressUpdate, Proposal
from planner.store.planfile import PlanFile
from planner.ui import create_main_window, import_flow, main_window
from planner.ui.dialogs.import_preview import ImportPreviewDialog
from planner.ui.main_window import MainWindow
from planner.ui.models.actions import COLUMN_INDEX
from planner.ui.models.changes import CONFLICT_BACKGROUND, ChangesModel

pytestmark = pytest.mark.gui

RETURNED = "returned.xlsx"
NEW_UPDATE = "PSN Code of Connection submitted on 28 February; awaiting the CESG response."
SCREENSHOT = Path("/tmp/import_preview.png")
REAL_TELL_NOTHING_TO_MERGE = import_flow.tell_nothing_to_merge  # before the stand-ins


# ----- fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pristine-sample")
    path = folder / "northshire.plan"
    write_sample(path, data_dir=folder / "user-data").close()
    return path


@pytest.fixture
def sample_path(tmp_path: Path, data_dir: Path, pristine: Path) -> Path:
    """Overrides conftest's fixture: the same freshly written sample, copied not rewritten."""
    path = tmp_path / "northshire.plan"
    shutil.copy2(pristine, path)
    return path


@pytest.fixture
def window(sample_path: Path, qtbot: Any) -> MainWindow:
    """The main window on the sample, not shown: the flow needs no painted window, and
    PySide6 6.12.0 under-counts references to None each time Python reads an empty
    QVariant (as the main window's own delegates do while painting), so a session that
    paints many windows can crash Python as it exits."""
    made = create_main_window(sample_path)
    qtbot.addWidget(made, before_close_func=discard_plan)
    made.resize(1280, 800)
    return made


class Recorder:
    """Stands in for a question or message: records each call, gives a set answer."""

    def __init__(self, answer: Any = None) -> None:
        self.answer = answer
        self.calls: list[tuple[Any, ...]] = []

    def __call__(self, *args: Any, **_kwargs: Any) -> Any:
        self.calls.append(args)
        return self.answer


@pytest.fixture(autouse=True)
def stand_ins(monkeypatch: pytest.MonkeyPatch) -> dict[str, Recorder]:
    """Every question and message of the import flow answered without a modal loop."""
    found = {
        "workbook": Recorder(None),
        "error": Recorder(None),
        "nothing": Recorder(None),
    }
    monkeypatch.setattr(import_flow, "ask_workbook", found["workbook"])
    monkeypatch.setattr(import_flow, "show_error", found["error"])
    monkeypatch.setattr(main_window, "show_error", found["error"])
    monkeypatch.setattr(import_flow, "tell_nothing_to_merge", found["nothing"])
    monkeypatch.setattr(
        import_flow.QFileDialog,
        "getOpenFileName",
        lambda *a, **k: pytest.fail("a real file dialog was opened"),
    )
    monkeypatch.setattr(
        ImportPreviewDialog,
        "exec",
        lambda *a, **k: pytest.fail("the preview dialog was opened without a driver"),
    )
    for name in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(
            QMessageBox, name, lambda *a, **k: pytest.fail("a message box was opened")
        )
    monkeypatch.setattr(
        QMessageBox, "exec", lambda *a, **k: pytest.fail("a message box was opened")
    )
    return found


Row = tuple[bool, str, str, str, str, str]


def table_rows(model: ChangesModel) -> list[Row]:
    """(ticked, record, field, in the plan, returned, note) as the dialog shows them."""
    found: list[Row] = []
    for row in range(model.rowCount()):
        ticked = model.index(row, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
        texts = [str(model.index(row, column).data() or "") for column in range(1, 6)]
        found.append((ticked, *texts))  # type: ignore[arg-type]
    return found


class Driver:
    """Replaces the preview dialog's exec(): shows the real dialog, records what it
    shows, runs the test's steps on it, then presses Apply (or Cancel)."""

    def __init__(self, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        self.qtbot = qtbot
        self.steps: list[Callable[[ImportPreviewDialog], None]] = []
        self.press = "apply"
        self.shown: list[dict[str, Any]] = []
        monkeypatch.setattr(ImportPreviewDialog, "exec", lambda dialog: self._exec(dialog))

    def _exec(self, dialog: ImportPreviewDialog) -> int:
        dialog.show()
        self.qtbot.waitExposed(dialog)
        self.shown.append(
            {
                "heading": dialog.heading.text(),
                "rows": table_rows(dialog.model),
                "apply": dialog.apply_button.text(),
                "proposed": [
                    (item.text(), bool(item.flags() & Qt.ItemFlag.ItemIsUserCheckable))
                    for item in (
                        dialog.proposed_list.item(n) for n in range(dialog.proposed_list.count())
                    )
                ],
            }
        )
        for step in self.steps:
            step(dialog)
        self.shown[-1]["apply after"] = dialog.apply_button.text()
        self.shown[-1]["rows after"] = table_rows(dialog.model)
        button = dialog.apply_button if self.press == "apply" else dialog.cancel_button
        assert button.isEnabled(), f"{button.text()} is disabled"
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        return dialog.result()


@pytest.fixture
def driver(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> Driver:
    return Driver(qtbot, monkeypatch)


# ----- the returned copy --------------------------------------------------------------------


def export_copy(window: MainWindow, path: Path, *, now: datetime | None = None) -> Path:
    document = window.document
    assert document is not None
    content = document.read(
        lambda session, plan_id: gather(session, plan_id, ExportOptions(), now=now)
    )
    return export_workbook(content, path)


def edit_copy(
    path: Path,
    actions: dict[str, dict[str, Any]] | None = None,
    milestones: dict[str, dict[str, Any]] | None = None,
    new_actions: list[dict[str, Any]] | None = None,
    extra_sheet: str | None = None,
) -> None:
    """Change cells as a partner would: actions by Ref, milestones by title, by heading."""
    workbook = openpyxl.load_workbook(path)
    for sheet_name, key, edits in (
        ("Actions", "Ref", actions or {}),
        ("Milestones", "Milestone", milestones or {}),
    ):
        sheet = workbook[sheet_name]
        headers = [cell.value for cell in sheet[1]]
        done = set()
        for row in range(2, sheet.max_row + 1):
            found = sheet.cell(row, headers.index(key) + 1).value
            for heading, value in edits.get(found, {}).items():
                sheet.cell(row, headers.index(heading) + 1).value = value
                done.add(found)
        assert done == set(edits), f"not found on {sheet_name}: {set(edits) - done}"
    sheet = workbook["Actions"]
    headers = [cell.value for cell in sheet[1]]
    for values in new_actions or []:
        sheet.append([values.get(heading) for heading in headers])
    if extra_sheet:
        workbook.create_sheet(extra_sheet)["A1"] = "our own notes"
    workbook.save(path)


def open_milestone(window: MainWindow) -> tuple[int, str, str]:
    """(id, title, action ref) of the first milestone not yet completed."""
    document = window.document
    assert document is not None
    found = next(
        row
        for row in document.read(lambda session, plan_id: milestone_rows(session, plan_id))
        if row.completed_on is None
    )
    return found.id, found.title, found.action_ref


def milestone_completed(window: MainWindow, milestone_id: int) -> date | None:
    document = window.document
    assert document is not None
    rows = document.read(lambda session, plan_id: milestone_rows(session, plan_id))
    return next(row.completed_on for row in rows if row.id == milestone_id)


def action(window: MainWindow, ref: str) -> Any:
    document = window.document
    assert document is not None
    return next(row for row in document.read(action_rows) if row.ref == ref)


def shown(window: MainWindow, ref: str, key: str) -> str:
    model = window.actions_page.model
    for row in range(model.rowCount()):
        if model.index(row, COLUMN_INDEX["ref"]).data() == ref:
            return str(model.index(row, COLUMN_INDEX[key]).data())
    raise AssertionError(f"action {ref} is not in the table")


def stack(window: MainWindow) -> Any:
    assert window.document is not None
    return window.document.undo_stack


def three_edits(window: MainWindow, path: Path, *, now: datetime | None = None) -> str:
    """A copy changing RAG of 3.2, the latest update of 4.2 and an open milestone's
    completion date; returns that milestone's title."""
    export_copy(window, path, now=now)
    _, title, _ = open_milestone(window)
    edit_copy(
        path,
        actions={"3.2": {"RAG": "Green"}, "4.2": {"Latest update": NEW_UPDATE}},
        milestones={title: {"Completed": datetime(2013, 12, 20)}},
    )
    return title


def returned_copy(
    window: MainWindow, tmp_path: Path, stand_ins: dict[str, Recorder], **kwargs: Any
) -> tuple[Path, str]:
    path = tmp_path / RETURNED
    title = three_edits(window, path, **kwargs)
    stand_ins["workbook"].answer = path
    return path, title


# ----- the menu action ----------------------------------------------------------------------


def test_the_import_action_is_offered_for_a_writable_plan(window: MainWindow) -> None:
    action = window.actionImportExcel
    assert action.isVisible() and action.isEnabled()
    file_menu = window.menuBar().actions()[0].menu()
    assert action in file_menu.actions()


def test_the_import_action_is_disabled_for_a_read_only_plan(sample_path: Path, qtbot: Any) -> None:
    from planner.ui.document import PlanDocument

    window = MainWindow()
    qtbot.addWidget(window, before_close_func=discard_plan)
    window.set_document(PlanDocument(PlanFile.open(sample_path, read_only=True)))
    assert window.actionImportExcel.isVisible()
    assert not window.actionImportExcel.isEnabled()
    window.set_document(None)
    assert not window.actionImportExcel.isEnabled()


def test_choosing_no_file_does_nothing(window: MainWindow, stand_ins: dict[str, Recorder]) -> None:
    before = stack(window).count()
    window.actionImportExcel.trigger()
    assert len(stand_ins["workbook"].calls) == 1
    (_, folder) = stand_ins["workbook"].calls[0]
    assert folder == window.document.plan_file.path.parent  # type: ignore[union-attr]
    assert stand_ins["error"].calls == [] and stack(window).count() == before


# ----- the preview --------------------------------------------------------------------------


def test_the_dialog_lists_exactly_the_changes_made_in_the_copy(
    window: MainWindow, tmp_path: Path, stand_ins: dict[str, Recorder], driver: Driver
) -> None:
    _, title = returned_copy(window, tmp_path, stand_ins)
    driver.press = "cancel"
    window.actionImportExcel.trigger()
    assert stand_ins["error"].calls == []
    (seen,) = driver.shown
    rows = {(row[1], row[2]): row for row in seen["rows"]}
    assert len(seen["rows"]) == 3
    milestone = next(key for key in rows if key[0].startswith("Milestone"))
    assert set(rows) == {("Action 3.2", "RAG"), ("Action 4.2", "Latest update"), milestone}
    assert title in milestone[0]
    assert all(row[0] for row in seen["rows"]), "every change starts ticked"
    assert rows["Action 3.2", "RAG"][3:5] == ("B Blue", "G Green")
    latest = rows["Action 4.2", "Latest update"]
    assert latest[4] == NEW_UPDATE
    assert latest[5] == "Added as a new progress update, with the values on its row"
    assert latest[3].startswith(action(window, "4.2").latest_update[:40])
    assert rows[milestone][2:5] == ("Completed", "(empty)", "20/12/2013")
    assert seen["apply"] == "&Merge 3 changes"
    assert seen["heading"].startswith(f"Updates in {RETURNED} (exported ")
    assert seen["proposed"] == []


def test_cancel_changes_nothing(
    window: MainWindow, tmp_path: Path, stand_ins: dict[str, Recorder], driver: Driver
) -> None:
    returned_copy(window, tmp_path, stand_ins)
    driver.press = "cancel"
    before = stack(window).count()
    window.actionImportExcel.trigger()
    assert len(driver.shown) == 1
    assert stack(window).count() == before
    assert shown(window, "3.2", "rag") == "Blue"
    assert not window.isWindowModified()
    assert "Nothing was merged" in window.statusBar().currentMessage()


def test_applying_merges_all_three_as_one_undoable_step(
    window: MainWindow, tmp_path: Path, stand_ins: dict[str, Recorder], driver: Driver
) -> None:
    returned_copy(window, tmp_path, stand_ins)
    milestone_id, _, _ = open_milestone(window)
    old_update = action(window, "4.2").latest_update
    before = stack(window).count()
    window.actionImportExcel.trigger()
    assert stand_ins["error"].calls == []
    assert shown(window, "3.2", "rag") == "Green"
    assert action(window, "4.2").latest_update == NEW_UPDATE
    assert milestone_completed(window, milestone_id) == date(2013, 12, 20)
    assert stack(window).count() == before + 1
    assert stack(window).undoText() == f"Merge {RETURNED}"
    assert window.actionUndo.text() == f"&Undo Merge {RETURNED}"
    assert window.statusBar().currentMessage() == (
        f"Merged 3 changes into the plan from {RETURNED}."
    )
    assert window.isWindowModified()

    window.actionUndo.trigger()
    assert shown(window, "3.2", "rag") == "Blue"
    assert action(window, "4.2").latest_update == old_update
    assert milestone_completed(window, milestone_id) is None
    assert stack(window).index() == before

    window.actionRedo.trigger()
    assert shown(window, "3.2", "rag") == "Green"
    assert action(window, "4.2").latest_update == NEW_UPDATE
    assert milestone_completed(window, milestone_id) == date(2013, 12, 20)


def test_an_unticked_change_is_left_out(
    window: MainWindow, tmp_path: Path, stand_ins: dict[str, Recorder], driver: Driver
) -> None:
    returned_copy(window, tmp_path, stand_ins)
    milestone_id, _, _ = open_milestone(window)
    old_update = action(window, "4.2").latest_update

    def untick_latest_update(dialog: ImportPreviewDialog) -> None:
        model = dialog.model
        row = next(
            n for n in range(model.rowCount()) if model.change_at(n).column == "Latest update"
        )
        assert model.setData(
            model.index(row, 0), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole
        )

    driver.steps.append(untick_latest_update)
    window.actionImportExcel.trigger()
    (seen,) = driver.shown
    assert seen["apply after"] == "&Merge 2 changes"
    assert [row[0] for row in seen["rows after"] if row[2] == "Latest update"] == [False]
    assert shown(window, "3.2", "rag") == "Green"
    assert milestone_completed(window, milestone_id) == date(2013, 12, 20)
    assert action(window, "4.2").latest_update == old_update
    assert (
        window.statusBar()
        .currentMessage()
        .startswith(
            "Merged 2 changes (1 value not applied, recorded with the return) into the plan"
        )
    )


def _check_indicator_centre(dialog: ImportPreviewDialog, index: QModelIndex) -> QPoint:
    view = dialog.changes_view
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = view.visualRect(index)
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    rect = view.style().subElementRect(
        QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, view
    )
    return rect.center()


def test_clicking_the_boxes_updates_the_count_and_none_ticked_merges_only_the_record(
    window: MainWindow, tmp_path: Path, stand_ins: dict[str, Recorder], qtbot: Any
) -> None:
    path = tmp_path / RETURNED
    three_edits(window, path)
    document = window.document
    assert document is not None
    preview = import_flow.read_preview(document, path)
    dialog = ImportPreviewDialog(window, preview, rags=document.read(plan_header).rag_definitions)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    viewport = dialog.changes_view.viewport()
    for row, expected in ((0, "&Merge 2 changes"), (1, "&Merge 1 change")):
        spot = _check_indicator_centre(dialog, dialog.model.index(row, 0))
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=spot)
        assert dialog.apply_button.text() == expected
        assert not preview.changes[row].take_returned
    dialog.changes_view.setFocus()
    dialog.changes_view.setCurrentIndex(dialog.model.index(2, 0))
    qtbot.keyClick(dialog.changes_view, Qt.Key.Key_Space)
    # nothing ticked: the merge records the return (so it is not asked again), nothing more
    assert dialog.apply_button.text() == "&Merge" and dialog.apply_button.isEnabled()
    assert dialog.apply_button.toolTip() == "Record the return without changing the plan"
    qtbot.mouseClick(dialog.take_all_button, Qt.MouseButton.LeftButton)
    assert dialog.apply_button.text() == "&Merge 3 changes" and dialog.apply_button.isEnabled()
    assert all(change.take_returned for change in preview.changes)


# ----- conflicts ----------------------------------------------------------------------------


def _conflict(window: MainWindow, tmp_path: Path, stand_ins: dict[str, Recorder]) -> None:
    """The copy was exported five seconds ago; since then the plan's RAG of 3.2 became
    Amber, while the partner made it Green."""
    returned_copy(window, tmp_path, stand_ins, now=datetime.now() - timedelta(seconds=5))
    document = window.document
    assert document is not None
    document.execute(EditRecord("action", action(window, "3.2").id, {"rag": "A"}))
    assert shown(window, "3.2", "rag") == "Amber"


def test_a_conflict_is_shown_unticked_with_a_note_and_the_plan_keeps_its_value(
    window: MainWindow, tmp_path: Path, stand_ins: dict[str, Recorder], driver: Driver
) -> None:
    _conflict(window, tmp_path, stand_ins)
    notes: list[Any] = []
    driver.steps.append(
        lambda dialog: notes.append(
            [
                dialog.model.index(row, column).data(Qt.ItemDataRole.BackgroundRole)
                for row in range(dialog.model.rowCount())
                for column in range(6)
                if dialog.model.change_at(row).conflict
            ]
        )
    )
    window.actionImportExcel.trigger()
    (seen,) = driver.shown
    rag = next(row for row in seen["rows"] if row[1:3] == ("Action 3.2", "RAG"))
    assert rag[0] is False
    assert rag[3:5] == ("A Amber", "G Green")
    today = date.today().strftime("%d/%m/%Y")
    assert rag[5].startswith("Conflict: changed by ")
    assert f" on {today} in the plan, after this copy was sent; this copy was saved" in rag[5]
    assert notes == [[CONFLICT_BACKGROUND] * 6], "the conflict row is highlighted"
    others = [row for row in seen["rows"] if row is not rag]
    assert len(others) == 2 and all(row[0] for row in others)
    assert seen["apply"] == "&Merge 2 changes"
    assert shown(window, "3.2", "rag") == "Amber"
    assert action(window, "4.2").latest_update == NEW_UPDATE
    assert window.statusBar().currentMessage().startswith("Merged 2 changes (1 value not applied")


def test_take_all_returned_values_overrides_the_conflict(
    window: MainWindow, tmp_path: Path, stand_ins: dict[str, Recorder], driver: Driver, qtbot: Any
) -> None:
    _conflict(window, tmp_path, stand_ins)
    driver.steps.append(
        lambda dialog: qtbot.mouseClick(dialog.take_all_button, Qt.MouseButton.LeftButton)
    )
    window.actionImportExcel.trigger()
    (seen,) = driver.shown
    assert seen["apply after"] == "&Merge 3 changes"
    assert shown(window, "3.2", "rag") == "Green"
    window.actionUndo.trigger()
    assert shown(window, "3.2", "rag") == "Amber"


# ----- who returned it, new records, and what is left out ------------------------------------


def test_the_person_who_returned_it_is_recorded(
    window: MainWindow, tmp_path: Path, stand_ins: dict[str, Recorder], driver: Driver
) -> None:
    returned_copy(window, tmp_path, stand_ins)
    headings: list[str] = []

    def choose(dialog: ImportPreviewDialog) -> None:
        combo = dialog.from_combo
        combo.setCurrentIndex(combo.findText("Helen Ashworth"))
        headings.append(dialog.heading.text())

    driver.steps.append(choose)
    window.actionImportExcel.trigger()
    assert headings[0].startswith(f"Updates in {RETURNED} from Helen Ashworth (exported ")
    document = window.document
    assert document is not None
    helen = next(c.id for c in document.read(person_choices) if c.label == "Helen Ashworth")
    sources = document.read(
        lambda session, _plan_id: set(session.scalars(select(JournalEntry.source)))
    )
    assert f"import of {RETURNED} from Helen Ashworth" in sources
    author = document.read(
        lambda session, _plan_id: session.scalar(
            select(ProgressUpdate.author_id).where(ProgressUpdate.commentary == NEW_UPDATE)
        )
    )
    assert author == helen


def test_proposed_actions_are_kept_for_review_unless_ticked_to_add_now(
    window: MainWindow, tmp_path: Path, stand_ins: dict[str, Recorder], driver: Driver
) -> None:
    path = tmp_path / RETURNED
    export_copy(window, path)
    edit_copy(
        path,
        new_actions=[
            {"Theme": "3. Strategic Commissioning & Shared Services", "Action": "Shared print"},
            {"Theme": "99. Nowhere", "Action": "Lost action"},
            {"Theme": "3. Strategic Commissioning & Shared Services", "Action": "Joint WAN"},
        ],
    )
    stand_ins["workbook"].answer = path

    def tick_shared_print(dialog: ImportPreviewDialog) -> None:
        items = [dialog.proposed_list.item(n) for n in range(dialog.proposed_list.count())]
        (item,) = [item for item in items if "Shared print" in item.text()]
        item.setCheckState(Qt.CheckState.Checked)

    driver.steps.append(tick_shared_print)
    window.actionImportExcel.trigger()
    (seen,) = driver.shown
    items = seen["proposed"]
    assert [checkable for _, checkable in items] == [True, False, True]
    assert "Shared print" in items[0][0] and "Joint WAN" in items[2][0]
    assert all("kept for review; tick to add it now" in items[n][0] for n in (0, 2))
    assert items[1][0].endswith(
        "no theme of the plan (choose one) — kept for review; choose its theme in Review proposals"
    )
    assert seen["apply"] == "&Merge" and seen["apply after"] == "&Merge 1 change"
    titles = {row.title for row in window.document.read(action_rows)}  # type: ignore[union-attr]
    assert "Shared print" in titles
    assert "Joint WAN" not in titles and "Lost action" not in titles
    waiting = window.document.read(  # type: ignore[union-attr]
        lambda session, _plan_id: sorted(
            (p.title, p.state)
            for p in session.scalars(select(Proposal).where(Proposal.return_id.is_not(None)))
        )
    )
    assert waiting == [
        ("Joint WAN", "pending"),
        ("Lost action", "pending"),
        ("Shared print", "accepted"),
    ]
    window.actionUndo.trigger()
    titles = {row.title for row in window.document.read(action_rows)}  # type: ignore[union-attr]
    assert "Shared print" not in titles


def test_a_copy_with_nothing_to_merge_says_so(
    window: MainWindow, tmp_path: Path, stand_ins: dict[str, Recorder]
) -> None:
    path = tmp_path / RETURNED
    export_copy(window, path)
    edit_copy(path, actions={"3.2": {"Action": "A new title typed by the partner"}})
    stand_ins["workbook"].answer = path
    before = stack(window).count()
    window.actionImportExcel.trigger()
    ((_, preview),) = stand_ins["nothing"].calls
    assert isinstance(preview, MergePreview)
    lines = import_flow.skipped_lines(preview)
    assert any("Not applied: Action 3.2, Action" in line for line in lines), lines
    assert "nothing new to merge" in import_flow.nothing_to_merge_text(preview)
    assert stack(window).count() == before and not window.isWindowModified()


def test_the_nothing_to_merge_message_lists_what_was_left_out(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / RETURNED
    export_copy(window, path)
    edit_copy(path, actions={"3.2": {"Action": "A new title typed by the partner"}})
    document = window.document
    assert document is not None
    preview = import_flow.read_preview(document, path)
    boxes: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: boxes.append(box) or 0)
    REAL_TELL_NOTHING_TO_MERGE(window, preview)
    (box,) = boxes
    assert box.objectName() == "nothingToMergeDialog"
    assert f"nothing new to merge from '{RETURNED}'" in box.text()
    assert "Not applied: Action 3.2, Action" in box.detailedText()


# ----- refusals -----------------------------------------------------------------------------


def test_a_workbook_from_another_plan_shows_the_core_error_and_changes_nothing(
    window: MainWindow, tmp_path: Path, stand_ins: dict[str, Recorder]
) -> None:
    other_plan = tmp_path / "other" / "other.plan"
    other_plan.parent.mkdir()
    write_sample(other_plan, data_dir=tmp_path / "other" / "data").close()
    plan_file = PlanFile.open(other_plan, data_dir=tmp_path / "other" / "data")
    try:
        with plan_file.Session() as session:
            content = gather(session, plan_file.plan_id, ExportOptions())
    finally:
        plan_file.close(discard=True)
    path = export_workbook(content, tmp_path / "other plan.xlsx")
    edit_copy(path, actions={"3.2": {"RAG": "Green"}})
    stand_ins["workbook"].answer = path
    before = stack(window).count()
    window.actionImportExcel.trigger()
    ((_, error, *_),) = stand_ins["error"].calls
    assert "different plan" in str(error) and "other plan.xlsx" in str(error)
    assert stack(window).count() == before
    assert shown(window, "3.2", "rag") == "Blue"
    assert not window.isWindowModified()


def test_a_file_that_is_not_a_workbook_is_refused(
    window: MainWindow, tmp_path: Path, stand_ins: dict[str, Recorder]
) -> None:
    path = tmp_path / "minutes.xlsx"
    path.write_text("Minutes of the Partnership Board")
    stand_ins["workbook"].answer = path
    window.actionImportExcel.trigger()
    ((_, error, *_),) = stand_ins["error"].calls
    assert "is not an Excel workbook" in str(error)
    assert stack(window).count() == 0


# ----- the model and the look -----------------------------------------------------------------


def test_the_changes_model_passes_the_qt_model_tester(
    window: MainWindow, tmp_path: Path, qtmodeltester: Any
) -> None:
    path = tmp_path / RETURNED
    three_edits(window, path)
    document = window.document
    assert document is not None
    preview = import_flow.read_preview(document, path)
    model = ChangesModel(rags=document.read(plan_header).rag_definitions)
    model.set_rows(preview.changes)
    qtmodeltester.check(model)
    model.set_rows([])
    qtmodeltester.check(model)


def test_screenshot_of_the_preview_dialog(
    app_style: None, window: MainWindow, tmp_path: Path, qtbot: Any
) -> None:
    path = tmp_path / "Northshire College return.xlsx"
    export_copy(window, path, now=datetime.now() - timedelta(seconds=5))
    _, title, _ = open_milestone(window)
    edit_copy(
        path,
        actions={
            "3.2": {"RAG": "Green", "Action": "Joint asset register (retitled by the college)"},
            "4.2": {"Latest update": NEW_UPDATE},
            "4.3": {"% complete": "most of it"},
        },
        milestones={title: {"Completed": datetime(2013, 12, 20)}},
        new_actions=[
            {"Theme": "3. Strategic Commissioning & Shared Services", "Action": "Shared print"},
            {"Theme": "99. Nowhere", "Action": "Lost action"},
        ],
        extra_sheet="College notes",
    )
    document = window.document
    assert document is not None
    document.execute(EditRecord("action", action(window, "3.2").id, {"rag": "A"}))
    preview = import_flow.read_preview(document, path)
    dialog = ImportPreviewDialog(
        window,
        preview,
        people=document.read(person_choices),
        rags=document.read(plan_header).rag_definitions,
    )
    qtbot.addWidget(dialog)
    dialog.from_combo.setCurrentText("Stephen Rowley")
    dialog.resize(900, 600)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.wait(50)
    image = dialog.grab()
    assert (image.width(), image.height()) == (900, 600)
    assert image.save(str(SCREENSHOT))
    for number in range(1, dialog.sections.count()):
        dialog.sections.setCurrentIndex(number)
        qtbot.wait(20)
        dialog.grab().save(str(SCREENSHOT.with_name(f"import_preview_{number}.png")))
    dialog.sections.setCurrentIndex(0)
    # Every column can be read without scrolling sideways at 900 pixels.
    assert not dialog.changes_view.horizontalScrollBar().isVisible()


def test_a_copy_merged_before_is_recognised_and_changes_nothing(
    window: MainWindow, tmp_path: Path, stand_ins: dict[str, Recorder], driver: Driver
) -> None:
    returned_copy(window, tmp_path, stand_ins)
    window.actionImportExcel.trigger()
    assert len(driver.shown) == 1
    before = stack(window).count()
    window.actionImportExcel.trigger()
    assert len(driver.shown) == 1, "no second preview for a copy merged before"
    ((_, preview),) = stand_ins["nothing"].calls
    text = import_flow.nothing_to_merge_text(preview)
    today = date.today().strftime("%d/%m/%Y")
    assert f"was merged on {today} by " in text and text.endswith(
        "nothing new in it. The plan is unchanged."
    )
    assert stack(window).count() == before


def test_naming_who_returned_an_unaddressed_copy_decides_what_they_may_change(
    window: MainWindow, tmp_path: Path, stand_ins: dict[str, Recorder], driver: Driver
) -> None:
    """The whole plan's copy counts as the plan office's own until the officer says a
    partner sent it back: then only what that partner leads is theirs to change."""
    returned_copy(window, tmp_path, stand_ins)
    seen: dict[str, Any] = {}

    def name_the_sender(dialog: ImportPreviewDialog) -> None:
        combo = dialog.from_combo
        index = combo.findText("Neil Fairbrother")  # Eastvale, which leads none of these
        combo.setCurrentIndex(index)
        combo.activated.emit(index)
        rag = next(
            dialog.model.change_at(n)
            for n in range(dialog.model.rowCount())
            if dialog.model.change_at(n).column == "RAG"
        )
        seen["suggestion"] = (rag.suggestion, rag.take_returned)
        seen["heading"] = dialog.heading.text()

    driver.steps.append(name_the_sender)
    window.actionImportExcel.trigger()
    (shown,) = driver.shown
    assert all(row[0] for row in shown["rows"]), "the plan office's own copy: all ticked"
    assert seen["suggestion"] == (True, False)
    assert seen["heading"].startswith(
        f"Updates in {RETURNED} from Neil Fairbrother, Eastvale District Council"
    )
    assert shown_rag_is_kept(window)


def shown_rag_is_kept(window: MainWindow) -> bool:
    return shown(window, "3.2", "rag") == "Blue"
