"""People load: the actions each person carries by RACI role and the open milestones
they own by UK financial quarter, in the core query, its Qt model and the tab.

Expected answers are worked out from the plan's own rows, not from the query."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from sqlalchemy import select

from planner.commands import CommandRunner, EditRecord
from planner.domain.timescale import Band
from planner.queries.people_load import (
    ACCOUNTABLE_LIMIT,
    MILESTONES_PER_QUARTER_LIMIT,
    LoadPerson,
    PeopleLoad,
    people_load,
)
from planner.store.models import Action, ActionPerson, Milestone, Person
from planner.store.planfile import PlanFile
from planner.ui.main_window import MainWindow
from planner.ui.models.people_load import (
    ALL_ACTIONS,
    FIRST_QUARTER,
    FIRST_RACI,
    OVER_LIMIT_ROLE,
    PERSON_ID_ROLE,
    PeopleLoadModel,
)
from planner.ui.models.roles import BAND_ROLE


def read(plan_file: PlanFile, action_ids: set[int] | None = None) -> PeopleLoad:
    with plan_file.Session() as session:
        return people_load(session, plan_file.plan_id, action_ids)


def person(load: PeopleLoad, name: str) -> LoadPerson:
    return next(p for p in load.people if p.name == name)


def uk_quarter(day: date) -> str:
    """'Q3 2013/14', worked out by hand: the financial year starts on 1 April."""
    start = day.year if day.month >= 4 else day.year - 1
    number = {4: 1, 5: 1, 6: 1, 7: 2, 8: 2, 9: 2, 10: 3, 11: 3, 12: 3}.get(day.month, 4)
    return f"Q{number} {start}/{(start + 1) % 100:02d}"


def raci_rows(plan_file: PlanFile) -> list[tuple[int, str, str]]:
    with plan_file.Session() as session:
        return [
            (action_id, name, role)
            for action_id, name, role in session.execute(
                select(ActionPerson.action_id, Person.name, ActionPerson.role).join(
                    Person, Person.id == ActionPerson.person_id
                )
            )
        ]


def milestone_rows(plan_file: PlanFile) -> list[tuple[int, int, str, date | None, bool]]:
    with plan_file.Session() as session:
        return [
            (milestone_id, action_id, name, due, completed is not None)
            for milestone_id, action_id, name, due, completed in session.execute(
                select(
                    Milestone.id,
                    Milestone.action_id,
                    Person.name,
                    Milestone.due,
                    Milestone.completed_on,
                ).join(Person, Person.id == Milestone.owner_id)
            )
        ]


def ids_of(plan_file: PlanFile, *refs: str) -> set[int]:
    with plan_file.Session() as session:
        return set(session.scalars(select(Action.id).where(Action.ref.in_(refs))))


# ----- the query ----------------------------------------------------------------------


def test_counts_per_raci_role_match_the_plan(sample_plan: PlanFile) -> None:
    load = read(sample_plan)
    expected: dict[str, Counter[str]] = {}
    for _action, name, role in raci_rows(sample_plan):
        expected.setdefault(name, Counter())[role] += 1
    for row in load.people:
        assert row.raci == dict(expected.get(row.name, {})), row.name
    assert sum(row.raci.get("A", 0) for row in load.people) == 27  # one lead per action
    assert person(load, "Helen Ashworth").job_title == "Chief Executive"


def test_open_milestones_are_bucketed_by_uk_financial_quarter(sample_plan: PlanFile) -> None:
    load = read(sample_plan)
    assert load.quarters[0].label == "Q1 2011/12"
    assert load.quarters[-1].label == "Q4 2014/15"
    assert len(load.quarters) == 16
    labels = [band.label for band in load.quarters]
    expected_open: dict[str, Counter[str]] = {}
    expected_done: dict[str, Counter[str]] = {}
    for _id, _action, name, due, done in milestone_rows(sample_plan):
        if due is not None:
            target = expected_done if done else expected_open
            target.setdefault(name, Counter())[uk_quarter(due)] += 1
    for row in load.people:
        got_open = {labels[n]: count for n, count in row.open_due.items()}
        got_done = {labels[n]: count for n, count in row.completed_due.items()}
        assert got_open == dict(expected_open.get(row.name, {})), row.name
        assert got_done == dict(expected_done.get(row.name, {})), row.name


def test_quarter_boundaries_are_the_end_of_march_june_september_december(
    sample_plan: PlanFile, runner: CommandRunner
) -> None:
    milestone_id, _action, owner, _due, _done = milestone_rows(sample_plan)[0]
    labels = [band.label for band in read(sample_plan).quarters]
    for due, quarter in (
        (date(2013, 3, 31), "Q4 2012/13"),
        (date(2013, 4, 1), "Q1 2013/14"),
        (date(2013, 6, 30), "Q1 2013/14"),
        (date(2013, 7, 1), "Q2 2013/14"),
        (date(2013, 12, 31), "Q3 2013/14"),
        (date(2014, 1, 1), "Q4 2013/14"),
    ):
        runner.execute(EditRecord("milestone", milestone_id, {"due": due, "completed_on": None}))
        load = read(sample_plan)
        expected = Counter(
            uk_quarter(d)
            for _id, _a, name, d, done in milestone_rows(sample_plan)
            if name == owner and d and not done
        )
        got = {labels[n]: count for n, count in person(load, owner).open_due.items()}
        assert got == dict(expected)
        assert got[quarter] >= 1


def test_only_the_given_actions_are_counted(sample_plan: PlanFile) -> None:
    wanted = ids_of(sample_plan, "1.1", "4.1")
    load = read(sample_plan, wanted)
    assert (load.shown, load.total) == (2, 27)
    expected = Counter(name for action, name, _role in raci_rows(sample_plan) if action in wanted)
    assert {p.name: p.actions for p in load.people if p.actions} == dict(expected)
    owners = Counter(
        name
        for _id, action, name, due, done in milestone_rows(sample_plan)
        if action in wanted and not done and due
    )
    assert {p.name: p.open_milestones for p in load.people if p.open_milestones} == dict(owners)
    assert len(load.people) == 18  # everyone is listed; the view hides those with nothing


def test_people_come_by_organisation_then_name(sample_plan: PlanFile) -> None:
    load = read(sample_plan)
    organisations = [p.organisation for p in load.people]
    assert organisations[0] == "Eastvale District Council"  # local government first
    runs = [o for n, o in enumerate(organisations) if n == 0 or organisations[n - 1] != o]
    assert len(runs) == len(set(runs))  # each organisation in one run
    county = [p.name for p in load.people if p.organisation == "Northshire County Council"]
    assert county == sorted(county, key=str.casefold)


# ----- the Qt model -------------------------------------------------------------------

QUARTERS = [
    Band(date(2013, 4, 1), date(2013, 7, 1), "Q1 2013/14", "Q1"),
    Band(date(2013, 7, 1), date(2013, 10, 1), "Q2 2013/14", "Q2"),
]


def heavy_load() -> PeopleLoad:
    busy = LoadPerson(
        1,
        "Ann Busy",
        "Head of ICT",
        1,
        "Northshire County Council",
        raci={"A": ACCOUNTABLE_LIMIT + 1, "R": 2},
        open_due={0: MILESTONES_PER_QUARTER_LIMIT + 1, 1: 2},
        completed_due={1: 3},
    )
    calm = LoadPerson(2, "Bob Calm", "Analyst", None, "", raci={"I": 1})
    return PeopleLoad([busy, calm], QUARTERS, date(2013, 8, 15), 27, 27)


def test_the_model_marks_loads_over_their_limits(qtmodeltester: Any) -> None:
    model = PeopleLoadModel()
    model.set_load(heavy_load())
    qtmodeltester.check(model)
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == [
        "Northshire County Council",
        "Ann Busy",
        "No organisation",
        "Bob Calm",
    ]
    accountable = model.index(1, FIRST_RACI + 1)
    assert model.headerData(FIRST_RACI + 1, Qt.Orientation.Horizontal) == "A"
    assert accountable.data() == str(ACCOUNTABLE_LIMIT + 1)
    assert accountable.data(OVER_LIMIT_ROLE) is True
    assert accountable.data(Qt.ItemDataRole.FontRole).bold()
    assert "more than 8" in accountable.data(Qt.ItemDataRole.ToolTipRole)
    responsible = model.index(1, FIRST_RACI)
    assert responsible.data() == "2" and not responsible.data(OVER_LIMIT_ROLE)
    assert responsible.data(Qt.ItemDataRole.BackgroundRole) is not None  # shaded
    assert model.index(1, ALL_ACTIONS).data() == str(ACCOUNTABLE_LIMIT + 3)

    first, second = model.index(1, FIRST_QUARTER), model.index(1, FIRST_QUARTER + 1)
    assert first.data() == str(MILESTONES_PER_QUARTER_LIMIT + 1)
    assert first.data(OVER_LIMIT_ROLE) is True
    assert second.data() == "2" and not second.data(OVER_LIMIT_ROLE)
    assert "3 more completed" in second.data(Qt.ItemDataRole.ToolTipRole)
    assert "overdue" in first.data(Qt.ItemDataRole.ToolTipRole)  # Q1 is before the status date
    font = first.data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont)

    calm = model.index(3, FIRST_QUARTER)
    assert calm.data() == "" and calm.data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.index(3, 0).data(PERSON_ID_ROLE) == 2
    header = Qt.Orientation.Horizontal
    assert model.headerData(FIRST_QUARTER, header, BAND_ROLE) == "2013/14"
    assert model.headerData(FIRST_QUARTER + 1, header) == "Q2\nnow"


def test_the_model_empties(qtmodeltester: Any) -> None:
    model = PeopleLoadModel()
    model.set_load(PeopleLoad([], [], date(2013, 12, 31), 0, 0))
    qtmodeltester.check(model)
    assert model.rowCount() == 0


# ----- the tab in the main window -----------------------------------------------------


@pytest.fixture
def window(window: MainWindow) -> MainWindow:
    """The shared main window (conftest.py), on the people tab."""
    window.tabs.setCurrentWidget(window.people_load_view)
    return window


def people_shown(window: MainWindow) -> dict[str, int]:
    """Name -> row in the view, for each person listed."""
    model = window.people_load_view.model
    return {
        model.index(row, 0).data(): row
        for row in range(model.rowCount())
        if model.index(row, 0).data(PERSON_ID_ROLE)
    }


def test_the_tab_counts_the_whole_plan_at_first(window: MainWindow) -> None:
    view = window.people_load_view
    assert view.caption.text().startswith("Counting 27 of 27 actions")
    model = view.model
    row = people_shown(window)["Helen Ashworth"]
    expected = read(window.document.plan_file)  # type: ignore[union-attr]
    assert model.index(row, FIRST_RACI + 1).data() == str(
        person(expected, "Helen Ashworth").raci.get("A", "")
    )


def test_the_tab_counts_only_the_filtered_actions(window: MainWindow) -> None:
    view = window.people_load_view
    window.filter_bar.text.setText("PSN")
    shown = window.actions_page.visible_action_ids()
    assert view.caption.text().startswith(f"Counting {len(shown)} of 27 actions")
    expected = read(window.document.plan_file, set(shown))  # type: ignore[union-attr]
    listed = people_shown(window)
    assert set(listed) == {p.name for p in expected.people if p.carries_anything}
    for name, row in listed.items():
        assert view.model.index(row, ALL_ACTIONS).data() == str(
            person(expected, name).actions or ""
        )


def test_a_tooltip_lists_the_actions_behind_a_count(window: MainWindow) -> None:
    view = window.people_load_view
    row = people_shown(window)["Helen Ashworth"]
    text = view.tooltip(view.model.index(row, FIRST_RACI + 1))
    assert text.startswith("Helen Ashworth is Accountable on")
    assert "1.1 Establish the Northshire ICT Partnership Board" in text


def test_double_clicking_a_person_filters_the_plan_to_them(window: MainWindow, qtbot: Any) -> None:
    view = window.people_load_view
    row = people_shown(window)["Karen Holt"]
    index = view.model.index(row, ALL_ACTIONS)
    total = int(index.data())
    table = view.table.left
    table.scrollTo(index)
    centre = table.visualRect(index).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    with qtbot.waitSignal(view.person_chosen):
        qtbot.mouseDClick(
            table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center()
        )
    assert window.filter_bar.person.currentText() == "Karen Holt"
    assert window.count_label.text() == f"{total} of 27 actions"
    assert view.caption.text().startswith(f"Counting {total} of 27 actions")
