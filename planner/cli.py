"""The command line: `planner [FILE]` opens the app; subcommands work headless."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from planner import APP_NAME, __version__
from planner.errors import PlannerError

SUBCOMMANDS = ("sample", "info", "check")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="planner",
        description=f"{APP_NAME}: turn a strategy into a delivery plan.",
        epilog="Run 'planner FILE.plan' (or just 'planner') to open the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    sample = commands.add_parser("sample", help="write the built-in Northshire sample plan")
    sample.add_argument("out", type=Path, metavar="OUT.plan")
    sample.add_argument("--force", action="store_true", help="replace OUT if it exists")

    info = commands.add_parser("info", help="show a plan's title, status date and counts")
    info.add_argument("plan", type=Path, metavar="PLAN")
    info.add_argument("--json", action="store_true", help="print one JSON object")

    check = commands.add_parser("check", help="check a plan file for damage and broken rules")
    check.add_argument("plan", type=Path, metavar="PLAN")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        first = args_list[0] if args_list else ""
        if first not in SUBCOMMANDS and first not in ("-h", "--help", "--version"):
            return _open_app(args_list)
        args = _parser().parse_args(args_list)
        if args.command is None:
            return _open_app([])
        handler = {"sample": _sample, "info": _info, "check": _check}[args.command]
        return handler(args)
    except PlannerError as error:
        print(f"planner: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("planner: stopped.", file=sys.stderr)
        return 130


def _sample(args: argparse.Namespace) -> int:
    from planner.io.sample import write_sample

    plan_file = write_sample(args.out, overwrite=args.force)
    plan_file.close()
    print(f"Wrote the Northshire sample plan to {args.out}")
    return 0


def _info(args: argparse.Namespace) -> int:
    from planner.queries import plan_counts
    from planner.store.models import Plan
    from planner.store.planfile import PlanFile
    from planner.store.sqlite_file import inspect_plan

    version = inspect_plan(args.plan, check=False)
    with PlanFile.open(args.plan, read_only=True) as plan_file, plan_file.Session() as session:
        plan = session.get(Plan, plan_file.plan_id)
        assert plan is not None
        counts = plan_counts(session, plan_file.plan_id)
        if args.json:
            print(
                json.dumps(
                    {
                        "title": plan.title,
                        "organisation": plan.organisation,
                        "plan_id": plan.uid,
                        "status_date": plan.status_date.isoformat(),
                        "protective_marking": plan.protective_marking,
                        "schema_version": version,
                        "counts": counts.as_dict(),
                    }
                )
            )
            return 0
        print(_summary_text(plan, version, counts))
    return 0


def _summary_text(plan: object, version: int, counts: object) -> str:
    from planner.domain.dates import format_long
    from planner.queries import PlanCounts
    from planner.store.models import Plan

    assert isinstance(plan, Plan) and isinstance(counts, PlanCounts)
    period = ""
    if plan.period_start and plan.period_end:
        period = f"{format_long(plan.period_start)} to {format_long(plan.period_end)}"
    lines = [
        plan.title,
        f"  Organisation:       {plan.organisation}",
        f"  Period:             {period}",
        f"  Status date:        {format_long(plan.status_date)}",
        f"  Protective marking: {plan.protective_marking}",
        f"  File format:        {version}",
        f"  Themes {counts.themes}, actions {counts.actions}, milestones {counts.milestones}, "
        f"people {counts.people}, partner bodies {counts.partners}, "
        f"progress updates {counts.updates}",
    ]
    return "\n".join(lines)


def _check(args: argparse.Namespace) -> int:
    from planner.queries.checks import consistency_problems
    from planner.store.planfile import PlanFile
    from planner.store.sqlite_file import inspect_plan, integrity_problems

    inspect_plan(args.plan, check=False)
    problems = integrity_problems(args.plan)
    if not problems:
        with PlanFile.open(args.plan, read_only=True) as plan_file, plan_file.Session() as s:
            problems = consistency_problems(s, plan_file.plan_id)
    for problem in problems:
        print(f"{args.plan.name}: {problem}")
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    print(f"{args.plan.name}: no problems found.")
    return 0


def _open_app(args_list: list[str]) -> int:
    """Open the desktop app on a plan file, the most recent plan, or the sample."""
    parser = argparse.ArgumentParser(prog="planner", description=f"{APP_NAME} desktop app")
    parser.add_argument("file", nargs="?", type=Path, metavar="FILE.plan")
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="OUT.png",
        help="save a picture of the window once painted, then exit",
    )
    args = parser.parse_args(args_list)
    from planner.ui.app import run_app

    return run_app(args.file, screenshot=args.screenshot)
