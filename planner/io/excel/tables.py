"""Finding a table in a workbook by what it holds, and reading its rows at the cost of
the cells that hold something.

A sheet's declared size (its <dimension>) is never trusted: some programs understate
it, and one stray cell far away overstates it. Rows are read to the end of the sheet's
data, only as wide as the table's headings, and rows without a value cost nothing.

The exporter marks each table's heading row with a hidden workbook name
(`_planner_actions`, `_planner_milestones`); Excel and LibreOffice keep such a name
pointing at the same cells when the sheet is renamed, moved, or rows are inserted above
it. A table is found by its marker, else by its sheet's usual name, else by its
headings."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from openpyxl.utils.cell import range_boundaries

from planner.io.excel.container import WorkbookError
from planner.io.excel.headings import match_headings

MAX_ROWS = 100_000  # rows holding values: far more than any plan
EXCEL_LAST_ROW = 1_048_576
HEADER_SEARCH_ROWS = 20
MAX_HEADING_COLUMNS = 1_024
ACTIONS_MARKER = "_planner_actions"
MILESTONES_MARKER = "_planner_milestones"
MEASURES_MARKER = "_planner_measures"
BENEFITS_MARKER = "_planner_benefits"


def add_table_marker(workbook: Any, marker: str, sheet_title: str, columns: int) -> None:
    """Name the heading row of a table written to `sheet_title`, hidden from the user."""
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.defined_name import DefinedName

    quoted = "'" + sheet_title.replace("'", "''") + "'"
    reference = f"{quoted}!$A$1:${get_column_letter(max(columns, 1))}$1"
    workbook.defined_names[marker] = DefinedName(marker, attr_text=reference, hidden=True)


def marked_heading_row(workbook: Any, marker: str) -> tuple[Any, int] | None:
    """The sheet and row a table marker points at, if it points at one."""
    names = [getattr(workbook, "defined_names", {})]
    names += [getattr(sheet, "defined_names", {}) for sheet in workbook.worksheets]
    for found in names:
        defined = found.get(marker) if hasattr(found, "get") else None
        if defined is None:
            continue
        try:
            title, cells = next(iter(defined.destinations))
            row = range_boundaries(cells)[1]
        except (StopIteration, ValueError, TypeError, AttributeError):
            continue
        title = title.replace("''", "'")
        for sheet in workbook.worksheets:
            if sheet.title == title and row:
                return sheet, int(row)
    return None


def sheet_named(workbook: Any, name: str) -> Any:
    for sheet in workbook.worksheets:
        if sheet.title.strip().casefold() == name.casefold():
            return sheet
    return None


def forget_declared_size(sheet: Any) -> None:
    """Read the sheet to the end of its data, whatever size its header declares."""
    reset = getattr(sheet, "reset_dimensions", None)
    if reset is not None:
        reset()


def holds_value(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def top_rows(sheet: Any, rows: int = HEADER_SEARCH_ROWS) -> list[tuple[int, tuple[Any, ...]]]:
    """The values of the sheet's first rows that hold anything, with their numbers."""
    forget_declared_size(sheet)
    found: list[tuple[int, tuple[Any, ...]]] = []
    lines = sheet.iter_rows(min_row=1, max_row=rows, max_col=MAX_HEADING_COLUMNS, values_only=True)
    for number, values in enumerate(lines, start=1):
        if any(holds_value(value) for value in values):
            found.append((number, trimmed(values)))
    return found


def trimmed(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """The values without the empty cells after the last one holding something."""
    end = len(values)
    while end and not holds_value(values[end - 1]):
        end -= 1
    return tuple(values[:end])


def rows_with_values(
    sheet: Any, first_row: int, width: int
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, cells) for each row from `first_row` holding a value in its first
    `width` columns, to the real end of the sheet. Refuses a sheet with more than
    MAX_ROWS such rows."""
    forget_declared_size(sheet)
    counted = 0
    filler: object = None  # openpyxl gives every row missing from the file one shared tuple
    lines = sheet.iter_rows(min_row=first_row, max_col=max(width, 1))
    for number, cells in enumerate(lines, start=first_row):
        if cells is filler:
            continue
        if number > EXCEL_LAST_ROW:
            raise WorkbookError(
                f"The '{sheet.title}' sheet goes on past Excel's last row, so the workbook is "
                'damaged; open it in Excel, save it as "Excel Workbook (.xlsx)" and try again.'
            )
        if not any(holds_value(getattr(cell, "value", None)) for cell in cells):
            filler = cells
            continue
        counted += 1
        if counted > MAX_ROWS:
            raise WorkbookError(
                f"The '{sheet.title}' sheet has more than {MAX_ROWS:,} rows, far more than a "
                "plan holds, so the workbook was not read."
            )
        yield number, cells


@dataclass
class FoundTable:
    """A table found in a workbook: where its headings are and which columns it has."""

    sheet: Any
    header_row: int
    headings: tuple[Any, ...]
    columns: dict[int, str]  # column number (from 0) -> column key
    found_by: str  # "marker", "name" or "headings"

    @property
    def title(self) -> str:
        return str(self.sheet.title)

    @property
    def width(self) -> int:
        return len(self.headings)

    def unrecognised(self) -> list[str]:
        return [
            str(heading).strip()
            for number, heading in enumerate(self.headings)
            if number not in self.columns and holds_value(heading)
        ]


def best_heading_row(
    sheet: Any, known: Mapping[str, tuple[str, int]], required: frozenset[str]
) -> FoundTable | None:
    """The row among the sheet's first rows that names the most known columns,
    including every `required` one."""
    best: FoundTable | None = None
    for number, values in top_rows(sheet):
        columns = match_headings(values, known)
        if not required <= set(columns.values()):
            continue
        if best is None or len(columns) > len(best.columns):
            best = FoundTable(sheet, number, values, columns, "headings")
    return best


def heading_row_at(
    sheet: Any, row: int, known: Mapping[str, tuple[str, int]], required: frozenset[str]
) -> FoundTable | None:
    forget_declared_size(sheet)
    lines = sheet.iter_rows(min_row=row, max_row=row, max_col=MAX_HEADING_COLUMNS, values_only=True)
    values = trimmed(next(iter(lines), ()))
    columns = match_headings(values, known)
    if not required <= set(columns.values()):
        return None
    return FoundTable(sheet, row, values, columns, "marker")
