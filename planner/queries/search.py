"""Finding actions by what is written about them while an officer types: each action's
words are read once into memory, so that a keystroke in the filter box needs no query.

The words are those `filter_actions` searches with SQL (ref, title, description, milestone
titles and notes, progress commentary); a test holds the two to the same answers."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.store.models import Action, Milestone, ProgressUpdate

# Between two pieces of an action's text: no typed filter holds it, so none spans two.
SEPARATOR = "\n"


def action_texts(
    session: Session, plan_id: int, action_ids: Collection[int] | None = None
) -> dict[int, str]:
    """Each action's searchable text, folded for case; only `action_ids` when given."""
    actions = select(Action.id, Action.ref, Action.title, Action.description).where(
        Action.plan_id == plan_id
    )
    milestones = (
        select(Milestone.action_id, Milestone.title, Milestone.note)
        .join(Action, Action.id == Milestone.action_id)
        .where(Action.plan_id == plan_id)
    )
    updates = (
        select(ProgressUpdate.action_id, ProgressUpdate.commentary)
        .join(Action, Action.id == ProgressUpdate.action_id)
        .where(Action.plan_id == plan_id)
    )
    if action_ids is not None:
        wanted = sorted(action_ids)
        actions = actions.where(Action.id.in_(wanted))
        milestones = milestones.where(Milestone.action_id.in_(wanted))
        updates = updates.where(ProgressUpdate.action_id.in_(wanted))
    pieces: dict[int, list[str]] = {}
    for action_id, *texts in session.execute(actions):
        pieces[action_id] = [text or "" for text in texts]
    for action_id, *texts in session.execute(milestones):
        pieces[action_id].extend(text or "" for text in texts)
    for action_id, commentary in session.execute(updates):
        pieces[action_id].append(commentary or "")
    return {action_id: SEPARATOR.join(texts).casefold() for action_id, texts in pieces.items()}


def matching_actions(texts: Mapping[int, str], wanted: str) -> set[int]:
    """The actions whose text holds `wanted`, ignoring case and the spaces around it."""
    needle = wanted.strip().casefold()
    return {action_id for action_id, text in texts.items() if needle in text}
