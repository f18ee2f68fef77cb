"""What a change touched, in the terms of those who show the plan.

A command's row changes are summed up as the actions, milestones, people and partner
bodies it touched, and whether the plan's structure changed: its themes, the list or
order of its actions, the lists of people and partner bodies, or the plan's own
settings. A window refreshes from this alone."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from planner.commands.changes import RowChange

# Changes to these rows alter what every view shows (status date, RAG scale, themes).
STRUCTURAL_TABLES = frozenset({"plan", "rag_definition", "theme"})
# An action's place in the plan: changing one of these reorders or renumbers the list.
ACTION_PLACE_FIELDS = frozenset({"theme_id", "position", "ref"})


@dataclass(frozen=True)
class Touched:
    actions: frozenset[int] = frozenset()
    milestones: frozenset[int] = frozenset()
    people: frozenset[int] = frozenset()
    partners: frozenset[int] = frozenset()
    structure: bool = False
    tables: frozenset[str] = frozenset()

    @property
    def reaches_every_action(self) -> bool:
        """Whether the change may show beyond the touched actions' rows: the structure
        changed, or a person's or partner body's own record (their names appear beside
        every action they work on)."""
        return self.reaches(frozenset({"person", "partner"}))

    def reaches(self, tables: frozenset[str]) -> bool:
        """Whether a view showing rows of `tables` must read them again: the structure
        changed, or a row of one of them."""
        return self.structure or bool(self.tables & tables)


NOTHING_TOUCHED = Touched()


def touched_by(
    changes: Iterable[tuple[RowChange, int | None]],
    partner_of_contact: Callable[[RowChange], int | None],
) -> Touched:
    """Sum up `changes`, each given with the action its row belongs to (or None)."""
    actions: set[int] = set()
    milestones: set[int] = set()
    people: set[int] = set()
    partners: set[int] = set()
    tables: set[str] = set()
    structure = False
    for change, action_id in changes:
        tables.add(change.table)
        made_or_removed = change.before is None or change.after is None
        if action_id is not None:
            actions.add(action_id)
        if change.table in STRUCTURAL_TABLES:
            structure = True
        elif change.table == "action":
            if made_or_removed or set(change.after or {}) & ACTION_PLACE_FIELDS:
                structure = True
        elif change.table == "milestone":
            milestones.add(change.row_id)
        elif change.table == "person":
            people.add(change.row_id)
            structure = structure or made_or_removed
        elif change.table == "partner":
            partners.add(change.row_id)
            structure = structure or made_or_removed
        elif change.table == "partner_contact":
            partner_id = partner_of_contact(change)
            if partner_id is not None:
                partners.add(partner_id)
    return Touched(
        frozenset(actions),
        frozenset(milestones),
        frozenset(people),
        frozenset(partners),
        structure,
        frozenset(tables),
    )
