"""The Measures and Benefits sheets and the Actions sheet's money, as a partner's officer
receiving the Northshire workbook (status date 31 Dec 2013) reads them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from planner.io.excel import ExportOptions, export_workbook, gather
from planner.io.sample import write_sample
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
        "Outcome",
        "Owner",
        "Unit",
        "Period",
        "Target",
        "Actual",
        "Commentary",
        "Data quality",
    ]
    online = [r for r in rows if r[1].value == ONLINE]
    periods = [r[5].value for r in online]
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
    assert [r[5].value for r in savings] == ["2012/13", "2013/14", "2014/15"]
    assert savings[0][6].number_format == "£#,##0"
    # editable cells are filled pale gold, read-only ones are not; headings say which
    assert cell(sheet, q3, "Actual").fill.fgColor.rgb.endswith("FFF8E1")
    assert cell(sheet, q3, "Target").fill.fill_type in (None, "none")
    assert sheet["H1"].fill.fgColor.rgb.endswith("FFE699")
    assert sheet.freeze_panes == "C2"
    assert str(sheet.print_area).replace("$", "").startswith("'Measures'!B1")  # no uids
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
