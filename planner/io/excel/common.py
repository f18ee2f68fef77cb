"""What every circulated sheet shares: column widths, a styled frozen header with a
filter, print set-up with the plan title, marking and page numbers."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties

from planner.domain import RagDefinition
from planner.domain.dates import format_long
from planner.errors import PlannerError
from planner.io.excel.content import ExportContent
from planner.io.excel.layout import Column
from planner.io.excel.safe import safe_text
from planner.io.excel.styles import FONT_NAME, Styles, readable_fill, row_height

Progress = Callable[[int, int, str], bool]  # (done, total, stage) -> keep going?
Cell = tuple[Any, str]  # a value and its style name


class ExportCancelled(PlannerError):
    """The user stopped the export; nothing was written."""

    def __init__(self) -> None:
        super().__init__("The export was cancelled; no workbook was written.")


class Ticker:
    """Counts written rows and reports them; raises ExportCancelled when asked to stop."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total = max(total, 1)
        self.done = 0
        self.progress = progress
        self._next_report = 0

    def tick(self, stage: str, rows: int = 1) -> None:
        self.done += rows
        if self.progress is None or self.done < self._next_report:
            return
        self._next_report = self.done + max(self.total // 100, 50)
        if not self.progress(min(self.done, self.total), self.total, stage):
            raise ExportCancelled()


def fitted_width(header: str, values: Iterable[Any], cap: float) -> float:
    """A width that fits the header and the longest value, capped (long text wraps)."""
    longest = len(header) + 3
    for number, value in enumerate(values):
        if number > 2000:
            break
        if isinstance(value, date):
            longest = max(longest, 12)
        elif value is not None:
            text = str(value)
            longest = max(longest, max((len(line) for line in text.split("\n")), default=0) + 2)
    return float(min(cap, longest))


def header_footer_text(text: str, limit: int) -> str:
    """Text safe in a printed header or footer: no control characters, '&' doubled
    (a single '&' starts a code such as &D, the date), kept short of Excel's limit."""
    cleaned = safe_text(text)[:limit]
    return cleaned.replace("&", "&&")


def round_header(content: ExportContent) -> str:
    """What a round's workbook asks, for the top of every printed page: the round, who
    it is addressed to and the return-by date. Empty outside a round."""
    ask = content.options.round
    if ask is None:
        return ""
    asked = ask.title or "Update round"
    if ask.addressee:
        asked += f", for {ask.addressee}"
    if ask.return_by is not None:
        asked += f": please return by {format_long(ask.return_by)}"
    return asked


def print_setup(
    sheet: Any,  # write-only sheets gain these attributes at run time
    content: ExportContent,
    *,
    title_rows: str | None,
    landscape: bool = True,
) -> None:
    """A4, fit to one page wide, header rows repeated, title, marking and page N of M;
    in a round, the round, its return-by date and addressee head every page."""
    sheet.page_setup.paperSize = 9  # A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.75
    if title_rows:
        sheet.print_title_rows = title_rows
    marking = header_footer_text(content.marking, 60)
    asked = round_header(content)
    if asked:  # a round's copy says what it asks where the plan's title would be
        sheet.oddHeader.left.text = header_footer_text(asked, 150)
        sheet.oddHeader.left.size = 10
        sheet.oddHeader.left.font = "Calibri,Bold"
    else:
        sheet.oddHeader.left.text = header_footer_text(content.header.title, 150)
        sheet.oddHeader.left.size = 9
    sheet.oddHeader.right.text = marking
    sheet.oddHeader.right.size = 10
    sheet.oddHeader.right.font = "Calibri,Bold"
    sheet.oddFooter.left.text = f"As at {content.header.status_date:%d/%m/%Y}"
    sheet.oddFooter.left.size = 8
    sheet.oddFooter.center.text = marking
    sheet.oddFooter.center.size = 9
    sheet.oddFooter.center.font = "Calibri,Bold"
    sheet.oddFooter.right.text = "Page &P of &N"
    sheet.oddFooter.right.size = 8


# Printing a wide table. Widths are in Excel's character units: about 7 pixels (at
# 96 dpi) plus 5 of padding in Calibri, but up to a third wider where Calibri is
# missing and LibreOffice draws in a wider font. Landscape A4 less the 0.4 inch
# margins is about 1,045 pixels wide.
PAGE_PIXELS = 1045
WIDE_FONT = 1.3  # how much wider than Calibri a substitute (DejaVu Sans) sets a column
MIN_PRINT_SCALE = 80  # per cent: 10-point text prints at 8 points or more
NARROWEST_WRAP = 14.0  # a wrapped column is not narrowed below this for printing
WRAP_KEPT = 0.6  # nor below this share of its usual greatest width


def column_pixels(width: float) -> float:
    return (7 * width + 5) * WIDE_FONT


@dataclass(frozen=True)
class PrintPlan:
    """How a table prints: its columns' widths, the scale, and where the second page
    across starts (None: one page wide)."""

    widths: list[float]
    scale: int
    break_before: int | None  # column index (from 0) starting the second page


def narrowest(column: Column, width: float, kept: float = WRAP_KEPT) -> float:
    """How narrow a column may be made for printing: wrapped text keeps a good part of
    its width; other columns (dates, names, numbers) are not narrowed."""
    if column.kind != "wrap":
        return width
    return min(width, max(NARROWEST_WRAP, round(column.width * kept)))


def plan_printing(
    widths: Sequence[float],
    floors: Sequence[float],
    *,
    first: int,
    repeat: int | None,
    repeat_count: int = 1,
) -> PrintPlan:
    """Columns `first` onwards printed at MIN_PRINT_SCALE or larger, one page wide if
    they fit, else two, the `repeat` column (the row's reference, and the `repeat_count`
    - 1 columns after it) printed again at the left of the second page. Where they do
    not fit, the widest column of the widest page that may be narrowed (to its floor)
    is, a character at a time."""
    widths = list(widths)
    while True:
        plan = _best_plan(widths, first, repeat, repeat_count)
        if plan.scale >= MIN_PRINT_SCALE:
            return plan
        if plan.break_before is None:
            pages = [range(first, len(widths))]
        else:
            pages = [range(first, plan.break_before), range(plan.break_before, len(widths))]
        pages.sort(key=lambda page: -sum(column_pixels(widths[i]) for i in page))
        narrowed = False
        for page in pages:
            wrapped = [i for i in page if widths[i] - 1 >= floors[i]]
            if wrapped:
                widths[max(wrapped, key=lambda i: widths[i])] -= 1
                narrowed = True
                break
        if not narrowed:
            return plan


def _scale_for(pixels: float) -> int:
    return min(100, math.floor(PAGE_PIXELS / max(pixels, 1) * 100))


def _best_plan(
    widths: list[float], first: int, repeat: int | None, repeat_count: int = 1
) -> PrintPlan:
    pixels = [column_pixels(width) for width in widths]
    whole = sum(pixels[first:])
    if _scale_for(whole) >= MIN_PRINT_SCALE:
        return PrintPlan(list(widths), _scale_for(whole), None)
    extra = sum(pixels[repeat : repeat + repeat_count]) if repeat is not None else 0
    best: PrintPlan | None = None
    lowest = first + 1 if repeat is None else max(first + 1, repeat + repeat_count)
    for start in range(lowest, len(widths)):
        widest = max(sum(pixels[first:start]), extra + sum(pixels[start:]))
        if best is None or _scale_for(widest) > best.scale:
            best = PrintPlan(list(widths), _scale_for(widest), start)
    return best or PrintPlan(list(widths), _scale_for(whole), None)


def print_as_planned(
    sheet: Any,
    plan: PrintPlan,
    *,
    first: int,
    repeat: int | None,
    last_row: int,
    repeat_count: int = 1,
) -> None:
    """Apply `plan` to a sheet: one page wide fits to the page width; two pages wide
    print at the planned scale with a break between them (Excel ignores breaks when
    fitting to pages). The print area leaves out the columns before `first`."""
    last = get_column_letter(len(plan.widths))
    sheet.print_area = f"{get_column_letter(first + 1)}1:{last}{max(last_row, 2)}"
    if plan.break_before is None:
        return
    sheet.sheet_properties.pageSetUpPr.fitToPage = False
    sheet.page_setup.scale = plan.scale
    sheet.page_setup.pageOrder = "overThenDown"  # a row's two halves on facing pages
    # Page headers and footers shrink with the page: enlarge them to print as set.
    for part in (*_parts(sheet.oddHeader), *_parts(sheet.oddFooter)):
        if part.size:
            part.size = math.ceil(part.size * 100 / plan.scale)
    sheet.page_setup.fitToWidth = 2
    sheet.col_breaks.append(Break(id=plan.break_before))
    if repeat is not None:
        first_letter = get_column_letter(repeat + 1)
        last_letter = get_column_letter(repeat + repeat_count)
        sheet.print_title_cols = f"{first_letter}:{last_letter}"


def _parts(header_footer: Any) -> tuple[Any, ...]:
    return (header_footer.left, header_footer.center, header_footer.right)


def rag_rules(sheet: Any, cells: str, rags: Sequence[RagDefinition]) -> None:
    """Colour each rating in `cells` (e.g. 'M2:M29') by what it says, typed in any case
    with stray spaces, as its name ('amber') or code ('A'): conditional formats, so a
    rating typed over another in Excel or LibreOffice shows its own colour."""
    top_left = cells.split(":")[0]
    said = f"UPPER(TRIM({top_left}))"
    for rag in rags:
        fill, ink = readable_fill(rag.colour)
        words = dict.fromkeys(word.strip().upper() for word in (rag.name, rag.code) if word)
        tests = [f'{said}="{word.replace(chr(34), chr(34) * 2)}"' for word in words]
        formula = tests[0] if len(tests) == 1 else f"OR({','.join(tests)})"
        rule = FormulaRule(  # type: ignore[no-untyped-call]  # openpyxl ships no types
            formula=[formula],
            stopIfTrue=True,
            fill=PatternFill("solid", fgColor=fill, bgColor=fill),
            font=Font(name=FONT_NAME, bold=True, color=ink),
        )
        sheet.conditional_formatting.add(cells, rule)


def list_validation(choices: Sequence[str], prompt: str) -> DataValidation:
    validation = DataValidation(
        type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True
    )
    validation.error = f"Choose one of: {', '.join(choices)}."
    validation.errorTitle = "Not one of the choices"
    validation.prompt = prompt
    validation.showErrorMessage = True
    validation.showInputMessage = True
    return validation


class TableSheet:
    """A write-only sheet holding one table under a styled, frozen, filtered header."""

    def __init__(
        self,
        workbook: Workbook,
        title: str,
        styles: Styles,
        content: ExportContent,
        columns: Sequence[Column],
        rows: Sequence[Sequence[Cell]],
        *,
        freeze: str = "A2",
        tab_colour: str | None = None,
        print_from: int | None = None,
        repeat_key: str | None = None,
        repeat_count: int = 1,
        wrap_kept: float = WRAP_KEPT,
    ) -> None:
        """With `print_from` (the number of columns at the left kept out of print: the
        ids) the table prints one or two pages wide at a readable scale, `repeat_key`
        naming the column printed again on the second page (with the `repeat_count` - 1
        columns after it); without it, one page wide.
        `wrap_kept` is the share of its width a wrapped column keeps at the narrowest."""
        # Any: the write-only sheet gains page set-up and filters at run time.
        self.sheet: Any = workbook.create_sheet(title)
        self.styles = styles
        self.columns = list(columns)
        self.rows = rows
        self.content = content
        if tab_colour:
            self.sheet.sheet_properties.tabColor = tab_colour
        fitted = [
            fitted_width(column.header, (row[number][0] for row in rows), column.width)
            for number, column in enumerate(self.columns)
        ]
        keys = [column.key for column in self.columns]
        repeat = keys.index(repeat_key) if repeat_key in keys else None
        plan = None
        if print_from is not None:
            floors = [narrowest(c, w, wrap_kept) for c, w in zip(self.columns, fitted, strict=True)]
            plan = plan_printing(
                fitted, floors, first=print_from, repeat=repeat, repeat_count=repeat_count
            )
        self.widths = plan.widths if plan else fitted
        for number, width in enumerate(self.widths, start=1):
            self.sheet.column_dimensions[get_column_letter(number)].width = width
        self.sheet.freeze_panes = freeze
        self.sheet.sheet_view.zoomScale = 90
        # Page set-up goes out with the first row, so it is set before any row.
        print_setup(self.sheet, content, title_rows="1:1")
        if plan is not None and print_from is not None:
            print_as_planned(
                self.sheet,
                plan,
                first=print_from,
                repeat=repeat,
                last_row=len(rows) + 1,
                repeat_count=repeat_count,
            )

    def write(self, ticker: Ticker | None = None, stage: str = "") -> None:
        sheet = self.sheet
        heights = self.styles.use_fast_rows(sheet)
        wrapped = [
            (number, self.widths[number])
            for number, column in enumerate(self.columns)
            if column.kind == "wrap"
        ]
        headings = [column.header for column in self.columns]
        heading_height = row_height(list(zip(headings, self.widths, strict=True)), bold=True)
        if heading_height is not None:
            heights[1] = heading_height
        sheet.append(
            [
                (heading, "header-editable" if column.editable else "header")
                for heading, column in zip(headings, self.columns, strict=True)
            ]
        )
        for number, row in enumerate(self.rows, start=2):
            height = row_height([(row[index][0], width) for index, width in wrapped])
            if height is not None:
                heights[number] = height
            sheet.append(row)
            if ticker is not None:
                ticker.tick(stage)
        last = get_column_letter(len(self.columns))
        sheet.auto_filter.ref = f"A1:{last}{len(self.rows) + 1}"

    def column_range(self, key: str) -> str:
        """The cells of a column below the header, e.g. 'L2:L29'."""
        number = [column.key for column in self.columns].index(key) + 1
        letter = get_column_letter(number)
        return f"{letter}2:{letter}{max(len(self.rows) + 1, 2)}"

    def validate(self, validation: DataValidation, key: str) -> None:
        validation.add(self.column_range(key))
        self.sheet.data_validations.append(validation)
