"""Each action's latest progress update and its direction of travel against the one
before, for many actions at once (the board report's exceptions)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.domain.travel import direction_of_travel
from planner.store.models import Person, ProgressUpdate


@dataclass(frozen=True)
class LatestUpdate:
    action_id: int
    as_at: date
    commentary: str
    author: str
    rag: str | None
    previous_rag: str | None  # None when unrated or when this is the first update
    direction: str | None  # "improved", "same", "worse", or None (first or unrated)


def latest_updates(session: Session, action_ids: Collection[int]) -> dict[int, LatestUpdate]:
    """The newest update of each action that has one, by action id; its direction
    follows the details panel's rule (planner.domain.travel.direction_of_travel)."""
    if not action_ids:
        return {}
    ranked = (
        select(
            ProgressUpdate.action_id,
            ProgressUpdate.as_at,
            ProgressUpdate.commentary,
            ProgressUpdate.rag,
            Person.name.label("author"),
            func.row_number()
            .over(
                partition_by=ProgressUpdate.action_id,
                order_by=(ProgressUpdate.as_at.desc(), ProgressUpdate.id.desc()),
            )
            .label("place"),
        )
        .outerjoin(Person, Person.id == ProgressUpdate.author_id)
        .where(ProgressUpdate.action_id.in_(list(action_ids)))
        .subquery()
    )
    newest: dict[int, tuple[date, str, str | None, str]] = {}
    previous: dict[int, str | None] = {}
    for action_id, as_at, commentary, rag, author, place in session.connection().execute(
        select(
            ranked.c.action_id,
            ranked.c.as_at,
            ranked.c.commentary,
            ranked.c.rag,
            ranked.c.author,
            ranked.c.place,
        ).where(ranked.c.place <= 2)
    ):
        if place == 1:
            newest[action_id] = (as_at, commentary or "", rag, author or "")
        else:
            previous[action_id] = rag
    found: dict[int, LatestUpdate] = {}
    for action_id, (as_at, commentary, rag, author) in newest.items():
        had_previous = action_id in previous
        before = previous.get(action_id)
        found[action_id] = LatestUpdate(
            action_id=action_id,
            as_at=as_at,
            commentary=commentary,
            author=author,
            rag=rag,
            previous_rag=before,
            direction=direction_of_travel(before, rag) if had_previous else None,
        )
    return found
