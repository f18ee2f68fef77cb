"""Runs commands: one transaction each, journal written, inverse returned."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from planner.commands.base import Command, Context, Revert
from planner.commands.changes import RowChange
from planner.commands.concurrency import SESSION_KEY, EditorVersions
from planner.commands.records import KINDS
from planner.commands.tables import read_row
from planner.commands.touched import NOTHING_TOUCHED, Touched, touched_by
from planner.errors import PlannerError, ServerError, ValidationError, WorkingCopyError
from planner.officer import officer_name
from planner.store.models import CREATED, DELETED, JournalEntry


@dataclass(frozen=True)
class Applied:
    """A command that has been applied: what it changed and how to reverse it."""

    description: str
    changes: tuple[RowChange, ...]
    return_id: int | None = None  # the merged return it came from, if any
    touches: Touched = NOTHING_TOUCHED  # what it touched, for those showing the plan

    @property
    def inverse(self) -> Command:
        return Revert(self.changes, self.description, self.return_id)

    def touched(self, table_name: str) -> set[int]:
        return {change.row_id for change in self.changes if change.table == table_name}


def current_user() -> str:
    """The officer's name (see planner.officer): who the journal says made a change."""
    return officer_name()


class ReadOnlyError(PlannerError):
    """The plan is open read-only."""


class CommandRunner:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        plan_id: int,
        *,
        who: str | None = None,
        read_only: bool = False,
        on_applied: Callable[[Applied], None] | None = None,
        before_write: Callable[[], Callable[[], None] | None] | None = None,
        versions: EditorVersions | None = None,
        shared: bool = False,
    ) -> None:
        self.session_factory = session_factory
        self.plan_id = plan_id
        self.who = who or current_user()
        self.read_only = read_only
        self.on_applied = on_applied
        self.before_write = before_write
        # the row versions this editor wrote (for undo) and, on a shared plan, last saw
        self.versions = versions or EditorVersions()
        self.shared = shared
        self.last_journal_count = 0  # journal entries the last change wrote

    def execute(self, command: Command, *, source: str = "edit") -> Applied:
        """Validate and apply `command` in one transaction; nothing changes if it fails."""
        if self.read_only:
            raise ReadOnlyError("This plan is open read-only, so it cannot be changed.")
        context = Context(self.plan_id, self.who)
        # e.g. mark the plan unsaved first, so a crash mid-write is recovered; what it
        # returns puts that back when nothing was written after all
        put_back = self.before_write() if self.before_write is not None else None
        editor = self.versions.begin()
        try:
            with self.session_factory.begin() as session:
                session.info[SESSION_KEY] = editor
                changes = command.apply(session, context)
                # on a shared plan the server's clock, so every officer's entries agree
                now = session.scalar(select(func.localtimestamp())) if self.shared else None
                owners = _actions_of(session, changes)
                self.last_journal_count = _journal(
                    session, context, owners, source, now, command.return_id
                )
                touched = touched_by(owners, lambda change: _link_of(session, change, "partner_id"))
        except BaseException as error:
            if put_back is not None:
                put_back()
            if isinstance(error, IntegrityError):
                raise ValidationError("record", _integrity_message(error)) from None
            if isinstance(error, DBAPIError) and self.shared:
                raise ServerError(server_failure_message(error)) from None
            if isinstance(error, DBAPIError):  # disk full, drive gone, made read-only
                raise WorkingCopyError(_write_failure_message(error)) from None
            raise
        editor.commit()
        applied = Applied(command.description, tuple(changes), command.return_id, touched)
        if self.on_applied is not None:
            self.on_applied(applied)
        return applied

    def undo(self, applied: Applied) -> Applied:
        return self.execute(applied.inverse, source=f"undo: {applied.description}")


def server_failure_message(error: DBAPIError) -> str:
    """Why a shared plan's server did not take a change, in an officer's words."""
    text = str(error.orig).lower()
    if "permission denied" in text or "read-only" in text:
        reason = "your account on the plan's database may only read it"
    elif "could not serialize" in text or "deadlock" in text:
        reason = "someone else was changing the same records at that moment"
    elif "connection" in text or "server closed" in text or "terminat" in text:
        reason = "the connection to the plan's database server was lost"
    else:
        reason = f"the plan's database server refused it ({str(error.orig).strip()})"
    return f"The change was not made: {reason}. Nothing was changed; try again."


def _write_failure_message(error: DBAPIError) -> str:
    text = str(error.orig).lower()
    if "full" in text:
        reason = "the disk holding your working copy is full"
    elif "readonly" in text or "read-only" in text:
        reason = "your working copy has been made read-only"
    elif "locked" in text or "busy" in text:
        reason = "another program is using your working copy"
    else:
        reason = "your working copy could not be written"
    return (
        f"The change was not made: {reason}. Nothing was changed and your earlier edits "
        "are safe; free some space or close other programs, then try again."
    )


def _integrity_message(error: IntegrityError) -> str:
    text = str(error.orig)
    if "one_lead" in text:
        return "An action can have only one lead officer (Accountable)."
    if "FOREIGN KEY" in text.upper():
        return "The change refers to a record that no longer exists."
    return "The change conflicts with another record in the plan."


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


# Tables whose rows belong to the action named in their action_id (a measure or an
# outcome's link, when they name one).
ACTION_ROWS = (
    "action_person",
    "action_partner",
    "milestone",
    "progress_update",
    "benefit",
    "budget_line",
    "funding",
    "measure",
    "outcome_link",
)


def _action_of(
    session: Session,
    change: RowChange,
    milestone_actions: dict[int, int],
    benefit_actions: dict[int, int],
) -> int | None:
    """The action a changed row belongs to, if any."""
    if change.table == "action":
        return change.row_id
    if change.table in ACTION_ROWS:
        return _link_of(session, change, "action_id")
    row = {**(change.before or {}), **(change.after or {})}
    if change.table == "benefit_value":
        benefit_id = _link_of(session, change, "benefit_id")
        if benefit_id is None:
            return None
        if benefit_id in benefit_actions:  # deleted in this same change
            return benefit_actions[benefit_id]
        benefit = read_row(session, "benefit", benefit_id)
        return int(benefit["action_id"]) if benefit else None
    if change.table == "baseline_change":
        if row.get("action_id") is not None:
            return int(row["action_id"])
        if row.get("milestone_id") is not None:
            milestone_id = int(row["milestone_id"])
            if milestone_id in milestone_actions:  # deleted in this same change
                return milestone_actions[milestone_id]
            milestone = read_row(session, "milestone", milestone_id)
            return int(milestone["action_id"]) if milestone else None
    return None


def _actions_of(session: Session, changes: list[RowChange]) -> list[tuple[RowChange, int | None]]:
    """Each change with the action its row belongs to, if any."""
    milestone_actions = _parents_in(changes, "milestone")
    benefit_actions = _parents_in(changes, "benefit")
    return [
        (change, _action_of(session, change, milestone_actions, benefit_actions))
        for change in changes
    ]


def _parents_in(changes: list[RowChange], table_name: str) -> dict[int, int]:
    """The action of each row of `table_name` among `changes`, as the changes carry it."""
    return {
        change.row_id: int(row["action_id"])
        for change in changes
        if change.table == table_name
        for row in (change.before, change.after)
        if row is not None and row.get("action_id") is not None
    }


def _link_of(session: Session, change: RowChange, field: str) -> int | None:
    """The id in `field` of the changed row: from the change when it carries the field,
    otherwise from the row as it is now (an update carries only what it changed)."""
    row = {**(change.before or {}), **(change.after or {})}
    if row.get(field) is None:
        row = read_row(session, change.table, change.row_id) or {}
    found = row.get(field)
    return int(found) if found is not None else None


def _journal(
    session: Session,
    context: Context,
    owners: list[tuple[RowChange, int | None]],
    source: str,
    now: datetime | None = None,
    return_id: int | None = None,
) -> int:
    """Write the journal entries for the changes (each with its action); returns how many."""
    now = now or datetime.now()
    entries: list[JournalEntry] = []
    for change, action_id in owners:
        base = {
            "plan_id": context.plan_id,
            "at": now,
            "who": context.who,
            "entity": change.table,
            "entity_id": change.row_id,
            "source": source[:300],
            "action_id": action_id,
            "return_id": return_id,
        }
        kind = KINDS.get(change.table)
        if change.before is None or change.after is None:
            row = dict(change.after or change.before or {})
            label = kind.describe(row) if kind else change.table
            created = change.before is None
            entries.append(
                JournalEntry(
                    **base,
                    field=CREATED if created else DELETED,
                    old_value=None if created else label,
                    new_value=label if created else None,
                )
            )
            continue
        for field, (old, new) in change.changed_fields.items():
            entries.append(
                JournalEntry(**base, field=field, old_value=_text(old), new_value=_text(new))
            )
    session.add_all(entries)
    return len(entries)


class PlanConnection(Protocol):
    """What a runner needs from an open plan: a local file or a shared database."""

    Session: sessionmaker[Session]
    plan_id: int
    read_only: bool

    def mark_dirty(self) -> None: ...

    def mark_dirty_for_write(self) -> Callable[[], None] | None: ...


def runner_for(
    plan: PlanConnection, *, who: str | None = None, versions: EditorVersions | None = None
) -> CommandRunner:
    """The runner for an open plan. On a shared plan the journal records the database
    user, whoever `who` names; `versions` carries an editor's row versions over (undo)."""
    database_user = getattr(plan, "database_user", None)
    return CommandRunner(
        plan.Session,
        plan.plan_id,
        who=database_user or who,
        read_only=plan.read_only,
        on_applied=lambda _applied: plan.mark_dirty(),
        before_write=plan.mark_dirty_for_write,
        versions=versions,
        shared=database_user is not None,
    )
