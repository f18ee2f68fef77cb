"""Helpers for tests that send slices of the sample plan out and merge what comes back:
export a workbook the way an officer would, edit a copy the way a partner would, merge it,
and read the plan back in terms that do not depend on the order records were written."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from sqlalchemy import select

from planner.commands import runner_for
from planner.io.excel import ExportOptions, export_workbook, gather
from planner.io.excel.content import resolve_slice
from planner.io.excel.merge import MergePreview, build_preview
from planner.io.excel.reading import read_returned
from planner.io.rounds import recipient_of, round_merge_command
from planner.queries.lookups import plan_header
from planner.store.models import (
    Action,
    BenefitValue,
    MeasureValue,
    MergedReturn,
    Milestone,
    Partner,
    Person,
    ProgressUpdate,
    Proposal,
    ReturnedValue,
)
from planner.store.planfile import PlanFile

# (sheet, action ref or the row's ID on other sheets, heading) -> value
Edits = dict[tuple[str, str, str], Any]


def export_slice(
    plan: Path,
    out: Path,
    *,
    partner: str | None = None,
    person: str | None = None,
    by: str = "Helen Ashworth",
) -> Path:
    """The plan's workbook for one partner body or person (or the whole plan)."""
    with PlanFile.open(plan, read_only=True) as plan_file, plan_file.Session() as session:
        wanted = resolve_slice(
            session, plan_file.plan_id, [partner] if partner else [], [person] if person else []
        )
        content = gather(session, plan_file.plan_id, ExportOptions(slice=wanted, exported_by=by))
    return export_workbook(content, out)


def edit_copy(
    source: Path, out: Path, edits: Edits, new_rows: Iterable[tuple[str, dict[str, Any]]] = ()
) -> Path:
    """A partner's copy: cells changed by heading, in rows found by action ref (Actions) or
    ID (Milestones), and new rows added below the table; saved by openpyxl."""
    workbook = openpyxl.load_workbook(source)
    for (sheet_name, key, heading), value in edits.items():
        sheet = workbook[sheet_name]
        headings = [cell.value for cell in sheet[1]]
        find = headings.index("Ref" if sheet_name == "Actions" else "ID") + 1
        row = next(
            number
            for number in range(2, sheet.max_row + 1)
            if sheet.cell(number, find).value == key
        )
        sheet.cell(row, headings.index(heading) + 1).value = value
    for sheet_name, values in new_rows:
        sheet = workbook[sheet_name]
        headings = [cell.value for cell in sheet[1]]
        row = sheet.max_row + 1
        for heading, value in values.items():
            sheet.cell(row, headings.index(heading) + 1).value = value
    workbook.save(out)
    return out


def preview(plan_file: PlanFile, path: Path, from_name: str = "") -> MergePreview:
    with plan_file.Session() as session:
        header = plan_header(session, plan_file.plan_id)
        returned = read_returned(path, header.rag_definitions)
        return build_preview(session, plan_file.plan_id, returned, from_name)


def merge(
    plan_file: PlanFile, path: Path, from_name: str = "", who: str = "Helen Ashworth"
) -> MergePreview:
    """Merge a returned copy with the choices the preview makes by itself (as `planner
    import --apply` does), marking a round's recipient as returned."""
    with plan_file.Session() as session:
        header = plan_header(session, plan_file.plan_id)
        returned = read_returned(path, header.rag_definitions)
        found = build_preview(session, plan_file.plan_id, returned, from_name)
        recipient = recipient_of(session, plan_file.plan_id, returned)
    command = round_merge_command(found, recipient)
    if command is not None:
        runner_for(plan_file, who=who).execute(command, source=found.source_label())
    return found


def action_values(plan_file: PlanFile, ref: str) -> dict[str, Any]:
    with plan_file.Session() as session:
        action = session.scalars(select(Action).where(Action.ref == ref)).one()
        return {
            "start": action.start,
            "due": action.due,
            "status": action.status,
            "rag": action.rag,
            "percent": action.percent,
        }


def updates_of(plan_file: PlanFile, ref: str) -> list[dict[str, Any]]:
    """An action's progress updates, oldest first, with author and sending body by name."""
    with plan_file.Session() as session:
        rows = session.execute(
            select(ProgressUpdate, Person.name, Partner.name)
            .join(Action, Action.id == ProgressUpdate.action_id)
            .outerjoin(Person, Person.id == ProgressUpdate.author_id)
            .outerjoin(Partner, Partner.id == ProgressUpdate.partner_id)
            .where(Action.ref == ref)
            .order_by(ProgressUpdate.as_at, ProgressUpdate.id)
        )
        return [
            {
                "as_at": update.as_at,
                "commentary": update.commentary,
                "status": update.status,
                "rag": update.rag,
                "percent": update.percent,
                "author": person or update.author_name,
                "body": body,
            }
            for update, person, body in rows
        ]


def canonical(plan_file: PlanFile) -> dict[str, Any]:
    """The plan as an officer (or auditor) could see it, without ids or the order in which
    records were written: two plans with equal canonical forms hold the same."""
    with plan_file.Session() as session:
        people: dict[int, str] = {
            row_id: name for row_id, name in session.execute(select(Person.id, Person.name))
        }
        partners: dict[int, str] = {
            row_id: name for row_id, name in session.execute(select(Partner.id, Partner.name))
        }
        actions = {
            a.uid: (a.ref, a.title, a.start, a.due, a.status, a.rag, a.percent, a.theme_id)
            for a in session.scalars(select(Action))
        }
        action_uid = {a.id: a.uid for a in session.scalars(select(Action))}
        milestones = {
            m.uid: (action_uid[m.action_id], m.title, m.due, m.completed_on, m.note, m.owner_id)
            for m in session.scalars(select(Milestone))
        }
        updates = sorted(
            (
                action_uid[u.action_id],
                u.as_at,
                u.status,
                u.rag or "",
                u.percent,
                u.commentary,
                people.get(u.author_id, "") if u.author_id else "",
                u.author_name,
                partners.get(u.partner_id, "") if u.partner_id else "",
            )
            for u in session.scalars(select(ProgressUpdate))
        )
        proposals = sorted(
            (
                p.kind,
                p.title,
                p.state,
                partners.get(p.partner_id, "") if p.partner_id else "",
                p.lead_name,
                p.proposed_on,
            )
            for p in session.scalars(select(Proposal))
        )
        returns = sorted(
            (r.export_id, r.recipient, r.returned_by, r.fingerprint)
            for r in session.scalars(select(MergedReturn))
        )
        ledger = sorted(
            (v.record_uid, v.field, v.value or "", v.previous or "", v.outcome)
            for v in session.scalars(select(ReturnedValue))
        )
        measure_values = {
            v.uid: (v.target, v.actual, v.commentary, v.data_quality)
            for v in session.scalars(select(MeasureValue))
        }
        benefit_values = {
            v.uid: (v.planned, v.realised, v.validated_by_id, v.validated_on)
            for v in session.scalars(select(BenefitValue))
        }
        return {
            "measure_values": measure_values,
            "benefit_values": benefit_values,
            "people": sorted(people.values()),
            "partners": sorted(partners.values()),
            "actions": actions,
            "milestones": milestones,
            "updates": updates,
            "proposals": proposals,
            "returns": returns,
            "ledger": ledger,
        }


def counts(plan_file: PlanFile) -> dict[str, int]:
    from planner.queries import plan_counts

    with plan_file.Session() as session:
        return plan_counts(session, plan_file.plan_id).as_dict()


def today() -> date:
    return date.today()
