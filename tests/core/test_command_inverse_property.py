"""Property: any sequence of commands, undone in reverse order, gives back the exact plan.

Random sequences of 1-15 commands (valid and invalid, on existing and missing records)
run against the Northshire sample. A refused command must raise ValidationError or
NotFoundError and change nothing; the inverses of the applied ones, run newest first,
must restore every row of every table of plan content.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from planner.commands import (
    AddProgressUpdate,
    Applied,
    Batch,
    Command,
    CreateRecord,
    DeleteRecord,
    EditRecord,
    MoveAction,
    MoveTheme,
    Rebaseline,
    SetLeadOfficer,
    runner_for,
)
from planner.errors import NotFoundError, ValidationError
from planner.store.models import CONTENT_MODELS
from planner.store.planfile import PlanFile

Snapshot = dict[str, list[tuple[Any, ...]]]
MISSING = 99999
_EXAMPLES = itertools.count()


def snapshot(plan_file: PlanFile) -> Snapshot:
    """Every row of every plan-content table (not the journal), as sorted tuples; row
    versions left out, as they count changes and so rise on undo too."""
    with plan_file.Session() as session:
        return {
            model.__tablename__: sorted(
                (
                    tuple(row)
                    for row in session.execute(
                        select(*[c for c in model.__table__.c if c.name != "row_version"])
                    )
                ),
                key=lambda row: row[0],
            )
            for model in CONTENT_MODELS
        }


@dataclass(frozen=True)
class SampleIds:
    """The record ids of the sample plan, for strategies to pick from."""

    path: Path
    plan_id: int
    ids: dict[str, list[int]]
    refs: list[str]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SampleIds]:
    from planner.io.sample import write_sample

    folder = tmp_path_factory.mktemp("property-sample")
    written = folder / "written.plan"
    write_sample(written, data_dir=folder / "data").close()
    path = folder / "northshire.plan"
    shutil.copy2(written, path)
    plan_file = PlanFile.open(path, data_dir=folder / "data")
    try:
        with plan_file.Session() as session:
            ids = {
                model.__tablename__: list(
                    session.scalars(select(model.__table__.c.id).order_by(model.__table__.c.id))
                )
                for model in CONTENT_MODELS
            }
            action = next(m for m in CONTENT_MODELS if m.__tablename__ == "action").__table__
            refs = list(session.scalars(select(action.c.ref)))
        plan_id = plan_file.plan_id
    finally:
        plan_file.close(discard=True)
    yield SampleIds(path, plan_id, ids, refs)


# ----- strategies ----------------------------------------------------------------------

DATES = st.dates(min_value=date(2010, 1, 1), max_value=date(2016, 12, 31))
LATE_DATES = st.dates(min_value=date(2015, 4, 1), max_value=date(2016, 12, 31))


def mostly(
    valid: st.SearchStrategy[Any], invalid: st.SearchStrategy[Any]
) -> st.SearchStrategy[Any]:
    """Valid values about five times in six, so that most commands apply."""
    return st.sampled_from([valid] * 5 + [invalid]).flatmap(lambda chosen: chosen)


TEXT = mostly(
    st.one_of(
        st.sampled_from(["Revised wording", "Agreed at Board", "Awaiting partner sign-off"]),
        st.text(alphabet="abcdefghij &-'", min_size=1, max_size=30).filter(str.strip),
    ),
    st.sampled_from(["", "   ", "x" * 301]),
)
STATUSES = mostly(
    st.sampled_from(["not_started", "in_progress", "completed", "on_hold", "cancelled"]),
    st.sampled_from(["finished", ""]),
)
RAGS = mostly(st.sampled_from(["R", "A", "G", "B", None, ""]), st.just("P"))
PERCENTS = mostly(st.integers(0, 100), st.sampled_from([-1, 101, 150]))
NUMBERS = mostly(
    st.one_of(st.none(), st.floats(-1000, 1000, allow_nan=False), st.integers(0, 100)),
    st.sampled_from(["lots", float("nan")]),
)
POUNDS = mostly(
    st.one_of(st.none(), st.integers(0, 5_000_000), st.just("£250k")),
    st.sampled_from([-10, 12.5, "lots"]),
)
YEARS = mostly(
    st.sampled_from([2011, 2012, 2013, 2014, "2013/14"]), st.sampled_from([1999, "Q3 2013/14"])
)
EMAILS = mostly(
    st.sampled_from(["", "a.person@northshire.gov.uk"]), st.sampled_from(["not-an-email", "x@y"])
)


# The kinds that say what the plan is for: outcomes, measures, benefits and money.
PURPOSE_KINDS = (
    "outcome",
    "outcome_link",
    "measure",
    "measure_value",
    "benefit",
    "benefit_value",
    "budget_line",
    "funding",
)


def present(sample: SampleIds, kind: str) -> st.SearchStrategy[int]:
    """A record of the sample (an earlier command may have deleted it)."""
    return st.sampled_from(sample.ids[kind])


def pick(sample: SampleIds, kind: str) -> st.SearchStrategy[int]:
    """Mostly a record of the sample, sometimes one that never existed."""
    return mostly(present(sample, kind), st.just(MISSING))


def edit_values(sample: SampleIds, kind: str) -> st.SearchStrategy[dict[str, Any]]:
    fields: dict[str, st.SearchStrategy[Any]] = {
        "plan": {
            "title": TEXT,
            "status_date": DATES,
            "period_end": mostly(LATE_DATES, DATES),
            "protective_marking": st.sampled_from(["OFFICIAL", "OFFICIAL-SENSITIVE"]),
        },
        "theme": {"title": TEXT, "number": st.integers(0, 9)},
        "partner": {
            "name": st.sampled_from(["Northshire College", "northshire cvs", "New Body", ""]),
            "short_name": TEXT,
            "sector": st.sampled_from(["health", "education", "private_sector", "commercial"]),
        },
        "person": {
            "name": TEXT,
            "email": EMAILS,
            "organisation_id": st.one_of(st.none(), pick(sample, "partner")),
        },
        "action": {
            "title": TEXT,
            "ref": st.sampled_from([*sample.refs[:5], "9.9", "1.1 ", "a-1", "A-1"]),
            "status": STATUSES,
            "rag": RAGS,
            "percent": PERCENTS,
            "start": DATES,
            "due": mostly(LATE_DATES, DATES),
            "theme_id": pick(sample, "theme"),
        },
        "action_person": {
            "role": st.sampled_from(["A", "R", "C", "I", "Z"]),
            "person_id": pick(sample, "person"),
            "action_id": pick(sample, "action"),
        },
        "action_partner": {
            "role": st.sampled_from(["lead", "delivery", "consulted", "funder", "owner"]),
            "partner_id": pick(sample, "partner"),
        },
        "milestone": {
            "title": TEXT,
            "due": st.one_of(DATES, st.none()),
            "completed_on": st.one_of(DATES, st.none()),
            "owner_id": st.one_of(st.none(), pick(sample, "person")),
            "note": TEXT,
            "action_id": pick(sample, "action"),
        },
        "progress_update": {
            "commentary": TEXT,
            "percent": PERCENTS,
            "rag": RAGS,
            "status": STATUSES,
            "author_id": st.one_of(st.none(), pick(sample, "person")),
        },
        "rag_definition": {
            "name": TEXT,
            "colour": st.sampled_from(["#112233", "red", "#ABCDEF"]),
            "code": st.sampled_from(["R", "GR", "B"]),
        },
        "outcome": {"title": TEXT, "description": TEXT},
        "outcome_link": {
            "theme_id": st.one_of(st.none(), pick(sample, "theme")),
            "action_id": st.one_of(st.none(), pick(sample, "action")),
        },
        "measure": {
            "name": TEXT,
            "unit": st.sampled_from(["percent", "gbp", "days", "furlongs"]),
            "frequency": st.sampled_from(["quarterly", "annual"]),
            "outcome_id": st.one_of(st.none(), pick(sample, "outcome")),
            "baseline_value": NUMBERS,
        },
        "measure_value": {
            "target": NUMBERS,
            "actual": NUMBERS,
            "commentary": TEXT,
            "quarter": st.integers(-1, 5),
            "year": YEARS,
        },
        "benefit": {
            "title": TEXT,
            "kind": st.sampled_from(["cashable", "income", "windfall"]),
            "partner_id": st.one_of(st.none(), pick(sample, "partner")),
        },
        "benefit_value": {
            "planned": POUNDS,
            "realised": POUNDS,
            "validated_by_id": st.one_of(st.none(), pick(sample, "person")),
            "validated_on": st.one_of(st.none(), DATES),
            "year": YEARS,
        },
        "budget_line": {"budget": POUNDS, "spent": POUNDS, "year": YEARS},
        "funding": {"amount": POUNDS, "partner_id": pick(sample, "partner"), "year": YEARS},
    }[kind]
    names = sorted(fields)
    chosen = st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True).flatmap(
        lambda chosen: st.fixed_dictionaries({name: fields[name] for name in chosen})
    )
    unknown_field = st.just({"unknown_field": "x"})
    return mostly(chosen, unknown_field)


def edits(sample: SampleIds) -> st.SearchStrategy[Command]:
    def for_kind(kind: str) -> st.SearchStrategy[Command]:
        record = st.just(sample.plan_id) if kind == "plan" else pick(sample, kind)
        return st.builds(EditRecord, st.just(kind), record, edit_values(sample, kind))

    kinds = [
        "plan",
        "theme",
        "partner",
        "person",
        "action",
        "action_person",
        "action_partner",
        "milestone",
        "progress_update",
        "rag_definition",
        *PURPOSE_KINDS,
    ]
    return st.sampled_from(kinds).flatmap(for_kind)


def creates(sample: SampleIds) -> st.SearchStrategy[Command]:
    values = st.one_of(
        st.tuples(
            st.just("theme"),
            st.fixed_dictionaries({"number": st.integers(0, 10), "title": TEXT}),
        ),
        st.tuples(
            st.just("partner"),
            st.fixed_dictionaries(
                {
                    "name": st.sampled_from(["Northshire Housing Trust", "Northshire College"]),
                    "sector": st.sampled_from(["civil_society", "commercial"]),
                }
            ),
        ),
        st.tuples(
            st.just("person"),
            st.fixed_dictionaries(
                {"name": TEXT, "email": EMAILS},
                optional={"organisation_id": pick(sample, "partner")},
            ),
        ),
        st.tuples(
            st.just("action"),
            st.fixed_dictionaries(
                {
                    "theme_id": pick(sample, "theme"),
                    "ref": st.sampled_from(["8.1", "8.2", "1.1", "new-1"]),
                    "title": TEXT,
                },
                optional={
                    "status": STATUSES,
                    "rag": RAGS,
                    "percent": PERCENTS,
                    "start": DATES,
                    "due": LATE_DATES,
                },
            ),
        ),
        st.tuples(
            st.just("action_person"),
            st.fixed_dictionaries(
                {
                    "action_id": pick(sample, "action"),
                    "person_id": pick(sample, "person"),
                    "role": st.sampled_from(["A", "R", "C", "I"]),
                }
            ),
        ),
        st.tuples(
            st.just("action_partner"),
            st.fixed_dictionaries(
                {
                    "action_id": pick(sample, "action"),
                    "partner_id": pick(sample, "partner"),
                    "role": st.sampled_from(["lead", "delivery", "funder"]),
                }
            ),
        ),
        st.tuples(
            st.just("milestone"),
            st.fixed_dictionaries(
                {"action_id": pick(sample, "action"), "title": TEXT, "due": DATES},
                optional={"owner_id": pick(sample, "person"), "completed_on": DATES},
            ),
        ),
        st.tuples(
            st.just("progress_update"),
            st.fixed_dictionaries(
                {
                    "action_id": pick(sample, "action"),
                    "as_at": DATES,
                    "status": STATUSES,
                },
                optional={"rag": RAGS, "percent": PERCENTS},
            ),
        ),
        st.tuples(
            st.just("rag_definition"),
            st.fixed_dictionaries(
                {
                    "code": st.sampled_from(["GR", "R", "W"]),
                    "name": st.sampled_from(["Grey", "White"]),
                    "colour": st.sampled_from(["#95A5A6", "grey"]),
                }
            ),
        ),
    )
    purpose = st.one_of(
        st.tuples(st.just("outcome"), st.fixed_dictionaries({"title": TEXT})),
        st.tuples(
            st.just("outcome_link"),
            st.fixed_dictionaries(
                {"outcome_id": pick(sample, "outcome")},
                optional={"theme_id": pick(sample, "theme"), "action_id": pick(sample, "action")},
            ),
        ),
        st.tuples(
            st.just("measure"),
            st.fixed_dictionaries(
                {
                    "name": TEXT,
                    "unit": st.sampled_from(["percent", "number", "furlongs"]),
                    "better": st.sampled_from(["higher", "lower"]),
                    "frequency": st.sampled_from(["quarterly", "annual"]),
                },
                optional={"outcome_id": pick(sample, "outcome"), "baseline_value": NUMBERS},
            ),
        ),
        st.tuples(
            st.just("measure_value"),
            st.fixed_dictionaries(
                {"measure_id": pick(sample, "measure"), "year": YEARS},
                optional={"quarter": st.integers(-1, 5), "target": NUMBERS, "actual": NUMBERS},
            ),
        ),
        st.tuples(
            st.just("benefit"),
            st.fixed_dictionaries(
                {
                    "action_id": pick(sample, "action"),
                    "title": TEXT,
                    "kind": st.sampled_from(["cashable", "qualitative", "windfall"]),
                }
            ),
        ),
        st.tuples(
            st.just("benefit_value"),
            st.fixed_dictionaries(
                {"benefit_id": pick(sample, "benefit"), "year": YEARS},
                optional={"planned": POUNDS, "realised": POUNDS},
            ),
        ),
        st.tuples(
            st.just("budget_line"),
            st.fixed_dictionaries(
                {"action_id": pick(sample, "action"), "year": YEARS},
                optional={"budget": POUNDS, "spent": POUNDS},
            ),
        ),
        st.tuples(
            st.just("funding"),
            st.fixed_dictionaries(
                {
                    "action_id": pick(sample, "action"),
                    "partner_id": pick(sample, "partner"),
                    "year": YEARS,
                },
                optional={"amount": POUNDS},
            ),
        ),
    )
    return st.one_of(values, purpose).map(lambda kind_values: CreateRecord(*kind_values))


def deletes(sample: SampleIds) -> st.SearchStrategy[Command]:
    kinds = [
        "theme",
        "partner",
        "person",
        "action",
        "action_person",
        "action_partner",
        "milestone",
        "progress_update",
        "rag_definition",
        *PURPOSE_KINDS,
    ]
    return st.sampled_from(kinds).flatmap(
        lambda kind: st.builds(DeleteRecord, st.just(kind), pick(sample, kind))
    )


def moves(sample: SampleIds) -> st.SearchStrategy[Command]:
    return st.one_of(
        st.builds(
            MoveAction,
            pick(sample, "action"),
            pick(sample, "theme"),
            st.one_of(st.none(), st.integers(-1, 8)),
        ),
        st.builds(MoveTheme, pick(sample, "theme"), st.integers(0, 9)),
        st.builds(
            SetLeadOfficer, pick(sample, "action"), st.one_of(st.none(), pick(sample, "person"))
        ),
    )


def rebaselines(sample: SampleIds) -> st.SearchStrategy[Command]:
    return st.sampled_from(["action", "milestone"]).flatmap(
        lambda kind: st.builds(
            Rebaseline,
            kind=st.just(kind),
            record_id=pick(sample, kind),
            new_due=DATES,
            reason=st.sampled_from(["Supplier delay", "", "Board agreed a later date"]),
            approved_by=st.sampled_from(["Partnership Board", " "]),
            decision_ref=st.sampled_from(["", "Cabinet minute 12/14"]),
            decided_on=st.one_of(st.none(), DATES),
            move_due=st.booleans(),
        )
    )


def progress_updates(sample: SampleIds) -> st.SearchStrategy[Command]:
    return st.builds(
        AddProgressUpdate,
        pick(sample, "action"),
        st.fixed_dictionaries(
            {"as_at": st.dates(date(2011, 1, 1), date(2013, 12, 31) + timedelta(days=120))},
            optional={
                "status": STATUSES,
                "rag": RAGS,
                "percent": PERCENTS,
                "commentary": TEXT,
                "author_id": pick(sample, "person"),
            },
        ),
    )


def commands(sample: SampleIds) -> st.SearchStrategy[Command]:
    single = st.one_of(
        edits(sample),
        edits(sample),
        creates(sample),
        deletes(sample),
        moves(sample),
        rebaselines(sample),
        progress_updates(sample),
    )
    batch = st.lists(single, min_size=2, max_size=3).map(lambda cs: Batch(cs, "Import"))
    # an import-like batch that usually applies: progress figures, a milestone, a move
    returns = st.tuples(
        st.builds(
            EditRecord,
            st.just("action"),
            present(sample, "action"),
            st.fixed_dictionaries({"percent": PERCENTS, "rag": RAGS}),
        ),
        st.builds(
            CreateRecord,
            st.just("milestone"),
            st.fixed_dictionaries(
                {"action_id": present(sample, "action"), "title": TEXT, "due": DATES}
            ),
        ),
        st.builds(MoveAction, present(sample, "action"), present(sample, "theme")),
    ).map(lambda cs: Batch(list(cs), "Import of returns.xlsx"))
    return st.sampled_from([single] * 8 + [returns, batch]).flatmap(lambda chosen: chosen)


# ----- the property --------------------------------------------------------------------


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_inverses_in_reverse_order_restore_the_plan_exactly(
    sample: SampleIds, tmp_path: Path, data: st.DataObject
) -> None:
    length = data.draw(st.integers(1, 15), label="length")
    sequence = data.draw(
        st.lists(commands(sample), min_size=length, max_size=length), label="commands"
    )
    data_dir = tmp_path / f"data-{next(_EXAMPLES)}"
    plan_file = PlanFile.open(sample.path, data_dir=data_dir)
    try:
        runner = runner_for(plan_file, who="Property Tester")
        original = snapshot(plan_file)
        applied: list[Applied] = []
        current = original
        for command in sequence:
            try:
                applied.append(runner.execute(command))
            except (ValidationError, NotFoundError) as error:
                event(f"refused: {type(error).__name__}")
                assert str(error), "a refusal must say why"
                assert snapshot(plan_file) == current, f"refused {command!r} changed the plan"
                continue
            event(f"applied: {type(command).__name__}")
            current = snapshot(plan_file)
        for done in reversed(applied):
            runner.undo(done)
        assert snapshot(plan_file) == original
    finally:
        plan_file.close(discard=True)
