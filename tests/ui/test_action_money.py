"""The details panel's Money tab on the Northshire sample: action 3.4's spend, budget,
funding, benefits and measures as an officer reads them, and budget, funding and benefits
changed through small dialogs, each change one undoable step."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from gui_helpers import Errors
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea
from sqlalchemy import select

from planner.commands import EditRecord
from planner.domain.money import BenefitType
from planner.store.models import Action, Benefit, BenefitValue, BudgetLine, Funding, Partner
from planner.ui.details import panel as panel_module
from planner.ui.details.host import TAB_MONEY
from planner.ui.details.money_parts import KIND_ROLE
from planner.ui.dialogs.benefit import BenefitDialog, BenefitValues
from planner.ui.dialogs.benefit_year import BenefitYearDialog, BenefitYearValues
from planner.ui.dialogs.budget_line import BudgetLineDialog, BudgetLineValues
from planner.ui.dialogs.funding import FundingDialog, FundingValues

if TYPE_CHECKING:
    from planner.ui.details import DetailsPanel
    from planner.ui.main_window import MainWindow

SCREENSHOT = Path("/tmp/money.png")


def fake_ask(*answers: Any) -> tuple[Any, list[tuple[tuple[Any, ...], dict[str, Any]]]]:
    """A replacement for a dialog's `ask`: each answer in turn, then None (cancel)."""
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    queue = list(answers)

    def ask(cls: type, parent: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append((args, kwargs))
        return queue.pop(0) if queue else None

    return classmethod(ask), calls


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> Errors:
    captured = Errors()
    monkeypatch.setattr(panel_module, "show_error", captured)
    return captured


def read(window: MainWindow, query: Any) -> Any:
    assert window.document is not None
    return window.document.read(lambda session, _plan: query(session))


def action_id(window: MainWindow, ref: str) -> int:
    return int(read(window, lambda s: s.scalar(select(Action.id).where(Action.ref == ref))))


def money_tab(window: MainWindow, ref: str = "3.4") -> DetailsPanel:
    window.actions_page.select_action(action_id(window, ref))
    panel = window.details
    panel.tabs.setCurrentIndex(TAB_MONEY)
    return panel


def table_text(table: Any) -> list[list[str]]:
    model = table.model()
    return [
        [str(model.index(row, column).data() or "") for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def budget_lines(window: MainWindow, ref: str = "3.4") -> list[tuple[int, int, int, str]]:
    wanted = action_id(window, ref)
    return [
        tuple(row)
        for row in read(
            window,
            lambda s: s.execute(
                select(BudgetLine.year, BudgetLine.budget, BudgetLine.spent, BudgetLine.note)
                .where(BudgetLine.action_id == wanted)
                .order_by(BudgetLine.year)
            ).all(),
        )
    ]


# ----- what the tab shows -------------------------------------------------------------


def test_the_tab_shows_action_3_4s_money_benefits_and_measures(window: MainWindow) -> None:
    panel = money_tab(window)
    money = panel.money
    assert panel.tabs.tabText(TAB_MONEY) == "Money"
    assert money.spend_chip.text() == "Underspend"
    assert money.spend_words.text() == "£294,110 behind the profile at 31/12/2013"
    assert "£610,000 of the 2013/14 budget of £1,200,000" in money.spend_detail.text()

    assert table_text(money.budget_table) == [
        ["2012/13", "£350,000", "£340,000", "£0"],
        ["2013/14", "£1,200,000", "£610,000", "£0"],
    ]
    budget = money.budget_table.model().index(1, 1)
    assert budget.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert "slipped to 2014" in money.budget_notes.text()
    funding = table_text(money.funding_table)
    assert ["NCC", "2013/14", "£800,000"] in funding
    assert ["EDC", "2013/14", "£250,000"] in funding
    assert ["Police/OPCC", "2013/14", "£150,000"] in funding
    assert funding[0][1] == "2012/13", "earlier years first"

    benefits = table_text(money.benefits_table)
    headings = [row[0] for row in benefits if row[1:] == ["", "", ""]]
    assert len(headings) == 2
    assert "Cashable saving · received by NCC" in headings[0]
    assert "received by EDC" in headings[1]
    assert ["2013/14", "£450,000", "£0", "Not yet"] in benefits
    assert ["2013/14", "£150,000", "£0", "Not yet"] in benefits
    assert money.benefits_note.text().startswith("Planned £1,800,000, realised £0")

    names = [label.text() for label in money.findChildren(QLabel, "measureName")]
    assert names == ["Savings from shared ICT services"]
    (status,) = money.findChildren(QLabel, "measureStatus")
    assert status.text() == "On target"
    (figures,) = money.findChildren(QLabel, "measureFigures")
    assert figures.text() == "2012/13: £270,000 against a target of £250,000"


def test_a_validated_figure_names_who_validated_it_and_when(window: MainWindow) -> None:
    panel = money_tab(window)
    figure_id = read(
        window,
        lambda s: s.scalar(
            select(BenefitValue.id)
            .join(Benefit, Benefit.id == BenefitValue.benefit_id)
            .where(Benefit.action_id == action_id(window, "3.4"), BenefitValue.year == 2013)
        ),
    )
    person = panel.lookups.people[0] if panel.lookups else None
    assert person is not None
    window.execute(
        EditRecord(
            "benefit_value",
            figure_id,
            {"realised": 120_000, "validated_by_id": person.id, "validated_on": date(2014, 1, 10)},
        )
    )
    rows = table_text(panel.money.benefits_table)
    assert any(row[2] == "£120,000" and row[3] == f"{person.name}, 10/01/2014" for row in rows)


# ----- changing it --------------------------------------------------------------------


def test_adding_a_budget_changes_the_plan_and_undo_restores_it(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, errors: Errors
) -> None:
    panel = money_tab(window)
    before = budget_lines(window)
    ask, calls = fake_ask(BudgetLineValues(2014, 900_000, 0, "Second year of the service"))
    monkeypatch.setattr(BudgetLineDialog, "ask", ask)
    panel.money.add_budget_button.click()

    assert len(calls) == 1
    assert calls[0][0][0] == "3.4"
    assert budget_lines(window) == [*before, (2014, 900_000, 0, "Second year of the service")]
    assert ["2014/15", "£900,000", "£0", "£900,000"] in table_text(panel.money.budget_table)
    assert errors.messages == []

    window.actionUndo.trigger()
    assert budget_lines(window) == before
    assert len(table_text(panel.money.budget_table)) == 2


def test_a_refused_budget_says_why_and_reopens_the_dialog(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, errors: Errors
) -> None:
    panel = money_tab(window)
    before = budget_lines(window)
    taken = BudgetLineValues(2013, 5, 0)
    ask, calls = fake_ask(taken)  # then cancelled
    monkeypatch.setattr(BudgetLineDialog, "ask", ask)
    panel.money.add_budget_button.click()

    assert errors.messages == ["This action already has a budget for 2013/14; change that instead."]
    assert len(calls) == 2
    assert calls[1][0][-1] == taken, "reopened with what was typed"
    assert budget_lines(window) == before


def test_changing_and_deleting_a_budget(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, errors: Errors
) -> None:
    panel = money_tab(window)
    panel.money.budget_table.selectRow(1)
    ask, calls = fake_ask(BudgetLineValues(2013, 1_200_000, 700_000, "Caught up"))
    monkeypatch.setattr(BudgetLineDialog, "ask", ask)
    panel.money.change_budget_button.click()
    shown = calls[0][0][-1]
    assert (shown.year, shown.budget, shown.spent) == (2013, 1_200_000, 610_000)
    assert shown.note.startswith("Under profile"), "the dialog opens on the stored values"
    assert calls[0][1] == {"adding": False}
    assert budget_lines(window)[1] == (2013, 1_200_000, 700_000, "Caught up")
    assert table_text(panel.money.budget_table)[1][2] == "£700,000"

    monkeypatch.setattr(panel_module, "confirm", lambda *args, **kwargs: True)
    panel.money.budget_table.selectRow(0)
    panel.money.delete_budget_button.click()
    assert [line[0] for line in budget_lines(window)] == [2013]


def test_adding_funding_and_a_benefit_with_its_figures(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, errors: Errors
) -> None:
    panel = money_tab(window, "1.1")
    college = read(
        window,
        lambda s: s.scalar(select(Partner.id).where(Partner.name.like("%College%"))),
    )
    monkeypatch.setattr(FundingDialog, "ask", fake_ask(FundingValues(college, 2013, 25_000))[0])
    panel.money.add_funding_button.click()
    wanted = action_id(window, "1.1")
    amounts = read(
        window, lambda s: list(s.scalars(select(Funding.amount).where(Funding.action_id == wanted)))
    )
    assert 25_000 in amounts

    benefit = BenefitValues("Fewer duplicate meetings", BenefitType.NON_CASHABLE, college, "")
    monkeypatch.setattr(BenefitDialog, "ask", fake_ask(benefit)[0])
    panel.money.add_benefit_button.click()
    figures = BenefitYearValues(2013, 12_000, None)
    ask, calls = fake_ask(figures)
    monkeypatch.setattr(BenefitYearDialog, "ask", ask)
    panel.money.add_benefit_year_button.click()  # the new benefit is selected
    assert calls, "asked for the year's figures"
    rows = table_text(panel.money.benefits_table)
    assert any("Fewer duplicate meetings" in row[0] for row in rows)
    assert ["2013/14", "£12,000", "", ""] in rows
    assert errors.messages == []

    # One undo takes back one change: the figures, then the benefit.
    window.actionUndo.trigger()
    assert ["2013/14", "£12,000", "", ""] not in table_text(panel.money.benefits_table)
    window.actionUndo.trigger()
    assert not any("Fewer duplicate" in r[0] for r in table_text(panel.money.benefits_table))


def test_the_tab_is_refilled_only_when_its_rows_change(window: MainWindow) -> None:
    panel = money_tab(window)
    fills: list[int] = []
    original = panel.money.fill

    def counting_fill(*args: Any) -> None:
        fills.append(1)
        original(*args)

    panel.money.fill = counting_fill  # type: ignore[method-assign]
    shown = action_id(window, "3.4")
    window.execute(EditRecord("action", shown, {"percent": 55}))
    assert fills == [], "an edit to the action's own fields leaves the tab alone"
    line_id = read(
        window,
        lambda s: s.scalar(
            select(BudgetLine.id).where(BudgetLine.action_id == shown, BudgetLine.year == 2013)
        ),
    )
    window.execute(EditRecord("budget_line", line_id, {"spent": 650_000}))
    assert fills == [1]
    assert table_text(panel.money.budget_table)[1][2] == "£650,000"


def test_a_read_only_plan_offers_no_changes(window: MainWindow) -> None:
    panel = money_tab(window)
    panel.money.set_editable(False)
    assert not any(button.isEnabled() for button in panel.money.buttons)


def test_screenshot(window: MainWindow, qtbot: Any) -> None:
    window.resize(1400, 900)
    panel = money_tab(window)
    row_kinds = [
        panel.money.benefits_table.model().index(r, 0).data(KIND_ROLE)
        for r in range(panel.money.benefits_table.model().rowCount())
    ]
    assert row_kinds.count("benefit") == 2
    qtbot.wait(50)
    assert window.grab().save(str(SCREENSHOT))
    scroll = panel.money.parentWidget().parentWidget()
    assert isinstance(scroll, QScrollArea)
    scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())
    qtbot.wait(20)
    assert window.grab().save(str(SCREENSHOT.with_name("money_lower.png")))
    # Nothing on the tab is wider than the pane, and every tab's name shows.
    assert panel.money.minimumSizeHint().width() <= panel.width()
    assert panel.tabs.tabBar().sizeHint().width() <= panel.tabs.width()


def test_an_action_with_no_money_says_what_to_add(window: MainWindow, qtbot: Any) -> None:
    window.resize(1400, 900)
    panel = money_tab(window, "1.1")
    money = panel.money
    assert money.spend_chip.isHidden()
    assert money.spend_words.text().startswith("No budget is recorded for 2013/14")
    assert money.budget_table.isHidden() and not money.budget_notes.isHidden()
    assert money.funding_table.isHidden() and not money.funding_note.isHidden()
    assert money.benefits_note.text().startswith("No benefits recorded yet")
    qtbot.wait(20)
    assert window.grab().save(str(SCREENSHOT.with_name("money_empty.png")))


# ----- the dialogs --------------------------------------------------------------------


def test_the_budget_dialog_reads_pounds_as_officers_write_them(qtbot: Any) -> None:
    from planner.domain.periods import Period

    dialog = BudgetLineDialog(None, "3.4", Period(2013))
    qtbot.addWidget(dialog)
    assert dialog.year.currentText() == "2013/14"
    assert not dialog.ok_button.isEnabled() and dialog.missing() == "Give the year's budget."
    dialog.budget.setText("£1.2m")
    dialog.spent.setText("250k")
    assert dialog.ok_button.isEnabled()
    assert dialog.values() == BudgetLineValues(2013, 1_200_000, 250_000, "")
    dialog.spent.setText("£12.50")
    assert dialog.missing() == "Spent: give whole pounds, without pence."
    dialog.spent.setText("lots")
    assert dialog.missing().startswith("Spent: 'lots' is not an amount of money")
    assert not dialog.ok_button.isEnabled()


def test_the_figures_dialog_validates_only_a_realised_value(qtbot: Any) -> None:
    from planner.domain.periods import Period

    dialog = BenefitYearDialog(
        None, "One service desk", [(7, "Jo Bloggs")], Period(2013), date(2013, 12, 31)
    )
    qtbot.addWidget(dialog)
    dialog.planned.setText("£450,000")
    assert not dialog.validated_on.isEnabled()
    dialog.validator.setCurrentIndex(1)
    assert dialog.missing().startswith("Only a realised value can be validated")
    dialog.realised.setText("£100,000")
    assert dialog.values() == BenefitYearValues(2013, 450_000, 100_000, 7, date(2013, 12, 31))


def test_change_and_delete_wait_for_something_to_change(window: MainWindow) -> None:
    money = money_tab(window, "1.1").money
    assert money.add_budget_button.isEnabled() and money.add_benefit_button.isEnabled()
    assert not money.change_budget_button.isEnabled()
    assert not money.delete_funding_button.isEnabled()
    assert not money.add_benefit_year_button.isEnabled()


def test_the_money_tab_is_read_only_when_shown(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Selecting actions with the Details tab showing reads no budgets, benefits or
    measures; showing the Money tab reads the selected action's."""
    read_for: list[int] = []
    reader = panel_module.action_purpose

    def counted(session: Any, plan_id: int, action: int) -> Any:
        read_for.append(action)
        return reader(session, plan_id, action)

    monkeypatch.setattr(panel_module, "action_purpose", counted)
    panel = window.details
    panel.tabs.setCurrentIndex(0)
    for ref in ("3.4", "4.1", "3.4"):
        window.actions_page.select_action(action_id(window, ref))
    assert read_for == []
    panel.tabs.setCurrentIndex(TAB_MONEY)
    assert read_for == [action_id(window, "3.4")]
    assert "£1,200,000" in " ".join(" ".join(row) for row in table_text(panel.money.budget_table))
    window.actions_page.select_action(action_id(window, "4.1"))
    assert read_for[-1] == action_id(window, "4.1")
