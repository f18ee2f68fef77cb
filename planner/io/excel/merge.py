"""Merging a returned workbook: compare it with the plan, show what would change, and
turn the chosen changes into one undoable command.

A field counts as changed by the partner when the returned value differs from the value
the plan held when the workbook was exported (read back from the change journal). Who
may change what follows the plan's rule (planner.domain.ReturnRule): by default the
action's lead officer and lead partner body own its status, RAG, % complete and dates,
and other bodies' values are suggestions. A returned status, RAG or % complete travels
with the commentary on the same row. A field the plan has changed itself since the
export is a conflict the plan wins by default; one that another return of the same round
sets differently is held until an officer picks (planner.commands.returns). Rows without
an ID are kept as proposals for review."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from dataclasses import field as dataclass_field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.commands import Command
from planner.commands.returns import (
    COMMENTARY,
    PROGRESS_FIELDS,
    Claim,
    Ledger,
    MergeReturn,
    Outcome,
    ReturnIdentity,
    Unit,
    as_text,
    current_values,
    in_slices,
    record_ids,
    resolve,
    same_text,
    source_of,
    spaced,
)
from planner.domain import PartnerRole, ProposalState, RaciRole, ReturnRule, Status
from planner.domain.dates import format_uk
from planner.domain.money import format_pounds
from planner.errors import PlannerError
from planner.io.excel.layout import ACTION_COLUMNS, MILESTONE_COLUMNS, Column
from planner.io.excel.merge_purpose import MeasureOwners, compare_benefits, compare_measures
from planner.io.excel.reading import Problem, ReturnedRow, ReturnedWorkbook
from planner.queries.actions import ActionRow, action_rows
from planner.queries.lookups import PlanHeader, plan_header
from planner.queries.plausibility import (
    ActionFacts,
    MilestoneFacts,
    Period,
    action_warnings,
    milestone_warnings,
)
from planner.queries.summary import MilestoneRow, milestone_rows
from planner.store.models import (
    CREATED,
    Action,
    ActionPartner,
    ActionPerson,
    JournalEntry,
    MergedReturn,
    Milestone,
    Partner,
    Person,
    Plan,
    ProgressUpdate,
    Proposal,
    ReturnedValue,
    Theme,
)

ACTION_FIELDS = {column.key: column for column in ACTION_COLUMNS}
MILESTONE_FIELDS = {column.key: column for column in MILESTONE_COLUMNS}
LATEST_UPDATE = "latest_update"
ACTION_VALUES = ("start", "due", "status", "rag", "percent")
MILESTONE_VALUES = {"due": "due", "completed": "completed_on", "note": "note"}
# an empty cell in these columns is no answer, never a request to clear the plan's value
NOT_CLEARED = {"start", "due", "status", "rag", "percent", "actual", "realised"}


@dataclass
class Rival:
    """Another return's value for the same field, merged while this one was out."""

    sender: str
    returned_at: datetime | None
    value: Any


@dataclass
class UnitChoice:
    """The changes applied or held together, and whether the officer takes them."""

    take: bool
    blocked: Outcome | None = None  # why it waits for a tick: suggested, held or declined
    rival_conflict: bool = False  # another return of the round sent a different value
    note: bool = False  # a commentary from a body that does not own the action


@dataclass
class FieldChange:
    """One field the returned copy changes, with both values and what stands in its way."""

    kind: str  # "action" or "milestone"
    record_id: int
    label: str  # "Action 3.2" or "Milestone 'Go live' (3.2)"
    column: str  # the workbook's column heading
    field: str  # the plan's field ("commentary" for a new progress update)
    plan_value: Any
    returned_value: Any
    conflict: bool = False  # with the plan, which has changed the field since the export
    plan_changed_at: datetime | None = None
    plan_changed_by: str = ""
    record_uid: str = ""
    choice: UnitChoice = dataclass_field(default_factory=lambda: UnitChoice(True))
    rivals: list[Rival] = dataclass_field(default_factory=list)
    suggestion: bool = False  # from a body that does not own the field
    doubt: str = ""  # why the value needs the officer's check
    choices: tuple[Any, ...] = ()  # candidate values when the cell named more than one
    typed: str = ""  # the cell as typed, for doubts and choices
    together: tuple[str, ...] = ()  # the other columns on its row applied or held with it
    rag_names: dict[str, str] = dataclass_field(default_factory=dict)

    @property
    def take_returned(self) -> bool:
        return self.choice.take

    @take_returned.setter
    def take_returned(self, take: bool) -> None:
        if take and self.choices and self.returned_value is None:
            return  # nothing to take until one of the values is picked
        self.choice.take = take

    def pick(self, value: Any) -> None:
        """Choose one of the values a cell named (e.g. Red for 'Amber/Red')."""
        self.returned_value = value
        self.choice.take = True

    @property
    def waiting_for_pick(self) -> bool:
        return bool(self.choices) and self.returned_value is None

    @property
    def in_conflict(self) -> bool:
        return self.conflict or self.choice.rival_conflict

    def describe(self, value: Any) -> str:
        if self.field == "rag" and value in self.rag_names:
            return self.rag_names[value]
        return _display(self.field, value)

    def returned_text(self) -> str:
        if self.waiting_for_pick:
            names = " or ".join(self.describe(value) for value in self.choices)
            return f"'{self.typed}' (choose {names})"
        return self.describe(self.returned_value)


@dataclass(frozen=True)
class NotApplied:
    label: str
    column: str
    plan_value: str
    returned_value: str


@dataclass
class ProposedRecord:
    """A row without an ID: a new action or milestone proposed for review."""

    kind: str
    sheet: str
    row: int
    values: dict[str, Any]  # the proposal as it will be kept
    summary: str
    reason: str = ""  # why it cannot be kept; empty when it can
    take: bool = False  # accept it into the plan at once

    @property
    def can_add_now(self) -> bool:
        """Whether it can go into the plan with the merge: a new action needs a theme of
        the plan (else an officer chooses one in the review)."""
        if self.reason:
            return False
        if self.kind != "action":
            return True
        details = json.loads(str(self.values.get("details") or "{}"))
        return details.get("theme_number") is not None


@dataclass
class MergePreview:
    source: Path
    from_name: str
    plan_title: str
    exported_at: datetime | None
    changes: list[FieldChange] = field(default_factory=list)
    not_applied: list[NotApplied] = field(default_factory=list)
    proposed: list[ProposedRecord] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    author_id: int | None = None
    status_date: date | None = None
    returned_saved_at: datetime | None = None  # when the returned copy was last saved
    identity: ReturnIdentity | None = None
    sender: str = ""  # who the copy is from, as the preview names it
    already_merged: str = ""  # the sentence saying so, when this very file was merged
    rule_note: str = ""  # who may change what, for this return

    @property
    def conflicts(self) -> list[FieldChange]:
        return [change for change in self.changes if change.in_conflict]

    def take_returned_everywhere(self) -> None:
        """Take every returned value over the plan's and other returns' (not suggestions,
        nor values waiting for a check)."""
        for change in self.changes:
            if change.choice.blocked in (None, Outcome.DECLINED) and not change.waiting_for_pick:
                change.take_returned = True

    def take_suggestions(self) -> None:
        for change in self.changes:
            if change.choice.blocked == Outcome.SUGGESTED:
                change.take_returned = True

    def accept_proposals(self) -> None:
        for proposal in self.proposed:
            proposal.take = proposal.can_add_now

    @property
    def chosen(self) -> list[FieldChange]:
        return [change for change in self.changes if change.take_returned]

    @property
    def kept_proposals(self) -> list[ProposedRecord]:
        return [proposal for proposal in self.proposed if not proposal.reason]

    @property
    def is_empty(self) -> bool:
        """Nothing to record: no change, note or proposal (a merge would change nothing)."""
        return not self.changes and not self.kept_proposals

    def source_label(self) -> str:
        who = f" from {self.sender}" if self.sender else ""
        return f"import of {self.source.name}{who}"


def _display(field_name: str, value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, date):
        return format_uk(value)
    if field_name == "status" and value in Status._value2member_map_:
        return Status(value).label
    if field_name == "percent":
        return f"{value}%"
    if field_name == "realised" and isinstance(value, int):
        return format_pounds(value)
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}"
    return str(value)


class _History:
    """What the plan held at the export, read back from the journal, and what the plan
    itself (not a merged return) has changed since."""

    def __init__(self, session: Session, plan_id: int, since: datetime | None) -> None:
        self.first_after: dict[tuple[str, int, str], JournalEntry] = {}
        self.first_own_after: dict[tuple[str, int, str], JournalEntry] = {}
        self.created_after: set[tuple[str, int]] = set()
        self.created_own_after: set[tuple[str, int]] = set()
        if since is None:
            return
        for entry in session.scalars(
            select(JournalEntry)
            .where(JournalEntry.plan_id == plan_id, JournalEntry.at > since)
            .order_by(JournalEntry.at, JournalEntry.id)
        ):
            key = (entry.entity, entry.entity_id, entry.field)
            self.first_after.setdefault(key, entry)
            if entry.return_id is None:
                self.first_own_after.setdefault(key, entry)
            if entry.field == CREATED:
                self.created_after.add((entry.entity, entry.entity_id))
                if entry.return_id is None:
                    self.created_own_after.add((entry.entity, entry.entity_id))

    def at_export(self, entity: str, record_id: int, field_name: str, now: Any) -> str:
        entry = self.first_after.get((entity, record_id, field_name))
        return (entry.old_value or "") if entry is not None else as_text(now)

    def untouched(self, entity: str, record_id: int, field_name: str) -> bool:
        """True when nothing has changed the field since the export."""
        return (entity, record_id, field_name) not in self.first_after

    def changed_in_plan(self, entity: str, record_id: int, field_name: str) -> JournalEntry | None:
        return self.first_own_after.get((entity, record_id, field_name))


@dataclass(frozen=True)
class _Sender:
    partner_id: int | None
    person_id: int | None
    owns_everything: bool


class _Owners:
    """Who owns each action's progress and dates: its lead officer and lead partner."""

    def __init__(self, session: Session, plan_id: int, sender: _Sender) -> None:
        self.sender = sender
        self.lead: dict[int, int] = {
            action_id: person_id
            for action_id, person_id in session.execute(
                select(ActionPerson.action_id, ActionPerson.person_id)
                .join(Action, Action.id == ActionPerson.action_id)
                .where(Action.plan_id == plan_id, ActionPerson.role == RaciRole.ACCOUNTABLE.value)
            )
        }
        self.lead_partners: dict[int, set[int]] = {}
        for action_id, partner_id in session.execute(
            select(ActionPartner.action_id, ActionPartner.partner_id)
            .join(Action, Action.id == ActionPartner.action_id)
            .where(Action.plan_id == plan_id, ActionPartner.role == PartnerRole.LEAD.value)
        ):
            self.lead_partners.setdefault(action_id, set()).add(partner_id)

    def action(self, action_id: int) -> bool:
        sender = self.sender
        if sender.owns_everything:
            return True
        if sender.person_id is not None and self.lead.get(action_id) == sender.person_id:
            return True
        return sender.partner_id in self.lead_partners.get(action_id, set())

    def milestone(self, action_id: int, owner_id: int | None) -> bool:
        person = self.sender.person_id
        return self.action(action_id) or (person is not None and person == owner_id)


def build_preview(
    session: Session, plan_id: int, returned: ReturnedWorkbook, from_name: str = ""
) -> MergePreview:
    header = plan_header(session, plan_id)
    if returned.plan_id != header.uid:
        title = returned.meta.get("plan_title") or "another plan"
        raise PlannerError(
            f"'{returned.path.name}' was exported from a different plan ('{title}'), not from "
            f"'{header.title}', so it cannot be merged into it."
        )
    plan = session.get(Plan, plan_id)
    assert plan is not None
    identity, sender = _identity(session, plan, returned, from_name)
    preview = MergePreview(
        source=returned.path,
        from_name=identity.returned_by,
        plan_title=header.title,
        exported_at=returned.exported_at,
        ignored=list(returned.ignored) + list(returned.notes),
        problems=list(returned.problems),
        status_date=header.status_date,
        returned_saved_at=returned.saved_at,
        identity=identity,
        sender=_sender_label(session, identity),
        author_id=identity.person_id,
    )
    earlier = session.scalars(
        select(MergedReturn)
        .where(MergedReturn.plan_id == plan_id, MergedReturn.fingerprint == identity.fingerprint)
        .order_by(MergedReturn.merged_at)
    ).first()
    if earlier is not None:
        preview.already_merged = (
            f"This return{' from ' + preview.sender if preview.sender else ''} was merged on "
            f"{format_uk(earlier.merged_at.date())} by {earlier.merged_by or 'an officer'}; "
            "nothing new in it."
        )
        return preview
    preview.rule_note = _rule_note(plan.return_rule, sender)
    if returned.exported_at is None:
        preview.ignored.append(
            "The workbook does not say when it was exported, so changes made in the plan "
            "since then cannot be told apart from the partner's; every difference is listed."
        )
    history = _History(session, plan_id, returned.exported_at)
    owners = _Owners(session, plan_id, sender)
    earlier_claims = _earlier_copies(session, plan_id, identity)
    compare = _Compare(session, plan_id, header, history, owners, earlier_claims, preview)
    compare.actions(action_rows(session, plan_id), returned)
    compare.milestones(milestone_rows(session, plan_id), returned)
    purpose_owners = MeasureOwners(session, plan_id, owners)
    compare_measures(compare, purpose_owners, returned)
    compare_benefits(compare, purpose_owners, returned)
    compare.proposals(returned, sender)
    rag_names = {rag.code: rag.name for rag in header.rag_definitions}
    for change in preview.changes:
        change.rag_names = rag_names
    _check_changes(session, plan_id, preview)
    _mark_rivals(session, plan_id, preview)
    preview.warnings = _plausibility(session, plan_id, header, preview)
    return preview


def _plausibility(
    session: Session, plan_id: int, header: PlanHeader, preview: MergePreview
) -> list[str]:
    """What is worth a second look in the records the return changes, as they would be
    with its values (dates far outside the plan's period are held as checks instead)."""
    returned: dict[tuple[str, int], dict[str, Any]] = {}
    for change in preview.changes:
        if change.field != COMMENTARY and not change.waiting_for_pick:
            values = returned.setdefault((change.kind, change.record_id), {})
            values[change.field] = change.returned_value
    if not returned:
        return []
    touched = {record_id for kind, record_id in returned if kind == "action"}
    changed_milestones = [record_id for kind, record_id in returned if kind == "milestone"]
    for chunk in in_slices(changed_milestones):
        touched.update(session.scalars(select(Milestone.action_id).where(Milestone.id.in_(chunk))))
    milestones: list[Any] = []
    ordered = sorted(touched)
    for chunk in in_slices(ordered):
        milestones.extend(
            session.execute(
                select(
                    Milestone.id,
                    Milestone.action_id,
                    Action.ref,
                    Milestone.title,
                    Milestone.due,
                    Milestone.completed_on,
                )
                .join(Action, Action.id == Milestone.action_id)
                .where(Milestone.action_id.in_(chunk))
            ).all()
        )
    open_count: dict[int, int] = {}
    found: list[str] = []
    no_period = Period(None, None)
    today = date.today()
    for milestone in milestones:
        values = returned.get(("milestone", milestone.id), {})
        completed = values.get("completed_on", milestone.completed_on)
        if completed is None:
            open_count[milestone.action_id] = open_count.get(milestone.action_id, 0) + 1
        if ("milestone", milestone.id) in returned:
            due = values.get("due", milestone.due)
            found.extend(
                milestone_warnings(
                    MilestoneFacts(milestone.ref, milestone.title, due, completed), no_period, today
                )
            )
    actions = [
        action
        for chunk in in_slices(ordered)
        for action in session.scalars(select(Action).where(Action.id.in_(chunk)))
    ]
    for action in actions:
        values = returned.get(("action", action.id), {})
        facts = ActionFacts(
            action.ref,
            values.get("start", action.start),
            values.get("due", action.due),
            values.get("status", action.status),
            values.get("percent", action.percent),
            open_count.get(action.id, 0),
        )
        found.extend(action_warnings(facts, no_period))
    return found


def _identity(
    session: Session, plan: Plan, returned: ReturnedWorkbook, from_name: str
) -> tuple[ReturnIdentity, _Sender]:
    meta = returned.meta
    returned_by = (from_name or returned.returned_by or "").strip()
    partner_id = _id_of(session, Partner, plan.id, meta.get("recipient_partner", ""))
    addressed_person = _id_of(session, Person, plan.id, meta.get("recipient_person", ""))
    person_id = None
    if returned_by:
        person_id = session.scalar(
            select(Person.id).where(
                Person.plan_id == plan.id, func.lower(Person.name) == returned_by.casefold()
            )
        )
    if person_id is None:
        person_id = addressed_person
    if partner_id is None and person_id is not None:
        partner_id = session.scalar(select(Person.organisation_id).where(Person.id == person_id))
    recipient = meta.get("recipient", "").strip()
    saved = returned.saved_at
    exported = returned.exported_at
    returned_at = saved if saved is not None and (exported is None or saved >= exported) else None
    identity = ReturnIdentity(
        export_id=meta.get("export_id", "").strip(),
        round_uid=meta.get("round_id", "").strip(),
        fingerprint=returned.fingerprint,
        file_name=returned.path.name,
        recipient=recipient,
        partner_id=partner_id,
        person_id=person_id,
        returned_by=returned_by,
        exported_at=exported,
        returned_at=returned_at or datetime.now().replace(microsecond=0),
    )
    addressed = bool(recipient) or partner_id is not None or person_id is not None
    everyone = plan.return_rule == ReturnRule.ANYONE.value
    return identity, _Sender(partner_id, person_id, owns_everything=everyone or not addressed)


def _id_of(session: Session, model: type[Partner] | type[Person], plan_id: int, uid: str) -> Any:
    if not uid:
        return None
    return session.scalar(select(model.id).where(model.plan_id == plan_id, model.uid == uid))


def _sender_label(session: Session, identity: ReturnIdentity) -> str:
    body = (
        session.scalar(select(Partner.name).where(Partner.id == identity.partner_id))
        if identity.partner_id is not None
        else None
    )
    name = identity.returned_by
    if body and name and name.casefold() != body.casefold():
        return f"{name}, {body}"
    return name or body or identity.recipient


def _rule_note(rule: str, sender: _Sender) -> str:
    if sender.owns_everything:
        if rule == ReturnRule.ANYONE.value:
            return "The plan lets anyone it is sent to change progress and dates."
        return (
            "This copy was not sent to a named partner body or person, so every change in "
            "it counts as the plan office's own."
        )
    return (
        "Only an action's lead officer and lead partner body change its status, RAG, "
        "% complete and dates; other bodies' values are suggestions, applied only if ticked."
    )


def _earlier_copies(
    session: Session, plan_id: int, identity: ReturnIdentity
) -> dict[tuple[str, str], str]:
    """(record uid, field) -> the value the latest earlier copy of this return sent."""
    if not identity.export_id:
        return {}
    found: dict[tuple[str, str], str] = {}
    for uid, field_name, value, recipient, returned_by in session.execute(
        select(
            ReturnedValue.record_uid,
            ReturnedValue.field,
            ReturnedValue.value,
            MergedReturn.recipient,
            MergedReturn.returned_by,
        )
        .join(MergedReturn, MergedReturn.id == ReturnedValue.return_id)
        .where(MergedReturn.plan_id == plan_id, MergedReturn.export_id == identity.export_id)
        .order_by(MergedReturn.merged_at, MergedReturn.id, ReturnedValue.id)
    ):
        if source_of(identity.export_id, recipient, returned_by) == identity.source:
            found[(uid, field_name)] = value or ""
    return found


class _Compare:
    """Builds the preview's changes, units and proposals from the returned rows."""

    def __init__(
        self,
        session: Session,
        plan_id: int,
        header: PlanHeader,
        history: _History,
        owners: _Owners,
        earlier: dict[tuple[str, str], str],
        preview: MergePreview,
    ) -> None:
        self.session = session
        self.plan_id = plan_id
        self.header = header
        self.history = history
        self.owners = owners
        self.earlier = earlier
        self.preview = preview
        self.period = Period(header.period_start, header.period_end)

    # ----- one field ------------------------------------------------------------------

    def _returned(self, row: ReturnedRow, key: str) -> tuple[bool, Any]:
        if key in row.choices:
            return True, None
        if key not in row.values:
            return False, None
        return True, row.values[key]

    def _change(
        self,
        entity: str,
        record_id: int,
        uid: str,
        label: str,
        column: Column,
        field_name: str,
        now: Any,
        row: ReturnedRow,
        key: str,
    ) -> FieldChange | None:
        present, value = self._returned(row, key)
        if not present:
            return None
        choices = tuple(row.choices.get(key, ()))
        if not choices and value is None and key in NOT_CLEARED:
            return None
        if field_name == "note":
            value = value or ""
        if not choices and value == now and self.history.untouched(entity, record_id, field_name):
            return None  # as sent, and as the plan still has it
        text = row.typed.get(key, "") if choices else as_text(value)
        exported = self.history.at_export(entity, record_id, field_name, now)
        if not choices and same_text(text, exported):
            return None  # left as sent
        earlier = self.earlier.get((uid, field_name))
        if earlier is not None and same_text(text, earlier):
            return None  # an earlier copy of this export sent it already
        changed = self.history.changed_in_plan(entity, record_id, field_name)
        if changed is not None and not choices and same_text(text, as_text(now)):
            return None  # the plan already says so
        change = FieldChange(
            kind=entity,
            record_id=record_id,
            label=label,
            column=column.header,
            field=field_name,
            plan_value=now,
            returned_value=value,
            conflict=changed is not None,
            plan_changed_at=changed.at if changed else None,
            plan_changed_by=changed.who if changed else "",
            record_uid=uid,
            doubt=row.doubts.get(key, ""),
            choices=choices,
            typed=row.typed.get(key, ""),
        )
        if isinstance(value, date) and not change.doubt:
            change.doubt = self._outside_period(value)
        return change

    def _outside_period(self, value: date) -> str:
        return self.period.far_outside(value)

    def _unit(self, changes: list[FieldChange], *, suggestion: bool, note: bool = False) -> None:
        if not changes:
            return
        blocked: Outcome | None = None
        if suggestion:
            blocked = Outcome.SUGGESTED
        elif any(change.doubt or change.choices for change in changes):
            blocked = Outcome.HELD
        elif any(change.conflict for change in changes):
            blocked = Outcome.DECLINED
        choice = UnitChoice(take=blocked is None, blocked=blocked, note=note)
        for change in changes:
            change.choice = choice
            change.suggestion = suggestion
            change.together = tuple(other.column for other in changes if other is not change)
        self.preview.changes.extend(changes)

    # ----- actions --------------------------------------------------------------------

    def actions(self, current: list[ActionRow], returned: ReturnedWorkbook) -> None:
        by_uid = {action.uid: action for action in current}
        latest_at_export = self._latest_updates_at_export()
        seen: set[str] = set()
        for row in returned.actions:
            if not row.id:
                continue
            action = by_uid.get(row.id)
            if action is None:
                self.preview.ignored.append(
                    f"Actions row {row.row}: ID {row.id} is not in the plan (it may have been "
                    "deleted), so the row was ignored."
                )
                continue
            if row.id in seen:
                self.preview.ignored.append(
                    f"Actions row {row.row}: action {action.ref} appears twice; only its first "
                    "row was read."
                )
                continue
            seen.add(row.id)
            self._action_row(action, row, latest_at_export)

    def _action_row(
        self, action: Any, row: ReturnedRow, latest_at_export: dict[int, tuple[str, set[str]]]
    ) -> None:
        label = f"Action {action.ref}"
        plan_values = {
            "start": action.start,
            "due": action.due,
            "status": action.status,
            "rag": action.rag,
            "percent": action.percent,
        }
        found: dict[str, FieldChange] = {}
        for key in ACTION_VALUES:
            change = self._change(
                "action",
                action.id,
                action.uid,
                label,
                ACTION_FIELDS[key],
                key,
                plan_values[key],
                row,
                key,
            )
            if change is not None:
                found[key] = change
        commentary = self._commentary(action, row, latest_at_export)
        owner = self.owners.action(action.id)
        progress = [found[key] for key in PROGRESS_FIELDS if key in found]
        if owner:
            self._unit([*progress, *([commentary] if commentary else [])], suggestion=False)
        else:
            for change in progress:
                self._unit([change], suggestion=True)
            if commentary is not None:
                commentary.conflict = False
                self._unit([commentary], suggestion=False, note=True)
        for key in ("start", "due"):
            if key in found:
                self._unit([found[key]], suggestion=not owner)
        displayed = {
            "ref": action.ref,
            "title": action.title,
            "theme": f"{action.theme_number}. {action.theme_title}",
            "lead": action.lead_officer,
            "others": _others(action),
            "partners": action.partners,
            "description": action.description,
        }
        self._not_applied(label, ACTION_FIELDS, displayed, row)

    def _latest_updates_at_export(self) -> dict[int, tuple[str, set[str]]]:
        """Each action's latest commentary as exported, and the commentaries the plan
        itself (not a merged return) has added since."""
        latest: dict[int, tuple[str, set[str]]] = {}
        for update_id, action_id, commentary in self.session.execute(
            select(ProgressUpdate.id, ProgressUpdate.action_id, ProgressUpdate.commentary)
            .join(Action, Action.id == ProgressUpdate.action_id)
            .where(Action.plan_id == self.plan_id)
            .order_by(ProgressUpdate.as_at, ProgressUpdate.id)
        ):
            newer = ("progress_update", update_id) in self.history.created_after
            own = ("progress_update", update_id) in self.history.created_own_after
            text, own_since = latest.get(action_id, ("", set()))
            if own:
                own_since = {*own_since, spaced(commentary or "")}
            latest[action_id] = (text if newer else commentary, own_since)
        return latest

    def _commentary(
        self, action: Any, row: ReturnedRow, latest_at_export: dict[int, tuple[str, set[str]]]
    ) -> FieldChange | None:
        if LATEST_UPDATE not in row.values:
            return None
        returned = str(row.values[LATEST_UPDATE] or "").strip()
        exported, own_since = latest_at_export.get(action.id, ("", set()))
        if not returned or same_text(returned, exported):
            return None
        earlier = self.earlier.get((action.uid, COMMENTARY))
        if earlier is not None and same_text(returned, earlier):
            return None
        if spaced(returned) in own_since:
            return None  # the plan has recorded these very words since
        return FieldChange(
            kind="action",
            record_id=action.id,
            label=f"Action {action.ref}",
            column=ACTION_FIELDS[LATEST_UPDATE].header,
            field=COMMENTARY,
            plan_value=action.latest_update,
            returned_value=returned,
            conflict=bool(own_since),
            record_uid=action.uid,
        )

    def _not_applied(
        self, label: str, columns: dict[str, Column], displayed: dict[str, Any], row: ReturnedRow
    ) -> None:
        for key, now in displayed.items():
            if key not in row.values:
                continue
            returned = row.values[key]
            if returned in (None, "") or returned == now:
                continue
            if same_text(str(returned), str(now or "")):
                continue
            self.preview.not_applied.append(
                NotApplied(label, columns[key].header, _display(key, now), _display(key, returned))
            )

    # ----- milestones -----------------------------------------------------------------

    def milestones(self, current: list[MilestoneRow], returned: ReturnedWorkbook) -> None:
        by_uid = {milestone.uid: milestone for milestone in current}
        owner_of: dict[int, int | None] = {
            milestone_id: owner_id
            for milestone_id, owner_id in self.session.execute(
                select(Milestone.id, Milestone.owner_id)
                .join(Action, Action.id == Milestone.action_id)
                .where(Action.plan_id == self.plan_id)
            )
        }
        seen: set[str] = set()
        for row in returned.milestones:
            if not row.id:
                continue
            milestone = by_uid.get(row.id)
            if milestone is None or row.id in seen:
                self.preview.ignored.append(
                    f"Milestones row {row.row}: ID {row.id} is not in the plan or appears twice, "
                    "so the row was ignored."
                )
                continue
            seen.add(row.id)
            label = f"Milestone '{milestone.title}' ({milestone.action_ref})"
            owner = self.owners.milestone(milestone.action_id, owner_of.get(milestone.id))
            plan_values = {
                "due": milestone.due,
                "completed": milestone.completed_on,
                "note": milestone.note,
            }
            for key, field_name in MILESTONE_VALUES.items():
                change = self._change(
                    "milestone",
                    milestone.id,
                    milestone.uid,
                    label,
                    MILESTONE_FIELDS[key],
                    field_name,
                    plan_values[key],
                    row,
                    key,
                )
                if change is not None:
                    self._unit([change], suggestion=not owner)
            displayed = {
                "action_ref": milestone.action_ref,
                "title": milestone.title,
                "owner": milestone.owner,
            }
            self._not_applied(label, MILESTONE_FIELDS, displayed, row)

    # ----- proposals ------------------------------------------------------------------

    def proposals(self, returned: ReturnedWorkbook, sender: _Sender) -> None:
        identity = self.preview.identity
        assert identity is not None
        known = _known_proposals(self.session, self.plan_id)
        titles = {
            title.casefold()
            for title in self.session.scalars(
                select(Action.title).where(Action.plan_id == self.plan_id)
            )
        }
        for row in returned.actions:
            if not row.id:
                self._proposal(_proposed_action(self.session, self.plan_id, row), known, titles)
        for row in returned.milestones:
            if not row.id:
                self._proposal(_proposed_milestone(self.session, self.plan_id, row), known, set())
        for proposal in self.preview.proposed:
            if proposal.reason:
                continue
            proposal.values.update(
                {
                    "partner_id": identity.partner_id,
                    "proposed_by": _sender_label(self.session, identity)[:200],
                    "proposed_on": identity.returned_at.date(),
                    "state": ProposalState.PENDING.value,
                }
            )

    def _proposal(
        self,
        proposal: ProposedRecord,
        known: set[tuple[str, str, tuple[str, str]]],
        titles: set[str],
    ) -> None:
        identity = self.preview.identity
        assert identity is not None
        title = str(proposal.values.get("title", ""))
        if not proposal.reason:
            key = (proposal.kind, title.casefold(), identity.source)
            if identity.export_id and key in known:
                return  # an earlier copy of this return proposed it already
            known.add(key)
            if title.casefold() in titles:
                proposal.reason = "an action with this title is already in the plan"
        self.preview.proposed.append(proposal)


def _known_proposals(session: Session, plan_id: int) -> set[tuple[str, str, tuple[str, str]]]:
    """(kind, title, source) of every proposal already kept from a merged return."""
    return {
        (kind, title.casefold(), source_of(export_id, recipient, returned_by))
        for kind, title, export_id, recipient, returned_by in session.execute(
            select(
                Proposal.kind,
                Proposal.title,
                MergedReturn.export_id,
                MergedReturn.recipient,
                MergedReturn.returned_by,
            )
            .join(MergedReturn, MergedReturn.id == Proposal.return_id)
            .where(Proposal.plan_id == plan_id)
        )
    }


def _others(action: Any) -> str:
    return "; ".join(
        f"{name} ({RaciRole(role).label})" if role in RaciRole._value2member_map_ else name
        for name, role in action.other_people
    )


def _proposed_action(session: Session, plan_id: int, row: ReturnedRow) -> ProposedRecord:
    values = row.values
    title = str(values.get("title") or "").strip()
    theme_text = str(values.get("theme") or "").strip()
    number = theme_text.split(".", 1)[0].strip()
    theme_number = None
    if number.isdigit():
        found = session.scalar(
            select(Theme.number).where(Theme.plan_id == plan_id, Theme.number == int(number))
        )
        theme_number = int(found) if found is not None else None
    lead = str(values.get("lead") or "").strip()
    details = {
        "sheet": row.sheet,
        "row": row.row,
        "theme": theme_text,
        "theme_number": theme_number,
        "ref": str(values.get("ref") or "").strip(),
        "description": values.get("description") or "",
        "start": as_text(values.get("start")) or None,
        "due": as_text(values.get("due")) or None,
        "status": values.get("status") or Status.NOT_STARTED.value,
        "rag": values.get("rag"),
        "percent": values.get("percent") or 0,
        "partners": str(values.get("partners") or ""),
        "commentary": str(values.get(LATEST_UPDATE) or ""),
    }
    record = _proposal_record(session, plan_id, "action", title, details, lead)
    reason = "it has no action title" if not title else ""
    where = f"theme {theme_number}" if theme_number else "no theme of the plan (choose one)"
    summary = f"New action '{title or '(no title)'}' in {where}" + (
        f", led by {lead}" if lead else ""
    )
    return ProposedRecord("action", row.sheet, row.row, record, summary, reason)


def _proposed_milestone(session: Session, plan_id: int, row: ReturnedRow) -> ProposedRecord:
    values = row.values
    title = str(values.get("title") or "").strip()
    ref = str(values.get("action_ref") or "").strip()
    action_id = (
        session.scalar(select(Action.id).where(Action.plan_id == plan_id, Action.ref == ref))
        if ref
        else None
    )
    owner = str(values.get("owner") or "").strip()
    reason = ""
    if not title:
        reason = "it has no milestone title"
    elif action_id is None:
        reason = f"its Action ref '{ref}' is not an action of the plan"
    elif values.get("due") is None:
        reason = "it has no due date"
    details = {
        "sheet": row.sheet,
        "row": row.row,
        "action_ref": ref,
        "due": as_text(values.get("due")) or None,
        "completed": as_text(values.get("completed")) or None,
        "note": values.get("note") or "",
    }
    record = _proposal_record(session, plan_id, "milestone", title, details, owner)
    summary = f"New milestone '{title or '(no title)'}' for action {ref or '?'}"
    return ProposedRecord("milestone", row.sheet, row.row, record, summary, reason)


def _proposal_record(
    session: Session, plan_id: int, kind: str, title: str, details: dict[str, Any], lead: str
) -> dict[str, Any]:
    """A proposal as it is kept: its row's values, and the lead (or owner) it names,
    matched to one of the plan's people where it can be."""
    return {
        "kind": kind,
        "title": title[:300],
        "details": json.dumps(details),
        "lead_name": lead[:200],
        "lead_person_id": _person_id(session, plan_id, lead),
    }


def _person_id(session: Session, plan_id: int, name: str) -> int | None:
    if not name:
        return None
    found = session.scalar(
        select(Person.id).where(
            Person.plan_id == plan_id, func.lower(Person.name) == name.casefold()
        )
    )
    return int(found) if found is not None else None


def _check_changes(session: Session, plan_id: int, preview: MergePreview) -> None:
    """Set aside changes the plan's rules would refuse (a due date before the start, an
    empty required date), each reported with its record, so the rest can still merge."""
    from planner.commands.records import KINDS, check_record, check_values
    from planner.commands.tables import read_row

    by_record: dict[tuple[str, int], list[FieldChange]] = {}
    for change in preview.changes:
        if change.field != COMMENTARY and not change.waiting_for_pick:
            by_record.setdefault((change.kind, change.record_id), []).append(change)
    refused: set[int] = set()
    for (kind, record_id), changes in by_record.items():
        row = read_row(session, kind, record_id)
        if row is None:
            continue
        try:
            values = check_values(KINDS[kind], {c.field: c.returned_value for c in changes})
            check_record(session, KINDS[kind], plan_id, {**row, **values}, row)
        except PlannerError as error:
            refused.update(id(change.choice) for change in changes)
            preview.problems.append(
                Problem(
                    changes[0].label.split(" ", 1)[0] + "s",
                    0,
                    ", ".join(change.column for change in changes),
                    "",
                    f"{changes[0].label}: {error}",
                )
            )
    if refused:
        preview.changes = [c for c in preview.changes if id(c.choice) not in refused]


def _units(preview: MergePreview) -> list[tuple[UnitChoice, list[FieldChange]]]:
    grouped: dict[int, tuple[UnitChoice, list[FieldChange]]] = {}
    for change in preview.changes:
        grouped.setdefault(id(change.choice), (change.choice, []))[1].append(change)
    return list(grouped.values())


def _claims(changes: list[FieldChange]) -> list[Claim]:
    return [
        Claim(
            change.kind,
            change.record_id,
            change.record_uid,
            change.field,
            change.typed if change.waiting_for_pick else change.returned_value,
        )
        for change in changes
    ]


def _as_unit(choice: UnitChoice, changes: list[FieldChange]) -> Unit:
    """The changes as the merge applies them: taken, left in conflict, or set aside."""
    if choice.take:
        return Unit(_claims(changes), takes_over=choice.rival_conflict, note=choice.note)
    if choice.blocked is None and choice.rival_conflict:
        return Unit(_claims(changes))  # stays in conflict with the other returns
    outcome = choice.blocked or Outcome.DECLINED
    return Unit(_claims(changes), eligible=False, out_outcome=outcome, note=choice.note)


def _mark_rivals(session: Session, plan_id: int, preview: MergePreview) -> None:
    """Name the other returns of the round that sent a different value for a field."""
    identity = preview.identity
    if identity is None or not preview.changes:
        return
    grouped = _units(preview)
    units = [_as_unit(choice, changes) for choice, changes in grouped]
    ids = record_ids(session, plan_id)
    rivals, _replaced = Ledger(session, plan_id, identity).units_beside(units, ids)
    if not rivals:
        return
    every = [*units, *rivals]
    keys = {claim.key for unit in every for claim in unit.valued}
    current = current_values(session, keys)
    resolution = resolve(every, {key: current.get(key, "") for key in keys})
    for number, (choice, changes) in enumerate(grouped):
        unit = units[number]
        if unit.eligible and number not in resolution.applied:
            choice.rival_conflict = True
            choice.take = False
        for change in changes:
            key = (change.kind, change.record_id, change.field)
            for rival in rivals:
                for claim in rival.valued:
                    if claim.key == key and not same_text(
                        claim.text, as_text(change.returned_value)
                    ):
                        change.rivals.append(Rival(rival.sender, rival.returned_at, claim.value))
            if not change.rivals and choice.rival_conflict:
                for rival in rivals:
                    if any(
                        claim.key[:2] == key[:2] and claim.key in resolution.conflicted
                        for claim in rival.valued
                    ):
                        change.rivals.extend(
                            Rival(rival.sender, rival.returned_at, claim.value)
                            for claim in rival.valued
                            if claim.key in resolution.conflicted
                        )


def merge_command(preview: MergePreview) -> Command:
    """One command recording the return and applying what was chosen; proposals are kept
    for review, or added at once where ticked."""
    identity = preview.identity
    assert identity is not None, "a preview of a merged file has nothing to merge"
    if preview.from_name != identity.returned_by or preview.author_id != identity.person_id:
        identity = replace(
            identity,
            returned_by=preview.from_name,
            person_id=preview.author_id if preview.author_id is not None else identity.person_id,
        )
    units = [_as_unit(choice, changes) for choice, changes in _units(preview)]
    proposals = [(p.values, p.take and p.can_add_now) for p in preview.kept_proposals]
    return MergeReturn(
        identity,
        units,
        proposals=proposals,
        warnings="\n".join(preview.warnings),
        title=preview.source.name,
    )


def merged_sentence(preview: MergePreview) -> str:
    """'Merged 4 changes, 1 progress note and 2 proposals for review into' (the plan's
    name follows)."""
    changes = [c for c in preview.chosen if not c.choice.note]
    notes = [c for c in preview.chosen if c.choice.note]
    held = [c for c in preview.changes if not c.take_returned]
    kept = preview.kept_proposals
    accepted = [p for p in kept if p.take and p.can_add_now]
    parts = []
    if changes:
        parts.append(_count(len(changes), "change"))
    if notes:
        parts.append(_count(len(notes), "progress note"))
    if accepted:
        parts.append(_count(len(accepted), "new record") + " added")
    if len(kept) > len(accepted):
        parts.append(_count(len(kept) - len(accepted), "proposal") + " kept for review")
    text = "Merged " + _and(tuple(parts)) if parts else "Recorded the return, changing nothing,"
    if held:
        text += f" ({_count(len(held), 'value')} not applied, recorded with the return)"
    return text + " into"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def preview_lines(preview: MergePreview) -> list[str]:
    """The preview as plain lines, for the command line."""
    lines = [
        f"Returned copy: {preview.source.name}"
        + (f" from {preview.sender}" if preview.sender else "")
    ]
    if preview.already_merged:
        lines.append(preview.already_merged)
        return lines
    if preview.exported_at:
        lines.append(f"Exported: {preview.exported_at:%d/%m/%Y %H:%M}")
    if preview.rule_note:
        lines.append(preview.rule_note)
    lines.append("")
    if preview.is_empty:
        lines.append("No changes to merge: nothing new in this return.")
    for change in preview.changes:
        lines.append(change_line(change))
        note = change_note(change, preview.returned_saved_at)
        if note:
            lines.append(f"    {note}")
    for proposal in preview.proposed:
        if proposal.reason:
            state = f"not kept: {proposal.reason}"
        elif proposal.take and proposal.can_add_now:
            state = "will be added to the plan"
        elif proposal.can_add_now:
            state = "kept for review: File > Review proposals, or --accept-new"
        else:
            state = "kept for review: choose its theme in File > Review proposals"
        lines.append(f"{proposal.sheet} row {proposal.row}: {proposal.summary} ({state})")
    for item in preview.not_applied:
        lines.append(
            f"Not applied: {item.label}, {item.column}: '{item.plan_value}' -> "
            f"'{item.returned_value}' (change this in the plan)"
        )
    for warning in preview.warnings:
        lines.append(f"Check: {warning}")
    for problem in preview.problems:
        lines.append(f"Skipped: {problem}")
    for note in preview.ignored:
        lines.append(f"Ignored: {note}")
    hints = []
    if any(c.choice.blocked == Outcome.SUGGESTED for c in preview.changes):
        hints.append("--take-suggestions applies the suggestions")
    if any(c.in_conflict and c.choice.blocked in (None, Outcome.DECLINED) for c in preview.changes):
        hints.append("--take-returned takes this return's value in each conflict")
    if any(p.can_add_now and not p.take for p in preview.kept_proposals):
        hints.append("--accept-new adds the proposals now")
    if hints:
        lines.append("")
        lines.append("To take more: " + "; ".join(hints) + ".")
    return lines


def change_line(change: FieldChange) -> str:
    """'Action 3.2, RAG: plan Green -> returned Red [apply]'."""
    if change.choice.note:
        state = "add as their note" if change.take_returned else "leave out"
    elif change.take_returned:
        state = "apply"
    elif change.choice.rival_conflict and change.choice.blocked is None:
        state = "conflict: the plan keeps its value until you pick one"
    elif change.choice.blocked == Outcome.SUGGESTED:
        state = "suggestion: not applied unless taken"
    elif change.choice.blocked == Outcome.HELD:
        state = "check: not applied unless confirmed"
    else:
        state = "keep plan"
    mark = "CONFLICT " if change.in_conflict else ""
    return (
        f"{mark}{change.label}, {change.column}: plan {change.describe(change.plan_value)} -> "
        f"returned {change.returned_text()} [{state}]"
    )


def change_note(change: FieldChange, saved_at: datetime | None = None) -> str:
    """What an officer needs to know about one change, in a sentence."""
    parts: list[str] = []
    if change.conflict:
        if change.plan_changed_at is not None:
            who = f" by {change.plan_changed_by}" if change.plan_changed_by else ""
            saved = f"; this copy was saved on {format_uk(saved_at.date())}" if saved_at else ""
            parts.append(
                f"Conflict: changed{who} on {format_uk(change.plan_changed_at.date())} in the "
                f"plan, after this copy was sent{saved}"
            )
        elif change.field == COMMENTARY:
            parts.append(
                "Conflict: a newer progress update was added in the plan since this copy was sent"
            )
        else:
            parts.append("Conflict: changed in the plan since this copy was sent")
    if change.rivals:
        others = "; ".join(
            f"{rival.sender} sent {change.describe(rival.value)}"
            + (f" on {format_uk(rival.returned_at.date())}" if rival.returned_at else "")
            for rival in change.rivals
        )
        if change.choice.rival_conflict:
            parts.append(
                f"Conflict with another return: {others}. Until you pick one, the plan keeps "
                f"{change.describe(change.plan_value)}"
            )
        else:
            parts.append(f"Also returned: {others}")
    if change.choice.note:
        parts.append("Kept as a progress note from a body that does not lead this action")
    elif change.suggestion:
        owned = "own this measure" if change.kind == "measure_value" else "lead this action"
        parts.append(f"Suggested by a body that does not {owned}: applied only if taken")
    if change.doubt:
        parts.append(f"Check this date: {change.doubt}")
    if change.waiting_for_pick:
        parts.append("The cell names more than one value: pick one to apply it")
    if change.together:
        parts.append(f"Applied or held together with the {_and(change.together)} on its row")
    elif not parts and change.field == COMMENTARY:
        parts.append("Added as a new progress update, with the values on its row")
    return ". ".join(parts)


def _and(words: tuple[str, ...]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
