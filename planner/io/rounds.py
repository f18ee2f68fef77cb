"""Update rounds: one workbook per partner body or lead officer, sent together, tracked
until each comes back, and merged as it does."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.commands import Batch, Command, Context, CreateRecord, EditRecord
from planner.commands.changes import RowChange, update_row
from planner.domain import RaciRole
from planner.domain.dates import financial_year, format_uk, quarter
from planner.errors import PlannerError
from planner.io.excel import ExportOptions, ExportSlice, export_workbook, gather
from planner.io.excel.merge import MergePreview, merge_command
from planner.io.excel.reading import ReturnedWorkbook
from planner.store.models import (
    ActionPartner,
    ActionPerson,
    Partner,
    Person,
    Plan,
    RoundRecipient,
    UpdateRound,
    new_uid,
)

RECIPIENT_KINDS = ("partner", "lead")


@dataclass(frozen=True)
class Recipient:
    name: str
    partner_id: int | None
    person_id: int | None
    partner_uid: str = ""
    person_uid: str = ""


@dataclass(frozen=True)
class RoundLine:
    round_title: str
    return_by: date | None
    recipient: str
    file_name: str
    returned_on: date | None
    returned_by: str

    @property
    def state(self) -> str:
        if self.returned_on:
            who = f" by {self.returned_by}" if self.returned_by else ""
            return f"returned {format_uk(self.returned_on)}{who}"
        if self.return_by and self.return_by < date.today():
            return "outstanding (overdue)"
        return "outstanding"


def recipients(session: Session, plan_id: int, kind: str) -> list[Recipient]:
    """Every partner body (or lead officer) with at least one action in the plan."""
    if kind == "partner":
        rows = session.execute(
            select(Partner.id, Partner.name, Partner.uid)
            .where(Partner.plan_id == plan_id)
            .where(Partner.id.in_(select(ActionPartner.partner_id)))
            .order_by(Partner.name)
        )
        return [Recipient(name, partner_id, None, uid) for partner_id, name, uid in rows]
    if kind == "lead":
        rows = session.execute(
            select(Person.id, Person.name, Person.uid)
            .where(Person.plan_id == plan_id)
            .where(
                Person.id.in_(
                    select(ActionPerson.person_id).where(
                        ActionPerson.role == RaciRole.ACCOUNTABLE.value
                    )
                )
            )
            .order_by(Person.name)
        )
        return [Recipient(name, None, person_id, "", uid) for person_id, name, uid in rows]
    raise PlannerError(
        "An update round goes to partner bodies ('partner') or lead officers ('lead')."
    )


def _safe_file_part(text: str) -> str:
    return re.sub(r'[<>:"/\\|?*\x00-\x1f]+', "-", text).strip(" .-") or "plan"


def make_folder(folder: Path) -> Path:
    """The round's folder, created (with any missing parents) when it is not there yet."""
    if folder.is_dir():
        return folder
    if folder.exists():
        raise PlannerError(f"{folder} is a file, not a folder; choose a folder for the round.")
    try:
        folder.mkdir(parents=True)
    except OSError as error:
        reason = error.strerror or "it could not be created"
        raise PlannerError(f"The folder {folder} could not be created ({reason}).") from None
    return folder


def round_title(as_at: date) -> str:
    """'Update Q3 2013-14' for a status date in October to December 2013."""
    return f"Update Q{quarter(as_at)} {financial_year(as_at).replace('/', '-')}"


def workbook_name(plan_title: str, title: str, recipient: str) -> str:
    """A name an officer can attach as it is, e.g. 'Northshire plan - update Q3 2013-14 -
    Northshire CVS.xlsx'."""
    short = plan_title.split(":")[0].strip()
    if len(short) > 40:
        short = short[:40].rsplit(" ", 1)[0]
    words = title[:1].lower() + title[1:]
    return (
        f"{_safe_file_part(short)} - {_safe_file_part(words)} - {_safe_file_part(recipient)}.xlsx"
    )


@dataclass(frozen=True)
class StartedRound:
    command: Command
    files: list[Path]


def start_round(
    session: Session,
    plan_id: int,
    folder: Path,
    kind: str,
    *,
    return_by: date | None,
    exported_by: str,
    title: str | None = None,
) -> StartedRound:
    """Write one workbook per recipient into `folder`; returns the files and the command
    that records the round (run it once the files are written)."""
    plan = session.get(Plan, plan_id)
    assert plan is not None
    title = title or round_title(plan.status_date)
    people = recipients(session, plan_id, kind)
    if not people:
        raise PlannerError("No one has actions to update, so no round was started.")
    folder = Path(folder)
    created = not folder.exists()
    make_folder(folder)
    round_uid = new_uid()
    files: list[Path] = []
    records: list[dict[str, object]] = []
    try:
        for recipient in people:
            wanted = ExportSlice(
                partner_ids=frozenset({recipient.partner_id})
                if recipient.partner_id
                else frozenset(),
                person_ids=frozenset({recipient.person_id}) if recipient.person_id else frozenset(),
            )
            options = ExportOptions(
                slice=wanted,
                exported_by=exported_by,
                round_uid=round_uid,
                recipient=recipient.name,
                recipient_partner_uid=recipient.partner_uid,
                recipient_person_uid=recipient.person_uid,
            )
            content = gather(session, plan_id, options)
            target = folder / workbook_name(plan.title, title, recipient.name)
            files.append(export_workbook(content, target))
            records.append(
                {
                    "partner_id": recipient.partner_id,
                    "person_id": recipient.person_id,
                    "name": recipient.name,
                    "file_name": target.name,
                }
            )
    except BaseException:
        for written in files:
            written.unlink(missing_ok=True)
        if created:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    return StartedRound(
        _RecordRound(
            round_uid,
            {
                "title": title,
                "recipients": kind,
                "as_at": plan.status_date,
                "return_by": return_by,
                "started_on": date.today(),
                "folder": str(folder),
            },
            records,
        ),
        files,
    )


class _RecordRound(Command):
    """Records a started round and its recipients, as one step."""

    def __init__(
        self, uid: str, values: dict[str, object], recipients: list[dict[str, object]]
    ) -> None:
        self.uid = uid
        self.values = values
        self.recipients = recipients
        self.description = f"Start {values['title']}"

    def apply(self, session: Session, context: Context) -> list[RowChange]:
        changes = CreateRecord("update_round", self.values).apply(session, context)
        round_id = changes[0].row_id
        fixed = update_row(session, "update_round", round_id, {"uid": self.uid})
        if fixed is not None:
            changes.append(fixed)
        for recipient in self.recipients:
            changes.extend(
                CreateRecord("round_recipient", {**recipient, "round_id": round_id}).apply(
                    session,
                    context,
                )
            )
        return changes


def round_status(session: Session, plan_id: int) -> list[RoundLine]:
    rows = session.execute(
        select(UpdateRound, RoundRecipient)
        .join(RoundRecipient, RoundRecipient.round_id == UpdateRound.id)
        .where(UpdateRound.plan_id == plan_id)
        .order_by(UpdateRound.started_on.desc(), UpdateRound.id.desc(), RoundRecipient.name)
    )
    return [
        RoundLine(
            held.title,
            held.return_by,
            recipient.name,
            recipient.file_name,
            recipient.returned_on,
            recipient.returned_by,
        )
        for held, recipient in rows
    ]


def recipient_of(session: Session, plan_id: int, returned: ReturnedWorkbook) -> int | None:
    """The round recipient a returned workbook was sent to, if it was sent in a round."""
    round_uid = returned.meta.get("round_id", "")
    if not round_uid:
        return None
    found = session.execute(
        select(RoundRecipient.id)
        .join(UpdateRound, UpdateRound.id == RoundRecipient.round_id)
        .where(
            UpdateRound.plan_id == plan_id,
            UpdateRound.uid == round_uid,
            RoundRecipient.name == returned.meta.get("recipient", ""),
        )
    ).scalar()
    return int(found) if found is not None else None


def round_merge_command(preview: MergePreview, recipient_id: int | None) -> Command | None:
    """The merge, plus marking the recipient's workbook as returned (a copy sent back
    unchanged is returned too); None when there is nothing to do, as for a copy merged
    before."""
    if preview.already_merged:
        return None
    merge = None if preview.is_empty else merge_command(preview)
    if recipient_id is None:
        return merge
    returned = EditRecord(
        "round_recipient",
        recipient_id,
        {
            "returned_on": date.today(),
            "returned_by": preview.from_name or preview.sender,
            "returned_file": preview.source.name,
        },
    )
    if merge is None:
        returned.description = f"Mark {preview.source.name} returned"
        return returned
    return Batch([merge, returned], merge.description)
