"""The model rules and the command layer: every change, its exact inverse, the journal.

Every test works on its own copy of the Northshire sample plan. Commands are applied
through the runner, as the program does; the whole plan is compared before and after
(`snapshot`), so an inverse that leaves any trace behind fails.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from planner.commands import (
    AddProgressUpdate,
    Applied,
    Batch,
    Command,
    CommandRunner,
    CreateRecord,
    DeleteRecord,
    EditRecord,
    MoveAction,
    MoveTheme,
    ReadOnlyError,
    Rebaseline,
    SaveOutcome,
    SetLeadOfficer,
    deletion_effects,
    next_free_ref,
    runner_for,
)
from planner.commands.records import KINDS
from planner.errors import NotFoundError, ValidationError
from planner.store.models import CONTENT_MODELS, JournalEntry
from planner.store.planfile import PlanFile

Snapshot = dict[str, list[tuple[Any, ...]]]


# ----- fixtures and helpers ---------------------------------------------------------


def content(tbl: Any) -> Any:
    """A table's columns without its row version, which counts changes (undo included)."""
    return select(*[column for column in tbl.c if column.name != "row_version"])


def snapshot(plan_file: PlanFile) -> Snapshot:
    """Every row of every plan-content table (not the journal), as sorted tuples."""
    with plan_file.Session() as session:
        return {
            model.__tablename__: sorted(
                (tuple(row) for row in session.execute(content(model.__table__))),
                key=lambda row: row[0],
            )
            for model in CONTENT_MODELS
        }


def row(plan_file: PlanFile, table_name: str, row_id: int) -> dict[str, Any] | None:
    model = next(m for m in CONTENT_MODELS if m.__tablename__ == table_name)
    with plan_file.Session() as session:
        found = session.execute(content(model.__table__).where(model.__table__.c.id == row_id))
        mapping = found.mappings().one_or_none()
        return dict(mapping) if mapping is not None else None


def rows(plan_file: PlanFile, table_name: str, **where: Any) -> list[dict[str, Any]]:
    model = next(m for m in CONTENT_MODELS if m.__tablename__ == table_name)
    tbl = model.__table__
    query = content(tbl).order_by(tbl.c.id)
    for name, value in where.items():
        query = query.where(tbl.c[name].is_(None) if value is None else tbl.c[name] == value)
    with plan_file.Session() as session:
        return [dict(found) for found in session.execute(query).mappings()]


def one_id(plan_file: PlanFile, table_name: str, **where: Any) -> int:
    found = rows(plan_file, table_name, **where)
    assert len(found) == 1, f"expected one {table_name} with {where}, found {len(found)}"
    return int(found[0]["id"])


def action_id(plan_file: PlanFile, ref: str) -> int:
    return one_id(plan_file, "action", ref=ref)


def person_id(plan_file: PlanFile, name: str) -> int:
    return one_id(plan_file, "person", name=name)


def partner_id(plan_file: PlanFile, name: str) -> int:
    return one_id(plan_file, "partner", name=name)


def outcome_id(plan_file: PlanFile, title: str) -> int:
    return one_id(plan_file, "outcome", title=title)


def measure_id(plan_file: PlanFile, name: str) -> int:
    return one_id(plan_file, "measure", name=name)


def benefit_id(plan_file: PlanFile, title: str) -> int:
    return one_id(plan_file, "benefit", title=title)


ONLINE = "Share of the top ten transactions completed online"
SAVINGS = "Public money saved through shared ICT services"
CONTRACTS = "Renegotiated joint software contracts"


def round_id(plan_file: PlanFile) -> int:
    """The plan's update round, started (with one recipient) on first use; the sample has none."""
    found = rows(plan_file, "update_round")
    if found:
        return int(found[0]["id"])
    runner = runner_for(plan_file, who="Test Officer")
    started = runner.execute(
        CreateRecord(
            "update_round",
            {
                "title": "Update Q3 2013-14",
                "recipients": "partner",
                "as_at": date(2013, 12, 31),
                "return_by": date(2014, 1, 31),
                "started_on": date(2014, 1, 6),
            },
        )
    )
    new_round = started.changes[0].row_id
    runner.execute(
        CreateRecord(
            "round_recipient",
            {
                "round_id": new_round,
                "partner_id": partner_id(plan_file, "Northshire CVS"),
                "name": "Northshire CVS",
                "file_name": "Northshire plan - update Q3 2013-14 - Northshire CVS.xlsx",
            },
        )
    )
    return new_round


def returned_value_id(plan_file: PlanFile) -> int:
    """A value the merged return sent, recorded on first use."""
    found = rows(plan_file, "returned_value")
    if found:
        return int(found[0]["id"])
    values = CREATES["returned_value"](plan_file)
    runner = runner_for(plan_file, who="Test Officer")
    return runner.execute(CreateRecord("returned_value", values)).changes[0].row_id


def proposal_id(plan_file: PlanFile) -> int:
    """A proposed action waiting for review, recorded on first use."""
    found = rows(plan_file, "proposal")
    if found:
        return int(found[0]["id"])
    runner = runner_for(plan_file, who="Test Officer")
    values = CREATES["proposal"](plan_file)
    return runner.execute(CreateRecord("proposal", values)).changes[0].row_id


MERGED_RETURN: dict[str, Any] = {
    "export_id": "5f0c2b8e9a7d4c1e8b3a6d2f1e0c9b8a",
    "fingerprint": "9" * 64,
    "file_name": "Northshire plan - update Q3 2013-14 - Northshire College.xlsx",
    "recipient": "Northshire College",
    "returned_by": "Sarah Whitfield",
    "exported_at": datetime(2014, 1, 6, 9, 30),
    "returned_at": datetime(2014, 1, 20, 16, 5),
    "merged_at": datetime(2014, 1, 21, 10, 0),
    "merged_by": "Helen Ashworth",
}


def merged_return_id(plan_file: PlanFile) -> int:
    """A merged return from Northshire College, recorded on first use; the sample has none."""
    found = rows(plan_file, "merged_return")
    if found:
        return int(found[0]["id"])
    runner = runner_for(plan_file, who="Test Officer")
    values = {**MERGED_RETURN, "partner_id": partner_id(plan_file, "Northshire College")}
    return runner.execute(CreateRecord("merged_return", values)).changes[0].row_id


def recipient_id(plan_file: PlanFile) -> int:
    return one_id(plan_file, "round_recipient", round_id=round_id(plan_file))


def theme_id(plan_file: PlanFile, number: int) -> int:
    return one_id(plan_file, "theme", number=number)


def theme_order(plan_file: PlanFile, number: int) -> list[str]:
    """Action refs of a theme in the order the plan shows them."""
    tid = theme_id(plan_file, number)
    found = rows(plan_file, "action", theme_id=tid)
    return [a["ref"] for a in sorted(found, key=lambda a: (a["position"], a["id"]))]


def journal(plan_file: PlanFile, after_id: int = 0) -> list[JournalEntry]:
    with plan_file.Session() as session:
        return list(
            session.scalars(
                select(JournalEntry).where(JournalEntry.id > after_id).order_by(JournalEntry.id)
            )
        )


def last_journal_id(plan_file: PlanFile) -> int:
    with plan_file.Session() as session:
        return int(session.scalar(select(func.max(JournalEntry.id))) or 0)


def round_trip(
    runner: CommandRunner,
    plan_file: PlanFile,
    command: Command,
    check_after: Callable[[Applied], None] | None = None,
) -> Applied:
    """Apply, check, undo (exact original), redo (exact after-state), undo again."""
    before = snapshot(plan_file)
    applied = runner.execute(command)
    after = snapshot(plan_file)
    assert after != before, "the command changed nothing"
    if check_after is not None:
        check_after(applied)
    undone = runner.execute(applied.inverse)
    assert snapshot(plan_file) == before, "the inverse did not restore the plan exactly"
    redone = runner.execute(undone.inverse)
    assert snapshot(plan_file) == after, "redo did not give the after-state again"
    runner.undo(redone)
    assert snapshot(plan_file) == before
    return applied


def refused(
    runner: CommandRunner,
    plan_file: PlanFile,
    command: Command,
    field: str,
    *words: str,
) -> ValidationError:
    """The command is refused on `field` with a message containing `words`; nothing changes."""
    before = snapshot(plan_file)
    journal_before = last_journal_id(plan_file)
    with pytest.raises(ValidationError) as caught:
        runner.execute(command)
    assert caught.value.field == field, str(caught.value)
    message = str(caught.value)
    for word in words:
        assert word.casefold() in message.casefold(), message
    assert snapshot(plan_file) == before
    assert last_journal_id(plan_file) == journal_before
    return caught.value


# ----- create, edit and delete each kind, with exact inverses -----------------------

CREATES: dict[str, Callable[[PlanFile], dict[str, Any]]] = {
    "outcome": lambda p: {
        "title": "Fewer people wait in person for council services",
        "description": "Residents get what they need at the first contact.",
        "position": 4,
    },
    "outcome_link": lambda p: {
        "outcome_id": outcome_id(p, SAVINGS),
        "theme_id": None,
        "action_id": action_id(p, "3.5"),
    },
    "measure": lambda p: {
        "name": "Average days to answer a data-sharing request",
        "unit": "days",
        "better": "lower",
        "frequency": "quarterly",
        "outcome_id": outcome_id(p, "Partners share information safely over one network"),
        "owner_id": person_id(p, "Gareth Lloyd"),
        "baseline_value": 12.5,
        "baseline_on": date(2013, 3, 31),
    },
    "measure_value": lambda p: {
        "measure_id": measure_id(p, ONLINE),
        "year": 2015,
        "quarter": 1,
        "target": 68.0,
        "actual": None,
        "commentary": "",
    },
    "benefit": lambda p: {
        "action_id": action_id(p, "3.5"),
        "title": "Lower cost per printed page",
        "kind": "cashable",
        "partner_id": partner_id(p, "Eastvale District Council"),
        "evidence": "Print audit, spring 2014.",
    },
    "benefit_value": lambda p: {
        "benefit_id": benefit_id(p, CONTRACTS),
        "year": 2014,
        "planned": 180000,
        "realised": None,
        "validated_by_id": None,
    },
    "budget_line": lambda p: {
        "action_id": action_id(p, "3.5"),
        "year": 2014,
        "budget": 120000,
        "spent": 0,
        "note": "Print audit and tender.",
    },
    "funding": lambda p: {
        "action_id": action_id(p, "3.4"),
        "partner_id": partner_id(p, "Northshire Fire and Rescue Service"),
        "year": 2013,
        "amount": 25000,
    },
    "update_round": lambda p: {
        "title": "Update Q4 2013-14",
        "recipients": "lead",
        "as_at": date(2014, 3, 31),
        "return_by": date(2014, 4, 25),
        "started_on": date(2014, 4, 7),
    },
    "round_recipient": lambda p: {
        "round_id": round_id(p),
        "person_id": person_id(p, "Claire Dobson"),
        "name": "Claire Dobson",
        "file_name": "Northshire plan - update Q3 2013-14 - Claire Dobson.xlsx",
    },
    "theme": lambda p: {"number": 8, "title": "Partnership Communications"},
    "partner": lambda p: {
        "name": "Northshire Housing Trust",
        "short_name": "NHT",
        "sector": "civil_society",
    },
    "partner_contact": lambda p: {
        "partner_id": partner_id(p, "Northshire CVS"),
        "name": "Amy Rhodes",
        "role": "Volunteer Centre Manager",
        "email": "amy.rhodes@northshirecvs.org.uk",
        "phone": "01632 960 418",
        "round_contact": False,
    },
    "person": lambda p: {
        "name": "Amira Khan",
        "job_title": "Data Protection Officer",
        "organisation_id": partner_id(p, "Northshire County Council"),
        "email": "amira.khan@northshire.gov.uk",
    },
    "action": lambda p: {
        "theme_id": theme_id(p, 3),
        "ref": "3.6",
        "title": "Shared telephony platform",
        "description": "One telephony contract for the county and district councils.",
        "start": date(2014, 1, 6),
        "due": date(2015, 3, 31),
        "status": "not_started",
    },
    "action_person": lambda p: {
        "action_id": action_id(p, "3.5"),
        "person_id": person_id(p, "Martin Greaves"),
        "role": "I",
    },
    "action_partner": lambda p: {
        "action_id": action_id(p, "3.5"),
        "partner_id": partner_id(p, "Northshire CVS"),
        "role": "funder",
    },
    "milestone": lambda p: {
        "action_id": action_id(p, "3.5"),
        "title": "Print strategy approved by Partnership Board",
        "due": date(2014, 5, 22),
        "owner_id": person_id(p, "Claire Dobson"),
        "note": "Needs the survey results first.",
    },
    "progress_update": lambda p: {
        "action_id": action_id(p, "3.5"),
        "as_at": date(2013, 12, 31),
        "status": "not_started",
        "percent": 0,
        "commentary": "Survey questionnaire agreed with the four partners.",
        "author_id": person_id(p, "Claire Dobson"),
    },
    "merged_return": lambda p: {
        **MERGED_RETURN,
        "partner_id": partner_id(p, "Northshire College"),
    },
    "returned_value": lambda p: {
        "return_id": merged_return_id(p),
        "entity": "action",
        "record_uid": rows(p, "action")[0]["uid"],
        "field": "rag",
        "value": "A",
        "outcome": "applied",
    },
    "proposal": lambda p: {
        "kind": "action",
        "title": "College open days on digital skills",
        "details": '{"theme": 6, "due": "2014-07-31"}',
        "partner_id": partner_id(p, "Northshire College"),
        "proposed_by": "Sarah Whitfield",
        "proposed_on": date(2014, 1, 20),
        "lead_name": "Sarah Whitfield",
        "state": "pending",
    },
    "rag_definition": lambda p: {
        "code": "GR",
        "name": "Grey",
        "colour": "#95A5A6",
        "meaning": "Not started yet.",
        "position": 4,
    },
}


def test_every_kind_but_the_plan_can_be_created() -> None:
    assert set(CREATES) == set(KINDS) - {"plan"}


@pytest.mark.parametrize("kind", sorted(CREATES))
def test_create_record_and_its_inverse(
    kind: str, sample_plan: PlanFile, runner: CommandRunner
) -> None:
    values = CREATES[kind](sample_plan)
    count_before = len(rows(sample_plan, kind))

    def check(applied: Applied) -> None:
        (new_id,) = applied.touched(kind)
        created = row(sample_plan, kind, new_id)
        assert created is not None
        for name, value in values.items():
            assert created[name] == value, name
        assert len(rows(sample_plan, kind)) == count_before + 1
        if "uid" in created:
            assert len(created["uid"]) == 32

    applied = round_trip(runner, sample_plan, CreateRecord(kind, values), check)
    assert applied.description.startswith("Add ")
    assert len(rows(sample_plan, kind)) == count_before


def test_created_action_goes_to_the_end_of_its_theme(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    applied = runner.execute(CreateRecord("action", CREATES["action"](sample_plan)))
    assert theme_order(sample_plan, 3) == ["3.1", "3.2", "3.3", "3.4", "3.5", "3.6"]
    created = row(sample_plan, "action", next(iter(applied.touched("action"))))
    assert created is not None
    assert created["position"] == 5
    assert created["plan_id"] == sample_plan.plan_id
    assert created["percent"] == 0 and created["rag"] is None


def test_created_record_gets_defaults_for_values_not_given(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    applied = runner.execute(
        CreateRecord(
            "action", {"theme_id": theme_id(sample_plan, 1), "ref": "1.5", "title": "Board review"}
        )
    )
    created = row(sample_plan, "action", next(iter(applied.touched("action"))))
    assert created is not None
    assert created["status"] == "not_started"
    assert created["description"] == ""
    assert created["percent"] == 0
    assert created["rag"] is None


def test_text_is_trimmed_and_blank_rag_means_unrated(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    aid = action_id(sample_plan, "1.3")
    runner.execute(EditRecord("action", aid, {"title": "  Refresh governance  ", "rag": "  "}))
    edited = row(sample_plan, "action", aid)
    assert edited is not None
    assert edited["title"] == "Refresh governance"
    assert edited["rag"] is None


EDITS: dict[str, tuple[Callable[[PlanFile], int], dict[str, Any]]] = {
    "outcome": (
        lambda p: outcome_id(p, SAVINGS),
        {"title": "Public money saved by sharing ICT", "description": "Validated savings."},
    ),
    "outcome_link": (
        lambda p: one_id(
            p,
            "outcome_link",
            outcome_id=outcome_id(p, SAVINGS),
            theme_id=None,
            action_id=action_id(p, "3.3"),
        ),
        {"action_id": lambda p: action_id(p, "3.5")},
    ),
    "measure": (
        lambda p: measure_id(p, ONLINE),
        {"frequency": "annual", "baseline_value": 17.5, "definition": "Counted each year."},
    ),
    "measure_value": (
        lambda p: one_id(
            p, "measure_value", measure_id=measure_id(p, ONLINE), year=2013, quarter=3
        ),
        {"actual": 39.0, "commentary": "Revised after the January reconciliation."},
    ),
    "benefit": (
        lambda p: benefit_id(p, CONTRACTS),
        {"kind": "non_cashable", "evidence": "Invoices checked again in 2014."},
    ),
    "benefit_value": (
        lambda p: one_id(p, "benefit_value", benefit_id=benefit_id(p, CONTRACTS), year=2013),
        {
            "realised": 150000,
            "validated_by_id": lambda p: person_id(p, "Martin Greaves"),
            "validated_on": date(2014, 1, 15),
        },
    ),
    "budget_line": (
        lambda p: one_id(p, "budget_line", action_id=action_id(p, "3.4"), year=2013),
        {"spent": 640000, "note": "January payroll included."},
    ),
    "funding": (
        lambda p: one_id(
            p,
            "funding",
            action_id=action_id(p, "3.4"),
            year=2013,
            partner_id=partner_id(p, "Eastvale District Council"),
        ),
        {"amount": 275000},
    ),
    "merged_return": (merged_return_id, {"returned_by": "Sarah Whitfield (Head of IT)"}),
    "returned_value": (returned_value_id, {"outcome": "declined"}),
    "proposal": (
        proposal_id,
        {"state": "declined", "decided_by": "Helen Ashworth", "decided_on": date(2014, 1, 22)},
    ),
    "update_round": (round_id, {"return_by": date(2014, 2, 7), "title": "Q3 update"}),
    "round_recipient": (
        recipient_id,
        {"returned_on": date(2014, 1, 30), "returned_by": "Linda Marsh"},
    ),
    "plan": (
        lambda p: p.plan_id,
        {
            "title": "Northshire Partnership Delivery Plan 2011-2015 (refreshed)",
            "status_date": date(2014, 3, 31),
            "protective_marking": "OFFICIAL-SENSITIVE",
        },
    ),
    "theme": (lambda p: theme_id(p, 2), {"title": "Organisational Change, Redesign & Culture"}),
    "partner": (
        lambda p: partner_id(p, "NHS Northshire"),
        {"name": "NHS Northshire CCG", "short_name": "Northshire CCG"},
    ),
    "person": (
        lambda p: person_id(p, "Neil Fairbrother"),
        {
            "job_title": "Director of Shared Services",
            "email": "neil.fairbrother@northshire.gov.uk",
            "organisation_id": lambda p: partner_id(p, "Northshire County Council"),
        },
    ),
    "action": (
        lambda p: action_id(p, "3.4"),
        {
            "title": "Implement the Northshire shared ICT service",
            "status": "on_hold",
            "rag": "A",
            "percent": 30,
            "due": date(2015, 9, 30),
        },
    ),
    "action_person": (
        lambda p: one_id(
            p,
            "action_person",
            action_id=action_id(p, "1.3"),
            person_id=person_id(p, "Stephen Rowley"),
        ),
        {"role": "R"},
    ),
    "action_partner": (
        lambda p: one_id(
            p,
            "action_partner",
            action_id=action_id(p, "1.3"),
            partner_id=partner_id(p, "Northern Ambulance Service NHS Trust"),
        ),
        {"role": "delivery"},
    ),
    "milestone": (
        lambda p: one_id(
            p, "milestone", title="Memorandum of understanding signed by all ten partners"
        ),
        {"completed_on": date(2014, 3, 28), "note": "All ten partners signed at last."},
    ),
    "progress_update": (
        lambda p: one_id(
            p, "progress_update", action_id=action_id(p, "1.3"), as_at=date(2013, 12, 31)
        ),
        {"commentary": "Nine of ten partners have now signed.", "percent": 90, "rag": "A"},
    ),
    "rag_definition": (
        lambda p: one_id(p, "rag_definition", code="R"),
        {"meaning": "Off track: escalate to the Partnership Board.", "colour": "#FF0000"},
    ),
    "partner_contact": (
        lambda p: one_id(p, "partner_contact", name="Joan Pike"),
        {"email": "j.pike@northshirecvs.org.uk", "phone": "07700 900123", "role": "Digital lead"},
    ),
}


def test_every_kind_can_be_edited() -> None:
    assert set(EDITS) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(EDITS))
def test_edit_record_and_its_inverse(
    kind: str, sample_plan: PlanFile, runner: CommandRunner
) -> None:
    find, given = EDITS[kind]
    record_id = find(sample_plan)
    values = {
        name: (value(sample_plan) if callable(value) else value) for name, value in given.items()
    }
    original = row(sample_plan, kind, record_id)
    assert original is not None
    assert any(original[name] != value for name, value in values.items())

    def check(applied: Applied) -> None:
        edited = row(sample_plan, kind, record_id)
        assert edited is not None
        for name, value in values.items():
            assert edited[name] == value, name
        untouched = set(original) - set(values)
        assert {n: edited[n] for n in untouched} == {n: original[n] for n in untouched}
        assert applied.touched(kind) == {record_id}

    applied = round_trip(runner, sample_plan, EditRecord(kind, record_id, values), check)
    # the undo menu names what changed, e.g. "Change title, status, ... of 3.4"
    labels = [KINDS[kind].fields[name].label.casefold() for name in values]
    assert all(label in applied.description.casefold() for label in labels), applied.description


def test_edit_description_names_the_action(sample_plan: PlanFile, runner: CommandRunner) -> None:
    applied = runner.execute(EditRecord("action", action_id(sample_plan, "3.4"), {"percent": 30}))
    assert "3.4" in applied.description
    assert "% complete" in applied.description


def test_person_edit_moves_them_to_another_organisation(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    pid = person_id(sample_plan, "Neil Fairbrother")
    ncc = partner_id(sample_plan, "Northshire County Council")
    runner.execute(EditRecord("person", pid, {"organisation_id": ncc}))
    edited = row(sample_plan, "person", pid)
    assert edited is not None and edited["organisation_id"] == ncc
    runner.execute(EditRecord("person", pid, {"organisation_id": None}))
    edited = row(sample_plan, "person", pid)
    assert edited is not None and edited["organisation_id"] is None


def test_an_edit_that_changes_nothing_writes_nothing(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    aid = action_id(sample_plan, "2.1")
    original = row(sample_plan, "action", aid)
    assert original is not None
    before = snapshot(sample_plan)
    mark = last_journal_id(sample_plan)
    applied = runner.execute(
        EditRecord("action", aid, {"title": original["title"], "percent": original["percent"]})
    )
    assert applied.changes == ()
    assert snapshot(sample_plan) == before
    assert journal(sample_plan, mark) == []


DELETES: dict[str, Callable[[PlanFile], int]] = {
    "outcome": lambda p: outcome_id(p, SAVINGS),  # has links and measures
    "outcome_link": lambda p: one_id(
        p,
        "outcome_link",
        outcome_id=outcome_id(p, SAVINGS),
        action_id=None,
        theme_id=theme_id(p, 3),
    ),
    "measure": lambda p: measure_id(p, ONLINE),  # has figures
    "measure_value": lambda p: one_id(
        p, "measure_value", measure_id=measure_id(p, ONLINE), year=2013, quarter=3
    ),
    "benefit": lambda p: benefit_id(p, CONTRACTS),  # has figures, one validated
    "benefit_value": lambda p: one_id(
        p, "benefit_value", benefit_id=benefit_id(p, CONTRACTS), year=2012
    ),
    "budget_line": lambda p: one_id(p, "budget_line", action_id=action_id(p, "3.4"), year=2013),
    "funding": lambda p: one_id(
        p, "funding", action_id=action_id(p, "4.1"), partner_id=partner_id(p, "NHS Northshire")
    ),
    "partner_contact": lambda p: one_id(p, "partner_contact", name="Margaret Bell"),
    "merged_return": merged_return_id,
    "returned_value": returned_value_id,
    "proposal": proposal_id,
    "update_round": round_id,
    "round_recipient": recipient_id,
    "theme": lambda p: theme_id(p, 1),
    "partner": lambda p: partner_id(p, "Eastvale District Council"),
    "person": lambda p: person_id(p, "Gareth Lloyd"),
    "action": lambda p: action_id(p, "3.1"),  # has a re-baselining on record
    "action_person": lambda p: one_id(
        p, "action_person", action_id=action_id(p, "1.3"), person_id=person_id(p, "Stephen Rowley")
    ),
    "action_partner": lambda p: one_id(
        p, "action_partner", action_id=action_id(p, "3.5"), role="lead"
    ),
    "milestone": lambda p: one_id(
        p, "milestone", title="Print baseline survey completed across four partners"
    ),
    "progress_update": lambda p: one_id(
        p, "progress_update", action_id=action_id(p, "4.2"), as_at=date(2013, 9, 30)
    ),
}


@pytest.mark.parametrize("kind", sorted(DELETES))
def test_delete_record_and_its_inverse(
    kind: str, sample_plan: PlanFile, runner: CommandRunner
) -> None:
    record_id = DELETES[kind](sample_plan)
    count_before = len(rows(sample_plan, kind))

    def check(applied: Applied) -> None:
        assert row(sample_plan, kind, record_id) is None
        assert len(rows(sample_plan, kind)) == count_before - 1
        assert record_id in applied.touched(kind)

    applied = round_trip(runner, sample_plan, DeleteRecord(kind, record_id), check)
    assert applied.description.startswith("Delete ")


def test_delete_rag_definition_not_in_use_and_its_inverse(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    created = runner.execute(CreateRecord("rag_definition", CREATES["rag_definition"](sample_plan)))
    (rag_id,) = created.touched("rag_definition")
    with sample_plan.Session() as session:
        assert deletion_effects(session, "rag_definition", rag_id) == []

    def check(applied: Applied) -> None:
        assert [r["code"] for r in rows(sample_plan, "rag_definition")] == ["R", "A", "G", "B"]

    round_trip(runner, sample_plan, DeleteRecord("rag_definition", rag_id), check)


def test_a_rag_rating_in_use_cannot_be_deleted(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    green = one_id(sample_plan, "rag_definition", code="G")
    rated_green = len(rows(sample_plan, "action", rag="G")) + len(
        rows(sample_plan, "progress_update", rag="G")
    )
    with sample_plan.Session() as session:
        effects = deletion_effects(session, "rag_definition", green)
    assert effects == [f"{rated_green} action(s) and update(s) are rated Green"]
    refused(runner, sample_plan, DeleteRecord("rag_definition", green), "code", "Green", "re-rate")


def test_the_plan_itself_cannot_be_created_or_deleted(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    refused(runner, sample_plan, CreateRecord("plan", {"title": "Another"}), "kind", "new file")
    refused(
        runner, sample_plan, DeleteRecord("plan", sample_plan.plan_id), "kind", "delete the file"
    )


def test_unknown_kind_of_record_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        CreateRecord("gadget", {"title": "x"})
    assert caught.value.field == "kind"
    assert "'gadget' is not a kind of record" in str(caught.value)


# ----- what else a deletion changes, and its exact restoration ----------------------


def test_deleting_a_person_clears_owners_and_authors_and_removes_links(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    pid = person_id(sample_plan, "David Pennington")
    owned = [m["id"] for m in rows(sample_plan, "milestone", owner_id=pid)]
    authored = [u["id"] for u in rows(sample_plan, "progress_update", author_id=pid)]
    links = [link["id"] for link in rows(sample_plan, "action_person", person_id=pid)]
    assert owned and authored and links
    other_links = len(rows(sample_plan, "action_person")) - len(links)
    milestones_before = len(rows(sample_plan, "milestone"))
    updates_before = len(rows(sample_plan, "progress_update"))

    with sample_plan.Session() as session:
        effects = deletion_effects(session, "person", pid)
    measures = rows(sample_plan, "measure", owner_id=pid)
    assert effects == [
        f"{len(links)} link(s) between people and actions will be removed",
        f"{len(owned)} milestone(s) will have no owner",
        f"{len(authored)} progress update(s) will have no author",
        f"{len(measures)} measure(s) will have no owner",
    ]

    def check(applied: Applied) -> None:
        assert row(sample_plan, "person", pid) is None
        for mid in owned:
            milestone = row(sample_plan, "milestone", mid)
            assert milestone is not None and milestone["owner_id"] is None
        for uid in authored:
            update = row(sample_plan, "progress_update", uid)
            assert update is not None and update["author_id"] is None
        assert rows(sample_plan, "action_person", person_id=pid) == []
        assert len(rows(sample_plan, "action_person")) == other_links
        # milestones and updates themselves are kept
        assert len(rows(sample_plan, "milestone")) == milestones_before
        assert len(rows(sample_plan, "progress_update")) == updates_before

    round_trip(runner, sample_plan, DeleteRecord("person", pid), check)
    for mid in owned:
        milestone = row(sample_plan, "milestone", mid)
        assert milestone is not None and milestone["owner_id"] == pid


def test_deleting_a_partner_clears_organisation_and_removes_links(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    ncc = partner_id(sample_plan, "Northshire County Council")
    staff = [p["id"] for p in rows(sample_plan, "person", organisation_id=ncc)]
    links = rows(sample_plan, "action_partner", partner_id=ncc)
    assert len(staff) >= 5 and links
    people_before = len(rows(sample_plan, "person"))

    with sample_plan.Session() as session:
        effects = deletion_effects(session, "partner", ncc)
    contacts = rows(sample_plan, "partner_contact", partner_id=ncc)
    sourced = rows(sample_plan, "measure", source_id=ncc)
    received = rows(sample_plan, "benefit", partner_id=ncc)
    funded = rows(sample_plan, "funding", partner_id=ncc)
    assert effects == [
        f"{len(contacts)} contact(s) will be deleted",
        f"{len(links)} link(s) between partner bodies and actions will be removed",
        f"{len(staff)} person(s) will have no organisation",
        f"{len(sourced)} measure(s) will have no source",
        f"{len(received)} benefit(s) will name no partner body receiving them",
        f"{len(funded)} funding line(s) will be deleted",
    ]

    def check(applied: Applied) -> None:
        assert row(sample_plan, "partner", ncc) is None
        for pid in staff:
            person = row(sample_plan, "person", pid)
            assert person is not None and person["organisation_id"] is None
        assert len(rows(sample_plan, "person")) == people_before
        assert rows(sample_plan, "action_partner", partner_id=ncc) == []

    round_trip(runner, sample_plan, DeleteRecord("partner", ncc), check)


def test_deleting_a_theme_deletes_its_actions_and_everything_under_them(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    tid = theme_id(sample_plan, 1)
    actions = [a["id"] for a in rows(sample_plan, "action", theme_id=tid)]
    assert len(actions) == 4
    milestones = [m["id"] for aid in actions for m in rows(sample_plan, "milestone", action_id=aid)]
    updates = [
        u["id"] for aid in actions for u in rows(sample_plan, "progress_update", action_id=aid)
    ]
    links = [
        link["id"] for aid in actions for link in rows(sample_plan, "action_person", action_id=aid)
    ]
    assert milestones and updates and links
    other_actions = len(rows(sample_plan, "action")) - len(actions)
    other_milestones = len(rows(sample_plan, "milestone")) - len(milestones)

    with sample_plan.Session() as session:
        effects = deletion_effects(session, "theme", tid)
        action_effects = deletion_effects(session, "action", actions[0])
    assert effects == [
        "4 action(s) in this theme, with their milestones and updates, will be deleted"
    ]
    assert any("milestone(s) will be deleted" in effect for effect in action_effects)

    def check(applied: Applied) -> None:
        assert row(sample_plan, "theme", tid) is None
        assert all(row(sample_plan, "action", aid) is None for aid in actions)
        assert all(row(sample_plan, "milestone", mid) is None for mid in milestones)
        assert all(row(sample_plan, "progress_update", uid) is None for uid in updates)
        assert all(row(sample_plan, "action_person", lid) is None for lid in links)
        assert len(rows(sample_plan, "action")) == other_actions
        assert len(rows(sample_plan, "milestone")) == other_milestones
        assert theme_order(sample_plan, 2) == ["2.1", "2.2", "2.3"]

    round_trip(runner, sample_plan, DeleteRecord("theme", tid), check)
    assert theme_order(sample_plan, 1) == ["1.1", "1.2", "1.3", "1.4"]


def test_deleting_an_action_or_milestone_removes_its_baseline_changes(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    aid = action_id(sample_plan, "3.1")
    assert rows(sample_plan, "baseline_change", action_id=aid)
    rebaselined = rows(sample_plan, "baseline_change", action_id=None)[0]["milestone_id"]
    with sample_plan.Session() as session:
        assert "1 baseline change record(s) will be deleted" in deletion_effects(
            session, "action", aid
        )
        assert deletion_effects(session, "milestone", rebaselined) == [
            "1 baseline change record(s) will be deleted"
        ]

    def gone_for_action(applied: Applied) -> None:
        assert rows(sample_plan, "baseline_change", action_id=aid) == []

    def gone_for_milestone(applied: Applied) -> None:
        assert rows(sample_plan, "baseline_change", milestone_id=rebaselined) == []

    round_trip(runner, sample_plan, DeleteRecord("action", aid), gone_for_action)
    round_trip(runner, sample_plan, DeleteRecord("milestone", rebaselined), gone_for_milestone)


def test_deletion_effects_is_empty_for_a_record_nothing_depends_on(
    sample_plan: PlanFile,
) -> None:
    mid = one_id(sample_plan, "milestone", title="New service live at all partner sites")
    with sample_plan.Session() as session:
        assert deletion_effects(session, "milestone", mid) == []
        assert deletion_effects(session, "progress_update", 1) == []


# ----- moving ------------------------------------------------------------------------


def test_move_action_within_its_theme(sample_plan: PlanFile, runner: CommandRunner) -> None:
    aid = action_id(sample_plan, "4.1")
    tid = theme_id(sample_plan, 4)

    def check(applied: Applied) -> None:
        assert theme_order(sample_plan, 4) == ["4.2", "4.3", "4.4", "4.1", "4.5"]
        positions = sorted(a["position"] for a in rows(sample_plan, "action", theme_id=tid))
        assert positions == [0, 1, 2, 3, 4]
        assert "4.1" in applied.description

    round_trip(runner, sample_plan, MoveAction(aid, tid, 3), check)
    assert theme_order(sample_plan, 4) == ["4.1", "4.2", "4.3", "4.4", "4.5"]


def test_move_action_to_another_theme(sample_plan: PlanFile, runner: CommandRunner) -> None:
    aid = action_id(sample_plan, "3.5")
    target = theme_id(sample_plan, 7)

    def check(applied: Applied) -> None:
        moved = row(sample_plan, "action", aid)
        assert moved is not None and moved["theme_id"] == target
        assert theme_order(sample_plan, 7) == ["7.1", "3.5", "7.2", "7.3"]
        assert theme_order(sample_plan, 3) == ["3.1", "3.2", "3.3", "3.4"]
        for number in (3, 7):
            positions = [
                a["position"]
                for a in rows(sample_plan, "action", theme_id=theme_id(sample_plan, number))
            ]
            assert sorted(positions) == list(range(len(positions)))

    round_trip(runner, sample_plan, MoveAction(aid, target, 1), check)


def test_move_action_without_a_position_goes_last_and_out_of_range_is_clamped(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    runner.execute(MoveAction(action_id(sample_plan, "1.1"), theme_id(sample_plan, 2)))
    assert theme_order(sample_plan, 2) == ["2.1", "2.2", "2.3", "1.1"]
    assert theme_order(sample_plan, 1) == ["1.2", "1.3", "1.4"]
    runner.execute(MoveAction(action_id(sample_plan, "2.3"), theme_id(sample_plan, 2), -5))
    assert theme_order(sample_plan, 2) == ["2.3", "2.1", "2.2", "1.1"]
    runner.execute(MoveAction(action_id(sample_plan, "2.3"), theme_id(sample_plan, 2), 99))
    assert theme_order(sample_plan, 2) == ["2.1", "2.2", "1.1", "2.3"]


def test_move_theme_renumbers_the_themes_in_between(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    titles_before = [
        t["title"] for t in sorted(rows(sample_plan, "theme"), key=lambda t: t["number"])
    ]
    tid = theme_id(sample_plan, 6)

    def check(applied: Applied) -> None:
        themes = sorted(rows(sample_plan, "theme"), key=lambda t: t["number"])
        assert [t["number"] for t in themes] == [1, 2, 3, 4, 5, 6, 7]
        assert [t["title"] for t in themes] == [
            titles_before[0],
            titles_before[5],
            *titles_before[1:5],
            titles_before[6],
        ]
        assert "Digital Access & Inclusion" in applied.description

    round_trip(runner, sample_plan, MoveTheme(tid, 2), check)


def test_move_theme_to_a_number_past_the_end_makes_it_last(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    tid = theme_id(sample_plan, 1)
    round_trip(
        runner,
        sample_plan,
        MoveTheme(tid, 50),
        lambda applied: None,
    )
    runner.execute(MoveTheme(tid, 50))
    moved = row(sample_plan, "theme", tid)
    assert moved is not None and moved["number"] == 7


# ----- re-baselining -----------------------------------------------------------------


def test_rebaseline_action_keeps_the_old_date_and_the_decision(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    aid = action_id(sample_plan, "4.2")
    original = row(sample_plan, "action", aid)
    assert original is not None
    command = Rebaseline(
        "action",
        aid,
        date(2014, 6, 30),
        reason="  Cabinet Office agreed a remediation plan with a later compliance date.  ",
        approved_by="ICT Partnership Board",
        decision_ref="Partnership Board 12/12/2013, item 3",
        decided_on=date(2013, 12, 12),
    )

    def check(applied: Applied) -> None:
        action = row(sample_plan, "action", aid)
        assert action is not None
        assert action["baseline_due"] == date(2014, 6, 30)
        assert action["due"] == date(2014, 6, 30)
        (change_id,) = applied.touched("baseline_change")
        change = row(sample_plan, "baseline_change", change_id)
        assert change is not None
        assert change["action_id"] == aid and change["milestone_id"] is None
        assert change["old_due"] == original["baseline_due"] == date(2014, 4, 1)
        assert change["new_due"] == date(2014, 6, 30)
        assert change["reason"] == (
            "Cabinet Office agreed a remediation plan with a later compliance date."
        )
        assert change["approved_by"] == "ICT Partnership Board"
        assert change["decision_ref"] == "Partnership Board 12/12/2013, item 3"
        assert change["decided_on"] == date(2013, 12, 12)
        assert applied.description == "Re-baseline action 4.2"

    round_trip(runner, sample_plan, command, check)


def test_rebaseline_milestone(sample_plan: PlanFile, runner: CommandRunner) -> None:
    mid = one_id(
        sample_plan, "milestone", title="Code of Connection submission to the Cabinet Office"
    )
    original = row(sample_plan, "milestone", mid)
    assert original is not None
    command = Rebaseline(
        "milestone",
        mid,
        date(2014, 3, 21),
        reason="Remediation of the health-check findings took two weeks longer.",
        approved_by="Ruth Calloway (SIRO)",
        decision_ref="SIRO decision note 2014/01",
    )

    def check(applied: Applied) -> None:
        milestone = row(sample_plan, "milestone", mid)
        assert milestone is not None
        assert milestone["baseline_due"] == date(2014, 3, 21)
        assert milestone["due"] == date(2014, 3, 21)
        (change_id,) = applied.touched("baseline_change")
        change = row(sample_plan, "baseline_change", change_id)
        assert change is not None
        assert change["milestone_id"] == mid and change["action_id"] is None
        assert change["old_due"] == original["baseline_due"]
        assert change["approved_by"] == "Ruth Calloway (SIRO)"
        assert change["decision_ref"] == "SIRO decision note 2014/01"
        assert change["decided_on"] is None

    round_trip(runner, sample_plan, command, check)


def test_rebaseline_without_moving_the_due_date(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    aid = action_id(sample_plan, "3.3")
    original = row(sample_plan, "action", aid)
    assert original is not None
    command = Rebaseline(
        "action", aid, date(2014, 9, 30), "Scope widened", "Partnership Board", move_due=False
    )

    def check(applied: Applied) -> None:
        action = row(sample_plan, "action", aid)
        assert action is not None
        assert action["baseline_due"] == date(2014, 9, 30)
        assert action["due"] == original["due"]

    round_trip(runner, sample_plan, command, check)


@pytest.mark.parametrize(
    ("reason", "approved_by", "field", "words"),
    [
        ("   ", "Partnership Board", "reason", "why"),
        ("Delay in procurement", "", "approved_by", "who approved"),
    ],
)
def test_rebaseline_needs_a_reason_and_an_approver(
    reason: str,
    approved_by: str,
    field: str,
    words: str,
    sample_plan: PlanFile,
    runner: CommandRunner,
) -> None:
    command = Rebaseline(
        "action", action_id(sample_plan, "4.2"), date(2014, 6, 30), reason, approved_by
    )
    refused(runner, sample_plan, command, field, words)


def test_rebaseline_refuses_a_due_date_before_the_start(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    aid = action_id(sample_plan, "4.2")  # starts 01/04/2013
    command = Rebaseline("action", aid, date(2013, 1, 31), "Earlier", "Board")
    refused(runner, sample_plan, command, "due", "before the start date")


def test_rebaseline_only_for_actions_and_milestones(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    command = Rebaseline("theme", theme_id(sample_plan, 1), date(2014, 1, 1), "x", "y")
    refused(runner, sample_plan, command, "kind", "actions and milestones")


# ----- progress updates ---------------------------------------------------------------


def test_newest_progress_update_sets_action_status_rag_and_percent(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    aid = action_id(sample_plan, "1.3")
    author = person_id(sample_plan, "Helen Ashworth")
    command = AddProgressUpdate(
        aid,
        {
            "as_at": date(2014, 1, 31),
            "status": "on_hold",
            "rag": "R",
            "percent": 88,
            "commentary": "University board postponed; MoU signature on hold.",
            "author_id": author,
        },
    )

    def check(applied: Applied) -> None:
        action = row(sample_plan, "action", aid)
        assert action is not None
        assert (action["status"], action["rag"], action["percent"]) == ("on_hold", "R", 88)
        (update_id,) = applied.touched("progress_update")
        update = row(sample_plan, "progress_update", update_id)
        assert update is not None
        assert update["as_at"] == date(2014, 1, 31)
        assert update["author_id"] == author
        assert update["commentary"] == "University board postponed; MoU signature on hold."
        assert applied.description == "Add progress update to action 1.3"

    round_trip(runner, sample_plan, command, check)
    action = row(sample_plan, "action", aid)
    assert action is not None
    assert (action["status"], action["rag"], action["percent"]) == ("in_progress", "G", 85)


def test_older_progress_update_does_not_change_the_action(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    aid = action_id(sample_plan, "1.3")
    original = row(sample_plan, "action", aid)
    assert original is not None
    command = AddProgressUpdate(
        aid,
        {"as_at": date(2013, 2, 28), "status": "on_hold", "rag": "R", "percent": 10},
    )

    def check(applied: Applied) -> None:
        assert row(sample_plan, "action", aid) == original
        (update_id,) = applied.touched("progress_update")
        update = row(sample_plan, "progress_update", update_id)
        assert update is not None
        assert (update["status"], update["rag"], update["percent"]) == ("on_hold", "R", 10)
        assert applied.touched("action") == set()

    round_trip(runner, sample_plan, command, check)


def test_progress_update_defaults_to_the_action_current_values(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    aid = action_id(sample_plan, "4.2")
    applied = runner.execute(
        AddProgressUpdate(aid, {"as_at": date(2014, 1, 15), "commentary": "Quiet month."})
    )
    (update_id,) = applied.touched("progress_update")
    update = row(sample_plan, "progress_update", update_id)
    assert update is not None
    assert (update["status"], update["rag"], update["percent"]) == ("in_progress", "R", 40)


def test_progress_update_is_checked_like_any_record(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    aid = action_id(sample_plan, "1.3")
    refused(
        runner,
        sample_plan,
        AddProgressUpdate(aid, {"as_at": date(2014, 1, 31), "percent": 150}),
        "percent",
        "between 0 and 100",
    )
    refused(
        runner,
        sample_plan,
        AddProgressUpdate(aid, {"as_at": date(2014, 1, 31), "rag": "P"}),
        "rag",
        "'P'",
        "not one of this plan's ratings",
    )
    refused(
        runner,
        sample_plan,
        AddProgressUpdate(aid, {"commentary": "No date given"}),
        "as_at",
        "As at cannot be empty",
    )
    with pytest.raises(NotFoundError):
        runner.execute(AddProgressUpdate(99999, {"as_at": date(2014, 1, 31)}))


# ----- batches ------------------------------------------------------------------------


def test_batch_applies_several_commands_as_one_step(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    aid = action_id(sample_plan, "5.4")
    link = one_id(sample_plan, "action_partner", action_id=aid, role="lead")
    batch = Batch(
        [
            EditRecord("action", aid, {"percent": 75, "rag": "G"}),
            CreateRecord(
                "milestone",
                {
                    "action_id": aid,
                    "title": "IG Toolkit level 2 confirmed",
                    "due": date(2014, 3, 31),
                },
            ),
            DeleteRecord("action_partner", link),
            MoveTheme(theme_id(sample_plan, 5), 1),
        ],
        "Import of returns.xlsx",
    )

    def check(applied: Applied) -> None:
        action = row(sample_plan, "action", aid)
        assert action is not None and (action["percent"], action["rag"]) == (75, "G")
        titles = [m["title"] for m in rows(sample_plan, "milestone", action_id=aid)]
        assert "IG Toolkit level 2 confirmed" in titles
        assert row(sample_plan, "action_partner", link) is None
        theme = row(sample_plan, "theme", theme_id(sample_plan, 1))
        assert theme is not None and theme["title"] == "Information Governance & Transparency"
        assert applied.description == "Import of returns.xlsx"

    round_trip(runner, sample_plan, batch, check)


def test_batch_with_a_bad_command_changes_nothing(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    aid = action_id(sample_plan, "5.4")
    batch = Batch(
        [
            EditRecord("action", aid, {"percent": 75}),
            DeleteRecord("theme", theme_id(sample_plan, 7)),
            EditRecord("action", aid, {"percent": 175}),
        ],
        "Import of returns.xlsx",
    )
    refused(runner, sample_plan, batch, "percent", "between 0 and 100")


# ----- lead officer ---------------------------------------------------------------------


def lead_of(plan_file: PlanFile, aid: int) -> list[int]:
    return [link["person_id"] for link in rows(plan_file, "action_person", action_id=aid, role="A")]


def test_set_lead_officer_to_someone_already_on_the_action(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    aid = action_id(sample_plan, "1.3")
    helen = person_id(sample_plan, "Helen Ashworth")
    david = person_id(sample_plan, "David Pennington")
    links_before = len(rows(sample_plan, "action_person", action_id=aid))

    def check(applied: Applied) -> None:
        assert lead_of(sample_plan, aid) == [david]
        links = {
            link["person_id"]: link["role"]
            for link in rows(sample_plan, "action_person", action_id=aid)
        }
        assert links[helen] == "R"  # the old lead stays on the action, as Responsible
        assert len(links) == links_before
        assert applied.description == "Make David Pennington lead officer of action 1.3"

    round_trip(runner, sample_plan, SetLeadOfficer(aid, david), check)
    assert lead_of(sample_plan, aid) == [helen]


def test_set_lead_officer_to_someone_new_to_the_action(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    aid = action_id(sample_plan, "1.3")
    claire = person_id(sample_plan, "Claire Dobson")

    def check(applied: Applied) -> None:
        assert lead_of(sample_plan, aid) == [claire]

    round_trip(runner, sample_plan, SetLeadOfficer(aid, claire), check)


def test_set_lead_officer_to_nobody(sample_plan: PlanFile, runner: CommandRunner) -> None:
    aid = action_id(sample_plan, "1.3")

    helen = person_id(sample_plan, "Helen Ashworth")

    def check(applied: Applied) -> None:
        assert lead_of(sample_plan, aid) == []
        roles = {
            link["person_id"]: link["role"]
            for link in rows(sample_plan, "action_person", action_id=aid)
        }
        assert roles[helen] == "R"

    round_trip(runner, sample_plan, SetLeadOfficer(aid, None), check)


def test_set_lead_officer_refuses_a_missing_person_or_action(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    aid = action_id(sample_plan, "1.3")
    refused(runner, sample_plan, SetLeadOfficer(aid, 99999), "person_id", "does not exist")
    before = snapshot(sample_plan)
    with pytest.raises(NotFoundError):
        runner.execute(SetLeadOfficer(99999, person_id(sample_plan, "Claire Dobson")))
    assert snapshot(sample_plan) == before


def test_next_free_ref(sample_plan: PlanFile, runner: CommandRunner) -> None:
    with sample_plan.Session() as session:
        assert next_free_ref(session, sample_plan.plan_id, theme_id(sample_plan, 3)) == "3.6"
        assert next_free_ref(session, sample_plan.plan_id, theme_id(sample_plan, 1)) == "1.5"
    runner.execute(CreateRecord("action", CREATES["action"](sample_plan)))
    with sample_plan.Session() as session:
        assert next_free_ref(session, sample_plan.plan_id, theme_id(sample_plan, 3)) == "3.7"


# ----- validation ----------------------------------------------------------------------

INVALID: list[tuple[str, Callable[[PlanFile], Command], str, tuple[str, ...]]] = [
    (
        "empty action title",
        lambda p: EditRecord("action", action_id(p, "1.1"), {"title": "   "}),
        "title",
        ("Title cannot be empty",),
    ),
    (
        "new action without a title",
        lambda p: CreateRecord("action", {"theme_id": theme_id(p, 1), "ref": "1.9", "title": ""}),
        "title",
        ("Title cannot be empty",),
    ),
    (
        "empty theme title",
        lambda p: EditRecord("theme", theme_id(p, 1), {"title": ""}),
        "title",
        ("Title cannot be empty",),
    ),
    (
        "empty plan title",
        lambda p: EditRecord("plan", p.plan_id, {"title": " "}),
        "title",
        ("Title cannot be empty",),
    ),
    (
        "due before start",
        lambda p: EditRecord("action", action_id(p, "1.3"), {"due": date(2012, 1, 31)}),
        "due",
        ("due date (31/01/2012) is before the start date (03/09/2012)",),
    ),
    (
        "start after due",
        lambda p: EditRecord("action", action_id(p, "1.3"), {"start": date(2014, 5, 1)}),
        "due",
        ("before the start date",),
    ),
    (
        "plan period ends before it starts",
        lambda p: EditRecord("plan", p.plan_id, {"period_end": date(2010, 3, 31)}),
        "period_end",
        ("period end", "before the period start"),
    ),
    (
        "percent 101",
        lambda p: EditRecord("action", action_id(p, "1.3"), {"percent": 101}),
        "percent",
        ("between 0 and 100", "101"),
    ),
    (
        "percent -1",
        lambda p: EditRecord("action", action_id(p, "1.3"), {"percent": -1}),
        "percent",
        ("between 0 and 100", "-1"),
    ),
    (
        "percent not a whole number",
        lambda p: EditRecord("action", action_id(p, "1.3"), {"percent": "half"}),
        "percent",
        ("whole number",),
    ),
    (
        "duplicate ref",
        lambda p: EditRecord("action", action_id(p, "1.2"), {"ref": "1.1"}),
        "ref",
        ("already an action 1.1",),
    ),
    (
        "duplicate ref on a new action",
        lambda p: CreateRecord("action", {"theme_id": theme_id(p, 2), "ref": "2.1", "title": "x"}),
        "ref",
        ("already an action 2.1",),
    ),
    (
        "second lead officer",
        lambda p: CreateRecord(
            "action_person",
            {
                "action_id": action_id(p, "1.3"),
                "person_id": person_id(p, "Claire Dobson"),
                "role": "A",
            },
        ),
        "role",
        ("already has a lead officer (Helen Ashworth)", "only one"),
    ),
    (
        "second lead officer by changing a role",
        lambda p: EditRecord(
            "action_person",
            one_id(
                p,
                "action_person",
                action_id=action_id(p, "1.3"),
                person_id=person_id(p, "David Pennington"),
            ),
            {"role": "A"},
        ),
        "role",
        ("already has a lead officer (Helen Ashworth)",),
    ),
    (
        "person linked twice",
        lambda p: CreateRecord(
            "action_person",
            {
                "action_id": action_id(p, "1.3"),
                "person_id": person_id(p, "David Pennington"),
                "role": "I",
            },
        ),
        "person_id",
        ("already linked to this action",),
    ),
    (
        "partner linked twice",
        lambda p: CreateRecord(
            "action_partner",
            {
                "action_id": action_id(p, "1.3"),
                "partner_id": partner_id(p, "Northshire County Council"),
                "role": "funder",
            },
        ),
        "partner_id",
        ("already linked to this action",),
    ),
    (
        "milestone owner that does not exist",
        lambda p: EditRecord("milestone", 1, {"owner_id": 99999}),
        "owner_id",
        ("Owner", "does not exist in this plan"),
    ),
    (
        "new milestone with an owner that does not exist",
        lambda p: CreateRecord(
            "milestone",
            {
                "action_id": action_id(p, "1.3"),
                "title": "x",
                "due": date(2014, 1, 1),
                "owner_id": 99999,
            },
        ),
        "owner_id",
        ("does not exist in this plan",),
    ),
    (
        "milestone with no due date",
        lambda p: CreateRecord("milestone", {"action_id": action_id(p, "1.3"), "title": "x"}),
        "due",
        ("Due cannot be empty",),
    ),
    (
        "milestone for an action that does not exist",
        lambda p: CreateRecord(
            "milestone", {"action_id": 99999, "title": "x", "due": date(2014, 1, 1)}
        ),
        "action_id",
        ("does not exist in this plan",),
    ),
    (
        "partner link to a partner that does not exist",
        lambda p: CreateRecord(
            "action_partner",
            {"action_id": action_id(p, "1.3"), "partner_id": 99999, "role": "delivery"},
        ),
        "partner_id",
        ("partner body does not exist in this plan",),
    ),
    (
        "person in an organisation that does not exist",
        lambda p: EditRecord("person", 1, {"organisation_id": 99999}),
        "organisation_id",
        ("does not exist in this plan",),
    ),
    (
        "malformed email",
        lambda p: EditRecord(
            "person", person_id(p, "Helen Ashworth"), {"email": "helen.ashworth-at-northshire"}
        ),
        "email",
        ("'helen.ashworth-at-northshire' is not an email address",),
    ),
    (
        "email without a domain",
        lambda p: CreateRecord("person", {"name": "Jo Bloggs", "email": "jo@northshire"}),
        "email",
        ("is not an email address",),
    ),
    (
        "unknown status",
        lambda p: EditRecord("action", action_id(p, "1.3"), {"status": "finished"}),
        "status",
        ("'finished' is not one of", "In progress"),
    ),
    (
        "unknown RACI role",
        lambda p: CreateRecord(
            "action_person",
            {
                "action_id": action_id(p, "3.5"),
                "person_id": person_id(p, "Martin Greaves"),
                "role": "X",
            },
        ),
        "role",
        ("is not one of",),
    ),
    (
        "unknown sector",
        lambda p: CreateRecord("partner", {"name": "Acme Ltd", "sector": "commercial"}),
        "sector",
        ("'commercial' is not one of",),
    ),
    (
        "RAG code not in the plan's definitions",
        lambda p: EditRecord("action", action_id(p, "1.3"), {"rag": "P"}),
        "rag",
        ("RAG 'P' is not one of this plan's ratings",),
    ),
    (
        "theme number duplicate",
        lambda p: EditRecord("theme", theme_id(p, 2), {"number": 1}),
        "number",
        ("already a theme 1",),
    ),
    (
        "new theme with a number in use",
        lambda p: CreateRecord("theme", {"number": 3, "title": "Another"}),
        "number",
        ("already a theme 3",),
    ),
    (
        "theme number zero",
        lambda p: CreateRecord("theme", {"number": 0, "title": "Zero"}),
        "number",
        ("1 or more",),
    ),
    (
        "move theme to number zero",
        lambda p: MoveTheme(theme_id(p, 2), 0),
        "number",
        ("1 or more",),
    ),
    (
        "unknown field name",
        lambda p: EditRecord("action", action_id(p, "1.3"), {"owner": 3}),
        "owner",
        ("'owner' is not something a action has",),
    ),
    (
        "unknown field name on a new record",
        lambda p: CreateRecord(
            "partner", {"name": "Acme Ltd", "sector": "private_sector", "ceo": "x"}
        ),
        "ceo",
        ("is not something a partner body has",),
    ),
    (
        "duplicate partner name, different case",
        lambda p: CreateRecord("partner", {"name": "northshire college", "sector": "education"}),
        "name",
        ("already a partner body called 'northshire college'",),
    ),
    (
        "duplicate RAG code",
        lambda p: CreateRecord(
            "rag_definition", {"code": "G", "name": "Gold", "colour": "#FFD700"}
        ),
        "code",
        ("already a rating with the code 'G'",),
    ),
    (
        "RAG colour not a colour",
        lambda p: CreateRecord(
            "rag_definition", {"code": "P", "name": "Purple", "colour": "purple"}
        ),
        "colour",
        ("#C0392B",),
    ),
    (
        "text too long",
        lambda p: EditRecord("action", action_id(p, "1.3"), {"ref": "x" * 21}),
        "ref",
        ("too long", "21 characters", "at most 20"),
    ),
    (
        "date that is not a date",
        lambda p: EditRecord("action", action_id(p, "1.3"), {"due": "31/03/2014"}),
        "due",
        ("is not a date",),
    ),
    (
        "moving a person's link to another action",
        lambda p: EditRecord(
            "action_person",
            one_id(p, "action_person", action_id=action_id(p, "3.5"), role="A"),
            {"action_id": action_id(p, "3.4")},
        ),
        "action_id",
        ("Use Move",),
    ),
]


@pytest.mark.parametrize(
    ("make", "field", "words"),
    [pytest.param(make, field, words, id=name) for name, make, field, words in INVALID],
)
def test_invalid_change_is_refused_and_changes_nothing(
    make: Callable[[PlanFile], Command],
    field: str,
    words: tuple[str, ...],
    sample_plan: PlanFile,
    runner: CommandRunner,
) -> None:
    refused(runner, sample_plan, make(sample_plan), field, *words)
    assert not sample_plan.is_dirty


def test_unknown_rag_message_lists_the_plan_ratings(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    error = refused(
        runner,
        sample_plan,
        EditRecord("action", action_id(sample_plan, "1.3"), {"rag": "g"}),
        "rag",
    )
    listed = str(error).split("(", 1)[1].rstrip(").").split(", ")
    assert sorted(listed) == ["A", "B", "G", "R"]


def test_duplicate_ref_is_case_insensitive(sample_plan: PlanFile, runner: CommandRunner) -> None:
    runner.execute(EditRecord("action", action_id(sample_plan, "6.3"), {"ref": "DI-3"}))
    refused(
        runner,
        sample_plan,
        EditRecord("action", action_id(sample_plan, "6.2"), {"ref": "di-3"}),
        "ref",
        "already an action di-3",
        "unique",
    )
    refused(
        runner,
        sample_plan,
        CreateRecord(
            "action", {"theme_id": theme_id(sample_plan, 6), "ref": " Di-3 ", "title": "x"}
        ),
        "ref",
        "already an action",
    )
    # an action may keep its own ref, in another case
    runner.execute(EditRecord("action", action_id(sample_plan, "DI-3"), {"ref": "di-3"}))
    assert row(sample_plan, "action", action_id(sample_plan, "di-3")) is not None


def test_the_lead_officer_can_be_handed_over(sample_plan: PlanFile, runner: CommandRunner) -> None:
    aid = action_id(sample_plan, "1.3")
    lead = one_id(sample_plan, "action_person", action_id=aid, role="A")
    deputy = one_id(
        sample_plan,
        "action_person",
        action_id=aid,
        person_id=person_id(sample_plan, "David Pennington"),
    )
    batch = Batch(
        [
            EditRecord("action_person", lead, {"role": "R"}),
            EditRecord("action_person", deputy, {"role": "A"}),
        ],
        "Hand over lead",
    )

    def check(applied: Applied) -> None:
        leads = rows(sample_plan, "action_person", action_id=aid, role="A")
        assert [link["person_id"] for link in leads] == [person_id(sample_plan, "David Pennington")]

    round_trip(runner, sample_plan, batch, check)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda p: EditRecord("action", 99999, {"title": "x"}), id="edit action"),
        pytest.param(lambda p: EditRecord("milestone", 99999, {"note": "x"}), id="edit milestone"),
        pytest.param(lambda p: EditRecord("person", 99999, {"name": "x"}), id="edit person"),
        pytest.param(lambda p: DeleteRecord("theme", 99999), id="delete theme"),
        pytest.param(lambda p: DeleteRecord("progress_update", 99999), id="delete update"),
        pytest.param(lambda p: MoveAction(99999, theme_id(p, 1)), id="move missing action"),
        pytest.param(lambda p: MoveAction(action_id(p, "1.1"), 99999), id="move to missing theme"),
        pytest.param(lambda p: MoveTheme(99999, 1), id="move missing theme"),
        pytest.param(
            lambda p: Rebaseline("milestone", 99999, date(2014, 1, 1), "x", "y"), id="rebaseline"
        ),
    ],
)
def test_changing_a_record_that_does_not_exist_raises_not_found(
    make: Callable[[PlanFile], Command], sample_plan: PlanFile, runner: CommandRunner
) -> None:
    before = snapshot(sample_plan)
    with pytest.raises(NotFoundError) as caught:
        runner.execute(make(sample_plan))
    assert "no longer exists" in str(caught.value) or "not in this plan" in str(caught.value)
    assert snapshot(sample_plan) == before


# ----- the change journal ----------------------------------------------------------------


def test_journal_records_who_what_and_where_the_change_came_from(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    aid = action_id(sample_plan, "2.2")
    mark = last_journal_id(sample_plan)
    runner.execute(
        EditRecord("action", aid, {"percent": 60, "rag": "G", "due": date(2015, 6, 30)}),
        source="import of returns.xlsx",
    )
    entries = journal(sample_plan, mark)
    assert {e.field: (e.old_value, e.new_value) for e in entries} == {
        "percent": ("55", "60"),
        "rag": ("A", "G"),
        "due": ("2015-03-31", "2015-06-30"),
    }
    for entry in entries:
        assert entry.who == "Test Officer"
        assert entry.entity == "action"
        assert entry.entity_id == aid
        assert entry.source == "import of returns.xlsx"
        assert entry.plan_id == sample_plan.plan_id
        assert entry.at is not None


def test_journal_ties_each_change_to_its_action(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    aid = action_id(sample_plan, "4.2")
    milestone = rows(sample_plan, "milestone", action_id=aid)[0]["id"]
    mark = last_journal_id(sample_plan)
    runner.execute(EditRecord("milestone", milestone, {"note": "Chased supplier"}))
    runner.execute(DeleteRecord("milestone", milestone))
    entries = journal(sample_plan, mark)
    assert [(e.entity, e.field) for e in entries] == [
        ("milestone", "note"),
        ("milestone", "(deleted)"),
    ]
    assert all(e.action_id == aid for e in entries)


def test_journal_default_source_is_edit(sample_plan: PlanFile, runner: CommandRunner) -> None:
    mark = last_journal_id(sample_plan)
    runner.execute(EditRecord("theme", theme_id(sample_plan, 1), {"title": "Leadership"}))
    (entry,) = journal(sample_plan, mark)
    assert (entry.entity, entry.field, entry.source) == ("theme", "title", "edit")
    assert (entry.old_value, entry.new_value) == ("Leadership & Governance", "Leadership")


def test_journal_records_created_and_deleted_records(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    mark = last_journal_id(sample_plan)
    created = runner.execute(
        CreateRecord("partner", {"name": "Northshire Housing Trust", "sector": "civil_society"})
    )
    (pid,) = created.touched("partner")
    (entry,) = journal(sample_plan, mark)
    assert (entry.entity, entry.entity_id, entry.field) == ("partner", pid, "(created)")
    assert entry.old_value is None
    assert entry.new_value == "partner body 'Northshire Housing Trust'"

    mark = last_journal_id(sample_plan)
    runner.execute(DeleteRecord("partner", pid), source="tidy-up")
    (entry,) = journal(sample_plan, mark)
    assert (entry.entity, entry.entity_id, entry.field) == ("partner", pid, "(deleted)")
    assert entry.old_value == "partner body 'Northshire Housing Trust'"
    assert entry.new_value is None
    assert entry.source == "tidy-up"


def test_journal_records_every_row_a_deletion_touches(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    pid = person_id(sample_plan, "Karen Holt")
    owned = rows(sample_plan, "milestone", owner_id=pid)
    links = rows(sample_plan, "action_person", person_id=pid)
    mark = last_journal_id(sample_plan)
    runner.execute(DeleteRecord("person", pid))
    entries = journal(sample_plan, mark)
    assert sorted((e.entity, e.entity_id, e.field) for e in entries) == sorted(
        [("person", pid, "(deleted)")]
        + [("action_person", link["id"], "(deleted)") for link in links]
        + [("milestone", m["id"], "owner_id") for m in owned]
    )
    owner_entries = [e for e in entries if e.field == "owner_id"]
    assert all((e.old_value, e.new_value) == (str(pid), None) for e in owner_entries)


def test_undo_is_journalled_with_an_undo_source(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    aid = action_id(sample_plan, "2.2")
    applied = runner.execute(EditRecord("action", aid, {"percent": 60}))
    mark = last_journal_id(sample_plan)
    runner.undo(applied)
    (entry,) = journal(sample_plan, mark)
    assert entry.source.startswith("undo:")
    assert entry.source == f"undo: {applied.description}"
    assert (entry.field, entry.old_value, entry.new_value) == ("percent", "60", "55")
    assert entry.who == "Test Officer"


def test_a_refused_change_writes_no_journal(sample_plan: PlanFile, runner: CommandRunner) -> None:
    mark = last_journal_id(sample_plan)
    with pytest.raises(ValidationError):
        runner.execute(EditRecord("action", action_id(sample_plan, "2.2"), {"percent": 160}))
    assert journal(sample_plan, mark) == []


def test_journal_names_the_runner_who(sample_plan: PlanFile) -> None:
    other = runner_for(sample_plan, who="Ruth Calloway")
    mark = last_journal_id(sample_plan)
    other.execute(EditRecord("plan", sample_plan.plan_id, {"status_date": date(2014, 3, 31)}))
    (entry,) = journal(sample_plan, mark)
    assert entry.who == "Ruth Calloway"
    assert (entry.entity, entry.field, entry.old_value, entry.new_value) == (
        "plan",
        "status_date",
        "2013-12-31",
        "2014-03-31",
    )


# ----- read-only and the dirty flag ---------------------------------------------------------


def test_read_only_runner_refuses_and_changes_nothing(sample_plan: PlanFile) -> None:
    seen: list[Applied] = []
    read_only = CommandRunner(
        sample_plan.Session,
        sample_plan.plan_id,
        who="Test Officer",
        read_only=True,
        on_applied=seen.append,
    )
    before = snapshot(sample_plan)
    mark = last_journal_id(sample_plan)
    commands: list[Command] = [
        EditRecord("action", action_id(sample_plan, "1.3"), {"percent": 90}),
        CreateRecord("theme", {"number": 8, "title": "New"}),
        DeleteRecord("theme", theme_id(sample_plan, 1)),
        MoveTheme(theme_id(sample_plan, 7), 1),
    ]
    for command in commands:
        with pytest.raises(ReadOnlyError) as caught:
            read_only.execute(command)
        assert "read-only" in str(caught.value)
    assert snapshot(sample_plan) == before
    assert journal(sample_plan, mark) == []
    assert seen == []
    assert not sample_plan.is_dirty


def test_plan_opened_read_only_gives_a_read_only_runner(sample_path: Path, data_dir: Path) -> None:
    plan_file = PlanFile.open(sample_path, read_only=True, data_dir=data_dir)
    try:
        runner = runner_for(plan_file, who="Test Officer")
        assert runner.read_only
        before = snapshot(plan_file)
        with pytest.raises(ReadOnlyError):
            runner.execute(EditRecord("plan", plan_file.plan_id, {"title": "Changed"}))
        assert snapshot(plan_file) == before
    finally:
        plan_file.close()


def test_read_only_runner_cannot_undo(sample_plan: PlanFile, runner: CommandRunner) -> None:
    applied = runner.execute(EditRecord("action", action_id(sample_plan, "1.3"), {"percent": 90}))
    after = snapshot(sample_plan)
    read_only = CommandRunner(sample_plan.Session, sample_plan.plan_id, read_only=True)
    with pytest.raises(ReadOnlyError):
        read_only.undo(applied)
    assert snapshot(sample_plan) == after


def test_an_applied_change_marks_the_plan_unsaved(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    assert not sample_plan.is_dirty
    runner.execute(EditRecord("action", action_id(sample_plan, "1.3"), {"percent": 90}))
    assert sample_plan.is_dirty


# ----- known bugs -------------------------------------------------------------------------


def test_new_action_without_a_theme_is_refused(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    refused(
        runner,
        sample_plan,
        CreateRecord("action", {"ref": "9.1", "title": "Orphan action"}),
        "theme_id",
        "Theme cannot be empty",
    )


def test_renaming_a_rag_code_in_use_is_refused(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    green = one_id(sample_plan, "rag_definition", code="G")
    refused(runner, sample_plan, EditRecord("rag_definition", green, {"code": "GN"}), "code")


def test_a_status_typed_as_its_label_is_understood(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    aid = action_id(sample_plan, "1.3")
    try:
        runner.execute(EditRecord("action", aid, {"status": "Completed"}))
    except ValidationError as error:
        allowed = str(error).split("is not one of:", 1)[-1]
        assert "Completed" not in allowed, str(error)
    else:
        action = row(sample_plan, "action", aid)
        assert action is not None and action["status"] == "completed"


def test_journal_ties_a_deleted_milestone_rebaselining_to_its_action(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    change = next(c for c in rows(sample_plan, "baseline_change") if c["milestone_id"])
    milestone = row(sample_plan, "milestone", change["milestone_id"])
    assert milestone is not None
    mark = last_journal_id(sample_plan)
    runner.execute(DeleteRecord("milestone", milestone["id"]))
    entries = journal(sample_plan, mark)
    assert {(e.entity, e.field) for e in entries} == {
        ("milestone", "(deleted)"),
        ("baseline_change", "(deleted)"),
    }
    assert [e.action_id for e in entries] == [milestone["action_id"]] * 2


@pytest.mark.parametrize(
    ("kind", "field", "value", "message"),
    [
        ("measure_value", "actual", "about forty", "Actual must be a number, not 'about forty'."),
        ("measure_value", "actual", float("nan"), "Actual must be a number"),
        ("measure_value", "target", float("inf"), "Target must be a number"),
        ("benefit_value", "realised", "lots", "Realised: 'lots' is not an amount of money"),
        ("benefit_value", "realised", 12.5, "Realised is kept in whole pounds"),
        ("benefit_value", "realised", float("inf"), "Realised: 'inf' is not an amount of money"),
        ("benefit_value", "realised", -10, "The realised value cannot be less than nothing"),
        ("benefit_value", "year", "Q3 2013/14", "Financial year is a whole year such as 2013/14"),
        ("benefit_value", "year", 1999, "1999 is not a financial year this plan can hold"),
    ],
)
def test_figures_that_are_not_numbers_money_or_years_are_refused(
    sample_plan: PlanFile, runner: CommandRunner, kind: str, field: str, value: Any, message: str
) -> None:
    record_id = (
        one_id(
            sample_plan,
            "measure_value",
            measure_id=measure_id(sample_plan, ONLINE),
            year=2013,
            quarter=3,
        )
        if kind == "measure_value"
        else one_id(
            sample_plan, "benefit_value", benefit_id=benefit_id(sample_plan, CONTRACTS), year=2013
        )
    )
    before = snapshot(sample_plan)
    with pytest.raises(ValidationError) as caught:
        runner.execute(EditRecord(kind, record_id, {field: value}))
    assert str(caught.value).startswith(message), str(caught.value)
    assert snapshot(sample_plan) == before


def test_money_may_be_written_as_an_officer_writes_it(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    line = one_id(sample_plan, "budget_line", action_id=action_id(sample_plan, "3.4"), year=2013)
    runner.execute(EditRecord("budget_line", line, {"budget": "£1.25m", "spent": "£640,000"}))
    edited = row(sample_plan, "budget_line", line)
    assert edited is not None
    assert (edited["budget"], edited["spent"]) == (1_250_000, 640_000)


# ----- an outcome with the themes and actions serving it ----------------------------------


def served_by(plan_file: PlanFile, outcome: int) -> tuple[set[int], set[int]]:
    links = rows(plan_file, "outcome_link", outcome_id=outcome)
    return (
        {link["theme_id"] for link in links if link["theme_id"] is not None},
        {link["action_id"] for link in links if link["action_id"] is not None},
    )


def test_an_outcome_is_added_with_what_serves_it_in_one_undoable_step(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    themes = {theme_id(sample_plan, 2)}
    actions = {action_id(sample_plan, "2.3"), action_id(sample_plan, "6.3")}

    def check(applied: Applied) -> None:
        (made,) = applied.touched("outcome")
        assert served_by(sample_plan, made) == (themes, actions)
        assert applied.description == "Add outcome 'Fewer people wait in person'"

    round_trip(
        runner,
        sample_plan,
        SaveOutcome(None, {"title": "Fewer people wait in person", "position": 4}, themes, actions),
        check,
    )


def test_changing_an_outcome_keeps_the_links_still_wanted_and_changes_the_rest(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    outcome = outcome_id(sample_plan, SAVINGS)
    themes, actions = served_by(sample_plan, outcome)
    kept = rows(
        sample_plan, "outcome_link", outcome_id=outcome, action_id=action_id(sample_plan, "3.4")
    )
    wanted_actions = {action_id(sample_plan, "3.4"), action_id(sample_plan, "3.5")}

    def check(applied: Applied) -> None:
        assert served_by(sample_plan, outcome) == (set(), wanted_actions)
        # the link still wanted is the same record, not made again
        assert rows(sample_plan, "outcome_link", id=kept[0]["id"])
        assert applied.description == "Change outcome 'Public money saved by sharing ICT'"

    assert themes and action_id(sample_plan, "3.4") in actions
    round_trip(
        runner,
        sample_plan,
        SaveOutcome(outcome, {"title": "Public money saved by sharing ICT"}, (), wanted_actions),
        check,
    )


def test_an_outcome_served_by_an_action_of_another_plan_is_refused(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    outcome = outcome_id(sample_plan, SAVINGS)
    refused(
        runner, sample_plan, SaveOutcome(outcome, {}, (), [99999]), "action_id", "does not exist"
    )
