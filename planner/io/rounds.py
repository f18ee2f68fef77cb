"""Update rounds: one workbook per partner body or lead officer, sent together, tracked
until each comes back, and merged as it does."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from planner.commands import Batch, Command, Context, CreateRecord, EditRecord
from planner.commands.changes import RowChange, update_row
from planner.domain import RaciRole
from planner.domain.dates import financial_year, format_uk, quarter
from planner.errors import PlannerError
from planner.io.emails import (
    Addressee,
    DraftsWritten,
    check_template,
    compose,
    due_sentence,
    write_drafts,
)
from planner.io.excel import ExportOptions, ExportSlice, RoundAsk, export_workbook, gather
from planner.io.excel.merge import MergePreview, merge_command
from planner.io.excel.reading import ReturnedWorkbook
from planner.queries.directory import round_contacts
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
    contact: str = ""  # the round contact (a partner body's) or the lead officer
    email: str = ""
    body: str = ""  # the partner body, or the lead officer's organisation


@dataclass(frozen=True)
class RoundLine:
    """One recipient of a round, as the round's status shows them."""

    round_title: str
    return_by: date | None
    recipient: str
    file_name: str
    returned_on: date | None
    returned_by: str
    contact: str = ""
    email: str = ""
    today: date = field(default_factory=date.today)
    round_id: int = 0
    recipient_id: int = 0

    @property
    def kind(self) -> str:
        """'returned', 'outstanding' or 'late'."""
        if self.returned_on:
            return "returned"
        if self.return_by and self.return_by < self.today:
            return "late"
        return "outstanding"

    @property
    def days(self) -> int | None:
        """Days left before the return-by date, or days late; None once returned or
        when the round has no return-by date."""
        if self.returned_on or self.return_by is None:
            return None
        return abs((self.return_by - self.today).days)

    @property
    def state(self) -> str:
        """'Returned 12/01/2014 by Ian Marsden', 'Outstanding: 5 days left', 'Late: 3
        days'."""
        if self.returned_on:
            who = f" by {self.returned_by}" if self.returned_by else ""
            return f"Returned {format_uk(self.returned_on)}{who}"
        days = self.days
        if days is None:
            return "Outstanding"
        if self.kind == "late":
            return f"Late: {_days(days)} late"
        return "Outstanding: due today" if days == 0 else f"Outstanding: {_days(days)} left"


def _days(count: int) -> str:
    return f"{count:,} day{'s' if count != 1 else ''}"


STATUS_HEADINGS = (
    "Round",
    "Return by",
    "Recipient",
    "Contact",
    "Email",
    "Workbook",
    "State",
    "Returned on",
    "Returned by",
    "Days left",
    "Days late",
)


def status_text(lines: list[RoundLine]) -> list[str]:
    """The status as lines of text: each round with its tally, then its recipients."""
    out: list[str] = []
    by_round: dict[int, list[RoundLine]] = {}
    for line in lines:
        by_round.setdefault(line.round_id, []).append(line)
    for held in by_round.values():
        first = held[0]
        due = f" (return by {format_uk(first.return_by)})" if first.return_by else ""
        returned = sum(line.kind == "returned" for line in held)
        late = sum(line.kind == "late" for line in held)
        tally = f"{returned} of {len(held)} returned" + (f", {late} late" if late else "")
        out.append(f"{first.round_title}{due}: {tally}")
        width = max(len(line.recipient) for line in held)
        for line in held:
            to = f"{line.contact} <{line.email}>" if line.email else "no email address"
            out.append(f"  {line.recipient:<{width}}  {line.state:<34} {to}")
    return out


def status_cells(line: RoundLine) -> list[str]:
    """One line of the round status as the CSV's cells."""
    days = "" if line.days is None else str(line.days)
    return [
        line.round_title,
        format_uk(line.return_by) if line.return_by else "",
        line.recipient,
        line.contact,
        line.email,
        line.file_name,
        line.kind.capitalize(),
        format_uk(line.returned_on) if line.returned_on else "",
        line.returned_by,
        days if line.kind == "outstanding" else "",
        days if line.kind == "late" else "",
    ]


def recipients(session: Session, plan_id: int, kind: str) -> list[Recipient]:
    """Every partner body (or lead officer) with at least one action in the plan."""
    if kind == "partner":
        rows = session.execute(
            select(Partner.id, Partner.name, Partner.uid)
            .where(Partner.plan_id == plan_id)
            .where(Partner.id.in_(select(ActionPartner.partner_id)))
            .order_by(Partner.name)
        )
        contacts = {row.partner_id: row for row in round_contacts(session, plan_id)}
        return [
            Recipient(
                name,
                partner_id,
                None,
                uid,
                contact=contacts[partner_id].name if partner_id in contacts else "",
                email=contacts[partner_id].email if partner_id in contacts else "",
                body=name,
            )
            for partner_id, name, uid in rows
        ]
    if kind == "lead":
        organisation = aliased(Partner)
        leads = session.execute(
            select(Person.id, Person.name, Person.uid, Person.email, organisation.name)
            .outerjoin(organisation, organisation.id == Person.organisation_id)
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
        return [
            Recipient(name, None, person_id, "", uid, contact=name, email=email, body=body or "")
            for person_id, name, uid, email, body in leads
        ]
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
    """'Q3 2013/14 update' for a status date in October to December 2013."""
    return f"Q{quarter(as_at)} {financial_year(as_at)} update"


def workbook_name(plan_title: str, title: str, recipient: str) -> str:
    """A name an officer can attach as it is, e.g. 'Northshire plan - Q3 2013-14 update -
    Northshire CVS.xlsx'."""
    return (
        f"{_safe_file_part(_shortened(plan_title.split(':')[0].strip(), 40))} - "
        f"{_safe_file_part(_shortened(title, 60))} - "
        f"{_safe_file_part(_shortened(recipient, 60))}.xlsx"
    )


def _shortened(text: str, most: int) -> str:
    """At most `most` characters, cut at a word where there is one."""
    if len(text) <= most:
        return text
    cut = text[:most]
    return cut.rsplit(" ", 1)[0] if " " in cut else cut


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
    sender_email: str | None = None,
) -> StartedRound:
    """Write one workbook per recipient into `folder`; returns the files and the command
    that records the round (run it once the files are written)."""
    plan = session.get(Plan, plan_id)
    assert plan is not None
    title = title or round_title(plan.status_date)
    people = recipients(session, plan_id, kind)
    if not people:
        raise PlannerError("No one has actions to update, so no round was started.")
    if sender_email is None:
        sender_email = email_of(session, plan_id, exported_by)
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
                round=RoundAsk(
                    title=title,
                    return_by=return_by,
                    contact=recipient.contact if recipient.contact != recipient.name else "",
                    body=recipient.body or recipient.name,
                    sender=exported_by,
                    sender_email=sender_email,
                ),
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
                    "contact": recipient.contact,
                    "email": recipient.email,
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


def round_status(session: Session, plan_id: int, today: date | None = None) -> list[RoundLine]:
    """Every recipient of every round, the newest round first."""
    today = today or date.today()
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
            contact=recipient.contact,
            email=recipient.email,
            today=today,
            round_id=held.id,
            recipient_id=recipient.id,
        )
        for held, recipient in rows
    ]


def latest_round_id(session: Session, plan_id: int) -> int | None:
    return session.scalar(
        select(UpdateRound.id)
        .where(UpdateRound.plan_id == plan_id)
        .order_by(UpdateRound.started_on.desc(), UpdateRound.id.desc())
        .limit(1)
    )


def email_wording(session: Session, plan_id: int) -> str:
    """The plan's own wording of the round email ("" for the standard wording)."""
    return session.scalar(select(Plan.round_email).where(Plan.id == plan_id)) or ""


def email_of(session: Session, plan_id: int, name: str) -> str:
    """The email address of the person in the plan with this name, or ""."""
    found = session.scalar(
        select(Person.email).where(
            Person.plan_id == plan_id, func.lower(Person.name) == name.strip().lower()
        )
    )
    return found or ""


def _current_addressees(
    session: Session, plan_id: int, recipients: list[RoundRecipient]
) -> list[Addressee]:
    """Who each recipient's email goes to now: the body's round contact (or the lead
    officer) as the plan has them today, else as the round recorded them."""
    contacts = {row.partner_id: row for row in round_contacts(session, plan_id) if row.email}
    found: list[Addressee] = []
    for recipient in recipients:
        contact, email, body = recipient.contact, recipient.email, recipient.name
        if recipient.partner_id in contacts:
            contact = contacts[recipient.partner_id].name
            email = contacts[recipient.partner_id].email
        elif recipient.person_id is not None:
            person = session.get(Person, recipient.person_id)
            if person is not None:
                contact, email = person.name, person.email or email
                body = person.organisation.name if person.organisation else ""
        found.append(Addressee(contact=contact, body=body, email=email))
    return found


def prepare_drafts(
    session: Session,
    plan_id: int,
    *,
    sender: str,
    round_id: int | None = None,
    folder: Path | None = None,
    reminders: bool = False,
    template: str | None = None,
    today: date | None = None,
) -> DraftsWritten:
    """An email draft beside each workbook of a round (the newest, unless named): to
    every recipient, or with `reminders` to those who have not returned theirs."""
    today = today or date.today()
    round_id = round_id if round_id is not None else latest_round_id(session, plan_id)
    held = session.get(UpdateRound, round_id) if round_id is not None else None
    if held is None or held.plan_id != plan_id:
        raise PlannerError("No update round has been started for this plan yet.")
    plan = session.get(Plan, plan_id)
    assert plan is not None
    template = plan.round_email if template is None else template
    check_template(template)
    folder = Path(folder or held.folder)
    waiting = [
        recipient
        for recipient in session.scalars(
            select(RoundRecipient)
            .where(RoundRecipient.round_id == held.id)
            .order_by(RoundRecipient.name)
        )
        if not (reminders and recipient.returned_on)
    ]
    if reminders and not waiting:
        raise PlannerError(f"Every workbook of {held.title} has come back; no one to remind.")
    missing = [recipient.file_name for recipient in waiting]
    missing = [name for name in missing if not (folder / name).is_file()]
    if missing:
        raise PlannerError(
            f"The workbook '{missing[0]}' is not in {folder}"
            + (f" (nor {len(missing) - 1} more)" if len(missing) > 1 else "")
            + "; choose the folder the round's workbooks were written to."
        )
    sender_email = email_of(session, plan_id, sender)
    reminder = due_sentence(held.return_by, today) if reminders else ""
    drafts = [
        compose(
            template,
            plan=plan.title,
            round_name=held.title,
            return_by=held.return_by,
            addressee=addressee,
            sender=sender,
            sender_email=sender_email,
            workbook=folder / recipient.file_name,
            reminder=reminder,
        )
        for recipient, addressee in zip(
            waiting, _current_addressees(session, plan_id, waiting), strict=True
        )
    ]
    suffix = " - reminder" if reminders else ""
    return write_drafts(drafts, sender=sender, sender_email=sender_email, suffix=suffix)


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
