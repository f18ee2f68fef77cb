"""The plan's change history, for auditors and scrutiny: who changed what and when, the
old and new values, and the return a change came from.

Read from the journal, one line per changed field (or per record added or removed),
oldest first, in an officer's words: records as "Action 3.2" or "Milestone 'Go live'
(3.2)", fields by their labels, dates as dd/mm/yyyy, statuses and RAG ratings by name,
people and partner bodies by name. The journal's own bookkeeping of merged returns (the
returns and the values they sent) is not listed; a change that came from a return says
which ("Return from Northshire College (Sarah Whitfield), merged 21/01/2014").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from planner.commands.records import KINDS, FieldSpec
from planner.domain.dates import format_uk, parse_uk
from planner.errors import PlannerError
from planner.store.models import (
    CREATED,
    DELETED,
    DOWNLOADED,
    Action,
    ActionPartner,
    ActionPerson,
    JournalEntry,
    MergedReturn,
    Milestone,
    Partner,
    Person,
    Proposal,
    RagDefinitionRow,
    RoundRecipient,
    Theme,
    UpdateRound,
)

# The journal's record of merged returns themselves: shown through the changes they made.
BOOKKEEPING = frozenset({"merged_return", "returned_value"})
SPECIAL_FIELDS = {CREATED: "Added", DELETED: "Removed", DOWNLOADED: "Downloaded as a copy"}
HEADINGS = ("When", "Who", "Record", "Field", "Old value", "New value", "Source")
WHEN_FORMAT = "%d/%m/%Y %H:%M"
RECORD_COLUMN = HEADINGS.index("Record")
WORD_SLACK = 12  # how far back a cut looks for the end of a word


@dataclass(frozen=True)
class HistoryLine:
    """One changed field, or one record added or removed, as an auditor reads it."""

    at: datetime
    who: str
    record: str  # "Action 3.2", "Milestone 'Go live' (3.2)"
    field: str  # "RAG", "Due", or "Added" / "Removed"
    old_value: str  # "" when blank (or for a record added or removed)
    new_value: str
    source: str  # "Edit in the plan", "Return from Northshire College (...), merged ..."
    changes_value: bool = True  # False for a record added or removed

    @property
    def when(self) -> str:
        return self.at.strftime(WHEN_FORMAT)

    def cells(self) -> tuple[str, str, str, str, str, str, str]:
        """The line's values under HEADINGS."""
        return (
            self.when,
            self.who,
            self.record,
            self.field,
            self.old_value,
            self.new_value,
            self.source,
        )


def parse_since(text: str | None) -> date | None:
    """The date of `--since DD/MM/YYYY`; raises PlannerError when it is not a date."""
    if text is None:
        return None
    found = parse_uk(text)
    if found is None:
        raise PlannerError(f"'{text}' is not a date; give the day as DD/MM/YYYY, e.g. 01/04/2013.")
    return found


def find_action(session: Session, plan_id: int, ref: str) -> int:
    """The id of action `ref`, also one since deleted; raises PlannerError if none."""
    wanted = ref.strip()
    found = session.scalar(
        select(Action.id).where(
            Action.plan_id == plan_id, func.lower(Action.ref) == wanted.casefold()
        )
    )
    if found is None:  # deleted since: known by the journal's record of its removal
        found = session.scalar(
            select(JournalEntry.entity_id)
            .where(
                JournalEntry.plan_id == plan_id,
                JournalEntry.entity == "action",
                JournalEntry.field == DELETED,
                func.lower(JournalEntry.old_value) == f"action {wanted}".casefold(),
            )
            .order_by(JournalEntry.id.desc())
            .limit(1)
        )
    if found is None:
        raise PlannerError(
            f"There is no action '{wanted}' in this plan; give its ref as the plan shows it, "
            "e.g. 3.2."
        )
    return int(found)


def change_history(
    session: Session,
    plan_id: int,
    *,
    action_ref: str | None = None,
    since: date | None = None,
) -> list[HistoryLine]:
    """The plan's changes, oldest first: all of them, or those to one action (with its
    milestones, people, partner bodies and updates) and/or those on or after `since`."""
    query = select(JournalEntry).where(
        JournalEntry.plan_id == plan_id, JournalEntry.entity.not_in(BOOKKEEPING)
    )
    if action_ref is not None:
        query = query.where(JournalEntry.action_id == find_action(session, plan_id, action_ref))
    if since is not None:
        query = query.where(JournalEntry.at >= datetime.combine(since, time()))
    entries = list(session.scalars(query.order_by(JournalEntry.at, JournalEntry.id)))
    if not entries:
        return []
    names = _Names(session, plan_id)
    return [names.line(entry) for entry in entries]


def history_table(lines: Iterable[HistoryLine]) -> list[str]:
    """The lines as aligned plain text under a heading, one line per change; long values
    are cut to fit (the CSV has them whole)."""
    limits = (16, 24, 50, 24, 40, 40, 0)  # 0: the last column, never cut
    rows = [HEADINGS] + [_shown(line) for line in lines]
    cut = [
        [
            (_cut_record if column == RECORD_COLUMN else _cut)(cell, limit)
            for column, (cell, limit) in enumerate(zip(row, limits, strict=True))
        ]
        for row in rows
    ]
    widths = [max(len(row[column]) for row in cut) for column in range(len(HEADINGS))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in cut
    ]


def _shown(line: HistoryLine) -> tuple[str, ...]:
    cells = list(line.cells())
    if line.changes_value:
        cells[4] = cells[4] or "(blank)"
        cells[5] = cells[5] or "(blank)"
    return tuple(" ".join(cell.split()) for cell in cells)


def _cut(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, cut at a word where one is near, with "…"."""
    if not limit or len(text) <= limit:
        return text
    return _shorten(text, limit - 1) + "…"


def _shorten(text: str, room: int) -> str:
    kept = text[:room]
    space = kept.rfind(" ")
    if space > 0 and room - space <= WORD_SLACK:
        kept = kept[:space]
    return kept.rstrip(" ,;:-")


def _cut_record(text: str, limit: int) -> str:
    """A record's name cut to `limit` inside its quoted title, so that the kind of record
    and its action ref stay: "Milestone 'Returns received from all ten…' (3.2)"."""
    if len(text) <= limit:
        return text
    start, end = text.find("'"), text.rfind("'")
    room = end - start - 1 - (len(text) - limit + 1)  # what the title keeps, with "…"
    if 0 <= start < end and room > 0:
        return text[: start + 1] + _shorten(text[start + 1 : end], room) + "…" + text[end:]
    return _cut(text, limit)


def nothing_found(action_ref: str | None, since: date | None) -> str:
    """What to say when no change matches."""
    about = f" to action {action_ref.strip()}" if action_ref else ""
    when = f" since {format_uk(since)}" if since else ""
    return f"No changes{about} are recorded{when}."


# ----- names, as an officer knows them ------------------------------------------------------


class _Names:
    """The plan's records by id (and, for those since removed, as the journal last named
    them), to put journal entries into words."""

    def __init__(self, session: Session, plan_id: int) -> None:
        self.refs = _named(session, select(Action.id, Action.ref).where(Action.plan_id == plan_id))
        self.milestones: dict[int, tuple[str, int]] = {
            row_id: (title, action_id)
            for row_id, title, action_id in session.execute(
                select(Milestone.id, Milestone.title, Milestone.action_id)
                .join(Action, Action.id == Milestone.action_id)
                .where(Action.plan_id == plan_id)
            )
        }
        self.people = _named(
            session, select(Person.id, Person.name).where(Person.plan_id == plan_id)
        )
        self.partners = _named(
            session, select(Partner.id, Partner.name).where(Partner.plan_id == plan_id)
        )
        self.themes: dict[int, str] = {
            row_id: f"{number}. {title}"
            for row_id, number, title in session.execute(
                select(Theme.id, Theme.number, Theme.title).where(Theme.plan_id == plan_id)
            )
        }
        # who a person's or partner body's link to an action names
        self.links: dict[tuple[str, int], str] = {
            ("action_person", row_id): name
            for row_id, name in _named(
                session,
                select(ActionPerson.id, Person.name)
                .join(Person, Person.id == ActionPerson.person_id)
                .where(Person.plan_id == plan_id),
            ).items()
        }
        self.links.update(
            (("action_partner", row_id), name)
            for row_id, name in _named(
                session,
                select(ActionPartner.id, Partner.name)
                .join(Partner, Partner.id == ActionPartner.partner_id)
                .where(Partner.plan_id == plan_id),
            ).items()
        )
        self.rags: dict[str, str] = {
            code: name
            for code, name in session.execute(
                select(RagDefinitionRow.code, RagDefinitionRow.name).where(
                    RagDefinitionRow.plan_id == plan_id
                )
            )
        }
        self.rag_names = _named(
            session,
            select(RagDefinitionRow.id, RagDefinitionRow.name).where(
                RagDefinitionRow.plan_id == plan_id
            ),
        )
        self.rounds = _named(
            session, select(UpdateRound.id, UpdateRound.title).where(UpdateRound.plan_id == plan_id)
        )
        self.recipients = _named(
            session,
            select(RoundRecipient.id, RoundRecipient.name)
            .join(UpdateRound, UpdateRound.id == RoundRecipient.round_id)
            .where(UpdateRound.plan_id == plan_id),
        )
        self.proposals = _named(
            session, select(Proposal.id, Proposal.title).where(Proposal.plan_id == plan_id)
        )
        self.returns: dict[int, str] = {
            row.id: self._return_text(row)
            for row in session.scalars(select(MergedReturn).where(MergedReturn.plan_id == plan_id))
        }
        # Records since removed, as the journal last named them when added or removed.
        self.gone: dict[tuple[str, int], str] = {}
        self.gone_refs: dict[int, str] = {}
        labels = session.execute(
            select(
                JournalEntry.entity,
                JournalEntry.entity_id,
                JournalEntry.field,
                JournalEntry.old_value,
                JournalEntry.new_value,
            )
            .where(
                JournalEntry.plan_id == plan_id,
                JournalEntry.field.in_((CREATED, DELETED)),
            )
            .order_by(JournalEntry.id)
        )
        for entity, entity_id, field, old, new in labels:
            label = (new if field == CREATED else old) or ""
            self.gone[(entity, entity_id)] = label
            if entity == "action" and label.startswith("action "):
                self.gone_refs[entity_id] = label[len("action ") :]

    # ----- records ------------------------------------------------------------------

    def ref(self, action_id: int | None) -> str:
        if action_id is None:
            return ""
        return self.refs.get(action_id) or self.gone_refs.get(action_id, "")

    def _gone_title(self, entity: str, entity_id: int) -> str:
        """The title in the journal's label for a removed record ("milestone 'Go live'")."""
        label = self.gone.get((entity, entity_id), "")
        kind = KINDS.get(entity)
        prefix = f"{kind.label} '" if kind else ""
        if prefix and label.startswith(prefix) and label.endswith("'"):
            return label[len(prefix) : -1]
        return ""

    def record(self, entry: JournalEntry) -> str:
        entity, entity_id = entry.entity, entry.entity_id
        ref = self.ref(entry.action_id)
        on = f" on {ref}" if ref else ""
        if entity == "action":
            return f"Action {self.ref(entity_id) or ref or '(removed)'}"
        if entity == "milestone":
            title = self.milestones.get(entity_id, ("", 0))[0] or self._gone_title(
                entity, entity_id
            )
            where = f" ({ref})" if ref else ""
            return f"Milestone '{title}'{where}" if title else f"Milestone{on}"
        if entity == "progress_update":
            return f"Progress update{on}"
        if entity in ("action_person", "action_partner"):
            what = "Person" if entity == "action_person" else "Partner body"
            name = self.links.get((entity, entity_id), "")
            if name:
                return f"{what} '{name}'{on}"
            return f"A {what.lower()} since removed from {ref}" if ref else f"{what} on an action"
        if entity == "baseline_change":
            return f"Re-baseline{on}"
        if entity == "plan":
            return "The plan"
        named = {
            "person": ("Person", self.people),
            "partner": ("Partner body", self.partners),
            "theme": ("Theme", self.themes),
            "rag_definition": ("RAG rating", self.rag_names),
            "update_round": ("Update round", self.rounds),
            "round_recipient": ("Round recipient", self.recipients),
            "proposal": ("Proposal", self.proposals),
        }
        if entity in named:
            what, found = named[entity]
            name = found.get(entity_id) or self._gone_title(entity, entity_id)
            return f"{what} '{name}'" if name else what
        kind = KINDS.get(entity)
        return (kind.label if kind else entity.replace("_", " ")).capitalize() + on

    # ----- values -------------------------------------------------------------------

    def value(self, entity: str, field: str, text: str | None) -> str:
        if text is None or text == "":
            return ""
        kind = KINDS.get(entity)
        spec: FieldSpec | None = kind.fields.get(field) if kind else None
        if field == "rag":
            return self.rags.get(text, text)
        if spec is None:
            return text
        if spec.value_type == "date":
            return _date_text(text)
        if spec.value_type == "choice" and spec.choices is not None:
            member = spec.choices.from_text(text)
            return member.label if member is not None else text
        if spec.value_type == "ref":
            return self._ref_name(spec.ref or "", text)
        if field == "percent":
            return f"{text}%"
        return text

    def _ref_name(self, kind: str, text: str) -> str:
        try:
            row_id = int(text)
        except ValueError:
            return text
        if kind == "action":
            name = self.ref(row_id)
        else:
            found: dict[int, str] = {
                "person": self.people,
                "partner": self.partners,
                "theme": self.themes,
                "update_round": self.rounds,
                "merged_return": self.returns,
            }.get(kind, {})
            name = found.get(row_id) or self._gone_title(kind, row_id)
        if name:
            return name
        target = KINDS.get(kind)
        return f"a {target.label if target else kind} since removed"

    # ----- where a change came from -------------------------------------------------------

    def _return_text(self, row: MergedReturn) -> str:
        sender = row.recipient or self.partners.get(row.partner_id or 0, "") or row.file_name
        returned_by = f" ({row.returned_by})" if row.returned_by not in ("", sender) else ""
        merged = f", merged {format_uk(row.merged_at)}" if row.merged_at else ""
        return f"Return from {sender or 'a partner'}{returned_by}{merged}"

    def source(self, entry: JournalEntry) -> str:
        if entry.return_id is not None and entry.return_id in self.returns:
            return self.returns[entry.return_id]
        text = (entry.source or "").strip()
        if text in ("", "edit"):
            return "Edit in the plan"
        return text[:1].upper() + text[1:]

    def line(self, entry: JournalEntry) -> HistoryLine:
        special = SPECIAL_FIELDS.get(entry.field)
        record = self.record(entry)
        if special is not None:
            return HistoryLine(
                at=entry.at,
                who=entry.who,
                record=record,
                field=special,
                old_value="",
                new_value=entry.new_value or "" if entry.field == DOWNLOADED else "",
                source=self.source(entry),
                changes_value=False,
            )
        kind = KINDS.get(entry.entity)
        spec = kind.fields.get(entry.field) if kind else None
        return HistoryLine(
            at=entry.at,
            who=entry.who,
            record=record,
            field=spec.label if spec else entry.field.replace("_", " ").capitalize(),
            old_value=self.value(entry.entity, entry.field, entry.old_value),
            new_value=self.value(entry.entity, entry.field, entry.new_value),
            source=self.source(entry),
        )


def _named(session: Session, query: Select[int, str]) -> dict[int, str]:
    """Names by id, from a query of (id, name) rows."""
    return {row_id: name for row_id, name in session.execute(query)}


def _date_text(text: str) -> str:
    try:
        value: Any = datetime.fromisoformat(text)
    except ValueError:
        return text
    if isinstance(value, datetime) and value.time() != time():
        return value.strftime(WHEN_FORMAT)
    return format_uk(value.date() if isinstance(value, datetime) else value)
