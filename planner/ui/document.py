"""An open plan in the app: its file (or shared plan), its command runner and undo stack.

A shared plan has no Save: each change is committed on the server as it is made. The
document keeps the row versions the window last showed, so an edit of a record someone
else has changed since is refused (and the window refreshed) rather than overwriting it;
`check_for_changes` refreshes the window when anyone else has changed the plan."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from sqlalchemy.orm import Session

from planner.commands import Applied, Command, CommandRunner, runner_for
from planner.commands.concurrency import EditorVersions
from planner.errors import ConflictError, NotFoundError, PlannerError
from planner.officer import officer_name
from planner.store.planfile import PlanFile
from planner.store.shared import SharedPlan

_log = logging.getLogger(__name__)

T = TypeVar("T")


class CommandUndo(QUndoCommand):
    """Puts one core command on the Qt undo stack; undo runs its exact inverse."""

    def __init__(self, document: PlanDocument, applied: Applied) -> None:
        super().__init__(applied.description)
        self._document = document
        self._applied = applied
        self._first_redo = True

        self.skip_next = False  # the document has already replayed it (see `replay`)

    def redo(self) -> None:
        if self._first_redo:  # the command already ran when it was pushed
            self._first_redo = False
            return
        if self.skip_next:
            self.skip_next = False
            return
        self._applied = self._document._run(self._applied.inverse, "redo")

    def undo(self) -> None:
        if self.skip_next:
            self.skip_next = False
            return
        self._applied = self._document._run(self._applied.inverse, "undo")

    def replay(self, *, undo: bool) -> None:
        """Run the undo (or redo) now, raising if it is refused."""
        self._applied = self._document._run(self._applied.inverse, "undo" if undo else "redo")


class PlanDocument(QObject):
    """Owns the plan file and the undo stack; views read through `read` and change
    the plan only through `execute`, and refresh when `changed` is emitted."""

    changed = Signal(object)  # the Applied change
    reloaded = Signal()
    dirty_changed = Signal(bool)

    def __init__(self, plan_file: PlanFile | SharedPlan, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.plan_file = plan_file
        self.shared = isinstance(plan_file, SharedPlan)
        self.versions = EditorVersions(track_seen=self.shared)
        # changes are recorded under the officer's name (planner.officer); on a shared plan
        # under the database account
        self.runner: CommandRunner = runner_for(
            plan_file, who=officer_name(), versions=self.versions
        )
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        # Recovered or upgraded plans differ from their file before any edit.
        self._dirty_when_clean = plan_file.is_dirty
        # Why a read-only plan is read-only, as the window's bar says it.
        self.read_only_reason = "this plan was opened read-only."
        self._mark: tuple[int, int] = (0, 0)
        if isinstance(plan_file, SharedPlan):
            self.read_only_reason = plan_file.read_only_reason
            self._take_in_server_state()

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
    def display_name(self) -> str:
        """The file's name, or for a shared plan where it is kept."""
        if isinstance(self.plan_file, SharedPlan):
            return f"shared on {self.plan_file.database.location.describe()}"
        return self.plan_file.path.name

    @property
    def dirty(self) -> bool:
        """True while the screen shows something the plan file does not hold."""
        if self.shared:
            return False
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

    def try_execute(
        self,
        command: Command,
        report: Callable[[PlannerError], object],
        *,
        source: str = "edit",
    ) -> Applied | None:
        """The one way the window runs a command: applied and put on the undo stack, or,
        when the core refuses it (nothing changed), the refusal logged and handed to
        `report` to show the officer; None then."""
        try:
            return self.execute(command, source=source)
        except PlannerError as error:
            _log.info("Refused: %s (%s)", command.description, error)
            report(error)
            return None

    def _run(self, command: Command, source: str) -> Applied:
        if source in ("undo", "redo"):
            source = f"{source}: {command.description}"
        mark_before = self._mark
        try:
            applied = self.runner.execute(command, source=source)
        except (ConflictError, NotFoundError):
            if self.shared:  # someone else changed it: show the plan as it is now
                self.refresh()
            raise
        if self.shared:
            self._mark_own_change(mark_before)
        self.changed.emit(applied)
        return applied

    def undo(self) -> None:
        """Undo the last change; if it is refused (someone else has changed those records
        since), the undo stack stays as it was."""
        self._step(self.undo_stack.index() - 1, undo=True)

    def redo(self) -> None:
        self._step(self.undo_stack.index(), undo=False)

    def _step(self, index: int, *, undo: bool) -> None:
        command = self.undo_stack.command(index)
        if not isinstance(command, CommandUndo):
            return
        command.replay(undo=undo)  # raises, leaving the stack alone, when refused
        command.skip_next = True
        if undo:
            self.undo_stack.undo()
        else:
            self.undo_stack.redo()

    # ----- other officers' changes (a shared plan) ----------------------------------------

    def _take_in_server_state(self) -> None:
        assert isinstance(self.plan_file, SharedPlan)
        self._mark = self.plan_file.change_mark()
        with self.plan_file.Session() as session:
            self.versions.refresh(session, self.plan_id)

    def _mark_own_change(self, mark_before: tuple[int, int]) -> None:
        """After this window's change: if nobody else changed the plan meanwhile, the
        window shows all there is; otherwise the next check refreshes it."""
        assert isinstance(self.plan_file, SharedPlan)
        count, newest = self.plan_file.change_mark()
        if count == mark_before[0] + self.runner.last_journal_count:
            self._mark = (count, newest)

    def refresh(self) -> None:
        """Show the shared plan as it is now on the server."""
        if not self.shared:
            return
        self._take_in_server_state()
        self.reloaded.emit()

    def check_for_changes(self) -> bool:
        """Refresh if anyone else has changed the shared plan; True when they had."""
        if not isinstance(self.plan_file, SharedPlan):
            return False
        if self.plan_file.change_mark() == self._mark:
            return False
        self.refresh()
        return True

    # ----- saving ----------------------------------------------------------------

    def save(self, **options: Any) -> None:
        self.plan_file.save(**options)
        self._dirty_when_clean = False
        self.undo_stack.setClean()
        self.dirty_changed.emit(False)

    def save_as(self, path: str) -> None:
        self.plan_file.save_as(path)
        self.runner = runner_for(self.plan_file, who=self.runner.who, versions=self.versions)
        self._dirty_when_clean = False
        self.undo_stack.setClean()
        self.dirty_changed.emit(False)

    def close(self, *, discard: bool = False) -> None:
        """Close the plan; unsaved changes are kept for recovery unless discarded."""
        discard = discard or not self.dirty
        self.undo_stack.clear()
        self.plan_file.close(discard=discard)
