"""Create, edit, delete and move any record; re-baseline; record progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.commands.base import Command, Context
from planner.commands.changes import RowChange, delete_row, insert_row, require_row, update_row
from planner.commands.records import KINDS, Kind, check_record, check_values, record_plan_id
from planner.commands.tables import read_row, table
from planner.domain import Status
from planner.errors import NotFoundError, ValidationError
from planner.store.models import new_uid


def _kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValidationError("kind", f"'{name}' is not a kind of record in a plan.") from None


def _require_in_plan(session: Session, kind: Kind, row_id: int, plan_id: int) -> dict[str, Any]:
    row = require_row(session, kind.name, row_id, kind.label)
    if record_plan_id(session, kind, row) != plan_id:
        raise NotFoundError(f"The {kind.label} you are changing is not in this plan.")
    return row


class CreateRecord(Command):
    def __init__(self, kind: str, values: dict[str, Any]) -> None:
        self.kind = _kind(kind)
        self.values = values
        self.description = f"Add {self.kind.label}"

    def apply(self, session: Session, context: Context) -> list[RowChange]:
        if self.kind.name == "plan":
            raise ValidationError("kind", "A plan file holds one plan; create a new file instead.")
        values = check_values(self.kind, self.values)
        row: dict[str, Any] = {**_defaults(self.kind), **values}
        if self.kind.parent and self.kind.parent[0] == "plan_id":
            row["plan_id"] = context.plan_id
        if "uid" in table(self.kind.name).c:
            row["uid"] = new_uid()
        plan_id = record_plan_id(session, self.kind, row)
        if plan_id != context.plan_id:
            parent_kind = KINDS[self.kind.parent[1]] if self.kind.parent else self.kind
            raise ValidationError(
                self.kind.parent[0] if self.kind.parent else "id",
                f"That {parent_kind.label} does not exist in this plan.",
            )
        if (
            self.kind.name == "action"
            and "position" not in self.values
            and row.get("theme_id") is not None
        ):
            row["position"] = _next_position(session, row["theme_id"])
        check_record(session, self.kind, context.plan_id, row, None)
        change = insert_row(session, self.kind.name, row)
        self.description = f"Add {self.kind.describe(dict(change.after or {}))}"
        return [change]


def _in_sentence(label: str) -> str:
    """'Due' -> 'due' but 'RAG' stays 'RAG'."""
    first = label.split()[0]
    return label if first.isupper() and len(first) > 1 else label[0].lower() + label[1:]


def _defaults(kind: Kind) -> dict[str, Any]:
    defaults: dict[str, Any] = {}
    for name, spec in kind.fields.items():
        if spec.value_type == "text" and name != "rag":
            defaults[name] = ""
        elif name == "percent":
            defaults[name] = 0
        elif name == "status":
            defaults[name] = Status.NOT_STARTED.value
    return defaults


def _next_position(session: Session, theme_id: int) -> int:
    tbl = table("action")
    positions = session.scalars(select(tbl.c.position).where(tbl.c.theme_id == theme_id)).all()
    return max(positions, default=-1) + 1


class EditRecord(Command):
    def __init__(self, kind: str, record_id: int, values: dict[str, Any]) -> None:
        self.kind = _kind(kind)
        self.record_id = record_id
        self.values = values
        self.description = f"Edit {self.kind.label}"

    def apply(self, session: Session, context: Context) -> list[RowChange]:
        before = _require_in_plan(session, self.kind, self.record_id, context.plan_id)
        values = check_values(self.kind, self.values)
        for parent_field in ("plan_id", "action_id"):
            if parent_field in values and values[parent_field] != before.get(parent_field):
                if self.kind.name in ("milestone", "progress_update"):
                    continue
                if self.kind.parent is None or self.kind.parent[0] != parent_field:
                    continue  # a link to an action, as a measure has, not where it belongs
                raise ValidationError(parent_field, "Use Move to change where a record belongs.")
        row = {**before, **values}
        moved = self.kind.parent is not None and self.kind.parent[0] in values
        if moved and record_plan_id(session, self.kind, row) != context.plan_id:
            raise ValidationError(
                self.kind.parent[0] if self.kind.parent else "id",
                "That record does not exist in this plan.",
            )
        check_record(session, self.kind, context.plan_id, row, before)
        labels = [
            _in_sentence(self.kind.fields[name].label)
            for name in values
            if row[name] != before[name]
        ]
        what = {"action": before.get("ref"), "plan": "the plan"}.get(
            self.kind.name, self.kind.describe(before)
        )
        self.description = f"Change {', '.join(labels) or 'nothing'} of {what}"
        change = update_row(session, self.kind.name, self.record_id, values)
        return [change] if change else []


# Records that must go, or lose a link, when a record is deleted: (table, field, effect).
DEPENDENTS: dict[str, list[tuple[str, str, str]]] = {
    "theme": [("action", "theme_id", "delete"), ("outcome_link", "theme_id", "delete")],
    "action": [
        ("action_person", "action_id", "delete"),
        ("action_partner", "action_id", "delete"),
        ("milestone", "action_id", "delete"),
        ("progress_update", "action_id", "delete"),
        ("baseline_change", "action_id", "delete"),
        ("outcome_link", "action_id", "delete"),
        ("measure", "action_id", "clear"),
        ("benefit", "action_id", "delete"),
        ("budget_line", "action_id", "delete"),
        ("funding", "action_id", "delete"),
    ],
    "milestone": [("baseline_change", "milestone_id", "delete")],
    "outcome": [
        ("outcome_link", "outcome_id", "delete"),
        ("measure", "outcome_id", "clear"),
    ],
    "measure": [("measure_value", "measure_id", "delete")],
    "benefit": [("benefit_value", "benefit_id", "delete")],
    "person": [
        ("action_person", "person_id", "delete"),
        ("milestone", "owner_id", "clear"),
        ("progress_update", "author_id", "clear"),
        ("round_recipient", "person_id", "clear"),
        ("merged_return", "person_id", "clear"),
        ("proposal", "lead_person_id", "clear"),
        ("measure", "owner_id", "clear"),
        ("benefit_value", "validated_by_id", "clear"),
    ],
    "partner": [
        ("partner_contact", "partner_id", "delete"),
        ("action_partner", "partner_id", "delete"),
        ("person", "organisation_id", "clear"),
        ("round_recipient", "partner_id", "clear"),
        ("progress_update", "partner_id", "clear"),
        ("merged_return", "partner_id", "clear"),
        ("proposal", "partner_id", "clear"),
        ("measure", "source_id", "clear"),
        ("benefit", "partner_id", "clear"),
        ("funding", "partner_id", "delete"),
    ],
    "update_round": [("round_recipient", "round_id", "delete")],
    "merged_return": [
        ("returned_value", "return_id", "delete"),
        ("proposal", "return_id", "clear"),
    ],
}

_EFFECTS = {
    ("action", "delete"): "{n} action(s) in this theme, with their milestones and updates, "
    "will be deleted",
    ("action_person", "delete"): "{n} link(s) between people and actions will be removed",
    ("action_partner", "delete"): "{n} link(s) between partner bodies and actions will be removed",
    ("milestone", "delete"): "{n} milestone(s) will be deleted",
    ("partner_contact", "delete"): "{n} contact(s) will be deleted",
    ("progress_update", "delete"): "{n} progress update(s) will be deleted",
    ("baseline_change", "delete"): "{n} baseline change record(s) will be deleted",
    ("milestone", "clear"): "{n} milestone(s) will have no owner",
    ("progress_update", "clear"): "{n} progress update(s) will have no author",
    ("person", "clear"): "{n} person(s) will have no organisation",
    ("round_recipient", "clear"): "{n} update round recipient(s) will keep only their name",
    ("round_recipient", "delete"): "{n} round recipient(s) will be removed",
    ("merged_return", "clear"): "{n} merged return(s) will keep only the name",
    ("proposal", "clear"): "{n} proposal(s) will keep only the name",
    ("returned_value", "delete"): "{n} returned value(s) will be forgotten",
    ("outcome_link", "delete"): "{n} link(s) to outcomes will be removed",
    ("measure", "clear"): "{n} measure(s) will lose a link",
    ("benefit", "clear"): "{n} benefit(s) will lose a link",
    ("benefit_value", "clear"): "{n} benefit figure(s) will lose a link",
    ("measure_value", "delete"): "{n} target(s) and actual(s) will be deleted",
    ("benefit", "delete"): "{n} benefit(s), with their figures, will be deleted",
    ("benefit_value", "delete"): "{n} year(s) of planned and realised figures will be deleted",
    ("budget_line", "delete"): "{n} year(s) of budget will be deleted",
    ("funding", "delete"): "{n} funding line(s) will be deleted",
}

_FIELD_EFFECTS = {
    ("measure", "action_id", "clear"): "{n} measure(s) will no longer name this action",
    ("measure", "outcome_id", "clear"): "{n} measure(s) will belong to no outcome",
    ("measure", "owner_id", "clear"): "{n} measure(s) will have no owner",
    ("measure", "source_id", "clear"): "{n} measure(s) will have no source",
    ("benefit", "partner_id", "clear"): "{n} benefit(s) will name no partner body receiving them",
    ("benefit_value", "validated_by_id", "clear"): "{n} validated figure(s) will name no validator",
    ("progress_update", "partner_id", "clear"): "{n} progress update(s) will no longer name "
    "the body that sent them",
}


def _dependent_ids(session: Session, table_name: str, field: str, parent_id: int) -> list[int]:
    tbl = table(table_name)
    return list(session.scalars(select(tbl.c.id).where(tbl.c[field] == parent_id)))


def deletion_effects(session: Session, kind: str, record_id: int) -> list[str]:
    """What else changes when this record is deleted, in an officer's words."""
    effects: list[str] = []
    for table_name, field, effect in DEPENDENTS.get(kind, []):
        count = len(_dependent_ids(session, table_name, field, record_id))
        if count:
            wording = _FIELD_EFFECTS.get(
                (table_name, field, effect), _EFFECTS[(table_name, effect)]
            )
            effects.append(wording.format(n=count))
    if kind == "rag_definition":
        row = read_row(session, kind, record_id)
        if row is not None:
            used = _rag_in_use(session, row)
            if used:
                effects.append(f"{used} action(s) and update(s) are rated {row['name']}")
    return effects


def _rag_in_use(session: Session, row: dict[str, Any]) -> int:
    actions, updates = table("action"), table("progress_update")
    count = len(
        session.scalars(
            select(actions.c.id).where(
                actions.c.plan_id == row["plan_id"], actions.c.rag == row["code"]
            )
        ).all()
    )
    count += len(
        session.scalars(
            select(updates.c.id)
            .join(actions, actions.c.id == updates.c.action_id)
            .where(actions.c.plan_id == row["plan_id"], updates.c.rag == row["code"])
        ).all()
    )
    return count


def _delete_tree(session: Session, table_name: str, record_id: int) -> list[RowChange]:
    changes: list[RowChange] = []
    for child_table, field, effect in DEPENDENTS.get(table_name, []):
        for child_id in _dependent_ids(session, child_table, field, record_id):
            if effect == "delete":
                changes.extend(_delete_tree(session, child_table, child_id))
            else:
                change = update_row(session, child_table, child_id, {field: None})
                if change:
                    changes.append(change)
    changes.append(delete_row(session, table_name, record_id))
    return changes


class DeleteRecord(Command):
    def __init__(self, kind: str, record_id: int) -> None:
        self.kind = _kind(kind)
        self.record_id = record_id
        self.description = f"Delete {self.kind.label}"

    def apply(self, session: Session, context: Context) -> list[RowChange]:
        if self.kind.name == "plan":
            raise ValidationError("kind", "The plan itself cannot be deleted; delete the file.")
        row = _require_in_plan(session, self.kind, self.record_id, context.plan_id)
        if self.kind.name == "rag_definition" and _rag_in_use(session, row):
            raise ValidationError(
                "code", f"{row['name']} is still used by actions or updates; re-rate them first."
            )
        self.description = f"Delete {self.kind.describe(row)}"
        return _delete_tree(session, self.kind.name, self.record_id)


class MoveAction(Command):
    """Move an action to another place in its theme or to another theme."""

    def __init__(self, action_id: int, theme_id: int, position: int | None = None) -> None:
        self.action_id = action_id
        self.theme_id = theme_id
        self.position = position
        self.description = "Move action"

    def apply(self, session: Session, context: Context) -> list[RowChange]:
        action = _require_in_plan(session, KINDS["action"], self.action_id, context.plan_id)
        _require_in_plan(session, KINDS["theme"], self.theme_id, context.plan_id)
        tbl = table("action")

        def siblings(theme_id: int) -> list[int]:
            query = (
                select(tbl.c.id)
                .where(tbl.c.theme_id == theme_id, tbl.c.id != self.action_id)
                .order_by(tbl.c.position, tbl.c.id)
            )
            return list(session.scalars(query))

        target = siblings(self.theme_id)
        position = len(target) if self.position is None else max(0, min(self.position, len(target)))
        target.insert(position, self.action_id)
        changes: list[RowChange] = []
        if action["theme_id"] != self.theme_id:
            for index, other in enumerate(siblings(action["theme_id"])):
                change = update_row(session, "action", other, {"position": index})
                changes.extend([change] if change else [])
        for index, other in enumerate(target):
            values: dict[str, Any] = {"position": index}
            if other == self.action_id:
                values["theme_id"] = self.theme_id
            change = update_row(session, "action", other, values)
            changes.extend([change] if change else [])
        self.description = f"Move action {action['ref']}"
        return changes


class MoveTheme(Command):
    """Give a theme a new number, shifting the themes in between."""

    def __init__(self, theme_id: int, number: int) -> None:
        self.theme_id = theme_id
        self.number = number
        self.description = "Move theme"

    def apply(self, session: Session, context: Context) -> list[RowChange]:
        theme = _require_in_plan(session, KINDS["theme"], self.theme_id, context.plan_id)
        if self.number < 1:
            raise ValidationError("number", "A theme number must be 1 or more.")
        tbl = table("theme")
        ordered = list(
            session.scalars(
                select(tbl.c.id)
                .where(tbl.c.plan_id == context.plan_id, tbl.c.id != self.theme_id)
                .order_by(tbl.c.number)
            )
        )
        index = min(self.number - 1, len(ordered))
        ordered.insert(index, self.theme_id)
        changes: list[RowChange] = []
        # Park every theme on a negative number first so numbers never collide.
        for theme_id in ordered:
            current = read_row(session, "theme", theme_id)
            assert current is not None
            change = update_row(session, "theme", theme_id, {"number": -current["number"]})
            changes.extend([change] if change else [])
        for number, theme_id in enumerate(ordered, start=1):
            change = update_row(session, "theme", theme_id, {"number": number})
            changes.extend([change] if change else [])
        self.description = f"Move theme '{theme['title']}'"
        return changes


@dataclass
class Rebaseline(Command):
    """Agree a new baseline date for an action or milestone, keeping the old one and why."""

    kind: str  # "action" or "milestone"
    record_id: int
    new_due: date
    reason: str
    approved_by: str
    decision_ref: str = ""
    decided_on: date | None = None
    move_due: bool = True

    def __post_init__(self) -> None:
        self.description = "Re-baseline"

    def apply(self, session: Session, context: Context) -> list[RowChange]:
        if self.kind not in ("action", "milestone"):
            raise ValidationError("kind", "Only actions and milestones have baselines.")
        kind = KINDS[self.kind]
        row = _require_in_plan(session, kind, self.record_id, context.plan_id)
        if not isinstance(self.new_due, date):
            raise ValidationError("new_due", "The new baseline date is not a date.")
        if not self.reason.strip():
            raise ValidationError("reason", "Say why the baseline is changing.")
        if not self.approved_by.strip():
            raise ValidationError("approved_by", "Say who approved the new baseline.")
        values: dict[str, Any] = {"baseline_due": self.new_due}
        if self.move_due:
            values["due"] = self.new_due
        check_record(session, kind, context.plan_id, {**row, **values}, row)
        record = {
            "action_id": self.record_id if self.kind == "action" else None,
            "milestone_id": self.record_id if self.kind == "milestone" else None,
            "old_due": row["baseline_due"] or row["due"],
            "new_due": self.new_due,
            "reason": self.reason.strip(),
            "approved_by": self.approved_by.strip(),
            "decision_ref": self.decision_ref.strip(),
            "decided_on": self.decided_on,
        }
        changes = [insert_row(session, "baseline_change", record)]
        change = update_row(session, self.kind, self.record_id, values)
        changes.extend([change] if change else [])
        self.description = f"Re-baseline {kind.describe(row)}"
        return changes


class AddProgressUpdate(Command):
    """Record a progress update; the newest one sets the action's status, RAG and %."""

    def __init__(self, action_id: int, values: dict[str, Any]) -> None:
        self.action_id = action_id
        self.values = values
        self.description = "Add progress update"

    def apply(self, session: Session, context: Context) -> list[RowChange]:
        action = _require_in_plan(session, KINDS["action"], self.action_id, context.plan_id)
        values = {**self.values, "action_id": self.action_id}
        values.setdefault("status", action["status"])
        values.setdefault("rag", action["rag"])
        values.setdefault("percent", action["percent"])
        changes = CreateRecord("progress_update", values).apply(session, context)
        tbl = table("progress_update")
        newest = session.execute(
            select(tbl.c.id)
            .where(tbl.c.action_id == self.action_id)
            .order_by(tbl.c.as_at.desc(), tbl.c.id.desc())
            .limit(1)
        ).scalar()
        created = changes[0].after
        assert created is not None
        if newest == created["id"]:
            change = update_row(
                session,
                "action",
                self.action_id,
                {key: created[key] for key in ("status", "rag", "percent")},
            )
            changes.extend([change] if change else [])
        self.description = f"Add progress update to action {action['ref']}"
        return changes


class SetLeadOfficer(Command):
    """Make a person the action's lead officer (Accountable); None leaves it without one.

    A previous lead officer stays on the action as Responsible."""

    def __init__(self, action_id: int, person_id: int | None) -> None:
        self.action_id = action_id
        self.person_id = person_id
        self.description = "Change lead officer"

    def apply(self, session: Session, context: Context) -> list[RowChange]:
        action = _require_in_plan(session, KINDS["action"], self.action_id, context.plan_id)
        links = table("action_person")
        current = session.execute(
            select(links.c.id, links.c.person_id, links.c.role).where(
                links.c.action_id == self.action_id
            )
        ).all()
        changes: list[RowChange] = []
        for link_id, person_id, role in current:
            if role == "A" and person_id != self.person_id:
                # The previous lead stays on the action, as Responsible.
                changes.extend(
                    EditRecord("action_person", link_id, {"role": "R"}).apply(session, context)
                )
        existing = [link_id for link_id, person_id, _ in current if person_id == self.person_id]
        if self.person_id is not None:
            if existing:
                changes.extend(
                    EditRecord("action_person", existing[0], {"role": "A"}).apply(session, context)
                )
            else:
                changes.extend(
                    CreateRecord(
                        "action_person",
                        {"action_id": self.action_id, "person_id": self.person_id, "role": "A"},
                    ).apply(session, context)
                )
        if self.person_id is None:
            self.description = f"Remove the lead officer of action {action['ref']}"
        else:
            person = read_row(session, "person", self.person_id)
            name = person["name"] if person is not None else "someone"
            self.description = f"Make {name} lead officer of action {action['ref']}"
        return changes


def next_free_ref(session: Session, plan_id: int, theme_id: int) -> str:
    """The next unused ref in a theme: '3.5' after '3.4'."""
    themes, actions = table("theme"), table("action")
    number = session.scalar(select(themes.c.number).where(themes.c.id == theme_id))
    used = set(session.scalars(select(actions.c.ref).where(actions.c.plan_id == plan_id)))
    highest = 0
    for ref in used:
        head, _, tail = ref.partition(".")
        if head == str(number) and tail.isdigit():
            highest = max(highest, int(tail))
    candidate = highest + 1
    while f"{number}.{candidate}" in used:
        candidate += 1
    return f"{number}.{candidate}"
