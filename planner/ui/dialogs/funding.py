"""Funding: what one partner body puts towards an action's budget in one financial year."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QWidget

from planner.domain.periods import Period
from planner.ui.dialogs.form import FormDialog, Options, fill_combo, select_data
from planner.ui.dialogs.money_fields import pounds_edit, pounds_problem, pounds_value, year_combo


@dataclass(frozen=True)
class FundingValues:
    partner_id: int
    year: int  # the calendar year the financial year starts in
    amount: int

    def record(self) -> dict[str, object]:
        """The values for CreateRecord or EditRecord("funding", ...), less the action."""
        return {"partner_id": self.partner_id, "year": self.year, "amount": self.amount}


class FundingDialog(FormDialog[FundingValues]):
    def __init__(
        self,
        parent: QWidget | None,
        action_label: str,
        partners: Options,
        status_year: Period,
        initial: FundingValues | None = None,
        *,
        adding: bool = True,
    ) -> None:
        super().__init__(
            parent,
            "Add funding" if adding else "Change funding",
            "Add funding" if adding else "Save",
            f"What a partner body puts towards action {action_label}'s budget in one "
            "financial year, in whole pounds.",
        )
        self.setObjectName("fundingDialog")
        self.funder = QComboBox(self)
        self.funder.setObjectName("fundingFunder")
        fill_combo(self.funder, partners)
        self.year = year_combo(self, "fundingYear", status_year, initial.year if initial else None)
        self.amount = pounds_edit(
            self, "fundingAmount", initial.amount if initial else None, "e.g. £150,000 or £150k"
        )
        if initial is not None:
            select_data(self.funder, initial.partner_id)
        self.add_row("&Funder:", self.funder, "Funder")
        self.add_row("Financial &year:", self.year)
        self.add_row("&Amount:", self.amount)
        self.amount.textChanged.connect(self.refresh)
        self.refresh()

    def missing(self) -> str:
        if self.funder.count() == 0:
            return "The plan has no partner bodies yet: add the funder in the Directory first."
        if not self.amount.text().strip():
            return "Give the amount."
        return pounds_problem(self.amount, "Amount")

    def values(self) -> FundingValues:
        return FundingValues(
            partner_id=int(self.funder.currentData()),
            year=int(self.year.currentData()),
            amount=pounds_value(self.amount) or 0,
        )
