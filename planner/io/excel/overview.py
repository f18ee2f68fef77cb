"""The overview sheets: Summary (RAG counts, chart, overdue and due-soon milestones),
Partners (each action against each partner body, by sector) and People (RACI counts)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from planner.domain import PartnerRole, RaciRole, Sector
from planner.domain.dates import format_long, format_uk
from planner.io.excel.common import Cell, TableSheet, Ticker, print_setup
from planner.io.excel.contacts import contact_line
from planner.io.excel.content import ExportContent, PartnerColumn, partner_role_label
from planner.io.excel.layout import Column
from planner.io.excel.styles import UNRATED_FILL, Styles, lines_of
from planner.queries import MilestoneRow

NOT_RATED = "Not rated"

# Summary columns: A (ref) and B (milestone) hold the label of a count table between them.
SUMMARY_WIDTHS = (8.0, 50.0)
COUNT_WIDTH = 15.0  # also the owner column of the milestone lists
COUNT_COLUMNS = 6  # the most RAG columns plus Total that a default plan needs
CHART_ROW_CM = 0.53  # one default row, for reserving room under the chart

# Partners columns.
PARTNER_FIXED = (("ID", 11.0), ("Ref", 7.0), ("Action", 42.0))
PARTNER_WIDTH = 9.5
STYLED_EMPTY_LIMIT = 20_000  # above this many matrix cells, empty cells are left unwritten
PAGE_WIDTH_CHARS = 170  # about what one landscape A4 page holds at a readable scale
WIDE_PRINT_SCALE = 80  # per cent, for a matrix printed several pages wide


@dataclass(frozen=True)
class RagColumn:
    """One count column of a RAG table: its code (None: not rated) and header."""

    code: str | None
    name: str
    colour: str  # hex, no '#'


def rag_columns(content: ExportContent) -> list[RagColumn]:
    """The plan's RAG ratings in order, then any unknown codes, then 'Not rated' if used."""
    columns = [
        RagColumn(rag.code, rag.name, rag.colour.lstrip("#"))
        for rag in content.header.rag_definitions
    ]
    known = {column.code for column in columns}
    used: set[str | None] = {action.rag for action in content.actions}
    for _, counts in [*content.rag_by_theme, *content.rag_by_partner]:
        used.update(code for code, number in counts.items() if number)
    for code in sorted(code for code in used if code is not None and code not in known):
        columns.append(RagColumn(code, code, UNRATED_FILL))
    if None in used:
        columns.append(RagColumn(None, NOT_RATED, UNRATED_FILL))
    return columns


def _rag_header_style(column: RagColumn) -> str:
    return f"header-rag-{column.code}" if column.code is not None else "header-rag-none"


def text_lines(text: str, width: float, size: float = 10) -> int:
    """How many lines `text` wraps to in a column `width` characters wide, at a font
    `size` in points: a slightly generous estimate, so that nothing is cut off."""
    per_line = max(1, math.floor(width * 1.22 * 10 / size))
    return lines_of(text, per_line)


def row_height(texts: Iterable[tuple[Any, float, float]]) -> float | None:
    """A row height in points that shows each (text, column width, font size) in full
    when wrapped; None when one line is enough (the row keeps its default height).

    Excel sizes such rows itself on opening, LibreOffice does not: an explicit height
    makes the sheet read and print the same in both."""
    lines, size = 1, 10.0
    for text, width, font_size in texts:
        if isinstance(text, str) and text:
            found = text_lines(text, width, font_size)
            if found > lines or (found == lines and font_size > size):
                lines, size = found, font_size
    if lines == 1:
        return None
    return round(lines * size * 1.22 + 3, 1)


class _Sheet:
    """A free-form write-only sheet: appends styled rows and counts them."""

    def __init__(self, sheet: Any, styles: Styles, *, fast: bool = False) -> None:
        self.sheet = sheet
        self.styles = styles
        self.row = 0  # the number of the last row written
        # Fast: rows go out as (value, style) pairs, for sheets with many cells.
        self.heights = styles.use_fast_rows(sheet) if fast else None

    def append(self, cells: Sequence[Cell | None], height: float | None = None) -> int:
        sheet, styles = self.sheet, self.styles
        if self.heights is not None:
            if height is not None:
                self.heights[self.row + 1] = height
            sheet.append(list(cells))
        else:
            if height is not None:
                sheet.row_dimensions[self.row + 1].height = height
            sheet.append(
                [None if cell is None else styles.cell(sheet, cell[0], cell[1]) for cell in cells]
            )
        self.row += 1
        return self.row

    def blank(self, rows: int = 1) -> None:
        for _ in range(rows):
            self.sheet.append([])
            self.row += 1

    def merge(self, first_column: int, last_column: int, row: int | None = None) -> None:
        row = self.row if row is None else row
        self.sheet.merged_cells.add(
            f"{get_column_letter(first_column)}{row}:{get_column_letter(last_column)}{row}"
        )


# -- Summary -----------------------------------------------------------------------------


def write_summary(
    workbook: Workbook, content: ExportContent, styles: Styles, ticker: Ticker
) -> None:
    """RAG counts by theme (with a stacked bar chart) and by partner body, then the
    milestones overdue and those due in the next 90 days."""
    # Any: the write-only sheet gains page set-up, merges and filters at run time.
    sheet: Any = workbook.create_sheet("Summary")
    # Before the first row: a write-only sheet writes its properties (fit to page) then.
    print_setup(sheet, content, title_rows="1:2")
    sheet.sheet_properties.tabColor = "117A65"
    sheet.sheet_view.showGridLines = False
    sheet.sheet_view.zoomScale = 90
    columns = rag_columns(content)
    for number, width in enumerate(SUMMARY_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    for number in range(3, 3 + max(COUNT_COLUMNS, len(columns) + 1)):
        sheet.column_dimensions[get_column_letter(number)].width = COUNT_WIDTH
    out = _Sheet(sheet, styles)
    header = content.header
    status = header.status_date

    sheet.row_dimensions[1].height = 22  # the 16 pt title
    sheet.row_dimensions[2].height = 17
    out.append([(f"Summary: {header.title}", "title")])
    out.append([(f"Status as at {format_long(status)}. {content.slice_description}", "subtitle")])
    ticker.tick("Summary", 2)

    out.blank()
    first, last = _rag_table(
        out,
        content,
        columns,
        "Actions by RAG rating and theme",
        "Theme",
        [label for label, _ in content.rag_by_theme],
        [counts for _, counts in content.rag_by_theme],
        "All themes",
        ticker,
    )
    if content.rag_by_theme:
        height = _theme_chart(out, content, columns, first, last)
        out.blank(math.ceil(height / CHART_ROW_CM) + 1)
    else:
        out.append([("There are no themes in this plan.", "muted")])

    out.blank()
    sheet.row_breaks.append(Break(id=out.row))  # partners start a printed page
    _rag_table(
        out,
        content,
        columns,
        "Actions involving each partner body, by RAG rating",
        "Partner body",
        [label for label, _ in content.rag_by_partner],
        [counts for _, counts in content.rag_by_partner],
        None,  # an action has several partners: a column total would count it twice
        ticker,
    )
    if not content.rag_by_partner:
        out.append([("No partner bodies are linked to these actions.", "muted")])

    out.blank()
    overdue = sorted(content.overdue_milestones, key=_milestone_order)
    out.append([(f"Overdue milestones at {format_long(status)}: {len(overdue)}", "subtitle")])
    if overdue:
        out.append(
            [
                ("Ref", "header"),
                ("Milestone", "header"),
                ("Owner", "header"),
                ("Due", "header"),
                ("Days overdue", "header-centre"),
            ]
        )
        for milestone in overdue:
            late = (status - milestone.due).days if milestone.due else None
            out.append(
                [
                    (milestone.action_ref, "text+bold"),
                    (milestone.title, "wrap"),
                    (milestone.owner, "wrap"),
                    (milestone.due, "date+overdue"),
                    (late, "count"),
                ],
                _milestone_height(milestone),
            )
            ticker.tick("Summary")
    else:
        out.append([("No milestone is overdue at the status date.", "muted")])

    out.blank()
    due_soon = sorted(content.due_soon_milestones, key=_milestone_order)
    days = content.due_soon_days
    out.append(
        [
            (
                f"Milestones due in the next {days} days "
                f"({format_uk(status)} to {format_uk(_plus_days(content, days))}): "
                f"{len(due_soon)}",
                "subtitle",
            )
        ]
    )
    if due_soon:
        out.append(
            [
                ("Ref", "header"),
                ("Milestone", "header"),
                ("Owner", "header"),
                ("Due", "header"),
                ("Days to go", "header-centre"),
            ]
        )
        for milestone in due_soon:
            to_go = (milestone.due - status).days if milestone.due else None
            out.append(
                [
                    (milestone.action_ref, "text+bold"),
                    (milestone.title, "wrap"),
                    (milestone.owner, "wrap"),
                    (milestone.due, "date"),
                    (to_go, "count"),
                ],
                _milestone_height(milestone),
            )
            ticker.tick("Summary")
    else:
        out.append([(f"No milestone falls due in the next {days} days.", "muted")])


def _plus_days(content: ExportContent, days: int) -> date:
    return content.header.status_date + timedelta(days=days)


def _milestone_height(milestone: MilestoneRow) -> float | None:
    return row_height(
        [(milestone.title, SUMMARY_WIDTHS[1], 10), (milestone.owner, COUNT_WIDTH, 10)]
    )


def _milestone_order(milestone: MilestoneRow) -> tuple[Any, ...]:
    return (milestone.due is None, milestone.due, _ref_key(milestone.action_ref))


def _ref_key(ref: str) -> tuple[Any, ...]:
    """'3.10' after '3.9': numeric parts compare as numbers."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in ref.split("."))


def _rag_table(
    out: _Sheet,
    content: ExportContent,
    columns: list[RagColumn],
    heading: str,
    label_header: str,
    labels: list[str],
    counts: list[dict[str | None, int]],
    total_label: str | None,
    ticker: Ticker,
) -> tuple[int, int]:
    """A heading, a header of RAG names in their colours, a row per label with a Total,
    and optionally a totals row; returns the first and last label rows."""
    out.append([(heading, "subtitle")])
    out.append(
        [
            (label_header, "header"),
            ("", "header"),
            *((column.name, _rag_header_style(column)) for column in columns),
            ("Total", "header-centre"),
        ]
    )
    out.merge(1, 2)
    first = out.row + 1
    totals = [0] * len(columns)
    for label, by_rag in zip(labels, counts, strict=True):
        numbers = [by_rag.get(column.code, 0) for column in columns]
        totals = [total + number for total, number in zip(totals, numbers, strict=True)]
        out.append(
            [
                (label, "wrap"),
                ("", "wrap"),
                *((number, "count") for number in numbers),
                (sum(numbers), "count+bold"),
            ],
            row_height([(label, sum(SUMMARY_WIDTHS), 10)]),
        )
        out.merge(1, 2)
        ticker.tick("Summary")
    last = out.row
    if total_label is not None and labels:
        out.append(
            [
                (total_label, "text+bold"),
                ("", "text+bold"),
                *((number, "count+bold") for number in totals),
                (sum(totals), "count+bold"),
            ]
        )
        out.merge(1, 2)
    return first, last


def _theme_chart(
    out: _Sheet, content: ExportContent, columns: list[RagColumn], first: int, last: int
) -> float:
    """A stacked horizontal bar per theme, each RAG rating in its own colour, anchored
    under the theme table; returns the chart's height in centimetres."""
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.gapWidth = 60
    chart.title = "Actions by RAG rating and theme"
    chart.style = 10
    data = Reference(
        out.sheet, min_col=3, max_col=2 + len(columns), min_row=first - 1, max_row=last
    )
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(out.sheet, min_col=1, min_row=first, max_row=last))
    for series, column in zip(chart.series, columns, strict=True):
        series.graphicalProperties.solidFill = column.colour
        series.graphicalProperties.line.solidFill = column.colour
    chart.x_axis.title = None
    chart.y_axis.title = "Actions"
    chart.x_axis.scaling.orientation = "maxMin"  # theme 1 at the top, as in the table
    chart.y_axis.crosses = "max"  # keeps the count axis along the bottom
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.number_format = "0"
    biggest = max(
        (sum(counts.values()) for _, counts in content.rag_by_theme),
        default=1,
    )
    chart.y_axis.majorUnit = _nice_step(biggest)
    chart.y_axis.scaling.min = 0
    chart.legend.position = "b"
    themes = last - first + 1
    chart.width = 24
    chart.height = max(8, math.ceil(3.5 + 0.75 * themes))
    out.blank()
    out.sheet.add_chart(chart, f"A{out.row + 1}")
    return float(chart.height)


def _nice_step(biggest: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if biggest / step <= 10:
            return step
    return 10_000


# -- Partners ----------------------------------------------------------------------------


def _sector_label(sector: str) -> str:
    try:
        return Sector(sector).label
    except ValueError:
        return sector.replace("_", " ").capitalize() or "Other"


def _sector_groups(
    partners: list[PartnerColumn], per_page: int | None = None
) -> list[tuple[str, int, int]]:
    """(sector label, first index, last index) for each run of partners in one sector;
    with `per_page`, a run also ends at each printed page's edge so that every page
    carries its own sector headings."""
    groups: list[tuple[str, int, int]] = []
    for index, partner in enumerate(partners):
        label = _sector_label(partner.sector)
        new_page = per_page is not None and index % per_page == 0
        if groups and groups[-1][0] == label and not new_page:
            groups[-1] = (label, groups[-1][1], index)
        else:
            groups.append((label, index, index))
    return groups


def _partners_per_page(partner_count: int) -> int | None:
    """How many partner columns one printed page holds beside the repeated action
    columns, or None when they all fit on one page wide at a readable scale."""
    fixed_width = sum(width for _, width in PARTNER_FIXED)
    if fixed_width + PARTNER_WIDTH * partner_count <= PAGE_WIDTH_CHARS:
        return None
    page_pixels = 1047 / (WIDE_PRINT_SCALE / 100)  # landscape A4 less margins, 96 dpi

    def pixels(width: float) -> float:
        return 7 * width + 5

    spare = page_pixels - sum(pixels(width) for _, width in PARTNER_FIXED)
    return max(1, int(spare // pixels(PARTNER_WIDTH)) - 1)


def write_partners(
    workbook: Workbook, content: ExportContent, styles: Styles, ticker: Ticker
) -> None:
    """Each action down the side, each partner body across (grouped by sector under a
    merged sector heading), the partner's role in the cell; lead partners stand out."""
    # Any: the write-only sheet gains page set-up, merges and filters at run time.
    sheet: Any = workbook.create_sheet("Partners")
    sheet.sheet_properties.tabColor = "1E8449"
    sheet.sheet_view.zoomScale = 90
    partners = content.partners
    fixed = len(PARTNER_FIXED)
    last_column = fixed + len(partners)
    for number, (_, width) in enumerate(PARTNER_FIXED, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    for number in range(fixed + 1, last_column + 1):
        sheet.column_dimensions[get_column_letter(number)].width = PARTNER_WIDTH
    per_page = _partners_per_page(len(partners))
    groups = _sector_groups(partners, per_page)
    if any(first == last for _, first, last in groups):
        sheet.row_dimensions[1].height = 26  # a one-partner sector wraps its name
    longest = max((len(_short(partner)) for partner in partners), default=4)
    sheet.row_dimensions[2].height = min(110, max(36, 4.0 * min(longest, 24) + 12))
    sheet.freeze_panes = f"{get_column_letter(fixed + 1)}3"
    print_setup(sheet, content, title_rows="1:2")  # before the first row, as on Summary
    sheet.print_title_cols = f"A:{get_column_letter(fixed)}"
    if per_page is not None:
        # Too wide for one page: print at a fixed scale with a page break between
        # blocks of partners (Excel ignores manual breaks when fitting to pages), the
        # action columns repeated on each page and each block under its own sectors.
        sheet.sheet_properties.pageSetUpPr.fitToPage = False
        sheet.page_setup.scale = WIDE_PRINT_SCALE
        for start in range(per_page, len(partners), per_page):
            sheet.col_breaks.append(Break(id=fixed + start))
    out = _Sheet(sheet, styles, fast=True)

    # Header row 1: sector names over their partners (merged); row 2: short names.
    row_one: list[Cell | None] = [("Partner bodies by sector", "header"), ("", "header")]
    row_one.append(("", "header"))
    shade = 0
    for number, (label, first, last) in enumerate(groups):
        if number and label != groups[number - 1][0]:
            shade += 1  # sectors alternate dark and light; a page edge does not
        style = "header-centre" if shade % 2 == 0 else "header-sub"
        row_one.append((label, style))
        row_one.extend(("", style) for _ in range(first, last))
    out.append(row_one)
    out.merge(1, fixed)
    for _, first, last in groups:
        if last > first:
            out.merge(fixed + 1 + first, fixed + 1 + last)
    out.append(
        [
            *((title, "header") for title, _ in PARTNER_FIXED),
            *((_short(partner), "header-vertical") for partner in partners),
        ]
    )
    ticker.tick("Partners", 2)

    # One row per action; a role cell is reused for every action with that role.
    styled_empty = len(content.actions) * len(partners) <= STYLED_EMPTY_LIMIT

    def role_cell(role: str) -> Cell:
        style = "role-lead" if role == PartnerRole.LEAD.value else "role"
        return (partner_role_label(role), style)

    empty: Cell | None = (None, "text") if styled_empty else None
    involved = [0] * len(partners)
    leading = [0] * len(partners)
    column_of = {partner.id: index for index, partner in enumerate(partners)}
    roles_of: dict[int, list[tuple[int, str]]] = {}
    for (action_id, partner_id), role in content.partner_roles.items():
        if partner_id in column_of:
            roles_of.setdefault(action_id, []).append((column_of[partner_id], role))
    for action in content.actions:
        cells: list[Cell | None] = [
            (action.uid, "id"),
            (action.ref, "text+bold"),
            (action.title, "wrap"),
        ]
        linked = roles_of.get(action.id, [])
        # Unwritten empty cells need not be listed after the last role.
        width = len(partners) if styled_empty else max((i + 1 for i, _ in linked), default=0)
        matrix: list[Cell | None] = [empty] * width
        for index, role in linked:
            matrix[index] = role_cell(role)
            involved[index] += 1
            if role == PartnerRole.LEAD.value:
                leading[index] += 1
        height = row_height(
            [
                (action.title, PARTNER_FIXED[2][1], 10),
                *((partner_role_label(role), PARTNER_WIDTH, 9) for _, role in linked),
            ]
        )
        out.append(cells + matrix, height)
        ticker.tick("Partners")
    last_action_row = out.row

    out.append(
        [
            ("", "text+bold"),
            ("", "text+bold"),
            ("Actions involving this partner body", "text+bold"),
            *((number, "count+bold") for number in involved),
        ]
    )
    out.append(
        [
            ("", "text"),
            ("", "text"),
            ("Of which as lead partner", "text"),
            *((number, "count") for number in leading),
        ]
    )
    out.blank()
    out.append([None, None, ("Key to partner bodies", "subtitle")])
    ticker.tick("Partners", 3)
    for partner in partners:
        out.append(
            [
                None,
                None,
                (
                    f"{_short(partner)}: {partner.name} ({_sector_label(partner.sector)})",
                    "note",
                ),
            ]
        )
        for contact in content.contacts.get(partner.id, []):
            out.append([None, None, (contact_line(contact), "note")])
    if not partners:
        out.append([None, None, ("No partner bodies are linked to these actions.", "muted")])

    sheet.auto_filter.ref = f"A2:{get_column_letter(max(last_column, fixed))}{last_action_row}"
    if not styled_empty:
        sheet.print_options.gridLines = True


def _short(partner: PartnerColumn) -> str:
    return partner.short_name or partner.name


# -- People ------------------------------------------------------------------------------

ROLE_COLUMNS = (
    (RaciRole.ACCOUNTABLE, "Lead (Accountable)"),
    (RaciRole.RESPONSIBLE, "Responsible"),
    (RaciRole.CONSULTED, "Consulted"),
    (RaciRole.INFORMED, "Informed"),
)


def write_people(
    workbook: Workbook, content: ExportContent, styles: Styles, ticker: Ticker
) -> None:
    """Each person with their organisation, job title and email, the actions they hold
    in each RACI role and the milestones they own that fall due in the next 90 days."""
    columns = [
        Column("name", "Name", 26),
        Column("organisation", "Organisation", 30, "wrap"),
        Column("job_title", "Job title", 32, "wrap"),
        Column("email", "Email", 36),
        *(Column(role.value, header, 12, "count") for role, header in ROLE_COLUMNS),
        Column("due_soon", f"Milestones due in the next {content.due_soon_days} days", 14, "count"),
    ]
    rows: list[list[Cell]] = [
        [
            (person.name, "text+bold"),
            (person.organisation, "wrap"),
            (person.job_title, "wrap"),
            (person.email, "text"),
            *((person.roles.get(role.value, 0), "count") for role, _ in ROLE_COLUMNS),
            (person.milestones_due_soon, "count"),
        ]
        for person in content.people
    ]
    table = TableSheet(
        workbook, "People", styles, content, columns, rows, freeze="B2", tab_colour="7D3C98"
    )
    # TableSheet.write sets up printing after its rows, too late for a write-only sheet
    # to record 'fit to page'; setting it up first as well makes it stick.
    print_setup(table.sheet, content, title_rows="1:1")
    widths = {
        column.key: table.sheet.column_dimensions[get_column_letter(number)].width
        for number, column in enumerate(columns, start=1)
    }
    table.sheet.row_dimensions[1].height = row_height(
        (column.header, widths[column.key], 10) for column in columns
    )
    for number, person in enumerate(content.people, start=2):
        height = row_height(
            [
                (person.organisation, widths["organisation"], 10),
                (person.job_title, widths["job_title"], 10),
            ]
        )
        if height is not None:
            table.sheet.row_dimensions[number].height = height
    table.write(ticker, "People")
