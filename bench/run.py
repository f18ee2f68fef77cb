"""Run every benchmark and print one table of figures, floors, ratios and targets.

    python bench/run.py [--actions 5000] [--seed 1] [--keep DIR] [--only NAME ...]

Every figure and every floor is measured in this run, on this machine. The run uses its
own PLANNER_DATA_DIR (a temporary folder, or DIR/user-data with --keep), so nothing
touches the user's folders. Progress goes to stderr; the table goes to stdout. Exits 1
when a benchmark misses its target or fails.

To add a benchmark: write a function `run(ctx: Context) -> list[Result]` in a module in
bench/ and add it to BENCHMARKS below.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import bench_bundle
import bench_cli
import bench_create
import bench_dashboard
import bench_export
import bench_gui
import bench_import
import bench_open
import bench_purpose
import bench_queries
import bench_reading
import bench_report
import bench_rounds
import bench_shared
import bench_timeline
import bench_views
from benchlib import Context, Result, progress

Benchmark = Callable[[Context], list[Result]]

# name -> function, run in this order; "create" writes the plan the later ones read.
BENCHMARKS: list[tuple[str, Benchmark]] = [
    ("create", bench_create.run),
    ("open", bench_open.run),
    ("filter", bench_queries.run_filters),
    ("action_rows", bench_queries.run_action_rows),
    ("info", bench_cli.run_info),
    ("excel_export", bench_export.run),
    ("excel_import", bench_import.run),  # reuses excel_export's workbook
    ("excel_messy", bench_reading.run),  # a stray far cell; reuses it too
    ("gui", bench_gui.run),  # reuses it too, for LibreOffice
    ("report", bench_report.run),
    ("rounds", bench_rounds.run),  # one workbook per partner body, and their email drafts
    ("views", bench_views.run),  # partner map and people load rebuilds
    ("dashboard", bench_dashboard.run),
    ("timeline", bench_timeline.run),
    ("purpose", bench_purpose.run),  # the Outcomes and Benefits tabs' rebuilds
    ("shared", bench_shared.run),  # 20 officers on a shared plan on PostgreSQL: a minute
    ("bundle", bench_bundle.run),  # builds dist/ unless up to date: minutes the first time
]

COLUMNS = ("benchmark", "measured", "unit", "floor", "floor is", "ratio", "target", "result")


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "ms":
        return f"{value:.1f}" if value >= 10 else f"{value:.2f}"
    if value < 1:
        return f"{value:.3f}"
    return f"{value:.2f}" if value < 100 else f"{value:.0f}"


def table(results: list[Result]) -> str:
    rows = [COLUMNS]
    for r in results:
        rows.append(
            (
                r.name,
                _number(r.value, r.unit) if not r.error else "-",
                r.unit,
                _number(r.floor, r.unit),
                r.floor_is,
                f"{r.ratio:.1f}x" if r.ratio is not None and not r.error else "-",
                f"< {_number(r.target, r.unit)}" if r.target is not None else "-",
                r.verdict,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    right = {1, 3, 5, 6}

    def line(row: tuple[str, ...]) -> str:
        cells = [
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        return " | ".join(cells).rstrip()

    rule = "-+-".join("-" * width for width in widths)
    return "\n".join([line(rows[0]), rule, *(line(row) for row in rows[1:])])


def machine() -> str:
    import sqlalchemy

    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"SQLAlchemy {sqlalchemy.__version__}"
    )


def _load() -> str:
    """The 1-minute load average: other work on the machine skews every figure."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except (AttributeError, OSError):  # Windows
        return "n/a"


def run(ctx: Context, only: list[str]) -> list[Result]:
    results: list[Result] = []
    for name, benchmark in BENCHMARKS:
        if only and name not in only:
            continue
        try:
            results.extend(benchmark(ctx))
        except Exception as error:  # one broken benchmark must not hide the others
            traceback.print_exc()
            results.append(Result(name, 0.0, "", error=f"{type(error).__name__}: {error}"))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actions", type=int, default=5000, help="size of the large plan")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the files made in DIR")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        choices=[name for name, _ in BENCHMARKS],
        help="run only this benchmark (repeatable)",
    )
    args = parser.parse_args(argv)

    temporary = None
    if args.keep:
        workdir = args.keep.absolute()
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        temporary = tempfile.TemporaryDirectory(prefix="planner-bench-")
        workdir = Path(temporary.name)
    data_dir = workdir / "user-data"
    data_dir.mkdir(exist_ok=True)
    os.environ["PLANNER_DATA_DIR"] = str(data_dir)  # also for anything that reads it later

    ctx = Context(actions=args.actions, seed=args.seed, workdir=workdir, data_dir=data_dir)
    load_before = _load()
    started = time.perf_counter()
    try:
        results = run(ctx, args.only)
        size = ""
        if ctx.plan_path is not None and ctx.plan_path.exists():
            size = f", plan file {ctx.plan_path.stat().st_size / 1e6:.1f} MB"
        print(f"Strategy Planner benchmarks: {args.actions:,} actions (seed {args.seed}){size}")
        print(
            f"{machine()}; run took {time.perf_counter() - started:.0f} s, "
            f"load average {load_before} before, {_load()} after"
        )
        print(table(results))
        for r in results:
            if r.error:
                print(f"{r.name}: {r.error}")
    finally:
        if temporary is not None:
            temporary.cleanup()
        else:
            progress(f"kept the files in {workdir}")
    return 1 if any(r.verdict in ("FAIL", "ERROR") for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
