"""Merging returned copies: what each return sent, kept in the plan, and a plan that is
the same whatever order the returns of a round are merged in.

Each value a return sends for a field is a claim. Claims travel in units: an action's
status, RAG, % complete and the commentary on the same row form one unit, applied or
held together; a date, or a field of a milestone, is a unit of its own. A return
exported before another was merged did not see it, so their claims on a field are
concurrent: when they differ, the field is in conflict, every unit claiming it is held,
and the field keeps the plan's own value until an officer picks one. At each merge the
plan is worked out afresh from every claim still in play, so the order of merging does
not matter, and the commands written are exact, undoable row changes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.commands.base import Command, Context
from planner.commands.changes import RowChange
from planner.commands.edits import CreateRecord, DeleteRecord, EditRecord
from planner.commands.records import KINDS
from planner.commands.tables import read_row, table

PROGRESS_FIELDS = ("status", "rag", "percent")
COMMENTARY = "commentary"
MEASURE_FIELDS = ("actual", "commentary", "data_quality")  # a measure's period, returned

FieldKey = tuple[str, int, str]  # (entity, record id, field)
T = TypeVar("T")


class Outcome(StrEnum):
    APPLIED = "applied"  # in the plan
    CONFLICT = "conflict"  # held: a concurrent return sent another value
    DECLINED = "declined"  # the officer kept the plan's value
    SUGGESTED = "suggested"  # from a body that does not own the field, not taken
    HELD = "held"  # waits for the officer's check (a doubtful date, two ratings in a cell)
    NOTE = "note"  # commentary from a body that does not own the action: kept as its note
    SUPERSEDED = "superseded"  # a later copy of the same export sent another value


IN_PLAY = (Outcome.APPLIED.value, Outcome.CONFLICT.value)


def as_text(value: Any) -> str:
    """A value as the journal and the returns ledger keep it ('' for none)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def spaced(text: str) -> str:
    """Text as compared: runs of spaces and line breaks count as one space."""
    return " ".join(text.split())


def same_text(left: str, right: str) -> bool:
    return spaced(left) == spaced(right)


def in_slices(values: Sequence[T], size: int = 900) -> Iterator[Sequence[T]]:
    """`values` a slice at a time, each short enough for one SQL IN (...) list."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def typed(entity: str, field_name: str, text: str | None) -> Any:
    """A value from its ledger text, typed as the record's field is."""
    spec = KINDS[entity].fields.get(field_name)
    kind = spec.value_type if spec is not None else "text"
    if kind == "date":
        return date.fromisoformat(text[:10]) if text else None
    if kind in ("int", "ref", "money"):
        return int(text) if text else None
    if kind == "number":
        return float(text) if text else None
    if kind == "choice" or field_name == "rag":
        return text or None
    return text or ""


@dataclass(frozen=True)
class ReturnIdentity:
    """Which export a returned copy answers, who sent it back, and when."""

    export_id: str
    round_uid: str
    fingerprint: str
    file_name: str
    recipient: str
    partner_id: int | None
    person_id: int | None
    returned_by: str
    exported_at: datetime | None
    returned_at: datetime

    @property
    def author_name(self) -> str:
        return self.returned_by or self.recipient

    @property
    def source(self) -> tuple[str, str]:
        """Copies of one export from one source are versions of one return: an export
        sent to a recipient is theirs; an unaddressed one is told apart by who returned it."""
        return source_of(self.export_id, self.recipient, self.returned_by)


def source_of(export_id: str, recipient: str, returned_by: str) -> tuple[str, str]:
    if not export_id:
        return ("", "")
    return (export_id, recipient.casefold() if recipient else returned_by.casefold())


@dataclass(frozen=True)
class Claim:
    entity: str  # "action" or "milestone"
    record_id: int
    record_uid: str
    field: str
    value: Any

    @property
    def key(self) -> FieldKey:
        return (self.entity, self.record_id, self.field)

    @property
    def text(self) -> str:
        return as_text(self.value)


@dataclass
class Unit:
    """Claims applied or held together; from the return being merged or one merged before."""

    claims: list[Claim]
    eligible: bool = True  # counts towards the plan and towards conflicts
    out_outcome: Outcome = Outcome.DECLINED  # what it is recorded as when not eligible
    note: bool = False  # a commentary from a body that does not own the action
    takes_over: bool = False  # the officer chose it over concurrent returns' values
    # for units of returns merged before
    return_id: int | None = None
    stored: dict[str, int] = field(default_factory=dict)  # field -> returned_value id
    made_uid: str = ""
    merged_at: datetime | None = None
    sender: str = ""
    returned_at: datetime | None = None
    partner_id: int | None = None
    person_id: int | None = None
    returned_by: str = ""

    @property
    def commentary(self) -> str | None:
        for claim in self.claims:
            if is_update(claim.entity, claim.field):
                return str(claim.value)
        return None

    @property
    def valued(self) -> list[Claim]:
        """The claims that set a field (an action's commentary adds an update instead)."""
        return [claim for claim in self.claims if not is_update(claim.entity, claim.field)]

    @property
    def action_id(self) -> int | None:
        first = self.claims[0]
        return first.record_id if first.entity == "action" else None


@dataclass(frozen=True)
class Resolution:
    applied: frozenset[int]  # indexes of the units applied
    conflicted: frozenset[FieldKey]
    targets: dict[FieldKey, str]  # each field's value once merged, as ledger text


def in_bundle(entity: str, field_name: str) -> bool:
    """Whether a field travels in a row's unit: an action's status, RAG, % and
    commentary, or a measure's actual, commentary and data quality for a period."""
    if entity == "measure_value":
        return field_name in MEASURE_FIELDS
    return entity == "action" and field_name in (*PROGRESS_FIELDS, COMMENTARY)


def is_update(entity: str, field_name: str) -> bool:
    """Whether a returned value becomes a progress update rather than a field's value."""
    return entity == "action" and field_name == COMMENTARY


def resolve(units: list[Unit], bases: dict[FieldKey, str]) -> Resolution:
    """Which units are applied and what each field becomes: a function of the units alone,
    whatever order they came in."""
    values: dict[FieldKey, set[str]] = defaultdict(set)
    for unit in units:
        if unit.eligible:
            for claim in unit.valued:
                values[claim.key].add(spaced(claim.text))
    conflicted = frozenset(key for key, found in values.items() if len(found) > 1)
    applied = frozenset(
        number
        for number, unit in enumerate(units)
        if unit.eligible and not any(claim.key in conflicted for claim in unit.valued)
    )
    targets = {key: bases[key] for key in values}
    for number in sorted(applied):
        for claim in units[number].valued:
            targets[claim.key] = claim.text
    return Resolution(applied, conflicted, targets)


# ----- the ledger: returns merged before ---------------------------------------------------


@dataclass(frozen=True)
class _StoredClaim:
    row_id: int
    return_id: int
    export_id: str
    merged_at: datetime
    returned_at: datetime | None
    sender: str
    recipient: str
    partner_id: int | None
    person_id: int | None
    returned_by: str
    entity: str
    record_uid: str
    field: str
    value: str
    previous: str
    outcome: str
    made_uid: str


def _sender(recipient: str, returned_by: str) -> str:
    if returned_by and recipient and returned_by.casefold() != recipient.casefold():
        return f"{recipient} ({returned_by})"
    return recipient or returned_by or "an unnamed sender"


class Ledger:
    """The claims of returns merged before that bear on the return being merged."""

    def __init__(self, session: Session, plan_id: int, identity: ReturnIdentity) -> None:
        self.session = session
        self.plan_id = plan_id
        self.identity = identity

    def _stored(self, uids: Iterable[str]) -> list[_StoredClaim]:
        values, returns = table("returned_value"), table("merged_return")
        wanted = sorted(set(uids))
        found: list[_StoredClaim] = []
        for chunk in in_slices(wanted):
            rows = self.session.execute(
                select(
                    values.c.id,
                    values.c.return_id,
                    returns.c.export_id,
                    returns.c.merged_at,
                    returns.c.returned_at,
                    returns.c.recipient,
                    returns.c.partner_id,
                    returns.c.person_id,
                    returns.c.returned_by,
                    values.c.entity,
                    values.c.record_uid,
                    values.c.field,
                    values.c.value,
                    values.c.previous,
                    values.c.outcome,
                    values.c.made_uid,
                )
                .join(returns, returns.c.id == values.c.return_id)
                .where(
                    returns.c.plan_id == self.plan_id,
                    values.c.record_uid.in_(chunk),
                    values.c.outcome.in_((*IN_PLAY, Outcome.NOTE.value)),
                )
                .order_by(returns.c.merged_at, returns.c.id, values.c.id)
            )
            for row in rows:
                found.append(
                    _StoredClaim(
                        row.id,
                        row.return_id,
                        row.export_id,
                        row.merged_at,
                        row.returned_at,
                        _sender(row.recipient, row.returned_by),
                        row.recipient,
                        row.partner_id,
                        row.person_id,
                        row.returned_by,
                        row.entity,
                        row.record_uid,
                        row.field,
                        row.value or "",
                        row.previous or "",
                        row.outcome,
                        row.made_uid or "",
                    )
                )
        return found

    def _own_changes(self, keys: Iterable[FieldKey]) -> dict[FieldKey, datetime]:
        """When each field was last changed in the plan itself (not by a merged return)."""
        journal = table("journal")
        by_entity: dict[str, set[int]] = defaultdict(set)
        wanted = set(keys)
        for entity, record_id, _field in wanted:
            by_entity[entity].add(record_id)
        latest: dict[FieldKey, datetime] = {}
        for entity, ids in by_entity.items():
            ordered = sorted(ids)
            for chunk in in_slices(ordered):
                rows = self.session.execute(
                    select(journal.c.entity_id, journal.c.field, func.max(journal.c.at))
                    .where(
                        journal.c.plan_id == self.plan_id,
                        journal.c.entity == entity,
                        journal.c.entity_id.in_(chunk),
                        journal.c.return_id.is_(None),
                    )
                    .group_by(journal.c.entity_id, journal.c.field)
                )
                for entity_id, field_name, at in rows:
                    key = (entity, int(entity_id), str(field_name))
                    if key in wanted and at is not None:
                        latest[key] = at
        return latest

    def units_beside(
        self, new_units: list[Unit], ids_by_uid: dict[str, tuple[str, int]]
    ) -> tuple[list[Unit], list[_StoredClaim]]:
        """The merged returns' units concurrent with `new_units`, and the earlier claims of
        the same return (an earlier copy from the same source) that the new ones replace."""
        progress_actions = {
            claim.record_uid
            for unit in new_units
            for claim in unit.claims
            if in_bundle(claim.entity, claim.field)
        }
        single_fields = {
            (claim.record_uid, claim.field)
            for unit in new_units
            for claim in unit.claims
            if not in_bundle(claim.entity, claim.field)
        }
        new_fields = {
            (claim.record_uid, claim.field) for unit in new_units for claim in unit.claims
        }
        uids = progress_actions | {uid for uid, _ in single_fields}
        stored = [
            claim
            for claim in self._stored(uids)
            if claim.record_uid in ids_by_uid
            and (
                (claim.record_uid in progress_actions and in_bundle(claim.entity, claim.field))
                or (claim.record_uid, claim.field) in single_fields
            )
        ]
        source = self.identity.source
        same_source = [
            claim
            for claim in stored
            if source[0]
            and source_of(claim.export_id, claim.recipient, claim.returned_by) == source
            and (claim.record_uid, claim.field) in new_fields
        ]
        exported = self.identity.exported_at
        keys = {
            (claim.entity, ids_by_uid[claim.record_uid][1], claim.field)
            for claim in stored
            if not is_update(claim.entity, claim.field)
        }
        own = self._own_changes(keys)
        concurrent: list[_StoredClaim] = []
        for claim in stored:
            if claim in same_source:
                continue  # replaced by this later copy of the same return
            earlier_copy = source_of(claim.export_id, claim.recipient, claim.returned_by)
            if earlier_copy != source and (exported is None or claim.merged_at <= exported):
                continue  # the new return's sender saw it: the new value replaces it
            key = (claim.entity, ids_by_uid[claim.record_uid][1], claim.field)
            if key in own and own[key] >= claim.merged_at:
                continue  # the plan has changed the field itself since
            concurrent.append(claim)
        return _group(concurrent, ids_by_uid), same_source


def _group(claims: list[_StoredClaim], ids_by_uid: dict[str, tuple[str, int]]) -> list[Unit]:
    groups: dict[tuple[int, str, str], list[_StoredClaim]] = {}
    for claim in claims:
        progress = in_bundle(claim.entity, claim.field)
        kind = "note" if claim.outcome == Outcome.NOTE.value else "progress"
        key = (claim.return_id, claim.record_uid, kind if progress else claim.field)
        groups.setdefault(key, []).append(claim)
    units: list[Unit] = []
    for members in groups.values():
        first = members[0]
        _entity, record_id = ids_by_uid[first.record_uid]
        units.append(
            Unit(
                [
                    Claim(
                        member.entity,
                        record_id,
                        member.record_uid,
                        member.field,
                        typed(member.entity, member.field, member.value)
                        if not is_update(member.entity, member.field)
                        else member.value,
                    )
                    for member in members
                ],
                note=first.outcome == Outcome.NOTE.value,
                return_id=first.return_id,
                stored={member.field: member.row_id for member in members},
                made_uid=next((m.made_uid for m in members if m.field == COMMENTARY), ""),
                merged_at=first.merged_at,
                sender=first.sender,
                returned_at=first.returned_at,
                partner_id=first.partner_id,
                person_id=first.person_id,
                returned_by=first.returned_by,
            )
        )
    return units


def record_ids(session: Session, plan_id: int) -> dict[str, tuple[str, int]]:
    """Every action's, milestone's, measure period's and benefit year's uid -> (kind, id)."""
    actions, milestones = table("action"), table("milestone")
    found: dict[str, tuple[str, int]] = {
        uid: ("action", row_id)
        for uid, row_id in session.execute(
            select(actions.c.uid, actions.c.id).where(actions.c.plan_id == plan_id)
        )
    }
    for uid, row_id in session.execute(
        select(milestones.c.uid, milestones.c.id)
        .join(actions, actions.c.id == milestones.c.action_id)
        .where(actions.c.plan_id == plan_id)
    ):
        found[uid] = ("milestone", row_id)
    measures, measure_values = table("measure"), table("measure_value")
    for uid, row_id in session.execute(
        select(measure_values.c.uid, measure_values.c.id)
        .join(measures, measures.c.id == measure_values.c.measure_id)
        .where(measures.c.plan_id == plan_id)
    ):
        found[uid] = ("measure_value", row_id)
    benefits, benefit_values = table("benefit"), table("benefit_value")
    for uid, row_id in session.execute(
        select(benefit_values.c.uid, benefit_values.c.id)
        .join(benefits, benefits.c.id == benefit_values.c.benefit_id)
        .join(actions, actions.c.id == benefits.c.action_id)
        .where(actions.c.plan_id == plan_id)
    ):
        found[uid] = ("benefit_value", row_id)
    return found


def current_values(session: Session, keys: Iterable[FieldKey]) -> dict[FieldKey, str]:
    by_record: dict[tuple[str, int], set[str]] = defaultdict(set)
    for entity, record_id, field_name in keys:
        by_record[(entity, record_id)].add(field_name)
    found: dict[FieldKey, str] = {}
    for (entity, record_id), fields in by_record.items():
        row = read_row(session, entity, record_id) or {}
        for field_name in fields:
            found[(entity, record_id, field_name)] = as_text(row.get(field_name))
    return found


# ----- the merge ------------------------------------------------------------------------


@dataclass
class MergeReturn(Command):
    """Record a returned copy and what it sent, and bring the plan to what every claim
    in play resolves to."""

    identity: ReturnIdentity
    units: list[Unit]
    # each proposal's record, and whether to add it to the plan at once
    proposals: list[tuple[dict[str, Any], bool]] = field(default_factory=list)
    warnings: str = ""
    title: str = ""

    def __post_init__(self) -> None:
        self.description = f"Merge {self.title or self.identity.file_name}"
        self.return_id = None

    def apply(self, session: Session, context: Context) -> list[RowChange]:
        identity = self.identity
        changes = CreateRecord(
            "merged_return",
            {
                "export_id": identity.export_id,
                "round_uid": identity.round_uid,
                "fingerprint": identity.fingerprint,
                "file_name": identity.file_name[:300],
                "recipient": identity.recipient[:200],
                "partner_id": identity.partner_id,
                "person_id": identity.person_id,
                "returned_by": identity.returned_by[:200],
                "exported_at": identity.exported_at,
                "returned_at": identity.returned_at,
                "merged_at": datetime.now(),
                "merged_by": context.who[:200],
                "warnings": self.warnings,
            },
        ).apply(session, context)
        return_id = changes[0].row_id
        self.return_id = return_id
        ids = record_ids(session, context.plan_id)
        live = [unit for unit in self.units if all(c.record_uid in ids for c in unit.claims)]
        ledger = Ledger(session, context.plan_id, identity)
        rivals, replaced = ledger.units_beside(live, ids)
        for claim in replaced:
            changes.extend(
                EditRecord(
                    "returned_value", claim.row_id, {"outcome": Outcome.SUPERSEDED.value}
                ).apply(session, context)
            )
            if claim.field == COMMENTARY and claim.made_uid:
                changes.extend(_delete_update(session, context, claim.made_uid))
        self._take_over(live, rivals)
        every = [*live, *rivals]
        keys = {claim.key for unit in every for claim in unit.valued}
        current = current_values(session, keys)
        bases = _bases(current, rivals, session)
        resolution = resolve(every, bases)
        changes.extend(_write_fields(session, context, resolution, current))
        changes.extend(self._write_updates(session, context, every, resolution))
        changes.extend(self._record(session, context, return_id, live, rivals, resolution, bases))
        changes.extend(self._propose(session, context, return_id))
        return changes

    @staticmethod
    def _take_over(units: list[Unit], rivals: list[Unit]) -> None:
        """Concurrent returns' units that differ from one the officer took are declined."""
        for unit in units:
            if not (unit.eligible and unit.takes_over):
                continue
            mine = {claim.key: spaced(claim.text) for claim in unit.valued}
            for rival in rivals:
                if any(
                    claim.key in mine and spaced(claim.text) != mine[claim.key]
                    for claim in rival.valued
                ):
                    rival.eligible = False
                    rival.out_outcome = Outcome.DECLINED

    def _write_updates(
        self, session: Session, context: Context, units: list[Unit], resolution: Resolution
    ) -> list[RowChange]:
        """An applied unit's commentary is a progress update; a held one's is not."""
        changes: list[RowChange] = []
        for number, unit in enumerate(units):
            text = unit.commentary
            if text is None:
                continue
            wanted = number in resolution.applied
            exists = bool(unit.made_uid) and _update_id(session, unit.made_uid) is not None
            if wanted and not exists:
                created = _add_update(session, context, unit, self.identity)
                unit.made_uid = str((created.after or {}).get("uid", ""))
                changes.append(created)
            elif not wanted and exists:
                changes.extend(_delete_update(session, context, unit.made_uid))
                unit.made_uid = ""
            elif wanted and exists:
                changes.extend(_refresh_update(session, context, unit))
        return changes

    def _record(
        self,
        session: Session,
        context: Context,
        return_id: int,
        units: list[Unit],
        rivals: list[Unit],
        resolution: Resolution,
        bases: dict[FieldKey, str],
    ) -> list[RowChange]:
        changes: list[RowChange] = []
        count = len(units)
        for number, unit in enumerate(units):
            outcome = _outcome(unit, number in resolution.applied)
            for claim in unit.claims:
                changes.extend(
                    CreateRecord(
                        "returned_value",
                        {
                            "return_id": return_id,
                            "entity": claim.entity,
                            "record_uid": claim.record_uid,
                            "field": claim.field,
                            "value": claim.text,
                            "previous": bases.get(claim.key, ""),
                            "outcome": outcome.value,
                            "made_uid": unit.made_uid if claim.field == COMMENTARY else "",
                        },
                    ).apply(session, context)
                )
        for number, unit in enumerate(rivals, start=count):
            outcome = _outcome(unit, number in resolution.applied)
            for field_name, row_id in unit.stored.items():
                values: dict[str, Any] = {"outcome": outcome.value}
                if field_name == COMMENTARY:
                    values["made_uid"] = unit.made_uid
                changes.extend(EditRecord("returned_value", row_id, values).apply(session, context))
        return changes

    def _propose(self, session: Session, context: Context, return_id: int) -> list[RowChange]:
        from planner.commands.proposals import AcceptProposal

        changes: list[RowChange] = []
        for values, accept in self.proposals:
            created = CreateRecord("proposal", {**values, "return_id": return_id}).apply(
                session, context
            )
            changes.extend(created)
            if accept:
                changes.extend(AcceptProposal(created[0].row_id).apply(session, context))
        return changes


def _outcome(unit: Unit, applied: bool) -> Outcome:
    if not unit.eligible:
        return unit.out_outcome
    if unit.note:
        return Outcome.NOTE
    return Outcome.APPLIED if applied else Outcome.CONFLICT


def _bases(
    current: dict[FieldKey, str], rivals: list[Unit], session: Session
) -> dict[FieldKey, str]:
    """Each field's own value: what the earliest concurrent return found before it was
    applied (every return of a round records the same), else the plan's value now."""
    values = table("returned_value")
    ids = [row_id for unit in rivals for row_id in unit.stored.values()]
    previous: dict[int, str] = {}
    for chunk in in_slices(ids):
        for row_id, text in session.execute(
            select(values.c.id, values.c.previous).where(values.c.id.in_(chunk))
        ):
            previous[int(row_id)] = text or ""
    bases = dict(current)
    settled: set[FieldKey] = set()
    for unit in sorted(rivals, key=lambda u: (u.merged_at or datetime.min, u.return_id or 0)):
        for claim in unit.valued:
            row_id = unit.stored.get(claim.field)
            if claim.key in settled or row_id is None or row_id not in previous:
                continue
            bases[claim.key] = previous[row_id]
            settled.add(claim.key)
    return bases


def _write_fields(
    session: Session, context: Context, resolution: Resolution, current: dict[FieldKey, str]
) -> list[RowChange]:
    by_record: dict[tuple[str, int], dict[str, Any]] = defaultdict(dict)
    for key, target in sorted(resolution.targets.items()):
        if not same_text(target, current.get(key, "")):
            entity, record_id, field_name = key
            by_record[(entity, record_id)][field_name] = typed(entity, field_name, target)
    changes: list[RowChange] = []
    for (entity, record_id), values in by_record.items():
        changes.extend(EditRecord(entity, record_id, values).apply(session, context))
    return changes


def _update_id(session: Session, uid: str) -> int | None:
    updates = table("progress_update")
    found = session.scalar(select(updates.c.id).where(updates.c.uid == uid))
    return int(found) if found is not None else None


def _delete_update(session: Session, context: Context, uid: str) -> list[RowChange]:
    update_id = _update_id(session, uid)
    if update_id is None:
        return []
    return DeleteRecord("progress_update", update_id).apply(session, context)


def _snapshot(session: Session, unit: Unit) -> dict[str, Any]:
    """The update's status, RAG and %: what the unit sent, else the action as it now is."""
    action_id = unit.action_id
    assert action_id is not None
    action = read_row(session, "action", action_id) or {}
    values = {name: action.get(name) for name in PROGRESS_FIELDS}
    if not unit.note:
        for claim in unit.valued:
            if claim.field in PROGRESS_FIELDS:
                values[claim.field] = claim.value
    return values


def _add_update(
    session: Session, context: Context, unit: Unit, identity: ReturnIdentity
) -> RowChange:
    action_id = unit.action_id
    assert action_id is not None
    if unit.return_id is None:
        returned_at, partner_id, person_id = (
            identity.returned_at,
            identity.partner_id,
            identity.person_id,
        )
        author = identity.author_name
    else:
        returned_at = unit.returned_at or unit.merged_at or datetime.now()
        partner_id, person_id = unit.partner_id, unit.person_id
        author = unit.returned_by or unit.sender
    values = {
        "action_id": action_id,
        "as_at": returned_at.date(),
        "commentary": unit.commentary or "",
        "author_id": person_id,
        "author_name": "" if person_id is not None else author[:200],
        "partner_id": partner_id,
        **_snapshot(session, unit),
    }
    created = CreateRecord("progress_update", values).apply(session, context)
    return created[0]


def _refresh_update(session: Session, context: Context, unit: Unit) -> list[RowChange]:
    update_id = _update_id(session, unit.made_uid)
    if update_id is None:
        return []
    return EditRecord("progress_update", update_id, _snapshot(session, unit)).apply(
        session, context
    )
