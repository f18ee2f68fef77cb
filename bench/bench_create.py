"""Writing the large plan: bench/make_large_plan.py run as a script, both write paths."""

from __future__ import annotations

import sqlite3

from benchlib import (
    BENCH_DIR,
    Context,
    Result,
    command_seconds,
    content_rows,
    median_seconds,
    planner_command,
    progress,
    run_command,
)

TARGET_SECONDS = 30.0  # the whole script, for up to 5,000 actions (scaled up beyond)


def raw_insert_seconds(ctx: Context, rows: int) -> float:
    """Floor: plain sqlite3 executemany of `rows` rows into a bare table, one transaction."""
    params = [(i, f"row {i} of the floor table") for i in range(rows)]
    path = ctx.workdir / "floor-insert.sqlite"

    def insert() -> None:
        path.unlink(missing_ok=True)
        connection = sqlite3.connect(path)
        try:
            connection.execute("CREATE TABLE bare (id INTEGER PRIMARY KEY, n INTEGER, t TEXT)")
            connection.executemany("INSERT INTO bare (n, t) VALUES (?, ?)", params)
            connection.commit()
        finally:
            connection.close()

    try:
        return median_seconds(insert, 3)
    finally:
        path.unlink(missing_ok=True)


def _make(ctx: Context) -> tuple[float, int]:
    out = ctx.workdir / f"large-{ctx.actions}.plan"
    command = [
        ctx.python,
        str(BENCH_DIR / "make_large_plan.py"),
        str(out),
        "--actions",
        str(ctx.actions),
        "--seed",
        str(ctx.seed),
        "--force",
    ]
    progress(f"make_large_plan ({ctx.actions} actions) ...")
    seconds = command_seconds(command, ctx)
    run_command([*planner_command(), "check", str(out)], ctx)  # raises unless it passes
    ctx.plan_path = out
    return seconds, sum(content_rows(out).values())


def run(ctx: Context) -> list[Result]:
    product_seconds, rows = _make(ctx)
    progress(f"floor: sqlite3 executemany of {rows:,} rows ...")
    floor = raw_insert_seconds(ctx, rows)
    floor_is = f"sqlite3 executemany {rows:,} rows"
    return [
        Result(
            "create: make_large_plan (create_from_data)",
            product_seconds,
            "s",
            floor,
            floor_is,
            TARGET_SECONDS * max(1.0, ctx.actions / 5000),
        ),
    ]
