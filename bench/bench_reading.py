"""Reading messy workbooks: a stray value in the last cell of a sheet (XFD1048576) must
cost nothing. Timed on the sample plan's export (27 actions: a return and New plan from
Excel, each under 2 s) and on the large plan's export (the stray cell adds under 1 s to
reading the return), each beside the same reading of the clean file."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from statistics import median

from bench_import import large_export
from benchlib import REPO_DIR, Context, Result, progress

RUNS = 3
SMALL_TARGET = 2.0  # seconds, reading a small workbook with a stray far cell
EXTRA_TARGET = 1.0  # seconds the stray cell may add to reading the large return


def _timed(action: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return median(times)


def _sample_export(ctx: Context) -> Path:
    from planner.io.excel import ExportOptions, export_workbook, gather
    from planner.io.sample import write_sample

    plan = ctx.workdir / "sample.plan"
    plan_file = write_sample(plan, overwrite=True, data_dir=ctx.data_dir)
    try:
        with plan_file.Session() as session:
            content = gather(session, plan_file.plan_id, ExportOptions(exported_by="Bench"))
    finally:
        plan_file.close()
    return export_workbook(content, ctx.workdir / "sample-export.xlsx")


def run(ctx: Context) -> list[Result]:
    sys.path.insert(0, str(REPO_DIR / "tests"))
    from workbook_fixtures import with_stray_cell

    from planner.domain import DEFAULT_RAG_DEFINITIONS
    from planner.io.excel.new_plan import plan_data_from_workbook
    from planner.io.excel.reading import read_returned

    rags = DEFAULT_RAG_DEFINITIONS
    progress("a stray cell in XFD1048576 of the sample's export ...")
    small = _sample_export(ctx)
    small_stray = with_stray_cell(small, ctx.workdir / "sample-stray.xlsx", "Actions")
    clean_read = _timed(lambda: read_returned(small, rags))
    stray_read = _timed(lambda: read_returned(small_stray, rags))
    clean_new = _timed(lambda: plan_data_from_workbook(small))
    stray_new = _timed(lambda: plan_data_from_workbook(small_stray))

    progress("a stray cell in XFD1048576 of the large plan's export ...")
    large = large_export(ctx)
    large_stray = with_stray_cell(large, ctx.workdir / "large-stray.xlsx", "Actions")
    large_clean = _timed(lambda: read_returned(large, rags))
    large_with_stray = _timed(lambda: read_returned(large_stray, rags))
    return [
        Result(
            "messy workbooks: return with a stray far cell (27 actions)",
            stray_read,
            "s",
            clean_read,
            "the same return without it",
            SMALL_TARGET,
        ),
        Result(
            "messy workbooks: new plan from a workbook with a stray far cell",
            stray_new,
            "s",
            clean_new,
            "the same workbook without it",
            SMALL_TARGET,
        ),
        Result(
            "messy workbooks: what a stray far cell adds to the large return",
            max(large_with_stray - large_clean, 0.0),
            "s",
            large_clean,
            "reading the large return without it",
            EXTRA_TARGET,
        ),
    ]
