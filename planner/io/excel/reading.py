"""Reading a returned workbook: forgiving about layout and typing, strict about meaning.

Nothing here evaluates a formula or guesses a value: a cell that cannot be understood
is reported with its sheet, row, column and value and left out (the rest of its row is
read); a value that needs the officer's check is marked as a doubt; a cell naming two
values is offered as a choice; "TBC" keeps the plan's value."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from planner.domain import RagDefinition
from planner.io.excel.cells import CellReader, cell_text
from planner.io.excel.container import (
    MAX_EXPANSION,
    MAX_UNPACKED_BYTES,
    OLE_SIGNATURE,
    ZIP_SIGNATURE,
    OpenedWorkbook,
    WorkbookError,
    check_container,
    open_workbook,
    quoted_name,
    require_safe_xml,
    safe_xml_in_use,
)
from planner.io.excel.headings import (
    ACTION_VOCABULARY,
    BENEFIT_VOCABULARY,
    MEASURE_VOCABULARY,
    MILESTONE_VOCABULARY,
    heading_key,
)
from planner.io.excel.layout import (
    ACTION_COLUMNS,
    BENEFIT_COLUMNS,
    EXPORT_FORMAT,
    MEASURE_COLUMNS,
    META_SHEET,
    MILESTONE_COLUMNS,
    Column,
)
from planner.io.excel.tables import (
    ACTIONS_MARKER,
    BENEFITS_MARKER,
    MAX_ROWS,
    MEASURES_MARKER,
    MILESTONES_MARKER,
    FoundTable,
    best_heading_row,
    forget_declared_size,
    heading_row_at,
    holds_value,
    marked_heading_row,
    rows_with_values,
    sheet_named,
)

__all__ = [
    "MAX_EXPANSION",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "OLE_SIGNATURE",
    "ZIP_SIGNATURE",
    "Problem",
    "ReturnedRow",
    "ReturnedWorkbook",
    "WorkbookError",
    "check_container",
    "read_returned",
    "require_safe_xml",
    "safe_xml_in_use",
]

META_ROWS = 200
READ_ME_SHEET = "Read me"
READ_ME_ROWS = 60
RETURNED_BY = re.compile(r"returned by\s*(?:\(your name\))?\s*[:\-–]?\s*(?P<name>.*)", re.I)
RETURNED_BY_LABEL_LENGTH = 80
OTHER_SHEETS = ("read me", "summary", "partners", "people", "timeline")
TABLE_SHEETS = ("actions", "milestones", "measures", "benefits")


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        return f"{self.sheet} row {self.row}, {self.column}: {self.message}"


@dataclass
class ReturnedRow:
    """One row of Actions or Milestones as returned: its ID and the values read."""

    sheet: str
    row: int
    id: str  # "" for a proposed new record
    values: dict[str, Any] = field(default_factory=dict)  # column key -> value read
    # key -> why the value (which is in values) needs the officer's check
    doubts: dict[str, str] = field(default_factory=dict)
    # key -> the values a cell naming more than one offers (such a key is not in values)
    choices: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    typed: dict[str, str] = field(default_factory=dict)  # key -> the cell as typed


@dataclass
class ReturnedWorkbook:
    path: Path
    meta: dict[str, str]
    actions: list[ReturnedRow]
    milestones: list[ReturnedRow]
    problems: list[Problem]
    ignored: list[str]
    saved_at: datetime | None = None  # when the returned copy was last saved
    returned_by: str = ""  # the name typed in the Read me's "Returned by" cell
    fingerprint: str = ""  # sha256 of the file's bytes
    notes: list[str] = field(default_factory=list)  # how it was read, one sentence each
    measures: list[ReturnedRow] = field(default_factory=list)
    benefits: list[ReturnedRow] = field(default_factory=list)

    @property
    def plan_id(self) -> str:
        return self.meta.get("plan_id", "")

    @property
    def exported_at(self) -> datetime | None:
        text = self.meta.get("exported_at", "")
        try:
            return datetime.fromisoformat(text) if text else None
        except ValueError:
            return None


def read_returned(path: str | Path, rags: tuple[RagDefinition, ...]) -> ReturnedWorkbook:
    """Read a returned workbook; refuses hostile or foreign files with a clear sentence."""
    path = Path(path)
    with open_workbook(path) as opened:
        return _read(opened, rags)


def _meta_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return cell_text(value)


def read_meta(workbook: Any) -> dict[str, str]:
    """Every key and value the hidden _planner sheet holds (or the Read me's plan ID)."""
    meta: dict[str, str] = {}
    sheet = sheet_named(workbook, META_SHEET)
    if sheet is not None:
        forget_declared_size(sheet)
        for row in sheet.iter_rows(min_row=1, max_row=META_ROWS, max_col=2, values_only=True):
            if row and holds_value(row[0]):
                meta[str(row[0]).strip()] = _meta_text(row[1] if len(row) > 1 else None)
    if not meta.get("plan_id"):
        read_me = sheet_named(workbook, READ_ME_SHEET)
        if read_me is not None:
            forget_declared_size(read_me)
            for row in read_me.iter_rows(max_row=READ_ME_ROWS, max_col=2, values_only=True):
                if len(row) > 1 and heading_key(row[0]) == "planid" and holds_value(row[1]):
                    meta["plan_id"] = str(row[1]).strip()
    return meta


def read_returned_by(workbook: Any) -> str:
    """The name typed beside the Read me's "Returned by (your name)" label (or after
    it, in the label's own cell), found by the label wherever it is."""
    sheet = sheet_named(workbook, READ_ME_SHEET)
    sheets = [sheet] if sheet is not None else list(workbook.worksheets)
    for candidate in sheets:
        forget_declared_size(candidate)
        for row in candidate.iter_rows(max_row=READ_ME_ROWS, max_col=6, values_only=True):
            for number, value in enumerate(row):
                if not isinstance(value, str) or len(value) > RETURNED_BY_LABEL_LENGTH:
                    continue
                label = RETURNED_BY.fullmatch(value.strip())
                if label is None:
                    continue
                if label["name"].strip():
                    return label["name"].strip()
                typed = next((cell for cell in row[number + 1 :] if holds_value(cell)), None)
                return cell_text(typed).strip()
    return ""


def _find_table(
    workbook: Any,
    name: str,
    marker: str,
    known: dict[str, tuple[str, int]],
    taken: set[str],
    ignored: list[str],
    notes: list[str],
) -> FoundTable | None:
    """The table by its hidden marker, else by its sheet's name, else by its headings
    (a sheet whose heading row has an ID column and the table's other columns)."""
    required = frozenset({"id"})
    found: FoundTable | None = None
    marked = marked_heading_row(workbook, marker)
    if marked is not None and marked[0].title not in taken:
        found = heading_row_at(marked[0], marked[1], known, required)
    named = sheet_named(workbook, name)
    if found is None and named is not None and named.title not in taken:
        found = best_heading_row(named, known, required)
        if found is not None:
            found.found_by = "name"
        else:
            ignored.append(f"The '{named.title}' sheet has no ID column, so it was ignored.")
    searchable = known is ACTION_VOCABULARY or known is MILESTONE_VOCABULARY
    if found is None and searchable:
        found = _table_by_headings(workbook, name, known, taken | {named.title if named else ""})
    if found is None:
        if searchable:
            ignored.append(f"There is no '{name}' sheet, so nothing was read for it.")
        return None
    if found.title.strip().casefold() != name.casefold():
        how = "its hidden marker" if found.found_by == "marker" else "its headings"
        notes.append(f"The {name} table was read from the sheet '{found.title}', found by {how}.")
    return found


def _table_by_headings(
    workbook: Any, name: str, known: dict[str, tuple[str, int]], taken: set[str]
) -> FoundTable | None:
    other = MILESTONE_VOCABULARY if known is ACTION_VOCABULARY else ACTION_VOCABULARY
    best: FoundTable | None = None
    for sheet in workbook.worksheets:
        title = sheet.title.strip().casefold()
        if (
            sheet.title in taken
            or title == META_SHEET
            or title in OTHER_SHEETS
            or title in TABLE_SHEETS[2:]
        ):
            continue
        found = best_heading_row(sheet, known, frozenset({"id", "title"}))
        if found is None or len(found.columns) < 3:
            continue
        rival = best_heading_row(sheet, other, frozenset({"id"}))
        if rival is not None and len(rival.columns) >= len(found.columns):
            continue  # the other table's headings fit this sheet better
        if best is None or len(found.columns) > len(best.columns):
            best = found
    return best


def _read(opened: OpenedWorkbook, rags: tuple[RagDefinition, ...]) -> ReturnedWorkbook:
    workbook = opened.workbook
    meta = read_meta(workbook)
    if meta.get("format") not in (None, EXPORT_FORMAT) or not meta.get("plan_id"):
        raise WorkbookError(
            f"{quoted_name(opened.path)} was not exported from a Strategy Planner plan, so it "
            "cannot be matched to one. Use New plan from Excel to start a plan from it."
        )
    reader = CellReader(rags, getattr(workbook, "epoch", None))
    problems: list[Problem] = []
    ignored: list[str] = []
    notes: list[str] = []
    taken: set[str] = set()
    tables: dict[str, list[ReturnedRow]] = {}
    for name, marker, columns, known in (
        ("Actions", ACTIONS_MARKER, ACTION_COLUMNS, ACTION_VOCABULARY),
        ("Milestones", MILESTONES_MARKER, MILESTONE_COLUMNS, MILESTONE_VOCABULARY),
        ("Measures", MEASURES_MARKER, MEASURE_COLUMNS, MEASURE_VOCABULARY),
        ("Benefits", BENEFITS_MARKER, BENEFIT_COLUMNS, BENEFIT_VOCABULARY),
    ):
        found = _find_table(workbook, name, marker, known, taken, ignored, notes)
        if found is None:
            tables[name] = []
            continue
        taken.add(found.title)
        tables[name] = _read_table(found, columns, reader, problems, ignored, notes)
    for sheet in workbook.worksheets:
        title = sheet.title.strip().casefold()
        if sheet.title in taken or title in (META_SHEET, *TABLE_SHEETS, *OTHER_SHEETS):
            continue
        ignored.append(f"Sheet '{sheet.title}' is not part of the plan, so it was ignored.")
    saved = getattr(getattr(workbook, "properties", None), "modified", None)
    return ReturnedWorkbook(
        opened.path,
        meta,
        tables["Actions"],
        tables["Milestones"],
        problems,
        ignored,
        saved.replace(tzinfo=None) if isinstance(saved, datetime) else None,
        returned_by=read_returned_by(workbook),
        fingerprint=opened.fingerprint,
        notes=notes,
        measures=tables["Measures"],
        benefits=tables["Benefits"],
    )


def _read_table(
    table: FoundTable,
    columns: tuple[Column, ...],
    reader: CellReader,
    problems: list[Problem],
    ignored: list[str],
    notes: list[str],
) -> list[ReturnedRow]:
    by_key = {column.key: column for column in columns}
    name = table.title
    for heading in table.unrecognised():
        ignored.append(f"{name} column '{heading}' is not a plan column, so it was ignored.")
    not_answered: dict[str, list[tuple[int, str]]] = {}
    outside: list[int] = []
    read: list[ReturnedRow] = []
    for number, cells in rows_with_values(table.sheet, table.header_row + 1, table.width):
        if not any(
            holds_value(getattr(cells[index], "value", None))
            for index in table.columns
            if index < len(cells)
        ):
            outside.append(number)
            continue
        row = ReturnedRow(name, number, "")
        for index, key in table.columns.items():
            cell = cells[index] if index < len(cells) else None
            value = getattr(cell, "value", None)
            if key == "id":
                row.id = cell_text(value).strip()
                continue
            column = by_key[key]
            data_type = getattr(cell, "data_type", "")
            number_format = ""
            if column.kind == "percent":
                number_format = str(getattr(cell, "number_format", "") or "")
            reading = reader.read(
                column.kind,
                value,
                formula=data_type == "f",
                error=data_type == "e",
                number_format=number_format,
            )
            if reading.problem:
                problems.append(
                    Problem(name, number, column.header, reading.typed, reading.message)
                )
            elif reading.not_answered:
                not_answered.setdefault(column.header, []).append((number, reading.typed))
            elif reading.choices:
                row.choices[key] = reading.choices
                row.typed[key] = reading.typed
            else:
                row.values[key] = reading.value
                if reading.doubt:
                    row.doubts[key] = reading.doubt
                    row.typed[key] = reading.typed
        read.append(row)
    for header, cells_not_answered in not_answered.items():
        notes.append(_not_answered_note(name, header, cells_not_answered))
    if outside:
        ignored.append(_outside_note(name, outside))
    return read


def _rows_text(numbers: list[int], limit: int = 10) -> str:
    shown = [f"{number:,}" for number in numbers[:limit]]
    if len(numbers) > limit:
        return ", ".join(shown) + f" and {len(numbers) - limit:,} more"
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _not_answered_note(sheet: str, header: str, cells: list[tuple[int, str]]) -> str:
    typed = sorted({text.strip() for _, text in cells})
    said = " or ".join(f"'{text}'" for text in typed[:4])
    rows = _rows_text([number for number, _ in cells])
    plural = "rows" if len(cells) > 1 else "row"
    return (
        f"{sheet} {header} says {said} (not answered) in {plural} {rows}, so the plan's "
        f"{'values are' if len(cells) > 1 else 'value is'} kept."
    )


def _outside_note(sheet: str, numbers: list[int]) -> str:
    if len(numbers) == 1:
        return (
            f"{sheet} row {numbers[0]:,} holds values only in columns that are not part of "
            "the plan, so it was ignored."
        )
    return (
        f"{sheet} rows {_rows_text(numbers)} hold values only in columns that are not part "
        "of the plan, so they were ignored."
    )
