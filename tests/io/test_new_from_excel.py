"""Starting a plan from an existing spreadsheet of actions."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select
from workbook_fixtures import (
    resave_with_libreoffice,
    to_strict,
    understate_dimension,
    with_backslash_paths,
    with_stray_cell,
)

from planner.cli import main
from planner.io.excel.new_plan import plan_data_from_workbook
from planner.store.models import Action, Partner, Person, Plan, Theme
from planner.store.planfile import PlanFile


def simple_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Plan"
    sheet.append(["Digital strategy action plan 2025"])
    sheet.append(
        [
            "Workstream",
            "No.",
            "ACTION",
            "  Owner ",
            "Partners",
            "Deadline",
            "RAG",
            "Progress",
            "Budget",
        ]
    )
    sheet.append(
        [
            "1. Infrastructure",
            "1.1",
            "Replace core network",
            "Sam Patel",
            "Northshire County Council; Northshire Police",
            datetime.date(2026, 3, 31),
            "Green",
            "Tender issued",
            250000,
        ]
    )
    sheet.append(
        [
            "1. Infrastructure",
            "",
            "Move email to the cloud",
            "Sam Patel",
            "Northshire County Council",
            "30/06/2026",
            "amber",
            "",
            None,
        ]
    )
    sheet.append(
        [
            "2. Data",
            "2.1",
            "Open data portal",
            "Jo Green",
            "University of Northshire, Northshire Hospitals NHS Trust",
            "1 Sep 2026",
            "R",
            "Supplier delayed",
            None,
        ]
    )
    sheet.append(["2. Data", "2.2", "", "Jo Green", "", "", "", "", None])
    sheet.append(
        [
            "2. Data",
            "2.3",
            "Data sharing protocol",
            "Jo Green",
            "Northshire CVS",
            "31/02/2026",
            "G",
            "",
            None,
        ]
    )
    book.save(path)
    return path


def test_a_table_of_actions_becomes_a_plan_with_a_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = simple_workbook(tmp_path / "Digital strategy.xlsx")
    out = tmp_path / "digital.plan"
    assert main(["new-from-excel", str(source), str(out), "--organisation", "Northshire CC"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[:4] == [
        "Created 2 themes, 4 actions, 2 people, 5 partner bodies and 0 milestones from the "
        "sheet 'Plan'.",
        "1 cell and 1 row could not be used:",
        "  ACTION: empty, so the row was left out — 1 row, row 6",
        "  Deadline: '31/02/2026' is not a date — 1 cell, row 7",
    ]
    assert "Columns not recognised, so not read: Budget" in printed
    with PlanFile.open(out, read_only=True) as plan_file, plan_file.Session() as session:
        themes = [
            (t.number, t.title) for t in session.scalars(select(Theme).order_by(Theme.number))
        ]
        assert themes == [(1, "Infrastructure"), (2, "Data")]
        actions = {a.ref: a for a in session.scalars(select(Action))}
        assert set(actions) == {"1.1", "1.2", "2.1", "2.3"}
        assert actions["1.2"].title == "Move email to the cloud"  # a ref is given when missing
        assert actions["1.1"].due == datetime.date(2026, 3, 31)
        assert actions["1.2"].due == datetime.date(2026, 6, 30)
        assert actions["2.1"].due == datetime.date(2026, 9, 1)
        assert (actions["1.1"].rag, actions["1.2"].rag, actions["2.1"].rag) == ("G", "A", "R")
        # the date that could not be read is left out, the rest of its row is used
        assert (actions["2.3"].title, actions["2.3"].due, actions["2.3"].rag) == (
            "Data sharing protocol",
            None,
            "G",
        )
        assert actions["2.1"].updates[-1].commentary == "Supplier delayed"
        assert [link.person.name for link in actions["1.1"].people] == ["Sam Patel"]
        people = sorted(p.name for p in session.scalars(select(Person)))
        assert people == ["Jo Green", "Sam Patel"]  # one record per distinct name
        sectors = {p.name: p.sector for p in session.scalars(select(Partner))}
        assert sectors["Northshire Police"] == "emergency_services"
        assert sectors["Northshire Hospitals NHS Trust"] == "health"
        assert sectors["University of Northshire"] == "education"
        assert sectors["Northshire CVS"] == "civil_society"
    assert main(["check", str(out)]) == 0


def test_a_workbook_without_an_action_column_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Costs"
    book.active.append(["Name", "Budget"])
    book.active.append(["Something", 10])
    source = tmp_path / "budget.xlsx"
    book.save(source)
    out = tmp_path / "budget.plan"
    assert main(["new-from-excel", str(source), str(out)]) == 2
    err = capsys.readouterr().err
    assert err == (
        "planner: 'budget.xlsx' has no column this program recognises as the action title: "
        "the sheet 'Costs' has the headings 'Name', 'Budget'; head the column holding the "
        "actions 'Action' or 'Title' and try again.\n"
    )
    assert not out.exists()


def test_a_chosen_column_mapping_reads_the_same_table_as_the_headings_found(
    tmp_path: Path,
) -> None:
    """Headings below a title row, and a column the user maps by hand."""
    from planner.io.excel.new_plan import recognise

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Northshire digital plan"])
    sheet.append([])
    headings = ["Action", "Accountable exec", "Due"]
    sheet.append(headings)
    sheet.append(["Replace core network", "Pat Executive", "31/03/2026"])
    sheet.append(["Open data portal", "Jo Director", "30/09/2026"])
    source = tmp_path / "plan.xlsx"
    book.save(source)
    mapping = {**recognise(headings), 1: "lead"}
    data, report = plan_data_from_workbook(source, mapping)
    titles = [action["title"] for theme in data["themes"] for action in theme["actions"]]
    assert titles == ["Replace core network", "Open data portal"]
    assert sorted(person["name"] for person in data["people"]) == ["Jo Director", "Pat Executive"]
    assert report.actions == 2 and not report.skipped


# ----- this program's own export --------------------------------------------------------


def plan_contents(path: Path) -> dict[str, Any]:
    """Each action by ref, with its people, partner bodies, milestones and latest update,
    and the people's details: what an officer would check after starting a plan."""
    with PlanFile.open(path, read_only=True) as plan_file, plan_file.Session() as session:
        actions = {
            action.ref: (
                action.theme.number,
                action.theme.title,
                action.title,
                action.description,
                action.start,
                action.due,
                action.baseline_due,
                action.status,
                action.rag,
                action.percent,
                sorted((link.person.name, link.role) for link in action.people),
                sorted(
                    (p.partner.name, p.partner.short_name, p.partner.sector, p.role)
                    for p in action.partners
                ),
                sorted(
                    (
                        m.title,
                        m.due,
                        m.baseline_due,
                        m.completed_on,
                        m.owner and m.owner.name,
                        m.note,
                    )
                    for m in action.milestones
                ),
                max(action.updates, key=lambda u: u.as_at).commentary if action.updates else None,
            )
            for action in session.scalars(select(Action))
        }
        people = {
            person.name: (
                person.job_title,
                person.email,
                person.organisation.name if person.organisation else None,
            )
            for person in session.scalars(select(Person))
        }
        plan = session.scalars(select(Plan)).one()
        header = (
            plan.title,
            plan.organisation,
            plan.period_start,
            plan.period_end,
            plan.status_date,
            plan.protective_marking,
        )
    return {"actions": actions, "people": people, "plan": header}


def export_of(plan: Path, out: Path, *args: str) -> Path:
    assert main(["export", str(plan), str(out), *args]) == 0
    return out


def test_the_programs_own_export_becomes_the_same_plan(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Refs, lead officers, other people with their roles, partner bodies with their
    roles and sectors, milestones and the latest updates all come back; the hidden ID
    column is never taken for the action number."""
    exported = export_of(sample_path, tmp_path / "Northshire.xlsx")
    out = tmp_path / "again.plan"
    capsys.readouterr()
    assert main(["new-from-excel", str(exported), str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed == [
        "Created 7 themes, 27 actions, 18 people, 10 partner bodies and 94 milestones from "
        "the sheet 'Actions'.",
        "This workbook was exported by Strategy Planner: its hidden ID column was not read, "
        "and its refs, people, partner bodies and milestones were kept.",
        "Milestones were read from the sheet 'Milestones'.",
        f"Wrote {out}.",
    ]
    assert plan_contents(out) == plan_contents(sample_path)
    assert main(["check", str(out)]) == 0


def test_a_slice_of_the_programs_export_keeps_its_theme_numbers_and_refs(
    sample_path: Path, tmp_path: Path
) -> None:
    exported = export_of(sample_path, tmp_path / "College.xlsx", "--partner", "Northshire College")
    data, report = plan_data_from_workbook(exported)
    refs = {
        (theme["number"], action["ref"]) for theme in data["themes"] for action in theme["actions"]
    }
    assert refs == {(3, "3.5"), (4, "4.1"), (6, "6.1"), (6, "6.3"), (7, "7.2")}
    assert report.actions == 5 and not report.skipped


# ----- choosing the table ---------------------------------------------------------------


def test_the_sheet_holding_the_most_action_like_table_is_used_and_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "Cover"
    cover.append(["Digital strategy 2025-2028"])
    cover.append(["Owner: Head of Digital"])
    lookups = book.create_sheet("Lookups")
    lookups.append(["Status"])
    for status in ("Not started", "In progress", "Completed"):
        lookups.append([status])
    budget = book.create_sheet("Budget")
    budget.append(["Action", "Budget"])
    budget.append(["Replace core network", 250000])
    plan = book.create_sheet("Delivery plan")
    plan.append(["Northshire delivery plan"])
    plan.append([])
    plan.append(["Ref", "Action", "Lead", "Due", "Status", "RAG"])
    plan.append(["1.1", "Replace core network", "Sam Patel", "31/03/2026", "Underway", "G"])
    plan.append(["1.2", "Move email to the cloud", "Sam Patel", "30/06/2026", "Planned", "A"])
    source = tmp_path / "strategy.xlsx"
    book.save(source)
    assert main(["new-from-excel", str(source), str(tmp_path / "out.plan")]) == 0
    assert capsys.readouterr().out.startswith(
        "Created 1 theme, 2 actions, 1 person, 0 partner bodies and 0 milestones from the "
        "sheet 'Delivery plan'."
    )


def test_a_project_tool_export_is_read_by_its_own_headings(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ID", "Task Name", "Duration", "Start", "Finish", "Resource Names", "% Complete"])
    sheet.append(
        [
            1,
            "Discovery",
            "20 days",
            datetime.datetime(2026, 1, 5),
            datetime.datetime(2026, 1, 30),
            "Sam Patel",
            1,
        ]
    )
    sheet.append(
        [
            2,
            "Alpha",
            "40 days",
            datetime.datetime(2026, 2, 2),
            datetime.datetime(2026, 3, 27),
            "Jo Green",
            0.5,
        ]
    )
    sheet["G3"].number_format = "0%"
    source = tmp_path / "project.xlsx"
    book.save(source)
    data, report = plan_data_from_workbook(source)
    [theme] = data["themes"]
    [first, second] = theme["actions"]
    assert (first["ref"], first["title"], first["start"], first["due"]) == (
        "1",
        "Discovery",
        "2026-01-05",
        "2026-01-30",
    )
    assert (second["ref"], second["percent"]) == ("2", 50)
    assert [person["name"] for person in data["people"]] == ["Sam Patel", "Jo Green"]
    assert report.unrecognised == ["Duration"]


def test_a_raid_log_typed_by_hand_is_read_as_typed(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Ref", "Action", "Owner", "Target date", "Status *", "RAG", "Comments"])
    sheet.append(["A1", "Agree data sharing", "Jo Green", "31/3/27", "Done", "Complete", "Signed"])
    sheet.append(["A2", "Appoint supplier", "Sam Patel", "Mon 5/4/2026", "On track", "At risk", ""])
    sheet.append(["A3", "Train staff", "Sam Patel", 41729, "TBC", "Amber/Red", "Awaiting HR"])
    sheet.append(["A4", "Close the old data centre", "", "31 March 2014", "Withdrawn", "R", ""])
    source = tmp_path / "raid.xlsx"
    book.save(source)
    data, report = plan_data_from_workbook(source)
    actions = {action["ref"]: action for action in data["themes"][0]["actions"]}
    assert [(a["due"], a["status"], a["rag"]) for a in actions.values()] == [
        ("2027-03-31", "completed", "B"),
        ("2026-04-05", "in_progress", "A"),
        ("2014-03-31", "not_started", None),
        ("2014-03-31", "cancelled", "R"),
    ]
    assert actions["A1"]["updates"][0]["commentary"] == "Signed"
    assert report.skipped_lines() == [
        "RAG: 'Amber/Red' names more than one rating; choose one — 1 cell, row 4"
    ]
    assert report.doubtful_lines() == [
        "Target date: a two-digit year — 1 cell, row 2 ('31/3/27')",
        "Target date: Monday is not the day of 5 Apr 2026, a Sunday — 1 cell, row 3 "
        "('Mon 5/4/2026')",
    ]


def test_skipped_cells_are_grouped_by_reason_with_counts_and_ten_examples(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Action", "Due", "RAG", "% complete"])
    for number in range(1, 26):
        due = "soon" if number <= 14 else "31/03/2026"
        rag = {3: "Purple", 5: "Pink", 7: "Purple"}.get(number, "Green")
        sheet.append([f"Action {number}", due, rag, 10])
    source = tmp_path / "many.xlsx"
    book.save(source)
    assert main(["new-from-excel", str(source), str(tmp_path / "many.plan")]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[:4] == [
        "Created 1 theme, 25 actions, 0 people, 0 partner bodies and 0 milestones from the "
        "sheet 'Sheet'.",
        "17 cells could not be used:",
        "  Due: 'soon' is not a date — 14 cells, e.g. row 2, row 3, row 4, row 5, row 6, "
        "row 7, row 8, row 9, row 10, row 11, …",
        "  RAG: not a RAG rating (use Red, Amber, Green, Blue) — 3 cells, row 4 ('Purple'), "
        "row 6 ('Pink'), row 8 ('Purple')",
    ]
    assert max(len(line) for line in printed) < 200


# ----- messy files ----------------------------------------------------------------------


def without_title(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != "plan"}


def test_workbooks_as_other_programs_save_them_give_the_same_plan(tmp_path: Path) -> None:
    plain = simple_workbook(tmp_path / "plain.xlsx")
    expected, expected_report = plan_data_from_workbook(plain)
    copies = {
        "stray cell": with_stray_cell(plain, tmp_path / "stray.xlsx", "Plan", "XFD1048576"),
        "understated size": understate_dimension(plain, tmp_path / "small.xlsx", "Plan", "A1:B2"),
        "strict": to_strict(plain, tmp_path / "strict.xlsx"),
        "backslash paths": with_backslash_paths(plain, tmp_path / "windows.xlsx"),
    }
    resaved = resave_with_libreoffice(plain, tmp_path / "libreoffice")
    if resaved is not None:
        copies["LibreOffice"] = resaved
    for kind, copy in copies.items():
        data, report = plan_data_from_workbook(copy)
        assert without_title(data) == without_title(expected), kind
        assert report.skipped_lines() == expected_report.skipped_lines(), kind


def test_a_sheet_with_more_rows_of_values_than_any_plan_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The limit is 100,000 rows holding values (the returns' tests use the real size);
    here it is lowered to keep the test quick."""
    from planner.io.excel import tables

    monkeypatch.setattr(tables, "MAX_ROWS", 1_000)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Actions")
    sheet.append(["Action"])
    for number in range(1, 1_002):
        sheet.append([f"Do {number}"])
    book.save(tmp_path / "huge.xlsx")
    out = tmp_path / "huge.plan"
    assert main(["new-from-excel", str(tmp_path / "huge.xlsx"), str(out)]) == 2
    assert capsys.readouterr().err == (
        "planner: The 'Actions' sheet has more than 1,000 rows, far more than a plan holds, "
        "so the workbook was not read.\n"
    )
    assert not out.exists()
