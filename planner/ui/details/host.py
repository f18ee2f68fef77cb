"""What the parts of the details panel share: the order of its tabs, the plan's lists
they offer, and the narrow way a part asks the panel for the shown action and to change
the plan."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from typing import Protocol

from planner.commands import Command
from planner.domain import RagDefinition
from planner.queries.detail import ActionDetail, PersonOption
from planner.queries.lookups import Choice, PlanHeader

TAB_DETAILS, TAB_PEOPLE, TAB_MILESTONES, TAB_UPDATES, TAB_HISTORY, TAB_MONEY = range(6)


@dataclass(frozen=True)
class Lookups:
    """The plan's header and choice lists: read once per change, not at every selection
    (a large plan has a thousand people)."""

    header: PlanHeader
    themes: list[Choice]
    people: list[PersonOption]
    partners: list[Choice]

    def rag(self, code: str | None) -> RagDefinition | None:
        return self.header.rag(code)

    def person_options(self, exclude: Set[int] = frozenset()) -> list[tuple[int, str]]:
        """Everyone but `exclude`, as (id, label) for a picker."""
        return [(p.id, p.label) for p in self.people if p.id not in exclude]


class Host(Protocol):
    """The panel as its parts see it."""

    @property
    def detail(self) -> ActionDetail | None:
        """The shown action, or None."""
        ...

    @property
    def lookups(self) -> Lookups | None: ...

    def can_change(self) -> bool:
        """Whether an action is shown in a plan that may be changed; if not, says why."""
        ...

    def run(self, command: Command, *, refill_on_refusal: bool = True) -> bool:
        """Apply `command` as one undoable step. On refusal the officer is shown why and,
        if `refill_on_refusal`, the fields show the stored values again (a dialog that
        reopens with the officer's values passes False). True if applied."""
        ...

    def confirm(
        self, title: str, text: str, details: list[str] | None = None, action: str = "Delete"
    ) -> bool:
        """Ask before a change that removes something."""
        ...

    def show_tab(self, tab: int) -> None: ...

    def note(self, text: str) -> None:
        """A short note for the status bar."""
        ...
