"""Proposals from returned copies, as the review lists them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.domain import ProposalState
from planner.domain.dates import format_uk
from planner.store.models import Partner, Person, Proposal, Theme


@dataclass(frozen=True)
class ProposalRow:
    id: int
    kind: str  # "action" or "milestone"
    title: str
    state: str
    proposed_on: date
    proposed_by: str
    partner: str  # the body that proposed it
    lead: str  # the lead officer (or a milestone's owner) as named, "" when none
    lead_is_new: bool  # the lead is not yet one of the plan's people
    where: str  # "Theme 6. Digital Access & Inclusion" or "Action 6.1"
    needs_theme: bool  # a new action naming no theme of the plan
    details: str  # dates, status and commentary sent with it, in a sentence
    decided: str  # "Accepted by Helen Ashworth on 21/01/2014", "" while pending

    @property
    def pending(self) -> bool:
        return self.state == ProposalState.PENDING.value


def pending_proposals(session: Session, plan_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Proposal)
            .where(Proposal.plan_id == plan_id, Proposal.state == ProposalState.PENDING.value)
        )
        or 0
    )


def proposal_rows(session: Session, plan_id: int, *, decided: bool = False) -> list[ProposalRow]:
    """The plan's proposals waiting for review (and, with `decided`, those accepted or
    declined), newest first."""
    themes = {
        number: title
        for number, title in session.execute(
            select(Theme.number, Theme.title).where(Theme.plan_id == plan_id)
        )
    }
    query = (
        select(Proposal, Partner.name, Person.name)
        .outerjoin(Partner, Partner.id == Proposal.partner_id)
        .outerjoin(Person, Person.id == Proposal.lead_person_id)
        .where(Proposal.plan_id == plan_id)
        .order_by(Proposal.proposed_on.desc(), Proposal.id)
    )
    if not decided:
        query = query.where(Proposal.state == ProposalState.PENDING.value)
    rows: list[ProposalRow] = []
    for proposal, partner, person in session.execute(query):
        try:
            details = json.loads(proposal.details or "{}")
        except ValueError:
            details = {}
        if not isinstance(details, dict):
            details = {}
        number = details.get("theme_number")
        if proposal.kind == "action":
            where = (
                f"Theme {number}. {themes[number]}"
                if number in themes
                else f"No theme of the plan ('{details.get('theme') or 'none given'}')"
            )
        else:
            where = f"Action {details.get('action_ref') or '?'}"
        rows.append(
            ProposalRow(
                id=proposal.id,
                kind=proposal.kind,
                title=proposal.title,
                state=proposal.state,
                proposed_on=proposal.proposed_on,
                proposed_by=proposal.proposed_by,
                partner=partner or "",
                lead=person or proposal.lead_name,
                lead_is_new=person is None and bool(proposal.lead_name),
                where=where,
                needs_theme=proposal.kind == "action" and number not in themes,
                details=_details_text(proposal.kind, details),
                decided=_decided_text(proposal),
            )
        )
    return rows


def _details_text(kind: str, details: dict[str, object]) -> str:
    parts: list[str] = []
    for key, label in (("start", "starts"), ("due", "due"), ("completed", "completed")):
        value = details.get(key)
        if isinstance(value, str) and value:
            try:
                parts.append(f"{label} {format_uk(date.fromisoformat(value[:10]))}")
            except ValueError:
                continue
    if kind == "action" and details.get("description"):
        parts.append(str(details["description"]))
    for key in ("commentary", "note"):
        if details.get(key):
            parts.append(f"“{details[key]}”")
    return "; ".join(parts)


def _decided_text(proposal: Proposal) -> str:
    if proposal.state == ProposalState.PENDING.value:
        return ""
    when = f" on {format_uk(proposal.decided_on)}" if proposal.decided_on else ""
    who = f" by {proposal.decided_by}" if proposal.decided_by else ""
    return f"{ProposalState(proposal.state).label}{who}{when}"
