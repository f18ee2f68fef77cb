"""The Dashboard: its query on the sample plan (answers worked out independently from the
plan's rows) and the tab in the main window (what a user sees and can click)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from planner.commands import AddProgressUpdate, CommandRunner, EditRecord, runner_for
from planner.domain import Status
from planner.domain.travel import IMPROVED, SAME, WORSE
from planner.queries.dashboard import Dashboard, dashboard, direction_counts
from planner.queries.detail import action_detail
from planner.store.models import Action, Milestone, Theme
from planner.store.planfile import PlanFile

STATUS_DATE = date(2013, 12, 31)


@pytest.fixture
def plan(sample_path: Path, data_dir: Path) -> Iterator[PlanFile]:
    plan_file = PlanFile.open(sample_path, data_dir=data_dir)
    yield plan_file
    plan_file.close(discard=True)


def read(plan: PlanFile, action_ids: Any = None) -> Dashboard:
    with plan.Session() as session:
        return dashboard(session, plan.plan_id, action_ids)


def actions(plan: PlanFile) -> list[Action]:
    with plan.Session() as session:
        found = list(session.scalars(select(Action).order_by(Action.id)))
        session.expunge_all()
        return found


def milestones(plan: PlanFile) -> list[Milestone]:
    with plan.Session() as session:
        found = list(session.scalars(select(Milestone).order_by(Milestone.id)))
        session.expunge_all()
        return found


def ref_of(plan: PlanFile, ref: str) -> int:
    return next(action.id for action in actions(plan) if action.ref == ref)


# ----- the query ---------------------------------------------------------------------


def test_rag_counts_per_theme_add_up_to_the_themes_actions(plan: PlanFile) -> None:
    board = read(plan)
    with plan.Session() as session:
        themes = session.execute(
            select(Theme.id, Theme.number, Theme.title).order_by(Theme.number)
        ).all()
    everything = actions(plan)
    assert [theme.label for theme in board.themes] == [f"{n}. {t}" for _i, n, t in themes]
    assert board.themes[0].label == "1. Leadership & Governance"
    for theme in board.themes:
        own = [action for action in everything if action.theme_id == theme.id]
        assert theme.total == len(own)
        assert theme.counts == dict(Counter(action.rag for action in own))
    assert board.total == len(everything) == board.all_actions
    assert not board.filtered
    assert board.rag_count("R") == sum(1 for action in everything if action.rag == "R")
    assert board.rag_count(None) > 0, "the sample has unrated actions"


def test_status_counts_list_every_status_in_order(plan: PlanFile) -> None:
    board = read(plan)
    expected = Counter(action.status for action in actions(plan))
    assert [entry.status for entry in board.statuses] == [status.value for status in Status]
    assert {entry.status: entry.count for entry in board.statuses} == {
        status.value: expected.get(status.value, 0) for status in Status
    }
    assert board.statuses[0].label == "Not started"
    completed = expected[Status.COMPLETED.value]
    assert board.percent_completed == round(100 * completed / board.total)


def test_direction_of_travel_compares_the_latest_update_with_the_one_before(
    plan: PlanFile,
) -> None:
    runner: CommandRunner = runner_for(plan, who="Test Officer")
    cases = {"1.1": ("R", "G"), "2.1": ("A", "A"), "3.1": ("G", "R")}
    for ref, (before, after) in cases.items():
        action_id = ref_of(plan, ref)
        runner.execute(AddProgressUpdate(action_id, {"as_at": date(2014, 1, 31), "rag": before}))
        runner.execute(AddProgressUpdate(action_id, {"as_at": date(2014, 2, 28), "rag": after}))
    # An older update entered last does not count as the latest.
    runner.execute(AddProgressUpdate(ref_of(plan, "1.1"), {"as_at": date(2012, 1, 31), "rag": "B"}))
    travel = read(plan).travel
    assert ref_of(plan, "1.1") in travel.improved
    assert ref_of(plan, "2.1") in travel.same
    assert ref_of(plan, "3.1") in travel.worse

    # Every action is counted once, and the details panel judges each the same way.
    everything = actions(plan)
    assert travel.count(IMPROVED) + travel.count(SAME) + travel.count(WORSE) + len(
        travel.not_rated
    ) + travel.no_previous == len(everything)
    with plan.Session() as session:
        for action in everything:
            detail = action_detail(session, plan.plan_id, action.id)
            assert detail is not None
            latest = detail.updates[0].direction if len(detail.updates) >= 2 else "none"
            found = next(
                (
                    direction
                    for direction, ids in (
                        (IMPROVED, travel.improved),
                        (SAME, travel.same),
                        (WORSE, travel.worse),
                        (None, travel.not_rated),
                    )
                    if action.id in ids
                ),
                "none",
            )
            assert found == latest, action.ref


def test_actions_with_fewer_than_two_updates_have_no_previous_update(plan: PlanFile) -> None:
    with plan.Session() as session:
        counts = {
            action.id: len(detail.updates)
            for action in actions(plan)
            if (detail := action_detail(session, plan.plan_id, action.id)) is not None
        }
    few = [action_id for action_id, updates in counts.items() if updates < 2]
    assert few, "the sample has actions with fewer than two updates"
    assert read(plan).travel.no_previous == len(few)
    with plan.Session() as session:
        alone = direction_counts(session, plan.plan_id, [few[0]])
    assert alone.no_previous == 1
    assert alone.improved == alone.same == alone.worse == alone.not_rated == ()


def expected_lists(plan: PlanFile, status_date: date, wanted: set[int] | None) -> Any:
    every = [m for m in milestones(plan) if wanted is None or m.action_id in wanted]
    late = sorted(
        (m.id for m in every if m.completed_on is None and m.due and m.due < status_date),
    )
    soon = sorted(
        m.id
        for m in every
        if m.completed_on is None
        and m.due
        and status_date <= m.due <= status_date + timedelta(days=90)
    )
    return late, soon


def test_overdue_and_due_soon_are_judged_from_the_status_date(plan: PlanFile) -> None:
    board = read(plan)
    late, soon = expected_lists(plan, STATUS_DATE, None)
    assert late and soon
    assert sorted(row.id for row in board.overdue) == late
    assert sorted(row.id for row in board.due_soon) == soon
    dues = [row.due for row in board.overdue]
    assert dues == sorted(dues), "longest overdue first"
    first = board.overdue[0]
    assert first.due is not None
    assert board.days_overdue(first) == (STATUS_DATE - first.due).days > 0
    assert all(0 <= board.days_to_go(row) <= 90 for row in board.due_soon)

    # Moving the status date moves both lists.
    later = date(2014, 3, 31)
    runner_for(plan, who="Test Officer").execute(
        EditRecord("plan", plan.plan_id, {"status_date": later})
    )
    board = read(plan)
    late, soon = expected_lists(plan, later, None)
    assert board.status_date == later
    assert sorted(row.id for row in board.overdue) == late
    assert sorted(row.id for row in board.due_soon) == soon


def test_a_set_of_actions_narrows_every_figure(plan: PlanFile) -> None:
    everything = actions(plan)
    theme_four = next(a.theme_id for a in everything if a.ref.startswith("4."))
    wanted = {a.id for a in everything if a.theme_id == theme_four}
    board = read(plan, wanted)
    assert board.filtered
    assert board.total == len(wanted)
    assert board.all_actions == len(everything)
    assert [theme.label for theme in board.themes] == ["4. Local Public Services Infrastructure"]
    assert sum(entry.count for entry in board.statuses) == len(wanted)
    late, soon = expected_lists(plan, STATUS_DATE, wanted)
    assert sorted(row.id for row in board.overdue) == late
    assert sorted(row.id for row in board.due_soon) == soon
    assert {row.action_id for row in board.overdue + board.due_soon} <= wanted
    travel = board.travel
    assert set(travel.improved + travel.same + travel.worse + travel.not_rated) <= wanted

    nothing = read(plan, set())
    assert (nothing.total, nothing.themes, nothing.overdue, nothing.percent_completed) == (
        0,
        (),
        (),
        0,
    )


# ----- the tab in the main window ----------------------------------------------------

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import Qt  # noqa: E402

from planner.ui.main_window import MainWindow  # noqa: E402
from planner.ui.views.dashboard import DashboardView  # noqa: E402


def open_dashboard(window: MainWindow) -> DashboardView:
    view = window.findChild(DashboardView, "dashboardView")
    assert isinstance(view, DashboardView)
    window.tabs.setCurrentWidget(view)
    return view


def test_the_dashboard_is_a_tab_before_the_people_list(window: MainWindow) -> None:
    view = open_dashboard(window)
    index = window.tabs.indexOf(view)
    assert window.tabs.tabText(index) == "&Dashboard"
    assert index < window.tabs.indexOf(window.people_view)
    assert not window.tabs.tabIcon(index).isNull()
    assert window.filter_bar.isVisible(), "the filter bar applies to the dashboard"


def test_the_headline_and_charts_show_the_plans_figures(window: MainWindow) -> None:
    view = open_dashboard(window)
    board = view.board
    assert board is not None
    assert view.actions_tile.value.text() == "27" == str(board.total)
    assert view.completed_tile.value.text() == f"{board.percent_completed}%"
    assert view.red_tile.value.text() == str(board.rag_count("R"))
    assert view.red_tile.caption.text() == "Red (R)"
    assert view.amber_tile.value.text() == str(board.rag_count("A"))
    assert view.overdue_tile.value.text() == str(len(board.overdue))
    assert view.date_tile.value.text() == "31 Dec 2013"

    bars = view.rag_chart.bars()
    assert [bar.label for bar in bars] == [theme.label for theme in board.themes]
    for bar, theme in zip(bars, board.themes, strict=True):
        assert {s.key: s.count for s in bar.segments if s.count} == theme.counts
    # The segments are drawn to one scale: widths follow the counts.
    rects = view.rag_chart.segment_rects()
    widths = {(number, segment.key): rect.width() for number, segment, rect in rects}
    one = next(w for (n, k), w in widths.items() if bars[n].segments and _count(bars, n, k) == 1)
    for (number, key), width in widths.items():
        assert width == pytest.approx(one * _count(bars, number, key), abs=0.5)
    unrated = [s for s in bars[2].segments if s.key is None]
    assert unrated and unrated[0].count == 1, "theme 3 has one unrated action, shown grey"
    assert unrated[0].colour == "#D5D8DC"
    legend = view.legend.findChild(type(view.red_tile.value), "legendR")
    assert legend is not None and "Red" in legend.text()
    assert legend.toolTip().startswith("Red: Off track")

    statuses = {row.label: row.count for row in view.status_bars.rows()}
    assert statuses == {entry.label: entry.count for entry in board.statuses}
    assert view.travel_rows[IMPROVED].count.text() == str(board.travel.count(IMPROVED))
    assert view.travel_rows[WORSE].label.text() == "actions worse"
    assert "no previous update" in view.travel_note.text()


def _count(bars: Any, number: int, key: str | None) -> int:
    return int(next(s.count for s in bars[number].segments if s.key == key))


def test_the_milestone_lists_show_ref_title_date_owner_and_days(window: MainWindow) -> None:
    view = open_dashboard(window)
    board = view.board
    assert board is not None
    model = view.overdue_list.model
    assert model.rowCount() == len(board.overdue) > 0
    first = board.overdue[0]
    shown = [model.index(0, column).data() for column in range(model.columnCount())]
    assert first.due is not None
    assert shown == [
        first.action_ref,
        first.title,
        first.due.strftime("%d/%m/%Y"),
        first.owner,
        str((STATUS_DATE - first.due).days),
    ]
    assert view.overdue_card.heading.text() == f"Overdue milestones ({len(board.overdue)})"
    soon = view.due_list.model
    assert soon.rowCount() == len(board.due_soon) > 0
    assert soon.headerData(4, Qt.Orientation.Horizontal) == "Days to go"
    assert view.due_card.heading.text().startswith("Due in the next 90 days")


def test_the_list_models_pass_the_qt_model_tester(window: MainWindow, qtmodeltester: Any) -> None:
    view = open_dashboard(window)
    qtmodeltester.check(view.overdue_list.model)
    qtmodeltester.check(view.due_list.model)


def test_clicking_a_milestone_opens_its_action(qtbot: Any, window: MainWindow) -> None:
    view = open_dashboard(window)
    table = view.overdue_list.table
    model = view.overdue_list.model
    row = model.rowCount() - 1
    wanted = model.action_id(row)
    assert window.actions_page.current_action_id() != wanted
    rect = table.visualRect(model.index(row, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.actions_page.current_action_id() == wanted
    assert window.details._action_id == wanted

    # Enter on a row of the other list does the same.
    table = view.due_list.table
    model = view.due_list.model
    other = next(r for r in range(model.rowCount()) if model.action_id(r) != wanted)
    table.setFocus()
    table.setCurrentIndex(model.index(other, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.actions_page.current_action_id() == model.action_id(other)


def test_the_filter_bar_narrows_the_dashboard(window: MainWindow) -> None:
    view = open_dashboard(window)
    window.filter_bar.text.setText("PSN")
    shown = set(window.actions_page.visible_action_ids())
    assert 0 < len(shown) < 27
    assert view.actions_tile.value.text() == str(len(shown))
    assert view.actions_tile.caption.text() == "Actions shown of 27"
    assert sum(bar.total for bar in view.rag_chart.bars()) == len(shown)
    assert sum(row.count for row in view.status_bars.rows()) == len(shown)
    model = view.overdue_list.model
    assert all(model.action_id(r) in shown for r in range(model.rowCount()))

    window.filter_bar.clear()
    assert view.actions_tile.value.text() == "27"


def test_the_dashboard_follows_an_edit_and_its_undo(window: MainWindow) -> None:
    view = open_dashboard(window)
    board = view.board
    assert board is not None
    reds = board.rag_count("R")
    green = next(a.id for a in window.actions_page.model._rows if a.rag == "G")
    window.execute(EditRecord("action", green, {"rag": "R"}))
    assert view.red_tile.value.text() == str(reds + 1)
    assert sum(bar.segments[0].count for bar in view.rag_chart.bars()) == reds + 1

    improved = int(view.travel_rows[IMPROVED].count.text())
    window.execute(AddProgressUpdate(green, {"as_at": date(2014, 1, 31), "rag": "B"}))
    # Its latest update so far was rated Green: Blue is better.
    assert view.travel_rows[IMPROVED].count.text() == str(improved + 1)

    window.actionUndo.trigger()
    window.actionUndo.trigger()
    assert view.red_tile.value.text() == str(reds)
    assert view.travel_rows[IMPROVED].count.text() == str(improved)


def test_the_dashboard_reflows_to_two_columns_when_wide(qtbot: Any, window: MainWindow) -> None:
    view = open_dashboard(window)
    grid = view._grid
    narrow_status = grid.getItemPosition(grid.indexOf(view.status_card))
    window.details.hide()
    window.resize(1600, 900)
    qtbot.waitUntil(lambda: view.width() >= 940)
    wide_status = grid.getItemPosition(grid.indexOf(view.status_card))
    assert narrow_status[:2] == (2, 0), "under RAG by theme when narrow"
    assert wide_status[:2] == (1, 1), "beside RAG by theme when wide"


# ----- savings and measures ------------------------------------------------------------


def test_the_savings_and_measures_tiles_show_the_plans_figures(window: MainWindow) -> None:
    from planner.domain.measures import MeasureStatus
    from planner.queries.purpose import measure_rows

    view = open_dashboard(window)
    savings = view.savings_tile
    assert savings.value.text() == "£0"
    assert savings.caption.text() == "Validated savings in 2013/14, of £1,180,000 planned"
    assert savings.detail.text() == "£379,000 validated to date, of £1,595,000 planned"
    assert "only savings a board paper may quote" in savings.toolTip()

    assert window.document is not None
    statuses = Counter(row.status for row in window.document.read(lambda s, p: measure_rows(s, p)))
    assert sum(statuses.values()) == 6
    tile = view.measures_tile
    for status, words in (
        (MeasureStatus.ON_TARGET, "on target"),
        (MeasureStatus.WITHIN_TOLERANCE, "within tolerance"),
        (MeasureStatus.OFF_TARGET, "off target"),
    ):
        assert tile.counts[status].text() == str(statuses[status])
        assert tile.words[status].text() == words
    board = view.board
    assert board is not None
    green, red = board.rag("G"), board.rag("R")
    assert green is not None and red is not None
    assert green.colour in tile.counts[MeasureStatus.ON_TARGET].styleSheet()
    assert red.colour in tile.counts[MeasureStatus.OFF_TARGET].styleSheet()
    assert tile.caption.text() == "Measures at their latest figure (6)"


def test_the_savings_tile_follows_a_validated_figure_and_its_undo(window: MainWindow) -> None:
    from planner.store.models import Benefit, BenefitValue, Person

    view = open_dashboard(window)
    assert window.document is not None
    figure_id, person_id = window.document.read(
        lambda s, p: (
            s.scalar(
                select(BenefitValue.id)
                .join(Benefit, Benefit.id == BenefitValue.benefit_id)
                .join(Action, Action.id == Benefit.action_id)
                .where(
                    Action.ref == "3.4", BenefitValue.year == 2013, BenefitValue.planned == 450_000
                )
            ),
            s.scalar(select(Person.id).order_by(Person.id)),
        )
    )
    window.execute(
        EditRecord(
            "benefit_value",
            figure_id,
            {"realised": 100_000, "validated_by_id": person_id, "validated_on": date(2014, 1, 20)},
        )
    )
    assert view.savings_tile.value.text() == "£100,000"
    assert view.savings_tile.detail.text().startswith("£479,000 validated to date")
    window.actionUndo.trigger()
    assert view.savings_tile.value.text() == "£0"


def test_an_edit_to_an_action_leaves_the_savings_and_measures_as_read(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The two tiles cover the whole plan's benefits and measures: an action's RAG does
    not change them, so they are not read again (on a large plan that costs a tenth of
    a second an edit); a measure's figure does."""
    from planner.queries.purpose import measure_detail, measure_rows
    from planner.ui.views import dashboard as dashboard_module

    view = open_dashboard(window)
    document = window.document
    assert document is not None
    read: list[int] = []
    glance = dashboard_module.purpose_glance

    def counted(session: Any, plan_id: int) -> Any:
        read.append(plan_id)
        return glance(session, plan_id)

    monkeypatch.setattr(dashboard_module, "purpose_glance", counted)
    action_id = document.read(lambda s, p: s.scalar(select(Action.id).where(Action.ref == "2.1")))
    window.execute(EditRecord("action", action_id, {"rag": "R"}))
    assert read == []
    assert view.board is not None and view.board.all_actions == 27  # read again
    measure = next(row for row in document.read(measure_rows) if row.status is not None)
    periods = document.read(lambda s, _p: measure_detail(s, measure.id)).periods
    latest = next(period for period in reversed(periods) if period.actual is not None)
    window.execute(EditRecord("measure_value", latest.id, {"actual": 0.0}))
    assert len(read) == 1


def test_the_savings_and_measures_tiles_say_they_are_the_whole_plans(window: MainWindow) -> None:
    view = open_dashboard(window)
    window.filter_bar.text.setText("PSN")
    assert view.savings_tile.caption.text().endswith("planned (whole plan)")
    assert "(whole plan)" in view.measures_tile.caption.text()


def test_dashboard_screenshot(qtbot: Any, window: MainWindow) -> None:
    window.resize(1400, 900)
    view = open_dashboard(window)
    qtbot.wait(50)
    assert window.grab().save("/tmp/dashboard.png")
    for tile in (view.savings_tile, view.measures_tile):
        assert tile.width() >= tile.minimumSizeHint().width()
