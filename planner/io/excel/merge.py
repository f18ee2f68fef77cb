"""Merging a returned workbook: compare it with the plan, show what would change, and
turn the chosen changes into one undoable command.

A field counts as changed by the partner when the returned value differs from the value
the plan held when the workbook was exported (read back from the change journal). If the
plan has also changed that field since the export, the two are in conflict: by default the
plan's value stays."""

from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import field as dataclass_field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.commands import AddProgressUpdate, Batch, Command, CreateRecord, EditRecord
from planner.commands.edits import next_free_ref
from planner.domain import RaciRole, Status
from planner.domain.dates import format_uk
from planner.errors import PlannerError
from planner.io.excel.content import ExportOptions, gather
from planner.io.excel.layout import ACTION_COLUMNS, MILESTONE_COLUMNS, Column
from planner.io.excel.reading import Problem, ReturnedRow, ReturnedWorkbook
from planner.queries.lookups import PlanHeader, plan_header
from planner.store.models import (
    Action,
    JournalEntry,
    Person,
    ProgressUpdate,
    Theme,
)

ACTION_FIELDS = {column.key: column for column in ACTION_COLUMNS}
MILESTONE_FIELDS = {column.key: column for column in MILESTONE_COLUMNS}
LATEST_UPDATE = "latest_update"


@dataclass
class FieldChange:
    """One field the returned copy changes, with both values and whether they conflict."""

    kind: str  # "action" or "milestone"
    record_id: int
    label: str  # "Action 3.2" or "Milestone 'Go live' (3.2)"
    column: str  # the workbook's column heading
    field: str  # the plan's field ("commentary" for a new progress update)
    plan_value: Any
    returned_value: Any
    conflict: bool = False
    plan_changed_at: datetime | None = None
    plan_changed_by: str = ""
    take_returned: bool = True
    rag_names: dict[str, str] = dataclass_field(default_factory=dict)

    def describe(self, value: Any) -> str:
        if self.field == "rag" and value in self.rag_names:
            return self.rag_names[value]
        return _display(self.field, value)


@dataclass(frozen=True)
class NotApplied:
    label: str
    column: str
    plan_value: str
    returned_value: str


@dataclass
class ProposedRecord:
    """A row without an ID: a new action or milestone the partner proposes."""

    kind: str
    sheet: str
    row: int
    values: dict[str, Any]
    summary: str
    reason: str = ""  # why it cannot be added; empty when it can
    take: bool = True


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
    author_id: int | None = None
    status_date: date | None = None
    returned_saved_at: datetime | None = None  # when the returned copy was last saved

    @property
    def conflicts(self) -> list[FieldChange]:
        return [change for change in self.changes if change.conflict]

    def take_returned_everywhere(self) -> None:
        for change in self.changes:
            change.take_returned = True

    @property
    def chosen(self) -> list[FieldChange]:
        return [change for change in self.changes if change.take_returned]

    @property
    def is_empty(self) -> bool:
        return not self.chosen and not [p for p in self.proposed if p.take and not p.reason]

    def source_label(self) -> str:
        who = f" from {self.from_name}" if self.from_name else ""
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
    return str(value)


def _journal_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


class _History:
    """What the plan held at the export, read back from the journal."""

    def __init__(self, session: Session, plan_id: int, since: datetime | None) -> None:
        self.first_after: dict[tuple[str, int, str], JournalEntry] = {}
        self.created_after: set[tuple[str, int]] = set()
        if since is None:
            return
        for entry in session.scalars(
            select(JournalEntry)
            .where(JournalEntry.plan_id == plan_id, JournalEntry.at > since)
            .order_by(JournalEntry.at, JournalEntry.id)
        ):
            key = (entry.entity, entry.entity_id, entry.field)
            self.first_after.setdefault(key, entry)
            if entry.field == "(created)":
                self.created_after.add((entry.entity, entry.entity_id))

    def at_export(self, entity: str, record_id: int, field_name: str, now: Any) -> str | None:
        """The field's value at the export, as journal text."""
        entry = self.first_after.get((entity, record_id, field_name))
        return entry.old_value if entry is not None else _journal_text(now)

    def changed_since(self, entity: str, record_id: int, field_name: str) -> JournalEntry | None:
        return self.first_after.get((entity, record_id, field_name))


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
    preview = MergePreview(
        source=returned.path,
        from_name=from_name.strip(),
        plan_title=header.title,
        exported_at=returned.exported_at,
        ignored=list(returned.ignored),
        problems=list(returned.problems),
        status_date=header.status_date,
        returned_saved_at=returned.saved_at,
    )
    if preview.from_name:
        preview.author_id = session.scalar(
            select(Person.id).where(
                Person.plan_id == plan_id,
                func.lower(Person.name) == preview.from_name.casefold(),
            )
        )
    if returned.exported_at is None:
        preview.ignored.append(
            "The workbook does not say when it was exported, so changes made in the plan "
            "since then cannot be told apart from the partner's; every difference is listed."
        )
    history = _History(session, plan_id, returned.exported_at)
    current = gather(session, plan_id, ExportOptions())
    _compare_actions(session, plan_id, header, current, returned, history, preview)
    _compare_milestones(session, plan_id, current, returned, history, preview)
    rag_names = {rag.code: rag.name for rag in header.rag_definitions}
    for change in preview.changes:
        change.rag_names = rag_names
    _check_changes(session, plan_id, preview)
    return preview


def _check_changes(session: Session, plan_id: int, preview: MergePreview) -> None:
    """Set aside changes the plan's rules would refuse (a due date before the start, an
    empty required date), each reported with its record, so the rest can still merge."""
    from planner.commands.changes import read_row
    from planner.commands.records import KINDS, check_record, check_values

    by_record: dict[tuple[str, int], list[FieldChange]] = {}
    for change in preview.changes:
        if change.field != "commentary":
            by_record.setdefault((change.kind, change.record_id), []).append(change)
    for (kind, record_id), changes in by_record.items():
        row = read_row(session, kind, record_id)
        if row is None:
            continue
        try:
            values = check_values(KINDS[kind], {c.field: c.returned_value for c in changes})
            check_record(session, KINDS[kind], plan_id, {**row, **values}, row)
        except PlannerError as error:
            for change in changes:
                preview.changes.remove(change)
            preview.problems.append(
                Problem(
                    changes[0].label.split(" ", 1)[0] + "s",
                    0,
                    ", ".join(change.column for change in changes),
                    "",
                    f"{changes[0].label}: {error}",
                )
            )


def _others(action: Any) -> str:
    return "; ".join(
        f"{name} ({RaciRole(role).label})" if role in RaciRole._value2member_map_ else name
        for name, role in action.other_people
    )


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        return " ".join(left.split()) == " ".join(right.split())
    return bool(left == right)


def _compare_actions(
    session: Session,
    plan_id: int,
    header: PlanHeader,
    current: Any,
    returned: ReturnedWorkbook,
    history: _History,
    preview: MergePreview,
) -> None:
    by_uid = {action.uid: action for action in current.actions}
    taken_refs = {action.ref for action in current.actions}
    latest_at_export = _latest_updates_at_export(session, plan_id, history)
    seen: set[str] = set()
    for row in returned.actions:
        if not row.id:
            preview.proposed.append(_proposed_action(session, plan_id, row, taken_refs))
            continue
        action = by_uid.get(row.id)
        if action is None:
            preview.ignored.append(
                f"Actions row {row.row}: ID {row.id} is not in the plan (it may have been "
                "deleted), so the row was ignored."
            )
            continue
        if row.id in seen:
            preview.ignored.append(
                f"Actions row {row.row}: action {action.ref} appears twice; only its first "
                "row was read."
            )
            continue
        seen.add(row.id)
        label = f"Action {action.ref}"
        plan_values = {
            "start": action.start,
            "due": action.due,
            "status": action.status,
            "rag": action.rag,
            "percent": action.percent,
        }
        for key, now in plan_values.items():
            if key not in row.values:
                continue
            column = ACTION_FIELDS[key]
            _consider(
                preview, history, "action", action.id, label, column, key, now, row.values[key]
            )
        if LATEST_UPDATE in row.values:
            _consider_update(preview, history, action, row, latest_at_export)
        displayed = {
            "ref": action.ref,
            "title": action.title,
            "theme": f"{action.theme_number}. {action.theme_title}",
            "lead": action.lead_officer,
            "others": _others(action),
            "partners": action.partners,
            "description": action.description,
        }
        _not_applied(preview, label, ACTION_FIELDS, displayed, row)


def _consider(
    preview: MergePreview,
    history: _History,
    entity: str,
    record_id: int,
    label: str,
    column: Column,
    field_name: str,
    now: Any,
    returned: Any,
) -> None:
    if _same(_journal_text(returned), _journal_text(now)):
        return
    at_export = history.at_export(entity, record_id, field_name, now)
    if _same(_journal_text(returned), at_export):
        return  # the partner left it as sent; the plan has moved on since
    changed = history.changed_since(entity, record_id, field_name)
    preview.changes.append(
        FieldChange(
            kind=entity,
            record_id=record_id,
            label=label,
            column=column.header,
            field=field_name,
            plan_value=now,
            returned_value=returned,
            conflict=changed is not None,
            plan_changed_at=changed.at if changed else None,
            plan_changed_by=changed.who if changed else "",
            take_returned=changed is None,
        )
    )


def _latest_updates_at_export(
    session: Session, plan_id: int, history: _History
) -> dict[int, tuple[str, bool]]:
    """Each action's latest commentary as exported, and whether newer updates came since."""
    latest: dict[int, tuple[str, bool]] = {}
    for update_id, action_id, commentary in session.execute(
        select(ProgressUpdate.id, ProgressUpdate.action_id, ProgressUpdate.commentary)
        .join(Action, Action.id == ProgressUpdate.action_id)
        .where(Action.plan_id == plan_id)
        .order_by(ProgressUpdate.as_at, ProgressUpdate.id)
    ):
        newer = ("progress_update", update_id) in history.created_after
        text, had_newer = latest.get(action_id, ("", False))
        latest[action_id] = (text, True) if newer else (commentary, had_newer)
    return latest


def _consider_update(
    preview: MergePreview,
    history: _History,
    action: Any,
    row: ReturnedRow,
    latest_at_export: dict[int, tuple[str, bool]],
) -> None:
    returned = row.values[LATEST_UPDATE] or ""
    exported, newer_since = latest_at_export.get(action.id, ("", False))
    if not returned.strip() or _same(returned, exported) or _same(returned, action.latest_update):
        return
    preview.changes.append(
        FieldChange(
            kind="action",
            record_id=action.id,
            label=f"Action {action.ref}",
            column=ACTION_FIELDS[LATEST_UPDATE].header,
            field="commentary",
            plan_value=action.latest_update,
            returned_value=returned.strip(),
            conflict=newer_since,
            take_returned=not newer_since,
        )
    )


def _not_applied(
    preview: MergePreview,
    label: str,
    columns: dict[str, Column],
    displayed: dict[str, Any],
    row: ReturnedRow,
) -> None:
    for key, now in displayed.items():
        if key not in row.values:
            continue
        returned = row.values[key]
        if returned in (None, "") or _same(str(returned), str(now or "")):
            continue
        preview.not_applied.append(
            NotApplied(label, columns[key].header, _display(key, now), _display(key, returned))
        )


def _compare_milestones(
    session: Session,
    plan_id: int,
    current: Any,
    returned: ReturnedWorkbook,
    history: _History,
    preview: MergePreview,
) -> None:
    by_uid = {milestone.uid: milestone for milestone in current.milestones}
    seen: set[str] = set()
    for row in returned.milestones:
        if not row.id:
            preview.proposed.append(_proposed_milestone(session, plan_id, row))
            continue
        milestone = by_uid.get(row.id)
        if milestone is None or row.id in seen:
            preview.ignored.append(
                f"Milestones row {row.row}: ID {row.id} is not in the plan or appears twice, "
                "so the row was ignored."
            )
            continue
        seen.add(row.id)
        label = f"Milestone '{milestone.title}' ({milestone.action_ref})"
        plan_values = {
            "due": milestone.due,
            "completed": milestone.completed_on,
            "note": milestone.note,
        }
        fields = {"due": "due", "completed": "completed_on", "note": "note"}
        for key, now in plan_values.items():
            if key not in row.values:
                continue
            returned_value = row.values[key]
            if key == "note":
                returned_value = returned_value or ""
            _consider(
                preview,
                history,
                "milestone",
                milestone.id,
                label,
                MILESTONE_FIELDS[key],
                fields[key],
                now,
                returned_value,
            )
        displayed = {
            "action_ref": milestone.action_ref,
            "title": milestone.title,
            "owner": milestone.owner,
        }
        _not_applied(preview, label, MILESTONE_FIELDS, displayed, row)


def _proposed_action(
    session: Session, plan_id: int, row: ReturnedRow, taken_refs: set[str]
) -> ProposedRecord:
    values = row.values
    title = (values.get("title") or "").strip()
    theme_text = str(values.get("theme") or "").strip()
    number = theme_text.split(".", 1)[0].strip()
    theme_id = None
    if number.isdigit():
        theme_id = session.scalar(
            select(Theme.id).where(Theme.plan_id == plan_id, Theme.number == int(number))
        )
    reason = ""
    if not title:
        reason = "it has no action title"
    elif theme_id is None:
        reason = "its Theme does not name a theme of the plan (e.g. '3. Shared services')"
    record = {
        "theme_id": theme_id,
        "title": title,
        "ref": (values.get("ref") or "").strip(),
        "start": values.get("start"),
        "due": values.get("due"),
        "status": values.get("status") or Status.NOT_STARTED.value,
        "rag": values.get("rag"),
        "percent": values.get("percent") or 0,
        "description": values.get("description") or "",
    }
    if theme_id is not None and (not record["ref"] or record["ref"] in taken_refs):
        # A new row copied from another keeps its ref: give it the next free one instead.
        record["ref"] = next_free_ref(session, plan_id, theme_id)
        head, _, tail = str(record["ref"]).partition(".")
        step = int(tail) if tail.isdigit() else 1
        while record["ref"] in taken_refs:
            step += 1
            record["ref"] = f"{head}.{step}"
    if record["ref"]:
        taken_refs.add(str(record["ref"]))
    summary = f"New action '{title or '(no title)'}' in theme {number or '?'}"
    return ProposedRecord("action", row.sheet, row.row, record, summary, reason, take=not reason)


def _proposed_milestone(session: Session, plan_id: int, row: ReturnedRow) -> ProposedRecord:
    values = row.values
    title = (values.get("title") or "").strip()
    ref = (values.get("action_ref") or "").strip()
    action_id = (
        session.scalar(select(Action.id).where(Action.plan_id == plan_id, Action.ref == ref))
        if ref
        else None
    )
    reason = ""
    if not title:
        reason = "it has no milestone title"
    elif action_id is None:
        reason = f"its Action ref '{ref}' is not an action of the plan"
    elif values.get("due") is None:
        reason = "it has no due date"
    record = {
        "action_id": action_id,
        "title": title,
        "due": values.get("due"),
        "completed_on": values.get("completed"),
        "note": values.get("note") or "",
    }
    summary = f"New milestone '{title or '(no title)'}' for action {ref or '?'}"
    return ProposedRecord("milestone", row.sheet, row.row, record, summary, reason, take=not reason)


def merge_command(preview: MergePreview) -> Command:
    """One command applying every chosen change and proposed record."""
    commands: list[Command] = []
    per_action: dict[int, dict[str, Any]] = {}
    commentary: dict[int, str] = {}
    for change in preview.chosen:
        if change.kind == "action" and change.field == "commentary":
            commentary[change.record_id] = change.returned_value
        elif change.kind == "action":
            per_action.setdefault(change.record_id, {})[change.field] = change.returned_value
        else:
            commands.append(
                EditRecord("milestone", change.record_id, {change.field: change.returned_value})
            )
    for action_id, values in per_action.items():
        dates = {key: value for key, value in values.items() if key in ("start", "due")}
        if dates:
            commands.append(EditRecord("action", action_id, dates))
        progress = {
            key: value for key, value in values.items() if key in ("status", "rag", "percent")
        }
        if progress and action_id not in commentary:
            commands.append(EditRecord("action", action_id, progress))
    for action_id, text in commentary.items():
        progress = {
            key: value
            for key, value in per_action.get(action_id, {}).items()
            if key in ("status", "rag", "percent")
        }
        update: dict[str, Any] = {"commentary": text, "as_at": preview.status_date, **progress}
        if preview.author_id is not None:
            update["author_id"] = preview.author_id
        commands.append(AddProgressUpdate(action_id, update))
    for proposed in preview.proposed:
        if proposed.take and not proposed.reason:
            commands.append(CreateRecord(proposed.kind, proposed.values))
    return Batch(commands, f"Merge {preview.source.name}")


def preview_lines(preview: MergePreview) -> list[str]:
    """The preview as plain lines, for the command line."""
    lines = [
        f"Returned copy: {preview.source.name}"
        + (f" from {preview.from_name}" if preview.from_name else "")
    ]
    if preview.exported_at:
        lines.append(f"Exported: {preview.exported_at:%d/%m/%Y %H:%M}")
    lines.append("")
    if not preview.changes and not preview.proposed:
        lines.append("No changes to merge.")
    for change in preview.changes:
        mark = "CONFLICT " if change.conflict else ""
        choice = "take returned" if change.take_returned else "keep plan"
        lines.append(
            f"{mark}{change.label}, {change.column}: plan {change.describe(change.plan_value)!s}"
            f" -> returned {change.describe(change.returned_value)} [{choice}]"
        )
        if change.conflict and change.plan_changed_at:
            lines.append(
                f"    the plan's value was changed on {change.plan_changed_at:%d/%m/%Y %H:%M}"
                + (f" by {change.plan_changed_by}" if change.plan_changed_by else "")
                + " after this copy was exported"
                + (
                    f"; the returned copy was saved on {preview.returned_saved_at:%d/%m/%Y %H:%M}"
                    if preview.returned_saved_at
                    else ""
                )
            )
    for proposed in preview.proposed:
        state = f"not added: {proposed.reason}" if proposed.reason else "will be added"
        lines.append(f"{proposed.sheet} row {proposed.row}: {proposed.summary} ({state})")
    for item in preview.not_applied:
        lines.append(
            f"Not applied: {item.label}, {item.column}: '{item.plan_value}' -> "
            f"'{item.returned_value}' (change this in the plan)"
        )
    for problem in preview.problems:
        lines.append(f"Skipped: {problem}")
    for note in preview.ignored:
        lines.append(f"Ignored: {note}")
    return lines
