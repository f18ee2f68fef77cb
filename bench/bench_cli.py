"""The command line on the large plan, as a user runs it: a fresh process each time."""

from __future__ import annotations

import statistics

from benchlib import Context, Result, command_seconds, planner_command, progress

RUNS = 3


def run_info(ctx: Context) -> list[Result]:
    command = [*planner_command(), "info", str(ctx.large_plan())]
    progress(f"planner info x{RUNS} ...")
    seconds = statistics.median(command_seconds(command, ctx) for _ in range(RUNS))
    floor = statistics.median(command_seconds([ctx.python, "-c", "pass"], ctx) for _ in range(RUNS))
    return [Result("cli: planner info PLAN", seconds, "s", floor, "python -c pass")]
