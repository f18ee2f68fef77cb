"""Partner bodies' contacts in the workbook: listed under each body in the Partners sheet's
key, and kept when a plan is made again from the workbook, as exported, as LibreOffice
saves it and as an officer corrects it by hand; merging a return leaves them alone."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from returns_helpers import edit_copy, export_slice, merge
from workbook_fixtures import resave_with_libreoffice

from planner.cli import main
from planner.io.excel.contacts import contact_line, read_contact_line
from planner.queries.directory import ContactRow
from planner.store.models import Partner, PartnerContact
from planner.store.planfile import PlanFile

Contact = tuple[str, str, str, str, str, bool]  # body, name, role, email, phone, round contact


def contacts_of(plan: Path) -> set[Contact]:
    with PlanFile.open(plan, read_only=True) as plan_file, plan_file.Session() as session:
        rows = session.query(PartnerContact, Partner).join(
            Partner, Partner.id == PartnerContact.partner_id
        )
        return {(p.name, c.name, c.role, c.email, c.phone, c.round_contact) for c, p in rows}


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    plan = tmp_path / "northshire.plan"
    assert main(["sample", str(plan)]) == 0
    return plan


@pytest.fixture
def exported(sample: Path, tmp_path: Path) -> Path:
    out = tmp_path / "Northshire plan.xlsx"
    assert main(["export", str(sample), str(out)]) == 0
    return out


def key_lines(path: Path) -> list[str]:
    sheet = openpyxl.load_workbook(path)["Partners"]
    return [
        str(value) for (value,) in sheet.iter_rows(min_col=3, max_col=3, values_only=True) if value
    ]


def test_the_partners_sheet_lists_each_body_s_contacts_under_its_key(exported: Path) -> None:
    lines = key_lines(exported)
    college = lines.index("NColl: Northshire College (Education)")
    assert lines[college + 1].strip() == (
        "Round contact: Ian Marsden (Vice Principal (Resources)), "
        "ian.marsden@northshire-college.ac.uk, tel. 01632 960881"
    )
    assert lines[college + 2].strip().startswith("Contact: Rachel O'Connor (MIS Manager), ")


def test_people_sheet_carries_each_person_s_email(exported: Path) -> None:
    sheet = openpyxl.load_workbook(exported)["People"]
    rows = list(sheet.iter_rows(values_only=True))
    email = list(rows[0]).index("Email")
    by_name = {row[0]: row[email] for row in rows[1:]}
    assert by_name["Ian Marsden"] == "ian.marsden@northshire-college.ac.uk"


def test_a_plan_made_from_the_workbook_keeps_every_contact(
    sample: Path, exported: Path, tmp_path: Path
) -> None:
    again = tmp_path / "again.plan"
    assert main(["new-from-excel", str(exported), str(again)]) == 0
    assert contacts_of(again) == contacts_of(sample)
    assert len(contacts_of(sample)) == 16


def test_contacts_survive_a_libreoffice_save(sample: Path, exported: Path, tmp_path: Path) -> None:
    resaved = resave_with_libreoffice(exported, tmp_path / "resaved")
    if resaved is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    again = tmp_path / "again.plan"
    assert main(["new-from-excel", str(resaved), str(again)]) == 0
    assert contacts_of(again) == contacts_of(sample)


def test_a_contact_corrected_by_hand_is_read_as_corrected(exported: Path, tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(exported)
    sheet = workbook["Partners"]
    for row in sheet.iter_rows(min_col=3, max_col=3):
        cell = row[0]
        if isinstance(cell.value, str) and "Margaret Bell" in cell.value:
            cell.value = "Round contact: Margaret Bell (Chief Executive), m.bell@ncvs.org.uk"
        elif isinstance(cell.value, str) and "Joan Pike" in cell.value:
            cell.value = "Contact: Joan Pike, tel. 07700 900461"
    edited = tmp_path / "edited.xlsx"
    workbook.save(edited)
    again = tmp_path / "again.plan"
    assert main(["new-from-excel", str(edited), str(again)]) == 0
    cvs = {c for c in contacts_of(again) if c[0] == "Northshire CVS"}
    assert cvs == {
        ("Northshire CVS", "Margaret Bell", "Chief Executive", "m.bell@ncvs.org.uk", "", True),
        ("Northshire CVS", "Joan Pike", "", "", "07700 900461", False),
    }


def test_merging_a_return_leaves_contacts_alone(sample: Path, tmp_path: Path) -> None:
    before = contacts_of(sample)
    sent = export_slice(sample, tmp_path / "college.xlsx", partner="Northshire College")
    returned = edit_copy(sent, tmp_path / "college back.xlsx", {})
    with PlanFile.open(sample) as plan_file:
        merge(plan_file, returned, from_name="Ian Marsden")
        plan_file.save()
    assert contacts_of(sample) == before


@pytest.mark.parametrize(
    "contact",
    [
        ContactRow(
            1, 1, "NCC", "Siân O'Brien, MBE", "Head of ICT (Interim)", "s@x.gov.uk", "", True
        ),
        ContactRow(1, 1, "NCC", "Dr A. Patel", "", "", "+44 1632 960000", False),
        ContactRow(
            1, 1, "NCC", "J Smith", "Lead (Digital (Schools))", "j.smith@x.org", "01632", False
        ),
    ],
)
def test_a_contact_line_reads_back_as_written(contact: ContactRow) -> None:
    read = read_contact_line(contact_line(contact))
    assert read is not None
    assert (read.name, read.role, read.email, read.phone, read.round_contact) == (
        contact.name,
        contact.role,
        contact.email,
        contact.phone,
        contact.round_contact,
    )


def test_a_key_line_is_not_a_contact() -> None:
    assert read_contact_line("NColl: Northshire College (Education)") is None
