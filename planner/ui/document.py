"""An open plan in the app: its file, its command runner and its undo stack."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from sqlalchemy.orm import Session

from planner.commands import Applied, Command, CommandRunner, runner_for
from planner.store.planfile import PlanFile

T = TypeVar("T")


class CommandUndo(QUndoCommand):
    """Puts one core command on the Qt undo stack; undo runs its exact inverse."""

    def __init__(self, document: PlanDocument, applied: Applied) -> None:
        super().__init__(applied.description)
        self._document = document
        self._applied = applied
        self._first_redo = True

    def redo(self) -> None:
        if self._first_redo:  # the command already ran when it was pushed
            self._first_redo = False
            return
        self._applied = self._document._run(self._applied.inverse, "redo")

    def undo(self) -> None:
        self._applied = self._document._run(self._applied.inverse, "undo")


class PlanDocument(QObject):
    """Owns the plan file and the undo stack; views read through `read` and change
    the plan only through `execute`, and refresh when `changed` is emitted."""

    changed = Signal(object)  # the Applied change
    reloaded = Signal()
    dirty_changed = Signal(bool)

    def __init__(self, plan_file: PlanFile, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.plan_file = plan_file
        self.runner: CommandRunner = runner_for(plan_file)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        # Recovered or upgraded plans differ from their file before any edit.
        self._dirty_when_clean = plan_file.is_dirty
        # Why a read-only plan is read-only, as the window's bar says it.
        self.read_only_reason = "this plan was opened read-only."

    def _clean_changed(self, _clean: bool) -> None:
        with contextlib.suppress(RuntimeError):  # the stack is going with the window
            self.dirty_changed.emit(self.dirty)

    # ----- reading ---------------------------------------------------------------

    @property
    def plan_id(self) -> int:
        return self.plan_file.plan_id

    @property
    def read_only(self) -> bool:
        return self.plan_file.read_only

    @property
    def dirty(self) -> bool:
        """True while the screen shows something the plan file does not hold."""
        if self.undo_stack.isClean():
            return self._dirty_when_clean
        return True

    def read(self, query: Callable[[Session, int], T]) -> T:
        """Run a read-only core query on the plan."""
        with self.plan_file.Session() as session:
            return query(session, self.plan_id)

    # ----- changing --------------------------------------------------------------

    def execute(self, command: Command, *, source: str = "edit") -> Applied:
        """Apply a core command and put it on the undo stack.

        Raises the core's PlannerError (nothing changed) for the caller to show."""
        applied = self._run(command, source)
        self.undo_stack.push(CommandUndo(self, applied))
        return applied

    def _run(self, command: Command, source: str) -> Applied:
        if source in ("undo", "redo"):
            source = f"{source}: {command.description}"
        applied = self.runner.execute(command, source=source)
        self.changed.emit(applied)
        return applied

    # ----- saving ----------------------------------------------------------------

    def save(self, **options: Any) -> None:
        self.plan_file.save(**options)
        self._dirty_when_clean = False
        self.undo_stack.setClean()
        self.dirty_changed.emit(False)

    def save_as(self, path: str) -> None:
        self.plan_file.save_as(path)
        self.runner = runner_for(self.plan_file, who=self.runner.who)
        self._dirty_when_clean = False
        self.undo_stack.setClean()
        self.dirty_changed.emit(False)

    def close(self, *, discard: bool = False) -> None:
        """Close the plan; unsaved changes are kept for recovery unless discarded."""
        discard = discard or not self.dirty
        self.undo_stack.clear()
        self.plan_file.close(discard=discard)
