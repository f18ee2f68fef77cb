"""A plan's tables as the commands read them: rows as plain dicts, tables by name."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from planner.store.models import Base

Row = dict[str, Any]


def table(name: str) -> Table:
    return Base.metadata.tables[name]


def read_row(session: Session, table_name: str, row_id: int) -> Row | None:
    found = session.execute(select(table(table_name)).where(table(table_name).c.id == row_id))
    row = found.mappings().one_or_none()
    return dict(row) if row is not None else None
