"""Update rounds: one workbook per recipient, tracked until returned, merged as they come."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from planner.cli import main
from planner.store.models import Action, ActionPartner, Partner, RoundRecipient, UpdateRound
from planner.store.planfile import PlanFile


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def recipients(path: Path) -> list[RoundRecipient]:
    with PlanFile.open(path, read_only=True) as plan_file, plan_file.Session() as session:
        return list(session.scalars(select(RoundRecipient).order_by(RoundRecipient.name)))


def test_starting_a_round_writes_one_workbook_per_partner_and_records_it(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "round"
    folder.mkdir()
    code, out, err = run(
        capsys,
        "round",
        "start",
        sample_path,
        folder,
        "--by",
        "partner",
        "--return-by",
        "31/01/2014",
        "--sender",
        "Helen Ashworth",
    )
    assert code == 0, err
    files = sorted(path.name for path in folder.glob("*.xlsx"))
    assert len(files) == 10
    assert "Planting the Flag in Northshire - Q3 2013-14 update - Northshire CVS.xlsx" in files
    sent = recipients(sample_path)
    assert {r.file_name for r in sent} == set(files)
    assert all(r.returned_on is None for r in sent)
    with PlanFile.open(sample_path, read_only=True) as plan_file, plan_file.Session() as session:
        held = session.scalars(select(UpdateRound)).one()
        assert held.title == "Q3 2013/14 update" and held.recipients == "partner"
        cvs = session.scalars(select(Partner).where(Partner.name == "Northshire CVS")).one()
        cvs_actions = {
            action.ref
            for action in session.scalars(select(Action))
            if any(link.partner_id == cvs.id for link in action.partners)
        }
    workbook = openpyxl.load_workbook(
        folder / "Planting the Flag in Northshire - Q3 2013-14 update - Northshire CVS.xlsx",
        read_only=True,
    )
    refs = {row[1] for row in workbook["Actions"].iter_rows(min_row=2, values_only=True)}
    assert refs == cvs_actions  # each recipient gets only their own actions
    meta = dict(workbook["_planner"].iter_rows(values_only=True))
    assert meta["recipient"] == "Northshire CVS" and meta["round_id"] == held.uid
    code, out, _ = run(capsys, "round", "status", sample_path)
    assert "Q3 2013/14 update (return by 31/01/2014)" in out
    assert out.count("Late: ") == 10


def test_a_returned_workbook_is_merged_and_marked_returned(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "round"
    folder.mkdir()
    assert run(capsys, "round", "start", sample_path, folder, "--by", "lead")[0] == 0
    returned = next(folder.glob("*Ruth Calloway.xlsx"))
    workbook = openpyxl.load_workbook(returned)
    sheet = workbook["Actions"]
    column = {cell.value: number for number, cell in enumerate(sheet[1], start=1)}
    row = next(
        r for r in range(2, sheet.max_row + 1) if sheet.cell(r, column["Ref"]).value == "4.2"
    )
    sheet.cell(row, column["% complete"]).value = "60%"
    sheet.cell(
        row, column["Latest update"]
    ).value = "IT health check passed; remediation under way."
    workbook.save(returned)

    code, out, err = run(capsys, "round", "import", sample_path, returned)
    assert code == 0, err
    assert "Action 4.2, % complete: plan 40% -> returned 60%" in out
    assert all(r.returned_on is None for r in recipients(sample_path))  # preview only

    code, out, err = run(capsys, "round", "import", sample_path, returned, "--apply")
    assert code == 0, err
    ruth = next(r for r in recipients(sample_path) if r.name == "Ruth Calloway")
    assert ruth.returned_on is not None and ruth.returned_file == returned.name
    with PlanFile.open(sample_path, read_only=True) as plan_file, plan_file.Session() as session:
        action = session.scalars(select(Action).where(Action.ref == "4.2")).one()
        assert action.percent == 60
        assert action.updates[-1].commentary == "IT health check passed; remediation under way."
    code, out, _ = run(capsys, "round", "status", sample_path)
    assert "Returned" in next(line for line in out.splitlines() if "Ruth Calloway" in line)


def test_a_round_needs_a_folder_it_can_use_and_a_real_date(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sample_path.read_bytes()
    (tmp_path / "a file").write_text("")
    code, _, err = run(
        capsys, "round", "start", sample_path, tmp_path / "a file" / "round", "--by", "partner"
    )
    assert code == 2 and err.startswith("planner: ") and len(err.strip().splitlines()) == 1
    code, _, err = run(
        capsys,
        "round",
        "start",
        sample_path,
        tmp_path,
        "--by",
        "partner",
        "--return-by",
        "31/02/2014",
    )
    assert code == 2 and "is not a date" in err
    assert sample_path.read_bytes() == before
    assert not list(tmp_path.glob("*.xlsx"))


def test_a_round_from_start_to_every_workbook_returned(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "round"
    folder.mkdir()
    assert run(capsys, "round", "start", sample_path, folder, "--by", "partner")[0] == 0
    files = sorted(folder.glob("*.xlsx"))
    assert len(files) == 10
    leads = lead_partners(sample_path)
    # Each partner moves one of its actions on by 5 percentage points: one it leads where
    # it leads any (its own to change), else another (a suggestion to the plan office).
    moved: dict[str, int] = {}
    suggested: set[str] = set()
    for path in files:
        workbook = openpyxl.load_workbook(path)
        body = workbook["_planner"]
        partner = next(row[1].value for row in body.iter_rows() if row[0].value == "recipient")
        sheet = workbook["Actions"]
        column = {cell.value: number for number, cell in enumerate(sheet[1], start=1)}
        rows = range(2, sheet.max_row + 1)
        own = [r for r in rows if (sheet.cell(r, column["Ref"]).value, partner) in leads]
        for row in own or list(rows):
            ref = sheet.cell(row, column["Ref"]).value
            percent = sheet.cell(row, column["% complete"]).value
            if ref not in moved and ref not in suggested and percent < 95:
                if own:
                    moved[ref] = percent + 5
                else:
                    suggested.add(ref)
                sheet.cell(row, column["% complete"]).value = percent + 5
                break
        workbook.save(path)
    before = action_percents(sample_path)
    code, out, err = run(capsys, "round", "import", sample_path, *files, "--apply")
    assert code == 0, err
    assert "Merged 10 returned workbook(s)" in out
    assert all(r.returned_on is not None for r in recipients(sample_path))
    code, out, _ = run(capsys, "round", "status", sample_path)
    assert "Outstanding" not in out and out.count("Returned ") == 10
    percents = action_percents(sample_path)
    assert moved and suggested
    assert {ref: percents[ref] for ref in moved} == moved
    assert {ref: percents[ref] for ref in suggested} == {ref: before[ref] for ref in suggested}


def lead_partners(path: Path) -> set[tuple[str, str]]:
    """(action ref, partner body name) for each action's lead partner body."""
    with PlanFile.open(path, read_only=True) as plan_file, plan_file.Session() as session:
        return {
            (ref, name)
            for ref, name in session.execute(
                select(Action.ref, Partner.name)
                .join(ActionPartner, ActionPartner.action_id == Action.id)
                .join(Partner, Partner.id == ActionPartner.partner_id)
                .where(ActionPartner.role == "lead")
            )
        }


def action_percents(path: Path) -> dict[str, int]:
    with PlanFile.open(path, read_only=True) as plan_file, plan_file.Session() as session:
        return {a.ref: a.percent for a in session.scalars(select(Action))}
