"""Benefits and budget: the savings headline (validated savings only) with benefits
planned against realised by partner body and by financial year, then the budget, spend
and funding by year with the actions whose spend is off its profile. Each section is
left out when the plan (or the slice reported) has no benefits or no budgets."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter

from planner.domain.dates import format_long
from planner.domain.money import BenefitTotal, SpendFlag, format_pounds
from planner.domain.periods import Period
from planner.io.report.content import ReportContent
from planner.io.report.document import (
    ACCENT,
    BAND,
    INK,
    MUTED,
    Flow,
    Layout,
    draw_lines,
    font,
    mm,
)
from planner.io.report.purpose_content import BenefitsContent, BudgetContent, BudgetYear
from planner.io.report.table import Cell, Column, Table, Value

BENEFITS = "Benefits"
BUDGET = "Budget"
HEADLINE_RULE = (
    "Only savings validated by a partner's section 151 officer (or another officer the "
    "partner names), on a recorded date, are counted in the headline."
)
RIGHT = Qt.AlignmentFlag.AlignRight
TABLE_SHARE = 0.72  # money tables take this share of the body's width
FLAG_COLOURS = {
    SpendFlag.OVERSPEND: QColor("#A93226"),
    SpendFlag.UNDERSPEND: QColor("#935116"),
}


def pounds(amount: Decimal | int) -> str:
    """Whole pounds: a board paper does not quote pence."""
    return format_pounds(Decimal(amount).quantize(Decimal(1)))


def validated_savings_line(content: ReportContent) -> str:
    """The cover's line, '' when there are no benefits to speak of."""
    benefits = content.purpose.benefits
    if benefits is None:
        return ""
    return f"Validated savings to date: {pounds(benefits.headline)}"


def _year_label(year: Period, current: Period) -> str:
    return f"{year.label} (this year)" if year == current.financial_year else year.label


def _benefit_cells(label: Value, total: BenefitTotal, bold: bool = False) -> list[Value]:
    awaiting = total.realised - total.validated
    return [
        label,
        Cell(pounds(total.planned), bold=bold),
        Cell(pounds(total.realised), bold=bold),
        Cell(pounds(total.validated), bold=bold),
        Cell(pounds(awaiting), bold=bold),
    ]


def benefit_partner_rows(benefits: BenefitsContent) -> list[list[Value]]:
    rows = [_benefit_cells(Cell(p.label, note=p.name), p.total) for p in benefits.by_partner]
    rows.append(_benefit_cells(Cell("All partner bodies", bold=True), benefits.total, True))
    return rows


def benefit_year_rows(benefits: BenefitsContent) -> list[list[Value]]:
    rows = [
        _benefit_cells(_year_label(year, benefits.status_year), total)
        for year, total in benefits.by_year
    ]
    rows.append(_benefit_cells(Cell("All years", bold=True), benefits.total, True))
    return rows


def _benefit_columns(first: str) -> tuple[Column, ...]:
    return (
        Column(first, 30, bold=True),
        Column("Planned", 15, align=RIGHT),
        Column("Realised", 15, align=RIGHT),
        Column("Realised and validated", 17, align=RIGHT),
        Column("Awaiting validation", 17, align=RIGHT),
    )


def _headline_box(layout: Layout, flow: Flow, benefits: BenefitsContent) -> None:
    body = layout.body
    metrics = layout.metrics
    text_left = body.left() + mm(80)
    text_width = body.right() - text_left - mm(6)
    others = benefits.validated_not_savings
    rule = HEADLINE_RULE + (
        " Realised savings awaiting validation, avoided costs and income are in the tables "
        "below but not in the headline"
        + (f" ({pounds(others)} of validated avoided costs and income)." if others else ".")
    )
    rule_lines = metrics.wrap(rule, font(9.5), text_width)
    height = max(mm(26), len(rule_lines) * metrics.line_height(font(9.5)) + mm(8))
    top = flow.y
    this_year = (
        f"{benefits.status_year.label} so far: {pounds(benefits.headline_this_year)} validated"
    )

    def draw(painter: QPainter) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(BAND)
        painter.drawRoundedRect(QRectF(body.left(), top, body.width(), height), mm(2), mm(2))
        left = body.left() + mm(6)
        y = draw_lines(
            painter,
            metrics,
            ["Validated savings to date"],
            font(11, bold=True),
            left,
            top + mm(3),
            ACCENT,
        )
        y = draw_lines(
            painter, metrics, [pounds(benefits.headline)], font(24, bold=True), left, y, INK
        )
        draw_lines(painter, metrics, [this_year], font(9.5), left, y, MUTED)
        draw_lines(painter, metrics, rule_lines, font(9.5), text_left, top + mm(4), INK)

    flow.page.add(draw)
    flow.y += height + mm(5)


def lay_out_benefits(layout: Layout, content: ReportContent) -> None:
    benefits = content.purpose.benefits
    if benefits is None:
        return
    scope = "the reported actions" if content.purpose.sliced else "the plan's actions"
    subtitle = (
        f"Money benefits of {scope}, planned against realised, by the partner body receiving "
        "them and by financial year: cashable and non-cashable savings, avoided costs and "
        "income (qualitative benefits carry no money and are not counted)."
    )
    flow = Flow(layout, BENEFITS, subtitle)
    _headline_box(layout, flow, benefits)
    width = layout.body.width() * TABLE_SHARE
    Table(layout, _benefit_columns("Partner body"), size=9, width=width).flow(
        flow, benefit_partner_rows(benefits), caption="By partner body"
    )
    Table(layout, _benefit_columns("Financial year"), size=9, width=width).flow(
        flow, benefit_year_rows(benefits), caption="By financial year"
    )


def _budget_cells(
    label: Value, year: BudgetYear, budget: BudgetContent, bold: bool = False
) -> list[Value]:
    started = year.year.start <= budget.status_date
    unfunded = year.unfunded
    return [
        label,
        Cell(pounds(year.budget), bold=bold),
        Cell(pounds(year.spent) if started or bold else "\u2013", bold=bold),
        Cell(pounds(year.funded), bold=bold),
        Cell(
            pounds(abs(unfunded)) if unfunded >= 0 else f"{pounds(-unfunded)} over",
            note="" if unfunded >= 0 else "funding exceeds budget",
            bold=bold,
        ),
    ]


def budget_year_rows(budget: BudgetContent) -> list[list[Value]]:
    rows: list[list[Value]] = []
    for year in budget.years:
        note = ""
        if year.year == budget.status_year:
            note = f"spend to {format_long(budget.status_date)}"
        elif year.year.start > budget.status_date:
            note = "not yet started"
        label = Cell(_year_label(year.year, budget.status_year), note=note)
        rows.append(_budget_cells(label, year, budget))
    rows.append(_budget_cells(Cell("All years", bold=True), budget.total, budget, True))
    return rows


def flagged_rows(budget: BudgetContent) -> list[list[Value]]:
    rows: list[list[Value]] = []
    for item in budget.flagged:
        colour = FLAG_COLOURS.get(item.flag, INK)
        side = "over" if item.variance > 0 else "under"
        rows.append(
            [
                item.ref,
                item.title,
                pounds(item.budget),
                pounds(item.spent),
                pounds(item.profiled),
                Cell(f"{pounds(abs(item.variance))} {side}", colour=colour, bold=True),
                Cell(item.flag.label, colour=colour, bold=True),
            ]
        )
    return rows


def lay_out_budget(layout: Layout, content: ReportContent) -> None:
    budget = content.purpose.budget
    if budget is None:
        return
    scope = "the reported actions" if content.purpose.sliced else "the plan's actions"
    year = budget.status_year.label
    status = format_long(budget.status_date)
    subtitle = (
        f"Budget, spend and funding of {scope} by financial year. Each action's spend to "
        f"{status} is judged against its {year} budget spread evenly across the year; more "
        f"than {budget.tolerance:g}% of that budget above or below the profile is flagged."
    )
    flow = Flow(layout, BUDGET, subtitle)
    Table(
        layout,
        (
            Column("Financial year", 30, bold=True),
            Column("Budget", 17, align=RIGHT),
            Column("Spent", 17, align=RIGHT),
            Column("Funded", 17, align=RIGHT),
            Column("Not yet funded", 17, align=RIGHT),
        ),
        size=9,
        width=layout.body.width() * TABLE_SHARE,
    ).flow(flow, budget_year_rows(budget), caption="By financial year")
    on_profile = budget.on_profile
    Table(
        layout,
        (
            Column("Ref", 6, bold=True),
            Column("Action", 38, bold=True),
            Column(f"Budget {year}", 12, align=RIGHT),
            Column(f"Spent to {budget.status_date.strftime('%d/%m/%Y')}", 12, align=RIGHT),
            Column("Profile to date", 12, align=RIGHT),
            Column("Over or under profile", 13, align=RIGHT),
            Column("Flag", 10),
        ),
        size=9,
    ).flow(
        flow,
        flagged_rows(budget),
        caption=f"Actions off their spend profile in {year} ({len(budget.flagged)})",
        empty=f"No action's spend is off its profile in {year}.",
    )
    if budget.flagged or on_profile:
        metrics = layout.metrics
        flow.reserve(metrics.line_height(font(9)))
        top = flow.y
        left = layout.body.left()
        other = "other " if budget.flagged else ""
        words = (
            f"{on_profile} {other}action{'s' if on_profile != 1 else ''} with a {year} budget "
            f"{'are' if on_profile != 1 else 'is'} on profile."
        )

        def draw(painter: QPainter) -> None:
            draw_lines(painter, metrics, [words], font(9, italic=True), left, top, MUTED)

        flow.page.add(draw)
        flow.y += metrics.line_height(font(9))
