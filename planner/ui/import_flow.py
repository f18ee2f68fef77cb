"""File > Import updates from Excel: choose a returned workbook, preview what it would
change, and merge the chosen changes as one undoable step.

Every question is a module-level function (ask_workbook, ask_choices,
tell_nothing_to_merge) so tests can answer it without a modal dialog."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from planner.domain import RagDefinition
from planner.errors import PlannerError
from planner.io.excel.merge import MergePreview, build_preview, merge_command, merged_sentence
from planner.io.excel.reading import read_returned
from planner.queries.lookups import Choice, person_choices, plan_header
from planner.ui.dialogs.import_preview import ImportPreviewDialog
from planner.ui.messages import show_error

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from planner.ui.document import PlanDocument
    from planner.ui.window_api import PlanWindow

TITLE = "Import updates from Excel"

_log = logging.getLogger(__name__)


def ask_workbook(window: QWidget, folder: Path) -> Path | None:
    chosen, _ = QFileDialog.getOpenFileName(
        window, TITLE, str(folder), "Excel workbooks (*.xlsx);;All files (*)"
    )
    return Path(chosen) if chosen else None


def ask_choices(
    window: QWidget,
    preview: MergePreview,
    people: list[Choice],
    rags: tuple[RagDefinition, ...],
    rebuild: Callable[[str], MergePreview] | None = None,
) -> MergePreview | None:
    """The preview with the user's choices set, or None when cancelled."""
    return ImportPreviewDialog.ask(window, preview, people=people, rags=rags, rebuild=rebuild)


def tell_nothing_to_merge(window: QWidget, preview: MergePreview) -> None:
    box = QMessageBox(window)
    box.setObjectName("nothingToMergeDialog")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(TITLE)
    box.setText(nothing_to_merge_text(preview))
    details = skipped_lines(preview)
    if details:
        box.setDetailedText("\n".join(details))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def nothing_to_merge_text(preview: MergePreview) -> str:
    if preview.already_merged:
        return f"{preview.already_merged} The plan is unchanged."
    text = (
        f"There is nothing new to merge from '{preview.source.name}': every value that can "
        "be returned matches the plan (or an earlier copy of this return, or was changed in "
        "the plan since the copy was sent), and it proposes no new actions or milestones. "
        "The plan is unchanged."
    )
    others = len(preview.not_applied) + len(preview.problems) + len(preview.proposed)
    if others:
        text += " Show Details for what was left out."
    return text


def skipped_lines(preview: MergePreview) -> list[str]:
    lines = [
        f"Not applied: {item.label}, {item.column}: '{item.plan_value}' -> "
        f"'{item.returned_value}' (change this in the plan)"
        for item in preview.not_applied
    ]
    lines += [
        f"Not added: {record.sheet} row {record.row}: {record.summary} ({record.reason})"
        for record in preview.proposed
        if record.reason
    ]
    lines += [f"Skipped: {problem}" for problem in preview.problems]
    lines += [f"Ignored: {note}" for note in preview.ignored]
    return lines


def has_anything_to_merge(preview: MergePreview) -> bool:
    """Something new to merge: a changed value (even one held back) or a proposal."""
    return not preview.already_merged and not preview.is_empty


def read_preview(document: PlanDocument, path: Path, from_name: str = "") -> MergePreview:
    """Read the workbook and compare it with the plan, as returned by `from_name` (else by
    whoever the workbook names); raises PlannerError with the reason."""

    def query(session: Session, plan_id: int) -> MergePreview:
        header = plan_header(session, plan_id)
        returned = read_returned(path, header.rag_definitions)
        return build_preview(session, plan_id, returned, from_name)

    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return document.read(query)
    finally:
        QApplication.restoreOverrideCursor()


def merged_count(preview: MergePreview) -> int:
    """The changes and new records the merge puts into the plan."""
    return len(preview.chosen) + sum(
        1 for record in preview.kept_proposals if record.take and record.can_add_now
    )


def import_from_excel(window: PlanWindow) -> int | None:
    """Run the whole import conversation; returns how many changes were merged, or None."""
    document = window.document
    if document is None or document.read_only:
        return None
    path = ask_workbook(window.widget, document.plan_file.path.parent)
    if path is None:
        return None
    try:
        preview = read_preview(document, path)
    except PlannerError as error:
        show_error(window.widget, error, "The workbook was not merged")
        return None
    except Exception as error:  # a damaged file must not take the window with it
        _log.exception("Reading %s as a returned plan failed", path)
        show_error(
            window.widget,
            f"'{path.name}' could not be read as a returned plan: {error}",
            "The workbook was not merged",
        )
        return None
    if not has_anything_to_merge(preview):
        tell_nothing_to_merge(window.widget, preview)
        return None
    header = document.read(plan_header)
    chosen = ask_choices(
        window.widget,
        preview,
        document.read(person_choices),
        header.rag_definitions,
        lambda name: read_preview(document, path, name),
    )
    if chosen is None:
        window.show_status(f"Nothing was merged from {path.name}.", 6000)
        return None
    merged = document.try_execute(
        merge_command(chosen),
        lambda error: show_error(window.widget, error, "The workbook was not merged"),
        source=chosen.source_label(),
    )
    if merged is None:
        return None
    window.show_status(f"{merged_sentence(chosen)} the plan from {path.name}.", 8000)
    return merged_count(chosen)
