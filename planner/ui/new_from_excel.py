"""File > New plan from Excel: choose a workbook holding a table of actions, say which
column holds what, and start a new plan file from it.

Every question is a module-level function (ask_workbook, ask_mapping, ask_target,
tell_report) so tests can answer it without a modal dialog."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from planner.errors import PlannerError
from planner.io.excel.new_plan import (
    ActionTable,
    NewPlanReport,
    find_action_table,
    plan_data_from_workbook,
)
from planner.io.sample import create_from_data
from planner.store.planfile import PLAN_SUFFIX
from planner.ui.dialogs.column_mapping import TITLE, ColumnMappingDialog
from planner.ui.dialogs.new_plan_report import NewPlanReportDialog
from planner.ui.dialogs.plan_target import NewPlanTarget, TargetDialog
from planner.ui.document import PlanDocument
from planner.ui.messages import show_error

if TYPE_CHECKING:
    from planner.ui.window_api import PlanWindow

PLAN_FILTER = f"Strategy plans (*{PLAN_SUFFIX});;All files (*)"


# ----- the questions (module-level so tests can answer them) -------------------------


def ask_workbook(window: QWidget, folder: Path) -> Path | None:
    chosen, _ = QFileDialog.getOpenFileName(
        window, TITLE, str(folder), "Excel workbooks (*.xlsx);;All files (*)"
    )
    return Path(chosen) if chosen else None


def ask_mapping(window: QWidget, table: ActionTable, workbook: Path) -> dict[int, str] | None:
    return ColumnMappingDialog.ask(window, table.headings, workbook.name, table)


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
