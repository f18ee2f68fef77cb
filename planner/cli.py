"""The command line: `planner [FILE]` opens the app; subcommands work headless."""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from planner import APP_NAME, __version__
from planner.errors import PlannerError
from planner.officer import named, officer_name

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from planner.commands.concurrency import EditorVersions
    from planner.io.emails import DraftsWritten
    from planner.store.planfile import PlanFile
    from planner.store.shared import SharedPlan

SUBCOMMANDS = (
    "sample",
    "publish",
    "download",
    "shared",
    "info",
    "check",
    "export",
    "report",
    "import",
    "round",
    "history",
    "new-from-excel",
)

BY_HELP = (
    "your name, as the plan's change history, its lock and exported workbooks show it "
    "(default: PLANNER_USER, else the name set in the app, else your login name)"
)
URL_HELP = (
    "A plan is a PLAN.plan file or a shared plan's address: "
    "postgresql://USER@HOST:PORT/DATABASE?plan=ID or ...DATABASE#TITLE (see the README)."
)


def plan_target(text: str) -> Path | str:
    """A plan file's path, or a postgresql:// address kept as written."""
    from planner.store.shared_location import is_shared_location

    return text if is_shared_location(text) else Path(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="planner",
        description=f"{APP_NAME}: turn a strategy into a delivery plan.",
        epilog=f"{URL_HELP}\n\n{_examples(MAIN_EXAMPLES)}\n\n"
        "Run 'planner COMMAND --help' for a command's options and examples.",
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    _app_options(
        parser.add_argument_group(
            "the desktop app",
            "'planner FILE.plan' (or a shared plan's URL) opens the app on that plan; "
            "'planner' alone opens the most recent plan (the Northshire sample at first).",
        )
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    sample = commands.add_parser("sample", help="write the built-in Northshire sample plan")
    sample.add_argument("out", type=Path, metavar="OUT.plan")
    sample.add_argument("--force", action="store_true", help="replace OUT if it exists")

    publish = commands.add_parser(
        "publish",
        help="copy a plan file to a shared PostgreSQL database",
        description="Copy PLAN.plan into the database at URL, where partners' copies of the "
        "app open it together. Creates the plan tables if the database has none.",
    )
    publish.add_argument("plan", type=Path, metavar="PLAN.plan")
    publish.add_argument("url", metavar="URL")
    publish.add_argument("--title", metavar="TEXT", help="the shared plan's title")

    download = commands.add_parser(
        "download",
        help="copy a shared plan into a plan file, for offline work",
        description="Copy a shared plan into OUT.plan. Name the plan in the URL "
        "(?plan=ID or #TITLE) or as PLAN. Send offline changes back with "
        "'planner export OUT.plan back.xlsx --since-download' then "
        "'planner import URL back.xlsx --apply'.",
    )
    download.add_argument("url", metavar="URL")
    download.add_argument("rest", nargs="+", metavar="[PLAN] OUT.plan")
    download.add_argument("--force", action="store_true", help="replace OUT if it exists")

    shared = commands.add_parser("shared", help="prepare or list a shared plan database")
    shared_commands = shared.add_subparsers(dest="shared_command", metavar="ACTION", required=True)
    init = shared_commands.add_parser(
        "init", help="create the plan tables in a database, or upgrade them to this version"
    )
    init.add_argument("url", metavar="URL")
    listing = shared_commands.add_parser("list", help="list the plans in a shared database")
    listing.add_argument("url", metavar="URL")

    info = commands.add_parser("info", help="show a plan's title, status date and counts")
    info.add_argument("plan", type=plan_target, metavar="PLAN")
    info.add_argument("--json", action="store_true", help="print one JSON object")

    check = commands.add_parser("check", help="check a plan file for damage and broken rules")
    check.add_argument("plan", type=plan_target, metavar="PLAN")

    export = commands.add_parser(
        "export",
        help="export the plan, or a slice of it, as an Excel workbook",
        description="Export the plan as an Excel workbook to circulate. Give --partner, "
        "--person or --theme (each as often as needed) to send only those actions.",
    )
    export.add_argument("plan", type=plan_target, metavar="PLAN")
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
    export.add_argument("--by", metavar="NAME", help=BY_HELP)
    export.add_argument(
        "--since-download",
        action="store_true",
        help="for a plan downloaded from a shared plan: the workbook carries the changes made "
        "since the download, to import into the shared plan",
    )

    report = commands.add_parser(
        "report",
        help="write the board report (PDF) for the plan, or a slice of it",
        description="Write the board report as an A4 landscape PDF: cover, strategy on a "
        "page, outcomes and their measures, benefits, budget, exceptions, milestones and "
        "timeline. Give --partner or --theme (each as often as needed) to report on only "
        "those actions.",
    )
    report.add_argument("plan", type=plan_target, metavar="PLAN")
    report.add_argument("out", type=Path, metavar="OUT.pdf")
    report.add_argument(
        "--partner",
        action="append",
        default=[],
        metavar="NAME",
        help="only actions this partner body is involved in",
    )
    report.add_argument(
        "--theme",
        action="append",
        default=[],
        type=int,
        metavar="NUMBER",
        help="only actions in this theme",
    )
    report.add_argument(
        "--marking", metavar="TEXT", help="protective marking (default: the plan's own)"
    )
    report.add_argument(
        "--by",
        metavar="NAME",
        help="your name, as the PDF's author (default: PLANNER_USER, else the name set in "
        "the app, else your login name)",
    )

    merge = commands.add_parser(
        "import",
        help="merge a returned workbook into the plan (preview unless --apply)",
        description="Compare a returned copy of an exported workbook with the plan and list "
        "every change. Nothing changes unless --apply is given.",
    )
    merge.add_argument("plan", type=plan_target, metavar="PLAN")
    merge.add_argument("workbook", type=Path, metavar="RETURNED.xlsx")
    merge.add_argument(
        "--from",
        dest="from_name",
        default="",
        metavar="NAME",
        help="who returned it (recorded as the author of new updates)",
    )
    _merge_options(merge)

    new = commands.add_parser(
        "new-from-excel",
        help="start a plan from a spreadsheet table of actions",
        description="Read a table of actions (theme, ref, action, lead officer, partners, "
        "start, due, status, RAG, ... in any order, recognised by their headings) and write "
        "a new plan, creating people and partner bodies from the names found.",
    )
    new.add_argument("workbook", type=Path, metavar="IN.xlsx")
    new.add_argument("out", type=Path, metavar="OUT.plan")
    new.add_argument("--title", help="the plan's title (default: the workbook's name)")
    new.add_argument("--organisation", default="", help="the organisation that owns the plan")
    new.add_argument("--force", action="store_true", help="replace OUT if it exists")

    rounds = commands.add_parser("round", help="update rounds: send, track and merge returns")
    round_commands = rounds.add_subparsers(dest="round_command", metavar="ACTION", required=True)
    start = round_commands.add_parser(
        "start", help="write one workbook per partner body or lead officer into FOLDER"
    )
    start.add_argument("plan", type=plan_target, metavar="PLAN")
    start.add_argument("folder", type=Path, metavar="FOLDER")
    start.add_argument(
        "--by",
        dest="kind",
        choices=["partner", "lead"],
        required=True,
        help="one workbook per partner body, or per lead officer",
    )
    start.add_argument("--return-by", metavar="DD/MM/YYYY", help="the date to return it by")
    start.add_argument("--title", help="the round's name (default: e.g. 'Q3 2013/14 update')")
    sender_help = (
        "your name, shown in each workbook and email and in the plan's change history "
        "(default: PLANNER_USER, else the name set in the app, else your login name)"
    )
    start.add_argument("--sender", metavar="NAME", help=sender_help)
    start.add_argument(
        "--emails",
        action="store_true",
        help="also write an email draft (.eml) beside each workbook, addressed to the "
        "round contact with the workbook attached, to open in Outlook and send",
    )
    template_help = (
        "the covering email's wording: a text file whose first line is 'Subject: ...', "
        "then a blank line and the body; {round}, {return_by}, {contact}, {body}, {plan}, "
        "{sender} and {sender_email} are filled in (default: the plan's own, set in the app)"
    )
    start.add_argument("--email-template", type=Path, metavar="FILE", help=template_help)
    status = round_commands.add_parser(
        "status",
        help="who has returned their workbook, who is late and who still has time",
    )
    status.add_argument("plan", type=plan_target, metavar="PLAN")
    status.add_argument(
        "--csv", type=Path, metavar="OUT.csv", help="also write the table as a spreadsheet"
    )
    remind = round_commands.add_parser(
        "remind",
        help="write reminder email drafts to the recipients who have not returned theirs",
        description="Write a reminder email draft (.eml) beside the workbook of each "
        "recipient of the newest round who is late or still has it, to open in Outlook and "
        "send; those who have returned theirs get none.",
    )
    remind.add_argument("plan", type=plan_target, metavar="PLAN")
    remind.add_argument(
        "folder", type=Path, metavar="FOLDER", help="the folder the round's workbooks are in"
    )
    remind.add_argument("--sender", metavar="NAME", help=sender_help)
    remind.add_argument("--email-template", type=Path, metavar="FILE", help=template_help)
    take = round_commands.add_parser("import", help="merge returned workbooks of a round")
    take.add_argument("plan", type=plan_target, metavar="PLAN")
    take.add_argument("files", type=Path, nargs="+", metavar="FILE")
    _merge_options(take)

    history = commands.add_parser(
        "history",
        help="who changed what and when: the plan's change history",
        description="List the changes recorded in the plan, oldest first, one line per "
        "changed field: when, who, the record, the field, the old and new values, and where "
        "the change came from (an edit, an undo, or a partner's return and when it was "
        "merged). Give --csv to write it as a spreadsheet for auditors.",
    )
    history.add_argument("plan", type=plan_target, metavar="PLAN")
    history.add_argument(
        "--action",
        metavar="REF",
        help="only changes to this action, its milestones, people, partner bodies and updates",
    )
    history.add_argument("--since", metavar="DD/MM/YYYY", help="only changes on or after this day")
    history.add_argument(
        "--csv", type=Path, metavar="OUT.csv", help="write it to a CSV file that opens in Excel"
    )
    _add_examples(parser)
    parser.usage = USAGE  # set last: the commands' own usage lines begin "planner COMMAND"
    return parser


USAGE = """planner [FILE.plan | URL] [--screenshot OUT.png]
       planner --self-test
       planner COMMAND ...  (sample, info, check, export, import, round, report, history,
                             new-from-excel, publish, download, shared)"""

MAIN_EXAMPLES = (
    "planner sample northshire.plan",
    "planner info northshire.plan",
    'planner export northshire.plan "College actions.xlsx" --partner "Northshire College"',
    'planner import northshire.plan "College actions.xlsx" --from "Ian Marsden" --apply',
    'planner round start northshire.plan "Q3 round" --by partner --return-by 31/01/2014',
    'planner report northshire.plan "Board report Q3.pdf"',
    "planner northshire.plan --screenshot window.png",
    "planner --self-test",
)

# What each command's --help shows under "Examples:", keyed by the command as typed.
EXAMPLES: dict[str, tuple[str, ...]] = {
    "sample": ("planner sample northshire.plan", "planner sample northshire.plan --force"),
    "publish": (
        'planner publish northshire.plan "postgresql://helen@plans.example.org/partnership"',
    ),
    "download": (
        'planner download "postgresql://helen@plans.example.org/partnership" Northshire '
        "offline.plan",
        'planner download "postgresql://helen@plans.example.org/partnership?plan=1" '
        "offline.plan --force",
    ),
    "shared": (
        'planner shared init "postgresql://planner_owner@plans.example.org/partnership"',
        'planner shared list "postgresql://helen@plans.example.org/partnership"',
    ),
    "shared init": (
        'planner shared init "postgresql://planner_owner@plans.example.org/partnership"',
    ),
    "shared list": ('planner shared list "postgresql://helen@plans.example.org/partnership"',),
    "info": ("planner info northshire.plan", "planner info northshire.plan --json"),
    "check": ("planner check northshire.plan",),
    "export": (
        'planner export northshire.plan "Whole plan.xlsx"',
        'planner export northshire.plan "College actions.xlsx" --partner "Northshire College"',
        'planner export northshire.plan "Infrastructure.xlsx" --theme 4 --no-commentary',
        'planner export northshire.plan "Helen.xlsx" --person "Helen Ashworth" --by "R Calloway"',
    ),
    "import": (
        'planner import northshire.plan "College actions.xlsx" --from "Ian Marsden"',
        'planner import northshire.plan "College actions.xlsx" --from "Ian Marsden" --apply',
    ),
    "round": (
        'planner round start northshire.plan "Q3 round" --by partner --return-by 31/01/2014 '
        "--emails",
        "planner round status northshire.plan",
        'planner round remind northshire.plan "Q3 round"',
        'planner round import northshire.plan "Q3 round"/*.xlsx --apply',
    ),
    "round start": (
        'planner round start northshire.plan "Q3 round" --by partner --return-by 31/01/2014',
        'planner round start northshire.plan "Q3 round" --by partner --emails',
        'planner round start northshire.plan "Leads Q3" --by lead --sender "Helen Ashworth"',
    ),
    "round status": (
        "planner round status northshire.plan",
        'planner round status northshire.plan --csv "Q3 round status.csv"',
    ),
    "round remind": (
        'planner round remind northshire.plan "Q3 round"',
        'planner round remind northshire.plan "Q3 round" --email-template covering.txt',
    ),
    "round import": (
        'planner round import northshire.plan "Q3 round"/*.xlsx',
        'planner round import northshire.plan "Q3 round"/*.xlsx --apply',
    ),
    "report": (
        'planner report northshire.plan "Board report Q3.pdf"',
        'planner report northshire.plan "College report.pdf" --partner "Northshire College"',
        'planner report northshire.plan "Theme 4.pdf" --theme 4 --marking OFFICIAL-SENSITIVE',
    ),
    "history": (
        "planner history northshire.plan --action 3.2 --since 01/01/2014",
        'planner history northshire.plan --csv "Northshire audit trail.csv"',
    ),
    "new-from-excel": (
        'planner new-from-excel "Action tracker.xlsx" tracker.plan --title "ICT delivery plan"',
    ),
}


def _examples(lines: Sequence[str]) -> str:
    return "Examples:\n" + "\n".join(f"  {line}" for line in lines)


def _add_examples(parser: argparse.ArgumentParser, path: str = "") -> None:
    """Give every command's --help its examples (EXAMPLES) and the help layout."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, command in action.choices.items():
                where = f"{path} {name}".strip()
                command.formatter_class = _HelpFormatter
                if where in EXAMPLES:
                    command.epilog = _examples(EXAMPLES[where])
                _add_examples(command, where)


class _HelpFormatter(argparse.HelpFormatter):
    """Wraps descriptions as usual, but keeps a paragraph of indented lines (a heading
    such as "Examples:" and one command a line) as it is written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs = []
        for paragraph in text.split("\n\n"):
            lines = paragraph.splitlines()
            if len(lines) > 1 and all(line.startswith("  ") for line in lines[1:]):
                paragraphs.append("\n".join(indent + line for line in lines))
            else:
                paragraphs.append(super()._fill_text(paragraph, width, indent))
        return "\n\n".join(paragraphs)


def _app_options(options: argparse._ActionsContainer) -> None:
    """The desktop app's options, as `planner --help` lists them and `planner FILE` takes them."""
    options.add_argument(
        "--screenshot",
        type=Path,
        metavar="OUT.png",
        help="open the app (on FILE.plan), save a picture of the window once painted, then exit",
    )
    options.add_argument(
        "--self-test",
        action="store_true",
        help="check that this copy works (builds the window offscreen, exports and merges "
        "a workbook on a temporary sample), then exit: 0 when all is well",
    )


def _merge_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--apply", action="store_true", help="apply the changes and save")
    command.add_argument(
        "--take-returned",
        action="store_true",
        help="in a conflict (with the plan or another return), take this return's value",
    )
    command.add_argument(
        "--take-suggestions",
        action="store_true",
        help="apply the values sent by bodies that do not lead the action (suggestions)",
    )
    command.add_argument("--by", metavar="NAME", help=BY_HELP)
    command.add_argument(
        "--accept-new",
        action="store_true",
        help="add the proposed new actions and milestones to the plan at once, instead of "
        "keeping them for review",
    )


def _choose(preview: object, args: argparse.Namespace) -> None:
    from planner.io.excel.merge import MergePreview

    assert isinstance(preview, MergePreview)
    if args.take_returned:
        preview.take_returned_everywhere()
    if args.take_suggestions:
        preview.take_suggestions()
    if args.accept_new:
        preview.accept_proposals()


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    # Loading the modules makes many objects that live as long as the program: collecting
    # garbage while they load only slows the start. The app turns it back on once its
    # window shows; a subcommand as soon as it starts.
    collecting = gc.isenabled()
    gc.disable()
    try:
        first = args_list[0] if args_list else ""
        if first not in SUBCOMMANDS and first not in ("-h", "--help", "--version"):
            return _open_app(args_list)
        args = _parser().parse_args(args_list)
        if args.command is None:
            return _open_app([])
        handler = {
            "sample": _sample,
            "publish": _publish,
            "download": _download,
            "shared": _shared,
            "info": _info,
            "check": _check,
            "export": _export,
            "report": _report,
            "import": _import,
            "round": _round,
            "history": _history,
            "new-from-excel": _new_from_excel,
        }[args.command]
        if collecting:
            gc.enable()
        with named(getattr(args, "by", None) or getattr(args, "sender", None)):
            return handler(args)
    except PlannerError as error:
        print(f"planner: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("planner: stopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the output went to a pager or `head` that closed early
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0
    finally:
        if collecting:
            gc.enable()


def _sample(args: argparse.Namespace) -> int:
    from planner.io.sample import write_sample

    plan_file = write_sample(args.out, overwrite=args.force)
    plan_file.close()
    print(f"Wrote the Northshire sample plan to {args.out}")
    return 0


def _info(args: argparse.Namespace) -> int:
    from planner.queries import plan_counts
    from planner.queries.proposals import pending_proposals
    from planner.store import schema
    from planner.store.models import Plan
    from planner.store.sqlite_file import inspect_plan

    shared = isinstance(args.plan, str)
    version = schema.SCHEMA_VERSION if shared else inspect_plan(args.plan, check=False)
    with _read_plan(args.plan) as plan_file, plan_file.Session() as session:
        plan = session.get(Plan, plan_file.plan_id)
        assert plan is not None
        counts = plan_counts(session, plan_file.plan_id)
        waiting = pending_proposals(session, plan_file.plan_id)
        rounds, proposals = _rounds_and_proposals(session, plan_file.plan_id)
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
                        "proposals_waiting": waiting,
                        "progress_updates": counts.updates,
                        "update_rounds": rounds,
                        "proposals": proposals,
                    }
                )
            )
            return 0
        print(_summary_text(plan, version, counts))
        print(f"  Update rounds {rounds}, proposals {proposals} (accepted, declined or waiting)")
        if waiting:
            print(f"  Proposals waiting for review: {waiting} (File > Review proposals)")
    return 0


def _rounds_and_proposals(session: Session, plan_id: int) -> tuple[int, int]:
    """How many update rounds the plan has started, and how many proposals (new actions or
    milestones sent in returns) it has received, whatever became of them."""
    from sqlalchemy import func, select

    from planner.store.models import Proposal, UpdateRound

    def count(model: type[UpdateRound] | type[Proposal]) -> int:
        where = model.plan_id == plan_id
        return int(session.scalar(select(func.count()).select_from(model).where(where)) or 0)

    return count(UpdateRound), count(Proposal)


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
        f"  Outcomes {counts.outcomes}, measures {counts.measures}, benefits {counts.benefits}",
    ]
    return "\n".join(lines)


def _check(args: argparse.Namespace) -> int:
    from planner.queries.checks import consistency_problems
    from planner.queries.plausibility import plan_warnings
    from planner.store.sqlite_file import inspect_plan, integrity_problems

    problems: list[str] = []
    warnings: list[str] = []
    if not isinstance(args.plan, str):  # a file: SQLite's own checks first
        inspect_plan(args.plan, check=False)
        problems = integrity_problems(args.plan)
    if not problems:
        with _read_plan(args.plan) as plan_file, plan_file.Session() as s:
            problems = consistency_problems(s, plan_file.plan_id)
            warnings = plan_warnings(s, plan_file.plan_id)
    name = _plan_name(args.plan)
    for problem in problems:
        print(f"{name}: {problem}")
    # values worth a second look never fail the check
    for warning in warnings:
        print(f"{name}: worth checking: {warning}")
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    print(
        f"{name}: no problems found" + (f", {len(warnings)} worth checking." if warnings else ".")
    )
    return 0


def _export(args: argparse.Namespace) -> int:
    from planner.io.excel import ExportOptions, export_workbook, gather
    from planner.io.excel.content import resolve_slice

    with _read_plan(args.plan) as plan_file, plan_file.Session() as session:
        wanted = resolve_slice(session, plan_file.plan_id, args.partner, args.person, args.theme)
        since = None
        if args.since_download:
            from planner.store.transfer import downloaded_at

            since = downloaded_at(session, plan_file.plan_id)
            if since is None:
                raise PlannerError(
                    f"{_plan_name(args.plan)} was not downloaded from a shared plan, so there "
                    "are no changes since a download to send back."
                )
        options = ExportOptions(
            slice=wanted,
            include_descriptions=not args.no_descriptions,
            include_commentary=not args.no_commentary,
            protective_marking=args.marking,
            exported_by=officer_name(args.by),
        )
        content = gather(session, plan_file.plan_id, options, now=since)
    if not content.actions:
        print("planner: no actions match that choice; nothing was exported.", file=sys.stderr)
        return 2
    target = export_workbook(content, args.out, progress=_progress_line("Exporting"))
    print(
        f"Exported {len(content.actions)} actions and {len(content.milestones)} milestones "
        f"to {target}"
    )
    return 0


def _report(args: argparse.Namespace) -> int:
    from planner.io.excel.content import resolve_slice
    from planner.io.report import ReportOptions, gather_report, render_report

    with _read_plan(args.plan) as plan_file, plan_file.Session() as session:
        wanted = resolve_slice(session, plan_file.plan_id, args.partner, [], args.theme)
        options = ReportOptions(
            slice=wanted, protective_marking=args.marking, author=officer_name(args.by)
        )
        content = gather_report(session, plan_file.plan_id, options)
    if not content.actions:
        print("planner: no actions match that choice; no report was written.", file=sys.stderr)
        return 2
    result = render_report(content, args.out, progress=_progress_line("Writing the report"))
    print(f"Wrote the report on {result.actions} actions ({result.pages} pages) to {result.path}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from planner.commands import runner_for
    from planner.io.excel.merge import (
        build_preview,
        merge_command,
        merged_sentence,
        preview_lines,
    )
    from planner.io.excel.reading import read_returned
    from planner.queries.lookups import plan_header
    from planner.queries.names import check_person_name

    plan_file = _open_plan(args.plan, read_only=not args.apply)
    try:
        versions = _versions_now(plan_file)
        with plan_file.Session() as session:
            header = plan_header(session, plan_file.plan_id)
            check_person_name(session, plan_file.plan_id, args.from_name)
            returned = read_returned(args.workbook, header.rag_definitions)
            preview = build_preview(session, plan_file.plan_id, returned, args.from_name)
        _choose(preview, args)
        for line in preview_lines(preview):
            print(line)
        if preview.already_merged or preview.is_empty:
            print("\nNothing to merge; the plan is unchanged.")
            return 0
        if not args.apply:
            print("\nNothing was changed (preview only). Add --apply to merge these changes.")
            return 0
        runner = runner_for(plan_file, who=officer_name(), versions=versions)
        runner.execute(merge_command(preview), source=preview.source_label())
        plan_file.save()
        print(f"\n{merged_sentence(preview)} {_plan_name(args.plan)} and {_saved(args.plan)}.")
        return 0
    finally:
        plan_file.close(discard=True)


def _history(args: argparse.Namespace) -> int:
    from planner.queries.history import change_history, history_table, nothing_found, parse_since

    since = parse_since(args.since)
    with _read_plan(args.plan) as plan_file, plan_file.Session() as session:
        lines = change_history(session, plan_file.plan_id, action_ref=args.action, since=since)
    if args.csv is not None:
        from planner.io.history_csv import write_history_csv

        write_history_csv(lines, args.csv)
        print(f"Wrote {len(lines)} change(s) to {args.csv}")
        return 0
    if not lines:
        print(nothing_found(args.action, since))
        return 0
    for line in history_table(lines):
        print(line)
    return 0


def _new_from_excel(args: argparse.Namespace) -> int:
    from planner.io.excel.new_plan import plan_data_from_workbook
    from planner.io.sample import create_from_data

    data, report = plan_data_from_workbook(args.workbook)
    if not report.actions:
        lines = report.skipped_lines()
        raise PlannerError(
            f"'{args.workbook.name}' holds no actions this program could read"
            + (f" ({lines[0]})" if lines else "")
            + "; no plan was written."
        )
    data["plan"]["title"] = args.title or data["plan"]["title"]
    data["plan"]["organisation"] = args.organisation or data["plan"]["organisation"]
    create_from_data(args.out, data, overwrite=args.force).close()
    print(report.sentence())
    for note in report.notes:
        print(note)
    if report.skipped:
        print(report.skipped_summary())
        for line in report.skipped_lines():
            print(f"  {line}")
    if report.doubtful:
        print("Read, but worth checking in the plan:")
        for line in report.doubtful_lines():
            print(f"  {line}")
    if report.unrecognised:
        print("Columns not recognised, so not read: " + ", ".join(report.unrecognised))
    guessed = (
        " Partner bodies' sectors were guessed from their names; check them in the app."
        if report.guessed_sectors
        else ""
    )
    print(f"Wrote {args.out}.{guessed}")
    return 0


def _round(args: argparse.Namespace) -> int:
    from planner.commands import runner_for
    from planner.domain.dates import parse_uk
    from planner.io import rounds
    from planner.io.excel.merge import build_preview, preview_lines
    from planner.io.excel.reading import read_returned
    from planner.queries.lookups import plan_header

    if args.round_command == "status":
        with _read_plan(args.plan) as plan_file, plan_file.Session() as s:
            lines = rounds.round_status(s, plan_file.plan_id)
        if not lines:
            print("No update rounds have been started for this plan.")
        for text in rounds.status_text(lines):
            print(text)
        if args.csv:
            from planner.io.csv_file import write_csv

            write_csv(rounds.STATUS_HEADINGS, map(rounds.status_cells, lines), args.csv)
            print(f"Wrote the round status to {args.csv}.")
        return 0
    template_file = getattr(args, "email_template", None)
    template = _email_template(template_file) if template_file else None
    if template is not None:
        from planner.io.emails import check_template

        check_template(template)
    if args.round_command == "remind":
        with _read_plan(args.plan) as plan_file, plan_file.Session() as s:
            drafts = rounds.prepare_drafts(
                s,
                plan_file.plan_id,
                sender=officer_name(),
                folder=args.folder,
                reminders=True,
                template=template,
            )
        _report_drafts(drafts, "reminder")
        return 0
    plan_file = _open_plan(args.plan, read_only=args.round_command == "import" and not args.apply)
    try:
        runner = runner_for(plan_file, who=officer_name())
        if args.round_command == "start":
            return_by = parse_uk(args.return_by) if args.return_by else None
            if args.return_by and return_by is None:
                raise PlannerError(f"'{args.return_by}' is not a date (use DD/MM/YYYY).")
            with plan_file.Session() as session:
                started = rounds.start_round(
                    session,
                    plan_file.plan_id,
                    args.folder,
                    args.kind,
                    return_by=return_by,
                    exported_by=officer_name(),
                    title=args.title,
                )
            try:
                runner.execute(started.command, source="update round")
            except BaseException:
                for path in started.files:
                    path.unlink(missing_ok=True)
                raise
            plan_file.save()
            for path in started.files:
                print(path)
            print(f"Started the round: {len(started.files)} workbooks written to {args.folder}.")
            if args.emails:
                with plan_file.Session() as session:
                    drafts = rounds.prepare_drafts(
                        session,
                        plan_file.plan_id,
                        sender=officer_name(),
                        folder=args.folder,
                        template=template,
                    )
                _report_drafts(drafts, "email")
            return 0
        merged = 0
        for path in args.files:
            with plan_file.Session() as session:
                header = plan_header(session, plan_file.plan_id)
                returned = read_returned(path, header.rag_definitions)
                preview = build_preview(session, plan_file.plan_id, returned)
                recipient = rounds.recipient_of(session, plan_file.plan_id, returned)
            _choose(preview, args)
            for text in preview_lines(preview):
                print(text)
            command = rounds.round_merge_command(preview, recipient)
            if args.apply and command is not None:
                runner.execute(command, source=preview.source_label())
                merged += 1
            print()
        if args.apply:
            plan_file.save()
            print(
                f"Merged {merged} returned workbook(s) into {_plan_name(args.plan)} and "
                f"{_saved(args.plan)}."
            )
        else:
            print("Nothing was changed (preview only). Add --apply to merge these changes.")
        return 0
    finally:
        plan_file.close(discard=True)


def _email_template(path: Path) -> str:
    try:
        return path.read_text("utf-8-sig")
    except FileNotFoundError:
        raise PlannerError(f"There is no email template file {path}.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise PlannerError(
            f"The email template {path} could not be read as text ({error})."
        ) from None


def _report_drafts(drafts: DraftsWritten, kind: str) -> None:
    for path in drafts.files:
        print(path)
    print(f"Wrote {len(drafts.files)} {kind} draft(s) (.eml): open each in Outlook and send it.")
    for name in drafts.no_email:
        print(
            f"No email address for {name}: send their workbook yourself, or add one and run again."
        )


def _open_plan(target: Path | str, *, read_only: bool) -> PlanFile | SharedPlan:
    """Open a plan to read, or to change; a plan open elsewhere is not changed. A shared
    plan is changed on its server as each change is made (its save does nothing)."""
    from planner.errors import PlanLockedError
    from planner.store.planfile import PlanFile

    if isinstance(target, str):
        url = target
        return _with_password(lambda password: _open_shared(url, password, read_only))
    try:
        return PlanFile.open(target, read_only=read_only)
    except PlanLockedError as error:
        raise PlannerError(f"{error} It was not changed; try again once it is closed.") from None


def _open_shared(url: str, password: str | None, read_only: bool) -> SharedPlan:
    from planner.store.shared import SharedPlan

    plan = SharedPlan.open(url, password=password, read_only=read_only)
    plan.save = lambda **_options: None  # type: ignore[method-assign]  # a shared plan saves as it goes
    return plan


def _versions_now(plan: PlanFile | SharedPlan) -> EditorVersions | None:
    """On a shared plan, the row versions as the preview about to be shown reads them: a
    record someone changes meanwhile is then refused, not overwritten."""
    from planner.commands.concurrency import EditorVersions, plan_versions

    if not hasattr(plan, "database_user"):
        return None
    versions = EditorVersions(track_seen=True)
    with plan.Session() as session:
        versions.replace_seen(plan_versions(session, plan.plan_id))
    return versions


def _read_plan(target: Path | str) -> PlanFile | SharedPlan:
    return _open_plan(target, read_only=True)


def _plan_name(target: Path | str) -> str:
    return target if isinstance(target, str) else target.name


def _saved(target: Path | str) -> str:
    return "committed it to the shared plan" if isinstance(target, str) else "saved it"


T = TypeVar("T")


def _with_password(work: Callable[[str | None], T]) -> T:
    """Run `work`, asking for the database password on a terminal if the server wants
    one that ~/.pgpass (or PGPASSFILE, or PGPASSWORD) does not give."""
    from planner.store.shared import PasswordNeeded

    try:
        return work(None)
    except PasswordNeeded as error:
        if not sys.stdin.isatty():
            raise PlannerError(
                f"{error} Put it in your PostgreSQL password file (~/.pgpass, or the file "
                "PGPASSFILE names), or run this in a terminal to be asked for it."
            ) from None
        import getpass

        return work(getpass.getpass(f"{error} Password: "))


def _publish(args: argparse.Namespace) -> int:
    from planner.store.shared_location import SharedLocation
    from planner.store.transfer import publish

    listing = _with_password(
        lambda password: publish(args.plan, args.url, password=password, title=args.title)
    )
    address = SharedLocation.parse(args.url).with_plan(listing.id).text
    print(
        f"Published '{listing.title}' ({listing.actions} actions) as plan {listing.id}. "
        f'Open it with: planner "{address}"'
    )
    return 0


def _download(args: argparse.Namespace) -> int:
    from planner.store.shared_location import SharedLocation
    from planner.store.transfer import download

    if len(args.rest) > 2:
        raise PlannerError("Give the URL, optionally the plan's id or title, and OUT.plan.")
    location = SharedLocation.parse(args.url)
    if len(args.rest) == 2:
        location = location.with_plan(args.rest[0])
    out = Path(args.rest[-1])
    plan_file = _with_password(
        lambda password: download(location, out, password=password, overwrite=args.force)
    )
    plan_file.close()
    print(f"Downloaded the shared plan to {out}, for offline work.")
    return 0


def _shared(args: argparse.Namespace) -> int:
    from planner.domain.dates import format_uk
    from planner.store.shared import SharedDatabase
    from planner.store.shared_location import SharedLocation

    location = SharedLocation.parse(args.url)
    database = _with_password(lambda password: SharedDatabase(location, password))
    with database:
        if args.shared_command == "init":
            before, after = database.init()
            if before is None:
                print(f"Created the plan tables (format {after}) in {location.describe()}.")
            elif before == after:
                print(f"{location.describe()} is already at format {after}; nothing to do.")
            else:
                print(f"Upgraded {location.describe()} from format {before} to {after}.")
            return 0
        plans = database.plans()
        if not plans:
            print(f"{location.describe()} holds no plans yet.")
        for plan in plans:
            print(
                f"{plan.id:>4}  {plan.title}  ({plan.organisation}; {plan.actions} actions; "
                f"status date {format_uk(plan.status_date)})"
            )
        return 0


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
    parser.add_argument("file", nargs="?", type=plan_target, metavar="FILE.plan or URL")
    _app_options(parser)
    args = parser.parse_args(args_list)
    if args.self_test:
        from planner.ui.selftest import run_self_test

        return run_self_test()
    from planner.desktop import window_unavailable_reason

    reason = window_unavailable_reason()
    if reason is not None:
        print(f"planner: the app cannot open its window: {reason}.", file=sys.stderr)
        return 2
    if isinstance(args.file, Path):
        from planner.paths import working_dir
        from planner.store.sqlite_file import check_early

        # SQLite checks and copies the file while the modules below load.
        check_early(args.file, copy_into=working_dir())
    # The core first: modules imported after PySide6 load more slowly (its import hook).
    import planner.commands
    import planner.queries
    import planner.store.planfile  # noqa: F401
    from planner.ui.app import run_app

    return run_app(args.file, screenshot=args.screenshot)
