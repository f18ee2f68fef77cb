"""Proposals: new actions and milestones sent in a returned copy wait here until an
officer accepts or declines them."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.commands.base import Command, Context
from planner.commands.changes import RowChange
from planner.commands.edits import CreateRecord, EditRecord, next_free_ref
from planner.commands.tables import read_row, table
from planner.domain import PartnerRole, ProposalState, RaciRole, Status
from planner.errors import NotFoundError, ValidationError


def proposal_details(row: dict[str, Any]) -> dict[str, Any]:
    try:
        details = json.loads(row.get("details") or "{}")
    except ValueError:
        return {}
    return details if isinstance(details, dict) else {}


def _pending(session: Session, context: Context, proposal_id: int) -> dict[str, Any]:
    row = read_row(session, "proposal", proposal_id)
    if row is None or row["plan_id"] != context.plan_id:
        raise NotFoundError("That proposal is no longer in this plan.")
    if row["state"] != ProposalState.PENDING.value:
        state = ProposalState(row["state"]).label.lower()
        raise ValidationError(
            "state",
            f"The proposal '{row['title']}' has already been {state} by {row['decided_by']}.",
        )
    return row


def _iso(text: Any) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


def _person_named(session: Session, plan_id: int, name: str) -> int | None:
    people = table("person")
    found = session.scalar(
        select(people.c.id).where(
            people.c.plan_id == plan_id, func.lower(people.c.name) == name.strip().casefold()
        )
    )
    return int(found) if found is not None else None


def _partners_named(session: Session, plan_id: int, text: str) -> list[int]:
    partners = table("partner")
    found: list[int] = []
    for name in re.split(r"[,;\n]+", text or ""):
        wanted = name.strip().casefold()
        if not wanted:
            continue
        partner_id = session.scalar(
            select(partners.c.id).where(
                partners.c.plan_id == plan_id,
                (func.lower(partners.c.name) == wanted)
                | (func.lower(partners.c.short_name) == wanted),
            )
        )
        if partner_id is not None and partner_id not in found:
            found.append(int(partner_id))
    return found


class AcceptProposal(Command):
    """Add a proposed action (with its lead officer and partner bodies) or milestone to the
    plan; a lead named but not yet in the plan is added as a new person."""

    def __init__(self, proposal_id: int, theme_id: int | None = None) -> None:
        self.proposal_id = proposal_id
        self.theme_id = theme_id
        self.description = "Accept proposal"

    def apply(self, session: Session, context: Context) -> list[RowChange]:
        proposal = _pending(session, context, self.proposal_id)
        details = proposal_details(proposal)
        changes: list[RowChange] = []
        lead_id = proposal["lead_person_id"]
        lead_name = str(proposal["lead_name"] or "").strip()
        if lead_id is None and lead_name:
            lead_id = _person_named(session, context.plan_id, lead_name)
            if lead_id is None:
                person = CreateRecord(
                    "person",
                    {"name": lead_name, "organisation_id": proposal["partner_id"]},
                ).apply(session, context)
                changes.extend(person)
                lead_id = person[0].row_id
        if proposal["kind"] == "action":
            record = self._action(session, context, proposal, details, lead_id, changes)
        else:
            record = self._milestone(session, context, proposal, details, lead_id, changes)
        changes.extend(
            EditRecord(
                "proposal",
                self.proposal_id,
                {
                    "state": ProposalState.ACCEPTED.value,
                    "decided_by": context.who[:200],
                    "decided_on": date.today(),
                    "record_uid": record,
                },
            ).apply(session, context)
        )
        self.description = f"Accept the proposal '{proposal['title']}'"
        return changes

    def _action(
        self,
        session: Session,
        context: Context,
        proposal: dict[str, Any],
        details: dict[str, Any],
        lead_id: int | None,
        changes: list[RowChange],
    ) -> str:
        themes = table("theme")
        theme_id = self.theme_id
        if theme_id is None and details.get("theme_number") is not None:
            theme_id = session.scalar(
                select(themes.c.id).where(
                    themes.c.plan_id == context.plan_id,
                    themes.c.number == int(details["theme_number"]),
                )
            )
        if theme_id is None:
            raise ValidationError(
                "theme_id",
                f"The proposed action '{proposal['title']}' does not name a theme of the plan; "
                "choose the theme it belongs to.",
            )
        actions = table("action")
        ref = str(details.get("ref") or "").strip()
        taken = session.scalar(
            select(func.count())
            .select_from(actions)
            .where(actions.c.plan_id == context.plan_id, actions.c.ref == ref)
        )
        if not ref or taken:
            ref = next_free_ref(session, context.plan_id, theme_id)
        created = CreateRecord(
            "action",
            {
                "theme_id": theme_id,
                "ref": ref,
                "title": proposal["title"],
                "description": details.get("description") or "",
                "start": _iso(details.get("start")),
                "due": _iso(details.get("due")),
                "status": details.get("status") or Status.NOT_STARTED.value,
                "rag": details.get("rag"),
                "percent": details.get("percent") or 0,
            },
        ).apply(session, context)
        changes.extend(created)
        action_id = created[0].row_id
        if lead_id is not None:
            changes.extend(
                CreateRecord(
                    "action_person",
                    {"action_id": action_id, "person_id": lead_id, "role": RaciRole.ACCOUNTABLE},
                ).apply(session, context)
            )
        partner_ids = _partners_named(session, context.plan_id, str(details.get("partners", "")))
        if proposal["partner_id"] is not None and proposal["partner_id"] not in partner_ids:
            partner_ids.insert(0, proposal["partner_id"])
        for partner_id in partner_ids:
            changes.extend(
                CreateRecord(
                    "action_partner",
                    {
                        "action_id": action_id,
                        "partner_id": partner_id,
                        "role": PartnerRole.DELIVERY.value,
                    },
                ).apply(session, context)
            )
        return str((created[0].after or {}).get("uid", ""))

    @staticmethod
    def _milestone(
        session: Session,
        context: Context,
        proposal: dict[str, Any],
        details: dict[str, Any],
        owner_id: int | None,
        changes: list[RowChange],
    ) -> str:
        actions = table("action")
        ref = str(details.get("action_ref") or "").strip()
        action_id = session.scalar(
            select(actions.c.id).where(actions.c.plan_id == context.plan_id, actions.c.ref == ref)
        )
        if action_id is None:
            raise ValidationError(
                "action_id",
                f"The proposed milestone '{proposal['title']}' is for action '{ref}', which is "
                "not in the plan.",
            )
        created = CreateRecord(
            "milestone",
            {
                "action_id": action_id,
                "title": proposal["title"],
                "due": _iso(details.get("due")),
                "completed_on": _iso(details.get("completed")),
                "note": details.get("note") or "",
                "owner_id": owner_id,
            },
        ).apply(session, context)
        changes.extend(created)
        return str((created[0].after or {}).get("uid", ""))


class DeclineProposal(Command):
    """Decline a proposal: it stays on record, and nothing is added to the plan."""

    def __init__(self, proposal_id: int) -> None:
        self.proposal_id = proposal_id
        self.description = "Decline proposal"

    def apply(self, session: Session, context: Context) -> list[RowChange]:
        proposal = _pending(session, context, self.proposal_id)
        self.description = f"Decline the proposal '{proposal['title']}'"
        return EditRecord(
            "proposal",
            self.proposal_id,
            {
                "state": ProposalState.DECLINED.value,
                "decided_by": context.who[:200],
                "decided_on": date.today(),
            },
        ).apply(session, context)
