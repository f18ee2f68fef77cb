"""Reading a returned workbook: forgiving about layout and typing, strict about meaning.

Nothing here evaluates a formula or guesses a value: anything that cannot be understood
is reported with its sheet, row, column and value, and left out."""

from __future__ import annotations

import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from planner.domain import RagDefinition, Status
from planner.domain.dates import format_uk, parse_uk
from planner.errors import PlannerError
from planner.io.excel.layout import (
    ACTION_COLUMNS,
    EXPORT_FORMAT,
    META_SHEET,
    MILESTONE_COLUMNS,
    Column,
)

ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or an encrypted .xlsx
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_EXPANSION = 150  # unpacked size over packed size
MAX_ROWS = 100_000


class WorkbookError(PlannerError):
    """A workbook that cannot be read safely as a returned plan."""


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
    values: dict[str, Any] = field(default_factory=dict)  # column key -> parsed value
    # key -> why the value (which is in values) needs the officer's check
    doubts: dict[str, str] = field(default_factory=dict)
    # key -> candidate values when the cell names more than one (not in values)
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
    notes: list[str] = field(default_factory=list)

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


def safe_xml_in_use() -> bool:
    """True when openpyxl parses workbooks through defusedxml (no entity expansion)."""
    from openpyxl.xml import DEFUSEDXML

    return bool(DEFUSEDXML)


def require_safe_xml() -> None:
    if not safe_xml_in_use():
        raise WorkbookError(
            "Workbooks cannot be read safely on this computer (the defusedxml library is "
            "missing), so none will be opened. Reinstall Strategy Planner."
        )


def _name(path: Path) -> str:
    return f"'{path.name}'"


def check_container(path: Path) -> None:
    """Refuse files that are not a plain, modest xlsx before any XML is parsed."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise WorkbookError(f"There is no file {_name(path)}.") from None
    except OSError as error:
        raise WorkbookError(f"{_name(path)} could not be read: {error.strerror}.") from None
    if head.startswith(OLE_SIGNATURE):
        raise WorkbookError(
            f"{_name(path)} is password-protected or an old-style .xls file; save it as an "
            "Excel workbook (.xlsx) without a password and try again."
        )
    if not head.startswith(ZIP_SIGNATURE):
        raise WorkbookError(f"{_name(path)} is not an Excel workbook (.xlsx).")
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
            packed = max(path.stat().st_size, 1)
            # Sizes first: a zip bomb is refused before anything is unpacked.
            if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_EXPANSION:
                raise WorkbookError(
                    f"{_name(path)} unpacks to {unpacked / 1e6:,.0f} MB, far more than a "
                    "returned plan needs, so it is not opened."
                )
            broken = archive.testzip()
    except WorkbookError:
        raise
    except Exception:  # BadZipFile, zlib.error, EOFError...: all mean a damaged file
        raise WorkbookError(
            f"{_name(path)} is damaged: it cannot be opened as a workbook."
        ) from None
    if broken is not None:
        raise WorkbookError(f"{_name(path)} is damaged: part of it ({broken}) is unreadable.")
    if "xl/workbook.xml" not in names:
        raise WorkbookError(f"{_name(path)} is not an Excel workbook (.xlsx).")
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise WorkbookError(
            f"{_name(path)} contains macros, so it is not opened. Save it as a plain Excel "
            "workbook (.xlsx) and try again."
        )


def _normal(text: object) -> str:
    return " ".join(str(text or "").replace("*", " ").split()).casefold()


def _header_map(header: tuple[Any, ...], columns: tuple[Column, ...]) -> dict[int, Column]:
    wanted = {_normal(column.header): column for column in columns}
    found: dict[int, Column] = {}
    for number, cell in enumerate(header):
        column = wanted.get(_normal(cell))
        if column is not None and column not in found.values():
            found[number] = column
    return found


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_uk(value.date())
    if isinstance(value, date):
        return format_uk(value)
    return str(value)


class Parser:
    """Reads one cell's value into the plan's terms, or says why it cannot."""

    def __init__(self, rags: tuple[RagDefinition, ...]) -> None:
        self.rags = rags

    def parse(
        self, column: Column, value: Any, *, formula: bool = False, number_format: str = ""
    ) -> tuple[Any, str | None]:
        """(value, None) when understood; (None, reason) when not. Empty reads as None."""
        if formula:
            return None, f"'{value}' is a formula, which is never worked out; type the value"
        if value is None or (isinstance(value, str) and not value.strip()):
            return None, None
        kind = column.kind
        if kind == "date":
            return self._date(value)
        if kind == "percent":
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            if numeric and "%" in number_format:
                value = value * 100  # typed as 100% in Excel, stored as 1
                if isinstance(value, float) and abs(value - round(value)) < 1e-6:
                    value = round(value)
            return self._percent(value)
        if kind == "rag":
            return self._rag(value)
        if kind == "status":
            found = Status.from_text(str(value))
            if found is None:
                choices = ", ".join(status.label for status in Status)
                return None, f"'{value}' is not a status (use one of: {choices})"
            return found.value, None
        text = _cell_text(value)
        return text.strip() if kind != "wrap" else text.rstrip(), None

    @staticmethod
    def _date(value: Any) -> tuple[Any, str | None]:
        if isinstance(value, datetime):
            return value.date(), None
        if isinstance(value, date):
            return value, None
        parsed = parse_uk(str(value)) if isinstance(value, str) else None
        if parsed is None:
            return None, f"'{_cell_text(value)}' is not a date"
        return parsed, None

    @staticmethod
    def _percent(value: Any) -> tuple[Any, str | None]:
        number: float | None = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int | float):
            number = float(value)
            if isinstance(value, float) and 0 < value < 1:
                number = value * 100  # typed as a fraction, or as 50% in Excel
        elif isinstance(value, str):
            match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(%?)\s*", value)
            if match:
                number = float(match[1])
        if number is None or not 0 <= number <= 100:
            return None, f"'{_cell_text(value)}' is not a percentage from 0 to 100"
        if abs(number - round(number)) > 1e-6:
            return None, f"'{_cell_text(value)}' is not a whole percentage"
        return round(number), None

    def _rag(self, value: Any) -> tuple[Any, str | None]:
        text = _normal(value)
        for rag in self.rags:
            if text in (
                rag.code.casefold(),
                rag.name.casefold(),
                f"{rag.code} {rag.name}".casefold(),
            ):
                return rag.code, None
        names = ", ".join(rag.name for rag in self.rags)
        return None, f"'{_cell_text(value)}' is not a RAG rating (use {names})"


def read_returned(path: str | Path, rags: tuple[RagDefinition, ...]) -> ReturnedWorkbook:
    """Read a returned workbook; refuses hostile or foreign files with a clear sentence."""
    path = Path(path)
    require_safe_xml()
    check_container(path)
    with warnings.catch_warnings():
        # openpyxl warns of odd cells (a date out of range, say) and reads them as
        # errors, which the reading reports in its own words.
        warnings.simplefilter("ignore", UserWarning)
        return _read_checked(path, rags)


def _read_checked(path: Path, rags: tuple[RagDefinition, ...]) -> ReturnedWorkbook:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds for damaged or hostile XML
        raise WorkbookError(
            f"{_name(path)} is damaged or not a workbook this program can read."
        ) from None
    try:
        return _read(path, workbook, Parser(rags))
    except PlannerError:
        raise
    except Exception:  # damaged XML inside a sheet surfaces only as it is read
        raise WorkbookError(
            f"{_name(path)} is damaged or not a workbook this program can read."
        ) from None
    finally:
        workbook.close()


def _sheet(workbook: Any, name: str) -> Any:
    for sheet in workbook.worksheets:
        if sheet.title.strip().casefold() == name.casefold():
            return sheet
    return None


def _read_meta(workbook: Any) -> dict[str, str]:
    sheet = _sheet(workbook, META_SHEET)
    meta: dict[str, str] = {}
    if sheet is not None:
        for row in sheet.iter_rows(min_row=1, max_row=50, max_col=2, values_only=True):
            if row and row[0] is not None:
                meta[str(row[0]).strip()] = "" if len(row) < 2 or row[1] is None else str(row[1])
    if not meta.get("plan_id"):
        read_me = _sheet(workbook, "Read me")
        if read_me is not None:
            for row in read_me.iter_rows(min_row=1, max_row=80, max_col=2, values_only=True):
                if row and _normal(row[0]) == "plan id" and len(row) > 1 and row[1]:
                    meta["plan_id"] = str(row[1]).strip()
    return meta


def _read(path: Path, workbook: Any, parser: Parser) -> ReturnedWorkbook:
    meta = _read_meta(workbook)
    if meta.get("format") not in (None, EXPORT_FORMAT) or not meta.get("plan_id"):
        raise WorkbookError(
            f"{_name(path)} was not exported from a Strategy Planner plan, so it cannot be "
            "matched to one. Use New plan from Excel to start a plan from it."
        )
    problems: list[Problem] = []
    ignored: list[str] = []
    known = {
        "read me",
        "summary",
        "actions",
        "milestones",
        "partners",
        "people",
        "timeline",
        META_SHEET,
    }
    for sheet in workbook.worksheets:
        if sheet.title.strip().casefold() not in known:
            ignored.append(f"Sheet '{sheet.title}' is not part of the plan, so it was ignored.")
    actions = _read_table(workbook, "Actions", ACTION_COLUMNS, parser, problems, ignored)
    milestones = _read_table(workbook, "Milestones", MILESTONE_COLUMNS, parser, problems, ignored)
    saved = getattr(getattr(workbook, "properties", None), "modified", None)
    saved_at = saved.replace(tzinfo=None) if isinstance(saved, datetime) else None
    return ReturnedWorkbook(path, meta, actions, milestones, problems, ignored, saved_at)


def _read_table(
    workbook: Any,
    name: str,
    columns: tuple[Column, ...],
    parser: Parser,
    problems: list[Problem],
    ignored: list[str],
) -> list[ReturnedRow]:
    sheet = _sheet(workbook, name)
    if sheet is None:
        ignored.append(f"There is no '{name}' sheet, so nothing was read for it.")
        return []
    rows = sheet.iter_rows()
    header_row = 0
    mapping: dict[int, Column] = {}
    header: tuple[Any, ...] = ()
    for number, cells in enumerate(rows, start=1):
        header = tuple(getattr(cell, "value", None) for cell in cells)
        mapping = _header_map(header, columns)
        if any(column.key == "id" for column in mapping.values()):
            header_row = number
            break
        if number >= 10:
            break
    if not header_row:
        ignored.append(f"The '{name}' sheet has no ID column, so it was ignored.")
        return []
    for number, title in enumerate(header):
        if number not in mapping and title not in (None, ""):
            ignored.append(f"{name} column '{title}' is not a plan column, so it was ignored.")
    read: list[ReturnedRow] = []
    for number, cells in enumerate(rows, start=header_row + 1):
        values = tuple(getattr(cell, "value", None) for cell in cells)
        if number - header_row > MAX_ROWS:
            raise WorkbookError(
                f"The '{name}' sheet has more than {MAX_ROWS:,} rows, far more than a plan "
                "holds, so the workbook was not read."
            )
        if not any(value not in (None, "") for value in values):
            continue
        row = ReturnedRow(name, number, "")
        for index, column in mapping.items():
            value = values[index] if index < len(values) else None
            if column.key == "id":
                row.id = str(value).strip() if value is not None else ""
                continue
            cell = cells[index] if index < len(cells) else None
            parsed, reason = parser.parse(
                column,
                value,
                formula=getattr(cell, "data_type", "") == "f",
                number_format=str(getattr(cell, "number_format", "") or ""),
            )
            if reason is not None:
                problems.append(Problem(name, number, column.header, _cell_text(value), reason))
                continue
            row.values[column.key] = parsed
        read.append(row)
    return read
