"""The built-in sample plan, kept as data in resources/sample/northshire.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from planner import paths
from planner.domain.periods import Period
from planner.store.models import (
    Action,
    ActionPartner,
    ActionPerson,
    BaselineChange,
    Benefit,
    BenefitValue,
    BudgetLine,
    Funding,
    Measure,
    MeasureValue,
    Milestone,
    Outcome,
    OutcomeLink,
    Partner,
    PartnerContact,
    Person,
    Plan,
    ProgressUpdate,
    Proposal,
    RagDefinitionRow,
    Theme,
    new_uid,
)
from planner.store.planfile import PlanFile

SAMPLE_FILE = "sample/northshire.json"


def sample_data() -> dict[str, Any]:
    with (paths.resources_dir() / SAMPLE_FILE).open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def _insert_many(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows with one executemany, ids given up front; returns the ids in order."""
    if not rows:
        return []
    first = int(session.scalar(select(func.max(model.id))) or 0) + 1
    ids = list(range(first, first + len(rows)))
    session.connection().execute(
        insert(model.__table__),
        [{**row, "id": row_id} for row, row_id in zip(rows, ids, strict=True)],
    )
    return ids


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def fill_plan(session: Session, plan_id: int, data: dict[str, Any]) -> None:
    """Add the themes, people, partners and actions in `data` to an empty plan."""
    plan = data["plan"]
    rags = plan.get("rag_definitions")
    if rags:
        session.execute(delete(RagDefinitionRow).where(RagDefinitionRow.plan_id == plan_id))
        _insert_many(
            session,
            RagDefinitionRow,
            [
                {
                    "plan_id": plan_id,
                    "code": rag["code"],
                    "name": rag["name"],
                    "colour": rag["colour"],
                    "meaning": rag.get("meaning", ""),
                    "position": position,
                }
                for position, rag in enumerate(rags)
            ],
        )
    partners = data.get("partners", [])
    partner_ids = dict(
        zip(
            [partner["key"] for partner in partners],
            _insert_many(
                session,
                Partner,
                [
                    {
                        "uid": new_uid(),
                        "plan_id": plan_id,
                        "name": partner["name"],
                        "short_name": partner.get("short_name", ""),
                        "sector": partner["sector"],
                    }
                    for partner in partners
                ],
            ),
            strict=True,
        )
    )
    _insert_many(
        session,
        PartnerContact,
        [
            {
                "uid": new_uid(),
                "partner_id": partner_ids[partner["key"]],
                "name": contact["name"],
                "role": contact.get("role", ""),
                "email": contact.get("email", ""),
                "phone": contact.get("phone", ""),
                "round_contact": bool(contact.get("round_contact")),
            }
            for partner in partners
            for contact in partner.get("contacts", [])
        ],
    )
    people = data.get("people", [])
    person_ids = dict(
        zip(
            [person["key"] for person in people],
            _insert_many(
                session,
                Person,
                [
                    {
                        "uid": new_uid(),
                        "plan_id": plan_id,
                        "name": person["name"],
                        "job_title": person.get("job_title", ""),
                        "organisation_id": partner_ids.get(person.get("organisation") or ""),
                        "email": person.get("email") or "",
                    }
                    for person in people
                ],
            ),
            strict=True,
        )
    )
    themes = data.get("themes", [])
    theme_ids = _insert_many(
        session,
        Theme,
        [
            {
                "uid": new_uid(),
                "plan_id": plan_id,
                "number": theme["number"],
                "title": theme["title"],
            }
            for theme in themes
        ],
    )
    actions = [
        (theme_id, position, action)
        for theme_id, theme in zip(theme_ids, themes, strict=True)
        for position, action in enumerate(theme.get("actions", []))
    ]
    action_ids = _insert_many(
        session,
        Action,
        [
            {
                "uid": new_uid(),
                "plan_id": plan_id,
                "theme_id": theme_id,
                "position": position,
                "ref": action["ref"],
                "title": action["title"],
                "description": action.get("description") or "",
                "start": _date(action.get("start")),
                "due": _date(action.get("due")),
                "baseline_due": _date(action.get("baseline_due") or action.get("due")),
                "status": action.get("status", "not_started"),
                "rag": action.get("rag"),
                "percent": action.get("percent", 0),
            }
            for theme_id, position, action in actions
        ],
    )
    pairs = list(zip(action_ids, [action for _, _, action in actions], strict=True))
    _insert_many(
        session,
        ActionPerson,
        [
            {"action_id": action_id, "person_id": person_ids[link["person"]], "role": link["role"]}
            for action_id, action in pairs
            for link in action.get("people", [])
        ],
    )
    _insert_many(
        session,
        ActionPartner,
        [
            {
                "action_id": action_id,
                "partner_id": partner_ids[link["partner"]],
                "role": link["role"],
            }
            for action_id, action in pairs
            for link in action.get("partners", [])
        ],
    )
    milestone_ids = _insert_many(
        session,
        Milestone,
        [
            {
                "uid": new_uid(),
                "action_id": action_id,
                "title": milestone["title"],
                "due": _date(milestone["due"]),
                "baseline_due": _date(milestone.get("baseline_due") or milestone["due"]),
                "completed_on": _date(milestone.get("completed")),
                "owner_id": person_ids.get(milestone.get("owner") or ""),
                "note": milestone.get("note") or "",
            }
            for action_id, action in pairs
            for milestone in action.get("milestones", [])
        ],
    )
    _insert_many(
        session,
        ProgressUpdate,
        [
            {
                "uid": new_uid(),
                "action_id": action_id,
                "as_at": _date(entry["as_at"]),
                "status": entry["status"],
                "rag": entry.get("rag"),
                "percent": entry.get("percent", 0),
                "commentary": entry.get("commentary") or "",
                "author_id": person_ids.get(entry.get("author") or ""),
            }
            for action_id, action in pairs
            for entry in action.get("updates", [])
        ],
    )
    changes: list[dict[str, Any]] = []
    next_milestone = 0
    for action_id, action in pairs:
        own_milestones = milestone_ids[
            next_milestone : next_milestone + len(action.get("milestones", []))
        ]
        next_milestone += len(own_milestones)
        for change in action.get("rebaselines", []):
            target = change.get("target", "action")
            milestone_id = None
            if target.startswith("milestone:"):
                milestone_id = own_milestones[int(target.split(":", 1)[1])]
            changes.append(
                {
                    "action_id": None if milestone_id else action_id,
                    "milestone_id": milestone_id,
                    "old_due": _date(change.get("old_due")),
                    "new_due": _date(change["new_due"]),
                    "reason": change["reason"],
                    "approved_by": change["approved_by"],
                    "decision_ref": change.get("decision_ref") or "",
                    "decided_on": _date(change.get("decided_on")),
                }
            )
    _insert_many(session, BaselineChange, changes)
    _insert_many(
        session,
        Proposal,
        [
            {
                "uid": new_uid(),
                "plan_id": plan_id,
                "kind": proposal["kind"],
                "title": proposal["title"],
                "details": json.dumps(proposal.get("details", {})),
                "partner_id": partner_ids.get(proposal.get("partner") or ""),
                "proposed_by": proposal.get("proposed_by", ""),
                "proposed_on": _date(proposal["proposed_on"]),
                "lead_name": proposal.get("lead_name", ""),
                "lead_person_id": person_ids.get(proposal.get("lead") or ""),
                "state": proposal.get("state", "pending"),
                "decided_by": "",
                "record_uid": "",
            }
            for proposal in data.get("proposals", [])
        ],
    )
    _fill_purpose(
        session,
        plan_id,
        data,
        Ids(
            partners=partner_ids,
            people=person_ids,
            themes={
                theme["number"]: theme_id for theme, theme_id in zip(themes, theme_ids, strict=True)
            },
            actions={action["ref"]: action_id for action_id, action in pairs},
        ),
    )


@dataclass(frozen=True)
class Ids:
    """The ids the plan data's keys became: partner and person keys, theme numbers and
    action refs."""

    partners: dict[str, int]
    people: dict[str, int]
    themes: dict[int, int]
    actions: dict[str, int]


def _year(text: str) -> int:
    return Period.parse(text).year


def _fill_purpose(session: Session, plan_id: int, data: dict[str, Any], ids: Ids) -> None:
    """The outcomes with their links and measures, and each action's benefits and money."""
    outcomes = data.get("outcomes", [])
    outcome_ids = _insert_many(
        session,
        Outcome,
        [
            {
                "uid": new_uid(),
                "plan_id": plan_id,
                "position": position,
                "title": outcome["title"],
                "description": outcome.get("description", ""),
            }
            for position, outcome in enumerate(outcomes)
        ],
    )
    pairs = list(zip(outcome_ids, outcomes, strict=True))
    _insert_many(
        session,
        OutcomeLink,
        [
            {"outcome_id": outcome_id, "theme_id": ids.themes[number], "action_id": None}
            for outcome_id, outcome in pairs
            for number in outcome.get("themes", [])
        ]
        + [
            {"outcome_id": outcome_id, "theme_id": None, "action_id": ids.actions[ref]}
            for outcome_id, outcome in pairs
            for ref in outcome.get("actions", [])
        ],
    )
    measures = [
        (outcome_id, position, measure)
        for outcome_id, outcome in pairs
        for position, measure in enumerate(outcome.get("measures", []))
    ]
    measure_ids = _insert_many(
        session,
        Measure,
        [
            {
                "uid": new_uid(),
                "plan_id": plan_id,
                "outcome_id": outcome_id,
                "action_id": ids.actions.get(measure.get("action") or ""),
                "position": position,
                "name": measure["name"],
                "definition": measure.get("definition", ""),
                "unit": measure["unit"],
                "better": measure["better"],
                "frequency": measure["frequency"],
                "owner_id": ids.people.get(measure.get("owner") or ""),
                "source_id": ids.partners.get(measure.get("source") or ""),
                "baseline_value": measure.get("baseline_value"),
                "baseline_on": _date(measure.get("baseline_on")),
            }
            for outcome_id, position, measure in measures
        ],
    )
    values = []
    for measure_id, (_, _, measure) in zip(measure_ids, measures, strict=True):
        for value in measure.get("values", []):
            period = Period.parse(value["period"])
            values.append(
                {
                    "uid": new_uid(),
                    "measure_id": measure_id,
                    "year": period.year,
                    "quarter": period.quarter or 0,
                    "target": value.get("target"),
                    "actual": value.get("actual"),
                    "commentary": value.get("commentary", ""),
                    "data_quality": value.get("data_quality", ""),
                }
            )
    _insert_many(session, MeasureValue, values)
    actions = [
        (ids.actions[action["ref"]], action)
        for theme in data.get("themes", [])
        for action in theme.get("actions", [])
    ]
    benefits = [
        (action_id, benefit)
        for action_id, action in actions
        for benefit in action.get("benefits", [])
    ]
    benefit_ids = _insert_many(
        session,
        Benefit,
        [
            {
                "uid": new_uid(),
                "action_id": action_id,
                "title": benefit["title"],
                "kind": benefit["kind"],
                "partner_id": ids.partners.get(benefit.get("partner") or ""),
                "evidence": benefit.get("evidence", ""),
            }
            for action_id, benefit in benefits
        ],
    )
    _insert_many(
        session,
        BenefitValue,
        [
            {
                "uid": new_uid(),
                "benefit_id": benefit_id,
                "year": _year(value["year"]),
                "planned": value.get("planned"),
                "realised": value.get("realised"),
                "validated_by_id": ids.people.get(value.get("validated_by") or ""),
                "validated_on": _date(value.get("validated_on")),
            }
            for benefit_id, (_, benefit) in zip(benefit_ids, benefits, strict=True)
            for value in benefit.get("values", [])
        ],
    )
    _insert_many(
        session,
        BudgetLine,
        [
            {
                "uid": new_uid(),
                "action_id": action_id,
                "year": _year(line["year"]),
                "budget": line.get("budget", 0),
                "spent": line.get("spent", 0),
                "note": line.get("note", ""),
            }
            for action_id, action in actions
            for line in action.get("budget", [])
        ],
    )
    _insert_many(
        session,
        Funding,
        [
            {
                "uid": new_uid(),
                "action_id": action_id,
                "partner_id": ids.partners[line["partner"]],
                "year": _year(line["year"]),
                "amount": line.get("amount", 0),
            }
            for action_id, action in actions
            for line in action.get("funding", [])
        ],
    )


def create_from_data(
    path: str | Path, data: dict[str, Any], *, overwrite: bool = False, data_dir: Path | None = None
) -> PlanFile:
    """Write a new plan file from plan data (the sample's format) and return it open."""
    plan = data["plan"]

    def fill(session: Session, plan_id: int) -> None:
        fill_plan(session, plan_id, data)

    plan_file = PlanFile.create(
        path,
        title=plan["title"],
        organisation=plan.get("organisation", ""),
        period_start=_date(plan.get("period_start")),
        period_end=_date(plan.get("period_end")),
        status_date=_date(plan.get("status_date")),
        protective_marking=plan.get("protective_marking", "OFFICIAL"),
        overwrite=overwrite,
        data_dir=data_dir,
        fill=fill,
    )
    if plan.get("uid"):
        with plan_file.Session.begin() as session:
            session.execute(
                update(Plan).where(Plan.id == plan_file.plan_id).values(uid=plan["uid"])
            )
        plan_file.save()
    return plan_file


def write_sample(
    path: str | Path, *, overwrite: bool = False, data_dir: Path | None = None
) -> PlanFile:
    """Write the built-in Northshire sample plan to `path` and return it open."""
    return create_from_data(path, sample_data(), overwrite=overwrite, data_dir=data_dir)
