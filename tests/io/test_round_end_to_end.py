"""A whole update round, as a partnership's programme office runs it (issue: returns you
can trust, item 13).

The sample plan goes to its partner bodies in one round. Six of them send their copies
back edited the way people do: typed over in a spreadsheet program and re-saved by
LibreOffice (where it is installed), saved with a sheet that understates its size, with a
stray value far down a sheet, with the Actions sheet renamed, in Excel's Strict format,
and one sent twice. The returns are merged in every order of the four that touch the
same actions (after the other two), and once more: every order gives the same plan, the
second copy changes nothing, and each partner's update lands as the rules say."""

from __future__ import annotations

import itertools
import shutil
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from returns_helpers import action_values, canonical, edit_copy, updates_of
from sqlalchemy import select
from workbook_fixtures import (
    rename_sheet,
    resave_with_libreoffice,
    to_strict,
    understate_dimension,
    with_stray_cell,
)

from planner.commands import runner_for
from planner.io.excel.merge import build_preview
from planner.io.excel.reading import ReturnedWorkbook, read_returned
from planner.io.rounds import recipient_of, round_merge_command, round_status, start_round
from planner.queries.lookups import plan_header
from planner.store.models import Proposal
from planner.store.planfile import PlanFile

COUNTY = "Northshire County Council"
EASTVALE = "Eastvale District Council"
FIRE = "Northshire Fire and Rescue Service"
POLICE = "Northshire Police / Office of the PCC"
COLLEGE = "Northshire College"
CVS = "Northshire CVS"


@dataclass(frozen=True)
class Round:
    plan: Path  # the plan with the round started
    returned: dict[str, Path]  # body -> its returned copy
    resaved_by_libreoffice: bool


@pytest.fixture(scope="module")
def round_returned(tmp_path_factory: pytest.TempPathFactory) -> Round:
    from planner.io.sample import write_sample

    folder = tmp_path_factory.mktemp("round")
    plan = folder / "northshire.plan"
    write_sample(plan, data_dir=folder / "user-data").close()
    sent = folder / "sent"
    sent.mkdir()
    with PlanFile.open(plan, data_dir=folder / "user-data") as plan_file:
        with plan_file.Session() as session:
            started = start_round(
                session,
                plan_file.plan_id,
                sent,
                "partner",
                return_by=None,
                exported_by="Helen Ashworth",
            )
        runner_for(plan_file, who="Helen Ashworth").execute(started.command)
        plan_file.save()
    workbook = {recipient(path): path for path in started.files}
    back = folder / "back"
    back.mkdir()
    returned: dict[str, Path] = {}

    # The county council leads almost everything: a new rating with its reason, a % and a
    # proposed action, typed in and re-saved by LibreOffice.
    county = edit_copy(
        workbook[COUNTY],
        back / "county.xlsx",
        {
            ("Actions", "4.2", "RAG"): "Amber",
            (
                "Actions",
                "4.2",
                "Latest update",
            ): "Code of Connection submitted; CESG review in January.",
            ("Actions", "4.4", "% complete"): "90%",
        },
        [
            (
                "Actions",
                {
                    "Theme": "4. Local Public Services Infrastructure",
                    "Action": "Shared Wi-Fi in council buildings",
                    "Lead officer": "Priya Sharma",
                    "Due": "31/03/2015",
                },
            )
        ],
    )
    resaved = resave_with_libreoffice(county, back / "libreoffice")
    returned[COUNTY] = resaved or county

    # Eastvale delivers 2.1 but does not lead it: a suggested % and its own note, in a
    # copy whose Actions sheet declares a smaller size than it holds.
    eastvale = edit_copy(
        workbook[EASTVALE],
        back / "eastvale edited.xlsx",
        {
            ("Actions", "2.1", "% complete"): 75,
            ("Actions", "2.1", "Latest update"): "Our service desk moves over in March.",
        },
    )
    returned[EASTVALE] = understate_dimension(eastvale, back / "eastvale.xlsx", "Actions")

    # The fire service's note on 3.4, with a stray value in the sheet's last cell.
    fire = edit_copy(
        workbook[FIRE],
        back / "fire edited.xlsx",
        {("Actions", "3.4", "Latest update"): "Fire control joins the shared service in May."},
    )
    returned[FIRE] = with_stray_cell(fire, back / "fire.xlsx", "Actions", "XFD1048576")

    # The police rename the Actions sheet.
    police = edit_copy(
        workbook[POLICE],
        back / "police edited.xlsx",
        {("Actions", "1.3", "Latest update"): "PCC's office now sits on the board."},
    )
    returned[POLICE] = rename_sheet(police, back / "police.xlsx", "Actions", "Our actions")

    # The college saves in Strict format, with a note and a proposal.
    college = edit_copy(
        workbook[COLLEGE],
        back / "college edited.xlsx",
        {("Actions", "6.1", "Latest update"): "Wi-Fi live in all four college sites."},
        [
            (
                "Actions",
                {"Theme": "6. Digital Access & Inclusion", "Action": "Digital skills open days"},
            )
        ],
    )
    returned[COLLEGE] = to_strict(college, back / "college.xlsx")

    # The CVS leaves the rating to be confirmed and adds a note on 6.1 too.
    returned[CVS] = edit_copy(
        workbook[CVS],
        back / "cvs.xlsx",
        {
            ("Actions", "6.1", "RAG"): "TBC",
            ("Actions", "6.1", "Latest update"): "Volunteers trained for the library hubs.",
        },
    )
    return Round(plan, returned, resaved is not None)


def recipient(path: Path) -> str:
    meta = openpyxl.load_workbook(path, read_only=True)["_planner"]
    return next(str(row[1]) for row in meta.iter_rows(values_only=True) if row[0] == "recipient")


def read_all(plan: PlanFile, paths: dict[str, Path]) -> dict[str, ReturnedWorkbook]:
    with plan.Session() as session:
        rags = plan_header(session, plan.plan_id).rag_definitions
    return {body: read_returned(path, rags) for body, path in paths.items()}


def merge_returned(plan: PlanFile, returned: ReturnedWorkbook) -> bool:
    """Merge with the preview's own choices; False when there was nothing to do."""
    with plan.Session() as session:
        preview = build_preview(session, plan.plan_id, returned)
        recipient = recipient_of(session, plan.plan_id, returned)
    command = round_merge_command(preview, recipient)
    if command is None:
        return False
    runner_for(plan, who="Helen Ashworth").execute(command, source=preview.source_label())
    return True


def test_a_round_merges_the_same_in_every_order_and_once_only(
    round_returned: Round, tmp_path: Path
) -> None:
    first, overlapping = (POLICE, FIRE), (COUNTY, EASTVALE, COLLEGE, CVS)
    results = []
    for number, order in enumerate(itertools.permutations(overlapping)):
        plan_path = tmp_path / f"plan-{number}.plan"
        shutil.copyfile(round_returned.plan, plan_path)
        with PlanFile.open(plan_path, data_dir=tmp_path / "user-data") as plan:
            returns = read_all(plan, round_returned.returned)
            assert all(not r.problems for r in returns.values()), {
                body: r.problems for body, r in returns.items() if r.problems
            }
            for body in (*first, *order):
                assert merge_returned(plan, returns[body]), body
            results.append(canonical(plan))
            if number == 0:
                check_what_landed(plan)
                # The CVS's copy again: already merged, nothing changes.
                assert not merge_returned(plan, returns[CVS])
                assert canonical(plan) == results[0]
                plan.save()
                saved = plan_path.read_bytes()
                assert not merge_returned(
                    plan, read_all(plan, {CVS: round_returned.returned[CVS]})[CVS]
                )
                plan.save()
                assert plan_path.read_bytes() == saved
    assert all(result == results[0] for result in results[1:])


def check_what_landed(plan: PlanFile) -> None:
    # The county council leads 4.2 and 4.4: its rating, reason and % are in the plan.
    assert action_values(plan, "4.2")["rag"] == "A"
    assert updates_of(plan, "4.2")[-1]["commentary"] == (
        "Code of Connection submitted; CESG review in January."
    )
    assert updates_of(plan, "4.2")[-1]["rag"] == "A"
    assert action_values(plan, "4.4")["percent"] == 90
    # Eastvale's % is a suggestion; its words are its note.
    assert action_values(plan, "2.1")["percent"] == 60
    note = updates_of(plan, "2.1")[-1]
    assert (note["commentary"], note["body"]) == ("Our service desk moves over in March.", EASTVALE)
    # The stray cell, the renamed sheet and the Strict copy lost nothing.
    assert updates_of(plan, "3.4")[-1]["body"] == FIRE
    assert updates_of(plan, "1.3")[-1]["body"] == POLICE
    bodies = {u["body"] for u in updates_of(plan, "6.1")}
    assert {COLLEGE, CVS} <= bodies
    assert action_values(plan, "6.1")["rag"] == "G"  # TBC kept the plan's rating
    with plan.Session() as session:
        proposals = {
            p.title: p.state
            for p in session.scalars(select(Proposal).where(Proposal.return_id.is_not(None)))
        }
        status = {line.recipient: line.returned_on for line in round_status(session, plan.plan_id)}
    assert proposals == {
        "Shared Wi-Fi in council buildings": "pending",
        "Digital skills open days": "pending",
    }
    assert all(status[body] is not None for body in (COUNTY, EASTVALE, FIRE, POLICE, COLLEGE, CVS))


def test_the_county_councils_copy_was_resaved_by_libreoffice(round_returned: Round) -> None:
    if not round_returned.resaved_by_libreoffice:
        pytest.skip(
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui"
        )
    assert round_returned.returned[COUNTY].parent.name == "libreoffice"
