"""Row-level changes: what every command writes, and how it is reversed exactly."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, Table, delete, insert, select, update
from sqlalchemy.orm import Session

from planner.errors import NotFoundError
from planner.store.models import Base

Row = dict[str, Any]


@dataclass(frozen=True)
class RowChange:
    """One row inserted (before is None), deleted (after is None) or updated."""

    table: str
    row_id: int
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None

    def reversed(self) -> RowChange:
        return RowChange(self.table, self.row_id, self.after, self.before)

    @property
    def changed_fields(self) -> dict[str, tuple[Any, Any]]:
        if self.before is None or self.after is None:
            return {}
        return {
            key: (self.before.get(key), value)
            for key, value in self.after.items()
            if self.before.get(key) != value
        }


def table(name: str) -> Table:
    return Base.metadata.tables[name]


def read_row(session: Session, table_name: str, row_id: int) -> Row | None:
    found = session.execute(select(table(table_name)).where(table(table_name).c.id == row_id))
    row = found.mappings().one_or_none()
    return dict(row) if row is not None else None


def require_row(session: Session, table_name: str, row_id: int, label: str) -> Row:
    row = read_row(session, table_name, row_id)
    if row is None:
        raise NotFoundError(f"The {label} you are changing no longer exists in this plan.")
    return row


def insert_row(session: Session, table_name: str, values: Mapping[str, Any]) -> RowChange:
    result = cast(CursorResult[Any], session.execute(insert(table(table_name)).values(**values)))
    key = result.inserted_primary_key
    assert key is not None
    row_id = values.get("id") or key[0]
    row = read_row(session, table_name, row_id)
    assert row is not None
    return RowChange(table_name, row_id, None, row)


def update_row(
    session: Session, table_name: str, row_id: int, values: Mapping[str, Any]
) -> RowChange | None:
    """Update only the fields that really change; None when nothing changes."""
    before = read_row(session, table_name, row_id)
    if before is None:
        raise NotFoundError("The record you are changing no longer exists in this plan.")
    changed = {key: value for key, value in values.items() if before.get(key) != value}
    if not changed:
        return None
    tbl = table(table_name)
    session.execute(update(tbl).where(tbl.c.id == row_id).values(**changed))
    return RowChange(table_name, row_id, {key: before[key] for key in changed}, changed)


def delete_row(session: Session, table_name: str, row_id: int) -> RowChange:
    before = read_row(session, table_name, row_id)
    if before is None:
        raise NotFoundError("The record you are deleting no longer exists in this plan.")
    tbl = table(table_name)
    session.execute(delete(tbl).where(tbl.c.id == row_id))
    return RowChange(table_name, row_id, before, None)


def write_change(session: Session, change: RowChange) -> RowChange:
    """Replay one recorded change; returns what was written."""
    if change.before is None:
        assert change.after is not None
        return insert_row(session, change.table, change.after)
    if change.after is None:
        return delete_row(session, change.table, change.row_id)
    tbl = table(change.table)
    session.execute(update(tbl).where(tbl.c.id == change.row_id).values(**change.after))
    return change
