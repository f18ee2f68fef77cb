"""What every circulated sheet shares: column widths, a styled frozen header with a
filter, print set-up with the plan title, marking and page numbers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties

from planner.errors import PlannerError
from planner.io.excel.content import ExportContent
from planner.io.excel.layout import Column
from planner.io.excel.safe import safe_text
from planner.io.excel.styles import Styles, row_height

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


def print_setup(
    sheet: Any,  # write-only sheets gain these attributes at run time
    content: ExportContent,
    *,
    title_rows: str | None,
    landscape: bool = True,
) -> None:
    """A4, fit to one page wide, header rows repeated, title, marking and page N of M."""
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
    title = header_footer_text(content.header.title, 150)
    sheet.oddHeader.left.text = title
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
    ) -> None:
        # Any: the write-only sheet gains page set-up and filters at run time.
        self.sheet: Any = workbook.create_sheet(title)
        self.styles = styles
        self.columns = list(columns)
        self.rows = rows
        self.content = content
        if tab_colour:
            self.sheet.sheet_properties.tabColor = tab_colour
        self.widths: list[float] = []
        for number, column in enumerate(self.columns, start=1):
            width = fitted_width(column.header, (row[number - 1][0] for row in rows), column.width)
            self.widths.append(width)
            self.sheet.column_dimensions[get_column_letter(number)].width = width
        self.sheet.freeze_panes = freeze
        self.sheet.sheet_view.zoomScale = 90
        # Page set-up goes out with the first row, so it is set before any row.
        print_setup(self.sheet, content, title_rows="1:1")

    def write(self, ticker: Ticker | None = None, stage: str = "") -> None:
        sheet = self.sheet
        heights = self.styles.use_fast_rows(sheet)
        wrapped = [
            (number, self.widths[number])
            for number, column in enumerate(self.columns)
            if column.kind == "wrap"
        ]
        sheet.append(
            [
                (column.header, "header-editable" if column.editable else "header")
                for column in self.columns
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
