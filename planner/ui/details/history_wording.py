"""The words of the change history: what each journal entry says in the details panel.

Plain data in, plain text out; no Qt, so the wording is tested on its own."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from planner.commands.records import KINDS
from planner.domain import PartnerRole, RaciRole, Status
from planner.domain.dates import format_uk
from planner.domain.vocab import LabelledEnum
from planner.queries.detail import HistoryEntry
from planner.store.models import CREATED, DELETED

DATE_FIELDS = frozenset(
    ("start", "due", "baseline_due", "completed_on", "as_at", "new_due", "old_due", "decided_on")
)
PERSON_FIELDS = frozenset(("owner_id", "author_id", "person_id"))
LONGEST = 80  # a longer value is cut short, ending in "…"


@dataclass(frozen=True)
class HistoryNames:
    """What the wording needs from the plan to put words to codes and ids."""

    rag: Mapping[str, str] = dataclasses.field(default_factory=dict)  # "R" -> "R Red"
    people: Mapping[int, str] = dataclasses.field(default_factory=dict)
    themes: Mapping[int, str] = dataclasses.field(default_factory=dict)
    partners: Mapping[int, str] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class HistoryWording:
    """One entry in words: when, the change as shown (with where it came from, if not
    an edit), and the tooltip that says it all."""

    when: str
    change: str
    tooltip: str


def word_entry(entry: HistoryEntry, names: HistoryNames) -> HistoryWording:
    kind = KINDS.get(entry.entity)
    if entry.field == CREATED:
        change = "Added"
    elif entry.field == DELETED:
        change = "Removed"
    else:
        spec = kind.fields.get(entry.field) if kind else None
        label = spec.label if spec else entry.field.replace("_", " ").capitalize()
        old = history_value(entry.entity, entry.field, entry.old_value, names)
        new = history_value(entry.entity, entry.field, entry.new_value, names)
        change = f"{label}: {old} → {new}"
    source = "" if entry.source == "edit" else entry.source.split(":", 1)[0]
    shown = f"{change} ({source})" if source else change
    when = f"{entry.at:%d/%m/%Y %H:%M}"
    tooltip = f"{entry.subject}\n{change}\n{when} by {entry.who}"
    if entry.source != "edit":
        tooltip += f"\nFrom: {entry.source}"
    return HistoryWording(when=when, change=shown, tooltip=tooltip)


def history_value(entity: str, field: str, text: str | None, names: HistoryNames) -> str:
    """A stored value (as the journal keeps it, in text) in the officer's words."""
    if text is None or text == "":
        return "(blank)"
    if field in DATE_FIELDS:
        try:
            return format_uk(date.fromisoformat(text[:10]))
        except ValueError:
            return text
    if field == "status":
        return _label(Status, text)
    if field == "role" and entity == "action_person":
        return _raci(text)
    if field == "role" and entity == "action_partner":
        return _label(PartnerRole, text)
    if field == "rag":
        return names.rag.get(text, text)
    if field == "percent":
        return f"{text}%"
    if field in PERSON_FIELDS and text.isdigit():
        return names.people.get(int(text), text)
    if field == "theme_id" and text.isdigit():
        return names.themes.get(int(text), text)
    if field == "partner_id" and text.isdigit():
        return names.partners.get(int(text), text)
    return shortened(text)


def shortened(text: str) -> str:
    """`text` cut to at most LONGEST characters at the end of a word, ending in "…" (a
    single word too long for that is cut where it must be)."""
    if len(text) <= LONGEST:
        return text
    cut = text[: LONGEST - 1]
    if not text[LONGEST - 1].isspace():
        space = cut.rfind(" ")
        if space >= LONGEST // 2:
            cut = cut[:space]
    return cut.rstrip() + "…"


def _label(enum: type[LabelledEnum], value: str) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return value


def _raci(value: str) -> str:
    try:
        return RaciRole(value).described
    except ValueError:
        return value
