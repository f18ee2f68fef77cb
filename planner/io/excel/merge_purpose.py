"""Merging the Measures and Benefits sheets of a returned workbook: a measure's actual,
commentary and data quality for a period, and a benefit's realised value for a year.

They follow the rules of an action's progress: matched by the row's hidden ID, changed
when the returned value differs from the one exported, owned or only suggested. A
measure's figures are owned by its owner, the owner's organisation and the body the
figures come from; a benefit's by the owners of its action (its lead officer and lead
partner body). A period's actual, commentary and data quality travel together."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain.periods import Period
from planner.io.excel.layout import BENEFIT_COLUMNS, MEASURE_COLUMNS
from planner.io.excel.reading import ReturnedRow, ReturnedWorkbook
from planner.store.models import Action, Benefit, BenefitValue, Measure, MeasureValue, Person

# The merge's comparer, owners and changes (planner.io.excel.merge, which imports this).
_Compare = Any
_Owners = Any
FieldChange = Any

MEASURE_FIELDS = {column.key: column for column in MEASURE_COLUMNS}
BENEFIT_FIELDS = {column.key: column for column in BENEFIT_COLUMNS}
MEASURE_VALUES = ("actual", "commentary", "data_quality")
TEXT_VALUES = ("commentary", "data_quality")


class MeasureOwners:
    """Who owns each measure's figures: its owner, the owner's organisation, its source."""

    def __init__(self, session: Session, plan_id: int, actions: _Owners) -> None:
        self.actions = actions
        self.people: dict[int, int | None] = {}
        self.bodies: dict[int, set[int]] = {}
        for measure_id, owner_id, source_id, organisation_id in session.execute(
            select(Measure.id, Measure.owner_id, Measure.source_id, Person.organisation_id)
            .outerjoin(Person, Person.id == Measure.owner_id)
            .where(Measure.plan_id == plan_id)
        ):
            self.people[measure_id] = owner_id
            self.bodies[measure_id] = {b for b in (source_id, organisation_id) if b is not None}

    def measure(self, measure_id: int) -> bool:
        sender = self.actions.sender
        if sender.owns_everything:
            return True
        person = sender.person_id
        if person is not None and self.people.get(measure_id) == person:
            return True
        return sender.partner_id in self.bodies.get(measure_id, set())

    def benefit(self, action_id: int) -> bool:
        return bool(self.actions.action(action_id))


def _rows_by_uid(
    returned: list[ReturnedRow], sheet: str, known: dict[str, Any], what: str, ignored: list[str]
) -> list[tuple[ReturnedRow, Any]]:
    """The returned rows matched to the plan's records by ID, once each; rows without
    an ID (a partner cannot add measures or benefits here) and unknown IDs are listed."""
    seen: set[str] = set()
    found: list[tuple[ReturnedRow, Any]] = []
    for row in returned:
        if not row.id:
            ignored.append(
                f"{sheet} row {row.row} has no ID, so it was ignored: new {what} are added "
                "in the plan itself."
            )
            continue
        record = known.get(row.id)
        if record is None:
            ignored.append(
                f"{sheet} row {row.row}: ID {row.id} is not in the plan (it may have been "
                "deleted), so the row was ignored."
            )
            continue
        if row.id in seen:
            ignored.append(
                f"{sheet} row {row.row} repeats an earlier row; only the first was read."
            )
            continue
        seen.add(row.id)
        found.append((row, record))
    return found


def compare_measures(compare: _Compare, owners: MeasureOwners, returned: ReturnedWorkbook) -> None:
    if not returned.measures:
        return
    known = {
        found.uid: found
        for found in compare.session.execute(
            select(
                MeasureValue.id,
                MeasureValue.uid,
                MeasureValue.measure_id,
                MeasureValue.year,
                MeasureValue.quarter,
                MeasureValue.actual,
                MeasureValue.commentary,
                MeasureValue.data_quality,
                Measure.name,
            )
            .join(Measure, Measure.id == MeasureValue.measure_id)
            .where(Measure.plan_id == compare.plan_id)
        )
    }
    ignored = compare.preview.ignored
    for row, value in _rows_by_uid(returned.measures, "Measures", known, "measures", ignored):
        period = Period(value.year, value.quarter or None)
        label = f"Measure '{value.name}' {period.label}"
        now = {
            "actual": None if value.actual is None else float(value.actual),
            "commentary": value.commentary or "",
            "data_quality": value.data_quality or "",
        }
        for key in TEXT_VALUES:
            if key in row.values and row.values[key] is None:
                row.values[key] = ""
        changes: list[FieldChange] = []
        for key in MEASURE_VALUES:
            change = compare._change(
                "measure_value",
                value.id,
                value.uid,
                label,
                MEASURE_FIELDS[key],
                key,
                now[key],
                row,
                key,
            )
            if change is not None:
                changes.append(change)
        compare._unit(changes, suggestion=not owners.measure(value.measure_id))


def compare_benefits(compare: _Compare, owners: MeasureOwners, returned: ReturnedWorkbook) -> None:
    if not returned.benefits:
        return
    known = {
        found.uid: found
        for found in compare.session.execute(
            select(
                BenefitValue.id,
                BenefitValue.uid,
                BenefitValue.year,
                BenefitValue.realised,
                Benefit.title,
                Benefit.action_id,
                Action.ref,
            )
            .join(Benefit, Benefit.id == BenefitValue.benefit_id)
            .join(Action, Action.id == Benefit.action_id)
            .where(Action.plan_id == compare.plan_id)
        )
    }
    ignored = compare.preview.ignored
    for row, value in _rows_by_uid(returned.benefits, "Benefits", known, "benefits", ignored):
        label = f"Benefit '{value.title}' ({value.ref}) {Period(value.year).label}"
        change = compare._change(
            "benefit_value",
            value.id,
            value.uid,
            label,
            BENEFIT_FIELDS["realised"],
            "realised",
            value.realised,
            row,
            "realised",
        )
        if change is not None:
            compare._unit([change], suggestion=not owners.benefit(value.action_id))
