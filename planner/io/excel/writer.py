"""Writing the circulated workbook: Read me, Summary, Actions, Milestones, Partners,
People and Timeline, written to a temporary file and moved into place only when whole."""

from __future__ import annotations

import contextlib
import os
from dataclasses import replace
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

import planner.io.excel.overview as overview
import planner.io.excel.purpose_sheets as purpose_sheets
import planner.io.excel.timeline as timeline
from planner import APP_NAME, __version__
from planner.domain import RaciRole, Status
from planner.domain.dates import format_long
from planner.errors import PlannerError
from planner.io.excel.common import (
    Cell,
    ExportCancelled,
    Progress,
    TableSheet,
    Ticker,
    list_validation,
    rag_rules,
)
from planner.io.excel.content import ExportContent
from planner.io.excel.layout import (
    ACTION_COLUMNS,
    BENEFIT_COLUMNS,
    EXPORT_FORMAT,
    EXPORT_FORMAT_VERSION,
    MEASURE_COLUMNS,
    META_SHEET,
    MILESTONE_COLUMNS,
    Column,
    editable_headers,
)
from planner.io.excel.readme import write_read_me
from planner.io.excel.safe import safe_text
from planner.io.excel.styles import Styles
from planner.io.excel.tables import ACTIONS_MARKER, MILESTONES_MARKER, add_table_marker
from planner.store.sqlite_file import describe_os_error

__all__ = ["ExportCancelled", "export_workbook"]

RACI_WORDS = {RaciRole.RESPONSIBLE: "R", RaciRole.CONSULTED: "C", RaciRole.INFORMED: "I"}


def _status_label(value: str) -> str:
    return Status(value).label if value in Status._value2member_map_ else value


def _rag_cell(content: ExportContent, code: str | None) -> Cell:
    """An editable rating: no colour of its own, its conditional formats colour it by
    what it says, so a rating typed over it shows its own colour."""
    definition = content.header.rag(code)
    return (definition.name if definition else "", "rag-value+editable")


def action_cells(content: ExportContent) -> list[list[Cell]]:
    include_description = content.options.include_descriptions
    include_commentary = content.options.include_commentary
    status_date = content.header.status_date
    rows: list[list[Cell]] = []
    for action in content.actions:
        late = bool(
            action.due
            and action.due < status_date
            and action.status not in (Status.COMPLETED, Status.CANCELLED)
        )
        others = "; ".join(
            f"{name} ({RaciRole(role).label})" if role in RaciRole._value2member_map_ else name
            for name, role in action.other_people
        )
        values: dict[str, Cell] = {
            "id": (action.uid, "id"),
            "ref": (action.ref, "text+bold"),
            "theme": (f"{action.theme_number}. {action.theme_title}", "wrap"),
            "title": (action.title, "wrap"),
            "description": (action.description if include_description else "", "wrap"),
            "lead": (action.lead_officer, "text"),
            "others": (others, "wrap"),
            "partners": (action.partners, "wrap"),
            "start": (action.start, "date+editable"),
            "due": (action.due, "date+overdue" if late else "date+editable"),
            "baseline_due": (action.baseline_due, "date"),
            "status": (_status_label(action.status), "text+editable"),
            "rag": _rag_cell(content, action.rag),
            "percent": (action.percent, "number+editable"),
            "next_milestone": (action.next_milestone, "wrap"),
            "next_milestone_due": (
                action.next_milestone_due,
                "date+overdue" if action.overdue_milestones else "date",
            ),
            "latest_update": (
                action.latest_update if include_commentary else "",
                "wrap+editable",
            ),
            "latest_update_as_at": (
                action.latest_update_as_at if include_commentary else None,
                "date",
            ),
            **_money_cells(content, action.id),
        }
        rows.append([values[column.key] for column in action_columns(content)])
    return rows


def _money_cells(content: ExportContent, action_id: int) -> dict[str, Cell]:
    """The action's budget, spend and funding in the status date's financial year."""
    purpose = content.purpose
    money = purpose.money.get(action_id) if purpose else None
    year = money.year(purpose.status_year) if money and purpose else None
    if year is None:
        return {key: (None, "money") for key in MONEY_KEYS}
    return {
        "budget": (year.budget if year.budget_line_id else None, "money"),
        "spent": (year.spent if year.budget_line_id else None, "money"),
        "funded": (year.funded if year.funding else None, "money"),
    }


MONEY_KEYS = ("budget", "spent", "funded")
# With the money columns the Actions sheet fits two pages across only if its wrapped
# text columns may narrow further than other sheets' do.
MONEY_WRAP_KEPT = 0.4


def action_columns(content: ExportContent) -> tuple[Column, ...]:
    """The Actions sheet's columns; the money columns name the status date's year."""
    year = content.purpose.status_year.label if content.purpose else ""
    columns = tuple(
        replace(column, header=f"{column.header} ({year})")
        if column.key in MONEY_KEYS and year
        else column
        for column in ACTION_COLUMNS
    )
    if content.options.include_descriptions:
        return columns
    return tuple(column for column in columns if column.key != "description")


def milestone_cells(content: ExportContent) -> list[list[Cell]]:
    titles = {action.id: action.title for action in content.actions}
    rows: list[list[Cell]] = []
    for milestone in content.milestones:
        values: dict[str, Cell] = {
            "id": (milestone.uid, "id"),
            "action_ref": (milestone.action_ref, "text+bold"),
            "action": (titles.get(milestone.action_id, ""), "wrap"),
            "title": (milestone.title, "wrap"),
            "owner": (milestone.owner, "text"),
            "due": (milestone.due, "date+overdue" if milestone.overdue else "date+editable"),
            "baseline_due": (milestone.baseline_due, "date"),
            "completed": (milestone.completed_on, "date+editable"),
            "overdue": (
                "Overdue" if milestone.overdue else "",
                "text+overdue" if milestone.overdue else "text",
            ),
            "note": (milestone.note, "wrap+editable"),
        }
        rows.append([values[column.key] for column in MILESTONE_COLUMNS])
    return rows


def write_actions(
    workbook: Workbook, content: ExportContent, styles: Styles, ticker: Ticker
) -> None:
    columns = action_columns(content)
    table = TableSheet(
        workbook,
        "Actions",
        styles,
        content,
        columns,
        action_cells(content),
        freeze="C2",
        tab_colour="1F4E79",
        print_from=1,  # the ID column is for matching returns, not for reading
        repeat_key="ref",
        wrap_kept=MONEY_WRAP_KEPT,
    )
    table.validate(
        list_validation([status.label for status in Status], "Choose the action's status."),
        "status",
    )
    rag_names = [rag.name for rag in content.header.rag_definitions]
    table.validate(list_validation(rag_names, "Choose the RAG rating."), "rag")
    rag_rules(table.sheet, table.column_range("rag"), content.header.rag_definitions)
    percent = list_validation([], "")
    percent.type, percent.operator = "whole", "between"
    percent.formula1, percent.formula2 = "0", "100"
    percent.error = "Type a whole number from 0 to 100."
    percent.prompt = "Per cent complete, 0 to 100."
    table.validate(percent, "percent")
    for key in ("start", "due"):
        table.validate(_date_validation(), key)
    table.write(ticker, "Actions")
    add_table_marker(workbook, ACTIONS_MARKER, "Actions", len(columns))


def write_milestones(
    workbook: Workbook, content: ExportContent, styles: Styles, ticker: Ticker
) -> None:
    table = TableSheet(
        workbook,
        "Milestones",
        styles,
        content,
        MILESTONE_COLUMNS,
        milestone_cells(content),
        freeze="C2",
        tab_colour="2E86C1",
        print_from=1,
        repeat_key="action_ref",
    )
    for key in ("due", "completed"):
        table.validate(_date_validation(), key)
    table.write(ticker, "Milestones")
    add_table_marker(workbook, MILESTONES_MARKER, "Milestones", len(MILESTONE_COLUMNS))


def _date_validation() -> DataValidation:
    validation = list_validation([], "")
    validation.type, validation.operator = "date", "greaterThan"
    validation.formula1 = "1"
    validation.error = "Type a date, for example 31/03/2014."
    validation.errorTitle = "Not a date"
    validation.prompt = "A date, for example 31/03/2014."
    return validation


def write_meta(workbook: Workbook, content: ExportContent, styles: Styles) -> None:
    """A very hidden sheet naming the plan and the export, for merging returns."""
    sheet = workbook.create_sheet(META_SHEET)
    sheet.sheet_state = "veryHidden"
    rows = [
        ("format", EXPORT_FORMAT),
        ("format_version", EXPORT_FORMAT_VERSION),
        ("plan_id", content.header.uid),
        ("plan_title", content.header.title),
        ("schema_version", content.schema_version),
        ("exported_at", content.exported_at.isoformat(timespec="seconds")),
        ("exported_by", content.options.exported_by),
        ("status_date", content.header.status_date.isoformat()),
        ("slice", content.slice_description),
        ("program", f"{APP_NAME} {__version__}"),
        ("actions_editable", ", ".join(editable_headers(ACTION_COLUMNS))),
        ("milestones_editable", ", ".join(editable_headers(MILESTONE_COLUMNS))),
        ("measures_editable", ", ".join(editable_headers(MEASURE_COLUMNS))),
        ("benefits_editable", ", ".join(editable_headers(BENEFIT_COLUMNS))),
        ("round_id", content.options.round_uid),
        ("recipient", content.options.recipient),
        ("recipient_partner", content.options.recipient_partner_uid),
        ("recipient_person", content.options.recipient_person_uid),
        ("export_id", content.export_id),
        ("return_rule", content.header.return_rule),
    ]
    styles.use_fast_rows(sheet)
    for key, value in rows:
        sheet.append([(key, "plain"), (value, "plain")])


def export_workbook(
    content: ExportContent, path: str | os.PathLike[str], *, progress: Progress | None = None
) -> Path:
    """Write the workbook for `content` to `path`; a cancelled or failed export leaves
    nothing behind and any existing file at `path` untouched."""
    target = Path(path).absolute()
    if target.suffix.lower() != ".xlsx":
        raise PlannerError(f"'{target.name}' should end in .xlsx, the Excel workbook format.")
    if not target.parent.is_dir():
        raise PlannerError(
            f"'{target.name}' could not be written: the folder {target.parent} does not exist."
        )
    temporary = target.with_name(f".{target.stem}.{os.getpid()}.partial.xlsx")
    total = len(content.actions) * 3 + len(content.milestones) + len(content.people) + 50
    if content.purpose is not None:
        total += len(content.purpose.measures) + len(content.purpose.benefits)
    ticker = Ticker(total, progress)
    workbook = Workbook(write_only=True)
    styles = Styles(workbook, content.header.rag_definitions)
    try:
        temporary.touch()  # find out now, before any work, whether the folder is writable
        write_read_me(workbook, content, styles)
        overview.write_summary(workbook, content, styles, ticker)
        write_actions(workbook, content, styles, ticker)
        write_milestones(workbook, content, styles, ticker)
        purpose_sheets.write_measures(workbook, content, styles, ticker)
        purpose_sheets.write_benefits(workbook, content, styles, ticker)
        overview.write_partners(workbook, content, styles, ticker)
        overview.write_people(workbook, content, styles, ticker)
        timeline.write_timeline(workbook, content, styles, ticker)
        write_meta(workbook, content, styles)
        properties = workbook.properties
        properties.title = safe_text(content.header.title)
        properties.subject = f"Delivery plan as at {format_long(content.header.status_date)}"
        properties.creator = safe_text(content.options.exported_by) or APP_NAME
        properties.lastModifiedBy = safe_text(content.options.exported_by) or APP_NAME
        properties.created = content.exported_at
        properties.modified = content.exported_at
        properties.keywords = safe_text(content.marking)
        properties.category = safe_text(content.marking)
        properties.description = safe_text(content.slice_description)
        if progress is not None and not progress(ticker.total, ticker.total, "Saving"):
            raise ExportCancelled()
        workbook.save(temporary)
        os.replace(temporary, target)
    except OSError as error:
        _discard(workbook, temporary)
        raise PlannerError(
            f"'{target.name}' could not be written: {describe_os_error(error)}."
        ) from None
    except BaseException:
        _discard(workbook, temporary)
        raise
    return target


def _discard(workbook: Workbook, temporary: Path) -> None:
    """Remove everything a failed export wrote: the partial file and the sheets' own
    temporary files (each holds rows of the plan)."""
    temporary.unlink(missing_ok=True)
    for sheet in workbook.worksheets:
        writer = getattr(sheet, "_writer", None)
        if writer is None:
            continue
        with contextlib.suppress(Exception):
            writer.close()
        with contextlib.suppress(Exception):
            writer.cleanup()
