"""Values worth a second look (issue: returns you can trust, items 8 and 9): dates typed
with a two-digit year and cells naming two ratings wait for the officer; plausibility
warnings (completed with open milestones, 100% but not Completed, dates far outside the
plan, a milestone completed in the future) are listed in the preview, kept with the merge
and reported by `planner check`, and never block."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from returns_helpers import action_values, edit_copy, export_slice, merge, preview
from sqlalchemy import select

from planner.cli import main
from planner.commands import EditRecord, runner_for
from planner.io.excel.merge import change_line, change_note, merge_command, preview_lines
from planner.store.models import Action, MergedReturn, Milestone
from planner.store.planfile import PlanFile


@pytest.fixture
def county(sample_path: Path, tmp_path: Path) -> Path:
    """The county council's workbook: it leads almost every action."""
    return export_slice(sample_path, tmp_path / "NCC.xlsx", partner="Northshire County Council")


def test_a_two_digit_year_is_shown_to_check_and_applied_only_when_ticked(
    sample_plan: PlanFile, county: Path, tmp_path: Path
) -> None:
    original = action_values(sample_plan, "4.2")["due"]
    returned = edit_copy(county, tmp_path / "r.xlsx", {("Actions", "4.2", "Due"): "30/6/14"})
    found = preview(sample_plan, returned)
    [due] = found.changes
    assert due.returned_value == date(2014, 6, 30)
    assert due.doubt and "two-digit year" in due.doubt and not due.take_returned
    assert "Check this date:" in change_note(due)
    merge(sample_plan, returned)
    assert action_values(sample_plan, "4.2")["due"] == original
    again = edit_copy(county, tmp_path / "r2.xlsx", {("Actions", "4.2", "Due"): "30/6/14"})
    found = preview(sample_plan, again)
    assert [c.column for c in found.changes] == []  # this copy's value was held already
    fresh = export_slice(
        sample_plan.path, tmp_path / "NCC2.xlsx", partner="Northshire County Council"
    )
    ticked = preview(
        sample_plan, edit_copy(fresh, tmp_path / "r3.xlsx", {("Actions", "4.2", "Due"): "31/7/14"})
    )
    [due] = ticked.changes
    due.take_returned = True
    runner_for(sample_plan, who="Helen Ashworth").execute(merge_command(ticked))
    assert action_values(sample_plan, "4.2")["due"] == date(2014, 7, 31)


def test_a_cell_naming_two_ratings_waits_for_a_pick_and_holds_its_commentary(
    sample_plan: PlanFile, county: Path, tmp_path: Path
) -> None:
    returned = edit_copy(
        county,
        tmp_path / "r.xlsx",
        {
            ("Actions", "4.3", "RAG"): "Amber/Red",
            ("Actions", "4.3", "Latest update"): "Supplier late.",
        },
    )
    found = preview(sample_plan, returned)
    rag = next(c for c in found.changes if c.column == "RAG")
    words = next(c for c in found.changes if c.column == "Latest update")
    assert rag.waiting_for_pick and set(rag.choices) == {"A", "R"}
    assert not rag.take_returned and not words.take_returned
    rag.take_returned = True  # nothing to take until a value is picked
    assert not rag.take_returned
    assert change_line(rag).endswith("[check: not applied unless confirmed]")
    assert "returned 'Amber/Red' (choose Amber or Red)" in change_line(rag)
    rag.pick("R")
    assert rag.take_returned and words.take_returned
    runner_for(sample_plan, who="Helen Ashworth").execute(merge_command(found))
    assert action_values(sample_plan, "4.3")["rag"] == "R"


def test_tbc_keeps_the_plans_value_and_says_so(
    sample_plan: PlanFile, county: Path, tmp_path: Path
) -> None:
    returned = edit_copy(county, tmp_path / "r.xlsx", {("Actions", "4.3", "RAG"): "TBC"})
    found = preview(sample_plan, returned)
    assert found.changes == []
    assert any("TBC" in note for note in found.ignored), found.ignored


def test_implausible_values_are_listed_kept_with_the_merge_and_never_block(
    sample_plan: PlanFile, county: Path, tmp_path: Path
) -> None:
    with sample_plan.Session() as session:
        milestone = session.scalars(
            select(Milestone.uid)
            .join(Action, Action.id == Milestone.action_id)
            .where(Action.ref == "4.1", Milestone.completed_on.is_(None))
        ).first()
    assert milestone is not None
    future = (date.today() + timedelta(days=40)).strftime("%d/%m/%Y")
    returned = edit_copy(
        county,
        tmp_path / "r.xlsx",
        {
            ("Actions", "4.1", "Status"): "Completed",
            ("Actions", "4.3", "% complete"): 100,
            ("Milestones", milestone, "Completed"): future,
        },
    )
    found = preview(sample_plan, returned)
    assert any(w.startswith("Action 4.1 is Completed but") for w in found.warnings), found.warnings
    assert "Action 4.3 is 100% complete but its status is In progress." in found.warnings
    assert any("in the future" in w for w in found.warnings), found.warnings
    lines = preview_lines(found)
    assert "Check: Action 4.3 is 100% complete but its status is In progress." in lines
    assert all(change.take_returned for change in found.changes if change.field != "completed_on")
    merge(sample_plan, returned)
    assert action_values(sample_plan, "4.3")["percent"] == 100
    with sample_plan.Session() as session:
        kept = session.scalars(select(MergedReturn.warnings)).one()
    assert "Action 4.3 is 100% complete but its status is In progress." in kept


def test_planner_check_lists_what_is_worth_checking_without_failing(
    sample_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with PlanFile.open(sample_path) as plan_file:
        runner = runner_for(plan_file, who="Helen Ashworth")
        with plan_file.Session() as session:
            ids = {ref: row_id for ref, row_id in session.execute(select(Action.ref, Action.id))}
        runner.execute(EditRecord("action", ids["4.3"], {"percent": 100}))
        runner.execute(EditRecord("action", ids["4.4"], {"due": date(2019, 3, 31)}))
        plan_file.save()
    code = main(["check", str(sample_path)])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    name = sample_path.name
    assert (
        f"{name}: worth checking: Action 4.3 is 100% complete but its status is In progress." in out
    )
    assert (
        f"{name}: worth checking: Action 4.4's due date 31/03/2019 is more than 2 years after "
        "the plan ends (31/03/2015)."
    ) in out
    assert out[-1] == f"{name}: no problems found, 2 worth checking."
