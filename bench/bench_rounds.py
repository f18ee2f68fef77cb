"""An update round of the large plan: one workbook per partner body, then an email draft
beside each, against Python's email package writing a bare message with the same
attachment (the floor of any draft that attaches them)."""

from __future__ import annotations

import json
import shutil
import subprocess

from benchlib import Context, Result, progress

TARGET_SECONDS_PER_WORKBOOK = 1.0
TARGET_DRAFT_RATIO = 3.0

SCRIPT = """
import json, sys, time
from email.message import EmailMessage
from pathlib import Path
from planner.commands import runner_for
from planner.io import rounds
from planner.store.planfile import PlanFile

plan, folder = Path(sys.argv[1]), Path(sys.argv[2])
with PlanFile.open(plan) as plan_file:
    started = time.perf_counter()
    with plan_file.Session() as session:
        made = rounds.start_round(
            session, plan_file.plan_id, folder, "partner", return_by=None, exported_by="Bench"
        )
    written = time.perf_counter()
    runner_for(plan_file, who="Bench").execute(made.command)
    recorded = time.perf_counter()
    with plan_file.Session() as session:
        drafts = rounds.prepare_drafts(session, plan_file.plan_id, sender="Bench")
    drafted = time.perf_counter()
    plan_file.close(discard=True)
floor_started = time.perf_counter()
encoded = 0
for path in made.files:
    bare = EmailMessage()
    bare.add_attachment(
        path.read_bytes(), maintype="application", subtype="octet-stream", filename=path.name
    )
    encoded += len(bare.as_bytes())
floor = time.perf_counter() - floor_started
print(json.dumps({
    "workbooks": len(made.files), "write": written - started, "record": recorded - written,
    "drafts": drafted - recorded, "draft_count": len(drafts.files), "floor": floor,
    "megabytes": encoded / 1e6,
}))
"""


def run(ctx: Context) -> list[Result]:
    source = ctx.large_plan()
    plan = ctx.workdir / "large-round.plan"
    shutil.copyfile(source, plan)
    folder = ctx.workdir / "round"
    shutil.rmtree(folder, ignore_errors=True)
    progress("starting an update round of the large plan, with email drafts ...")
    completed = subprocess.run(
        [ctx.python, "-c", SCRIPT, str(plan), str(folder)],
        capture_output=True,
        text=True,
        env=ctx.env(),
        check=True,
    )
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    count = figures["workbooks"]
    return [
        Result(
            f"round start: per workbook ({count} partner bodies)",
            (figures["write"] + figures["record"]) / count,
            "s",
            None,
            "",
            TARGET_SECONDS_PER_WORKBOOK,
        ),
        Result(
            f"round emails: {figures['draft_count']} drafts / bare attachments",
            figures["drafts"],
            "s",
            figures["floor"],
            f"bare messages attaching {figures['megabytes']:.0f} MB",
            figures["floor"] * TARGET_DRAFT_RATIO,
        ),
    ]
