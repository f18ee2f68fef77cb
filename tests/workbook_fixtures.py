"""Fixture workbooks made the way partners and their programs make them.

Each maker reads a workbook and writes a changed copy, leaving the original alone:

    resave_with_libreoffice(path)            -> the copy LibreOffice saves, or None
    to_strict(path, out)                     Excel's "Strict Open XML Spreadsheet"
    with_backslash_paths(path, out)          zip paths written 'xl\\worksheets\\sheet1.xml'
    understate_dimension(path, out, sheet)   <dimension> declaring fewer rows than held
    with_stray_cell(path, out, sheet, "XFD1048576")
                                             one value far away, declared as the size
    with_shared_formula(path, out, sheet, "N2:N6", "M2*2")
                                             a formula filled down, stored shared
    rename_sheet(path, out, old, new)        as Excel renames: names follow the sheet
    reorder_sheets(path, out, first)         the named sheets moved to the front
    drop_table_markers(path, out)            the hidden _planner_* names removed
    edit_cells(path, out, {sheet: {(row, heading): value}})
                                             cells typed over in openpyxl's normal mode
    xlsxwriter_copy(path, out)               the workbook rewritten by XlsxWriter with a
                                             picture, chart, comments, conditional formats,
                                             validations, names, rich text and formulas

Every maker returns the path it wrote. The XML makers edit the zip's parts as text, so
everything else in the file stays byte for byte as it was.
"""

from __future__ import annotations

import atexit
import re
import shutil
import struct
import subprocess
import tempfile
import warnings
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TRANSITIONAL = "http://schemas.openxmlformats.org/"
STRICT = "http://purl.oclc.org/ooxml/"
# Transitional namespace or relationship type -> Strict, most specific first.
TO_STRICT = (
    (
        "officeDocument/2006/relationships/extended-properties",
        "officeDocument/relationships/extendedProperties",
    ),
    (
        "officeDocument/2006/relationships/custom-properties",
        "officeDocument/relationships/customProperties",
    ),
    ("officeDocument/2006/relationships", "officeDocument/relationships"),
    ("officeDocument/2006/extended-properties", "officeDocument/extendedProperties"),
    ("officeDocument/2006/custom-properties", "officeDocument/customProperties"),
    ("officeDocument/2006/docPropsVTypes", "officeDocument/docPropsVTypes"),
    ("officeDocument/2006/sharedTypes", "officeDocument/sharedTypes"),
    ("spreadsheetml/2006/main", "spreadsheetml/main"),
    ("drawingml/2006/", "drawingml/"),
)
LIBREOFFICE_SECONDS = 180


# ----- the parts of a package -----------------------------------------------------------


def rewrite_parts(path: Path, out: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """Copy the zip at `path` to `out`, each part passed through change(name, data)
    (returning None drops the part)."""
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info.filename))
            if data is not None:
                new.writestr(info, data)
    return out


def sheet_part(path: Path, sheet: str) -> str:
    """The zip part holding a sheet, found through workbook.xml and its relationships."""
    with zipfile.ZipFile(path) as archive:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    rel_id = next(
        element.get(f"{{{REL_NS}}}id")
        for element in book.iter(f"{{{MAIN_NS}}}sheet")
        if element.get("name") == sheet
    )
    target = next(str(rel.get("Target")) for rel in rels if rel.get("Id") == rel_id)
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


# ----- programs that re-save ------------------------------------------------------------


_LIBREOFFICE_PROFILE: list[Path] = []


def _libreoffice_profile() -> Path:
    """A LibreOffice user profile private to this process (made once, removed at exit),
    so conversions running in parallel do not clash and each starts quickly."""
    if not _LIBREOFFICE_PROFILE:
        folder = Path(tempfile.mkdtemp(prefix="lo-profile-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _LIBREOFFICE_PROFILE.append(folder)
    return _LIBREOFFICE_PROFILE[0]


def resave_with_libreoffice(path: Path, out_dir: Path | None = None) -> Path | None:
    """The workbook opened and saved again as .xlsx by LibreOffice (headless), written
    to `out_dir` (default: a 'libreoffice' folder beside it) under the same name; None
    when LibreOffice is not installed or could not convert it."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    out_dir = out_dir or path.parent / "libreoffice"
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={_libreoffice_profile().as_uri()}",
                "--headless",
                "--convert-to",
                "xlsx",
                "--outdir",
                str(out_dir),
                str(path),
            ],
            check=True,
            capture_output=True,
            timeout=LIBREOFFICE_SECONDS,
        )
    except (subprocess.SubprocessError, OSError):
        return None
    made = out_dir / (path.stem + ".xlsx")
    return made if made.exists() else None


def _date_cells(path: Path) -> dict[str, dict[str, date]]:
    """Sheet part -> coordinate -> date, for every cell holding a date."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(path)
    found: dict[str, dict[str, date]] = {}
    try:
        for sheet in book.worksheets:
            cells = {
                cell.coordinate: cell.value
                for row in sheet.iter_rows()
                for cell in row
                if isinstance(cell.value, date)
            }
            if cells:
                found[sheet_part(path, sheet.title)] = cells
    finally:
        book.close()
    return found


def to_strict(path: Path, out: Path) -> Path:
    """The workbook as Excel saves it with Save as "Strict Open XML Spreadsheet":
    Strict namespaces and relationship types, conformance="strict", and dates stored
    as ISO 8601 text rather than serial numbers."""
    dates = _date_cells(path)

    def iso_date(found: re.Match[str], cells: dict[str, date]) -> str:
        attributes, coordinate = found[1], re.search(r'\br="([A-Z]+\d+)"', found[1])
        if coordinate is None or coordinate[1] not in cells:
            return found[0]
        attributes = re.sub(r'\s+t="[^"]*"', "", attributes)
        return f'<c {attributes} t="d"><v>{_iso(cells[coordinate[1]])}</v></c>'

    def strict(name: str, data: bytes) -> bytes:
        if not name.endswith((".xml", ".rels")):
            return data
        text = data.decode("utf-8")
        if name in dates:
            text = re.sub(
                r"<c ([^>]*)><v>[^<]*</v></c>",
                lambda found: iso_date(found, dates[name]),
                text,
            )
        for transitional, strict_form in TO_STRICT:
            text = text.replace(TRANSITIONAL + transitional, STRICT + strict_form)
        if name == "xl/workbook.xml":
            text = re.sub(r"<workbook ", '<workbook conformance="strict" ', text, count=1)
        return text.encode("utf-8")

    return rewrite_parts(path, out, strict)


def _iso(value: date) -> str:
    moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
    return moment.isoformat(timespec="seconds")


def with_backslash_paths(path: Path, out: Path) -> Path:
    """The same parts under Windows-style paths ('xl\\workbook.xml'), as some programs
    write them and Excel opens them."""
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            renamed = zipfile.ZipInfo(info.filename.replace("/", "\\"), info.date_time)
            renamed.compress_type = zipfile.ZIP_DEFLATED
            new.writestr(renamed, old.read(info.filename))
    return out


# ----- a sheet's declared size ----------------------------------------------------------


def _set_dimension(xml: str, reference: str) -> str:
    if "<dimension " in xml:
        return re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{reference}"/>', xml)
    return re.sub(r"(<worksheet[^>]*>)", rf'\1<dimension ref="{reference}"/>', xml, count=1)


def understate_dimension(path: Path, out: Path, sheet: str, reference: str = "A1:C3") -> Path:
    """The sheet declares a size (`reference`) smaller than the cells it holds, as
    LibreOffice and several libraries sometimes write it."""
    part = sheet_part(path, sheet)
    return rewrite_parts(
        path,
        out,
        lambda name, data: (
            _set_dimension(data.decode("utf-8"), reference).encode() if name == part else data
        ),
    )


def with_stray_cell(
    path: Path, out: Path, sheet: str, coordinate: str = "XFD1048576", value: str = "x"
) -> Path:
    """One value far from the table (a stray keystroke), with the sheet's declared
    size stretched to reach it, as Excel declares it."""
    part = sheet_part(path, sheet)
    column, row = re.fullmatch(r"([A-Z]+)(\d+)", coordinate).groups()  # type: ignore[union-attr]

    def stray(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        text = data.decode("utf-8")
        cell = f'<row r="{row}"><c r="{coordinate}" t="inlineStr"><is><t>{value}</t></is></c></row>'
        text = text.replace("</sheetData>", cell + "</sheetData>", 1)
        text = text.replace("<sheetData/>", f"<sheetData>{cell}</sheetData>", 1)
        return _set_dimension(text, f"A1:{column}{row}").encode("utf-8")

    return rewrite_parts(path, out, stray)


def with_shared_formula(path: Path, out: Path, sheet: str, cells: str, formula: str) -> Path:
    """The cells of one column (cells="N2:N6", each already holding a value) typed over
    with one formula filled down, stored as Excel stores it: a shared formula given in
    the first cell and referred to by the others. `formula` is the first cell's, without
    the "=" (e.g. "M2*2")."""
    part = sheet_part(path, sheet)
    found = re.fullmatch(r"([A-Z]+)(\d+):\1(\d+)", cells)
    assert found is not None, cells
    column, first, last = found[1], int(found[2]), int(found[3])

    def shared(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        text = data.decode("utf-8")
        for row in range(first, last + 1):
            body = (
                f'<f t="shared" ref="{cells}" si="0">{formula}</f>'
                if row == first
                else '<f t="shared" si="0"/>'
            )
            text, replaced = re.subn(
                rf'<c r="{column}{row}"(?: [^>]*)?(?:/>|>.*?</c>)',
                f'<c r="{column}{row}">{body}<v>0</v></c>',
                text,
                count=1,
            )
            assert replaced, f"{column}{row} holds nothing on {sheet}"
        return text.encode("utf-8")

    return rewrite_parts(path, out, shared)


# ----- sheets renamed, moved, unmarked --------------------------------------------------


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def rename_sheet(path: Path, out: Path, old: str, new: str) -> Path:
    """The sheet renamed as Excel renames it: the names pointing at it follow it."""

    def renamed(name: str, data: bytes) -> bytes:
        if name != "xl/workbook.xml":
            return data
        text = data.decode("utf-8")
        text = re.sub(rf'(<sheet [^>]*name=")({re.escape(old)})(")', rf"\g<1>{new}\g<3>", text)
        for reference in (_quoted(old), old):
            text = text.replace(f">{reference}!", f">{_quoted(new)}!")
            text = text.replace(f",{reference}!", f",{_quoted(new)}!")
        return text.encode("utf-8")

    return rewrite_parts(path, out, renamed)


def reorder_sheets(path: Path, out: Path, first: list[str]) -> Path:
    """The named sheets moved to the front, in that order; sheet-scoped names follow
    their sheets."""

    def reordered(name: str, data: bytes) -> bytes:
        if name != "xl/workbook.xml":
            return data
        text = data.decode("utf-8")
        sheets = re.findall(r"<sheet [^>]*/>", text)
        titles = [re.search(r'name="([^"]*)"', sheet)[1] for sheet in sheets]  # type: ignore[index]
        order = [titles.index(title) for title in first]
        order += [number for number in range(len(sheets)) if number not in order]
        moved = {old: new for new, old in enumerate(order)}
        block = "".join(sheets[number] for number in order)
        text = re.sub(r"<sheets>.*</sheets>", f"<sheets>{block}</sheets>", text, flags=re.S)
        text = re.sub(r'localSheetId="(\d+)"', lambda m: f'localSheetId="{moved[int(m[1])]}"', text)
        return text.encode("utf-8")

    return rewrite_parts(path, out, reordered)


def drop_table_markers(path: Path, out: Path) -> Path:
    """The hidden names marking the tables' heading rows removed (as an older export,
    or another program, would have it)."""

    def dropped(name: str, data: bytes) -> bytes:
        if name != "xl/workbook.xml":
            return data
        text = re.sub(
            r'<definedName [^>]*name="_planner_[^"]*"[^>]*>[^<]*</definedName>',
            "",
            data.decode("utf-8"),
        )
        return text.replace("<definedNames></definedNames>", "").encode("utf-8")

    return rewrite_parts(path, out, dropped)


# ----- cells typed over -----------------------------------------------------------------


@dataclass(frozen=True)
class Formatted:
    """A value typed into a cell with a number format, e.g. Formatted(0.5, "0%")."""

    value: Any
    number_format: str


Edits = Mapping[str, Mapping[tuple[int | str, str], Any]]


def _heading_row(sheet: Any, heading: str) -> tuple[int, dict[str, int]]:
    for number in range(1, 21):
        headings = {
            str(cell.value).strip(): cell.column for cell in sheet[number] if cell.value is not None
        }
        if heading in headings:
            return number, headings
    raise KeyError(f"no heading {heading!r} on sheet {sheet.title!r}")


def _row_of(sheet: Any, top: int, headings: dict[str, int], key: str) -> int:
    """The row whose ID, Ref or Action ref cell holds `key` (the first such row)."""
    columns = [headings[name] for name in ("ID", "Ref") if name in headings]
    for number in range(top + 1, sheet.max_row + 1):
        if any(str(sheet.cell(number, column).value or "") == key for column in columns):
            return number
    raise KeyError(f"no row {key!r} on sheet {sheet.title!r}")


def edit_cells(path: Path, out: Path, edits: Edits) -> Path:
    """Cells typed over as a partner would, in openpyxl's normal mode.

    `edits` maps a sheet to {(row, heading): value}: row is the sheet's row number, or
    the text of the row's ID or Ref cell ("3.2"); heading is the column's heading as
    it appears in the sheet; value is what is typed (a str, number, date, None) or
    Formatted(value, number_format)."""
    book = openpyxl.load_workbook(path)
    try:
        for sheet_name, cells in edits.items():
            sheet = book[sheet_name]
            for (row, heading), value in cells.items():
                top, headings = _heading_row(sheet, heading)
                number = row if isinstance(row, int) else _row_of(sheet, top, headings, row)
                cell = sheet.cell(number, headings[heading])
                if isinstance(value, Formatted):
                    cell.value, cell.number_format = value.value, value.number_format
                else:
                    cell.value = value
        book.save(out)
    finally:
        book.close()
    return out


# ----- XlsxWriter: a workbook with everything in it -------------------------------------


def tiny_png() -> bytes:
    """A 2x2 red PNG picture."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def xlsxwriter_copy(path: Path, out: Path) -> Path:
    """Every sheet of the workbook rewritten by XlsxWriter, values as they are (dates as
    dates), the _planner sheet hidden, and on top: a picture and a chart on the Actions
    sheet, comments, conditional formats, data validations, workbook and sheet names,
    rich text in a Latest update cell, and formulas (plain, array) on a Notes sheet."""
    import xlsxwriter

    source = openpyxl.load_workbook(path)
    picture = out.with_suffix(".png")
    picture.write_bytes(tiny_png())
    book = xlsxwriter.Workbook(str(out))
    date_style = book.add_format({"num_format": "dd/mm/yyyy"})
    bold = book.add_format({"bold": True})
    try:
        for sheet in source.worksheets:
            target = book.add_worksheet(sheet.title)
            if sheet.sheet_state != "visible":
                target.hide()
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value is None:
                        continue
                    if isinstance(cell.value, datetime):
                        target.write_datetime(cell.row - 1, cell.column - 1, cell.value, date_style)
                    elif isinstance(cell.value, str):
                        target.write_string(cell.row - 1, cell.column - 1, cell.value)
                    else:
                        target.write(cell.row - 1, cell.column - 1, cell.value)
            if sheet.title == "Actions":
                _decorate_actions(book, target, sheet, picture, bold)
        notes = book.add_worksheet("Notes")
        for number in range(1, 21):
            notes.write_number(number, 0, number)
            notes.write_formula(number, 1, f"=A{number + 1}*2", None, number * 2)
        notes.write_array_formula("C2:C2", "{=SUM(A2:A21*B2:B21)}")
        book.define_name("Partner_totals", "=Notes!$A$2:$B$21")
        book.define_name("Actions!Local_name", "=Actions!$A$1")
        book.close()
    finally:
        source.close()
        picture.unlink(missing_ok=True)
    return out


def _decorate_actions(book: Any, target: Any, sheet: Any, picture: Path, bold: Any) -> None:
    headings = [cell.value for cell in sheet[1]]
    last = sheet.max_row
    update = headings.index("Latest update")
    rag = headings.index("RAG")
    target.write_rich_string(
        1, update, "Board paper ", bold, "agreed", " on 12 December; ", "next step: tender."
    )
    target.write_comment(1, rag, "Checked with the lead officer.")
    target.write_comment(2, update, "Please confirm before the board.")
    red = book.add_format({"bg_color": "#FFC7CE"})
    target.conditional_format(
        1, rag, last - 1, rag, {"type": "cell", "criteria": "==", "value": '"Red"', "format": red}
    )
    target.conditional_format(1, 0, last - 1, 3, {"type": "duplicate", "format": red})
    target.data_validation(
        1, rag, last - 1, rag, {"validate": "list", "source": ["Red", "Amber", "Green", "Blue"]}
    )
    target.insert_image(1, len(headings) + 1, str(picture))
    chart = book.add_chart({"type": "column"})
    percent = headings.index("% complete")
    chart.add_series({"values": ["Actions", 1, percent, last - 1, percent]})
    target.insert_chart(5, len(headings) + 1, chart)
