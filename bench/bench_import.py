"""Reading a returned copy of the large plan's export and building the merge preview,
against openpyxl's own read-only pass over the same file: as openpyxl saves the copy, and
as LibreOffice re-saves it (where soffice is installed), with and without a stray value
in the last cell of its Actions sheet."""

from __future__ import annotations

import random
import shutil
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from benchlib import REPO_DIR, Context, Result, progress

RUNS = 3
EDITED_ROWS = 500  # about 3 in 5 of them actions, the rest milestones
TARGET_RATIO = 2.0
LIBREOFFICE_TARGET_RATIO = 1.5  # the preview of a copy LibreOffice re-saved / read-only pass
STRAY_CELL_TARGET = 1.0  # seconds a stray value in XFD1048576 may add to the preview


def large_export(ctx: Context) -> Path:
    """The large plan's Excel export: bench_export's file when it is newer than the plan
    (written in this run), else written here with the product's exporter."""
    plan = ctx.large_plan()
    out = ctx.workdir / "large-export.xlsx"
    if out.exists() and out.stat().st_mtime >= plan.stat().st_mtime:
        return out
    from planner.io.excel import ExportOptions, export_workbook, gather
    from planner.store.planfile import PlanFile

    progress("exporting the large plan to Excel (for the import and LibreOffice) ...")
    with PlanFile.open(plan, read_only=True) as plan_file, plan_file.Session() as session:
        content = gather(session, plan_file.plan_id, ExportOptions(exported_by="Bench"))
    export_workbook(content, out)
    return out


def _header_row(sheet: Any) -> tuple[int, dict[str, int]]:
    """The row holding the column headings ('ID' first) and heading -> column number."""
    for number in range(1, 11):
        if sheet.cell(number, 1).value == "ID":
            headings = {
                str(cell.value): cell.column for cell in sheet[number] if cell.value is not None
            }
            return number, headings
    raise RuntimeError(f"no header row on sheet {sheet.title!r}")


def make_returned(export: Path, out: Path, rows: int, seed: int) -> int:
    """A partner's returned copy: `rows` rows changed in editable columns, saved by
    openpyxl (as a spreadsheet program would rewrite it). Returns the rows changed."""
    from openpyxl import load_workbook

    chooser = random.Random(seed)
    book = load_workbook(export)
    changed = 0

    actions = book["Actions"]
    top, column = _header_row(actions)
    action_rows = list(range(top + 1, actions.max_row + 1))
    action_count = min(len(action_rows), rows * 3 // 5)
    statuses = ("Not started", "In progress", "Completed", "On hold")
    for number in chooser.sample(action_rows, action_count):
        kind = changed % 4
        if kind == 0:
            actions.cell(number, column["Status"]).value = chooser.choice(statuses)
            actions.cell(number, column["% complete"]).value = chooser.randrange(0, 101, 5)
        elif kind == 1:
            actions.cell(number, column["RAG"]).value = chooser.choice(("Red", "Amber", "Green"))
        elif kind == 2:
            due = actions.cell(number, column["Due"])
            if hasattr(due.value, "date"):
                due.value = due.value + timedelta(days=chooser.randint(7, 90))
            else:
                due.value = date(2014, 3, 31)
        else:
            actions.cell(
                number, column["Latest update"]
            ).value = f"Returned by the partner: on track after review {changed}."
        changed += 1

    milestones = book["Milestones"]
    top, column = _header_row(milestones)
    milestone_rows = list(range(top + 1, milestones.max_row + 1))
    for number in chooser.sample(milestone_rows, min(len(milestone_rows), rows - changed)):
        if changed % 2:
            milestones.cell(number, column["Completed"]).value = date(2013, 12, 20)
        else:
            milestones.cell(number, column["Note"]).value = f"Partner note {changed}"
        changed += 1

    book.save(out)
    return changed


def read_only_pass(path: Path) -> tuple[int, dict[str, float]]:
    """The floor: every value of every sheet, read by openpyxl in read-only mode.
    Returns the cells read and the seconds each sheet took."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        cells = 0
        seconds: dict[str, float] = {}
        for sheet in book.worksheets:
            started = time.perf_counter()
            for row in sheet.iter_rows(values_only=True):
                cells += len(row)
            seconds[sheet.title] = time.perf_counter() - started
        return cells, seconds
    finally:
        book.close()


def _previews(ctx: Context, path: Path, runs: int = RUNS) -> tuple[list[float], list[float], int]:
    """Seconds to read the copy and to build the preview, each run, and the changes found."""
    from planner.io.excel.merge import build_preview
    from planner.io.excel.reading import read_returned
    from planner.queries.lookups import plan_header
    from planner.store.planfile import PlanFile

    reads: list[float] = []
    previews: list[float] = []
    changes = 0
    with PlanFile.open(ctx.large_plan(), read_only=True, data_dir=ctx.data_dir) as plan_file:
        with plan_file.Session() as session:
            rags = plan_header(session, plan_file.plan_id).rag_definitions
        for _ in range(runs):
            with plan_file.Session() as session:
                started = time.perf_counter()
                returned = read_returned(path, rags)
                read = time.perf_counter()
                preview = build_preview(session, plan_file.plan_id, returned, "Bench")
                done = time.perf_counter()
            reads.append(read - started)
            previews.append(done - read)
            changes = len(preview.changes)
            if returned.problems:
                raise RuntimeError(f"{path.name} has problems: {returned.problems[:3]}")
    return reads, previews, changes


def libreoffice_results(ctx: Context, returned_path: Path, edited: int) -> list[Result]:
    """The preview of the returned copy as LibreOffice re-saves it, against openpyxl's
    read-only pass over that same file, and what a stray far cell adds to it."""
    from statistics import median

    sys.path.insert(0, str(REPO_DIR / "tests"))
    from workbook_fixtures import resave_with_libreoffice, with_stray_cell

    name = "excel import, re-saved by LibreOffice"
    if shutil.which("soffice") is None:
        return [Result(name, 0.0, "s", error="LibreOffice (soffice) is not installed")]
    progress("re-saving the returned copy with LibreOffice (a minute or two) ...")
    resaved = resave_with_libreoffice(returned_path, ctx.workdir / "libreoffice")
    if resaved is None:
        return [Result(name, 0.0, "s", error="LibreOffice could not re-save the copy")]
    stray = with_stray_cell(resaved, ctx.workdir / "large-returned-stray.xlsx", "Actions")
    progress(f"previews of the LibreOffice copy, with and without a stray far cell x{RUNS} ...")
    reads, previews, changes = _previews(ctx, resaved)
    stray_reads, stray_previews, _ = _previews(ctx, stray)
    floors = []
    cells = 0
    for _ in range(RUNS):
        started = time.perf_counter()
        cells, _sheets = read_only_pass(resaved)
        floors.append(time.perf_counter() - started)
    whole = median([r + p for r, p in zip(reads, previews, strict=True)])
    with_stray = median([r + p for r, p in zip(stray_reads, stray_previews, strict=True)])
    floor = median(floors)
    return [
        Result(
            f"{name}: read_returned + build_preview [{edited} rows edited, {changes} changes]",
            whole,
            "s",
            floor,
            f"openpyxl read-only pass, {cells:,} cells",
        ),
        Result(
            f"{name}: whole / read-only pass",
            whole / floor,
            "x",
            1.0,
            "the read-only pass itself",
            LIBREOFFICE_TARGET_RATIO,
        ),
        Result(
            f"{name}: what a stray value in XFD1048576 adds",
            max(with_stray - whole, 0.0),
            "s",
            whole,
            "the preview without it",
            STRAY_CELL_TARGET,
        ),
    ]


def run(ctx: Context) -> list[Result]:
    from statistics import median

    export = large_export(ctx)
    returned_path = ctx.workdir / "large-returned.xlsx"
    progress(f"editing {EDITED_ROWS} rows of a returned copy with openpyxl ...")
    edited = make_returned(export, returned_path, EDITED_ROWS, ctx.seed)

    progress(f"read_returned + build_preview x{RUNS} ...")
    reads, previews, changes = _previews(ctx, returned_path)
    wholes = [read + preview for read, preview in zip(reads, previews, strict=True)]

    progress(f"openpyxl read-only pass x{RUNS} ...")
    floors: list[float] = []
    read_sheets: list[float] = []  # the part of the pass spent on the two sheets read back
    cells = 0
    for _ in range(RUNS):
        started = time.perf_counter()
        cells, sheets = read_only_pass(returned_path)
        floors.append(time.perf_counter() - started)
        read_sheets.append(sheets.get("Actions", 0.0) + sheets.get("Milestones", 0.0))

    whole, floor, two_sheets = median(wholes), median(floors), median(read_sheets)
    floor_is = f"openpyxl read-only pass, {cells:,} cells"
    return [
        Result(
            f"excel import: read_returned + build_preview [{edited} rows edited, "
            f"{changes} changes]",
            whole,
            "s",
            floor,
            floor_is,
        ),
        Result("excel import: read_returned alone", median(reads), "s", floor, floor_is),
        Result("excel import: build_preview alone", median(previews), "s", floor, floor_is),
        Result(
            "excel import: whole / read-only pass",
            whole / floor,
            "x",
            1.0,
            "the read-only pass itself",
            TARGET_RATIO,
        ),
        Result(
            "excel import: whole / pass over Actions + Milestones only",
            whole / two_sheets,
            "x",
            1.0,
            "the sheets read_returned reads",
        ),
        *libreoffice_results(ctx, returned_path, edited),
    ]
