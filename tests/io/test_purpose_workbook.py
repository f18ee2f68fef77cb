"""The Measures and Benefits sheets and the Actions sheet's money, as a partner's officer
receiving the Northshire workbook (status date 31 Dec 2013) reads them."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select
from workbook_fixtures import resave_with_libreoffice

from planner.commands import runner_for
from planner.io.excel import ExportOptions, export_workbook, gather
from planner.io.excel.merge import MergePreview, build_preview, merge_command, preview_lines
from planner.io.excel.reading import read_returned
from planner.io.sample import write_sample
from planner.queries.lookups import plan_header
from planner.store.models import (
    Benefit,
    BenefitValue,
    Measure,
    MeasureValue,
    Partner,
    ReturnedValue,
)
from planner.store.planfile import PlanFile

ONLINE = "Share of the top ten transactions completed online"
CONTRACTS = "Renegotiated joint software contracts"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("purpose-export")
    plan = folder / "northshire.plan"
    data_dir = folder / "user-data"
    write_sample(plan, data_dir=data_dir).close()
    with (
        PlanFile.open(plan, read_only=True, data_dir=data_dir) as plan_file,
        plan_file.Session() as session,
    ):
        content = gather(session, plan_file.plan_id, ExportOptions(exported_by="Head of ICT"))
    return export_workbook(content, folder / "Northshire.xlsx")


@pytest.fixture(scope="module")
def book(exported: Path) -> Any:
    return openpyxl.load_workbook(exported)


def rows_of(sheet: Any) -> tuple[list[str], list[tuple[Any, ...]]]:
    headers = [cell.value for cell in sheet[1]]
    return headers, [row for row in sheet.iter_rows(min_row=2)]


def find(sheet: Any, **wanted: str) -> tuple[Any, ...]:
    headers, rows = rows_of(sheet)
    for row in rows:
        if all(row[headers.index(h.replace("_", " "))].value == v for h, v in wanted.items()):
            return row
    raise AssertionError(f"no row {wanted}")


def cell(sheet: Any, row: tuple[Any, ...], header: str) -> Any:
    return row[[c.value for c in sheet[1]].index(header)]


def validations(sheet: Any) -> dict[str, Any]:
    """Column letter -> the validation covering it from row 2."""
    found = {}
    for validation in sheet.data_validations.dataValidation:
        for cells in str(validation.sqref).split():
            found[cells.split(":")[0].rstrip("0123456789")] = validation
    return found


def test_the_new_sheets_follow_milestones(book: Any) -> None:
    names = book.sheetnames
    assert names.index("Measures") == names.index("Milestones") + 1
    assert names.index("Benefits") == names.index("Measures") + 1


def test_measures_sheet_lists_each_period_due_with_the_figures_to_fill_in(book: Any) -> None:
    sheet = book["Measures"]
    headers, rows = rows_of(sheet)
    assert headers == [
        "ID",
        "Measure",
        "Period",
        "Outcome",
        "Owner",
        "Unit",
        "Target",
        "Actual",
        "Commentary",
        "Data quality",
    ]
    online = [r for r in rows if r[1].value == ONLINE]
    periods = [r[2].value for r in online]
    # every quarter up to the one holding the status date, and the next one
    assert periods[0] == "Q1 2012/13" and periods[-1] == "Q4 2013/14"
    assert "Q1 2014/15" not in periods
    q3 = find(sheet, Measure=ONLINE, Period="Q3 2013/14")
    assert cell(sheet, q3, "Owner").value == "Joanne Hartley"
    assert cell(sheet, q3, "Unit").value == "%"
    assert cell(sheet, q3, "Outcome").value == "Residents and businesses transact online by default"
    assert isinstance(cell(sheet, q3, "Actual").value, float)
    assert cell(sheet, q3, "Actual").number_format == '0.0"%"'
    assert len(str(cell(sheet, q3, "ID").value)) == 32
    q4 = find(sheet, Measure=ONLINE, Period="Q4 2013/14")
    assert cell(sheet, q4, "Actual").value is None and cell(sheet, q4, "Target").value
    savings = [r for r in rows if r[1].value == "Savings from shared ICT services"]
    assert [r[2].value for r in savings] == ["2012/13", "2013/14", "2014/15"]
    assert savings[0][6].number_format == "£#,##0"
    # editable cells are filled pale gold, read-only ones are not; headings say which
    assert cell(sheet, q3, "Actual").fill.fgColor.rgb.endswith("FFF8E1")
    assert cell(sheet, q3, "Target").fill.fill_type in (None, "none")
    assert sheet["H1"].fill.fgColor.rgb.endswith("FFE699")
    assert sheet.freeze_panes == "D2"  # the measure and its period stay in view
    assert str(sheet.print_area).replace("$", "").startswith("'Measures'!B1")  # no uids
    # printed two pages wide, the measure and its period are printed again beside the
    # commentary to return
    assert str(sheet.print_title_cols).replace("$", "") == "B:C"
    checks = validations(sheet)
    assert checks["H"].type == "decimal"
    assert checks["I"].type == "textLength" and checks["J"].type == "textLength"
    assert sheet.page_setup.orientation == "landscape"
    assert (sheet.print_title_rows or "").replace("$", "") == "1:1"


def test_benefits_sheet_has_a_row_per_year_with_realised_to_fill_in(book: Any) -> None:
    sheet = book["Benefits"]
    headers, _rows = rows_of(sheet)
    assert headers == [
        "ID",
        "Action ref",
        "Benefit",
        "Type",
        "Received by",
        "Year",
        "Planned",
        "Realised",
        "Validated",
    ]
    first = find(sheet, Benefit=CONTRACTS, Year="2012/13")
    assert cell(sheet, first, "Action ref").value == "3.2"
    assert cell(sheet, first, "Received by").value == "NCC"
    assert cell(sheet, first, "Planned").value == 180000
    assert cell(sheet, first, "Realised").value == 212000
    assert cell(sheet, first, "Realised").number_format == "£#,##0"
    assert cell(sheet, first, "Validated").value == "Yes — Martin Greaves, 20/05/2013"
    second = find(sheet, Benefit=CONTRACTS, Year="2013/14")
    assert cell(sheet, second, "Realised").value is None
    assert cell(sheet, second, "Validated").value is None
    checks = validations(sheet)
    assert checks["H"].type == "whole" and checks["H"].formula1 == "0"
    assert "G" not in checks and "I" not in checks  # planned and validated stay the plan's


def test_actions_show_this_years_budget_spend_and_funding(book: Any) -> None:
    sheet = book["Actions"]
    headers = [c.value for c in sheet[1]]
    assert headers[-3:] == ["Budget (2013/14)", "Spent (2013/14)", "Funded (2013/14)"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "3.4")
    budget, spent, funded = row[-3:]
    assert (budget.value, spent.value, funded.value) == (1200000, 610000, 1200000)
    assert budget.number_format == "£#,##0"
    column = sheet.column_dimensions[openpyxl.utils.get_column_letter(len(headers))]
    assert column.width >= 11  # '£1,200,000' fits
    plain = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "1.1")
    assert [c.value for c in plain[-3:]] == [None, None, None]
    assert not any(len(headers) - 3 <= col for col in _validated_columns(sheet))


def _validated_columns(sheet: Any) -> set[int]:
    from openpyxl.utils import column_index_from_string

    return {column_index_from_string(letter) - 1 for letter in validations(sheet)}


# ----- returned copies merged ------------------------------------------------------------


@dataclass
class Plan:
    path: Path
    data_dir: Path


@pytest.fixture
def plan(exported: Path, tmp_path: Path) -> Plan:
    """A copy of the plan the workbook was exported from."""
    shutil.copy2(exported.parent / "northshire.plan", tmp_path / "northshire.plan")
    return Plan(tmp_path / "northshire.plan", tmp_path / "user-data")


def edited(exported: Path, out: Path, edits: dict[tuple[str, str, str, str], Any]) -> Path:
    """A returned copy: {(sheet, name column, name, period): {column: value}}."""
    book = openpyxl.load_workbook(exported)
    for (sheet_name, name_header, name, period), values in edits.items():
        sheet = book[sheet_name]
        period_header = "Period" if sheet_name == "Measures" else "Year"
        row = find(sheet, **{name_header: name, period_header: period})
        for header, value in values.items():
            cell(sheet, row, header).value = value
    book.save(out)
    return out


def preview(plan: Plan, path: Path) -> MergePreview:
    with PlanFile.open(plan.path, data_dir=plan.data_dir) as plan_file:
        return preview_in(plan_file, path)


def preview_in(plan_file: PlanFile, path: Path) -> MergePreview:
    with plan_file.Session() as session:
        header = plan_header(session, plan_file.plan_id)
        return build_preview(
            session, plan_file.plan_id, read_returned(path, header.rag_definitions)
        )


def figures(plan: Plan) -> tuple[Any, Any, Any]:
    with PlanFile.open(plan.path, read_only=True, data_dir=plan.data_dir) as plan_file:
        return figures_in(plan_file)


def figures_in(plan_file: PlanFile) -> tuple[Any, Any, Any]:
    """The online measure's Q3 2013/14 actual and commentary, and the contracts'
    2013/14 realised value, as the plan holds them."""
    with plan_file.Session() as session:
        actual, commentary = session.execute(
            select(MeasureValue.actual, MeasureValue.commentary)
            .join(Measure, Measure.id == MeasureValue.measure_id)
            .where(Measure.name == ONLINE, MeasureValue.year == 2013, MeasureValue.quarter == 3)
        ).one()
        realised = session.scalar(
            select(BenefitValue.realised)
            .join(Benefit, Benefit.id == BenefitValue.benefit_id)
            .where(Benefit.title == CONTRACTS, BenefitValue.year == 2013)
        )
    return actual, commentary, realised


EDITS = {
    ("Measures", "Measure", ONLINE, "Q3 2013/14"): {
        "Actual": 33.5,
        "Commentary": "Kiosks in libraries lifted take-up.",
    },
    ("Benefits", "Benefit", CONTRACTS, "2013/14"): {"Realised": 95000},
}


def merge_and_check(plan: Plan, returned: Path) -> None:
    before = figures(plan)
    assert before[0] != 33.5 and before[2] is None
    found = preview(plan, returned)
    lines = "\n".join(preview_lines(found))
    assert f"Measure '{ONLINE}' Q3 2013/14, Actual:" in lines
    assert f"Benefit '{CONTRACTS}' (3.2) 2013/14, Realised: plan (empty) -> returned £95,000" in (
        lines
    )
    assert not found.problems
    with PlanFile.open(plan.path, data_dir=plan.data_dir) as plan_file:
        runner = runner_for(plan_file, who="Head of ICT")
        applied = runner.execute(merge_command(found), source=found.source_label())
        assert figures_in(plan_file) == (33.5, "Kiosks in libraries lifted take-up.", 95000)
        with plan_file.Session() as session:
            recorded = {
                (row.entity, row.field, row.value, row.outcome)
                for row in session.scalars(select(ReturnedValue))
            }
        assert ("measure_value", "actual", "33.5", "applied") in recorded
        assert ("benefit_value", "realised", "95000", "applied") in recorded
        # merged once: the same file again changes nothing
        again = preview_in(plan_file, returned)
        assert again.already_merged and not again.changes
        runner.undo(applied)
        assert figures_in(plan_file) == before


def test_returned_measure_actual_and_realised_benefit_merge_and_undo(
    plan: Plan, exported: Path, tmp_path: Path
) -> None:
    merge_and_check(plan, edited(exported, tmp_path / "returned.xlsx", EDITS))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_copy_saved_again_by_libreoffice_merges_the_same(
    plan: Plan, exported: Path, tmp_path: Path
) -> None:
    returned = edited(exported, tmp_path / "returned.xlsx", EDITS)
    resaved = resave_with_libreoffice(returned, tmp_path / "libreoffice")
    assert resaved is not None
    merge_and_check(plan, resaved)


def test_unreadable_figures_are_reported_and_leave_the_plan_alone(
    plan: Plan, exported: Path, tmp_path: Path
) -> None:
    returned = edited(
        exported,
        tmp_path / "returned.xlsx",
        {
            ("Measures", "Measure", ONLINE, "Q3 2013/14"): {"Actual": "about a third"},
            ("Benefits", "Benefit", CONTRACTS, "2013/14"): {"Realised": -5000},
        },
    )
    before = figures(plan)
    found = preview(plan, returned)
    problems = [str(problem) for problem in found.problems]
    assert any("Actual: 'about a third' is not a number" in p for p in problems), problems
    assert any("Realised: '-5000' is less than nothing" in p for p in problems), problems
    assert not found.changes
    with PlanFile.open(plan.path, data_dir=plan.data_dir) as plan_file:
        runner_for(plan_file, who="Head of ICT").execute(merge_command(found))
        plan_file.save()
    assert figures(plan) == before


def test_a_measure_returned_by_a_body_that_does_not_own_it_is_a_suggestion(
    plan: Plan, exported: Path, tmp_path: Path
) -> None:
    """Addressed to Eastvale, the copy's figures for an NCC-owned measure are suggested."""
    returned = edited(exported, tmp_path / "returned.xlsx", EDITS)
    book = openpyxl.load_workbook(returned)
    meta = book["_planner"]
    with (
        PlanFile.open(plan.path, read_only=True, data_dir=plan.data_dir) as plan_file,
        plan_file.Session() as session,
    ):
        eastvale = session.scalar(
            select(Partner.uid).where(Partner.name == "Eastvale District Council")
        )
    for row in meta.iter_rows():
        if row[0].value in ("recipient_partner", "recipient"):
            row[1].value = eastvale if row[0].value == "recipient_partner" else "Eastvale"
    book.save(returned)
    found = preview(plan, returned)
    measure = [c for c in found.changes if c.kind == "measure_value"]
    assert measure and all(c.suggestion and not c.take_returned for c in measure)
    assert "does not own this measure" in "\n".join(preview_lines(found))
