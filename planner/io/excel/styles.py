"""The workbook's look: a few styles built once and stamped onto many cells quickly."""

from __future__ import annotations

from copy import copy
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.xml.constants import XML_NS
from openpyxl.xml.functions import Element, SubElement

from planner.domain import RagDefinition
from planner.domain.colours import contrast, readable_text_on
from planner.io.excel.safe import looks_like_formula, safe_text

UK_DATE = "dd/mm/yyyy"
INK = "1B2631"
HEADER_FILL = "1F4E79"  # read-only headings: white on navy
# Editable headings: dark ink on pale gold inside a dashed outline, so they are told
# apart from read-only ones (white on navy) in greyscale print and without colour.
EDITABLE_HEADER_FILL = "FFE699"
EDITABLE_OUTLINE = Side(style="mediumDashed", color=INK)
EDITABLE_FILL = "FFF8E1"
OVERDUE_FILL = "F9D6D5"
OVERDUE_INK = "922B21"
MUTED_INK = "566573"  # 6:1 on white, 5.6:1 on the editable fill
UNRATED_FILL = "D5D8DC"  # a bar or count with no RAG rating
SUBHEADER_FILL = "D6E4F0"  # a second header row: quarters, sectors
MONTH_FILL = "EBF1F7"  # the month header row of the timeline
STATUS_MARK = "6C3483"  # the status-date column of the timeline
LEAD_FILL = "DCE6F1"  # a lead-partner cell
THIN = Side(style="thin", color="D5DADF")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FONT_NAME = "Calibri"
POUNDS = "£#,##0"
AMOUNT_FORMATS = {
    "money": POUNDS,
    "amount-percent": '0.0"%"',
    "amount-whole": "#,##0",
    "amount-decimal": "#,##0.0#",
}
XML_SPACE = f"{{{XML_NS}}}space"


MIN_CONTRAST = 4.5  # WCAG AA for body text


def text_colour_on(hex_colour: str) -> str:
    return readable_text_on("#" + hex_colour.lstrip("#")).lstrip("#")


def readable_fill(hex_colour: str) -> tuple[str, str]:
    """A fill close to `hex_colour` and the text colour to write on it, together at
    WCAG AA contrast (4.5:1) or better: a mid-tone that neither near-black nor white
    reads well on (the default Blue) is darkened a little until white text does."""
    fill = hex_colour.lstrip("#").upper()
    for _ in range(40):
        ink = text_colour_on(fill)
        if contrast("#" + fill, "#" + ink) >= MIN_CONTRAST:
            return fill, ink
        channels = [int(fill[i : i + 2], 16) for i in (0, 2, 4)]
        fill = "".join(f"{round(channel * 0.95):02X}" for channel in channels)
    return fill, "FFFFFF"


class Styles:
    """Named looks (header, date, wrap, RAG colours...) cached as ready style arrays."""

    def __init__(self, workbook: Workbook, rags: tuple[RagDefinition, ...]) -> None:
        self._workbook = workbook
        self._probe_sheet: Any = None
        self._cache: dict[str, Any] = {}
        self.rags = {rag.code: rag for rag in rags}

    def _style_array(self, name: str) -> Any:
        if name in self._cache:
            return self._cache[name]
        if self._probe_sheet is None:
            self._probe_sheet = WriteOnlyWorksheet(self._workbook, "probe")
        cell: Any = WriteOnlyCell(self._probe_sheet)
        self._apply(cell, name)
        self._cache[name] = copy(cell._style)
        return self._cache[name]

    def _apply(self, cell: Any, name: str) -> None:
        base, _, extra = name.partition("+")
        cell.font = Font(name=FONT_NAME, size=10, color=INK)
        cell.alignment = Alignment(vertical="top")
        cell.border = GRID
        if base == "header" or base == "header-editable":
            editable = base == "header-editable"
            cell.font = Font(
                name=FONT_NAME, size=10, bold=True, color=INK if editable else "FFFFFF"
            )
            fill = EDITABLE_HEADER_FILL if editable else HEADER_FILL
            cell.fill = PatternFill("solid", fgColor=fill)
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            if editable:
                outline = EDITABLE_OUTLINE
                cell.border = Border(left=outline, right=outline, top=outline, bottom=outline)
        elif base == "wrap":
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        elif base == "date":
            cell.number_format = UK_DATE
            cell.alignment = Alignment(vertical="top", horizontal="left")
        elif base == "number":
            cell.number_format = "0"
            cell.alignment = Alignment(vertical="top", horizontal="right")
        elif base in AMOUNT_FORMATS:  # money and measures' figures
            cell.number_format = AMOUNT_FORMATS[base]
            cell.alignment = Alignment(vertical="top", horizontal="right")
        elif base == "id":
            cell.font = Font(name=FONT_NAME, size=8, color=MUTED_INK)
        elif base == "title":
            cell.font = Font(name=FONT_NAME, size=16, bold=True, color=HEADER_FILL)
            cell.border = Border()
        elif base == "subtitle":
            cell.font = Font(name=FONT_NAME, size=12, bold=True, color=HEADER_FILL)
            cell.border = Border()
        elif base == "label":
            cell.font = Font(name=FONT_NAME, size=10, bold=True, color=INK)
            cell.border = Border()
        elif base.startswith("callout"):  # the Read me's block on what a round asks
            cell.fill = PatternFill("solid", fgColor=SUBHEADER_FILL)
            cell.border = Border()
            size, bold = {"callout-title": (13, True), "callout-key": (12, True)}.get(
                base, (11, base == "callout-label")
            )
            cell.font = Font(name=FONT_NAME, size=size, bold=bold, color=INK)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        elif base == "plain":
            cell.border = Border()
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        elif base == "muted":
            cell.font = Font(name=FONT_NAME, size=9, italic=True, color=MUTED_INK)
            cell.border = Border()
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        elif base == "rag-value":  # an editable rating: coloured by conditional formats
            cell.font = Font(name=FONT_NAME, size=10, bold=True, color=INK)
            cell.alignment = Alignment(vertical="top", horizontal="center")
        elif base.startswith("rag-"):
            code = base[4:]
            rag = self.rags.get(code)
            colour, ink = readable_fill(rag.colour if rag else UNRATED_FILL)
            cell.fill = PatternFill("solid", fgColor=colour)
            cell.font = Font(name=FONT_NAME, size=10, bold=True, color=ink)
            cell.alignment = Alignment(vertical="top", horizontal="center")
        elif base == "header-centre":
            cell.font = Font(name=FONT_NAME, size=10, bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(vertical="center", horizontal="center", wrap_text=True)
        elif base == "header-vertical":
            cell.font = Font(name=FONT_NAME, size=9, bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(
                vertical="bottom", horizontal="center", text_rotation=90, wrap_text=True
            )
        elif base == "header-sub":
            cell.font = Font(name=FONT_NAME, size=9, bold=True, color=INK)
            cell.fill = PatternFill("solid", fgColor=SUBHEADER_FILL)
            cell.alignment = Alignment(vertical="center", horizontal="center", wrap_text=True)
        elif base == "header-key":
            cell.font = Font(name=FONT_NAME, size=8, italic=True, color=INK)
            cell.fill = PatternFill("solid", fgColor=MONTH_FILL)
            cell.alignment = Alignment(vertical="center", horizontal="left", wrap_text=True)
        elif base == "header-month":
            cell.font = Font(name=FONT_NAME, size=8, color=INK)
            cell.fill = PatternFill("solid", fgColor=MONTH_FILL)
            cell.alignment = Alignment(vertical="center", horizontal="center")
        elif base == "header-now":
            cell.font = Font(name=FONT_NAME, size=8, bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor=STATUS_MARK)
            cell.alignment = Alignment(vertical="center", horizontal="center")
        elif base.startswith("header-rag-"):
            rag = self.rags.get(base[len("header-rag-") :])
            colour, ink = readable_fill(rag.colour if rag else UNRATED_FILL)
            cell.fill = PatternFill("solid", fgColor=colour)
            cell.font = Font(name=FONT_NAME, size=10, bold=True, color=ink)
            cell.alignment = Alignment(vertical="center", horizontal="center", wrap_text=True)
        elif base == "note":
            cell.border = Border()
        elif base == "count":
            cell.number_format = "#,##0"
            cell.alignment = Alignment(vertical="top", horizontal="center")
        elif base == "role" or base == "role-lead":
            lead = base == "role-lead"
            cell.font = Font(name=FONT_NAME, size=9, bold=lead, color=HEADER_FILL if lead else INK)
            if lead:
                cell.fill = PatternFill("solid", fgColor=LEAD_FILL)
            cell.alignment = Alignment(vertical="top", horizontal="center", wrap_text=True)
        elif base.startswith("bar-"):
            rag = self.rags.get(base[4:])
            colour, ink = readable_fill(rag.colour if rag else UNRATED_FILL)
            cell.fill = PatternFill("solid", fgColor=colour)
            cell.font = Font(name=FONT_NAME, size=9, bold=True, color=ink)
            cell.alignment = Alignment(vertical="center", horizontal="center")
            white = Side(style="thin", color="FFFFFF")
            cell.border = Border(top=white, bottom=white)
        elif base in ("tl-empty", "tl-milestone", "tl-overdue", "tl-done"):
            cell.border = Border()
            cell.alignment = Alignment(vertical="center", horizontal="center")
            if base == "tl-milestone":
                cell.font = Font(name=FONT_NAME, size=9, bold=True, color=INK)
            elif base == "tl-overdue":
                cell.font = Font(name=FONT_NAME, size=9, bold=True, color=OVERDUE_INK)
                cell.fill = PatternFill("solid", fgColor=OVERDUE_FILL)
            elif base == "tl-done":
                cell.font = Font(name=FONT_NAME, size=9, bold=True, color=MUTED_INK)
        for flag in extra.split("+") if extra else []:
            if flag == "editable":
                cell.fill = PatternFill("solid", fgColor=EDITABLE_FILL)
            elif flag == "overdue":
                cell.fill = PatternFill("solid", fgColor=OVERDUE_FILL)
                cell.font = Font(name=FONT_NAME, size=10, bold=True, color=OVERDUE_INK)
            elif flag == "bold":
                cell.font = Font(name=FONT_NAME, size=10, bold=True, color=INK)
            elif flag == "centre":
                cell.alignment = Alignment(vertical="top", horizontal="center")
            elif flag == "now":  # the timeline's status-date column
                mark = Side(style="medium", color=STATUS_MARK)
                cell.border = Border(
                    left=mark, right=mark, top=cell.border.top, bottom=cell.border.bottom
                )

    def use_fast_rows(self, sheet: Any) -> dict[int, float]:
        """Let `sheet.append` take rows of (value, style name) pairs and write each row
        as one XML element: several times quicker than openpyxl building a cell object
        per value. Column widths, panes and page set-up must be set before the first row.
        Text is made safe here, as in `cell`."""
        book = sheet.parent
        style_ids: dict[tuple[str, bool], str] = {}
        letters = [get_column_letter(number) for number in range(1, 400)]

        def style_id(style: str, formula_like: bool) -> str:
            key = (style, formula_like)
            if key not in style_ids:
                style_ids[key] = str(book._cell_styles.add(self._stamp(style, formula_like)))
            return style_ids[key]

        heights: dict[int, float] = {}

        def write_row(xf: Any, row: Any, row_index: int) -> None:
            attributes = {"r": str(row_index)}
            dimensions = sheet.row_dimensions.get(row_index)
            if dimensions is not None:  # heights set the usual way
                attributes.update(dict(dimensions))
            if row_index in heights:  # LibreOffice does not size wrapped rows itself
                attributes.update(ht=f"{heights.pop(row_index):.2f}", customHeight="1")
            element = Element("row", attributes)
            for number, item in enumerate(row):
                if item is None:  # nothing at all in this cell
                    continue
                value, style = item
                if value is None or value == "":
                    SubElement(
                        element,
                        "c",
                        {"r": f"{letters[number]}{row_index}", "s": style_id(style, False)},
                    )
                    continue
                if isinstance(value, str):
                    text = safe_text(value)
                    cell = SubElement(
                        element,
                        "c",
                        {
                            "r": f"{letters[number]}{row_index}",
                            "s": style_id(style, looks_like_formula(text)),
                            "t": "inlineStr",
                        },
                    )
                    attributes = {XML_SPACE: "preserve"} if text != text.strip() else {}
                    text_element: Any = SubElement(SubElement(cell, "is"), "t", attributes)
                    text_element.text = text
                    continue
                if isinstance(value, bool):
                    kind, number_text = "b", "1" if value else "0"
                elif isinstance(value, date):
                    kind, number_text = "n", repr(to_excel(value, book.epoch))  # type: ignore[no-untyped-call]  # openpyxl ships no types
                else:
                    kind, number_text = "n", repr(value)
                cell = SubElement(
                    element,
                    "c",
                    {"r": f"{letters[number]}{row_index}", "s": style_id(style, False), "t": kind},
                )
                SubElement(cell, "v").text = number_text
            xf.write(element)

        sheet._get_writer()  # writes the sheet's top: columns, views, page set-up
        sheet._writer.write_row = write_row
        sheet._values_to_row = lambda values, _row_index: values
        return heights

    def cell(self, sheet: WriteOnlyWorksheet, value: Any, style: str = "text") -> Any:
        """A cell holding `value` (text made safe, never a formula) in the named style."""
        formula_like = False
        if isinstance(value, str):
            value = safe_text(value)
            formula_like = looks_like_formula(value)
        made: Any = WriteOnlyCell(sheet, value=value)
        if formula_like:
            made.data_type = "s"
        made._style = self._stamp(style, formula_like)
        return made

    def _stamp(self, style: str, formula_like: bool) -> Any:
        """A fresh style array for a cell; text that looks like a formula gets Excel's
        quote prefix, so it stays text even when the cell is edited."""
        style_array = copy(self._style_array(style))
        if formula_like:
            style_array.quotePrefix = 1
        return style_array


LINE_POINTS = 12.75  # one line of 10-point Calibri


def wrapped_lines(text: str, width: float, *, bold: bool = False) -> int:
    """How many lines `text` wraps to, word by word, in a column `width` characters
    wide at 10 points: a slightly generous estimate, so that nothing is cut off."""
    per_line = max(4, int(width * (1.0 if bold else 1.2)))
    return lines_of(text, per_line)


def lines_of(text: str, per_line: int) -> int:
    """How many lines `text` wraps to, word by word, at `per_line` characters a line
    (a word longer than a line is broken across lines)."""
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0
        for word in paragraph.split():
            if used and used + 1 + len(word) <= per_line:
                used += 1 + len(word)
                continue
            if used:
                lines += 1
            lines += (len(word) - 1) // per_line
            used = len(word) % per_line or per_line
    return max(lines, 1)


def row_height(cells: list[tuple[Any, float]], *, bold: bool = False) -> float | None:
    """The height (points) a row needs for its wrapped text; None for one line.

    `cells` pairs each wrapped value with its column width in Excel's units."""
    lines = 1
    for value, width in cells:
        if isinstance(value, str) and value:
            lines = max(lines, wrapped_lines(value, width, bold=bold))
    return None if lines == 1 else lines * LINE_POINTS + 3
