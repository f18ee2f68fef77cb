"""Round emails: a draft beside each workbook, addressed to the round contact with the
workbook attached; reminders to those who have not returned theirs; the status table."""

from __future__ import annotations

import csv
import email
from datetime import date
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest

from planner.cli import main
from planner.commands import CreateRecord, DeleteRecord, EditRecord, runner_for
from planner.io import rounds
from planner.io.emails import Addressee, check_template, compose, write_drafts
from planner.store.models import PartnerContact, RoundRecipient
from planner.store.planfile import PlanFile


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    plan = tmp_path / "northshire.plan"
    assert main(["sample", str(plan)]) == 0
    return plan


def read_eml(path: Path) -> EmailMessage:
    parsed = email.message_from_bytes(path.read_bytes(), policy=default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def attachment(message: EmailMessage) -> tuple[str, bytes]:
    (part,) = list(message.iter_attachments())
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return part.get_filename() or "", payload


def body_text(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")


def start(sample: Path, folder: Path, *extra: str) -> int:
    return main(
        [
            "round",
            "start",
            str(sample),
            str(folder),
            "--by",
            "partner",
            "--return-by",
            "31/01/2014",
            "--sender",
            "Sarah Whitfield",
            *extra,
        ]
    )


def test_each_workbook_gets_a_draft_to_its_round_contact(sample: Path, tmp_path: Path) -> None:
    folder = tmp_path / "Q3 round"
    assert start(sample, folder, "--emails") == 0
    workbooks = sorted(folder.glob("*.xlsx"))
    drafts = sorted(folder.glob("*.eml"))
    assert [path.stem for path in drafts] == [path.stem for path in workbooks]
    assert len(drafts) == 10

    college = read_eml(next(path for path in drafts if path.stem.endswith("Northshire College")))
    assert college["X-Unsent"] == "1"
    assert college["To"].addresses[0].display_name == "Ian Marsden"
    assert college["To"].addresses[0].addr_spec == "ian.marsden@northshire-college.ac.uk"
    assert college["From"].addresses[0].addr_spec == "sarah.whitfield@northshire.gov.uk"
    subject = str(college["Subject"])
    assert "Planting the Flag in Northshire" in subject and "Q3 2013/14 update" in subject
    assert "31 Jan 2014" in subject
    name, data = attachment(college)
    workbook = folder / name
    assert name.endswith("Northshire College.xlsx")
    assert data == workbook.read_bytes()
    text = body_text(college)
    assert text.startswith("Dear Ian Marsden,")
    assert "31 Jan 2014" in text and "Northshire College" in text
    assert "sarah.whitfield@northshire.gov.uk" in text and text.rstrip().endswith("Sarah Whitfield")


def test_the_round_records_who_each_workbook_was_addressed_to(sample: Path, tmp_path: Path) -> None:
    assert start(sample, tmp_path / "round") == 0
    with PlanFile.open(sample, read_only=True) as plan_file, plan_file.Session() as session:
        sent = {row.name: (row.contact, row.email) for row in session.query(RoundRecipient)}
    assert sent["Northshire CVS"] == ("Margaret Bell", "margaret.bell@northshirecvs.org.uk")
    assert sent["NHS Northshire"] == ("Jane Ashby", "jane.ashby@nhs.net")


def test_a_recipient_with_no_email_is_listed_not_skipped(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with PlanFile.open(sample) as plan_file:
        with plan_file.Session() as session:
            bell = session.query(PartnerContact).filter_by(name="Margaret Bell").one().id
        runner_for(plan_file, who="Test").execute(
            EditRecord("partner_contact", bell, {"email": ""})
        )
        plan_file.save()
    capsys.readouterr()
    folder = tmp_path / "round"
    assert start(sample, folder, "--emails") == 0
    out = capsys.readouterr().out
    assert "Wrote 9 email draft(s)" in out
    assert "No email address for Margaret Bell, Northshire CVS" in out
    assert len(list(folder.glob("*.xlsx"))) == 10 and len(list(folder.glob("*.eml"))) == 9


def test_reminders_go_to_the_late_and_outstanding_only(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "round"
    assert start(sample, folder) == 0
    with PlanFile.open(sample) as plan_file:
        with plan_file.Session() as session:
            cvs = session.query(RoundRecipient).filter_by(name="Northshire CVS").one().id
        runner_for(plan_file, who="Test").execute(
            EditRecord(
                "round_recipient",
                cvs,
                {"returned_on": date(2014, 1, 20), "returned_by": "Margaret Bell"},
            )
        )
        plan_file.save()
    capsys.readouterr()
    assert main(["round", "remind", str(sample), str(folder), "--sender", "Sarah Whitfield"]) == 0
    reminders = sorted(folder.glob("* - reminder.eml"))
    assert len(reminders) == 9
    assert not any("Northshire CVS" in path.name for path in reminders)
    college = read_eml(next(path for path in reminders if "Northshire College" in path.name))
    assert str(college["Subject"]).startswith("Reminder: ")
    assert "was due back on 31/01/2014" in body_text(college)
    name, data = attachment(college)
    assert data == (folder / name).read_bytes()


def test_reminders_need_the_folder_of_the_workbooks(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert start(sample, tmp_path / "round") == 0
    capsys.readouterr()
    before = sample.read_bytes()
    assert main(["round", "remind", str(sample), str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("planner: The workbook 'Planting the Flag") and err.count("\n") == 1
    assert sample.read_bytes() == before


def test_status_shows_returned_outstanding_and_late_with_days() -> None:
    base = {"round_title": "Q3 2013/14 update", "file_name": "a.xlsx", "returned_by": ""}
    today = date(2014, 2, 3)
    late = rounds.RoundLine(
        **base, return_by=date(2014, 1, 31), recipient="NHS", returned_on=None, today=today
    )
    waiting = rounds.RoundLine(
        **base, return_by=date(2014, 2, 8), recipient="NCC", returned_on=None, today=today
    )
    back = rounds.RoundLine(
        **{**base, "returned_by": "Ian Marsden"},
        return_by=date(2014, 1, 31),
        recipient="College",
        returned_on=date(2014, 1, 30),
        today=today,
    )
    assert (late.kind, late.days, late.state) == ("late", 3, "Late: 3 days late")
    assert (waiting.kind, waiting.state) == ("outstanding", "Outstanding: 5 days left")
    assert back.state == "Returned 30/01/2014 by Ian Marsden"
    assert rounds.status_cells(late)[-2:] == ["", "3"]
    assert rounds.status_cells(waiting)[-2:] == ["5", ""]


def test_status_as_csv(sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert start(sample, tmp_path / "round") == 0
    capsys.readouterr()
    out_csv = tmp_path / "status.csv"
    assert main(["round", "status", str(sample), "--csv", str(out_csv)]) == 0
    out = capsys.readouterr().out
    assert (
        out.splitlines()[0] == "Q3 2013/14 update (return by 31/01/2014): 0 of 10 returned, 10 late"
    )
    with out_csv.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert len(table) == 10
    college = next(row for row in table if row["Recipient"] == "Northshire College")
    assert college["Contact"] == "Ian Marsden" and college["State"] == "Late"
    assert college["Email"] == "ian.marsden@northshire-college.ac.uk"
    assert int(college["Days late"]) == (date.today() - date(2014, 1, 31)).days


@pytest.mark.parametrize(
    "name",
    [
        'O\'Brien, Siân "Sio"',
        "Evil\r\nBcc: victim@example.org",
        "A/B: C\\D*?<>|",
        "Zoë Ångström-Łukasz",
    ],
)
def test_awkward_names_neither_break_a_file_name_nor_inject_a_header(
    name: str, tmp_path: Path
) -> None:
    workbook_name = rounds.workbook_name("Plan: title", "Q3 2013/14 update", name)
    assert "/" not in workbook_name and "\\" not in workbook_name and "\n" not in workbook_name
    assert "\r" not in workbook_name and ":" not in workbook_name
    workbook = tmp_path / workbook_name
    workbook.write_bytes(b"PK workbook bytes")
    draft = compose(
        "",
        plan="Plan",
        round_name="Q3 2013/14 update",
        return_by=date(2014, 1, 31),
        addressee=Addressee(contact=name, body=name, email="someone@example.gov.uk"),
        sender=name,
        sender_email="sender@example.gov.uk",
        workbook=workbook,
    )
    written = write_drafts([draft], sender=name, sender_email="sender@example.gov.uk")
    (path,) = written.files
    assert path.parent == tmp_path
    message = read_eml(path)
    assert [address.addr_spec for address in message["To"].addresses] == ["someone@example.gov.uk"]
    assert message["Bcc"] is None
    assert message["To"].addresses[0].display_name == " ".join(name.split())
    assert attachment(message) == (workbook_name, b"PK workbook bytes")


def test_an_edited_template_is_used_and_a_wrong_placeholder_refused(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tmp_path / "covering.txt"
    template.write_text(
        "Subject: {round} for {body}\n\nHello {contact},\n\nBack by {return_by}, please.\n"
    )
    folder = tmp_path / "round"
    assert start(sample, folder, "--emails", "--email-template", str(template)) == 0
    college = read_eml(next(folder.glob("*Northshire College.eml")))
    assert str(college["Subject"]) == "Q3 2013/14 update for Northshire College"
    assert body_text(college).startswith("Hello Ian Marsden,\n\nBack by 31 Jan 2014, please.")

    template.write_text("Subject: {round}\n\nDear {firstname},\n")
    with pytest.raises(Exception, match="firstname"):
        check_template(template.read_text())
    capsys.readouterr()
    before = sample.read_bytes()
    assert start(sample, tmp_path / "other", "--emails", "--email-template", str(template)) == 2
    assert "{firstname}" in capsys.readouterr().err
    assert sample.read_bytes() == before
    assert not (tmp_path / "other").exists() or not list((tmp_path / "other").iterdir())


def test_a_lead_officer_round_is_addressed_to_the_lead(sample: Path, tmp_path: Path) -> None:
    folder = tmp_path / "leads"
    code = main(
        ["round", "start", str(sample), str(folder), "--by", "lead", "--emails", "--sender", "X"]
    )
    assert code == 0
    draft = read_eml(next(folder.glob("*Claire Dobson.eml")))
    assert draft["To"].addresses[0].addr_spec == "claire.dobson@northshire.gov.uk"
    assert "Northshire County Council" in body_text(draft)


def test_a_contact_added_after_the_round_gets_the_reminder(sample: Path, tmp_path: Path) -> None:
    folder = tmp_path / "round"
    with PlanFile.open(sample) as plan_file:
        with plan_file.Session() as session:
            nas = session.query(PartnerContact).filter_by(name="Tom Beresford").one()
            partner_id = nas.partner_id
        runner = runner_for(plan_file, who="Test")
        runner.execute(DeleteRecord("partner_contact", nas.id))
        plan_file.save()
    assert start(sample, folder, "--emails") == 0
    assert len(list(folder.glob("*.eml"))) == 9
    with PlanFile.open(sample) as plan_file:
        runner_for(plan_file, who="Test").execute(
            CreateRecord(
                "partner_contact",
                {
                    "partner_id": partner_id,
                    "name": "Asha Patel",
                    "email": "asha.patel@nhs.net",
                    "round_contact": True,
                },
            )
        )
        plan_file.save()
    assert main(["round", "remind", str(sample), str(folder)]) == 0
    nas_reminder = read_eml(next(folder.glob("*Ambulance*reminder.eml")))
    assert nas_reminder["To"].addresses[0].addr_spec == "asha.patel@nhs.net"
