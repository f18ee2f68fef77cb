"""Row-level changes: what every command writes, and how it is reversed exactly.

Every write checks the row's version: an update or delete is made only if the row still
has the version read (or, on a shared plan, the version its editor last saw; undo needs
the version its own change left), and raises the version by one. Two editors can
therefore never silently overwrite each other: the second is refused (ConflictError).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, insert, select, update
from sqlalchemy.orm import Session

from planner.commands.concurrency import SESSION_KEY, EditorTransaction
from planner.commands.records import KINDS
from planner.commands.tables import Row, read_row, table
from planner.errors import ConflictError, NotFoundError
from planner.store.models import DELETED, JournalEntry

VERSION = "row_version"


@dataclass(frozen=True)
class RowChange:
    """One row inserted (before is None), deleted (after is None) or updated.

    `version_before` is the row version the change found, `version_after` the one it
    left (None where there is no row)."""

    table: str
    row_id: int
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    version_before: int | None = None
    version_after: int | None = None

    def reversed(self) -> RowChange:
        return RowChange(
            self.table,
            self.row_id,
            self.after,
            self.before,
            version_before=self.version_after,
            version_after=self.version_before,
        )

    @property
    def changed_fields(self) -> dict[str, tuple[Any, Any]]:
        if self.before is None or self.after is None:
            return {}
        return {
            key: (self.before.get(key), value)
            for key, value in self.after.items()
            if self.before.get(key) != value and key != VERSION
        }


def require_row(session: Session, table_name: str, row_id: int, label: str) -> Row:
    row = read_row(session, table_name, row_id)
    if row is None:
        raise NotFoundError(f"The {label} you are changing no longer exists in this plan.")
    return row


# ----- concurrency --------------------------------------------------------------------


def _editor(session: Session) -> EditorTransaction | None:
    editor = session.info.get(SESSION_KEY)
    return editor if isinstance(editor, EditorTransaction) else None


def _check_seen(session: Session, table_name: str, row_id: int, current: int | None) -> None:
    """On a shared plan, refuse to change a row its editor has not seen as it is now."""
    editor = _editor(session)
    if editor is None or not editor.checks_seen or current is None:
        return
    if editor.expected(table_name, row_id) != current:
        raise conflict(session, table_name, row_id)


def _check_replay(
    session: Session, table_name: str, row_id: int, recorded: int | None, current: int | None
) -> None:
    """An undo or redo is made only if nobody else has written the row since."""
    editor = _editor(session)
    if editor is None:
        if recorded is not None and current != recorded:
            raise conflict(session, table_name, row_id)
    elif not editor.only_mine_since(table_name, row_id, recorded, current):
        raise conflict(session, table_name, row_id)


def _note(session: Session, table_name: str, row_id: int, version: int | None) -> None:
    editor = _editor(session)
    if editor is not None:
        editor.note(table_name, row_id, version)


def conflict(session: Session, table_name: str, row_id: int) -> ConflictError:
    """The refusal for a row someone else changed: who changed it and when, from the
    change journal."""
    journal = JournalEntry.__table__
    entry = session.execute(
        select(journal.c.who, journal.c.at, journal.c.field)
        .where(journal.c.entity == table_name, journal.c.entity_id == row_id)
        .order_by(journal.c.id.desc())
        .limit(1)
    ).one_or_none()
    row = read_row(session, table_name, row_id)
    kind = KINDS.get(table_name)
    what = kind.describe(row) if kind is not None and row is not None else "record"
    what = what[0].upper() + what[1:] if what else "This record"
    if entry is None:
        message = f"{what} was changed by someone else after you last saw it"
        who, at = "", None
    else:
        who, at, field = str(entry.who), entry.at, str(entry.field)
        verb = "deleted" if field == DELETED else "changed"
        if row is None and field != DELETED:
            verb = "deleted"
        when = _when(at)
        message = f"{what} was {verb} by {who} at {when}"
    return ConflictError(
        f"{message}, so your change was not made. The plan now shows the current values; "
        "make your change again if it is still needed.",
        who=who,
        at=at,
    )


def _when(at: object) -> str:
    if isinstance(at, datetime):
        return f"{at:%H:%M} on {at:%d/%m/%Y}"
    return "an unknown time"


# ----- writing ------------------------------------------------------------------------


def insert_row(session: Session, table_name: str, values: Mapping[str, Any]) -> RowChange:
    result = cast(CursorResult[Any], session.execute(insert(table(table_name)).values(**values)))
    key = result.inserted_primary_key
    assert key is not None
    row_id = values.get("id") or key[0]
    row = read_row(session, table_name, row_id)
    assert row is not None
    version = row.get(VERSION)
    _note(session, table_name, row_id, version)
    return RowChange(table_name, row_id, None, row, version_after=version)


def _update_versioned(
    session: Session, table_name: str, row_id: int, values: Mapping[str, Any], current: int | None
) -> int | None:
    """Write `values` if the row still has version `current`; returns the new version."""
    tbl = table(table_name)
    values = {key: value for key, value in values.items() if key != VERSION}
    statement = update(tbl).where(tbl.c.id == row_id)
    if current is None or VERSION not in tbl.c:
        session.execute(statement.values(**values))
        return None
    result = cast(
        CursorResult[Any],
        session.execute(
            statement.where(tbl.c[VERSION] == current).values(**values, **{VERSION: current + 1})
        ),
    )
    if result.rowcount != 1:
        raise conflict(session, table_name, row_id)
    _note(session, table_name, row_id, current + 1)
    return current + 1


def update_row(
    session: Session, table_name: str, row_id: int, values: Mapping[str, Any]
) -> RowChange | None:
    """Update only the fields that really change; None when nothing changes."""
    before = read_row(session, table_name, row_id)
    if before is None:
        raise NotFoundError("The record you are changing no longer exists in this plan.")
    changed = {
        key: value for key, value in values.items() if before.get(key) != value and key != VERSION
    }
    if not changed:
        return None
    current = before.get(VERSION)
    _check_seen(session, table_name, row_id, current)
    version = _update_versioned(session, table_name, row_id, changed, current)
    return RowChange(
        table_name,
        row_id,
        {key: before[key] for key in changed},
        changed,
        version_before=current,
        version_after=version,
    )


def delete_row(
    session: Session,
    table_name: str,
    row_id: int,
    *,
    replay: bool = False,
    expect: int | None = None,
) -> RowChange:
    """Delete a row its editor has seen as it is; when replaying (undo, redo), a row
    nobody else has written since it had version `expect`."""
    before = read_row(session, table_name, row_id)
    if before is None:
        raise NotFoundError("The record you are deleting no longer exists in this plan.")
    tbl = table(table_name)
    current = before.get(VERSION)
    if replay:
        _check_replay(session, table_name, row_id, expect, current)
    else:
        _check_seen(session, table_name, row_id, current)
    statement = delete(tbl).where(tbl.c.id == row_id)
    if current is not None:
        statement = statement.where(tbl.c[VERSION] == current)
    result = cast(CursorResult[Any], session.execute(statement))
    if result.rowcount != 1:
        raise conflict(session, table_name, row_id)
    _note(session, table_name, row_id, None)
    return RowChange(table_name, row_id, before, None, version_before=current)


def write_change(session: Session, change: RowChange, *, expect: int | None = None) -> RowChange:
    """Replay one recorded change (an undo or redo); returns what was written.

    The row must still have the version the recorded change found (or `expect`, when the
    replay has already written the row): undoing over someone else's newer change is
    refused."""
    expect = expect if expect is not None else change.version_before
    if change.before is None:
        assert change.after is not None
        return insert_row(session, change.table, change.after)
    if change.after is None:
        return delete_row(session, change.table, change.row_id, replay=True, expect=expect)
    current_row = read_row(session, change.table, change.row_id)
    if current_row is None:
        raise conflict(session, change.table, change.row_id)
    current = current_row.get(VERSION)
    _check_replay(session, change.table, change.row_id, expect, current)
    version = _update_versioned(session, change.table, change.row_id, change.after, current)
    return RowChange(
        change.table,
        change.row_id,
        change.before,
        change.after,
        version_before=current,
        version_after=version,
    )
