"""Writing the board report (PDF) of the large plan, against Qt painting the same number
of bare pages with one line of text each."""

from __future__ import annotations

import json
import subprocess

from benchlib import Context, Result, progress

TARGET_SECONDS = 30.0

# Runs in its own process: a fresh interpreter and Qt, as `planner report` would be.
SCRIPT = """
import json, sys, time
from planner.io.report import ReportOptions, gather_report, render_report
from planner.store.planfile import PlanFile

plan, out, floor_out = sys.argv[1:4]
started = time.perf_counter()
with PlanFile.open(plan, read_only=True) as plan_file, plan_file.Session() as session:
    content = gather_report(session, plan_file.plan_id, ReportOptions())
gathered = time.perf_counter()
result = render_report(content, out)
written = time.perf_counter()

from PySide6.QtCore import QPointF
from PySide6.QtGui import QPageSize, QPainter, QPdfWriter
floor_started = time.perf_counter()
writer = QPdfWriter(floor_out)
writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
painter = QPainter(writer)
for number in range(result.pages):
    if number:
        writer.newPage()
    painter.drawText(QPointF(100, 100), f"Page {number + 1}")
painter.end()
floor = time.perf_counter() - floor_started
print(json.dumps({
    "gather": gathered - started, "render": written - gathered, "total": written - started,
    "pages": result.pages, "actions": result.actions, "floor": floor,
}))
"""


def run(ctx: Context) -> list[Result]:
    plan = ctx.large_plan()
    out = ctx.workdir / "large-report.pdf"
    floor_out = ctx.workdir / "bare-pages.pdf"
    progress("writing the board report of the large plan ...")
    completed = subprocess.run(
        [ctx.python, "-c", SCRIPT, str(plan), str(out), str(floor_out)],
        capture_output=True,
        text=True,
        env=ctx.env(),
        check=True,
    )
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    pages = f"{figures['pages']} pages"
    return [
        Result(
            f"report: whole (gather + lay out + paint) [{pages}]",
            figures["total"],
            "s",
            figures["floor"],
            f"QPdfWriter, {pages} of one line each",
            TARGET_SECONDS,
        ),
        Result("report: gather alone", figures["gather"], "s"),
        Result("report: lay out + paint alone", figures["render"], "s"),
    ]
