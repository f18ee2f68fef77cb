"""File > New plan from Excel: choose a workbook holding a table of actions, say which
column holds what, and start a new plan file from it.

Every question is a module-level function (ask_workbook, ask_mapping, ask_target,
tell_report) so tests can answer it without a modal dialog."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from planner.errors import PlannerError
from planner.io.excel.new_plan import (
    OWN_EXPORT_FIELDS,
    ActionTable,
    NewPlanReport,
    find_action_table,
    plan_data_from_workbook,
    recognise,
)
from planner.io.sample import create_from_data
from planner.store.planfile import PLAN_SUFFIX
from planner.ui.document import PlanDocument
from planner.ui.messages import show_error

if TYPE_CHECKING:
    from planner.ui.window_api import PlanWindow

TITLE = "New plan from Excel"
PLAN_FILTER = f"Strategy plans (*{PLAN_SUFFIX});;All files (*)"
NOT_USED = "(not used)"
NOT_RECOGNISED = "not recognised — choose what it holds or leave unused"

# The fields a column can hold, in the order the dialog offers them (keys as in
# planner.io.excel.new_plan.FIELDS).
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
    ("latest_update", "Latest update"),
    ("others", "Other people"),
)
FIELD_LABELS = dict(FIELDS)


@dataclass(frozen=True)
class NewPlanTarget:
    title: str
    organisation: str
    path: Path


def column_letter(number: int) -> str:
    """'A' for column 0, 'AA' for column 26."""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# ----- the column-mapping dialog ------------------------------------------------------


class ColumnMappingDialog(QDialog):
    """One row per heading: a combo box choosing the field that column holds."""

    def __init__(
        self,
        headings: list[object],
        workbook_name: str = "",
        parent: QWidget | None = None,
        *,
        table: ActionTable | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("columnMappingDialog")
        self.setWindowTitle(f"{TITLE} — columns")
        self.headings = list(headings)
        self.combos: dict[int, QComboBox] = {}
        self.notes: dict[int, QLabel] = {}
        offered = dict(FIELDS)
        if table is None:
            recognised = recognise(self.headings)
            kept: set[int] = set()
        else:
            recognised = {n: key for n, key in table.recognised.items() if key in offered}
            kept = {n for n, key in table.recognised.items() if key in OWN_EXPORT_FIELDS}
            if table.id_column is not None:
                kept.add(table.id_column)

        where = ""
        if table is not None and workbook_name:
            where = f"Columns of the sheet '{table.sheet}' in '{workbook_name}'. "
        elif workbook_name:
            where = f"Columns of '{workbook_name}'. "
        own = (
            "It was exported by Strategy Planner, so its refs, people, partner bodies and "
            "milestones are kept and its hidden ID column is not read. "
            if table is not None and table.own_export
            else ""
        )
        intro = QLabel(
            where + own + "Choose what each column holds; columns left '(not used)' are not read. "
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
            if heading in (None, "") or number in kept:
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
        grid.setRowStretch(row, 1)  # rows stay at the top of a tall dialog

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
        cls,
        parent: QWidget | None,
        headings: list[object],
        workbook_name: str = "",
        table: ActionTable | None = None,
    ) -> dict[int, str] | None:
        dialog = cls(headings, workbook_name, parent, table=table)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.mapping()


# ----- the questions (module-level so tests can answer them) -------------------------


def ask_workbook(window: QWidget, folder: Path) -> Path | None:
    chosen, _ = QFileDialog.getOpenFileName(
        window, TITLE, str(folder), "Excel workbooks (*.xlsx);;All files (*)"
    )
    return Path(chosen) if chosen else None


def ask_mapping(window: QWidget, table: ActionTable, workbook: Path) -> dict[int, str] | None:
    return ColumnMappingDialog.ask(window, table.headings, workbook.name, table)


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


def report_lines(report: NewPlanReport, target: Path) -> list[tuple[str, str]]:
    """The report as (kind, text) lines: "heading" lines introduce the lines after them."""
    lines: list[tuple[str, str]] = [("note", note) for note in report.notes]
    if report.skipped:
        lines.append(("heading", report.skipped_summary()))
        lines += [("skipped", line) for line in report.skipped_lines()]
    if report.doubtful:
        lines.append(("heading", "Read, but worth checking in the plan:"))
        lines += [("doubt", line) for line in report.doubtful_lines()]
    if report.unrecognised:
        lines.append(
            ("note", "Columns not used, so not read: " + ", ".join(report.unrecognised) + ".")
        )
    saved = f"The plan was saved as '{target.name}'."
    if report.guessed_sectors:
        saved += (
            " Partner bodies' sectors were guessed from their names; check them under Partners."
        )
    lines.append(("note", saved))
    return lines


def report_text(report: NewPlanReport, target: Path) -> str:
    """The whole report as plain text, one line each (as copied to the clipboard)."""
    body = [
        f"  {text}" if kind in ("skipped", "doubt") else text
        for kind, text in report_lines(report, target)
    ]
    return "\n".join([report.sentence(), *body])


class NewPlanReportDialog(QDialog):
    """What was made, and every line of what could not be used, in a scrolling list."""

    def __init__(self, report: NewPlanReport, target: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newFromExcelReport")
        self.setWindowTitle(TITLE)
        self.report = report
        self.target = target
        summary = QLabel(f"<b>{_escaped(report.sentence())}</b>", self)
        summary.setObjectName("newFromExcelSummary")
        summary.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("newFromExcelReportList")
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setSpacing(2)
        for kind, text in report_lines(report, target):
            item = QListWidgetItem(text if kind in ("heading", "note") else f"    {text}")
            if kind == "heading":
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            item.setToolTip(text)
            self.list.addItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setFocus()
        copy = buttons.addButton("Copy report", QDialogButtonBox.ButtonRole.ActionRole)
        copy.setObjectName("copyReportButton")
        copy.clicked.connect(self.copy_report)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(720, 420 if report.skipped or report.doubtful else 260)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(report_text(self.report, self.target))


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def tell_report(window: QWidget, report: NewPlanReport, target: Path) -> None:
    NewPlanReportDialog(report, target, window).exec()


# ----- the flow -----------------------------------------------------------------------


def _start_folder(window: PlanWindow) -> Path:
    document = window.document
    if document is not None:
        return document.plan_file.path.parent
    recent = window.settings.most_recent_existing()
    return recent.parent if recent else Path.home()


def new_plan_from_excel(window: PlanWindow) -> bool:
    """Ask for a workbook, its columns and where to save; create and show the new plan.

    True when a new plan was created and shown; False when cancelled or refused (a
    refusal is explained with show_error, and nothing is written)."""
    workbook = ask_workbook(window.widget, _start_folder(window))
    if workbook is None:
        return False
    try:
        table = find_action_table(workbook)
    except PlannerError as error:
        show_error(window.widget, error, "The workbook could not be read")
        return False
    mapping = ask_mapping(window.widget, table, workbook)
    if mapping is None:
        return False
    target = ask_target(window.widget, workbook)
    if target is None:
        return False
    try:
        data, report = plan_data_from_workbook(workbook, mapping)
    except PlannerError as error:
        show_error(window.widget, error, "The workbook could not be read")
        return False
    if not report.actions:
        lines = report.skipped_lines()
        message = (
            f"'{workbook.name}' holds no actions this program could read"
            + (f" ({lines[0]})" if lines else "")
            + "; no plan was written."
        )
        show_error(window.widget, message, TITLE)
        return False
    data["plan"]["title"] = target.title or data["plan"]["title"]
    data["plan"]["organisation"] = target.organisation or data["plan"]["organisation"]
    if not window.close_plan():
        return False
    try:
        plan_file = create_from_data(target.path, data, overwrite=True)
    except PlannerError as error:
        show_error(window.widget, error, "The plan could not be created")
        return False
    window.set_document(PlanDocument(plan_file))
    tell_report(window.widget, report, target.path)
    return True
