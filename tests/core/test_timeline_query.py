"""The plan laid out in time (planner.queries.timeline) and the financial-year time
scale it is drawn on (planner.domain.timescale)."""

from __future__ import annotations

from datetime import date, timedelta

from planner.domain.timescale import TimeScale, Zoom, action_span
from planner.queries.timeline import timeline
from planner.store.planfile import PlanFile

# ----- the query -------------------------------------------------------------------


def test_themes_and_actions_come_in_plan_order(sample_plan: PlanFile) -> None:
    with sample_plan.Session() as session:
        found = timeline(session, sample_plan.plan_id)
    assert [theme.number for theme in found.themes] == [1, 2, 3, 4, 5, 6, 7]
    assert found.themes[0].title == "Leadership & Governance"
    refs = [action.ref for action in found.actions]
    assert len(refs) == 27
    assert refs[:5] == ["1.1", "1.2", "1.3", "1.4", "2.1"]
    for theme in found.themes:
        assert all(action.theme_id == theme.id for action in theme.actions)
    assert found.status_date == date(2013, 12, 31)
    assert (found.period_start, found.period_end) == (date(2011, 4, 1), date(2015, 3, 31))


def test_only_the_actions_asked_for_and_their_themes(sample_plan: PlanFile) -> None:
    with sample_plan.Session() as session:
        every = timeline(session, sample_plan.plan_id)
        wanted = {a.id for a in every.actions if a.ref in ("1.2", "4.2", "4.3")}
        found = timeline(session, sample_plan.plan_id, wanted)
        nothing = timeline(session, sample_plan.plan_id, set())
    assert [a.ref for a in found.actions] == ["1.2", "4.2", "4.3"]
    assert [theme.number for theme in found.themes] == [1, 4]
    assert set(found.milestones) == wanted
    assert nothing.themes == [] and nothing.milestones == {}


def test_milestones_are_grouped_by_action_in_due_order(sample_plan: PlanFile) -> None:
    with sample_plan.Session() as session:
        found = timeline(session, sample_plan.plan_id)
    refs = {action.id: action.ref for action in found.actions}
    assert sum(len(group) for group in found.milestones.values()) == 94
    for action_id, group in found.milestones.items():
        assert all(m.action_id == action_id and m.action_ref == refs[action_id] for m in group)
        dues = [m.due for m in group]
        assert dues == sorted(dues)  # type: ignore[type-var]
    overdue = [m for group in found.milestones.values() for m in group if m.overdue]
    assert overdue and all(
        m.completed_on is None and m.due is not None and m.due < found.status_date for m in overdue
    )


def test_the_dates_to_show_cover_the_period_status_date_and_every_action(
    sample_plan: PlanFile,
) -> None:
    with sample_plan.Session() as session:
        found = timeline(session, sample_plan.plan_id)
    dates = found.dates()
    assert found.status_date in dates
    assert date(2011, 4, 1) in dates and date(2015, 3, 31) in dates
    for action in found.actions:
        assert action.start in dates and action.due in dates


# ----- the time scale ----------------------------------------------------------------


def test_a_scale_covers_whole_financial_years() -> None:
    scale = TimeScale.covering([date(2012, 2, 10), date(2013, 4, 1)], per_day=2.0)
    assert scale.first == date(2011, 4, 1)
    assert scale.end == date(2014, 4, 1)
    assert scale.width == (date(2014, 4, 1) - date(2011, 4, 1)).days * 2.0
    empty = TimeScale.covering([], 1.0)
    assert empty.first.month == 4 and empty.first.day == 1
    assert empty.first <= date.today() < empty.end


def test_bands_are_months_quarters_and_financial_years() -> None:
    scale = TimeScale(date(2012, 4, 1), date(2014, 4, 1), 1.0)
    months = scale.months()
    assert len(months) == 24
    assert (months[0].label, months[0].short_label) == ("Apr 2012", "A")
    assert months[0].first == date(2012, 4, 1) and months[0].end == date(2012, 5, 1)
    assert months[-1].label == "Mar 2014"

    quarters = scale.quarters()
    assert [q.label for q in quarters[:5]] == [
        "Q1 2012/13",
        "Q2 2012/13",
        "Q3 2012/13",
        "Q4 2012/13",
        "Q1 2013/14",
    ]
    assert quarters[0].short_label == "Q1"
    assert quarters[3].first == date(2013, 1, 1) and quarters[3].end == date(2013, 4, 1)

    years = scale.years()
    assert [(y.label, y.short_label) for y in years] == [("2012/13", "12/13"), ("2013/14", "13/14")]
    assert years[1].first == date(2013, 4, 1) and years[1].end == date(2014, 4, 1)
    assert scale.bands(Zoom.MONTHS) == months
    assert scale.bands(Zoom.QUARTERS) == quarters
    assert scale.bands(Zoom.YEARS) == years


def test_x_and_date_at_round_trip() -> None:
    scale = TimeScale(date(2011, 4, 1), date(2015, 4, 1), 2.5)
    assert scale.x(date(2011, 4, 1)) == 0
    assert scale.x(date(2012, 4, 1)) == 366 * 2.5  # 2012 is a leap year
    day = scale.first
    while day < scale.end:
        assert scale.date_at(scale.x(day)) == day
        assert scale.date_at(scale.x(day) + 1.0) == day  # within the day's first half
        day += timedelta(days=1)
    assert scale.date_at(-100) == scale.first  # kept within the scale
    assert scale.date_at(scale.width + 100) == date(2015, 3, 31)


def test_an_action_span_uses_either_date_for_a_missing_one() -> None:
    assert action_span(date(2012, 1, 1), date(2012, 6, 1)) == (date(2012, 1, 1), date(2012, 6, 1))
    assert action_span(None, date(2012, 6, 1)) == (date(2012, 6, 1), date(2012, 6, 1))
    assert action_span(date(2012, 1, 1), None) == (date(2012, 1, 1), date(2012, 1, 1))
    assert action_span(None, None) is None


def test_filtering_in_memory_matches_reading_with_the_filter(sample_plan: PlanFile) -> None:
    with sample_plan.Session() as session:
        every = timeline(session, sample_plan.plan_id)
        wanted = {a.id for a in every.actions if a.ref.startswith(("2.", "5.1"))}
        read = timeline(session, sample_plan.plan_id, wanted)
    kept = every.only(wanted)
    assert [(t.id, [a.id for a in t.actions]) for t in kept.themes] == [
        (t.id, [a.id for a in t.actions]) for t in read.themes
    ]
    assert kept.milestones == read.milestones
    assert every.only(None) is every
    assert every.only(set()).themes == []
