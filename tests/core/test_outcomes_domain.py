"""The rules behind outcomes, measures, benefits and money: financial periods, a
measure's status against its target and tolerance, its direction of travel, pounds as
officers write them, benefit totals and spend against its profile."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from planner.domain.measures import (
    Better,
    MeasureStatus,
    Unit,
    format_value,
    measure_status,
    value_travel,
)
from planner.domain.money import (
    BenefitFigure,
    BenefitType,
    PoundsError,
    SpendFlag,
    benefit_totals,
    format_pounds,
    headline_savings,
    parse_pounds,
    spend_against_profile,
    unfunded,
)
from planner.domain.periods import Period, PeriodError, stored_period

# ----- financial periods ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2013/14", Period(2013)),
        ("2013-14", Period(2013)),
        ("2013/2014", Period(2013)),
        ("FY 2013/14", Period(2013)),
        ("Q3 2013/14", Period(2013, 3)),
        ("q1 2013/14", Period(2013, 1)),
        ("2013/14 Q4", Period(2013, 4)),
        ("  Q2   2099/00 ", Period(2099, 2)),
    ],
)
def test_periods_are_read_as_officers_write_them(text: str, expected: Period) -> None:
    assert Period.parse(text) == expected


@pytest.mark.parametrize("text", ["2013/15", "Q5 2013/14", "2013", "Q3", "next year", ""])
def test_a_period_that_is_not_one_is_refused_in_one_sentence(text: str) -> None:
    with pytest.raises(PeriodError) as refused:
        Period.parse(text)
    message = str(refused.value)
    assert message.endswith(".") and "2013/14" in message and "\n" not in message


def test_quarters_run_from_april_and_years_end_on_31_march() -> None:
    assert Period(2013, 1).start == date(2013, 4, 1)
    assert Period(2013, 1).end == date(2013, 6, 30)
    assert Period(2013, 3).end == date(2013, 12, 31)
    assert Period(2013, 4).start == date(2014, 1, 1)
    assert Period(2013, 4).end == date(2014, 3, 31)
    assert Period(2013).end == date(2014, 3, 31)
    assert Period.quarter_of(date(2014, 3, 31)) == Period(2013, 4)
    assert Period.quarter_of(date(2014, 4, 1)) == Period(2014, 1)
    assert Period.year_of(date(2014, 3, 31)) == Period(2013)


def test_periods_name_and_order_themselves() -> None:
    assert Period(2013, 3).label == "Q3 2013/14" and Period(1999).label == "1999/00"
    assert Period(2013, 1).previous() == Period(2012, 4)
    assert Period(2013, 4).next() == Period(2014, 1)
    assert Period(2013).previous() == Period(2012)
    shuffled = [Period(2014, 1), Period(2013, 4), Period(2013), Period(2013, 1), Period(2012)]
    assert sorted(shuffled) == [
        Period(2012),
        Period(2013),
        Period(2013, 1),
        Period(2013, 4),
        Period(2014, 1),
    ]


# ----- a measure's status and direction ------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "target", "better", "status"),
    [
        (80, 80, Better.HIGHER, MeasureStatus.ON_TARGET),  # meeting it is on target
        (85, 80, Better.HIGHER, MeasureStatus.ON_TARGET),
        (76, 80, Better.HIGHER, MeasureStatus.WITHIN_TOLERANCE),  # 5% of 80 is 4: the edge
        (75.99, 80, Better.HIGHER, MeasureStatus.OFF_TARGET),
        (12, 12, Better.LOWER, MeasureStatus.ON_TARGET),
        (12.6, 12, Better.LOWER, MeasureStatus.WITHIN_TOLERANCE),  # 5% of 12 is 0.6
        (12.61, 12, Better.LOWER, MeasureStatus.OFF_TARGET),
        (9, 12, Better.LOWER, MeasureStatus.ON_TARGET),
        (0, 0, Better.LOWER, MeasureStatus.ON_TARGET),
        (1, 0, Better.LOWER, MeasureStatus.OFF_TARGET),  # no band around a zero target
    ],
)
def test_status_against_target_at_the_edges_of_the_tolerance(
    actual: float, target: float, better: Better, status: MeasureStatus
) -> None:
    assert measure_status(actual, target, better, 5) is status


def test_no_status_without_an_actual_or_a_target() -> None:
    assert measure_status(None, 80, Better.HIGHER, 5) is None
    assert measure_status(80, None, Better.HIGHER, 5) is None


def test_status_shows_as_green_amber_red() -> None:
    assert [status.rag for status in MeasureStatus] == ["G", "A", "R"]
    assert MeasureStatus.WITHIN_TOLERANCE.label == "Within tolerance"


def test_direction_of_travel_follows_the_better_direction() -> None:
    assert value_travel(60, 65, Better.HIGHER) == "improved"
    assert value_travel(60, 55, Better.HIGHER) == "worse"
    assert value_travel(10, 8, Better.LOWER) == "improved"
    assert value_travel(10, 12, Better.LOWER) == "worse"
    assert value_travel(10, 10.0, Better.LOWER) == "same"
    assert value_travel(None, 10, Better.LOWER) is None


def test_values_print_in_their_units() -> None:
    assert format_value(72.5, Unit.PERCENT) == "72.5%"
    assert format_value(1250000, Unit.POUNDS) == "£1,250,000"
    assert format_value(1234, Unit.NUMBER) == "1,234"
    assert format_value(1, Unit.DAYS) == "1 day"
    assert format_value(12, Unit.DAYS) == "12 days"
    assert format_value(None, Unit.NUMBER) == ""


# ----- money ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("£1,250,000", Decimal(1250000)),
        ("1250000", Decimal(1250000)),
        ("£250k", Decimal(250000)),
        ("£1.2m", Decimal(1200000)),
        ("(3,000)", Decimal(-3000)),
        ("-£3,000", Decimal(-3000)),
        ("£12.50", Decimal("12.50")),
    ],
)
def test_pounds_are_read_as_officers_write_them(text: str, amount: Decimal) -> None:
    assert parse_pounds(text) == amount


@pytest.mark.parametrize("text", ["twelve pounds", "£", "1,2,x", "--£5", ""])
def test_text_that_is_not_money_is_refused(text: str) -> None:
    with pytest.raises(PoundsError, match="is not an amount of money"):
        parse_pounds(text)


def test_pounds_print_with_thousands_separators() -> None:
    assert format_pounds(Decimal(1250000)) == "£1,250,000"
    assert format_pounds(Decimal("12.5")) == "£12.50"
    assert format_pounds(-3000) == "-£3,000"
    assert format_pounds(None) == ""


def _figure(
    kind: BenefitType,
    planned: int,
    realised: int | None,
    validated: bool,
    *,
    year: Period = Period(2013),  # noqa: B008
    partner: str = "",
) -> BenefitFigure:
    return BenefitFigure(
        year=year,
        kind=kind,
        planned=Decimal(planned),
        realised=None if realised is None else Decimal(realised),
        validated=validated,
        partner=partner,
    )


def test_only_validated_savings_make_the_headline() -> None:
    figures = [
        _figure(BenefitType.CASHABLE, 100_000, 80_000, True),
        _figure(BenefitType.CASHABLE, 50_000, 50_000, False),  # not validated yet
        _figure(BenefitType.NON_CASHABLE, 20_000, 20_000, True),
        _figure(BenefitType.COST_AVOIDANCE, 40_000, 40_000, True),  # not a saving
        _figure(BenefitType.CASHABLE, 10_000, 10_000, True, year=Period(2014)),
    ]
    assert headline_savings(figures) == Decimal(110_000)
    assert headline_savings(figures, Period(2013)) == Decimal(100_000)
    assert headline_savings(figures, Period(2014, 2)) == Decimal(10_000)  # its year's


def test_benefits_total_by_partner_body_planned_against_realised() -> None:
    figures = [
        _figure(BenefitType.CASHABLE, 100_000, 80_000, True, partner="Northshire CC"),
        _figure(BenefitType.CASHABLE, 50_000, None, False, partner="Northshire CC"),
        _figure(BenefitType.INCOME, 30_000, 35_000, False, partner="Eastvale DC"),
        _figure(BenefitType.QUALITATIVE, 0, None, False, partner="Eastvale DC"),
    ]
    totals = benefit_totals(figures, lambda figure: figure.partner)
    assert totals["Northshire CC"].planned == 150_000
    assert totals["Northshire CC"].realised == 80_000
    assert totals["Northshire CC"].validated == 80_000
    assert totals["Eastvale DC"].planned == 30_000 and totals["Eastvale DC"].validated == 0


def test_spend_is_judged_against_the_budget_spread_over_the_year() -> None:
    year = Period(2013)
    budget, tolerance = Decimal(365_000), Decimal(10)
    # 30 September 2013 is day 183 of 365: £183,000 profiled; the band is £36,500
    on = spend_against_profile(budget, Decimal(183_000), date(2013, 9, 30), year, tolerance)
    assert on.profiled == Decimal(183_000) and on.flag is SpendFlag.ON_PROFILE
    edge = spend_against_profile(budget, Decimal(219_500), date(2013, 9, 30), year, tolerance)
    assert edge.flag is SpendFlag.ON_PROFILE  # exactly at the band's edge
    over = spend_against_profile(budget, Decimal(219_501), date(2013, 9, 30), year, tolerance)
    assert over.flag is SpendFlag.OVERSPEND and over.variance == Decimal(36_501)
    under = spend_against_profile(budget, Decimal(146_499), date(2013, 9, 30), year, tolerance)
    assert under.flag is SpendFlag.UNDERSPEND
    before = spend_against_profile(budget, Decimal(0), date(2013, 3, 1), year, tolerance)
    assert before.profiled == 0 and before.flag is SpendFlag.ON_PROFILE
    after = spend_against_profile(budget, budget, date(2014, 6, 1), year, tolerance)
    assert after.profiled == budget and after.flag is SpendFlag.ON_PROFILE


def test_budget_lines_that_do_not_add_up() -> None:
    assert unfunded(Decimal(500_000), [Decimal(300_000), Decimal(200_000)]) == 0
    assert unfunded(Decimal(500_000), [Decimal(300_000)]) == Decimal(200_000)
    assert unfunded(Decimal(500_000), [Decimal(600_000)]) == Decimal(-100_000)


def test_a_stored_period_is_its_year_or_quarter_made_once() -> None:
    assert stored_period(2013, 0) == stored_period(2013) == Period(2013)
    assert stored_period(2013, 3) == Period(2013, 3)
    assert stored_period(2013, 3).label == "Q3 2013/14"
    assert stored_period(2013, 3) is stored_period(2013, 3)
