"""A round's returns give the same plan in any order, merged once or again (issue: returns
you can trust, items 1 and 3), checked over random edits and orders.

The sample goes out in two rounds started together, one workbook per partner body and one
per lead officer, so the county council (lead partner of most actions) and the lead
officers own the same actions. Five of those workbooks come back with random edits to a
few shared actions; they are merged in a fixed order into one copy of the plan and in a
random order, with some copies merged twice, into another. The two plans must hold the
same, and a field that two owners set differently must keep the plan's own value."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from returns_helpers import action_values, canonical, edit_copy, merge

from planner.commands import EditRecord, runner_for
from planner.io.rounds import start_round
from planner.store.planfile import PlanFile

RETURNS = (
    "Northshire County Council",
    "Eastvale District Council",
    "Northshire Fire and Rescue Service",
    "Helen Ashworth",
    "Claire Dobson",
)
SHARED = ("1.3", "2.1", "3.3", "3.4")
VALUES: dict[str, tuple[Any, ...]] = {
    "RAG": ("Red", "Amber", "Green"),
    "Status": ("In progress", "On hold"),
    "% complete": (30, 50, 90),
    "Due": ("31/03/2015", "30/06/2015"),
    "Latest update": ("On track.", "Slipping: supplier late.", "Done, awaiting sign-off."),
}
# returned figures: a measure period's actual (and what explains it), a benefit's realised
FIGURES: dict[str, tuple[Any, ...]] = {"Actual": (4, 38.5, 41.0), "Realised": (0, 95000, 120000)}
FIGURE_NOTES = ("Provisional until the January reconciliation.", "Confirmed by the source.")
FIELDS = {"RAG": "rag", "Status": "status", "% complete": "percent", "Due": "due"}
STORED = {
    "Red": "R",
    "Amber": "A",
    "Green": "G",
    "In progress": "in_progress",
    "On hold": "on_hold",
}


@dataclass(frozen=True)
class Round:
    plan: Path
    workbooks: dict[str, Path]  # recipient -> the workbook sent
    refs: dict[str, set[str]]  # recipient -> the action refs in their workbook
    # recipient -> (sheet, row ID) of the measure periods and benefit years they may return
    figures: dict[str, list[tuple[str, str]]]
    owners: dict[str, set[str]]  # action ref -> the recipients who own its progress


@pytest.fixture(scope="module")
def sent_round(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Round]:
    from planner.io.sample import write_sample

    folder = tmp_path_factory.mktemp("any-order")
    plan = folder / "northshire.plan"
    write_sample(plan, data_dir=folder / "user-data").close()
    workbooks: dict[str, Path] = {}
    with PlanFile.open(plan, data_dir=folder / "user-data") as plan_file:
        runner = runner_for(plan_file, who="Helen Ashworth")
        for kind in ("partner", "lead"):
            out = folder / kind
            out.mkdir()
            with plan_file.Session() as session:
                started = start_round(
                    session,
                    plan_file.plan_id,
                    out,
                    kind,
                    return_by=None,
                    exported_by="Helen Ashworth",
                )
            runner.execute(started.command)
            for path in started.files:
                recipient = path.stem.rsplit(" - ", 1)[1]
                if recipient in RETURNS:
                    workbooks[recipient] = path
        plan_file.save()
    refs: dict[str, set[str]] = {}
    for recipient, path in workbooks.items():
        sheet = openpyxl.load_workbook(path, read_only=True)["Actions"]
        rows = sheet.iter_rows(values_only=True)
        ref_column = list(next(rows)).index("Ref")
        refs[recipient] = {row[ref_column] for row in rows if row and row[ref_column]}
    figures = {recipient: figure_rows(path) for recipient, path in workbooks.items()}
    owners = {
        ref: {recipient for recipient in RETURNS if owns(plan, recipient, ref)} for ref in SHARED
    }
    yield Round(plan, workbooks, refs, figures, owners)


def figure_rows(path: Path) -> list[tuple[str, str]]:
    """The IDs of a workbook's measure rows for Q3 2013/14 and its benefit rows for
    2013/14: the figures a partner returns in the round."""
    book = openpyxl.load_workbook(path, read_only=True)
    found: list[tuple[str, str]] = []
    for sheet_name, heading, wanted in (
        ("Measures", "Period", "Q3 2013/14"),
        ("Benefits", "Year", "2013/14"),
    ):
        if sheet_name not in book.sheetnames:
            continue
        rows = book[sheet_name].iter_rows(values_only=True)
        headings = list(next(rows))
        found += [
            (sheet_name, str(row[0]))
            for row in rows
            if row and row[0] and row[headings.index(heading)] == wanted
        ]
    return found


def owns(plan: Path, recipient: str, ref: str) -> bool:
    from sqlalchemy import select

    from planner.store.models import Action, ActionPartner, ActionPerson, Partner, Person

    with PlanFile.open(plan, read_only=True) as plan_file, plan_file.Session() as session:
        action = session.scalars(select(Action.id).where(Action.ref == ref)).one()
        lead_partner = session.scalars(
            select(Partner.name)
            .join(ActionPartner, ActionPartner.partner_id == Partner.id)
            .where(ActionPartner.action_id == action, ActionPartner.role == "lead")
        ).all()
        lead = session.scalars(
            select(Person.name)
            .join(ActionPerson, ActionPerson.person_id == Person.id)
            .where(ActionPerson.action_id == action, ActionPerson.role == "A")
        ).all()
    return recipient in lead_partner or recipient in lead


@st.composite
def returns(draw: st.DrawFn, sent: Round) -> dict[str, dict[tuple[str, str, str], Any]]:
    chosen: dict[str, dict[tuple[str, str, str], Any]] = {}
    for recipient in RETURNS:
        refs = sorted(set(SHARED) & sent.refs[recipient])
        if not refs or draw(st.integers(0, 3)) == 0:
            continue
        edits: dict[tuple[str, str, str], Any] = {}
        for _ in range(draw(st.integers(1, 3))):
            ref = draw(st.sampled_from(refs))
            heading = draw(st.sampled_from(("RAG", "RAG", "% complete", *sorted(VALUES))))
            edits[("Actions", ref, heading)] = draw(st.sampled_from(VALUES[heading]))
        figures = sent.figures[recipient]
        for _ in range(draw(st.integers(0, 2)) if figures else 0):
            sheet, row_id = draw(st.sampled_from(figures))
            heading = "Actual" if sheet == "Measures" else "Realised"
            edits[(sheet, row_id, heading)] = draw(st.sampled_from(FIGURES[heading]))
            if sheet == "Measures" and draw(st.booleans()):
                edits[(sheet, row_id, "Commentary")] = draw(st.sampled_from(FIGURE_NOTES))
        chosen[recipient] = edits
    return chosen


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_rounds_returns_give_the_same_plan_in_any_order_and_merged_again(
    sent_round: Round, data: st.DataObject
) -> None:
    anyone = data.draw(st.booleans(), label="anyone may change progress")
    edited = data.draw(returns(sent_round), label="edits")
    if not edited:
        return
    if any(sheet != "Actions" for edits in edited.values() for sheet, _, _ in edits):
        event("measure or benefit figures returned")
    with tempfile.TemporaryDirectory(prefix="any-order-") as name:
        folder = Path(name)
        files = {
            recipient: edit_copy(
                sent_round.workbooks[recipient], folder / f"{recipient}.xlsx", edits
            )
            for recipient, edits in edited.items()
        }
        order = data.draw(st.permutations(sorted(files)), label="order")
        again = data.draw(
            st.lists(st.sampled_from(sorted(files)), max_size=2), label="merged again"
        )
        plans = []
        for number, sequence in enumerate((sorted(files), [*order, *again])):
            plan = folder / f"plan-{number}.plan"
            shutil.copyfile(sent_round.plan, plan)
            with PlanFile.open(plan, data_dir=folder / "user-data") as plan_file:
                if anyone:
                    runner_for(plan_file, who="Helen Ashworth").execute(
                        EditRecord("plan", plan_file.plan_id, {"return_rule": "anyone"})
                    )
                original = {ref: action_values(plan_file, ref) for ref in SHARED}
                for recipient in sequence:
                    merge(plan_file, files[recipient])
                plans.append(canonical(plan_file))
                finals = {ref: action_values(plan_file, ref) for ref in SHARED}
        assert plans[0] == plans[1]

        # A field two owners set to different values keeps the plan's own value.
        for ref in SHARED:
            for heading, field in FIELDS.items():
                sent_values = {
                    str(edits[("Actions", ref, heading)])
                    for recipient, edits in edited.items()
                    if ("Actions", ref, heading) in edits
                    and (anyone or recipient in sent_round.owners[ref])
                    and _differs(original[ref][field], edits[("Actions", ref, heading)])
                }
                if len(sent_values) > 1:
                    event("two owners set one field differently")
                    assert finals[ref][field] == original[ref][field], (ref, heading)


def _differs(plan_value: Any, typed: Any) -> bool:
    if isinstance(typed, str) and "/" in typed:
        day, month, year = (int(part) for part in typed.split("/"))
        return str(plan_value) != f"{year:04d}-{month:02d}-{day:02d}"
    return plan_value != STORED.get(typed, typed)
