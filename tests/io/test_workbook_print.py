"""The circulated workbook as it prints and as it reads: A4 landscape tables at most two
pages wide with body text of 8 points or more (measured in LibreOffice's PDF), RAG
ratings coloured by conditional formats on what the cell says, every text colour on
its fill at WCAG AA contrast, editable headings told apart without colour, and a
round's copy saying what it asks on its Read me and at the top of every page."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell.cell import Cell
from openpyxl.workbook.workbook import Workbook

from planner.io.excel import ExportOptions, export_workbook, gather
from planner.io.excel.content import RoundAsk
from planner.io.sample import write_sample
from planner.store.planfile import PlanFile

SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")
ASK = RoundAsk(
    title="Q3 2013/14 update",
    return_by=date(2014, 1, 31),
    contact="Ian Marsden",
    body="Northshire College",
    sender="Helen Ashworth & team",
    sender_email="helen.ashworth@northshire.gov.uk",
)
TABLES = ("Actions", "Milestones")
CALIBRATION_POINTS = 10
# The words of the two tables' headings, by which a printed page's half is known.
HEADINGS = set(
    [
        "Ref",
        "Theme",
        "Action",
        "Description",
        "Lead",
        "officer",
        "Other",
        "people",
        "Partners",
        "Start",
        "Due",
        "Baseline",
        "due",
        "Status",
        "RAG",
        "%",
        "complete",
        "Next",
        "milestone",
        "Latest",
        "update",
        "Update",
        "as",
        "at",
        "Milestone",
        "Owner",
        "Completed",
        "Overdue",
        "Note",
    ]
)
PAGE_HEIGHT = 595.0  # landscape A4, points
MARGIN = 0.75 * 72  # the top and bottom margins hold the page header and footer


@dataclass
class Exports:
    plain: Path
    round: Path
    folder: Path


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Exports:
    """The sample plan exported once plainly and once as a round's copy."""
    folder = tmp_path_factory.mktemp("paper")
    plan = folder / "northshire.plan"
    data_dir = folder / "user-data"
    write_sample(plan, data_dir=data_dir).close()
    paths = []
    for name, ask in (("plain", None), ("round", ASK)):
        with (
            PlanFile.open(plan, read_only=True, data_dir=data_dir) as plan_file,
            plan_file.Session() as session,
        ):
            options = ExportOptions(exported_by="Helen Ashworth", round=ask)
            content = gather(session, plan_file.plan_id, options)
            paths.append(export_workbook(content, folder / f"{name}.xlsx"))
    return Exports(paths[0], paths[1], folder)


@pytest.fixture(scope="module")
def plain(exports: Exports) -> Workbook:
    return openpyxl.load_workbook(exports.plain)


@pytest.fixture(scope="module")
def round_copy(exports: Exports) -> Workbook:
    return openpyxl.load_workbook(exports.round)


# ----- colour arithmetic, as WCAG defines it --------------------------------------------


def luminance(rgb: str) -> float:
    channels = [int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def rgb_of(colour: Any, default: str) -> str:
    value = getattr(colour, "rgb", None)
    return value[-6:].upper() if isinstance(value, str) and len(value) >= 6 else default


def background(cell: Cell) -> str:
    fill = cell.fill
    if fill is None or fill.fill_type in (None, "none"):
        return "FFFFFF"
    return rgb_of(fill.fgColor, "FFFFFF")


def ink(cell: Cell) -> str:
    return rgb_of(cell.font.color if cell.font else None, "000000")


# ----- print set-up, read back ----------------------------------------------------------


@pytest.mark.parametrize("name", TABLES)
def test_tables_print_a4_landscape_headings_repeated_ids_left_out(
    plain: Workbook, name: str
) -> None:
    sheet = plain[name]
    setup = sheet.page_setup
    assert setup.orientation == "landscape"
    assert int(setup.paperSize) == 9  # A4
    assert (sheet.print_title_rows or "").replace("$", "") == "1:1"
    assert sheet["A1"].value == "ID"
    area = str(sheet.print_area).replace("$", "")
    assert re.fullmatch(rf"'?{name}'?!B1:[A-Z]+\d+", area), area  # column A (uid) not printed
    fit = sheet.sheet_properties.pageSetUpPr
    if fit is not None and fit.fitToPage:
        assert int(setup.fitToWidth) <= 2 and int(setup.fitToHeight) == 0
    else:  # a fixed scale with one break between the two pages across
        assert int(setup.scale) >= 80
        assert len(sheet.col_breaks.brk) <= 1
        assert int(setup.fitToWidth) <= 2
    # The row's reference heads the second page too.
    assert (sheet.print_title_cols or "").replace("$", "") in ("B:B", "")
    for cell in sheet[2]:
        if isinstance(cell.value, str) and len(cell.value) > 40:
            assert cell.alignment.wrap_text, cell.coordinate


# ----- printed by LibreOffice -----------------------------------------------------------


@dataclass
class Printed:
    words: dict[int, list[tuple[str, float, float, float]]]  # page -> (text, y0, x1, h)
    texts: dict[int, str]
    points_per_height: float  # font size in points of a word one unit high


def _words(pdf: Path) -> dict[int, list[tuple[str, float, float, float]]]:
    assert PDFTOTEXT is not None
    done = subprocess.run(
        [PDFTOTEXT, "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    pages: dict[int, list[tuple[str, float, float, float]]] = defaultdict(list)
    for number, page in enumerate(done.stdout.split("<page ")[1:], start=1):
        for found in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<',
            page,
        ):
            _x0, y0, x1, y1 = (float(found.group(i)) for i in range(1, 5))
            pages[number].append((found.group(5), y0, x1, y1 - y0))
    return pages


@pytest.fixture(scope="module")
def printed(exports: Exports, tmp_path_factory: pytest.TempPathFactory) -> Printed:
    """The plain export and a one-cell 10-point calibration workbook printed to PDF by
    LibreOffice in one run: a word's height divided by the calibration word's gives its
    size in points, whichever font stands in for Calibri."""
    if SOFFICE is None or PDFTOTEXT is None:
        pytest.skip(
            "LibreOffice (soffice) or pdftotext is not installed; "
            ".ci/run installs libreoffice-calc-nogui and poppler-utils"
        )
    folder = tmp_path_factory.mktemp("printed-paper")
    calibration = folder / "calibration.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "Calibration"
    sheet["A1"].font = openpyxl.styles.Font(name="Calibri", size=CALIBRATION_POINTS)
    book.save(calibration)
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(exports.plain),
            str(calibration),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    reference = _words(folder / "calibration.pdf")[1]
    height = next(h for text, _x0, _x1, h in reference if text == "Calibration")
    words = _words(folder / f"{exports.plain.stem}.pdf")
    texts = {page: " ".join(word[0] for word in found) for page, found in words.items()}
    return Printed(words, texts, CALIBRATION_POINTS / height)


def _half(words: list[tuple[str, float, float, float]], name: str) -> str | None:
    """The headings across the top of a printed table page (its heading row, repeated
    on every page), or None when the page is not the table's: two pages across show
    two different sets."""
    texts = [word[0] for word in words]
    for index, word in enumerate(texts[:-2]):
        actions = name == "Actions" and word == "Ref" and texts[index - 1 : index] != ["Action"]
        milestones = name == "Milestones" and word == "Action" and texts[index + 1] == "ref"
        if actions or milestones:
            top = words[index][1]
            band = {text for text, y0, _x1, _h in words if -15 < y0 - top < 12}
            if milestones and ("Benefit" in band or "Realised" in texts):
                continue  # the Benefits sheet's heading row also starts 'Action ref'
            heading = {
                text for text, y0, _x1, _h in words if -15 < y0 - top < 12 and text in HEADINGS
            }
            return " ".join(sorted(heading))
    return None


def _table_pages(printed: Printed, name: str) -> dict[int, str]:
    """Printed page -> the half of the table it shows (its heading after the ref).
    Sheets print in order, Actions then Milestones: the Actions pages run from the
    first headed 'Ref Theme' to the first Milestones page."""
    halves = {
        page: _half(words, kind)
        for page, words in sorted(printed.words.items())
        for kind in (name,)
    }
    milestone_pages = [page for page, words in printed.words.items() if _half(words, "Milestones")]
    if name == "Milestones":
        return {page: half for page, half in halves.items() if half and page in milestone_pages}
    first = min(
        (page for page, half in halves.items() if half and "Theme" in half.split()), default=0
    )
    last = min(milestone_pages, default=max(printed.words) + 1)
    return {page: half for page, half in halves.items() if half and first <= page < last}


@pytest.mark.parametrize("name", TABLES)
def test_printed_table_body_text_is_8_points_or_more(printed: Printed, name: str) -> None:
    pages = list(_table_pages(printed, name))
    assert pages, f"no printed page of {name}"
    sizes = [
        height * printed.points_per_height
        for page in pages
        for _text, y0, _x1, height in printed.words[page]
        if MARGIN < y0 < PAGE_HEIGHT - MARGIN  # the page header and footer apart
    ]
    smallest = min(sizes)
    assert smallest >= 7.95, f"{name} prints words at {smallest:.2f} pt"


@pytest.mark.parametrize(
    ("name", "headings"),
    [
        ("Actions", ("Theme", "Description", "Status", "Latest update")),
        ("Milestones", ("Milestone", "Owner", "Completed", "Note")),
    ],
)
def test_printed_table_is_at_most_two_pages_wide(
    printed: Printed, name: str, headings: tuple[str, ...]
) -> None:
    """Each page holds the top of one of at most two halves: the pages across repeat in
    a cycle of one or two, every heading is on one of them, and no uid prints."""
    found = _table_pages(printed, name)
    pages = list(found)
    halves = set(found.values())
    assert 1 <= len(halves) <= 2, halves
    joined = " ".join(printed.texts[page] for page in pages)
    for heading in headings:
        assert heading in joined, heading
    assert not re.search(r"\b[0-9a-f]{32}\b", joined), "a hidden uid column printed"


# ----- colours follow values; contrast; editable headings --------------------------------


def test_actions_rag_cells_are_coloured_by_conditional_formats_on_their_value(
    plain: Workbook,
) -> None:
    sheet = plain["Actions"]
    headings = [cell.value for cell in sheet[1]]
    column = headings.index("RAG") + 1
    rows = range(2, sheet.max_row + 1)
    rag_fills = {"C0392B", "E67E22", "27AE60", "2E86C1"}
    for row in rows:  # no static RAG colour to fight the rules
        assert background(sheet.cell(row, column)) not in rag_fills
    letter = sheet.cell(2, column).column_letter
    wanted = f"{letter}2:{letter}{sheet.max_row}"
    rules = [
        rule
        for formats in sheet.conditional_formatting
        if wanted in str(formats.sqref)
        for rule in formats.rules
    ]
    by_word: dict[str, str] = {}
    for rule in rules:
        formula = rule.formula[0]
        assert f"UPPER(TRIM({letter}2))" in formula, formula  # any case, stray spaces
        for word in re.findall(r'"([^"]*)"', formula):
            by_word[word] = rgb_of(rule.dxf.fill.bgColor, "")
            assert rgb_of(rule.dxf.fill.fgColor, "") == by_word[word]
    assert by_word["RED"] == by_word["R"] == "C0392B"
    assert by_word["AMBER"] == by_word["A"] == "E67E22"
    assert by_word["GREEN"] == by_word["G"] == "27AE60"
    assert by_word["BLUE"] == by_word["B"]
    # typed "amber" over "Red" takes Amber's rule: the formula compares upper case
    assert "AMBER" in by_word and "amber".strip().upper() == "AMBER"


def _pairs(workbook: Workbook) -> set[tuple[str, str, str]]:
    """(sheet, text colour, fill colour) for every cell holding text, and for every
    conditional format's font on its fill."""
    found: set[tuple[str, str, str]] = set()
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value not in (None, ""):
                    found.add((sheet.title, ink(cell), background(cell)))
        for formats in sheet.conditional_formatting:
            for rule in formats.rules:
                fill = rgb_of(rule.dxf.fill.bgColor, "FFFFFF")
                found.add((f"{sheet.title} (rule)", rgb_of(rule.dxf.font.color, "000000"), fill))
    return found


@pytest.mark.parametrize("which", ["plain", "round_copy"])
def test_every_text_colour_on_its_fill_meets_wcag_aa(
    which: str, request: pytest.FixtureRequest
) -> None:
    workbook = request.getfixturevalue(which)
    weak = [
        (sheet, text, fill, round(contrast_ratio(text, fill), 2))
        for sheet, text, fill in _pairs(workbook)
        if contrast_ratio(text, fill) < 4.5
    ]
    assert not weak


@pytest.mark.parametrize("name", TABLES)
def test_editable_headings_differ_from_read_only_ones_without_colour(
    plain: Workbook, name: str
) -> None:
    """Editable headings: dark text on a light fill in a dashed outline; read-only ones
    white on a dark fill with none: apart in greyscale and in outline alone."""
    editable = {
        "Actions": {"Start", "Due", "Status", "RAG", "% complete", "Latest update"},
        "Milestones": {"Due", "Completed", "Note"},
    }[name]
    for cell in plain[name][1]:
        light = luminance(background(cell)) > 0.5
        dashed = cell.border.left.style == "mediumDashed"
        if cell.value in editable:
            assert light and dashed and luminance(ink(cell)) < 0.1, cell.value
        else:
            assert not light and not dashed and luminance(ink(cell)) > 0.9, cell.value


# ----- a round's copy says what it asks --------------------------------------------------


def test_round_read_me_opens_with_what_the_round_asks(round_copy: Workbook) -> None:
    lines = [
        (row[0].value, row[1].value if len(row) > 1 else None)
        for row in round_copy["Read me"].iter_rows(max_row=12, max_col=2)
    ]
    labels = {label: value for label, value in lines if label}
    assert "This round: Q3 2013/14 update" in labels
    assert labels["Please return by"] == "31 Jan 2014"
    assert labels["Sent to"] == "Ian Marsden, Northshire College"
    assert labels["Sent by"] == "Helen Ashworth & team (helen.ashworth@northshire.gov.uk)"
    assert "email it back to Helen Ashworth & team" in labels["How to return it"]
    assert "by 31 Jan 2014" in labels["How to return it"]
    first = [label for label, _ in lines].index("This round: Q3 2013/14 update")
    assert first <= 4  # near the top, under the title


def test_plain_read_me_has_no_round_block(plain: Workbook) -> None:
    labels = [row[0].value for row in plain["Read me"].iter_rows(max_col=1)]
    assert not any(isinstance(label, str) and label.startswith("This round") for label in labels)
    assert "Please return by" not in labels


def test_every_printed_page_of_a_round_says_round_return_by_and_addressee(
    round_copy: Workbook,
) -> None:
    for sheet in round_copy.worksheets:
        if sheet.sheet_state != "visible":
            continue
        parts = (sheet.oddHeader.left, sheet.oddHeader.center, sheet.oddHeader.right)
        raw = " ".join(part.text or "" for part in parts)
        shown = raw.replace("&&", "&")
        assert "Q3 2013/14 update" in shown, sheet.title
        assert "return by 31 Jan 2014" in shown, sheet.title
        assert "Ian Marsden, Northshire College" in shown, sheet.title
        assert "OFFICIAL" in shown, sheet.title
        assert len(raw) <= 255, sheet.title


def test_an_ampersand_in_the_round_header_is_doubled(exports: Exports, tmp_path: Path) -> None:
    plan = exports.folder / "northshire.plan"
    ask = RoundAsk("Q3 update", date(2014, 1, 31), "Jo", "Fire & Rescue", "Helen")
    with (
        PlanFile.open(plan, read_only=True, data_dir=exports.folder / "user-data") as plan_file,
        plan_file.Session() as session,
    ):
        content = gather(session, plan_file.plan_id, ExportOptions(round=ask))
        path = export_workbook(content, tmp_path / "amp.xlsx")
    header = openpyxl.load_workbook(path)["Actions"].oddHeader.left.text or ""
    assert "Fire && Rescue" in header
