"""The plan's directory: people and partner bodies, with how much of the plan each carries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.domain import PartnerRole, RaciRole, Sector
from planner.store.models import (
    Action,
    ActionPartner,
    ActionPerson,
    Milestone,
    Partner,
    PartnerContact,
    Person,
    Plan,
)

_SECTOR_ORDER = {sector.value: number for number, sector in enumerate(Sector)}


@dataclass(frozen=True)
class PersonRow:
    """One person as the People view shows them."""

    id: int
    name: str
    job_title: str
    organisation_id: int | None
    organisation: str  # the partner body's name, "" when none
    email: str
    lead_on: int  # actions where they are Accountable (the lead officer)
    responsible_for: int
    consulted_on: int
    informed_on: int
    open_milestones: int  # milestones they own that are not completed
    overdue_milestones: int  # of those, due before the plan's status date

    @property
    def actions(self) -> int:
        """Actions they are named on, in any role."""
        return self.lead_on + self.responsible_for + self.consulted_on + self.informed_on


@dataclass(frozen=True)
class ContactRow:
    """A named contact at a partner body."""

    id: int
    partner_id: int
    partner: str  # the body's name
    name: str
    role: str
    email: str
    phone: str
    round_contact: bool


@dataclass(frozen=True)
class PartnerRow:
    """One partner body as the Partner bodies view shows it."""

    id: int
    name: str
    short_name: str
    sector: str  # a Sector value
    people: int  # people whose organisation it is
    lead_on: int  # actions where it is the lead partner
    delivery_on: int
    consulted_on: int
    funder_on: int
    round_contact: str = ""  # the contact its round workbook is addressed to
    round_email: str = ""

    @property
    def sector_label(self) -> str:
        found = Sector.from_text(self.sector) if self.sector else None
        return found.label if found is not None else self.sector

    @property
    def actions(self) -> int:
        """Actions it is linked to, in any role."""
        return self.lead_on + self.delivery_on + self.consulted_on + self.funder_on


def person_rows(session: Session, plan_id: int) -> list[PersonRow]:
    """Every person in the plan with their action and milestone counts, sorted by name."""
    people = session.execute(
        select(
            Person.id,
            Person.name,
            Person.job_title,
            Person.organisation_id,
            Partner.name,
            Person.email,
        )
        .outerjoin(Partner, Partner.id == Person.organisation_id)
        .where(Person.plan_id == plan_id)
    ).all()

    roles: dict[int, dict[str, int]] = defaultdict(dict)
    for person_id, role, count in session.execute(
        select(ActionPerson.person_id, ActionPerson.role, func.count())
        .join(Action, Action.id == ActionPerson.action_id)
        .where(Action.plan_id == plan_id)
        .group_by(ActionPerson.person_id, ActionPerson.role)
    ):
        roles[person_id][role] = count

    status_date = session.scalar(select(Plan.status_date).where(Plan.id == plan_id))
    open_count: dict[int, int] = defaultdict(int)
    overdue_count: dict[int, int] = defaultdict(int)
    for owner_id, due in session.execute(
        select(Milestone.owner_id, Milestone.due)
        .join(Action, Action.id == Milestone.action_id)
        .where(
            Action.plan_id == plan_id,
            Milestone.owner_id.is_not(None),
            Milestone.completed_on.is_(None),
        )
    ):
        if owner_id is None:
            continue
        open_count[owner_id] += 1
        if due is not None and status_date is not None and due < status_date:
            overdue_count[owner_id] += 1

    rows = [
        PersonRow(
            id=person_id,
            name=name,
            job_title=job_title or "",
            organisation_id=organisation_id,
            organisation=organisation or "",
            email=email or "",
            lead_on=roles[person_id].get(RaciRole.ACCOUNTABLE.value, 0),
            responsible_for=roles[person_id].get(RaciRole.RESPONSIBLE.value, 0),
            consulted_on=roles[person_id].get(RaciRole.CONSULTED.value, 0),
            informed_on=roles[person_id].get(RaciRole.INFORMED.value, 0),
            open_milestones=open_count[person_id],
            overdue_milestones=overdue_count[person_id],
        )
        for person_id, name, job_title, organisation_id, organisation, email in people
    ]
    rows.sort(key=lambda row: (row.name.casefold(), row.id))
    return rows


def partner_rows(session: Session, plan_id: int) -> list[PartnerRow]:
    """Every partner body with its people and action counts, by sector then name."""
    partners = session.execute(
        select(Partner.id, Partner.name, Partner.short_name, Partner.sector).where(
            Partner.plan_id == plan_id
        )
    ).all()

    people: dict[int, int] = {}
    for organisation_id, count in session.execute(
        select(Person.organisation_id, func.count())
        .where(Person.plan_id == plan_id, Person.organisation_id.is_not(None))
        .group_by(Person.organisation_id)
    ):
        if organisation_id is not None:
            people[organisation_id] = count

    roles: dict[int, dict[str, int]] = defaultdict(dict)
    for partner_id, role, count in session.execute(
        select(ActionPartner.partner_id, ActionPartner.role, func.count())
        .join(Action, Action.id == ActionPartner.action_id)
        .where(Action.plan_id == plan_id)
        .group_by(ActionPartner.partner_id, ActionPartner.role)
    ):
        roles[partner_id][role] = count

    addressed = {contact.partner_id: contact for contact in round_contacts(session, plan_id)}
    rows = [
        PartnerRow(
            id=partner_id,
            name=name,
            short_name=short_name or "",
            sector=sector,
            people=people.get(partner_id, 0),
            lead_on=roles[partner_id].get(PartnerRole.LEAD.value, 0),
            delivery_on=roles[partner_id].get(PartnerRole.DELIVERY.value, 0),
            consulted_on=roles[partner_id].get(PartnerRole.CONSULTED.value, 0),
            funder_on=roles[partner_id].get(PartnerRole.FUNDER.value, 0),
            round_contact=addressed[partner_id].name if partner_id in addressed else "",
            round_email=addressed[partner_id].email if partner_id in addressed else "",
        )
        for partner_id, name, short_name, sector in partners
    ]
    rows.sort(key=partner_sort_key)
    return rows


def partner_sort_key(row: PartnerRow) -> tuple[int, str, int]:
    """Sector in the vocabulary's order (local government first), then name."""
    return (_SECTOR_ORDER.get(row.sector, len(_SECTOR_ORDER)), row.name.casefold(), row.id)


def contact_rows(session: Session, plan_id: int, partner_id: int | None = None) -> list[ContactRow]:
    """The contacts of every partner body (or of one), round contact first, then by name."""
    query = (
        select(
            PartnerContact.id,
            PartnerContact.partner_id,
            Partner.name,
            PartnerContact.name,
            PartnerContact.role,
            PartnerContact.email,
            PartnerContact.phone,
            PartnerContact.round_contact,
        )
        .join(Partner, Partner.id == PartnerContact.partner_id)
        .where(Partner.plan_id == plan_id)
    )
    if partner_id is not None:
        query = query.where(PartnerContact.partner_id == partner_id)
    rows = [ContactRow(*row) for row in session.execute(query)]
    rows.sort(key=lambda row: (row.partner.casefold(), not row.round_contact, row.name.casefold()))
    return rows


def round_contacts(session: Session, plan_id: int) -> list[ContactRow]:
    """Each partner body's round contact: the one marked, else its only contact."""
    by_partner: dict[int, list[ContactRow]] = defaultdict(list)
    for row in contact_rows(session, plan_id):
        by_partner[row.partner_id].append(row)
    chosen: list[ContactRow] = []
    for contacts in by_partner.values():
        marked = [row for row in contacts if row.round_contact]
        if marked or len(contacts) == 1:
            chosen.append((marked or contacts)[0])
    return chosen
