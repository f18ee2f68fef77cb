"""Errors a user can cause, each with a message fit for an officer."""

from __future__ import annotations


class PlannerError(Exception):
    """Base of every foreseeable error; str(error) is the message shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(PlannerError):
    """A change was refused because a value is not acceptable."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(PlannerError):
    """A record the change refers to does not exist."""


class PlanFileError(PlannerError):
    """A file could not be opened, saved or checked as a plan."""


class NotAPlanError(PlanFileError):
    """The file is not a plan file (wrong format, empty, damaged)."""


class NewerVersionError(PlanFileError):
    """The plan was made by a newer version of the program."""


class FileChangedError(PlanFileError):
    """The plan file changed on disk since it was opened."""


class SaveError(PlanFileError):
    """The plan could not be written; the file on disk is unchanged."""


class RecoveryAvailable(PlanFileError):
    """A working copy with unsaved changes from an earlier session exists."""


class PlanLockedError(PlanFileError):
    """The plan is open elsewhere; `holder` says by whom, where and since when."""

    def __init__(self, message: str, holder: object) -> None:
        super().__init__(message)
        self.holder = holder


class UnexpectedSchemaError(NotAPlanError):
    """The file holds tables, views or triggers that no plan has: it is refused unread."""


class WorkingCopyError(PlanFileError):
    """A change could not be written to the working copy; nothing was changed."""


class ConflictError(PlannerError):
    """Someone else changed a record after this editor last saw it; nothing was changed."""

    def __init__(self, message: str, who: str = "", at: object = None) -> None:
        super().__init__(message)
        self.who = who
        self.at = at


class ServerError(PlannerError):
    """A shared plan's database server could not be reached or refused the work."""
