"""The one write path: every change to a plan is a command with an exact inverse."""

from planner.commands.base import Batch, Command, Context, Revert
from planner.commands.edits import (
    AddProgressUpdate,
    CreateRecord,
    DeleteRecord,
    EditRecord,
    MoveAction,
    MoveTheme,
    Rebaseline,
    SetLeadOfficer,
    deletion_effects,
    next_free_ref,
)
from planner.commands.outcomes import SaveOutcome
from planner.commands.runner import Applied, CommandRunner, ReadOnlyError, runner_for

__all__ = [
    "AddProgressUpdate",
    "Applied",
    "Batch",
    "Command",
    "CommandRunner",
    "Context",
    "CreateRecord",
    "DeleteRecord",
    "EditRecord",
    "MoveAction",
    "MoveTheme",
    "ReadOnlyError",
    "Rebaseline",
    "Revert",
    "SaveOutcome",
    "SetLeadOfficer",
    "deletion_effects",
    "next_free_ref",
    "runner_for",
]
