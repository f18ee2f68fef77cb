"""The kinds of record a plan holds: their editable fields and the rules they obey."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.commands.tables import Row, table
from planner.domain import PartnerRole, ProposalState, RaciRole, ReturnRule, Sector, Status
from planner.domain.dates import format_uk
from planner.domain.measures import Better, Frequency, Unit
from planner.domain.money import BenefitType, PoundsError, format_pounds, parse_pounds
from planner.domain.periods import Period, PeriodError
from planner.domain.vocab import LabelledEnum
from planner.errors import ValidationError

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class FieldSpec:
    label: str
    value_type: str  # text, date, int, number, money, year, choice, ref, bool
    required: bool = False
    choices: type[LabelledEnum] | None = None
    ref: str | None = None  # kind name a ref field points at
    max_length: int | None = None


@dataclass(frozen=True)
class Kind:
    name: str  # also the table name
    label: str
    fields: dict[str, FieldSpec]
    parent: tuple[str, str] | None = None  # (field, kind) that ties a record into the plan
    title_field: str | None = None
    extra_rules: list[Callable[[Session, int, Row, Row | None], None]] = field(default_factory=list)

    def describe(self, row: Row) -> str:
        if self.name == "action":
            return f"action {row.get('ref')}"
        if self.title_field and row.get(self.title_field):
            return f"{self.label} '{row[self.title_field]}'"
        return self.label


def _text(label: str, required: bool = False, max_length: int | None = 200) -> FieldSpec:
    return FieldSpec(label, "text", required=required, max_length=max_length)


KINDS: dict[str, Kind] = {}


def _kind(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind


# ----- rules ----------------------------------------------------------------------


def _plan_rule(session: Session, plan_id: int, row: Row, before: Row | None) -> None:
    _date_order(row, "period_start", "period_end", "The period end", "the period start")
    for name, label in (
        ("measure_tolerance", "The tolerance for measures"),
        ("spend_tolerance", "The tolerance for spend"),
    ):
        value = row.get(name)
        if value is not None and not 0 <= value <= 100:
            raise ValidationError(name, f"{label} must be between 0% and 100%, not {value:g}%.")


def _date_order(row: Row, first: str, second: str, second_label: str, first_label: str) -> None:
    if row.get(first) and row.get(second) and row[second] < row[first]:
        raise ValidationError(
            second,
            f"{second_label} ({format_uk(row[second])}) is before {first_label} "
            f"({format_uk(row[first])}).",
        )


def _unique(
    session: Session, kind: str, row: Row, field_name: str, scope: dict[str, Any], message: str
) -> None:
    tbl = table(kind)
    value = row.get(field_name)
    query = select(func.count()).select_from(tbl).where(tbl.c[field_name] == value)
    if isinstance(value, str):
        query = (
            select(func.count())
            .select_from(tbl)
            .where(func.lower(tbl.c[field_name]) == value.lower())
        )
    for key, scope_value in scope.items():
        query = query.where(tbl.c[key] == scope_value)
    if row.get("id") is not None:
        query = query.where(tbl.c.id != row["id"])
    if session.scalar(query):
        raise ValidationError(field_name, message)


def _rag_codes(session: Session, plan_id: int) -> list[str]:
    tbl = table("rag_definition")
    return list(
        session.scalars(
            select(tbl.c.code).where(tbl.c.plan_id == plan_id).order_by(tbl.c.position, tbl.c.id)
        )
    )


def _check_rag(session: Session, plan_id: int, row: Row) -> None:
    rag = row.get("rag")
    if rag is not None and rag not in _rag_codes(session, plan_id):
        codes = ", ".join(_rag_codes(session, plan_id))
        raise ValidationError("rag", f"RAG '{rag}' is not one of this plan's ratings ({codes}).")


def _check_percent(row: Row) -> None:
    percent = row.get("percent")
    if percent is not None and not 0 <= percent <= 100:
        raise ValidationError("percent", f"% complete must be between 0 and 100, not {percent}.")


def _action_rule(session: Session, plan_id: int, row: Row, before: Row | None) -> None:
    if before is None or before.get("ref") != row.get("ref"):
        _unique(
            session,
            "action",
            row,
            "ref",
            {"plan_id": plan_id},
            f"There is already an action {row['ref']} in this plan; each ref must be unique.",
        )
    _date_order(row, "start", "due", "The due date", "the start date")
    _check_percent(row)
    _check_rag(session, plan_id, row)


def _theme_rule(session: Session, plan_id: int, row: Row, before: Row | None) -> None:
    if row["number"] < 1:
        raise ValidationError("number", "A theme number must be 1 or more.")
    _unique(
        session,
        "theme",
        row,
        "number",
        {"plan_id": plan_id},
        f"There is already a theme {row['number']} in this plan.",
    )


def _partner_rule(session: Session, plan_id: int, row: Row, before: Row | None) -> None:
    _unique(
        session,
        "partner",
        row,
        "name",
        {"plan_id": plan_id},
        f"There is already a partner body called '{row['name']}'.",
    )


def _person_rule(session: Session, plan_id: int, row: Row, before: Row | None) -> None:
    _check_email(row)


def _check_email(row: Row) -> None:
    email = row.get("email") or ""
    if email and not EMAIL.match(email):
        raise ValidationError(
            "email", f"'{email}' is not an email address (it should look like name@example.gov.uk)."
        )


def _contact_rule(session: Session, plan_id: int, row: Row, before: Row | None) -> None:
    _check_email(row)
    if not row.get("round_contact"):
        return
    tbl = table("partner_contact")
    other = session.scalar(
        select(tbl.c.name).where(
            tbl.c.partner_id == row["partner_id"],
            tbl.c.round_contact.is_(True),
            tbl.c.id != (row.get("id") or -1),
        )
    )
    if other is not None:
        raise ValidationError(
            "round_contact",
            f"{other} is already this partner body's round contact; a body has one.",
        )


def _outcome_link_rule(session: Session, plan_id: int, row: Row, before: Row | None) -> None:
    if (row.get("theme_id") is None) == (row.get("action_id") is None):
        raise ValidationError("theme_id", "An outcome is served by a theme or an action: name one.")
    served_by = "theme" if row.get("theme_id") is not None else "action"
    _unique(
        session,
        "outcome_link",
        row,
        f"{served_by}_id",
        {"outcome_id": row["outcome_id"]},
        f"That {served_by} already serves this outcome.",
    )


def _check_year(row: Row) -> None:
    year = row.get("year")
    if year is not None and not 2000 <= year <= 2099:
        raise ValidationError("year", f"{year} is not a financial year this plan can hold.")


def _check_not_negative(row: Row, names: dict[str, str]) -> None:
    for name, label in names.items():
        value = row.get(name)
        if value is not None and value < 0:
            raise ValidationError(
                name, f"{label} cannot be less than nothing ({format_pounds(value)})."
            )


def _measure_value_rule(session: Session, plan_id: int, row: Row, before: Row | None) -> None:
    _check_year(row)
    quarter = row.get("quarter") or 0
    if not 0 <= quarter <= 4:
        raise ValidationError(
            "quarter", f"A quarter is 1 to 4 (or none for the whole year), not {quarter}."
        )
    measure = table("measure")
    frequency = session.scalar(select(measure.c.frequency).where(measure.c.id == row["measure_id"]))
    if frequency == Frequency.ANNUAL and quarter:
        raise ValidationError(
            "quarter", "This measure is annual: give one figure for the whole year."
        )
    period = Period(row["year"], quarter or None)
    _unique(
        session,
        "measure_value",
        row,
        "year",
        {"measure_id": row["measure_id"], "quarter": quarter},
        f"This measure already has a figure for {period.label}.",
    )


def _benefit_value_rule(session: Session, plan_id: int, row: Row, before: Row | None) -> None:
    _check_year(row)
    _check_not_negative(row, {"planned": "The planned value", "realised": "The realised value"})
    _unique_year(session, "benefit_value", row, {"benefit_id": row["benefit_id"]}, "This benefit")


def _budget_line_rule(session: Session, plan_id: int, row: Row, before: Row | None) -> None:
    _check_year(row)
    _check_not_negative(row, {"budget": "The budget", "spent": "The spend"})
    _unique_year(session, "budget_line", row, {"action_id": row["action_id"]}, "This action")


def _funding_rule(session: Session, plan_id: int, row: Row, before: Row | None) -> None:
    _check_year(row)
    _check_not_negative(row, {"amount": "The amount"})
    _unique_year(
        session,
        "funding",
        row,
        {"action_id": row["action_id"], "partner_id": row["partner_id"]},
        "This partner body",
    )


def _unique_year(session: Session, kind: str, row: Row, scope: dict[str, Any], who: str) -> None:
    what = {"benefit_value": "figures", "budget_line": "a budget", "funding": "funding"}[kind]
    _unique(
        session,
        kind,
        row,
        "year",
        scope,
        f"{who} already has {what} for {Period(row['year']).label}; change that instead.",
    )


def _action_person_rule(session: Session, plan_id: int, row: Row, before: Row | None) -> None:
    tbl = table("action_person")
    others = select(tbl.c.person_id, tbl.c.role).where(tbl.c.action_id == row["action_id"])
    if row.get("id") is not None:
        others = others.where(tbl.c.id != row["id"])
    existing = session.execute(others).all()
    if any(person_id == row["person_id"] for person_id, _ in existing):
        raise ValidationError(
            "person_id", "That person is already linked to this action; change their role instead."
        )
    if row["role"] == RaciRole.ACCOUNTABLE:
        leads = [person_id for person_id, role in existing if role == RaciRole.ACCOUNTABLE]
        if leads:
            people = table("person")
            name = session.scalar(select(people.c.name).where(people.c.id == leads[0]))
            raise ValidationError(
                "role",
                f"This action already has a lead officer ({name}); an action has only one "
                "Accountable person. Change their role first.",
            )


def _action_partner_rule(session: Session, plan_id: int, row: Row, before: Row | None) -> None:
    tbl = table("action_partner")
    query = (
        select(func.count())
        .select_from(tbl)
        .where(tbl.c.action_id == row["action_id"], tbl.c.partner_id == row["partner_id"])
    )
    if row.get("id") is not None:
        query = query.where(tbl.c.id != row["id"])
    if session.scalar(query):
        raise ValidationError(
            "partner_id", "That partner body is already linked to this action; change its role."
        )


def _milestone_rule(session: Session, plan_id: int, row: Row, before: Row | None) -> None:
    pass


def _update_rule(session: Session, plan_id: int, row: Row, before: Row | None) -> None:
    _check_percent(row)
    _check_rag(session, plan_id, row)


def _rag_definition_rule(session: Session, plan_id: int, row: Row, before: Row | None) -> None:
    if before is not None and before["code"] != row["code"] and _rating_in_use(session, before):
        raise ValidationError(
            "code",
            f"The code of {before['name']} cannot change while actions or updates are rated "
            f"{before['code']}; re-rate them first.",
        )
    if not COLOUR.match(row.get("colour") or ""):
        raise ValidationError("colour", "A RAG colour must be written like #C0392B.")
    _unique(
        session,
        "rag_definition",
        row,
        "code",
        {"plan_id": plan_id},
        f"There is already a rating with the code '{row['code']}'.",
    )


def _round_rule(session: Session, plan_id: int, row: Row, before: Row | None) -> None:
    if row.get("recipients") not in ("partner", "lead"):
        raise ValidationError("recipients", "A round goes to partner bodies or lead officers.")
    _date_order(row, "as_at", "return_by", "The return-by date", "the round's status date")


def _rating_in_use(session: Session, rating: Row) -> bool:
    actions, updates = table("action"), table("progress_update")
    in_actions = select(actions.c.id).where(
        actions.c.plan_id == rating["plan_id"], actions.c.rag == rating["code"]
    )
    in_updates = (
        select(updates.c.id)
        .join(actions, actions.c.id == updates.c.action_id)
        .where(actions.c.plan_id == rating["plan_id"], updates.c.rag == rating["code"])
    )
    return session.execute(in_actions.union_all(in_updates).limit(1)).first() is not None


# ----- the kinds ------------------------------------------------------------------

_kind(
    Kind(
        "plan",
        "plan",
        {
            "title": _text("Title", required=True),
            "organisation": _text("Organisation"),
            "period_start": FieldSpec("Period start", "date"),
            "period_end": FieldSpec("Period end", "date"),
            "status_date": FieldSpec("Status date", "date", required=True),
            "protective_marking": _text("Protective marking", max_length=60),
            "return_rule": FieldSpec(
                "Who may change progress in a returned copy", "choice", choices=ReturnRule
            ),
            "round_email": _text("Round email", max_length=None),
            "measure_tolerance": FieldSpec("Tolerance for measures (%)", "number"),
            "spend_tolerance": FieldSpec("Tolerance for spend (%)", "number"),
        },
        title_field="title",
        extra_rules=[_plan_rule],
    )
)
_kind(
    Kind(
        "rag_definition",
        "RAG rating",
        {
            "code": _text("Code", required=True, max_length=4),
            "name": _text("Name", required=True, max_length=40),
            "colour": _text("Colour", required=True, max_length=9),
            "meaning": _text("Meaning", max_length=None),
            "position": FieldSpec("Position", "int"),
        },
        parent=("plan_id", "plan"),
        title_field="name",
        extra_rules=[_rag_definition_rule],
    )
)
_kind(
    Kind(
        "theme",
        "theme",
        {"number": FieldSpec("Number", "int", required=True), "title": _text("Title", True)},
        parent=("plan_id", "plan"),
        title_field="title",
        extra_rules=[_theme_rule],
    )
)
_kind(
    Kind(
        "partner",
        "partner body",
        {
            "name": _text("Name", required=True),
            "short_name": _text("Short name", max_length=40),
            "sector": FieldSpec("Sector", "choice", required=True, choices=Sector),
        },
        parent=("plan_id", "plan"),
        title_field="name",
        extra_rules=[_partner_rule],
    )
)
_kind(
    Kind(
        "partner_contact",
        "contact",
        {
            "partner_id": FieldSpec("Partner body", "ref", required=True, ref="partner"),
            "name": _text("Name", required=True),
            "role": _text("Role"),
            "email": _text("Email"),
            "phone": _text("Phone", max_length=40),
            "round_contact": FieldSpec("Round contact", "bool"),
        },
        parent=("partner_id", "partner"),
        title_field="name",
        extra_rules=[_contact_rule],
    )
)
_kind(
    Kind(
        "person",
        "person",
        {
            "name": _text("Name", required=True),
            "job_title": _text("Job title"),
            "organisation_id": FieldSpec("Organisation", "ref", ref="partner"),
            "email": _text("Email"),
        },
        parent=("plan_id", "plan"),
        title_field="name",
        extra_rules=[_person_rule],
    )
)
_kind(
    Kind(
        "action",
        "action",
        {
            "theme_id": FieldSpec("Theme", "ref", required=True, ref="theme"),
            "position": FieldSpec("Position", "int"),
            "ref": _text("Ref", required=True, max_length=20),
            "title": _text("Title", required=True, max_length=300),
            "description": _text("Description", max_length=None),
            "start": FieldSpec("Start", "date"),
            "due": FieldSpec("Due", "date"),
            "baseline_due": FieldSpec("Baseline due", "date"),
            "status": FieldSpec("Status", "choice", required=True, choices=Status),
            "rag": _text("RAG", max_length=4),
            "percent": FieldSpec("% complete", "int"),
        },
        parent=("plan_id", "plan"),
        title_field="title",
        extra_rules=[_action_rule],
    )
)
_kind(
    Kind(
        "action_person",
        "person's role on an action",
        {
            "action_id": FieldSpec("Action", "ref", required=True, ref="action"),
            "person_id": FieldSpec("Person", "ref", required=True, ref="person"),
            "role": FieldSpec("Role", "choice", required=True, choices=RaciRole),
        },
        parent=("action_id", "action"),
        extra_rules=[_action_person_rule],
    )
)
_kind(
    Kind(
        "action_partner",
        "partner body's role on an action",
        {
            "action_id": FieldSpec("Action", "ref", required=True, ref="action"),
            "partner_id": FieldSpec("Partner body", "ref", required=True, ref="partner"),
            "role": FieldSpec("Role", "choice", required=True, choices=PartnerRole),
        },
        parent=("action_id", "action"),
        extra_rules=[_action_partner_rule],
    )
)
_kind(
    Kind(
        "milestone",
        "milestone",
        {
            "action_id": FieldSpec("Action", "ref", required=True, ref="action"),
            "title": _text("Milestone", required=True, max_length=300),
            "due": FieldSpec("Due", "date", required=True),
            "baseline_due": FieldSpec("Baseline due", "date"),
            "completed_on": FieldSpec("Completed", "date"),
            "owner_id": FieldSpec("Owner", "ref", ref="person"),
            "note": _text("Note", max_length=None),
        },
        parent=("action_id", "action"),
        title_field="title",
        extra_rules=[_milestone_rule],
    )
)
_kind(
    Kind(
        "progress_update",
        "progress update",
        {
            "action_id": FieldSpec("Action", "ref", required=True, ref="action"),
            "as_at": FieldSpec("As at", "date", required=True),
            "status": FieldSpec("Status", "choice", required=True, choices=Status),
            "rag": _text("RAG", max_length=4),
            "percent": FieldSpec("% complete", "int"),
            "commentary": _text("Commentary", max_length=None),
            "author_id": FieldSpec("Author", "ref", ref="person"),
            "author_name": _text("Author"),
            "partner_id": FieldSpec("Partner body", "ref", ref="partner"),
        },
        parent=("action_id", "action"),
        extra_rules=[_update_rule],
    )
)


_kind(
    Kind(
        "update_round",
        "update round",
        {
            "title": _text("Title", required=True),
            "recipients": _text("Sent to", required=True, max_length=20),
            "as_at": FieldSpec("As at", "date", required=True),
            "return_by": FieldSpec("Return by", "date"),
            "started_on": FieldSpec("Started", "date", required=True),
            "folder": _text("Folder", max_length=None),
        },
        parent=("plan_id", "plan"),
        title_field="title",
        extra_rules=[_round_rule],
    )
)
_kind(
    Kind(
        "round_recipient",
        "recipient of an update round",
        {
            "round_id": FieldSpec("Round", "ref", required=True, ref="update_round"),
            "partner_id": FieldSpec("Partner body", "ref", ref="partner"),
            "person_id": FieldSpec("Person", "ref", ref="person"),
            "name": _text("Recipient", required=True),
            "file_name": _text("Workbook", required=True, max_length=300),
            "returned_on": FieldSpec("Returned", "date"),
            "returned_by": _text("Returned by"),
            "returned_file": _text("Returned workbook", max_length=300),
            "contact": _text("Addressed to"),
            "email": _text("Email"),
        },
        parent=("round_id", "update_round"),
        title_field="name",
    )
)
_kind(
    Kind(
        "merged_return",
        "merged return",
        {
            "export_id": _text("Export", max_length=64),
            "round_uid": _text("Round", max_length=32),
            "fingerprint": _text("Fingerprint", required=True, max_length=64),
            "file_name": _text("Workbook", max_length=300),
            "recipient": _text("Sent to"),
            "partner_id": FieldSpec("Partner body", "ref", ref="partner"),
            "person_id": FieldSpec("Person", "ref", ref="person"),
            "returned_by": _text("Returned by"),
            "exported_at": FieldSpec("Exported", "date"),
            "returned_at": FieldSpec("Returned", "date"),
            "merged_at": FieldSpec("Merged", "date", required=True),
            "merged_by": _text("Merged by"),
            "warnings": _text("Warnings", max_length=None),
        },
        parent=("plan_id", "plan"),
        title_field="file_name",
    )
)
_kind(
    Kind(
        "returned_value",
        "returned value",
        {
            "return_id": FieldSpec("Return", "ref", required=True, ref="merged_return"),
            "entity": _text("Record kind", required=True, max_length=40),
            "record_uid": _text("Record", required=True, max_length=32),
            "field": _text("Field", required=True, max_length=60),
            "value": _text("Value", max_length=None),
            "previous": _text("Value in the plan", max_length=None),
            "outcome": _text("Outcome", required=True, max_length=20),
            "made_uid": _text("Made", max_length=32),
        },
        parent=("return_id", "merged_return"),
    )
)
_kind(
    Kind(
        "proposal",
        "proposal",
        {
            "return_id": FieldSpec("Return", "ref", ref="merged_return"),
            "kind": _text("Kind", required=True, max_length=20),
            "title": _text("Title", required=True, max_length=300),
            "details": _text("Details", max_length=None),
            "partner_id": FieldSpec("Partner body", "ref", ref="partner"),
            "proposed_by": _text("Proposed by"),
            "proposed_on": FieldSpec("Proposed on", "date", required=True),
            "lead_name": _text("Lead officer"),
            "lead_person_id": FieldSpec("Lead officer", "ref", ref="person"),
            "state": FieldSpec("State", "choice", required=True, choices=ProposalState),
            "decided_by": _text("Decided by"),
            "decided_on": FieldSpec("Decided on", "date"),
            "record_uid": _text("Record", max_length=32),
        },
        parent=("plan_id", "plan"),
        title_field="title",
    )
)


_kind(
    Kind(
        "outcome",
        "outcome",
        {
            "title": _text("Outcome", required=True, max_length=300),
            "description": _text("Description", max_length=None),
            "position": FieldSpec("Position", "int"),
        },
        parent=("plan_id", "plan"),
        title_field="title",
    )
)
_kind(
    Kind(
        "outcome_link",
        "link between an outcome and the plan",
        {
            "outcome_id": FieldSpec("Outcome", "ref", required=True, ref="outcome"),
            "theme_id": FieldSpec("Theme", "ref", ref="theme"),
            "action_id": FieldSpec("Action", "ref", ref="action"),
        },
        parent=("outcome_id", "outcome"),
        extra_rules=[_outcome_link_rule],
    )
)
_kind(
    Kind(
        "measure",
        "measure",
        {
            "name": _text("Measure", required=True, max_length=300),
            "definition": _text("Definition", max_length=None),
            "outcome_id": FieldSpec("Outcome", "ref", ref="outcome"),
            "action_id": FieldSpec("Action", "ref", ref="action"),
            "position": FieldSpec("Position", "int"),
            "unit": FieldSpec("Unit", "choice", required=True, choices=Unit),
            "better": FieldSpec("Better", "choice", required=True, choices=Better),
            "frequency": FieldSpec("Frequency", "choice", required=True, choices=Frequency),
            "owner_id": FieldSpec("Owner", "ref", ref="person"),
            "source_id": FieldSpec("Source", "ref", ref="partner"),
            "baseline_value": FieldSpec("Baseline", "number"),
            "baseline_on": FieldSpec("Baseline date", "date"),
        },
        parent=("plan_id", "plan"),
        title_field="name",
    )
)
_kind(
    Kind(
        "measure_value",
        "measure's figure",
        {
            "measure_id": FieldSpec("Measure", "ref", required=True, ref="measure"),
            "year": FieldSpec("Financial year", "year", required=True),
            "quarter": FieldSpec("Quarter", "int"),
            "target": FieldSpec("Target", "number"),
            "actual": FieldSpec("Actual", "number"),
            "commentary": _text("Commentary", max_length=None),
            "data_quality": _text("Data quality", max_length=None),
        },
        parent=("measure_id", "measure"),
        extra_rules=[_measure_value_rule],
    )
)
_kind(
    Kind(
        "benefit",
        "benefit",
        {
            "action_id": FieldSpec("Action", "ref", required=True, ref="action"),
            "title": _text("Benefit", required=True, max_length=300),
            "kind": FieldSpec("Type", "choice", required=True, choices=BenefitType),
            "partner_id": FieldSpec("Received by", "ref", ref="partner"),
            "evidence": _text("Evidence", max_length=None),
        },
        parent=("action_id", "action"),
        title_field="title",
    )
)
_kind(
    Kind(
        "benefit_value",
        "benefit's figures for a year",
        {
            "benefit_id": FieldSpec("Benefit", "ref", required=True, ref="benefit"),
            "year": FieldSpec("Financial year", "year", required=True),
            "planned": FieldSpec("Planned", "money"),
            "realised": FieldSpec("Realised", "money"),
            "validated_by_id": FieldSpec("Validated by", "ref", ref="person"),
            "validated_on": FieldSpec("Validated on", "date"),
        },
        parent=("benefit_id", "benefit"),
        extra_rules=[_benefit_value_rule],
    )
)
_kind(
    Kind(
        "budget_line",
        "budget",
        {
            "action_id": FieldSpec("Action", "ref", required=True, ref="action"),
            "year": FieldSpec("Financial year", "year", required=True),
            "budget": FieldSpec("Budget", "money"),
            "spent": FieldSpec("Spent to date", "money"),
            "note": _text("Note", max_length=None),
        },
        parent=("action_id", "action"),
        extra_rules=[_budget_line_rule],
    )
)
_kind(
    Kind(
        "funding",
        "funding",
        {
            "action_id": FieldSpec("Action", "ref", required=True, ref="action"),
            "partner_id": FieldSpec("Funder", "ref", required=True, ref="partner"),
            "year": FieldSpec("Financial year", "year", required=True),
            "amount": FieldSpec("Amount", "money"),
        },
        parent=("action_id", "action"),
        extra_rules=[_funding_rule],
    )
)


# ----- generic checks -------------------------------------------------------------


def record_plan_id(session: Session, kind: Kind, row: Row) -> int | None:
    """The plan a record belongs to, following its parent link."""
    if kind.name == "plan":
        return int(row["id"]) if row.get("id") is not None else None
    if kind.parent is None:
        return None
    parent_field, parent_kind = kind.parent
    parent_id = row.get(parent_field)
    if parent_field == "plan_id":
        return int(parent_id) if parent_id is not None else None
    tbl = table(parent_kind)
    if "plan_id" in tbl.c:
        return session.scalar(select(tbl.c.plan_id).where(tbl.c.id == parent_id))
    parent = _fetch(session, parent_kind, parent_id) if parent_id is not None else None
    return record_plan_id(session, KINDS[parent_kind], parent) if parent else None


def check_values(kind: Kind, values: dict[str, Any]) -> dict[str, Any]:
    """Check types and required values; returns the values with text trimmed."""
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        spec = kind.fields.get(name)
        if spec is None:
            raise ValidationError(name, f"'{name}' is not something a {kind.label} has.")
        if isinstance(value, str) and spec.value_type in ("text", "choice"):
            value = value.strip()
            if value == "" and spec.value_type == "choice":
                value = None
            if value == "" and name == "rag":
                value = None
        if spec.value_type == "bool":
            if value is not None and not isinstance(value, bool):
                raise ValidationError(name, f"{spec.label} must be yes or no, not '{value}'.")
            cleaned[name] = bool(value)
            continue
        if value is None or value == "":
            if spec.required:
                raise ValidationError(name, f"{spec.label} cannot be empty.")
            cleaned[name] = None if spec.value_type != "text" or name == "rag" else ""
            continue
        if spec.value_type == "text":
            if not isinstance(value, str):
                raise ValidationError(name, f"{spec.label} must be text.")
            if spec.max_length and len(value) > spec.max_length:
                raise ValidationError(
                    name,
                    f"{spec.label} is too long ({len(value)} characters; at most "
                    f"{spec.max_length}).",
                )
        elif spec.value_type == "date":
            if not isinstance(value, date):
                raise ValidationError(name, f"{spec.label}: '{value}' is not a date.")
        elif spec.value_type == "number":
            value = _number(name, spec, value)
        elif spec.value_type == "money":
            value = _pounds(name, spec, value)
        elif spec.value_type == "year":
            value = _financial_year(name, spec, value)
        elif spec.value_type in ("int", "ref"):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValidationError(name, f"{spec.label} must be a whole number, not '{value}'.")
        elif spec.value_type == "choice":
            assert spec.choices is not None
            try:
                value = spec.choices(value)
            except ValueError:
                found = spec.choices.from_text(str(value))
                if found is not None:
                    cleaned[name] = str(found.value)
                    continue
                allowed = ", ".join(member.label for member in spec.choices)
                raise ValidationError(
                    name, f"{spec.label} '{value}' is not one of: {allowed}."
                ) from None
            value = str(value.value)
        cleaned[name] = value
    return cleaned


def _number(name: str, spec: FieldSpec, value: Any) -> float:
    if isinstance(value, str):
        try:
            number = float(value.replace(",", "").strip().rstrip("%"))
        except ValueError:
            raise ValidationError(name, f"{spec.label} must be a number, not '{value}'.") from None
        value = number
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValidationError(name, f"{spec.label} must be a number, not '{value}'.")
    if not math.isfinite(value):
        raise ValidationError(name, f"{spec.label} must be a number, not '{value}'.")
    return float(value)


def _pounds(name: str, spec: FieldSpec, value: Any) -> int:
    """Whole pounds, from a number or text such as '£1,250,000' or '£250k'."""
    try:
        amount = parse_pounds(value) if isinstance(value, str) else Decimal(str(value))
    except (PoundsError, InvalidOperation):
        raise ValidationError(
            name, f"{spec.label}: '{value}' is not an amount of money (write £1,250,000)."
        ) from None
    if not amount.is_finite():
        raise ValidationError(
            name, f"{spec.label}: '{value}' is not an amount of money (write £1,250,000)."
        )
    if isinstance(value, bool) or amount != amount.to_integral_value():
        raise ValidationError(name, f"{spec.label} is kept in whole pounds, not '{value}'.")
    return int(amount)


def _financial_year(name: str, spec: FieldSpec, value: Any) -> int:
    """The year a financial year starts in, from 2013 or text such as '2013/14'."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        period = Period.parse(str(value))
    except PeriodError as error:
        raise ValidationError(name, f"{spec.label}: {error}") from None
    if period.quarter is not None:
        raise ValidationError(name, f"{spec.label} is a whole year such as 2013/14, not '{value}'.")
    return period.year


def check_record(session: Session, kind: Kind, plan_id: int, row: Row, before: Row | None) -> None:
    """Every rule for a whole record as it would be after the change."""
    for name, spec in kind.fields.items():
        if spec.required and (row.get(name) is None or row.get(name) == ""):
            raise ValidationError(name, f"{spec.label} cannot be empty.")
        if spec.value_type == "ref" and row.get(name) is not None:
            assert spec.ref is not None
            target = KINDS[spec.ref]
            target_row_plan = record_plan_id(
                session, target, _fetch(session, spec.ref, row[name]) or {}
            )
            if target_row_plan != plan_id:
                raise ValidationError(
                    name, f"{spec.label}: that {target.label} does not exist in this plan."
                )
    for rule in kind.extra_rules:
        rule(session, plan_id, row, before)


def _fetch(session: Session, kind_name: str, row_id: int) -> Row | None:
    tbl = table(kind_name)
    found = session.execute(select(tbl).where(tbl.c.id == row_id)).mappings().one_or_none()
    return dict(found) if found is not None else None
