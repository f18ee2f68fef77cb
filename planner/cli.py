"""The command line: `planner [FILE]` opens the app; subcommands work headless."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from planner import APP_NAME, __version__
from planner.errors import PlannerError

SUBCOMMANDS = ("sample", "info", "check", "export", "import")


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

    export = commands.add_parser(
        "export",
        help="export the plan, or a slice of it, as an Excel workbook",
        description="Export the plan as an Excel workbook to circulate. Give --partner, "
        "--person or --theme (each as often as needed) to send only those actions.",
    )
    export.add_argument("plan", type=Path, metavar="PLAN")
    export.add_argument("out", type=Path, metavar="OUT.xlsx")
    export.add_argument(
        "--partner",
        action="append",
        default=[],
        metavar="NAME",
        help="only actions this partner body is involved in",
    )
    export.add_argument(
        "--person",
        action="append",
        default=[],
        metavar="NAME",
        help="only actions this person has a role in",
    )
    export.add_argument(
        "--theme",
        action="append",
        default=[],
        type=int,
        metavar="NUMBER",
        help="only actions in this theme",
    )
    export.add_argument(
        "--no-descriptions", action="store_true", help="leave out action descriptions"
    )
    export.add_argument(
        "--no-commentary", action="store_true", help="leave out progress commentary"
    )
    export.add_argument(
        "--marking", metavar="TEXT", help="protective marking (default: the plan's own)"
    )
    export.add_argument("--by", metavar="NAME", help="your name, shown as who exported it")

    merge = commands.add_parser(
        "import",
        help="merge a returned workbook into the plan (preview unless --apply)",
        description="Compare a returned copy of an exported workbook with the plan and list "
        "every change. Nothing changes unless --apply is given.",
    )
    merge.add_argument("plan", type=Path, metavar="PLAN")
    merge.add_argument("workbook", type=Path, metavar="RETURNED.xlsx")
    merge.add_argument(
        "--from",
        dest="from_name",
        default="",
        metavar="NAME",
        help="who returned it (recorded as the author of new updates)",
    )
    merge.add_argument("--apply", action="store_true", help="apply the changes and save")
    merge.add_argument(
        "--take-returned",
        action="store_true",
        help="in a conflict, take the returned value instead of the plan's",
    )
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
        handler = {
            "sample": _sample,
            "info": _info,
            "check": _check,
            "export": _export,
            "import": _import,
        }[args.command]
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


def _export(args: argparse.Namespace) -> int:
    from planner.commands.runner import current_user
    from planner.io.excel import ExportOptions, export_workbook, gather
    from planner.io.excel.content import resolve_slice
    from planner.store.planfile import PlanFile

    with PlanFile.open(args.plan, read_only=True) as plan_file, plan_file.Session() as session:
        wanted = resolve_slice(session, plan_file.plan_id, args.partner, args.person, args.theme)
        options = ExportOptions(
            slice=wanted,
            include_descriptions=not args.no_descriptions,
            include_commentary=not args.no_commentary,
            protective_marking=args.marking,
            exported_by=args.by or current_user(),
        )
        content = gather(session, plan_file.plan_id, options)
    if not content.actions:
        print("planner: no actions match that choice; nothing was exported.", file=sys.stderr)
        return 2
    target = export_workbook(content, args.out, progress=_progress_line("Exporting"))
    print(
        f"Exported {len(content.actions)} actions and {len(content.milestones)} milestones "
        f"to {target}"
    )
    return 0


def _import(args: argparse.Namespace) -> int:
    from planner.commands import runner_for
    from planner.commands.runner import current_user
    from planner.io.excel.merge import build_preview, merge_command, preview_lines
    from planner.io.excel.reading import read_returned
    from planner.queries.lookups import plan_header
    from planner.store.planfile import PlanFile

    plan_file = PlanFile.open(args.plan, read_only=not args.apply)
    try:
        with plan_file.Session() as session:
            header = plan_header(session, plan_file.plan_id)
            returned = read_returned(args.workbook, header.rag_definitions)
            preview = build_preview(session, plan_file.plan_id, returned, args.from_name)
        if args.take_returned:
            preview.take_returned_everywhere()
        for line in preview_lines(preview):
            print(line)
        if not args.apply:
            print("\nNothing was changed (preview only). Add --apply to merge these changes.")
            return 0
        if preview.is_empty:
            print("\nNothing to merge; the plan is unchanged.")
            return 0
        runner = runner_for(plan_file, who=args.from_name or current_user())
        applied = runner.execute(merge_command(preview), source=preview.source_label())
        plan_file.save()
        print(
            f"\nMerged {len(preview.chosen)} change(s) into {args.plan.name} "
            f"({len(applied.changes)} records written) and saved it."
        )
        return 0
    finally:
        plan_file.close(discard=True)


def _progress_line(verb: str) -> Callable[[int, int, str], bool]:
    """Progress as one updating line on a terminal (cleared when done); nothing when
    stderr is not a terminal, so logs and refusals stay one line."""
    interactive = sys.stderr.isatty()

    def report(done: int, total: int, stage: str) -> bool:
        if interactive:
            percent = 100 * done // max(total, 1)
            line = f"{verb}: {stage} {percent}%"
            end = "\r" + " " * len(line) + "\r" if done >= total else ""
            print(f"\r{line}", end=end, file=sys.stderr, flush=True)
        return True

    return report


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
