"""The one way the window runs a command: PlanDocument.try_execute applies it as one
undoable step, or logs the core's refusal and hands it to the caller to show, leaving
the plan and the undo stack as they were."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWidgets")

from planner.commands import EditRecord
from planner.errors import PlannerError
from planner.queries import action_rows
from planner.store.planfile import PlanFile
from planner.ui.document import PlanDocument

pytestmark = pytest.mark.gui


@pytest.fixture
def document(sample_path: Path, qapp: Any) -> Any:
    made = PlanDocument(PlanFile.open(sample_path))
    yield made
    made.plan_file.close(discard=True)


def first_action(document: PlanDocument) -> Any:
    return document.read(action_rows)[0]


def test_an_accepted_command_is_one_undoable_step(document: PlanDocument) -> None:
    action = first_action(document)
    shown: list[PlannerError] = []
    applied = document.try_execute(EditRecord("action", action.id, {"percent": 42}), shown.append)
    assert applied is not None and shown == []
    assert first_action(document).percent == 42
    assert document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert first_action(document).percent == action.percent


def test_a_refusal_is_logged_shown_and_changes_nothing(
    document: PlanDocument, caplog: pytest.LogCaptureFixture
) -> None:
    action = first_action(document)
    shown: list[PlannerError] = []
    with caplog.at_level(logging.INFO, logger="planner.ui.document"):
        applied = document.try_execute(
            EditRecord("action", action.id, {"percent": 140}), shown.append
        )
    assert applied is None
    assert [str(error) for error in shown] == ["% complete must be between 0 and 100, not 140."]
    assert any("140" in record.getMessage() for record in caplog.records)
    assert first_action(document).percent == action.percent
    assert document.undo_stack.count() == 0
