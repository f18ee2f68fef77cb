"""The benefits register and each action's money: budgets, spend and who funds them.

Totals use the money rules in `planner.domain.money` (only validated savings reach a
headline; spend is judged against its budget profiled across the year). A figure counts
as validated when it names both who validated it and when. Every question is answered in
a fixed number of statements, whatever the plan's size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.orm import Session

from planner.domain.money import (
    ZERO,
    BenefitFigure,
    BenefitTotal,
    BenefitType,
    SpendCheck,
    SpendFlag,
    benefit_totals,
    headline_savings,
    spend_against_profile,
    unfunded,
)
from planner.domain.periods import Period, stored_period
from planner.queries.purpose import partner_label
from planner.store.models import (
    Action,
    Benefit,
    BenefitValue,
    BudgetLine,
    Funding,
    Partner,
    Person,
    Plan,
    Theme,
)


@dataclass(frozen=True)
class BenefitYear:
    """A benefit's figures for one financial year."""

    id: int  # the benefit_value row
    year: Period
    planned: int | None
    realised: int | None
    validated_by: str  # the validator's name, "" when none
    validated_by_id: int | None
    validated_on: date | None

    @property
    def validated(self) -> bool:
        return self.validated_by_id is not None and self.validated_on is not None


@dataclass(frozen=True)
class BenefitRow:
    id: int
    uid: str
    title: str
    kind: BenefitType
    action_id: int
    action_ref: str
    theme_id: int
    theme_number: int
    partner_id: int | None
    partner: str  # the receiving body (short name or name), "" when none
    evidence: str
    planned: Decimal  # totals over `years`
    realised: Decimal
    validated: Decimal  # realised and validated
    years: tuple[BenefitYear, ...]


@dataclass(frozen=True)
class BenefitSummary:
    by_partner: dict[str, BenefitTotal]  # by the receiving body's short name or name
    by_theme: dict[int, BenefitTotal]  # by theme number
    by_year: dict[Period, BenefitTotal]  # in year order
    total: BenefitTotal
    headline: Decimal  # validated savings, every year
    status_year: Period  # the financial year holding the plan's status date
    headline_this_year: Decimal  # validated savings in status_year


@dataclass(frozen=True)
class FundingLine:
    id: int
    partner_id: int
    funder: str  # short name or name
    year: Period
    amount: int


@dataclass(frozen=True)
class MoneyYear:
    """An action's budget, spend and funding for one financial year."""

    year: Period
    budget_line_id: int | None  # None when the year has funding but no budget
    budget: int
    spent: int
    note: str
    funding: tuple[FundingLine, ...]  # by funder
    funded: int
    unfunded: Decimal  # budget its funding leaves uncovered (below zero: overfunded)

    @property
    def overspent(self) -> Decimal:
        """How much the spend exceeds the budget (zero when it does not)."""
        return max(Decimal(self.spent - self.budget), ZERO)


@dataclass(frozen=True)
class ActionMoney:
    action_id: int
    action_ref: str
    years: tuple[MoneyYear, ...]  # every year with a budget or funding, in order
    status_year: Period
    spend: SpendCheck | None  # spend to the status date against status_year's budget

    @property
    def flag(self) -> SpendFlag | None:
        return None if self.spend is None else self.spend.flag

    @property
    def funding(self) -> tuple[FundingLine, ...]:
        """Every funding line, by funder then year."""
        lines = [line for year in self.years for line in year.funding]
        return tuple(sorted(lines, key=lambda line: (line.funder.casefold(), line.year)))

    def year(self, year: Period) -> MoneyYear | None:
        return next((found for found in self.years if found.year == year.financial_year), None)


def _plan(session: Session, plan_id: int) -> tuple[date, float]:
    found = session.execute(
        select(Plan.status_date, Plan.spend_tolerance).where(Plan.id == plan_id)
    ).one()
    return found[0], float(found[1])


def benefit_rows(
    session: Session,
    plan_id: int,
    *,
    partner_id: int | None = None,
    theme_id: int | None = None,
    year: Period | None = None,
    kind: BenefitType | None = None,
    with_years: bool = True,
    action_id: int | None = None,
) -> list[BenefitRow]:
    """The benefits register in plan order (theme, action, benefit). Filtered to a
    receiving body, a theme, a type, or a financial year: a year keeps the benefits with
    figures for it, and their rows then carry and total that year's figures alone.
    Without `with_years` the rows carry their totals only, summed in SQL: what a long
    register shows, read quickly."""
    query = (
        select(
            Benefit.id,
            Benefit.uid,
            Benefit.title,
            Benefit.kind,
            Action.id,
            Action.ref,
            Theme.id,
            Theme.number,
            Benefit.partner_id,
            Partner.short_name,
            Partner.name,
            Benefit.evidence,
        )
        .join(Action, Action.id == Benefit.action_id)
        .join(Theme, Theme.id == Action.theme_id)
        .outerjoin(Partner, Partner.id == Benefit.partner_id)
        .where(Action.plan_id == plan_id)
        .order_by(Theme.number, Action.position, Action.id, Benefit.id)
    )
    values = (
        select(
            BenefitValue.benefit_id,
            BenefitValue.id,
            BenefitValue.year,
            BenefitValue.planned,
            BenefitValue.realised,
            Person.name,
            BenefitValue.validated_by_id,
            BenefitValue.validated_on,
        )
        .join(Benefit, Benefit.id == BenefitValue.benefit_id)
        .join(Action, Action.id == Benefit.action_id)
        .outerjoin(Person, Person.id == BenefitValue.validated_by_id)
        .where(Action.plan_id == plan_id)
        .order_by(BenefitValue.year)
    )
    if action_id is not None:
        query = query.where(Benefit.action_id == action_id)
        values = values.where(Benefit.action_id == action_id)
    if partner_id is not None:
        query = query.where(Benefit.partner_id == partner_id)
        values = values.where(Benefit.partner_id == partner_id)
    if theme_id is not None:
        query = query.where(Action.theme_id == theme_id)
        values = values.where(Action.theme_id == theme_id)
    if kind is not None:
        query = query.where(Benefit.kind == kind.value)
        values = values.where(Benefit.kind == kind.value)
    if year is not None:
        values = values.where(BenefitValue.year == year.year)
    if not with_years:
        return _register_totals(session, query, year)
    connection = session.connection()  # plain rows: no ORM loading overhead
    years: dict[int, list[BenefitYear]] = defaultdict(list)
    for benefit_id, value_id, value_year, planned, realised, who, who_id, on in connection.execute(
        values
    ).all():
        years[benefit_id].append(
            BenefitYear(
                value_id, stored_period(value_year), planned, realised, who or "", who_id, on
            )
        )
    rows: list[BenefitRow] = []
    for found in connection.execute(query).all():
        figures = years.get(found[0], [])
        if year is not None and not figures:
            continue
        planned = sum(f.planned or 0 for f in figures)
        realised = sum(f.realised or 0 for f in figures)
        validated = sum(f.realised or 0 for f in figures if f.validated)
        rows.append(_row(found[:12], (planned, realised, validated), tuple(figures)))
    return rows


def _row(
    found: Sequence[Any],
    sums: tuple[int | None, int | None, int | None],
    years: tuple[BenefitYear, ...],
) -> BenefitRow:
    """A register row from the register query's twelve columns and its three totals."""
    benefit_id, uid, title, kind_text, action_id, ref, theme, number = found[:8]
    recipient_id, short, name, evidence = found[8:12]
    planned, realised, validated = sums
    return BenefitRow(
        id=benefit_id,
        uid=uid,
        title=title,
        kind=BenefitType(kind_text),
        action_id=action_id,
        action_ref=ref,
        theme_id=theme,
        theme_number=number,
        partner_id=recipient_id,
        partner=partner_label(short, name),
        evidence=evidence,
        planned=Decimal(planned or 0),
        realised=Decimal(realised or 0),
        validated=Decimal(validated or 0),
        years=years,
    )


def _validated() -> ColumnElement[bool]:
    """A figure counts as validated when it names who validated it and when."""
    return and_(BenefitValue.validated_by_id.is_not(None), BenefitValue.validated_on.is_not(None))


def _register_totals(
    session: Session, query: Select[*tuple[Any, ...]], year: Period | None
) -> list[BenefitRow]:
    sums = select(
        BenefitValue.benefit_id.label("benefit_id"),
        func.sum(BenefitValue.planned).label("planned"),
        func.sum(BenefitValue.realised).label("realised"),
        func.sum(case((_validated(), BenefitValue.realised), else_=0)).label("validated"),
    ).group_by(BenefitValue.benefit_id)
    if year is not None:
        sums = sums.where(BenefitValue.year == year.year)
    summed = sums.subquery()
    totals = query.add_columns(summed.c.planned, summed.c.realised, summed.c.validated)
    if year is None:
        totals = totals.outerjoin(summed, summed.c.benefit_id == Benefit.id)
    else:
        totals = totals.join(summed, summed.c.benefit_id == Benefit.id)
    return [
        _row(found[:12], (found[12], found[13], found[14]), ())
        for found in session.connection().execute(totals).all()
    ]


def benefit_figures(rows: Iterable[BenefitRow]) -> list[BenefitFigure]:
    """The register's yearly figures as the money rules take them (theme as its number)."""
    return [
        BenefitFigure(
            year=figure.year,
            kind=row.kind,
            planned=Decimal(figure.planned or 0),
            realised=None if figure.realised is None else Decimal(figure.realised),
            validated=figure.validated,
            partner=row.partner,
            theme=str(row.theme_number),
        )
        for row in rows
        for figure in row.years
    ]


@dataclass(frozen=True)
class BenefitFilter:
    """Which benefits a register or its totals cover: a receiving body, a theme, a type,
    or one financial year's figures (None for all)."""

    partner_id: int | None = None
    theme_id: int | None = None
    year: Period | None = None
    kind: BenefitType | None = None


def _filtered(query: Select[*tuple[Any, ...]], wanted: BenefitFilter) -> Select[*tuple[Any, ...]]:
    """`query` over benefit figures (joined to their benefit and action) narrowed to
    those `wanted`."""
    if wanted.partner_id is not None:
        query = query.where(Benefit.partner_id == wanted.partner_id)
    if wanted.theme_id is not None:
        query = query.where(Action.theme_id == wanted.theme_id)
    if wanted.kind is not None:
        query = query.where(Benefit.kind == wanted.kind.value)
    if wanted.year is not None:
        query = query.where(BenefitValue.year == wanted.year.year)
    return query


def _summed_figures(session: Session, plan_id: int, wanted: BenefitFilter) -> list[BenefitFigure]:
    """The plan's yearly figures (those `wanted`) summed in SQL by year, type and
    validation: the few figures the totals need, however many benefits the plan has."""
    validated = _validated()
    query = (
        select(
            BenefitValue.year,
            Benefit.kind,
            validated,
            func.sum(BenefitValue.planned),
            func.sum(BenefitValue.realised),
            func.count(BenefitValue.realised),
        )
        .join(Benefit, Benefit.id == BenefitValue.benefit_id)
        .join(Action, Action.id == Benefit.action_id)
        .where(Action.plan_id == plan_id)
        .group_by(BenefitValue.year, Benefit.kind, validated)
    )
    return [
        BenefitFigure(
            year=Period(year),
            kind=BenefitType(kind),
            planned=Decimal(planned or 0),
            realised=Decimal(realised or 0) if realised_count else None,
            validated=bool(is_validated),
        )
        for year, kind, is_validated, planned, realised, realised_count in (
            session.connection().execute(_filtered(query, wanted)).all()
        )
    ]


def yearly_figures(session: Session, plan_id: int) -> list[BenefitFigure]:
    """The plan's figures summed by financial year, type and validation."""
    return _summed_figures(session, plan_id, BenefitFilter())


def benefit_summary(
    session: Session, plan_id: int, wanted: BenefitFilter | None = None
) -> BenefitSummary:
    """The money benefits (those `wanted`) totalled by receiving body, theme and year,
    and the savings a headline may quote, overall and in the financial year of the plan's
    status date."""
    wanted = wanted or BenefitFilter()
    status_date, _ = _plan(session, plan_id)
    status_year = Period.year_of(status_date)
    figures = _summed_figures(session, plan_id, wanted)
    by_partner = _totals_by(session, plan_id, wanted, "partner")
    by_theme = _totals_by(session, plan_id, wanted, "theme")
    return BenefitSummary(
        by_partner=dict(sorted((str(key), total) for key, total in by_partner.items())),
        by_theme=dict(sorted((int(key), total) for key, total in by_theme.items())),
        by_year=dict(sorted(benefit_totals(figures, lambda figure: figure.year).items())),
        total=benefit_totals(figures, lambda _: None).get(None, BenefitTotal()),
        headline=headline_savings(figures),
        status_year=status_year,
        headline_this_year=headline_savings(figures, status_year),
    )


# The kinds of benefit that carry money, which totals add up (as `benefit_totals` does).
MONEY_KINDS = tuple(kind.value for kind in BenefitType if kind is not BenefitType.QUALITATIVE)


def _totals_by(
    session: Session, plan_id: int, wanted: BenefitFilter, by: str
) -> dict[str | int, BenefitTotal]:
    """Planned, realised and validated money, totalled in SQL by receiving body (its
    short name or name) or by theme number: one row a body or theme, however many
    benefits and years the plan has."""
    realised = func.coalesce(BenefitValue.realised, 0)
    key = Theme.number if by == "theme" else Partner.id
    query = (
        select(
            key,
            Partner.short_name if by == "partner" else Theme.number,
            Partner.name if by == "partner" else Theme.number,
            func.sum(func.coalesce(BenefitValue.planned, 0)),
            func.sum(realised),
            func.sum(case((_validated(), realised), else_=0)),
        )
        .join(Benefit, Benefit.id == BenefitValue.benefit_id)
        .join(Action, Action.id == Benefit.action_id)
        .where(Action.plan_id == plan_id, Benefit.kind.in_(MONEY_KINDS))
        .group_by(key)
    )
    if by == "theme":
        query = query.join(Theme, Theme.id == Action.theme_id)
    else:
        query = query.outerjoin(Partner, Partner.id == Benefit.partner_id)
    totals: dict[str | int, BenefitTotal] = {}
    for found, short, name, planned, realised_sum, validated in (
        session.connection().execute(_filtered(query, wanted)).all()
    ):
        label: str | int = found if by == "theme" else partner_label(short, name)
        totals[label] = BenefitTotal(Decimal(planned), Decimal(realised_sum), Decimal(validated))
    return totals


def benefit_years(session: Session, plan_id: int) -> list[Period]:
    """The financial years the plan's benefits have figures for, in order."""
    found = session.scalars(
        select(BenefitValue.year)
        .distinct()
        .join(Benefit, Benefit.id == BenefitValue.benefit_id)
        .join(Action, Action.id == Benefit.action_id)
        .where(Action.plan_id == plan_id)
        .order_by(BenefitValue.year)
    )
    return [Period(year) for year in found]


def money_by_action(
    session: Session, plan_id: int, action_ids: Iterable[int] | None = None
) -> dict[int, ActionMoney]:
    """Every action's money (those in `action_ids` when given), by action id in plan
    order, in four statements."""
    status_date, tolerance = _plan(session, plan_id)
    status_year = Period.year_of(status_date)
    actions = (
        select(Action.id, Action.ref)
        .join(Theme, Theme.id == Action.theme_id)
        .where(Action.plan_id == plan_id)
        .order_by(Theme.number, Action.position, Action.id)
    )
    budgets = (
        select(
            BudgetLine.action_id,
            BudgetLine.year,
            BudgetLine.id,
            BudgetLine.budget,
            BudgetLine.spent,
            BudgetLine.note,
        )
        .join(Action, Action.id == BudgetLine.action_id)
        .where(Action.plan_id == plan_id)
    )
    funding = (
        select(
            Funding.action_id,
            Funding.year,
            Funding.id,
            Funding.partner_id,
            Partner.short_name,
            Partner.name,
            Funding.amount,
        )
        .join(Action, Action.id == Funding.action_id)
        .join(Partner, Partner.id == Funding.partner_id)
        .where(Action.plan_id == plan_id)
    )
    if action_ids is not None:
        wanted = sorted(set(action_ids))
        actions = actions.where(Action.id.in_(wanted))
        budgets = budgets.where(BudgetLine.action_id.in_(wanted))
        funding = funding.where(Funding.action_id.in_(wanted))
    connection = session.connection()  # plain rows: no ORM loading overhead
    lines: dict[tuple[int, int], tuple[int | None, int, int, str]] = {}
    for action_id, year, line_id, budget, spent, note in connection.execute(budgets).all():
        lines[(action_id, year)] = (line_id, budget or 0, spent or 0, note)
    funders: dict[tuple[int, int], list[FundingLine]] = defaultdict(list)
    labels: dict[int, str] = {}
    for action_id, year, line_id, partner_id, short, name, amount in connection.execute(
        funding
    ).all():
        label = labels.get(partner_id) or labels.setdefault(partner_id, partner_label(short, name))
        funders[(action_id, year)].append(
            FundingLine(line_id, partner_id, label, stored_period(year), amount or 0)
        )
    years_of: dict[int, set[int]] = defaultdict(set)
    for action_id, year in (*lines, *funders):
        years_of[action_id].add(year)
    money: dict[int, ActionMoney] = {}
    for action_id, ref in session.execute(actions):
        years: list[MoneyYear] = []
        for year in sorted(years_of.get(action_id, ())):
            budget_id, budget, spent, note = lines.get((action_id, year), (None, 0, 0, ""))
            sources = sorted(funders.get((action_id, year), []), key=lambda f: f.funder.casefold())
            amounts = [Decimal(source.amount) for source in sources]
            years.append(
                MoneyYear(
                    year=stored_period(year),
                    budget_line_id=budget_id,
                    budget=budget,
                    spent=spent,
                    note=note,
                    funding=tuple(sources),
                    funded=sum(source.amount for source in sources),
                    unfunded=unfunded(Decimal(budget), amounts),
                )
            )
        current = next((y for y in years if y.year == status_year and y.budget_line_id), None)
        spend = (
            spend_against_profile(
                Decimal(current.budget),
                Decimal(current.spent),
                status_date,
                status_year,
                Decimal(str(tolerance)),
            )
            if current is not None
            else None
        )
        money[action_id] = ActionMoney(action_id, ref, tuple(years), status_year, spend)
    return money


def action_money(session: Session, action_id: int) -> ActionMoney:
    """One action's budgets, spend and funding by year, with its spend flag."""
    plan_id = session.scalar(select(Action.plan_id).where(Action.id == action_id))
    if plan_id is None:
        raise LookupError(f"There is no action {action_id} in this plan.")
    return money_by_action(session, plan_id, [action_id])[action_id]
