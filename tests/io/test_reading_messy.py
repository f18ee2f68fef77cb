"""Reading returned workbooks as partners really send them: hand-typed values, sheets
renamed or moved, sizes declared wrongly, stray cells, and files saved by Excel's Strict
format, LibreOffice, XlsxWriter or tools that write backslash paths.

What an officer would notice is checked: the rows read, the values read from what was
typed, a doubt or a choice where the typing is unclear, a note saying where a table was
found, and one sentence for a file that cannot be read."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import warnings
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from workbook_fixtures import (
    Formatted,
    drop_table_markers,
    edit_cells,
    rename_sheet,
    reorder_sheets,
    resave_with_libreoffice,
    rewrite_parts,
    sheet_part,
    to_strict,
    understate_dimension,
    with_backslash_paths,
    with_shared_formula,
    with_stray_cell,
    xlsxwriter_copy,
)

from planner.cli import main
from planner.domain import DEFAULT_RAG_DEFINITIONS, RagDefinition
from planner.domain.dates import read_typed_date
from planner.io.excel import ExportOptions, export_workbook, gather
from planner.io.excel.cells import CellReader
from planner.io.excel.headings import (
    ACTION_SYNONYMS,
    ACTION_VOCABULARY,
    MILESTONE_SYNONYMS,
    MILESTONE_VOCABULARY,
    heading_key,
    match_headings,
)
from planner.io.excel.reading import ReturnedRow, ReturnedWorkbook, WorkbookError, read_returned
from planner.io.sample import write_sample
from planner.store.planfile import PlanFile

RAGS = DEFAULT_RAG_DEFINITIONS
ACTION_COUNT = 27
MILESTONE_COUNT = 94


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plan")
    path = folder / "northshire.plan"
    write_sample(path, data_dir=folder / "user-data").close()
    return path


@pytest.fixture(scope="module")
def sent(plan: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole sample plan as circulated."""
    folder = tmp_path_factory.mktemp("sent")
    with (
        PlanFile.open(plan, read_only=True, data_dir=folder / "user-data") as plan_file,
        plan_file.Session() as session,
    ):
        content = gather(session, plan_file.plan_id, ExportOptions(exported_by="Head of ICT"))
    return export_workbook(content, folder / "Northshire plan.xlsx")


@pytest.fixture(scope="module")
def as_sent(sent: Path) -> ReturnedWorkbook:
    return read_returned(sent, RAGS)


def tables(returned: ReturnedWorkbook) -> dict[str, dict[str, dict[str, Any]]]:
    """Actions and milestones by ID: the values read, as the merge sees them."""
    return {
        "Actions": {row.id: dict(row.values) for row in returned.actions},
        "Milestones": {row.id: dict(row.values) for row in returned.milestones},
    }


def by_ref(returned: ReturnedWorkbook, ref: str) -> ReturnedRow:
    return next(row for row in returned.actions if row.values.get("ref") == ref)


def cli(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# ----- text as people type it -----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected", "doubt"),
    [
        ("31/03/2014", date(2014, 3, 31), ""),
        ("31/3/2014", date(2014, 3, 31), ""),
        ("5.4.2026", date(2026, 4, 5), ""),
        ("31-Mar-2014", date(2014, 3, 31), ""),
        ("31 March 2014", date(2014, 3, 31), ""),
        ("31st of March 2014", date(2014, 3, 31), ""),
        ("Tuesday, 31 March 2026", date(2026, 3, 31), ""),
        ("March 31, 2014", date(2014, 3, 31), ""),
        ("2026-04-05", date(2026, 4, 5), ""),
        ("2026-04-05 00:00:00", date(2026, 4, 5), ""),
        ("31/3/27", date(2027, 3, 31), "a two-digit year ('31/3/27')"),
        ("31-Mar-14", date(2014, 3, 31), "a two-digit year ('31-Mar-14')"),
        ("Sun 5/4/26", date(2026, 4, 5), "a two-digit year ('Sun 5/4/26')"),
        (
            "Mon 5/4/2026",
            date(2026, 4, 5),
            "Monday is not the day of 5 Apr 2026, a Sunday",
        ),
    ],
)
def test_dates_are_read_day_first_and_a_two_digit_year_is_a_doubt(
    typed: str, expected: date, doubt: str
) -> None:
    found = read_typed_date(typed)
    assert found is not None
    assert (found.value, found.doubt) == (expected, doubt)


@pytest.mark.parametrize(
    "typed", ["31/02/2014", "13/13/2013", "soon", "Q3 2014", "2014", "March 2014", "Someday 5/4"]
)
def test_text_that_is_not_a_whole_real_date_is_not_guessed(typed: str) -> None:
    assert read_typed_date(typed) is None
    reading = CellReader(RAGS).read("date", typed)
    assert reading.value is None and reading.message == f"'{typed}' is not a date"


def test_a_plain_number_in_a_date_column_is_an_excel_serial_date_in_the_workbooks_epoch() -> None:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    assert CellReader(RAGS).read("date", 41729).value == date(2014, 3, 31)
    assert CellReader(RAGS).read("date", 41729.75).value == date(2014, 3, 31)
    assert CellReader(RAGS, CALENDAR_MAC_1904).read("date", 40267).value == date(2014, 3, 31)
    for far_off in (12, 2_958_465, -3):  # 12/01/1900, 31/12/9999: not plan dates
        assert CellReader(RAGS).read("date", far_off).problem == "is not a date"


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("Completed", "completed"),
        ("complete", "completed"),
        ("Done", "completed"),
        ("Finished", "completed"),
        ("In progress", "in_progress"),
        ("Ongoing", "in_progress"),
        ("Underway", "in_progress"),
        ("On track", "in_progress"),
        ("Not started", "not_started"),
        ("Planned", "not_started"),
        ("Not yet started", "not_started"),
        ("On hold", "on_hold"),
        ("Paused", "on_hold"),
        ("Deferred", "on_hold"),
        ("Withdrawn", "cancelled"),
        ("cancelled", "cancelled"),
    ],
)
def test_statuses_are_read_by_their_everyday_names(typed: str, status: str) -> None:
    assert CellReader(RAGS).read("status", typed).value == status


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("R", "R"),
        ("red", "R"),
        ("Amber", "A"),
        ("G", "G"),
        ("On track", "G"),
        ("On-track", "G"),
        ("At risk", "A"),
        ("Off track", "R"),
        ("Complete", "B"),
        ("Done", "B"),
    ],
)
def test_rag_ratings_are_read_by_their_everyday_names(typed: str, code: str) -> None:
    assert CellReader(RAGS).read("rag", typed).value == code


@pytest.mark.parametrize(
    ("typed", "choices"),
    [
        ("Amber/Red", ("A", "R")),
        ("Red-Amber", ("R", "A")),
        ("A/R", ("A", "R")),
        ("Green/Amber", ("G", "A")),
        ("amber to red", ("A", "R")),
    ],
)
def test_a_cell_naming_two_ratings_is_a_choice_for_the_officer_not_a_guess(
    typed: str, choices: tuple[str, str]
) -> None:
    reading = CellReader(RAGS).read("rag", typed)
    assert (reading.value, reading.choices, reading.problem) == (None, choices, "")


def test_rag_names_come_from_the_plans_own_ratings() -> None:
    """A plan with its own codes and no Blue: 'Complete' is not one of its ratings."""
    rags = (
        RagDefinition("RD", "Red", "#C0392B", "Off track"),
        RagDefinition("AM", "Amber", "#E67E22", "At risk"),
        RagDefinition("GN", "Green", "#27AE60", "On track"),
    )
    reader = CellReader(rags)
    assert [reader.read("rag", typed).value for typed in ("R", "Amber", "on track", "GN")] == [
        "RD",
        "AM",
        "GN",
        "GN",
    ]
    assert reader.read("rag", "Amber/Red").choices == ("AM", "RD")
    assert reader.read("rag", "Complete").message == (
        "'Complete' is not a RAG rating (use Red, Amber, Green)"
    )


@pytest.mark.parametrize("typed", ["TBC", "tbc", "n/a", "N/A", "-", "?", "TBD"])
@pytest.mark.parametrize("kind", ["status", "rag"])
def test_tbc_in_a_status_or_rag_cell_means_not_answered(kind: str, typed: str) -> None:
    reading = CellReader(RAGS).read(kind, typed)
    assert reading.not_answered and reading.value is None and not reading.problem


@pytest.mark.parametrize(
    ("typed", "number_format", "percent"),
    [
        (50, "General", 50),
        ("50%", "General", 50),
        ("50 %", "@", 50),
        (0.5, "General", 50),
        (0.5, "0%", 50),
        (1, "0%", 100),
        (1, "General", 1),
        ("0.25", "@", 25),
        (100, "0", 100),
    ],
)
def test_percentages_are_read_as_typed(typed: Any, number_format: str, percent: int) -> None:
    reading = CellReader(RAGS).read("percent", typed, number_format=number_format)
    assert (reading.value, reading.problem) == (percent, "")


@pytest.mark.parametrize(
    ("headings", "expected"),
    [
        (
            ["Task Name", "Start", "Finish", "Resource Names", "% Complete"],
            ["title", "start", "due", "lead", "percent"],
        ),
        (
            ["Ref", "Action", "Owner", "Target date", "Status *", "Comments"],
            ["ref", "title", "lead", "due", "status", "latest_update"],
        ),
        (
            ["  LATEST-UPDATE ", "Due (dd/mm/yyyy)", "RAG*", "Progress update", "percent complete"],
            ["latest_update", "due", "rag", None, "percent"],
        ),
        (["No.", "Ref", "Comments", "Progress update"], [None, "ref", None, "latest_update"]),
    ],
)
def test_headings_are_recognised_by_synonym_ignoring_case_spacing_and_punctuation(
    headings: list[str], expected: list[str | None]
) -> None:
    found = match_headings(headings, ACTION_VOCABULARY)
    assert [found.get(number) for number in range(len(headings))] == expected


def test_no_heading_names_two_different_columns() -> None:
    for synonyms, known in (
        (ACTION_SYNONYMS, ACTION_VOCABULARY),
        (MILESTONE_SYNONYMS, MILESTONE_VOCABULARY),
    ):
        for key, names in synonyms.items():
            for name in names:
                assert known[heading_key(name)][0] == key, (key, name)


# ----- a copy typed over by hand --------------------------------------------------------


def test_a_hand_edited_copy_is_read_as_it_was_typed(sent: Path, tmp_path: Path) -> None:
    returned = edit_cells(
        sent,
        tmp_path / "returned.xlsx",
        {
            "Actions": {
                ("1.3", "Due"): "31/3/27",
                ("1.3", "RAG"): "Amber/Red",
                ("1.3", "Status"): "Underway",
                ("1.4", "Due"): "31-Mar-2015",
                ("1.4", "RAG"): "TBC",
                ("1.4", "% complete"): "50%",
                ("2.1", "Due"): 42094,  # a serial number, as a date pasted as a value
                ("2.1", "% complete"): Formatted(0.5, "0%"),
                ("2.1", "Status"): "Done",
                ("2.1", "RAG"): "Complete",
                ("2.2", "Start"): "Mon 5/4/2026",
                ("2.2", "RAG"): "off track",
                ("2.2", "Status"): "n/a",
            },
            "Milestones": {(2, "Completed"): "1st April 2014"},
        },
    )
    read = read_returned(returned, RAGS)
    assert read.problems == []

    first = by_ref(read, "1.3")
    assert first.values["due"] == date(2027, 3, 31)
    assert first.doubts == {"due": "a two-digit year ('31/3/27')"}
    assert "rag" not in first.values and first.choices == {"rag": ("A", "R")}
    assert first.typed == {"due": "31/3/27", "rag": "Amber/Red"}
    assert first.values["status"] == "in_progress"

    second = by_ref(read, "1.4")
    assert (second.values["due"], second.values["percent"]) == (date(2015, 3, 31), 50)
    assert "rag" not in second.values and not second.choices and not second.doubts

    third = by_ref(read, "2.1")
    assert third.values["due"] == date(2015, 3, 31)
    assert (third.values["percent"], third.values["status"], third.values["rag"]) == (
        50,
        "completed",
        "B",
    )
    fourth = by_ref(read, "2.2")
    assert fourth.values["start"] == date(2026, 4, 5)
    assert fourth.doubts == {"start": "Monday is not the day of 5 Apr 2026, a Sunday"}
    assert fourth.values["rag"] == "R" and "status" not in fourth.values
    assert read.milestones[0].values["completed"] == date(2014, 4, 1)
    rows = {ref: by_ref(read, ref).row for ref in ("1.4", "2.2")}
    assert read.notes == [
        f"Actions RAG says 'TBC' (not answered) in row {rows['1.4']}, so the plan's value is kept.",
        f"Actions Status says 'n/a' (not answered) in row {rows['2.2']}, so the plan's value "
        "is kept.",
    ]


def test_a_cell_that_cannot_be_read_skips_that_cell_only(sent: Path, tmp_path: Path) -> None:
    returned = edit_cells(
        sent,
        tmp_path / "returned.xlsx",
        {
            "Actions": {
                ("3.1", "Due"): "soon",
                ("3.1", "RAG"): "Amber",
                ("3.1", "Latest update"): "Business case delayed to the spring.",
            }
        },
    )
    read = read_returned(returned, RAGS)
    row = by_ref(read, "3.1")
    [problem] = read.problems
    assert (problem.sheet, problem.row, problem.column, problem.value) == (
        "Actions",
        row.row,
        "Due",
        "soon",
    )
    assert str(problem) == f"Actions row {row.row}, Due: 'soon' is not a date"
    assert "due" not in row.values
    assert row.values["rag"] == "A"
    assert row.values["latest_update"] == "Business case delayed to the spring."


# ----- what a sheet holds, not what it declares ------------------------------------------


def test_cells_past_an_understated_sheet_size_are_read(
    sent: Path, as_sent: ReturnedWorkbook, tmp_path: Path
) -> None:
    understated = understate_dimension(sent, tmp_path / "a.xlsx", "Actions", "A1:R3")
    understated = understate_dimension(understated, tmp_path / "b.xlsx", "Milestones", "A1:B2")
    trusting = openpyxl.load_workbook(understated, read_only=True)
    try:  # openpyxl, trusting the declared size, sees two of the rows
        assert len(list(trusting["Actions"].iter_rows(min_row=2, values_only=True))) == 2
    finally:
        trusting.close()
    read = read_returned(understated, RAGS)
    assert tables(read) == tables(as_sent)
    assert len(read.actions) == ACTION_COUNT and len(read.milestones) == MILESTONE_COUNT


@pytest.mark.parametrize("sheet", ["Actions", "Milestones"])
def test_a_stray_value_in_the_last_cell_of_a_sheet_changes_nothing(
    sheet: str, sent: Path, as_sent: ReturnedWorkbook, tmp_path: Path
) -> None:
    stray = with_stray_cell(sent, tmp_path / "stray.xlsx", sheet, "XFD1048576")
    with zipfile.ZipFile(stray) as archive:
        assert '<dimension ref="A1:XFD1048576"/>' in archive.read(sheet_part(stray, sheet)).decode()
    read = read_returned(stray, RAGS)
    assert tables(read) == tables(as_sent)
    assert len(read.actions) == ACTION_COUNT and len(read.milestones) == MILESTONE_COUNT
    assert read.problems == [] and read.ignored == []


def test_a_value_beside_the_table_without_a_heading_is_noted_not_read(
    sent: Path, tmp_path: Path
) -> None:
    book = openpyxl.load_workbook(sent)
    book["Actions"].cell(40, 3).value = "Total"  # under the Theme column, no ID, no action
    book["Actions"].cell(40, 24).value = 27  # beyond the headings
    book.save(tmp_path / "total.xlsx")
    read = read_returned(tmp_path / "total.xlsx", RAGS)
    assert [row.row for row in read.actions if not row.id] == [40]
    book["Actions"].cell(40, 3).value = None
    book["Actions"].cell(41, 23).value = "Checked"  # a column the plan does not have
    book["Actions"].cell(1, 23).value = "Checked by"
    book.save(tmp_path / "checked.xlsx")
    read = read_returned(tmp_path / "checked.xlsx", RAGS)
    assert len(read.actions) == ACTION_COUNT
    assert read.ignored == [
        "Actions column 'Checked by' is not a plan column, so it was ignored.",
        "Actions row 41 holds values only in columns that are not part of the plan, so it "
        "was ignored.",
    ]


def test_rows_that_only_carry_formatting_are_not_counted_against_the_size_limit(
    sent: Path, as_sent: ReturnedWorkbook, tmp_path: Path
) -> None:
    part = sheet_part(sent, "Milestones")
    styled = "".join(f'<row r="{n}" s="1" customFormat="1" ht="15"/>' for n in range(200, 101_200))

    def format_rows(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        return data.decode().replace("</sheetData>", styled + "</sheetData>").encode()

    formatted = rewrite_parts(sent, tmp_path / "formatted.xlsx", format_rows)
    assert tables(read_returned(formatted, RAGS)) == tables(as_sent)


# ----- sheets renamed and moved ---------------------------------------------------------


def test_a_renamed_table_sheet_is_found_by_its_hidden_marker(
    sent: Path, as_sent: ReturnedWorkbook, tmp_path: Path
) -> None:
    renamed = rename_sheet(sent, tmp_path / "renamed.xlsx", "Actions", "College's actions")
    read = read_returned(renamed, RAGS)
    assert tables(read) == tables(as_sent)
    assert read.notes == [
        "The Actions table was read from the sheet 'College's actions', found by its hidden marker."
    ]
    assert {row.sheet for row in read.actions} == {"College's actions"}
    assert read.ignored == []


def test_renamed_and_moved_sheets_without_markers_are_found_by_their_headings(
    sent: Path, as_sent: ReturnedWorkbook, tmp_path: Path
) -> None:
    changed = drop_table_markers(sent, tmp_path / "unmarked.xlsx")
    changed = rename_sheet(changed, tmp_path / "a.xlsx", "Actions", "Our actions")
    changed = rename_sheet(changed, tmp_path / "b.xlsx", "Milestones", "Sheet3")
    changed = reorder_sheets(changed, tmp_path / "c.xlsx", ["Sheet3", "People", "Our actions"])
    assert openpyxl.load_workbook(changed, read_only=True).sheetnames[:3] == [
        "Sheet3",
        "People",
        "Our actions",
    ]
    read = read_returned(changed, RAGS)
    assert tables(read) == tables(as_sent)
    assert read.notes == [
        "The Actions table was read from the sheet 'Our actions', found by its headings.",
        "The Milestones table was read from the sheet 'Sheet3', found by its headings.",
    ]


def test_sheets_in_another_order_are_read_the_same(
    sent: Path, as_sent: ReturnedWorkbook, tmp_path: Path
) -> None:
    moved = reorder_sheets(sent, tmp_path / "moved.xlsx", ["Milestones", "Timeline", "Actions"])
    read = read_returned(moved, RAGS)
    assert tables(read) == tables(as_sent) and read.notes == [] and read.ignored == []


# ----- files as other programs save them --------------------------------------------------


def test_a_strict_open_xml_workbook_is_read_like_the_ordinary_one(
    sent: Path, as_sent: ReturnedWorkbook, tmp_path: Path
) -> None:
    strict = to_strict(sent, tmp_path / "strict.xlsx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert openpyxl.load_workbook(strict, read_only=True).sheetnames == []  # unread alone
    read = read_returned(strict, RAGS)
    assert tables(read) == tables(as_sent)
    assert read.meta == as_sent.meta


def test_a_zip_with_backslash_paths_is_read(
    sent: Path, as_sent: ReturnedWorkbook, tmp_path: Path
) -> None:
    windows = with_backslash_paths(sent, tmp_path / "windows.xlsx")
    with zipfile.ZipFile(windows) as archive:
        assert "xl\\workbook.xml" in archive.namelist()
    assert tables(read_returned(windows, RAGS)) == tables(as_sent)


def test_a_workbook_with_pictures_charts_comments_and_rich_text_is_read(
    sent: Path, as_sent: ReturnedWorkbook, tmp_path: Path
) -> None:
    rewritten = xlsxwriter_copy(sent, tmp_path / "xlsxwriter.xlsx")
    with zipfile.ZipFile(rewritten) as archive:
        parts = " ".join(archive.namelist())
    for part in ("media/image1.png", "charts/chart1.xml", "comments1.xml", "vmlDrawing1.vml"):
        assert part in parts
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        read = read_returned(rewritten, RAGS)
    assert caught == []
    expected = tables(as_sent)
    first = as_sent.actions[0].id
    expected["Actions"][first]["latest_update"] = (
        "Board paper agreed on 12 December; next step: tender."
    )
    assert tables(read) == expected
    assert read.ignored == ["Sheet 'Notes' is not part of the plan, so it was ignored."]


def test_a_formula_filled_down_is_reported_cell_by_cell_and_the_rows_kept(
    sent: Path, as_sent: ReturnedWorkbook, tmp_path: Path
) -> None:
    filled = with_shared_formula(sent, tmp_path / "filled.xlsx", "Actions", "N2:N4", "M2*2")
    read = read_returned(filled, RAGS)
    assert [str(problem) for problem in read.problems] == [
        f"Actions row {row}, % complete: '=M{row}*2' is a formula, which is never worked "
        "out; type the value"
        for row in (2, 3, 4)
    ]
    expected = tables(as_sent)
    for row in as_sent.actions[:3]:
        del expected["Actions"][row.id]["percent"]
    assert tables(read) == expected


libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)


@libreoffice
def test_copies_saved_again_by_libreoffice_are_read_the_same(
    sent: Path, as_sent: ReturnedWorkbook, tmp_path: Path
) -> None:
    edited = edit_cells(
        sent,
        tmp_path / "edited.xlsx",
        {"Actions": {("4.1", "RAG"): "Amber", ("4.1", "Due"): "30/6/2014"}},
    )
    renamed = rename_sheet(edited, tmp_path / "renamed.xlsx", "Actions", "Our actions")
    resaved = resave_with_libreoffice(renamed, tmp_path / "libreoffice")
    assert resaved is not None
    stray = with_stray_cell(resaved, tmp_path / "stray.xlsx", "Our actions", "XFD1048576")
    expected = tables(as_sent)
    expected["Actions"][by_ref(as_sent, "4.1").id].update(rag="A", due=date(2014, 6, 30))
    for copy in (resaved, stray):
        read = read_returned(copy, RAGS)
        assert tables(read) == expected
        assert read.problems == [] and read.meta["plan_id"] == as_sent.meta["plan_id"]
        assert read.notes == [
            "The Actions table was read from the sheet 'Our actions', found by its hidden marker."
        ]


@libreoffice
def test_a_rich_workbook_saved_again_by_libreoffice_is_read(
    sent: Path, as_sent: ReturnedWorkbook, tmp_path: Path
) -> None:
    rewritten = xlsxwriter_copy(sent, tmp_path / "rich.xlsx")
    resaved = resave_with_libreoffice(rewritten, tmp_path / "libreoffice")
    assert resaved is not None
    read = read_returned(resaved, RAGS)
    assert set(tables(read)["Actions"]) == set(tables(as_sent)["Actions"])
    assert tables(read)["Milestones"] == tables(as_sent)["Milestones"]


def test_no_library_warning_reaches_the_terminal(plan: Path, sent: Path, tmp_path: Path) -> None:
    """openpyxl warns of a date cell it cannot convert; the officer sees the program's
    own words for that cell, and nothing else, even with every warning switched on."""
    odd = edit_cells(
        sent,
        tmp_path / "odd.xlsx",
        {"Actions": {("3.3", "Due"): Formatted(10**9, "dd/mm/yyyy")}},
    )
    strict = to_strict(odd, tmp_path / "strict.xlsx")
    with pytest.warns(UserWarning):
        openpyxl.load_workbook(strict, read_only=True)  # openpyxl alone complains
    for workbook in (odd, strict):
        done = subprocess.run(
            [sys.executable, "-W", "always", "-m", "planner", "import", str(plan), str(workbook)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""
        assert "is an error in Excel, not a value" in done.stdout


# ----- who returned it, and which file ----------------------------------------------------


def test_the_returned_by_name_is_read_by_its_label(sent: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(sent)
    read_me = book["Read me"]
    label = next(
        cell
        for row in read_me.iter_rows()
        for cell in row
        if cell.value == "Returned by (your name)"
    )
    typed_here = read_me.cell(label.row, label.column + 1)
    assert typed_here.fill.fgColor.rgb.endswith("FFF8E1")  # gold, like the editable columns
    typed_here.value = "  Sarah Whitfield "
    read_me.insert_rows(1, 4)  # rows added above: the label is found wherever it is
    assert read_me.cell(label.row, label.column).value == "Returned by (your name)"
    book.save(tmp_path / "named.xlsx")
    assert read_returned(tmp_path / "named.xlsx", RAGS).returned_by == "Sarah Whitfield"

    read_me.cell(label.row, label.column + 1).value = None
    read_me.cell(label.row, label.column).value = "Returned by: Ian Marsden"
    book.save(tmp_path / "in-label.xlsx")
    assert read_returned(tmp_path / "in-label.xlsx", RAGS).returned_by == "Ian Marsden"


def test_a_copy_nobody_signed_has_no_returned_by_name(as_sent: ReturnedWorkbook) -> None:
    assert as_sent.returned_by == ""


def test_the_fingerprint_is_the_files_own_and_every_meta_key_is_read(
    sent: Path, tmp_path: Path
) -> None:
    book = openpyxl.load_workbook(sent)
    meta = book["_planner"]
    meta.cell(150, 1).value = "export_id"
    meta.cell(150, 2).value = "e7c1"
    meta.cell(151, 1).value = "recipient_uids"
    meta.cell(151, 2).value = "p1, p2"
    book.save(tmp_path / "more-meta.xlsx")
    read = read_returned(tmp_path / "more-meta.xlsx", RAGS)
    assert (
        read.fingerprint == hashlib.sha256((tmp_path / "more-meta.xlsx").read_bytes()).hexdigest()
    )
    assert (read.meta["export_id"], read.meta["recipient_uids"]) == ("e7c1", "p1, p2")
    assert read.meta["plan_id"] and read.meta["format"] == "strategy-planner-export"


# ----- files that cannot be read: one sentence each ---------------------------------------


def _zip_without_a_workbook(path: Path, sent: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return path


def _empty(path: Path, sent: Path) -> Path:
    path.write_bytes(b"")
    return path


def _folder(path: Path, sent: Path) -> Path:
    path.mkdir()
    return path


def _strict_cut_short(path: Path, sent: Path) -> Path:
    strict = to_strict(sent, path.with_name("strict.xlsx"))
    part = sheet_part(sent, "Actions")
    return rewrite_parts(
        strict, path, lambda name, data: data[: len(data) // 2] if name == part else data
    )


BAD_FILES: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "a Word document": (_zip_without_a_workbook, "is not an Excel workbook (.xlsx);"),
    "an empty file": (_empty, "is not an Excel workbook (.xlsx);"),
    "a folder": (_folder, "is a folder, not a workbook."),
    "a strict workbook cut short": (
        _strict_cut_short,
        "is damaged or not a workbook this program can read;",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_file_that_cannot_be_read_is_refused_in_one_sentence(
    case: str, plan: Path, sent: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, expected = BAD_FILES[case]
    bad = make(tmp_path / "returned.xlsx", sent)
    with pytest.raises(WorkbookError) as refused:
        read_returned(bad, RAGS)
    message = str(refused.value)
    assert message.startswith("'returned.xlsx' ") and expected in message
    assert "\n" not in message and message.endswith(".")
    code, out, err = cli(capsys, "import", plan, bad)
    assert (code, out, err) == (2, "", f"planner: {message}\n")
