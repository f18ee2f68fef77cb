"""Returns merged exactly once, by whoever may change what, with each change and its reason
together, and new rows kept for review (issue: returns you can trust, items 1 to 5).

Each test sends a slice of the Northshire sample out as an officer would (a partner body's
or a person's workbook), edits a copy as the partner would, and merges it: through the
command line where that is how an officer would do it, else through the core."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from returns_helpers import (
    action_values,
    canonical,
    counts,
    edit_copy,
    export_slice,
    merge,
    preview,
    updates_of,
)
from sqlalchemy import select

from planner.cli import main
from planner.commands import EditRecord, runner_for
from planner.commands.proposals import AcceptProposal, DeclineProposal
from planner.store.models import JournalEntry, MergedReturn, Partner, Person, Proposal
from planner.store.planfile import PlanFile


def cli(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def college(sample_path: Path, tmp_path: Path) -> Path:
    """Northshire College's workbook, as sent to it."""
    return export_slice(sample_path, tmp_path / "College.xlsx", partner="Northshire College")


def set_rule(path: Path, rule: str) -> None:
    with PlanFile.open(path) as plan_file:
        runner_for(plan_file, who="Helen Ashworth").execute(
            EditRecord("plan", plan_file.plan_id, {"return_rule": rule})
        )
        plan_file.save()


# ----- 1. merged once -------------------------------------------------------------------


def test_every_workbook_names_its_plan_export_recipient_and_time(college: Path) -> None:
    meta = {
        row[0]: row[1]
        for row in openpyxl.load_workbook(college, read_only=True)["_planner"].iter_rows(
            values_only=True
        )
    }
    assert meta["recipient"] == "Northshire College"
    assert len(str(meta["export_id"])) == 32 and len(str(meta["recipient_partner"])) == 32
    assert meta["plan_id"] and meta["exported_at"]
    read_me = [
        row
        for row in openpyxl.load_workbook(college, read_only=True)["Read me"].iter_rows(
            values_only=True
        )
    ]
    assert ("Sent to", "Northshire College") in [tuple(row[:2]) for row in read_me]


def test_merging_the_same_return_twice_changes_nothing_and_says_so(
    sample_path: Path, college: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    returned = edit_copy(
        college,
        tmp_path / "College returned.xlsx",
        {
            ("Actions", "6.1", "Latest update"): "Wi-Fi live in all four college sites.",
            ("Actions", "6.1", "RAG"): "Amber",
        },
        [
            (
                "Actions",
                {
                    "Theme": "6. Digital Access & Inclusion",
                    "Action": "Digital skills open days at the college",
                    "Lead officer": "Ian Marsden",
                    "Due": "31/07/2014",
                },
            ),
            (
                "Milestones",
                {"Action ref": "6.1", "Milestone": "Survey of users", "Due": "30/05/2014"},
            ),
        ],
    )
    code, out, err = cli(
        capsys, "import", sample_path, returned, "--from", "Ian Marsden", "--apply"
    )
    assert (code, err) == (0, ""), out
    with PlanFile.open(sample_path, read_only=True) as plan_file:
        once = canonical(plan_file)
        counted = counts(plan_file)
    titles = [proposal[1] for proposal in once["proposals"]]
    assert len(once["returns"]) == 1
    assert {"Digital skills open days at the college", "Survey of users"} <= set(titles)
    saved = sample_path.read_bytes()

    code, out, err = cli(
        capsys, "import", sample_path, returned, "--from", "Ian Marsden", "--apply"
    )
    assert (code, err) == (0, "")
    with PlanFile.open(sample_path, read_only=True) as plan_file, plan_file.Session() as session:
        merged = session.scalars(select(MergedReturn)).one()
    assert (
        f"This return from Ian Marsden, Northshire College was merged on "
        f"{merged.merged_at:%d/%m/%Y} by {merged.merged_by}; nothing new in it."
    ) in out.splitlines()
    assert "Nothing to merge; the plan is unchanged." in out
    assert sample_path.read_bytes() == saved

    # The same copy saved again (other bytes, same content) has nothing new either.
    again = tmp_path / "College returned again.xlsx"
    resaved = openpyxl.load_workbook(returned)
    resaved.properties.lastModifiedBy = "Ian Marsden"
    resaved.save(again)
    assert again.read_bytes() != returned.read_bytes()
    code, out, _ = cli(capsys, "import", sample_path, again, "--from", "Ian Marsden", "--apply")
    assert code == 0 and "No changes to merge: nothing new in this return." in out
    assert sample_path.read_bytes() == saved
    with PlanFile.open(sample_path, read_only=True) as plan_file:
        assert canonical(plan_file) == once and counts(plan_file) == counted


def test_a_later_copy_of_the_same_return_merges_only_what_differs(
    sample_plan: PlanFile, college: Path, tmp_path: Path
) -> None:
    first = edit_copy(
        college,
        tmp_path / "first.xlsx",
        {("Actions", "6.1", "Latest update"): "Wi-Fi live in all four college sites."},
    )
    merge(sample_plan, first, "Ian Marsden")
    second = edit_copy(
        first,
        tmp_path / "second.xlsx",
        {("Actions", "7.2", "Latest update"): "Apprentices start in September."},
    )
    found = preview(sample_plan, second, "Ian Marsden")
    assert [(c.label, c.column) for c in found.changes] == [("Action 7.2", "Latest update")]
    merge(sample_plan, second, "Ian Marsden")
    texts = [u["commentary"] for u in updates_of(sample_plan, "6.1")]
    assert texts.count("Wi-Fi live in all four college sites.") == 1


# ----- 2. who may change what ---------------------------------------------------------------


def test_the_lead_bodies_change_progress_and_others_send_suggestions_and_notes(
    sample_plan: PlanFile, sample_path: Path, tmp_path: Path
) -> None:
    eastvale = export_slice(sample_path, tmp_path / "EDC.xlsx", partner="Eastvale District Council")
    county = export_slice(sample_path, tmp_path / "NCC.xlsx", partner="Northshire County Council")
    before = {ref: action_values(sample_plan, ref) for ref in ("2.1", "2.2")}
    # Eastvale delivers 2.1 but does not lead it; the county council leads both.
    from_eastvale = edit_copy(
        eastvale,
        tmp_path / "EDC returned.xlsx",
        {
            ("Actions", "2.1", "% complete"): 75,
            ("Actions", "2.1", "Latest update"): "Our service desk moves in March.",
        },
    )
    found = preview(sample_plan, from_eastvale, "Neil Fairbrother")
    by_column = {c.column: c for c in found.changes}
    assert by_column["% complete"].suggestion and not by_column["% complete"].take_returned
    assert by_column["Latest update"].choice.note and by_column["Latest update"].take_returned
    merge(sample_plan, from_eastvale, "Neil Fairbrother")
    assert action_values(sample_plan, "2.1") == before["2.1"]
    note = updates_of(sample_plan, "2.1")[-1]
    assert (note["commentary"], note["author"], note["body"]) == (
        "Our service desk moves in March.",
        "Neil Fairbrother",
        "Eastvale District Council",
    )
    assert note["rag"] == before["2.1"]["rag"] and note["percent"] == before["2.1"]["percent"]

    from_county = edit_copy(
        county,
        tmp_path / "NCC returned.xlsx",
        {
            ("Actions", "2.2", "RAG"): "Red",
            ("Actions", "2.2", "Latest update"): "Supplier has withdrawn; re-tendering.",
        },
    )
    merge(sample_plan, from_county, "Joanne Hartley")
    assert action_values(sample_plan, "2.2")["rag"] == "R"
    update = updates_of(sample_plan, "2.2")[-1]
    assert (update["rag"], update["author"], update["body"]) == (
        "R",
        "Joanne Hartley",
        "Northshire County Council",
    )


def test_a_suggestion_is_applied_when_the_officer_takes_it(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    eastvale = export_slice(sample_path, tmp_path / "EDC.xlsx", partner="Eastvale District Council")
    returned = edit_copy(eastvale, tmp_path / "r.xlsx", {("Actions", "2.1", "% complete"): 75})
    code, out, _ = cli(capsys, "import", sample_path, returned, "--apply")
    assert "Action 2.1, % complete: plan 60% -> returned 75% [suggestion: not applied" in out
    with PlanFile.open(sample_path, read_only=True) as plan_file:
        assert action_values(plan_file, "2.1")["percent"] == 60
    again = edit_copy(eastvale, tmp_path / "r2.xlsx", {("Actions", "2.1", "% complete"): 80})
    code, out, _ = cli(capsys, "import", sample_path, again, "--apply", "--take-suggestions")
    assert code == 0
    with PlanFile.open(sample_path, read_only=True) as plan_file:
        assert action_values(plan_file, "2.1")["percent"] == 80


def test_the_rule_is_a_plan_setting_stated_in_the_read_me(
    sample_path: Path, tmp_path: Path
) -> None:
    def read_me_text(path: Path) -> str:
        sheet = openpyxl.load_workbook(path, read_only=True)["Read me"]
        return " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)

    owners = export_slice(
        sample_path, tmp_path / "owners.xlsx", partner="Eastvale District Council"
    )
    assert "changed by its lead officer and lead partner body" in read_me_text(owners)
    set_rule(sample_path, "anyone")
    anyone = export_slice(
        sample_path, tmp_path / "anyone.xlsx", partner="Eastvale District Council"
    )
    assert "Anyone this workbook is sent to may change" in read_me_text(anyone)
    returned = edit_copy(anyone, tmp_path / "r.xlsx", {("Actions", "2.1", "% complete"): 75})
    with PlanFile.open(sample_path) as plan_file:
        merge(plan_file, returned)
        assert action_values(plan_file, "2.1")["percent"] == 75


# ----- 3. any order ------------------------------------------------------------------------


def test_two_returns_that_set_one_field_differently_conflict_in_either_order(
    sample_path: Path, tmp_path: Path
) -> None:
    set_rule(sample_path, "anyone")
    eastvale = export_slice(sample_path, tmp_path / "EDC.xlsx", partner="Eastvale District Council")
    fire = export_slice(
        sample_path, tmp_path / "NFRS.xlsx", partner="Northshire Fire and Rescue Service"
    )
    red = edit_copy(
        eastvale,
        tmp_path / "EDC returned.xlsx",
        {
            ("Actions", "2.1", "RAG"): "Red",
            ("Actions", "2.1", "Latest update"): "Desk move slipped to May.",
            ("Actions", "2.2", "% complete"): 70,
        },
    )
    amber = edit_copy(
        fire,
        tmp_path / "NFRS returned.xlsx",
        {
            ("Actions", "2.1", "RAG"): "Amber",
            ("Actions", "2.1", "Latest update"): "Fire control moves first.",
        },
    )
    results = []
    for order in ((red, amber), (amber, red)):
        copy = tmp_path / f"plan-{len(results)}.plan"
        shutil.copyfile(sample_path, copy)
        with PlanFile.open(copy) as plan_file:
            merge(plan_file, order[0])
            second = preview(plan_file, order[1])
            [conflict] = [c for c in second.changes if c.column == "RAG"]
            assert conflict.in_conflict and not conflict.take_returned
            [rival] = conflict.rivals
            assert rival.sender == (
                "Eastvale District Council"
                if order[0] is red
                else "Northshire Fire and Rescue Service"
            )
            merge(plan_file, order[1])
            results.append(canonical(plan_file))
            # the plan keeps its own rating, and neither commentary lands without its rating
            assert action_values(plan_file, "2.1")["rag"] == "G"
            texts = [u["commentary"] for u in updates_of(plan_file, "2.1")]
            assert "Desk move slipped to May." not in texts
            assert "Fire control moves first." not in texts
            assert action_values(plan_file, "2.2")["percent"] == 70
    assert results[0] == results[1]


def test_the_officer_picks_one_return_and_its_commentary_comes_with_it(
    sample_plan: PlanFile, sample_path: Path, tmp_path: Path
) -> None:
    runner_for(sample_plan, who="Helen Ashworth").execute(
        EditRecord("plan", sample_plan.plan_id, {"return_rule": "anyone"})
    )
    eastvale = export_slice(sample_path, tmp_path / "EDC.xlsx", partner="Eastvale District Council")
    fire = export_slice(
        sample_path, tmp_path / "NFRS.xlsx", partner="Northshire Fire and Rescue Service"
    )
    merge(
        sample_plan,
        edit_copy(
            eastvale,
            tmp_path / "EDC returned.xlsx",
            {("Actions", "2.1", "RAG"): "Red", ("Actions", "2.1", "Latest update"): "Slipped."},
        ),
    )
    second = preview(
        sample_plan,
        edit_copy(
            fire,
            tmp_path / "NFRS returned.xlsx",
            {("Actions", "2.1", "RAG"): "Amber", ("Actions", "2.1", "Latest update"): "At risk."},
        ),
    )
    [rag] = [c for c in second.changes if c.column == "RAG"]
    rag.take_returned = True
    from planner.io.excel.merge import merge_command

    runner_for(sample_plan, who="Helen Ashworth").execute(merge_command(second))
    assert action_values(sample_plan, "2.1")["rag"] == "A"
    texts = [u["commentary"] for u in updates_of(sample_plan, "2.1")]
    assert "At risk." in texts and "Slipped." not in texts


# ----- 4. a change and its reason together ---------------------------------------------------


def test_a_rating_the_plan_changed_since_is_held_with_its_commentary(
    sample_plan: PlanFile, sample_path: Path, tmp_path: Path
) -> None:
    county = export_slice(sample_path, tmp_path / "NCC.xlsx", partner="Northshire County Council")
    runner = runner_for(sample_plan, who="Helen Ashworth")
    ref = sample_plan
    with ref.Session() as session:
        from planner.store.models import Action

        action_id = session.scalars(select(Action.id).where(Action.ref == "4.2")).one()
    runner.execute(EditRecord("action", action_id, {"rag": "A"}))
    returned = edit_copy(
        county,
        tmp_path / "r.xlsx",
        {("Actions", "4.2", "RAG"): "Green", ("Actions", "4.2", "Latest update"): "Recovered."},
    )
    found = preview(sample_plan, returned, "Ruth Calloway")
    rag = next(c for c in found.changes if c.column == "RAG")
    words = next(c for c in found.changes if c.column == "Latest update")
    assert rag.conflict and not rag.take_returned and not words.take_returned
    assert rag.choice is words.choice  # ticking one ticks both
    from planner.io.excel.merge import change_note

    assert change_note(rag).startswith(
        f"Conflict: changed by Helen Ashworth on {date.today():%d/%m/%Y} in the plan"
    )
    merge(sample_plan, returned, "Ruth Calloway")
    assert action_values(sample_plan, "4.2")["rag"] == "A"
    assert "Recovered." not in [u["commentary"] for u in updates_of(sample_plan, "4.2")]


# ----- 5. proposals wait for review ----------------------------------------------------------


def test_proposals_wait_for_review_and_are_accepted_or_declined_undoably(
    sample_path: Path, college: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    returned = edit_copy(
        college,
        tmp_path / "College returned.xlsx",
        {},
        [
            (
                "Actions",
                {
                    "Theme": "6. Digital Access & Inclusion",
                    "Action": "Digital skills open days at the college",
                    "Lead officer": "Jo Bloggs",
                    "Due": "31/07/2014",
                    "Partners": "Northshire CVS",
                },
            ),
            (
                "Actions",
                {
                    "Theme": "7. Professionalism & Capability",
                    "Action": "Joint apprenticeship fair",
                    "Lead officer": "Ian Marsden",
                },
            ),
        ],
    )
    before = json.loads(cli(capsys, "info", sample_path, "--json")[1])["counts"]
    code, out, _ = cli(capsys, "import", sample_path, returned, "--from", "Ian Marsden", "--apply")
    assert code == 0 and "2 proposals kept for review" in out
    assert json.loads(cli(capsys, "info", sample_path, "--json")[1])["counts"] == before
    exported = export_slice(sample_path, tmp_path / "after.xlsx")
    titles = [
        row[3]
        for row in openpyxl.load_workbook(exported, read_only=True)["Actions"].iter_rows(
            values_only=True
        )
    ]
    assert "Digital skills open days at the college" not in titles

    with PlanFile.open(sample_path) as plan_file:
        with plan_file.Session() as session:
            kept = {p.title: p for p in session.scalars(select(Proposal))}
            college_id = session.scalars(
                select(Partner.id).where(Partner.name == "Northshire College")
            ).one()
            ian = session.scalars(select(Person.id).where(Person.name == "Ian Marsden")).one()
        open_days = kept["Digital skills open days at the college"]
        fair = kept["Joint apprenticeship fair"]
        assert (open_days.state, open_days.partner_id, open_days.lead_name) == (
            "pending",
            college_id,
            "Jo Bloggs",
        )
        assert open_days.lead_person_id is None and fair.lead_person_id == ian
        assert open_days.proposed_by == "Ian Marsden, Northshire College"

        runner = runner_for(plan_file, who="Helen Ashworth")
        plain = canonical(plan_file)
        accepted = runner.execute(AcceptProposal(open_days.id))
        with plan_file.Session() as session:
            jo = session.scalars(select(Person).where(Person.name == "Jo Bloggs")).one()
            assert jo.organisation_id == college_id
        added = {
            a[1]: (ref_uid, a)
            for ref_uid, a in canonical(plan_file)["actions"].items()
            if ref_uid not in plain["actions"]
        }
        (_, action) = added["Digital skills open days at the college"]
        assert action[0] == "6.4" and action[3] == date(2014, 7, 31)
        runner.undo(accepted)
        assert canonical(plan_file) == plain
        runner.execute(DeclineProposal(fair.id))
        with plan_file.Session() as session:
            declined = session.get(Proposal, fair.id)
            assert declined is not None
            assert (declined.state, declined.decided_by) == ("declined", "Helen Ashworth")
            journal = session.scalars(
                select(JournalEntry).where(JournalEntry.entity == "proposal")
            ).all()
        assert {entry.field for entry in journal} >= {"(created)", "state"}


def test_accept_new_adds_proposals_with_their_lead_and_partner_at_once(
    sample_path: Path, college: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    returned = edit_copy(
        college,
        tmp_path / "College returned.xlsx",
        {},
        [
            (
                "Actions",
                {
                    "Theme": "6. Digital Access & Inclusion",
                    "Action": "Digital skills open days at the college",
                    "Lead officer": "Ian Marsden",
                },
            )
        ],
    )
    code, out, _ = cli(
        capsys, "import", sample_path, returned, "--from", "Ian Marsden", "--apply", "--accept-new"
    )
    assert code == 0 and "1 new record added" in out, out
    with PlanFile.open(sample_path, read_only=True) as plan_file, plan_file.Session() as session:
        from planner.store.models import Action, ActionPartner, ActionPerson

        action = session.scalars(
            select(Action).where(Action.title == "Digital skills open days at the college")
        ).one()
        lead = session.scalars(
            select(Person.name)
            .join(ActionPerson, ActionPerson.person_id == Person.id)
            .where(ActionPerson.action_id == action.id, ActionPerson.role == "A")
        ).one()
        bodies = session.scalars(
            select(Partner.name)
            .join(ActionPartner, ActionPartner.partner_id == Partner.id)
            .where(ActionPartner.action_id == action.id)
        ).all()
    assert (action.ref, lead, bodies) == ("6.4", "Ian Marsden", ["Northshire College"])


# ----- dates that need a look -----------------------------------------------------------------


def test_a_date_far_outside_the_plan_period_is_held_for_a_check(
    sample_plan: PlanFile, sample_path: Path, tmp_path: Path
) -> None:
    county = export_slice(sample_path, tmp_path / "NCC.xlsx", partner="Northshire County Council")
    returned = edit_copy(county, tmp_path / "r.xlsx", {("Actions", "4.2", "Due"): "31/03/2027"})
    found = preview(sample_plan, returned)
    [due] = found.changes
    assert due.doubt == "more than 2 years after the plan ends (31/03/2015)"
    assert not due.take_returned
    from planner.io.excel.merge import change_line, change_note

    assert change_line(due).endswith("[check: not applied unless confirmed]")
    assert "Check this date: more than 2 years after the plan ends" in change_note(due)
    due.take_returned = True
    from planner.io.excel.merge import merge_command

    runner_for(sample_plan, who="Helen Ashworth").execute(merge_command(found))
    assert action_values(sample_plan, "4.2")["due"] == date(2027, 3, 31)


def test_each_merged_change_names_the_return_it_came_from(
    sample_plan: PlanFile, sample_path: Path, tmp_path: Path
) -> None:
    county = export_slice(sample_path, tmp_path / "NCC.xlsx", partner="Northshire County Council")
    merge(sample_plan, edit_copy(county, tmp_path / "r.xlsx", {("Actions", "4.2", "RAG"): "Amber"}))
    with sample_plan.Session() as session:
        merged = session.scalars(select(MergedReturn)).one()
        entries = session.scalars(
            select(JournalEntry).where(JournalEntry.entity == "action", JournalEntry.field == "rag")
        ).all()
    assert [(e.new_value, e.return_id) for e in entries][-1] == ("A", merged.id)


def test_a_note_the_officer_unticks_is_left_out(
    sample_plan: PlanFile, sample_path: Path, tmp_path: Path
) -> None:
    eastvale = export_slice(sample_path, tmp_path / "EDC.xlsx", partner="Eastvale District Council")
    returned = edit_copy(
        eastvale, tmp_path / "r.xlsx", {("Actions", "2.1", "Latest update"): "Not for the board."}
    )
    found = preview(sample_plan, returned, "Neil Fairbrother")
    [note] = found.changes
    assert note.choice.note and note.take_returned
    note.take_returned = False
    from planner.io.excel.merge import merge_command

    runner_for(sample_plan, who="Helen Ashworth").execute(merge_command(found))
    assert "Not for the board." not in [u["commentary"] for u in updates_of(sample_plan, "2.1")]
    assert preview(sample_plan, returned, "Neil Fairbrother").already_merged
