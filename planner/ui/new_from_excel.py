"""File > New plan from Excel: choose a workbook holding a table of actions, say which
column holds what, and start a new plan file from it.

Every question is a module-level function (ask_workbook, ask_mapping, ask_target,
tell_report) so tests can answer it without a modal dialog."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from planner.errors import PlannerError
from planner.io.excel.new_plan import (
    NewPlanReport,
    _find_table,
    plan_data_from_workbook,
    recognise,
)
from planner.io.excel.reading import WorkbookError, check_container
from planner.io.sample import create_from_data
from planner.store.planfile import PLAN_SUFFIX
from planner.ui.document import PlanDocument
from planner.ui.messages import show_error

if TYPE_CHECKING:
    from planner.ui.main_window import MainWindow

TITLE = "New plan from Excel"
PLAN_FILTER = f"Strategy plans (*{PLAN_SUFFIX});;All files (*)"
NOT_USED = "(not used)"
NOT_RECOGNISED = "not recognised — choose what it holds or leave unused"

# The fields a column can hold, in the order the dialog offers them (keys as in
# planner.io.excel.new_plan.HEADINGS).
FIELDS: tuple[tuple[str, str], ...] = (
    ("theme", "Theme"),
    ("ref", "Ref"),
    ("title", "Action"),
    ("description", "Description"),
    ("lead", "Lead officer"),
    ("partners", "Partners"),
    ("start", "Start"),
    ("due", "Due"),
    ("status", "Status"),
    ("rag", "RAG"),
    ("percent", "% complete"),
    ("commentary", "Latest update"),
)
FIELD_LABELS = dict(FIELDS)


@dataclass(frozen=True)
class NewPlanTarget:
    title: str
    organisation: str
    path: Path


# ----- reading the headings -----------------------------------------------------------


def column_letter(number: int) -> str:
    """'A' for column 0, 'AA' for column 26."""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_headings(path: Path) -> list[object]:
    """The headings of the first action table in the workbook (the first row holding a
    recognised action-title heading, as the core looks for it; otherwise the first
    sheet's first row)."""
    from openpyxl import load_workbook

    check_container(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except Exception:
        raise WorkbookError(
            f"'{path.name}' is damaged or not a workbook this program can read."
        ) from None
    try:
        if not workbook.worksheets:
            raise WorkbookError(f"'{path.name}' has no worksheets.")
        _sheet, _row, headings = _find_table(workbook, None)
    finally:
        workbook.close()
    return headings


# ----- the column-mapping dialog ------------------------------------------------------


class ColumnMappingDialog(QDialog):
    """One row per heading: a combo box choosing the field that column holds."""

    def __init__(
        self, headings: list[object], workbook_name: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("columnMappingDialog")
        self.setWindowTitle(f"{TITLE} — columns")
        self.headings = list(headings)
        self.combos: dict[int, QComboBox] = {}
        self.notes: dict[int, QLabel] = {}
        recognised = recognise(self.headings)

        intro = QLabel(
            (f"Columns of '{workbook_name}'. " if workbook_name else "")
            + "Choose what each column holds; columns left '(not used)' are not read. "
            "One column must hold the action title.",
            self,
        )
        intro.setWordWrap(True)

        grid_host = QWidget(self)
        grid = QGridLayout(grid_host)
        grid.addWidget(QLabel("<b>Column</b>", grid_host), 0, 0)
        grid.addWidget(QLabel("<b>Heading</b>", grid_host), 0, 1)
        grid.addWidget(QLabel("<b>Holds</b>", grid_host), 0, 2)
        row = 1
        for number, heading in enumerate(self.headings):
            if heading in (None, ""):
                continue
            text = str(heading).strip()
            grid.addWidget(QLabel(column_letter(number), grid_host), row, 0)
            label = QLabel(text, grid_host)
            grid.addWidget(label, row, 1)
            combo = QComboBox(grid_host)
            combo.setObjectName(f"mappingCombo{number}")
            combo.setAccessibleName(f"What column {column_letter(number)} ({text}) holds")
            combo.addItem(NOT_USED, None)
            for key, field_label in FIELDS:
                combo.addItem(field_label, key)
            field_name = recognised.get(number)
            if field_name is not None:
                combo.setCurrentIndex(combo.findData(field_name))
            label.setBuddy(combo)
            grid.addWidget(combo, row, 2)
            note = QLabel("" if field_name else NOT_RECOGNISED, grid_host)
            note.setObjectName(f"mappingNote{number}")
            note.setStyleSheet("color: #9c5700;")
            grid.addWidget(note, row, 3)
            self.combos[number] = combo
            self.notes[number] = note
            combo.currentIndexChanged.connect(lambda _index, number=number: self._changed(number))
            row += 1
        grid.setColumnStretch(3, 1)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_host)

        self.hint = QLabel(self)
        self.hint.setObjectName("mappingHint")
        self.hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button.setText("Continue…")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(640)
        self._update_ok()

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def combo_for(self, heading: str) -> QComboBox:
        """The combo box of the column with this heading (for tests and scripting)."""
        for number, value in enumerate(self.headings):
            if str(value or "").strip() == heading and number in self.combos:
                return self.combos[number]
        raise KeyError(heading)

    def set_field(self, heading: str, field_name: str | None) -> None:
        combo = self.combo_for(heading)
        combo.setCurrentIndex(combo.findData(field_name))

    def mapping(self) -> dict[int, str]:
        """Column number -> field, for the columns given a field."""
        found: dict[int, str] = {}
        for number, combo in self.combos.items():
            key = combo.currentData()
            if key:
                found[number] = str(key)
        return found

    def _changed(self, number: int) -> None:
        key = self.combos[number].currentData()
        if key:
            # A field is read from one column only: take it away from any other.
            for other, combo in self.combos.items():
                if other != number and combo.currentData() == key:
                    combo.blockSignals(True)
                    combo.setCurrentIndex(0)
                    combo.blockSignals(False)
        self._update_ok()

    def _update_ok(self) -> None:
        has_title = "title" in self.mapping().values()
        self.ok_button.setEnabled(has_title)
        self.hint.setText(
            ""
            if has_title
            else "Choose the column that holds the action title ('Action') to continue."
        )

    @classmethod
    def ask(
        cls, parent: QWidget | None, headings: list[object], workbook_name: str = ""
    ) -> dict[int, str] | None:
        dialog = cls(headings, workbook_name, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.mapping()


# ----- the questions (module-level so tests can answer them) -------------------------


def ask_workbook(window: QWidget, folder: Path) -> Path | None:
    chosen, _ = QFileDialog.getOpenFileName(
        window, TITLE, str(folder), "Excel workbooks (*.xlsx);;All files (*)"
    )
    return Path(chosen) if chosen else None


def ask_mapping(window: QWidget, headings: list[object], workbook: Path) -> dict[int, str] | None:
    return ColumnMappingDialog.ask(window, headings, workbook.name)


class TargetDialog(QDialog):
    """The new plan's title and organisation."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newFromExcelTargetDialog")
        self.setWindowTitle(TITLE)
        self.title = QLineEdit(title, self)
        self.organisation = QLineEdit(self)
        self.organisation.setPlaceholderText("e.g. Northshire County Council")
        form = QFormLayout(self)
        form.addRow("&Title:", self.title)
        form.addRow("&Organisation:", self.organisation)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose where to save…")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(460)

    def _accept(self) -> None:
        if not self.title.text().strip():
            self.title.setFocus()
            self.title.setPlaceholderText("A new plan needs a title")
            return
        self.accept()


def ask_target(window: QWidget, workbook: Path) -> NewPlanTarget | None:
    """Title, organisation and where to save; None when cancelled. The save dialog
    confirms replacing an existing file."""
    dialog = TargetDialog(workbook.stem, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    suggested = str(workbook.with_suffix(PLAN_SUFFIX))
    chosen, _ = QFileDialog.getSaveFileName(window, "Save new plan as", suggested, PLAN_FILTER)
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != PLAN_SUFFIX:
        path = path.with_suffix(PLAN_SUFFIX)
    return NewPlanTarget(
        title=dialog.title.text().strip(),
        organisation=dialog.organisation.text().strip(),
        path=path,
    )


def report_text(report: NewPlanReport, target: Path) -> str:
    lines = [report.sentence()]
    if report.unrecognised:
        lines.append("Columns not used, so not read: " + ", ".join(report.unrecognised) + ".")
    lines.append(
        f"The plan was saved as '{target.name}'. Partner bodies' sectors were guessed "
        "from their names; check them under Partners."
    )
    return "\n\n".join(lines)


def tell_report(window: QWidget, report: NewPlanReport, target: Path) -> None:
    box = QMessageBox(window)
    box.setObjectName("newFromExcelReport")
    box.setIcon(QMessageBox.Icon.Warning if report.skipped else QMessageBox.Icon.Information)
    box.setWindowTitle(TITLE)
    box.setText(report_text(report, target))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


# ----- the flow -----------------------------------------------------------------------


def _start_folder(window: MainWindow) -> Path:
    document = window.document
    if document is not None:
        return document.plan_file.path.parent
    recent = window.settings.most_recent_existing()
    return recent.parent if recent else Path.home()


def new_plan_from_excel(window: MainWindow) -> bool:
    """Ask for a workbook, its columns and where to save; create and show the new plan.

    True when a new plan was created and shown; False when cancelled or refused (a
    refusal is explained with show_error, and nothing is written)."""
    workbook = ask_workbook(window, _start_folder(window))
    if workbook is None:
        return False
    try:
        headings = read_headings(workbook)
    except PlannerError as error:
        show_error(window, error, "The workbook could not be read")
        return False
    mapping = ask_mapping(window, headings, workbook)
    if mapping is None:
        return False
    target = ask_target(window, workbook)
    if target is None:
        return False
    try:
        data, report = plan_data_from_workbook(workbook, _core_mapping(mapping, headings))
    except PlannerError as error:
        show_error(window, error, "The workbook could not be read")
        return False
    if not report.actions:
        message = (
            f"'{workbook.name}' holds no actions this program could read; no plan was written."
        )
        if report.skipped:
            message += "\n\n" + report.sentence()
        show_error(window, message, TITLE)
        return False
    data["plan"]["title"] = target.title or data["plan"]["title"]
    data["plan"]["organisation"] = target.organisation
    flows = window.file_flows
    if flows is not None and not flows.close_plan():  # type: ignore[attr-defined]
        return False
    try:
        plan_file = create_from_data(target.path, data, overwrite=True)
    except PlannerError as error:
        show_error(window, error, "The plan could not be created")
        return False
    window.set_document(PlanDocument(plan_file))
    tell_report(window, report, target.path)
    return True


def _core_mapping(mapping: dict[int, str], headings: list[object]) -> dict[int, str] | None:
    """The mapping to hand the core: None when it is what the core recognises itself,
    so the core still finds a table that does not start on the first sheet's first row
    (given a mapping, it reads the first sheet from row 1)."""
    return None if mapping == recognise(headings) else mapping
