"""The Timeline sheet: each action as a bar from start to due across the plan period by
month, coloured by its RAG rating, with its milestones and the status date marked."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from planner.domain import Status
from planner.domain.dates import financial_year, format_long, format_uk, quarter
from planner.domain.timescale import MAX_MONTHS, MONTH_NAMES, action_span, month_number, month_start
from planner.io.excel.common import Ticker, print_setup
from planner.io.excel.content import ExportContent
from planner.io.excel.overview import row_height
from planner.io.excel.styles import Styles
from planner.queries import ActionRow, MilestoneRow

FIXED_COLUMNS = (
    ("Ref", 6.0),
    ("Action", 36.0),
    ("Lead", 17.0),
    ("Start", 10.5),
    ("Due", 10.5),
    ("RAG", 7.5),
)
MONTH_WIDTH = 3.2
HEADER_ROWS = 3
DIAMOND = "\u25c6"  # ◆ a milestone due that month
TICK = "\u2713"  # ✓ every milestone that month is completed
MONTHS_PER_PAGE = 60  # five years fit one landscape page wide


def timeline_months(content: ExportContent) -> list[date]:
    """The first day of each month the timeline shows: the plan period, or the span of
    the actions' dates when the plan has no period."""
    header = content.header
    if header.period_start and header.period_end:
        first, last = header.period_start, header.period_end
    else:
        dated = [action_span(action.start, action.due) for action in content.actions]
        spans = [span for span in dated if span is not None]
        first = header.period_start or min(
            (start for start, _ in spans), default=header.status_date
        )
        last = header.period_end or max((due for _, due in spans), default=header.status_date)
    low, high = sorted((month_number(first), month_number(last)))
    high = min(high, low + MAX_MONTHS - 1)
    return [month_start(number) for number in range(low, high + 1)]


def _runs(labels: list[str]) -> list[tuple[str, int, int]]:
    """(label, first index, last index) for each run of equal labels."""
    runs: list[tuple[str, int, int]] = []
    for index, label in enumerate(labels):
        if runs and runs[-1][0] == label:
            runs[-1] = (label, runs[-1][1], index)
        else:
            runs.append((label, index, index))
    return runs


def _year_label(year: str, months: int) -> str:
    """'2012/13' where it fits, '12/13' in two or three months, nothing in one."""
    if months * MONTH_WIDTH >= 8:
        return year
    if months >= 2:
        return year[2:]
    return ""


def _milestone_mark(milestones: list[MilestoneRow]) -> tuple[str, str]:
    """The symbol and the kind of mark for the milestones of one action in one month."""
    open_ones = [m for m in milestones if m.completed_on is None]
    if not open_ones:
        return TICK, "done"
    symbol = DIAMOND * min(len(open_ones), 2)
    return symbol, "overdue" if any(m.overdue for m in open_ones) else "open"


def _late(action: ActionRow, status_date: date) -> bool:
    return bool(
        action.due
        and action.due < status_date
        and action.status not in (Status.COMPLETED, Status.CANCELLED)
    )


def write_timeline(
    workbook: Workbook, content: ExportContent, styles: Styles, ticker: Ticker
) -> None:
    # Any: the write-only sheet gains page set-up, merges and filters at run time.
    sheet: Any = workbook.create_sheet("Timeline")
    sheet.sheet_properties.tabColor = "B9770E"
    sheet.sheet_view.zoomScale = 90
    header = content.header
    status_date = header.status_date
    months = timeline_months(content)
    first_month = month_number(months[0])
    fixed = len(FIXED_COLUMNS)
    for number, (_, width) in enumerate(FIXED_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    for number in range(fixed + 1, fixed + len(months) + 1):
        sheet.column_dimensions[get_column_letter(number)].width = MONTH_WIDTH
    sheet.freeze_panes = f"{get_column_letter(fixed + 1)}{HEADER_ROWS + 1}"
    # Before the first row: a write-only sheet writes its properties (fit to page) then.
    print_setup(sheet, content, title_rows=f"1:{HEADER_ROWS}")
    if len(months) > MONTHS_PER_PAGE:  # a very long plan: readable pages, not one sliver
        sheet.page_setup.fitToWidth = math.ceil(len(months) / MONTHS_PER_PAGE)
        sheet.print_title_cols = f"A:{get_column_letter(fixed)}"
    now = month_number(status_date) - first_month
    if not 0 <= now < len(months):
        now = -1  # the status date falls outside the period shown

    def cell(value: Any, style: str) -> Any:
        return styles.cell(sheet, value, style)

    def merge(row: int, first: int, last: int) -> None:
        if last > first:
            sheet.merged_cells.add(
                f"{get_column_letter(first)}{row}:{get_column_letter(last)}{row}"
            )

    # Row 1: title over the fixed columns, financial years over their months.
    years = _runs([financial_year(month) for month in months])
    row: list[Any] = [cell(f"Timeline as at {format_long(status_date)}", "header")]
    row.extend(cell("", "header") for _ in range(fixed - 1))
    for label, first, last in years:
        row.append(cell(_year_label(label, last - first + 1), "header-centre"))
        row.extend(cell("", "header-centre") for _ in range(first, last))
    sheet.append(row)
    merge(1, 1, fixed)
    for _, first, last in years:
        merge(1, fixed + 1 + first, fixed + 1 + last)

    # Row 2: the key over the fixed columns, quarters (Q1 = Apr-Jun) over their months.
    status_note = (
        f"Status date {format_uk(status_date)}: the purple column."
        if now >= 0
        else f"Status date {format_uk(status_date)}: outside this period."
    )
    key = (
        f"Bars run from start to due in the action's RAG colour (grey: not rated). "
        f"{DIAMOND} milestone due, red {DIAMOND} overdue, {TICK} completed. {status_note}"
    )
    key_width = sum(width for _, width in FIXED_COLUMNS)
    sheet.row_dimensions[2].height = max(24.0, row_height([(key, key_width, 8)]) or 0)
    quarters = _runs([f"{financial_year(month)} Q{quarter(month)}" for month in months])
    row = [cell(key, "header-key")]
    row.extend(cell("", "header-key") for _ in range(fixed - 1))
    for label, first, last in quarters:
        row.append(cell(label.rpartition(" ")[2], "header-sub"))
        row.extend(cell("", "header-sub") for _ in range(first, last))
    sheet.append(row)
    merge(2, 1, fixed)
    for _, first, last in quarters:
        merge(2, fixed + 1 + first, fixed + 1 + last)

    # Row 3: the column headers and the month names.
    row = [cell(title, "header") for title, _ in FIXED_COLUMNS]
    row.extend(
        cell(MONTH_NAMES[month.month - 1], "header-now" if index == now else "header-month")
        for index, month in enumerate(months)
    )
    sheet.append(row)
    ticker.tick("Timeline", HEADER_ROWS)

    # One row per action, written as (value, style) pairs: the fast path for many cells.
    heights = styles.use_fast_rows(sheet)

    by_action: dict[int, dict[int, list[MilestoneRow]]] = defaultdict(lambda: defaultdict(list))
    for milestone in content.milestones:
        if milestone.due is not None:
            index = month_number(milestone.due) - first_month
            if 0 <= index < len(months):
                by_action[milestone.action_id][index].append(milestone)
    blank_months: list[tuple[str | None, str] | None] = [None] * len(months)
    for number, action in enumerate(content.actions, start=1):
        rag = header.rag(action.rag)
        bar_style = f"bar-{rag.code}" if rag else "bar-none"
        months_row = blank_months.copy()
        span = action_span(action.start, action.due)
        start = end = -1
        if span is not None:
            start = month_number(span[0]) - first_month
            end = month_number(span[1]) - first_month
            for index in range(max(start, 0), min(end, len(months) - 1) + 1):
                months_row[index] = (None, bar_style)
        for index, milestones in by_action.get(action.id, {}).items():
            symbol, kind = _milestone_mark(milestones)
            if kind == "overdue":
                style = "tl-overdue"
            elif start <= index <= end:
                style = bar_style
            else:
                style = "tl-done" if kind == "done" else "tl-milestone"
            months_row[index] = (symbol, style)
        if now >= 0:
            value, style = months_row[now] or (None, "tl-empty")
            months_row[now] = (value, style + "+now")
        height = row_height(
            [
                (action.title, FIXED_COLUMNS[1][1], 10),
                (action.lead_officer, FIXED_COLUMNS[2][1], 10),
            ]
        )
        if height is not None:
            heights[HEADER_ROWS + number] = height
        sheet.append(
            [
                (action.ref, "text+bold"),
                (action.title, "wrap"),
                (action.lead_officer, "wrap"),
                (action.start, "date"),
                (action.due, "date+overdue" if _late(action, status_date) else "date"),
                (rag.name, f"rag-{rag.code}") if rag else ("", "text"),
                *months_row,
            ]
        )
        ticker.tick("Timeline")

    last_row = HEADER_ROWS + len(content.actions)
    sheet.auto_filter.ref = f"A{HEADER_ROWS}:{get_column_letter(fixed)}{max(last_row, HEADER_ROWS)}"
