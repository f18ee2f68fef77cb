"""What goes into an exported workbook, read from the plan once, with no Excel in sight."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import PartnerRole, RaciRole, Sector
from planner.domain.dates import format_long
from planner.io.excel.purpose_content import PurposeContent, gather_purpose
from planner.queries import (
    ActionRow,
    MilestoneRow,
    action_rows,
    filter_actions,
    milestone_rows,
    names,
)
from planner.queries.actions import ActionFilter
from planner.queries.directory import ContactRow, contact_rows
from planner.queries.lookups import PlanHeader, plan_header
from planner.queries.summary import DUE_SOON_DAYS
from planner.store.models import ActionPartner, ActionPerson, Partner, Person, Theme, new_uid
from planner.store.schema import SCHEMA_VERSION


@dataclass(frozen=True)
class ExportSlice:
    """Which actions to send: all, or those of some partners, people or themes.

    Within one kind the choices add up (partner A or B); across kinds they narrow
    (partner A's actions in theme 3)."""

    partner_ids: frozenset[int] = frozenset()
    person_ids: frozenset[int] = frozenset()
    theme_ids: frozenset[int] = frozenset()

    @property
    def is_whole_plan(self) -> bool:
        return not (self.partner_ids or self.person_ids or self.theme_ids)


@dataclass(frozen=True)
class RoundAsk:
    """What a round's workbook asks of its addressee: which round, back by when, to
    whom it was sent and who to send it back to."""

    title: str  # e.g. "Q3 2013/14 update"
    return_by: date | None
    contact: str  # the addressee's name, e.g. "Ian Marsden" (may be empty)
    body: str  # the addressee's partner body, or the lead officer's organisation
    sender: str  # the plan officer sending the round
    sender_email: str = ""

    @property
    def addressee(self) -> str:
        """'Ian Marsden, Northshire College', or whichever of the two is known."""
        return ", ".join(part for part in (self.contact, self.body) if part)

    @property
    def how_to_return(self) -> str:
        """One sentence telling the addressee how to send the workbook back."""
        due = f" by {format_long(self.return_by)}" if self.return_by else ""
        to = self.sender + (f" ({self.sender_email})" if self.sender_email else "")
        return (
            f"Fill in your updates, save the workbook and email it back to {to}{due}, "
            "keeping its file name."
        )


@dataclass(frozen=True)
class ExportOptions:
    slice: ExportSlice = ExportSlice()
    include_descriptions: bool = True
    include_commentary: bool = True
    protective_marking: str | None = None  # None: the plan's own marking
    exported_by: str = ""
    round_uid: str = ""  # set when the workbook is sent in an update round
    recipient: str = ""  # who it is sent to; a slice of one body or person names them
    recipient_partner_uid: str = ""
    recipient_person_uid: str = ""
    round: RoundAsk | None = None  # set for a round's workbook


@dataclass(frozen=True)
class PartnerColumn:
    id: int
    uid: str
    name: str
    short_name: str
    sector: str


@dataclass(frozen=True)
class PersonLine:
    id: int
    uid: str
    name: str
    job_title: str
    organisation: str
    email: str
    roles: dict[str, int]  # RACI code -> actions in the slice
    milestones_due_soon: int


@dataclass(frozen=True)
class ThemeLine:
    id: int
    number: int
    title: str


@dataclass
class ExportContent:
    header: PlanHeader
    options: ExportOptions
    marking: str
    exported_at: datetime
    slice_description: str
    export_id: str  # names this workbook, so a return is known as the answer to it
    themes: list[ThemeLine]
    actions: list[ActionRow]
    milestones: list[MilestoneRow]
    partners: list[PartnerColumn]
    partner_roles: dict[tuple[int, int], str]  # (action id, partner id) -> role
    people: list[PersonLine]
    schema_version: int = SCHEMA_VERSION
    due_soon_days: int = DUE_SOON_DAYS
    rag_by_theme: list[tuple[str, dict[str | None, int]]] = field(default_factory=list)
    rag_by_partner: list[tuple[str, dict[str | None, int]]] = field(default_factory=list)
    contacts: dict[int, list[ContactRow]] = field(default_factory=dict)  # partner id -> contacts
    purpose: PurposeContent | None = None  # measures, benefits and money

    @property
    def overdue_milestones(self) -> list[MilestoneRow]:
        return [m for m in self.milestones if m.overdue]

    @property
    def due_soon_milestones(self) -> list[MilestoneRow]:
        start = self.header.status_date
        end = start + timedelta(days=self.due_soon_days)
        return [
            m
            for m in self.milestones
            if m.completed_on is None and m.due is not None and start <= m.due <= end
        ]


def resolve_slice(
    session: Session,
    plan_id: int,
    partners: Sequence[str] = (),
    people: Sequence[str] = (),
    themes: Sequence[int] = (),
) -> ExportSlice:
    """Turn names and theme numbers typed by a user into a slice, or say what is unknown
    (offering the nearest names: planner.queries.names)."""
    partner_ids = {id_ for name in partners for id_ in names.partner_ids(session, plan_id, name)}
    person_ids = {id_ for name in people for id_ in names.person_ids(session, plan_id, name)}
    theme_ids = {names.theme_id(session, plan_id, number) for number in themes}
    return ExportSlice(frozenset(partner_ids), frozenset(person_ids), frozenset(theme_ids))


def _slice_action_ids(session: Session, plan_id: int, wanted: ExportSlice) -> list[int]:
    ids = filter_actions(session, plan_id, ActionFilter(theme_ids=wanted.theme_ids))
    if wanted.partner_ids:
        with_partner = set(
            session.scalars(
                select(ActionPartner.action_id).where(
                    ActionPartner.partner_id.in_(wanted.partner_ids)
                )
            )
        )
        ids = [action_id for action_id in ids if action_id in with_partner]
    if wanted.person_ids:
        with_person = set(
            session.scalars(
                select(ActionPerson.action_id).where(ActionPerson.person_id.in_(wanted.person_ids))
            )
        )
        ids = [action_id for action_id in ids if action_id in with_person]
    return ids


def _describe_slice(session: Session, wanted: ExportSlice, action_count: int) -> str:
    if wanted.is_whole_plan:
        return f"The whole plan: {action_count} actions."
    parts: list[str] = []
    if wanted.partner_ids:
        names = session.scalars(
            select(Partner.name).where(Partner.id.in_(wanted.partner_ids)).order_by(Partner.name)
        )
        parts.append("involving " + " or ".join(names))
    if wanted.person_ids:
        names = session.scalars(
            select(Person.name).where(Person.id.in_(wanted.person_ids)).order_by(Person.name)
        )
        parts.append("with " + " or ".join(names))
    if wanted.theme_ids:
        numbers = session.scalars(
            select(Theme.number).where(Theme.id.in_(wanted.theme_ids)).order_by(Theme.number)
        )
        parts.append("in theme " + ", ".join(str(n) for n in numbers))
    return f"The {action_count} actions " + "; ".join(parts) + "."


def gather(
    session: Session, plan_id: int, options: ExportOptions, *, now: datetime | None = None
) -> ExportContent:
    """Read everything a workbook needs for this slice of the plan."""
    header = plan_header(session, plan_id)
    options = _addressed(session, options)
    ids = _slice_action_ids(session, plan_id, options.slice)
    actions = action_rows(session, plan_id, ids)
    milestones = milestone_rows(session, plan_id, action_ids=ids)
    in_slice = set(ids)

    theme_numbers = {row.theme_id for row in actions}
    themes = [
        ThemeLine(theme_id, number, title)
        for theme_id, number, title in session.execute(
            select(Theme.id, Theme.number, Theme.title)
            .where(Theme.plan_id == plan_id)
            .order_by(Theme.number)
        )
        if options.slice.is_whole_plan or theme_id in theme_numbers
    ]

    partner_roles: dict[tuple[int, int], str] = {}
    for action_id, partner_id, role in session.execute(
        select(ActionPartner.action_id, ActionPartner.partner_id, ActionPartner.role).where(
            ActionPartner.action_id.in_(ids)
        )
    ):
        partner_roles[(action_id, partner_id)] = role
    involved = {partner_id for _, partner_id in partner_roles}
    sector_order = {sector.value: number for number, sector in enumerate(Sector)}
    partners = sorted(
        (
            PartnerColumn(row.id, row.uid, row.name, row.short_name, row.sector)
            for row in session.scalars(select(Partner).where(Partner.plan_id == plan_id))
            if options.slice.is_whole_plan or row.id in involved
        ),
        key=lambda p: (sector_order.get(p.sector, 99), p.name.casefold()),
    )

    roles: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for _action_id, person_id, role in session.execute(
        select(ActionPerson.action_id, ActionPerson.person_id, ActionPerson.role).where(
            ActionPerson.action_id.in_(ids)
        )
    ):
        roles[person_id][role] += 1
    due_soon: dict[int, int] = defaultdict(int)
    end = header.status_date + timedelta(days=DUE_SOON_DAYS)
    for milestone in milestones:
        if (
            milestone.owner_id is not None
            and milestone.completed_on is None
            and milestone.due is not None
            and header.status_date <= milestone.due <= end
        ):
            due_soon[milestone.owner_id] += 1
    people = [
        PersonLine(
            person.id,
            person.uid,
            person.name,
            person.job_title,
            person.organisation.name if person.organisation else "",
            person.email,
            {role.value: roles[person.id].get(role.value, 0) for role in RaciRole},
            due_soon[person.id],
        )
        for person in session.scalars(
            select(Person).where(Person.plan_id == plan_id).order_by(Person.name)
        )
        if options.slice.is_whole_plan or person.id in roles
    ]

    by_theme: dict[int, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
    for row in actions:
        by_theme[row.theme_id][row.rag] += 1
    by_partner: dict[int, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
    rag_of = {row.id: row.rag for row in actions}
    for (action_id, partner_id), _role in partner_roles.items():
        if action_id in in_slice:
            by_partner[partner_id][rag_of[action_id]] += 1

    return ExportContent(
        header=header,
        options=options,
        marking=(options.protective_marking or header.protective_marking or "").strip(),
        exported_at=now or datetime.now().replace(microsecond=0),
        slice_description=_describe_slice(session, options.slice, len(actions)),
        export_id=new_uid(),
        themes=themes,
        actions=actions,
        milestones=milestones,
        partners=partners,
        partner_roles=partner_roles,
        people=people,
        rag_by_theme=[(f"{t.number}. {t.title}", dict(by_theme[t.id])) for t in themes],
        rag_by_partner=[(p.name, dict(by_partner[p.id])) for p in partners],
        contacts=_contacts_of(session, plan_id, {partner.id for partner in partners}),
        purpose=gather_purpose(
            session,
            plan_id,
            header.status_date,
            ids,
            whole_plan=options.slice.is_whole_plan,
            partner_ids=options.slice.partner_ids,
            person_ids=options.slice.person_ids,
        ),
    )


def _contacts_of(
    session: Session, plan_id: int, partner_ids: set[int]
) -> dict[int, list[ContactRow]]:
    found: dict[int, list[ContactRow]] = defaultdict(list)
    for row in contact_rows(session, plan_id):
        if row.partner_id in partner_ids:
            found[row.partner_id].append(row)
    return dict(found)


def _addressed(session: Session, options: ExportOptions) -> ExportOptions:
    """The options naming the recipient: a slice of exactly one partner body or one
    person is sent to them, unless the options name someone already."""
    wanted = options.slice
    if options.recipient_partner_uid or options.recipient_person_uid:
        return options
    if len(wanted.partner_ids) == 1 and not wanted.person_ids:
        model: type[Partner] | type[Person] = Partner
        (record_id,) = wanted.partner_ids
    elif len(wanted.person_ids) == 1 and not wanted.partner_ids:
        model = Person
        (record_id,) = wanted.person_ids
    else:
        return options
    found = session.execute(select(model.name, model.uid).where(model.id == record_id)).first()
    if found is None:
        return options
    name, uid = found
    options = replace(options, recipient=options.recipient or name)
    if model is Partner:
        return replace(options, recipient_partner_uid=uid)
    return replace(options, recipient_person_uid=uid)


def partner_role_label(role: str) -> str:
    try:
        return PartnerRole(role).label
    except ValueError:
        return role
