"""An outcome with the themes and actions serving it, added or changed as one step."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.commands.base import Command, Context
from planner.commands.changes import RowChange
from planner.commands.edits import CreateRecord, DeleteRecord, EditRecord
from planner.commands.tables import table

LinkKey = tuple[int | None, int | None]  # (theme id, action id): one of the two


class SaveOutcome(Command):
    """Add an outcome (`outcome_id` None) or change one, and make the themes and actions
    serving it exactly those given: links no longer wanted go, new ones are made."""

    def __init__(
        self,
        outcome_id: int | None,
        values: dict[str, Any],
        theme_ids: Iterable[int] = (),
        action_ids: Iterable[int] = (),
    ) -> None:
        self.outcome_id = outcome_id
        self.values = values
        self.wanted: set[LinkKey] = {(theme, None) for theme in theme_ids} | {
            (None, action) for action in action_ids
        }
        self.description = "Add outcome" if outcome_id is None else "Change outcome"

    def apply(self, session: Session, context: Context) -> list[RowChange]:
        changes: list[RowChange] = []
        if self.outcome_id is None:
            create = CreateRecord("outcome", self.values)
            changes += create.apply(session, context)
            outcome_id = changes[-1].row_id
            self.description = create.description
        else:
            outcome_id = self.outcome_id
            edit = EditRecord("outcome", outcome_id, self.values)
            changes += edit.apply(session, context)
            title = self.values.get("title") or _title(session, outcome_id)
            self.description = f"Change outcome '{title}'"
        links = table("outcome_link")
        existing: dict[LinkKey, int] = {
            (theme, action): link
            for link, theme, action in session.execute(
                select(links.c.id, links.c.theme_id, links.c.action_id).where(
                    links.c.outcome_id == outcome_id
                )
            )
        }
        for key, link in sorted(existing.items(), key=lambda item: item[1]):
            if key not in self.wanted:
                changes += DeleteRecord("outcome_link", link).apply(session, context)
        for theme, action in sorted(self.wanted - set(existing), key=str):
            made = CreateRecord(
                "outcome_link", {"outcome_id": outcome_id, "theme_id": theme, "action_id": action}
            )
            changes += made.apply(session, context)
        return changes


def _title(session: Session, outcome_id: int) -> str:
    outcomes = table("outcome")
    return str(session.scalar(select(outcomes.c.title).where(outcomes.c.id == outcome_id)) or "")
