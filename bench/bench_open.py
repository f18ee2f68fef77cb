"""Opening the large plan: validation and working copy, then close."""

from __future__ import annotations

import shutil

from benchlib import Context, Result, median_seconds, progress

RUNS = 5
TARGET_SECONDS = 1.0


def run(ctx: Context) -> list[Result]:
    from planner.store.planfile import PlanFile

    path = ctx.large_plan()

    def open_and_close() -> None:
        PlanFile.open(path, data_dir=ctx.data_dir).close()

    progress(f"PlanFile.open + close x{RUNS} ...")
    seconds = median_seconds(open_and_close, RUNS)
    copy = ctx.workdir / "floor-copy.plan"
    floor = median_seconds(lambda: shutil.copyfile(path, copy), RUNS)
    copy.unlink(missing_ok=True)
    size = path.stat().st_size / 1e6
    return [
        Result(
            "open: PlanFile.open + close",
            seconds,
            "s",
            floor,
            f"shutil.copyfile {size:.1f} MB",
            TARGET_SECONDS,
        )
    ]
