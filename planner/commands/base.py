"""Commands: the one way a plan changes. Each validates, writes, and can be reversed."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from sqlalchemy.orm import Session

from planner.commands.changes import RowChange, write_change


@dataclass(frozen=True)
class Context:
    plan_id: int
    who: str


class Command(ABC):
    """A change to a plan. `apply` validates first, then writes, inside the caller's
    transaction, and returns the row changes it made (from which the inverse is built)."""

    description: str = "Change"
    # the merged return a change comes from, once known: the journal names it
    return_id: int | None = None

    @abstractmethod
    def apply(self, session: Session, context: Context) -> list[RowChange]: ...


class Revert(Command):
    """Replays recorded row changes backwards: the exact inverse of a command."""

    def __init__(
        self, changes: tuple[RowChange, ...], description: str, return_id: int | None = None
    ) -> None:
        self.changes = changes
        self.description = description
        self.return_id = return_id

    def apply(self, session: Session, context: Context) -> list[RowChange]:
        written: list[RowChange] = []
        # a row changed twice by the command: its second replay expects the first's version
        replayed: dict[tuple[str, int], int | None] = {}
        for change in reversed(self.changes):
            key = (change.table, change.row_id)
            done = write_change(session, change.reversed(), expect=replayed.get(key))
            replayed[key] = done.version_after
            written.append(done)
        return written


class Batch(Command):
    """Several commands as one step, e.g. an import applied in one go."""

    def __init__(self, commands: list[Command], description: str) -> None:
        self.commands = commands
        self.description = description

    def apply(self, session: Session, context: Context) -> list[RowChange]:
        changes: list[RowChange] = []
        for command in self.commands:
            changes.extend(command.apply(session, context))
            self.return_id = self.return_id or command.return_id
        return changes
