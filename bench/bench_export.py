"""Exporting the large plan to Excel, against an openpyxl write-only dump of the same cells."""

from __future__ import annotations

import json
import subprocess

from benchlib import Context, Result, progress

TARGET_SECONDS = 10.0
TARGET_RATIO = 1.5
TARGET_MEGABYTES = 600.0

# Runs in its own process, so its peak memory is the export's alone.
SCRIPT = """
import json, resource, sys, time
from openpyxl import Workbook, load_workbook
from planner.io.excel import ExportOptions, export_workbook, gather
from planner.store.planfile import PlanFile

plan, out, floor_out = sys.argv[1:4]
started = time.perf_counter()
with PlanFile.open(plan, read_only=True) as plan_file, plan_file.Session() as session:
    content = gather(session, plan_file.plan_id, ExportOptions(exported_by="Bench"))
gathered = time.perf_counter()
export_workbook(content, out)
written = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
sheets = [
    (sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)])
    for sheet in load_workbook(out, read_only=True)
]
dump_started = time.perf_counter()
book = Workbook(write_only=True)
for title, rows in sheets:
    sheet = book.create_sheet(title)
    for row in rows:
        sheet.append(row)
book.save(floor_out)
dumped = time.perf_counter()
print(json.dumps({
    "gather": gathered - started, "write": written - gathered, "total": written - started,
    "dump": dumped - dump_started, "peak_mb": peak,
    "cells": sum(len(row) for _, rows in sheets for row in rows),
}))
"""


def run(ctx: Context) -> list[Result]:
    plan = ctx.large_plan()
    out = ctx.workdir / "large-export.xlsx"
    floor_out = ctx.workdir / "large-dump.xlsx"
    progress("exporting the large plan to Excel ...")
    completed = subprocess.run(
        [ctx.python, "-c", SCRIPT, str(plan), str(out), str(floor_out)],
        capture_output=True,
        text=True,
        env=ctx.env(),
        check=True,
    )
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    cells = f"{figures['cells']:,} cells"
    return [
        Result(
            "excel export: whole (gather + write)",
            figures["total"],
            "s",
            figures["dump"],
            f"openpyxl write-only dump, {cells}",
            TARGET_SECONDS,
        ),
        Result(
            "excel export: write / dump of same cells",
            figures["write"] / figures["dump"],
            "x",
            1.0,
            "the dump itself",
            TARGET_RATIO,
        ),
        Result(
            "excel export: peak memory",
            figures["peak_mb"],
            "MB",
            None,
            "",
            TARGET_MEGABYTES,
        ),
    ]
