"""Starting a plan from an existing spreadsheet of actions."""

from __future__ import annotations

import datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from planner.cli import main
from planner.store.models import Action, Partner, Person, Theme
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
    printed = capsys.readouterr().out
    assert printed.startswith(
        "Created 2 themes, 3 actions, 2 people, 4 partner bodies; 2 rows skipped: "
        "row 6 has no action title; row 7: due '31/02/2026' is not a date."
    )
    assert "Columns not recognised, so not read: Budget" in printed
    with PlanFile.open(out, read_only=True) as plan_file, plan_file.Session() as session:
        themes = [
            (t.number, t.title) for t in session.scalars(select(Theme).order_by(Theme.number))
        ]
        assert themes == [(1, "Infrastructure"), (2, "Data")]
        actions = {a.ref: a for a in session.scalars(select(Action))}
        assert set(actions) == {"1.1", "1.2", "2.1"}
        assert actions["1.2"].title == "Move email to the cloud"  # a ref is given when missing
        assert actions["1.1"].due == datetime.date(2026, 3, 31)
        assert actions["1.2"].due == datetime.date(2026, 6, 30)
        assert actions["2.1"].due == datetime.date(2026, 9, 1)
        assert (actions["1.1"].rag, actions["1.2"].rag, actions["2.1"].rag) == ("G", "A", "R")
        assert actions["2.1"].updates[-1].commentary == "Supplier delayed"
        assert [link.person.name for link in actions["1.1"].people] == ["Sam Patel"]
        people = sorted(p.name for p in session.scalars(select(Person)))
        assert people == ["Jo Green", "Sam Patel"]  # one record per distinct name
        sectors = {p.name: p.sector for p in session.scalars(select(Partner))}
        assert sectors["Northshire Police"] == "emergency_services"
        assert sectors["Northshire Hospitals NHS Trust"] == "health"
        assert sectors["University of Northshire"] == "education"
        assert "Northshire CVS" not in sectors  # its only row was skipped
    assert main(["check", str(out)]) == 0


def test_a_workbook_without_an_action_column_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Name", "Budget"])
    book.active.append(["Something", 10])
    source = tmp_path / "budget.xlsx"
    book.save(source)
    out = tmp_path / "budget.plan"
    assert main(["new-from-excel", str(source), str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("planner: ") and "action title" in err and len(err.splitlines()) == 1
    assert not out.exists()


def test_a_chosen_column_mapping_reads_the_same_table_as_the_headings_found(
    tmp_path: Path,
) -> None:
    """Headings below a title row, and a column the user maps by hand."""
    from planner.io.excel.new_plan import plan_data_from_workbook, recognise

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
