"""File > Review proposals, offscreen: proposals merged from a partner's returned copy are
listed, accepted (choosing a theme where the row named none) or declined, each as one
undoable step, and the plan's tables show an accepted action at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import discard_plan

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import Qt
from returns_helpers import edit_copy, export_slice
from sqlalchemy import select

from planner.io.excel.merge import merge_command
from planner.queries import action_rows
from planner.store.models import Proposal
from planner.ui import create_main_window, import_flow, proposals_flow
from planner.ui.main_window import MainWindow
from planner.ui.proposals_view import ProposalsModel, ReviewProposalsDialog

pytestmark = pytest.mark.gui

SCREENSHOT = Path("/tmp/review_proposals.png")


@pytest.fixture
def window(sample_path: Path, tmp_path: Path, qtbot: Any) -> MainWindow:
    """The main window on the sample, with a return from Northshire College merged that
    proposes two actions (one naming no theme of the plan) and a milestone."""
    college = export_slice(sample_path, tmp_path / "College.xlsx", partner="Northshire College")
    returned = edit_copy(
        college,
        tmp_path / "College returned.xlsx",
        {},
        [
            (
                "Actions",
                {
                    "Theme": "6. Digital Access & Inclusion",
                    "Action": "Digital skills open days at the college",
                    "Lead officer": "Jo Bloggs",
                    "Due": "31/07/2014",
                    "Latest update": "Dates agreed with the library service.",
                },
            ),
            ("Actions", {"Theme": "Estates", "Action": "Shared reception at the college"}),
            (
                "Milestones",
                {"Action ref": "6.1", "Milestone": "Survey of users", "Due": "30/05/2014"},
            ),
        ],
    )
    made = create_main_window(sample_path)
    qtbot.addWidget(made, before_close_func=discard_plan)
    made.resize(1280, 800)
    document = made.document
    assert document is not None
    preview = import_flow.read_preview(document, returned)
    document.execute(merge_command(preview), source=preview.source_label())
    return made


def drive(
    monkeypatch: pytest.MonkeyPatch, qtbot: Any, *steps: Callable[[ReviewProposalsDialog], None]
) -> list[ReviewProposalsDialog]:
    """Replace the dialog's modal run with `steps` on the real, shown dialog."""
    shown: list[ReviewProposalsDialog] = []

    def run(dialog: ReviewProposalsDialog) -> None:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        shown.append(dialog)
        for step in steps:
            step(dialog)

    monkeypatch.setattr(proposals_flow, "run_dialog", run)
    return shown


def titles(model: ProposalsModel) -> list[str]:
    return [model.row_at(n).title for n in range(model.rowCount())]


def select_row(dialog: ReviewProposalsDialog, title: str) -> None:
    dialog.view.selectRow(titles(dialog.model).index(title))


def plan_titles(window: MainWindow) -> set[str]:
    return {row.title for row in window.document.read(action_rows)}  # type: ignore[union-attr]


def test_the_review_lists_what_was_proposed_and_by_whom(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    seen: dict[str, Any] = {}

    def look(dialog: ReviewProposalsDialog) -> None:
        model = dialog.model
        seen["titles"] = titles(model)
        seen["rows"] = [
            [model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())
        ]
        select_row(dialog, "Digital skills open days at the college")
        seen["details"] = dialog.details.text()
        seen["theme shown"] = dialog.theme_combo.isVisibleTo(dialog)
        select_row(dialog, "Shared reception at the college")
        seen["theme needed"] = dialog.theme_combo.isVisibleTo(dialog)
        seen["accept enabled"] = dialog.accept_button.isEnabled()
        dialog.grab().save(str(SCREENSHOT))

    drive(monkeypatch, qtbot, look)
    window.actionReviewProposals.trigger()
    assert sorted(seen["titles"]) == [
        "College enrolment staff trained as digital champions",  # in the sample already
        "Digital champions in every branch library",
        "Digital skills open days at the college",
        "Shared reception at the college",
        "Survey of users",
    ]
    open_days = next(
        row for row in seen["rows"] if row[3] == "Digital skills open days at the college"
    )
    assert open_days[1:] == [
        "Northshire College",
        "Action",
        "Digital skills open days at the college",
        "Theme 6. Digital Access & Inclusion",
        "Jo Bloggs (new person)",
        "Waiting for review",
    ]
    assert "Lead officer: Jo Bloggs (not yet one of the plan's people" in seen["details"]
    assert "due 31/07/2014" in seen["details"] and "Dates agreed" in seen["details"]
    assert not seen["theme shown"] and seen["theme needed"]
    assert not seen["accept enabled"], "a new action naming no theme waits for one"


def test_accepting_adds_the_action_and_undo_takes_it_back(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    def accept_open_days(dialog: ReviewProposalsDialog) -> None:
        select_row(dialog, "Digital skills open days at the college")
        qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)

    def accept_reception_in_theme_4(dialog: ReviewProposalsDialog) -> None:
        select_row(dialog, "Shared reception at the college")
        combo = dialog.theme_combo
        combo.setCurrentIndex(
            next(n for n in range(combo.count()) if combo.itemText(n).startswith("4."))
        )
        assert dialog.accept_button.isEnabled()
        qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)

    def decline_survey(dialog: ReviewProposalsDialog) -> None:
        select_row(dialog, "Survey of users")
        qtbot.mouseClick(dialog.decline_button, Qt.MouseButton.LeftButton)
        dialog.show_decided.setChecked(True)

    shown = drive(monkeypatch, qtbot, accept_open_days, accept_reception_in_theme_4, decline_survey)
    stack = window.document.undo_stack  # type: ignore[union-attr]
    before = stack.count()
    window.actionReviewProposals.trigger()
    (dialog,) = shown
    assert stack.count() == before + 3
    assert {
        "Digital skills open days at the college",
        "Shared reception at the college",
    } <= plan_titles(window)
    states = {
        dialog.model.row_at(n).title: dialog.model.row_at(n).decided
        for n in range(dialog.model.rowCount())
    }
    assert states["Survey of users"].startswith("Declined by ")
    assert states["Digital skills open days at the college"].startswith("Accepted by ")
    refs = {row.title: row.ref for row in window.document.read(action_rows)}  # type: ignore[union-attr]
    assert refs["Shared reception at the college"].startswith("4.")

    stack.undo()
    stack.undo()
    stack.undo()
    assert "Digital skills open days at the college" not in plan_titles(window)
    pending = window.document.read(  # type: ignore[union-attr]
        lambda session, _plan_id: sorted(p.state for p in session.scalars(select(Proposal)))
    )
    assert pending == ["pending"] * 5
