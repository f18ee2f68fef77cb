"""The Timeline tab: bars for the actions the filter shows, dates in the right places,
milestones and the status date marked, clicks that select, drags that change dates
(undoably, and never in a read-only plan)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import Errors

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from planner.commands import EditRecord
from planner.domain.timescale import Zoom
from planner.errors import PlannerError
from planner.queries import action_rows
from planner.queries.summary import milestone_rows
from planner.ui import main_window
from planner.ui.main_window import MainWindow
from planner.ui.views.timeline import TimelineView
from planner.ui.views.timeline_layout import (
    CHARS_PER_DAY,
    MarkerState,
    Part,
    Row,
    drag_days,
    moved_dates,
)

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def errors(monkeypatch: pytest.MonkeyPatch) -> Errors:
    """Refusals the window would show; no message box is left waiting."""
    found = Errors()
    monkeypatch.setattr(main_window, "show_error", found)
    return found


def _show(qtbot: Any, window: MainWindow) -> MainWindow:
    def discard() -> None:
        document = window.document
        window.set_document(None)
        if document is not None:
            document.close(discard=True)

    qtbot.addWidget(window, before_close_func=lambda _w: discard())
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def timeline_of(window: MainWindow) -> TimelineView:
    view = next(view for view in window.plan_views if isinstance(view, TimelineView))
    window.tabs.setCurrentWidget(view)
    return view


def row_of(view: TimelineView, ref: str) -> Row:
    layout = view.canvas.plan_layout
    assert layout is not None
    return next(row for row in layout.rows if row.action is not None and row.action.ref == ref)


def action_id(window: MainWindow, ref: str) -> int:
    model = window.actions_page.model
    return next(i for i in model.row_ids if model.action(i).ref == ref)  # type: ignore[union-attr]


def dates_of(window: MainWindow, ref: str) -> tuple[date | None, date | None]:
    action = window.actions_page.model.action(action_id(window, ref))
    assert action is not None
    return action.start, action.due


def on_screen(view: TimelineView, x: float, row: Row) -> QPoint:
    """The viewport point at time-area x on `row`'s centre line, scrolling it into view."""
    canvas = view.canvas
    layout = canvas.plan_layout
    assert layout is not None
    canvas.verticalScrollBar().setValue(round(layout.row_y(row.index) - layout.row_height * 2))
    canvas.scroll_to_x(x - canvas.time_width() / 2)
    return canvas.to_viewport(x, layout.row_y(row.index) + layout.row_height / 2)


def grab(view: TimelineView, row: Row, part: Part) -> QPoint:
    """A viewport point on `row` that grabs `part` of its bar."""
    bar = row.bar
    assert bar is not None
    point = on_screen(view, (bar.x0 + bar.x1) / 2 if part is Part.BAR else bar.x0, row)
    if part is Part.BAR:
        return point
    x, y = view.canvas.to_layout(QPointF(point))
    for dx in range(-40, round(bar.x1 - bar.x0) + 40):
        found = view.canvas.hit_at(QPointF(view.canvas.to_viewport(x + dx, y)))
        if found is not None and found.part is part:
            return on_screen(view, x + dx, row)
    raise AssertionError(f"nothing grabs the {part} of {row.action}")


def drag(view: TimelineView, start: QPoint, dx: int) -> None:
    viewport = view.canvas.viewport()
    end = start + QPoint(dx, 0)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(viewport, start + QPoint(dx // 2, 0))
    QTest.mouseMove(viewport, end)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def test_the_timeline_is_a_tab_among_the_pictures_of_the_plan(window: MainWindow) -> None:
    view = timeline_of(window)
    tabs = [window.tabs.tabText(index) for index in range(window.tabs.count())]
    assert tabs == [
        "&Actions",
        "&Dashboard",
        "&Timeline",
        "Partner &map",
        "People &load",
        "&Outcomes",
        "Bene&fits",
        "&People",
        "Partner &bodies",
    ]
    assert window.tabs.widget(tabs.index("&Timeline")) is view
    assert view.canvas.plan_layout is not None


def test_bars_for_exactly_the_actions_the_filter_shows(window: MainWindow) -> None:
    view = timeline_of(window)
    layout = view.canvas.plan_layout
    assert layout is not None
    assert layout.action_ids == window.actions_page.visible_action_ids()
    assert len(layout.action_ids) == 27
    themes = [row.theme.number for row in layout.rows if row.is_theme]
    assert themes == [1, 2, 3, 4, 5, 6, 7]
    assert all(row.bar is not None for row in layout.rows if row.action is not None)

    window.filter_bar.text.setText("PSN")
    layout = view.canvas.plan_layout
    assert layout is not None
    shown = window.actions_page.visible_action_ids()
    assert 0 < len(shown) < 27
    assert layout.action_ids == shown
    # A theme header only for the themes that still have actions shown.
    for index, row in enumerate(layout.rows):
        if row.is_theme:
            assert layout.rows[index + 1].action is not None


def test_dates_map_to_x_and_zoom_changes_the_width_of_a_day(window: MainWindow) -> None:
    view = timeline_of(window)
    window.execute(EditRecord("action", action_id(window, "2.2"), {"start": date(2012, 4, 1)}))
    view.set_zoom(Zoom.MONTHS)
    layout = view.canvas.plan_layout
    assert layout is not None
    assert layout.scale.first == date(2011, 4, 1)  # the plan period's financial year
    months_per_day = layout.scale.per_day
    bar = row_of(view, "2.2").bar
    assert bar is not None
    assert bar.x0 == layout.x(date(2012, 4, 1)) == pytest.approx(366 * months_per_day)
    assert bar.x1 == layout.x(date(2015, 4, 1))  # due 31 Mar 2015: to the end of that day
    assert [band.label for band in layout.scale.quarters()][4] == "Q1 2012/13"
    assert [band.label for band in layout.scale.years()][:2] == ["2011/12", "2012/13"]

    view.set_zoom(Zoom.YEARS)
    layout = view.canvas.plan_layout
    assert layout is not None
    ratio = CHARS_PER_DAY[Zoom.YEARS] / CHARS_PER_DAY[Zoom.MONTHS]
    assert layout.scale.per_day == pytest.approx(months_per_day * ratio)
    assert view.zoom_box.currentText() == "Years"
    bar = row_of(view, "2.2").bar
    assert bar is not None and bar.x0 == layout.x(date(2012, 4, 1))


def test_milestones_are_markers_marked_done_open_or_overdue(window: MainWindow) -> None:
    view = timeline_of(window)
    layout = view.canvas.plan_layout
    document = window.document
    assert layout is not None and document is not None
    milestones = document.read(lambda session, plan_id: milestone_rows(session, plan_id))
    markers = {m.milestone.id: m for row in layout.rows for m in row.markers}
    assert set(markers) == {milestone.id for milestone in milestones}
    states = set()
    for milestone in milestones:
        marker = markers[milestone.id]
        assert milestone.due is not None
        assert marker.x == pytest.approx(layout.x(milestone.due) + layout.scale.per_day / 2)
        assert layout.row_of(milestone.action_id) is not None
        if milestone.completed_on:
            expected = MarkerState.DONE
        elif milestone.overdue:
            expected = MarkerState.OVERDUE
        else:
            expected = MarkerState.OPEN
        assert marker.state is expected
        states.add(expected)
    assert states == set(MarkerState)  # the sample plan has all three


def test_the_status_date_line_moves_with_the_status_date(window: MainWindow) -> None:
    view = timeline_of(window)
    canvas = view.canvas
    layout = canvas.plan_layout
    assert layout is not None
    assert layout.status_x == layout.x(date(2013, 12, 31))
    # The view opens at the status date.
    x = canvas.to_viewport(layout.status_x, 0).x()
    assert canvas.label_width < x < canvas.viewport().width()

    assert window.document is not None
    window.execute(EditRecord("plan", window.document.plan_id, {"status_date": date(2014, 3, 31)}))
    layout = canvas.plan_layout
    assert layout is not None
    assert layout.status_x == layout.x(date(2014, 3, 31))
    canvas.scroll_to_x(0)
    view.status_button.click()
    x = canvas.to_viewport(layout.status_x, 0).x()
    assert canvas.label_width < x < canvas.viewport().width()


def test_clicking_a_bar_or_a_row_selects_that_action(window: MainWindow) -> None:
    view = timeline_of(window)
    row = row_of(view, "3.3")
    assert row.bar is not None and row.action is not None
    point = on_screen(view, (row.bar.x0 + row.bar.x1) / 2, row)
    QTest.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.actions_page.current_action_id() == row.action.id
    assert view.canvas.current_id == row.action.id
    assert dates_of(window, "3.3") == (row.action.start, row.action.due)  # a click moves nothing

    other = row_of(view, "1.2")
    assert other.action is not None
    label = on_screen(view, 0, other)
    label.setX(20)  # in the list down the left
    QTest.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=label)
    assert window.actions_page.current_action_id() == other.action.id


def test_the_selected_action_is_scrolled_into_view(window: MainWindow) -> None:
    view = timeline_of(window)
    canvas = view.canvas
    canvas.resize(900, 300)
    last = window.actions_page.visible_action_ids()[-1]
    window.actions_page.select_action(last)
    layout = canvas.plan_layout
    assert layout is not None
    row = layout.row_of(last)
    assert row is not None
    top = layout.row_y(row.index) - canvas.verticalScrollBar().value()
    assert 0 <= top <= canvas.rows_height() - layout.row_height
    assert canvas.current_id == last


def test_dragging_a_bar_moves_start_and_due_together_and_undoes(window: MainWindow) -> None:
    view = timeline_of(window)
    view.set_zoom(Zoom.MONTHS)
    row = row_of(view, "1.3")
    bar = row.bar
    assert bar is not None
    before = dates_of(window, "1.3")
    point = on_screen(view, (bar.x0 + bar.x1) / 2, row)
    per_day = view.canvas.plan_layout.scale.per_day  # type: ignore[union-attr]
    dx = round(per_day * 30)
    days = drag_days(dx, per_day)
    assert days != 0
    drag(view, point, dx)
    start, due = dates_of(window, "1.3")
    assert (start, due) == (bar.start + timedelta(days=days), bar.due + timedelta(days=days))
    moved = row_of(view, "1.3").bar
    assert moved is not None and moved.start == start  # the view re-read the plan
    assert window.actionUndo.isEnabled()
    window.actionUndo.trigger()
    assert dates_of(window, "1.3") == before


def test_dragging_an_end_changes_only_that_date(window: MainWindow) -> None:
    view = timeline_of(window)
    view.set_zoom(Zoom.MONTHS)
    row = row_of(view, "1.3")
    start_before, due_before = dates_of(window, "1.3")
    per_day = view.canvas.plan_layout.scale.per_day  # type: ignore[union-attr]
    dx = round(per_day * 20)
    days = drag_days(dx, per_day)

    drag(view, grab(view, row, Part.DUE), dx)
    assert dates_of(window, "1.3") == (start_before, due_before + timedelta(days=days))

    drag(view, grab(view, row_of(view, "1.3"), Part.START), -dx)
    assert dates_of(window, "1.3") == (
        start_before - timedelta(days=days),
        due_before + timedelta(days=days),
    )


def test_dragging_a_milestone_changes_its_due_date(window: MainWindow) -> None:
    view = timeline_of(window)
    view.set_zoom(Zoom.MONTHS)
    row = row_of(view, "3.5")
    marker = row.markers[0]
    milestone = marker.milestone
    assert milestone.due is not None
    per_day = view.canvas.plan_layout.scale.per_day  # type: ignore[union-attr]
    dx = round(per_day * 14)
    days = drag_days(dx, per_day)
    drag(view, on_screen(view, marker.x, row), dx)
    document = window.document
    assert document is not None
    found = document.read(
        lambda session, plan_id: milestone_rows(session, plan_id, action_ids=[milestone.action_id])
    )
    moved = next(m for m in found if m.id == milestone.id)
    assert moved.due == milestone.due + timedelta(days=days)
    layout = view.canvas.plan_layout
    assert layout is not None
    markers = {m.milestone.id: m for m in row_of(view, "3.5").markers}
    assert markers[milestone.id].x == pytest.approx(layout.x(moved.due) + layout.scale.per_day / 2)
    window.actionUndo.trigger()
    found = document.read(
        lambda session, plan_id: milestone_rows(session, plan_id, action_ids=[milestone.action_id])
    )
    assert next(m for m in found if m.id == milestone.id).due == milestone.due


def test_a_refused_drag_leaves_the_bar_where_it_was(
    window: MainWindow, errors: Errors, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = timeline_of(window)
    view.set_zoom(Zoom.MONTHS)
    document = window.document
    assert document is not None

    def refuse(command: Any, **_options: Any) -> Any:
        raise PlannerError("The plan is busy.")

    monkeypatch.setattr(document, "execute", refuse)
    row = row_of(view, "1.3")
    bar = row.bar
    assert bar is not None
    before = dates_of(window, "1.3")
    drag(view, on_screen(view, (bar.x0 + bar.x1) / 2, row), 60)
    assert errors.messages == ["The plan is busy."]
    assert dates_of(window, "1.3") == before
    assert row_of(view, "1.3").bar == bar
    assert view.canvas._drag_preview() == (None, "")


def test_a_read_only_plan_refuses_drags(qtbot: Any, sample_path: Path, data_dir: Path) -> None:
    from planner.store.planfile import PlanFile
    from planner.ui.document import PlanDocument

    window = MainWindow()
    window.set_document(PlanDocument(PlanFile.open(sample_path, data_dir=data_dir, read_only=True)))
    _show(qtbot, window)
    view = timeline_of(window)
    asked: list[Any] = []
    view.command_requested.connect(asked.append)
    row = row_of(view, "1.3")
    bar = row.bar
    assert bar is not None and row.action is not None
    before = dates_of(window, "1.3")
    drag(view, on_screen(view, (bar.x0 + bar.x1) / 2, row), 80)
    assert asked == []
    assert dates_of(window, "1.3") == before
    assert window.actions_page.current_action_id() == row.action.id  # clicking still selects
    assert "Drag" not in view.canvas.tooltip_at(QPointF(on_screen(view, bar.x0 + 30, row)))


def test_tooltips_name_the_action_its_dates_and_rag(window: MainWindow) -> None:
    view = timeline_of(window)
    view.set_zoom(Zoom.MONTHS)
    row = row_of(view, "4.2")
    bar = row.bar
    assert bar is not None and row.action is not None
    marker = row.markers[0]
    gap = min((m.x for m in row.markers if m.x > bar.x0 + 20), default=bar.x1)
    text = view.canvas.tooltip_at(QPointF(on_screen(view, (bar.x0 + gap) / 2, row)))
    assert text.startswith(f"4.2 {row.action.title}")
    assert "Start 01/04/2013, due 01/04/2014" in text
    assert "RAG: Red (R)" in text
    text = view.canvas.tooltip_at(QPointF(on_screen(view, marker.x, row)))
    assert text.startswith(f"Milestone: {marker.milestone.title}")
    assert f"Due {marker.milestone.due:%d/%m/%Y}" in text


def test_the_baseline_shows_once_the_due_date_moves(window: MainWindow) -> None:
    view = timeline_of(window)
    assert row_of(view, "2.3").bar.baseline_x is None  # type: ignore[union-attr]
    window.execute(EditRecord("action", action_id(window, "2.3"), {"due": date(2015, 6, 30)}))
    layout = view.canvas.plan_layout
    bar = row_of(view, "2.3").bar
    assert layout is not None and bar is not None
    assert bar.baseline_x == layout.x(date(2015, 4, 1))  # the old due, 31 Mar 2015
    assert bar.x1 == layout.x(date(2015, 7, 1))


def test_ctrl_wheel_zooms(window: MainWindow) -> None:
    view = timeline_of(window)
    assert view.zoom is Zoom.QUARTERS
    view.canvas.zoom_requested.emit(1, date(2013, 1, 1))
    assert view.zoom is Zoom.MONTHS
    assert view.zoom_box.currentText() == "Months"
    centre = view.canvas.centre_date()
    assert centre is not None and abs((centre - date(2013, 1, 1)).days) <= 1


def test_layout_hits_and_moves() -> None:
    from planner.ui.views.timeline_layout import Bar, snap_days

    bar = Bar(date(2013, 1, 1), date(2013, 1, 31), 100.0, 200.0, None)
    assert moved_dates(bar, Part.BAR, 7) == (date(2013, 1, 8), date(2013, 2, 7))
    assert moved_dates(bar, Part.START, 40) == (date(2013, 1, 31), date(2013, 1, 31))
    assert moved_dates(bar, Part.DUE, -40) == (date(2013, 1, 1), date(2013, 1, 1))
    assert snap_days(2.0) == 1 and snap_days(0.5) == 7
    assert drag_days(10, 0.5) == 21  # 20 days, to the nearest week


def test_a_large_filter_change_keeps_the_rows_the_rows(window: MainWindow) -> None:
    view = timeline_of(window)
    document = window.document
    assert document is not None
    rows = document.read(lambda session, plan_id: action_rows(session, plan_id))
    window.filter_bar.text.setText("zzz no such action")
    layout = view.canvas.plan_layout
    assert layout is not None and layout.rows == []
    assert view.canvas.empty_text == "No actions match the filter."
    window.filter_bar.clear()
    layout = view.canvas.plan_layout
    assert layout is not None and len(layout.action_ids) == len(rows)


def test_after_an_edit_the_timeline_holds_what_a_fresh_read_gives(window: MainWindow) -> None:
    """Edits to a few actions re-read just those; the result equals reading everything."""
    from planner.queries.timeline import timeline

    view = timeline_of(window)
    document = window.document
    assert document is not None
    moved = action_id(window, "2.1")
    window.execute(EditRecord("action", moved, {"due": date(2015, 3, 1)}))
    milestone = row_of(view, "3.5").markers[0].milestone
    window.execute(EditRecord("milestone", milestone.id, {"due": date(2014, 2, 3)}))
    assert view._plan == document.read(timeline)
    assert row_of(view, "2.1").bar.due == date(2015, 3, 1)  # type: ignore[union-attr]
    window.actionUndo.trigger()
    assert view._plan == document.read(timeline)
