"""Which partner bodies take part in which actions, and in what role: the partner map.

Actions (by theme) against partner bodies (by sector), each cell the body's role on
that action, with how many actions each body has (by role) and how many bodies each
action has. Counts are over the actions shown (the filter's), not the whole plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from planner.domain import PartnerRole, Sector
from planner.store.models import Action, ActionPartner, Partner, Theme

SECTOR_ORDER = {sector.value: number for number, sector in enumerate(Sector)}
ROLE_ORDER = {role.value: number for number, role in enumerate(PartnerRole)}


# Names that fit over a sector's columns when its full label does not.
SECTOR_SHORT = {
    Sector.LOCAL_GOVERNMENT.value: "Councils",
    Sector.EMERGENCY_SERVICES.value: "Blue light",
    Sector.HEALTH.value: "NHS",
    Sector.EDUCATION.value: "Education",
    Sector.CIVIL_SOCIETY.value: "Voluntary",
    Sector.CENTRAL_GOVERNMENT.value: "Central gov.",
    Sector.PRIVATE_SECTOR.value: "Private",
}


_SECTOR_LABELS = {sector.value: sector.label for sector in Sector}


def sector_label(value: str) -> str:
    if value in _SECTOR_LABELS:
        return _SECTOR_LABELS[value]
    found = Sector.from_text(value) if value else None
    return found.label if found is not None else (value or "No sector")


def role_label(value: str) -> str:
    found = PartnerRole.from_text(value) if value else None
    return found.label if found is not None else value


@dataclass(frozen=True)
class MapPartner:
    """A column: one partner body and how many of the shown actions it has, by role."""

    id: int
    name: str
    short_name: str
    sector: str  # a Sector value
    roles: dict[str, int] = field(default_factory=dict)  # PartnerRole value -> actions

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def sector_label(self) -> str:
        return sector_label(self.sector)

    @property
    def sector_short(self) -> str:
        return SECTOR_SHORT.get(self.sector, self.sector_label)

    @property
    def total(self) -> int:
        return sum(self.roles.values())


@dataclass(frozen=True)
class MapAction:
    """A row: one action and the role of each partner body on it."""

    id: int
    ref: str
    title: str
    roles: dict[int, str] = field(default_factory=dict)  # partner id -> PartnerRole value


@dataclass(frozen=True)
class MapTheme:
    id: int
    number: int
    title: str
    actions: list[MapAction] = field(default_factory=list)


@dataclass(frozen=True)
class PartnerMap:
    partners: list[MapPartner]  # by sector (the vocabulary's order), then name
    themes: list[MapTheme]  # in number order, each with its shown actions in plan order
    shown: int  # actions shown
    total: int  # actions in the plan

    @property
    def actions(self) -> list[MapAction]:
        return [action for theme in self.themes for action in theme.actions]

    def sectors(self) -> list[tuple[str, list[MapPartner]]]:
        """The partner bodies in runs of one sector each, in column order."""
        runs: list[tuple[str, list[MapPartner]]] = []
        for partner in self.partners:
            if runs and runs[-1][0] == partner.sector:
                runs[-1][1].append(partner)
            else:
                runs.append((partner.sector, [partner]))
        return runs


def _partner_key(row: tuple[int, str, str, str]) -> tuple[int, str, int]:
    partner_id, name, _short, sector = row
    return (SECTOR_ORDER.get(sector, len(SECTOR_ORDER)), name.casefold(), partner_id)


def partner_map(
    session: Session, plan_id: int, action_ids: Collection[int] | None = None
) -> PartnerMap:
    """The map over the actions in `action_ids` (every action when None)."""
    connection = session.connection()  # plain rows: no ORM loading overhead
    scope: ColumnElement[bool] = Action.plan_id == plan_id
    if action_ids is not None:
        scope = and_(scope, Action.id.in_(sorted(action_ids)))

    roles: dict[int, dict[str, int]] = defaultdict(dict)
    for partner_id, role, count in connection.execute(
        select(ActionPartner.partner_id, ActionPartner.role, func.count())
        .join(Action, Action.id == ActionPartner.action_id)
        .where(scope)
        .group_by(ActionPartner.partner_id, ActionPartner.role)
    ).all():
        roles[partner_id][role] = count
    partner_found: list[tuple[int, str, str, str]] = [
        (partner_id, name, short_name or "", sector or "")
        for partner_id, name, short_name, sector in connection.execute(
            select(Partner.id, Partner.name, Partner.short_name, Partner.sector).where(
                Partner.plan_id == plan_id
            )
        )
    ]
    partners = [
        MapPartner(
            partner_id,
            name,
            short_name,
            sector,
            dict(sorted(roles[partner_id].items(), key=lambda i: ROLE_ORDER.get(i[0], 99))),
        )
        for partner_id, name, short_name, sector in sorted(partner_found, key=_partner_key)
    ]

    links: dict[int, dict[int, str]] = defaultdict(dict)
    for action_id, partner_id, role in connection.execute(
        select(ActionPartner.action_id, ActionPartner.partner_id, ActionPartner.role)
        .join(Action, Action.id == ActionPartner.action_id)
        .where(scope)
    ).all():
        links[action_id][partner_id] = role

    themes = {
        theme_id: MapTheme(theme_id, number, title)
        for theme_id, number, title in connection.execute(
            select(Theme.id, Theme.number, Theme.title)
            .where(Theme.plan_id == plan_id)
            .order_by(Theme.number)
        )
    }
    shown = 0
    for action_id, ref, title, theme_id in connection.execute(
        select(Action.id, Action.ref, Action.title, Action.theme_id)
        .join(Theme, Theme.id == Action.theme_id)
        .where(scope)
        .order_by(Theme.number, Action.position, Action.id)
    ).all():
        themes[theme_id].actions.append(MapAction(action_id, ref, title, links.get(action_id, {})))
        shown += 1
    total = session.scalar(select(func.count(Action.id)).where(Action.plan_id == plan_id)) or 0
    kept = [theme for theme in themes.values() if theme.actions or action_ids is None]
    return PartnerMap(partners, kept, shown, total)
