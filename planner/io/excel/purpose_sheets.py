"""The Measures and Benefits sheets: a measure's actual, commentary and data quality
for each period due, and a benefit's realised value for each year, for partners to fill
in; everything else on them is the plan's, for reading."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from planner.domain.measures import Unit
from planner.io.excel.common import Cell, TableSheet, Ticker, list_validation
from planner.io.excel.content import ExportContent
from planner.io.excel.layout import (
    BENEFIT_COLUMNS,
    COMMENTARY_LIMIT,
    DATA_QUALITY_LIMIT,
    MEASURE_COLUMNS,
)
from planner.io.excel.purpose_content import BenefitLine, MeasureLine
from planner.io.excel.styles import Styles
from planner.io.excel.tables import BENEFITS_MARKER, MEASURES_MARKER, add_table_marker

UNIT_WORDS = {Unit.PERCENT: "%", Unit.POUNDS: "£", Unit.NUMBER: "Number", Unit.DAYS: "Days"}
LARGEST = 1_000_000_000_000  # far beyond any figure a plan holds
LARGEST_WHOLE = 2_147_483_647  # the largest whole number Excel validates


def amount_style(line: MeasureLine) -> str:
    if line.unit is Unit.POUNDS:
        return "money"
    if line.unit is Unit.PERCENT:
        return "amount-percent"
    return "amount-whole" if line.whole else "amount-decimal"


def measure_cells(lines: list[MeasureLine]) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for line in lines:
        style = amount_style(line)
        values: dict[str, Cell] = {
            "id": (line.uid, "id"),
            "measure": (line.measure, "wrap+bold"),
            "outcome": (line.outcome, "wrap"),
            "owner": (line.owner, "text"),
            "unit": (UNIT_WORDS.get(line.unit, line.unit.value), "text"),
            "period": (line.period.label, "text"),
            "target": (line.target, style),
            "actual": (line.actual, f"{style}+editable"),
            "commentary": (line.commentary, "wrap+editable"),
            "data_quality": (line.data_quality, "wrap+editable"),
        }
        rows.append([values[column.key] for column in MEASURE_COLUMNS])
    return rows


def benefit_cells(lines: list[BenefitLine]) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for line in lines:
        values: dict[str, Cell] = {
            "id": (line.uid, "id"),
            "action_ref": (line.action_ref, "text+bold"),
            "benefit": (line.benefit, "wrap"),
            "type": (line.kind.label, "text"),
            "received_by": (line.received_by, "text"),
            "year": (line.year.label, "text"),
            "planned": (line.planned, "money"),
            "realised": (line.realised, "money+editable"),
            "validated": (line.validated, "wrap"),
        }
        rows.append([values[column.key] for column in BENEFIT_COLUMNS])
    return rows


def number_validation(prompt: str, *, whole_pounds: bool = False) -> DataValidation:
    validation = list_validation([], "")
    if whole_pounds:
        validation.type, validation.operator = "whole", "between"
        validation.formula1, validation.formula2 = "0", str(LARGEST_WHOLE)
        validation.error = "Type whole pounds, 0 or more, for example 212000."
        validation.errorTitle = "Not whole pounds"
    else:
        validation.type, validation.operator = "decimal", "between"
        validation.formula1, validation.formula2 = str(-LARGEST), str(LARGEST)
        validation.error = "Type a number, for example 72.5."
        validation.errorTitle = "Not a number"
    validation.prompt = prompt
    return validation


def text_validation(limit: int, prompt: str) -> DataValidation:
    validation = list_validation([], "")
    validation.type, validation.operator = "textLength", "lessThanOrEqual"
    validation.formula1 = str(limit)
    validation.error = f"Keep it to {limit:,} characters or fewer."
    validation.errorTitle = "Too long"
    validation.prompt = prompt
    return validation


def write_measures(
    workbook: Workbook, content: ExportContent, styles: Styles, ticker: Ticker
) -> None:
    lines = content.purpose.measures if content.purpose else []
    table = TableSheet(
        workbook,
        "Measures",
        styles,
        content,
        MEASURE_COLUMNS,
        measure_cells(lines),
        freeze="D2",
        tab_colour="117A65",
        print_from=1,
        repeat_key="measure",
        repeat_count=2,  # the measure and its period, beside the figures to return
    )
    table.validate(
        number_validation("The period's actual figure, as a number (72.5 for 72.5%)."), "actual"
    )
    table.validate(
        text_validation(COMMENTARY_LIMIT, "What explains the figure."),
        "commentary",
    )
    table.validate(
        text_validation(DATA_QUALITY_LIMIT, "How reliable the figure is, and why."),
        "data_quality",
    )
    table.write(ticker, "Measures")
    add_table_marker(workbook, MEASURES_MARKER, "Measures", len(MEASURE_COLUMNS))


def write_benefits(
    workbook: Workbook, content: ExportContent, styles: Styles, ticker: Ticker
) -> None:
    lines = content.purpose.benefits if content.purpose else []
    table = TableSheet(
        workbook,
        "Benefits",
        styles,
        content,
        BENEFIT_COLUMNS,
        benefit_cells(lines),
        freeze="D2",
        tab_colour="7D6608",
        print_from=1,
        repeat_key="action_ref",
    )
    table.validate(
        number_validation("The benefit realised in the year, in whole pounds.", whole_pounds=True),
        "realised",
    )
    table.write(ticker, "Benefits")
    add_table_marker(workbook, BENEFITS_MARKER, "Benefits", len(BENEFIT_COLUMNS))
