"""Changing an action's money and benefits: each asks a small dialog for the values and
applies them as one undoable command through the panel; a refused change reopens the
dialog with what the officer typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from PySide6.QtWidgets import QWidget

from planner.commands import Command, CreateRecord, DeleteRecord, EditRecord
from planner.domain.periods import Period
from planner.queries.action_purpose import ActionPurpose
from planner.queries.benefits import BenefitRow, BenefitYear, FundingLine, MoneyYear
from planner.ui.details.host import TAB_MONEY, Host
from planner.ui.details.money_parts import FiguresTable, pounds
from planner.ui.dialogs.benefit import BenefitDialog, BenefitValues
from planner.ui.dialogs.benefit_year import BenefitYearDialog, BenefitYearValues
from planner.ui.dialogs.budget_line import BudgetLineDialog, BudgetLineValues
from planner.ui.dialogs.funding import FundingDialog, FundingValues

V = TypeVar("V")


class Page(Protocol):
    """The Money tab as its edits see it: what it shows and what is selected."""

    purpose: ActionPurpose | None
    budget_table: FiguresTable
    funding_table: FiguresTable
    benefits_table: FiguresTable

    def status_year(self) -> Period: ...


class MoneyEdits:
    """The Money tab's add, change and delete, for budget, funding and benefits."""

    def __init__(self, host: Host, page: Page, parent: QWidget) -> None:
        self._host = host
        self._page = page
        self._parent = parent  # the dialogs' parent

    # ----- shared -------------------------------------------------------------------

    def _ask_and_run(
        self, ask: Callable[[V | None], V | None], command: Callable[[V], Command]
    ) -> bool:
        """Ask until the change is applied or the officer cancels."""
        values: V | None = None
        while True:
            values = ask(values)
            if values is None:
                return False
            if self._host.run(command(values), refill_on_refusal=False):
                self._host.show_tab(TAB_MONEY)
                return True

    def _ready(self) -> int | None:
        """The shown action's id, when it may be changed."""
        detail = self._host.detail
        if not self._host.can_change() or detail is None or self._page.purpose is None:
            return None
        return detail.id

    def _ref(self) -> str:
        detail = self._host.detail
        return detail.ref if detail else ""

    def _status_year(self) -> Period:
        return self._page.status_year()

    def _partners(self) -> list[tuple[object, str]]:
        lookups = self._host.lookups
        return [(choice.id, choice.label) for choice in lookups.partners] if lookups else []

    def _nothing_selected(self, what: str) -> None:
        self._host.show_tab(TAB_MONEY)
        self._host.note(f"Select {what} first.")

    # ----- budget -------------------------------------------------------------------

    def _selected_budget(self) -> MoneyYear | None:
        purpose, chosen = self._page.purpose, self._page.budget_table.selected()
        if purpose is None or chosen is None:
            return None
        return next((y for y in purpose.money.years if y.budget_line_id == chosen[0]), None)

    def add_budget(self) -> None:
        action_id = self._ready()
        if action_id is None:
            return
        self._ask_and_run(
            lambda initial: BudgetLineDialog.ask(
                self._parent, self._ref(), self._status_year(), initial
            ),
            lambda values: CreateRecord("budget_line", {"action_id": action_id, **values.record()}),
        )

    def change_budget(self) -> None:
        year = self._selected_budget()
        if self._ready() is None:
            return
        if year is None or year.budget_line_id is None:
            self._nothing_selected("a year's budget to change")
            return
        line_id = year.budget_line_id
        current = BudgetLineValues(year.year.year, year.budget, year.spent, year.note)
        self._ask_and_run(
            lambda initial: BudgetLineDialog.ask(
                self._parent, self._ref(), self._status_year(), initial or current, adding=False
            ),
            lambda values: EditRecord("budget_line", line_id, values.record()),
        )

    def delete_budget(self) -> None:
        year = self._selected_budget()
        if self._ready() is None:
            return
        if year is None or year.budget_line_id is None:
            self._nothing_selected("a year's budget to delete")
            return
        if self._host.confirm(
            "Delete budget",
            f"Delete action {self._ref()}'s budget for {year.year.label}?",
            [f"Budget {pounds(year.budget)}, spent {pounds(year.spent)}"],
        ):
            self._host.run(DeleteRecord("budget_line", year.budget_line_id))

    # ----- funding ------------------------------------------------------------------

    def _selected_funding(self) -> FundingLine | None:
        purpose, chosen = self._page.purpose, self._page.funding_table.selected()
        if purpose is None or chosen is None:
            return None
        return next((line for line in purpose.money.funding if line.id == chosen[0]), None)

    def add_funding(self) -> None:
        action_id = self._ready()
        if action_id is None:
            return
        self._ask_and_run(
            lambda initial: FundingDialog.ask(
                self._parent, self._ref(), self._partners(), self._status_year(), initial
            ),
            lambda values: CreateRecord("funding", {"action_id": action_id, **values.record()}),
        )

    def change_funding(self) -> None:
        line = self._selected_funding()
        if self._ready() is None:
            return
        if line is None:
            self._nothing_selected("a funding line to change")
            return
        current = FundingValues(line.partner_id, line.year.year, line.amount)
        self._ask_and_run(
            lambda initial: FundingDialog.ask(
                self._parent,
                self._ref(),
                self._partners(),
                self._status_year(),
                initial or current,
                adding=False,
            ),
            lambda values: EditRecord("funding", line.id, values.record()),
        )

    def delete_funding(self) -> None:
        line = self._selected_funding()
        if self._ready() is None:
            return
        if line is None:
            self._nothing_selected("a funding line to delete")
            return
        if self._host.confirm(
            "Delete funding",
            f"Delete {line.funder}'s {pounds(line.amount)} towards action {self._ref()} "
            f"in {line.year.label}?",
        ):
            self._host.run(DeleteRecord("funding", line.id))

    # ----- benefits -----------------------------------------------------------------

    def _selected_benefit(self) -> tuple[BenefitRow, BenefitYear | None] | None:
        """The benefit selected, or the one whose year is selected (with that year); the
        only benefit when there is one."""
        purpose, chosen = self._page.purpose, self._page.benefits_table.selected()
        if purpose is None:
            return None
        if chosen is None:
            return (purpose.benefits[0], None) if len(purpose.benefits) == 1 else None
        row_id, kind = chosen
        for benefit in purpose.benefits:
            if kind == "benefit" and benefit.id == row_id:
                return benefit, None
            for figure in benefit.years:
                if kind == "benefit_value" and figure.id == row_id:
                    return benefit, figure
        return None

    def _people(self) -> list[tuple[object, str]]:
        lookups = self._host.lookups
        return [(person.id, person.label) for person in lookups.people] if lookups else []

    def add_benefit(self) -> None:
        action_id = self._ready()
        if action_id is None:
            return
        if self._ask_and_run(
            lambda initial: BenefitDialog.ask(self._parent, self._ref(), self._partners(), initial),
            lambda values: CreateRecord("benefit", {"action_id": action_id, **values.record()}),
        ):
            purpose = self._page.purpose
            if purpose is not None and purpose.benefits:
                newest = max(purpose.benefits, key=lambda benefit: benefit.id)
                self._page.benefits_table.select(newest.id, "benefit")

    def add_benefit_year(self) -> None:
        found = self._selected_benefit()
        if self._ready() is None:
            return
        if found is None:
            self._nothing_selected("the benefit to add a year's figures to")
            return
        benefit = found[0]
        detail = self._host.detail
        assert detail is not None
        taken = {figure.year.year for figure in benefit.years}
        year = self._status_year().year
        while year in taken:
            year += 1
        first = BenefitYearValues(year, None, None)
        self._ask_and_run(
            lambda initial: BenefitYearDialog.ask(
                self._parent,
                benefit.title,
                self._people(),
                self._status_year(),
                detail.status_date,
                initial or first,
            ),
            lambda values: CreateRecord(
                "benefit_value", {"benefit_id": benefit.id, **values.record()}
            ),
        )

    def change_benefit(self) -> None:
        found = self._selected_benefit()
        if self._ready() is None:
            return
        if found is None:
            self._nothing_selected("a benefit or one of its years to change")
            return
        benefit, figure = found
        detail = self._host.detail
        assert detail is not None
        if figure is None:
            current = BenefitValues(
                benefit.title, benefit.kind, benefit.partner_id, benefit.evidence
            )
            self._ask_and_run(
                lambda initial: BenefitDialog.ask(
                    self._parent, self._ref(), self._partners(), initial or current, adding=False
                ),
                lambda values: EditRecord("benefit", benefit.id, values.record()),
            )
            return
        figures = BenefitYearValues(
            figure.year.year,
            figure.planned,
            figure.realised,
            figure.validated_by_id,
            figure.validated_on,
        )
        self._ask_and_run(
            lambda initial: BenefitYearDialog.ask(
                self._parent,
                benefit.title,
                self._people(),
                self._status_year(),
                detail.status_date,
                initial or figures,
                adding=False,
            ),
            lambda values: EditRecord("benefit_value", figure.id, values.record()),
        )

    def delete_benefit(self) -> None:
        chosen = self._page.benefits_table.selected()
        found = self._selected_benefit() if chosen else None
        if self._ready() is None:
            return
        if found is None:
            self._nothing_selected("a benefit or one of its years to delete")
            return
        benefit, figure = found
        if figure is not None:
            if self._host.confirm(
                "Delete a year's figures",
                f"Delete the {figure.year.label} figures of '{benefit.title}'?",
            ):
                self._host.run(DeleteRecord("benefit_value", figure.id))
            return
        years = len(benefit.years)
        details = [f"{years} year(s) of planned and realised figures will be deleted"]
        if self._host.confirm(
            "Delete benefit",
            f"Delete the benefit '{benefit.title}' from action {self._ref()}?",
            details if years else None,
        ):
            self._host.run(DeleteRecord("benefit", benefit.id))
