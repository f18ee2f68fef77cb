"""Optimistic concurrency for a shared plan: what its editor last saw of each row.

A change to a row is made only when the row still has the version the editor last
saw; otherwise it is refused (ConflictError) and the editor is shown the current plan.
The versions seen are refreshed with the window; an editor's own writes are noted as
they are made, inside the transaction, and kept only when it commits.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.commands.tables import table as _table
from planner.store.models import VERSIONED
from planner.store.plan_rows import RowKey, plan_versions

__all__ = ["SESSION_KEY", "EditorTransaction", "EditorVersions", "RowKey", "plan_versions"]

# session.info key under which changes.py finds the transaction's EditorTransaction
SESSION_KEY = "planner.editor_versions"

JOURNAL_OVERLAP = 200  # journal entries read again on each refresh (see `refresh`)


class EditorVersions:
    """What one editor (a window, a command line run) knows of the plan's rows: the
    versions it wrote itself, and on a shared plan the versions it last saw."""

    def __init__(self, *, track_seen: bool = False) -> None:
        self.written: dict[RowKey, set[int]] = {}
        self.journal_mark: int | None = None  # the newest journal entry read by `refresh`
        # None: nothing is shown to anyone (a command line run); writes are checked only
        # against the row as read in their own transaction
        self.seen: dict[RowKey, int] | None = {} if track_seen else None

    def replace_seen(self, versions: Mapping[RowKey, int]) -> None:
        """The editor now sees the plan as it is: these are its rows' versions."""
        if self.seen is not None:
            self.seen = dict(versions)

    def refresh(self, session: Session, plan_id: int) -> None:
        """Read the versions of the rows changed since the last refresh (all of them the
        first time), before the window reads what it shows.

        Rows are found through the journal. A change whose journal entry has a lower id
        but commits later than one already read could be missed: the overlap makes that
        unlikely, and a row missed is only ever older than it is, so editing it is refused
        (and refreshed), never lost."""
        if self.seen is None:
            return
        journal = _table("journal")
        newest = session.scalar(
            select(func.coalesce(func.max(journal.c.id), 0)).where(journal.c.plan_id == plan_id)
        )
        if self.journal_mark is None:
            self.replace_seen(plan_versions(session, plan_id))
            self.journal_mark = int(newest or 0)
            return
        changed: dict[str, set[int]] = {}
        for entity, entity_id in session.execute(
            select(journal.c.entity, journal.c.entity_id).where(
                journal.c.plan_id == plan_id,
                journal.c.id > self.journal_mark - JOURNAL_OVERLAP,
            )
        ):
            if entity in VERSIONED:
                changed.setdefault(str(entity), set()).add(int(entity_id))
        for name, ids in changed.items():
            tbl = _table(name)
            found = {
                int(row[0]): int(row[1])
                for row in session.execute(
                    select(tbl.c.id, tbl.c.row_version).where(tbl.c.id.in_(ids))
                )
            }
            for row_id in ids:
                if row_id in found:
                    self.seen[(name, row_id)] = int(found[row_id])
                else:
                    self.seen.pop((name, row_id), None)
        self.journal_mark = max(self.journal_mark, int(newest or 0))

    def begin(self) -> EditorTransaction:
        return EditorTransaction(self)


class EditorTransaction:
    """The editor's versions plus the writes of one transaction, kept only on commit."""

    def __init__(self, editor: EditorVersions) -> None:
        self.editor = editor
        self.writes: dict[RowKey, list[int | None]] = {}

    @property
    def checks_seen(self) -> bool:
        return self.editor.seen is not None

    def expected(self, table_name: str, row_id: int) -> int | None:
        """The version the editor knows of; None for a row it has never seen."""
        key = (table_name, row_id)
        if self.writes.get(key):
            return self.writes[key][-1]
        return (self.editor.seen or {}).get(key)

    def only_mine_since(
        self, table_name: str, row_id: int, recorded: int | None, current: int | None
    ) -> bool:
        """True when nobody but this editor has written the row since it had version
        `recorded`: every later version is one this editor made."""
        if current == recorded:
            return True
        if recorded is None or current is None or current < recorded:
            return False
        key = (table_name, row_id)
        mine = self.editor.written.get(key, set()) | {
            version for version in self.writes.get(key, []) if version is not None
        }
        return all(version in mine for version in range(recorded + 1, current + 1))

    def note(self, table_name: str, row_id: int, version: int | None) -> None:
        """This transaction wrote the row (version None: deleted it)."""
        self.writes.setdefault((table_name, row_id), []).append(version)

    def commit(self) -> None:
        for key, versions in self.writes.items():
            for version in versions:
                if version is not None:
                    self.editor.written.setdefault(key, set()).add(version)
            if self.editor.seen is not None:
                if versions[-1] is None:
                    self.editor.seen.pop(key, None)
                else:
                    self.editor.seen[key] = versions[-1]
