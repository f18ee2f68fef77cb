"""The partner map: which partner bodies take part in which actions and in what role,
in the core query, its Qt model and the tab in the main window.

Expected answers are worked out from the plan's own rows, not from the query."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import Qt
from sqlalchemy import select

from planner.commands import CommandRunner, EditRecord
from planner.domain import Sector
from planner.queries.partner_map import PartnerMap, partner_map
from planner.store.models import Action, ActionPartner, Partner
from planner.store.planfile import PlanFile
from planner.ui.main_window import MainWindow
from planner.ui.models.partner_map import (
    ACTION_ID_ROLE,
    FIRST_PARTNER,
    PARTNER_ID_ROLE,
    ROLE_VALUE_ROLE,
    PartnerMapModel,
)
from planner.ui.models.roles import BAND_ROLE, FOOT_ROLE


def read(plan_file: PlanFile, action_ids: set[int] | None = None) -> PartnerMap:
    with plan_file.Session() as session:
        return partner_map(session, plan_file.plan_id, action_ids)


def links(plan_file: PlanFile) -> list[tuple[int, str, str, str]]:
    """(action id, action ref, partner name, role) for every link in the plan."""
    with plan_file.Session() as session:
        return [
            (action_id, ref, name, role)
            for action_id, ref, name, role in session.execute(
                select(Action.id, Action.ref, Partner.name, ActionPartner.role)
                .join(Action, Action.id == ActionPartner.action_id)
                .join(Partner, Partner.id == ActionPartner.partner_id)
            )
        ]


def action_ids(plan_file: PlanFile, *refs: str) -> set[int]:
    with plan_file.Session() as session:
        return set(session.scalars(select(Action.id).where(Action.ref.in_(refs))))


# ----- the query ----------------------------------------------------------------------


def test_every_role_is_in_its_action_row_and_partner_column(sample_plan: PlanFile) -> None:
    found = read(sample_plan)
    names = {partner.id: partner.name for partner in found.partners}
    cells = {
        (action.ref, names[partner_id], role)
        for action in found.actions
        for partner_id, role in action.roles.items()
    }
    assert cells == {(ref, name, role) for _id, ref, name, role in links(sample_plan)}
    first = next(action for action in found.actions if action.ref == "1.1")
    assert {names[p]: role for p, role in first.roles.items()} == {
        "Northshire County Council": "lead",
        "Eastvale District Council": "delivery",
        "Northshire Police / Office of the PCC": "consulted",
        "NHS Northshire": "consulted",
    }


def test_totals_count_each_partners_actions_by_role(sample_plan: PlanFile) -> None:
    found = read(sample_plan)
    expected: dict[str, Counter[str]] = defaultdict(Counter)
    for _id, _ref, name, role in links(sample_plan):
        expected[name][role] += 1
    for partner in found.partners:
        assert partner.roles == dict(expected[partner.name]), partner.name
        assert partner.total == sum(expected[partner.name].values())
    county = next(p for p in found.partners if p.short_name == "NCC")
    assert county.total == found.shown == 27  # the county council is on every action


def test_partners_come_in_sector_order_then_by_name(sample_plan: PlanFile) -> None:
    found = read(sample_plan)
    order = list(Sector)
    keys = [(order.index(Sector(p.sector)), p.name.casefold()) for p in found.partners]
    assert keys == sorted(keys)
    assert [(sector, len(bodies)) for sector, bodies in found.sectors()] == [
        ("local_government", 2),
        ("emergency_services", 3),
        ("health", 2),
        ("education", 2),
        ("civil_society", 1),
    ]
    assert [p.label for p in found.partners[:2]] == ["EDC", "NCC"]


def test_actions_come_by_theme_in_plan_order(sample_plan: PlanFile) -> None:
    found = read(sample_plan)
    assert [theme.number for theme in found.themes] == list(range(1, 8))
    assert [a.ref for a in found.themes[0].actions] == ["1.1", "1.2", "1.3", "1.4"]
    assert found.shown == found.total == 27


def test_only_the_given_actions_are_mapped_and_counted(sample_plan: PlanFile) -> None:
    wanted = action_ids(sample_plan, "1.1", "3.2")
    found = read(sample_plan, wanted)
    assert [a.ref for a in found.actions] == ["1.1", "3.2"]
    assert [theme.number for theme in found.themes] == [1, 3]  # only themes with actions
    assert (found.shown, found.total) == (2, 27)
    expected = Counter(
        name for action_id, _r, name, _role in links(sample_plan) if action_id in wanted
    )
    assert {p.name: p.total for p in found.partners if p.total} == dict(expected)
    assert len(found.partners) == 10  # every body is still a column


def test_a_changed_role_shows_in_its_cell(sample_plan: PlanFile, runner: CommandRunner) -> None:
    with sample_plan.Session() as session:
        link_id, action_id = session.execute(
            select(ActionPartner.id, ActionPartner.action_id)
            .join(Partner, Partner.id == ActionPartner.partner_id)
            .join(Action, Action.id == ActionPartner.action_id)
            .where(Action.ref == "1.1", Partner.short_name == "EDC")
        ).one()
    before = next(p for p in read(sample_plan).partners if p.short_name == "EDC")
    runner.execute(EditRecord("action_partner", link_id, {"role": "funder"}))
    found = read(sample_plan)
    district = next(p for p in found.partners if p.short_name == "EDC")
    action = next(a for a in found.actions if a.id == action_id)
    assert action.roles[district.id] == "funder"
    assert district.roles["funder"] == before.roles.get("funder", 0) + 1
    assert district.roles["delivery"] == before.roles["delivery"] - 1


# ----- the Qt model -------------------------------------------------------------------


def test_the_model_shows_themes_actions_roles_and_totals(
    sample_plan: PlanFile, qtmodeltester: Any
) -> None:
    model = PartnerMapModel()
    found = read(sample_plan)
    model.set_map(found)
    qtmodeltester.check(model)
    assert model.rowCount() == 7 + 27
    assert model.columnCount() == FIRST_PARTNER + 10
    assert model.index(0, 0).data() == "1. Leadership & Governance"
    assert model.index(1, 0).data() == "1.1"
    assert model.index(1, 1).data() == "Establish the Northshire ICT Partnership Board"
    assert model.index(1, 2).data() == "4"  # partners on 1.1

    columns = {model.headerData(c, Qt.Orientation.Horizontal): c for c in range(FIRST_PARTNER, 13)}
    ncc = columns["NCC"]
    assert model.index(1, ncc).data() == "Lead"
    assert model.index(1, ncc).data(ROLE_VALUE_ROLE) == "lead"
    assert model.index(1, columns["EDC"]).data() == "Deliv."
    assert model.index(1, columns["NAS"]).data() == ""
    assert model.index(1, ncc).data(ACTION_ID_ROLE) == found.actions[0].id
    assert "Lead partner on 1.1" in model.index(1, ncc).data(Qt.ItemDataRole.ToolTipRole)
    header = Qt.Orientation.Horizontal
    assert model.headerData(ncc, header, BAND_ROLE) == "Local government"
    assert model.headerData(ncc, header, FOOT_ROLE) == "27"
    assert model.headerData(ncc, header, PARTNER_ID_ROLE) == model.partner(ncc).id  # type: ignore[union-attr]
    tooltip = model.headerData(ncc, header, Qt.ItemDataRole.ToolTipRole)
    assert "Northshire County Council" in tooltip and "Local government" in tooltip
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsSelectable == Qt.ItemFlag.NoItemFlags


def test_the_model_empties(qtmodeltester: Any) -> None:
    model = PartnerMapModel()
    model.set_map(PartnerMap([], [], 0, 0))
    qtmodeltester.check(model)
    assert model.rowCount() == 0 and model.columnCount() == FIRST_PARTNER


# ----- the tab in the main window -----------------------------------------------------


@pytest.fixture
def window(window: MainWindow) -> MainWindow:
    """The shared main window (conftest.py), on the partner map tab."""
    window.tabs.setCurrentWidget(window.partner_map_view)
    return window


def shown_refs(window: MainWindow) -> list[str]:
    model = window.partner_map_view.model
    return [
        model.index(row, 0).data()
        for row in range(model.rowCount())
        if model.index(row, 0).data(ACTION_ID_ROLE)
    ]


def test_the_tab_sits_before_people(window: MainWindow) -> None:
    tabs = window.tabs
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    assert titles.index("Partner &map") < titles.index("&People")
    assert not tabs.tabIcon(tabs.indexOf(window.partner_map_view)).isNull()


def test_the_map_shows_only_the_filtered_actions(window: MainWindow) -> None:
    assert len(shown_refs(window)) == 27
    window.filter_bar.text.setText("PSN")
    visible = window.actions_page.visible_action_ids()
    refs = shown_refs(window)
    assert 0 < len(refs) == len(visible) < 27
    assert window.partner_map_view.caption.text().startswith(f"{len(refs)} of 27 actions")


def test_clicking_a_cell_selects_that_action_in_the_table(window: MainWindow, qtbot: Any) -> None:
    view = window.partner_map_view
    model = view.model
    row = model.row_of(next(a.id for a in view.found.actions if a.ref == "3.2"))  # type: ignore[union-attr]
    table = view.table.right
    column = next(
        c for c in range(FIRST_PARTNER, model.columnCount()) if not table.isColumnHidden(c)
    )
    index = model.index(row, column)  # type: ignore[arg-type]
    table.scrollTo(index)
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center()
    )
    chosen = window.actions_page.current_action_id()
    assert chosen == index.data(ACTION_ID_ROLE)
    assert window.actions_page.model.action(chosen).ref == "3.2"  # type: ignore[union-attr]


def test_the_selected_action_is_marked_in_the_map(window: MainWindow) -> None:
    view = window.partner_map_view
    last = window.actions_page.visible_action_ids()[-1]
    window.actions_page.select_action(last)
    current = view.table.left.selectionModel().currentIndex()
    assert current.data(ACTION_ID_ROLE) == last
    assert view.table.left.selectionModel().isRowSelected(current.row())


def test_choosing_a_partner_filters_the_plan_to_its_actions(window: MainWindow, qtbot: Any) -> None:
    view = window.partner_map_view
    model = view.model
    column = next(
        c
        for c in range(FIRST_PARTNER, model.columnCount())
        if model.partner(c).short_name == "UoN"  # type: ignore[union-attr]
    )
    partner = model.partner(column)
    assert partner is not None
    with qtbot.waitSignal(view.partner_chosen) as chosen:
        view.table.right.horizontalHeader().sectionClicked.emit(column)
    assert chosen.args == [partner.id]
    assert window.filter_bar.partner.currentData() == partner.id
    assert window.count_label.text() == f"{partner.total} of 27 actions"
    assert len(shown_refs(window)) == partner.total
    assert window.partner_map_view.caption.text().startswith(f"{partner.total} of 27 actions")


def test_partners_without_shown_actions_can_be_hidden(window: MainWindow) -> None:
    view = window.partner_map_view
    window.filter_bar.text.setText("PSN")
    table = view.table.right
    columns = range(FIRST_PARTNER, view.model.columnCount())
    hidden = [c for c in columns if table.isColumnHidden(c)]
    assert hidden and all(view.model.partner(c).total == 0 for c in hidden)  # type: ignore[union-attr]
    view.only_involved.setChecked(False)
    assert not any(table.isColumnHidden(c) for c in columns)
